import { randomBytes } from 'node:crypto';
import { startFakeServer, type FakeRequest, type FakeResponse, type FakeServer, type NetworkAnswers } from './fake-server';
import { linkedInSpec } from './validate/linkedin-schema';

/**
 * A loopback LinkedIn (CONTRACTS.md §8), every request checked against the request shapes in
 * specs/linkedin-posts.schema.json (written from LinkedIn's documentation; SOURCES.json) with Ajv:
 * headers (Bearer, LinkedIn-Version YYYYMM, X-Restli-Protocol-Version 2.0.0), queries and bodies.
 * Routes:
 * - GET  /oauth/v2/authorization      consent: redirects at once to redirect_uri with ?code&state
 *                                     (an exactly registered redirect_uri; scopes the app has).
 * - POST /oauth/v2/accessToken        client_id + client_secret; authorization_code, and
 *                                     refresh_token for apps granted programmatic refresh.
 * - GET  /v2/userinfo; GET /rest/organizationAcls?q=roleAssignee; GET /rest/organizations/{id}.
 * - POST /rest/images?action=initializeUpload → PUT /upload/image/{id}.
 * - POST /rest/videos?action=initializeUpload → PUT /upload/video/{id}/{part} (ETag each) →
 *   ?action=finalizeUpload → GET /rest/videos/{urn} (PROCESSING, then AVAILABLE).
 * - POST /rest/posts (201, urn in x-restli-id, no body), GET /rest/posts?q=author (newest first),
 *   DELETE /rest/posts/{urn} (204).
 * - POST/GET /rest/socialActions/{urn}/comments; GET /rest/socialActions/{urn} (summaries).
 * Errors are LinkedIn's {status, serviceErrorCode, code?, message}; faults (429, 5xx before or
 * after handling, lost answers, expired and revoked tokens) through `server.faults` and the
 * switches below.
 */

export interface FakeLinkedInApp {
  clientId: string;
  clientSecret: string;
  redirectUris: string[];
  /** Community Management API: the page scopes may be granted. */
  pages: boolean;
  /** Approved for programmatic refresh tokens (365 days). */
  refresh: boolean;
  /** r_member_social (closed to most apps): the member's own posts can be listed. */
  memberRead: boolean;
}

export interface FakeLinkedInOrganization {
  id: string;
  name: string;
  vanityName: string;
  /** The signed-in member's role on the page. */
  role: 'ADMINISTRATOR' | 'CONTENT_ADMINISTRATOR' | 'ANALYST';
}

export interface FakeLinkedInPost {
  urn: string;
  author: string;
  commentary: string;
  content: Record<string, unknown> | null;
  createdAt: number;
  deleted: boolean;
  comments: Array<{ urn: string; id: string; actor: string; text: string; createdAt: number }>;
}

export interface FakeLinkedInUpload {
  urn: string;
  kind: 'image' | 'video';
  owner: string;
  size: number;
  /** Video: the parts and their ETags, as handed out. */
  parts: Array<{ firstByte: number; lastByte: number; etag: string | null }>;
  uploadedBytes: number;
  status: 'WAITING_UPLOAD' | 'PROCESSING' | 'AVAILABLE' | 'PROCESSING_FAILED';
  pollsLeft: number;
  uploadToken: string;
  /** Image: the PUT carried the member's token. */
  authorized: boolean;
}

