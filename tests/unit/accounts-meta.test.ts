import { existsSync, readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConnectorError } from '../../main/core/connector';
import type { Account, ConnectResult, PendingSignIn } from '../../main/core/contract';
import { openAccountConnection } from '../../main/services/accounts/account-connection';
import { markAccountReconnectNeeded } from '../../main/services/accounts/accounts-repo';
import { readFacebookSecret } from '../../main/services/connectors/facebook';
import { readThreadsSecret } from '../../main/services/connectors/threads/api';
import { createBackend, databasePath, type Backend } from '../../main/services/services';
import { startFacebookFake, type FacebookFake, type FakeFbApp, type FakeFbPage, type FakeFbUser } from '../fakes/facebook-fake';
import { startThreadsFake, type FakeThreadsApp, type FakeThreadsUser, type ThreadsFake } from '../fakes/threads-fake';
import { dispatcher, FakeClock, makeTempDir, MemorySecretStore } from './support/backend';

/**
 * Meta's networks on the accounts page, through the handlers on a real database file, against the
 * Facebook and Threads fakes (their Login windows approve at once and redirect to the loopback
 * listener): one Facebook sign-in lists the Pages the user may publish to with their Instagram
 * accounts, each picked one becomes an account; Threads connects with its own OAuth; its 60-day
 * token is renewed by publishing, and the account says when it cannot be.
 */

const DAY = 24 * 3_600_000;

let dir: ReturnType<typeof makeTempDir>;
let fb: FacebookFake;
let th: ThreadsFake;
let fbApp: FakeFbApp;
let thApp: FakeThreadsApp;
let anna: FakeFbUser;
let bakery: FakeFbPage;
let cafe: FakeFbPage;
let moderated: FakeFbPage;
let thUser: FakeThreadsUser;
let secrets: MemorySecretStore;
let backend: Backend;
let projectId: string;
let clock: FakeClock;

const { ok, refused } = dispatcher(() => backend);

const fbSignIn = (appSecret = fbApp.secret) => ({ network: 'facebook', appId: fbApp.id, appSecret });
const signIn = (appSecret?: string) => ok<PendingSignIn>('accounts.signIn', { projectId, signIn: fbSignIn(appSecret) });
const pick = (pendingId: string, communities: string[]) => ok<ConnectResult[]>('accounts.connectCommunities', { pendingId, communities });
const list = () => ok<Account[]>('accounts.list', { projectId });
const threads = () => ({ network: 'threads', appId: thApp.id, appSecret: thApp.secret });

/** The database file and its write-ahead log as bytes, to show what never reaches them. */
function storedBytes(): string {
  const path = databasePath(dir.path);
  return [path, `${path}-wal`].filter(existsSync).map((p) => readFileSync(p).toString('latin1')).join('');
}

beforeEach(async () => {
  dir = makeTempDir('outpost-accounts-meta-');
  clock = new FakeClock();
  fb = await startFacebookFake({ now: () => clock.now() });
  fbApp = fb.addApp();
  anna = fb.addUser('Anna Lind');
  bakery = fb.addPage({ name: 'Corner Bakery', instagram: true, admins: [anna] });
  cafe = fb.addPage({ name: 'Corner Cafe', admins: [anna], tasks: ['CREATE_CONTENT', 'MODERATE', 'ANALYZE'] });
  moderated = fb.addPage({ name: 'Street Market', admins: [anna], tasks: ['MODERATE', 'ANALYZE'] });
  fb.signInAs(anna);
  th = await startThreadsFake({ now: () => clock.now() });
  thApp = th.addApp();
  thUser = th.addUser('cornerbakery');
  th.signInAs(thUser);
  secrets = new MemorySecretStore();
  backend = createBackend({
    dataDir: dir.path,
    clock,
    emit: () => undefined,
    secrets,
    platform: {
      host: 'browser',
      version: '0.0.0-test',
      // The fakes' Login windows approve at once and redirect to the loopback listener.
      openExternal: async (url) => {
        await (await fetch(url, { redirect: 'follow' })).text();
      },
    },
    networks: { baseUrls: { facebook: fb.baseUrl, instagram: fb.baseUrl, threads: th.baseUrl }, signInTimeoutMs: 5_000 },
    log: () => undefined,
  });
  projectId = (await ok<{ id: string }>('projects.create', { name: 'Corner Bakery', color: '#2563eb', timezone: 'Europe/Berlin' })).id;
});

afterEach(async () => {
  if (backend.services.db.open) backend.close();
  await fb.close();
  await th.close();
  dir.remove();
});

