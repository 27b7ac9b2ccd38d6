import { ConnectorError, type ConnectorContext } from '../../../core/connector';
import { GRAPH_BASE_URL, type GraphHttp } from '../meta/graph';
import { readFacebookSecret, type FacebookCredentials } from '../facebook/api';

/**
 * What the Instagram connector and the accounts flow share (shared/networks/CONTRACTS.md §7):
 * an Instagram professional account linked to a Facebook Page, reached through Facebook Login on
 * graph.facebook.com with the Page's token (the Page token acts for the linked IG user).
 */

export const INSTAGRAM_API_BASE_URL = GRAPH_BASE_URL;

/** The keychain entry: the linked Page's sign-in, the same shape as a Facebook Page account's. */
export type InstagramCredentials = FacebookCredentials;

export interface InstagramConfig {
  /** The IG user id (the Page's `instagram_business_account.id`). */
  instagramAccountId: string;
  /** The Page it is linked to: its token signs every call, and the Page relay uploads there. */
  pageId: string;
  /** @username, without the "@". */
  username: string;
}

export type InstagramContext = ConnectorContext<InstagramCredentials, InstagramConfig>;

export function readInstagramSecret(secret: string): InstagramCredentials {
  try {
    return readFacebookSecret(secret);
  } catch {
    throw new ConnectorError('auth', 'The saved Instagram sign-in is unreadable; connect the account again.');
  }
}

export function instagramHttp(ctx: InstagramContext): GraphHttp {
  return {
    baseUrl: ctx.baseUrl,
    fetch: ctx.fetch,
    now: ctx.now,
    signal: ctx.signal,
    token: ctx.credentials.pageToken,
    appSecret: ctx.credentials.appSecret,
    name: 'Instagram',
  };
}
