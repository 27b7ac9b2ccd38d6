import { ConnectorError, type ConnectorContext } from '../../../core/connector';
import { deliveryOfStatus } from '../../../core/outcome';
import { answerFailure, DEFAULT_CALL_TIMEOUT_MS, httpCall, isObject, isSuccess, secretObject, type HttpAnswer, type HttpCall, type HttpTarget } from '../kit/http';
import { trimBaseUrl } from '../kit/urls';

/**
 * What the LinkedIn connector and its sign-in share (CONTRACTS.md §8; learn.microsoft.com
 * …/community-management/shares/posts-api, …/shared/authentication/authorization-code-flow,
 * …/programmatic-refresh-tokens): the account's secret and settings, versioned /rest calls, the
 * token endpoint (the user's own app: client id and secret), and LinkedIn's error bodies
 * ({status, serviceErrorCode, code?, message}) as failure kinds.
 */

export const LINKEDIN_API_BASE_URL = 'https://api.linkedin.com';
/** The authorization page and the token endpoint live on www, not on the API host. */
export const LINKEDIN_OAUTH_BASE_URL = 'https://www.linkedin.com';

/**
 * The one place the API version is pinned (YYYYMM). LinkedIn supports each monthly version for a
 * year and refuses calls without one; moving it is a deliberate change, tested against the fake.
 */
export const LINKEDIN_VERSION = '202605';
/** Every /rest call speaks Rest.li 2.0 (urns in paths and finders are encoded as it says). */
export const RESTLI_PROTOCOL_VERSION = '2.0.0';

/** The keychain entry of one LinkedIn sign-in (the member's, shared by the pages picked with it). */
export interface LinkedInCredentials {
  clientId: string;
  /** The app's Primary Client Secret: the token endpoint needs it. Never leaves the keychain. */
  clientSecret: string;
  accessToken: string;
  /** 60 days after issue for every app. */
  accessExpiresAt: number;
  /** Only apps LinkedIn approved for programmatic refresh get one (365 days, not sliding). */
  refreshToken: string | null;
  refreshExpiresAt: number | null;
  /** The member who signed in (OpenID `sub`): the person urn's id. */
  memberId: string;
}

/** Non-secret settings of one LinkedIn account: who posts. */
export interface LinkedInConfig {
  /** urn:li:person:{id} or urn:li:organization:{id}. */
  author: string;
  /** The member or page name, for the preview and the log. */
  name: string;
  /** A page's public address part (linkedin.com/company/{vanityName}). */
  vanityName?: string;
}

export type LinkedInContext = ConnectorContext<LinkedInCredentials, LinkedInConfig>;
export type LinkedInSession = Pick<LinkedInContext, 'baseUrl' | 'fetch' | 'now' | 'signal' | 'credentials' | 'saveCredentials'>;
type Endpoint = Pick<LinkedInContext, 'baseUrl' | 'fetch' | 'signal' | 'now'>;

/** Renew this long before the access token ends, where a refresh token exists. */
const REFRESH_AHEAD_MS = 5 * 60_000;

/** The OAuth host for an API base: www.linkedin.com, or the same loopback fake in tests. */
export function linkedInOAuthBase(apiBaseUrl: string): string {
  const base = trimBaseUrl(apiBaseUrl || LINKEDIN_API_BASE_URL);
  return base === LINKEDIN_API_BASE_URL ? LINKEDIN_OAUTH_BASE_URL : base;
}

/** A Rest.li 2.0 key in a path or finder: the urn percent-encoded whole (its colons too). */
export function restliKey(urn: string): string {
  return encodeURIComponent(urn);
}

function target(endpoint: Endpoint, credentials: Partial<LinkedInCredentials>, timeoutMs: number, baseUrl?: string): HttpTarget {
  const secrets: Record<string, string> = {};
  if (credentials.accessToken) secrets['access-token'] = credentials.accessToken;
  if (credentials.refreshToken) secrets['refresh-token'] = credentials.refreshToken;
  if (credentials.clientSecret) secrets['client-secret'] = credentials.clientSecret;
  return { baseUrl: baseUrl ?? (endpoint.baseUrl || LINKEDIN_API_BASE_URL), fetch: endpoint.fetch, name: 'LinkedIn', timeoutMs, signal: endpoint.signal, secrets };
}

/** The headers every versioned call carries. */
export function linkedInHeaders(): Record<string, string> {
  return { 'linkedin-version': LINKEDIN_VERSION, 'x-restli-protocol-version': RESTLI_PROTOCOL_VERSION };
}

