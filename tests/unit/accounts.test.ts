import { existsSync, readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Account, ConnectResult, EventName, EventPayload } from '../../main/core/contract';
import type { OutpostError } from '../../main/core/errors';
import { openAccountConnection } from '../../main/services/accounts/account-connection';
import { ACCOUNTS_OF_PROJECT_SQL } from '../../main/services/accounts/accounts-repo';
import { normalizeTelegramChannel } from '../../main/core/networks/connect-fields';
import { readMastodonSecret } from '../../main/services/connectors/mastodon';
import { isLoopbackHost, normalizeServerUrl, parseNetworkBaseUrls } from '../../main/services/connectors/registry';
import { KeychainUnavailableError } from '../../main/services/secrets/secret-store';
import { createBackend, databasePath, type Backend } from '../../main/services/services';
import { startFakeServer, type FakeServer } from '../fakes/fake-server';
import { startMastodonFake, type MastodonFake } from '../fakes/mastodon-fake';
import { startTelegramFake, type FakeBot, type FakeChannel, type TelegramFake } from '../fakes/telegram-fake';
import { dispatcher, FakeClock, makeTempDir, MemorySecretStore } from './support/backend';

/**
 * The accounts handlers through the real dispatch boundary, on a real database file, against
 * the loopback Telegram and Mastodon fakes; secrets go to an in-memory SecretStore so the test
 * can see exactly what reached the "keychain".
 */

/** A keychain that is not there at all (no Secret Service), or that fails only when writing. */
class BrokenSecretStore extends MemorySecretStore {
  constructor(private readonly mode: 'absent' | 'fails_on_write') {
    super();
  }

  override async set(key: string, secret: string): Promise<void> {
    if (this.mode === 'fails_on_write' || this.mode === 'absent') throw new KeychainUnavailableError('the collection is locked');
    return super.set(key, secret);
  }

  override async status(): Promise<{ available: boolean; detail?: string }> {
    return this.mode === 'absent' ? { available: false, detail: 'Cannot autolaunch D-Bus without X11 $DISPLAY' } : { available: true };
  }
}

let dir: ReturnType<typeof makeTempDir>;
let tg: TelegramFake;
let bot: FakeBot;
let channel: FakeChannel;
let secrets: MemorySecretStore;
let backend: Backend;
let events: { event: EventName; payload: EventPayload<EventName> }[];
let projectId: string;
let mastodon: MastodonFake | undefined;
let pds: FakeServer;
/** What the "system browser" does with a sign-in page: follow the fake's auto-approval. */
let openExternal: (url: string) => Promise<void>;

function open(store: MemorySecretStore = new MemorySecretStore()): Backend {
  secrets = store;
  events = [];
  backend = createBackend({
    dataDir: dir.path,
    clock: new FakeClock(),
    emit: (event, payload) => events.push({ event, payload }),
    secrets,
    platform: { host: 'browser', version: '0.0.0-test', openExternal: (url) => openExternal(url) },
    networks: { baseUrls: { telegram: tg.baseUrl, bluesky: pds.baseUrl }, signInTimeoutMs: 5_000 },
    log: () => undefined,
  });
  return backend;
}

const { call, ok, refused } = dispatcher(() => backend);

const connectTelegram = (token = bot.token, channelName = '@outpost_news') =>
  call<ConnectResult>('accounts.connect', { projectId, connection: { network: 'telegram', botToken: token, channel: channelName } });

function rows(): Record<string, unknown>[] {
  return backend.services.db.prepare('SELECT * FROM accounts ORDER BY created_at').all() as Record<string, unknown>[];
}

/** Every byte SQLite has written for this database: the main file and its WAL. */
function databaseBytes(): Buffer {
  const path = databasePath(dir.path);
  return Buffer.concat([readFileSync(path), existsSync(`${path}-wal`) ? readFileSync(`${path}-wal`) : Buffer.alloc(0)]);
}

