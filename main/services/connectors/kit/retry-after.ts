/**
 * How long a network asks us to wait, the one rule for every connector: Retry-After (seconds
 * or an HTTP date), X-RateLimit-Reset (Mastodon: an ISO instant; elsewhere epoch seconds) and
 * RateLimit-Reset (the IETF draft and Bluesky's PDS: seconds, or epoch seconds), whichever
 * ends last. Networks that say it in the body (Telegram's `retry_after`) read that themselves.
 */

const HEADERS = ['retry-after', 'x-ratelimit-reset', 'ratelimit-reset'] as const;

/** A number this large is an epoch time in seconds, not a delay (1e9 s is 2001; no delay is 31 years). */
const EPOCH_SECONDS_FROM = 1_000_000_000;

export function retryAfterMs(headers: Headers, now: number): number | undefined {
  const waits: number[] = [];
  for (const name of HEADERS) {
    const at = instantOf(headers.get(name), now);
    if (at !== undefined) waits.push(at - now);
  }
  return waits.length > 0 ? Math.max(0, ...waits) : undefined;
}

/** When a header's wait ends: a number is a delay in seconds or an epoch time, anything else a date. */
function instantOf(value: string | null, now: number): number | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  if (/^\d+(?:\.\d+)?$/.test(text)) {
    const seconds = Number(text);
    return seconds >= EPOCH_SECONDS_FROM ? seconds * 1000 : now + seconds * 1000;
  }
  const at = Date.parse(text);
  return Number.isFinite(at) ? at : undefined;
}
