import { existsSync, readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Account, AccountQuota, ConnectResult } from '../../main/core/contract';
import { openAccountConnection } from '../../main/services/accounts/account-connection';
import { readXSecret } from '../../main/services/connectors/x';
import { createBackend, databasePath, type Backend } from '../../main/services/services';
import { startXFake, type FakeXApp, type FakeXUser, type XFake } from '../fakes/x-fake';
import { dispatcher, FakeClock, makeTempDir, MemorySecretStore } from './support/backend';

/**
 * Connecting an X account through the real dispatch boundary, on a real database file, against
 * the X fake: the browser sign-in (PKCE through the loopback listener) is followed by the
 * stand-in browser, the tokens live only in the keychain, the rotated refresh token replaces the
 * old one there, and the monthly cap the user stated is shown before scheduling.
 */

let dir: ReturnType<typeof makeTempDir>;
let x: XFake;
let app: FakeXApp;
let user: FakeXUser;
let secrets: MemorySecretStore;
let clock: FakeClock;
let backend: Backend;
let projectId: string;

const { ok, refused } = dispatcher(() => backend);

function databaseBytes(): Buffer {
  const path = databasePath(dir.path);
  return Buffer.concat([readFileSync(path), existsSync(`${path}-wal`) ? readFileSync(`${path}-wal`) : Buffer.alloc(0)]);
}

beforeEach(async () => {
  dir = makeTempDir('outpost-x-');
  x = await startXFake({ now: () => clock.now() });
  app = x.addApp();
  user = x.addUser('cornerbakery', 'Corner Bakery');
  secrets = new MemorySecretStore();
  clock = new FakeClock();
  backend = createBackend({
    dataDir: dir.path,
    clock,
    emit: () => undefined,
    secrets,
    // The stand-in browser: X's window approves (signInAs) and its redirect reaches the loopback listener.
    platform: { host: 'browser', version: '0.0.0-test', openExternal: async (url) => void (await fetch(url)) },
    networks: { baseUrls: { x: x.baseUrl }, signInTimeoutMs: 5_000 },
    log: () => undefined,
  });
  projectId = (await ok<{ id: string }>('projects.create', { name: 'Corner Bakery', color: '#2563eb', timezone: 'Europe/Berlin' })).id;
});

afterEach(async () => {
  if (backend.services.db.open) backend.close();
  const violations = [...x.violations];
  await x.close();
  dir.remove();
  expect(violations).toEqual([]);
});

const connect = (extra: { monthlyCap?: number | null; replySettings?: string } = {}) =>
  ok<ConnectResult>('accounts.connect', { projectId, connection: { network: 'x', clientId: app.clientId, ...extra } });

