import { memo } from 'react';
import { useTranslation } from 'react-i18next';
import type { PostMediaItem } from '../../../../main/core/contract';
import { attachedLink } from '../../../../main/core/networks/attached-link';
import { LINKEDIN_SEE_MORE_AT } from '../../../../main/core/networks/linkedin';
import { hostOf } from './FeedPreview';
import { useLinkCard } from './link-card-store';
import { MediaThumb } from './MediaThumb';
import { PostText } from './Preview';
import './linkedin-preview.css';

/** LinkedIn's social bar, as outlines: like (thumb), comment, repost, send. */
const ACTIONS = [
  { key: 'like', path: 'M7 11v9H4v-9zm0 0 4-7c1.4 0 2 .8 2 2v3h5.2a1.8 1.8 0 0 1 1.8 2.1l-1.2 6.4A2 2 0 0 1 16.8 20H7' },
  { key: 'comment', path: 'M5 5h14v10H10l-4 3.5V15H5z' },
  { key: 'repost', path: 'M7 4 4 7l3 3M4 7h12a3 3 0 0 1 3 3v1M17 20l3-3-3-3m3 3H8a3 3 0 0 1-3-3v-1' },
  { key: 'send', path: 'm4 12 16-8-6 16-3-7z' },
] as const;

interface LinkedInPreviewProps {
  displayName: string;
  handle: string;
  text: string;
  media: readonly PostMediaItem[];
  /** How the time reads, or null for "now". */
  when: string | null;
}

/**
 * A LinkedIn post as the feed shows it: the avatar (round for a member, square for a page) beside
 * the name, the time and the "anyone" globe; the text folded after about 210 characters with
 * "…see more"; images edge to edge (one at its shape, two side by side, three or more as one large
 * over up to three, "+N" on the last); a video with its play mark; without media, the link card the
 * post keeps (LinkedIn posts it as the article: picture, title, site) — none once the user removed it.
 */
export const LinkedInPreview = memo(function LinkedInPreview({ displayName, handle, text, media, when }: LinkedInPreviewProps) {
  const { t } = useTranslation();
  const name = displayName || handle;
  const page = handle.startsWith('linkedin.com/company/');
  const link = media.length === 0 ? attachedLink(text) : undefined;
  const card = useLinkCard((s) => (link && s.card?.url === link ? s.card : null));
  return (
    <article className="preview preview-linkedin li-post" aria-label={t('compose.preview.label', { network: t('networks.linkedin'), handle })}>
      <header className="li-head">
        <span className={`avatar net-linkedin li-avatar${page ? ' li-page' : ''}`} aria-hidden="true">
          {name.slice(0, 1).toUpperCase()}
        </span>
        <span className="li-who">
          <bdi className="preview-name">{name}</bdi>
          {page && <bdi className="li-sub">{handle}</bdi>}
          <span className="li-sub">
            {when ?? t('compose.preview.now')} •{' '}
            <svg viewBox="0 0 16 16" className="li-globe" role="img" aria-label={t('compose.preview.linkedin.anyone')}>
              <circle cx="8" cy="8" r="6.25" />
              <path d="M1.75 8h12.5M8 1.75c-3.5 3.6-3.5 8.9 0 12.5M8 1.75c3.5 3.6 3.5 8.9 0 12.5" />
            </svg>
          </span>
        </span>
      </header>
      <div className="li-text">
        <PostText text={text} fold={LINKEDIN_SEE_MORE_AT} more={t('compose.preview.linkedin.seeMore')} />
      </div>
      <LinkedInMedia media={media} />
      {link && !card?.dropped && (
        <div className="li-article">
          {card?.image && <img className="li-article-image" src={card.image} alt="" />}
          <div className="li-article-words">
            <bdi className="li-article-title" dir="auto">
              {card?.title || link}
            </bdi>
            <span className="li-sub">{card?.siteName || hostOf(link)}</span>
          </div>
        </div>
      )}
      <footer className="li-actions" aria-hidden="true">
        {ACTIONS.map((action) => (
          <span key={action.key} className="li-action">
            <svg viewBox="0 0 24 24">
              <path d={action.path} />
            </svg>
            {t(`compose.preview.linkedin.${action.key}`)}
          </span>
        ))}
      </footer>
    </article>
  );
});

function LinkedInMedia({ media }: { media: readonly PostMediaItem[] }) {
  const { t } = useTranslation();
  if (media.length === 0) return null;
  const video = media.find((item) => item.mime.startsWith('video/'));
  if (video) {
    return (
      <div className="li-media li-media-1 li-video">
        <MediaThumb item={video} fit="natural" />
        <span className="li-play" role="img" aria-label={t('compose.preview.linkedin.video')} />
      </div>
    );
  }
  // One large image over up to three small ones; past four, the last says how many more.
  const shown = media.slice(0, 4);
  const layout = Math.min(shown.length, 4);
  return (
    <div className={`li-media li-media-${layout}`} role="group" aria-label={t('compose.preview.photos', { count: media.length })}>
      {shown.map((item, i) => (
        <div key={item.mediaId} className="li-cell">
          <MediaThumb item={item} fit={shown.length === 1 ? 'natural' : 'cover'} />
          {i === 3 && media.length > 4 && <span className="li-more">+{media.length - 4}</span>}
        </div>
      ))}
    </div>
  );
}
