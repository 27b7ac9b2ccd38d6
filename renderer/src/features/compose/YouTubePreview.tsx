import { memo, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PostMediaItem } from '../../../../main/core/contract';
import { qualifiesForShorts, videoDurationLabel, youtubeTitle, type YouTubePostOptions } from '../../../../main/core/networks/youtube';
import { invoke } from '../../platform/api';
import { mediaUrl } from '../../platform/media';
import { unawaited } from '../../platform/unawaited';
import { posterFrame } from '../media/video-probe';
import { MediaThumb } from './MediaThumb';
import './youtube-preview.css';

interface YouTubePreviewProps {
  displayName: string;
  handle: string;
  /** The video's description. */
  text: string;
  media: readonly PostMediaItem[];
  when: string | null;
  options: YouTubePostOptions;
}

const POSTER_HEIGHT = 360;

/** The frame YouTube will show: the cover picked in the library (it becomes the thumbnail), else the first frame drawn in the window. */
function VideoFrame({ video }: { video: PostMediaItem }) {
  const [src, setSrc] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    const show = async () => {
      const cover = await invoke('media.videoCover', { id: video.mediaId });
      const url = cover.ok && cover.value ? mediaUrl(cover.value.media.id, 'thumb') : await posterFrame(video.mediaId, mediaUrl(video.mediaId, 'file'), POSTER_HEIGHT);
      if (live) setSrc(url);
    };
    unawaited(show(), 'YouTube preview frame');
    return () => {
      live = false;
    };
  }, [video.mediaId]);
  return src ? <img className="yt-frame" src={src} alt={video.altText || video.fileName} /> : <MediaThumb item={video} fit="frame" ratio={16 / 9} />;
}

/** How much of a description the watch page shows before "…more" (it folds after about three lines). */
const DESCRIPTION_FOLD = 160;

/**
 * A video as YouTube's watch page shows it: the 16:9 player with the video's frame and its length in
 * the corner, the title in bold, the channel with its Subscribe button, and the description box
 * with the upload time and the start of the description. No video: YouTube takes no upload without one.
 */
export const YouTubePreview = memo(function YouTubePreview({ displayName, handle, text, media, when, options }: YouTubePreviewProps) {
  const { t } = useTranslation();
  const video = media.find((item) => item.mime.startsWith('video/'));
  const title = youtubeTitle(options, text);
  const description = text.trim();
  const folded = [...description].length > DESCRIPTION_FOLD;
  const short = Boolean(options.shorts && video && qualifiesForShorts({ ...(video.width ? { width: video.width } : {}), ...(video.height ? { height: video.height } : {}), ...(video.durationMs !== null ? { durationMs: video.durationMs } : {}) }));
  const channel = displayName || handle;
  return (
    <article className="preview preview-youtube" aria-label={t('compose.preview.label', { network: t('networks.youtube'), handle })}>
      <div className="yt-player">
        {video ? <VideoFrame video={video} /> : <div className="yt-no-video">{t('compose.preview.youtube.needsVideo')}</div>}
        {video?.durationMs ? (
          <span className="yt-duration" dir="ltr">
            {videoDurationLabel(video.durationMs)}
          </span>
        ) : null}
        {short && <span className="yt-short">{t('compose.preview.youtube.short')}</span>}
      </div>
      <h4 className="yt-title" dir="auto">
        {title}
      </h4>
      <div className="yt-channel">
        <span className="avatar net-youtube yt-avatar" aria-hidden="true">
          {channel.slice(0, 1).toUpperCase()}
        </span>
        <span className="yt-channel-name" dir="auto">
          {channel}
        </span>
        <span className="yt-subscribe" aria-hidden="true">
          {t('compose.preview.youtube.subscribe')}
        </span>
      </div>
      <div className="yt-description">
        <p className="yt-meta">
          {t('compose.preview.youtube.noViews')}
          {` · ${when ?? t('compose.preview.now')}`}
        </p>
        {description && (
          <p className="yt-text" dir="auto">
            {folded ? `${[...description].slice(0, DESCRIPTION_FOLD).join('')} ` : description}
            {folded && <span className="yt-more">{t('compose.preview.youtube.more')}</span>}
          </p>
        )}
      </div>
    </article>
  );
});