beforeEach(async () => {
  dir = makeTempDir('outpost-accounts-');
  tg = await startTelegramFake();
  bot = tg.addBot({ username: 'outpost_bot' });
  channel = tg.addChannel({ username: 'outpost_news', title: 'Outpost news' });
  tg.setMember(channel, bot, { status: 'administrator', canPostMessages: true });
  pds = await startPds();
  openExternal = async () => {
    throw new Error('no browser in this test');
  };
  open();
  projectId = (await ok<{ id: string }>('projects.create', { name: 'Acme Bakery', color: '#2563eb', timezone: 'Europe/Berlin' })).id;
});

afterEach(async () => {
  if (backend.services.db.open) backend.close();
  await tg.close();
  await pds.close();
  await mastodon?.close();
  mastodon = undefined;
  dir.remove();
});

describe('connecting a Telegram channel', () => {
  it('checks the bot and channel, keeps the token in the keychain only, and lists the account', async () => {
    const result = await connectTelegram();
    expect(result.ok).toBe(true);
    const { account, renewed } = (result as { value: ConnectResult }).value;
    expect(renewed).toBe(false);
    expect(account).toMatchObject({
      projectId,
      network: 'telegram',
      handle: '@outpost_news',
      displayName: 'Outpost news',
      url: 'https://t.me/outpost_news',
      status: 'connected',
      statusReason: null,
      server: null,
      nativeScheduler: null,
      deleteWindowHours: 48,
      defaults: { linkPreview: true },
    });
    expect(tg.calls().map((c) => c.method)).toEqual(['getMe', 'getChat', 'getChatMember']);

    const [row] = rows();
    expect(row!.secret_ref).toBe(`account:${account.id}`);
    expect(secrets.secrets.get(`account:${account.id}`)).toBe(JSON.stringify({ botToken: bot.token }));
    expect(await ok<Account[]>('accounts.list', { projectId })).toEqual([account]);
    expect(events).toContainEqual({ event: 'accounts.changed', payload: { projectId, accountId: account.id } });

    // Nothing that leaves main carries the token: replies and events.
    expect(JSON.stringify([result, events, await call('accounts.list', { projectId })])).not.toContain(bot.token);
  });

  it('leaves the token in no SQLite column: the database file’s bytes do not contain it', async () => {
    const { account } = (await ok<ConnectResult>('accounts.connect', {
      projectId,
      connection: { network: 'telegram', botToken: bot.token, channel: '@outpost_news' },
    }));
    const [tokenId, tokenSecret] = bot.token.split(':') as [string, string];
    // The scan is real: what was saved is in these bytes, in the WAL before a checkpoint…
    expect(databaseBytes().includes(Buffer.from('Outpost news'))).toBe(true);
    expect(databaseBytes().includes(Buffer.from(tokenSecret))).toBe(false);
    // …and in the main file after it.
    backend.close();
    const bytes = databaseBytes();
    expect(bytes.includes(Buffer.from(account.id))).toBe(true);
    expect(bytes.includes(Buffer.from(bot.token))).toBe(false);
    expect(bytes.includes(Buffer.from(tokenSecret))).toBe(false);
    expect(bytes.includes(Buffer.from(`bot${tokenId}`))).toBe(false);
  });

  it('accepts the channel as a t.me link or a bare name, and a private channel by its -100… id', async () => {
    expect(normalizeTelegramChannel('https://t.me/outpost_news')).toBe('@outpost_news');
    expect(normalizeTelegramChannel(' outpost_news ')).toBe('@outpost_news');
    expect(normalizeTelegramChannel('-1001234567890')).toBe('-1001234567890');
    const hidden = tg.addChannel({ title: 'Client drafts' });
    tg.setMember(hidden, bot, { status: 'administrator', canPostMessages: true });
    const { account } = await ok<ConnectResult>('accounts.connect', {
      projectId,
      connection: { network: 'telegram', botToken: bot.token, channel: String(hidden.id) },
    });
    expect(account).toMatchObject({ handle: String(hidden.id), displayName: 'Client drafts', url: null });
  });

  it('refuses a bot that is not an administrator allowed to post, naming the channel field, and saves nothing', async () => {
    tg.setMember(channel, bot, { status: 'member' });
    const error = (await connectTelegram()) as { ok: false; error: OutpostError };
    expect(error.error).toMatchObject({ code: 'validation', field: 'channel', reason: 'telegram_bot_cannot_post' });
    expect(error.error.networkMessage).toMatch(/not an administrator.*permission to post/);

    tg.setMember(channel, bot, { status: 'administrator', canPostMessages: false });
    expect((await refused('accounts.connect', { projectId, connection: { network: 'telegram', botToken: bot.token, channel: '@outpost_news' } })).reason).toBe(
      'telegram_bot_cannot_post',
    );
    expect(rows()).toEqual([]);
    expect(secrets.secrets.size).toBe(0);
  });

  it('refuses a token Telegram does not know, and one that is not a token at all, without echoing it', async () => {
    const unknown = '123456789:AAunknownunknownunknownunknown';
    const rejected = (await connectTelegram(unknown)) as { ok: false; error: OutpostError };
    expect(rejected.error).toMatchObject({ code: 'validation', field: 'botToken', reason: 'telegram_token_rejected' });
    expect(JSON.stringify(rejected)).not.toContain(unknown);

    const before = tg.calls().length;
    const malformed = await refused('accounts.connect', { projectId, connection: { network: 'telegram', botToken: 'my bot', channel: '@outpost_news' } });
    expect(malformed).toMatchObject({ code: 'validation', field: 'botToken', reason: 'telegram_token_malformed' });
    // Refused before any call: a typo never reaches the network.
    expect(tg.calls().length).toBe(before);
    expect(rows()).toEqual([]);
    expect(secrets.secrets.size).toBe(0);
  });

  it('names an empty field and a channel that does not exist', async () => {
    expect(await refused('accounts.connect', { projectId, connection: { network: 'telegram', botToken: '  ', channel: '@x' } })).toMatchObject({
      field: 'botToken',
      reason: 'bot_token_required',
    });
    expect(await refused('accounts.connect', { projectId, connection: { network: 'telegram', botToken: bot.token, channel: '' } })).toMatchObject({
      field: 'channel',
      reason: 'channel_required',
    });
    expect(await refused('accounts.connect', { projectId, connection: { network: 'telegram', botToken: bot.token, channel: '@nobody_here' } })).toMatchObject({
      code: 'validation',
      field: 'channel',
      reason: 'telegram_channel_not_found',
    });
  });

  it('says the network is unreachable (not that the token is wrong) when Telegram does not answer', async () => {
    tg.failNext({ kind: 'server_error', status: 502 });
    expect(await refused('accounts.connect', { projectId, connection: { network: 'telegram', botToken: bot.token, channel: '@outpost_news' } })).toMatchObject({
      code: 'network',
      reason: 'network_unreachable',
    });
    expect(rows()).toEqual([]);
  });

  it('renews the same channel connected twice in place instead of making a twin', async () => {
    const first = (await ok<ConnectResult>('accounts.connect', { projectId, connection: { network: 'telegram', botToken: bot.token, channel: '@outpost_news' } })).account;
    const newBot = tg.addBot({ username: 'outpost_second_bot' });
    tg.setMember(channel, newBot, { status: 'administrator', canPostMessages: true });
    const again = await ok<ConnectResult>('accounts.connect', { projectId, connection: { network: 'telegram', botToken: newBot.token, channel: 'https://t.me/outpost_news' } });
    expect(again.renewed).toBe(true);
    expect(again.account.id).toBe(first.id);
    expect(rows()).toHaveLength(1);
    expect(await secrets.list()).toEqual([`account:${first.id}`]);
    expect(secrets.secrets.get(`account:${first.id}`)).toContain(newBot.token);

    // Another project may have the same channel: accounts belong to one project each.
    const other = (await ok<{ id: string }>('projects.create', { name: 'Zephyr Yoga', color: '#16a34a', timezone: 'Asia/Tokyo' })).id;
    const elsewhere = await ok<ConnectResult>('accounts.connect', { projectId: other, connection: { network: 'telegram', botToken: bot.token, channel: '@outpost_news' } });
    expect(elsewhere.renewed).toBe(false);
    expect(elsewhere.account.id).not.toBe(first.id);
  });
});

