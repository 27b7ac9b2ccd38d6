import { BLUESKY_APP_PASSWORD, normalizeTelegramChannel, OK_APPLICATION_ID, PINTEREST_APP_ID, TELEGRAM_PRIVATE, TELEGRAM_PUBLIC, TELEGRAM_TOKEN, VK_APP_ID } from '../../core/networks/connect-fields';
import type { AccountDefaults, CommunityChoice, CommunitySignIn, ConnectableNetwork, Connection, Credentials, VkSignInMethod } from '../../core/contract';
import { ConnectorError, type Connector, type FailureKind } from '../../core/connector';
import { DomainError } from '../../core/errors';
import type { NetworkId } from '../../core/networks/ids';
import { networkNames } from '../../core/networks/names';
import { endBlueskySession, type BlueskyConfig, type BlueskyCredentials, type BlueskySignIn } from '../connectors/bluesky';
import { readMastodonSecret, type MastodonConfig } from '../connectors/mastodon';
import { normalizeInstanceUrl, revokeMastodonToken, signInToMastodon, type MastodonSignIn } from '../connectors/mastodon/sign-in';
import { OK_API_BASE_URL, readOkSecret, type OkConfig, type OkCredentials } from '../connectors/ok';
import { listOkGroups, okGroupChoice, okGroupConfig, okGroupIdOf, signInToOk, type OkApp, type OkSignIn } from '../connectors/ok/sign-in';
import { normalizeServerUrl, type ConnectorRegistry } from '../connectors/registry';
import type { TelegramConfig, TelegramCredentials } from '../connectors/telegram';
import { readVkSecret, VkApiError, type VkConfig, type VkCredentials } from '../connectors/vk';
import { checkCommunity, implicitAuthorizeUrl, listCommunities, readImplicitRedirect, readVkUser, signInWithVkId, signInWithVkImplicit } from '../connectors/vk/sign-in';
import { checkTelegramChannel } from '../connectors/telegram/connect-check';
import { createDiscordConnector, parseWebhookUrl, readDiscordSecret, type DiscordConfig, type DiscordCredentials } from '../connectors/discord';
import { readFacebookSecret, type FacebookConfig } from '../connectors/facebook/api';
import { canPublishOnPage, facebookPageCredentials, signInWithFacebook, type FacebookPage } from '../connectors/facebook/sign-in';
import { readInstagramSecret, type InstagramConfig } from '../connectors/instagram/api';
import { graphCall } from '../connectors/meta/graph';
import { readThreadsSecret, type ThreadsConfig, type ThreadsCredentials } from '../connectors/threads/api';
import { signInWithThreads } from '../connectors/threads/sign-in';
import { readXSecret, X_API_BASE_URL, type XConfig } from '../connectors/x';
import { signInWithX } from '../connectors/x/sign-in';
import { X_REDIRECT_PORT } from '../../core/networks/x';
import { PINTEREST_API_BASE_URL, pinterestCall, pinterestJson, readPinterestSecret, type PinterestConfig, type PinterestCredentials } from '../connectors/pinterest';
import { listPinterestBoards, listPinterestSections, pinterestBoardChoiceOf, signInToPinterest, type PinterestApp } from '../connectors/pinterest/sign-in';
import { readYouTubeSecret, type YouTubeConfig } from '../connectors/youtube';
import { signInToYouTube } from '../connectors/youtube/sign-in';
import { linkedInSignInEndsAt, readLinkedInSecret, type LinkedInConfig, type LinkedInCredentials } from '../connectors/linkedin';
import { listLinkedInAuthors, readLinkedInMember, signInToLinkedIn, type LinkedInApp, type LinkedInAuthor } from '../connectors/linkedin/sign-in';
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
  /** The in-app sign-in window (Electron's Platform port); absent in the browser host. */
  catchSignInRedirect?(startUrl: string, isFinal: (address: string) => boolean): Promise<string | null>;
}

/** A proven account and its one secret, which goes to the keychain and nowhere else. */
export interface VerifiedAccount extends ConnectedAccount {
  secret: string;
  /** The network of the account, when a sign-in offers several (Facebook: Pages and Instagram accounts); absent: the flow's. */
  network?: NetworkId;
  /**
   * Accounts picked from one sign-in with the same group share a keychain entry holding this
   * `secret` (a Page and its Instagram account: the Page's token); absent: the sign-in's one shared entry.
   */
  secretGroup?: string;
  /** Settings the user chose while connecting (X's cap and reply settings), saved as the account's defaults. */
  defaults?: AccountDefaults;
}

/** A finished sign-in of a network with communities, before the user picks; its secret stays in main. */
export interface CommunitiesSignIn {
  /** Who signed in, as the network names them. */
  who: string;
  /** The network's id of the signed-in user. */
  userId: string;
  /** The keychain secret every account picked from this sign-in will share. */
  secret: string;
  choices: Array<Omit<CommunityChoice, 'accountId'>>;
}

/** Networks where one sign-in serves several communities (VK communities, OK groups). */
export interface CommunityFlow {
  /** Signs in through the browser and lists the communities the user may publish to. */
  signIn(env: SignInEnv, input: CommunitySignIn): Promise<CommunitiesSignIn>;
  /** One community (an id from the list, or a pasted link) checked with that sign-in; refused in the network's words. */
  account(env: SignInEnv, signedIn: Pick<CommunitiesSignIn, 'secret' | 'userId'>, community: string): Promise<VerifiedAccount>;
  /** The app and user a secret signs in as (with the account's config): accounts with the same one may share a secret. */
  identity(secret: string, config: string): string;
}

export interface NetworkAccounts {
  network: ConnectableNetwork;
  /** True when connecting waits for the user in the browser (one at a time, cancellable). */
  usesBrowser: boolean;
  connect(env: SignInEnv, connection: Connection): Promise<VerifiedAccount>;
  reconnect(env: SignInEnv, row: AccountRow, credentials: Credentials): Promise<VerifiedAccount>;
  communities?: CommunityFlow;
  /** The defaults fields this network uses. */
  defaultFields: ReadonlyArray<keyof AccountDefaults>;
  /** Stored defaults completed with the network's own defaults. */
  defaults(stored: AccountDefaults): AccountDefaults;
  /** The connector's config: what connect stored, plus the defaults the connector applies itself. */
  connectorConfig(row: AccountRow, defaults: AccountDefaults): unknown;
  /** The connector's credentials from the keychain secret. */
  credentials(secret: string): unknown;
  /** The app and user a secret signs in as, for networks without communities whose accounts may share one (Instagram with its Page). */
  identity?(secret: string, config: string): string;
  /** When the connector's renewed credentials end (Threads' token), kept in the account's config for the reminder. */
  signInEndsAt?(credentials: unknown): number | null;
  /** Best effort, after the secret is gone: tell the network this sign-in is no longer used. */
  retire?(env: Omit<SignInEnv, 'signal' | 'openExternal'>, baseUrl: string | null, secret: string): Promise<void>;
}

/** Who answered, in sentences: a Mastodon account's server speaks, not Mastodon as a whole. */
const speakers: Record<ConnectableNetwork, string> = {
  telegram: networkNames.telegram,
  mastodon: 'The Mastodon server',
  bluesky: networkNames.bluesky,
  vk: networkNames.vk,
  ok: networkNames.ok,
  facebook: networkNames.facebook,
  instagram: networkNames.instagram,
  threads: networkNames.threads,
  discord: networkNames.discord,
  x: networkNames.x,
  pinterest: networkNames.pinterest,
  youtube: networkNames.youtube,
  linkedin: networkNames.linkedin,
};

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
  return new DomainError('network', `${speakers[network]} could not be used: ${error.networkMessage}`, {
    reason: reasons[error.kind],
    networkMessage: error.networkMessage,
    ...said(error),
  });
}

