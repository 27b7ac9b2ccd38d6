import { ConnectorError, type ConnectorContext } from '../../../core/connector';
import { answerFailure, DEFAULT_CALL_TIMEOUT_MS, type HttpAnswer, httpCall, isObject, isSuccess, secretObject } from '../kit/http';
import { hostOf, trimBaseUrl } from '../kit/urls';

/**
 * What the Mastodon connector and the Mastodon sign-in share: the account's types, the instance's
 * limits, and Mastodon's REST API over the connector kit with its error shapes
 * (shared/networks/CONTRACTS.md §3).
 */

/** The one keychain secret of a Mastodon account (JSON): the per-install app and its token. */
export interface MastodonCredentials {
  clientId: string;
  clientSecret: string;
  accessToken: string;
}

export type MastodonVisibility = 'public' | 'unlisted' | 'private' | 'direct';

/** What the instance accepts, read from /api/v2/instance at sign-in. */
export interface MastodonLimits {
  maxCharacters: number;
  maxMediaAttachments: number;
  charactersReservedPerUrl: number;
  imageSizeLimit: number;
  videoSizeLimit: number;
  supportedMimeTypes: string[];
}

/** Non-secret account settings, kept in SQLite. */
export interface MastodonConfig {
  accountId: string;
  /** user@domain */
  acct: string;
  url: string;
  limits: MastodonLimits;
  /** Default 'public'. */
  visibility?: MastodonVisibility;
}

export type MastodonContext = ConnectorContext<MastodonCredentials, MastodonConfig>;

export const DEFAULT_MASTODON_LIMITS: MastodonLimits = {
  maxCharacters: 500,
  maxMediaAttachments: 4,
  charactersReservedPerUrl: 23,
  imageSizeLimit: 16 * 1024 * 1024,
  videoSizeLimit: 99 * 1024 * 1024,
  supportedMimeTypes: ['image/jpeg', 'image/png', 'image/gif', 'image/heic', 'image/heif', 'image/webp', 'image/avif', 'video/webm', 'video/mp4', 'video/quicktime'],
};


/** Reads the keychain secret written at sign-in. */
export function readMastodonSecret(secret: string): MastodonCredentials {
  const value = secretObject(secret);
  if (
    isObject(value) &&
    typeof value.clientId === 'string' &&
    typeof value.clientSecret === 'string' &&
    typeof value.accessToken === 'string'
  ) {
    return { clientId: value.clientId, clientSecret: value.clientSecret, accessToken: value.accessToken };
  }
  throw new ConnectorError('auth', 'The saved Mastodon sign-in is unreadable; connect the account again.');
}

// ---------------------------------------------------------------------------------------------
// The REST API and its error shapes

export interface MastodonHttp {
  baseUrl: string;
  fetch: typeof fetch;
  now(): number;
  signal?: AbortSignal | undefined;
  token?: string;
  timeoutMs: number;
}

export interface SendInit {
  json?: unknown;
  form?: Record<string, string>;
  multipart?: FormData;
  headers?: Record<string, string>;
  timeoutMs?: number;
  /** Statuses handed back to the caller instead of being thrown (404 where "gone" is an answer). */
  accept?: number[];
  /** An upload's progress, for the post to show. */
  onUploadProgress?: ((sent: number, total: number) => void) | undefined;
}

export interface MastodonAnswer {
  status: number;
  headers: Headers;
  body: unknown;
}

/** The calls' side of a context: where, how, and with which token. */
export function mastodonHttp(ctx: Pick<MastodonContext, 'baseUrl' | 'fetch' | 'now' | 'signal'>, timeoutMs: number, token?: string): MastodonHttp {
  return { baseUrl: trimBaseUrl(ctx.baseUrl), fetch: ctx.fetch, now: ctx.now, timeoutMs, signal: ctx.signal, ...(token ? { token } : {}) };
}

export async function send(http: MastodonHttp, method: string, path: string, init: SendInit = {}): Promise<MastodonAnswer> {
  const answer = await httpCall(
    { baseUrl: http.baseUrl, fetch: http.fetch, name: hostOf(http.baseUrl), timeoutMs: http.timeoutMs, signal: http.signal, redirect: 'manual' },
    {
      method,
      path,
      bearer: http.token,
      ...(init.headers ? { headers: init.headers } : {}),
      ...(init.timeoutMs !== undefined ? { timeoutMs: init.timeoutMs } : {}),
      ...(init.onUploadProgress ? { onUploadProgress: init.onUploadProgress } : {}),
      ...(init.json !== undefined ? { json: init.json } : init.form ? { form: init.form } : init.multipart ? { multipart: init.multipart } : {}),
    },
  );
  if (isSuccess(answer.status) || init.accept?.includes(answer.status)) {
    return { status: answer.status, headers: answer.headers, body: answer.json };
  }
  throw httpError(answer, http.now());
}

