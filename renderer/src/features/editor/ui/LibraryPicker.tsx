import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Media } from '../../../../../main/core/contract';
import { invoke, subscribe } from '../../../platform/api';
import { mediaUrl } from '../../../platform/media';
import { unawaited } from '../../../platform/unawaited';

interface LibraryPickerProps {
  /** Names the list for screen readers. */
  label: string;
  onPick(media: Media): void;
  /** The button's accessible name for one image. */
  actionLabel(media: Media): string;
  selectedId?: string | null;
}

/** The library's images as a grid of buttons, newest first, kept fresh as files come and go. */
export function LibraryPicker({ label, onPick, actionLabel, selectedId }: LibraryPickerProps) {
  const { t } = useTranslation();
  const [items, setItems] = useState<Media[] | null>(null);

  useEffect(() => {
    let alive = true;
    const load = async () => {
      const result = await invoke('media.list', { kind: 'image' });
      if (alive) setItems(result.ok ? result.value : []);
    };
    unawaited(load(), 'load');
    const off = subscribe('media.changed', () => unawaited(load(), 'load'));
    return () => {
      alive = false;
      off();
    };
  }, []);

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