describe('without a usable keychain', () => {
  it('refuses with keychain_unavailable before calling the network, and saves nothing', async () => {
    backend.close();
    open(new BrokenSecretStore('absent'));
    const error = await refused('accounts.connect', { projectId, connection: { network: 'telegram', botToken: bot.token, channel: '@outpost_news' } });
    expect(error.code).toBe('keychain_unavailable');
    expect(error.message).toMatch(/nothing was saved/);
    expect(tg.calls()).toEqual([]);
    expect(rows()).toEqual([]);
  });

  it('refuses fields that cannot be right before touching the keychain or the network', async () => {
    backend.close();
    let probes = 0;
    const store = new BrokenSecretStore('absent');
    store.status = () => {
      probes += 1;
      return Promise.resolve({ available: false, detail: 'locked' });
    };
    open(store);
    const error = await refused('accounts.connect', { projectId, connection: { network: 'telegram', botToken: 'not-a-token', channel: '@outpost_news' } });
    expect([error.code, error.field, error.reason]).toEqual(['validation', 'botToken', 'telegram_token_malformed']);
    const handle = await refused('accounts.connect', { projectId, connection: { network: 'bluesky', handle: 'not a handle', appPassword: 'abcd-efgh-ijkl-mnop' } });
    expect([handle.field, handle.reason]).toEqual(['handle', 'bluesky_handle_malformed']);
    const vk = await refused('accounts.signIn', { projectId, signIn: { network: 'vk', appId: 'app12', method: 'vkid' } });
    expect([vk.field, vk.reason]).toEqual(['appId', 'vk_app_id_malformed']);
    expect(probes).toBe(0);
    expect(tg.calls()).toEqual([]);
  });

  it('saves nothing when the keychain fails while storing the secret', async () => {
    backend.close();
    open(new BrokenSecretStore('fails_on_write'));
    const error = await refused('accounts.connect', { projectId, connection: { network: 'telegram', botToken: bot.token, channel: '@outpost_news' } });
    expect(error.code).toBe('keychain_unavailable');
    expect(rows()).toEqual([]);
    expect(secrets.secrets.size).toBe(0);
  });
});

