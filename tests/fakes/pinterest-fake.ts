import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { fieldOf, fileOf, startFakeServer, type FakeRequest, type FakeResponse, type FakeServer, type NetworkAnswers } from './fake-server';
import { openApiValidator, type OpenApiDocument } from './validate/openapi';
import { SPECS_DIR, type RequestValidator, type SpecCheck } from './validate/spec';

/**
 * A loopback Pinterest API v5 (CONTRACTS.md §11), every /v5 request checked against Pinterest's own
 * OpenAPI document (specs/pinterest-v5-openapi.yaml, pinterest/api-description, read with js-yaml)
 * with Ajv. Routes:
 * - GET  /oauth/                   the consent page: redirects at once to redirect_uri with ?code&state
 *                                  (the redirect_uri must be one the app registered, exactly).
 * - POST /v5/oauth/token           HTTP Basic app id:secret; authorization_code and refresh_token
 *                                  (continuous refresh: a new refresh token each time).
 * - GET  /v5/user_account, /v5/boards, /v5/boards/{id}, /v5/boards/{id}/sections[/{id}/pins], /v5/boards/{id}/pins (bookmark paging).
 * - POST /v5/pins, DELETE /v5/pins/{id}; POST /v5/media, GET /v5/media/{id}.
 * - POST /upload/{media_id}        the S3-style upload_url: every upload_parameters field, then `file`.
 * Errors are Pinterest.Lib.Error {code, message}; faults (429 with x-ratelimit-*, 5xx before or
 * after handling, lost answers, expired tokens) through `server.faults` and the switches below.
 */

export interface FakePinterestApp {
  id: string;
  secret: string;
  redirectUris: string[];
}

export interface FakePinterestBoard {
  id: string;
  name: string;
  owner: string;
  privacy: 'PUBLIC' | 'PROTECTED' | 'SECRET';
  sections: Array<{ id: string; name: string }>;
}

export interface FakePin {
  id: string;
  boardId: string;
  sectionId: string | null;
  title: string | null;
  description: string | null;
  link: string | null;
  altText: string | null;
  /** What the pin shows: image bytes (decoded from base64) or the video's media id. */
  media: { kind: 'image'; images: Array<{ contentType: string; bytes: number }> } | { kind: 'video'; mediaId: string };
  createdAt: number;
  deleted: boolean;
}

export interface FakePinterestMedia {
  id: string;
  status: 'registered' | 'processing' | 'succeeded' | 'failed';
  uploadParameters: Record<string, string>;
  uploadedBytes: number;
  /** GET /media/{id} answers `processing` this many times after the upload. */
  pollsLeft: number;
}

export interface PinterestFake {
  baseUrl: string;
  /** Where the connector's base URL points: `${baseUrl}/v5`. */
  apiBaseUrl: string;
  /** The consent page: `${baseUrl}/oauth/`. */
  authorizeUrl: string;
  server: FakeServer;
  pins: FakePin[];
  media: FakePinterestMedia[];
  violations: string[];
  /** Basic-auth headers the token endpoint received, decoded ("id:secret"). */
  basicAuth: string[];
  username: string;
  addApp(options?: { redirectUris?: string[] }): FakePinterestApp;
  addBoard(options?: { name?: string; owner?: string; privacy?: FakePinterestBoard['privacy']; sections?: string[] }): FakePinterestBoard;
  /** The next consent in the browser is declined (error=access_denied). */
  declineNextConsent(): void;
  /** Every access token issued so far stops working (401), as after its 30 days. */
  expireAccessTokens(): void;
  /** Every refresh token issued so far is refused (the user removed the app's access). */
  revokeRefreshTokens(): void;
  /** How long issued access tokens live (default 30 days). */
  accessLifetimeMs: number;
  /** How many status polls a new video stays `processing` (default 2); `failed` makes it fail. */
  videoProcessing: number | 'failed';
  /** The next `count` matching calls get a 429 asking for this wait. */
  rateLimitNext(retryAfterMs: number, count?: number, match?: (req: FakeRequest) => boolean): void;
  /** Live pins of a board, oldest first. */
  live(board: FakePinterestBoard): FakePin[];
  /** Issues tokens directly (for tests that start signed in). */
  tokensFor(app: FakePinterestApp): { accessToken: string; refreshToken: string };
  close(): Promise<void>;
}

let validator: RequestValidator | undefined;

