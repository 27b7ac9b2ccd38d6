import { existsSync, readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Account, ConnectResult, PendingSignIn } from '../../main/core/contract';
import { OK_REDIRECT_URI } from '../../main/core/networks/ok';
import { openAccountConnection } from '../../main/services/accounts/account-connection';
import { PICK_TTL_MS } from '../../main/services/accounts/account-handlers';
import { markAccountReconnectNeeded } from '../../main/services/accounts/accounts-repo';
import { readOkSecret } from '../../main/services/connectors/ok';
import { readVkSecret } from '../../main/services/connectors/vk';
import { createBackend, databasePath, type Backend } from '../../main/services/services';
import { startOkFake, type FakeOkApp, type FakeOkUser, type OkFake } from '../fakes/ok-fake';
import { startVkFake, type FakeVkGroup, type FakeVkUser, type VkApp, type VkFake } from '../fakes/vk-fake';
import { dispatcher, FakeClock, makeTempDir, MemorySecretStore } from './support/backend';

/**
 * Choosing communities after one sign-in (accounts.signIn → accounts.connectCommunities), through
 * the handlers on a real database file, against the VK and OK fakes: the list, picking several,
 * the refusals in the network's words, communities already connected, and the one keychain entry
 * the picked accounts share so a refresh by one never strands another.
 */

let dir: ReturnType<typeof makeTempDir>;
let vk: VkFake;
let okFake: OkFake;
let vkApp: VkApp;
let okApp: FakeOkApp;
let user: FakeVkUser;
let okUser: FakeOkUser;
let bakery: FakeVkGroup;
let cafe: FakeVkGroup;
let secrets: MemorySecretStore;
let backend: Backend;
let projectId: string;
let clock: FakeClock;

const { ok, refused } = dispatcher(() => backend);

const vkSignIn = () => ({ network: 'vk', appId: vkApp.appId, method: 'vkid' });
const okSignIn = () => ({ network: 'ok', applicationId: okApp.id, applicationKey: okApp.publicKey, applicationSecretKey: okApp.secretKey });
const signIn = (signIn: Record<string, string> = vkSignIn()) => ok<PendingSignIn>('accounts.signIn', { projectId, signIn });

beforeEach(async () => {
  dir = makeTempDir('outpost-accounts-communities-');
  clock = new FakeClock();
  vk = await startVkFake({ now: () => clock.now() });
  vkApp = vk.addApp();
  user = vk.addUser();
  bakery = vk.addGroup({ name: 'Bakery on Lenina', screenName: 'bakery_lenina' });
  cafe = vk.addGroup({ name: 'Cafe Vostok', screenName: 'cafe_vostok' });
  vk.setRole(bakery, user, 'editor');
  vk.setRole(cafe, user, 'admin');
  vk.signInAs(user);
  okFake = await startOkFake({ now: () => clock.now() });
  okApp = okFake.addApp({ redirectUris: [OK_REDIRECT_URI] });
  okUser = okFake.addUser();
  okFake.signInAs(okUser);
  secrets = new MemorySecretStore();
  backend = createBackend({
    dataDir: dir.path,
    clock,
    emit: () => undefined,
    secrets,
    platform: {
      host: 'browser',
      version: '0.0.0-test',
      // The fakes' consent pages approve at once and redirect to the loopback listener.
      openExternal: async (url) => {
        await (await fetch(url, { redirect: 'follow' })).text();
      },
    },
    networks: { baseUrls: { vk: vk.baseUrl, ok: okFake.baseUrl }, signInTimeoutMs: 5_000 },
    log: () => undefined,
  });
  projectId = (await ok<{ id: string }>('projects.create', { name: 'Acme Bakery', color: '#2563eb', timezone: 'Europe/Moscow' })).id;
});

afterEach(async () => {
  if (backend.services.db.open) backend.close();
  await vk.close();
  await okFake.close();
  dir.remove();
});

function databaseBytes(): Buffer {
  const path = databasePath(dir.path);
  return Buffer.concat([readFileSync(path), existsSync(`${path}-wal`) ? readFileSync(`${path}-wal`) : Buffer.alloc(0)]);
}

