import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConnectorError } from '../../../main/core/connector';
import type { VkHttp } from '../../../main/services/connectors/vk';
import { decideSignInNavigation, SIGN_IN_PARTITION, signInWindowOptions } from '../../../main/electron/sign-in-navigation';
import { checkCommunity, implicitAuthorizeUrl, isImplicitRedirect, listCommunities, readImplicitRedirect, signInWithVkId, signInWithVkImplicit } from '../../../main/services/connectors/vk/sign-in';
import { exchangeVkIdCode } from '../../../main/services/connectors/vk/vk-id';
import { SignInError } from '../../../main/services/oauth/loopback';
import { startVkFake, type FakeVkUser, type VkFake } from '../../fakes/vk-fake';

let clock: number;
let vk: VkFake;
let user: FakeVkUser;

beforeEach(async () => {
  clock = Date.UTC(2026, 11, 5, 9, 0, 0);
  vk = await startVkFake({ now: () => clock });
  user = vk.addUser({ firstName: 'Anna', lastName: 'Petrova' });
});

afterEach(async () => {
  await vk.close();
});

const http = (token: string): VkHttp => ({ baseUrl: vk.baseUrl, fetch, now: () => clock, token });

/** The browser: VK ID's page approves at once (signInAs) and its redirect reaches the loopback listener. */
const browser = async (url: string) => {
  await fetch(url);
};

describe('VK ID sign-in (code + PKCE through the loopback redirect)', () => {
  it('signs in with the user’s own app and keeps a refreshable token pair', async () => {
    const app = vk.addApp();
    vk.signInAs(user);
    const { credentials, user: who } = await signInWithVkId({ appId: app.appId, apiBaseUrl: vk.baseUrl, openExternal: browser, now: () => clock });
    expect(who).toEqual({ id: user.id, name: 'Anna Petrova' });
    expect(credentials).toMatchObject({ flow: 'vkid', appId: app.appId, userId: user.id, expiresAt: clock + 3600_000 });
    expect(credentials.flow === 'vkid' && credentials.refreshToken).toMatch(/^vk2\.r\./);
    expect(vk.violations).toEqual([]);
  });

  it('a code exchanged without its PKCE verifier is refused', async () => {
    const app = vk.addApp();
    vk.signInAs(user);
    let refused: unknown;
    const stealer = async (url: string) => {
      const redirect = new URL((await fetch(url, { redirect: 'manual' })).headers.get('location')!);
      refused = await exchangeVkIdCode(
        { baseUrl: vk.baseUrl, fetch, now: () => clock },
        { appId: app.appId, code: redirect.searchParams.get('code')!, verifier: 'x'.repeat(43), deviceId: redirect.searchParams.get('device_id')!, redirectUri: `${redirect.origin}${redirect.pathname}` },
      ).catch((error: unknown) => error);
      await fetch(redirect);
    };
    await expect(signInWithVkId({ appId: app.appId, apiBaseUrl: vk.baseUrl, openExternal: stealer, now: () => clock })).rejects.toBeInstanceOf(ConnectorError);
    expect(refused).toMatchObject({ kind: 'auth', networkSaid: 'invalid_grant: code_verifier is invalid' });
    expect(vk.violations).toEqual(['POST /oauth2/auth: the PKCE verifier does not match the challenge']);
    vk.violations.length = 0;
  });

  it('a declined sign-in ends as "denied", with nothing saved', async () => {
    const app = vk.addApp();
    await expect(signInWithVkId({ appId: app.appId, apiBaseUrl: vk.baseUrl, openExternal: browser, now: () => clock })).rejects.toMatchObject({
      constructor: SignInError,
      code: 'denied',
    });
  });

  it('refuses an app id that is not a number before opening anything', async () => {
    await expect(signInWithVkId({ appId: 'my app', apiBaseUrl: vk.baseUrl, openExternal: browser })).rejects.toMatchObject({ kind: 'validation' });
  });
});

