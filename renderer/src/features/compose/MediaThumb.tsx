import { useTranslation } from 'react-i18next';
import type { PostMediaItem } from '../../../../main/core/contract';
import { mediaUrl } from '../../platform/media';

/** The library makes thumbnails of images only; a video shows its name and size at its real shape. */
export function thumbnailSrc(item: PostMediaItem): string | null {
  return item.mime.startsWith('image/') ? mediaUrl(item.mediaId, 'thumb') : null;
}

interface MediaThumbProps {
  item: PostMediaItem;
  /** natural: the image's own shape; cover: a square cell; cover-4x5: Instagram's portrait frame; frame: cropped to `ratio`. */
  fit: 'natural' | 'cover' | 'cover-4x5' | 'frame';
  /** Width over height of the frame, for fit="frame". */
  ratio?: number;
}

export function MediaThumb({ item, fit, ratio: frame }: MediaThumbProps) {
  const { t } = useTranslation();
  const src = thumbnailSrc(item);
  const ratio = item.width && item.height ? `${item.width} / ${item.height}` : '1 / 1';
  const style = fit === 'natural' ? { aspectRatio: ratio } : fit === 'frame' ? { aspectRatio: String(frame ?? 1) } : undefined;
  const alt = item.altText || item.fileName;
  if (src) return <img className={`thumb thumb-${fit}`} src={src} alt={alt} style={style} />;
  return (
    <div className={`thumb thumb-${fit} thumb-placeholder`} style={style} role="img" aria-label={alt}>
      <span className="thumb-name">{item.fileName}</span>
      {item.width && item.height ? (
        <span className="thumb-size">{t('compose.media.size', { width: item.width, height: item.height })}</span>
      ) : null}
    </div>
  );
}
