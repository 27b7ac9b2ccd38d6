import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Media } from '../../../../../main/core/contract';
import { invoke, subscribe } from '../../../platform/api';
import { mediaUrl } from '../../../platform/media';
import { unawaited } from '../../../platform/unawaited';
import { useProjects } from '../../projects/projects-store';

interface LibraryPickerProps {
  /** Names the list for screen readers. */
  label: string;
  onPick(media: Media): void;
  /** The button's accessible name for one image. */
  actionLabel(media: Media): string;
  selectedId?: string | null;
}

/** The images the active project may use (its own and the shared ones), newest first, kept fresh as files come and go. */
export function LibraryPicker({ label, onPick, actionLabel, selectedId }: LibraryPickerProps) {
  const { t } = useTranslation();
  const [items, setItems] = useState<Media[] | null>(null);
  const projectId = useProjects((s) => s.activeId);

  useEffect(() => {
    let alive = true;
    const load = async () => {
      const result = await invoke('media.list', { kind: 'image', ...(projectId ? { projectId } : { only: 'shared' as const }) });
      if (alive) setItems(result.ok ? result.value : []);
    };
    unawaited(load(), 'load');
    const off = subscribe('media.changed', () => unawaited(load(), 'load'));
    return () => {
      alive = false;
      off();
    };
  }, [projectId]);

  if (items === null) return <p className="hint">{t('editor.library.loading')}</p>;
  if (items.length === 0) return <p className="hint">{t('editor.library.empty')}</p>;
  return (
    <ul className="editor-library" aria-label={label}>
      {items.map((item) => (
        <li key={item.id}>
          <button
            type="button"
            className="editor-library-item"
            aria-label={actionLabel(item)}
            aria-pressed={selectedId === undefined ? undefined : selectedId === item.id}
            onClick={() => onPick(item)}
          >
            <img src={mediaUrl(item.id, 'thumb')} alt="" loading="lazy" decoding="async" />
            <span className="editor-library-name">{item.fileName}</span>
            {item.width && item.height ? <span className="hint">{t('editor.size', { width: item.width, height: item.height })}</span> : null}
          </button>
        </li>
      ))}
    </ul>
  );
}
