import { ConnectorError, type ConnectorContext } from '../../../core/connector';
import { deliveryOfStatus } from '../../../core/outcome';
import { answerFailure, DEFAULT_CALL_TIMEOUT_MS, httpCall, isObject, isSuccess, secretObject, type HttpAnswer, type HttpCall, type HttpTarget } from '../kit/http';

/**
 * Pinterest API v5 as the connector and the sign-in call it (CONTRACTS.md §11; the OpenAPI document
 * pinterest/api-description v5/openapi.yaml): the account's types, bearer calls that renew the
 * token first when it is about to end, the token endpoint (HTTP Basic app id:secret, as the spec's
 * `security: basic` on /oauth/token says), and Pinterest.Lib.Error {code, message} as failure kinds.
 */

export const PINTEREST_API_BASE_URL = 'https://api.pinterest.com/v5';
/** The consent page (the spec's authorizationUrl). */
export const PINTEREST_AUTHORIZE_URL = 'https://www.pinterest.com/oauth/';

/** The one keychain secret of a Pinterest account (JSON): the user's own app and its tokens. */
export interface PinterestCredentials {
  appId: string;
  /** The app secret: HTTP Basic on the token endpoint. Never leaves the keychain. */
  appSecret: string;
  accessToken: string;
  /** A continuous refresh token (60 days, renewed with every refresh). */
  refreshToken: string;
  /** When the access token ends (ms). */
  accessExpiresAt: number;
  /** When the refresh token ends (ms): past it, only a new sign-in helps. */
  refreshExpiresAt?: number;
}

/** Non-secret settings of one Pinterest account: the board (and section) pins go to. */
export interface PinterestConfig {
  boardId: string;
  boardName: string;
  sectionId?: string;
  sectionName?: string;
  /** The Pinterest username who signed in (the board's URL starts with it). */
  username: string;
}

export type PinterestContext = ConnectorContext<PinterestCredentials, PinterestConfig>;
type Session = Pick<PinterestContext, 'baseUrl' | 'fetch' | 'now' | 'signal' | 'credentials' | 'saveCredentials'>;

/** Renew this long before the access token's end, so no call starts with a dying token. */
const REFRESH_AHEAD_MS = 5 * 60_000;

/** Pinterest.Lib.Error code 29: a Trial-access app creating pins on the production API. */
const TRIAL_ACCESS = 29;

function target(ctx: Pick<Session, 'baseUrl' | 'fetch' | 'signal'>, credentials: Partial<PinterestCredentials>, timeoutMs: number): HttpTarget {
  const secrets: Record<string, string> = {};
  if (credentials.accessToken) secrets['access-token'] = credentials.accessToken;
  if (credentials.refreshToken) secrets['refresh-token'] = credentials.refreshToken;
  if (credentials.appSecret) secrets['app-secret'] = credentials.appSecret;
  return { baseUrl: ctx.baseUrl || PINTEREST_API_BASE_URL, fetch: ctx.fetch, name: 'Pinterest', timeoutMs, signal: ctx.signal, secrets };
}

/**
 * One call with the account's bearer token. A 401 on a token we thought alive is renewed once and
 * the call repeated: Pinterest refused it, so nothing was done the first time.
 */
export async function pinterestCall(ctx: Session, call: HttpCall, timeoutMs = DEFAULT_CALL_TIMEOUT_MS): Promise<HttpAnswer> {
  await refreshIfDue(ctx, timeoutMs);
  const send = () => httpCall(target(ctx, ctx.credentials, timeoutMs), { ...call, bearer: ctx.credentials.accessToken });
  const answer = await send();
  if (answer.status !== 401) return answer;
  await refreshAccessToken(ctx, timeoutMs);
  return send();
}

/** Pinterest's words from an error body ({code, message}, or OAuth's {error, error_description}). */
export function pinterestWords(answer: HttpAnswer): string | undefined {
  const body = answer.json;
  if (!isObject(body)) return undefined;
  if (typeof body['message'] === 'string' && body['message'] !== '') return body['message'];
  const oauth = [body['error'], body['error_description']].filter((part) => typeof part === 'string' && part !== '');
  return oauth.length > 0 ? oauth.join(': ') : undefined;
}

/**
 * A refusal or failure as a ConnectorError: 401 → reconnect, 429 → wait (Retry-After or
 * x-ratelimit-reset), 5xx → may have been acted on, other 4xx → refused in Pinterest's words.
 */
export function pinterestFailure(answer: HttpAnswer, now: number): ConnectorError {
  const said = pinterestWords(answer);
  const code = isObject(answer.json) && typeof answer.json['code'] === 'number' ? answer.json['code'] : undefined;
  if (answer.status === 401) return answerFailure('auth', answer, now, { said, ours: 'the Pinterest sign-in no longer works; reconnect the board.' });
  if (answer.status === 429) return answerFailure('rate_limited', answer, now, { said });
  if (answer.status >= 500) return answerFailure('transient', answer, now, { said });
  if (code === TRIAL_ACCESS) {
    return answerFailure('permanent', answer, now, { said, ours: 'your Pinterest app has Trial access, which cannot publish pins; ask Pinterest for Standard access.' });
  }
  if (answer.status === 403) return answerFailure('permanent', answer, now, { said, ours: 'check that you may still save pins to this board.' });
  return answerFailure('validation', answer, now, { said });
}

