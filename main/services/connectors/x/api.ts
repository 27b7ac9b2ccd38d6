import { ConnectorError, type ConnectorContext } from '../../../core/connector';
import type { XReplySetting } from '../../../core/networks/x';
import { answerFailure, DEFAULT_CALL_TIMEOUT_MS, httpCall, isObject, isSuccess, secretObject, type HttpAnswer, type HttpCall } from '../kit/http';

/**
 * What the X connector and its sign-in share (shared/networks/CONTRACTS.md §9): the account's
 * secret (an OAuth 2.0 user token and its refresh token, from the user's own X app as a public
 * client: no client secret exists to keep), its settings, X's problem answers, and the token
 * refresh. X rotates refresh tokens: each refresh answers a new one and the old one is spent, so
 * the new pair is saved (ctx.saveCredentials) before any call goes on, and refreshes of one account
 * never run side by side.
 */

export const X_API_BASE_URL = 'https://api.x.com';
/** The authorization window (CONTRACTS.md §9: x.com/i/oauth2/authorize). */
export const X_AUTHORIZE_BASE_URL = 'https://x.com';
/** Refresh this long before the 2-hour access token ends, so no call starts with a dying token. */
export const X_REFRESH_BEFORE_MS = 5 * 60_000;

/** The keychain entry of one X account. */
export interface XCredentials {
  /** The app's OAuth 2.0 Client ID (public; refreshing needs it). */
  clientId: string;
  accessToken: string;
  /** Single use: replaced by the one each refresh answers. */
  refreshToken: string | null;
  /** When the access token ends (2 h after it was issued). */
  accessExpiresAt: number | null;
  /** When this pair was issued: the newest pair wins when two copies meet. */
  issuedAt: number;
  userId: string;
}

export interface XConfig {
  userId: string;
  username: string;
  /** The posts a month the user's API tier allows, as the user stated it; null: not stated. */
  monthlyCap?: number | null;
  /** Who may reply to the account's posts; unset: everyone. */
  replySettings?: XReplySetting;
}

export type XContext = ConnectorContext<XCredentials, XConfig>;
export type XEndpoint = Pick<XContext, 'baseUrl' | 'fetch' | 'now' | 'signal'>;

export function readXSecret(secret: string): XCredentials {
  const value = secretObject(secret);
  if (
    isObject(value) &&
    typeof value.clientId === 'string' &&
    typeof value.accessToken === 'string' &&
    typeof value.userId === 'string' &&
    typeof value.issuedAt === 'number' &&
    (value.refreshToken === null || typeof value.refreshToken === 'string') &&
    (value.accessExpiresAt === null || typeof value.accessExpiresAt === 'number')
  ) {
    return value as unknown as XCredentials;
  }
  throw new ConnectorError('auth', 'The saved X sign-in is unreadable; connect the account again.');
}

/** One call to X: the account's bearer token, every token scrubbed from whatever is kept of a failure. */
export function xCall(endpoint: XEndpoint, credentials: XCredentials, request: HttpCall, timeoutMs = DEFAULT_CALL_TIMEOUT_MS): Promise<HttpAnswer> {
  return httpCall(
    {
      baseUrl: endpoint.baseUrl,
      fetch: endpoint.fetch,
      name: 'X',
      timeoutMs,
      signal: endpoint.signal,
      secrets: { 'access-token': credentials.accessToken, ...(credentials.refreshToken ? { 'refresh-token': credentials.refreshToken } : {}) },
    },
    { bearer: credentials.accessToken, ...request },
  );
}

/**
 * X's words from an answer: a problem's `detail` (RFC 7807 shape), the first of `errors[].message`,
 * or the OAuth endpoint's `error_description`.
 */
export function xWords(json: unknown): string | undefined {
  if (!isObject(json)) return undefined;
  const errors = Array.isArray(json['errors']) ? json['errors'] : [];
  const first = errors.find((e): e is Record<string, unknown> => isObject(e) && typeof e['message'] === 'string');
  const detail = typeof json['detail'] === 'string' ? json['detail'] : undefined;
  if (first && detail && detail.startsWith('One or more parameters')) return `${detail} ${String(first['message'])}`;
  if (detail) return detail;
  if (first) return String(first['message']);
  if (typeof json['error_description'] === 'string') return json['error_description'];
  return typeof json['error'] === 'string' ? json['error'] : undefined;
}

/** "You are not allowed to create a Tweet with duplicate content." (CONTRACTS.md §9, 403). */
export function isDuplicateContent(answer: HttpAnswer): boolean {
  return answer.status === 403 && /duplicate content/i.test(xWords(answer.json) ?? '');
}

/**
 * X's answer as a failure: 429 waits for x-rate-limit-reset (epoch seconds); 401 needs a reconnect;
 * 403 duplicate content is a refusal (sent again it would be refused again); 5xx may have been acted on.
 */
