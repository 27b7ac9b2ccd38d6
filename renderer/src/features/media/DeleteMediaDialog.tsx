import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Media } from '../../../../main/core/contract';
import type { OutpostError } from '../../../../main/core/errors';
import { invoke } from '../../platform/api';
import { Dialog } from '../../ui/Dialog';
import { useErrorText } from '../../ui/useErrorText';
import { useMedia } from './media-store';
import { unawaited } from '../../platform/unawaited';

interface DeleteMediaDialogProps {
  item: Media;
  onClose(): void;
}

/** Asks before deleting, saying how many posts lose the file; the count is fetched fresh when it opens. */
export function DeleteMediaDialog({ item, onClose }: DeleteMediaDialogProps) {
  const { t } = useTranslation();
  const describe = useErrorText();
  const remove = useMedia((s) => s.remove);
  const [posts, setPosts] = useState(item.usageCount);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<OutpostError | null>(null);

  useEffect(() => {
    let live = true;
    unawaited(invoke('media.usage', { id: item.id }).then((result) => {
      if (live && result.ok) setPosts(result.value.posts);
    }), 'media.usage');
    return () => {
      live = false;
    };
  }, [item.id]);

  const confirm = async () => {
    setBusy(true);
    const result = await remove(item.id, posts > 0);
    setBusy(false);
    if (result.ok) {
      onClose();
      return;
    }
    // Used by more posts than we showed (a post changed meanwhile): show the new count and ask again.
    if (result.error.reason === 'media_in_use' && typeof result.error.details?.posts === 'number') {
      setPosts(result.error.details.posts);
      return;
    }
    setError(result.error);
  };

  return (
    <Dialog title={t('media.deleteTitle', { name: item.fileName })} onClose={onClose}>
      <div className="form">
        <p>{posts > 0 ? t('media.deleteInUse', { count: posts }) : t('media.deleteUnused')}</p>
        {error && (
          <p role="alert" className="error">
            {describe(error)}
          </p>
        )}
        <div className="dialog-actions">
          <span className="spacer" />
          <button type="button" className="button" onClick={onClose}>
            {t('media.cancel')}
          </button>
          <button type="button" className="button danger-fill" onClick={() => unawaited(confirm(), 'confirm')} disabled={busy}>
            {posts > 0 ? t('media.deleteConfirmInUse', { count: posts }) : t('media.deleteConfirm')}
          </button>
        </div>
      </div>
    </Dialog>
  );
}
