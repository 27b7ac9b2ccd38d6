import { createHash } from 'node:crypto';
import { ConnectorError, type ConnectorContext, type FailureKind } from '../../../core/connector';
import { answerFailure, httpCall, isObject, isSuccess } from '../kit/http';
import { hostOf, trimBaseUrl } from '../kit/urls';

/**
 * XRPC as the Bluesky connector and the account code call it (shared/networks/CONTRACTS.md §4):
 * the account's types, one call over the connector kit, XRPC's error shapes as failure kinds,
 * and the app-password sessions (create, refresh, end) the connector signs in and renews with.
 */

export interface BlueskyCredentials {
  /** The handle the app password belongs to ("alice.bsky.social"). */
  handle: string;
  /** xxxx-xxxx-xxxx-xxxx, made in Bluesky's settings; never the account password. */
  appPassword: string;
  did?: string;
  /** The current session; absent until the first sign-in. */
  accessJwt?: string;
  refreshJwt?: string;
}

export interface BlueskyConfig {
  /** The account's DID, stable when the handle changes. */
  did?: string;
}

export type BlueskyContext = ConnectorContext<BlueskyCredentials, BlueskyConfig>;

export interface BlueskySession {
  did: string;
  handle: string;
  accessJwt: string;
  refreshJwt: string;
}

/** Beyond the Connector interface: the connect-time sign-in. */
export const REPLACE_APP_PASSWORD = 'make a new app password in Bluesky (Settings → Privacy and security → App passwords) and reconnect the account';

export type XrpcBody = Record<string, unknown>;

export interface XrpcReply {
  status: number;
  body: XrpcBody;
  headers: Headers;
}

export interface CallInit {
  query?: Record<string, string>;
  json?: unknown;
  bytes?: { data: Uint8Array; type: string };
  /** POST without a body (refreshSession). */
  post?: boolean;
  bearer?: string;
  timeoutMs: number;
  /** An upload's progress, for the post to show. */
  onUploadProgress?: ((sent: number, total: number) => void) | undefined;
}


export function bareHandle(handle: string): string {
  return handle.trim().replace(/^@/, '').toLowerCase();
}

// ---------------------------------------------------------------------------------------------
// Sessions

function identifierOf(ctx: BlueskyContext): string {
  // The DID, when known: a handle can change, the DID cannot.
  return ctx.credentials.did ?? ctx.config.did ?? bareHandle(ctx.credentials.handle);
}

/** Which in-memory session belongs to this context: server, account and app password. */
export function accountKey(ctx: BlueskyContext): string {
  const password = createHash('sha256').update(ctx.credentials.appPassword).digest('hex');
  return `${trimBaseUrl(ctx.baseUrl)}\n${identifierOf(ctx)}\n${password}`;
}

function sessionOf(body: XrpcBody): BlueskySession | null {
  const { did, handle, accessJwt, refreshJwt } = body;
  if (typeof did !== 'string' || typeof handle !== 'string' || typeof accessJwt !== 'string' || typeof refreshJwt !== 'string') return null;
  return { did, handle, accessJwt, refreshJwt };
}

export async function createSession(ctx: BlueskyContext, timeoutMs: number): Promise<BlueskySession> {
  const appPassword = ctx.credentials.appPassword?.trim();
  if (!appPassword) throw new ConnectorError('auth', `There is no Bluesky app password for this account; ${REPLACE_APP_PASSWORD}.`);
  const reply = await send(ctx, 'com.atproto.server.createSession', {
    json: { identifier: identifierOf(ctx), password: appPassword },
    timeoutMs,
  });
  const session = reply.status === 200 ? sessionOf(reply.body) : null;
  if (session) return session;
  if (reply.body['error'] === 'AuthFactorTokenRequired') {
    throw answerFailure('auth', reply, ctx.now(), { said: xrpcSaid(reply), ours: `this is the account's password, not an app password; ${REPLACE_APP_PASSWORD}.` });
  }
  if (reply.status === 401) {
    throw answerFailure('auth', reply, ctx.now(), { said: xrpcSaid(reply), ours: `Bluesky does not accept this app password; ${REPLACE_APP_PASSWORD}.` });
  }
  if (reply.status === 200) throw new ConnectorError('permanent', 'Bluesky answered the sign-in without a session.');
  throw failureOf(reply, ctx.now());
}

