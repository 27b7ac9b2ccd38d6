import { inspect } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConnectorError } from '../../../main/core/connector';
import { THREADS_SCOPES } from '../../../main/core/networks/threads';
import { createThreadsConnector, readThreadsSecret, type ThreadsCredentials } from '../../../main/services/connectors/threads';
import { signInWithThreads, threadsAppIdOf } from '../../../main/services/connectors/threads/sign-in';
import { SignInError } from '../../../main/services/oauth/loopback';
import { startThreadsFake, type FakeThreadsApp, type FakeThreadsUser, type ThreadsFake } from '../../fakes/threads-fake';

const DAY = 24 * 3600_000;
let clock: number;
let th: ThreadsFake;
let app: FakeThreadsApp;
let user: FakeThreadsUser;

beforeEach(async () => {
  clock = Date.UTC(2026, 11, 5, 9, 0, 0);
  th = await startThreadsFake({ now: () => clock });
  app = th.addApp();
  user = th.addUser('cornerbakery');
});

afterEach(async () => {
  await th.close();
});

/** The browser: the authorization window approves at once (signInAs) and its redirect reaches the loopback listener. */
const opened: string[] = [];
const browser = async (url: string) => {
  opened.push(url);
  await fetch(url);
};

const signIn = (extra: { appSecret?: string } = {}) =>
  signInWithThreads({ appId: app.id, appSecret: extra.appSecret ?? app.secret, apiBaseUrl: th.baseUrl, port: 0, openExternal: browser, now: () => clock });

