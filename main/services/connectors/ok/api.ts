import { createHash } from 'node:crypto';
import { ConnectorError, type ConnectorContext, type FailureKind } from '../../../core/connector';
import { deliveryOfStatus } from '../../../core/outcome';
import { answerFailure, DEFAULT_CALL_TIMEOUT_MS, type HttpAnswer, httpCall, type HttpTarget, isObject, isSuccess, secretObject } from '../kit/http';
import { redactor } from '../kit/transport';

/**
 * The OK (Odnoklassniki) REST API as the OK connector and the OK sign-in call it: the account's
 * types, signed calls to /fb.do over the connector kit, the token refresh, and OK's error replies
 * (HTTP 200 with error_code / error_msg) as failure kinds. OK publishes no machine-readable spec;
 * the sources are the apiok.ru pages named beside each rule.
 *
 * Signing (apiok.ru/dev/methods/ "Подпись запроса", repeated on every method page, e.g.
 * apiok.ru/en/dev/methods/rest/photosV2/photosV2.getUploadUrl):
 *   secret_key = session_secret_key                       (a token from the client flow), or
 *              = md5(access_token + application_secret_key)   (a token from the code flow);
 *   sig = md5(every parameter except sig and access_token as "name=value", sorted by name,
 *             concatenated, then secret_key), in lowercase hex.
 */

export const OK_API_BASE_URL = 'https://api.ok.ru';
export const OK_CONNECT_BASE_URL = 'https://connect.ok.ru';

/** The one keychain secret of an OK group account (JSON): the user's own app and its tokens. */
export interface OkCredentials {
  /** The app's numeric id (OAuth client_id). */
  applicationId: string;
  /** The app's public key (application_key on every call). */
  applicationKey: string;
  /** The app's secret key: OAuth client_secret and the signing key. Never leaves the keychain. */
  applicationSecretKey: string;
  accessToken: string;
  /** From the code flow; lives 30 days (apiok.ru/ext/oauth/server, "Использование refresh_token"). */
  refreshToken?: string;
  /** When the access token stops working (ms); absent: not known to expire. */
  accessExpiresAt?: number;
  /** Given with client-flow tokens; when present it signs instead of md5(access_token + secret). */
  sessionSecretKey?: string;
}

/** Non-secret settings of one OK group account, kept in SQLite. */
export interface OkConfig {
  groupId: string;
  groupName: string;
  /** The user who connected it (the topics' admin). */
  userId: string;
}

export type OkContext = ConnectorContext<OkCredentials, OkConfig>;

export type OkParams = Record<string, string>;

/** OK's error reply (apiok.ru/dev/errors): HTTP 200 with these fields instead of the result. */
export interface OkErrorBody {
  error_code: number;
  error_msg?: string;
  error_data?: unknown;
}

/** Refresh this long before the access token's end, so a call never starts with a dying token. */
const REFRESH_AHEAD_MS = 60_000;

export function md5(text: string): string {
  return createHash('md5').update(text, 'utf8').digest('hex');
}

/** The signing key for a session: session_secret_key, or md5(access_token + application_secret_key). */
export function okSecretKey(credentials: Pick<OkCredentials, 'accessToken' | 'applicationSecretKey' | 'sessionSecretKey'>): string {
  return credentials.sessionSecretKey ?? md5(credentials.accessToken + credentials.applicationSecretKey);
}

/** sig over every parameter but sig and access_token (apiok.ru/dev/methods/, "Подпись запроса"). */
export function okSignature(params: OkParams, secretKey: string): string {
  const signed = Object.keys(params)
    .filter((name) => name !== 'sig' && name !== 'access_token')
    .sort()
    .map((name) => `${name}=${params[name]}`)
    .join('');
  return md5(signed + secretKey).toLowerCase();
}

function target(ctx: Pick<OkContext, 'baseUrl' | 'fetch' | 'signal'>, credentials: Partial<OkCredentials>, timeoutMs: number): HttpTarget {
  const secrets: Record<string, string> = {};
  if (credentials.accessToken) secrets['access-token'] = credentials.accessToken;
  if (credentials.refreshToken) secrets['refresh-token'] = credentials.refreshToken;
  if (credentials.applicationSecretKey) secrets['secret-key'] = credentials.applicationSecretKey;
  return { baseUrl: ctx.baseUrl || OK_API_BASE_URL, fetch: ctx.fetch, name: 'OK', timeoutMs, signal: ctx.signal, secrets };
}

/**
 * One signed REST call (POST form to /fb.do). A session that OK says has expired (102) is
 * refreshed once and the call repeated: OK refused it, so nothing was done the first time.
 */
