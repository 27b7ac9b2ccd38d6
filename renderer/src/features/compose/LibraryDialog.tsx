import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Media } from '../../../../main/core/contract';
import type { OutpostError } from '../../../../main/core/errors';
import { invoke } from '../../platform/api';
import { Dialog } from '../../ui/Dialog';
import { useErrorText } from '../../ui/useErrorText';
import { MediaThumb } from './MediaThumb';
import { unawaited } from '../../platform/unawaited';
import { useOpenPost } from '../post/open-post-store';

interface LibraryDialogProps {
  /** Already attached: shown ticked and not attached twice. */
  attached: readonly string[];
  onAttach(items: Media[]): void;
  onClose(): void;
}

/** Picks media from the library to attach; import happens on the Media page. */
export function LibraryDialog({ attached, onAttach, onClose }: LibraryDialogProps) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const [items, setItems] = useState<Media[] | null>(null);
  const [error, setError] = useState<OutpostError | null>(null);
  const [query, setQuery] = useState('');
  const [picked, setPicked] = useState<string[]>([]);
  const projectId = useOpenPost((s) => s.post?.projectId ?? s.projectId);

  useEffect(() => {
    let live = true;
    // A post is offered its project's own files and the shared ones, never another client's.
    const scope = projectId ? { projectId } : { only: 'shared' as const };
    unawaited(invoke('media.list', { ...scope, ...(query.trim() ? { query: query.trim() } : {}) }).then((result) => {
      if (!live) return;
      if (result.ok) setItems(result.value);
      else setError(result.error);
    }), 'media.list');
    return () => {
      live = false;
    };
  }, [query, projectId]);

  const toggle = (id: string) => setPicked((p) => (p.includes(id) ? p.filter((x) => x !== id) : [...p, id]));

  return (
    <Dialog title={t('compose.library.title')} onClose={onClose}>
      <div className="form">
        <input
          type="search"
          aria-label={t('compose.library.search')}
          placeholder={t('compose.library.search')}
          value={query}
          onChange={(e) => setQuery(e.target.value)}
        />
        {error && (
          <p className="error" role="alert">
            {errorText(error)}
          </p>
        )}
        {items && items.length === 0 && <p className="hint">{t('compose.library.empty')}</p>}
        <ul className="library-grid" aria-label={t('compose.library.items')}>
          {(items ?? []).map((item) => {
            const already = attached.includes(item.id);
            return (
              <li key={item.id}>
                <label className="library-item">
                  <input
                    type="checkbox"
                    checked={already || picked.includes(item.id)}
                    disabled={already}
                    onChange={() => toggle(item.id)}
                    aria-label={item.fileName}
                  />
                  <MediaThumb
                    item={{ ...item, mediaId: item.id }}
                    fit="cover"
                  />
                </label>
              </li>
            );
          })}
        </ul>
        <div className="dialog-actions">
          <span className="spacer" />
          <button type="button" className="button" onClick={onClose}>
            {t('compose.cancel')}
          </button>
          <button
            type="button"
            className="button primary"
            disabled={picked.length === 0}
            onClick={() => onAttach((items ?? []).filter((i) => picked.includes(i.id)).sort((a, b) => picked.indexOf(a.id) - picked.indexOf(b.id)))}
          >
            {t('compose.library.attach', { count: picked.length })}
          </button>
        </div>
      </div>
    </Dialog>
  );
}
