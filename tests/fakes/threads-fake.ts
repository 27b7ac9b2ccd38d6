import { randomBytes } from 'node:crypto';
import { THREADS_API_VERSION } from '../../main/services/connectors/threads/api';
import { startFakeServer, type Fault, type FakeRequest, type FakeResponse, type FakeServer, type NetworkAnswers, type NetworkFault, type RequestMatcher } from './fake-server';
import { insightsAnswer, metricsAsked } from './graph-fake';
import { noOperation, readSpec, type RequestValidator, type SpecCheck, type SpecViolation } from './validate/spec';

/**
 * A loopback Threads API (graph.threads.net) for the Threads connector and its sign-in
 * (CONTRACTS.md §10), built from Meta's official Postman collection
 * (specs/threads-api.postman_collection.json, read at start): every request is matched to one of
 * the collection's (method, path) pairs, and its query and form parameters to the names the
 * collection lists for it (enabled or not: disabled ones are the optional ones); `media_type` and
 * `reply_control` are checked against the collection's variables, and `fields=` against the field
 * list variable the collection's own request names. An unknown endpoint is refused with Graph's
 * (#100); an unknown parameter is recorded (close() throws unless a test empties `violations`).
 * Example answers (the publishing limit's totals) come from the collection's saved responses.
 *
 * State: apps, users, tokens (short 1 h → long 60 d → refreshed, a refresh only 24 h after issue),
 * containers (IN_PROGRESS → FINISHED after `processingPolls` status reads; ERROR or EXPIRED by
 * switch), posts and replies, deletes, and the rolling 24 h quota. Image and video containers
 * FETCH their image_url / video_url at creation, as Threads does, so a broken relay fails the test.
 * A container published twice is a violation (the exactly-once rule). Switches: `failNext`
 * (Graph codes 190, 4, 32, 100…), `nextContainers` (ERROR / EXPIRED), `faults` (lost answers,
 * 5xx after handling), `revoke`.
 */

export const THREADS_COLLECTION = 'threads-api.postman_collection.json';

interface PostmanItem {
  name: string;
  item?: PostmanItem[];
  request?: { method: string; url: { raw: string; path?: string[]; query?: Array<{ key: string; value?: string | null; disabled?: boolean }> } };
  response?: Array<{ body?: string }>;
}

interface PostmanCollection {
  item: PostmanItem[];
  variable: Array<{ key: string; value: string }>;
  auth?: { oauth2?: Array<{ key: string; value: unknown }> };
}

/** One endpoint as the collection describes it, its parameters merged over every request for it. */
export interface CollectionEndpoint {
  method: string;
  /** Segments; `{id}` for a {{variable}} segment. */
  path: string[];
  params: Set<string>;
  /** The field list variable named by `fields={{…}}`, as names. */
  fields: Set<string> | undefined;
  examples: unknown[];
}

export interface ThreadsCollectionSpec {
  endpoints: CollectionEndpoint[];
  enums: Record<string, string[]>;
  variables: Record<string, string>;
}

const listOf = (value: string) => value.split(',').map((v) => v.trim()).filter(Boolean);

/** Reads the Postman collection into endpoints, enums and variables. */
export function readThreadsCollection(): ThreadsCollectionSpec {
  const collection = readSpec<PostmanCollection>(THREADS_COLLECTION);
  const variables = Object.fromEntries(collection.variable.map((v) => [v.key, String(v.value ?? '')]));
  const byKey = new Map<string, CollectionEndpoint>();
  const walk = (items: PostmanItem[]) => {
    for (const item of items) {
      if (item.item) walk(item.item);
      if (!item.request) continue;
      const { method, url } = item.request;
      const path = (url.path ?? []).filter((s) => s !== '').map((s) => (/^\{\{.*\}\}$/.test(s) ? '{id}' : s));
      const key = `${method} /${path.join('/')}`;
      const endpoint = byKey.get(key) ?? { method, path, params: new Set<string>(), fields: undefined, examples: [] };
      for (const q of url.query ?? []) {
        endpoint.params.add(q.key);
        const variable = q.key === 'fields' ? /^\{\{(\w+)\}\}$/.exec(q.value ?? '')?.[1] : undefined;
        if (variable && variables[variable]) {
          endpoint.fields ??= new Set();
          for (const name of topLevel(variables[variable])) endpoint.fields.add(name);
        }
      }
      for (const response of item.response ?? []) {
        try {
          endpoint.examples.push(JSON.parse(response.body ?? ''));
        } catch {
          // Some saved answers are empty.
        }
      }
      byKey.set(key, endpoint);
    }
  };
  walk(collection.item);
  // The authorization window is the collection's OAuth 2 settings (authUrl …/oauth/authorize?response_type=code), not a request.
  const oauth = Object.fromEntries((collection.auth?.oauth2 ?? []).map((e) => [e.key, e.value]));
  if (typeof oauth.authUrl === 'string' && oauth.authUrl.includes('/oauth/authorize')) {
    byKey.set('GET /oauth/authorize', { method: 'GET', path: ['oauth', 'authorize'], params: new Set(['response_type', 'client_id', 'redirect_uri', 'scope', 'state']), fields: undefined, examples: [] });
  }
  return {
    endpoints: [...byKey.values()],
    enums: { media_type: listOf(variables.media_type ?? ''), reply_control: listOf(variables.reply_control ?? '') },
    variables,
  };
}