export async function okCall<T>(ctx: OkContext, method: string, params: OkParams, timeoutMs = DEFAULT_CALL_TIMEOUT_MS): Promise<T> {
  await refreshIfDue(ctx, timeoutMs);
  try {
    return await signedCall<T>(ctx, method, params, timeoutMs);
  } catch (error) {
    if (!(error instanceof ConnectorError) || error.status !== 102 || !ctx.credentials.refreshToken) throw error;
    await refreshAccessToken(ctx, timeoutMs);
    return signedCall<T>(ctx, method, params, timeoutMs);
  }
}

async function signedCall<T>(ctx: OkContext, method: string, params: OkParams, timeoutMs: number): Promise<T> {
  const { credentials } = ctx;
  const form: OkParams = { ...params, application_key: credentials.applicationKey, format: 'json', method };
  form.sig = okSignature(form, okSecretKey(credentials));
  form.access_token = credentials.accessToken;
  const answer = await httpCall(target(ctx, credentials, timeoutMs), { path: '/fb.do', form });
  return readAnswer<T>(answer, ctx.now(), redactor(target(ctx, credentials, timeoutMs).secrets ?? {}));
}

/** OK's answer: the result, or its error reply / a front page as a ConnectorError. */
export function readAnswer<T>(answer: HttpAnswer, now: number, redact: (text: string) => string = (text) => text): T {
  const { status, json } = answer;
  if (isObject(json) && typeof json.error_code === 'number') throw okFailure(answer, json as unknown as OkErrorBody, now, redact);
  if (!isSuccess(status)) {
    const kind: FailureKind = status >= 500 ? 'transient' : status === 429 ? 'rate_limited' : 'permanent';
    return failHttp(kind, answer, now);
  }
  if (json === undefined && answer.text.trim() === '') {
    // A 2xx with nothing readable: OK may have acted on it.
    throw new ConnectorError('transient', 'OK answered without a result.', { status, delivery: 'maybe_sent' });
  }
  return (json ?? answer.text) as T;
}

function failHttp(kind: FailureKind, answer: HttpAnswer, now: number): never {
  throw answerFailure(kind, answer, now, { ours: `OK answered HTTP ${answer.status} without an API reply.` });
}

/**
 * OK's error codes (apiok.ru/dev/errors) as failure kinds. Every one of them is OK refusing the
 * call, except the service and network errors (1, 2, 50, 51), after which a topic may exist.
 */
export function okFailure(answer: Pick<HttpAnswer, 'status' | 'headers'>, body: OkErrorBody, now: number, redact: (text: string) => string): ConnectorError {
  const code = body.error_code;
  const said = typeof body.error_msg === 'string' && body.error_msg !== '' ? redact(body.error_msg) : undefined;
  const refused = { status: code, delivery: 'not_sent' as const };
  const fail = (kind: FailureKind, ours?: string, overrides: { status: number; delivery: 'not_sent' | 'maybe_sent' } = refused) =>
    answerFailure(kind, answer, now, { said, ours }, overrides);

  switch (code) {
    // PARAM_API_KEY, PARAM_SESSION_EXPIRED, PARAM_SESSION_KEY, PARAM_SIGNATURE, PARAM_RESIGNATURE.
    case 101:
      return fail('auth', 'OK does not know this application key; reconnect the group with the app\'s public key.');
    case 102:
    case 103:
      return fail('auth', 'the OK sign-in has ended; reconnect the group.');
    case 104:
    case 105:
      return fail('auth', 'OK did not accept the request signature: the app\'s secret key does not match; reconnect the group with the right keys.');
    // FLOOD_BLOCKED, LIMIT_REACHED, TOTAL_LIMIT_REACHED: OK names no wait, so the scheduler's backoff decides.
    case 8:
    case 11:
    case 26:
      return fail('rate_limited');
    // PERMISSION_DENIED, NOT_OWNER, NOT_ADMIN (no rights in the group, or the app lacks GROUP_CONTENT).
    case 10:
    case 24:
    case 52:
      return fail('permanent', 'check that you still manage this OK group and that your OK app has the GROUP_CONTENT permission.');
    // UNKNOWN, SERVICE, NETWORK, NETWORK_TIMEOUT: OK's side failed mid-call.
    case 1:
    case 2:
    case 50:
    case 51:
      return fail('transient', undefined, { status: code, delivery: 'maybe_sent' });
    // METHOD, REQUEST, ACTION_BLOCKED.
    case 3:
    case 4:
    case 7:
      return fail('permanent');
    default:
      // PARAM (100) and the other PARAM_* (1xx–2xx), NOT_FOUND (300) and the media errors: the request itself is wrong.
      return fail(code >= 100 && code < 1000 ? 'validation' : 'permanent');
  }
}

