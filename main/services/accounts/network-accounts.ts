import type { AccountDefaults, ConnectableNetwork, Connection, Credentials } from '../../core/contract';
import { ConnectorError, type FailureKind } from '../../core/connector';
import { DomainError } from '../../core/errors';
import type { NetworkId } from '../../core/networks/ids';
import {
  normalizeInstanceUrl,
  readMastodonSecret,
  revokeMastodonToken,
  signInToMastodon,
  type MastodonConfig,
  type MastodonSignIn,
} from '../connectors/mastodon';
import { normalizeServerUrl, type ConnectorRegistry } from '../connectors/registry';
import { checkTelegramChannel, type TelegramConfig, type TelegramCredentials } from '../connectors/telegram';
import { SignInError } from '../oauth/loopback';
import type { AccountRow, ConnectedAccount } from './accounts-repo';

/**
 * How each network's account is proven before anything is saved: Telegram asks the Bot API
 * whether the bot may post in the channel; Mastodon signs in through the browser (app
 * registration, PKCE, loopback). Failures come out as DomainErrors naming the field to fix.
 */

export interface SignInEnv {
  registry: ConnectorRegistry;
  now(): number;
  /** The system browser (Electron) or the browser host's stand-in. */
  openExternal(url: string): Promise<void>;
  /** Aborted by accounts.cancelSignIn or by a newer sign-in. */
  signal: AbortSignal;
}

/** A proven account and its one secret, which goes to the keychain and nowhere else. */
export interface VerifiedAccount extends ConnectedAccount {
  secret: string;
}

export interface NetworkAccounts {
  network: ConnectableNetwork;
  /** True when connecting waits for the user in the browser (one at a time, cancellable). */
  usesBrowser: boolean;
  connect(env: SignInEnv, connection: Connection): Promise<VerifiedAccount>;
  reconnect(env: SignInEnv, row: AccountRow, credentials: Credentials): Promise<VerifiedAccount>;
  /** The defaults fields this network uses. */
  defaultFields: ReadonlyArray<keyof AccountDefaults>;
  /** Stored defaults completed with the network's own defaults. */
  defaults(stored: AccountDefaults): AccountDefaults;
  /** The connector's config: what connect stored, plus the defaults the connector applies itself. */
  connectorConfig(row: AccountRow, defaults: AccountDefaults): unknown;
  /** The connector's credentials from the keychain secret. */
  credentials(secret: string): unknown;
  /** Best effort, after the secret is gone: tell the network this sign-in is no longer used. */
  retire?(env: Omit<SignInEnv, 'signal' | 'openExternal'>, baseUrl: string | null, secret: string): Promise<void>;
}

const networkNames: Record<ConnectableNetwork, string> = { telegram: 'Telegram', mastodon: 'The Mastodon server', bluesky: 'Bluesky' };

function required(value: string, field: string, reason: string): string {
  const trimmed = value.trim();
  if (trimmed === '') throw new DomainError('validation', `${field} is empty.`, { field, reason });
  return trimmed;
}

/** A network failure that is not about what the user typed: offline, busy, or refusing. */
function networkFailure(network: ConnectableNetwork, error: ConnectorError): DomainError {
  const reasons: Record<FailureKind, string> = {
    offline: 'network_offline',
    rate_limited: 'network_rate_limited',
    transient: 'network_unreachable',
    permanent: 'network_refused',
    auth: 'network_refused',
    validation: 'network_refused',
  };
  return new DomainError('network', `${networkNames[network]} could not be used: ${error.networkMessage}`, {
    reason: reasons[error.kind],
    networkMessage: error.networkMessage,
  });
}

function credentialFailure(network: ConnectableNetwork, error: ConnectorError, field: string, reason: string): DomainError {
  return new DomainError('validation', `${networkNames[network]} refused: ${error.networkMessage}`, {
    field,
    reason,
    networkMessage: error.networkMessage,
  });
}

// ---------------------------------------------------------------------------------------------
// Telegram

const TELEGRAM_TOKEN = /^\d+:[A-Za-z0-9_-]{20,}$/;
const TELEGRAM_PUBLIC = /^@[A-Za-z][A-Za-z0-9_]{3,31}$/;
const TELEGRAM_PRIVATE = /^-100\d{5,}$/;