/**
 * One call with the member's token and the pinned version. With a refresh token, a token about to
 * end is renewed first, and a 401 (LinkedIn did nothing) renews it once and repeats the call.
 */
export async function linkedInCall(ctx: LinkedInSession, call: HttpCall, timeoutMs = DEFAULT_CALL_TIMEOUT_MS): Promise<HttpAnswer> {
  await refreshIfDue(ctx, timeoutMs);
  const send = () => httpCall(target(ctx, ctx.credentials, timeoutMs), { ...call, headers: { ...linkedInHeaders(), ...call.headers }, bearer: ctx.credentials.accessToken });
  const answer = await send();
  if (answer.status !== 401 || !ctx.credentials.refreshToken) return answer;
  await refreshAccessToken(ctx, timeoutMs);
  return send();
}

/** An upload to an address LinkedIn handed out (its own upload host); `bearer` where its docs send one. */
export function linkedInUpload(ctx: LinkedInSession, url: string, bytes: Uint8Array, type: string, timeoutMs: number, bearer: boolean): Promise<HttpAnswer> {
  return httpCall(target(ctx, ctx.credentials, timeoutMs, url), { method: 'PUT', path: '', bytes: { data: bytes, type }, ...(bearer ? { bearer: ctx.credentials.accessToken } : {}) });
}

/** LinkedIn's words from an error body ({message}, or OAuth's {error, error_description}). */
export function linkedInWords(answer: Pick<HttpAnswer, 'json'>): string | undefined {
  const body = answer.json;
  if (!isObject(body)) return undefined;
  if (typeof body['message'] === 'string' && body['message'] !== '') return body['message'];
  if (typeof body['error_description'] === 'string' && body['error_description'] !== '') return body['error_description'];
  return typeof body['error'] === 'string' && body['error'] !== '' ? body['error'] : undefined;
}

/** 422 "Content is a duplicate of urn:li:share:…" [obs]: the same text posted again too soon. */
export function isDuplicatePost(answer: HttpAnswer): boolean {
  return answer.status === 422 && /duplicate/i.test(linkedInWords(answer) ?? '');
}

/** Daily quotas reset at midnight UTC (CONTRACTS.md §8): the wait when a 429 names none. */
export function untilMidnightUtc(now: number): number {
  const next = new Date(now);
  next.setUTCHours(24, 0, 0, 0);
  return next.getTime() - now;
}

/**
 * LinkedIn's answer as a failure: 401 → reconnect (65600 invalid, 65601 revoked); 429 → wait
 * (Retry-After when sent, else the daily reset); 422 duplicate → refused in LinkedIn's words; 403 →
 * a missing permission or page role; 5xx → may have been acted on; other 4xx → refused.
 */
export function linkedInFailure(answer: HttpAnswer, now: number): ConnectorError {
  const said = linkedInWords(answer);
  if (answer.status === 401) return answerFailure('auth', answer, now, { said, ours: 'LinkedIn no longer accepts the sign-in (it ends after 60 days, or was revoked); reconnect the account.' });
  if (answer.status === 429) {
    const named = answer.headers.get('retry-after') !== null;
    return answerFailure('rate_limited', answer, now, { said, ours: 'LinkedIn\'s daily limit for the app or member is used up.' }, named ? {} : { retryAfterMs: untilMidnightUtc(now) });
  }
  if (isDuplicatePost(answer)) return answerFailure('validation', answer, now, { said, ours: 'LinkedIn refuses a post that repeats a recent one; change the text.' });
  if (answer.status === 403) return answerFailure('permanent', answer, now, { said, ours: 'check that the LinkedIn app has the permission and that you may still post as this member or page.' });
  if (answer.status >= 500) return answerFailure('transient', answer, now, { said });
  return answerFailure('validation', answer, now, { said });
}

/** The answer's JSON object when it succeeded; else its failure. */
export function linkedInJson(answer: HttpAnswer, now: number): Record<string, unknown> {
  if (!isSuccess(answer.status)) throw linkedInFailure(answer, now);
  if (!isObject(answer.json)) throw new ConnectorError('transient', `LinkedIn answered HTTP ${answer.status} without a readable body.`, { status: answer.status });
  return answer.json;
}

// ---------------------------------------------------------------------------------------------
// OAuth tokens: POST /oauth/v2/accessToken, form body with client_id and client_secret

export type LinkedInTokens = Pick<LinkedInCredentials, 'accessToken' | 'accessExpiresAt' | 'refreshToken' | 'refreshExpiresAt'>;