export interface LinkedInFake {
  baseUrl: string;
  server: FakeServer;
  posts: FakeLinkedInPost[];
  uploads: FakeLinkedInUpload[];
  violations: string[];
  member: { id: string; name: string };
  organizations: FakeLinkedInOrganization[];
  addApp(options?: Partial<Omit<FakeLinkedInApp, 'clientId' | 'clientSecret'>>): FakeLinkedInApp;
  addOrganization(options?: Partial<FakeLinkedInOrganization>): FakeLinkedInOrganization;
  /** The next consent in the browser is declined (error=user_cancelled_authorize). */
  declineNextConsent(): void;
  /** Every access token issued so far ends (401 65600), as after its 60 days. */
  expireAccessTokens(): void;
  /** Every token issued so far is revoked (401 65601 REVOKED_ACCESS_TOKEN, refresh refused). */
  revokeTokens(): void;
  /** Bytes per video part in upload instructions (LinkedIn's are 4 MiB). */
  videoPartBytes: number;
  /** How many status reads a finalized video stays PROCESSING (default 1); 'failed' fails it. */
  videoProcessing: number | 'failed';
  /** The next `count` matching calls get a 429 asking for this wait. */
  rateLimitNext(retryAfterMs: number, count?: number, match?: (req: FakeRequest) => boolean): void;
  /** Live posts of an author, oldest first. */
  live(author: string): FakeLinkedInPost[];
  /** Issues tokens directly (tests that start signed in). */
  tokensFor(app: FakeLinkedInApp): { accessToken: string; refreshToken: string | null };
  close(): Promise<void>;
}

const liError = (status: number, serviceErrorCode: number, message: string, code?: string): FakeResponse => ({
  status,
  json: { status, serviceErrorCode, ...(code ? { code } : {}), message },
});

const answers: NetworkAnswers = {
  // LinkedIn's own 429 has no headers (CONTRACTS.md §8); the fake names the wait so tests need not wait a day.
  rateLimited: (retryAfterMs) => ({ ...liError(429, 101, 'Resource level throttle limit for calls to this resource is reached.'), headers: { 'retry-after': String(Math.ceil(retryAfterMs / 1000)) } }),
  serverError: (status) =>
    status === 504
      ? { status, text: '<html><body><h1>504 Gateway Time-out</h1></body></html>', headers: { 'content-type': 'text/html' } }
      : liError(status, 0, 'Internal Server Error'),
  refused: (messages) =>
    messages.some((m) => m.startsWith('headers'))
      ? liError(400, 100, messages.join('; '), 'ILLEGAL_ARGUMENT')
      : liError(422, 100, messages.map((m) => `ERROR :: ${m.replace(/^(body|query) /, '')}`).join('\n')),
};

const MEMBER_SCOPES = ['openid', 'profile', 'w_member_social'];
const PAGE_SCOPES = ['w_organization_social', 'r_organization_social', 'rw_organization_admin'];

let sequence = 7_000_000;