/** "@name", "name", "t.me/name" or "https://t.me/name" → "@name"; a -100… id stays as it is. */
export function normalizeTelegramChannel(input: string): string {
  const text = input.trim();
  const link = /^(?:https?:\/\/)?(?:t\.me|telegram\.me)\/([A-Za-z][A-Za-z0-9_]{3,31})\/?$/i.exec(text);
  if (link) return `@${link[1]}`;
  if (/^[A-Za-z][A-Za-z0-9_]{3,31}$/.test(text)) return `@${text}`;
  return text;
}

async function verifyTelegram(env: SignInEnv, rawToken: string, rawChannel: string): Promise<VerifiedAccount> {
  const botToken = required(rawToken, 'botToken', 'bot_token_required');
  const channel = normalizeTelegramChannel(required(rawChannel, 'channel', 'channel_required'));
  if (!TELEGRAM_TOKEN.test(botToken)) {
    throw new DomainError('validation', 'This is not a Telegram bot token.', { field: 'botToken', reason: 'telegram_token_malformed' });
  }
  if (!TELEGRAM_PUBLIC.test(channel) && !TELEGRAM_PRIVATE.test(channel)) {
    throw new DomainError('validation', 'The channel must be @name or a -100… id.', { field: 'channel', reason: 'telegram_channel_malformed' });
  }
  let found;
  try {
    found = await checkTelegramChannel({
      baseUrl: env.registry.baseUrl('telegram'),
      credentials: { botToken },
      config: { channel },
      fetch: env.registry.fetch,
      now: env.now,
      signal: env.signal,
    });
  } catch (error) {
    if (!(error instanceof ConnectorError)) throw error;
    if (error.kind === 'auth' && error.status === 401) throw credentialFailure('telegram', error, 'botToken', 'telegram_token_rejected');
    if (error.kind === 'auth') throw credentialFailure('telegram', error, 'channel', 'telegram_bot_cannot_post');
    if (error.kind === 'validation') throw credentialFailure('telegram', error, 'channel', 'telegram_channel_not_found');
    throw networkFailure('telegram', error);
  }
  const { channel: chat } = found;
  const config: TelegramConfig = { channel: String(chat.id) };
  return {
    // The chat id survives renaming the channel's @name.
    remoteKey: String(chat.id),
    handle: chat.username ? `@${chat.username}` : String(chat.id),
    displayName: chat.title,
    baseUrl: null,
    profileUrl: chat.username ? `https://t.me/${chat.username}` : null,
    config: JSON.stringify(config),
    secret: JSON.stringify({ botToken } satisfies TelegramCredentials),
  };
}

export const telegramAccounts: NetworkAccounts = {
  network: 'telegram',
  usesBrowser: false,
  connect(env, connection) {
    if (connection.network !== 'telegram') throw new Error('not a Telegram connection');
    return verifyTelegram(env, connection.botToken, connection.channel);
  },
  reconnect(env, row, credentials) {
    if (credentials.network !== 'telegram') throw new Error('not Telegram credentials');
    // The stored -100… id, so a renamed channel still reconnects.
    return verifyTelegram(env, credentials.botToken, (JSON.parse(row.config) as TelegramConfig).channel);
  },
  defaultFields: ['linkPreview'],
  defaults: (stored) => ({ linkPreview: stored.linkPreview ?? true }),
  connectorConfig: (row) => JSON.parse(row.config) as TelegramConfig,
  credentials(secret) {
    const value = JSON.parse(secret) as Partial<TelegramCredentials>;
    if (typeof value.botToken !== 'string') throw new ConnectorError('auth', 'The saved Telegram bot token is unreadable; reconnect the channel.');
    return { botToken: value.botToken } satisfies TelegramCredentials;
  },
};

// ---------------------------------------------------------------------------------------------
// Mastodon

function signInFailure(error: SignInError): DomainError {
  return new DomainError('sign_in_failed', error.message, {
    reason: `signin_${error.code}`,
    ...(error.serverError ? { networkMessage: error.serverError } : {}),
  });
}

async function signInMastodon(env: SignInEnv, instance: string): Promise<MastodonSignIn> {
  const text = required(instance, 'instance', 'instance_required');
  try {
    normalizeInstanceUrl(text);
  } catch (error) {
    if (error instanceof ConnectorError) throw credentialFailure('mastodon', error, 'instance', 'mastodon_server_invalid');
    throw error;
  }
  try {
    return await signInToMastodon({
      instance: text,
      openExternal: env.openExternal,
      fetch: env.registry.fetch,
      now: env.now,
      signal: env.signal,
      forceLogin: true,
      ...(env.registry.signInTimeoutMs !== undefined ? { timeoutMs: env.registry.signInTimeoutMs } : {}),
    });
  } catch (error) {
    if (env.signal.aborted) throw signInFailure(new SignInError('cancelled', 'The sign-in was cancelled.'));
    if (error instanceof SignInError) throw signInFailure(error);
    if (!(error instanceof ConnectorError)) throw error;
    if (error.kind === 'auth') throw credentialFailure('mastodon', error, 'instance', 'mastodon_sign_in_refused');
    // A server that is up but is not Mastodon answers 404/HTML to the app registration.
    if (error.kind === 'permanent' || error.kind === 'validation') throw credentialFailure('mastodon', error, 'instance', 'mastodon_not_a_server');
    throw networkFailure('mastodon', error);
  }
}

