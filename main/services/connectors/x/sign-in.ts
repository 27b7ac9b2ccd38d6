import { ConnectorError } from '../../../core/connector';
import { X_CLIENT_ID, X_REDIRECT_PORT, X_SCOPES } from '../../../core/networks/x';
import { openLoopbackListener, type BrowserSignInOptions } from '../../oauth/loopback';
import { isObject, isSuccess } from '../kit/http';
import { trimBaseUrl } from '../kit/urls';
import { rememberCredentials, tokenRequest, tokensOf, X_API_BASE_URL, X_AUTHORIZE_BASE_URL, xCall, xFailure, xWords, type XConfig, type XCredentials, type XEndpoint } from './api';

/**
 * Connecting an X account with the user's own X app, a public client ("Native App": no client
 * secret; CONTRACTS.md §9, xdevplatform/docs authorization-code.mdx):
 *
 * 1. x.com/i/oauth2/authorize in the system browser with response_type=code, the five scopes,
 *    state and a PKCE S256 challenge, back to the loopback listener on the fixed port the user
 *    registered as Callback URI (X compares it exactly; core/networks/x.ts).
 * 2. POST /2/oauth2/token (form: code, grant_type, client_id, redirect_uri, code_verifier) within the
 *    code's 30 s → a 2-hour token and, with offline.access, a refresh token.
 * 3. GET /2/users/me for the id and @handle.
 */

export interface XSignInOptions extends BrowserSignInOptions {
  clientId: string;
  /** api.x.com (tests: the fake, which serves the authorization window too). */
  apiBaseUrl?: string;
  /** Default X_REDIRECT_PORT; 0 lets the OS pick (tests). */
  port?: number;
}

export interface XUser {
  id: string;
  username: string;
  name: string;
}

export interface XSignIn {
  user: XUser;
  credentials: XCredentials;
  config: XConfig;
}

/** Where the authorization window lives for an API base: x.com, or the same loopback fake in tests. */
export function xAuthorizeBaseUrl(apiBaseUrl: string): string {
  return trimBaseUrl(apiBaseUrl) === X_API_BASE_URL ? X_AUTHORIZE_BASE_URL : trimBaseUrl(apiBaseUrl);
}

export function xClientIdOf(value: string): string {
  const text = value.trim();
  if (!X_CLIENT_ID.test(text)) throw new ConnectorError('validation', 'The X Client ID is shown under Keys and tokens › OAuth 2.0 Client ID and Client Secret in the X developer portal.');
  return text;
}

export async function signInWithX(options: XSignInOptions): Promise<XSignIn> {
  const clientId = xClientIdOf(options.clientId);
  const apiBaseUrl = trimBaseUrl(options.apiBaseUrl ?? X_API_BASE_URL);
  const now = options.now ?? Date.now;
  const endpoint: XEndpoint = { baseUrl: apiBaseUrl, fetch: options.fetch ?? fetch, now, signal: options.signal };
  const listener = await openLoopbackListener({
    port: options.port ?? X_REDIRECT_PORT,
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  try {
    const authorize = new URL(`${xAuthorizeBaseUrl(apiBaseUrl)}/i/oauth2/authorize`);
    authorize.searchParams.set('response_type', 'code');
    authorize.searchParams.set('client_id', clientId);
    authorize.searchParams.set('redirect_uri', listener.redirectUri);
    authorize.searchParams.set('scope', X_SCOPES.join(' '));
    authorize.searchParams.set('state', listener.state);
    authorize.searchParams.set('code_challenge', listener.pkce.challenge);
    authorize.searchParams.set('code_challenge_method', listener.pkce.method);
    const { code } = await listener.authorize(authorize.toString(), options.openExternal);

    const answer = await tokenRequest(
      endpoint,
      { code, grant_type: 'authorization_code', client_id: clientId, redirect_uri: listener.redirectUri, code_verifier: listener.pkce.verifier },
      { code, 'code-verifier': listener.pkce.verifier },
    );
    if (!isSuccess(answer.status)) {
      const said = xWords(answer.json);
      if (answer.status === 400 || answer.status === 401) {
        throw new ConnectorError('auth', `${said ?? 'X refused the sign-in'}: check the Client ID, that the app is a Native App (public client) and that its Callback URI is ${listener.redirectUri}, then sign in again.`, {
          status: answer.status,
          delivery: 'not_sent',
          ...(said ? { networkSaid: said } : {}),
        });
      }
      throw xFailure(answer, now()).notSent();
    }
    // Who signed in is known only from /2/users/me; the token is good for that call already.
    const unnamed = tokensOf(answer.json, clientId, '', now(), null);
    const me = await xCall(endpoint, unnamed, { method: 'GET', path: '/2/users/me' });
    if (!isSuccess(me.status)) throw xFailure(me, now()).notSent();
    const data = isObject(me.json) && isObject(me.json['data']) ? me.json['data'] : {};
    if (typeof data['id'] !== 'string' || typeof data['username'] !== 'string') throw new ConnectorError('permanent', 'X did not say who signed in.', { delivery: 'not_sent' });
    const user: XUser = { id: data['id'], username: data['username'], name: typeof data['name'] === 'string' ? data['name'] : data['username'] };
    const credentials: XCredentials = { ...unnamed, userId: user.id };
    rememberCredentials(credentials);
    return { user, credentials, config: { userId: user.id, username: user.username } };
  } finally {
    listener.close();
  }
}
