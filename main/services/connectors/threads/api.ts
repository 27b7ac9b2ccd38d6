import { ConnectorError, type ConnectorContext } from '../../../core/connector';
import type { ThreadsReplyControl } from '../../../core/networks/threads';
import { isObject, secretObject } from '../kit/http';
import { GraphApiError, graphCall, type GraphHttp } from '../meta/graph';

/**
 * What the Threads connector and its sign-in share (shared/networks/CONTRACTS.md §10): the
 * account's secret (a long-lived Threads user token from the user's own Threads app, in the
 * keychain), its settings (SQLite), the Graph call on graph.threads.net with Threads' own version,
 * and the token refresh. Threads answers Graph's error shape, so meta/graph.ts maps its errors.
 */

export const THREADS_API_BASE_URL = 'https://graph.threads.net';
/** Every Threads API path carries v1.0 (developers.facebook.com/documentation/threads/reference/publishing); the token endpoints carry none. */
export const THREADS_API_VERSION = 'v1.0';
/** Refresh when fewer than this remain of the 60 days (Outpost's choice: a week of launches gets to try). */
export const THREADS_REFRESH_BEFORE_MS = 7 * 24 * 60 * 60_000;
/** "can be refreshed as long as they are at least 24 hours old" (developers.facebook.com/docs/threads/get-started/long-lived-tokens). */
export const THREADS_REFRESH_MIN_AGE_MS = 24 * 60 * 60_000;

/** The keychain entry of one Threads account. The app secret is not kept: refreshing needs only the token, and reconnecting asks for it again. */
export interface ThreadsCredentials {
  appId: string;
  /** Long-lived (60 days), refreshed before it ends. */
  accessToken: string;
  /** When the token ends; null when Threads named no end. */
  expiresAt: number | null;
  /** When this token was issued (a refresh needs it 24 h old). */
  issuedAt: number;
  userId: string;
}

export interface ThreadsConfig {
  userId: string;
  username: string;
  /** The account's default for who may reply; unset: Threads' own (everyone). */
  replyControl?: ThreadsReplyControl;
}

/** The connector's context; its relay puts media where Threads can fetch it (none: media posts are refused). */
export type ThreadsContext = ConnectorContext<ThreadsCredentials, ThreadsConfig>;

export interface ThreadsEndpoint {
  baseUrl: string;
  fetch: typeof fetch;
  now(): number;
  signal?: AbortSignal | undefined;
}

export function threadsHttp(endpoint: ThreadsEndpoint, token: string, version: string = THREADS_API_VERSION): GraphHttp {
  return { baseUrl: endpoint.baseUrl, fetch: endpoint.fetch, now: endpoint.now, signal: endpoint.signal, token, name: 'Threads', version };
}

export function readThreadsSecret(secret: string): ThreadsCredentials {
  const value = secretObject(secret);
  if (
    isObject(value) &&
    typeof value.appId === 'string' &&
    typeof value.accessToken === 'string' &&
    typeof value.userId === 'string' &&
    typeof value.issuedAt === 'number' &&
    (value.expiresAt === null || typeof value.expiresAt === 'number')
  ) {
    return value as unknown as ThreadsCredentials;
  }
  throw new ConnectorError('auth', 'The saved Threads sign-in is unreadable; connect the account again.');
}

export interface TokenAnswer {
  accessToken: string;
  expiresAt: number | null;
}

export function tokenOf(answer: { access_token?: unknown; expires_in?: unknown }, now: number): TokenAnswer {
  if (typeof answer.access_token !== 'string') throw new ConnectorError('permanent', 'Threads answered the sign-in without a token.');
  const expiresIn = answer.expires_in;
  return { accessToken: answer.access_token, expiresAt: typeof expiresIn === 'number' && expiresIn > 0 ? now + expiresIn * 1000 : null };
}

/** GET /refresh_access_token?grant_type=th_refresh_token: another 60 days, no secret needed (long-lived-tokens guide). */
export async function refreshThreadsToken(endpoint: ThreadsEndpoint, token: string): Promise<TokenAnswer> {
  const answer = await graphCall<{ access_token?: string; expires_in?: number }>(threadsHttp(endpoint, token, ''), {
    method: 'GET',
    path: '/refresh_access_token',
    params: { grant_type: 'th_refresh_token' },
  });
  return tokenOf(answer, endpoint.now());
}

/**
 * The account's credentials, refreshed first when fewer than 7 days remain and the token is a day
 * old, and saved through ctx.saveCredentials before anything else runs. A refresh that fails for
 * any reason but auth leaves the old token, which still works, for next time.
 */
export async function freshCredentials(ctx: ThreadsContext): Promise<ThreadsCredentials> {
  const current = ctx.credentials;
  const now = ctx.now();
  if (current.expiresAt !== null && current.expiresAt <= now) {
    throw new ConnectorError('auth', 'The Threads sign-in has expired (60 days without a refresh); connect the account again.', { delivery: 'not_sent' });
  }
  const due = current.expiresAt !== null && current.expiresAt - now < THREADS_REFRESH_BEFORE_MS && now - current.issuedAt >= THREADS_REFRESH_MIN_AGE_MS;
  if (!due) return current;
  let renewed: TokenAnswer;
  try {
    renewed = await refreshThreadsToken(ctx, current.accessToken);
  } catch (error) {
    if (error instanceof ConnectorError && error.kind === 'auth') throw error.notSent();
    if (error instanceof GraphApiError || error instanceof ConnectorError) return current;
    throw error;
  }
  const next: ThreadsCredentials = { ...current, accessToken: renewed.accessToken, expiresAt: renewed.expiresAt, issuedAt: now };
  await ctx.saveCredentials?.(next);
  // The rest of this job's calls use the new token too; the old one may stop working once refreshed.
  ctx.credentials = next;
  return next;
}