function mastodonVerified(signIn: MastodonSignIn): VerifiedAccount {
  const { visibility: _ignored, ...config } = signIn.config;
  return {
    // Account ids are stable on their server; the acct can be renamed.
    remoteKey: `${signIn.baseUrl}#${signIn.account.id}`,
    handle: `@${signIn.account.acct}`,
    displayName: signIn.account.displayName,
    baseUrl: signIn.baseUrl,
    profileUrl: signIn.account.url,
    config: JSON.stringify(config),
    secret: signIn.secret,
  };
}

async function revokeMastodon(env: Omit<SignInEnv, 'signal' | 'openExternal'>, baseUrl: string | null, secret: string): Promise<void> {
  if (!baseUrl) return;
  await revokeMastodonToken({ baseUrl, fetch: env.registry.fetch, now: env.now, credentials: readMastodonSecret(secret) }, 10_000);
}

export const mastodonAccounts: NetworkAccounts = {
  network: 'mastodon',
  usesBrowser: true,
  async connect(env, connection) {
    if (connection.network !== 'mastodon') throw new Error('not a Mastodon connection');
    return mastodonVerified(await signInMastodon(env, connection.instance));
  },
  async reconnect(env, row) {
    if (!row.baseUrl) throw new Error('A Mastodon account without its server.');
    return mastodonVerified(await signInMastodon(env, row.baseUrl));
  },
  defaultFields: ['visibility', 'language'],
  defaults: (stored) => ({ visibility: stored.visibility ?? 'public', language: stored.language ?? null }),
  connectorConfig: (row, defaults) => ({ ...(JSON.parse(row.config) as MastodonConfig), visibility: defaults.visibility ?? 'public' }),
  credentials: (secret) => readMastodonSecret(secret),
  retire: revokeMastodon,
};

// ---------------------------------------------------------------------------------------------
// Bluesky (app password → com.atproto.server.createSession)

/** The keychain secret of a Bluesky account: the session, and the app password to start a new one when it ends. */
export interface BlueskySecret {
  did: string;
  handle: string;
  appPassword: string;
  accessJwt: string;
  refreshJwt: string;
}

const APP_PASSWORD = /^[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4}$/i;

interface XrpcAnswer {
  status: number;
  body: Record<string, unknown>;
}

