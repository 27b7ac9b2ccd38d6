import { ConnectorError } from '../../../core/connector';
import { FACEBOOK_INSTAGRAM_SCOPES, FACEBOOK_REDIRECT_PORT, FACEBOOK_SCOPES } from '../../../core/networks/facebook';
import { openLoopbackListener, type BrowserSignInOptions } from '../../oauth/loopback';
import { trimBaseUrl } from '../kit/urls';
import { GRAPH_API_VERSION, GRAPH_BASE_URL, GraphApiError, graphCall, type GraphHttp } from '../meta/graph';
import type { FacebookCredentials } from './api';

/**
 * Connecting Facebook Pages with the user's own Meta app (Outpost ships no app and no secret;
 * CONTRACTS.md §0.1, §6). The app id comes from the accounts page and the secret from the
 * keychain (the caller reads it through the secrets port and hands it in; nothing here stores it):
 *
 * 1. Facebook Login in the system browser with the loopback redirect (RFC 8252,
 *    oauth/loopback.ts) on the fixed port the user registered (core/networks/facebook.ts):
 *    www.facebook.com/<ver>/dialog/oauth with response_type=code, state and PKCE S256
 *    (developers.facebook.com/documentation/facebook-login/guides/advanced/manual-flow; PKCE from
 *    ".../advanced/oidc-token", which Meta marks "still in testing" ⚠, so the secret is sent as well
 *    and the exchange holds either way). ⚠ The manual-flow guide speaks of a webview for desktop
 *    apps; whether Meta takes an http loopback address among "Valid OAuth Redirect URIs" is
 *    unconfirmed — if not, the Electron sign-in window catching the redirect is the fallback.
 * 2. The code for a short-lived user token: GET /<ver>/oauth/access_token with client_secret.
 * 3. That for a long-lived one (60 days): grant_type=fb_exchange_token
 *    (developers.facebook.com/docs/facebook-login/guides/access-tokens/get-long-lived).
 * 4. GET /me/accounts: each Page with its own token, which from a long-lived user token does not
 *    expire, and its linked Instagram professional account (for the Instagram connector later).
 *    The picker lists them the way VK's sign-in lists communities; each picked Page is an account
 *    whose keychain entry is `facebookPageCredentials` of it.
 */

export const FACEBOOK_DIALOG_BASE_URL = 'https://www.facebook.com';

export interface FacebookSignInOptions extends BrowserSignInOptions {
  appId: string;
  /** From the keychain; sent only to Meta's token endpoint, never kept here. */
  appSecret: string;
  /** Graph's base (tests: the fake, which also serves the login dialog). */
  apiBaseUrl?: string;
  /** Default FACEBOOK_REDIRECT_PORT; 0 lets the OS pick (tests). */
  port?: number;
  /** Ask for the Instagram permissions too (default true). */
  instagram?: boolean;
}

export interface FacebookUser {
  id: string;
  name: string;
}

/** A Page the user may publish to, with its token (a secret: it goes to the keychain, never the renderer). */
export interface FacebookPage {
  id: string;
  name: string;
  category: string | null;
  accessToken: string;
  /** The linked Instagram professional account, when there is one. */
  instagramAccountId: string | null;
  /** Its @username, without the "@". */
  instagramUsername: string | null;
  /** What the user may do on the Page (MANAGE, CREATE_CONTENT, MODERATE…); publishing needs CREATE_CONTENT or MANAGE. */
  tasks: string[];
}

/** The Page tasks that let the user publish as the Page (pages-api/overview, "Tasks"). */
export const FACEBOOK_PUBLISH_TASKS = ['MANAGE', 'CREATE_CONTENT'] as const;

export function canPublishOnPage(page: Pick<FacebookPage, 'tasks'>): boolean {
  return page.tasks.some((task) => (FACEBOOK_PUBLISH_TASKS as readonly string[]).includes(task));
}

export interface FacebookSignIn {
  user: FacebookUser;
  /** The long-lived user token (60 days) and when it ends; null when Meta named no end. */
  userToken: { accessToken: string; expiresAt: number | null };
  pages: FacebookPage[];
}

/** Where the login dialog lives for an API base: www.facebook.com, or the same loopback fake in tests. */
export function facebookDialogBaseUrl(apiBaseUrl: string): string {
  return trimBaseUrl(apiBaseUrl) === GRAPH_BASE_URL ? FACEBOOK_DIALOG_BASE_URL : trimBaseUrl(apiBaseUrl);
}

