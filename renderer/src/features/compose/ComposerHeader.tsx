import { memo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { unawaited } from '../../platform/unawaited';
import { Dialog } from '../../ui/Dialog';
import { useErrorText } from '../../ui/useErrorText';
import { useOpenPost } from '../post/open-post-store';

/** The open post's status and save state, its notices (conflict, refusal, lost copy), duplicate and delete. */
// Memoised: it reads the store itself, so the composer's re-render on every keystroke need not reach it.
export const ComposerHeader = memo(function ComposerHeader() {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const post = useOpenPost((s) => s.post);
  const saveState = useOpenPost((s) => s.saveState);
  const saveError = useOpenPost((s) => s.saveError);
  const unscheduledByEdit = useOpenPost((s) => s.unscheduledByEdit);
  const actionError = useOpenPost((s) => s.actionError);
  const backupUnreadable = useOpenPost((s) => s.backupUnreadable);
  const [confirmDelete, setConfirmDelete] = useState(false);
  if (!post) return null;

  return (
    <>
      <div className="composer-head">
        <span className={`status-badge status-${post.status}`}>{t(`compose.status.${post.status}`)}</span>
        <p className={`save-state save-${saveState}`} role="status" aria-live="polite">
          {t(`compose.save.${saveState}`)}
        </p>
        <span className="spacer" />
        <button type="button" className="button" onClick={() => unawaited(useOpenPost.getState().duplicate(), 'Duplicating the post')}>
          {t('compose.duplicate')}
        </button>
        <button type="button" className="button danger" onClick={() => setConfirmDelete(true)}>
          {t('compose.delete')}
        </button>
      </div>
      {saveState === 'conflict' && (
        <div className="notice warn" role="alert">
          <p>{t('compose.conflict.body')}</p>
          <div className="dialog-actions">
            <button type="button" className="button primary" onClick={() => unawaited(useOpenPost.getState().keepMine(), 'Keeping my version')}>
              {t('compose.conflict.keepMine')}
            </button>
            <button type="button" className="button" onClick={() => unawaited(useOpenPost.getState().takeTheirs(), 'Taking the other version')}>
              {t('compose.conflict.takeTheirs')}
            </button>
          </div>
        </div>
      )}
      {saveState === 'refused' && saveError && (
        <p className="notice error" role="alert">
          {errorText(saveError)}
        </p>
      )}
      {unscheduledByEdit && (
        <p className="notice warn" role="alert">
          {t('compose.unscheduledByEdit')}
        </p>
      )}
      {backupUnreadable && (
        <p className="notice warn" role="alert">
          {t('compose.backupUnreadable')}
        </p>
      )}
      {actionError && (
        <p className="notice error" role="alert">
          {errorText(actionError)}
        </p>
      )}
      {confirmDelete && (
        <Dialog title={t('compose.deleteDialog.title')} onClose={() => setConfirmDelete(false)}>
          <p>{t(post.status === 'published' ? 'compose.deleteDialog.published' : 'compose.deleteDialog.body')}</p>
          <div className="dialog-actions">
            <span className="spacer" />
            <button type="button" className="button" onClick={() => setConfirmDelete(false)}>
              {t('compose.cancel')}
            </button>
            <button
              type="button"
              className="button danger"
              onClick={async () => {
                const done = await useOpenPost.getState().remove();
                if (done) setConfirmDelete(false);
              }}
            >
              {t('compose.deleteDialog.confirm')}
            </button>
          </div>
        </Dialog>
      )}
    </>
  );
});