/** `id,poll_attachment{option_a,…},owner` → id, poll_attachment, owner. */
function topLevel(selection: string): string[] {
  const names: string[] = [];
  let depth = 0;
  let current = '';
  for (const char of selection) {
    if (char === '{') depth += 1;
    else if (char === '}') depth -= 1;
    else if (char === ',' && depth === 0) {
      names.push(current.trim());
      current = '';
    } else if (depth === 0) current += char;
  }
  names.push(current.trim());
  return names.filter(Boolean);
}

/** Parameters the collection leaves to its OAuth settings: the token (`addTokenTo: queryParams`). */
const EVERYWHERE = new Set(['access_token']);

/** Strips Threads' version (the docs' /v1.0/…; the collection's paths carry none). */
function segmentsOf(path: string): string[] {
  const parts = path.split('/').filter((s) => s !== '');
  return parts[0] === THREADS_API_VERSION ? parts.slice(1) : parts;
}

/** The collection's endpoint for a request: literal segments win over `{id}`. */
export function matchEndpoint(spec: ThreadsCollectionSpec, method: string, path: string): CollectionEndpoint | undefined {
  const parts = segmentsOf(path);
  const fits = spec.endpoints.filter((e) => e.method === method && e.path.length === parts.length && e.path.every((s, i) => s === '{id}' || s === parts[i]));
  return fits.sort((a, b) => b.path.filter((s) => s !== '{id}').length - a.path.filter((s) => s !== '{id}').length)[0];
}

export function threadsCollectionValidator(spec: ThreadsCollectionSpec): RequestValidator {
  return {
    warm: () => undefined,
    check(req: FakeRequest): SpecCheck {
      const endpoint = matchEndpoint(spec, req.method, req.path);
      if (!endpoint) return { ...noOperation(), violations: [{ message: 'no such endpoint in the Threads Postman collection', refused: true }] };
      // Postman puts every parameter in the query; Meta takes form bodies too (specs/README.md): both are merged.
      const wire: Record<string, string> = { ...Object.fromEntries(req.query), ...Object.fromEntries(req.body.fields) };
      const violations: SpecViolation[] = [];
      for (const [name, value] of Object.entries(wire)) {
        if (!endpoint.params.has(name) && !EVERYWHERE.has(name)) violations.push({ message: `unexpected parameter "${name}"`, refused: false });
        const allowed = spec.enums[name];
        if (allowed && allowed.length > 0 && !allowed.includes(value)) violations.push({ message: `${name} must be one of ${allowed.join(', ')}`, refused: true });
      }
      if (endpoint.fields && wire.fields !== undefined) {
        for (const field of topLevel(wire.fields)) if (!endpoint.fields.has(field)) violations.push({ message: `unknown field "${field}"`, refused: true });
      }
      return { operation: `${endpoint.method} /${endpoint.path.join('/')}`, path: {}, query: {}, body: wire, violations };
    },
  };
}

export interface FakeThreadsApp {
  id: string;
  secret: string;
}

export interface FakeThreadsUser {
  id: string;
  username: string;
  name: string;
}

export type ContainerStatus = 'IN_PROGRESS' | 'FINISHED' | 'ERROR' | 'EXPIRED' | 'PUBLISHED';

