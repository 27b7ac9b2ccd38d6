import { memo } from 'react';
import { useTranslation } from 'react-i18next';
import type { PostMediaItem } from '../../../../main/core/contract';
import { attachedLink } from '../../../../main/core/networks/attached-link';
import { photoRows } from '../../../../main/core/networks/photo-rows';
import type { ThreadsPostOptions } from '../../../../main/core/networks/threads';
import { Action, Album, hostOf, Icon, icons } from './FeedPreview';
import { MediaThumb } from './MediaThumb';
import { PostText } from './Preview';

interface MetaPreviewProps {
  displayName: string;
  handle: string;
  text: string;
  media: readonly PostMediaItem[];
  /** How the time reads, or null for "now". */
  when: string | null;
}

const isVideo = (item: PostMediaItem | undefined) => item?.mime.startsWith('video/') ?? false;
/** Instagram and Threads show the username without its "@". */
const username = (handle: string) => handle.replace(/^@/, '');

// Facebook folds a long post behind "See more" after about five lines, and sooner above photos.
const FACEBOOK_FOLD = 480;
const FACEBOOK_FOLD_MEDIA = 250;
// Instagram shows about two lines of caption under the photo before "… more".
const INSTAGRAM_FOLD = 125;

// A Page post lays out up to five photos: one, two side by side, a big one above two or three, two above three.
const facebookRowSizes: Readonly<Record<number, readonly number[]>> = { 1: [1], 2: [2], 3: [1, 2], 4: [1, 3], 5: [2, 3] };

/**
 * A Facebook Page's feed post: the Page, time and audience, the text with "See more", then a photo
 * grid (the fifth cell counting what is left over) or the card of the link Facebook attaches when
 * there are no photos (what the connector sends), and the Like · Comment · Share row.
 */
export const FacebookPreview = memo(function FacebookPreview({ displayName, handle, text, media, when }: MetaPreviewProps) {
  const { t } = useTranslation();
  const link = media.length === 0 ? attachedLink(text) : undefined;
  const shown = media.slice(0, 5);
  return (
    <article className="preview preview-facebook" aria-label={t('compose.preview.label', { network: t('networks.facebook'), handle })}>
      <header className="preview-head">
        <span className="avatar net-facebook" aria-hidden="true">
          {(displayName || handle).slice(0, 1).toUpperCase()}
        </span>
        <span className="preview-who">
          <bdi className="preview-name">{displayName || handle}</bdi>
          <span className="preview-handle">
            {when ?? t('compose.preview.now')} · <Icon path={icons.globe} />
          </span>
        </span>
      </header>
      <PostText text={text} fold={media.length > 0 ? FACEBOOK_FOLD_MEDIA : FACEBOOK_FOLD} more={t('compose.preview.facebook.seeMore')} />
      {media.length === 1 && isVideo(media[0]) ? (
        <div className="fb-media">
          <MediaThumb item={media[0] as PostMediaItem} fit="natural" />
        </div>
      ) : (
        <Album rows={photoRows(shown, facebookRowSizes)} media={shown} more={media.length - shown.length} />
      )}
      {link && (
        <div className="link-card fb-link-card">
          <span className="link-card-host">{hostOf(link)}</span>
          <bdi className="link-card-url">{link}</bdi>
        </div>
      )}
      <footer className="feed-actions fb-actions">
        <Action icon="thumb" label={t('compose.preview.facebook.like')} />
        <Action icon="comment" label={t('compose.preview.facebook.comment')} />
        <Action icon="share" label={t('compose.preview.facebook.share')} />
      </footer>
    </article>
  );
});

/** The frame Instagram shows a post in: the first image's shape within 4:5 and 1.91:1 (a carousel is cropped to it), 4:5 for a reel. */
export function instagramFrame(media: readonly PostMediaItem[]): number {
  const first = media[0];
  if (!first || isVideo(first) || !first.width || !first.height) return 4 / 5;
  return Math.min(1.91, Math.max(4 / 5, first.width / first.height));
}

/**
 * An Instagram post: the username with its ring, the first image cropped to the frame Instagram
 * will use (square, 4:5 portrait, up to 1.91:1), the carousel's dots and counter, the actions, then
 * the caption under it with the username in bold and "… more".
 */
