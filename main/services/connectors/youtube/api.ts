import { ConnectorError, type ConnectorContext } from '../../../core/connector';
import { YOUTUBE_UNITS } from '../../../core/networks/youtube';
import { deliveryOfStatus } from '../../../core/outcome';
import { answerFailure, DEFAULT_CALL_TIMEOUT_MS, httpCall, isObject, isSuccess, secretObject, type HttpAnswer, type HttpCall, type HttpTarget } from '../kit/http';
import { trimBaseUrl } from '../kit/urls';

/**
 * YouTube Data API v3 as the connector and the sign-in call it: the account's types, bearer calls that
 * renew the token first when it is about to end, Google's token endpoint for an installed app
 * (developers.google.com/identity/protocols/oauth2/native-app: client id + the Desktop client's
 * non-confidential secret + PKCE verifier; refresh tokens do not rotate), and Google's JSON errors
 * ({error:{code, message, errors:[{reason}]}}, youtube/v3/docs/errors) as failure kinds.
 */

export const YOUTUBE_API_BASE_URL = 'https://www.googleapis.com';
const GOOGLE_TOKEN_URL = 'https://oauth2.googleapis.com/token';
const GOOGLE_AUTHORIZE_URL = 'https://accounts.google.com/o/oauth2/v2/auth';

/** Google's token and consent endpoints for an API base: Google's own, or the same loopback fake in tests. */
export function googleEndpoints(apiBaseUrl: string): { token: string; authorize: string } {
  const base = trimBaseUrl(apiBaseUrl);
  if (base === YOUTUBE_API_BASE_URL) return { token: GOOGLE_TOKEN_URL, authorize: GOOGLE_AUTHORIZE_URL };
  return { token: `${base}/token`, authorize: `${base}/o/oauth2/v2/auth` };
}

/** A resumable upload under way or done, by the publish attempt's idempotency key. */
export interface YouTubeUploadSession {
  /** The session URI: whoever holds it can upload to the channel for a week, so it lives with the tokens. */
  uri: string;
  total: number;
  startedAt: number;
  /** Set once YouTube answered the finished upload with the video. */
  videoId?: string;
}

/** The one keychain secret of a YouTube account (JSON): the user's own Desktop OAuth client, its tokens, and upload sessions. */
export interface YouTubeCredentials {
  clientId: string;
  /** A Desktop client's secret is not confidential (Google says so) but is still kept with the tokens only. */
  clientSecret: string;
  accessToken: string;
  refreshToken: string;
  accessExpiresAt: number;
  uploads?: Record<string, YouTubeUploadSession>;
  /** Outpost's own count of today's quota (Pacific day) for this Google project; other apps on the project are not seen. */
  quota?: YouTubeQuotaUse;
}

/** Quota used on one Pacific-time day: videos.insert calls (of 100) and units of everything else (of 10,000). */
export interface YouTubeQuotaUse {
  day: string;
  uploads: number;
  units: number;
}

/** Non-secret settings of one YouTube account: the channel videos go to. */
export interface YouTubeConfig {
  channelId: string;
  channelTitle: string;
  /** The channel's uploads playlist (contentDetails.relatedPlaylists.uploads). */
  uploadsPlaylistId: string;
  /** "@handle" when the channel has one. */
  handle?: string;
}

export type YouTubeContext = ConnectorContext<YouTubeCredentials, YouTubeConfig>;
export type YouTubeSession = Pick<YouTubeContext, 'baseUrl' | 'fetch' | 'now' | 'signal' | 'credentials' | 'saveCredentials'>;

const REFRESH_AHEAD_MS = 5 * 60_000;

export function youtubeTarget(ctx: Pick<YouTubeSession, 'baseUrl' | 'fetch' | 'signal'>, credentials: Partial<YouTubeCredentials>, timeoutMs: number): HttpTarget {
  const secrets: Record<string, string> = {};
  if (credentials.accessToken) secrets['access-token'] = credentials.accessToken;
  if (credentials.refreshToken) secrets['refresh-token'] = credentials.refreshToken;
  if (credentials.clientSecret) secrets['client-secret'] = credentials.clientSecret;
  // A 308 Resume Incomplete is an answer to read, never a redirect to follow.
  return { baseUrl: ctx.baseUrl || YOUTUBE_API_BASE_URL, fetch: ctx.fetch, name: 'YouTube', timeoutMs, signal: ctx.signal, secrets, redirect: 'manual' };
}