export interface FakeThreadsContainer {
  id: string;
  userId: string;
  mediaType: string;
  params: Record<string, string>;
  status: ContainerStatus;
  errorMessage?: string;
  /** Status reads left before FINISHED. */
  pending: number;
  /** What the fake fetched from image_url / video_url. */
  fetched?: { url: string; bytes: Buffer; contentType: string | null };
  publishedAs?: string;
}

export interface FakeThreadsPost {
  id: string;
  userId: string;
  containerId: string;
  mediaType: string;
  text: string;
  linkAttachment?: string;
  replyControl?: string;
  topicTag?: string;
  replyToId?: string;
  /** Bytes of each image or video, in order (carousel children included). */
  media: Buffer[];
  altTexts: string[];
  createdAt: number;
  deleted: boolean;
  /** What people did with it, as a test sets it (`react`); `replies` overrides the count of the fake's own replies. */
  counts?: Partial<Record<ThreadsPostMetric, number>>;
}

/** The post insights the collection's `metrics_post` names. */
export type ThreadsPostMetric = 'views' | 'likes' | 'replies' | 'reposts' | 'quotes' | 'shares';

export interface GraphErrorSwitch {
  code: number;
  subcode?: number;
  message?: string;
  status?: number;
  headers?: Record<string, string>;
}

export interface ThreadsFakeOptions {
  now?: () => number;
  /** Status reads an IMAGE/VIDEO container stays IN_PROGRESS (default IMAGE 0, VIDEO 2, CAROUSEL 0). */
  processingPolls?: Partial<Record<'IMAGE' | 'VIDEO' | 'CAROUSEL' | 'TEXT', number>>;
}

export interface ThreadsFake {
  baseUrl: string;
  server: FakeServer;
  requests: FakeRequest[];
  violations: string[];
  faults: FakeServer['faults'];
  fault(fault: NetworkFault, afterHandling?: boolean): Fault;
  spec: ThreadsCollectionSpec;
  apps: FakeThreadsApp[];
  containers: FakeThreadsContainer[];
  posts: FakeThreadsPost[];
  addApp(): FakeThreadsApp;
  addUser(username?: string): FakeThreadsUser;
  /** A long-lived token for the user, issued `ageMs` ago and ending in `expiresInMs`. */
  issueToken(user: FakeThreadsUser, app: FakeThreadsApp, options?: { ageMs?: number; expiresInMs?: number }): string;
  /** The next authorization window approves as this user (or declines). */
  signInAs(user: FakeThreadsUser | 'decline'): void;
  revoke(token: string, subcode?: number): void;
  failNext(error: GraphErrorSwitch, match?: RequestMatcher, count?: number): void;
  /** The next `count` containers created end in this status instead of FINISHED. */
  nextContainers(status: 'ERROR' | 'EXPIRED', count?: number, errorMessage?: string): void;
  match(method: string, pathEnd: RegExp): RequestMatcher;
  /** Sets what people did with a post (merged over what was set before). */
  react(postId: string, counts: Partial<Record<ThreadsPostMetric, number>>): void;
  /** The user's live top-level posts (not replies). */
  livePosts(user: FakeThreadsUser): FakeThreadsPost[];
  replies(postId: string): FakeThreadsPost[];
  path(rest: string): string;
  close(): Promise<void>;
}

class GraphError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly subcode?: number,
    readonly status = 400,
  ) {
    super(message);
  }
}

type Token = { userId: string; appId: string; long: boolean; issuedAt: number; expiresAt: number };

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const LONG_LIVED_S = 5_184_000;
const DELETES_PER_DAY = 100;