describe('disconnect, reconnect and defaults', () => {
  let account: Account;

  beforeEach(async () => {
    account = (await ok<ConnectResult>('accounts.connect', { projectId, connection: { network: 'telegram', botToken: bot.token, channel: '@outpost_news' } })).account;
  });

  it('disconnect deletes the keychain secret and keeps the account, disconnected, for its post history', async () => {
    const disconnected = await ok<Account>('accounts.disconnect', { id: account.id });
    expect(disconnected.status).toBe('disconnected');
    expect(secrets.secrets.size).toBe(0);
    expect(rows()[0]).toMatchObject({ id: account.id, status: 'disconnected', secret_ref: null });
    expect((await ok<Account[]>('accounts.list', { projectId })).map((a) => a.status)).toEqual(['disconnected']);
    // The scheduler cannot publish through it any more.
    await expect(openAccountConnection(backend.services, account.id)).rejects.toMatchObject({ kind: 'auth' });

    // Connecting the same channel again brings the same account (and its posts) back.
    const back = await ok<ConnectResult>('accounts.connect', { projectId, connection: { network: 'telegram', botToken: bot.token, channel: '@outpost_news' } });
    expect(back).toMatchObject({ renewed: true, account: { id: account.id, status: 'connected' } });
    expect(await secrets.list()).toEqual([`account:${account.id}`]);
  });

  it('disconnect refuses, and keeps the account, when the keychain is unavailable', async () => {
    secrets.delete = async () => {
      throw new KeychainUnavailableError('the collection is locked');
    };
    expect((await refused('accounts.disconnect', { id: account.id })).code).toBe('keychain_unavailable');
    expect(rows()[0]).toMatchObject({ status: 'connected' });
  });

  it('reconnect replaces the secret in place, and refuses another channel’s bot without touching the old one', async () => {
    backend.services.db.prepare("UPDATE accounts SET status = 'reconnect_needed', status_reason = 'Unauthorized' WHERE id = ?").run(account.id);
    expect((await ok<Account[]>('accounts.list', { projectId }))[0]).toMatchObject({ status: 'reconnect_needed', statusReason: 'Unauthorized' });

    const weak = tg.addBot({ username: 'weak_bot' });
    tg.setMember(channel, weak, { status: 'member' });
    expect(await refused('accounts.reconnect', { id: account.id, credentials: { network: 'telegram', botToken: weak.token } })).toMatchObject({
      reason: 'telegram_bot_cannot_post',
    });
    expect(secrets.secrets.get(`account:${account.id}`)).toContain(bot.token);

    const fresh = tg.addBot({ username: 'fresh_bot' });
    tg.setMember(channel, fresh, { status: 'administrator', canPostMessages: true });
    const reconnected = await ok<Account>('accounts.reconnect', { id: account.id, credentials: { network: 'telegram', botToken: fresh.token } });
    expect(reconnected).toMatchObject({ id: account.id, status: 'connected', statusReason: null });
    expect(await secrets.list()).toEqual([`account:${account.id}`]);
    expect(secrets.secrets.get(`account:${account.id}`)).toContain(fresh.token);
  });

  it('keeps per-account defaults, refuses another network’s settings, and the connection carries them', async () => {
    const updated = await ok<Account>('accounts.updateDefaults', { id: account.id, defaults: { linkPreview: false } });
    expect(updated.defaults).toEqual({ linkPreview: false });
    expect(await refused('accounts.updateDefaults', { id: account.id, defaults: { visibility: 'unlisted' } })).toMatchObject({
      code: 'validation',
      field: 'defaults.visibility',
      reason: 'default_not_applicable',
    });
    expect(await refused('accounts.updateDefaults', { id: account.id, defaults: { language: 'English' } })).toMatchObject({ code: 'bad_request' });

    const connection = await openAccountConnection(backend.services, account.id);
    expect(connection.defaults).toEqual({ linkPreview: false });
    expect(connection.ctx).toMatchObject({ baseUrl: tg.baseUrl, credentials: { botToken: bot.token }, config: { channel: String(channel.id) } });
    const published = await connection.connector.publish(connection.ctx, { text: 'Fresh bread at 9', media: [], idempotencyKey: 'k1', linkPreview: false });
    expect(published.url).toBe(`https://t.me/outpost_news/${published.remoteId}`);
  });

  it('answers not_found for an account or project that does not exist', async () => {
    expect(await refused('accounts.disconnect', { id: 'nope' })).toMatchObject({ code: 'not_found', reason: 'account_missing' });
    expect(await refused('accounts.list', { projectId: 'nope' })).toMatchObject({ code: 'not_found', reason: 'project_missing' });
  });
});