/** A new session from the refresh token; null when that token is expired or revoked. */
export async function refreshSession(ctx: BlueskyContext, stale: BlueskySession, timeoutMs: number): Promise<BlueskySession | null> {
  const reply = await send(ctx, 'com.atproto.server.refreshSession', { post: true, bearer: stale.refreshJwt, timeoutMs });
  if (isTokenProblem(reply)) return null;
  const session = reply.status === 200 ? sessionOf(reply.body) : null;
  if (session) return session;
  throw failureOf(reply, ctx.now());
}

/** Ends the session on the server when the account is removed (the app password itself can only be revoked in Bluesky's settings); its answer is not awaited for meaning. */
export async function endBlueskySession(ctx: Pick<BlueskyContext, 'baseUrl' | 'fetch' | 'credentials'>, timeoutMs = 10_000): Promise<void> {
  const { refreshJwt } = ctx.credentials;
  if (refreshJwt) await send(ctx, 'com.atproto.server.deleteSession', { post: true, bearer: refreshJwt, timeoutMs });
}

export async function persist(ctx: BlueskyContext, session: BlueskySession): Promise<void> {
  try {
    await ctx.saveCredentials?.({ ...ctx.credentials, ...session });
  } catch {
    // The session still works from memory; after a restart the app password signs in again.
  }
}

/** 400 ExpiredToken / InvalidToken and 401: a fresh session may succeed where this one failed. */
export function isTokenProblem(reply: XrpcReply): boolean {
  const error = reply.body['error'];
  return reply.status === 401 || (reply.status === 400 && (error === 'ExpiredToken' || error === 'InvalidToken'));
}

// ---------------------------------------------------------------------------------------------
// XRPC over the connector kit, and its error shapes

/** One XRPC call; only a call that got no answer throws here (offline or transient). */
export async function send(ctx: Pick<BlueskyContext, 'baseUrl' | 'fetch' | 'signal'>, method: string, init: CallInit): Promise<XrpcReply> {
  const answer = await httpCall(
    { baseUrl: ctx.baseUrl, fetch: ctx.fetch, name: hostOf(ctx.baseUrl), timeoutMs: init.timeoutMs, signal: ctx.signal, redirect: 'error' },
    {
      path: `/xrpc/${method}`,
      bearer: init.bearer,
      ...(init.post ? { method: 'POST' } : {}),
      ...(init.query ? { query: init.query } : {}),
      ...(init.json !== undefined ? { json: init.json } : init.bytes ? { bytes: init.bytes } : {}),
      ...(init.onUploadProgress ? { onUploadProgress: init.onUploadProgress } : {}),
    },
  );
  // Not XRPC JSON (a proxy's error page): judged by its status alone.
  return { status: answer.status, body: isObject(answer.json) ? answer.json : {}, headers: answer.headers };
}

export function expectOk(reply: XrpcReply, ctx: Pick<BlueskyContext, 'now'>): XrpcBody {
  if (isSuccess(reply.status)) return reply.body;
  throw failureOf(reply, ctx.now());
}

/** XRPC's `{error, message}`, the PDS's own words; undefined when the answer has neither. */
export function xrpcSaid(reply: XrpcReply): string | undefined {
  const { error, message } = reply.body;
  const parts = [typeof error === 'string' ? error : '', typeof message === 'string' ? message : ''].filter(Boolean);
  return parts.length > 0 ? parts.join(': ') : undefined;
}

/** Errors that mean the account itself cannot post until the user acts. */
const ACCOUNT_ERRORS = new Set([
  'ExpiredToken',
  'InvalidToken',
  'AuthMissing',
  'AuthenticationRequired',
  'AccountTakedown',
  'AccountDeactivated',
  'AccountNotFound',
  'RepoNotFound',
  'RepoTakendown',
  'RepoDeactivated',
  'RepoSuspended',
]);

/** Maps an XRPC error answer (`{error, message}` plus status and headers) to a failure kind. */
function failureOf(reply: XrpcReply, now: number): ConnectorError {
  const { status } = reply;
  const error = typeof reply.body['error'] === 'string' ? reply.body['error'] : '';
  const said = xrpcSaid(reply);
  const fail = (kind: FailureKind, ours?: string) => answerFailure(kind, reply, now, { said, ours });
  if (status === 429 || error === 'RateLimitExceeded') return fail('rate_limited');
  if (status === 401 || status === 403 || ACCOUNT_ERRORS.has(error)) return fail('auth', `Bluesky no longer accepts this sign-in; ${REPLACE_APP_PASSWORD}.`);
  if (status === 400 || status === 413) return fail('validation');
  if (status >= 500) return fail('transient');
  // 404 and the like: the address is not a PDS, or it does not have this method.
  return fail('permanent');
}

