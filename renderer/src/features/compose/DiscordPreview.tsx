import { memo } from 'react';
import { useTranslation } from 'react-i18next';
import type { PostMediaItem } from '../../../../main/core/contract';
import { attachedLink } from '../../../../main/core/networks/attached-link';
import { hostOf } from './FeedPreview';
import { MediaThumb } from './MediaThumb';
import { PostText } from './Preview';

interface DiscordPreviewProps {
  displayName: string;
  handle: string;
  text: string;
  media: readonly PostMediaItem[];
  /** How the time reads, or null for "now". */
  when: string | null;
}

/**
 * A Discord channel message from a webhook: the avatar, the name it posts under with Discord's
 * "APP" tag and the time, the text, the files in Discord's mosaic (one large, else a grid of
 * two or three across), and the embed Discord unfurls for the first link when there are no files.
 */
export const DiscordPreview = memo(function DiscordPreview({ displayName, handle, text, media, when }: DiscordPreviewProps) {
  const { t } = useTranslation();
  const name = displayName || handle;
  const link = media.length === 0 ? attachedLink(text) : undefined;
  const across = media.length === 1 ? 1 : media.length === 2 || media.length === 4 ? 2 : 3;
  return (
    <article className="preview preview-discord" aria-label={t('compose.preview.label', { network: t('networks.discord'), handle })}>
      <span className="avatar net-discord discord-avatar" aria-hidden="true">
        {name.slice(0, 1).toUpperCase()}
      </span>
      <div className="discord-body">
        <header className="discord-head">
          <bdi className="preview-name">{name}</bdi>
          <span className="discord-app">{t('compose.preview.discord.app')}</span>
          <span className="preview-handle">{when ?? t('compose.preview.now')}</span>
        </header>
        <PostText text={text} fold={Number.POSITIVE_INFINITY} />
        {media.length > 0 && (
          <div className="discord-files" style={{ gridTemplateColumns: `repeat(${across}, 1fr)` }} role="group" aria-label={t('compose.preview.photos', { count: media.length })}>
            {media.slice(0, 10).map((item) => (
              <div key={item.mediaId} className="discord-file">
                <MediaThumb item={item} fit={media.length === 1 ? 'natural' : 'cover'} />
              </div>
            ))}
          </div>
        )}
        {link && (
          <div className="discord-embed">
            <span className="link-card-host">{hostOf(link)}</span>
            <bdi className="link-card-url">{link}</bdi>
          </div>
        )}
      </div>
    </article>
  );
});
