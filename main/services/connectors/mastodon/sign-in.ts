import { ConnectorError } from '../../../core/connector';
import { openLoopbackListener, type BrowserSignInOptions } from '../../oauth/loopback';
import { DEFAULT_CALL_TIMEOUT_MS, isObject } from '../kit/http';
import { normalizeServerUrl } from '../kit/urls';
import { mastodonHttp, readInstance, send, unexpected, type MastodonConfig, type MastodonContext, type MastodonCredentials } from './api';

/**
 * Connecting a Mastodon account, beside the publish connector: app registration and the OAuth
 * sign-in in the system browser (RFC 8252, oauth/loopback.ts), and revoking the token when the
 * account is removed. What it produces (config, the keychain secret) is what the connector reads.
 */

export const MASTODON_SCOPES = 'read:accounts read:statuses write:statuses write:media';

export interface MastodonSignInOptions extends BrowserSignInOptions {
  /** "mastodon.social", "https://mastodon.social/" or "@me@mastodon.social". */
  instance: string;
  requestTimeoutMs?: number;
  /** Ask the instance to show its login form even when the browser is signed in (a second account). */
  forceLogin?: boolean;
}

export interface MastodonSignIn {
  /** https://instance, no trailing slash: the account's ConnectorContext.baseUrl. */
  baseUrl: string;
  account: { id: string; acct: string; username: string; displayName: string; url: string };
  /** Non-secret: goes to SQLite. */
  config: MastodonConfig;
  /** The one keychain secret (JSON of MastodonCredentials); never in SQLite or logs. */
  secret: string;
  /** Whether the code exchange was bound with PKCE (false only on servers older than 4.3). */
  pkce: boolean;
}

/**
 * Signs in to any instance (RFC 8252): registers Outpost as an app for this loopback URL,
 * opens the system browser on /oauth/authorize with PKCE S256 and a state, exchanges the code,
 * then reads the account and the instance's limits. Throws SignInError (browser side: timeout,
 * denied, cancelled) or ConnectorError (HTTP side).
 *
 * PKCE is used whenever /.well-known/oauth-authorization-server offers S256 (Mastodon 4.3+).
 * An older server (404 there) still gets the plain code flow: the client secret was created for
 * this install a moment ago and never leaves it, so an intercepted code is useless on its own.
 */
export async function signInToMastodon(options: MastodonSignInOptions): Promise<MastodonSignIn> {
  const baseUrl = normalizeInstanceUrl(options.instance);
  const http = mastodonHttp(
    { baseUrl, fetch: options.fetch ?? fetch, now: options.now ?? Date.now, signal: options.signal },
    options.requestTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS,
  );

  const metadata = await send(http, 'GET', '/.well-known/oauth-authorization-server', { accept: [404] });
  const methods = isObject(metadata.body) ? metadata.body.code_challenge_methods_supported : undefined;
  const pkce = metadata.status === 200 && Array.isArray(methods) && methods.includes('S256');

  const listener = await openLoopbackListener({
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  try {
    const app = await send(http, 'POST', '/api/v1/apps', {
      // A string, not an array: servers before 4.3 accept only that form.
      json: { client_name: 'Outpost', redirect_uris: listener.redirectUri, scopes: MASTODON_SCOPES },
    });
    const clientId = isObject(app.body) ? app.body.client_id : undefined;
    const clientSecret = isObject(app.body) ? app.body.client_secret : undefined;
    if (typeof clientId !== 'string' || typeof clientSecret !== 'string') throw unexpected('no client_id in the app registration');

    const authorize = new URL(`${baseUrl}/oauth/authorize`);
    authorize.searchParams.set('response_type', 'code');
    authorize.searchParams.set('client_id', clientId);
    authorize.searchParams.set('redirect_uri', listener.redirectUri);
    authorize.searchParams.set('scope', MASTODON_SCOPES);
    authorize.searchParams.set('state', listener.state);
    if (pkce) {
      authorize.searchParams.set('code_challenge', listener.pkce.challenge);
      authorize.searchParams.set('code_challenge_method', listener.pkce.method);
    }
    if (options.forceLogin) authorize.searchParams.set('force_login', 'true');

    const { code } = await listener.authorize(authorize.toString(), options.openExternal);

    const form: Record<string, string> = {
      grant_type: 'authorization_code',
      code,
      client_id: clientId,
      client_secret: clientSecret,
      redirect_uri: listener.redirectUri,
      scope: MASTODON_SCOPES,
    };
    if (pkce) form.code_verifier = listener.pkce.verifier;
    const token = await send(http, 'POST', '/oauth/token', { form });
    const accessToken = isObject(token.body) ? token.body.access_token : undefined;
    if (typeof accessToken !== 'string' || !accessToken) throw unexpected('no access_token');
    const granted = isObject(token.body) && typeof token.body.scope === 'string' ? token.body.scope.split(/\s+/) : undefined;
    if (granted && !['write:statuses', 'write:media'].every((scope) => granted.includes(scope) || granted.includes('write'))) {
      throw new ConnectorError('auth', 'The server did not grant permission to post; connect the account again.');
    }

    const authed = { ...http, token: accessToken };
    const me = (await send(authed, 'GET', '/api/v1/accounts/verify_credentials')).body;
    if (!isObject(me) || typeof me.id !== 'string' || typeof me.username !== 'string') throw unexpected('no account');
    const instance = await readInstance(authed);
    const domain = instance.domain ?? new URL(baseUrl).host;
    const acct = typeof me.acct === 'string' && me.acct.includes('@') ? me.acct : `${me.username}@${domain}`;
    const account = {
      id: me.id,
      acct,
      username: me.username,
      displayName: typeof me.display_name === 'string' && me.display_name ? me.display_name : me.username,
      url: typeof me.url === 'string' ? me.url : `${baseUrl}/@${me.username}`,
    };
    const credentials: MastodonCredentials = { clientId, clientSecret, accessToken };
    return {
      baseUrl,
      account,
      config: { accountId: account.id, acct, url: account.url, limits: instance.limits },
      secret: JSON.stringify(credentials),
      pkce,
    };
  } finally {
    listener.close();
  }
}


/** https://host of an instance the user named ("mastodon.social", "https://mastodon.social/about", "@me@mastodon.social"). */
export function normalizeInstanceUrl(instance: string): string {
  const handle = /^@?[^@\s/]+@([^@\s/]+)$/.exec(instance.trim());
  return normalizeServerUrl(handle ? handle[1]! : instance, { originOnly: true });
}

/** Revokes the token on the server when the user removes the account (RFC 7009: an unknown token is no error). */
export async function revokeMastodonToken(ctx: Pick<MastodonContext, 'baseUrl' | 'fetch' | 'now' | 'signal' | 'credentials'>, requestTimeoutMs = DEFAULT_CALL_TIMEOUT_MS): Promise<void> {
  const { clientId, clientSecret, accessToken } = ctx.credentials;
  await send(mastodonHttp(ctx, requestTimeoutMs), 'POST', '/oauth/revoke', { form: { client_id: clientId, client_secret: clientSecret, token: accessToken } });
}
