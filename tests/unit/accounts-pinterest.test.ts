import { existsSync, readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Account, ConnectResult, PendingSignIn } from '../../main/core/contract';
import { PINTEREST_REDIRECT_URI } from '../../main/core/networks/pinterest';
import { openAccountConnection } from '../../main/services/accounts/account-connection';
import { readPinterestSecret } from '../../main/services/connectors/pinterest';
import { createBackend, databasePath, type Backend } from '../../main/services/services';
import { startPinterestFake, type FakePinterestApp, type FakePinterestBoard, type PinterestFake } from '../fakes/pinterest-fake';
import { dispatcher, FakeClock, makeTempDir, MemorySecretStore } from './support/backend';

/**
 * Connecting Pinterest boards through the accounts handlers, on a real database file, against the
 * Pinterest fake: the browser step follows the fake's consent redirect to the fixed loopback
 * address, then the user picks boards and sections from the list.
 */

let dir: ReturnType<typeof makeTempDir>;
let fake: PinterestFake;
let app: FakePinterestApp;
let recipes: FakePinterestBoard;
let shared: FakePinterestBoard;
let secrets: MemorySecretStore;
let clock: FakeClock;
let backend: Backend;
let projectId: string;

const { ok, refused } = dispatcher(() => backend);
const signIn = (overrides: Record<string, string> = {}) =>
  ok<PendingSignIn>('accounts.signIn', { projectId, signIn: { network: 'pinterest', appId: app.id, appSecret: app.secret, ...overrides } });

beforeEach(async () => {
  dir = makeTempDir('outpost-accounts-pinterest-');
  clock = new FakeClock();
  fake = await startPinterestFake({ now: () => clock.now() });
  app = fake.addApp({ redirectUris: [PINTEREST_REDIRECT_URI] });
  recipes = fake.addBoard({ name: 'Summer recipes', sections: ['Salads', 'Soups'] });
  shared = fake.addBoard({ name: 'Client moodboard', owner: 'client_anna' });
  secrets = new MemorySecretStore();
  backend = createBackend({
    dataDir: dir.path,
    clock,
    emit: () => undefined,
    secrets,
    platform: {
      host: 'browser',
      version: '0.0.0-test',
      openExternal: async (url) => {
        await (await fetch(url, { redirect: 'follow' })).text();
      },
    },
    networks: { baseUrls: { pinterest: fake.apiBaseUrl }, signInTimeoutMs: 5_000 },
    log: () => undefined,
  });
  projectId = (await ok<{ id: string }>('projects.create', { name: 'Acme Bakery', color: '#2563eb', timezone: 'Europe/Berlin' })).id;
});

afterEach(async () => {
  if (backend.services.db.open) backend.close();
  await fake.close();
  dir.remove();
});

describe('connecting Pinterest boards', () => {
  it('lists the boards and their sections after the sign-in, own and group boards alike', async () => {
    const pending = await signIn();
    expect(pending).toMatchObject({ network: 'pinterest', who: 'bakery_lenina' });
    expect(pending.communities.map((c) => ({ id: c.id, name: c.name, role: c.role, under: c.under }))).toEqual([
      { id: recipes.id, name: 'Summer recipes', role: 'admin', under: undefined },
      { id: `${recipes.id}/${recipes.sections[0]!.id}`, name: 'Salads', role: 'admin', under: recipes.id },
      { id: `${recipes.id}/${recipes.sections[1]!.id}`, name: 'Soups', role: 'admin', under: recipes.id },
      { id: shared.id, name: 'Client moodboard', role: 'editor', under: undefined },
    ]);
    expect(JSON.stringify(pending)).not.toContain(app.secret);
  });

  it('a board and a section become two accounts sharing one keychain entry; the secret never reaches SQLite', async () => {
    const pending = await signIn();
    const results = await ok<ConnectResult[]>('accounts.connectCommunities', { pendingId: pending.pendingId, communities: [recipes.id, `${recipes.id}/${recipes.sections[0]!.id}`] });
    expect(results.map((r) => r.account.displayName)).toEqual(['Summer recipes', 'Summer recipes › Salads']);
    expect(results[0]!.account).toMatchObject({ network: 'pinterest', status: 'connected', url: 'https://www.pinterest.com/bakery_lenina/' });
    const section = results[1]!.account;
    const opened = await openAccountConnection(backend.services, section.id);
    await opened.connector.publish(opened.ctx, { text: 'Salad of the week', media: [{ fileName: 'a.png', mime: 'image/png', bytes: new Uint8Array(8).fill(1), alt: '' }], idempotencyKey: 'k' });
    expect(fake.live(recipes)[0]).toMatchObject({ sectionId: recipes.sections[0]!.id, description: 'Salad of the week' });

    const stored = [...secrets.secrets.values()].map(readPinterestSecret);
    expect(new Set(stored.map((s) => s.refreshToken)).size).toBe(1);
    expect(stored[0]).toMatchObject({ appId: app.id, appSecret: app.secret });
    backend.close();
    const path = databasePath(dir.path);
    const bytes = Buffer.concat([readFileSync(path), existsSync(`${path}-wal`) ? readFileSync(`${path}-wal`) : Buffer.alloc(0)]);
    for (const secret of [app.secret, stored[0]!.accessToken, stored[0]!.refreshToken]) expect(bytes.includes(Buffer.from(secret))).toBe(false);
    expect(fake.violations).toEqual([]);
  });

  it('names the field to fix before any sign-in', async () => {
    expect(await refused('accounts.signIn', { projectId, signIn: { network: 'pinterest', appId: 'my-app', appSecret: 'x' } })).toMatchObject({ field: 'appId', reason: 'pinterest_app_id_malformed' });
    expect(await refused('accounts.signIn', { projectId, signIn: { network: 'pinterest', appId: app.id, appSecret: ' ' } })).toMatchObject({ field: 'appSecret', reason: 'pinterest_app_secret_required' });
    expect(fake.server.requests).toEqual([]);
  });

  it('a wrong app secret is refused at the token exchange in Pinterest\'s words', async () => {
    const error = await refused('accounts.signIn', { projectId, signIn: { network: 'pinterest', appId: app.id, appSecret: 'not-the-secret' } });
    expect(error).toMatchObject({ field: 'appSecret', reason: 'pinterest_sign_in_refused', networkSaid: 'Authentication failed.' });
  });

  it('a refused refresh asks for a reconnect; signing in again brings the same board back', async () => {
    const pending = await signIn();
    const [{ account }] = (await ok<ConnectResult[]>('accounts.connectCommunities', { pendingId: pending.pendingId, communities: [recipes.id] })) as [ConnectResult];
    fake.expireAccessTokens();
    fake.revokeRefreshTokens();
    const opened = await openAccountConnection(backend.services, account.id);
    const error = await opened.connector.publish(opened.ctx, { text: 'x', media: [{ fileName: 'a.png', mime: 'image/png', bytes: new Uint8Array(8).fill(1), alt: '' }], idempotencyKey: 'k' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'auth', networkSaid: 'Invalid refresh token.' });
    const renewed = await ok<Account>('accounts.reconnect', { id: account.id, credentials: { network: 'pinterest', appId: app.id, appSecret: app.secret } });
    expect(renewed).toMatchObject({ id: account.id, status: 'connected', displayName: 'Summer recipes' });
  });
});
