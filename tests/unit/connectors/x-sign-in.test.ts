import { createHash } from 'node:crypto';
import { inspect } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConnectorError } from '../../../main/core/connector';
import { X_REDIRECT_URI, X_SCOPES } from '../../../main/core/networks/x';
import { createXConnector, freshCredentials, readXSecret, type XContext, type XCredentials } from '../../../main/services/connectors/x';
import { signInWithX, xClientIdOf } from '../../../main/services/connectors/x/sign-in';
import { SignInError } from '../../../main/services/oauth/loopback';
import { startXFake, type FakeXApp, type FakeXUser, type XFake } from '../../fakes/x-fake';

let clock: number;
let x: XFake;
let app: FakeXApp;
let user: FakeXUser;

beforeEach(async () => {
  clock = Date.now();
  x = await startXFake({ now: () => clock });
  app = x.addApp();
  user = x.addUser('cornerbakery', 'Corner Bakery');
});

afterEach(async () => {
  const violations = [...x.violations];
  await x.close();
  expect(violations).toEqual([]);
});

/** The browser: X's authorization window approves at once (signInAs) and its redirect reaches the loopback listener. */
const opened: string[] = [];
const browser = async (url: string) => {
  opened.push(url);
  await fetch(url);
};

const signIn = (extra: { clientId?: string; openExternal?: (url: string) => Promise<void> } = {}) =>
  signInWithX({ clientId: extra.clientId ?? app.clientId, apiBaseUrl: x.baseUrl, port: 0, openExternal: extra.openExternal ?? browser, now: () => clock, timeoutMs: 5_000 });

function context(credentials: XCredentials, saved: XCredentials[] = []): XContext {
  return {
    baseUrl: x.baseUrl,
    credentials,
    config: { userId: credentials.userId, username: 'cornerbakery' },
    fetch,
    now: () => clock,
    saveCredentials: async (renewed) => void saved.push(renewed),
  };
}