function credentialFailure(network: ConnectableNetwork, error: ConnectorError, field: string, reason: string): DomainError {
  return new DomainError('validation', `${speakers[network]} refused: ${error.networkMessage}`, {
    field,
    reason,
    networkMessage: error.networkMessage,
    ...said(error),
  });
}

/** Only the network's own words are passed on as what it said; our explanation stays in networkMessage. */
function said(error: ConnectorError): { networkSaid?: string } {
  return error.networkSaid ? { networkSaid: error.networkSaid } : {};
}

// ---------------------------------------------------------------------------------------------
// Telegram

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
    ...(error.serverError ? { networkMessage: error.serverError, networkSaid: error.serverError } : {}),
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
// Bluesky (handle + app password → the connector's createSession)


function readBlueskySecret(secret: string): BlueskyCredentials {
  const value = JSON.parse(secret) as Partial<BlueskyCredentials>;
  if (typeof value.handle !== 'string' || typeof value.appPassword !== 'string') {
    throw new ConnectorError('auth', 'The saved Bluesky sign-in is unreadable; reconnect the account.');
  }
  return value as BlueskyCredentials;
}

async function verifyBluesky(
  env: SignInEnv,
  account: { handle: string; did?: string },
  rawPassword: string,
  rawServer: string | null | undefined,
): Promise<VerifiedAccount> {
  const handle = required(account.handle, 'handle', 'handle_required').replace(/^@/, '').toLowerCase();
  const appPassword = required(rawPassword, 'appPassword', 'app_password_required');
  // Refused before any call: the main password must never be sent, and 2FA accounts could not use it anyway.
  if (!BLUESKY_APP_PASSWORD.test(appPassword)) {
    throw new DomainError('validation', 'This is not an app password (xxxx-xxxx-xxxx-xxxx).', { field: 'appPassword', reason: 'bluesky_not_app_password' });
  }
  let server: string;
  try {
    server = rawServer?.trim() ? normalizeServerUrl(rawServer) : env.registry.baseUrl('bluesky');
  } catch (error) {
    if (error instanceof ConnectorError) throw credentialFailure('bluesky', error, 'server', 'bluesky_server_invalid');
    throw error;
  }
  const connector = env.registry.entry('bluesky')?.connector as (Connector<BlueskyCredentials, BlueskyConfig> & BlueskySignIn) | null | undefined;
  if (!connector) throw new Error('The Bluesky connector is not registered.');
  // The session the sign-in creates is caught here and saved with the account, not before.
  let session: BlueskyCredentials | undefined;
  const credentials: BlueskyCredentials = { handle, appPassword, ...(account.did ? { did: account.did } : {}) };
  let who: { did: string; handle: string };
  try {
    who = await connector.signIn({
      baseUrl: server,
      credentials,
      config: account.did ? { did: account.did } : {},
      fetch: env.registry.fetch,
      now: env.now,
      signal: env.signal,
      saveCredentials: async (renewed) => {
        session = renewed;
      },
    });
  } catch (error) {
    if (!(error instanceof ConnectorError)) throw error;
    if (error.kind === 'auth') throw credentialFailure('bluesky', error, 'appPassword', 'bluesky_credentials_rejected');
    if (error.kind === 'validation') throw credentialFailure('bluesky', error, 'handle', 'bluesky_credentials_rejected');
    // 404 and the like: the address answers, but not as a PDS.
    if (error.kind === 'permanent') throw credentialFailure('bluesky', error, 'server', 'bluesky_not_a_server');
    throw networkFailure('bluesky', error);
  }
  const config: BlueskyConfig = { did: who.did };
  return {
    remoteKey: who.did,
    handle: `@${who.handle}`,
    displayName: who.handle,
    baseUrl: server,
    profileUrl: `https://bsky.app/profile/${who.handle}`,
    config: JSON.stringify(config),
    secret: JSON.stringify({ ...credentials, ...session, did: who.did, handle: who.handle } satisfies BlueskyCredentials),
  };
}

export const blueskyAccounts: NetworkAccounts = {
  network: 'bluesky',
  usesBrowser: false,
  connect(env, connection) {
    if (connection.network !== 'bluesky') throw new Error('not a Bluesky connection');
    return verifyBluesky(env, { handle: connection.handle }, connection.appPassword, connection.server);
  },
  reconnect(env, row, credentials) {
    if (credentials.network !== 'bluesky') throw new Error('not Bluesky credentials');
    // Signs in by DID: a handle can change, the DID cannot.
    return verifyBluesky(env, { handle: row.handle, ...(row.remoteKey ? { did: row.remoteKey } : {}) }, credentials.appPassword, row.baseUrl);
  },
  defaultFields: ['language'],
  defaults: (stored) => ({ language: stored.language ?? null }),
  connectorConfig: (row) => JSON.parse(row.config) as BlueskyConfig,
  credentials: (secret) => readBlueskySecret(secret),
  async retire(env, baseUrl, secret) {
    if (!baseUrl) return;
    await endBlueskySession({ baseUrl, fetch: env.registry.fetch, credentials: readBlueskySecret(secret) });
  },
};

// ---------------------------------------------------------------------------------------------
// OK (Odnoklassniki) groups: the user's own OK app, browser sign-in, then the group's membership

function okAppOf(rawApp: OkApp): OkApp {
  const app: OkApp = {
    applicationId: required(rawApp.applicationId, 'applicationId', 'ok_application_id_required'),
    applicationKey: required(rawApp.applicationKey, 'applicationKey', 'ok_application_key_required'),
    applicationSecretKey: required(rawApp.applicationSecretKey, 'applicationSecretKey', 'ok_secret_key_required'),
  };
  if (!OK_APPLICATION_ID.test(app.applicationId)) {
    throw new DomainError('validation', 'The OK application id is a number.', { field: 'applicationId', reason: 'ok_application_id_malformed' });
  }
  return app;
}

function okGroupOf(input: string): string {
  const groupId = okGroupIdOf(required(input, 'group', 'ok_group_required'));
  if (!groupId) throw new DomainError('validation', 'Paste the group\'s ok.ru/group/… link or its number.', { field: 'group', reason: 'ok_group_malformed' });
  return groupId;
}

/** OK's answers as the errors the dialog shows, naming the field to fix. */
function okFailure(env: SignInEnv, error: unknown): unknown {
  if (env.signal.aborted) return signInFailure(new SignInError('cancelled', 'The sign-in was cancelled.'));
  if (error instanceof SignInError) return signInFailure(error);
  if (!(error instanceof ConnectorError)) return error;
  if (error.kind === 'auth') return credentialFailure('ok', error, 'applicationSecretKey', 'ok_app_rejected');
  // No posting rights in the group (okGroupConfig), or a group the account cannot see.
  if (error.kind === 'permanent' && error.networkSaid !== undefined) return credentialFailure('ok', error, 'group', 'ok_group_cannot_post');
  if (error.kind === 'validation') return credentialFailure('ok', error, 'group', 'ok_group_not_found');
  return networkFailure('ok', error);
}

