import { ConnectorError } from '../../../core/connector';
import { THREADS_REDIRECT_PORT, THREADS_SCOPES } from '../../../core/networks/threads';
import { openLoopbackListener, type BrowserSignInOptions } from '../../oauth/loopback';
import { trimBaseUrl } from '../kit/urls';
import { GraphApiError, graphCall } from '../meta/graph';
import { THREADS_API_BASE_URL, threadsHttp, tokenOf, type ThreadsConfig, type ThreadsCredentials, type ThreadsEndpoint, type TokenAnswer } from './api';

/**
 * Connecting a Threads account with the user's own Threads app (Outpost ships no app and no
 * secret; CONTRACTS.md §0.1, §10; developers.facebook.com/documentation/threads/get-started/get-access-tokens-and-permissions).
 * The app id comes from the accounts page and the secret from the keychain (the caller reads it
 * through the secrets port and hands it in; nothing here stores it):
 *
 * 1. The authorization window in the system browser, threads.net/oauth/authorize with
 *    response_type=code, scope and state, back to the loopback redirect (oauth/loopback.ts) on the
 *    fixed port the user registered (core/networks/threads.ts). ⚠ Threads documents no PKCE, so
 *    none is sent: the secret guards the code exchange.
 * 2. POST /oauth/access_token (form body, so the secret is in no URL) → a 1 h token and user_id.
 * 3. GET /access_token?grant_type=th_exchange_token&client_secret → 60 days. ⚠ Meta documents only
 *    GET for this one, so the secret rides in that query string (to Meta over https, scrubbed from every failure).
 * 4. GET /v1.0/me for the handle. The connector refreshes the token later (api.ts freshCredentials).
 */

export const THREADS_AUTHORIZE_BASE_URL = 'https://threads.net';

export interface ThreadsSignInOptions extends BrowserSignInOptions {
  appId: string;
  /** From the keychain; sent only to Threads' token endpoints, never kept here. */
  appSecret: string;
  /** graph.threads.net (tests: the fake, which serves the authorization window too). */
  apiBaseUrl?: string;
  /** Default THREADS_REDIRECT_PORT; 0 lets the OS pick (tests). */
  port?: number;
}

export interface ThreadsUser {
  id: string;
  username: string;
  name: string;
}

export interface ThreadsSignIn {
  user: ThreadsUser;
  /** The keychain entry of the account (no app secret in it). */
  credentials: ThreadsCredentials;
  config: ThreadsConfig;
}

/** Where the authorization window lives for an API base: threads.net, or the same loopback fake in tests. */
export function threadsAuthorizeBaseUrl(apiBaseUrl: string): string {
  return trimBaseUrl(apiBaseUrl) === THREADS_API_BASE_URL ? THREADS_AUTHORIZE_BASE_URL : trimBaseUrl(apiBaseUrl);
}

export async function signInWithThreads(options: ThreadsSignInOptions): Promise<ThreadsSignIn> {
  const appId = threadsAppIdOf(options.appId);
  const appSecret = options.appSecret.trim();
  if (!appSecret) throw new ConnectorError('validation', 'The Threads app secret is missing; paste it from App settings › Basic (Threads app secret).');
  const apiBaseUrl = trimBaseUrl(options.apiBaseUrl ?? THREADS_API_BASE_URL);
  const now = options.now ?? Date.now;
  const endpoint: ThreadsEndpoint = { baseUrl: apiBaseUrl, fetch: options.fetch ?? fetch, now, signal: options.signal };
  const listener = await openLoopbackListener({
    port: options.port ?? (apiBaseUrl === THREADS_API_BASE_URL ? THREADS_REDIRECT_PORT : 0),
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  try {
    const authorize = new URL(`${threadsAuthorizeBaseUrl(apiBaseUrl)}/oauth/authorize`);
    authorize.searchParams.set('client_id', appId);
    authorize.searchParams.set('redirect_uri', listener.redirectUri);
    authorize.searchParams.set('scope', THREADS_SCOPES.join(','));
    authorize.searchParams.set('response_type', 'code');
    authorize.searchParams.set('state', listener.state);
    const { code } = await listener.authorize(authorize.toString(), options.openExternal);
    const short = await tokenCall(endpoint, appSecret, code, {
      method: 'POST',
      path: '/oauth/access_token',
      params: { client_id: appId, client_secret: appSecret, code, grant_type: 'authorization_code', redirect_uri: listener.redirectUri },
    });
    const long = await tokenCall(endpoint, short.accessToken, code, { method: 'GET', path: '/access_token', params: { grant_type: 'th_exchange_token', client_secret: appSecret } }, appSecret);
    const me = await graphCall<{ id?: string; username?: string; name?: string }>(threadsHttp(endpoint, long.accessToken), { method: 'GET', path: '/me', params: { fields: 'id,username,name' } });
    if (typeof me.id !== 'string') throw new ConnectorError('permanent', 'Threads did not say who signed in.');
    const user = { id: me.id, username: me.username ?? '', name: me.name ?? '' };
    return {
      user,
      credentials: { appId, accessToken: long.accessToken, expiresAt: long.expiresAt, issuedAt: now(), userId: user.id },
      config: { userId: user.id, username: user.username },
    };
  } finally {
    listener.close();
  }
}

/**
 * One token exchange. `token` is the call's own token (the short-lived one for th_exchange_token;
 * for the code exchange, which carries none, the secret stands in so it is scrubbed like one).
 */
async function tokenCall(
  endpoint: ThreadsEndpoint,
  token: string,
  code: string,
  call: { method: 'GET' | 'POST'; path: string; params: Record<string, string> },
  appSecret?: string,
): Promise<TokenAnswer> {
  const bare = call.path === '/oauth/access_token';
  try {
    const answer = await graphCall<{ access_token?: string; expires_in?: number }>(threadsHttp(endpoint, token, ''), {
      ...call,
      bare,
      secrets: { code, ...(appSecret ? { 'app-secret': appSecret } : {}) },
    });
    return tokenOf(answer, endpoint.now());
  } catch (error) {
    // Any Graph error here (a wrong secret, a spent code) means the sign-in must start over.
    if (error instanceof GraphApiError && error.kind !== 'rate_limited') {
      throw new ConnectorError('auth', `${error.networkSaid ?? 'Threads refused the sign-in'}: check the Threads app id and secret, then sign in again.`, {
        ...(error.networkSaid ? { networkSaid: error.networkSaid } : {}),
        delivery: 'not_sent',
      });
    }
    throw error;
  }
}

export function threadsAppIdOf(value: string): string {
  const text = value.trim();
  if (!/^\d{5,20}$/.test(text)) throw new ConnectorError('validation', 'The Threads app id is the number shown under App settings › Basic (Threads app ID).');
  return text;
}