describe('connecting a Mastodon account (app registration + PKCE loopback sign-in)', () => {
  beforeEach(async () => {
    mastodon = await startMastodonFake();
    // The fake approves at once and redirects to our loopback listener, as a signed-in browser would.
    openExternal = async (url) => {
      await (await fetch(url, { redirect: 'follow' })).text();
    };
  });

  it('signs in through the browser step, keeps the token in the keychain only, and shows where posts are scheduled', async () => {
    const fake = mastodon as MastodonFake;
    const { account } = await ok<ConnectResult>('accounts.connect', { projectId, connection: { network: 'mastodon', instance: fake.baseUrl } });
    const host = new URL(fake.baseUrl).host;
    expect(account).toMatchObject({
      network: 'mastodon',
      handle: '@outpost_tester@fake.social',
      status: 'connected',
      server: host,
      nativeScheduler: host,
      deleteWindowHours: null,
      defaults: { visibility: 'public', language: null },
    });
    expect(fake.violations).toEqual([]);
    const credentials = readMastodonSecret(secrets.secrets.get(`account:${account.id}`)!);
    backend.close();
    const bytes = databaseBytes();
    expect(bytes.includes(Buffer.from(credentials.accessToken))).toBe(false);
    expect(bytes.includes(Buffer.from(credentials.clientSecret))).toBe(false);
  });

  it('uses the default visibility when publishing, and revokes the token on disconnect', async () => {
    const fake = mastodon as MastodonFake;
    const { account } = await ok<ConnectResult>('accounts.connect', { projectId, connection: { network: 'mastodon', instance: fake.baseUrl } });
    await ok('accounts.updateDefaults', { id: account.id, defaults: { visibility: 'unlisted', language: 'de' } });
    const connection = await openAccountConnection(backend.services, account.id);
    await connection.connector.publish(connection.ctx, { text: 'Guten Morgen', media: [], idempotencyKey: 'k1', language: connection.defaults.language ?? undefined });
    expect(fake.statuses.at(-1)).toMatchObject({ text: 'Guten Morgen', visibility: 'unlisted', language: 'de' });

    await ok('accounts.disconnect', { id: account.id });
    expect(secrets.secrets.size).toBe(0);
    await expect.poll(() => fake.requests.some((r) => r.method === 'POST' && r.path === '/oauth/revoke')).toBe(true);
  });

  it('reports a declined sign-in and an unusable address, and saves nothing', async () => {
    const fake = mastodon as MastodonFake;
    fake.denyNextAuthorization();
    expect(await refused('accounts.connect', { projectId, connection: { network: 'mastodon', instance: fake.baseUrl } })).toMatchObject({
      code: 'sign_in_failed',
      reason: 'signin_denied',
    });
    expect(await refused('accounts.connect', { projectId, connection: { network: 'mastodon', instance: 'http://example.com' } })).toMatchObject({
      code: 'validation',
      field: 'instance',
      reason: 'mastodon_server_invalid',
    });
    expect(rows()).toEqual([]);
    expect(secrets.secrets.size).toBe(0);
  });

  it('cancelSignIn ends a sign-in that waits for the browser', async () => {
    const fake = mastodon as MastodonFake;
    let opened: () => void = () => undefined;
    const browserOpened = new Promise<void>((resolve) => (opened = resolve));
    openExternal = async () => opened();
    const pending = call('accounts.connect', { projectId, connection: { network: 'mastodon', instance: fake.baseUrl } });
    await browserOpened;
    expect(await ok('accounts.cancelSignIn', {})).toEqual({ cancelled: true });
    expect(await pending).toMatchObject({ ok: false, error: { code: 'sign_in_failed', reason: 'signin_cancelled' } });
    expect(rows()).toEqual([]);
  });

  it('refuses a reconnect that signs in as a different account', async () => {
    const fake = mastodon as MastodonFake;
    const { account } = await ok<ConnectResult>('accounts.connect', { projectId, connection: { network: 'mastodon', instance: fake.baseUrl } });
    backend.services.db.prepare('UPDATE accounts SET remote_key = ? WHERE id = ?').run(`${fake.baseUrl}#someone-else`, account.id);
    const before = secrets.secrets.get(`account:${account.id}`);
    expect(await refused('accounts.reconnect', { id: account.id, credentials: { network: 'mastodon' } })).toMatchObject({
      code: 'conflict',
      reason: 'account_mismatch',
    });
    expect(secrets.secrets.get(`account:${account.id}`)).toBe(before);
  });
});