async function publish(accountId: string, text: string): Promise<string> {
  const opened = await openAccountConnection(backend.services, accountId);
  return (await opened.connector.publish(opened.ctx, { text, media: [], idempotencyKey: `${accountId}:${text}` })).remoteId;
}

describe('choosing VK communities after one sign-in', () => {
  it('lists the communities the user edits or runs, with their role, and never sends the token', async () => {
    const fans = vk.addGroup({ name: 'Fans' });
    vk.setRole(fans, user, 'moderator');
    const pending = await signIn();
    expect(pending).toMatchObject({ network: 'vk', who: 'Anna Petrova', expiresAt: clock.now() + PICK_TTL_MS });
    expect(pending.communities).toEqual([
      { id: String(bakery.id), name: 'Bakery on Lenina', handle: 'vk.com/bakery_lenina', role: 'editor', accountId: null },
      { id: String(cafe.id), name: 'Cafe Vostok', handle: 'vk.com/cafe_vostok', role: 'admin', accountId: null },
    ]);
    expect(JSON.stringify(pending)).not.toMatch(/vk2\.[ar]\./);
    // Nothing is saved before the pick.
    expect(secrets.secrets.size).toBe(0);
    expect(await ok<Account[]>('accounts.list', { projectId })).toEqual([]);
  });

  it('picking two makes two accounts that share one keychain entry, kept out of SQLite', async () => {
    const pending = await signIn();
    const results = await ok<ConnectResult[]>('accounts.connectCommunities', { pendingId: pending.pendingId, communities: [String(cafe.id), String(bakery.id)] });
    expect(results.map((r) => [r.account.displayName, r.account.handle, r.account.status, r.renewed])).toEqual([
      ['Cafe Vostok', 'vk.com/cafe_vostok', 'connected', false],
      ['Bakery on Lenina', 'vk.com/bakery_lenina', 'connected', false],
    ]);
    // Connected at one instant, they are listed by name.
    expect((await ok<Account[]>('accounts.list', { projectId })).map((a) => a.displayName)).toEqual(['Bakery on Lenina', 'Cafe Vostok']);
    expect([...secrets.secrets.keys()]).toEqual([`signin:${pending.pendingId}`]);
    const stored = readVkSecret(secrets.secrets.get(`signin:${pending.pendingId}`)!);
    expect(stored).toMatchObject({ flow: 'vkid', appId: vkApp.appId, userId: user.id });
    backend.close();
    const bytes = databaseBytes();
    expect(bytes.includes(Buffer.from(stored.accessToken))).toBe(false);
    if (stored.flow === 'vkid') expect(bytes.includes(Buffer.from(stored.refreshToken))).toBe(false);
    expect(vk.violations).toEqual([]);
  });

  it('a refresh by one community is what the other publishes with next: neither is stranded', async () => {
    const pending = await signIn();
    const [first, second] = await ok<ConnectResult[]>('accounts.connectCommunities', { pendingId: pending.pendingId, communities: [String(bakery.id), String(cafe.id)] });
    const key = `signin:${pending.pendingId}`;
    const before = readVkSecret(secrets.secrets.get(key)!);
    clock.advance(58 * 60_000);
    await publish(first!.account.id, 'Fresh bread at 9');
    const after = readVkSecret(secrets.secrets.get(key)!);
    expect(after.flow === 'vkid' && before.flow === 'vkid' && after.refreshToken !== before.refreshToken).toBe(true);
    // The refresh token the sign-in started with is spent at VK; the other community must not use it.
    await publish(second!.account.id, 'Coffee at 10');
    clock.advance(58 * 60_000);
    await publish(second!.account.id, 'Lunch at 12');
    await publish(first!.account.id, 'Cakes at 15');
    expect(vk.livePosts(bakery).map((p) => p.text)).toEqual(['Fresh bread at 9', 'Cakes at 15']);
    expect(vk.livePosts(cafe).map((p) => p.text)).toEqual(['Coffee at 10', 'Lunch at 12']);
    expect(vk.methods().filter((m) => m === 'wall.post')).toHaveLength(4);
  });

  it('two communities refreshing at the same moment share one exchange', async () => {
    const pending = await signIn();
    const [first, second] = await ok<ConnectResult[]>('accounts.connectCommunities', { pendingId: pending.pendingId, communities: [String(bakery.id), String(cafe.id)] });
    clock.advance(58 * 60_000);
    const exchanges = () => vk.server.requests.filter((r) => r.path === '/oauth2/auth').length;
    const before = exchanges();
    await Promise.all([publish(first!.account.id, 'Bread'), publish(second!.account.id, 'Coffee')]);
    expect(exchanges() - before).toBe(1);
  });

  it('a connection opened before another community refreshed uses the renewed sign-in, not its spent copy', async () => {
    const pending = await signIn();
    const [first, second] = await ok<ConnectResult[]>('accounts.connectCommunities', { pendingId: pending.pendingId, communities: [String(bakery.id), String(cafe.id)] });
    clock.advance(58 * 60_000);
    // Two jobs due together: both read the keychain, then the first one's refresh completes before the second one calls.
    const a = await openAccountConnection(backend.services, first!.account.id);
    const b = await openAccountConnection(backend.services, second!.account.id);
    await a.connector.publish(a.ctx, { text: 'Bread', media: [], idempotencyKey: 'a' });
    await b.connector.publish(b.ctx, { text: 'Coffee', media: [], idempotencyKey: 'b' });
    expect(vk.livePosts(cafe).map((p) => p.text)).toEqual(['Coffee']);
    expect(vk.server.requests.filter((r) => r.path === '/oauth2/auth' && r.body.fields.some(([k, v]) => k === 'grant_type' && v === 'refresh_token'))).toHaveLength(1);
  });

  it('disconnecting one keeps the shared sign-in for the other; the last one deletes it', async () => {
    const pending = await signIn();
    const [first, second] = await ok<ConnectResult[]>('accounts.connectCommunities', { pendingId: pending.pendingId, communities: [String(bakery.id), String(cafe.id)] });
    await ok('accounts.disconnect', { id: first!.account.id });
    expect(secrets.secrets.has(`signin:${pending.pendingId}`)).toBe(true);
    await publish(second!.account.id, 'Still here');
    await ok('accounts.disconnect', { id: second!.account.id });
    expect(secrets.secrets.size).toBe(0);
  });

  it('refuses a community where the user is no longer an editor, in VK’s words, naming it, and saves nothing', async () => {
    const pending = await signIn();
    vk.setRole(cafe, user, 'moderator');
    const error = await refused('accounts.connectCommunities', { pendingId: pending.pendingId, communities: [String(bakery.id), String(cafe.id)] });
    expect(error).toMatchObject({ field: 'community', reason: 'vk_not_an_editor', networkSaid: 'Access to adding post denied', details: { community: 'Cafe Vostok' } });
    expect(secrets.secrets.size).toBe(0);
    expect(await ok<Account[]>('accounts.list', { projectId })).toEqual([]);
    // The sign-in still waits: the user unticks it and goes on.
    const [result] = await ok<ConnectResult[]>('accounts.connectCommunities', { pendingId: pending.pendingId, communities: [String(bakery.id)] });
    expect(result!.account.displayName).toBe('Bakery on Lenina');
  });

  it('a pasted link not in the list is checked with the same sign-in: refused with VK’s reason, or connected', async () => {
    const fans = vk.addGroup({ name: 'Fans', screenName: 'fans_club' });
    vk.setRole(fans, user, 'moderator');
    const pending = await signIn();
    const error = await refused('accounts.connectCommunities', { pendingId: pending.pendingId, communities: ['https://vk.com/fans_club'] });
    expect(error).toMatchObject({ field: 'community', reason: 'vk_not_an_editor', networkSaid: 'Access to adding post denied', details: { community: 'https://vk.com/fans_club' } });
    expect(await refused('accounts.connectCommunities', { pendingId: pending.pendingId, communities: ['vk.com/no_such_place'] })).toMatchObject({ reason: 'vk_community_not_found' });
    vk.setRole(fans, user, 'editor');
    // The same community by id and by link is one account.
    const results = await ok<ConnectResult[]>('accounts.connectCommunities', { pendingId: pending.pendingId, communities: ['https://vk.com/fans_club', String(fans.id)] });
    expect(results.map((r) => r.account.displayName)).toEqual(['Fans']);
  });

  it('shows communities already connected as such; picking one again renews it in place', async () => {
    const first = await signIn();
    const [bakeryAccount] = await ok<ConnectResult[]>('accounts.connectCommunities', { pendingId: first.pendingId, communities: [String(bakery.id)] });
    const second = await signIn();
    expect(second.communities.map((c) => [c.name, c.accountId])).toEqual([
      ['Bakery on Lenina', bakeryAccount!.account.id],
      ['Cafe Vostok', null],
    ]);
    const results = await ok<ConnectResult[]>('accounts.connectCommunities', { pendingId: second.pendingId, communities: [String(bakery.id), String(cafe.id)] });
    expect(results.map((r) => [r.account.id === bakeryAccount!.account.id, r.renewed])).toEqual([
      [true, true],
      [false, false],
    ]);
    // The first sign-in's entry is no longer used by anyone: gone.
    expect([...secrets.secrets.keys()]).toEqual([`signin:${second.pendingId}`]);
    expect((await ok<Account[]>('accounts.list', { projectId })).map((a) => a.displayName)).toEqual(['Bakery on Lenina', 'Cafe Vostok']);
  });

  it('with no community to manage, the list is empty and a pasted link still works', async () => {
    vk.setRole(bakery, user, 'moderator');
    vk.setRole(cafe, user, 'moderator');
    const pending = await signIn();
    expect(pending.communities).toEqual([]);
    expect(await refused('accounts.connectCommunities', { pendingId: pending.pendingId, communities: ['vk.com/bakery_lenina'] })).toMatchObject({ reason: 'vk_not_an_editor' });
  });

  it('the sign-in waits only a few minutes, and cancelling forgets it', async () => {
    const pending = await signIn();
    clock.advance(PICK_TTL_MS);
    expect(await refused('accounts.connectCommunities', { pendingId: pending.pendingId, communities: [String(bakery.id)] })).toMatchObject({ code: 'not_found', reason: 'signin_expired' });
    const again = await signIn();
    expect(await ok<{ cancelled: boolean }>('accounts.cancelSignIn', {})).toEqual({ cancelled: true });
    expect(await refused('accounts.connectCommunities', { pendingId: again.pendingId, communities: [String(bakery.id)] })).toMatchObject({ reason: 'signin_expired' });
    expect(secrets.secrets.size).toBe(0);
  });

  it('reconnecting one of them with the same VK user renews the shared sign-in for all; another user’s sign-in gets its own entry', async () => {
    const pending = await signIn();
    const [first, second] = await ok<ConnectResult[]>('accounts.connectCommunities', { pendingId: pending.pendingId, communities: [String(bakery.id), String(cafe.id)] });
    const shared = `signin:${pending.pendingId}`;
    const before = secrets.secrets.get(shared);
    // VK stopped accepting the sign-in: both communities wait for a reconnect.
    for (const { account } of [first!, second!]) markAccountReconnectNeeded(backend.services.db, account.id, 'User authorization failed', clock.now());
    await ok<Account>('accounts.reconnect', { id: first!.account.id, credentials: vkSignIn() });
    expect([...secrets.secrets.keys()]).toEqual([shared]);
    expect(secrets.secrets.get(shared)).not.toBe(before);
    expect((await ok<Account[]>('accounts.list', { projectId })).map((a) => a.status)).toEqual(['connected', 'connected']);
    await publish(second!.account.id, 'After the renewal');

    const colleague = vk.addUser({ firstName: 'Ivan', lastName: 'Sidorov' });
    vk.setRole(bakery, colleague, 'editor');
    vk.signInAs(colleague);
    await ok<Account>('accounts.reconnect', { id: first!.account.id, credentials: vkSignIn() });
    expect(readVkSecret(secrets.secrets.get(`account:${first!.account.id}`)!).userId).toBe(colleague.id);
    expect(readVkSecret(secrets.secrets.get(shared)!).userId).toBe(user.id);
    await publish(second!.account.id, 'Still Anna');
  });
});