// ---------------------------------------------------------------------------------------------
// OAuth tokens (apiok.ru/ext/oauth/server): POST https://api.ok.ru/oauth/token.do

export interface OkTokens {
  accessToken: string;
  refreshToken?: string;
  accessExpiresAt?: number;
}

/** The token endpoint's answer: {access_token, token_type, refresh_token?, expires_in?} or {error, error_description}. */
export async function requestTokens(
  ctx: Pick<OkContext, 'baseUrl' | 'fetch' | 'signal' | 'now'>,
  credentials: Pick<OkCredentials, 'applicationSecretKey'> & Partial<OkCredentials>,
  form: OkParams,
  timeoutMs = DEFAULT_CALL_TIMEOUT_MS,
): Promise<OkTokens> {
  const http = target(ctx, { ...credentials, ...(form.refresh_token ? { refreshToken: form.refresh_token } : {}) }, timeoutMs);
  const answer = await httpCall(http, { path: '/oauth/token.do', form });
  const { json } = answer;
  if (isObject(json) && typeof json.access_token === 'string' && json.access_token !== '') {
    const expiresIn = Number(json.expires_in);
    return {
      accessToken: json.access_token,
      ...(typeof json.refresh_token === 'string' && json.refresh_token !== '' ? { refreshToken: json.refresh_token } : {}),
      ...(Number.isFinite(expiresIn) && expiresIn > 0 ? { accessExpiresAt: ctx.now() + expiresIn * 1000 } : {}),
    };
  }
  if (isObject(json) && typeof json.error_code === 'number') throw okFailure(answer, json as unknown as OkErrorBody, ctx.now(), redactor(http.secrets ?? {}));
  const said = isObject(json) ? [json.error, json.error_description].filter((part) => typeof part === 'string' && part !== '').join(': ') : '';
  if (said !== '') {
    // invalid_grant / invalid_client: the code, the refresh token or the app's keys are not accepted.
    throw answerFailure('auth', answer, ctx.now(), { said: redactor(http.secrets ?? {})(said), ours: 'connect the OK group again.' }, {
      delivery: deliveryOfStatus(isSuccess(answer.status) ? 400 : answer.status),
    });
  }
  if (answer.status >= 500) failHttp('transient', answer, ctx.now());
  throw new ConnectorError('auth', 'OK gave no access token; connect the OK group again.', { status: answer.status, delivery: 'not_sent' });
}

async function refreshIfDue(ctx: OkContext, timeoutMs: number): Promise<void> {
  const { accessExpiresAt, refreshToken } = ctx.credentials;
  if (accessExpiresAt === undefined || !refreshToken) return;
  if (ctx.now() < accessExpiresAt - REFRESH_AHEAD_MS) return;
  await refreshAccessToken(ctx, timeoutMs);
}

/**
 * A fresh access token from the refresh token (grant_type=refresh_token). OK keeps the refresh
 * token for 30 days and answers only a new access token; a new refresh token, when sent, replaces it.
 */
export async function refreshAccessToken(ctx: OkContext, timeoutMs = DEFAULT_CALL_TIMEOUT_MS): Promise<void> {
  const { credentials } = ctx;
  if (!credentials.refreshToken) throw new ConnectorError('auth', 'The OK sign-in has ended; reconnect the group.');
  let tokens: OkTokens;
  try {
    tokens = await requestTokens(ctx, credentials, {
      refresh_token: credentials.refreshToken,
      client_id: credentials.applicationId,
      client_secret: credentials.applicationSecretKey,
      grant_type: 'refresh_token',
    }, timeoutMs);
  } catch (error) {
    // A refresh is a step before the call itself: whatever it says, the call was not sent.
    throw error instanceof ConnectorError ? error.notSent() : error;
  }
  const renewed: OkCredentials = { ...credentials, accessToken: tokens.accessToken, refreshToken: tokens.refreshToken ?? credentials.refreshToken };
  if (tokens.accessExpiresAt !== undefined) renewed.accessExpiresAt = tokens.accessExpiresAt;
  else delete renewed.accessExpiresAt;
  // A refreshed token signs with md5(access_token + secret); a client-flow session secret no longer applies.
  delete renewed.sessionSecretKey;
  ctx.credentials = renewed;
  await ctx.saveCredentials?.(renewed);
}

/** Reads the keychain secret written at sign-in. */
export function readOkSecret(secret: string): OkCredentials {
  const value = secretObject(secret);
  const fields = ['applicationId', 'applicationKey', 'applicationSecretKey', 'accessToken'] as const;
  if (!isObject(value) || !fields.every((field) => typeof value[field] === 'string' && value[field] !== '')) {
    throw new ConnectorError('auth', 'The saved OK sign-in is unreadable; reconnect the group.');
  }
  return value as unknown as OkCredentials;
}
