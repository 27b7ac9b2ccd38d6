import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConnectorError } from '../../../main/core/connector';
import { createOkConnector } from '../../../main/services/connectors/ok';
import { listOkGroups, okGroupChoice, okGroupConfig, okGroupIdOf, signInToOk, type OkApp } from '../../../main/services/connectors/ok/sign-in';
import { SignInError } from '../../../main/services/oauth/loopback';
import { startOkFake, type FakeOkApp, type FakeOkGroup, type FakeOkUser, type OkFake } from '../../fakes/ok-fake';

let clock: number;
let ok: OkFake;
let okApp: FakeOkApp;
let user: FakeOkUser;
let group: FakeOkGroup;
let port: number;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port: free } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return free;
}

beforeEach(async () => {
  clock = Date.UTC(2026, 11, 5, 9, 0, 0);
  ok = await startOkFake({ now: () => clock });
  port = await freePort();
  okApp = ok.addApp({ redirectUris: [`http://127.0.0.1:${port}/callback`] });
  user = ok.addUser({ name: 'Olga Manager' });
  group = ok.addGroup({ name: 'Bakery Club' });
  ok.setRole(group, user, 'EDITOR');
});

afterEach(async () => {
  await ok.close();
});

const app = (): OkApp => ({ applicationId: okApp.id, applicationKey: okApp.publicKey, applicationSecretKey: okApp.secretKey });

/** The browser: follows OK's consent redirect back to the loopback listener. */
async function browser(url: string): Promise<void> {
  await fetch(url);
}

function signIn(overrides: Partial<Parameters<typeof signInToOk>[0]> = {}) {
  return signInToOk({ app: app(), openExternal: browser, now: () => clock, apiBaseUrl: ok.baseUrl, connectBaseUrl: ok.baseUrl, port, timeoutMs: 5000, ...overrides });
}

describe('OK sign-in', () => {
  it('signs in with the code flow on the loopback redirect and keeps the refresh token', async () => {
    ok.signInAs(user);
    const signedIn = await signIn();
    expect(signedIn.user).toEqual({ uid: user.uid, name: 'Olga Manager' });
    expect(signedIn.credentials).toMatchObject({ applicationId: okApp.id, applicationKey: okApp.publicKey, applicationSecretKey: okApp.secretKey });
    expect(signedIn.credentials.refreshToken).toMatch(/^rfr/);
    expect(signedIn.credentials.accessExpiresAt).toBe(clock + 30 * 60_000);
    // The token signs a publish in the group the user edits.
    const config = okGroupConfig(await okGroupChoice({ baseUrl: ok.baseUrl, fetch, now: () => clock, credentials: signedIn.credentials }, user.uid, group.id), user.uid);
    await createOkConnector().publish({ baseUrl: ok.baseUrl, fetch, now: () => clock, credentials: signedIn.credentials, config }, { text: 'Hello from Outpost', media: [], idempotencyKey: 'k' });
    expect(ok.liveTopics(group)).toHaveLength(1);
  });

  it('lists the groups the user may publish in, with their role, in two calls', async () => {
    const watched = ok.addGroup({ name: 'Stats only' });
    ok.setRole(watched, user, 'ANALYST');
    const owned = ok.addGroup({ name: 'Cafe' });
    ok.setRole(owned, user, 'ADMIN');
    ok.signInAs(user);
    const { credentials } = await signIn();
    const before = ok.methods().length;
    const groups = await listOkGroups({ baseUrl: ok.baseUrl, fetch, now: () => clock, credentials }, user.uid);
    expect(groups).toEqual([
      { groupId: group.id, name: 'Bakery Club', role: 'editor' },
      { groupId: owned.id, name: 'Cafe', role: 'admin' },
    ]);
    expect(ok.methods().slice(before)).toEqual(['group.getUserGroupsV2', 'group.getInfo']);
  });

  it('pages through more than a hundred groups by anchor', async () => {
    const many = Array.from({ length: 130 }, (_, i) => ok.addGroup({ name: `Group ${i}` }));
    for (const g of many) ok.setRole(g, user, 'MODERATOR');
    ok.signInAs(user);
    const { credentials } = await signIn();
    const groups = await listOkGroups({ baseUrl: ok.baseUrl, fetch, now: () => clock, credentials }, user.uid);
    expect(groups).toHaveLength(131);
    expect(groups.at(-1)).toEqual({ groupId: many.at(-1)!.id, name: 'Group 129', role: 'moderator' });
    expect(ok.violations).toEqual([]);
  });

  it('refuses a group without posting rights with OK\'s own words for the membership', async () => {
    ok.setRole(group, user, 'ANALYST');
    ok.signInAs(user);
    const { credentials } = await signIn();
    const choice = await okGroupChoice({ baseUrl: ok.baseUrl, fetch, now: () => clock, credentials }, user.uid, group.id);
    const error = (() => {
      try {
        okGroupConfig(choice, user.uid);
        return undefined;
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ConnectorError);
    expect((error as ConnectorError).networkSaid).toBe('ACTIVE, ANALYST');
  });

  it('a wrong secret key fails at the token exchange, and nothing is kept', async () => {
    ok.signInAs(user);
    const error = await signIn({ app: { ...app(), applicationSecretKey: 'WRONG' } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectorError);
    expect((error as ConnectorError).kind).toBe('auth');
    expect((error as ConnectorError).networkSaid).toBe('invalid_client: Invalid client credentials');
    expect(String((error as Error).message)).not.toContain('WRONG');
  });

  it('a declined consent ends the sign-in as denied', async () => {
    const error = await signIn().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SignInError);
    expect((error as SignInError).code).toBe('denied');
  });

  it('reads a group id from a link or the bare number', () => {
    expect(okGroupIdOf('https://ok.ru/group/53038939046008')).toBe('53038939046008');
    expect(okGroupIdOf('ok.ru/group/53038939046008/topics')).toBe('53038939046008');
    expect(okGroupIdOf(' 53038939046008 ')).toBe('53038939046008');
    expect(okGroupIdOf('https://ok.ru/bakery')).toBeNull();
  });
});