/** A session for calls right after a sign-in (OK, Pinterest); a renewed token is kept in `credentials` for the keychain. */
function signedInSession<C>(env: SignInEnv, network: 'ok' | 'pinterest', credentials: C) {
  const session = {
    baseUrl: env.registry.baseUrl(network),
    fetch: env.registry.fetch,
    now: env.now,
    signal: env.signal,
    credentials,
    saveCredentials: async (renewed: C) => void (session.credentials = renewed),
  };
  return session;
}

async function signInOk(env: SignInEnv, app: OkApp): Promise<OkSignIn> {
  const apiBaseUrl = env.registry.baseUrl('ok');
  return signInToOk({
    app,
    openExternal: env.openExternal,
    fetch: env.registry.fetch,
    now: env.now,
    signal: env.signal,
    apiBaseUrl,
    // A loopback fake (tests, the browser host) serves the consent page too.
    ...(apiBaseUrl !== OK_API_BASE_URL ? { connectBaseUrl: apiBaseUrl } : {}),
    ...(env.registry.signInTimeoutMs !== undefined ? { timeoutMs: env.registry.signInTimeoutMs } : {}),
  });
}

/** One group as an account of this sign-in, refused with OK's words when the user may not publish there. */
async function okGroupAccount(env: SignInEnv, credentials: OkCredentials, uid: string, groupId: string): Promise<VerifiedAccount> {
  const session = signedInSession(env, 'ok', credentials);
  const config: OkConfig = okGroupConfig(await okGroupChoice(session, uid, groupId), uid);
  return {
    // The group id survives renaming the group.
    remoteKey: config.groupId,
    handle: `ok.ru/group/${config.groupId}`,
    displayName: config.groupName,
    baseUrl: null,
    profileUrl: `https://ok.ru/group/${config.groupId}`,
    config: JSON.stringify(config),
    secret: JSON.stringify(session.credentials),
  };
}

async function verifyOk(env: SignInEnv, rawApp: OkApp, rawGroup: string): Promise<VerifiedAccount> {
  const app = okAppOf(rawApp);
  const groupId = okGroupOf(rawGroup);
  try {
    const signedIn = await signInOk(env, app);
    return await okGroupAccount(env, signedIn.credentials, signedIn.user.uid, groupId);
  } catch (error) {
    throw okFailure(env, error);
  }
}

export const okAccounts: NetworkAccounts = {
  network: 'ok',
  usesBrowser: true,
  connect(env, connection) {
    if (connection.network !== 'ok') throw new Error('not an OK connection');
    return verifyOk(env, connection, connection.group);
  },
  reconnect(env, row, credentials) {
    if (credentials.network !== 'ok') throw new Error('not OK credentials');
    return verifyOk(env, credentials, (JSON.parse(row.config) as OkConfig).groupId);
  },
  communities: {
    async signIn(env, input) {
      if (input.network !== 'ok') throw new Error('not an OK sign-in');
      const app = okAppOf(input);
      try {
        const signedIn = await signInOk(env, app);
        const session = signedInSession(env, 'ok', signedIn.credentials);
        const groups = await listOkGroups(session, signedIn.user.uid);
        return {
          who: signedIn.user.name,
          userId: signedIn.user.uid,
          secret: JSON.stringify(session.credentials),
          choices: groups.map((g) => ({ id: g.groupId, name: g.name, handle: `ok.ru/group/${g.groupId}`, role: g.role })),
        };
      } catch (error) {
        throw okFailure(env, error);
      }
    },
    async account(env, signedIn, community) {
      const groupId = okGroupOf(community);
      try {
        return await okGroupAccount(env, readOkSecret(signedIn.secret), signedIn.userId, groupId);
      } catch (error) {
        throw okFailure(env, error);
      }
    },
    identity: (secret, config) => `${readOkSecret(secret).applicationId}:${(JSON.parse(config) as OkConfig).userId}`,
  },
  defaultFields: [],
  defaults: () => ({}),
  connectorConfig: (row) => JSON.parse(row.config) as OkConfig,
  credentials: (secret) => readOkSecret(secret),
};

// ---------------------------------------------------------------------------------------------
// VK (the user's own VK app: VK ID or the implicit flow, then one community per account)

async function signInVk(env: SignInEnv, input: { appId: string; method: VkSignInMethod; address?: string | undefined }): Promise<VkCredentials> {
  const appId = required(input.appId, 'appId', 'vk_app_id_required');
  if (!VK_APP_ID.test(appId)) throw new DomainError('validation', 'The VK app id is a number.', { field: 'appId', reason: 'vk_app_id_malformed' });
  try {
    if (input.method === 'vkid') {
      const signedIn = await signInWithVkId({
        appId,
        apiBaseUrl: env.registry.baseUrl('vk'),
        openExternal: env.openExternal,
        fetch: env.registry.fetch,
        now: env.now,
        signal: env.signal,
        ...(env.registry.signInTimeoutMs !== undefined ? { timeoutMs: env.registry.signInTimeoutMs } : {}),
      });
      return signedIn.credentials;
    }
    if (input.address?.trim()) return readImplicitRedirect(input.address, appId, env.now());
    if (env.catchSignInRedirect) {
      const caught = await signInWithVkImplicit({ appId, catchSignInRedirect: env.catchSignInRedirect, now: env.now });
      if (!caught) throw new SignInError('cancelled', 'The sign-in window was closed.');
      return caught;
    }
    // No sign-in window here (browser host): VK's page opens in the browser and the user pastes where it ends.
    await env.openExternal(implicitAuthorizeUrl(appId));
    throw new DomainError('validation', 'Paste the address VK ended on.', { field: 'address', reason: 'vk_address_required' });
  } catch (error) {
    if (env.signal.aborted) throw signInFailure(new SignInError('cancelled', 'The sign-in was cancelled.'));
    if (error instanceof SignInError) throw signInFailure(error);
    if (!(error instanceof ConnectorError)) throw error;
    if (error.kind === 'validation') throw credentialFailure('vk', error, input.address?.trim() ? 'address' : 'appId', 'vk_sign_in_unreadable');
    if (error.kind === 'auth' || error.kind === 'permanent') throw credentialFailure('vk', error, 'appId', 'vk_sign_in_refused');
    throw networkFailure('vk', error);
  }
}