describe('Threads sign-in with the user’s own Threads app (loopback, code, 60-day token, refresh)', () => {
  it('signs in through the loopback redirect, trades the code and then the short token for a 60-day one, and reads the handle', async () => {
    th.signInAs(user);
    const result = await signIn();

    expect(result.user).toEqual({ id: user.id, username: 'cornerbakery', name: 'Corner Bakery' });
    expect(result.credentials).toMatchObject({ appId: app.id, userId: user.id, expiresAt: clock + 60 * DAY, issuedAt: clock });
    expect(result.config).toEqual({ userId: user.id, username: 'cornerbakery' });
    const window = new URL(opened.at(-1)!);
    expect(window.pathname).toBe('/oauth/authorize');
    expect(window.searchParams.get('redirect_uri')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/);
    expect(window.searchParams.get('scope')).toBe(THREADS_SCOPES.join(','));
    expect(window.searchParams.get('response_type')).toBe('code');

    // Code exchange in a form body, then th_exchange_token; the token answers a publish.
    const code = th.requests.find((r) => r.path === '/oauth/access_token')!;
    expect(code.method).toBe('POST');
    expect(code.query.size).toBe(0);
    expect(th.requests.find((r) => r.path === '/access_token')!.query.get('grant_type')).toBe('th_exchange_token');
    expect(th.violations).toEqual([]);

    const entry = readThreadsSecret(JSON.stringify(result.credentials));
    const connector = createThreadsConnector({ timeoutMs: 2000, pollIntervalMs: 5 });
    await connector.publish({ baseUrl: th.baseUrl, credentials: entry, config: result.config, fetch, now: () => clock }, { text: 'Hello Threads', media: [], idempotencyKey: 'k' });
    expect(th.livePosts(user)).toHaveLength(1);
  });

  it('keeps the app secret out of the browser’s address, the result and every failure', async () => {
    th.signInAs(user);
    const result = await signIn();
    expect(opened.at(-1)).not.toContain(app.secret);
    expect(JSON.stringify(result)).not.toContain(app.secret);
    // Only the two token endpoints ever see it (the exchange's GET is Meta's documented form, ⚠ in sign-in.ts).
    const carrying = th.requests.filter((r) => r.query.get('client_secret') === app.secret || r.body.fields.some(([, v]) => v === app.secret));
    expect(carrying.map((r) => r.path)).toEqual(['/oauth/access_token', '/access_token']);

    th.signInAs(user);
    const error = await signIn({ appSecret: 'wrong-secret-value' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectorError);
    expect((error as ConnectorError).kind).toBe('auth');
    expect(inspect(error, { depth: 8 })).not.toContain('wrong-secret-value');
  });

  it('a declined window ends the sign-in; a bad app id is refused before the browser opens', async () => {
    th.signInAs('decline');
    await expect(signIn()).rejects.toBeInstanceOf(SignInError);
    const before = opened.length;
    expect(() => threadsAppIdOf('my app')).toThrow(ConnectorError);
    await expect(signInWithThreads({ appId: 'abc', appSecret: 's', apiBaseUrl: th.baseUrl, port: 0, openExternal: browser })).rejects.toBeInstanceOf(ConnectorError);
    expect(opened.length).toBe(before);
  });

  it('the connector refreshes a token near its end through refresh_access_token and saves it; an expired one asks to reconnect', async () => {
    const token = th.issueToken(user, app, { ageMs: 55 * DAY, expiresInMs: 5 * DAY });
    const saved: ThreadsCredentials[] = [];
    const credentials: ThreadsCredentials = { appId: app.id, accessToken: token, expiresAt: clock + 5 * DAY, issuedAt: clock - 55 * DAY, userId: user.id };
    const connector = createThreadsConnector({ timeoutMs: 2000, pollIntervalMs: 5 });
    const ctx = { baseUrl: th.baseUrl, credentials, config: { userId: user.id, username: 'cornerbakery' }, fetch, now: () => clock, saveCredentials: async (c: ThreadsCredentials) => void saved.push(c) };
    const quota = await connector.publishingQuota(ctx);
    expect(quota.posts.total).toBe(250);
    expect(saved).toEqual([{ ...credentials, accessToken: expect.not.stringMatching(token) as string, expiresAt: clock + 60 * DAY, issuedAt: clock }]);
    const refresh = th.requests.find((r) => r.path === '/refresh_access_token')!;
    expect(refresh.query.get('grant_type')).toBe('th_refresh_token');
    expect(refresh.query.get('client_secret')).toBeNull();

    const expired = { ...ctx, credentials: { ...credentials, expiresAt: clock - 1 } };
    const error = await connector.publish(expired, { text: 'x', media: [], idempotencyKey: 'k' }).catch((e: unknown) => e);
    expect((error as ConnectorError).kind).toBe('auth');
    expect((error as ConnectorError).maybeSent).toBe(false);
  });
});

describe('Threads fake: checks every request against the Postman collection', () => {
  it('catches an unknown endpoint, an unknown parameter, a bad enum and an unknown field', async () => {
    const token = th.issueToken(user, app);
    const post = (path: string, form: Record<string, string>) => fetch(`${th.baseUrl}${path}`, { method: 'POST', body: new URLSearchParams({ ...form, access_token: token }) });
    const unknownEndpoint = await post('/v1.0/me/feed', { message: 'hi' });
    expect(unknownEndpoint.status).toBe(400);
    expect(((await unknownEndpoint.json()) as { error: { code: number } }).error.code).toBe(100);
    await post('/v1.0/me/threads', { media_type: 'TEXT', text: 'hi', scheduled_publish_time: '1800000000' });
    const badEnum = await post('/v1.0/me/threads', { media_type: 'STORY', text: 'hi' });
    expect(badEnum.status).toBe(400);
    await fetch(`${th.baseUrl}/v1.0/me?fields=id,email&access_token=${token}`);
    expect(th.violations).toEqual([
      'POST /v1.0/me/feed: no such endpoint in the Threads Postman collection',
      'POST /v1.0/me/threads: unexpected parameter "scheduled_publish_time"',
      'POST /v1.0/me/threads: media_type must be one of TEXT, IMAGE, VIDEO, CAROUSEL',
      'GET /v1.0/me: unknown field "email"',
    ]);
    th.violations.length = 0;
  });

  it('catches a container published twice: the exactly-once rule', async () => {
    const token = th.issueToken(user, app);
    const post = (path: string, form: Record<string, string>) => fetch(`${th.baseUrl}${path}`, { method: 'POST', body: new URLSearchParams({ ...form, access_token: token }) });
    const { id } = (await (await post('/v1.0/me/threads', { media_type: 'TEXT', text: 'once' })).json()) as { id: string };
    expect((await post('/v1.0/me/threads_publish', { creation_id: id })).status).toBe(200);
    expect((await post('/v1.0/me/threads_publish', { creation_id: id })).status).toBe(400);
    expect(th.livePosts(user)).toHaveLength(1);
    expect(th.violations).toEqual([`POST /v1.0/me/threads_publish: container ${id} published a second time`]);
    th.violations.length = 0;
  });

  it('reads every endpoint the connector uses out of the collection', () => {
    const names = th.spec.endpoints.map((e) => `${e.method} /${e.path.join('/')}`);
    for (const name of ['POST /me/threads', 'POST /me/threads_publish', 'GET /me/threads', 'GET /{id}', 'DELETE /{id}', 'GET /{id}/replies', 'GET /me/threads_publishing_limit', 'POST /oauth/access_token', 'GET /access_token', 'GET /refresh_access_token', 'GET /oauth/authorize']) {
      expect(names).toContain(name);
    }
    expect(th.spec.enums.reply_control).toEqual(['everyone', 'accounts_you_follow', 'mentioned_only', 'parent_post_author_only', 'followers_only']);
  });
});
