import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { subscribe } from '../platform/api';
import { listenForOpenUrlRequests } from '../platform/open-url-requests';
import { useProjects } from '../features/projects/projects-store';
import { useSettings } from '../features/settings/settings-store';
import { Shell } from './Shell';

/** Loads what every page needs, keeps it fresh from main's events, and applies the theme. */
export function App() {
  const { t, i18n } = useTranslation();
  const loaded = useProjects((s) => s.loaded);
  const theme = useSettings((s) => s.settings?.theme ?? 'system');
  const language = useSettings((s) => s.settings?.language);

  useEffect(() => {
    void useProjects.getState().load();
    void useSettings.getState().load();
    const offSettings = subscribe('settings.changed', () => void useSettings.getState().load());
    // A project made or recoloured elsewhere (another window, an import) shows at once; the selection stays.
    const offProjects = subscribe('projects.changed', () => void useProjects.getState().refresh());
    const offOpenUrl = listenForOpenUrlRequests();
    return () => {
      offSettings();
      offProjects();
      offOpenUrl();
    };
  }, []);

  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);

  useEffect(() => {
    if (language && language !== i18n.language) void i18n.changeLanguage(language);
  }, [language, i18n]);

  if (!loaded) {
    return (
      <p className="loading" role="status">
        {t('app.loading')}
      </p>
    );
  }
  return <Shell />;
}
