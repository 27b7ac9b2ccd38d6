import { createHash, randomBytes } from 'node:crypto';
import { fieldOf, startFakeServer, type FakeRequest, type FakeResponse, type FakeServer, type NetworkAnswers } from './fake-server';
import { openApiValidator, type OpenApiDocument } from './validate/openapi';
import { readSpec, type RequestValidator } from './validate/spec';

/**
 * A loopback X (API v2; CONTRACTS.md §9), every API request checked against X's own OpenAPI
 * document (specs/x-api-v2-openapi.json, v2.167) with Ajv through the shared validator. The OAuth
 * endpoints are not in that document: the authorization window and POST /2/oauth2/token are checked
 * by hand against authorization-code.mdx (PKCE S256, exact redirect_uri, client_id in the body and
 * no client secret, 30 s codes, 2-hour tokens, single-use rotating refresh tokens).
 *
 * As X does: posts (201 {data:{id,text}}), 403 for duplicate content, delete, the user's posts
 * listed newest first with t.co links in place of URLs and one appended per media, simple image
 * upload, chunked video upload with processing (pending → in_progress → succeeded after a few status
 * reads), alt text through media metadata, x-rate-limit-* on every answer, 429 with
 * x-rate-limit-reset, 401 problems for expired tokens, and the common faults through `server.faults`.
 */

export interface FakeXApp {
  clientId: string;
  /** The Callback URI registered in the app (exact match); undefined: any loopback address (tests on a random port). */
  callback: string | undefined;
}

export interface FakeXUser {
  id: string;
  username: string;
  name: string;
}

export interface FakeXMedia {
  id: string;
  userId: string;
  category: string;
  mime: string | undefined;
  bytes: number;
  totalBytes: number | undefined;
  segments: number[];
  finalized: boolean;
  /** Status reads left before processing succeeds (video/GIF). */
  processingLeft: number;
  alt: string | undefined;
}

export interface FakeXPost {
  id: string;
  userId: string;
  text: string;
  mediaIds: string[];
  replySettings: string | undefined;
  inReplyTo: string | undefined;
  createdAt: number;
  deleted: boolean;
  /** What people did with it, as its public_metrics show (set by the test). */
  metrics?: { like_count: number; retweet_count: number; reply_count: number; quote_count: number; impression_count: number; bookmark_count: number };
}

interface Token {
  userId: string;
  clientId: string;
  expiresAt: number;
  scopes: string[];
}

export interface XFake {
  baseUrl: string;
  server: FakeServer;
  requests: FakeRequest[];
  violations: string[];
  posts: FakeXPost[];
  media: FakeXMedia[];
  addApp(options?: { callback?: string }): FakeXApp;
  addUser(username: string, name?: string): FakeXUser;
  /** Tokens as a finished sign-in of `user` with `app` would hold them (tests that start signed in). */
  tokensFor(app: FakeXApp, user: FakeXUser): { accessToken: string; refreshToken: string };
  /** Who approves the next authorization window; 'decline' sends access_denied. */
  signInAs(user: FakeXUser | 'decline'): void;
  /** Every access token ends now (the next call gets 401; a refresh still works). */
  expireAccessTokens(): void;
  /** Every refresh token is revoked (the user removed the app's access). */
  revokeRefreshTokens(): void;
  /** The next `count` POST /2/tweets get 429 with x-rate-limit-reset `resetInS` from now. */
  rateLimitNext(resetInS: number, count?: number): void;
  /** Status reads before a chunked upload finishes processing (default 2); 'fail' makes it fail. */
  processing(reads: number | 'fail'): void;
  live(user: FakeXUser): FakeXPost[];
  close(): Promise<void>;
}

const ACCESS_TTL_S = 7200;
const CODE_TTL_MS = 30_000;

let validator: RequestValidator | undefined;

