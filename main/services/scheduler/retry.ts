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
}

export const defaultRetryPolicy: RetryPolicy = {
  baseMs: 5_000,
  capMs: 15 * 60_000,
  maxAttempts: 10,
  rateLimitedMs: 60_000,
};

/** Full jitter: uniform up to the capped exponential, so the retries of many posts spread out. */
export function backoffMs(policy: RetryPolicy, attempt: number, random: () => number): number {
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.floor(random() * ceiling);
}

/** Connection failures that happen before a request can reach the server. */
const NOT_SENT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETUNREACH',
  'ENETDOWN',
  'EHOSTUNREACH',
  'EADDRNOTAVAIL',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/**
 * Whether a failed publish may still have reached the network. An error answer (any HTTP status
 * but 504), a refusal before sending, or a failed connect did not; a timeout, a reset, a 504 or
 * an unexpected throw might have, and such a post must never be sent again unchecked.
 */
export function mayHaveArrived(error: unknown): boolean {
  if (!(error instanceof ConnectorError)) return true;
  if (error.status !== undefined) return error.status === 504;
  if (error.kind === 'offline' || error.kind === 'validation' || error.kind === 'auth' || error.kind === 'rate_limited') return false;
  const code = errorCode(error.cause);
  return code === undefined || !NOT_SENT_CODES.has(code);
}

function errorCode(error: unknown, depth = 0): string | undefined {
  if (typeof error !== 'object' || error === null || depth > 5) return undefined;
  const own = (error as { code?: unknown }).code;
  if (typeof own === 'string') return own;
  return errorCode((error as { cause?: unknown }).cause, depth + 1);
}