describe('the requests are checked at the boundary', () => {
  it('refuses malformed picks and sign-ins before any network call', async () => {
    expect(await refused('accounts.connectCommunities', { pendingId: 'not-an-id', communities: ['1'] })).toMatchObject({ code: 'bad_request' });
    expect(await refused('accounts.connectCommunities', { pendingId: crypto.randomUUID(), communities: [] })).toMatchObject({ code: 'bad_request' });
    expect(await refused('accounts.connectCommunities', { pendingId: crypto.randomUUID(), communities: Array.from({ length: 51 }, (_, i) => String(i)) })).toMatchObject({
      code: 'bad_request',
    });
    expect(await refused('accounts.signIn', { projectId, signIn: { ...vkSignIn(), community: 'vk.com/x' } })).toMatchObject({ code: 'bad_request' });
    expect(await refused('accounts.signIn', { projectId, signIn: { network: 'telegram', botToken: 'x' } })).toMatchObject({ code: 'bad_request' });
    expect(await refused('accounts.signIn', { projectId, signIn: { ...vkSignIn(), appId: 'my app' } })).toMatchObject({ field: 'appId', reason: 'vk_app_id_malformed' });
    expect(await refused('accounts.connectCommunities', { pendingId: crypto.randomUUID(), communities: ['1'] })).toMatchObject({ reason: 'signin_expired' });
    expect(vk.server.requests).toHaveLength(0);
  });
});

