import { ConnectorError } from '../../../core/connector';
import { OK_REDIRECT_PORT } from '../../../core/networks/ok';
import { openLoopbackListener, type BrowserSignInOptions } from '../../oauth/loopback';
import { DEFAULT_CALL_TIMEOUT_MS, isObject } from '../kit/http';
import { OK_API_BASE_URL, OK_CONNECT_BASE_URL, okCall, requestTokens, type OkConfig, type OkContext, type OkCredentials } from './api';

/**
 * Connecting an OK group with the user's own OK app (Outpost ships no OK app): OAuth in the
 * system browser (apiok.ru/ext/oauth/server), then the groups the user manages.
 *
 * - The code flow with the app's secret key (kept in the keychain): OK documents no PKCE, and the
 *   token endpoint needs client_secret. Tokens: access 30 minutes, refresh 30 days (the same page).
 * - The redirect goes to Outpost's loopback listener. OK compares redirect_uri character for
 *   character with one registered in the app (the query aside), so the port is fixed, and the
 *   user registers OK_REDIRECT_URI in the app's settings (the accounts page says so). The listener
 *   still checks `state`.
 * - A group can be connected when the user's role there lets them publish: ADMIN, MODERATOR,
 *   EDITOR or SUPER_MODERATOR (apiok.ru/dev/methods/rest/group/group.getUserGroupsByIds); any
 *   other membership is refused with OK's own status and role.
 */

/** VALUABLE_ACCESS for group.getInfo, PHOTO_CONTENT for photosV2, GROUP_CONTENT for group topics. */
export const OK_SCOPES = ['VALUABLE_ACCESS', 'PHOTO_CONTENT', 'GROUP_CONTENT'] as const;
export { OK_REDIRECT_PORT, OK_REDIRECT_URI } from '../../../core/networks/ok';

const POSTING_ROLES = new Set(['ADMIN', 'MODERATOR', 'EDITOR', 'SUPER_MODERATOR']);

/** What the user pastes from their OK app's settings. */
export interface OkApp {
  applicationId: string;
  applicationKey: string;
  applicationSecretKey: string;
}

export interface OkSignInOptions extends BrowserSignInOptions {
  app: OkApp;
  requestTimeoutMs?: number;
  /** api.ok.ru, or a loopback fake. */
  apiBaseUrl?: string;
  /** connect.ok.ru (the consent page), or a loopback fake. */
  connectBaseUrl?: string;
  /** Default OK_REDIRECT_PORT; tests pick a free one. */
  port?: number;
}

export interface OkSignIn {
  user: { uid: string; name: string };
  /** The one keychain secret's content. */
  credentials: OkCredentials;
}

export interface OkGroupChoice {
  groupId: string;
  name: string;
  canPost: boolean;
  /** OK's own words for the membership: its status and role ("ACTIVE, ANALYST"). */
  membership: string;
}