/** A community as typed: vk.com/name, https://vk.com/club123, club123, public123, -123, 123 or name → what groups.getById takes. */
export function vkCommunityOf(input: string): string {
  const text = input.trim().replace(/^(?:https?:\/\/)?(?:m\.)?vk\.(?:com|ru)\//i, '').replace(/[/?#].*$/, '');
  const numbered = /^(?:club|public|event)?-?(\d+)$/i.exec(text);
  return numbered ? numbered[1]! : text;
}

async function verifyVk(env: SignInEnv, credentials: VkCredentials, community: string): Promise<VerifiedAccount> {
  const http = { baseUrl: env.registry.baseUrl('vk'), fetch: env.registry.fetch, now: env.now, signal: env.signal, token: credentials.accessToken };
  let group;
  try {
    group = await checkCommunity(http, community);
  } catch (error) {
    if (!(error instanceof ConnectorError)) throw error;
    // 100 and the like: no such community; 214, 15, 27…: the user may not post there (VK's own reason is kept).
    const notFound = error instanceof VkApiError ? error.code === 100 || error.code === 125 : error.kind === 'validation' && !error.networkSaid;
    if (notFound) throw credentialFailure('vk', error, 'community', 'vk_community_not_found');
    if (error.kind === 'validation' || error.kind === 'auth') throw credentialFailure('vk', error, 'community', 'vk_not_an_editor');
    throw networkFailure('vk', error);
  }
  const config: VkConfig = { groupId: group.id, screenName: group.screenName, name: group.name };
  return {
    // The group id survives renaming the community's short address.
    remoteKey: String(group.id),
    handle: `vk.com/${group.screenName}`,
    displayName: group.name,
    baseUrl: null,
    profileUrl: `https://vk.com/${group.screenName}`,
    config: JSON.stringify(config),
    secret: JSON.stringify(credentials),
  };
}

export const vkAccounts: NetworkAccounts = {
  network: 'vk',
  usesBrowser: true,
  communities: {
    async signIn(env, input) {
      if (input.network !== 'vk') throw new Error('not a VK sign-in');
      const credentials = await signInVk(env, input);
      const http = { baseUrl: env.registry.baseUrl('vk'), fetch: env.registry.fetch, now: env.now, signal: env.signal, token: credentials.accessToken };
      let communities;
      let who;
      try {
        [who, communities] = await Promise.all([readVkUser(http), listCommunities(http)]);
      } catch (error) {
        if (!(error instanceof ConnectorError)) throw error;
        throw networkFailure('vk', error);
      }
      return {
        who: who.name,
        userId: String(credentials.userId),
        secret: JSON.stringify(credentials),
        choices: communities.map((c) => ({ id: String(c.id), name: c.name, handle: `vk.com/${c.screenName}`, role: c.role })),
      };
    },
    account(env, signedIn, community) {
      return verifyVk(env, readVkSecret(signedIn.secret), vkCommunityOf(required(community, 'community', 'vk_community_required')));
    },
    identity: (secret) => {
      const { appId, userId } = readVkSecret(secret);
      return `${appId}:${userId}`;
    },
  },
  async connect(env, connection) {
    if (connection.network !== 'vk') throw new Error('not a VK connection');
    const community = vkCommunityOf(required(connection.community, 'community', 'vk_community_required'));
    const credentials = await signInVk(env, connection);
    return verifyVk(env, credentials, community);
  },
  async reconnect(env, row, credentials) {
    if (credentials.network !== 'vk') throw new Error('not VK credentials');
    // The stored group id, so a renamed community still reconnects.
    const { groupId } = JSON.parse(row.config) as VkConfig;
    return verifyVk(env, await signInVk(env, credentials), String(groupId));
  },
  defaultFields: [],
  defaults: () => ({}),
  connectorConfig: (row) => JSON.parse(row.config) as VkConfig,
  credentials: (secret) => readVkSecret(secret),
};

// ---------------------------------------------------------------------------------------------
// Meta: Facebook Pages and their Instagram accounts (one Facebook Login), Threads (its own OAuth); the user's own Meta app

interface MetaApp {
  appId: string;
  appSecret: string;
}

function metaAppOf(raw: MetaApp): MetaApp {
  return { appId: required(raw.appId, 'appId', 'meta_app_id_required'), appSecret: required(raw.appSecret, 'appSecret', 'meta_app_secret_required') };
}

/** Meta's refusals of a sign-in as the errors the dialog shows: a wrong app id or secret names the secret field. */
function metaFailure(env: SignInEnv, network: 'facebook' | 'instagram' | 'threads', error: unknown, field = 'appSecret'): unknown {
  if (env.signal.aborted) return signInFailure(new SignInError('cancelled', 'The sign-in was cancelled.'));
  if (error instanceof SignInError) return signInFailure(error);
  if (!(error instanceof ConnectorError)) return error;
  // Refused before any call (the app id's shape); Meta's own refusals carry its words.
  if (error.kind === 'validation' && !error.networkSaid) return credentialFailure(network, error, 'appId', 'meta_app_id_malformed');
  if (error.kind === 'auth' || error.kind === 'permanent' || error.kind === 'validation') return credentialFailure(network, error, field, 'meta_sign_in_refused');
  return networkFailure(network, error);
}

/** A finished Facebook Login as kept in main until the pick: the app, the user and every Page with its token. Never stored as is. */
interface FacebookPick extends MetaApp {
  userId: string;
  pages: FacebookPage[];
}

async function signInFacebook(env: SignInEnv, raw: MetaApp, network: 'facebook' | 'instagram'): Promise<{ who: string; pick: FacebookPick }> {
  const app = metaAppOf(raw);
  try {
    const signedIn = await signInWithFacebook({
      ...app,
      apiBaseUrl: env.registry.baseUrl('facebook'),
      openExternal: env.openExternal,
      fetch: env.registry.fetch,
      now: env.now,
      signal: env.signal,
      ...(env.registry.signInTimeoutMs !== undefined ? { timeoutMs: env.registry.signInTimeoutMs } : {}),
    });
    return { who: signedIn.user.name, pick: { ...app, userId: signedIn.user.id, pages: signedIn.pages } };
  } catch (error) {
    throw metaFailure(env, network, error);
  }
}

function readFacebookPick(secret: string): FacebookPick {
  return JSON.parse(secret) as FacebookPick;
}

/**
 * One Page (or its Instagram account) of a sign-in, checked with Meta before anything is saved: the
 * user's tasks must allow publishing, and the Page, read with its own token, must still answer
 * (and still be linked to that Instagram account). Refused in Meta's words.
 */
async function metaAccount(env: SignInEnv, pick: FacebookPick, id: string, want: 'facebook' | 'instagram' | 'either'): Promise<VerifiedAccount> {
  const page = pick.pages.find((p) => (want !== 'instagram' && p.id === id) || (want !== 'facebook' && p.instagramAccountId === id));
  const network = page?.id === id ? 'facebook' : 'instagram';
  if (!page) {
    throw new DomainError('validation', `This Facebook sign-in does not list ${id} among the Pages you manage.`, { field: 'community', reason: `${want === 'instagram' ? 'instagram' : 'facebook'}_page_not_listed` });
  }
  if (!canPublishOnPage(page)) {
    const tasks = page.tasks.join(', ') || 'none';
    throw new DomainError('validation', `You cannot publish on ${page.name}: Facebook gives you the tasks ${tasks}, and publishing needs CREATE_CONTENT or MANAGE.`, {
      field: 'community',
      reason: 'facebook_page_cannot_publish',
      networkMessage: `Page tasks: ${tasks}`,
      networkSaid: `tasks: ${tasks}`,
    });
  }
  let found: { id?: string; name?: string; instagram_business_account?: { id?: string; username?: string } };
  try {
    found = await graphCall(
      { baseUrl: env.registry.baseUrl('facebook'), fetch: env.registry.fetch, now: env.now, signal: env.signal, token: page.accessToken, appSecret: pick.appSecret, name: 'Facebook' },
      { method: 'GET', path: `/${page.id}`, params: { fields: 'id,name,instagram_business_account{id,username}' } },
    );
  } catch (error) {
    if (!(error instanceof ConnectorError)) throw error;
    if (error.kind === 'auth' || error.kind === 'validation' || error.kind === 'permanent') throw credentialFailure(network, error, 'community', 'facebook_page_refused');
    throw networkFailure(network, error);
  }
  const current: FacebookPage = {
    ...page,
    name: found.name ?? page.name,
    instagramAccountId: found.instagram_business_account?.id ?? null,
    instagramUsername: found.instagram_business_account?.username ?? null,
  };
  const secret = JSON.stringify(facebookPageCredentials({ user: { id: pick.userId, name: '' } }, current, pick));
  if (network === 'facebook') {
    const config: FacebookConfig = { pageId: current.id, name: current.name, instagramAccountId: current.instagramAccountId };
    return {
      network,
      secretGroup: current.id,
      // The Page id survives renaming the Page.
      remoteKey: current.id,
      handle: current.name,
      displayName: current.name,
      baseUrl: null,
      profileUrl: `https://www.facebook.com/${current.id}`,
      config: JSON.stringify(config),
      secret,
    };
  }
  if (current.instagramAccountId !== id) {
    throw new DomainError('validation', `Facebook no longer links this Instagram account to ${current.name}; link it again in the Page's settings.`, { field: 'community', reason: 'instagram_not_linked' });
  }
  const username = current.instagramUsername ?? id;
  const config: InstagramConfig = { instagramAccountId: id, pageId: current.id, username };
  return {
    network,
    // Its Page's token signs its calls: one keychain entry for both, renewed together.
    secretGroup: current.id,
    remoteKey: id,
    handle: `@${username}`,
    displayName: username,
    baseUrl: null,
    profileUrl: `https://www.instagram.com/${username}`,
    config: JSON.stringify(config),
    secret,
  };
}

const roleOfTasks = (page: FacebookPage) => (page.tasks.includes('MANAGE') ? 'admin' : 'editor') as 'admin' | 'editor';

/** App, user and Page: a Page and its Instagram account signed in by the same ones share an entry. */
const metaIdentity = (secret: string, config: string) => {
  const { appId, userId } = readFacebookSecret(secret);
  return `${appId}:${userId ?? ''}:${(JSON.parse(config) as { pageId: string }).pageId}`;
};

async function reconnectMeta(env: SignInEnv, row: AccountRow, credentials: Credentials, network: 'facebook' | 'instagram'): Promise<VerifiedAccount> {
  if (credentials.network !== network) throw new Error(`not ${network} credentials`);
  const { pick } = await signInFacebook(env, credentials, network);
  return metaAccount(env, pick, row.remoteKey ?? '', network);
}

export const facebookAccounts: NetworkAccounts = {
  network: 'facebook',
  usesBrowser: true,
  connect() {
    throw new DomainError('validation', 'Facebook Pages are chosen after signing in (accounts.signIn).', { field: 'network', reason: 'network_not_available' });
  },
  reconnect: (env, row, credentials) => reconnectMeta(env, row, credentials, 'facebook'),
  communities: {
    async signIn(env, input) {
      if (input.network !== 'facebook') throw new Error('not a Facebook sign-in');
      const { who, pick } = await signInFacebook(env, input, 'facebook');
      // Pages where the user may only moderate or analyse are not offered; each Page's Instagram account follows it.
      const choices = pick.pages.filter(canPublishOnPage).flatMap((page) => {
        const role = roleOfTasks(page);
        const pageChoice = { id: page.id, name: page.name, handle: `facebook.com/${page.id}`, role, network: 'facebook' as const };
        if (!page.instagramAccountId) return [pageChoice];
        const username = page.instagramUsername ?? page.instagramAccountId;
        return [pageChoice, { id: page.instagramAccountId, name: username, handle: `@${username}`, role, network: 'instagram' as const, under: page.id }];
      });
      return { who, userId: pick.userId, secret: JSON.stringify(pick), choices };
    },
    account: (env, signedIn, community) => metaAccount(env, readFacebookPick(signedIn.secret), required(community, 'community', 'facebook_page_required'), 'either'),
    identity: metaIdentity,
  },
  identity: metaIdentity,
  defaultFields: [],
  defaults: () => ({}),
  connectorConfig: (row) => JSON.parse(row.config) as FacebookConfig,
  credentials: (secret) => readFacebookSecret(secret),
};

export const instagramAccounts: NetworkAccounts = {
  network: 'instagram',
  usesBrowser: true,
  connect() {
    throw new DomainError('validation', 'Instagram accounts are chosen next to their Facebook Page after a Facebook sign-in.', { field: 'network', reason: 'network_not_available' });
  },
  reconnect: (env, row, credentials) => reconnectMeta(env, row, credentials, 'instagram'),
  identity: metaIdentity,
  defaultFields: [],
  defaults: () => ({}),
  connectorConfig: (row) => JSON.parse(row.config) as InstagramConfig,
  credentials: (secret) => readInstagramSecret(secret),
};

/** The stored config of a Threads account: the connector's, plus when its token ends (for the reminder; not a secret). */
type StoredThreadsConfig = ThreadsConfig & { signInEndsAt: number | null };

async function verifyThreads(env: SignInEnv, raw: MetaApp): Promise<VerifiedAccount> {
  const app = metaAppOf(raw);
  let signedIn;
  try {
    signedIn = await signInWithThreads({
      ...app,
      apiBaseUrl: env.registry.baseUrl('threads'),
      openExternal: env.openExternal,
      fetch: env.registry.fetch,
      now: env.now,
      signal: env.signal,
      ...(env.registry.signInTimeoutMs !== undefined ? { timeoutMs: env.registry.signInTimeoutMs } : {}),
    });
  } catch (error) {
    throw metaFailure(env, 'threads', error);
  }
  const { user, credentials } = signedIn;
  const config: StoredThreadsConfig = { ...signedIn.config, signInEndsAt: credentials.expiresAt };
  return {
    // The user id survives a new @username.
    remoteKey: user.id,
    handle: `@${user.username}`,
    displayName: user.name || user.username,
    baseUrl: null,
    profileUrl: `https://www.threads.net/@${user.username}`,
    config: JSON.stringify(config),
    secret: JSON.stringify(credentials),
  };
}

export const threadsAccounts: NetworkAccounts = {
  network: 'threads',
  usesBrowser: true,
  connect(env, connection) {
    if (connection.network !== 'threads') throw new Error('not a Threads connection');
    return verifyThreads(env, connection);
  },
  reconnect(env, _row, credentials) {
    if (credentials.network !== 'threads') throw new Error('not Threads credentials');
    return verifyThreads(env, credentials);
  },
  defaultFields: [],
  defaults: () => ({}),
  connectorConfig: (row) => JSON.parse(row.config) as StoredThreadsConfig,
  credentials: (secret) => readThreadsSecret(secret),
  signInEndsAt: (credentials) => (credentials as ThreadsCredentials).expiresAt,
};

// ---------------------------------------------------------------------------------------------
// Discord

/** Asks Discord about the pasted webhook (GET needs no sign-in); its id is the account, its address the secret. */
async function verifyDiscord(env: SignInEnv, rawUrl: string, look: { username?: string | undefined; avatarUrl?: string | undefined }): Promise<VerifiedAccount> {
  const credentials = parseWebhookUrl(required(rawUrl, 'webhookUrl', 'discord_webhook_required'));
  if (!credentials) {
    throw new DomainError('validation', 'This is not a Discord webhook address (https://discord.com/api/webhooks/…).', { field: 'webhookUrl', reason: 'discord_webhook_malformed' });
  }
  let info;
  try {
    info = await createDiscordConnector().describeWebhook({ baseUrl: env.registry.baseUrl('discord'), credentials, fetch: env.registry.fetch, signal: env.signal, now: env.now });
  } catch (error) {
    if (!(error instanceof ConnectorError)) throw error;
    if (error.kind === 'auth') throw credentialFailure('discord', error, 'webhookUrl', 'discord_webhook_rejected');
    throw networkFailure('discord', error);
  }
  const username = look.username?.trim();
  const avatarUrl = look.avatarUrl?.trim();
  const config: DiscordConfig = { name: info.name, channelId: info.channelId, guildId: info.guildId, ...(username ? { username } : {}), ...(avatarUrl ? { avatarUrl } : {}) };
  const channelPage = info.guildId ? `https://discord.com/channels/${info.guildId}/${info.channelId}` : null;
  return {
    remoteKey: info.id,
    // The webhook's own name ("Announcements"): Discord tells its holder neither the channel's nor the server's name.
    handle: info.name,
    displayName: username || info.name,
    baseUrl: null,
    profileUrl: channelPage,
    config: JSON.stringify(config),
    secret: JSON.stringify(credentials satisfies DiscordCredentials),
  };
}

export const discordAccounts: NetworkAccounts = {
  network: 'discord',
  usesBrowser: false,
  connect(env, connection) {
    if (connection.network !== 'discord') throw new Error('not a Discord connection');
    return verifyDiscord(env, connection.webhookUrl, connection);
  },
  reconnect(env, row, credentials) {
    if (credentials.network !== 'discord') throw new Error('not Discord credentials');
    // The name and picture the account posts under stay as they were.
    const stored = JSON.parse(row.config) as DiscordConfig;
    return verifyDiscord(env, credentials.webhookUrl, { username: stored.username, avatarUrl: stored.avatarUrl });
  },
  defaultFields: [],
  defaults: () => ({}),
  connectorConfig: (row) => JSON.parse(row.config) as DiscordConfig,
  credentials: (secret) => readDiscordSecret(secret),
};

// ---------------------------------------------------------------------------------------------
// Pinterest: the user's own app, browser sign-in, then boards (and their sections) to pick

/** Sections are listed for this many boards at most (one call each); a larger account picks the board itself. */
const PINTEREST_SECTION_BOARDS = 50;

function pinterestAppOf(raw: PinterestApp): PinterestApp {
  const app = { appId: required(raw.appId, 'appId', 'pinterest_app_id_required'), appSecret: required(raw.appSecret, 'appSecret', 'pinterest_app_secret_required') };
  if (!PINTEREST_APP_ID.test(app.appId)) throw new DomainError('validation', 'The Pinterest app id is a number.', { field: 'appId', reason: 'pinterest_app_id_malformed' });
  return app;
}

function pinterestFailure(env: SignInEnv, error: unknown): unknown {
  if (env.signal.aborted) return signInFailure(new SignInError('cancelled', 'The sign-in was cancelled.'));
  if (error instanceof SignInError) return signInFailure(error);
  if (!(error instanceof ConnectorError)) return error;
  if (error.kind === 'auth') return credentialFailure('pinterest', error, 'appSecret', 'pinterest_sign_in_refused');
  if (error.kind === 'validation' && error.status === 404) return credentialFailure('pinterest', error, 'community', 'pinterest_board_not_found');
  return networkFailure('pinterest', error);
}

function signInPinterest(env: SignInEnv, app: PinterestApp) {
  const apiBaseUrl = env.registry.baseUrl('pinterest');
  return signInToPinterest({
    app,
    openExternal: env.openExternal,
    fetch: env.registry.fetch,
    now: env.now,
    signal: env.signal,
    apiBaseUrl,
    // A loopback fake (tests, the browser host) serves the consent page beside its API.
    ...(apiBaseUrl !== PINTEREST_API_BASE_URL ? { authorizeUrl: `${new URL(apiBaseUrl).origin}/oauth/` } : {}),
    ...(env.registry.signInTimeoutMs !== undefined ? { timeoutMs: env.registry.signInTimeoutMs } : {}),
  });
}

/** One board (or board/section) as an account of this sign-in, checked with Pinterest. */
async function pinterestBoardAccount(env: SignInEnv, credentials: PinterestCredentials, username: string, choice: string): Promise<VerifiedAccount> {
  const picked = pinterestBoardChoiceOf(choice);
  if (!picked) throw new DomainError('validation', 'Choose a board from the list.', { field: 'community', reason: 'pinterest_board_not_found' });
  const session = signedInSession(env, 'pinterest', credentials);
  const board = pinterestJson(await pinterestCall(session, { path: `/boards/${picked.boardId}` }), env.now());
  const boardName = typeof board['name'] === 'string' ? board['name'] : picked.boardId;
  const config: PinterestConfig = { boardId: picked.boardId, boardName, username };
  if (picked.sectionId) {
    const section = (await listPinterestSections(session, picked.boardId)).find((s) => s.id === picked.sectionId);
    if (!section) throw new DomainError('validation', `The board "${boardName}" has no such section any more.`, { field: 'community', reason: 'pinterest_board_not_found' });
    config.sectionId = section.id;
    config.sectionName = section.name;
  }
  return {
    // The board (and section) id survives renaming.
    remoteKey: picked.sectionId ? `${picked.boardId}/${picked.sectionId}` : picked.boardId,
    handle: `${username} › ${boardName}${config.sectionName ? ` › ${config.sectionName}` : ''}`,
    displayName: config.sectionName ? `${boardName} › ${config.sectionName}` : boardName,
    baseUrl: null,
    profileUrl: `https://www.pinterest.com/${encodeURIComponent(username)}/`,
    config: JSON.stringify(config),
    secret: JSON.stringify(session.credentials),
  };
}

export const pinterestAccounts: NetworkAccounts = {
  network: 'pinterest',
  usesBrowser: true,
  connect() {
    throw new DomainError('validation', 'Pinterest boards are chosen after signing in (accounts.signIn).', { field: 'network', reason: 'network_not_available' });
  },
  async reconnect(env, row, credentials) {
    if (credentials.network !== 'pinterest') throw new Error('not Pinterest credentials');
    const app = pinterestAppOf(credentials);
    const stored = JSON.parse(row.config) as PinterestConfig;
    try {
      const signedIn = await signInPinterest(env, app);
      return await pinterestBoardAccount(env, signedIn.credentials, signedIn.username, stored.sectionId ? `${stored.boardId}/${stored.sectionId}` : stored.boardId);
    } catch (error) {
      throw pinterestFailure(env, error);
    }
  },
  communities: {
    async signIn(env, input) {
      if (input.network !== 'pinterest') throw new Error('not a Pinterest sign-in');
      const app = pinterestAppOf(input);
      try {
        const signedIn = await signInPinterest(env, app);
        const session = signedInSession(env, 'pinterest', signedIn.credentials);
        const boards = await listPinterestBoards(session);
        const choices: CommunitiesSignIn['choices'] = [];
        for (const [i, board] of boards.entries()) {
          const handle = `${board.owner ?? signedIn.username} › ${board.name}`;
          // Your own board, or a group board you collaborate on.
          const role = board.owner === null || board.owner === signedIn.username ? 'admin' : 'editor';
          choices.push({ id: board.id, name: board.name, handle, role });
          if (i >= PINTEREST_SECTION_BOARDS) continue;
          for (const section of await listPinterestSections(session, board.id)) {
            choices.push({ id: `${board.id}/${section.id}`, name: section.name, handle: `${handle} › ${section.name}`, role, under: board.id });
          }
        }
        return { who: signedIn.username, userId: signedIn.username, secret: JSON.stringify(session.credentials), choices };
      } catch (error) {
        throw pinterestFailure(env, error);
      }
    },
    async account(env, signedIn, community) {
      try {
        return await pinterestBoardAccount(env, readPinterestSecret(signedIn.secret), signedIn.userId, community);
      } catch (error) {
        throw pinterestFailure(env, error);
      }
    },
    identity: (secret, config) => `${readPinterestSecret(secret).appId}:${(JSON.parse(config) as PinterestConfig).username}`,
  },
  defaultFields: [],
  defaults: () => ({}),
  connectorConfig: (row) => JSON.parse(row.config) as PinterestConfig,
  credentials: (secret) => readPinterestSecret(secret),
  // A continuous refresh token lasts 60 days from its last use.
  signInEndsAt: (credentials) => (credentials as PinterestCredentials).refreshExpiresAt ?? null,
};

// ---------------------------------------------------------------------------------------------
// X: the user's own X app as a public client (PKCE, no secret); the account is who signs in

/** X's refusals of a sign-in as the errors the dialog shows: the Client ID (or the app's Callback URI) is what the user fixes. */
function xSignInFailure(env: SignInEnv, error: unknown): unknown {
  if (env.signal.aborted) return signInFailure(new SignInError('cancelled', 'The sign-in was cancelled.'));
  if (error instanceof SignInError) return signInFailure(error);
  if (!(error instanceof ConnectorError)) return error;
  if (error.kind === 'validation' && !error.networkSaid) return credentialFailure('x', error, 'clientId', 'x_client_id_malformed');
  if (error.kind === 'auth' || error.kind === 'permanent' || error.kind === 'validation') return credentialFailure('x', error, 'clientId', 'x_sign_in_refused');
  return networkFailure('x', error);
}

async function verifyX(env: SignInEnv, rawClientId: string, settings?: Pick<AccountDefaults, 'monthlyCap' | 'replySettings'>): Promise<VerifiedAccount> {
  const clientId = required(rawClientId, 'clientId', 'x_client_id_required');
  const apiBaseUrl = env.registry.baseUrl('x');
  let signedIn;
  try {
    signedIn = await signInWithX({
      clientId,
      apiBaseUrl,
      // X compares the Callback URI exactly: the fixed port against X itself; a loopback fake takes any.
      port: apiBaseUrl === X_API_BASE_URL ? X_REDIRECT_PORT : 0,
      openExternal: env.openExternal,
      fetch: env.registry.fetch,
      now: env.now,
      signal: env.signal,
      ...(env.registry.signInTimeoutMs !== undefined ? { timeoutMs: env.registry.signInTimeoutMs } : {}),
    });
  } catch (error) {
    throw xSignInFailure(env, error);
  }
  const { user, credentials } = signedIn;
  return {
    // The user id survives a new @handle.
    remoteKey: user.id,
    handle: `@${user.username}`,
    displayName: user.name || user.username,
    baseUrl: null,
    profileUrl: `https://x.com/${user.username}`,
    config: JSON.stringify(signedIn.config),
    secret: JSON.stringify(credentials),
    ...(settings ? { defaults: settings } : {}),
  };
}

export const xAccounts: NetworkAccounts = {
  network: 'x',
  usesBrowser: true,
  connect(env, connection) {
    if (connection.network !== 'x') throw new Error('not an X connection');
    return verifyX(env, connection.clientId, { monthlyCap: connection.monthlyCap ?? null, replySettings: connection.replySettings ?? null });
  },
  reconnect(env, _row, credentials) {
    if (credentials.network !== 'x') throw new Error('not X credentials');
    // The cap and reply settings stay as the account's settings have them.
    return verifyX(env, credentials.clientId);
  },
  defaultFields: ['monthlyCap', 'replySettings'],
  defaults: (stored) => ({ monthlyCap: stored.monthlyCap ?? null, replySettings: stored.replySettings ?? null }),
  connectorConfig(row, defaults) {
    const { userId, username } = JSON.parse(row.config) as XConfig;
    return { userId, username, monthlyCap: defaults.monthlyCap ?? null, ...(defaults.replySettings ? { replySettings: defaults.replySettings } : {}) } satisfies XConfig;
  },
  credentials: (secret) => readXSecret(secret),
};

// ---------------------------------------------------------------------------------------------
// LinkedIn: the user's own app (secret in the keychain), browser sign-in, then the member or their pages

/** The stored config of a LinkedIn account: who posts, and when the sign-in ends (for the reminder; not a secret). */
type StoredLinkedInConfig = LinkedInConfig & { signInEndsAt: number };

function linkedInAppOf(raw: LinkedInApp): LinkedInApp {
  return { clientId: required(raw.clientId, 'clientId', 'linkedin_client_id_required'), clientSecret: required(raw.clientSecret, 'clientSecret', 'linkedin_client_secret_required') };
}

function linkedInFailure(env: SignInEnv, error: unknown): unknown {
  if (env.signal.aborted) return signInFailure(new SignInError('cancelled', 'The sign-in was cancelled.'));
  if (error instanceof SignInError) return signInFailure(error);
  if (!(error instanceof ConnectorError)) return error;
  if (error.kind === 'validation' && !error.networkSaid) return credentialFailure('linkedin', error, 'clientId', 'linkedin_client_id_malformed');
  if (error.kind === 'auth') return credentialFailure('linkedin', error, 'clientSecret', 'linkedin_sign_in_refused');
  return networkFailure('linkedin', error);
}

async function signInLinkedIn(env: SignInEnv, app: LinkedInApp, pages: boolean): Promise<{ secret: string; memberId: string; memberName: string; authors: LinkedInAuthor[] }> {
  const apiBaseUrl = env.registry.baseUrl('linkedin');
  const signedIn = await signInToLinkedIn({
    app,
    pages,
    apiBaseUrl,
    // LinkedIn compares the redirect URL exactly, so the listener is on the fixed port the user registered (fakes too).
    openExternal: env.openExternal,
    fetch: env.registry.fetch,
    now: env.now,
    signal: env.signal,
    ...(env.registry.signInTimeoutMs !== undefined ? { timeoutMs: env.registry.signInTimeoutMs } : {}),
  });
  const session = { baseUrl: apiBaseUrl, fetch: env.registry.fetch, now: env.now, signal: env.signal, credentials: signedIn.credentials };
  const authors = await listLinkedInAuthors(session, signedIn.member, pages);
  return { secret: JSON.stringify(session.credentials), memberId: signedIn.member.id, memberName: signedIn.member.name, authors };
}

/** One author (the member or a page) as an account of this sign-in. */
function linkedInAccount(secret: string, author: LinkedInAuthor): VerifiedAccount {
  const config: StoredLinkedInConfig = { author: author.author, name: author.name, ...(author.vanityName ? { vanityName: author.vanityName } : {}), signInEndsAt: linkedInSignInEndsAt(readLinkedInSecret(secret)) };
  const page = author.kind === 'organization';
  return {
    // The urn survives renaming the page or the member.
    remoteKey: author.author,
    handle: page ? `linkedin.com/company/${author.vanityName ?? author.author.split(':').at(-1)}` : author.name,
    displayName: author.name,
    baseUrl: null,
    profileUrl: page ? `https://www.linkedin.com/company/${encodeURIComponent(author.vanityName ?? author.author.split(':').at(-1)!)}/` : null,
    config: JSON.stringify(config),
    secret,
  };
}

export const linkedinAccounts: NetworkAccounts = {
  network: 'linkedin',
  usesBrowser: true,
  connect() {
    throw new DomainError('validation', 'LinkedIn authors are chosen after signing in (accounts.signIn).', { field: 'network', reason: 'network_not_available' });
  },
  async reconnect(env, row, credentials) {
    if (credentials.network !== 'linkedin') throw new Error('not LinkedIn credentials');
    const app = linkedInAppOf(credentials);
    const stored = JSON.parse(row.config) as StoredLinkedInConfig;
    try {
      const signedIn = await signInLinkedIn(env, app, stored.author.startsWith('urn:li:organization:'));
      const author = signedIn.authors.find((a) => a.author === stored.author);
      if (!author) throw new DomainError('validation', `${stored.name} is not among the member and pages this sign-in may post as.`, { field: 'clientId', reason: 'linkedin_author_not_found' });
      return linkedInAccount(signedIn.secret, author);
    } catch (error) {
      throw linkedInFailure(env, error);
    }
  },
  communities: {
    async signIn(env, input) {
      if (input.network !== 'linkedin') throw new Error('not a LinkedIn sign-in');
      const app = linkedInAppOf(input);
      try {
        const signedIn = await signInLinkedIn(env, app, input.pages);
        const choices: CommunitiesSignIn['choices'] = signedIn.authors.map((a) => ({
          id: a.author,
          name: a.name,
          handle: a.kind === 'organization' ? `linkedin.com/company/${a.vanityName ?? a.author.split(':').at(-1)}` : a.name,
          // The member posts as themself; a content administrator may post but not manage the page.
          role: a.role === 'CONTENT_ADMINISTRATOR' ? 'editor' : 'admin',
        }));
        return { who: signedIn.memberName, userId: signedIn.memberId, secret: signedIn.secret, choices };
      } catch (error) {
        throw linkedInFailure(env, error);
      }
    },
    async account(env, signedIn, community) {
      const credentials = readLinkedInSecret(signedIn.secret);
      const pages = community.startsWith('urn:li:organization:');
      try {
        // The choice is checked again with LinkedIn: a page must still list the member as one who may post.
        const session = { baseUrl: env.registry.baseUrl('linkedin'), fetch: env.registry.fetch, now: env.now, signal: env.signal, credentials };
        const member = pages ? { id: credentials.memberId, name: '' } : await readLinkedInMember(session);
        const author = (await listLinkedInAuthors(session, member, pages)).find((a) => a.author === community.trim());
        if (!author) throw new DomainError('validation', 'Choose the member or a page from the list.', { field: 'community', reason: 'linkedin_author_not_found' });
        return linkedInAccount(JSON.stringify(session.credentials), author);
      } catch (error) {
        throw linkedInFailure(env, error);
      }
    },
    identity: (secret) => {
      const credentials = readLinkedInSecret(secret);
      return `${credentials.clientId}:${credentials.memberId}`;
    },
  },
  defaultFields: [],
  defaults: () => ({}),
  connectorConfig: (row) => {
    const { author, name, vanityName } = JSON.parse(row.config) as StoredLinkedInConfig;
    return { author, name, ...(vanityName ? { vanityName } : {}) } satisfies LinkedInConfig;
  },
  credentials: (secret) => readLinkedInSecret(secret),
  // The 60-day token (or, for apps with programmatic refresh, the refresh token's 365 days).
  signInEndsAt: (credentials) => linkedInSignInEndsAt(credentials as LinkedInCredentials),
};

// ---------------------------------------------------------------------------------------------
// YouTube: the user's own Desktop OAuth client (secret in the keychain), browser sign-in, the channel chosen on Google's page

function youtubeFailure(env: SignInEnv, error: unknown): unknown {
  if (env.signal.aborted) return signInFailure(new SignInError('cancelled', 'The sign-in was cancelled.'));
  if (error instanceof SignInError) return signInFailure(error);
  if (!(error instanceof ConnectorError)) return error;
  if (error.kind === 'validation' && !error.networkSaid) return credentialFailure('youtube', error, 'clientId', 'youtube_client_id_malformed');
  if (error.kind === 'auth') return credentialFailure('youtube', error, 'clientSecret', 'youtube_sign_in_refused');
  if (error.kind === 'permanent' && !error.networkSaid) return credentialFailure('youtube', error, 'clientId', 'youtube_no_channel');
  return networkFailure('youtube', error);
}

async function verifyYouTube(env: SignInEnv, raw: { clientId: string; clientSecret: string }, sameChannel?: string): Promise<VerifiedAccount> {
  const client = { clientId: required(raw.clientId, 'clientId', 'youtube_client_id_required'), clientSecret: required(raw.clientSecret, 'clientSecret', 'youtube_client_secret_required') };
  let signedIn;
  try {
    signedIn = await signInToYouTube({
      client,
      apiBaseUrl: env.registry.baseUrl('youtube'),
      openExternal: env.openExternal,
      fetch: env.registry.fetch,
      now: env.now,
      signal: env.signal,
      ...(env.registry.signInTimeoutMs !== undefined ? { timeoutMs: env.registry.signInTimeoutMs } : {}),
    });
  } catch (error) {
    throw youtubeFailure(env, error);
  }
  // The channel picked on Google's consent page; a reconnect must bring the same one back.
  const channel = sameChannel ? signedIn.channels.find((c) => c.channelId === sameChannel) : signedIn.channels[0];
  if (!channel) throw new DomainError('validation', 'Google signed in to another channel; choose the same channel on Google’s page.', { field: 'clientId', reason: 'youtube_other_channel' });
  return {
    // The channel id survives a new title or @handle.
    remoteKey: channel.channelId,
    handle: channel.handle ?? channel.channelTitle,
    displayName: channel.channelTitle,
    baseUrl: null,
    profileUrl: channel.handle ? `https://www.youtube.com/${channel.handle}` : `https://www.youtube.com/channel/${channel.channelId}`,
    config: JSON.stringify(channel),
    secret: JSON.stringify(signedIn.credentials),
  };
}

export const youtubeAccounts: NetworkAccounts = {
  network: 'youtube',
  usesBrowser: true,
  connect(env, connection) {
    if (connection.network !== 'youtube') throw new Error('not a YouTube connection');
    return verifyYouTube(env, connection);
  },
  reconnect(env, row, credentials) {
    if (credentials.network !== 'youtube') throw new Error('not YouTube credentials');
    return verifyYouTube(env, credentials, (JSON.parse(row.config) as YouTubeConfig).channelId);
  },
  defaultFields: [],
  defaults: () => ({}),
  connectorConfig: (row) => JSON.parse(row.config) as YouTubeConfig,
  credentials: (secret) => readYouTubeSecret(secret),
};

export const networkAccounts: Partial<Record<NetworkId, NetworkAccounts>> = {
  telegram: telegramAccounts,
  mastodon: mastodonAccounts,
  bluesky: blueskyAccounts,
  vk: vkAccounts,
  ok: okAccounts,
  facebook: facebookAccounts,
  instagram: instagramAccounts,
  threads: threadsAccounts,
  discord: discordAccounts,
  x: xAccounts,
  pinterest: pinterestAccounts,
  youtube: youtubeAccounts,
  linkedin: linkedinAccounts,
};