export async function requestTokens(
  endpoint: Endpoint,
  app: { clientId: string; clientSecret: string },
  form: Record<string, string>,
  previous: Pick<LinkedInTokens, 'refreshToken' | 'refreshExpiresAt'> | null,
  timeoutMs = DEFAULT_CALL_TIMEOUT_MS,
): Promise<LinkedInTokens> {
  const http = target(endpoint, { clientSecret: app.clientSecret, ...(form['refresh_token'] ? { refreshToken: form['refresh_token'] } : {}) }, timeoutMs, linkedInOAuthBase(endpoint.baseUrl));
  const answer = await httpCall(http, { path: '/oauth/v2/accessToken', form: { ...form, client_id: app.clientId, client_secret: app.clientSecret } });
  const json = isObject(answer.json) ? answer.json : {};
  if (isSuccess(answer.status) && typeof json['access_token'] === 'string' && json['access_token'] !== '') {
    const now = endpoint.now();
    const expiresIn = Number(json['expires_in']);
    const refreshIn = Number(json['refresh_token_expires_in']);
    const fresh = typeof json['refresh_token'] === 'string' && json['refresh_token'] !== '';
    return {
      accessToken: json['access_token'],
      // 60 days (CONTRACTS.md §8) when LinkedIn says nothing.
      accessExpiresAt: now + (Number.isFinite(expiresIn) && expiresIn > 0 ? expiresIn : 60 * 86_400) * 1000,
      refreshToken: fresh ? (json['refresh_token'] as string) : (previous?.refreshToken ?? null),
      // A refresh keeps the refresh token's original end: its 365 days do not slide.
      refreshExpiresAt: fresh && Number.isFinite(refreshIn) && refreshIn > 0 ? now + refreshIn * 1000 : (previous?.refreshExpiresAt ?? null),
    };
  }
  if (answer.status >= 500 || answer.status === 429) throw linkedInFailure(answer, endpoint.now());
  // invalid_client, invalid_grant, a redirect_uri that differs: the sign-in itself must be done again.
  throw answerFailure('auth', answer, endpoint.now(), { said: linkedInWords(answer), ours: 'check the LinkedIn app\'s Client ID, Client Secret and redirect URL, then sign in again.' }, {
    delivery: deliveryOfStatus(isSuccess(answer.status) ? 400 : answer.status),
  });
}

async function refreshIfDue(ctx: LinkedInSession, timeoutMs: number): Promise<void> {
  if (!ctx.credentials.refreshToken || ctx.now() < ctx.credentials.accessExpiresAt - REFRESH_AHEAD_MS) return;
  await refreshAccessToken(ctx, timeoutMs);
}

/** A fresh access token from the refresh token; saved to the keychain before any call goes on. */
export async function refreshAccessToken(ctx: LinkedInSession, timeoutMs = DEFAULT_CALL_TIMEOUT_MS): Promise<void> {
  const { credentials } = ctx;
  if (!credentials.refreshToken) throw new ConnectorError('auth', 'The LinkedIn sign-in has ended; reconnect the account.', { delivery: 'not_sent' });
  let tokens: LinkedInTokens;
  try {
    tokens = await requestTokens(ctx, credentials, { grant_type: 'refresh_token', refresh_token: credentials.refreshToken }, credentials, timeoutMs);
  } catch (error) {
    // A refresh is a step before the call itself: whatever it says, the call was not sent.
    throw error instanceof ConnectorError ? error.notSent() : error;
  }
  const renewed: LinkedInCredentials = { ...credentials, ...tokens };
  ctx.credentials = renewed;
  await ctx.saveCredentials?.(renewed);
}

/** Reads the keychain secret written at sign-in. */
export function readLinkedInSecret(secret: string): LinkedInCredentials {
  const value = secretObject(secret);
  const strings = ['clientId', 'clientSecret', 'accessToken', 'memberId'] as const;
  if (
    !isObject(value) ||
    !strings.every((field) => typeof value[field] === 'string' && value[field] !== '') ||
    typeof value['accessExpiresAt'] !== 'number' ||
    !(value['refreshToken'] === null || typeof value['refreshToken'] === 'string') ||
    !(value['refreshExpiresAt'] === null || typeof value['refreshExpiresAt'] === 'number')
  ) {
    throw new ConnectorError('auth', 'The saved LinkedIn sign-in is unreadable; reconnect the account.');
  }
  return value as unknown as LinkedInCredentials;
}

/** When this sign-in stops working unless renewed: the refresh token's end where there is one, else the access token's. */
export function linkedInSignInEndsAt(credentials: LinkedInCredentials): number {
  return credentials.refreshToken && credentials.refreshExpiresAt ? credentials.refreshExpiresAt : credentials.accessExpiresAt;
}