export function xFailure(answer: HttpAnswer, now: number): ConnectorError {
  const said = xWords(answer.json);
  if (answer.status === 429) {
    const reset = Number(answer.headers.get('x-rate-limit-reset'));
    const usageCapped = isObject(answer.json) && typeof answer.json['type'] === 'string' && answer.json['type'].endsWith('/usage-capped');
    return answerFailure('rate_limited', answer, now, {
      said,
      ...(usageCapped ? { ours: 'The X app has used up its API credits or monthly cap; add credits or wait for the next month in the X developer portal.' } : {}),
    }, Number.isFinite(reset) && reset > 0 ? { retryAfterMs: Math.max(0, reset * 1000 - now) } : {});
  }
  if (answer.status === 401) return answerFailure('auth', answer, now, { said, ours: 'X no longer accepts the sign-in; reconnect the account.' });
  if (isDuplicateContent(answer)) return answerFailure('validation', answer, now, { said, ours: 'X refuses a post with the same text as a recent one; change the text.' });
  if (answer.status === 403) return answerFailure('permanent', answer, now, { said, ours: 'Check that the X app has Read and write permissions and the account may post.' });
  if (answer.status >= 500) return answerFailure('transient', answer, now, { said });
  return answerFailure('validation', answer, now, { said });
}

/** The token endpoint's answer, as the keychain keeps it. */
export function tokensOf(json: unknown, clientId: string, userId: string, now: number, previousRefresh: string | null): XCredentials {
  if (!isObject(json) || typeof json['access_token'] !== 'string') throw new ConnectorError('permanent', 'X answered the sign-in without a token.', { delivery: 'not_sent' });
  const expiresIn = typeof json['expires_in'] === 'number' && json['expires_in'] > 0 ? json['expires_in'] : null;
  return {
    clientId,
    accessToken: json['access_token'],
    refreshToken: typeof json['refresh_token'] === 'string' ? json['refresh_token'] : previousRefresh,
    accessExpiresAt: expiresIn === null ? null : now + expiresIn * 1000,
    issuedAt: now,
    userId,
  };
}

/** POST /2/oauth2/token: a form body with client_id and no secret (a public client, CONTRACTS.md §9). */
export async function tokenRequest(endpoint: XEndpoint, form: Record<string, string>, secrets: Record<string, string>): Promise<HttpAnswer> {
  return httpCall(
    { baseUrl: endpoint.baseUrl, fetch: endpoint.fetch, name: 'X', timeoutMs: DEFAULT_CALL_TIMEOUT_MS, signal: endpoint.signal, secrets },
    { path: '/2/oauth2/token', form },
  );
}

/** The newest pair of each account this process has seen, so a copy read from the keychain before a rotation is not used after it. */
const newest = new Map<string, XCredentials>();
/** One refresh per account at a time: a second would spend a refresh token the first already spent. */
const refreshing = new Map<string, Promise<XCredentials>>();

const keyOf = (c: XCredentials) => `${c.clientId}:${c.userId}`;

/** The freshest credentials known for this account: the context's, or a newer pair a refresh in this process saved. */
export function latestCredentials(credentials: XCredentials): XCredentials {
  const known = newest.get(keyOf(credentials));
  return known && known.issuedAt > credentials.issuedAt ? known : credentials;
}

/** Remembers a pair (after sign-in or a refresh) as the account's newest. */
export function rememberCredentials(credentials: XCredentials): void {
  const known = newest.get(keyOf(credentials));
  if (!known || known.issuedAt <= credentials.issuedAt) newest.set(keyOf(credentials), credentials);
}

/**
 * Credentials good for the next call: the context's, or a refreshed pair when the access token is
 * about to end (or `force`, after X answered 401). The new pair is saved before anything else.
 */
export async function freshCredentials(ctx: XContext, force = false): Promise<XCredentials> {
  const current = latestCredentials(ctx.credentials);
  const due = force || (current.accessExpiresAt !== null && current.accessExpiresAt - ctx.now() < X_REFRESH_BEFORE_MS);
  if (!due) return current;
  const key = keyOf(current);
  const running = refreshing.get(key);
  if (running) return running;
  const job = refresh(ctx, current).finally(() => refreshing.delete(key));
  refreshing.set(key, job);
  return job;
}

async function refresh(ctx: XContext, current: XCredentials): Promise<XCredentials> {
  if (!current.refreshToken) throw new ConnectorError('auth', 'The X sign-in has ended and X gave no refresh token; reconnect the account.', { delivery: 'not_sent' });
  let answer: HttpAnswer;
  try {
    answer = await tokenRequest(ctx, { grant_type: 'refresh_token', refresh_token: current.refreshToken, client_id: current.clientId }, { 'refresh-token': current.refreshToken });
  } catch (error) {
    // A refresh is a step before the call itself: whatever happened, the post was not sent.
    throw error instanceof ConnectorError ? error.notSent() : error;
  }
  if (!isSuccess(answer.status)) {
    const said = xWords(answer.json);
    if (answer.status === 400 || answer.status === 401) {
      // invalid_grant / invalid_request: the refresh token was spent or revoked (the app's access removed in X's settings).
      throw answerFailure('auth', answer, ctx.now(), { said, ours: 'X did not renew the sign-in (the refresh token was revoked or already used); reconnect the account.' }, { delivery: 'not_sent' });
    }
    throw xFailure(answer, ctx.now()).notSent();
  }
  const renewed = tokensOf(answer.json, current.clientId, current.userId, ctx.now(), current.refreshToken);
  rememberCredentials(renewed);
  await ctx.saveCredentials?.(renewed);
  ctx.credentials = renewed;
  return renewed;
}
