import {
  beforeSending,
  ConnectorError,
  type Connector,
  type ConnectorContext,
  type MediaItem,
  type NativeSchedule,
  type NativeState,
  type PublishRequest,
  type PublishedPost,
  type VerifyOutcome,
} from '../../core/connector';
import { deliveryOfStatus, deliveryOfTransport } from '../../core/outcome';
import { openLoopbackListener } from '../oauth/loopback';

/**
 * Mastodon (any instance): sign-in, publish, native scheduling, delete and verify-after-crash.
 * Endpoints and error shapes: shared/networks/CONTRACTS.md §3.
 *
 * Decisions worth knowing:
 * - Verify after a crash only reads: it lists the account's statuses created since the attempt
 *   started and matches their text. It never re-sends, because a verify must not publish, and
 *   the server keeps an Idempotency-Key for 1 h only. Every POST still carries the key, so a
 *   retry the scheduler decides to make within that hour is deduplicated by the server.
 * - Native scheduling needs `at` at least 5 minutes ahead (Mastodon's minimum) plus a margin
 *   (default 1 minute) for clock skew and upload time; closer than that is a validation error,
 *   and the scheduler publishes directly instead. A past `scheduled_at` would make Mastodon
 *   publish at once, which is why we never send one.
 * - updateNative moves the time with PUT when text, language and visibility are unchanged and
 *   the post has no media (media cannot be compared byte for byte); otherwise it creates the new
 *   scheduled status first and then deletes the old one, so a failed edit leaves the old one.
 *   `rescheduleNative` is the cheap path for a caller that knows only the time moved.
 * - Deleting a status or cancelling a schedule that is already gone: delete counts it as done;
 *   cancel throws `permanent` (status 404) because the post may have gone out: check it with
 *   `checkNative`.
 */

export const MASTODON_SCOPES = 'read:accounts read:statuses write:statuses write:media';
/** Mastodon refuses a `scheduled_at` closer than this. */
export const MASTODON_MIN_SCHEDULE_AHEAD_MS = 5 * 60_000;

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

