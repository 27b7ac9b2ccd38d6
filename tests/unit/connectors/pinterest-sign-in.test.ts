import { createServer, type AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConnectorError } from '../../../main/core/connector';
import { createPinterestConnector, type PinterestConfig, type PinterestCredentials } from '../../../main/services/connectors/pinterest';
import { listPinterestBoards, listPinterestSections, pinterestBoardChoiceOf, signInToPinterest, PINTEREST_SCOPES } from '../../../main/services/connectors/pinterest/sign-in';
import { type SignInError } from '../../../main/services/oauth/loopback';
import { startPinterestFake, type FakePinterestApp, type PinterestFake } from '../../fakes/pinterest-fake';

let clock: number;
let pinterest: PinterestFake;
let app: FakePinterestApp;
let port: number;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port: free } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return free;
}

beforeEach(async () => {
  clock = Date.UTC(2026, 11, 5, 9, 0, 0);
  pinterest = await startPinterestFake({ now: () => clock });
  port = await freePort();
  app = pinterest.addApp({ redirectUris: [`http://127.0.0.1:${port}/callback`] });
});

afterEach(async () => {
  await pinterest.close();
});

/** The browser: follows Pinterest's consent redirect back to the loopback listener. */
async function browser(url: string): Promise<void> {
  await fetch(url);
}

function signIn(overrides: Partial<Parameters<typeof signInToPinterest>[0]> = {}) {
  return signInToPinterest({
    app: { appId: app.id, appSecret: app.secret },
    openExternal: browser,
    now: () => clock,
    apiBaseUrl: pinterest.apiBaseUrl,
    authorizeUrl: pinterest.authorizeUrl,
    port,
    timeoutMs: 5000,
    ...overrides,
  });
}

function session(credentials: PinterestCredentials) {
  const saved: PinterestCredentials[] = [];
  const ctx = {
    baseUrl: pinterest.apiBaseUrl,
    fetch,
    now: () => clock,
    credentials,
    saveCredentials: async (renewed: PinterestCredentials) => void saved.push(renewed),
  };
  return { ctx, saved };
}

describe('Pinterest sign-in', () => {
  it('signs in with the code flow on the fixed loopback port, exchanging the code with HTTP Basic app id:secret', async () => {
    let opened = '';
    const signedIn = await signIn({ openExternal: async (url) => ((opened = url), browser(url)) });
    const asked = new URL(opened);
    expect(asked.searchParams.get('redirect_uri')).toBe(`http://127.0.0.1:${port}/callback`);
    expect(asked.searchParams.get('scope')).toBe(PINTEREST_SCOPES.join(','));
    expect(signedIn.username).toBe('bakery_lenina');
    expect(pinterest.basicAuth).toEqual([`${app.id}:${app.secret}`]);
    expect(signedIn.credentials).toMatchObject({ appId: app.id, appSecret: app.secret });
    expect(signedIn.credentials.accessExpiresAt).toBe(clock + 30 * 86_400_000);
    expect(signedIn.credentials.refreshExpiresAt).toBe(clock + 60 * 86_400_000);
    expect(pinterest.violations).toEqual([]);
  });

  it('says the user declined in the browser', async () => {
    pinterest.declineNextConsent();
    await expect(signIn()).rejects.toMatchObject({ code: 'denied' } satisfies Partial<SignInError>);
  });

  it('refuses a wrong app secret in Pinterest\'s words, as a sign-in to redo', async () => {
    const error = await signIn({ app: { appId: app.id, appSecret: 'wrong' } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectorError);
    expect(error).toMatchObject({ kind: 'auth', networkSaid: 'Authentication failed.' });
  });

  it('renews an access token before it ends and keeps the new continuous refresh token', async () => {
    const { credentials } = await signIn();
    const board = pinterest.addBoard();
    clock += 30 * 86_400_000 - 60_000;
    const { ctx, saved } = session(credentials);
    const boards = await listPinterestBoards(ctx);
    expect(boards.map((b) => b.id)).toEqual([board.id]);
    expect(saved).toHaveLength(1);
    expect(saved[0]!.refreshToken).not.toBe(credentials.refreshToken);
    expect(saved[0]!.accessExpiresAt).toBe(clock + 30 * 86_400_000);
    expect(pinterest.basicAuth.at(-1)).toBe(`${app.id}:${app.secret}`);
  });

  it('renews once when Pinterest refuses a token it ended early, and the call goes through', async () => {
    const { credentials } = await signIn();
    pinterest.addBoard();
    pinterest.expireAccessTokens();
    const { ctx, saved } = session(credentials);
    expect(await listPinterestBoards(ctx)).toHaveLength(1);
    expect(saved).toHaveLength(1);
  });

  it('asks for a reconnect with Pinterest\'s reason when the refresh token is refused', async () => {
    const { credentials } = await signIn();
    pinterest.expireAccessTokens();
    pinterest.revokeRefreshTokens();
    const board = pinterest.addBoard();
    const config: PinterestConfig = { boardId: board.id, boardName: board.name, username: 'bakery_lenina' };
    const error = await createPinterestConnector()
      .publish({ ...session(credentials).ctx, config }, { text: 'x', media: [{ fileName: 'a.png', mime: 'image/png', bytes: new Uint8Array([1, 2, 3]), alt: '' }], idempotencyKey: 'k' })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'auth', networkSaid: 'Invalid refresh token.', maybeSent: false });
    expect(pinterest.pins).toEqual([]);
  });
});

describe('Pinterest board picker', () => {
  it('follows bookmarks through every page of boards, group boards included', async () => {
    const { credentials } = await signIn();
    for (let i = 0; i < 260; i++) pinterest.addBoard({ name: `Board ${i}` });
    pinterest.addBoard({ name: 'Shared ideas', owner: 'client_anna' });
    const boards = await listPinterestBoards(session(credentials).ctx);
    expect(boards).toHaveLength(261);
    expect(boards.at(-1)).toMatchObject({ name: 'Shared ideas', owner: 'client_anna', privacy: 'PUBLIC' });
    const listed = pinterest.server.requests.filter((r) => r.path === '/v5/boards');
    expect(listed.map((r) => r.query.get('bookmark') !== null)).toEqual([false, true]);
  });

  it('lists a board\'s sections', async () => {
    const { credentials } = await signIn();
    const board = pinterest.addBoard({ sections: ['Salads', 'Soups'] });
    expect((await listPinterestSections(session(credentials).ctx, board.id)).map((s) => s.name)).toEqual(['Salads', 'Soups']);
  });

  it('reads the picker\'s board and board/section ids back', () => {
    expect(pinterestBoardChoiceOf('123')).toEqual({ boardId: '123' });
    expect(pinterestBoardChoiceOf('123/456')).toEqual({ boardId: '123', sectionId: '456' });
    expect(pinterestBoardChoiceOf('pinterest.com/x')).toBeNull();
  });
});
