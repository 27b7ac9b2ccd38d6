import { inspect } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConnectorError } from '../../../main/core/connector';
import { createFacebookConnector, readFacebookSecret } from '../../../main/services/connectors/facebook';
import { facebookAppIdOf, facebookPageCredentials, signInWithFacebook } from '../../../main/services/connectors/facebook/sign-in';
import { SignInError } from '../../../main/services/oauth/loopback';
import { startFacebookFake, type FacebookFake, type FakeFbApp, type FakeFbUser } from '../../fakes/facebook-fake';

let clock: number;
let fb: FacebookFake;
let app: FakeFbApp;
let user: FakeFbUser;

beforeEach(async () => {
  clock = Date.UTC(2026, 11, 5, 9, 0, 0);
  fb = await startFacebookFake({ now: () => clock });
  app = fb.addApp();
  user = fb.addUser('Anna Lind');
});

afterEach(async () => {
  await fb.close();
});

/** The browser: the Login dialog approves at once (signInAs) and its redirect reaches the loopback listener. */
const opened: string[] = [];
const browser = async (url: string) => {
  opened.push(url);
  await fetch(url);
};

const signIn = (extra: { appSecret?: string } = {}) =>
  signInWithFacebook({ appId: app.id, appSecret: extra.appSecret ?? app.secret, apiBaseUrl: fb.baseUrl, port: 0, openExternal: browser, now: () => clock });

describe('Facebook Login with the user’s own Meta app (loopback, code, long-lived token, Pages)', () => {
  it('signs in, trades the code and then the short token for a 60-day one, and lists the Pages with their tokens and Instagram accounts', async () => {
    const bakery = fb.addPage({ name: 'Corner Bakery', instagram: true, admins: [user] });
    const cafe = fb.addPage({ name: 'Corner Café', admins: [user] });
    fb.addPage({ name: 'Someone else’s Page' });
    fb.signInAs(user);
    const result = await signIn();

    expect(result.user).toEqual({ id: user.id, name: 'Anna Lind' });
    expect(result.userToken.expiresAt).toBe(clock + 60 * 24 * 3600_000);
    expect(result.pages).toEqual([
      { id: bakery.id, name: 'Corner Bakery', category: 'Bakery', accessToken: bakery.token, instagramAccountId: bakery.instagramAccountId, instagramUsername: bakery.instagramUsername, tasks: bakery.tasks },
      { id: cafe.id, name: 'Corner Café', category: 'Bakery', accessToken: cafe.token, instagramAccountId: null, instagramUsername: null, tasks: cafe.tasks },
    ]);
    const dialog = new URL(opened.at(-1)!);
    expect(dialog.pathname).toBe(fb.path('dialog/oauth'));
    expect(dialog.searchParams.get('redirect_uri')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/);
    expect(dialog.searchParams.get('scope')).toBe('pages_show_list,pages_read_engagement,pages_manage_posts,pages_manage_engagement,instagram_basic,instagram_content_publish');
    expect(dialog.searchParams.get('code_challenge_method')).toBe('S256');

    const exchanges = fb.requests.filter((r) => r.path === fb.path('oauth/access_token'));
    expect(exchanges.map((r) => r.query.get('grant_type'))).toEqual([null, 'fb_exchange_token']);
    expect(fb.violations).toEqual([]);

    // The picked Page's keychain entry publishes with its own token and the app's proof.
    const entry = JSON.stringify(facebookPageCredentials(result, result.pages[0]!, { appId: app.id, appSecret: app.secret }));
    const connector = createFacebookConnector({ timeoutMs: 2000 });
    await connector.publish(
      { baseUrl: fb.baseUrl, credentials: readFacebookSecret(entry), config: { pageId: bakery.id, name: bakery.name }, fetch, now: () => clock },
      { text: 'Hello from Outpost', media: [], idempotencyKey: 'k' },
    );
    expect(fb.livePosts(bakery)).toHaveLength(1);
  });

  it('the app secret goes only to Meta’s token endpoint: never in the dialog, a URL of a Graph call, or the result', async () => {
    fb.addPage({ admins: [user] });
    fb.signInAs(user);
    const result = await signIn();
    expect(opened.join(' ')).not.toContain(app.secret);
    expect(inspect(result, { depth: 8 })).not.toContain(app.secret);
    const graphCalls = fb.requests.filter((r) => !r.path.endsWith('oauth/access_token') && !r.path.endsWith('dialog/oauth'));
    expect(graphCalls.length).toBeGreaterThan(0);
    for (const r of graphCalls) {
      expect(r.query.get('client_secret')).toBeNull();
      expect(r.query.get('appsecret_proof')).toMatch(/^[0-9a-f]{64}$/);
    }
  });

  it('a wrong app secret is refused as auth in Meta’s words, with the secret scrubbed', async () => {
    fb.signInAs(user);
    const error = await signIn({ appSecret: 'not-the-secret-0123456789' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectorError);
    expect(error).toMatchObject({ kind: 'auth', networkSaid: 'Error validating client secret.' });
    expect(inspect(error, { depth: 8 })).not.toContain('not-the-secret-0123456789');
  });

  it('a declined Login ends as "denied"; no token is asked for', async () => {
    fb.signInAs('decline');
    const error = await signIn().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SignInError);
    expect((error as SignInError).code).toBe('denied');
    expect(fb.requests.filter((r) => r.path.endsWith('oauth/access_token'))).toEqual([]);
  });

  it('refuses an app id that is not Meta’s number, and a missing secret, before opening the browser', async () => {
    expect(() => facebookAppIdOf('my-app')).toThrow(ConnectorError);
    await expect(signInWithFacebook({ appId: app.id, appSecret: ' ', apiBaseUrl: fb.baseUrl, port: 0, openExternal: browser })).rejects.toMatchObject({ kind: 'validation' });
    expect(fb.requests).toEqual([]);
  });
});