export interface MastodonOptions {
  /** Per request (default 30 s); uploads get `uploadTimeoutMs` (default 120 s). */
  requestTimeoutMs?: number;
  uploadTimeoutMs?: number;
  /** Polling a 202 upload: first wait, doubling up to maxDelayMs, giving up after maxWaitMs in total. */
  mediaPoll?: { firstDelayMs: number; maxDelayMs: number; maxWaitMs: number };
  /** Added to Mastodon's 5-minute minimum for native schedules (default 60 s). */
  scheduleMarginMs?: number;
  /** Verify says "ask again later" rather than "not found" for attempts younger than this (default 30 s). */
  verifySettleMs?: number;
  /** How far the server's clock may be behind ours when matching created_at (default 5 min). */
  clockSkewMs?: number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export const DEFAULT_MASTODON_LIMITS: MastodonLimits = {
  maxCharacters: 500,
  maxMediaAttachments: 4,
  charactersReservedPerUrl: 23,
  imageSizeLimit: 16 * 1024 * 1024,
  videoSizeLimit: 99 * 1024 * 1024,
  supportedMimeTypes: ['image/jpeg', 'image/png', 'image/gif', 'image/heic', 'image/heif', 'image/webp', 'image/avif', 'video/webm', 'video/mp4', 'video/quicktime'],
};

// ---------------------------------------------------------------------------------------------
// HTTP and error mapping

interface Http {
  baseUrl: string;
  fetch: typeof fetch;
  now(): number;
  signal?: AbortSignal;
  token?: string;
  timeoutMs: number;
}

interface SendInit {
  json?: unknown;
  form?: Record<string, string>;
  multipart?: FormData;
  headers?: Record<string, string>;
  timeoutMs?: number;
  /** Statuses handed back to the caller instead of being thrown (404 where "gone" is an answer). */
  accept?: number[];
}

interface Answer {
  status: number;
  headers: Headers;
  body: unknown;
}

const OFFLINE_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH', 'ENETDOWN', 'EADDRNOTAVAIL']);

async function send(http: Http, method: string, path: string, init: SendInit = {}): Promise<Answer> {
  const headers: Record<string, string> = { accept: 'application/json', ...init.headers };
  if (http.token) headers.authorization = `Bearer ${http.token}`;
  let body: string | URLSearchParams | FormData | undefined;
  if (init.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(init.json);
  } else if (init.form) {
    body = new URLSearchParams(init.form);
  } else if (init.multipart) {
    body = init.multipart;
  }
  const timeoutMs = init.timeoutMs ?? http.timeoutMs;
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = http.signal ? AbortSignal.any([http.signal, timeout]) : timeout;
  const host = hostOf(http.baseUrl);
  let status: number;
  let responseHeaders: Headers;
  let text: string;
  try {
    const response = await http.fetch(`${http.baseUrl}${path}`, { method, headers, body, signal, redirect: 'manual' });
    status = response.status;
    responseHeaders = response.headers;
    text = await response.text();
  } catch (error) {
    if (http.signal?.aborted) throw http.signal.reason ?? error;
    if (timeout.aborted) {
      throw new ConnectorError('transient', `${host} did not answer within ${Math.round(timeoutMs / 1000)} s.`, { cause: error, delivery: deliveryOfTransport(error) });
    }
    throw networkError(error, host);
  }
  const parsed = parseJson(text);
  if ((status >= 200 && status < 300) || init.accept?.includes(status)) {
    return { status, headers: responseHeaders, body: parsed };
  }
  throw httpError(status, parsed, responseHeaders, http.now());
}

function parseJson(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function hostOf(baseUrl: string): string {
  try {
    return new URL(baseUrl).host;
  } catch {
    return baseUrl;
  }
}

/** Every `code` along the cause chain (undici wraps socket errors, happy eyeballs aggregates them). */
function errorCodes(error: unknown, seen = new Set<unknown>()): string[] {
  if (typeof error !== 'object' || error === null || seen.has(error)) return [];
  seen.add(error);
  const e = error as { code?: unknown; cause?: unknown; errors?: unknown };
  const codes = typeof e.code === 'string' ? [e.code] : [];
  codes.push(...errorCodes(e.cause, seen));
  if (Array.isArray(e.errors)) for (const inner of e.errors) codes.push(...errorCodes(inner, seen));
  return codes;
}

function networkError(error: unknown, host: string): ConnectorError {
  const codes = errorCodes(error);
  if (codes.some((code) => OFFLINE_CODES.has(code))) {
    return new ConnectorError('offline', `Could not reach ${host}: this computer seems to be offline.`, { cause: error, delivery: deliveryOfTransport(error) });
  }
  const code = codes[0] ?? (error instanceof Error ? error.message : 'network error');
  return new ConnectorError('transient', `The connection to ${host} failed (${code}).`, { cause: error, delivery: deliveryOfTransport(error) });
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

/** X-RateLimit-Reset is an ISO-8601 instant on Mastodon; a bare number is read as epoch seconds or a delay. */
export function retryAfterFromHeaders(headers: Headers, now: number): number | undefined {
  const reset = headers.get('x-ratelimit-reset');
  if (reset) {
    const trimmed = reset.trim();
    const at = /^\d+(\.\d+)?$/.test(trimmed)
      ? Number(trimmed) > 1e9
        ? Number(trimmed) * 1000
        : now + Number(trimmed) * 1000
      : Date.parse(trimmed);
    if (Number.isFinite(at)) return Math.max(0, at - now);
  }
  const retryAfter = headers.get('retry-after');
  if (retryAfter) {
    const seconds = Number(retryAfter);
    if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
    const at = Date.parse(retryAfter);
    if (Number.isFinite(at)) return Math.max(0, at - now);
  }
  return undefined;
}

function httpError(status: number, body: unknown, headers: Headers, now: number): ConnectorError {
  const message = serverMessage(body);
  const details = { status, delivery: deliveryOfStatus(status) };
  if (status === 401) return new ConnectorError('auth', message ?? 'The access token is invalid', details);
  if (status === 403) return new ConnectorError('auth', message ?? 'This action is outside the authorized scopes', details);
  if (status === 422) return new ConnectorError('validation', message ?? 'Validation failed', details);
  if (status === 413) return new ConnectorError('validation', message ?? 'The file is larger than this server accepts.', details);
  if (status === 429) {
    return new ConnectorError('rate_limited', message ?? 'Too many requests', { ...details, retryAfterMs: retryAfterFromHeaders(headers, now) });
  }
  if (status === 400 && (oauthCode(body) === 'invalid_grant' || oauthCode(body) === 'invalid_client')) {
    return new ConnectorError('auth', message ?? 'The sign-in was refused', details);
  }
  if (status === 408 || status >= 500) {
    const retryAfterMs = retryAfterFromHeaders(headers, now);
    return new ConnectorError('transient', message ?? `The server answered ${status}`, retryAfterMs === undefined ? details : { ...details, retryAfterMs });
  }
  return new ConnectorError('permanent', message ?? `The server answered ${status}`, details);
}

/** A 2xx we cannot read: the server may have acted on the request. */
function unexpected(what: string): ConnectorError {
  return new ConnectorError('permanent', `Unexpected answer from the server: ${what}`, { delivery: 'maybe_sent' });
}

// ---------------------------------------------------------------------------------------------
// Entities (only the fields we read)

interface Status {
  id: string;
  created_at: string;
  url: string | null;
  uri: string;
  content: string;
  media_attachments: Array<{ id: string }>;
}

interface ScheduledStatus {
  id: string;
  scheduled_at: string;
  params: { text?: string | null; language?: string | null; visibility?: string | null; media_ids?: string[] | null };
  media_attachments?: Array<{ id: string }>;
}

interface MediaAttachment {
  id: string;
  url: string | null;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function asStatus(value: unknown): Status {
  if (!isObject(value) || typeof value.id !== 'string' || typeof value.created_at !== 'string') throw unexpected('not a status');
  return {
    id: value.id,
    created_at: value.created_at,
    url: typeof value.url === 'string' ? value.url : null,
    uri: typeof value.uri === 'string' ? value.uri : '',
    content: typeof value.content === 'string' ? value.content : '',
    media_attachments: Array.isArray(value.media_attachments) ? (value.media_attachments as Array<{ id: string }>) : [],
  };
}

function asScheduled(value: unknown): ScheduledStatus {
  if (!isObject(value) || typeof value.id !== 'string' || typeof value.scheduled_at !== 'string') throw unexpected('not a scheduled status');
  return { id: value.id, scheduled_at: value.scheduled_at, params: isObject(value.params) ? (value.params as ScheduledStatus['params']) : {} };
}

function toPublished(status: Status): PublishedPost {
  return { remoteId: status.id, url: status.url ?? (status.uri || null), publishedAt: Date.parse(status.created_at) };
}

function toNative(scheduled: ScheduledStatus): NativeSchedule {
  return { nativeId: scheduled.id, scheduledAt: Date.parse(scheduled.scheduled_at) };
}

/** Mastodon's HTML back to the text that was posted (links keep their hidden parts, mentions lose their domain). */
export function statusText(html: string): string {
  return decodeEntities(
    html
      .replace(/<br\s*\/?>/gi, '\n')
      .replace(/<\/p>\s*<p[^>]*>/gi, '\n\n')
      .replace(/<[^>]*>/g, ''),
  ).trim();
}

function decodeEntities(text: string): string {
  const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, entity: string) => {
    if (entity[0] === '#') {
      const code = entity[1] === 'x' || entity[1] === 'X' ? parseInt(entity.slice(2), 16) : parseInt(entity.slice(1), 10);
      return Number.isFinite(code) ? String.fromCodePoint(code) : whole;
    }
    return named[entity.toLowerCase()] ?? whole;
  });
}

/** What two texts must share to be the same post: remote mentions lose their domain and whitespace collapses. */
function comparable(text: string): string {
  return text
    .normalize('NFC')
    .replace(/(^|[^\w])@([\w.-]+)@[\w.-]+\w/g, '$1@$2')
    .replace(/\s+/g, ' ')
    .trim();
}

// ---------------------------------------------------------------------------------------------
// Sign-in

export interface MastodonSignInOptions {
  /** "mastodon.social", "https://mastodon.social/" or "@me@mastodon.social". */
  instance: string;
  /** The system browser (Electron: shell.openExternal). */
  openExternal(url: string): Promise<void>;
  fetch?: typeof fetch;
  now?: () => number;
  signal?: AbortSignal;
  /** How long the browser has to come back (default 5 minutes). */
  timeoutMs?: number;
  requestTimeoutMs?: number;
  /** Ask the instance to show its login form even when the browser is signed in (a second account). */
  forceLogin?: boolean;
}

export interface MastodonSignIn {
  /** https://instance, no trailing slash: the account's ConnectorContext.baseUrl. */
  baseUrl: string;
  account: { id: string; acct: string; username: string; displayName: string; url: string };
  /** Non-secret: goes to SQLite. */
  config: MastodonConfig;
  /** The one keychain secret (JSON of MastodonCredentials); never in SQLite or logs. */
  secret: string;
  /** Whether the code exchange was bound with PKCE (false only on servers older than 4.3). */
  pkce: boolean;
}

/** Reads the keychain secret written at sign-in. */
export function readMastodonSecret(secret: string): MastodonCredentials {
  const value = parseJson(secret);
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

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** https://host without a trailing slash; plain http only for loopback (test servers). */
export function normalizeInstanceUrl(instance: string): string {
  let input = instance.trim();
  const handle = /^@?[^@\s/]+@([^@\s/]+)$/.exec(input);
  if (handle) input = handle[1]!;
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(input)) input = `https://${input}`;
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    throw new ConnectorError('validation', `"${instance}" is not a server address.`);
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname))) {
    throw new ConnectorError('validation', 'Outpost signs in to Mastodon servers only over https.');
  }
  return url.origin;
}

