import { ConnectorError } from '../../../core/connector';
import { PINTEREST_APP_ID, PINTEREST_REDIRECT_PORT, PINTEREST_SCOPES } from '../../../core/networks/pinterest';
import { openLoopbackListener, type BrowserSignInOptions } from '../../oauth/loopback';
import { DEFAULT_CALL_TIMEOUT_MS, isObject } from '../kit/http';
import { PINTEREST_API_BASE_URL, PINTEREST_AUTHORIZE_URL, pinterestCall, pinterestJson, requestTokens, type PinterestContext, type PinterestCredentials } from './api';

/**
 * Connecting a Pinterest board with the user's own Pinterest app (Outpost ships no app):
 * - OAuth code flow in the system browser; the token endpoint takes HTTP Basic app id:secret and
 *   documents no PKCE (CONTRACTS.md §11), so the secret lives in the keychain with the tokens.
 * - The redirect goes to Outpost's loopback listener on a fixed port: Pinterest compares
 *   redirect_uri with the app's registered one exactly. The listener still checks `state`.
 * - After sign-in the user picks a board (GET /boards, bookmark paging) and, optionally, one of its
 *   sections (GET /boards/{id}/sections); the account is that board (+ section).
 */

export { PINTEREST_REDIRECT_PORT, PINTEREST_REDIRECT_URI, PINTEREST_SCOPES } from '../../../core/networks/pinterest';

export interface PinterestApp {
  appId: string;
  appSecret: string;
}

export interface PinterestSignInOptions extends BrowserSignInOptions {
  app: PinterestApp;
  requestTimeoutMs?: number;
  /** api.pinterest.com/v5, or a loopback fake. */
  apiBaseUrl?: string;
  /** The consent page, or a loopback fake's. */
  authorizeUrl?: string;
  /** Default PINTEREST_REDIRECT_PORT; tests pick a free one. */
  port?: number;
}

export interface PinterestSignIn {
  username: string;
  credentials: PinterestCredentials;
}

export interface PinterestBoard {
  id: string;
  name: string;
  /** Pinterest's privacy word (PUBLIC, PROTECTED, SECRET). */
  privacy: string;
  /** The board's owner; another user's: a group board the user collaborates on. */
  owner: string | null;
}

export interface PinterestSection {
  id: string;
  name: string;
}

export function checkPinterestApp(app: PinterestApp): PinterestApp {
  const trimmed = { appId: app.appId.trim(), appSecret: app.appSecret.trim() };
  if (!PINTEREST_APP_ID.test(trimmed.appId)) throw new ConnectorError('validation', 'The Pinterest app id is a number (App id on your app\'s page at developers.pinterest.com).');
  if (trimmed.appSecret === '') throw new ConnectorError('validation', 'Paste the Pinterest app secret key.');
  return trimmed;
}

/** Signs in through the browser; throws SignInError (browser side) or ConnectorError (Pinterest's answers). */
export async function signInToPinterest(options: PinterestSignInOptions): Promise<PinterestSignIn> {
  const app = checkPinterestApp(options.app);
  const now = options.now ?? Date.now;
  const fetcher = options.fetch ?? fetch;
  const apiBaseUrl = options.apiBaseUrl ?? PINTEREST_API_BASE_URL;
  const timeoutMs = options.requestTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS;
  const listener = await openLoopbackListener({
    port: options.port ?? PINTEREST_REDIRECT_PORT,
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  try {
    const authorize = new URL(options.authorizeUrl ?? PINTEREST_AUTHORIZE_URL);
    authorize.searchParams.set('client_id', app.appId);
    authorize.searchParams.set('redirect_uri', listener.redirectUri);
    authorize.searchParams.set('response_type', 'code');
    authorize.searchParams.set('scope', PINTEREST_SCOPES.join(','));
    authorize.searchParams.set('state', listener.state);
    const { code } = await listener.authorize(authorize.toString(), options.openExternal);

    const base = { baseUrl: apiBaseUrl, fetch: fetcher, now, ...(options.signal ? { signal: options.signal } : {}) };
    const tokens = await requestTokens(base, app, { grant_type: 'authorization_code', code, redirect_uri: listener.redirectUri }, undefined, timeoutMs);
    const session = { ...base, credentials: { ...app, ...tokens } };
    const me = pinterestJson(await pinterestCall(session, { path: '/user_account' }, timeoutMs), now());
    if (typeof me['username'] !== 'string' || me['username'] === '') throw new ConnectorError('permanent', 'Pinterest did not say who signed in.');
    return { username: me['username'], credentials: session.credentials };
  } finally {
    listener.close();
  }
}

type SignedIn = Pick<PinterestContext, 'baseUrl' | 'fetch' | 'now' | 'signal' | 'credentials' | 'saveCredentials'>;

/** Stops a runaway bookmark chain; 250 × 40 boards is more than any account has. */
const MAX_PAGES = 40;
const PAGE_SIZE = 250;

/** Every item of a bookmark-paged list ({items, bookmark}), following bookmarks until there is none. */
async function allPages(session: SignedIn, path: string, timeoutMs: number): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let bookmark: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const body = pinterestJson(await pinterestCall(session, { path, query: { page_size: String(PAGE_SIZE), ...(bookmark ? { bookmark } : {}) } }, timeoutMs), session.now());
    for (const item of Array.isArray(body['items']) ? body['items'] : []) if (isObject(item)) items.push(item);
    const next = typeof body['bookmark'] === 'string' && body['bookmark'] !== '' ? body['bookmark'] : undefined;
    if (!next || next === bookmark) break;
    bookmark = next;
  }
  return items;
}

/** The boards the user may pin to: their own and the group boards they collaborate on (GET /boards). */
export async function listPinterestBoards(session: SignedIn, timeoutMs = DEFAULT_CALL_TIMEOUT_MS): Promise<PinterestBoard[]> {
  const items = await allPages(session, '/boards', timeoutMs);
  return items.flatMap((item) =>
    typeof item['id'] === 'string' && typeof item['name'] === 'string'
      ? [{
          id: item['id'],
          name: item['name'],
          privacy: typeof item['privacy'] === 'string' ? item['privacy'] : 'PUBLIC',
          owner: isObject(item['owner']) && typeof item['owner']['username'] === 'string' ? item['owner']['username'] : null,
        }]
      : [],
  );
}

/** A board's sections (GET /boards/{id}/sections). */
export async function listPinterestSections(session: SignedIn, boardId: string, timeoutMs = DEFAULT_CALL_TIMEOUT_MS): Promise<PinterestSection[]> {
  const items = await allPages(session, `/boards/${encodeURIComponent(boardId)}/sections`, timeoutMs);
  return items.flatMap((item) => (typeof item['id'] === 'string' && typeof item['name'] === 'string' ? [{ id: item['id'], name: item['name'] }] : []));
}

/** "123", "123/456" (board/section) as the picker hands them back; null when neither. */
export function pinterestBoardChoiceOf(input: string): { boardId: string; sectionId?: string } | null {
  const match = /^(\d+)(?:\/(\d+))?$/.exec(input.trim());
  if (!match) return null;
  return { boardId: match[1]!, ...(match[2] ? { sectionId: match[2] } : {}) };
}