describe('X sign-in with the user’s own app as a public client (PKCE S256, loopback, rotating refresh tokens)', () => {
  it('signs in through the loopback redirect with a PKCE S256 challenge, trades the code with the verifier and no secret, and reads the handle', async () => {
    x.signInAs(user);
    const result = await signIn();

    expect(result.user).toEqual({ id: user.id, username: 'cornerbakery', name: 'Corner Bakery' });
    expect(result.config).toEqual({ userId: user.id, username: 'cornerbakery' });
    expect(result.credentials).toMatchObject({ clientId: app.clientId, userId: user.id, accessExpiresAt: clock + 7200_000, issuedAt: clock });
    expect(result.credentials.refreshToken).toEqual(expect.any(String));

    const window = new URL(opened.at(-1)!);
    expect(window.pathname).toBe('/i/oauth2/authorize');
    expect(window.searchParams.get('scope')).toBe(X_SCOPES.join(' '));
    expect(window.searchParams.get('scope')).toBe('tweet.read tweet.write users.read media.write offline.access');
    expect(window.searchParams.get('code_challenge_method')).toBe('S256');
    expect(window.searchParams.get('redirect_uri')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/);

    // The verifier goes only to the token endpoint, and hashes to the challenge the browser carried.
    const exchange = x.requests.find((r) => r.path === '/2/oauth2/token')!;
    const form = Object.fromEntries(exchange.body.fields);
    expect(form).toMatchObject({ grant_type: 'authorization_code', client_id: app.clientId, redirect_uri: window.searchParams.get('redirect_uri') });
    expect(form['code_verifier']).toMatch(/^[A-Za-z0-9_-]{43,128}$/);
    expect(createHash('sha256').update(form['code_verifier']!).digest('base64url')).toBe(window.searchParams.get('code_challenge'));
    expect(opened.at(-1)).not.toContain(form['code_verifier']);
    expect(form['client_secret']).toBeUndefined();
    expect(exchange.headers.authorization).toBeUndefined();

    // The keychain entry reads back and publishes.
    const entry = readXSecret(JSON.stringify(result.credentials));
    await createXConnector().publish(context(entry), { text: 'Fresh bread at 7', media: [], idempotencyKey: 'k' });
    expect(x.live(user).map((p) => p.text)).toEqual(['Fresh bread at 7']);
  });

  it('uses the fixed callback address the user registered by default', () => {
    expect(X_REDIRECT_URI).toMatch(/^http:\/\/127\.0\.0\.1:\d{4,5}\/callback$/);
  });

  it('ignores a redirect with a foreign state and still takes the real one', async () => {
    x.signInAs(user);
    const result = await signIn({
      openExternal: async (url) => {
        const redirect = new URL(url).searchParams.get('redirect_uri')!;
        // A stale tab or another local page guesses the port: refused, the sign-in goes on.
        const forged = await fetch(`${redirect}?code=stolen&state=not-ours`);
        expect(forged.status).toBe(400);
        await fetch(url);
      },
    });
    expect(result.user.username).toBe('cornerbakery');
  });

  it('says the sign-in was declined when the user refuses in X', async () => {
    x.signInAs('decline');
    const error = await signIn().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SignInError);
    expect((error as SignInError).code).toBe('denied');
  });

  it('refuses a Client ID of the wrong shape before opening anything', async () => {
    expect(() => xClientIdOf('my app')).toThrow(ConnectorError);
    await expect(signIn({ clientId: 'x' })).rejects.toMatchObject({ kind: 'validation' });
  });

  it('refreshes a token about to end, saves the rotated pair before the call, and the spent refresh token no longer works', async () => {
    x.signInAs(user);
    const first = (await signIn()).credentials;
    clock += 7200_000 - 60_000;
    const saved: XCredentials[] = [];
    await createXConnector().publish(context(first, saved), { text: 'After two hours', media: [], idempotencyKey: 'k' });

    expect(saved).toHaveLength(1);
    expect(saved[0]!.refreshToken).not.toBe(first.refreshToken);
    expect(saved[0]!.accessToken).not.toBe(first.accessToken);
    expect(saved[0]!.accessExpiresAt).toBe(clock + 7200_000);
    const refresh = x.requests.filter((r) => r.path === '/2/oauth2/token').at(-1)!;
    expect(Object.fromEntries(refresh.body.fields)).toEqual({ grant_type: 'refresh_token', refresh_token: first.refreshToken, client_id: app.clientId });

    // X took the old refresh token once; an old copy of the entry in another process would fail, so this process keeps the newest.
    const stale = await fetch(`${x.baseUrl}/2/oauth2/token`, { method: 'POST', body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: first.refreshToken!, client_id: app.clientId }) });
    expect(stale.status).toBe(400);
    expect(await freshCredentials(context(first))).toEqual(saved[0]);
  });

  it('refreshes once when X answers 401 and repeats the call; two calls at once share one refresh', async () => {
    x.signInAs(user);
    const first = (await signIn()).credentials;
    x.expireAccessTokens();
    const saved: XCredentials[] = [];
    const connector = createXConnector();
    await Promise.all([
      connector.publish(context(first, saved), { text: 'one', media: [], idempotencyKey: 'a' }),
      connector.publish(context(first, saved), { text: 'two', media: [], idempotencyKey: 'b' }),
    ]);
    expect(x.live(user).map((p) => p.text).sort()).toEqual(['one', 'two']);
    expect(x.requests.filter((r) => r.path === '/2/oauth2/token' && Object.fromEntries(r.body.fields)['grant_type'] === 'refresh_token')).toHaveLength(1);
  });

  it('asks for a reconnect, with X’s reason, when the refresh token was revoked (invalid_grant); nothing was sent', async () => {
    x.signInAs(user);
    const first = (await signIn()).credentials;
    x.expireAccessTokens();
    x.revokeRefreshTokens();
    const error = (await createXConnector().publish(context(first), { text: 'no', media: [], idempotencyKey: 'k' }).catch((e: unknown) => e)) as ConnectorError;
    expect(error).toBeInstanceOf(ConnectorError);
    expect(error.kind).toBe('auth');
    expect(error.networkSaid).toBe('Value passed for the token was invalid.');
    expect(error.networkMessage).toMatch(/reconnect the account/);
    expect(error.maybeSent).toBe(false);
    expect(inspect(error, { depth: 8 })).not.toContain(first.refreshToken!);
    expect(x.live(user)).toEqual([]);
  });
});