/**
 * Signs in to any instance (RFC 8252): registers Outpost as an app for this loopback URL,
 * opens the system browser on /oauth/authorize with PKCE S256 and a state, exchanges the code,
 * then reads the account and the instance's limits. Throws SignInError (browser side: timeout,
 * denied, cancelled) or ConnectorError (HTTP side).
 *
 * PKCE is used whenever /.well-known/oauth-authorization-server offers S256 (Mastodon 4.3+).
 * An older server (404 there) still gets the plain code flow: the client secret was created for
 * this install a moment ago and never leaves it, so an intercepted code is useless on its own.
 */
export async function signInToMastodon(options: MastodonSignInOptions): Promise<MastodonSignIn> {
  const baseUrl = normalizeInstanceUrl(options.instance);
  const http: Http = {
    baseUrl,
    fetch: options.fetch ?? fetch,
    now: options.now ?? Date.now,
    timeoutMs: options.requestTimeoutMs ?? 30_000,
    ...(options.signal ? { signal: options.signal } : {}),
  };

  const metadata = await send(http, 'GET', '/.well-known/oauth-authorization-server', { accept: [404] });
  const methods = isObject(metadata.body) ? metadata.body.code_challenge_methods_supported : undefined;
  const pkce = metadata.status === 200 && Array.isArray(methods) && methods.includes('S256');

  const listener = await openLoopbackListener({
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  try {
    const app = await send(http, 'POST', '/api/v1/apps', {
      // A string, not an array: servers before 4.3 accept only that form.
      json: { client_name: 'Outpost', redirect_uris: listener.redirectUri, scopes: MASTODON_SCOPES },
    });
    const clientId = isObject(app.body) ? app.body.client_id : undefined;
    const clientSecret = isObject(app.body) ? app.body.client_secret : undefined;
    if (typeof clientId !== 'string' || typeof clientSecret !== 'string') throw unexpected('no client_id in the app registration');

    const authorize = new URL(`${baseUrl}/oauth/authorize`);
    authorize.searchParams.set('response_type', 'code');
    authorize.searchParams.set('client_id', clientId);
    authorize.searchParams.set('redirect_uri', listener.redirectUri);
    authorize.searchParams.set('scope', MASTODON_SCOPES);
    authorize.searchParams.set('state', listener.state);
    if (pkce) {
      authorize.searchParams.set('code_challenge', listener.pkce.challenge);
      authorize.searchParams.set('code_challenge_method', listener.pkce.method);
    }
    if (options.forceLogin) authorize.searchParams.set('force_login', 'true');

    const { code } = await listener.authorize(authorize.toString(), options.openExternal);

    const form: Record<string, string> = {
      grant_type: 'authorization_code',
      code,
      client_id: clientId,
      client_secret: clientSecret,
      redirect_uri: listener.redirectUri,
      scope: MASTODON_SCOPES,
    };
    if (pkce) form.code_verifier = listener.pkce.verifier;
    const token = await send(http, 'POST', '/oauth/token', { form });
    const accessToken = isObject(token.body) ? token.body.access_token : undefined;
    if (typeof accessToken !== 'string' || !accessToken) throw unexpected('no access_token');
    const granted = isObject(token.body) && typeof token.body.scope === 'string' ? token.body.scope.split(/\s+/) : undefined;
    if (granted && !['write:statuses', 'write:media'].every((scope) => granted.includes(scope) || granted.includes('write'))) {
      throw new ConnectorError('auth', 'The server did not grant permission to post; connect the account again.');
    }

    const authed: Http = { ...http, token: accessToken };
    const me = (await send(authed, 'GET', '/api/v1/accounts/verify_credentials')).body;
    if (!isObject(me) || typeof me.id !== 'string' || typeof me.username !== 'string') throw unexpected('no account');
    const instance = await readInstance(authed);
    const domain = instance.domain ?? new URL(baseUrl).host;
    const acct = typeof me.acct === 'string' && me.acct.includes('@') ? me.acct : `${me.username}@${domain}`;
    const account = {
      id: me.id,
      acct,
      username: me.username,
      displayName: typeof me.display_name === 'string' && me.display_name ? me.display_name : me.username,
      url: typeof me.url === 'string' ? me.url : `${baseUrl}/@${me.username}`,
    };
    const credentials: MastodonCredentials = { clientId, clientSecret, accessToken };
    return {
      baseUrl,
      account,
      config: { accountId: account.id, acct, url: account.url, limits: instance.limits },
      secret: JSON.stringify(credentials),
      pkce,
    };
  } finally {
    listener.close();
  }
}

function numberOr(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : fallback;
}

async function readInstance(http: Http): Promise<{ domain: string | undefined; limits: MastodonLimits }> {
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
export async function readMastodonLimits(ctx: Pick<MastodonContext, 'baseUrl' | 'fetch' | 'now' | 'signal'>, requestTimeoutMs = 30_000): Promise<MastodonLimits> {
  const http: Http = { baseUrl: ctx.baseUrl.replace(/\/+$/, ''), fetch: ctx.fetch, now: ctx.now, timeoutMs: requestTimeoutMs, ...(ctx.signal ? { signal: ctx.signal } : {}) };
  return (await readInstance(http)).limits;
}

/** Revokes the token on the server when the user removes the account (RFC 7009: an unknown token is no error). */
export async function revokeMastodonToken(ctx: Pick<MastodonContext, 'baseUrl' | 'fetch' | 'now' | 'signal' | 'credentials'>, requestTimeoutMs = 30_000): Promise<void> {
  const http: Http = { baseUrl: ctx.baseUrl.replace(/\/+$/, ''), fetch: ctx.fetch, now: ctx.now, timeoutMs: requestTimeoutMs, ...(ctx.signal ? { signal: ctx.signal } : {}) };
  const { clientId, clientSecret, accessToken } = ctx.credentials;
  await send(http, 'POST', '/oauth/revoke', { form: { client_id: clientId, client_secret: clientSecret, token: accessToken } });
}

// ---------------------------------------------------------------------------------------------
// The connector

export type { NativeState } from '../../core/connector';

export interface MastodonConnector extends Connector<MastodonCredentials, MastodonConfig> {
  scheduleNative(ctx: MastodonContext, post: PublishRequest, at: number): Promise<NativeSchedule>;
  updateNative(ctx: MastodonContext, nativeId: string, post: PublishRequest, at: number): Promise<NativeSchedule>;
  cancelNative(ctx: MastodonContext, nativeId: string): Promise<void>;
  verify(ctx: MastodonContext, attempt: { idempotencyKey: string; startedAt: number; text: string }): Promise<VerifyOutcome>;
  /** Moves a scheduled status without touching its content (PUT scheduled_at). */
  rescheduleNative(ctx: MastodonContext, nativeId: string, at: number): Promise<NativeSchedule>;
  /** Did a native post go out? Scheduled still, published (found by its text since `scheduledAt`), or missing. */
  checkNative(ctx: MastodonContext, nativeId: string, expected: { text: string; scheduledAt: number }): Promise<NativeState>;
}

export function createMastodonConnector(options: MastodonOptions = {}): MastodonConnector {
  const requestTimeoutMs = options.requestTimeoutMs ?? 30_000;
  const uploadTimeoutMs = options.uploadTimeoutMs ?? 120_000;
  const poll = options.mediaPoll ?? { firstDelayMs: 500, maxDelayMs: 5_000, maxWaitMs: 120_000 };
  const scheduleMarginMs = options.scheduleMarginMs ?? 60_000;
  const verifySettleMs = options.verifySettleMs ?? 30_000;
  const clockSkewMs = options.clockSkewMs ?? 5 * 60_000;
  const sleep = options.sleep ?? defaultSleep;

  const api = (ctx: MastodonContext): Http => ({
    baseUrl: ctx.baseUrl.replace(/\/+$/, ''),
    fetch: ctx.fetch,
    now: ctx.now,
    token: ctx.credentials.accessToken,
    timeoutMs: requestTimeoutMs,
    ...(ctx.signal ? { signal: ctx.signal } : {}),
  });

  function checkMedia(limits: MastodonLimits, media: MediaItem[]): void {
    if (media.length > limits.maxMediaAttachments) {
      throw new ConnectorError('validation', `This server accepts at most ${limits.maxMediaAttachments} attachments per post.`);
    }
    for (const item of media) {
      if (!limits.supportedMimeTypes.includes(item.mime)) {
        throw new ConnectorError('validation', `This server does not accept ${item.mime} files (${item.fileName}).`);
      }
      const limit = item.mime.startsWith('video/') ? limits.videoSizeLimit : limits.imageSizeLimit;
      if (item.bytes.byteLength > limit) {
        throw new ConnectorError('validation', `${item.fileName} is larger than this server's limit of ${Math.floor(limit / 1024 / 1024)} MB.`);
      }
    }
  }

  async function upload(http: Http, item: MediaItem): Promise<string> {
    const form = new FormData();
    form.append('file', new Blob([item.bytes], { type: item.mime }), item.fileName);
    if (item.alt) form.append('description', item.alt);
    const answer = await send(http, 'POST', '/api/v2/media', { multipart: form, timeoutMs: uploadTimeoutMs });
    const media = answer.body as MediaAttachment | undefined;
    if (!isObject(media) || typeof media.id !== 'string') throw unexpected('no media id');
    if (answer.status === 200 && media.url) return media.id;
    // 202: still processing; the status POST would be refused until `url` is set.
    let waited = 0;
    let delay = poll.firstDelayMs;
    while (waited < poll.maxWaitMs) {
      await sleep(delay, http.signal);
      waited += delay;
      delay = Math.min(delay * 2, poll.maxDelayMs);
      const check = await send(http, 'GET', `/api/v1/media/${encodeURIComponent(media.id)}`);
      const current = check.body as MediaAttachment | undefined;
      if (check.status === 200 && isObject(current) && current.url) return media.id;
    }
    throw new ConnectorError('transient', `The server is still processing ${item.fileName}; Outpost will try again.`);
  }

  async function uploadAll(http: Http, media: MediaItem[]): Promise<string[]> {
    const ids: string[] = [];
    // One at a time, in order: the order of media_ids is the order in the post, and uploads are rate limited.
    for (const item of media) ids.push(await upload(http, item));
    return ids;
  }

  function statusBody(ctx: MastodonContext, post: PublishRequest, mediaIds: string[], at?: number): Record<string, unknown> {
    const body: Record<string, unknown> = { status: post.text, visibility: ctx.config.visibility ?? 'public' };
    if (mediaIds.length) body.media_ids = mediaIds;
    if (post.language) body.language = post.language;
    if (at !== undefined) body.scheduled_at = new Date(at).toISOString();
    return body;
  }

  function checkScheduleTime(ctx: MastodonContext, at: number): void {
    if (at - ctx.now() < MASTODON_MIN_SCHEDULE_AHEAD_MS + scheduleMarginMs) {
      throw new ConnectorError(
        'validation',
        `Mastodon schedules posts only at least ${Math.ceil((MASTODON_MIN_SCHEDULE_AHEAD_MS + scheduleMarginMs) / 60_000)} minutes ahead.`,
      );
    }
  }

  async function createScheduled(ctx: MastodonContext, post: PublishRequest, at: number, idempotencyKey: string): Promise<NativeSchedule> {
    checkScheduleTime(ctx, at);
    checkMedia(ctx.config.limits, post.media);
    const http = api(ctx);
    const mediaIds = await beforeSending(() => uploadAll(http, post.media));
    const answer = await send(http, 'POST', '/api/v1/statuses', {
      json: statusBody(ctx, post, mediaIds, at),
      headers: { 'idempotency-key': idempotencyKey },
    });
    return toNative(asScheduled(answer.body));
  }

  async function reschedule(ctx: MastodonContext, nativeId: string, at: number): Promise<NativeSchedule> {
    checkScheduleTime(ctx, at);
    const answer = await send(api(ctx), 'PUT', `/api/v1/scheduled_statuses/${encodeURIComponent(nativeId)}`, {
      json: { scheduled_at: new Date(at).toISOString() },
    });
    return toNative(asScheduled(answer.body));
  }

  /** The account's statuses created at or after `since` (server clock, minus skew), oldest first; null when the window is too long to list. */
  async function statusesSince(ctx: MastodonContext, since: number): Promise<Status[] | null> {
    const http = api(ctx);
    const found: Status[] = [];
    let maxId: string | undefined;
    for (let page = 0; page < 5; page++) {
      const query = new URLSearchParams({ limit: '40', exclude_reblogs: 'true' });
      if (maxId) query.set('max_id', maxId);
      const answer = await send(http, 'GET', `/api/v1/accounts/${encodeURIComponent(ctx.config.accountId)}/statuses?${query}`);
      if (!Array.isArray(answer.body)) throw unexpected('not a list of statuses');
      const statuses = answer.body.map(asStatus);
      for (const status of statuses) {
        if (Date.parse(status.created_at) < since - clockSkewMs) return found.reverse();
        found.push(status);
      }
      if (statuses.length < 40) return found.reverse();
      maxId = statuses[statuses.length - 1]!.id;
    }
    return null;
  }

  async function findByText(ctx: MastodonContext, text: string, since: number): Promise<Status | null | 'unknown'> {
    const statuses = await statusesSince(ctx, since);
    if (statuses === null) return 'unknown';
    const wanted = comparable(text);
    const matches = statuses.filter((s) => comparable(statusText(s.content)) === wanted && (wanted !== '' || s.media_attachments.length > 0));
    // The first match from `since` on; one a little earlier only when the server's clock runs behind ours.
    return matches.find((s) => Date.parse(s.created_at) >= since) ?? matches.at(-1) ?? null;
  }

  const connector: MastodonConnector = {
    network: 'mastodon',

    async publish(ctx, post) {
      checkMedia(ctx.config.limits, post.media);
      const http = api(ctx);
      const mediaIds = await beforeSending(() => uploadAll(http, post.media));
      const answer = await send(http, 'POST', '/api/v1/statuses', {
        json: statusBody(ctx, post, mediaIds),
        headers: { 'idempotency-key': post.idempotencyKey },
      });
      return toPublished(asStatus(answer.body));
    },

    async delete(ctx, remoteId) {
      // 404: already deleted (by us before a crash, or by the user); the goal is reached.
      await send(api(ctx), 'DELETE', `/api/v1/statuses/${encodeURIComponent(remoteId)}?delete_media=true`, { accept: [404] });
    },

    scheduleNative(ctx, post, at) {
      return createScheduled(ctx, post, at, post.idempotencyKey);
    },

    async updateNative(ctx, nativeId, post, at) {
      const answer = await send(api(ctx), 'GET', `/api/v1/scheduled_statuses/${encodeURIComponent(nativeId)}`, { accept: [404] });
      if (answer.status === 404) throw goneError();
      const current = asScheduled(answer.body);
      const params = current.params;
      const sameContent =
        (params.text ?? '') === post.text &&
        (params.language ?? null) === (post.language ?? params.language ?? null) &&
        (params.visibility ?? 'public') === (ctx.config.visibility ?? 'public') &&
        post.media.length === 0 &&
        (params.media_ids ?? []).length === 0;
      if (sameContent) return reschedule(ctx, nativeId, at);
      // A key of its own: a retry of this edit is deduplicated, and it cannot collide with the original schedule's key.
      const replacement = await createScheduled(ctx, post, at, `${post.idempotencyKey}:replaces:${nativeId}`);
      await send(api(ctx), 'DELETE', `/api/v1/scheduled_statuses/${encodeURIComponent(nativeId)}`, { accept: [404] });
      return replacement;
    },

    async cancelNative(ctx, nativeId) {
      const answer = await send(api(ctx), 'DELETE', `/api/v1/scheduled_statuses/${encodeURIComponent(nativeId)}`, { accept: [404] });
      if (answer.status === 404) throw goneError();
    },

    rescheduleNative: reschedule,

    async checkNative(ctx, nativeId, expected) {
      const answer = await send(api(ctx), 'GET', `/api/v1/scheduled_statuses/${encodeURIComponent(nativeId)}`, { accept: [404] });
      if (answer.status !== 404) return { state: 'scheduled', schedule: toNative(asScheduled(answer.body)) };
      const status = await findByText(ctx, expected.text, expected.scheduledAt);
      if (status === 'unknown') throw new ConnectorError('transient', 'Too many posts since the scheduled time to check this one.');
      return status ? { state: 'published', post: toPublished(status) } : { state: 'missing' };
    },

    async verify(ctx, attempt) {
      const status = await findByText(ctx, attempt.text, attempt.startedAt);
      if (status === 'unknown') return { found: 'unknown' };
      if (status) return { found: true, post: toPublished(status) };
      const age = ctx.now() - attempt.startedAt;
      if (age < verifySettleMs) {
        // A request cut off by the crash may still be finishing on the server: ask again shortly.
        throw new ConnectorError('transient', 'Too early to tell whether the post went out.', { retryAfterMs: verifySettleMs - age });
      }
      return { found: false };
    },
  };
  return connector satisfies Connector<MastodonCredentials, MastodonConfig>;
}

function goneError(): ConnectorError {
  return new ConnectorError('permanent', 'This post is no longer scheduled on the server: it was published or cancelled there.', { status: 404 });
}

function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export const mastodonConnector = createMastodonConnector();
