/**
 * The plan as an iCalendar feed (RFC 5545) a client can subscribe to: one event per post, at its
 * instant in UTC (every calendar app shows it in its own zone), with a UID that never changes so a
 * refreshed feed updates events instead of duplicating them, and refresh hints for subscriptions.
 */

export interface IcsPost {
  id: string;
  scheduledAt: number;
  body: string;
  /** Network names of the targets, e.g. ["Mastodon", "Telegram"]. */
  networks: readonly string[];
  labels: readonly string[];
  status: string;
  approval: string;
  revision: number;
  updatedAt: number;
  projectName: string;
}

export interface IcsFeed {
  name: string;
  /** The project's zone, as a display hint (X-WR-TIMEZONE); times themselves are UTC. */
  timezone: string;
  now: number;
  posts: readonly IcsPost[];
  /** Length of each event, in minutes. */
  durationMinutes?: number;
}

const encoder = new TextEncoder();

function utc(instant: number): string {
  return new Date(instant).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

/** TEXT escaping (RFC 5545 §3.3.11). */
export function escapeText(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r\n|\r|\n/g, '\\n');
}

/** Folds a content line at 75 octets, never inside a UTF-8 character (RFC 5545 §3.1). */
export function foldLine(line: string): string {
  if (encoder.encode(line).length <= 75) return line;
  const parts: string[] = [];
  let current = '';
  let currentBytes = 0;
  let limit = 75;
  for (const char of line) {
    const bytes = encoder.encode(char).length;
    if (currentBytes + bytes > limit) {
      parts.push(current);
      current = '';
      currentBytes = 0;
      // Continuation lines begin with a space, which counts toward their 75 octets.
      limit = 74;
    }
    current += char;
    currentBytes += bytes;
  }
  parts.push(current);
  return parts.join('\r\n ');
}

function summaryOf(post: IcsPost): string {
  const firstLine = post.body.split(/\r?\n/).find((line) => line.trim() !== '') ?? '';
  const excerpt = [...firstLine.trim()].slice(0, 80).join('');
  const prefix = post.networks.length ? `[${post.networks.join(', ')}] ` : '';
  return `${prefix}${excerpt || '—'}`;
}

export function buildIcs(feed: IcsFeed): string {
  const minutes = feed.durationMinutes ?? 15;
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Outpost//Content plan//EN',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    `X-WR-CALNAME:${escapeText(feed.name)}`,
    `X-WR-TIMEZONE:${feed.timezone}`,
    // Subscribed clients re-read the feed hourly (Apple/Google use X-PUBLISHED-TTL, RFC 7986 REFRESH-INTERVAL).
    'REFRESH-INTERVAL;VALUE=DURATION:PT1H',
    'X-PUBLISHED-TTL:PT1H',
  ];
  for (const post of feed.posts) {
    lines.push(
      'BEGIN:VEVENT',
      `UID:${post.id}@outpost.app`,
      `DTSTAMP:${utc(feed.now)}`,
      `LAST-MODIFIED:${utc(post.updatedAt)}`,
      `SEQUENCE:${Math.max(0, post.revision - 1)}`,
      `DTSTART:${utc(post.scheduledAt)}`,
      `DTEND:${utc(post.scheduledAt + minutes * 60_000)}`,
      `SUMMARY:${escapeText(summaryOf(post))}`,
      `DESCRIPTION:${escapeText(post.body)}`,
      `STATUS:${post.status === 'draft' ? 'TENTATIVE' : 'CONFIRMED'}`,
      'TRANSP:TRANSPARENT',
      `X-OUTPOST-STATUS:${post.status}`,
      `X-OUTPOST-APPROVAL:${post.approval}`,
    );
    if (post.labels.length) lines.push(`CATEGORIES:${post.labels.map(escapeText).join(',')}`);
    lines.push('END:VEVENT');
  }
  lines.push('END:VCALENDAR');
  return lines.map(foldLine).join('\r\n') + '\r\n';
}