/** One call with the account's bearer token; a 401 on a token we thought alive is renewed once and repeated (refused, so nothing was done). */
export async function youtubeCall(ctx: YouTubeSession, call: HttpCall, timeoutMs = DEFAULT_CALL_TIMEOUT_MS): Promise<HttpAnswer> {
  if (ctx.now() >= ctx.credentials.accessExpiresAt - REFRESH_AHEAD_MS) await refreshAccessToken(ctx, timeoutMs);
  const send = () => httpCall(youtubeTarget(ctx, ctx.credentials, timeoutMs), { ...call, bearer: ctx.credentials.accessToken });
  const answer = await send();
  spend(ctx, call);
  if (answer.status !== 401) return answer;
  await refreshAccessToken(ctx, timeoutMs);
  const again = await send();
  spend(ctx, call);
  return again;
}

/** The Pacific-time day YouTube's quota counts in ("2026-12-05"); it resets at midnight there [quota]. */
export function pacificDay(now: number): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'America/Los_Angeles', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(now));
}

/** Today's use per Google project in this process, so every channel of one project adds to the same count. */
const quotaUse = new Map<string, YouTubeQuotaUse>();

/** Today's use as far as Outpost knows it: this process's count, or the one saved with the sign-in. */
export function quotaToday(credentials: YouTubeCredentials, now: number): YouTubeQuotaUse {
  const day = pacificDay(now);
  const known = quotaUse.get(credentials.clientId);
  const saved = credentials.quota;
  const fresh = [known, saved].filter((use): use is YouTubeQuotaUse => use?.day === day).sort((a, b) => b.units + b.uploads - (a.units + a.uploads))[0];
  return fresh ? { ...fresh } : { day, uploads: 0, units: 0 };
}

/** Counts one call (any answer costs, [quota]); kept with the credentials, so it reaches the keychain with their next save. */
function spend(ctx: YouTubeSession, call: HttpCall): void {
  const use = quotaToday(ctx.credentials, ctx.now());
  const method = call.method ?? (call.json !== undefined || call.bytes || call.form ? 'POST' : 'GET');
  if (method === 'POST' && call.path === '/upload/youtube/v3/videos') use.uploads += 1;
  else if (call.path === '/upload/youtube/v3/thumbnails/set') use.units += YOUTUBE_UNITS.thumbnail;
  else if (method === 'PUT') use.units += YOUTUBE_UNITS.update;
  else if (method === 'DELETE') use.units += YOUTUBE_UNITS.delete;
  else use.units += YOUTUBE_UNITS.list;
  quotaUse.set(ctx.credentials.clientId, use);
  ctx.credentials = { ...ctx.credentials, quota: use };
}

/** Google's reason code of an error answer ("quotaExceeded", "videoNotFound"). */
export function youtubeReason(answer: Pick<HttpAnswer, 'json'>): string | undefined {
  const error = isObject(answer.json) && isObject(answer.json['error']) ? answer.json['error'] : undefined;
  const first = error && Array.isArray(error['errors']) && isObject(error['errors'][0]) ? error['errors'][0] : undefined;
  return typeof first?.['reason'] === 'string' ? first['reason'] : undefined;
}

/** Google's words from an error body, without its HTML links; or OAuth's {error, error_description}. */
export function youtubeWords(answer: Pick<HttpAnswer, 'json'>): string | undefined {
  const body = answer.json;
  if (!isObject(body)) return undefined;
  if (isObject(body['error']) && typeof body['error']['message'] === 'string') return body['error']['message'].replace(/<[^>]+>/g, '');
  const oauth = [body['error'], body['error_description']].filter((part) => typeof part === 'string' && part !== '');
  return oauth.length > 0 ? oauth.join(': ') : undefined;
}

/**
 * A refusal or failure as a ConnectorError: 401 → reconnect; 403 quotaExceeded → wait for the daily
 * reset (midnight Pacific, [quota]); 403 rateLimitExceeded / 429 → wait; 5xx → may have been acted
 * on; other 4xx → refused in Google's words.
 */
export function youtubeFailure(answer: HttpAnswer, now: number): ConnectorError {
  const said = youtubeWords(answer);
  const reason = youtubeReason(answer);
  if (answer.status === 401) return answerFailure('auth', answer, now, { said, ours: 'the YouTube sign-in no longer works; reconnect the channel.' });
  if (reason === 'quotaExceeded' || reason === 'uploadLimitExceeded') {
    return answerFailure('rate_limited', answer, now, { said, ours: 'the Google Cloud project has used its YouTube quota for today; Outpost tries again after it resets at midnight Pacific time.' }, { retryAfterMs: msToPacificMidnight(now) });
  }
  if (answer.status === 429 || reason === 'rateLimitExceeded' || reason === 'userRateLimitExceeded') return answerFailure('rate_limited', answer, now, { said }, { retryAfterMs: 60_000 });
  if (answer.status >= 500) return answerFailure('transient', answer, now, { said });
  if (answer.status === 403) return answerFailure('permanent', answer, now, { said, ours: 'check that this Google account may still upload to the channel.' });
  return answerFailure('validation', answer, now, { said });
}