async function xrpc(env: Pick<SignInEnv, 'registry' | 'signal'>, server: string, method: string, init: { json?: unknown; bearer?: string }): Promise<XrpcAnswer> {
  const host = new URL(server).host;
  const timeout = AbortSignal.timeout(30_000);
  let response: Response;
  try {
    response = await env.registry.fetch(`${server}/xrpc/${method}`, {
      method: 'POST',
      headers: {
        accept: 'application/json',
        ...(init.json !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(init.bearer ? { authorization: `Bearer ${init.bearer}` } : {}),
      },
      ...(init.json !== undefined ? { body: JSON.stringify(init.json) } : {}),
      signal: env.signal ? AbortSignal.any([env.signal, timeout]) : timeout,
      redirect: 'manual',
    });
  } catch (error) {
    const code = (error as { cause?: { code?: string } }).cause?.code;
    const offline = code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'ENETUNREACH';
    throw new ConnectorError(offline ? 'offline' : 'transient', `Could not reach ${host}${code ? ` (${code})` : ''}.`, { cause: error });
  }
  let body: Record<string, unknown> = {};
  try {
    const parsed: unknown = await response.json();
    if (typeof parsed === 'object' && parsed !== null) body = parsed as Record<string, unknown>;
  } catch {
    // Not XRPC JSON (a proxy's error page, or not a PDS at all): judged by the status below.
  }
  return { status: response.status, body };
}

function xrpcMessage(answer: XrpcAnswer): string {
  const { error, message } = answer.body;
  return [typeof error === 'string' ? error : `HTTP ${answer.status}`, typeof message === 'string' ? message : ''].filter(Boolean).join(': ');
}

async function verifyBluesky(env: SignInEnv, rawHandle: string, rawPassword: string, rawServer: string | undefined): Promise<VerifiedAccount> {
  const identifier = required(rawHandle, 'handle', 'handle_required').replace(/^@/, '').toLowerCase();
  const appPassword = required(rawPassword, 'appPassword', 'app_password_required');
  if (!APP_PASSWORD.test(appPassword)) {
    throw new DomainError('validation', 'This is not an app password (xxxx-xxxx-xxxx-xxxx).', { field: 'appPassword', reason: 'bluesky_not_app_password' });
  }
  let server: string;
  try {
    server = rawServer?.trim() ? normalizeServerUrl(rawServer) : env.registry.baseUrl('bluesky');
  } catch (error) {
    if (error instanceof ConnectorError) throw credentialFailure('bluesky', error, 'server', 'bluesky_server_invalid');
    throw error;
  }
  let answer: XrpcAnswer;
  try {
    answer = await xrpc(env, server, 'com.atproto.server.createSession', { json: { identifier, password: appPassword } });
  } catch (error) {
    if (error instanceof ConnectorError) throw networkFailure('bluesky', error);
    throw error;
  }
  const { did, handle, accessJwt, refreshJwt } = answer.body;
  if (answer.status === 200 && typeof did === 'string' && typeof handle === 'string' && typeof accessJwt === 'string' && typeof refreshJwt === 'string') {
    const secret: BlueskySecret = { did, handle, appPassword, accessJwt, refreshJwt };
    return {
      remoteKey: did,
      handle: `@${handle}`,
      displayName: handle,
      baseUrl: server,
      profileUrl: `https://bsky.app/profile/${handle}`,
      config: JSON.stringify({ did }),
      secret: JSON.stringify(secret),
    };
  }
  const failure = new ConnectorError(answer.status === 429 ? 'rate_limited' : answer.status >= 500 ? 'transient' : 'auth', xrpcMessage(answer), { status: answer.status });
  if (answer.body.error === 'AuthFactorTokenRequired') throw credentialFailure('bluesky', failure, 'appPassword', 'bluesky_not_app_password');
  if (answer.status === 401 || answer.body.error === 'AuthenticationRequired') throw credentialFailure('bluesky', failure, 'appPassword', 'bluesky_credentials_rejected');
  if (answer.status === 429 || answer.status >= 500) throw networkFailure('bluesky', failure);
  if (typeof answer.body.error !== 'string') throw credentialFailure('bluesky', failure, 'server', 'bluesky_not_a_server');
  throw networkFailure('bluesky', new ConnectorError('permanent', failure.networkMessage, { status: answer.status }));
}

function readBlueskySecret(secret: string): BlueskySecret {
  const value = JSON.parse(secret) as Partial<BlueskySecret>;
  if (typeof value.did !== 'string' || typeof value.accessJwt !== 'string' || typeof value.refreshJwt !== 'string' || typeof value.appPassword !== 'string') {
    throw new ConnectorError('auth', 'The saved Bluesky sign-in is unreadable; reconnect the account.');
  }
  return value as BlueskySecret;
}

export const blueskyAccounts: NetworkAccounts = {
  network: 'bluesky',
  usesBrowser: false,
  connect(env, connection) {
    if (connection.network !== 'bluesky') throw new Error('not a Bluesky connection');
    return verifyBluesky(env, connection.handle, connection.appPassword, connection.server);
  },
  reconnect(env, row, credentials) {
    if (credentials.network !== 'bluesky') throw new Error('not Bluesky credentials');
    // The DID, not the handle: a handle can change, the DID cannot.
    return verifyBluesky(env, row.remoteKey ?? row.handle, credentials.appPassword, row.baseUrl ?? undefined);
  },
  defaultFields: ['language'],
  defaults: (stored) => ({ language: stored.language ?? null }),
  connectorConfig: (row) => JSON.parse(row.config) as unknown,
  credentials: (secret) => readBlueskySecret(secret),
  async retire(env, baseUrl, secret) {
    if (!baseUrl) return;
    await xrpc({ registry: env.registry, signal: AbortSignal.timeout(10_000) }, baseUrl, 'com.atproto.server.deleteSession', { bearer: readBlueskySecret(secret).refreshJwt });
  },
};

export const networkAccounts: Partial<Record<NetworkId, NetworkAccounts>> = {
  telegram: telegramAccounts,
  mastodon: mastodonAccounts,
  bluesky: blueskyAccounts,
};
