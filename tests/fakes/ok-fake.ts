import { createHash, randomBytes } from 'node:crypto';
import { startFakeServer, type FakeRequest, type FakeResponse, type FakeServer, type UploadedFile } from './fake-server';
import { okMethodsSpec, okParams } from './validate/ok-methods';

/**
 * A loopback OK (Odnoklassniki) REST API for group topics, built from the apiok.ru pages (there
 * is no machine-readable spec; the parameter table with its sources is validate/ok-methods.ts):
 *
 * - GET  /oauth/authorize   the consent page, answered at once with a redirect carrying ?code&state
 *                           (apiok.ru/ext/oauth/server); the redirect_uri must be one the app registered.
 * - POST /oauth/token.do    code → {access_token, token_type, refresh_token, expires_in: 1800};
 *                           refresh_token → {access_token, token_type, expires_in}.
 * - POST /fb.do             the signed REST calls. Every one is checked: application_key known,
 *                           access_token live, sig = md5(sorted "k=v" + md5(access_token + secret))
 *                           (or the session_secret_key) — a wrong one answers 104 PARAM_SIGNATURE —
 *                           then the parameter table, then the method's own rules (admin role,
 *                           GROUP_CONTENT, the upload tokens).
 * - POST /upload/<id>       the photo upload (pic1…picN) → {photos: {<photo_id>: {token}}}.
 *
 * Errors are OK's: HTTP 200 with {error_code, error_msg, error_data} (apiok.ru/dev/errors).
 * Switches: failNext (rate limit = 8 FLOOD_BLOCKED, server_error = 5xx page, service = error 2,
 * hang/reset), each optionally after handling (the topic exists, the answer is lost).
 */

export type OkRole = 'ADMIN' | 'MODERATOR' | 'EDITOR' | 'ANALYST' | 'SUPER_MODERATOR';

export interface FakeOkApp {
  id: string;
  publicKey: string;
  secretKey: string;
  redirectUris: string[];
}

export interface FakeOkUser {
  uid: string;
  name: string;
}

export interface FakeOkGroup {
  id: string;
  name: string;
}

export interface FakeTopic {
  id: string;
  groupId: string;
  authorUid: string;
  createdMs: number;
  attachment: Record<string, unknown>;
  /** The photos' bytes, in order, resolved from their upload tokens. */
  photos: UploadedFile[];
  /** group.getStatTopics lists only topics with statistics; false: nobody else has seen it yet. */
  hasStats: boolean;
  deleted: boolean;
}

export type OkFault =
  | { kind: 'rate_limited' }
  | { kind: 'server_error'; status: 500 | 502 }
  /** error_code 2 SERVICE: OK's own side failed. */
  | { kind: 'service' }
  | { kind: 'hang' }
  | { kind: 'reset' };

export interface OkFaultOptions {
  /** Only calls of this REST method (default every /fb.do call). */
  method?: string;
  afterHandling?: boolean;
  count?: number;
}

export interface OkFakeOptions {
  now?: () => number;
  /** Access tokens live this long (OK: 30 minutes). */
  accessTtlMs?: number;
}

interface Session {
  app: FakeOkApp;
  user: FakeOkUser;
  scope: string[];
  expiresAt: number;
}

export interface OkFake {
  baseUrl: string;
  server: FakeServer;
  topics: FakeTopic[];
  liveTopics(group: FakeOkGroup): FakeTopic[];
  addApp(app?: Partial<FakeOkApp>): FakeOkApp;
  addUser(user?: Partial<FakeOkUser>): FakeOkUser;
  addGroup(group?: Partial<FakeOkGroup>): FakeOkGroup;
  setRole(group: FakeOkGroup, user: FakeOkUser, role: OkRole | null): void;
  /** The next consent is given by this user with these permissions (default all asked). */
  signInAs(user: FakeOkUser, scope?: string[]): void;
  /** A session for tests that skip the browser; `expiresAt` as OK would say. */
  issueTokens(app: FakeOkApp, user: FakeOkUser, scope?: string[]): { accessToken: string; refreshToken: string; expiresAt: number };
  expireAccessTokens(): void;
  /** The REST methods called, in order. */
  methods(): string[];
  failNext(fault: OkFault, options?: OkFaultOptions): void;
  readonly violations: string[];
  close(): Promise<void>;
}