function pinterestSpec(): RequestValidator {
  if (validator) return validator;
  const doc = load(readFileSync(join(SPECS_DIR, 'pinterest-v5-openapi.yaml'), 'utf8')) as OpenApiDocument;
  // Errata: the token body is chosen by a `discriminator` on grant_type, which Ajv does not follow;
  // spelled out as one branch per grant type (the mapping's own schemas), so `code` and
  // `refresh_token` are checked and declared.
  const mapped = (name: string, grant: string) => ({ allOf: [{ $ref: `#/components/schemas/${name}` }, { properties: { grant_type: { const: grant } } }] });
  const token = (doc.paths['/oauth/token']!['post'] as { requestBody: { content: Record<string, { schema: unknown }> } }).requestBody.content['application/x-www-form-urlencoded']!;
  token.schema = { anyOf: [mapped('OauthAccessTokenRequestCode', 'authorization_code'), mapped('OauthAccessTokenRequestRefresh', 'refresh_token')] };
  validator = openApiValidator(doc, { id: 'https://specs.outpost.test/pinterest-v5-openapi.yaml' });
  return validator;
}

/** The document's paths sit under the server URL https://api.pinterest.com/v5; the upload and consent pages are not in it. */
function apiValidator(): RequestValidator {
  const inner = pinterestSpec();
  return {
    warm: (operations) => inner.warm(operations),
    check(req: FakeRequest): SpecCheck {
      if (!req.path.startsWith('/v5/')) return { operation: undefined, path: {}, query: {}, body: undefined, violations: [] };
      return inner.check({ ...req, path: req.path.slice(3) });
    },
  };
}

const libError = (status: number, code: number, message: string): FakeResponse => ({ status, json: { code, message } });

const answers: NetworkAnswers = {
  rateLimited: (retryAfterMs) => ({
    status: 429,
    json: { code: 8, message: 'You have exceeded your rate limit. Try again later.' },
    headers: {
      'retry-after': String(Math.ceil(retryAfterMs / 1000)),
      'x-ratelimit-limit': '1000',
      'x-ratelimit-remaining': '0',
      'x-ratelimit-reset': String(Math.ceil(retryAfterMs / 1000)),
    },
  }),
  serverError: (status) =>
    status === 502
      ? { status, text: '<html><body><h1>502 Bad Gateway</h1></body></html>', headers: { 'content-type': 'text/html' } }
      : libError(status, 0, 'Internal error.'),
  refused: (messages) => libError(400, 1, `Invalid request: ${messages.join('; ')}`),
};

let sequence = 1_000;
const numericId = () => `${Date.now() % 1_000_000}${++sequence}`;

