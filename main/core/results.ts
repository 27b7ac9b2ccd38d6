import { metricNames, type MetricName, type PostMetrics } from './metrics';
import type { NetworkId } from './networks/ids';
import { toLocal } from './posts/time';

/**
 * What a project's published posts did over a period (issue 14 item 4), summed from each post's
 * latest reading. Pure: the store hands the rows over, the results page and the client report
 * read the summary.
 */

/** One published post on one account, with its latest numbers. */
export interface ResultRow {
  targetId: string;
  postId: string;
  network: NetworkId;
  accountHandle: string;
  text: string;
  labels: string[];
  publishedAt: number;
  url: string | null;
  /** The first image's media id, for thumbnails in the page and the report. */
  mediaId: string | null;
  metrics: PostMetrics;
}

export type MetricTotals = Partial<Record<MetricName, number>>;

export interface ResultGroup {
  key: string;
  posts: number;
  metrics: MetricTotals;
}

export interface ResultsSummary {
  posts: number;
  /** Posts that have at least one reading: the rest were published too recently or on a network that gives none. */
  measured: number;
  totals: MetricTotals;
  /** Per local day of the project's zone, every day of the period present (0 posts where none). */
  daily: Array<{ day: string; posts: number; metrics: MetricTotals }>;
  top: Array<ResultRow & { engagement: number }>;
  byNetwork: ResultGroup[];
  byLabel: ResultGroup[];
  /** Local weekday (1 = Monday) and hour when posts did best, best first; only hours with enough posts to tell. */
  bestHours: Array<{ weekday: number; hour: number; posts: number; engagementPerPost: number }>;
}

/** What counts as engagement for ranking: what people did, not what they saw. */
export function engagementOf(metrics: PostMetrics): number {
  return (metrics.likes ?? 0) + (metrics.reposts ?? 0) + (metrics.replies ?? 0) + (metrics.quotes ?? 0) + (metrics.saves ?? 0);
}

/** A best hour needs this many posts behind it, so one lucky post does not move the queue. */
export const BEST_HOUR_MIN_POSTS = 3;

function add(into: MetricTotals, metrics: PostMetrics): void {
  for (const name of metricNames) {
    const value = metrics[name];
    if (value !== undefined) into[name] = (into[name] ?? 0) + value;
  }
}

function group(rows: readonly ResultRow[], keysOf: (row: ResultRow) => readonly string[]): ResultGroup[] {
  const groups = new Map<string, ResultGroup>();
  for (const row of rows) {
    for (const key of keysOf(row)) {
      const entry = groups.get(key) ?? { key, posts: 0, metrics: {} };
      entry.posts += 1;
      add(entry.metrics, row.metrics);
      groups.set(key, entry);
    }
  }
  return [...groups.values()].sort((a, b) => b.posts - a.posts || a.key.localeCompare(b.key));
}

function daysBetween(from: string, to: string): string[] {
  const days: string[] = [];
  for (let d = new Date(`${from}T00:00:00Z`); d.toISOString().slice(0, 10) <= to; d.setUTCDate(d.getUTCDate() + 1)) days.push(d.toISOString().slice(0, 10));
  return days;
}

/** A post with no numbers yet (too new, or its network gives none) is neither measured nor top. */
function hasNumbers(metrics: PostMetrics): boolean {
  for (const name of metricNames) if (metrics[name] !== undefined) return true;
  return false;
}

/** The `count` rows with numbers that people did most with, best first (newer first on a tie): one pass, no sort of every post. */
function topRows(rows: readonly ResultRow[], count: number): Array<ResultRow & { engagement: number }> {
  const top: Array<{ row: ResultRow; engagement: number }> = [];
  // Ties end on the target's id, so the ranking never depends on the order the store handed the rows in.
  const before = (a: { row: ResultRow; engagement: number }, b: { row: ResultRow; engagement: number }) =>
    a.engagement > b.engagement ||
    (a.engagement === b.engagement && (a.row.publishedAt > b.row.publishedAt || (a.row.publishedAt === b.row.publishedAt && a.row.targetId < b.row.targetId)));
  for (const row of rows) {
    if (count === 0 || !hasNumbers(row.metrics)) continue;
    const entry = { row, engagement: engagementOf(row.metrics) };
    if (top.length === count && !before(entry, top[count - 1] as (typeof top)[number])) continue;
    let at = top.length;
    while (at > 0 && before(entry, top[at - 1] as (typeof top)[number])) at--;
    top.splice(at, 0, entry);
    if (top.length > count) top.pop();
  }
  return top.map(({ row, engagement }) => ({ ...row, engagement }));
}

