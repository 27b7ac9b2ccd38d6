import { ConnectorError } from '../../../core/connector';
import { LINKEDIN_CLIENT_ID, LINKEDIN_REDIRECT_PORT, linkedInScopes } from '../../../core/networks/linkedin';
import { openLoopbackListener, type BrowserSignInOptions } from '../../oauth/loopback';
import { DEFAULT_CALL_TIMEOUT_MS, isObject } from '../kit/http';
import { trimBaseUrl } from '../kit/urls';
import { LINKEDIN_API_BASE_URL, linkedInCall, linkedInJson, linkedInOAuthBase, requestTokens, restliKey, type LinkedInConfig, type LinkedInCredentials, type LinkedInSession } from './api';

/**
 * Connecting LinkedIn with the user's own LinkedIn app (Outpost ships none):
 * - The standard 3-legged code flow (authorization-code-flow): www.linkedin.com/oauth/v2/authorization
 *   in the system browser, back to the loopback listener on the fixed port the user registered
 *   (LinkedIn compares redirect_uri exactly), `state` checked by the listener; then
 *   POST /oauth/v2/accessToken with client_id and client_secret. LinkedIn's PKCE flow exists only
 *   for apps it enables by request (authorization-code-flow-native, CONTRACTS.md §0), so the
 *   secret is what works for everyone; it lives in the keychain with the tokens.
 * - Who signed in: GET /v2/userinfo (OpenID Connect `sub`, `name`).
 * - With pages: the organizations the member administers, from GET /rest/organizationAcls
 *   ?q=roleAssignee&state=APPROVED (ADMINISTRATOR or CONTENT_ADMINISTRATOR may post), each named
 *   by GET /rest/organizations/{id}. The user picks the member or pages; each becomes an account.
 */

export { LINKEDIN_REDIRECT_PORT, LINKEDIN_REDIRECT_URI } from '../../../core/networks/linkedin';

export interface LinkedInApp {
  clientId: string;
  clientSecret: string;
}

export interface LinkedInSignInOptions extends BrowserSignInOptions {
  app: LinkedInApp;
  /** Ask for the page scopes too (the app has the Community Management API product). */
  pages: boolean;
  requestTimeoutMs?: number;
  /** api.linkedin.com, or a loopback fake (which serves the OAuth pages too). */
  apiBaseUrl?: string;
  /** Default LINKEDIN_REDIRECT_PORT; tests pick a free one (0). */
  port?: number;
}

export interface LinkedInSignIn {
  member: { id: string; name: string };
  credentials: LinkedInCredentials;
}

/** An author the member may post as: themself, or a page they administer. */
export interface LinkedInAuthor extends LinkedInConfig {
  kind: 'member' | 'organization';
  /** ADMINISTRATOR, CONTENT_ADMINISTRATOR; the member's own: MEMBER. */
  role: string;
}

/** Page roles that may post as the page (organization-access-control-by-role). */
const POSTING_ROLES = new Set(['ADMINISTRATOR', 'CONTENT_ADMINISTRATOR']);

export function checkLinkedInApp(app: LinkedInApp): LinkedInApp {
  const trimmed = { clientId: app.clientId.trim(), clientSecret: app.clientSecret.trim() };
  if (!LINKEDIN_CLIENT_ID.test(trimmed.clientId)) throw new ConnectorError('validation', 'The LinkedIn Client ID is letters and digits (Auth tab of your app at linkedin.com/developers).');
  if (trimmed.clientSecret === '') throw new ConnectorError('validation', 'Paste the LinkedIn app\'s Primary Client Secret.');
  return trimmed;
}