export async function signInWithFacebook(options: FacebookSignInOptions): Promise<FacebookSignIn> {
  const appId = facebookAppIdOf(options.appId);
  const appSecret = options.appSecret.trim();
  if (!appSecret) throw new ConnectorError('validation', 'The Meta app secret is missing; paste it from the app’s Settings › Basic.');
  const apiBaseUrl = trimBaseUrl(options.apiBaseUrl ?? GRAPH_BASE_URL);
  const now = options.now ?? Date.now;
  const endpoint = { baseUrl: apiBaseUrl, fetch: options.fetch ?? fetch, now, signal: options.signal };
  const port = options.port ?? (apiBaseUrl === GRAPH_BASE_URL ? FACEBOOK_REDIRECT_PORT : 0);
  const listener = await openLoopbackListener({
    port,
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  try {
    const authorize = new URL(`${facebookDialogBaseUrl(apiBaseUrl)}/${GRAPH_API_VERSION}/dialog/oauth`);
    authorize.searchParams.set('client_id', appId);
    authorize.searchParams.set('redirect_uri', listener.redirectUri);
    authorize.searchParams.set('state', listener.state);
    authorize.searchParams.set('response_type', 'code');
    authorize.searchParams.set('scope', [...FACEBOOK_SCOPES, ...(options.instagram === false ? [] : FACEBOOK_INSTAGRAM_SCOPES)].join(','));
    authorize.searchParams.set('code_challenge', listener.pkce.challenge);
    authorize.searchParams.set('code_challenge_method', 'S256');
    const { code } = await listener.authorize(authorize.toString(), options.openExternal);
    const short = await tokenCall(endpoint, appSecret, {
      client_id: appId,
      client_secret: appSecret,
      redirect_uri: listener.redirectUri,
      code,
      code_verifier: listener.pkce.verifier,
    });
    const long = await tokenCall(endpoint, appSecret, { grant_type: 'fb_exchange_token', client_id: appId, client_secret: appSecret, fb_exchange_token: short.accessToken });
    const http: GraphHttp = { ...endpoint, token: long.accessToken, appSecret, name: 'Facebook' };
    const user = await readFacebookUser(http);
    return { user, userToken: long, pages: await listPages(http) };
  } finally {
    listener.close();
  }
}

/** The keychain entry of one picked Page. */
export function facebookPageCredentials(signIn: Pick<FacebookSignIn, 'user'>, page: FacebookPage, app: { appId: string; appSecret: string }): FacebookCredentials {
  return { appId: app.appId, appSecret: app.appSecret, pageToken: page.accessToken, userId: signIn.user.id };
}

interface Endpoint {
  baseUrl: string;
  fetch: typeof fetch;
  now(): number;
  signal?: AbortSignal | undefined;
}

/** GET /oauth/access_token: the code, or a short-lived token, for a user token; secrets scrubbed from failures. */
async function tokenCall(endpoint: Endpoint, appSecret: string, params: Record<string, string>): Promise<{ accessToken: string; expiresAt: number | null }> {
  // No user token yet: the call carries only the app's credentials (graphCall wants a token to scrub; the secret is scrubbed as one).
  let answer: { access_token?: string; expires_in?: number };
  try {
    answer = await graphCall({ ...endpoint, token: appSecret, name: 'Facebook' }, { method: 'GET', path: '/oauth/access_token', params, bare: true, secrets: secretsOf(params) });
  } catch (error) {
    // Any Graph error here (a wrong secret comes as code 1, a spent code as 100) means the sign-in must start over.
    if (error instanceof GraphApiError && error.kind !== 'rate_limited') {
      throw new ConnectorError('auth', `${error.networkSaid ?? 'Facebook refused the sign-in'}: check the app id and secret, then sign in again.`, {
        ...(error.networkSaid ? { networkSaid: error.networkSaid } : {}),
        delivery: 'not_sent',
      });
    }
    throw error;
  }
  if (typeof answer.access_token !== 'string') throw new ConnectorError('permanent', 'Facebook answered the sign-in without a token.');
  return { accessToken: answer.access_token, expiresAt: typeof answer.expires_in === 'number' && answer.expires_in > 0 ? endpoint.now() + answer.expires_in * 1000 : null };
}

function secretsOf(params: Record<string, string>): Record<string, string> {
  const secrets: Record<string, string> = {};
  for (const name of ['code', 'code_verifier', 'fb_exchange_token']) if (params[name]) secrets[name] = params[name];
  return secrets;
}

export async function readFacebookUser(http: GraphHttp): Promise<FacebookUser> {
  const me = await graphCall<{ id?: string; name?: string }>(http, { method: 'GET', path: '/me', params: { fields: 'id,name' } });
  if (typeof me.id !== 'string') throw new ConnectorError('permanent', 'Facebook did not say who signed in.');
  return { id: me.id, name: me.name ?? '' };
}

/** The Pages this user granted the app, 100 a page (GET /me/accounts, following the `after` cursor). */
export async function listPages(http: GraphHttp): Promise<FacebookPage[]> {
  const pages: FacebookPage[] = [];
  let after: string | undefined;
  for (let round = 0; round < 10; round += 1) {
    const list = await graphCall<{
      data?: Array<{ id: string; name?: string; category?: string; access_token?: string; tasks?: string[]; instagram_business_account?: { id?: string; username?: string } }>;
      paging?: { cursors?: { after?: string }; next?: string };
    }>(http, { method: 'GET', path: '/me/accounts', params: { fields: 'id,name,category,access_token,tasks,instagram_business_account{id,username}', limit: 100, after } });
    for (const page of list.data ?? []) {
      // A Page without a token here is one the user cannot act on at all.
      if (typeof page.access_token !== 'string') continue;
      const instagram = page.instagram_business_account;
      pages.push({
        id: page.id,
        name: page.name ?? page.id,
        category: page.category ?? null,
        accessToken: page.access_token,
        instagramAccountId: instagram?.id ?? null,
        instagramUsername: instagram?.username ?? null,
        tasks: Array.isArray(page.tasks) ? page.tasks.filter((task): task is string => typeof task === 'string') : [],
      });
    }
    after = list.paging?.cursors?.after;
    if (!list.paging?.next || !after) break;
  }
  return pages;
}

export function facebookAppIdOf(value: string): string {
  const text = value.trim();
  if (!/^\d{5,20}$/.test(text)) throw new ConnectorError('validation', 'The Meta app id is the number shown at the top of your app’s dashboard (App ID).');
  return text;
}
