import { useEffect, useState } from 'react';
import type { DataStatus } from '../../../main/core/contract';
import { useTranslation } from 'react-i18next';
import { subscribe } from '../platform/api';
import { listenForOpenUrlRequests } from '../platform/open-url-requests';
import { RecoveryPage } from '../features/data/RecoveryPage';
import { useData } from '../features/data/data-store';
import { useProjects } from '../features/projects/projects-store';
import { useSettings } from '../features/settings/settings-store';
import { Shell } from './Shell';
import { unawaited } from '../platform/unawaited';
import { windowLanguage } from '../i18n/i18n';

/** Loads what every page needs, keeps it fresh from main's events, and applies the theme. */
export function App() {
  const { t, i18n } = useTranslation();
  const loaded = useProjects((s) => s.loaded);
  const theme = useSettings((s) => s.settings?.theme ?? 'system');
  const language = useSettings((s) => s.settings?.language);
  // Start-up may have stopped short of opening the data (a lost or damaged database): ask first.
  const [startup, setStartup] = useState<DataStatus | 'loading' | 'unknown'>('loading');

  useEffect(() => {
    // A restore, import or fresh start replaced everything under the window: start it afresh.
    const offReplaced = subscribe('data.replaced', () => window.location.reload());
    const asking = useData
      .getState()
      .loadStatus()
      // Without an answer the app opens as before; every request then says what is wrong on its own.
      .then((status) => setStartup(status ?? 'unknown'));
    unawaited(asking, 'Asking how start-up went');
    return offReplaced;
  }, []);

  const ready = startup === 'unknown' || (startup !== 'loading' && startup.state === 'ready');
  useEffect(() => {
    if (!ready) return;
    unawaited(useProjects.getState().load(), 'load');
    unawaited(useSettings.getState().load(), 'load');
    const offSettings = subscribe('settings.changed', () => unawaited(useSettings.getState().load(), 'load'));
    // A project made or recoloured elsewhere (another window, an import) shows at once; the selection stays.
    const offProjects = subscribe('projects.changed', () => unawaited(useProjects.getState().refresh(), 'refresh'));
    const offOpenUrl = listenForOpenUrlRequests();
    return () => {
      offSettings();
      offProjects();
      offOpenUrl();
    };
  }, [ready]);

  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);

  useEffect(() => {
    const shown = windowLanguage(language);
    if (language && shown !== i18n.language) unawaited(i18n.changeLanguage(shown), 'changeLanguage');
  }, [language, i18n]);

  if (typeof startup === 'object' && startup.state === 'recovery') return <RecoveryPage status={startup} />;
  if (!loaded) {
    return (
      <p className="loading" role="status">
        {t('app.loading')}
      </p>
    );
  }
  return <Shell />;
}
