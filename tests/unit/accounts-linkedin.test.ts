import { existsSync, readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Account, ConnectResult, PendingSignIn } from '../../main/core/contract';
import { LINKEDIN_REDIRECT_URI } from '../../main/core/networks/linkedin';
import { openAccountConnection } from '../../main/services/accounts/account-connection';
import { readLinkedInSecret } from '../../main/services/connectors/linkedin';
import { createBackend, databasePath, type Backend } from '../../main/services/services';
import { startLinkedInFake, type FakeLinkedInApp, type FakeLinkedInOrganization, type LinkedInFake } from '../fakes/linkedin-fake';
import { dispatcher, FakeClock, makeTempDir, MemorySecretStore } from './support/backend';

/**
 * Connecting LinkedIn through the accounts handlers, on a real database file, against the LinkedIn
 * fake: the browser step follows the fake's consent redirect to the real loopback listener on the
 * fixed address the user registers, then the user picks the member and/or pages from the list.
 */

let dir: ReturnType<typeof makeTempDir>;
let fake: LinkedInFake;
let app: FakeLinkedInApp;
let bakery: FakeLinkedInOrganization;
let secrets: MemorySecretStore;
let clock: FakeClock;
let backend: Backend;
let projectId: string;
const opened: string[] = [];

const { ok, refused } = dispatcher(() => backend);
const signIn = (overrides: Record<string, unknown> = {}) =>
  ok<PendingSignIn>('accounts.signIn', { projectId, signIn: { network: 'linkedin', clientId: app.clientId, clientSecret: app.clientSecret, pages: true, ...overrides } });
const member = () => `urn:li:person:${fake.member.id}`;
const DAY = 86_400_000;

beforeEach(async () => {
  dir = makeTempDir('outpost-accounts-linkedin-');
  clock = new FakeClock();
  fake = await startLinkedInFake({ now: () => clock.now() });
  app = fake.addApp({ redirectUris: [LINKEDIN_REDIRECT_URI], pages: true });
  bakery = fake.addOrganization({ name: 'Lenina Bakery', vanityName: 'lenina-bakery' });
  fake.addOrganization({ name: 'Numbers Only', role: 'ANALYST' });
  secrets = new MemorySecretStore();
  opened.length = 0;
  backend = createBackend({
    dataDir: dir.path,
    clock,
    emit: () => undefined,
    secrets,
    platform: {
      host: 'browser',
      version: '0.0.0-test',
      openExternal: async (url) => {
        opened.push(url);
        await (await fetch(url, { redirect: 'follow' })).text();
      },
    },
    networks: { baseUrls: { linkedin: fake.baseUrl }, signInTimeoutMs: 5_000 },
    log: () => undefined,
  });
  projectId = (await ok<{ id: string }>('projects.create', { name: 'Acme Bakery', color: '#2563eb', timezone: 'Europe/Berlin' })).id;
});

afterEach(async () => {
  if (backend.services.db.open) backend.close();
  await fake.close();
  dir.remove();
});