describe('standalone implicit flow', () => {
  it('starts at oauth.vk.com with the blank.html redirect and the offline right', () => {
    const url = new URL(implicitAuthorizeUrl('51000001'));
    expect(url.origin + url.pathname).toBe('https://oauth.vk.com/authorize');
    expect(url.searchParams.get('redirect_uri')).toBe('https://oauth.vk.com/blank.html');
    expect(url.searchParams.get('scope')).toContain('offline');
    expect(url.searchParams.get('response_type')).toBe('token');
  });

  it('reads the token from the final address, which then works with VK', async () => {
    const app = vk.addApp();
    const credentials = readImplicitRedirect(vk.implicitRedirect(user, app), app.appId, clock);
    expect(credentials).toMatchObject({ flow: 'implicit', userId: user.id, expiresAt: null });
    expect(await listCommunities(http(credentials.accessToken))).toEqual([]);
  });

  it('says what to paste when the address is not the final one, and keeps VK’s refusal', () => {
    expect(() => readImplicitRedirect('https://vk.com/feed', '51000001', clock)).toThrow(/blank\.html#access_token=/);
    expect(() => readImplicitRedirect('https://oauth.vk.com/blank.html#error=access_denied&error_description=User%20denied', '51000001', clock)).toThrow(
      'access_denied: User denied',
    );
  });
});

describe('choosing communities', () => {
  it('lists the communities the user edits or runs, not the ones they only read', async () => {
    const bakery = vk.addGroup({ name: 'Bakery' });
    const cafe = vk.addGroup({ name: 'Cafe' });
    const fans = vk.addGroup({ name: 'Fans' });
    vk.setRole(bakery, user, 'editor');
    vk.setRole(cafe, user, 'admin');
    vk.setRole(fans, user, 'member');
    expect((await listCommunities(http(user.token))).map((c) => [c.name, c.role])).toEqual([
      ['Bakery', 'editor'],
      ['Cafe', 'admin'],
    ]);
  });

  it('refuses a community where the user is not an editor, in VK’s words', async () => {
    const fans = vk.addGroup({ name: 'Fans' });
    vk.setRole(fans, user, 'moderator');
    const error = await checkCommunity(http(user.token), fans.id).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'validation', networkSaid: 'Access to adding post denied' });
    const bakery = vk.addGroup({ name: 'Bakery', screenName: 'bakery_lenina' });
    vk.setRole(bakery, user, 'editor');
    expect(await checkCommunity(http(user.token), bakery.id)).toMatchObject({ id: bakery.id, name: 'Bakery', screenName: 'bakery_lenina' });
  });
});

describe('implicit flow in the app’s sign-in window (Electron port)', () => {
  it('ends on the blank.html address without loading it, and goes only to https pages before that', () => {
    const final = 'https://oauth.vk.com/blank.html#access_token=abc&expires_in=0&user_id=1';
    expect(decideSignInNavigation(final, isImplicitRedirect)).toBe('finish');
    expect(decideSignInNavigation('https://id.vk.com/auth?x=1', isImplicitRedirect)).toBe('allow');
    expect(decideSignInNavigation('http://vk.com/login', isImplicitRedirect)).toBe('deny');
    expect(decideSignInNavigation('file:///etc/passwd', isImplicitRedirect)).toBe('deny');
    const options = signInWindowOptions('Sign in');
    expect(options.webPreferences).toMatchObject({ sandbox: true, contextIsolation: true, nodeIntegration: false, partition: SIGN_IN_PARTITION });
    expect(options.webPreferences?.preload).toBeUndefined();
    expect(SIGN_IN_PARTITION.startsWith('persist:')).toBe(false);
  });

  it('reads the token the window caught; a closed window is no sign-in', async () => {
    const app = vk.addApp();
    let opened = '';
    const credentials = await signInWithVkImplicit({
      appId: app.appId,
      now: () => clock,
      catchSignInRedirect: async (startUrl, isFinal) => {
        opened = startUrl;
        const address = vk.implicitRedirect(user, app);
        return isFinal(address) ? address : null;
      },
    });
    expect(opened).toBe(implicitAuthorizeUrl(app.appId));
    expect(credentials).toMatchObject({ flow: 'implicit', userId: user.id });
    expect(await signInWithVkImplicit({ appId: app.appId, now: () => clock, catchSignInRedirect: async () => null })).toBeNull();
  });
});