function xSpec(): RequestValidator {
  validator ??= openApiValidator(readSpec<OpenApiDocument>('x-api-v2-openapi.json'), { id: 'https://specs.outpost.test/x-api-v2-openapi.json' });
  const document = validator;
  return {
    warm: (operations) => document.warm(operations),
    // X's document names the field list post.fields; the live API (and docs.x.com) take tweet.fields, which is what a client sends. Checked as the document's field.
    check: (req) => {
      if (!req.query.has('tweet.fields')) return document.check(req);
      const query = new URLSearchParams(req.query);
      query.set('post.fields', query.get('tweet.fields') ?? '');
      query.delete('tweet.fields');
      return document.check({ ...req, query });
    },
  };
}

const problem = (status: number, title: string, detail: string, type = 'about:blank'): FakeResponse => ({
  status,
  json: { title, type, status, detail },
  headers: { 'content-type': 'application/problem+json' },
});

export async function startXFake(options: { now?: () => number } = {}): Promise<XFake> {
  const now = options.now ?? Date.now;
  const apps: FakeXApp[] = [];
  const users: FakeXUser[] = [];
  const posts: FakeXPost[] = [];
  const media: FakeXMedia[] = [];
  const codes = new Map<string, { clientId: string; userId: string; redirectUri: string; challenge: string; scopes: string[]; at: number }>();
  const tokens = new Map<string, Token>();
  const refreshTokens = new Map<string, Token & { used: boolean }>();
  let signIn: FakeXUser | 'decline' | undefined;
  let processingReads: number | 'fail' = 2;
  let sequence = 0;
  const nextId = () => String(BigInt(now()) * 4096n + BigInt(++sequence % 4096));

  const answers: NetworkAnswers = {
    rateLimited: (retryAfterMs) => ({ ...problem(429, 'Too Many Requests', 'Too Many Requests'), headers: { 'content-type': 'application/problem+json', ...limitHeaders(0, retryAfterMs) } }),
    serverError: (status) =>
      status === 502 || status === 503
        ? { status, text: '<html><body><h1>Over capacity</h1></body></html>', headers: { 'content-type': 'text/html' } }
        : { status, json: { title: 'Internal Server Error', type: 'https://api.x.com/2/problems/internal-error', detail: 'Internal Server Error', status } },
    refused: (messages) => ({
      status: 400,
      json: {
        errors: messages.map((message) => ({ parameters: {}, message })),
        title: 'Invalid Request',
        detail: 'One or more parameters to your request was invalid.',
        type: 'https://api.x.com/2/problems/invalid-request',
      },
    }),
  };

  function limitHeaders(remaining: number, resetInMs: number): Record<string, string> {
    return { 'x-rate-limit-limit': '100', 'x-rate-limit-remaining': String(remaining), 'x-rate-limit-reset': String(Math.ceil((now() + resetInMs) / 1000)) };
  }

  const spec = xSpec();
  spec.warm(['POST /2/tweets', 'DELETE /2/tweets/{id}', 'GET /2/users/me', 'GET /2/users/{id}/tweets', 'GET /2/tweets/{id}', 'POST /2/media/upload', 'POST /2/media/upload/initialize', 'POST /2/media/upload/{id}/append', 'POST /2/media/upload/{id}/finalize', 'GET /2/media/upload', 'POST /2/media/metadata']);
  const server = await startFakeServer(handle, { name: 'X fake', validator: spec, answers });

  function handle(req: FakeRequest): FakeResponse {
    if (req.method === 'GET' && req.path === '/i/oauth2/authorize') return authorize(req);
    if (req.method === 'POST' && req.path === '/2/oauth2/token') return token(req);
    const refusal = server.refusal(req);
    if (refusal) return refusal;
    const auth = /^Bearer (.+)$/.exec(req.headers.authorization ?? '');
    const session = auth ? tokens.get(auth[1]!) : undefined;
    if (!session || session.expiresAt <= now()) return problem(401, 'Unauthorized', 'Unauthorized');
    const answer = route(req, session);
    return { ...answer, headers: { ...limitHeaders(99, 15 * 60_000), ...answer.headers } };
  }

  function route(req: FakeRequest, session: Token): FakeResponse {
    const me = users.find((u) => u.id === session.userId)!;
    const body = (req.spec?.body ?? {}) as Record<string, unknown>;
    const key = `${req.method} ${req.path}`;
    if (key === 'GET /2/users/me') return { status: 200, json: { data: { id: me.id, name: me.name, username: me.username } } };
    if (key === 'POST /2/tweets') return create(req, me, body);
    if (key === 'POST /2/media/upload') return simpleUpload(req, me, body);
    if (key === 'POST /2/media/upload/initialize') return initialize(me, body);
    if (key === 'POST /2/media/metadata') return metadata(req, me, body);
    if (key === 'GET /2/media/upload') return status(req, me);
    let match = /^\/2\/media\/upload\/(\d+)\/(append|finalize)$/.exec(req.path);
    if (match && req.method === 'POST') return match[2] === 'append' ? append(req, me, match[1]!) : finalize(req, me, match[1]!);
    match = /^\/2\/tweets\/(\d+)$/.exec(req.path);
    if (match && req.method === 'DELETE') {
      const post = posts.find((p) => p.id === match![1] && !p.deleted);
      if (!post) return problem(404, 'Not Found Error', `Could not find tweet with id: [${match[1]}].`, 'https://api.x.com/2/problems/resource-not-found');
      if (post.userId !== me.id) return problem(403, 'Forbidden', 'You are not authorized to delete this Tweet.');
      post.deleted = true;
      return { status: 200, json: { data: { deleted: true } } };
    }
    if (match && req.method === 'GET') {
      const post = posts.find((p) => p.id === match![1] && !p.deleted);
      // A single post that is gone is a 200 with only `errors` (X API v2 partial errors), not a 404.
      if (!post) {
        return { status: 200, json: { errors: [{ value: match[1], detail: `Could not find tweet with id: [${match[1]}].`, title: 'Not Found Error', resource_type: 'tweet', parameter: 'id', resource_id: match[1], type: 'https://api.twitter.com/2/problems/resource-not-found' }] } };
      }
      const fields = (req.query.get('tweet.fields') ?? '').split(',');
      const metrics = post.metrics ?? { like_count: 0, retweet_count: 0, reply_count: 0, quote_count: 0, impression_count: 0, bookmark_count: 0 };
      return { status: 200, json: { data: { id: post.id, text: shown(post), edit_history_tweet_ids: [post.id], ...(fields.includes('public_metrics') ? { public_metrics: metrics } : {}) } } };
    }
    match = /^\/2\/users\/(\d+)\/tweets$/.exec(req.path);
    if (match && req.method === 'GET') return timeline(req, match[1]!);
    return problem(404, 'Not Found', `No route for ${key}`);
  }

  function authorize(req: FakeRequest): FakeResponse {
    const q = req.query;
    const app = apps.find((a) => a.clientId === q.get('client_id'));
    const redirect = q.get('redirect_uri') ?? '';
    if (!app) {
      server.violate(req, 'the authorization window needs a known client_id', true);
      return { status: 400, text: 'Something went wrong: invalid client_id' };
    }
    const loopback = /^http:\/\/127\.0\.0\.1:\d+\/[\w/]*$/.test(redirect);
    if (app.callback !== undefined ? redirect !== app.callback : !loopback) {
      server.violate(req, `redirect_uri ${redirect} is not the app's registered Callback URI`, true);
      return { status: 400, text: 'Something went wrong: the redirect_uri does not match' };
    }
    if (q.get('response_type') !== 'code') server.violate(req, 'response_type must be code', false);
    if (q.get('code_challenge_method') !== 'S256') server.violate(req, 'code_challenge_method must be S256', false);
    if (!/^[A-Za-z0-9_-]{43}$/.test(q.get('code_challenge') ?? '')) server.violate(req, 'code_challenge must be base64url(sha256(verifier))', false);
    if (!q.get('state')) server.violate(req, 'opened without state', false);
    const scopes = (q.get('scope') ?? '').split(' ').filter(Boolean);
    for (const needed of ['tweet.read', 'tweet.write', 'users.read']) if (!scopes.includes(needed)) server.violate(req, `scope lacks ${needed}`, false);
    const target = new URL(redirect);
    target.searchParams.set('state', q.get('state') ?? '');
    if (signIn === undefined || signIn === 'decline') {
      target.searchParams.set('error', 'access_denied');
      return { status: 302, headers: { location: target.toString() } };
    }
    const code = randomBytes(24).toString('base64url');
    codes.set(code, { clientId: app.clientId, userId: signIn.id, redirectUri: redirect, challenge: q.get('code_challenge') ?? '', scopes, at: now() });
    target.searchParams.set('code', code);
    return { status: 302, headers: { location: target.toString() } };
  }

  function oauthError(description: string, error = 'invalid_request'): FakeResponse {
    return { status: 400, json: { error, error_description: description } };
  }

  function issue(userId: string, clientId: string, scopes: string[]): Record<string, unknown> {
    const access = randomBytes(30).toString('base64url');
    tokens.set(access, { userId, clientId, scopes, expiresAt: now() + ACCESS_TTL_S * 1000 });
    const answer: Record<string, unknown> = { token_type: 'bearer', expires_in: ACCESS_TTL_S, access_token: access, scope: scopes.join(' ') };
    if (scopes.includes('offline.access')) {
      const refresh = randomBytes(30).toString('base64url');
      refreshTokens.set(refresh, { userId, clientId, scopes, expiresAt: Infinity, used: false });
      answer['refresh_token'] = refresh;
    }
    return answer;
  }

  function token(req: FakeRequest): FakeResponse {
    if (req.body.type !== 'urlencoded') {
      server.violate(req, 'the token request must be application/x-www-form-urlencoded', true);
      return oauthError('Missing required parameter [grant_type].');
    }
    if (req.headers.authorization) server.violate(req, 'a public client sends no client secret (no Basic authorization)', false);
    const form = Object.fromEntries(req.body.fields);
    if (form['client_secret'] !== undefined) server.violate(req, 'a public client has no client_secret', false);
    const app = apps.find((a) => a.clientId === form['client_id']);
    if (!app) return oauthError('Missing required parameter [client_id].', 'invalid_client');
    if (form['grant_type'] === 'authorization_code') {
      const pending = codes.get(form['code'] ?? '');
      codes.delete(form['code'] ?? '');
      if (!pending || pending.clientId !== app.clientId || now() - pending.at > CODE_TTL_MS) return oauthError('Value passed for the authorization code was invalid.');
      if (pending.redirectUri !== form['redirect_uri']) return oauthError('Value passed for the redirect uri did not match the uri of the authorization code.');
      const verifier = form['code_verifier'] ?? '';
      if (createHash('sha256').update(verifier).digest('base64url') !== pending.challenge) return oauthError('Value passed for the code verifier did not match the code challenge.');
      return { status: 200, json: issue(pending.userId, app.clientId, pending.scopes) };
    }
    if (form['grant_type'] === 'refresh_token') {
      const known = refreshTokens.get(form['refresh_token'] ?? '');
      if (!known || known.used || known.clientId !== app.clientId) return oauthError('Value passed for the token was invalid.', 'invalid_grant');
      // Rotation: the old refresh token is spent by this use.
      known.used = true;
      return { status: 200, json: issue(known.userId, known.clientId, known.scopes) };
    }
    return oauthError('Value passed for the grant type was invalid.', 'unsupported_grant_type');
  }

  function shown(post: FakeXPost): string {
    // X answers text with every URL as a t.co link and one more per post with media; &, <, > HTML-escaped.
    const text = post.text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/https?:\/\/\S+/g, () => `https://t.co/${randomBytes(5).toString('hex')}`);
    return post.mediaIds.length > 0 ? `${text} https://t.co/${randomBytes(5).toString('hex')}` : text;
  }

  function create(req: FakeRequest, me: FakeXUser, body: Record<string, unknown>): FakeResponse {
    const text = typeof body['text'] === 'string' ? body['text'] : '';
    const ids = body['media'] && Array.isArray((body['media'] as Record<string, unknown>)['media_ids']) ? ((body['media'] as Record<string, unknown>)['media_ids'] as string[]) : [];
    if (text.trim() === '' && ids.length === 0) return answers.refused(['text or media is required'], req);
    for (const id of ids) {
      const item = media.find((m) => m.id === id && m.userId === me.id);
      if (!item) return answers.refused([`media_id ${id} is not valid`], req);
      if (item.category !== 'tweet_image' && (!item.finalized || item.processingLeft !== 0)) return answers.refused([`Your media IDs are invalid (${id} is still processing).`], req);
    }
    const replyTo = body['reply'] ? String((body['reply'] as Record<string, unknown>)['in_reply_to_tweet_id']) : undefined;
    if (replyTo && !posts.some((p) => p.id === replyTo && !p.deleted)) return answers.refused(['The post you are replying to was deleted or is not visible to you.'], req);
    const duplicate = posts.some((p) => p.userId === me.id && !p.deleted && p.text === text && text !== '');
    if (duplicate) return problem(403, 'Forbidden', 'You are not allowed to create a Tweet with duplicate content.');
    const post: FakeXPost = {
      id: nextId(),
      userId: me.id,
      text,
      mediaIds: ids,
      replySettings: typeof body['reply_settings'] === 'string' ? body['reply_settings'] : undefined,
      inReplyTo: replyTo,
      createdAt: now(),
      deleted: false,
    };
    posts.push(post);
    return { status: 201, json: { data: { id: post.id, text: shown(post), edit_history_post_ids: [post.id] } } };
  }

  function newMedia(me: FakeXUser, category: string, mime: string | undefined, totalBytes: number | undefined): FakeXMedia {
    const item: FakeXMedia = { id: nextId(), userId: me.id, category, mime, bytes: 0, totalBytes, segments: [], finalized: false, processingLeft: 0, alt: undefined };
    media.push(item);
    return item;
  }

  function simpleUpload(req: FakeRequest, me: FakeXUser, body: Record<string, unknown>): FakeResponse {
    const file = req.body.files.find(([name]) => name === 'media')?.[1];
    if (!file) return answers.refused(['media is required'], req);
    const item = newMedia(me, String(body['media_category'] ?? fieldOf(req.body, 'media_category')), file.contentType, file.bytes.length);
    item.bytes = file.bytes.length;
    item.finalized = true;
    return { status: 200, json: { data: { id: item.id, media_key: `3_${item.id}`, size: item.bytes, expires_after_secs: 86400 } } };
  }

  function initialize(me: FakeXUser, body: Record<string, unknown>): FakeResponse {
    const item = newMedia(me, String(body['media_category'] ?? 'tweet_image'), typeof body['media_type'] === 'string' ? body['media_type'] : undefined, typeof body['total_bytes'] === 'number' ? body['total_bytes'] : undefined);
    return { status: 200, json: { data: { id: item.id, media_key: `7_${item.id}`, expires_after_secs: 86400 } } };
  }

  function owned(me: FakeXUser, id: string): FakeXMedia | undefined {
    return media.find((m) => m.id === id && m.userId === me.id);
  }

  function append(req: FakeRequest, me: FakeXUser, id: string): FakeResponse {
    const item = owned(me, id);
    if (!item || item.finalized) return answers.refused([`media ${id} is not an open upload`], req);
    const file = req.body.files.find(([name]) => name === 'media')?.[1];
    const segment = Number(fieldOf(req.body, 'segment_index'));
    if (!file) return answers.refused(['media is required'], req);
    if (segment !== item.segments.length) server.violate(req, `segment_index ${segment} out of order (expected ${item.segments.length})`, false);
    item.segments.push(file.bytes.length);
    item.bytes += file.bytes.length;
    return { status: 200, json: { data: { expires_at: Math.floor(now() / 1000) + 86400 } } };
  }

  function finalize(req: FakeRequest, me: FakeXUser, id: string): FakeResponse {
    const item = owned(me, id);
    if (!item || item.finalized) return answers.refused([`media ${id} is not an open upload`], req);
    if (item.totalBytes !== undefined && item.bytes !== item.totalBytes) return answers.refused([`File size mismatch: ${item.bytes} of ${item.totalBytes} bytes`], req);
    item.finalized = true;
    item.processingLeft = processingReads === 'fail' ? -1 : processingReads;
    return { status: 200, json: { data: { id: item.id, media_key: `7_${item.id}`, size: item.bytes, expires_after_secs: 86400, processing_info: processingInfo(item) } } };
  }

  function processingInfo(item: FakeXMedia): Record<string, unknown> {
    if (item.processingLeft < 0) return { state: 'failed', progress_percent: 10 };
    if (item.processingLeft === 0) return { state: 'succeeded', progress_percent: 100 };
    return { state: item.segments.length > 0 && item.processingLeft === 1 ? 'in_progress' : 'pending', check_after_secs: 1, progress_percent: 50 };
  }

  function status(req: FakeRequest, me: FakeXUser): FakeResponse {
    const item = owned(me, req.query.get('media_id') ?? '');
    if (!item) return answers.refused(['media_id is not valid'], req);
    if (req.query.get('command') !== 'STATUS') server.violate(req, 'command=STATUS expected', false);
    if (item.processingLeft > 0) item.processingLeft -= 1;
    return { status: 200, json: { data: { id: item.id, media_key: `7_${item.id}`, processing_info: processingInfo(item) } } };
  }

  function metadata(req: FakeRequest, me: FakeXUser, body: Record<string, unknown>): FakeResponse {
    const item = owned(me, String(body['id']));
    if (!item) return answers.refused(['id is not a media id of this user'], req);
    const meta = body['metadata'] as Record<string, unknown> | undefined;
    const alt = meta && typeof meta['alt_text'] === 'object' ? (meta['alt_text'] as Record<string, unknown>)['text'] : undefined;
    if (typeof alt === 'string') item.alt = alt;
    return { status: 200, json: { data: { id: item.id, associated_metadata: { alt_text: { text: item.alt } } } } };
  }

  function timeline(req: FakeRequest, userId: string): FakeResponse {
    const since = req.query.get('start_time') ? Date.parse(req.query.get('start_time')!) : 0;
    const max = Number(req.query.get('max_results') ?? 10);
    const list = posts.filter((p) => p.userId === userId && !p.deleted && p.createdAt >= since).sort((a, b) => b.createdAt - a.createdAt || Number(BigInt(b.id) - BigInt(a.id)));
    const start = Number(req.query.get('pagination_token') ?? 0);
    const page = list.slice(start, start + max);
    const data = page.map((p) => ({ id: p.id, text: shown(p), created_at: new Date(p.createdAt).toISOString(), edit_history_tweet_ids: [p.id] }));
    const meta: Record<string, unknown> = { result_count: data.length };
    if (data.length > 0) Object.assign(meta, { newest_id: data[0]!.id, oldest_id: data.at(-1)!.id });
    if (start + max < list.length) meta['next_token'] = String(start + max);
    return { status: 200, json: data.length > 0 ? { data, meta } : { meta } };
  }

  return {
    baseUrl: server.baseUrl,
    server,
    requests: server.requests,
    violations: server.violations,
    posts,
    media,
    addApp(opts = {}) {
      const app: FakeXApp = { clientId: randomBytes(17).toString('base64url'), callback: opts.callback };
      apps.push(app);
      return app;
    },
    addUser(username, name) {
      const user: FakeXUser = { id: String(1_000_000 + users.length * 7919), username, name: name ?? username };
      users.push(user);
      return user;
    },
    tokensFor(app, user) {
      const answer = issue(user.id, app.clientId, ['tweet.read', 'tweet.write', 'users.read', 'media.write', 'offline.access']);
      return { accessToken: String(answer['access_token']), refreshToken: String(answer['refresh_token']) };
    },
    signInAs(user) {
      signIn = user;
    },
    expireAccessTokens() {
      for (const t of tokens.values()) t.expiresAt = now();
    },
    revokeRefreshTokens() {
      for (const t of refreshTokens.values()) t.used = true;
    },
    rateLimitNext(resetInS, count = 1) {
      server.faults.next(server.fault({ kind: 'rate_limited', retryAfterMs: resetInS * 1000 }), count, (req) => req.method === 'POST' && req.path === '/2/tweets');
    },
    processing(reads) {
      processingReads = reads;
    },
    live: (user) => posts.filter((p) => p.userId === user.id && !p.deleted),
    close: () => server.close(),
  };
}