/** Signs in through the browser; throws SignInError (browser side) or ConnectorError (OK's answers). */
export async function signInToOk(options: OkSignInOptions): Promise<OkSignIn> {
  const app = checkApp(options.app);
  const now = options.now ?? Date.now;
  const fetcher = options.fetch ?? fetch;
  const apiBaseUrl = options.apiBaseUrl ?? OK_API_BASE_URL;
  const requestTimeoutMs = options.requestTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS;
  const listener = await openLoopbackListener({
    port: options.port ?? OK_REDIRECT_PORT,
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  try {
    const authorize = new URL(`${options.connectBaseUrl ?? OK_CONNECT_BASE_URL}/oauth/authorize`);
    authorize.searchParams.set('client_id', app.applicationId);
    authorize.searchParams.set('scope', OK_SCOPES.join(';'));
    authorize.searchParams.set('response_type', 'code');
    authorize.searchParams.set('redirect_uri', listener.redirectUri);
    authorize.searchParams.set('layout', 'w');
    authorize.searchParams.set('state', listener.state);
    const { code } = await listener.authorize(authorize.toString(), options.openExternal);

    const base = { baseUrl: apiBaseUrl, fetch: fetcher, now, ...(options.signal ? { signal: options.signal } : {}) };
    const tokens = await requestTokens(base, app, {
      code,
      client_id: app.applicationId,
      client_secret: app.applicationSecretKey,
      redirect_uri: listener.redirectUri,
      grant_type: 'authorization_code',
    }, requestTimeoutMs);
    const credentials: OkCredentials = { ...app, ...tokens };
    const ctx: OkContext = { ...base, credentials, config: { groupId: '', groupName: '', userId: '' } };
    const me = await okCall<unknown>(ctx, 'users.getCurrentUser', { fields: 'uid,name' }, requestTimeoutMs);
    if (!isObject(me) || (typeof me.uid !== 'string' && typeof me.uid !== 'number')) throw new ConnectorError('permanent', 'OK did not say who signed in.');
    return { user: { uid: String(me.uid), name: typeof me.name === 'string' ? me.name : String(me.uid) }, credentials: ctx.credentials };
  } finally {
    listener.close();
  }
}

function checkApp(app: OkApp): OkApp {
  const trimmed = { applicationId: app.applicationId.trim(), applicationKey: app.applicationKey.trim(), applicationSecretKey: app.applicationSecretKey.trim() };
  if (!/^\d+$/.test(trimmed.applicationId)) throw new ConnectorError('validation', 'The OK application id is a number (App ID in the app\'s settings).');
  if (trimmed.applicationKey === '' || trimmed.applicationSecretKey === '') throw new ConnectorError('validation', 'Paste both the public and the secret key of the OK app.');
  return trimmed;
}

/** "53038939046008", "ok.ru/group/53038939046008" or its https link → the group id; null when neither. */
export function okGroupIdOf(input: string): string | null {
  const text = input.trim();
  if (/^\d+$/.test(text)) return text;
  const link = /^(?:https?:\/\/)?(?:www\.|m\.)?ok\.ru\/group\/(\d+)(?:[/?#].*)?$/i.exec(text);
  return link ? link[1]! : null;
}

type SignedIn = Pick<OkContext, 'baseUrl' | 'fetch' | 'now' | 'signal' | 'credentials' | 'saveCredentials'>;

/** The group's name and the user's membership in it (group.getInfo + group.getUserGroupsByIds). */
export async function okGroupChoice(signedIn: SignedIn, uid: string, groupId: string, requestTimeoutMs = DEFAULT_CALL_TIMEOUT_MS): Promise<OkGroupChoice> {
  const ctx: OkContext = { ...signedIn, config: { groupId, groupName: '', userId: uid } };
  const info = await okCall<unknown>(ctx, 'group.getInfo', { uids: groupId, fields: 'uid,name' }, requestTimeoutMs);
  const group = (Array.isArray(info) ? info : []).find((g: unknown) => isObject(g) && String(g.uid) === groupId) as Record<string, unknown> | undefined;
  if (!group) throw new ConnectorError('validation', `OK has no group ${groupId} that this account can see.`);
  const answer = await okCall<unknown>(ctx, 'group.getUserGroupsByIds', { group_id: groupId, uids: uid }, requestTimeoutMs);
  // The pages show both a bare list and {memberships: […]}; either is read.
  const list = Array.isArray(answer) ? answer : isObject(answer) && Array.isArray(answer.memberships) ? answer.memberships : [];
  const mine = list.find((m: unknown) => isObject(m) && (m.userId === undefined || String(m.userId) === uid)) as Record<string, unknown> | undefined;
  const status = typeof mine?.status === 'string' ? mine.status : 'UNKNOWN';
  const role = typeof mine?.role === 'string' ? mine.role : undefined;
  const canPost = POSTING_ROLES.has(status) || (role !== undefined && POSTING_ROLES.has(role));
  const blockReason = typeof mine?.block_reason === 'string' && mine.block_reason !== '' ? `: ${mine.block_reason}` : '';
  return { groupId, name: typeof group.name === 'string' ? group.name : groupId, canPost, membership: `${[status, role].filter(Boolean).join(', ')}${blockReason}` };
}

/** A group the user may publish in, for the picker. */
export interface OkManagedGroup {
  groupId: string;
  name: string;
  role: 'admin' | 'editor' | 'moderator';
}

/** OK's membership status/role (a string, or a list on some pages) as one of the picker's three words; null: cannot post. */
function postingRole(status: unknown, role: unknown): OkManagedGroup['role'] | null {
  const words = [status, ...(Array.isArray(role) ? role : [role])].filter((w): w is string => typeof w === 'string');
  if (words.includes('ADMIN')) return 'admin';
  if (words.includes('EDITOR')) return 'editor';
  if (words.includes('MODERATOR') || words.includes('SUPER_MODERATOR')) return 'moderator';
  return null;
}

const GROUP_PAGES = 20;
const PAGE_SIZE = 100;

/**
 * The groups the user may publish in: group.getUserGroupsV2 pages through the session user's groups
 * with each membership's status and role (apiok.ru/dev/methods/rest/group/group.getUserGroupsV2:
 * {anchor, groups: [{groupId, userId, status, role, block_reason}]}), then one group.getInfo per
 * hundred for the names. Groups where the role does not allow posting are left out.
 */
export async function listOkGroups(signedIn: SignedIn, uid: string, requestTimeoutMs = DEFAULT_CALL_TIMEOUT_MS): Promise<OkManagedGroup[]> {
  const ctx: OkContext = { ...signedIn, config: { groupId: '', groupName: '', userId: uid } };
  const roles = new Map<string, OkManagedGroup['role']>();
  let anchor: string | undefined;
  for (let page = 0; page < GROUP_PAGES; page++) {
    const answer = await okCall<unknown>(ctx, 'group.getUserGroupsV2', { count: String(PAGE_SIZE), ...(anchor ? { anchor, direction: 'FORWARD' } : {}) }, requestTimeoutMs);
    const groups = isObject(answer) && Array.isArray(answer.groups) ? answer.groups : [];
    for (const g of groups) {
      if (!isObject(g) || g.groupId === undefined) continue;
      const role = postingRole(g.status, g.role);
      if (role) roles.set(String(g.groupId), role);
    }
    const next = isObject(answer) && typeof answer.anchor === 'string' ? answer.anchor : undefined;
    if (groups.length < PAGE_SIZE || !next || next === anchor) break;
    anchor = next;
  }
  const ids = [...roles.keys()];
  const names = new Map<string, string>();
  for (let i = 0; i < ids.length; i += PAGE_SIZE) {
    const info = await okCall<unknown>(ctx, 'group.getInfo', { uids: ids.slice(i, i + PAGE_SIZE).join(','), fields: 'uid,name' }, requestTimeoutMs);
    for (const g of Array.isArray(info) ? info : []) if (isObject(g) && typeof g.name === 'string') names.set(String(g.uid), g.name);
  }
  return ids.map((groupId) => ({ groupId, name: names.get(groupId) ?? groupId, role: roles.get(groupId)! }));
}

/** The account's config once a group is chosen; a group without posting rights is refused with OK's words. */
export function okGroupConfig(choice: OkGroupChoice, uid: string): OkConfig {
  if (!choice.canPost) {
    throw new ConnectorError('permanent', `${choice.membership}: you cannot publish in "${choice.name}"; ask its administrator to make you an editor or moderator.`, {
      networkSaid: choice.membership,
      delivery: 'not_sent',
    });
  }
  return { groupId: choice.groupId, groupName: choice.name, userId: uid };
}