describe('choosing OK groups after one sign-in', () => {
  it('lists the groups where the user may publish, and picking two makes two accounts on one keychain entry', async () => {
    const club = okFake.addGroup({ name: 'Bakery Club' });
    const news = okFake.addGroup({ name: 'Bakery News' });
    const watched = okFake.addGroup({ name: 'Stats only' });
    okFake.setRole(club, okUser, 'ADMIN');
    okFake.setRole(news, okUser, 'EDITOR');
    okFake.setRole(watched, okUser, 'ANALYST');
    const pending = await signIn(okSignIn());
    expect(pending.network).toBe('ok');
    expect(pending.communities.map((c) => [c.name, c.role, c.handle])).toEqual([
      ['Bakery Club', 'admin', `ok.ru/group/${club.id}`],
      ['Bakery News', 'editor', `ok.ru/group/${news.id}`],
    ]);
    expect(JSON.stringify(pending)).not.toContain(okApp.secretKey);

    // A group the user only watches, pasted, is refused with OK's words for the membership.
    const error = await refused('accounts.connectCommunities', { pendingId: pending.pendingId, communities: [`https://ok.ru/group/${watched.id}`] });
    expect(error).toMatchObject({ field: 'group', reason: 'ok_group_cannot_post', networkSaid: 'ACTIVE, ANALYST' });

    const results = await ok<ConnectResult[]>('accounts.connectCommunities', { pendingId: pending.pendingId, communities: [club.id, news.id] });
    expect(results.map((r) => r.account.displayName)).toEqual(['Bakery Club', 'Bakery News']);
    expect([...secrets.secrets.keys()]).toEqual([`signin:${pending.pendingId}`]);
    expect(readOkSecret(secrets.secrets.get(`signin:${pending.pendingId}`)!)).toMatchObject({ applicationId: okApp.id });
    const opened = await openAccountConnection(backend.services, results[1]!.account.id);
    await opened.connector.publish(opened.ctx, { text: 'News from the bakery', media: [], idempotencyKey: 'ok-1' });
    expect(okFake.liveTopics(news)).toHaveLength(1);
    expect(okFake.violations).toEqual([]);
  });
});
