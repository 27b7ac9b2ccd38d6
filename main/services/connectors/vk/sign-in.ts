import { ConnectorError } from '../../../core/connector';
import { VK_REDIRECT_PORT } from '../../../core/networks/vk';
import { openLoopbackListener, SignInError, type BrowserSignInOptions } from '../../oauth/loopback';
import { trimBaseUrl } from '../kit/urls';
import { vkCall, vkIdBaseUrl, VK_API_BASE_URL, type VkCredentials, type VkHttp } from './api';
import { exchangeVkIdCode } from './vk-id';

/**
 * Connecting VK communities with the user's own VK app (Outpost ships no app id):
 *
 * - VK ID (OAuth 2.1): authorization code + PKCE S256 through the loopback redirect (RFC 8252,
 *   oauth/loopback.ts), exchanged at id.vk.com/oauth2/auth with the `device_id` VK sends back;
 *   the 1 h access token and the refresh token go to the keychain (the connector refreshes).
 *   VK ID matches the redirect address exactly, so the listener sits on one fixed port the user
 *   registers in the app (core/networks/vk.ts, shown on the accounts page).
 * - Standalone implicit flow, for apps that only have it: oauth.vk.com/authorize ends on
 *   `https://oauth.vk.com/blank.html#access_token=…`; the Electron window catches that address
 *   (main/electron), the browser host lets the user paste it; `readImplicitRedirect` reads it.
 * - Then the communities the user edits (`listCommunities`, groups.get filter=editor) for the user
 *   to pick, each one an Outpost account; `checkCommunity` asks VK whether this user may post
 *   there (picked or pasted) and refuses with VK's reason.
 */

/** VK ID scopes, space-separated (wall for wall.post, photos and video for uploads, groups for the list). */
export const VK_ID_SCOPES = 'wall photos video groups';
/** The implicit flow's rights, comma-separated; `offline` gives a token that does not expire. */
export const VK_IMPLICIT_SCOPES = 'wall,photos,video,groups,offline';
export const VK_BLANK_REDIRECT = 'https://oauth.vk.com/blank.html';
const VK_OAUTH_BASE_URL = 'https://oauth.vk.com';

export interface VkIdSignInOptions extends BrowserSignInOptions {
  appId: string;
  /** The method API's base (tests: the fake, which also serves VK ID). */
  apiBaseUrl?: string;
  /** Default VK_REDIRECT_PORT; 0 lets the OS pick (tests). */
  port?: number;
}