/** Signs in through the browser; throws SignInError (browser side) or ConnectorError (LinkedIn's answers). */
export async function signInToLinkedIn(options: LinkedInSignInOptions): Promise<LinkedInSignIn> {
  const app = checkLinkedInApp(options.app);
  const now = options.now ?? Date.now;
  const apiBaseUrl = trimBaseUrl(options.apiBaseUrl ?? LINKEDIN_API_BASE_URL);
  const timeoutMs = options.requestTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS;
  const listener = await openLoopbackListener({
    port: options.port ?? LINKEDIN_REDIRECT_PORT,
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  try {
    const authorize = new URL(`${linkedInOAuthBase(apiBaseUrl)}/oauth/v2/authorization`);
    authorize.searchParams.set('response_type', 'code');
    authorize.searchParams.set('client_id', app.clientId);
    authorize.searchParams.set('redirect_uri', listener.redirectUri);
    authorize.searchParams.set('state', listener.state);
    authorize.searchParams.set('scope', linkedInScopes(options.pages).join(' '));
    const { code } = await listener.authorize(authorize.toString(), options.openExternal);

    const endpoint = { baseUrl: apiBaseUrl, fetch: options.fetch ?? fetch, now, ...(options.signal ? { signal: options.signal } : {}) };
    const tokens = await requestTokens(endpoint, app, { grant_type: 'authorization_code', code, redirect_uri: listener.redirectUri }, null, timeoutMs);
    const session: LinkedInSession = { ...endpoint, credentials: { ...app, ...tokens, memberId: '' } };
    const member = await readLinkedInMember(session, timeoutMs);
    return { member, credentials: { ...session.credentials, memberId: member.id } };
  } finally {
    listener.close();
  }
}

/** Who signed in (OpenID Connect userinfo: `sub`, `name`). */
export async function readLinkedInMember(session: LinkedInSession, timeoutMs = DEFAULT_CALL_TIMEOUT_MS): Promise<{ id: string; name: string }> {
  const me = linkedInJson(await linkedInCall(session, { path: '/v2/userinfo' }, timeoutMs), session.now());
  if (typeof me['sub'] !== 'string' || me['sub'] === '') throw new ConnectorError('permanent', 'LinkedIn did not say who signed in.', { delivery: 'not_sent' });
  const parts = [me['given_name'], me['family_name']].filter((p): p is string => typeof p === 'string' && p !== '');
  return { id: me['sub'], name: typeof me['name'] === 'string' && me['name'] !== '' ? me['name'] : parts.join(' ') || me['sub'] };
}

/** The member themself, then every page they may post as (ACL paging followed to its end). */
export async function listLinkedInAuthors(session: LinkedInSession, member: { id: string; name: string }, pages: boolean, timeoutMs = DEFAULT_CALL_TIMEOUT_MS): Promise<LinkedInAuthor[]> {
  const authors: LinkedInAuthor[] = [{ kind: 'member', author: `urn:li:person:${member.id}`, name: member.name, role: 'MEMBER' }];
  if (!pages) return authors;
  const seen = new Set<string>();
  for (let start = 0, guard = 0; guard < 20; guard++) {
    const body = linkedInJson(await linkedInCall(session, { path: '/rest/organizationAcls', query: { q: 'roleAssignee', state: 'APPROVED', start: String(start), count: '100' } }, timeoutMs), session.now());
    const elements = (Array.isArray(body['elements']) ? body['elements'] : []).filter(isObject);
    for (const acl of elements) {
      const organization = acl['organization'];
      const role = acl['role'];
      if (typeof organization !== 'string' || typeof role !== 'string' || !POSTING_ROLES.has(role) || seen.has(organization)) continue;
      seen.add(organization);
      authors.push({ kind: 'organization', ...(await linkedInOrganization(session, organization, timeoutMs)), role });
    }
    start += elements.length;
    const total = isObject(body['paging']) ? Number(body['paging']['total']) : NaN;
    if (elements.length === 0 || !(Number.isFinite(total) && start < total)) break;
  }
  return authors;
}

/** A page's name and public address part (GET /rest/organizations/{id}). */
export async function linkedInOrganization(session: LinkedInSession, urn: string, timeoutMs = DEFAULT_CALL_TIMEOUT_MS): Promise<LinkedInConfig> {
  const id = /^urn:li:organization:(\d+)$/.exec(urn)?.[1];
  if (!id) throw new ConnectorError('validation', `"${urn}" is not a LinkedIn page.`);
  const org = linkedInJson(await linkedInCall(session, { path: `/rest/organizations/${restliKey(id)}` }, timeoutMs), session.now());
  const name = typeof org['localizedName'] === 'string' && org['localizedName'] !== '' ? org['localizedName'] : `Page ${id}`;
  return { author: urn, name, ...(typeof org['vanityName'] === 'string' && org['vanityName'] !== '' ? { vanityName: org['vanityName'] } : {}) };
}