export const InstagramPreview = memo(function InstagramPreview({ handle, text, media, when }: MetaPreviewProps) {
  const { t } = useTranslation();
  const name = username(handle);
  const frame = instagramFrame(media);
  const first = media[0];
  return (
    <article className="preview preview-instagram" aria-label={t('compose.preview.label', { network: t('networks.instagram'), handle })}>
      <header className="preview-head">
        <span className="avatar net-instagram" aria-hidden="true">
          {name.slice(0, 1).toUpperCase()}
        </span>
        <bdi className="preview-name">{name}</bdi>
      </header>
      {first && (
        <div className="ig-media">
          <MediaThumb item={first} fit="frame" ratio={frame} />
          {media.length > 1 && (
            <span className="ig-counter" aria-hidden="true">
              1/{media.length}
            </span>
          )}
          {media.length === 1 && isVideo(first) && <span className="ig-counter">{t('compose.preview.instagram.reel')}</span>}
        </div>
      )}
      <div className="ig-actions">
        <Icon path={icons.heart} />
        <Icon path={icons.comment} />
        <Icon path={icons.send} />
        {media.length > 1 && (
          <p className="preview-carousel-dots" aria-label={t('compose.preview.carousel', { count: media.length })}>
            {media.map((m, i) => (
              <span key={m.mediaId} className={i === 0 ? 'dot active' : 'dot'} aria-hidden="true" />
            ))}
          </p>
        )}
        <span className="ig-save">
          <Icon path={icons.bookmark} />
        </span>
      </div>
      <PostText
        text={text}
        fold={INSTAGRAM_FOLD}
        more={t('compose.preview.instagram.more')}
        lead={
          <>
            <bdi className="ig-username">{name}</bdi>{' '}
          </>
        }
      />
      <footer className="preview-foot">{when ?? t('compose.preview.now')}</footer>
    </article>
  );
});

/**
 * A Threads post: the avatar in its column beside the username, the topic and the time; the text;
 * one image at its shape or a row of them (the carousel); the link card Threads adds to a post
 * without media (the chosen link, else the first in the text, as the connector sends it); the actions.
 */
export const ThreadsPreview = memo(function ThreadsPreview({ handle, text, media, when, options, linkPreview }: MetaPreviewProps & { options: ThreadsPostOptions; linkPreview?: boolean }) {
  const { t } = useTranslation();
  const name = username(handle);
  const topic = options.topicTag?.replace(/^#/, '').trim();
  const link = media.length === 0 ? (options.linkAttachment ?? (linkPreview === false ? undefined : attachedLink(text))) : undefined;
  return (
    <article className="preview preview-threads" aria-label={t('compose.preview.label', { network: t('networks.threads'), handle })}>
      <span className="avatar net-threads threads-avatar" aria-hidden="true">
        {name.slice(0, 1).toUpperCase()}
      </span>
      <div className="threads-body">
        <header className="threads-head">
          <bdi className="preview-name">{name}</bdi>
          {topic && (
            <span className="threads-topic" aria-label={`${t('compose.preview.threads.topic')}: ${topic}`}>
              <span aria-hidden="true">›</span> <bdi>{topic}</bdi>
            </span>
          )}
          <span className="preview-handle">{when ?? t('compose.preview.now')}</span>
        </header>
        <PostText text={text} fold={Number.POSITIVE_INFINITY} />
        {media.length === 1 && (
          <div className="threads-single">
            <MediaThumb item={media[0] as PostMediaItem} fit="natural" />
          </div>
        )}
        {media.length > 1 && (
          <div className="threads-row" role="group" aria-label={t('compose.preview.carousel', { count: media.length })}>
            {media.map((item) => (
              <div key={item.mediaId} className="threads-cell" style={{ aspectRatio: item.width && item.height ? `${item.width} / ${item.height}` : '1 / 1' }}>
                <MediaThumb item={item} fit="cover" />
              </div>
            ))}
          </div>
        )}
        {link && (
          <div className="link-card">
            <span className="link-card-host">{hostOf(link)}</span>
            <bdi className="link-card-url">{link}</bdi>
          </div>
        )}
        <footer className="threads-actions">
          <Icon path={icons.heart} />
          <Icon path={icons.comment} />
          <Icon path={icons.repost} />
          <Icon path={icons.send} />
        </footer>
      </div>
    </article>
  );
});