export async function startLinkedInFake(options: { now?: () => number } = {}): Promise<LinkedInFake> {
  const now = options.now ?? Date.now;
  const apps = new Map<string, FakeLinkedInApp>();
  const codes = new Map<string, { app: FakeLinkedInApp; redirectUri: string; scope: string[] }>();
  const access = new Map<string, { app: FakeLinkedInApp; scope: string[]; expiresAt: number; revoked: boolean }>();
  const refresh = new Map<string, { app: FakeLinkedInApp; scope: string[]; expiresAt: number }>();
  const posts: FakeLinkedInPost[] = [];
  const uploads: FakeLinkedInUpload[] = [];
  let declineConsent = false;

  const spec = linkedInSpec();
  spec.warm(['POST /rest/posts', 'POST /rest/images?action=initializeUpload', 'POST /oauth/v2/accessToken']);
  const server = await startFakeServer(handle, { name: 'LinkedIn fake', validator: spec, answers });

  const fake: LinkedInFake = {
    baseUrl: server.baseUrl,
    server,
    posts,
    uploads,
    violations: server.violations,
    member: { id: 'yrZCpj2Z12', name: 'Anna Lenina' },
    organizations: [],
    videoPartBytes: 4 * 1024 * 1024,
    videoProcessing: 1,
    addApp(opts = {}) {
      const app: FakeLinkedInApp = {
        clientId: `78${randomBytes(6).toString('hex')}`,
        clientSecret: randomBytes(12).toString('base64url'),
        redirectUris: opts.redirectUris ?? [],
        pages: opts.pages ?? false,
        refresh: opts.refresh ?? false,
        memberRead: opts.memberRead ?? false,
      };
      apps.set(app.clientId, app);
      return app;
    },
    addOrganization(opts = {}) {
      const org: FakeLinkedInOrganization = { id: opts.id ?? String(++sequence), name: opts.name ?? 'Lenina Bakery', vanityName: opts.vanityName ?? 'lenina-bakery', role: opts.role ?? 'ADMINISTRATOR' };
      fake.organizations.push(org);
      return org;
    },
    declineNextConsent: () => void (declineConsent = true),
    expireAccessTokens() {
      for (const token of access.values()) token.expiresAt = now() - 1;
    },
    revokeTokens() {
      for (const token of access.values()) token.revoked = true;
      refresh.clear();
    },
    rateLimitNext(retryAfterMs, count = 1, match = (req) => req.method === 'POST' && req.path === '/rest/posts') {
      server.faults.next(server.fault({ kind: 'rate_limited', retryAfterMs }), count, match);
    },
    live: (author) => posts.filter((p) => p.author === author && !p.deleted),
    tokensFor: (app) => issue(app, [...MEMBER_SCOPES, ...(app.pages ? PAGE_SCOPES : [])]),
    close: () => server.close(),
  };

  function issue(app: FakeLinkedInApp, scope: string[]): { accessToken: string; refreshToken: string | null } {
    const accessToken = `AQV${randomBytes(24).toString('base64url')}`;
    access.set(accessToken, { app, scope, expiresAt: now() + 60 * 86_400_000, revoked: false });
    if (!app.refresh) return { accessToken, refreshToken: null };
    const refreshToken = `AQX${randomBytes(24).toString('base64url')}`;
    refresh.set(refreshToken, { app, scope, expiresAt: now() + 365 * 86_400_000 });
    return { accessToken, refreshToken };
  }

  function tokenAnswer(tokens: { accessToken: string; refreshToken: string | null }, scope: string[], refreshEndsAt?: number): FakeResponse {
    return {
      status: 200,
      json: {
        access_token: tokens.accessToken,
        expires_in: 60 * 86_400,
        ...(tokens.refreshToken ? { refresh_token: tokens.refreshToken, refresh_token_expires_in: Math.round(((refreshEndsAt ?? now() + 365 * 86_400_000) - now()) / 1000) } : {}),
        scope: scope.join(','),
        token_type: 'Bearer',
      },
    };
  }

  function handle(req: FakeRequest): FakeResponse {
    if (req.method === 'GET' && req.path === '/oauth/v2/authorization') return authorize(req);
    if (req.method === 'POST' && req.path === '/oauth/v2/accessToken') return token(req);
    if (req.method === 'PUT' && req.path.startsWith('/upload/')) return upload(req);
    const refusal = server.refusal(req);
    if (refusal) return refusal;
    const auth = /^Bearer (.+)$/.exec(String(req.headers.authorization ?? ''));
    const grant = auth ? access.get(auth[1]!) : undefined;
    if (grant?.revoked) return liError(401, 65601, 'The token used in the request has been revoked by the user', 'REVOKED_ACCESS_TOKEN');
    if (!grant || grant.expiresAt <= now()) return liError(401, 65600, 'Invalid access token', 'INVALID_ACCESS_TOKEN');
    const lacks = (scope: string) => (grant.scope.includes(scope) ? undefined : liError(403, 100, `Not enough permissions to access: ${req.method} ${req.path}`, 'ACCESS_DENIED'));
    const memberUrn = `urn:li:person:${fake.member.id}`;
    /** May this token act as `author`? The member themself, or a page they may post for. */
    const mayActAs = (author: unknown, orgScope: string): FakeResponse | undefined => {
      if (author === memberUrn) return lacks('w_member_social');
      const org = fake.organizations.find((o) => `urn:li:organization:${o.id}` === author);
      if (!org || org.role === 'ANALYST') return liError(403, 100, `Not enough permissions to act as ${String(author)}`, 'ACCESS_DENIED');
      return lacks(orgScope);
    };
    let m: RegExpExecArray | null;
    if (req.method === 'GET' && req.path === '/v2/userinfo') {
      return lacks('openid') ?? lacks('profile') ?? { status: 200, json: { sub: fake.member.id, name: fake.member.name, given_name: 'Anna', family_name: 'Lenina', locale: { country: 'US', language: 'en' } } };
    }
    if (req.method === 'GET' && req.path === '/rest/organizationAcls') {
      const denied = lacks('rw_organization_admin');
      if (denied) return denied;
      const state = req.query.get('state');
      const all = fake.organizations.map((o) => ({ roleAssignee: memberUrn, state: 'APPROVED', role: o.role, organization: `urn:li:organization:${o.id}` })).filter((a) => !state || a.state === state);
      const start = Number(req.query.get('start') ?? 0);
      const count = Number(req.query.get('count') ?? 10);
      return { status: 200, json: { elements: all.slice(start, start + count), paging: { start, count, total: all.length, links: [] } } };
    }
    if (req.method === 'GET' && (m = /^\/rest\/organizations\/(\d+)$/.exec(req.path))) {
      const org = fake.organizations.find((o) => o.id === m![1]);
      return org ? { status: 200, json: { id: Number(org.id), localizedName: org.name, vanityName: org.vanityName, $URN: `urn:li:organization:${org.id}` } } : liError(404, 100, 'Not Found');
    }
    if (req.method === 'POST' && req.path === '/rest/images') {
      const owner = (req.body.json as { initializeUploadRequest: { owner: string } }).initializeUploadRequest.owner;
      const denied = mayActAs(owner, 'w_organization_social');
      if (denied) return denied;
      const item = newUpload('image', owner, 0);
      return { status: 200, json: { value: { uploadUrlExpiresAt: now() + 86_400_000, uploadUrl: `${server.baseUrl}/upload/image/${item.urn.split(':').at(-1)}`, image: item.urn } } };
    }
    if (req.method === 'POST' && req.path === '/rest/videos') return videoAction(req, mayActAs);
    if (req.method === 'GET' && (m = /^\/rest\/videos\/([^/]+)$/.exec(req.path))) {
      const item = uploads.find((u) => u.urn === decodeURIComponent(m![1]!) && u.kind === 'video');
      if (!item) return liError(404, 100, 'Not Found');
      if (item.status === 'PROCESSING') {
        if (item.pollsLeft > 0) item.pollsLeft -= 1;
        else item.status = fake.videoProcessing === 'failed' ? 'PROCESSING_FAILED' : 'AVAILABLE';
      }
      return { status: 200, json: { id: item.urn, owner: item.owner, status: item.status, aspectRatioWidth: 16, aspectRatioHeight: 9, duration: 10_000 } };
    }
    if (req.method === 'POST' && req.path === '/rest/posts') return createPost(req, mayActAs);
    if (req.method === 'GET' && req.path === '/rest/posts') {
      const author = req.query.get('author') ?? '';
      // Reading a member's posts needs r_member_social, which self-serve apps do not get.
      const denied = author === memberUrn ? (grant.app.memberRead ? undefined : liError(403, 100, 'Not enough permissions to access: partnerApiPostsExternal.FINDER-author', 'ACCESS_DENIED')) : lacks('r_organization_social');
      if (denied) return denied;
      const start = Number(req.query.get('start') ?? 0);
      const count = Number(req.query.get('count') ?? 10);
      const all = fake.live(author).reverse().map(postJson);
      return { status: 200, json: { elements: all.slice(start, start + count), paging: { start, count, total: all.length, links: [] } } };
    }
    if (req.method === 'DELETE' && (m = /^\/rest\/posts\/([^/]+)$/.exec(req.path))) {
      const post = posts.find((p) => p.urn === decodeURIComponent(m![1]!) && !p.deleted);
      if (!post) return liError(404, 100, 'Not Found');
      const denied = mayActAs(post.author, 'w_organization_social');
      if (denied) return denied;
      post.deleted = true;
      return { status: 204 };
    }
    if ((m = /^\/rest\/socialActions\/([^/]+)\/comments$/.exec(req.path))) {
      const post = posts.find((p) => p.urn === decodeURIComponent(m![1]!) && !p.deleted);
      if (!post) return liError(404, 100, 'Not Found');
      if (req.method === 'GET') {
        const all = post.comments.map((c) => commentJson(post, c));
        return { status: 200, json: { elements: all, paging: { start: 0, count: all.length, total: all.length, links: [] } } };
      }
      const body = req.body.json as { actor: string; object: string; message: { text: string } };
      if (body.object !== post.urn) return liError(422, 100, `ERROR :: /object :: ${body.object} is not the post in the path`);
      const denied = mayActAs(body.actor, 'w_organization_social');
      if (denied) return denied;
      const id = String(++sequence);
      const comment = { id, urn: `urn:li:comment:(${post.urn},${id})`, actor: body.actor, text: body.message.text, createdAt: now() };
      post.comments.push(comment);
      return { status: 201, json: commentJson(post, comment), headers: { 'x-restli-id': encodeURIComponent(comment.urn) } };
    }
    if (req.method === 'GET' && (m = /^\/rest\/socialActions\/([^/]+)$/.exec(req.path))) {
      const post = posts.find((p) => p.urn === decodeURIComponent(m![1]!) && !p.deleted);
      if (!post) return liError(404, 100, 'Not Found');
      return { status: 200, json: { target: post.urn, likesSummary: { totalLikes: 3, likedByCurrentUser: false }, commentsSummary: { aggregatedTotalComments: post.comments.length, totalFirstLevelComments: post.comments.length } } };
    }
    return liError(404, 100, 'Not Found');
  }

  function newUpload(kind: 'image' | 'video', owner: string, size: number): FakeLinkedInUpload {
    const id = `C4E${randomBytes(6).toString('hex')}`;
    const item: FakeLinkedInUpload = { urn: `urn:li:${kind}:${id}`, kind, owner, size, parts: [], uploadedBytes: 0, status: 'WAITING_UPLOAD', pollsLeft: 0, uploadToken: '', authorized: false };
    uploads.push(item);
    return item;
  }

  function videoAction(req: FakeRequest, mayActAs: (author: unknown, scope: string) => FakeResponse | undefined): FakeResponse {
    const action = req.query.get('action');
    if (action === 'initializeUpload') {
      const request = (req.body.json as { initializeUploadRequest: { owner: string; fileSizeBytes: number } }).initializeUploadRequest;
      const denied = mayActAs(request.owner, 'w_organization_social');
      if (denied) return denied;
      const item = newUpload('video', request.owner, request.fileSizeBytes);
      for (let first = 0; first < item.size; first += fake.videoPartBytes) item.parts.push({ firstByte: first, lastByte: Math.min(first + fake.videoPartBytes, item.size) - 1, etag: null });
      item.uploadToken = item.parts.length > 1 ? randomBytes(8).toString('hex') : '';
      const id = item.urn.split(':').at(-1);
      return {
        status: 200,
        json: {
          value: {
            uploadUrlsExpireAt: now() + 86_400_000,
            video: item.urn,
            uploadInstructions: item.parts.map((p, i) => ({ uploadUrl: `${server.baseUrl}/upload/video/${id}/${i}`, firstByte: p.firstByte, lastByte: p.lastByte })),
            uploadToken: item.uploadToken,
          },
        },
      };
    }
    const request = (req.body.json as { finalizeUploadRequest: { video: string; uploadToken: string; uploadedPartIds: string[] } }).finalizeUploadRequest;
    const item = uploads.find((u) => u.urn === request.video && u.kind === 'video');
    if (!item) return liError(404, 100, 'Not Found');
    if (request.uploadToken !== item.uploadToken) return liError(400, 100, 'Upload token does not match', 'ILLEGAL_ARGUMENT');
    const etags = item.parts.map((p) => p.etag);
    if (etags.some((e) => e === null) || JSON.stringify(etags) !== JSON.stringify(request.uploadedPartIds)) {
      server.violate(req, `uploadedPartIds ${JSON.stringify(request.uploadedPartIds)} are not the parts' ETags in order ${JSON.stringify(etags)}`, true);
      return liError(400, 100, 'Uploaded part ids do not match the uploaded parts', 'ILLEGAL_ARGUMENT');
    }
    item.status = 'PROCESSING';
    item.pollsLeft = fake.videoProcessing === 'failed' ? 0 : fake.videoProcessing;
    return { status: 200 };
  }

  function upload(req: FakeRequest): FakeResponse {
    const [, , kind, id, part] = req.path.split('/');
    const item = uploads.find((u) => u.urn === `urn:li:${kind}:${id}`);
    if (!item) return { status: 404, text: 'Not Found' };
    if (item.kind === 'image') {
      // images-api: the upload carries the member's token.
      item.authorized = access.has(/^Bearer (.+)$/.exec(String(req.headers.authorization ?? ''))?.[1] ?? '');
      if (!item.authorized) {
        server.violate(req, 'the image upload must carry the member\'s Bearer token', true);
        return { status: 401, text: 'Unauthorized' };
      }
      if (req.body.raw.length === 0) return { status: 400, text: 'empty upload' };
      item.uploadedBytes = req.body.raw.length;
      item.status = 'AVAILABLE';
      return { status: 201 };
    }
    const slot = item.parts[Number(part)];
    if (!slot) return { status: 404, text: 'Not Found' };
    const expected = slot.lastByte - slot.firstByte + 1;
    if (req.body.raw.length !== expected) {
      server.violate(req, `part ${part} has ${req.body.raw.length} bytes, its range ${slot.firstByte}–${slot.lastByte} is ${expected}`, true);
      return { status: 400, text: 'Bad part length' };
    }
    slot.etag = `/ETag/${randomBytes(10).toString('hex')}`;
    item.uploadedBytes += expected;
    return { status: 200, headers: { etag: slot.etag } };
  }

  function authorize(req: FakeRequest): FakeResponse {
    const q = req.query;
    const app = apps.get(q.get('client_id') ?? '');
    if (!app) return { status: 400, text: 'The passed in client_id is invalid' };
    const redirectUri = q.get('redirect_uri') ?? '';
    if (!app.redirectUris.includes(redirectUri)) return { status: 400, text: 'The redirect_uri does not match the registered value' };
    const target = new URL(redirectUri);
    target.searchParams.set('state', q.get('state') ?? '');
    const scope = (q.get('scope') ?? '').split(' ').filter(Boolean);
    const allowed = [...MEMBER_SCOPES, ...(app.pages ? PAGE_SCOPES : [])];
    const unknown = scope.filter((s) => !allowed.includes(s));
    if (unknown.length > 0) {
      target.searchParams.set('error', 'unauthorized_scope_error');
      target.searchParams.set('error_description', `Scope "${unknown[0]}" is not authorized for your application`);
    } else if (declineConsent) {
      declineConsent = false;
      target.searchParams.set('error', 'user_cancelled_authorize');
      target.searchParams.set('error_description', 'The user cancelled the authorization');
    } else {
      const code = randomBytes(16).toString('base64url');
      codes.set(code, { app, redirectUri, scope });
      target.searchParams.set('code', code);
    }
    return { status: 302, headers: { location: target.toString() } };
  }

  function token(req: FakeRequest): FakeResponse {
    const refusal = server.refusal(req);
    if (refusal) return { status: 400, json: { error: 'invalid_request', error_description: (refusal.json as { message: string }).message } };
    const form = Object.fromEntries(req.body.fields);
    const app = apps.get(form['client_id'] ?? '');
    if (!app || app.clientSecret !== form['client_secret']) return { status: 401, json: { error: 'invalid_client', error_description: 'Client authentication failed' } };
    if (form['grant_type'] === 'authorization_code') {
      const code = codes.get(form['code'] ?? '');
      codes.delete(form['code'] ?? '');
      if (!code || code.app !== app || code.redirectUri !== form['redirect_uri']) return { status: 400, json: { error: 'invalid_grant', error_description: 'The provided authorization grant is invalid, expired or revoked' } };
      return tokenAnswer(issue(app, code.scope), code.scope);
    }
    const grant = refresh.get(form['refresh_token'] ?? '');
    if (!grant || grant.app !== app || grant.expiresAt <= now()) return { status: 400, json: { error: 'invalid_request', error_description: 'The provided refresh token is invalid' } };
    // Programmatic refresh: a new access token, the same refresh token and its original end.
    const accessToken = `AQV${randomBytes(24).toString('base64url')}`;
    access.set(accessToken, { app, scope: grant.scope, expiresAt: now() + 60 * 86_400_000, revoked: false });
    return tokenAnswer({ accessToken, refreshToken: form['refresh_token']! }, grant.scope, grant.expiresAt);
  }

  function createPost(req: FakeRequest, mayActAs: (author: unknown, scope: string) => FakeResponse | undefined): FakeResponse {
    const body = req.body.json as { author: string; commentary: string; content?: Record<string, Record<string, unknown>> };
    const denied = mayActAs(body.author, 'w_organization_social');
    if (denied) return denied;
    const content = body.content;
    const ids: string[] = [];
    if (content?.['media']) ids.push(String(content['media']['id']));
    if (content?.['multiImage']) ids.push(...(content['multiImage']['images'] as Array<{ id: string }>).map((i) => i.id));
    if (content?.['article']?.['thumbnail']) ids.push(String(content['article']['thumbnail']));
    for (const id of ids) {
      const item = uploads.find((u) => u.urn === id);
      if (!item || item.owner !== body.author) return liError(422, 100, `ERROR :: /content :: ${id} does not exist or belongs to another owner`);
      if (item.status !== 'AVAILABLE') return liError(422, 100, `ERROR :: /content :: ${id} is not AVAILABLE (${item.status})`);
    }
    const duplicate = fake.live(body.author).find((p) => p.commentary === body.commentary && body.commentary !== '' && p.createdAt > now() - 86_400_000);
    if (duplicate) return liError(422, 100, `Content is a duplicate of ${duplicate.urn}`);
    const post: FakeLinkedInPost = { urn: `urn:li:share:${++sequence}${String(Date.now() % 1000).padStart(3, '0')}`, author: body.author, commentary: body.commentary, content: content ?? null, createdAt: now(), deleted: false, comments: [] };
    posts.push(post);
    return { status: 201, headers: { 'x-restli-id': encodeURIComponent(post.urn) } };
  }

  function postJson(post: FakeLinkedInPost): Record<string, unknown> {
    return {
      id: post.urn,
      author: post.author,
      commentary: post.commentary,
      visibility: 'PUBLIC',
      distribution: { feedDistribution: 'MAIN_FEED', targetEntities: [], thirdPartyDistributionChannels: [] },
      ...(post.content ? { content: post.content } : {}),
      lifecycleState: 'PUBLISHED',
      isReshareDisabledByAuthor: false,
      createdAt: post.createdAt,
      publishedAt: post.createdAt,
      lastModifiedAt: post.createdAt,
    };
  }

  function commentJson(post: FakeLinkedInPost, comment: FakeLinkedInPost['comments'][number]): Record<string, unknown> {
    return { id: comment.id, commentUrn: comment.urn, actor: comment.actor, object: post.urn, message: { text: comment.text }, created: { actor: comment.actor, time: comment.createdAt }, lastModified: { actor: comment.actor, time: comment.createdAt } };
  }

  return fake;
}
