import { memo } from 'react';
import { useTranslation } from 'react-i18next';
import type { PostMediaItem } from '../../../../main/core/contract';
import { attachedLink } from '../../../../main/core/networks/attached-link';
import { hostOf } from './FeedPreview';
import { MediaThumb } from './MediaThumb';
import { PostText } from './Preview';
import './x-preview.css';

/** X's action row, as outlines: reply, repost, like, views. */
const ACTIONS = [
  'M4 5.5C4 4.7 4.7 4 5.5 4h13c.8 0 1.5.7 1.5 1.5v9c0 .8-.7 1.5-1.5 1.5H10l-4.5 3.5V16h0c-.8 0-1.5-.7-1.5-1.5z',
  'M7 4 3.5 7.5 7 11M3.5 7.5H16a3 3 0 0 1 3 3V12M17 20l3.5-3.5L17 13m3.5 3.5H8a3 3 0 0 1-3-3V12',
  'M12 20s-7.5-4.6-7.5-10A4.3 4.3 0 0 1 12 7.3 4.3 4.3 0 0 1 19.5 10c0 5.4-7.5 10-7.5 10z',
  'M5 20V11m5 9V4m5 16v-7m5 7V8',
] as const;

/** One post of a thread: its text and media. */
export interface XPart {
  text: string;
  media: readonly PostMediaItem[];
}

interface XPreviewProps {
  displayName: string;
  handle: string;
  /** The post, or each post of a thread in order (each replies to the one before). */
  parts: readonly XPart[];
  /** How the time reads, or null for "now". */
  when: string | null;
}

/**
 * An X post as the timeline shows it: the avatar beside the name, @handle and time, the whole text
 * (X shows all 280), media in X's frame (one at its shape, two side by side, three as one tall and
 * two stacked, four in a square; rounded and bordered), the link card under a post without media,
 * and the action row. A thread is the same posts one under the other, a line joining their avatars.
 */
export const XPreview = memo(function XPreview({ displayName, handle, parts, when }: XPreviewProps) {
  const { t } = useTranslation();
  const name = displayName || handle;
  const thread = parts.length > 1;
  return (
    <article
      className={`preview preview-x${thread ? ' x-thread' : ''}`}
      aria-label={thread ? t('compose.preview.x.thread', { network: t('networks.x'), handle, count: parts.length }) : t('compose.preview.label', { network: t('networks.x'), handle })}
    >
      {parts.map((part, i) => (
        <XPost key={i} name={name} handle={handle} part={part} when={when} joined={i < parts.length - 1} />
      ))}
    </article>
  );
});

function XPost({ name, handle, part, when, joined }: { name: string; handle: string; part: XPart; when: string | null; joined: boolean }) {
  const { t } = useTranslation();
  const link = part.media.length === 0 ? attachedLink(part.text) : undefined;
  const media = part.media.slice(0, 4);
  return (
    <div className={`x-post${joined ? ' x-joined' : ''}`}>
      <div className="x-rail">
        <span className="avatar net-x x-avatar" aria-hidden="true">
          {name.slice(0, 1).toUpperCase()}
        </span>
        {joined && <span className="x-line" aria-hidden="true" />}
      </div>
      <div className="x-body">
        <header className="x-head">
          <bdi className="preview-name">{name}</bdi>
          <bdi className="preview-handle">{handle}</bdi>
          <span className="preview-handle" aria-hidden="true">
            ·
          </span>
          <span className="preview-handle">{when ?? t('compose.preview.now')}</span>
        </header>
        <PostText text={part.text} fold={Number.POSITIVE_INFINITY} />
        {media.length > 0 && (
          <div className={`x-media x-media-${media.length}`} role="group" aria-label={t('compose.preview.photos', { count: media.length })}>
            {media.map((item) => (
              <div key={item.mediaId} className="x-cell">
                <MediaThumb item={item} fit={media.length === 1 ? 'natural' : 'cover'} />
              </div>
            ))}
          </div>
        )}
        {link && (
          <div className="x-card">
            <span className="link-card-host">{hostOf(link)}</span>
            <bdi className="link-card-url">{link}</bdi>
          </div>
        )}
        <footer className="x-actions" aria-hidden="true">
          {ACTIONS.map((path, i) => (
            <svg key={i} viewBox="0 0 24 24" className="x-action">
              <path d={path} />
            </svg>
          ))}
        </footer>
      </div>
    </div>
  );
}
