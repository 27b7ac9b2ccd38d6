import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { unawaited } from '../../platform/unawaited';
import { Page } from '../../ui/Page';
import { useOpenPost, watchOpenPost } from '../post/open-post-store';
import { useActiveProject } from '../projects/projects-store';
import { Composer } from './Composer';
import { useCompose, watchDrafts } from './compose-store';
import { PostList } from './PostList';
import './compose.css';

/** Compose: the project's drafts on one side, the open post on the other. Nothing typed is ever lost. */
export function ComposePage() {
  const { t } = useTranslation();
  const project = useActiveProject();
  const hasDraft = useOpenPost((s) => s.draft !== null);

  useEffect(() => {
    unawaited(useCompose.getState().loadProject(project?.id ?? null), 'Loading the project’s posts');
  }, [project?.id]);

  useEffect(() => {
    const offDrafts = watchDrafts();
    const offPost = watchOpenPost();
    // Leaving the page (or the window going away) saves what is typed at once.
    const save = () => unawaited(useOpenPost.getState().flush(), 'Saving the post');
    const onVisibility = () => {
      if (document.visibilityState === 'hidden') save();
    };
    document.addEventListener('visibilitychange', onVisibility);
    window.addEventListener('pagehide', save);
    return () => {
      offDrafts();
      offPost();
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
        <PostList timezone={project.timezone} />
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