describe('connecting LinkedIn', () => {
  it('signs in on the registered loopback address and lists the member and the pages they may post as', async () => {
    const pending = await signIn();
    const consent = new URL(opened[0]!);
    expect(consent.pathname).toBe('/oauth/v2/authorization');
    expect(consent.searchParams.get('redirect_uri')).toBe(LINKEDIN_REDIRECT_URI);
    expect(consent.searchParams.get('scope')).toBe('openid profile w_member_social w_organization_social r_organization_social rw_organization_admin');
    expect(pending).toMatchObject({ network: 'linkedin', who: 'Anna Lenina' });
    // The analyst's page is not offered: that role cannot post.
    expect(pending.communities.map((c) => ({ id: c.id, name: c.name, role: c.role }))).toEqual([
      { id: member(), name: 'Anna Lenina', role: 'admin' },
      { id: `urn:li:organization:${bakery.id}`, name: 'Lenina Bakery', role: 'admin' },
    ]);
    expect(JSON.stringify(pending)).not.toContain(app.clientSecret);
    expect(fake.violations).toEqual([]);
  });

  it('without pages asks only the member scopes and offers only the member', async () => {
    const pending = await signIn({ pages: false });
    expect(new URL(opened[0]!).searchParams.get('scope')).toBe('openid profile w_member_social');
    expect(pending.communities.map((c) => c.id)).toEqual([member()]);
  });

  it('the member and a page become two accounts on one keychain entry that post as themselves; no secret reaches SQLite', async () => {
    const pending = await signIn();
    const results = await ok<ConnectResult[]>('accounts.connectCommunities', { pendingId: pending.pendingId, communities: [member(), `urn:li:organization:${bakery.id}`] });
    expect(results.map((r) => r.account.displayName)).toEqual(['Anna Lenina', 'Lenina Bakery']);
    const page = results[1]!.account;
    expect(page).toMatchObject({ network: 'linkedin', status: 'connected', url: 'https://www.linkedin.com/company/lenina-bakery/', handle: 'linkedin.com/company/lenina-bakery' });
    // The 60-day token's end is shown for the reminder.
    expect(page.signInEndsAt).toBe(clock.now() + 60 * DAY);

    for (const account of results.map((r) => r.account)) {
      const connection = await openAccountConnection(backend.services, account.id);
      await connection.connector.publish(connection.ctx, { text: `Hello from ${account.displayName} (test)`, media: [], idempotencyKey: account.id });
    }
    expect(fake.live(member()).map((p) => p.commentary)).toEqual(['Hello from Anna Lenina \\(test\\)']);
    expect(fake.live(`urn:li:organization:${bakery.id}`).map((p) => p.commentary)).toEqual(['Hello from Lenina Bakery \\(test\\)']);

    const stored = [...secrets.secrets.values()].map(readLinkedInSecret);
    expect(new Set(stored.map((s) => s.accessToken)).size).toBe(1);
    expect(stored[0]).toMatchObject({ clientId: app.clientId, clientSecret: app.clientSecret, memberId: fake.member.id, refreshToken: null });
    backend.close();
    const path = databasePath(dir.path);
    const bytes = Buffer.concat([readFileSync(path), existsSync(`${path}-wal`) ? readFileSync(`${path}-wal`) : Buffer.alloc(0)]);
    for (const secret of [app.clientSecret, stored[0]!.accessToken]) expect(bytes.includes(Buffer.from(secret))).toBe(false);
    expect(fake.violations).toEqual([]);
  });

  it('names the field to fix before any sign-in', async () => {
    expect(await refused('accounts.signIn', { projectId, signIn: { network: 'linkedin', clientId: 'my app!', clientSecret: 'x', pages: false } })).toMatchObject({ field: 'clientId', reason: 'linkedin_client_id_malformed' });
    expect(await refused('accounts.signIn', { projectId, signIn: { network: 'linkedin', clientId: app.clientId, clientSecret: ' ', pages: false } })).toMatchObject({ field: 'clientSecret', reason: 'linkedin_client_secret_required' });
    expect(fake.server.requests).toEqual([]);
  });

  it('a wrong client secret is refused at the token exchange in LinkedIn\'s words', async () => {
    const error = await refused('accounts.signIn', { projectId, signIn: { network: 'linkedin', clientId: app.clientId, clientSecret: 'not-the-secret', pages: false } });
    expect(error).toMatchObject({ field: 'clientSecret', reason: 'linkedin_sign_in_refused', networkSaid: 'Client authentication failed' });
  });

  it('pages asked of an app without the Community Management API end the sign-in with LinkedIn\'s reason', async () => {
    const plain = fake.addApp({ redirectUris: [LINKEDIN_REDIRECT_URI] });
    const error = await refused('accounts.signIn', { projectId, signIn: { network: 'linkedin', clientId: plain.clientId, clientSecret: plain.clientSecret, pages: true } });
    expect(error).toMatchObject({ reason: 'signin_rejected', networkSaid: expect.stringMatching(/w_organization_social/) });
  });

  it('an ended 60-day token asks for a reconnect; signing in again renews the same page and its end date', async () => {
    const pending = await signIn();
    const [{ account }] = (await ok<ConnectResult[]>('accounts.connectCommunities', { pendingId: pending.pendingId, communities: [`urn:li:organization:${bakery.id}`] })) as [ConnectResult];
    clock.advance(61 * DAY);
    fake.expireAccessTokens();
    const connection = await openAccountConnection(backend.services, account.id);
    const error = await connection.connector.publish(connection.ctx, { text: 'late', media: [], idempotencyKey: 'k' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'auth', networkSaid: 'Invalid access token' });
    const renewed = await ok<Account>('accounts.reconnect', { id: account.id, credentials: { network: 'linkedin', clientId: app.clientId, clientSecret: app.clientSecret } });
    expect(renewed).toMatchObject({ id: account.id, status: 'connected', displayName: 'Lenina Bakery', signInEndsAt: clock.now() + 60 * DAY });
  });

  it('a reconnect that no longer lists the page refuses, naming it', async () => {
    const pending = await signIn();
    const [{ account }] = (await ok<ConnectResult[]>('accounts.connectCommunities', { pendingId: pending.pendingId, communities: [`urn:li:organization:${bakery.id}`] })) as [ConnectResult];
    bakery.role = 'ANALYST';
    const error = await refused('accounts.reconnect', { id: account.id, credentials: { network: 'linkedin', clientId: app.clientId, clientSecret: app.clientSecret } });
    expect(error).toMatchObject({ reason: 'linkedin_author_not_found', message: expect.stringContaining('Lenina Bakery') });
  });
});
