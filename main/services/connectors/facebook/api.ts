import { ConnectorError, type ConnectorContext } from '../../../core/connector';
import { isObject, secretObject } from '../kit/http';
import { GRAPH_BASE_URL, type GraphHttp } from '../meta/graph';

/**
 * What the Facebook Pages connector and its sign-in share (shared/networks/CONTRACTS.md §6): the
 * account's secret (the Page token from the user's own Meta app, kept in the keychain) and its
 * non-secret settings (the Page, kept in SQLite).
 */

export const FACEBOOK_API_BASE_URL = GRAPH_BASE_URL;

/** The keychain entry of one Page account. */
export interface FacebookCredentials {
  /** The user's own Meta app (Outpost ships none). */
  appId: string;
  /** Its secret, for appsecret_proof on every call; absent only for entries written before it was kept. */
  appSecret?: string;
  /** A Page token from a long-lived user token: it does not expire (CONTRACTS.md §6), until a password change or a lost role. */
  pageToken: string;
  /** The Facebook user who signed in (app-scoped id). */
  userId?: string;
}

export interface FacebookConfig {
  pageId: string;
  name: string;
  /** The Page's linked Instagram professional account, kept for the Instagram connector. */
  instagramAccountId?: string | null;
}

export type FacebookContext = ConnectorContext<FacebookCredentials, FacebookConfig>;

export function readFacebookSecret(secret: string): FacebookCredentials {
  const value = secretObject(secret);
  if (isObject(value) && typeof value.appId === 'string' && typeof value.pageToken === 'string' && (value.appSecret === undefined || typeof value.appSecret === 'string')) {
    return value as unknown as FacebookCredentials;
  }
  throw new ConnectorError('auth', 'The saved Facebook sign-in is unreadable; connect the Page again.');
}

export function facebookHttp(ctx: FacebookContext): GraphHttp {
  return {
    baseUrl: ctx.baseUrl,
    fetch: ctx.fetch,
    now: ctx.now,
    signal: ctx.signal,
    token: ctx.credentials.pageToken,
    appSecret: ctx.credentials.appSecret,
    name: 'Facebook',
  };
}