export async function startPinterestFake(options: { now?: () => number } = {}): Promise<PinterestFake> {
  const now = options.now ?? Date.now;
  const apps = new Map<string, FakePinterestApp>();
  const boards = new Map<string, FakePinterestBoard>();
  const codes = new Map<string, { app: FakePinterestApp; redirectUri: string; scope: string }>();
  const access = new Map<string, { app: FakePinterestApp; scope: string[]; expiresAt: number }>();
  const refresh = new Map<string, { app: FakePinterestApp; scope: string[]; expiresAt: number }>();
  const pins: FakePin[] = [];
  const media: FakePinterestMedia[] = [];
  const basicAuth: string[] = [];
  let declineConsent = false;

  const spec = apiValidator();
  spec.warm(['POST /pins', 'POST /media', 'GET /boards', 'POST /oauth/token']);
  const server = await startFakeServer(handle, { name: 'Pinterest fake', validator: spec, answers });

  const fake: PinterestFake = {
    baseUrl: server.baseUrl,
    apiBaseUrl: `${server.baseUrl}/v5`,
    authorizeUrl: `${server.baseUrl}/oauth/`,
    server,
    pins,
    media,
    violations: server.violations,
    basicAuth,
    username: 'bakery_lenina',
    accessLifetimeMs: 30 * 86_400_000,
    videoProcessing: 2,
    addApp(opts = {}) {
      const app: FakePinterestApp = { id: String(1_500_000 + ++sequence), secret: randomBytes(20).toString('hex'), redirectUris: opts.redirectUris ?? [] };
      apps.set(app.id, app);
      return app;
    },
    addBoard(opts = {}) {
      const board: FakePinterestBoard = {
        id: numericId(),
        name: opts.name ?? 'Summer recipes',
        owner: opts.owner ?? fake.username,
        privacy: opts.privacy ?? 'PUBLIC',
        sections: (opts.sections ?? []).map((name) => ({ id: numericId(), name })),
      };
      boards.set(board.id, board);
      return board;
    },
    declineNextConsent: () => void (declineConsent = true),
    expireAccessTokens() {
      for (const token of access.values()) token.expiresAt = now() - 1;
    },
    revokeRefreshTokens() {
      refresh.clear();
    },
    rateLimitNext(retryAfterMs, count = 1, match = (req) => req.method === 'POST' && req.path === '/v5/pins') {
      server.faults.next(server.fault({ kind: 'rate_limited', retryAfterMs }), count, match);
    },
    live: (board) => pins.filter((pin) => pin.boardId === board.id && !pin.deleted),
    tokensFor: (app) => issue(app, ['boards:read', 'boards:write', 'pins:read', 'pins:write', 'user_accounts:read']),
    close: () => server.close(),
  };

  function issue(app: FakePinterestApp, scope: string[]): { accessToken: string; refreshToken: string } {
    const accessToken = `pina_${randomBytes(24).toString('hex')}`;
    const refreshToken = `pinr_${randomBytes(24).toString('hex')}`;
    access.set(accessToken, { app, scope, expiresAt: now() + fake.accessLifetimeMs });
    refresh.set(refreshToken, { app, scope, expiresAt: now() + 60 * 86_400_000 });
    return { accessToken, refreshToken };
  }

  function tokenAnswer(tokens: { accessToken: string; refreshToken: string }, scope: string[], responseType: string): FakeResponse {
    return {
      status: 200,
      json: {
        access_token: tokens.accessToken,
        refresh_token: tokens.refreshToken,
        response_type: responseType,
        token_type: 'bearer',
        expires_in: Math.round(fake.accessLifetimeMs / 1000),
        refresh_token_expires_in: 60 * 86_400,
        refresh_token_expires_at: Math.round(now() / 1000) + 60 * 86_400,
        scope: scope.join(','),
      },
    };
  }

  function handle(req: FakeRequest): FakeResponse {
    if (req.method === 'GET' && req.path === '/oauth/') return authorize(req);
    if (req.method === 'POST' && req.path.startsWith('/upload/')) return upload(req);
    if (!req.path.startsWith('/v5/')) return libError(404, 0, 'Not found.');
    if (req.path === '/v5/oauth/token' && req.method === 'POST') return token(req);
    const refusal = server.refusal(req);
    if (refusal) return refusal;
    const auth = /^Bearer (.+)$/.exec(String(req.headers.authorization ?? ''));
    const grant = auth ? access.get(auth[1]!) : undefined;
    if (!grant || grant.expiresAt <= now()) return libError(401, 2, 'Authentication failed.');
    const needs = (...scopes: string[]) => scopes.filter((s) => !grant.scope.includes(s));
    const missing = (...scopes: string[]) => {
      const lacking = needs(...scopes);
      return lacking.length > 0 ? libError(403, 3, `Not authorized to access the user account: missing scope ${lacking.join(', ')}.`) : undefined;
    };
    const path = req.path.slice(3);
    let m: RegExpExecArray | null;
    if (req.method === 'GET' && path === '/user_account') {
      return missing('user_accounts:read') ?? { status: 200, json: { username: fake.username, account_type: 'BUSINESS', id: '549755813000' } };
    }
    if (req.method === 'GET' && path === '/boards') return missing('boards:read') ?? paged(req, [...boards.values()].map(boardJson));
    if (req.method === 'GET' && (m = /^\/boards\/(\d+)$/.exec(path))) {
      const board = boards.get(m[1]!);
      return missing('boards:read') ?? (board ? { status: 200, json: boardJson(board) } : libError(404, 40, 'Board not found.'));
    }
    if (req.method === 'GET' && (m = /^\/boards\/(\d+)\/sections$/.exec(path))) {
      const board = boards.get(m[1]!);
      if (!board) return libError(404, 40, 'Board not found.');
      return missing('boards:read') ?? paged(req, board.sections.map((s) => ({ id: s.id, name: s.name })));
    }
    if (req.method === 'GET' && (m = /^\/boards\/(\d+)\/pins$/.exec(path))) {
      const board = boards.get(m[1]!);
      if (!board) return libError(404, 40, 'Board not found.');
      // Newest first, as Pinterest lists a board.
      return missing('boards:read', 'pins:read') ?? paged(req, fake.live(board).reverse().map(pinJson));
    }
    if (req.method === 'GET' && (m = /^\/boards\/(\d+)\/sections\/(\d+)\/pins$/.exec(path))) {
      const board = boards.get(m[1]!);
      const sectionId = m[2]!;
      if (!board || !board.sections.some((s) => s.id === sectionId)) return libError(404, 40, 'Board section not found.');
      return missing('boards:read', 'pins:read') ?? paged(req, fake.live(board).filter((p) => p.sectionId === sectionId).reverse().map(pinJson));
    }
    if (req.method === 'POST' && path === '/pins') return missing('boards:write', 'pins:write') ?? createPin(req);
    if (req.method === 'DELETE' && (m = /^\/pins\/(\d+)$/.exec(path))) {
      const lacking = missing('boards:write', 'pins:write');
      if (lacking) return lacking;
      const pin = pins.find((p) => p.id === m![1] && !p.deleted);
      if (!pin) return libError(404, 50, 'Pin not found.');
      pin.deleted = true;
      return { status: 204 };
    }
    if (req.method === 'POST' && path === '/media') {
      const lacking = missing('pins:write');
      if (lacking) return lacking;
      const item: FakePinterestMedia = {
        id: numericId(),
        status: 'registered',
        uploadParameters: { 'x-amz-date': '20261206T000000Z', 'x-amz-signature': randomBytes(16).toString('hex'), key: `uploads/fake/${sequence}`, policy: randomBytes(12).toString('base64'), 'Content-Type': 'multipart/form-data' },
        uploadedBytes: 0,
        pollsLeft: 0,
      };
      item.uploadParameters['key'] = `uploads/fake/${item.id}`;
      media.push(item);
      return { status: 201, json: { media_id: item.id, media_type: 'video', upload_url: `${server.baseUrl}/upload/${item.id}`, upload_parameters: item.uploadParameters } };
    }
    if (req.method === 'GET' && (m = /^\/media\/(\d+)$/.exec(path))) {
      const item = media.find((x) => x.id === m![1]);
      if (!item) return libError(404, 0, 'Media not found.');
      if (item.status === 'processing') {
        if (item.pollsLeft > 0) item.pollsLeft -= 1;
        else item.status = fake.videoProcessing === 'failed' ? 'failed' : 'succeeded';
      }
      return { status: 200, json: { media_id: item.id, media_type: 'video', status: item.status } };
    }
    return libError(404, 0, 'Not found.');
  }

  function authorize(req: FakeRequest): FakeResponse {
    const q = req.query;
    const app = apps.get(q.get('client_id') ?? '');
    if (!app) return { status: 400, text: 'unknown client_id' };
    const redirectUri = q.get('redirect_uri') ?? '';
    if (!app.redirectUris.includes(redirectUri)) return { status: 400, text: 'redirect_uri does not match the app' };
    if (q.get('response_type') !== 'code') server.violate(req, 'response_type must be code', true);
    const target = new URL(redirectUri);
    target.searchParams.set('state', q.get('state') ?? '');
    if (declineConsent) {
      declineConsent = false;
      target.searchParams.set('error', 'access_denied');
    } else {
      const code = randomBytes(12).toString('hex');
      codes.set(code, { app, redirectUri, scope: q.get('scope') ?? '' });
      target.searchParams.set('code', code);
    }
    return { status: 302, headers: { location: target.toString() } };
  }

  function token(req: FakeRequest): FakeResponse {
    const refusal = server.refusal(req);
    if (refusal) return refusal;
    const basic = /^Basic (.+)$/.exec(String(req.headers.authorization ?? ''));
    const decoded = basic ? Buffer.from(basic[1]!, 'base64').toString('utf8') : '';
    basicAuth.push(decoded);
    const [id, secret] = [decoded.slice(0, decoded.indexOf(':')), decoded.slice(decoded.indexOf(':') + 1)];
    const app = apps.get(id);
    if (!app || app.secret !== secret) return libError(401, 2, 'Authentication failed.');
    const grantType = fieldOf(req.body, 'grant_type');
    if (grantType === 'authorization_code') {
      const code = codes.get(fieldOf(req.body, 'code') ?? '');
      codes.delete(fieldOf(req.body, 'code') ?? '');
      if (!code || code.app !== app || code.redirectUri !== fieldOf(req.body, 'redirect_uri')) return libError(400, 1, 'Invalid authorization code.');
      const scope = code.scope.split(',').filter(Boolean);
      return tokenAnswer(issue(app, scope), scope, 'authorization_code');
    }
    if (grantType === 'refresh_token') {
      const old = fieldOf(req.body, 'refresh_token') ?? '';
      const grant = refresh.get(old);
      if (!grant || grant.app !== app || grant.expiresAt <= now()) return libError(400, 1, 'Invalid refresh token.');
      refresh.delete(old);
      return tokenAnswer(issue(app, grant.scope), grant.scope, 'refresh_token');
    }
    return libError(400, 1, 'Unsupported grant type.');
  }

  function upload(req: FakeRequest): FakeResponse {
    const item = media.find((x) => x.id === req.path.slice('/upload/'.length));
    if (!item) return { status: 404, text: 'NoSuchUpload' };
    if (req.body.type !== 'multipart') {
      server.violate(req, 'the upload must be a multipart form (S3 POST policy)', true);
      return { status: 400, text: 'InvalidArgument' };
    }
    for (const [name, value] of Object.entries(item.uploadParameters)) {
      if (fieldOf(req.body, name) !== value) {
        server.violate(req, `upload parameter "${name}" missing or changed`, true);
        return { status: 403, text: 'AccessDenied' };
      }
    }
    const file = fileOf(req.body, 'file');
    if (!file) {
      server.violate(req, 'no `file` part', true);
      return { status: 400, text: 'InvalidArgument' };
    }
    const names = req.body.fields.map(([name]) => name);
    const last = req.body.files.at(-1)?.[0];
    if (last !== 'file' || names.some((name) => !(name in item.uploadParameters))) server.violate(req, 'unexpected upload fields, or `file` not last', false);
    item.uploadedBytes = file.bytes.length;
    item.status = 'processing';
    item.pollsLeft = fake.videoProcessing === 'failed' ? 0 : fake.videoProcessing;
    return { status: 204 };
  }

  function createPin(req: FakeRequest): FakeResponse {
    const body = (req.spec?.body ?? {}) as Record<string, unknown>;
    const board = boards.get(String(body['board_id']));
    if (!board) return libError(404, 40, 'Board not found.');
    const sectionId = typeof body['board_section_id'] === 'string' ? body['board_section_id'] : null;
    if (sectionId && !board.sections.some((s) => s.id === sectionId)) return libError(404, 40, 'Board section not found.');
    const source = body['media_source'] as Record<string, unknown>;
    let pinMedia: FakePin['media'];
    if (source['source_type'] === 'video_id') {
      const item = media.find((x) => x.id === source['media_id']);
      if (!item || item.status !== 'succeeded') return libError(400, 1, 'Media is not ready.');
      pinMedia = { kind: 'video', mediaId: item.id };
    } else {
      const items = source['source_type'] === 'multiple_image_base64' ? (source['items'] as Array<Record<string, unknown>>) : [source];
      pinMedia = { kind: 'image', images: items.map((i) => ({ contentType: String(i['content_type']), bytes: Buffer.from(String(i['data']), 'base64').length })) };
      if (pinMedia.images.some((i) => i.bytes === 0)) return libError(400, 1, 'Invalid image.');
    }
    const str = (name: string) => (typeof body[name] === 'string' ? (body[name] as string) : null);
    const pin: FakePin = {
      id: numericId(),
      boardId: board.id,
      sectionId,
      title: str('title'),
      description: str('description'),
      link: str('link'),
      altText: str('alt_text'),
      media: pinMedia,
      createdAt: now(),
      deleted: false,
    };
    pins.push(pin);
    return { status: 201, json: pinJson(pin) };
  }

  function pinJson(pin: FakePin): Record<string, unknown> {
    return {
      id: pin.id,
      created_at: new Date(pin.createdAt).toISOString().replace(/\.\d{3}Z$/, ''),
      board_id: pin.boardId,
      board_section_id: pin.sectionId,
      board_owner: { username: boards.get(pin.boardId)?.owner ?? fake.username },
      title: pin.title,
      description: pin.description,
      link: pin.link,
      alt_text: pin.altText,
      is_owner: true,
      media: pin.media.kind === 'video' ? { media_type: 'video' } : { media_type: pin.media.images.length > 1 ? 'multiple_images' : 'image' },
    };
  }

  function boardJson(board: FakePinterestBoard): Record<string, unknown> {
    return { id: board.id, name: board.name, privacy: board.privacy, owner: { username: board.owner }, description: null, pin_count: pins.filter((p) => p.boardId === board.id && !p.deleted).length };
  }

  /** Bookmark paging: the bookmark is the next item's offset, opaque to the client. */
  function paged(req: FakeRequest, items: unknown[]): FakeResponse {
    const size = Number(req.query.get('page_size') ?? 25);
    const from = req.query.get('bookmark') ? Number(Buffer.from(req.query.get('bookmark')!, 'base64').toString('utf8')) : 0;
    const page = items.slice(from, from + size);
    const next = from + size < items.length ? Buffer.from(String(from + size), 'utf8').toString('base64') : null;
    return { status: 200, json: { items: page, bookmark: next } };
  }

  return fake;
}