/** The server's own words: `error`, or `error_description` when `error` is an OAuth code. */
function serverMessage(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const { error, error_description: description } = body as { error?: unknown; error_description?: unknown };
  if (typeof description === 'string' && description && (typeof error !== 'string' || /^[a-z_]+$/.test(error))) return description;
  return typeof error === 'string' && error ? error : undefined;
}

function oauthCode(body: unknown): string | undefined {
  const error = (body as { error?: unknown } | undefined)?.error;
  return typeof error === 'string' && /^[a-z_]+$/.test(error) ? error : undefined;
}

function httpError(answer: HttpAnswer, now: number): ConnectorError {
  const { status, json: body } = answer;
  const said = serverMessage(body);
  // Outpost's words stand in only when the server gave none.
  const fail = (kind: Parameters<typeof answerFailure>[0], ours: string) => answerFailure(kind, answer, now, said ? { said } : { ours });
  if (status === 401) return fail('auth', 'The access token is invalid');
  if (status === 403) return fail('auth', 'This action is outside the authorized scopes');
  if (status === 422) return fail('validation', 'Validation failed');
  if (status === 413) return fail('validation', 'The file is larger than this server accepts.');
  if (status === 429) return fail('rate_limited', 'Too many requests');
  if (status === 400 && (oauthCode(body) === 'invalid_grant' || oauthCode(body) === 'invalid_client')) return fail('auth', 'The sign-in was refused');
  if (status === 408 || status >= 500) return fail('transient', `The server answered ${status}`);
  return fail('permanent', `The server answered ${status}`);
}

/** A 2xx we cannot read: the server may have acted on the request. */
export function unexpected(what: string): ConnectorError {
  return new ConnectorError('permanent', `Unexpected answer from the server: ${what}`, { delivery: 'maybe_sent' });
}

// ---------------------------------------------------------------------------------------------
// The instance

function numberOr(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : fallback;
}

export async function readInstance(http: MastodonHttp): Promise<{ domain: string | undefined; limits: MastodonLimits }> {
  let answer = await send(http, 'GET', '/api/v2/instance', { accept: [404] });
  // Servers before 4.0 have only v1, which carries the same `configuration`.
  if (answer.status === 404) answer = await send(http, 'GET', '/api/v1/instance');
  const body = isObject(answer.body) ? answer.body : {};
  const configuration = isObject(body.configuration) ? body.configuration : {};
  const statuses = isObject(configuration.statuses) ? configuration.statuses : {};
  const media = isObject(configuration.media_attachments) ? configuration.media_attachments : {};
  const d = DEFAULT_MASTODON_LIMITS;
  const mimes = Array.isArray(media.supported_mime_types) ? media.supported_mime_types.filter((m): m is string => typeof m === 'string') : [];
  return {
    domain: typeof body.domain === 'string' ? body.domain : typeof body.uri === 'string' ? body.uri : undefined,
    limits: {
      maxCharacters: numberOr(statuses.max_characters, numberOr(body.max_toot_chars, d.maxCharacters)),
      maxMediaAttachments: numberOr(statuses.max_media_attachments, d.maxMediaAttachments),
      charactersReservedPerUrl: numberOr(statuses.characters_reserved_per_url, d.charactersReservedPerUrl),
      imageSizeLimit: numberOr(media.image_size_limit, d.imageSizeLimit),
      videoSizeLimit: numberOr(media.video_size_limit, d.videoSizeLimit),
      supportedMimeTypes: mimes.length ? mimes : d.supportedMimeTypes,
    },
  };
}

/** Re-reads the instance's limits (they change when the admin changes them). */
export async function readMastodonLimits(ctx: Pick<MastodonContext, 'baseUrl' | 'fetch' | 'now' | 'signal'>, requestTimeoutMs = DEFAULT_CALL_TIMEOUT_MS): Promise<MastodonLimits> {
  return (await readInstance(mastodonHttp(ctx, requestTimeoutMs))).limits;
}
