import type { NetworkId } from './networks/ids';

/**
 * A published post's public numbers (issue 14: results after publishing). Each network gives some
 * of them; a number the network does not give stays absent, never 0, so a chart can tell "none"
 * from "not counted there".
 */

export const metricNames = ['likes', 'reposts', 'replies', 'quotes', 'views', 'saves'] as const;
export type MetricName = (typeof metricNames)[number];
export type PostMetrics = Partial<Record<MetricName, number>>;

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Hourly while a post is a day old, daily until it is a month old, then its numbers are final enough. */
export const METRICS_HOURLY_UNTIL_MS = DAY;
export const METRICS_DAILY_UNTIL_MS = 30 * DAY;

/** When a post published at `publishedAt` is first asked for its numbers: an hour in, when there is something to count. */
export function firstMetricsAt(publishedAt: number): number {
  return publishedAt + HOUR;
}

/** After a reading at `readAt`, when to read again; null when the post is old enough to stop. */
export function nextMetricsAt(publishedAt: number, readAt: number): number | null {
  const age = readAt - publishedAt;
  const next = readAt + (age < METRICS_HOURLY_UNTIL_MS ? HOUR : DAY);
  return next - publishedAt <= METRICS_DAILY_UNTIL_MS ? next : null;
}

/** After `failures` failed readings in a row: wait longer each time (1 h, 2 h, 4 h … a day), and give up after a week of failures. */
export function metricsRetryAt(failedAt: number, failures: number): number | null {
  if (failures >= 10) return null;
  return failedAt + Math.min(DAY, HOUR * 2 ** Math.max(0, failures - 1));
}

/**
 * The least time between two readings from one account, well inside each network's read limits, so
 * a month of posts never spends what publishing needs: Mastodon 300 calls / 5 min per account
 * (docs.joinmastodon.org/api/rate-limits), VK 3 calls/s per token (dev.vk.com/ru/api/api-requests),
 * Bluesky 3,000 / 5 min per IP (docs.bsky.app/docs/advanced-guides/rate-limits), Graph's
 * 200 × users per hour (developers.facebook.com/docs/graph-api/overview/rate-limiting).
 */
export const metricsSpacingMs: Partial<Record<NetworkId, number>> = {
  mastodon: 2_000,
  vk: 1_000,
  bluesky: 1_000,
  facebook: 5_000,
  instagram: 5_000,
  threads: 5_000,
  // X's lowest paid tier allows a post lookup about 15 times in 15 minutes per user: one a minute stays inside it.
  x: 60_000,
  // LinkedIn's per-member daily quotas are not published (CONTRACTS.md §8) and a 429 lasts until midnight UTC: one reading a minute keeps publishing clear of them.
  linkedin: 60_000,
};
export const DEFAULT_METRICS_SPACING_MS = 5_000;

/** Reads the numbers a network gave, keeping only whole non-negative counts. */
export function cleanMetrics(raw: Partial<Record<MetricName, unknown>>): PostMetrics {
  const clean: PostMetrics = {};
  for (const name of metricNames) {
    const value = raw[name];
    if (typeof value === 'number' && Number.isInteger(value) && value >= 0) clean[name] = value;
  }
  return clean;
}
