import { memo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PostMediaItem } from '../../../../main/core/contract';
import { pinLinkDomain, PIN_TITLE_MAX, type PinterestPostOptions } from '../../../../main/core/networks/pinterest';
import { MediaThumb } from './MediaThumb';
import './pinterest-preview.css';

interface PinterestPreviewProps {
  displayName: string;
  handle: string;
  /** The pin's description. */
  text: string;
  media: readonly PostMediaItem[];
  options: PinterestPostOptions;
}

/** How much of a description the pin page shows before "more" (Pinterest folds long ones). */
const DESCRIPTION_FOLD = 300;

/**
 * A pin as Pinterest's pin page shows it: the image (or video, or a carousel of 2–5 with its dots)
 * with rounded corners and the red Save button, the destination's domain, the title in bold, the
 * description, and the board it is saved to. No image: Pinterest takes no pin without one.
 */
export const PinterestPreview = memo(function PinterestPreview({ displayName, handle, text, media, options }: PinterestPreviewProps) {
  const { t } = useTranslation();
  const [shown, setShown] = useState(0);
  const items = media.slice(0, 5);
  const current = items[Math.min(shown, items.length - 1)];
  const domain = pinLinkDomain(options.link);
  const title = [...(options.title?.trim() ?? '')].slice(0, PIN_TITLE_MAX).join('');
  const description = text.trim();
  const folded = [...description].length > DESCRIPTION_FOLD;
  return (
    <article className="preview preview-pinterest" aria-label={t('compose.preview.label', { network: t('networks.pinterest'), handle })}>
      <div className="pin-media">
        {current ? (
          <MediaThumb item={current} fit="natural" />
        ) : (
          <div className="pin-no-media">{t('compose.preview.pinterest.needsImage')}</div>
        )}
        <span className="pin-save" aria-hidden="true">
          {t('compose.preview.pinterest.save')}
        </span>
        {current?.mime.startsWith('video/') && <span className="pin-video-badge" aria-hidden="true">▶</span>}
        {items.length > 1 && (
          <div className="pin-dots" role="group" aria-label={t('compose.preview.photos', { count: items.length })}>
            {items.map((item, i) => (
              <button
                key={item.mediaId}
                type="button"
                className="pin-dot"
                aria-label={t('compose.preview.pinterest.showImage', { number: i + 1 })}
                aria-pressed={i === shown}
                onClick={() => setShown(i)}
              />
            ))}
          </div>
        )}
      </div>
      <div className="pin-body">
        {domain && (
          <span className="pin-domain" dir="ltr">
            {domain}
          </span>
        )}
        {title && (
          <h4 className="pin-title" dir="auto">
            {title}
          </h4>
        )}
        {description && (
          <p className="pin-description" dir="auto">
            {folded ? `${[...description].slice(0, DESCRIPTION_FOLD).join('')} ` : description}
            {folded && <span className="pin-more">{t('compose.preview.more')}</span>}
          </p>
        )}
        <div className="pin-board">
          <span className="avatar net-pinterest pin-avatar" aria-hidden="true">
            {(displayName || handle).slice(0, 1).toUpperCase()}
          </span>
          <bdi className="preview-name">{handle}</bdi>
        </div>
      </div>
    </article>
  );
});
