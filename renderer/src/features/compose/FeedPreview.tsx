import { memo, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { PostMediaItem } from '../../../../main/core/contract';
import { attachedLink } from '../../../../main/core/networks/attached-link';
import { okPhotoRows } from '../../../../main/core/networks/ok';
import type { PhotoRow } from '../../../../main/core/networks/photo-rows';
import { vkPhotoRows, type VkPostOptions } from '../../../../main/core/networks/vk';
import { MediaThumb } from './MediaThumb';
import { PostText } from './Preview';

interface FeedPreviewProps {
  displayName: string;
  handle: string;
  text: string;
  media: readonly PostMediaItem[];
  /** How the time reads, or null for "now". */
  when: string | null;
  /** Link previews off on the account: VK and OK attach no link. */
  linkPreview?: boolean;
}

export function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

/** A feed's album: justified rows from core/networks, each row one height, each photo its share of the width; `more` photos not shown are counted on the last. */
export function Album({ rows, media, more = 0 }: { rows: PhotoRow[]; media: readonly PostMediaItem[]; more?: number }) {
  const { t } = useTranslation();
  if (rows.length === 0) return null;
  const shown = rows.reduce((sum, row) => sum + row.items.length, 0);
  return (
    <div className="album" role="group" aria-label={t('compose.preview.photos', { count: shown })}>
      {rows.map((row, r) => (
        <div key={r} className="album-row" style={{ aspectRatio: String(row.ratio) }}>
          {row.items.map((item) => (
            // Shares of the row summing to 1: flex leaves space unfilled when the grow factors sum below 1 (one portrait photo).
            <div key={item.index} className="album-cell" style={{ flexGrow: item.ratio / row.ratio }}>
              <MediaThumb item={media[item.index] as PostMediaItem} fit="cover" />
              {more > 0 && item.index === shown - 1 && <span className="preview-more">+{more}</span>}
            </div>
          ))}
        </div>
      ))}
    </div>
  );
}

export function Icon({ path }: { path: string }) {
  return (
    <svg className="feed-icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      <path d={path} />
    </svg>
  );
}

export const icons = {
  heart: 'M12 21s-7.5-4.6-9.6-9.3C1 8.4 3 5 6.4 5c2 0 3.6 1.2 4.3 2.4h2.6C14 6.2 15.6 5 17.6 5 21 5 23 8.4 21.6 11.7 19.5 16.4 12 21 12 21z',
  comment: 'M4 5h16v11H8l-4 4V5z',
  share: 'M14 5l7 7-7 7v-4c-5 0-8 1.5-10 5 .5-5 3-10 10-11V5z',
  eye: 'M12 6c5 0 9 6 9 6s-4 6-9 6-9-6-9-6 4-6 9-6zm0 3a3 3 0 100 6 3 3 0 000-6z',
  person: 'M12 12a4 4 0 100-8 4 4 0 000 8zm-8 8c0-4 4-6 8-6s8 2 8 6H4z',
  thumb: 'M2 10h4v11H2V10zm6 11V10l5-8c1.5 0 2.5 1 2.3 2.6L14.6 9H20c1.2 0 2.1 1.1 1.9 2.3l-1.4 8A2 2 0 0118.5 21H8z',
  globe: 'M12 2a10 10 0 100 20 10 10 0 000-20zm6.9 6h-3a15.6 15.6 0 00-1.4-3.6A8 8 0 0118.9 8zM12 4c.8 1.2 1.5 2.5 1.9 4h-3.8c.4-1.5 1.1-2.8 1.9-4zM4.3 14a8.2 8.2 0 010-4h3.4a16.5 16.5 0 000 4H4.3zm.8 2h3a15.6 15.6 0 001.4 3.6A8 8 0 015.1 16zm3-8h-3a8 8 0 014.4-3.6A15.6 15.6 0 008.1 8zM12 20c-.8-1.2-1.5-2.5-1.9-4h3.8c-.4 1.5-1.1 2.8-1.9 4zm2.3-6H9.7a14.7 14.7 0 010-4h4.6a14.7 14.7 0 010 4zm.2 5.6a15.6 15.6 0 001.4-3.6h3a8 8 0 01-4.4 3.6zm1.8-5.6a16.5 16.5 0 000-4h3.4a8.2 8.2 0 010 4h-3.4z',
  bookmark: 'M6 3h12v18l-6-4-6 4V3z',
  repost: 'M7 7h10v3l4-4-4-4v3H5v6h2V7zm10 10H7v-3l-4 4 4 4v-3h12v-6h-2v4z',
  send: 'M2 21l21-9L2 3v7l15 2-15 2v7z',
  link: 'M10.6 13.4a1 1 0 010-1.4l3-3a1 1 0 111.4 1.4l-3 3a1 1 0 01-1.4 0zM8.5 17.5a3 3 0 01-4.2-4.2l3-3 1.4 1.4-3 3a1 1 0 001.4 1.4l3-3 1.4 1.4-3 3zm7-7l-1.4-1.4 3-3a1 1 0 00-1.4-1.4l-3 3-1.4-1.4 3-3a3 3 0 014.2 4.2l-3 3z',
};

export function Action({ icon, label }: { icon: keyof typeof icons; label: string }) {
  return (
    <span className="feed-action">
      <Icon path={icons[icon]} />
      <span>{label}</span>
    </span>
  );
}

// VK and OK fold a long post behind "show more" after a few lines.
const FEED_FOLD = 500;

function Head({ network, name, meta }: { network: 'vk' | 'ok'; name: string; meta: ReactNode }) {
  return (
    <header className="preview-head">
      <span className={`avatar net-${network}`} aria-hidden="true">
        {name.slice(0, 1).toUpperCase()}
      </span>
      <span className="preview-who">
        <bdi className="preview-name">{name}</bdi>
        <span className="preview-handle">{meta}</span>
      </span>
    </header>
  );
}

/**
 * A VK community wall post: the community, time and ad mark, the text, up to ten photos laid out as
 * VK does, the attached link (a card without photos, a line under them), the author's signature, the source.
 */
export const VkPreview = memo(function VkPreview({ displayName, handle, text, media, when, linkPreview, options }: FeedPreviewProps & { options: VkPostOptions }) {
  const { t } = useTranslation();
  const link = linkPreview === false ? undefined : attachedLink(text);
  const source = options.copyright?.trim();
  const name = displayName || handle;
  return (
    <article className="preview preview-vk" aria-label={t('compose.preview.label', { network: t('networks.vk'), handle })}>
      <Head
        network="vk"
        name={name}
        meta={
          <>
            {when ?? t('compose.preview.now')}
            {options.markAsAds && <span className="feed-ad"> · {t('compose.preview.vk.ad')}</span>}
          </>
        }
      />
      <PostText text={text} fold={FEED_FOLD} />
      <Album rows={vkPhotoRows(media)} media={media} />
      {link &&
        (media.length === 0 ? (
          <div className="link-card">
            <span className="link-card-host">{hostOf(link)}</span>
            <bdi className="link-card-url">{link}</bdi>
          </div>
        ) : (
          <p className="feed-line feed-link">
            <Icon path={icons.link} />
            <bdi>{hostOf(link)}</bdi>
          </p>
        ))}
      {options.signed && (
        <p className="feed-line">
          <Icon path={icons.person} />
          {t('compose.preview.vk.signed')}
        </p>
      )}
      {source && (
        <p className="feed-line">
          {t('compose.preview.vk.source')}{' '}
          <bdi className="feed-source" dir="auto">
            {/^https?:\/\//i.test(source) ? hostOf(source) : source}
          </bdi>
        </p>
      )}
      <footer className="feed-actions">
        <Action icon="heart" label="0" />
        {!options.closeComments && <Action icon="comment" label="0" />}
        <Action icon="share" label="0" />
        <span className="feed-views">
          <Action icon="eye" label="0" />
        </span>
      </footer>
    </article>
  );
});

/** An OK group topic: the group and time, the text, the photo collage, and the link block when there are no photos (what the connector sends). */
export const OkPreview = memo(function OkPreview({ displayName, handle, text, media, when, linkPreview }: FeedPreviewProps) {
  const { t } = useTranslation();
  const link = linkPreview === false || media.length > 0 ? undefined : attachedLink(text);
  return (
    <article className="preview preview-ok" aria-label={t('compose.preview.label', { network: t('networks.ok'), handle })}>
      <Head network="ok" name={displayName || handle} meta={when ?? t('compose.preview.now')} />
      <PostText text={text} fold={FEED_FOLD} />
      <Album rows={okPhotoRows(media)} media={media} />
      {link && (
        <div className="link-card">
          <span className="link-card-host">{hostOf(link)}</span>
          <bdi className="link-card-url">{link}</bdi>
        </div>
      )}
      <footer className="feed-actions">
        <Action icon="comment" label={t('compose.preview.ok.comment')} />
        <Action icon="share" label={t('compose.preview.ok.share')} />
        <Action icon="heart" label={t('compose.preview.ok.like')} />
      </footer>
    </article>
  );
});
