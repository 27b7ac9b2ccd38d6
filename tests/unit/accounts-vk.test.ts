import { existsSync, readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Account, ConnectResult } from '../../main/core/contract';
import { openAccountConnection } from '../../main/services/accounts/account-connection';
import { readVkSecret } from '../../main/services/connectors/vk';
import { vkCommunityOf } from '../../main/services/accounts/network-accounts';
import { createBackend, databasePath, type Backend } from '../../main/services/services';
import { startVkFake, type FakeVkGroup, type FakeVkUser, type VkApp, type VkFake } from '../fakes/vk-fake';
import { dispatcher, FakeClock, makeTempDir, MemorySecretStore } from './support/backend';

/**
 * Connecting a VK community through the accounts handlers, on a real database file, against the
 * VK fake: VK ID's browser step follows the fake's consent redirect to the loopback listener; the
 * implicit flow uses the sign-in window port (Electron) or the pasted address (browser host).
 */

let dir: ReturnType<typeof makeTempDir>;
let vk: VkFake;
let app: VkApp;
let user: FakeVkUser;
let group: FakeVkGroup;
let secrets: MemorySecretStore;
let backend: Backend;
let projectId: string;
let opened: string[];
let clock: FakeClock;
let signInWindow: ((startUrl: string, isFinal: (address: string) => boolean) => Promise<string | null>) | undefined;

const { ok, refused } = dispatcher(() => backend);

const connection = (overrides: Record<string, string> = {}) => ({ network: 'vk', appId: app.appId, method: 'vkid', community: `https://vk.com/${group.screenName}`, ...overrides });

function start(withWindow: boolean): void {
  signInWindow = undefined;
  backend = createBackend({
    dataDir: dir.path,
    clock,
    emit: () => undefined,
    secrets,
    platform: {
      host: withWindow ? 'electron' : 'browser',
      version: '0.0.0-test',
      openExternal: async (url) => {
        opened.push(url);
        // VK ID's page (the fake) approves at once; the implicit flow's real page is not the fake's.
        if (url.startsWith(vk.baseUrl)) await (await fetch(url, { redirect: 'follow' })).text();
      },
      ...(withWindow ? { catchSignInRedirect: (startUrl: string, isFinal: (address: string) => boolean) => signInWindow!(startUrl, isFinal) } : {}),
    },
    networks: { baseUrls: { vk: vk.baseUrl }, signInTimeoutMs: 5_000 },
    log: () => undefined,
  });
}

beforeEach(async () => {
  dir = makeTempDir('outpost-accounts-vk-');
  clock = new FakeClock();
  vk = await startVkFake({ now: () => clock.now() });
  app = vk.addApp();
  user = vk.addUser();
  group = vk.addGroup({ name: 'Bakery on Lenina', screenName: 'bakery_lenina' });
  vk.setRole(group, user, 'editor');
  vk.signInAs(user);
  secrets = new MemorySecretStore();
  opened = [];
  start(false);
  projectId = (await ok<{ id: string }>('projects.create', { name: 'Acme Bakery', color: '#2563eb', timezone: 'Europe/Moscow' })).id;
});

afterEach(async () => {
  if (backend.services.db.open) backend.close();
  await vk.close();
  dir.remove();
});

