import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConnectorError } from '../../../main/core/connector';
import { YOUTUBE_SCOPES } from '../../../main/core/networks/youtube';
import { youtubeCall, type YouTubeSession } from '../../../main/services/connectors/youtube';
import { signInToYouTube } from '../../../main/services/connectors/youtube/sign-in';
import { SignInError } from '../../../main/services/oauth/loopback';
import { startYouTubeFake, type FakeChannel, type FakeGoogleApp, type YouTubeFake } from '../../fakes/youtube-fake';

let clock: number;
let yt: YouTubeFake;
let app: FakeGoogleApp;
let channel: FakeChannel;

beforeEach(async () => {
  clock = Date.UTC(2026, 11, 5, 9, 0, 0);
  yt = await startYouTubeFake({ now: () => clock });
  app = yt.addApp();
  channel = yt.addChannel('Corner Bakery');
});

afterEach(async () => {
  const violations = [...yt.violations];
  await yt.close();
  expect(violations).toEqual([]);
});

/** The browser: Google's consent page approves at once (signInAs) and its redirect reaches the real loopback listener. */
const opened: string[] = [];
const browser = async (url: string) => {
  opened.push(url);
  await fetch(url);
};

const signIn = (client: Partial<FakeGoogleApp> = {}) =>
  signInToYouTube({ client: { clientId: client.clientId ?? app.clientId, clientSecret: client.clientSecret ?? app.clientSecret }, apiBaseUrl: yt.baseUrl, openExternal: browser, now: () => clock, timeoutMs: 5_000 });

describe('YouTube sign-in with the user’s own Desktop OAuth client (loopback on any port, PKCE S256)', () => {
  it('signs in through the loopback redirect, trades the code with the verifier and the client secret, and reads the channel', async () => {
    yt.signInAs(channel);
    const result = await signIn();

    expect(result.channels).toEqual([{ channelId: channel.id, channelTitle: 'Corner Bakery', uploadsPlaylistId: channel.uploadsPlaylistId, handle: '@cornerbakery' }]);
    expect(result.credentials).toMatchObject({ clientId: app.clientId, clientSecret: app.clientSecret, accessExpiresAt: clock + 3599_000 });
    expect(result.credentials.refreshToken).toMatch(/^1\/\//);

    const consent = new URL(opened.at(-1)!);
    expect(consent.pathname).toBe('/o/oauth2/v2/auth');
    const redirect = new URL(consent.searchParams.get('redirect_uri')!);
    // A port the OS picked: nothing to register in Google Cloud for a Desktop client.
    expect(redirect.hostname).toBe('127.0.0.1');
    expect(Number(redirect.port)).toBeGreaterThan(0);
    expect(consent.searchParams.get('scope')).toBe(YOUTUBE_SCOPES.join(' '));
    expect(consent.searchParams.get('access_type')).toBe('offline');
    expect(consent.searchParams.get('code_challenge_method')).toBe('S256');
    const exchange = yt.requests.find((r) => r.path === '/token')!;
    const form = Object.fromEntries(exchange.body.fields);
    expect(createHash('sha256').update(form['code_verifier']!).digest('base64url')).toBe(consent.searchParams.get('code_challenge'));
    expect(form['client_secret']).toBe(app.clientSecret);
    expect(yt.requests.find((r) => r.path === '/youtube/v3/channels')!.query.get('mine')).toBe('true');
  });

  it('refreshes an ended access token with the refresh token, which Google keeps, and saves the new one before the call', async () => {
    yt.signInAs(channel);
    const { credentials } = await signIn();
    const saved: unknown[] = [];
    const session: YouTubeSession = { baseUrl: yt.baseUrl, fetch, now: () => clock, credentials, saveCredentials: async (c) => void saved.push(c) };
    clock += 3600_000;
    const answer = await youtubeCall(session, { path: '/youtube/v3/channels', query: { part: 'id', mine: 'true' } });
    expect(answer.status).toBe(200);
    expect(saved).toHaveLength(1);
    expect(session.credentials.refreshToken).toBe(credentials.refreshToken);
    expect(session.credentials.accessToken).not.toBe(credentials.accessToken);
    expect(session.credentials.accessExpiresAt).toBe(clock + 3599_000);
  });

  it('a revoked refresh token asks for a reconnect, and nothing was sent', async () => {
    yt.signInAs(channel);
    const { credentials } = await signIn();
    yt.revokeRefreshTokens();
    yt.expireAccessTokens();
    const session: YouTubeSession = { baseUrl: yt.baseUrl, fetch, now: () => clock, credentials: { ...credentials, accessExpiresAt: clock } };
    const error = await youtubeCall(session, { path: '/youtube/v3/channels', query: { part: 'id', mine: 'true' } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectorError);
    expect(error).toMatchObject({ kind: 'auth' });
    expect((error as ConnectorError).networkMessage).toMatch(/invalid_grant.*connect the YouTube channel again/);
    expect((error as ConnectorError).maybeSent).toBe(false);
  });

  it('a wrong client secret is refused by Google in its words; a declined consent ends the sign-in as denied; a malformed client id never opens the browser', async () => {
    yt.signInAs(channel);
    await expect(signIn({ clientSecret: 'GOCSPX-wrong' })).rejects.toMatchObject({ kind: 'auth', networkSaid: 'invalid_client: Unauthorized' });
    yt.signInAs('decline');
    await expect(signIn()).rejects.toBeInstanceOf(SignInError);
    const before = opened.length;
    await expect(signIn({ clientId: 'not-a-google-client' })).rejects.toThrow(/apps\.googleusercontent\.com/);
    expect(opened).toHaveLength(before);
  });
});