/** The answer's JSON object when it succeeded; else its failure. */
export function pinterestJson(answer: HttpAnswer, now: number): Record<string, unknown> {
  if (!isSuccess(answer.status)) throw pinterestFailure(answer, now);
  if (!isObject(answer.json)) {
    throw new ConnectorError('transient', `Pinterest answered HTTP ${answer.status} without a readable body.`, { status: answer.status, delivery: 'maybe_sent' });
  }
  return answer.json;
}

// ---------------------------------------------------------------------------------------------
// OAuth tokens: POST /oauth/token, HTTP Basic app id:secret, form body (OauthAccessTokenRequest*)

export interface PinterestTokens {
  accessToken: string;
  refreshToken: string;
  accessExpiresAt: number;
  refreshExpiresAt?: number;
}

export async function requestTokens(
  ctx: Pick<Session, 'baseUrl' | 'fetch' | 'signal' | 'now'>,
  app: { appId: string; appSecret: string },
  form: Record<string, string>,
  previousRefreshToken?: string,
  timeoutMs = DEFAULT_CALL_TIMEOUT_MS,
): Promise<PinterestTokens> {
  const http = target(ctx, { appSecret: app.appSecret, ...(form['refresh_token'] ? { refreshToken: form['refresh_token'] } : {}) }, timeoutMs);
  const basic = Buffer.from(`${app.appId}:${app.appSecret}`, 'utf8').toString('base64');
  const answer = await httpCall(http, { path: '/oauth/token', form, headers: { authorization: `Basic ${basic}` } });
  const json = isObject(answer.json) ? answer.json : {};
  if (isSuccess(answer.status) && typeof json['access_token'] === 'string' && json['access_token'] !== '') {
    const now = ctx.now();
    const expiresIn = Number(json['expires_in']);
    const refreshIn = Number(json['refresh_token_expires_in']);
    const refreshToken = typeof json['refresh_token'] === 'string' && json['refresh_token'] !== '' ? json['refresh_token'] : previousRefreshToken;
    if (!refreshToken) throw new ConnectorError('auth', 'Pinterest gave no refresh token; connect the board again.', { status: answer.status, delivery: 'not_sent' });
    return {
      accessToken: json['access_token'],
      refreshToken,
      // Pinterest's access tokens live 30 days (CONTRACTS.md §11) when it says nothing.
      accessExpiresAt: now + (Number.isFinite(expiresIn) && expiresIn > 0 ? expiresIn : 30 * 86_400) * 1000,
      ...(Number.isFinite(refreshIn) && refreshIn > 0 ? { refreshExpiresAt: now + refreshIn * 1000 } : {}),
    };
  }
  if (answer.status >= 500 || answer.status === 429) throw pinterestFailure(answer, ctx.now());
  // invalid_grant, a revoked app, a wrong secret: the sign-in itself must be done again.
  throw answerFailure('auth', answer, ctx.now(), { said: pinterestWords(answer), ours: 'connect the Pinterest board again.' }, {
    delivery: deliveryOfStatus(isSuccess(answer.status) ? 400 : answer.status),
  });
}

async function refreshIfDue(ctx: Session, timeoutMs: number): Promise<void> {
  if (ctx.now() < ctx.credentials.accessExpiresAt - REFRESH_AHEAD_MS) return;
  await refreshAccessToken(ctx, timeoutMs);
}

/**
 * A fresh access token from the continuous refresh token (grant_type=refresh_token); Pinterest
 * answers a new refresh token too, which replaces the old one in the keychain before any call.
 */
export async function refreshAccessToken(ctx: Session, timeoutMs = DEFAULT_CALL_TIMEOUT_MS): Promise<void> {
  const { credentials } = ctx;
  let tokens: PinterestTokens;
  try {
    tokens = await requestTokens(ctx, credentials, { grant_type: 'refresh_token', refresh_token: credentials.refreshToken }, credentials.refreshToken, timeoutMs);
  } catch (error) {
    // A refresh is a step before the call itself: whatever it says, the call was not sent.
    throw error instanceof ConnectorError ? error.notSent() : error;
  }
  const renewed: PinterestCredentials = { ...credentials, ...tokens };
  ctx.credentials = renewed;
  await ctx.saveCredentials?.(renewed);
}

/** Reads the keychain secret written at sign-in. */
export function readPinterestSecret(secret: string): PinterestCredentials {
  const value = secretObject(secret);
  const fields = ['appId', 'appSecret', 'accessToken', 'refreshToken'] as const;
  if (!isObject(value) || !fields.every((field) => typeof value[field] === 'string' && value[field] !== '') || typeof value['accessExpiresAt'] !== 'number') {
    throw new ConnectorError('auth', 'The saved Pinterest sign-in is unreadable; reconnect the board.');
  }
  return value as unknown as PinterestCredentials;
}
