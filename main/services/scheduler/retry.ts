import { ConnectorError } from '../../core/connector';

export interface RetryPolicy {
  /** The first backoff's ceiling; each further attempt doubles it. */
  baseMs: number;
  /** No backoff is longer than this. */
  capMs: number;
  /** Attempts (offline and rate-limited ones not counted) before a job fails for good. */
  maxAttempts: number;
  /** The wait after a 429 that names no time. */
  rateLimitedMs: number;
  /**
   * How long after a lost attempt started before asking the network whether it went out: a request
   * cut off by a crash or a timeout may still be finishing there, and a "not there" read too early
   * would send it twice (most networks have no idempotency key to catch that).
   */
  verifySettleMs: number;
}

export const defaultRetryPolicy: RetryPolicy = {
  baseMs: 5_000,
  capMs: 15 * 60_000,
  maxAttempts: 10,
  rateLimitedMs: 60_000,
  verifySettleMs: 30_000,
};

/** Full jitter: uniform up to the capped exponential, so the retries of many posts spread out. */
export function backoffMs(policy: RetryPolicy, attempt: number, random: () => number): number {
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.floor(random() * ceiling);
}

/**
 * Whether a failed publish may still have reached the network, by the one rule in
 * core/outcome.ts: a 5xx, a reset, a timeout, an unreadable answer or an unexpected throw
 * might have, and such a post is verified or parked, never sent again unchecked.
 */
export function mayHaveArrived(error: unknown): boolean {
  if (!(error instanceof ConnectorError)) return true;
  return error.maybeSent;
}
