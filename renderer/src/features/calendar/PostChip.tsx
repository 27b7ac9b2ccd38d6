import { memo } from 'react';
import { useTranslation } from 'react-i18next';
import type { CalendarEntry } from '../../../../main/core/contract';
import { mediaUrl } from '../../platform/media';
import { networkMark } from '../../ui/NetworkMark';
import { postWords } from '../../ui/post-words';
import { timeOfDay } from './format';
import { useTimeLocale } from '../settings/time-preferences';

const words = new Map<string, string>();

interface PostChipProps {
  entry: CalendarEntry;
  /** Wall minutes in the view's zone; null for a draft with no time. */
  minutes: number | null;
  colour: string;
  /** Roving focus: only the focused day's posts are in the tab order. */
  tabbable: boolean;
  selected: boolean;
  style?: React.CSSProperties;
  variant?: 'chip' | 'block' | 'row';
}

/**
 * One post on the calendar: a plain button (no per-post hooks beyond the translation), dragged by
 * the page's delegated handlers through data-post-id, so a month of posts stays cheap to draw.
 */
export const PostChip = memo(function PostChip({ entry, minutes, colour, tabbable, selected, style, variant = 'chip' }: PostChipProps) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const timeLang = useTimeLocale();
  // Fixed words (status, network names) are looked up once per language, not once per post.
  const word = (key: string) => {
    const cacheKey = `${lang}|${key}`;
    let text = words.get(cacheKey);
    if (text === undefined) {
      text = t(key);
      words.set(cacheKey, text);
    }
    return text;
  };
  const time = minutes === null ? word('calendar.noTime') : timeOfDay(minutes, timeLang);
  const networks = entry.networks.map((n) => word(`networks.${n}`)).join(', ');
  const described = t('calendar.postLabel', {
    time,
    networks: networks || word('calendar.noAccounts'),
    text: entry.excerpt.trim() || word('calendar.emptyText'),
    status: word(`calendar.status.${entry.status}`),
    approval: word(`calendar.approval.${entry.approval}`),
  });
  const label = entry.accountMissing ? `${described}; ${word('calendar.accountMissing')}` : described;
  const movable = entry.status === 'draft' || entry.status === 'scheduled' || entry.status === 'failed';
  return (
    <button
      type="button"
      className={`post-${variant} status-${entry.status} approval-${entry.approval}`}
      data-post-id={entry.id}
      draggable={movable}
      tabIndex={tabbable ? 0 : -1}
      aria-label={label}
      aria-pressed={selected}
      style={{ ...style, '--c': colour } as React.CSSProperties}
    >
      {/* dir="auto": a post's own text keeps its direction (and its ellipsis at its end) in either UI direction. */}
      <span className="post-time" aria-hidden="true" dir="auto">
        {time}
      </span>
      {entry.networks.length > 0 && (
        <span className="post-networks" aria-hidden="true">
          {entry.networks.map((n) => networkMark(n, word(`networks.${n}`)))}
        </span>
      )}
      <span className="post-line">
        {/* A word, not only a style: a draft reads as one in either theme and to a colour-blind eye. */}
        {/* A post still missing its account says that instead: the narrow month cell has room for one word. */}
        {entry.status === 'draft' && !entry.accountMissing && (
          <span className="post-draft" aria-hidden="true">
            {word('calendar.status.draft')}
          </span>
        )}
        {/* Drafted for a network whose account is not connected yet: it cannot go out until one takes it. */}
        {entry.accountMissing && (
          <span className="post-missing" aria-hidden="true">
            {word('calendar.accountMissing')}
          </span>
        )}
        <span className="post-text" aria-hidden="true" dir="auto">
          {entry.excerpt.trim() ? postWords(entry.excerpt.trim()) : word('calendar.emptyText')}
        </span>
      </span>
      {entry.approval !== 'draft' && <span className="post-approval" aria-hidden="true" />}
      {entry.repeats && (
        <span className="post-repeat" aria-hidden="true">
          ↻
        </span>
      )}
      {entry.thumbnailId && <img className="post-thumb" src={mediaUrl(entry.thumbnailId, 'thumb')} alt="" loading="lazy" decoding="async" draggable={false} />}
    </button>
  );
});