const QUARTER_HOUR = 15 * 60_000;
const HOUR = 60 * 60_000;
const UTC_DAY = 24 * HOUR;

/** Where an instant falls on the project's wall clock: its local day, weekday (1 = Monday) and hour. */
interface WallTime {
  day: string;
  weekday: number;
  hour: number;
}

/**
 * toLocal for thousands of instants in one zone. A UTC day whose two ends have the same offset has
 * it throughout (no zone changes and changes back within a day); a day with a change is looked up
 * per quarter hour (no zone changes inside one). 10,000 posts in a month cost ~60 Intl look-ups,
 * and the local day's name is made once per day, not once per post.
 */
function wallClock(zone: string): (instant: number) => WallTime {
  const offsetAt = (at: number) => Date.parse(`${toLocal(at, zone)}:00Z`) - at;
  const days = new Map<number, number | null>();
  const quarters = new Map<number, number>();
  const dayNames = new Map<number, string>();
  return (instant) => {
    const utcDay = Math.floor(instant / UTC_DAY);
    let offset = days.get(utcDay);
    if (offset === undefined) {
      const start = offsetAt(utcDay * UTC_DAY);
      offset = start === offsetAt((utcDay + 1) * UTC_DAY) ? start : null;
      days.set(utcDay, offset);
    }
    if (offset === null) {
      const bucket = Math.floor(instant / QUARTER_HOUR);
      offset = quarters.get(bucket) ?? offsetAt(bucket * QUARTER_HOUR);
      quarters.set(bucket, offset);
    }
    const local = instant + offset;
    const localDay = Math.floor(local / UTC_DAY);
    let day = dayNames.get(localDay);
    if (day === undefined) dayNames.set(localDay, (day = new Date(localDay * UTC_DAY).toISOString().slice(0, 10)));
    // 1 January 1970 was a Thursday (4).
    return { day, weekday: ((((localDay + 3) % 7) + 7) % 7) + 1, hour: Math.floor((local - localDay * UTC_DAY) / HOUR) };
  };
}

/** Sums the rows of posts published in [from, to) as the project's zone sees the days. */
export function summarizeResults(rows: readonly ResultRow[], period: { from: number; to: number; zone: string }, topCount = 10): ResultsSummary {
  const inPeriod = rows.filter((row) => row.publishedAt >= period.from && row.publishedAt < period.to);
  const totals: MetricTotals = {};
  const daily = new Map(daysBetween(toLocal(period.from, period.zone).slice(0, 10), toLocal(period.to - 1, period.zone).slice(0, 10)).map((day) => [day, { day, posts: 0, metrics: {} as MetricTotals }]));
  const hours = new Map<number, { weekday: number; hour: number; posts: number; engagement: number }>();
  let measured = 0;
  const wall = wallClock(period.zone);
  for (const row of inPeriod) {
    add(totals, row.metrics);
    const local = wall(row.publishedAt);
    const day = daily.get(local.day);
    if (day) {
      day.posts += 1;
      add(day.metrics, row.metrics);
    }
    if (!hasNumbers(row.metrics)) continue;
    measured += 1;
    const { weekday, hour } = local;
    const key = weekday * 24 + hour;
    const slot = hours.get(key) ?? { weekday, hour, posts: 0, engagement: 0 };
    slot.posts += 1;
    slot.engagement += engagementOf(row.metrics);
    hours.set(key, slot);
  }
  const top = topRows(inPeriod, topCount);
  const bestHours = [...hours.values()]
    .filter((slot) => slot.posts >= BEST_HOUR_MIN_POSTS)
    .map((slot) => ({ weekday: slot.weekday, hour: slot.hour, posts: slot.posts, engagementPerPost: slot.engagement / slot.posts }))
    .sort((a, b) => b.engagementPerPost - a.engagementPerPost || b.posts - a.posts || a.weekday - b.weekday || a.hour - b.hour)
    .slice(0, 5);
  return {
    posts: inPeriod.length,
    measured,
    totals,
    daily: [...daily.values()],
    top,
    byNetwork: group(inPeriod, (row) => [row.network]),
    byLabel: group(inPeriod, (row) => row.labels),
    bestHours,
  };
}