const DID = 'did:plc:abcdefghijklmnopqrstuvwx';
const APP_PASSWORD = 'abcd-efgh-ijkl-mnop';

/** createSession and deleteSession as a PDS answers them (XRPC error shapes from CONTRACTS.md §4). */
function startPds(): Promise<FakeServer> {
  return startFakeServer((req) => {
    if (req.method === 'POST' && req.path === '/xrpc/com.atproto.server.createSession') {
      const { identifier, password } = (req.body.json ?? {}) as { identifier?: string; password?: string };
      if ((identifier === 'alice.test' || identifier === DID) && password === APP_PASSWORD) {
        return { status: 200, json: { did: DID, handle: 'alice.test', accessJwt: 'access-jwt-secret', refreshJwt: 'refresh-jwt-secret', active: true } };
      }
      return { status: 401, json: { error: 'AuthenticationRequired', message: 'Invalid identifier or password' } };
    }
    if (req.method === 'POST' && req.path === '/xrpc/com.atproto.server.deleteSession') return { status: 200, text: '' };
    return { status: 404, text: 'Not Found' };
  });
}

describe('connecting a Bluesky account (handle + app password)', () => {
  const connectBluesky = (handle: string, appPassword: string, server?: string) =>
    call<ConnectResult>('accounts.connect', { projectId, connection: { network: 'bluesky', handle, appPassword, ...(server ? { server } : {}) } });

  it('creates a session on the default server, keeps it in the keychain only, and lists the account', async () => {
    const result = await connectBluesky(' @Alice.test ', APP_PASSWORD);
    const { account } = (result as { value: ConnectResult }).value;
    expect(account).toMatchObject({
      network: 'bluesky',
      handle: '@alice.test',
      status: 'connected',
      server: new URL(pds.baseUrl).host,
      nativeScheduler: null,
      url: 'https://bsky.app/profile/alice.test',
      defaults: { language: null },
    });
    const secret = JSON.parse(secrets.secrets.get(`account:${account.id}`)!) as Record<string, string>;
    expect(secret).toMatchObject({ did: DID, appPassword: APP_PASSWORD, refreshJwt: 'refresh-jwt-secret' });
    expect(JSON.stringify([result, events])).not.toContain(APP_PASSWORD);
    backend.close();
    const bytes = databaseBytes();
    expect(bytes.includes(Buffer.from(DID))).toBe(true);
    for (const value of [APP_PASSWORD, 'access-jwt-secret', 'refresh-jwt-secret']) expect(bytes.includes(Buffer.from(value))).toBe(false);
  });

  it('names the field to fix: a wrong app password, a main password, an http server elsewhere', async () => {
    const wrong = (await connectBluesky('alice.test', 'zzzz-zzzz-zzzz-zzzz')) as { ok: false; error: OutpostError };
    expect(wrong.error).toMatchObject({ code: 'validation', field: 'appPassword', reason: 'bluesky_credentials_rejected' });
    expect(wrong.error.networkMessage).toMatch(/^AuthenticationRequired: Invalid identifier or password/);
    const calls = pds.requests.length;
    expect(await refused('accounts.connect', { projectId, connection: { network: 'bluesky', handle: 'alice.test', appPassword: 'my main password' } })).toMatchObject({
      field: 'appPassword',
      reason: 'bluesky_not_app_password',
    });
    expect(await refused('accounts.connect', { projectId, connection: { network: 'bluesky', handle: 'alice.test', appPassword: APP_PASSWORD, server: 'http://pds.example' } })).toMatchObject({
      field: 'server',
      reason: 'bluesky_server_invalid',
    });
    expect(pds.requests.length).toBe(calls);
    expect(rows()).toEqual([]);
    expect(secrets.secrets.size).toBe(0);
  });

  it('keeps a session the connector renews in the keychain, under the same key', async () => {
    const { account } = await ok<ConnectResult>('accounts.connect', { projectId, connection: { network: 'bluesky', handle: 'alice.test', appPassword: APP_PASSWORD } });
    const connection = await openAccountConnection(backend.services, account.id);
    expect(connection.ctx).toMatchObject({ baseUrl: pds.baseUrl, config: { did: DID }, credentials: { did: DID, handle: 'alice.test', appPassword: APP_PASSWORD } });
    await connection.ctx.saveCredentials!({ ...(connection.ctx.credentials as object), accessJwt: 'rotated-access', refreshJwt: 'rotated-refresh' });
    expect(await secrets.list()).toEqual([`account:${account.id}`]);
    expect(JSON.parse(secrets.secrets.get(`account:${account.id}`)!)).toMatchObject({ refreshJwt: 'rotated-refresh', appPassword: APP_PASSWORD });
  });

  it('reconnects by DID with a new app password, and ends the session on disconnect', async () => {
    const { account } = await ok<ConnectResult>('accounts.connect', { projectId, connection: { network: 'bluesky', handle: 'alice.test', appPassword: APP_PASSWORD, server: pds.baseUrl } });
    await ok('accounts.reconnect', { id: account.id, credentials: { network: 'bluesky', appPassword: APP_PASSWORD } });
    const sessions = pds.requests.filter((r) => r.path === '/xrpc/com.atproto.server.createSession');
    expect((sessions.at(-1)!.body.json as { identifier: string }).identifier).toBe(DID);
    await ok('accounts.disconnect', { id: account.id });
    expect(secrets.secrets.size).toBe(0);
    await expect.poll(() => pds.requests.some((r) => r.path === '/xrpc/com.atproto.server.deleteSession')).toBe(true);
  });
});

