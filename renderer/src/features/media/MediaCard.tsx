import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { LibraryShelf, Media } from '../../../../main/core/contract';
import { mediaUrl } from '../../platform/media';
import { openInEditor } from '../editor/editor-store';
import { formatBytes, formatDuration } from './format';
import { invoke, subscribe } from '../../platform/api';
import { unawaited } from '../../platform/unawaited';
import { posterFrame } from './video-probe';

interface MediaCardProps {
  item: Media;
  onEditAlt(item: Media): void;
  onDelete(item: Media): void;
  /** The library this file can move to from the one shown; null when there is only one. */
  moveTo: LibraryShelf | null;
  onMove(to: LibraryShelf): void;
  /** Opens the video's details and cover picker. */
  onOpenVideo?(item: Media): void;
}

const POSTER_HEIGHT = 180;

/** The picked cover's thumbnail, or else the first frame drawn in the window; the play mark until either is there. */
function VideoPoster({ item }: { item: Media }) {
  const [src, setSrc] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    const show = async () => {
      const cover = await invoke('media.videoCover', { id: item.id });
      const url = cover.ok && cover.value ? mediaUrl(cover.value.media.id, 'thumb') : await posterFrame(item.id, mediaUrl(item.id, 'file'), POSTER_HEIGHT);
      if (live) setSrc(url);
    };
    unawaited(show(), 'video poster');
    const stop = subscribe('media.changed', ({ ids }) => {
      if (ids.includes(item.id)) unawaited(show(), 'video poster');
    });
    return () => {
      live = false;
      stop();
    };
  }, [item.id]);
  return src ? (
    <img src={src} alt="" className="media-poster" decoding="async" />
  ) : (
    <div className="media-video" aria-hidden="true">
      <span className="media-play">▶</span>
    </div>
  );
}

export function MediaCard({ item, onEditAlt, onDelete, moveTo, onMove, onOpenVideo }: MediaCardProps) {
  const { t, i18n } = useTranslation();
  const nameId = useId();
  const facts = [
    formatBytes(item.bytes, i18n.language),
    item.width && item.height ? t('media.dimensions', { width: item.width, height: item.height }) : null,
    item.durationMs !== null ? formatDuration(item.durationMs) : null,
  ].filter((fact): fact is string => fact !== null);

  return (
    <li className="media-card" aria-labelledby={nameId}>
      <div className="media-thumb">
        {item.kind === 'image' ? (
          // The card's heading names the file; the picture's own description is its alt text.
          <img src={mediaUrl(item.id, 'thumb')} alt={item.altText} loading="lazy" decoding="async" />
        ) : (
          <VideoPoster item={item} />
        )}
        {item.kind === 'video' && <span className="media-badge">{t('media.videoBadge')}</span>}
      </div>
      <div className="media-body">
        <h3 id={nameId} className="media-name" title={item.fileName}>
          <bdi>{item.fileName}</bdi>
        </h3>
        <p className="media-facts">
          {facts.map((fact, i) => (
            <span key={i}>
              {i > 0 && <span aria-hidden="true"> · </span>}
              <bdi>{fact}</bdi>
            </span>
          ))}
        </p>
        <p className="media-usage">{item.usageCount > 0 ? t('media.usedBy', { count: item.usageCount }) : t('media.unused')}</p>
        <p className={item.altText ? 'media-alt' : 'media-alt missing'}>{item.altText || t('media.noAlt')}</p>
        <div className="media-actions">
          {item.kind === 'image' && (
            // No replace: from the library the export lands beside the original as a derived image.
            <button type="button" className="button" onClick={() => openInEditor(item.id)} aria-label={t('media.editInEditorFor', { name: item.fileName })}>
              {t('media.editInEditor')}
            </button>
          )}
          {item.kind === 'video' && onOpenVideo && (
            <button type="button" className="button" onClick={() => onOpenVideo(item)} aria-label={t('media.video.openFor', { name: item.fileName })}>
              {t('media.video.open')}
            </button>
          )}
          <button type="button" className="button" onClick={() => onEditAlt(item)} aria-label={t('media.editAltFor', { name: item.fileName })}>
            {t('media.editAlt')}
          </button>
          {moveTo && (
            <button type="button" className="button" onClick={() => onMove(moveTo)} aria-label={t(`media.moveTo.${moveTo}For`, { name: item.fileName })}>
              {t(`media.moveTo.${moveTo}`)}
            </button>
          )}
          <button type="button" className="button subtle danger" onClick={() => onDelete(item)} aria-label={t('media.deleteFor', { name: item.fileName })}>
            {t('media.delete')}
          </button>
        </div>
      </div>
    </li>
  );
}