export async function signInWithVkId(options: VkIdSignInOptions): Promise<{ credentials: VkCredentials; user: VkUser }> {
  const appId = appIdOf(options.appId);
  const apiBaseUrl = options.apiBaseUrl ?? VK_API_BASE_URL;
  const idBase = vkIdBaseUrl(apiBaseUrl);
  const fetcher = options.fetch ?? fetch;
  const now = options.now ?? Date.now;
  // Tests against the fake use a random port; the real VK ID needs the registered one.
  const port = options.port ?? (idBase === trimBaseUrl(vkIdBaseUrl(VK_API_BASE_URL)) ? VK_REDIRECT_PORT : 0);
  const listener = await openLoopbackListener({
    port,
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  try {
    const authorize = new URL(`${idBase}/authorize`);
    authorize.searchParams.set('response_type', 'code');
    authorize.searchParams.set('client_id', appId);
    authorize.searchParams.set('redirect_uri', listener.redirectUri);
    authorize.searchParams.set('state', listener.state);
    authorize.searchParams.set('code_challenge', listener.pkce.challenge);
    // VK ID documents the method as lower-case s256, and redirect_uri must be a trusted one from the app's settings
    // (id.vk.com/about/business/go/docs/ru/vkid/latest/vk-id/connection/api-integration/api-description).
    authorize.searchParams.set('code_challenge_method', 's256');
    authorize.searchParams.set('scope', VK_ID_SCOPES);
    const { code, params } = await listener.authorize(authorize.toString(), options.openExternal);
    const deviceId = params.get('device_id');
    if (!deviceId) throw new SignInError('rejected', 'VK ID sent no device_id with the code.');
    const credentials = await exchangeVkIdCode(
      { baseUrl: idBase, fetch: fetcher, now, signal: options.signal },
      { appId, code, verifier: listener.pkce.verifier, deviceId, redirectUri: listener.redirectUri },
    );
    const user = await readVkUser({ baseUrl: apiBaseUrl, fetch: fetcher, now, signal: options.signal, token: credentials.accessToken });
    return { credentials: { ...credentials, userId: user.id }, user };
  } finally {
    listener.close();
  }
}

/** Where the standalone implicit flow starts (a sign-in window in Electron, the browser elsewhere). */
export function implicitAuthorizeUrl(appId: string): string {
  const url = new URL(`${VK_OAUTH_BASE_URL}/authorize`);
  url.searchParams.set('client_id', appIdOf(appId));
  url.searchParams.set('display', 'page');
  url.searchParams.set('redirect_uri', VK_BLANK_REDIRECT);
  url.searchParams.set('scope', VK_IMPLICIT_SCOPES);
  url.searchParams.set('response_type', 'token');
  url.searchParams.set('v', '5.199');
  return url.toString();
}

/** True for the address the implicit flow ends on, so the sign-in window knows when to stop. */
export function isImplicitRedirect(address: string): boolean {
  return address.startsWith(`${VK_BLANK_REDIRECT}#`) || address.startsWith(`${VK_BLANK_REDIRECT}?`);
}

/** Credentials from the final `blank.html#access_token=…&expires_in=0&user_id=…` address (caught or pasted). */
export function readImplicitRedirect(address: string, appId: string, now: number): VkCredentials {
  const text = address.trim();
  if (!isImplicitRedirect(text)) {
    throw new ConnectorError('validation', `Paste the whole address VK ended on; it starts with ${VK_BLANK_REDIRECT}#access_token=`);
  }
  const url = new URL(text);
  const fields = new URLSearchParams(url.hash.slice(1) || url.search.slice(1));
  const error = fields.get('error');
  if (error) {
    const said = [error, fields.get('error_description')].filter(Boolean).join(': ');
    throw new ConnectorError('auth', said, { networkSaid: said });
  }
  const accessToken = fields.get('access_token');
  const userId = Number(fields.get('user_id'));
  if (!accessToken || !Number.isSafeInteger(userId)) throw new ConnectorError('validation', 'The address has no access_token and user_id; sign in again and paste the final address.');
  const expiresIn = Number(fields.get('expires_in') ?? '0');
  return { flow: 'implicit', appId: appIdOf(appId), accessToken, userId, expiresAt: expiresIn > 0 ? now + expiresIn * 1000 : null };
}

/**
 * The implicit flow in the app's own sign-in window (the Platform port `catchSignInRedirect`,
 * Electron only): null when the user closed the window. The browser host has no such window, so
 * there the user opens `implicitAuthorizeUrl` and pastes the final address (`readImplicitRedirect`).
 */
export async function signInWithVkImplicit(options: {
  appId: string;
  catchSignInRedirect(startUrl: string, isFinal: (address: string) => boolean): Promise<string | null>;
  now(): number;
}): Promise<VkCredentials | null> {
  const address = await options.catchSignInRedirect(implicitAuthorizeUrl(options.appId), isImplicitRedirect);
  return address === null ? null : readImplicitRedirect(address, options.appId, options.now());
}

export interface VkUser {
  id: number;
  name: string;
}

export interface VkCommunity {
  id: number;
  name: string;
  screenName: string;
  photoUrl: string | null;
}

/** Who the token belongs to (users.get without ids: the token's own user). */
export async function readVkUser(http: VkHttp): Promise<VkUser> {
  const users = await vkCall<Array<{ id: number; first_name?: string; last_name?: string }>>(http, 'users.get', {});
  const me = Array.isArray(users) ? users[0] : undefined;
  if (!me) throw new ConnectorError('permanent', 'VK did not say who signed in.');
  return { id: me.id, name: [me.first_name, me.last_name].filter(Boolean).join(' ') };
}

/** A community the user manages, with their part in it (groups.get's admin_level: 3 admin, 2 editor, 1 moderator). */
export interface VkManagedCommunity extends VkCommunity {
  role: 'admin' | 'editor' | 'moderator';
}

/**
 * The communities this user may post to: groups.get with VK's "editor" filter, which already
 * means "administrator or editor" (dev.vk.com/method/groups.get), extended for names and roles.
 */
export async function listCommunities(http: VkHttp): Promise<VkManagedCommunity[]> {
  const page = await vkCall<{ items?: Array<{ id: number; name: string; screen_name?: string; photo_100?: string; admin_level?: number }> }>(http, 'groups.get', {
    filter: ['editor'],
    extended: true,
    count: 1000,
  });
  return (page.items ?? []).map((g) => ({
    id: g.id,
    name: g.name,
    screenName: g.screen_name ?? `club${g.id}`,
    photoUrl: g.photo_100 ?? null,
    role: g.admin_level === 3 ? 'admin' : g.admin_level === 1 ? 'moderator' : 'editor',
  }));
}

/**
 * One community, checked before it becomes an account: its name from groups.getById, and whether
 * this user may post there — asked of VK with photos.getWallUploadServer (nothing is created), so
 * a refusal carries VK's own reason (214 "Access to adding post denied", 15 …).
 */
export async function checkCommunity(http: VkHttp, groupId: number | string): Promise<VkCommunity> {
  const found = await vkCall<{ groups?: Array<{ id: number; name: string; screen_name?: string; photo_100?: string }> }>(http, 'groups.getById', {
    group_id: groupId,
  });
  const group = found.groups?.[0];
  if (!group) throw new ConnectorError('validation', `VK knows no community ${groupId}.`);
  await vkCall(http, 'photos.getWallUploadServer', { group_id: group.id });
  return { id: group.id, name: group.name, screenName: group.screen_name ?? `club${group.id}`, photoUrl: group.photo_100 ?? null };
}

function appIdOf(value: string): string {
  const text = value.trim();
  if (!/^\d{4,12}$/.test(text)) throw new ConnectorError('validation', 'The VK app id is the number shown in your app’s settings (ID приложения).');
  return text;
}
