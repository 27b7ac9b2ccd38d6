import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { subscribe } from '../../platform/api';
import { Page } from '../../ui/Page';
import { useActiveProject } from '../projects/projects-store';
import { Composer } from './Composer';
import { useCompose } from './compose-store';
import { PostList } from './PostList';
import './compose.css';

/** Compose: the project's drafts on one side, the open post on the other. Nothing typed is ever lost. */
export function ComposePage() {
  const { t } = useTranslation();
  const project = useActiveProject();
  const hasDraft = useCompose((s) => s.draft !== null);

  useEffect(() => {
    void useCompose.getState().loadProject(project?.id ?? null);
  }, [project?.id]);

  useEffect(() => {
    const offAccounts = subscribe('accounts.changed', () => void useCompose.getState().refreshAccounts());
    // Leaving the page (or the window going away) saves what is typed at once.
    const save = () => void useCompose.getState().flush();
    const onVisibility = () => {
      if (document.visibilityState === 'hidden') save();
    };
    document.addEventListener('visibilitychange', onVisibility);
    window.addEventListener('pagehide', save);
    return () => {
      offAccounts();
      document.removeEventListener('visibilitychange', onVisibility);
      window.removeEventListener('pagehide', save);
      save();
    };
  }, []);

  if (!project) {
    return (
      <Page title={t('pages.compose.title')}>
        <p className="lead">{t('pages.noProject')}</p>
      </Page>
    );
  }

  return (
    <Page title={t('pages.compose.title')}>
      <div className="compose">
        <PostList />
        <div className="compose-main">
          {hasDraft ? (
            <Composer timezone={project.timezone} />
          ) : (
            <div className="compose-empty">
              <p className="lead">{t('compose.empty')}</p>
            </div>
          )}
        </div>
      </div>
    </Page>
  );
}