describe('connecting a VK community', () => {
  it('signs in with VK ID and keeps the token pair in the keychain only', async () => {
    const { account } = await ok<ConnectResult>('accounts.connect', { projectId, connection: connection() });
    expect(account).toMatchObject({ network: 'vk', handle: 'vk.com/bakery_lenina', displayName: 'Bakery on Lenina', status: 'connected', url: 'https://vk.com/bakery_lenina' });
    const stored = readVkSecret(secrets.secrets.get(`account:${account.id}`)!);
    expect(stored).toMatchObject({ flow: 'vkid', appId: app.appId, userId: user.id });
    backend.close();
    const path = databasePath(dir.path);
    const bytes = Buffer.concat([readFileSync(path), existsSync(`${path}-wal`) ? readFileSync(`${path}-wal`) : Buffer.alloc(0)]);
    expect(bytes.includes(Buffer.from(stored.accessToken))).toBe(false);
    if (stored.flow === 'vkid') expect(bytes.includes(Buffer.from(stored.refreshToken))).toBe(false);
    expect(vk.violations).toEqual([]);
  });

  it('publishes with the keychain’s token, and a refresh near the hour’s end goes back to the keychain', async () => {
    const { account } = await ok<ConnectResult>('accounts.connect', { projectId, connection: connection() });
    const before = readVkSecret(secrets.secrets.get(`account:${account.id}`)!);
    clock.advance(58 * 60_000);
    const opened = await openAccountConnection(backend.services, account.id);
    const published = await opened.connector.publish(opened.ctx, { text: 'Fresh bread at 9', media: [], idempotencyKey: 'job-1' });
    expect(published.remoteId).toBe(`-${group.id}_${vk.livePosts(group)[0]!.id}`);
    const after = readVkSecret(secrets.secrets.get(`account:${account.id}`)!);
    expect(after.flow === 'vkid' && before.flow === 'vkid' && after.refreshToken !== before.refreshToken).toBe(true);
    expect(after.expiresAt).toBe(clock.now() + 3600_000);
  });

  it('refuses a community where the user is not an editor, in VK’s words, and saves nothing', async () => {
    vk.setRole(group, user, 'moderator');
    const error = await refused('accounts.connect', { projectId, connection: connection() });
    expect(error).toMatchObject({ field: 'community', reason: 'vk_not_an_editor', networkSaid: 'Access to adding post denied' });
    expect(secrets.secrets.size).toBe(0);
  });

  it('refuses a community the user only follows (no role at all), in VK’s words', async () => {
    vk.setRole(group, user, 'member');
    const error = await refused('accounts.connect', { projectId, connection: connection() });
    expect(error).toMatchObject({ field: 'community', reason: 'vk_not_an_editor' });
    expect(secrets.secrets.size).toBe(0);
    expect(vk.violations).toEqual([]);
  });

  it('each community is its own account', async () => {
    const cafe = vk.addGroup({ name: 'Cafe' });
    vk.setRole(cafe, user, 'admin');
    await ok<ConnectResult>('accounts.connect', { projectId, connection: connection() });
    await ok<ConnectResult>('accounts.connect', { projectId, connection: connection({ community: `club${cafe.id}` }) });
    const accounts = await ok<Account[]>('accounts.list', { projectId });
    expect(accounts.map((a) => a.displayName).sort()).toEqual(['Bakery on Lenina', 'Cafe']);
  });

  it('names the field to fix before any sign-in', async () => {
    expect(await refused('accounts.connect', { projectId, connection: connection({ appId: 'my app' }) })).toMatchObject({ field: 'appId', reason: 'vk_app_id_malformed' });
    expect(await refused('accounts.connect', { projectId, connection: connection({ community: ' ' }) })).toMatchObject({ field: 'community', reason: 'vk_community_required' });
    expect(vk.server.requests).toHaveLength(0);
  });

  it('browser host, implicit flow: VK’s page opens in the browser, then the pasted address connects', async () => {
    const first = await refused('accounts.connect', { projectId, connection: connection({ method: 'implicit' }) });
    expect(first).toMatchObject({ field: 'address', reason: 'vk_address_required' });
    expect(opened.at(-1)).toMatch(/^https:\/\/oauth\.vk\.com\/authorize\?/);
    const { account } = await ok<ConnectResult>('accounts.connect', { projectId, connection: connection({ method: 'implicit', address: vk.implicitRedirect(user, app) }) });
    expect(readVkSecret(secrets.secrets.get(`account:${account.id}`)!)).toMatchObject({ flow: 'implicit', expiresAt: null });
    expect(await refused('accounts.connect', { projectId, connection: connection({ method: 'implicit', address: 'https://vk.com/feed' }) })).toMatchObject({
      field: 'address',
      reason: 'vk_sign_in_unreadable',
    });
  });

  it('Electron, implicit flow: the sign-in window catches the token; closing it connects nothing', async () => {
    backend.close();
    start(true);
    signInWindow = async () => null;
    expect(await refused('accounts.connect', { projectId, connection: connection({ method: 'implicit' }) })).toMatchObject({ reason: 'signin_cancelled' });
    signInWindow = async (_startUrl, isFinal) => {
      const address = vk.implicitRedirect(user, app);
      return isFinal(address) ? address : null;
    };
    const { account } = await ok<ConnectResult>('accounts.connect', { projectId, connection: connection({ method: 'implicit' }) });
    expect(account.displayName).toBe('Bakery on Lenina');
  });

  it('reads a community as people paste it', () => {
    expect(vkCommunityOf('https://vk.com/bakery_lenina')).toBe('bakery_lenina');
    expect(vkCommunityOf('vk.com/club123456?w=wall-123456_1')).toBe('123456');
    expect(vkCommunityOf('public77')).toBe('77');
    expect(vkCommunityOf('-42')).toBe('42');
  });
});