describe('Facebook Pages and their Instagram accounts from one Facebook sign-in', () => {
  it('lists the Pages the user may publish to, each followed by its Instagram account; a Page they only moderate is not offered', async () => {
    const pending = await signIn();
    expect(pending.network).toBe('facebook');
    expect(pending.who).toBe('Anna Lind');
    expect(pending.communities).toEqual([
      { id: bakery.id, name: 'Corner Bakery', handle: `facebook.com/${bakery.id}`, role: 'admin', network: 'facebook', accountId: null },
      { id: bakery.instagramAccountId, name: 'corner_bakery', handle: '@corner_bakery', role: 'admin', network: 'instagram', under: bakery.id, accountId: null },
      { id: cafe.id, name: 'Corner Cafe', handle: `facebook.com/${cafe.id}`, role: 'editor', network: 'facebook', accountId: null },
    ]);
    // Nothing is saved by signing in alone.
    expect(await list()).toEqual([]);
    expect(secrets.secrets.size).toBe(0);
    expect(fb.violations).toEqual([]);
  });

  it('connects a Page and its Instagram account: named and linked as on Meta, the Page token and app secret in the keychain only', async () => {
    const pending = await signIn();
    const results = await pick(pending.pendingId, [bakery.id, bakery.instagramAccountId!]);
    expect(results.map((r) => r.renewed)).toEqual([false, false]);
    const [page, instagram] = results.map((r) => r.account);
    expect(page).toMatchObject({ network: 'facebook', handle: 'Corner Bakery', displayName: 'Corner Bakery', url: `https://www.facebook.com/${bakery.id}`, status: 'connected', nativeScheduler: 'Facebook' });
    expect(instagram).toMatchObject({ network: 'instagram', handle: '@corner_bakery', url: 'https://www.instagram.com/corner_bakery', status: 'connected' });

    // One keychain entry for the Page and its Instagram account: the Page's token signs both.
    expect(secrets.secrets.size).toBe(1);
    const [entry] = [...secrets.secrets.values()];
    expect(readFacebookSecret(entry!)).toEqual({ appId: fbApp.id, appSecret: fbApp.secret, pageToken: bakery.token, userId: anna.id });
    const stored = storedBytes();
    for (const secret of [fbApp.secret, bakery.token]) expect(stored).not.toContain(secret);

    const pageLink = await openAccountConnection(backend.services, page!.id);
    expect(pageLink.ctx.config).toEqual({ pageId: bakery.id, name: 'Corner Bakery', instagramAccountId: bakery.instagramAccountId });
    const igLink = await openAccountConnection(backend.services, instagram!.id);
    expect(igLink.ctx.config).toEqual({ instagramAccountId: bakery.instagramAccountId, pageId: bakery.id, username: 'corner_bakery' });
    expect(igLink.ctx.credentials).toMatchObject({ pageToken: bakery.token });

    // The connected Page publishes with what was saved.
    await pageLink.connector.publish(pageLink.ctx, { text: 'Fresh rye today', media: [], idempotencyKey: 'meta-1' });
    expect(fb.livePosts(bakery).map((p) => p.message)).toEqual(['Fresh rye today']);

    // Listed again, both are marked as the project's own.
    const again = await signIn();
    expect(again.communities.filter((c) => c.accountId !== null).map((c) => c.id)).toEqual([bakery.id, bakery.instagramAccountId]);
    expect(fb.violations).toEqual([]);
  });

  it('picking a Page the project already has renews it in place, and reconnecting the Page renews its Instagram account too', async () => {
    const first = await pick((await signIn()).pendingId, [bakery.id, bakery.instagramAccountId!]);
    const [pageId, igId] = first.map((r) => r.account.id);
    const second = await pick((await signIn()).pendingId, [bakery.id]);
    expect(second).toEqual([expect.objectContaining({ renewed: true, account: expect.objectContaining({ id: pageId }) })]);
    expect((await list()).map((a) => a.network).sort()).toEqual(['facebook', 'instagram']);

    markAccountReconnectNeeded(backend.services.db, pageId!, 'Error validating access token', clock.now());
    markAccountReconnectNeeded(backend.services.db, igId!, 'Error validating access token', clock.now());
    const reconnected = await ok<Account>('accounts.reconnect', { id: pageId, credentials: fbSignIn() });
    expect(reconnected).toMatchObject({ id: pageId, status: 'connected' });
    expect((await list()).map((a) => [a.network, a.status])).toEqual([
      ['facebook', 'connected'],
      ['instagram', 'connected'],
    ]);
    // No duplicate rows, and only the entry the two accounts use is left.
    expect(await list()).toHaveLength(2);
    expect(secrets.secrets.size).toBe(1);

    // The Instagram account alone reconnects through the same Facebook sign-in.
    const ig = await ok<Account>('accounts.reconnect', { id: igId, credentials: { ...fbSignIn(), network: 'instagram' } });
    expect(ig).toMatchObject({ id: igId, network: 'instagram', status: 'connected' });
  });

  it('refuses a Page without publishing rights, and one Meta will not let Outpost read, in Meta’s words; nothing is saved and the list stays to choose again', async () => {
    const pending = await signIn();
    const noRights = await refused('accounts.connectCommunities', { pendingId: pending.pendingId, communities: [bakery.id, moderated.id] });
    expect(noRights).toMatchObject({ code: 'validation', reason: 'facebook_page_cannot_publish', details: { community: moderated.id } });
    expect(noRights.networkSaid).toContain('MODERATE');

    const said = '(#200) Requires pages_read_engagement permission to manage the object';
    fb.failNext({ code: 200, message: said }, fb.match('GET', new RegExp(`/${cafe.id}$`)));
    const refusedPage = await refused('accounts.connectCommunities', { pendingId: pending.pendingId, communities: [cafe.id] });
    expect(refusedPage).toMatchObject({ reason: 'facebook_page_refused', networkSaid: said, details: { community: 'Corner Cafe' } });

    expect(await list()).toEqual([]);
    expect(secrets.secrets.size).toBe(0);
    // The same sign-in still picks the Page the user may publish to.
    expect(await pick(pending.pendingId, [cafe.id])).toHaveLength(1);
  });

  it('a wrong app secret is refused naming the secret field, before any Page is listed', async () => {
    const error = await refused('accounts.signIn', { projectId, signIn: fbSignIn('0123456789abcdef0123456789abcdef') });
    expect(error).toMatchObject({ field: 'appSecret', reason: 'meta_sign_in_refused', networkSaid: 'Error validating client secret.' });
    const blank = await refused('accounts.signIn', { projectId, signIn: fbSignIn(' ') });
    expect(blank).toMatchObject({ field: 'appSecret', reason: 'meta_app_secret_required' });
    expect(fb.requests.filter((r) => r.path.endsWith('/me/accounts'))).toEqual([]);
  });
});