export async function startThreadsFake(options: ThreadsFakeOptions = {}): Promise<ThreadsFake> {
  const now = options.now ?? Date.now;
  const polls = { IMAGE: 0, VIDEO: 2, CAROUSEL: 0, TEXT: 0, ...options.processingPolls };
  const spec = readThreadsCollection();
  const quotaExample = spec.endpoints.find((e) => e.path.join('/') === 'me/threads_publishing_limit')?.examples[0] as
    | { data?: Array<{ config?: { quota_total?: number; quota_duration?: number }; reply_config?: { quota_total?: number } }> }
    | undefined;
  const quota = {
    posts: quotaExample?.data?.[0]?.config?.quota_total ?? 250,
    replies: quotaExample?.data?.[0]?.reply_config?.quota_total ?? 1000,
    durationS: quotaExample?.data?.[0]?.config?.quota_duration ?? 86_400,
  };
  const apps: FakeThreadsApp[] = [];
  const users: FakeThreadsUser[] = [];
  const tokens = new Map<string, Token>();
  const revoked = new Map<string, number | undefined>();
  const codes = new Map<string, { appId: string; userId: string; redirectUri: string }>();
  const containers: FakeThreadsContainer[] = [];
  const posts: FakeThreadsPost[] = [];
  const deletes: number[] = [];
  const endings: Array<{ status: 'ERROR' | 'EXPIRED'; errorMessage?: string }> = [];
  let signIn: FakeThreadsUser | 'decline' | undefined;
  let nextId = 17_890_000_000;
  const newId = () => String(nextId++);

  const errorJson = (e: GraphError) => ({
    error: { message: e.message, type: e.code === 190 ? 'OAuthException' : 'THApiException', code: e.code, ...(e.subcode !== undefined ? { error_subcode: e.subcode } : {}), fbtrace_id: randomBytes(8).toString('base64url') },
  });
  const answers: NetworkAnswers = {
    // ⚠ Threads' throttle as Graph's: code 4 (app limit) with X-App-Usage.
    rateLimited: (retryAfterMs) => ({
      status: 400,
      headers: { 'x-app-usage': JSON.stringify({ call_count: 100, total_cputime: 10, total_time: 10 }), 'retry-after': String(Math.ceil(retryAfterMs / 1000)) },
      json: errorJson(new GraphError(4, 'Application request limit reached')),
    }),
    serverError: (status) => ({ status, json: { error: { message: 'An unexpected error has occurred. Please retry your request later.', type: 'OAuthException', code: 2, is_transient: true } } }),
    refused: (messages) => ({ status: 400, json: errorJson(new GraphError(100, `(#100) ${messages.join('; ')}`)) }),
  };
  const server = await startFakeServer(handle, { name: 'Threads fake', validator: threadsCollectionValidator(spec), answers });

  function params(req: FakeRequest): Record<string, string> {
    const out: Record<string, string> = Object.fromEntries(req.query);
    for (const [name, value] of req.body.fields) out[name] = value;
    return out;
  }

  async function handle(req: FakeRequest): Promise<FakeResponse> {
    const parts = segmentsOf(req.path);
    const route = `${req.method} /${parts.join('/')}`;
    if (route === 'GET /oauth/authorize') return authorize(req);
    try {
      const refusal = server.refusal(req);
      if (refusal) return refusal;
      const p = params(req);
      if (route === 'POST /oauth/access_token') return ok(codeExchange(req, p));
      if (route === 'GET /access_token') return ok(exchange(p));
      if (route === 'GET /refresh_access_token') return ok(refresh(p));
      const token = authenticate(p);
      const me = token.userId;
      switch (route) {
        case 'GET /me':
          return ok(select({ id: me, username: userOf(me).username, name: userOf(me).name }, p));
        case 'POST /me/threads':
          return ok(await createContainer(req, me, p));
        case 'POST /me/threads_publish':
          return ok(publish(req, me, p));
        case 'GET /me/threads':
          return ok(list(posts.filter((x) => x.userId === me && !x.deleted && !x.replyToId), p));
        case 'GET /me/threads_publishing_limit':
          return ok(limit(me, p));
      }
      const [id, edge] = parts;
      if (parts.length === 2 && edge === 'replies' && req.method === 'GET') return ok(list(posts.filter((x) => x.replyToId === id && !x.deleted), p, me));
      if (parts.length === 2 && edge === 'insights' && req.method === 'GET') return ok(insights(req, me, id!, p));
      if (parts.length === 1 && id) {
        if (req.method === 'GET') return ok(node(me, id, p));
        if (req.method === 'DELETE') return ok(remove(me, id));
      }
      throw new GraphError(100, `Unsupported ${req.method} request.`);
    } catch (error) {
      if (!(error instanceof GraphError)) throw error;
      return { status: error.status, json: errorJson(error) };
    }
  }

  const ok = (json: unknown): FakeResponse => ({ status: 200, json });

  function userOf(id: string): FakeThreadsUser {
    return users.find((u) => u.id === id)!;
  }

  function authenticate(p: Record<string, string>): Token {
    const value = p['access_token'];
    const token = value ? tokens.get(value) : undefined;
    if (!value || !token) throw new GraphError(190, 'Invalid OAuth access token - Cannot parse access token');
    if (revoked.has(value)) throw new GraphError(190, 'Error validating access token: The session has been invalidated.', revoked.get(value));
    if (token.expiresAt <= now()) throw new GraphError(190, 'Error validating access token: Session has expired.', 463);
    return token;
  }

  function select(item: Record<string, unknown>, p: Record<string, string>): Record<string, unknown> {
    const wanted = topLevel(p['fields'] ?? 'id');
    return Object.fromEntries(Object.entries(item).filter(([k, v]) => v !== undefined && (k === 'id' || wanted.includes(k))));
  }

  function postJson(post: FakeThreadsPost, viewer?: string): Record<string, unknown> {
    return {
      id: post.id,
      media_product_type: 'THREADS',
      media_type: post.mediaType === 'TEXT' ? 'TEXT_POST' : post.mediaType === 'CAROUSEL' ? 'CAROUSEL_ALBUM' : post.mediaType,
      permalink: `https://www.threads.net/@${userOf(post.userId).username}/post/${post.id}`,
      owner: { id: post.userId },
      username: userOf(post.userId).username,
      text: post.text || undefined,
      timestamp: new Date(post.createdAt).toISOString().replace(/\.\d+Z$/, '+0000'),
      link_attachment_url: post.linkAttachment,
      topic_tag: post.topicTag,
      is_reply: post.replyToId !== undefined,
      ...(viewer !== undefined ? { is_reply_owned_by_me: post.userId === viewer } : {}),
    };
  }

  /** Newest first; since/until in unix seconds; cursor paging (Graph's results guide). */
  function list(items: FakeThreadsPost[], p: Record<string, string>, viewer?: string): unknown {
    const since = p['since'] ? Number(p['since']) * 1000 : -Infinity;
    const until = p['until'] ? Number(p['until']) * 1000 : Infinity;
    const chosen = items.filter((x) => x.createdAt >= since && x.createdAt <= until).sort((a, b) => b.createdAt - a.createdAt || Number(b.id) - Number(a.id));
    const size = Math.min(Number(p['limit'] ?? 25), 100);
    const start = p['after'] ? Number(Buffer.from(p['after'], 'base64url').toString()) : 0;
    const page = chosen.slice(start, start + size).map((x) => select(postJson(x, viewer), p));
    const end = start + page.length;
    const cursor = (n: number) => Buffer.from(String(n)).toString('base64url');
    return { data: page, paging: { cursors: { before: cursor(start), after: cursor(end) }, ...(end < chosen.length ? { next: `${server.baseUrl}/${THREADS_API_VERSION}/me/threads?after=${cursor(end)}` } : {}) } };
  }

  async function createContainer(req: FakeRequest, userId: string, p: Record<string, string>): Promise<unknown> {
    const type = p['media_type'];
    if (!type) throw new GraphError(100, 'The parameter media_type is required.');
    const carouselItem = p['is_carousel_item'] === 'true';
    if (type === 'TEXT' && !p['text'] && !p['link_attachment']) throw new GraphError(100, 'The parameter text is required for text posts.');
    if (p['link_attachment'] && type !== 'TEXT') throw new GraphError(100, 'link_attachment is only available for text posts.');
    if (carouselItem && (p['text'] || p['reply_control'] || p['topic_tag'])) server.violate(req, 'a carousel item carries text or post settings (the collection lists none for it)', false);
    if (p['reply_to_id'] && !posts.some((x) => x.id === p['reply_to_id'] && !x.deleted)) throw new GraphError(100, `Object with ID '${p['reply_to_id']}' does not exist.`, 33);
    if (p['text'] && [...p['text']].length > 500 * 4) throw new GraphError(100, 'The text is too long.');
    const c: FakeThreadsContainer = { id: newId(), userId, mediaType: type, params: p, status: 'IN_PROGRESS', pending: polls[type as keyof typeof polls] ?? 0 };
    if (type === 'IMAGE' || type === 'VIDEO') {
      const url = p[type === 'IMAGE' ? 'image_url' : 'video_url'];
      if (!url) throw new GraphError(100, `The parameter ${type === 'IMAGE' ? 'image_url' : 'video_url'} is required.`);
      // Threads "will cURL your image using the URL provided": so does the fake, now.
      try {
        const response = await fetch(url);
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        c.fetched = { url, bytes: Buffer.from(await response.arrayBuffer()), contentType: response.headers.get('content-type') };
      } catch {
        c.status = 'ERROR';
        // ⚠ The troubleshooting guide lists FAILED_DOWNLOADING_VIDEO; the image's word is the fake's.
        c.errorMessage = type === 'IMAGE' ? 'FAILED_DOWNLOADING_IMAGE' : 'FAILED_DOWNLOADING_VIDEO';
      }
    }
    if (type === 'CAROUSEL') {
      const children = (p['children'] ?? '').split(',').filter(Boolean);
      if (children.length < 2 || children.length > 20) throw new GraphError(100, 'A carousel needs 2 to 20 children.');
      for (const id of children) {
        const child = containers.find((x) => x.id === id && x.userId === userId);
        if (!child || child.params['is_carousel_item'] !== 'true') throw new GraphError(100, `Child ${id} is not a carousel item container of this user.`);
        if (child.status !== 'FINISHED') throw new GraphError(100, `Child ${id} is not ready (${child.status}).`);
      }
    }
    const ending = c.status === 'IN_PROGRESS' ? endings.shift() : undefined;
    if (ending) {
      c.status = ending.status;
      if (ending.errorMessage) c.errorMessage = ending.errorMessage;
      c.pending = 0;
    }
    containers.push(c);
    return { id: c.id };
  }

  function statusRead(c: FakeThreadsContainer): void {
    if (c.status !== 'IN_PROGRESS') return;
    if (c.pending > 0) c.pending -= 1;
    else c.status = 'FINISHED';
  }

  function publish(req: FakeRequest, userId: string, p: Record<string, string>): unknown {
    const c = containers.find((x) => x.id === p['creation_id'] && x.userId === userId);
    if (!c) throw new GraphError(100, `Object with ID '${p['creation_id'] ?? ''}' does not exist.`, 33);
    if (c.status === 'PUBLISHED') {
      // Exactly once: the connector must never publish a container again.
      server.violate(req, `container ${c.id} published a second time`, false);
      throw new GraphError(100, 'The media has already been published.');
    }
    if (c.params['is_carousel_item'] === 'true') throw new GraphError(100, 'A carousel item cannot be published on its own.');
    // Threads processes text containers at once; media must have been seen FINISHED.
    if (c.mediaType === 'TEXT' && c.status === 'IN_PROGRESS') c.status = 'FINISHED';
    if (c.status === 'EXPIRED') throw new GraphError(100, 'The media container has expired.');
    if (c.status !== 'FINISHED') throw new GraphError(100, `The media is not ready to be published (${c.status}).`);
    const reply = c.params['reply_to_id'];
    const used = posts.filter((x) => x.userId === userId && (reply ? x.replyToId : !x.replyToId) && x.createdAt > now() - quota.durationS * 1000).length;
    if (used >= (reply ? quota.replies : quota.posts)) throw new GraphError(4, 'The user has reached the publishing limit.');
    const children = c.mediaType === 'CAROUSEL' ? (c.params['children'] ?? '').split(',').map((id) => containers.find((x) => x.id === id)!) : c.fetched ? [c] : [];
    const post: FakeThreadsPost = {
      id: newId(),
      userId,
      containerId: c.id,
      mediaType: c.mediaType,
      text: c.params['text'] ?? '',
      ...(c.params['link_attachment'] ? { linkAttachment: c.params['link_attachment'] } : {}),
      ...(c.params['reply_control'] ? { replyControl: c.params['reply_control'] } : {}),
      ...(c.params['topic_tag'] ? { topicTag: c.params['topic_tag'] } : {}),
      ...(reply ? { replyToId: reply } : {}),
      media: children.map((x) => x.fetched!.bytes),
      altTexts: children.map((x) => x.params['alt_text'] ?? ''),
      createdAt: now(),
      deleted: false,
    };
    posts.push(post);
    c.status = 'PUBLISHED';
    c.publishedAs = post.id;
    for (const child of children) if (child !== c) child.status = 'PUBLISHED';
    return { id: post.id };
  }

  function node(userId: string, id: string, p: Record<string, string>): unknown {
    const c = containers.find((x) => x.id === id && x.userId === userId);
    if (c) {
      statusRead(c);
      return select({ id: c.id, status: c.status, error_message: c.errorMessage }, p);
    }
    const post = posts.find((x) => x.id === id && !x.deleted);
    if (!post) throw new GraphError(100, `Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`, 33);
    return select(postJson(post, userId), p);
  }

  /** GET /{threads-media-id}/insights: the metrics the collection's `metrics_post` lists, in its example's shape. */
  function insights(req: FakeRequest, userId: string, id: string, p: Record<string, string>): unknown {
    const post = posts.find((x) => x.id === id && !x.deleted);
    if (!post) throw new GraphError(100, `Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`, 33);
    if (post.userId !== userId) throw new GraphError(10, 'Application does not have permission for this action');
    const known = listOf(spec.variables.metrics_post ?? '');
    const asked = metricsAsked(p['metric']);
    const unknown = asked.filter((m) => !known.includes(m));
    if (asked.length === 0 || unknown.length > 0) {
      server.violate(req, `metric must be some of ${known.join(', ')}`, true);
      throw new GraphError(100, `(#100) Invalid metric: ${unknown.join(', ') || '(none)'}`);
    }
    const c = post.counts ?? {};
    const values = { views: c.views ?? 0, likes: c.likes ?? 0, replies: c.replies ?? posts.filter((x) => x.replyToId === id && !x.deleted).length, reposts: c.reposts ?? 0, quotes: c.quotes ?? 0, shares: c.shares ?? 0 };
    return insightsAnswer(id, asked, values);
  }

  function remove(userId: string, id: string): unknown {
    const post = posts.find((x) => x.id === id && !x.deleted);
    if (!post) throw new GraphError(100, `Object with ID '${id}' does not exist.`, 33);
    if (post.userId !== userId) throw new GraphError(10, 'Application does not have permission for this action');
    const today = deletes.filter((at) => at > now() - DAY);
    if (today.length >= DELETES_PER_DAY) throw new GraphError(4, 'The user has reached the delete limit.');
    deletes.push(now());
    post.deleted = true;
    return { success: true, deleted_id: id };
  }

  function limit(userId: string, p: Record<string, string>): unknown {
    const since = now() - quota.durationS * 1000;
    const mine = posts.filter((x) => x.userId === userId && x.createdAt > since);
    return {
      data: [
        select(
          {
            id: undefined,
            quota_usage: mine.filter((x) => !x.replyToId).length,
            config: { quota_total: quota.posts, quota_duration: quota.durationS },
            reply_quota_usage: mine.filter((x) => x.replyToId).length,
            reply_config: { quota_total: quota.replies, quota_duration: quota.durationS },
          },
          p,
        ),
      ],
    };
  }

  /** The authorization window: approves (or declines) as `signInAs` said, and sends the browser back. */
  function authorize(req: FakeRequest): FakeResponse {
    const refusal = server.refusal(req);
    if (refusal) return refusal;
    const q = req.query;
    const app = apps.find((a) => a.id === q.get('client_id'));
    const redirect = q.get('redirect_uri');
    if (!app || !redirect) {
      server.violate(req, 'the authorization window needs a known client_id and a redirect_uri', true);
      return { status: 400, text: 'Invalid app ID' };
    }
    for (const name of ['state', 'scope']) if (!q.get(name)) server.violate(req, `opened without ${name}`, false);
    if (q.get('response_type') !== 'code') server.violate(req, 'response_type must be code', false);
    if ([...q.values()].some((v) => v === app.secret)) server.violate(req, 'the app secret is in the browser’s address', false);
    const target = new URL(redirect);
    if (q.get('state')) target.searchParams.set('state', q.get('state')!);
    if (signIn === 'decline' || signIn === undefined) {
      target.searchParams.set('error', 'access_denied');
      target.searchParams.set('error_reason', 'user_denied');
      return { status: 302, headers: { location: target.toString() } };
    }
    const code = randomBytes(24).toString('base64url');
    codes.set(code, { appId: app.id, userId: signIn.id, redirectUri: redirect });
    target.searchParams.set('code', code);
    return { status: 302, headers: { location: target.toString() } };
  }

  function issue(userId: string, appId: string, long: boolean): { value: string; expiresIn: number } {
    const value = `TH${long ? 'L' : 'S'}${randomBytes(24).toString('base64url')}`;
    const expiresIn = long ? LONG_LIVED_S : 3600;
    tokens.set(value, { userId, appId, long, issuedAt: now(), expiresAt: now() + expiresIn * 1000 });
    return { value, expiresIn };
  }

  function codeExchange(req: FakeRequest, p: Record<string, string>): unknown {
    if (req.query.has('client_secret')) server.violate(req, 'the app secret rides in the URL (send the form body)', false);
    const app = apps.find((a) => a.id === p['client_id']);
    if (!app || p['client_secret'] !== app.secret) throw new GraphError(101, 'Error validating client secret.');
    if (p['grant_type'] !== 'authorization_code') throw new GraphError(100, 'Unsupported grant_type.');
    const pending = codes.get(p['code'] ?? '');
    codes.delete(p['code'] ?? '');
    if (!pending || pending.appId !== app.id) throw new GraphError(100, 'This authorization code has been used.', 36009);
    if (pending.redirectUri !== p['redirect_uri']) throw new GraphError(100, 'Error validating verification code: redirect_uri is not identical.', 36008);
    const { value } = issue(pending.userId, app.id, false);
    return { access_token: value, user_id: pending.userId };
  }

  function exchange(p: Record<string, string>): unknown {
    if (p['grant_type'] !== 'th_exchange_token') throw new GraphError(100, 'Unsupported grant_type.');
    const old = authenticate(p);
    const app = apps.find((a) => a.id === old.appId)!;
    if (p['client_secret'] !== app.secret) throw new GraphError(101, 'Error validating client secret.');
    if (old.long) throw new GraphError(100, 'A long-lived token cannot be exchanged again.');
    const { value, expiresIn } = issue(old.userId, old.appId, true);
    return { access_token: value, token_type: 'bearer', expires_in: expiresIn };
  }

  function refresh(p: Record<string, string>): unknown {
    if (p['grant_type'] !== 'th_refresh_token') throw new GraphError(100, 'Unsupported grant_type.');
    const old = authenticate(p);
    if (!old.long) throw new GraphError(100, 'Only long-lived tokens can be refreshed.');
    if (now() - old.issuedAt < DAY) throw new GraphError(100, 'The token must be at least 24 hours old to be refreshed.');
    const { value, expiresIn } = issue(old.userId, old.appId, true);
    return { access_token: value, token_type: 'bearer', expires_in: expiresIn };
  }

  return {
    baseUrl: server.baseUrl,
    server,
    requests: server.requests,
    violations: server.violations,
    faults: server.faults,
    fault: (f, after) => server.fault(f, after),
    spec,
    apps,
    containers,
    posts,
    addApp() {
      const app = { id: String(2_000_000_000_000 + apps.length), secret: randomBytes(16).toString('hex') };
      apps.push(app);
      return app;
    },
    addUser(username = 'cornerbakery') {
      const user = { id: newId(), username, name: 'Corner Bakery' };
      users.push(user);
      return user;
    },
    issueToken(user, app, opts = {}) {
      const value = `THL${randomBytes(24).toString('base64url')}`;
      tokens.set(value, { userId: user.id, appId: app.id, long: true, issuedAt: now() - (opts.ageMs ?? 0), expiresAt: now() + (opts.expiresInMs ?? LONG_LIVED_S * 1000) });
      return value;
    },
    signInAs(user) {
      signIn = user;
    },
    revoke(token, subcode) {
      revoked.set(token, subcode);
    },
    failNext(error, match = () => true, count = 1) {
      const status = error.status ?? (error.code === 1 || error.code === 2 ? 500 : 400);
      const body = errorJson(new GraphError(error.code, error.message ?? `(#${error.code}) Graph error ${error.code}`, error.subcode, status));
      server.faults.next({ kind: 'respond', response: { status, json: body, ...(error.headers ? { headers: error.headers } : {}) } }, count, match);
    },
    nextContainers(status, count = 1, errorMessage) {
      for (let i = 0; i < count; i += 1) endings.push({ status, ...(errorMessage ? { errorMessage } : {}) });
    },
    match(method, pathEnd) {
      return (req) => req.method === method && pathEnd.test(req.path);
    },
    react(postId, counts) {
      const post = posts.find((x) => x.id === postId)!;
      post.counts = { ...post.counts, ...counts };
    },
    livePosts: (user) => posts.filter((x) => x.userId === user.id && !x.deleted && !x.replyToId),
    replies: (postId) => posts.filter((x) => x.replyToId === postId && !x.deleted),
    path: (rest) => `/${THREADS_API_VERSION}/${rest}`,
    close: () => server.close(),
  };
}

// The loopback relay moved to loopback-relay.ts (Instagram's tests use it too); Threads' tests import it from here.
export { startLoopbackRelay, type LoopbackRelay } from './loopback-relay';