describe('connecting an X account', () => {
  it('signs in through the browser, keeps the tokens in the keychain only, and publishes with the reply settings chosen', async () => {
    x.signInAs(user);
    const { account, renewed } = await connect({ monthlyCap: 500, replySettings: 'following' });
    expect(renewed).toBe(false);
    expect(account).toMatchObject({ network: 'x', handle: '@cornerbakery', displayName: 'Corner Bakery', url: 'https://x.com/cornerbakery', status: 'connected', nativeScheduler: null });
    const [secret] = [...secrets.secrets.values()];
    const stored = readXSecret(secret!);
    expect(stored).toMatchObject({ clientId: app.clientId, userId: user.id });
    expect(databaseBytes().includes(Buffer.from(stored.accessToken))).toBe(false);
    expect(databaseBytes().includes(Buffer.from(stored.refreshToken!))).toBe(false);

    const link = await openAccountConnection(backend.services, account.id);
    await link.connector.publish(link.ctx, { text: 'Fresh bread', media: [], idempotencyKey: 'k1' });
    expect(x.live(user)[0]).toMatchObject({ text: 'Fresh bread', replySettings: 'following' });
  });

  it('replaces the refresh token in the keychain each time X rotates it', async () => {
    x.signInAs(user);
    const { account } = await connect();
    const before = readXSecret([...secrets.secrets.values()][0]!);
    clock.advance(2 * 3600_000);
    const link = await openAccountConnection(backend.services, account.id);
    await link.connector.publish(link.ctx, { text: 'Two hours later', media: [], idempotencyKey: 'k2' });
    const after = readXSecret([...secrets.secrets.values()][0]!);
    expect(after.refreshToken).not.toBe(before.refreshToken);
    expect(after.accessToken).not.toBe(before.accessToken);
    expect(x.live(user)).toHaveLength(1);
  });

  it('the same account again renews in place; reconnecting keeps the cap; another X user is not this account', async () => {
    x.signInAs(user);
    const first = (await connect({ monthlyCap: 1500 })).account;
    expect(await connect()).toMatchObject({ renewed: true, account: { id: first.id } });
    const reconnected = await ok<Account>('accounts.reconnect', { id: first.id, credentials: { network: 'x', clientId: app.clientId } });
    expect(reconnected.status).toBe('connected');
    const other = x.addUser('someoneelse');
    x.signInAs(other);
    expect(await refused('accounts.reconnect', { id: first.id, credentials: { network: 'x', clientId: app.clientId } })).toMatchObject({ code: 'conflict' });
  });

  it('refuses a missing or malformed Client ID before opening the browser, and a declined sign-in says so', async () => {
    expect(await refused('accounts.connect', { projectId, connection: { network: 'x', clientId: ' ' } })).toMatchObject({ field: 'clientId', reason: 'x_client_id_required' });
    expect(await refused('accounts.connect', { projectId, connection: { network: 'x', clientId: 'my app!' } })).toMatchObject({ field: 'clientId', reason: 'x_client_id_malformed' });
    expect(x.requests).toEqual([]);
    x.signInAs('decline');
    expect(await refused('accounts.connect', { projectId, connection: { network: 'x', clientId: app.clientId } })).toMatchObject({ reason: 'signin_denied' });
    expect(secrets.secrets.size).toBe(0);
  });

  it('shows the monthly cap the user stated, with the posts already made and scheduled', async () => {
    x.signInAs(user);
    const { account } = await connect({ monthlyCap: 3 });
    const link = await openAccountConnection(backend.services, account.id);
    await link.connector.publish(link.ctx, { text: 'one', media: [], idempotencyKey: 'a' });
    await link.connector.publish(link.ctx, { text: 'two', media: [], idempotencyKey: 'b' });
    const quota = await ok<AccountQuota | null>('accounts.quota', { id: account.id, at: clock.now() + 3600_000 });
    expect(quota).toMatchObject({ quota: { posts: { used: 2, total: 3 }, windowMs: 30 * 24 * 3600_000 }, scheduled: 0, wouldPass: false });
    await link.connector.publish(link.ctx, { text: 'three', media: [], idempotencyKey: 'c' });
    expect(await ok<AccountQuota | null>('accounts.quota', { id: account.id })).toMatchObject({ wouldPass: true });
  });

  it('keeps the cap and reply settings as the account’s settings: changed there, used by the next publish and the next look at the cap', async () => {
    x.signInAs(user);
    const { account } = await connect({ monthlyCap: 500, replySettings: 'following' });
    expect(account.defaults).toEqual({ monthlyCap: 500, replySettings: 'following' });
    const changed = await ok<Account>('accounts.updateDefaults', { id: account.id, defaults: { monthlyCap: 1, replySettings: null } });
    expect(changed.defaults).toEqual({ monthlyCap: 1, replySettings: null });
    const link = await openAccountConnection(backend.services, account.id);
    await link.connector.publish(link.ctx, { text: 'Everyone may reply', media: [], idempotencyKey: 'k' });
    expect(x.live(user)[0]!.replySettings).toBeUndefined();
    expect(await ok<AccountQuota | null>('accounts.quota', { id: account.id })).toMatchObject({ quota: { posts: { used: 1, total: 1 } }, wouldPass: true });
    // Connecting the same account again (a renewal) leaves the settings as they are.
    expect(await connect()).toMatchObject({ renewed: true, account: { defaults: { monthlyCap: 1, replySettings: null } } });
    expect(await refused('accounts.updateDefaults', { id: account.id, defaults: { monthlyCap: 0 } })).toMatchObject({ code: 'bad_request' });
  });

  it('shows no cap when the user stated none', async () => {
    x.signInAs(user);
    const { account } = await connect();
    expect(await ok<AccountQuota | null>('accounts.quota', { id: account.id })).toBeNull();
  });
});