/** How long until YouTube's quota day ends (midnight in America/Los_Angeles). */
export function msToPacificMidnight(now: number): number {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone: 'America/Los_Angeles', hour: 'numeric', minute: 'numeric', second: 'numeric', hourCycle: 'h23' }).formatToParts(new Date(now));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const elapsed = ((get('hour') * 60 + get('minute')) * 60 + get('second')) * 1000;
  return 86_400_000 - elapsed;
}

/** The answer's JSON object when it succeeded; else its failure. */
export function youtubeJson(answer: HttpAnswer, now: number): Record<string, unknown> {
  if (!isSuccess(answer.status)) throw youtubeFailure(answer, now);
  if (!isObject(answer.json)) throw new ConnectorError('transient', `YouTube answered HTTP ${answer.status} without a readable body.`, { status: answer.status, delivery: 'maybe_sent' });
  return answer.json;
}

// ---------------------------------------------------------------------------------------------
// Google's token endpoint (form body; the client id and secret in it, as installed apps send them)

export interface YouTubeTokens {
  accessToken: string;
  refreshToken: string;
  accessExpiresAt: number;
}

export async function requestTokens(
  ctx: Pick<YouTubeSession, 'baseUrl' | 'fetch' | 'signal' | 'now'>,
  client: { clientId: string; clientSecret: string },
  form: Record<string, string>,
  previousRefreshToken?: string,
  timeoutMs = DEFAULT_CALL_TIMEOUT_MS,
): Promise<YouTubeTokens> {
  const endpoint = googleEndpoints(ctx.baseUrl || YOUTUBE_API_BASE_URL).token;
  const http = youtubeTarget({ ...ctx, baseUrl: endpoint }, { clientSecret: client.clientSecret, ...(form['refresh_token'] ? { refreshToken: form['refresh_token'] } : {}) }, timeoutMs);
  const answer = await httpCall(http, { path: '', form: { ...form, client_id: client.clientId, client_secret: client.clientSecret } });
  const json = isObject(answer.json) ? answer.json : {};
  if (isSuccess(answer.status) && typeof json['access_token'] === 'string' && json['access_token'] !== '') {
    const expiresIn = Number(json['expires_in']);
    // Google sends a refresh token with the first exchange only; a refresh keeps the old one.
    const refreshToken = typeof json['refresh_token'] === 'string' && json['refresh_token'] !== '' ? json['refresh_token'] : previousRefreshToken;
    if (!refreshToken) throw new ConnectorError('auth', 'Google gave no refresh token; connect the channel again.', { status: answer.status, delivery: 'not_sent' });
    return { accessToken: json['access_token'], refreshToken, accessExpiresAt: ctx.now() + (Number.isFinite(expiresIn) && expiresIn > 0 ? expiresIn : 3599) * 1000 };
  }
  if (answer.status >= 500 || answer.status === 429) throw youtubeFailure(answer, ctx.now());
  // invalid_grant (revoked, or a Testing-mode app's 7-day refresh token), invalid_client: only a new sign-in helps.
  throw answerFailure('auth', answer, ctx.now(), { said: youtubeWords(answer), ours: 'connect the YouTube channel again.' }, { delivery: deliveryOfStatus(isSuccess(answer.status) ? 400 : answer.status) });
}

/** A fresh access token from the refresh token; kept in the keychain before any call goes on. */
export async function refreshAccessToken(ctx: YouTubeSession, timeoutMs = DEFAULT_CALL_TIMEOUT_MS): Promise<void> {
  let tokens: YouTubeTokens;
  try {
    tokens = await requestTokens(ctx, ctx.credentials, { grant_type: 'refresh_token', refresh_token: ctx.credentials.refreshToken }, ctx.credentials.refreshToken, timeoutMs);
  } catch (error) {
    throw error instanceof ConnectorError ? error.notSent() : error;
  }
  const renewed: YouTubeCredentials = { ...ctx.credentials, ...tokens };
  ctx.credentials = renewed;
  await ctx.saveCredentials?.(renewed);
}

/** Reads the keychain secret written at sign-in. */
export function readYouTubeSecret(secret: string): YouTubeCredentials {
  const value = secretObject(secret);
  const fields = ['clientId', 'clientSecret', 'accessToken', 'refreshToken'] as const;
  if (!isObject(value) || !fields.every((field) => typeof value[field] === 'string' && value[field] !== '') || typeof value['accessExpiresAt'] !== 'number') {
    throw new ConnectorError('auth', 'The saved YouTube sign-in is unreadable; reconnect the channel.');
  }
  return value as unknown as YouTubeCredentials;
}