const md5 = (text: string) => createHash('md5').update(text, 'utf8').digest('hex');
const token = (prefix: string) => `${prefix}${randomBytes(12).toString('hex')}`;
const ALL_SCOPE = ['VALUABLE_ACCESS', 'PHOTO_CONTENT', 'GROUP_CONTENT'];
const POSTING_ROLES: readonly OkRole[] = ['ADMIN', 'MODERATOR', 'EDITOR', 'SUPER_MODERATOR'];

class OkApiError extends Error {
  constructor(
    readonly code: number,
    readonly name_: string,
    readonly detail: string,
  ) {
    super(`${name_} : ${detail}`);
  }
}

const okError = (code: number, name: string, detail: string): FakeResponse => ({
  status: 200,
  json: { error_code: code, error_msg: `${name} : ${detail}`, error_data: null },
});

export async function startOkFake(options: OkFakeOptions = {}): Promise<OkFake> {
  const now = options.now ?? Date.now;
  const accessTtlMs = options.accessTtlMs ?? 30 * 60_000;
  const apps = new Map<string, FakeOkApp>();
  const users: FakeOkUser[] = [];
  const groups: FakeOkGroup[] = [];
  const roles = new Map<string, OkRole>();
  const codes = new Map<string, { app: FakeOkApp; user: FakeOkUser; scope: string[]; redirectUri: string }>();
  const sessions = new Map<string, Session>();
  const refreshTokens = new Map<string, Omit<Session, 'expiresAt'>>();
  const uploads = new Map<string, { session: Session; groupId: string; photoIds: string[] }>();
  const photoTokens = new Map<string, UploadedFile>();
  const topics: FakeTopic[] = [];
  let consent: { user: FakeOkUser; scope: string[] } | undefined;
  let nextId = 1;
  let nextTopic = 70_100_000_000_000;

  const server = await startFakeServer(handle, {
    name: 'OK fake',
    validator: okMethodsSpec(),
    answers: {
      rateLimited: () => okError(8, 'FLOOD_BLOCKED', 'Flood control'),
      serverError: (status) => ({ status, text: `<html><body><h1>${status}</h1></body></html>` }),
      refused: (messages) => okError(100, 'PARAM', messages.join('; ')),
    },
    label: (req) => (req.path === '/fb.do' ? (okParams(req).method ?? 'fb.do') : `${req.method} ${req.path}`),
  });

  function handle(req: FakeRequest): FakeResponse {
    try {
      if (req.method === 'GET' && req.path === '/oauth/authorize') return authorize(req);
      if (req.method === 'POST' && req.path === '/oauth/token.do') return tokenEndpoint(req);
      if (req.method === 'POST' && req.path.startsWith('/upload/')) return upload(req);
      if (req.method === 'POST' && req.path === '/fb.do') return restCall(req);
      return { status: 404, text: 'Not Found' };
    } catch (error) {
      if (!(error instanceof OkApiError)) throw error;
      return okError(error.code, error.name_, error.detail);
    }
  }

  function authorize(req: FakeRequest): FakeResponse {
    const q = req.query;
    const app = apps.get(q.get('client_id') ?? '');
    const redirectUri = q.get('redirect_uri') ?? '';
    if (!app) return { status: 400, text: 'Unknown application' };
    // The redirect_uri must match a registered one character for character; the query is not compared.
    if (!app.redirectUris.includes(redirectUri.split('?')[0]!)) return { status: 400, text: 'redirect_uri mismatch' };
    if (q.get('response_type') !== 'code') return { status: 400, text: 'response_type must be code' };
    if (!consent) return redirect(redirectUri, { error: 'access_denied', state: q.get('state') ?? '' });
    const asked = (q.get('scope') ?? '').split(';').filter(Boolean);
    const code = token('code');
    codes.set(code, { app, user: consent.user, scope: asked.filter((s) => consent!.scope.includes(s)), redirectUri });
    return redirect(redirectUri, { code, state: q.get('state') ?? '' });
  }

  function redirect(uri: string, params: Record<string, string>): FakeResponse {
    const url = new URL(uri);
    for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
    return { status: 302, headers: { location: url.toString() } };
  }

  function tokenEndpoint(req: FakeRequest): FakeResponse {
    const p = okParams(req);
    const app = apps.get(p.client_id ?? '');
    if (!app || p.client_secret !== app.secretKey) return { status: 200, json: { error: 'invalid_client', error_description: 'Invalid client credentials' } };
    if (p.grant_type === 'authorization_code') {
      const grant = codes.get(p.code ?? '');
      codes.delete(p.code ?? '');
      if (!grant || grant.app !== app || grant.redirectUri !== p.redirect_uri) return { status: 200, json: { error: 'invalid_grant', error_description: 'Expired code' } };
      const issued = issue(grant.app, grant.user, grant.scope);
      return { status: 200, json: { access_token: issued.accessToken, token_type: 'session', refresh_token: issued.refreshToken, expires_in: String(accessTtlMs / 1000) } };
    }
    if (p.grant_type === 'refresh_token') {
      const grant = refreshTokens.get(p.refresh_token ?? '');
      if (!grant || grant.app !== app) return { status: 200, json: { error: 'invalid_grant', error_description: 'Invalid refresh token' } };
      const accessToken = token('tkn');
      sessions.set(accessToken, { ...grant, expiresAt: now() + accessTtlMs });
      return { status: 200, json: { access_token: accessToken, token_type: 'session', expires_in: String(accessTtlMs / 1000) } };
    }
    return { status: 200, json: { error: 'unsupported_grant_type', error_description: 'Unsupported grant type' } };
  }

  function issue(app: FakeOkApp, user: FakeOkUser, scope: string[]) {
    const accessToken = token('tkn');
    const refreshToken = token('rfr');
    const expiresAt = now() + accessTtlMs;
    sessions.set(accessToken, { app, user, scope, expiresAt });
    refreshTokens.set(refreshToken, { app, user, scope });
    return { accessToken, refreshToken, expiresAt };
  }

  function restCall(req: FakeRequest): FakeResponse {
    const p = okParams(req);
    const app = [...apps.values()].find((a) => a.publicKey === p.application_key);
    if (!app) throw new OkApiError(101, 'PARAM_API_KEY', 'Application key is invalid');
    const session = sessions.get(p.access_token ?? '');
    if (!session || session.app !== app) throw new OkApiError(103, 'PARAM_SESSION_KEY', 'Invalid session key');
    if (now() >= session.expiresAt) throw new OkApiError(102, 'PARAM_SESSION_EXPIRED', 'Session expired');
    const signed = Object.keys(p).filter((k) => k !== 'sig' && k !== 'access_token').sort().map((k) => `${k}=${p[k]}`).join('');
    const expected = md5(signed + md5((p.access_token ?? '') + app.secretKey));
    if (p.sig !== expected) {
      server.violate(req, 'wrong signature', true);
      throw new OkApiError(104, 'PARAM_SIGNATURE', `Invalid signature ${p.sig ?? ''}`);
    }
    if (req.spec?.operation === undefined) {
      server.violate(req, `no such method ${p.method ?? ''}`, true);
      throw new OkApiError(3, 'METHOD', `Method ${p.method ?? ''} does not exist`);
    }
    const refusal = server.refusal(req);
    if (refusal) return refusal;
    return { status: 200, json: dispatch(p.method!, p, session) };
  }

  function need(session: Session, permission: string): void {
    if (!session.scope.includes(permission)) throw new OkApiError(10, 'PERMISSION_DENIED', `No permission ${permission}`);
  }

  function groupOf(id: string | undefined): FakeOkGroup {
    const group = groups.find((g) => g.id === id);
    if (!group) throw new OkApiError(160, 'PARAM_GROUP_ID', `Invalid group id ${id ?? ''}`);
    return group;
  }

  function membership(group: FakeOkGroup, uid: string) {
    const role = roles.get(`${group.id}:${uid}`);
    return { groupId: group.id, userId: uid, status: role === 'ADMIN' ? 'ADMIN' : role === 'MODERATOR' ? 'MODERATOR' : role ? 'ACTIVE' : 'UNKNOWN', ...(role ? { role } : {}) };
  }

  function dispatch(method: string, p: Record<string, string>, session: Session): unknown {
    switch (method) {
      case 'users.getCurrentUser':
        return { uid: session.user.uid, name: session.user.name };
      case 'group.getUserGroupsV2': {
        // A page of memberships with status and role (apiok.ru/dev/methods/rest/group/group.getUserGroupsV2); the anchor is the next offset.
        const mine = groups.filter((g) => roles.has(`${g.id}:${session.user.uid}`));
        const from = p.anchor ? Number(p.anchor) : 0;
        const page = mine.slice(from, from + Math.min(Number(p.count ?? '100'), 100));
        return { groups: page.map((g) => membership(g, session.user.uid)), anchor: String(from + page.length) };
      }
      case 'group.getInfo':
        need(session, 'VALUABLE_ACCESS');
        return p.uids!.split(',').flatMap((id) => groups.filter((g) => g.id === id)).map((g) => ({ uid: g.id, name: g.name }));
      case 'group.getUserGroupsByIds': {
        const group = groupOf(p.group_id);
        return p.uids!.split(',').map((uid) => membership(group, uid));
      }
      case 'photosV2.getUploadUrl': {
        need(session, 'PHOTO_CONTENT');
        const group = groupOf(p.gid);
        const count = Number(p.count ?? '1');
        const id = String(nextId++);
        const photoIds = Array.from({ length: count }, () => token('ph'));
        uploads.set(id, { session, groupId: group.id, photoIds });
        return { upload_url: `${server.baseUrl}/upload/${id}?apiToken=${token('up')}`, photo_ids: photoIds, expires_ms: now() + 86_400_000, ttl_ms: 86_400_000 };
      }
      case 'mediatopic.post':
        return post(p, session);
      case 'mediatopic.deleteTopic': {
        need(session, 'GROUP_CONTENT');
        const topic = topics.find((t) => t.id === p.topic_id && !t.deleted && (p.gid === undefined || t.groupId === p.gid));
        if (!topic) throw new OkApiError(300, 'NOT_FOUND', `Topic ${p.topic_id ?? ''} not found`);
        if (!canPost(topic.groupId, session.user.uid)) throw new OkApiError(10, 'PERMISSION_DENIED', 'No rights to delete this topic');
        topic.deleted = true;
        return { success: true };
      }
      case 'group.getStatTopics': {
        const group = groupOf(p.gid);
        if (!canPost(group.id, session.user.uid)) throw new OkApiError(10, 'PERMISSION_DENIED', 'Statistics are for the group\'s administration');
        const from = Number(p.start_time ?? 0);
        const to = Number(p.end_time ?? Number.MAX_SAFE_INTEGER);
        const listed = topics.filter((t) => t.groupId === group.id && !t.deleted && t.hasStats && t.createdMs >= from && t.createdMs <= to);
        return { topics: listed.slice(0, Number(p.count ?? 100)).map((t) => ({ id: t.id, created_ms: t.createdMs })), has_more: false };
      }
      case 'mediatopic.getByIds': {
        const ids = p.topic_ids!.split(',');
        if (ids.length > 1 && p.media_limit === undefined) throw new OkApiError(100, 'PARAM', 'media_limit is required for several topics');
        const found = topics.filter((t) => ids.includes(t.id) && !t.deleted);
        return { media_topics: found.map((t) => ({ id: t.id, created_ms: t.createdMs, media: t.attachment.media })) };
      }
      default:
        throw new OkApiError(3, 'METHOD', `Method ${method} is not served by the fake`);
    }
  }

  function canPost(groupId: string, uid: string): boolean {
    const role = roles.get(`${groupId}:${uid}`);
    return role !== undefined && POSTING_ROLES.includes(role);
  }

  function post(p: Record<string, string>, session: Session): string {
    need(session, 'GROUP_CONTENT');
    if (p.type !== 'GROUP_THEME' || p.gid === undefined) throw new OkApiError(100, 'PARAM', 'gid needs type=GROUP_THEME');
    const group = groupOf(p.gid);
    if (!canPost(group.id, session.user.uid)) throw new OkApiError(10, 'PERMISSION_DENIED', 'You are not allowed to post in this group');
    const attachment = JSON.parse(p.attachment!) as { media: Array<Record<string, unknown>> };
    const photos: UploadedFile[] = [];
    for (const block of attachment.media) {
      if (block.type !== 'photo') continue;
      for (const item of block.list as Array<{ id: string }>) {
        const photo = photoTokens.get(item.id);
        if (!photo) throw new OkApiError(121, 'PARAM_PHOTO_ID', `Invalid photo token ${item.id}`);
        photoTokens.delete(item.id);
        photos.push(photo);
      }
    }
    const topic: FakeTopic = { id: String(nextTopic++), groupId: group.id, authorUid: session.user.uid, createdMs: now(), attachment, photos, hasStats: true, deleted: false };
    topics.push(topic);
    return topic.id;
  }

  function upload(req: FakeRequest): FakeResponse {
    const id = req.path.slice('/upload/'.length);
    const pending = uploads.get(id);
    if (!pending || !req.query.get('apiToken')) return { status: 200, json: { error_code: 100, error_msg: 'PARAM : Unknown upload' } };
    if (req.body.type !== 'multipart') return { status: 200, json: { error_code: 21, error_msg: 'NOT_MULTIPART : Not a multipart request' } };
    const files = req.body.files;
    const photos: Record<string, { token: string }> = {};
    files.forEach(([name, file], i) => {
      const photoId = pending.photoIds[i];
      if (name !== `pic${i + 1}` || photoId === undefined) {
        server.violate(req, `upload part ${name} is not pic${i + 1}`, true);
        return;
      }
      const photoToken = token('tok');
      photoTokens.set(photoToken, file);
      photos[photoId] = { token: photoToken };
    });
    uploads.delete(id);
    return { status: 200, json: { photos } };
  }

  return {
    baseUrl: server.baseUrl,
    server,
    topics,
    liveTopics: (group) => topics.filter((t) => t.groupId === group.id && !t.deleted),
    addApp(app = {}) {
      const made: FakeOkApp = {
        id: app.id ?? String(512_000_000 + nextId++),
        publicKey: app.publicKey ?? `CB${randomBytes(6).toString('hex').toUpperCase()}`,
        secretKey: app.secretKey ?? randomBytes(16).toString('hex').toUpperCase(),
        redirectUris: app.redirectUris ?? [],
      };
      apps.set(made.id, made);
      return made;
    },
    addUser(user = {}) {
      const made = { uid: user.uid ?? String(570_000_000_000 + nextId++), name: user.name ?? 'Olga Manager' };
      users.push(made);
      return made;
    },
    addGroup(group = {}) {
      const made = { id: group.id ?? String(53_000_000_000_000 + nextId++), name: group.name ?? 'Bakery Club' };
      groups.push(made);
      return made;
    },
    setRole(group, user, role) {
      if (role === null) roles.delete(`${group.id}:${user.uid}`);
      else roles.set(`${group.id}:${user.uid}`, role);
    },
    signInAs(user, scope = ALL_SCOPE) {
      consent = { user, scope };
    },
    issueTokens: (app, user, scope = ALL_SCOPE) => issue(app, user, scope),
    expireAccessTokens() {
      for (const session of sessions.values()) session.expiresAt = now() - 1;
    },
    methods: () => server.requests.filter((r) => r.path === '/fb.do').map((r) => okParams(r).method ?? ''),
    failNext(fault, faultOptions = {}) {
      const match = (req: FakeRequest) => req.path === '/fb.do' && (faultOptions.method === undefined || okParams(req).method === faultOptions.method);
      const after = faultOptions.afterHandling ?? false;
      const made =
        fault.kind === 'rate_limited'
          ? server.fault({ kind: 'rate_limited', retryAfterMs: 0 }, after)
          : fault.kind === 'server_error'
            ? server.fault({ kind: 'server_error', status: fault.status }, after)
            : fault.kind === 'service'
              ? { kind: 'respond' as const, response: okError(2, 'SERVICE', 'Service temporary unavailable'), afterHandling: after }
              : server.fault({ kind: fault.kind }, after);
      server.faults.next(made, faultOptions.count ?? 1, match);
    },
    get violations() {
      return server.violations;
    },
    close: () => server.close(),
  };
}
