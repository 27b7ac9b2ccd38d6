import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { LibraryShelf, Media } from '../../../../main/core/contract';
import { mediaUrl } from '../../platform/media';
import { openInEditor } from '../editor/editor-store';
import { formatBytes, formatDuration } from './format';

interface MediaCardProps {
  item: Media;
  onEditAlt(item: Media): void;
  onDelete(item: Media): void;
  /** The library this file can move to from the one shown; null when there is only one. */
  moveTo: LibraryShelf | null;
  onMove(to: LibraryShelf): void;
}

export function MediaCard({ item, onEditAlt, onDelete, moveTo, onMove }: MediaCardProps) {
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
          <div className="media-video" aria-hidden="true">
            <span className="media-play">▶</span>
          </div>
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
