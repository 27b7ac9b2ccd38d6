import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Media, PostMediaItem, PostProblem } from '../../../../main/core/contract';
import { openInEditor } from '../editor/editor-store';
import { LibraryDialog } from './LibraryDialog';
import { MediaThumb } from './MediaThumb';
import { useProblemText } from './problem-text';
import { VideoFit } from './VideoFit';

interface MediaPanelProps {
  /** "Media" or "Media for Instagram". */
  title: string;
  ids: readonly string[];
  facts: Record<string, PostMediaItem>;
  /** Problems found with these items, on any target that uses them. */
  problems: readonly PostProblem[];
  disabled?: boolean;
  onChange(ids: string[]): void;
  onAttach(items: Media[]): void;
}

function move<T>(list: readonly T[], from: number, to: number): T[] {
  const next = [...list];
  const [item] = next.splice(from, 1);
  next.splice(to, 0, item as T);
  return next;
}

/** The media attached (to the post or one target): reorder, remove, attach more from the library. */
export function MediaPanel({ title, ids, facts, problems, disabled, onChange, onAttach }: MediaPanelProps) {
  const { t } = useTranslation();
  const problemText = useProblemText();
  const [picking, setPicking] = useState(false);
  // What the last 'Make it fit' did; its tile is replaced by the copy, so the panel says it.
  const [fitNote, setFitNote] = useState<string | null>(null);

  return (
    <section className="compose-section" aria-label={title}>
      <div className="section-head">
        <h3>{title}</h3>
        <button type="button" className="button" disabled={disabled} onClick={() => setPicking(true)}>
          {t('compose.media.attach')}
        </button>
      </div>
      {ids.length === 0 && <p className="hint">{t('compose.media.none')}</p>}
      <ol className="media-strip">
        {ids.map((id, index) => {
          const item = facts[id];
          const name = item?.fileName ?? id;
          const own = problems.filter((p) => p.mediaId === id);
          const image = item?.mime.startsWith('image/') ?? false;
          return (
            <li key={id} className="media-tile" aria-label={t('compose.media.item', { position: index + 1, name })}>
              {item ? <MediaThumb item={item} fit="cover" /> : <div className="thumb thumb-cover thumb-placeholder" />}
              <div className="media-actions">
                {image && (
                  <button
                    type="button"
                    className="button subtle small"
                    disabled={disabled}
                    aria-label={t('compose.media.edit', { name })}
                    onClick={() => openInEditor(id, id)}
                  >
                    {t('compose.media.editShort')}
                  </button>
                )}
                <button
                  type="button"
                  className="button subtle small"
                  disabled={disabled || index === 0}
                  aria-label={t('compose.media.earlier', { name })}
                  onClick={() => onChange(move(ids, index, index - 1))}
                >
                  <span aria-hidden="true" className="flip">
                    ‹
                  </span>
                </button>
                <button
                  type="button"
                  className="button subtle small"
                  disabled={disabled || index === ids.length - 1}
                  aria-label={t('compose.media.later', { name })}
                  onClick={() => onChange(move(ids, index, index + 1))}
                >
                  <span aria-hidden="true" className="flip">
                    ›
                  </span>
                </button>
                <button
                  type="button"
                  className="button subtle small"
                  disabled={disabled}
                  aria-label={t('compose.media.remove', { name })}
                  onClick={() => onChange(ids.filter((x) => x !== id))}
                >
                  <span aria-hidden="true">✕</span>
                </button>
              </div>
              {own.length > 0 && (
                <ul className="media-problems">
                  {own.map((p, i) => {
                    const fix = p.params.fix;
                    return (
                      <li key={i} className={p.severity === 'error' ? 'error' : 'warn'}>
                        {problemText(p)}
                        {image && (fix === 'crop' || fix === 'resize') && (
                          // The editor's open takes no ratio yet, so this only opens the image; its shape warnings name the fix.
                          <button type="button" className="button subtle small" disabled={disabled} onClick={() => openInEditor(id, id)}>
                            {t(fix === 'crop' ? 'compose.media.cropInEditor' : 'compose.media.resizeInEditor')}
                          </button>
                        )}
                      </li>
                    );
                  })}
                </ul>
              )}
              {item?.mime.startsWith('video/') && (
                <VideoFit
                  mediaId={id}
                  fileName={name}
                  problems={own}
                  disabled={disabled}
                  onFitted={(fitted, note) => {
                    setFitNote(note);
                    onAttach([fitted]);
                    onChange(ids.map((x) => (x === id ? fitted.id : x)));
                  }}
                />
              )}
            </li>
          );
        })}
      </ol>
      {fitNote && (
        <p role="status" className="status ok">
          {fitNote}
        </p>
      )}
      {picking && (
        <LibraryDialog
          attached={ids}
          onClose={() => setPicking(false)}
          onAttach={(items) => {
            setPicking(false);
            onAttach(items);
            onChange([...ids, ...items.map((i) => i.id)]);
          }}
        />
      )}
    </section>
  );
}