describe('Threads with its own sign-in, and the life of its 60-day token', () => {
  it('connects with the Threads app, keeps the token in the keychain and not the app secret anywhere, and reconnects in place', async () => {
    const { account, renewed } = await ok<ConnectResult>('accounts.connect', { projectId, connection: threads() });
    expect(renewed).toBe(false);
    expect(account).toMatchObject({ network: 'threads', handle: '@cornerbakery', url: 'https://www.threads.net/@cornerbakery', status: 'connected', signInEndsAt: clock.now() + 60 * DAY });
    const entry = [...secrets.secrets.values()][0]!;
    const token = readThreadsSecret(entry).accessToken;
    expect(entry).not.toContain(thApp.secret);
    expect(storedBytes()).not.toContain(token);
    expect(storedBytes()).not.toContain(thApp.secret);

    clock.advance(DAY);
    const again = await ok<Account>('accounts.reconnect', { id: account.id, credentials: threads() });
    expect(again).toMatchObject({ id: account.id, status: 'connected', signInEndsAt: clock.now() + 60 * DAY });
    expect(await list()).toHaveLength(1);

    // Another Threads user's sign-in is not this account.
    th.signInAs(th.addUser('someoneelse'));
    const other = await refused('accounts.reconnect', { id: account.id, credentials: threads() });
    expect(other).toMatchObject({ code: 'conflict', reason: 'account_mismatch' });
    expect(th.violations).toEqual([]);
  });

  it('publishing in the last week renews the token and moves the end the accounts page shows; an ended or refused token asks for a reconnect', async () => {
    const { account } = await ok<ConnectResult>('accounts.connect', { projectId, connection: threads() });
    const post = (key: string) => ({ text: `Bread at nine ${key}`, media: [], idempotencyKey: key });

    // 54 days on, nothing renewed it yet: the end is 6 days away (the page reminds the user).
    clock.advance(54 * DAY);
    expect((await list())[0]!.signInEndsAt).toBe(account.signInEndsAt);
    const link = await openAccountConnection(backend.services, account.id);
    const before = readThreadsSecret([...secrets.secrets.values()][0]!).accessToken;
    await link.connector.publish(link.ctx, post('a'));
    const after = readThreadsSecret([...secrets.secrets.values()][0]!);
    expect(after.accessToken).not.toBe(before);
    expect((await list())[0]!.signInEndsAt).toBe(clock.now() + 60 * DAY);

    // Refresh refused by Threads: the publish stops as a sign-in failure; the scheduler holds the account with networkMessage as the reason.
    clock.advance(55 * DAY);
    th.revoke(after.accessToken, 460);
    const refusedRefresh = await openAccountConnection(backend.services, account.id).then((l) => l.connector.publish(l.ctx, post('b')).catch((e: unknown) => e));
    expect(refusedRefresh).toBeInstanceOf(ConnectorError);
    expect(refusedRefresh).toMatchObject({ kind: 'auth', networkMessage: expect.stringMatching(/Threads needs you to reconnect/) });
    expect(readThreadsSecret([...secrets.secrets.values()][0]!).accessToken).toBe(after.accessToken);

    // Never opened before the end: nothing is sent and the reason says what to do.
    clock.advance(10 * DAY);
    const ended = await openAccountConnection(backend.services, account.id).then((l) => l.connector.publish(l.ctx, post('c')).catch((e: unknown) => e));
    expect(ended).toMatchObject({ kind: 'auth', networkMessage: 'The Threads sign-in has expired (60 days without a refresh); connect the account again.' });
    expect(th.livePosts(thUser)).toHaveLength(1);
  });
});