describe('the connector registry', () => {
  it('allows plain http only to loopback addresses', () => {
    expect(isLoopbackHost('127.0.0.1')).toBe(true);
    expect(isLoopbackHost('127.8.0.1')).toBe(true);
    expect(isLoopbackHost('[::1]')).toBe(true);
    expect(isLoopbackHost('localhost')).toBe(true);
    expect(isLoopbackHost('10.0.0.1')).toBe(false);
    expect(normalizeServerUrl('bsky.social')).toBe('https://bsky.social');
    expect(normalizeServerUrl('http://127.0.0.1:4000/')).toBe('http://127.0.0.1:4000');
    expect(() => normalizeServerUrl('http://pds.example')).toThrow(/only over https/);
    expect(() => normalizeServerUrl('https://user:pw@pds.example')).toThrow(/not a plain server address/);
  });

  it('reads OUTPOST_NETWORK_BASE_URLS strictly', () => {
    expect(parseNetworkBaseUrls('{"telegram":"http://127.0.0.1:1234/"}')).toEqual({ telegram: 'http://127.0.0.1:1234' });
    expect(() => parseNetworkBaseUrls('{"telegram":"http://api.example"}')).toThrow(/only over https/);
    expect(() => parseNetworkBaseUrls('{"myspace":"https://x.example"}')).toThrow(/not a network/);
    expect(() => parseNetworkBaseUrls('telegram=1')).toThrow(/must be JSON/);
  });
});

describe('the accounts table (migration 3)', () => {
  it('lists a project’s accounts through an index', () => {
    const plan = backend.services.db.prepare(`EXPLAIN QUERY PLAN ${ACCOUNTS_OF_PROJECT_SQL}`).all('p') as { detail: string }[];
    expect(plan.map((p) => p.detail).join('\n')).toMatch(/USING INDEX accounts_(project|project_remote)/);
  });

  it('refuses a second row for the same network identity in a project', () => {
    const db = backend.services.db;
    const insert = db.prepare(
      "INSERT INTO accounts (id, project_id, network, handle, remote_key, created_at, updated_at) VALUES (?, ?, 'telegram', '@x', '-1001', 0, 0)",
    );
    insert.run('a1', projectId);
    expect(() => insert.run('a2', projectId)).toThrow(/UNIQUE/);
  });
});
