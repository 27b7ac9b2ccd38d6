import { createHash, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GRAPH_API_VERSION } from '../../main/services/connectors/meta/graph';
import { fileOf, startFakeServer, type Fault, type FakeRequest, type FakeResponse, type FakeServer, type NetworkAnswers, type NetworkFault, type RequestMatcher, type UploadedFile } from './fake-server';
import {
  bucUsageHeaders,
  checkAppSecretProof,
  cursorList,
  failNextGraph,
  GraphError,
  graphAnswers,
  graphErrorJson,
  graphNodeValidator,
  graphParams,
  graphPathOf,
  graphTime,
  graphTokenOf,
  insightsAnswer,
  metricsAsked,
  readCodegen,
  selectFields,
  summaryList,
  type GraphErrorSwitch,
} from './graph-fake';

/**
 * A loopback Facebook Graph API for the Pages connector and its sign-in (CONTRACTS.md §6). Every
 * Graph call `METHOD /v<ver>/{id}[/{edge}]` is routed to the node type the fake gave `{id}` (Page,
 * PagePost, Photo, AdVideo, Comment, User) and checked against Meta's own description of it
 * (specs/meta-graph-codegen-specs via graph-fake.ts, shared with the Instagram fake): parameter names, required ones,
 * types, enums and `fields=`. Off-spec requests are recorded as violations (close() throws on any
 * no answer told the client about); refused ones get Graph's (#100) error.
 *
 * State: apps (id, secret), users and their Pages with tokens, posts (published, scheduled; a
 * scheduled post goes out, keeping its id, once the fake's clock passes its time), photos
 * (unpublished until attached), videos (one upload, or start/transfer/finish), comments; the Login
 * dialog and the token endpoint (code, fb_exchange_token). Switches: `failNext` answers a Graph
 * error code (190 with a subcode, 4/17/32/80001 with usage headers, 368, 100…), `faults` lose
 * answers (reset after handling) or answer 5xx after handling; `revoke` kills a token.
 */

export const FAKE_GRAPH_VERSION = GRAPH_API_VERSION;

export interface FakeFbApp {
  id: string;
  secret: string;
}

export interface FakeFbUser {
  id: string;
  name: string;
}

export interface FakeFbPage {
  id: string;
  name: string;
  category: string;
  /** The Page token the fake hands out from a long-lived user token. */
  token: string;
  instagramAccountId: string | null;
  instagramUsername: string | null;
  /** What its admins may do there, as /me/accounts lists it (`tasks`: MANAGE, CREATE_CONTENT, MODERATE…). */
  tasks: string[];
}

export interface FakeFbPost {
  id: string;
  pageId: string;
  message: string;
  link?: string;
  /** Photo ids attached (one photo post, or attached_media). */
  photos: string[];
  videoId?: string;
  createdAt: number;
  published: boolean;
  /** Unix seconds, for a scheduled post. */
  scheduledAt: number | null;
  deleted: boolean;
  /** What people did with it, as a test sets it (`react`). */
  counts?: FakeFbCounts;
}

/** A post's numbers: reactions of every type, shares, lifetime unique viewers; `comments` overrides the count of the fake's own top-level comments. */
export interface FakeFbCounts {
  reactions?: number;
  shares?: number;
  views?: number;
  comments?: number;
}

export interface FakeFbPhoto {
  id: string;
  pageId: string;
  fileName: string;
  contentType: string | undefined;
  bytes: Buffer;
  alt?: string;
  published: boolean;
  temporary: boolean;
  postId?: string;
  deleted: boolean;
}

export interface FakeFbVideo {
  id: string;
  pageId: string;
  description: string;
  bytes: Buffer;
  /** How it arrived: 1 for one upload, else the number of transfer chunks. */
  chunks: number;
  published: boolean;
  scheduledAt: number | null;
  postId: string;
  deleted: boolean;
  /** The custom thumbnail (`thumb`), sent with the call that made the post. */
  thumb?: UploadedFile;
}

export interface FakeFbComment {
  id: string;
  objectId: string;
  message: string;
  fromId: string;
  createdAt: number;
  deleted: boolean;
}

export type { GraphErrorSwitch } from './graph-fake';

export interface FacebookFakeOptions {
  now?: () => number;
  /** Bytes Meta asks for per transfer chunk (default 1 MiB). */
  chunkBytes?: number;
}

export interface FacebookFake {
  baseUrl: string;
  server: FakeServer;
  requests: FakeRequest[];
  violations: string[];
  faults: FakeServer['faults'];
  fault(fault: NetworkFault, afterHandling?: boolean): Fault;
  apps: FakeFbApp[];
  posts: FakeFbPost[];
  photos: FakeFbPhoto[];
  videos: FakeFbVideo[];
  comments: FakeFbComment[];
  addApp(): FakeFbApp;
  addUser(name?: string): FakeFbUser;
  addPage(options?: { name?: string; instagram?: boolean; admins?: FakeFbUser[]; tasks?: string[] }): FakeFbPage;
  /** The next Login dialog approves as this user (or declines). */
  signInAs(user: FakeFbUser | 'decline'): void;
  /** Graph answers this token with 190 and `subcode` from now on. */
  revoke(token: string, subcode?: number): void;
  /** The next `count` Graph calls that match answer this error instead of running. */
  failNext(error: GraphErrorSwitch, match?: RequestMatcher, count?: number): void;
  /** `POST /{page}/feed`-style matcher: method and a path ending. */
  match(method: string, pathEnd: RegExp): RequestMatcher;
  /** Sets what people did with a post (merged over what was set before). */
  react(postId: string, counts: FakeFbCounts): void;
  /** Posts the Page shows: published, not deleted. */
  livePosts(page: FakeFbPage): FakeFbPost[];
  scheduledPosts(page: FakeFbPage): FakeFbPost[];
  /** Graph's own path for a node or edge: `/v24.0/<rest>`. */
  path(rest: string): string;
  close(): Promise<void>;
}

type Token = { kind: 'user'; userId: string; appId: string; long: boolean; expiresAt: number } | { kind: 'page'; pageId: string };

const NODES = ['Page', 'PagePost', 'Post', 'Photo', 'AdVideo', 'Comment', 'User'] as const;
type NodeType = (typeof NODES)[number];

/** The window the fake enforces for scheduled_publish_time: 10 minutes to 30 days (CONTRACTS.md §6, ⚠ as read). */
const MIN_AHEAD_S = 10 * 60;
const MAX_AHEAD_S = 30 * 24 * 60 * 60;

export async function startFacebookFake(options: FacebookFakeOptions = {}): Promise<FacebookFake> {
  const now = options.now ?? Date.now;
  const chunkBytes = options.chunkBytes ?? 1024 * 1024;
  const apps: FakeFbApp[] = [];
  const users: FakeFbUser[] = [];
  const pages: FakeFbPage[] = [];
  const admins = new Map<string, Set<string>>();
  const tokens = new Map<string, Token>();
  const revoked = new Map<string, number | undefined>();
  const codes = new Map<string, { appId: string; userId: string; redirectUri: string; challenge: string | null }>();
  const types = new Map<string, NodeType>();
  const posts: FakeFbPost[] = [];
  const photos: FakeFbPhoto[] = [];
  const videos: FakeFbVideo[] = [];
  const comments: FakeFbComment[] = [];
  const sessions = new Map<string, { pageId: string; videoId: string; size: number; received: Buffer[]; offset: number }>();
  let signIn: FakeFbUser | 'decline' | undefined;
  let nextId = 100_000;
  const newId = () => String(nextId++);

  const { nodes, enums } = readCodegen(NODES);
  // The accounts edge adds the user's `tasks` on each Page (developers.facebook.com/docs/pages-api/overview); the codegen node lacks it.
  nodes['Page'] = { ...nodes['Page']!, fields: [...(nodes['Page']!.fields ?? []), { name: 'tasks', type: 'list<string>' }] };
  const prefix = `/${GRAPH_API_VERSION}/`;
  const parts = graphPathOf;
  const tokenOf = graphTokenOf;

  function nodeOf(id: string, req: FakeRequest): NodeType | undefined {
    if (id !== 'me') return types.get(id);
    const token = tokens.get(tokenOf(req) ?? '');
    return token?.kind === 'page' ? 'Page' : token ? 'User' : undefined;
  }

  const validator = graphNodeValidator({ nodes, enums, nodeOf: (id, req) => nodeOf(id, req) });

  const errorJson = graphErrorJson;
  // Graph's throttle: code 80001 with the Page's BUC usage header saying when access comes back.
  const answers: NetworkAnswers = graphAnswers((retryAfterMs) => ({
    error: new GraphError(80001, 'There have been too many calls to this Page account. Wait a bit and try again.'),
    headers: bucUsageHeaders(pages[0]?.id ?? '1', 'pages', retryAfterMs),
  }));
  const server = await startFakeServer(handle, { name: 'Facebook fake', validator, answers });
  // Meta's CDN for a Photo's `images`: its bytes at their own address while the photo exists (the Page relay hands that address to Instagram).
  const cdn = createServer((req, res) => {
    const ph = photos.find((x) => req.method === 'GET' && req.url === `/photos/${x.id}` && !x.deleted);
    if (ph) res.writeHead(200, { 'content-type': ph.contentType ?? 'application/octet-stream' }).end(ph.bytes);
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => cdn.listen(0, '127.0.0.1', resolve));
  const cdnUrl = `http://127.0.0.1:${(cdn.address() as AddressInfo).port}`;
  const params = graphParams;

  /** Meta's scheduler: posts whose time has come go out, keeping their id. */
  function release(): void {
    const seconds = now() / 1000;
    for (const post of posts) {
      if (!post.published && post.scheduledAt !== null && post.scheduledAt <= seconds && !post.deleted) {
        post.published = true;
        post.createdAt = post.scheduledAt * 1000;
        const video = videos.find((v) => v.postId === post.id);
        if (video) video.published = true;
      }
    }
  }

  async function handle(req: FakeRequest): Promise<FakeResponse> {
    release();
    if (req.path === `${prefix}dialog/oauth`) return dialog(req);
    try {
      if (req.path === `${prefix}oauth/access_token`) return { status: 200, json: tokenEndpoint(req) };
      const at = parts(req);
      if (!at) {
        server.violate(req, `not a Graph ${GRAPH_API_VERSION} path`, true);
        return { status: 400, json: errorJson(new GraphError(2500, 'Unknown path components')) };
      }
      const refusal = server.refusal(req);
      if (refusal) return refusal;
      const p = params(req);
      const token = authenticate(req, p);
      const node = nodeOf(at.id, req);
      const id = at.id === 'me' ? (token.kind === 'page' ? token.pageId : token.userId) : at.id;
      if (!node || isDeleted(id)) throw notFound(at.id);
      return { status: 200, json: dispatch(req, node, id, at.edge, p, token) };
    } catch (error) {
      if (!(error instanceof GraphError)) throw error;
      return { status: error.status, json: errorJson(error) };
    }
  }

  function notFound(id: string): GraphError {
    return new GraphError(100, `Unsupported request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`, 33);
  }

  function authenticate(req: FakeRequest, p: Record<string, string>): Token {
    const value = p['access_token'];
    const token = value ? tokens.get(value) : undefined;
    if (!value || !token) throw new GraphError(190, 'Invalid OAuth access token - Cannot parse access token');
    if (revoked.has(value)) throw new GraphError(190, 'Error validating access token: The session has been invalidated.', revoked.get(value));
    if (token.kind === 'user' && token.expiresAt <= now()) throw new GraphError(190, 'Error validating access token: Session has expired.', 463);
    checkAppSecretProof(server, req, value, p['appsecret_proof'], apps.filter((a) => token.kind === 'page' || a.id === token.appId).map((a) => a.secret));
    return token;
  }

  function pageToken(token: Token, pageId: string): void {
    if (token.kind !== 'page' || token.pageId !== pageId) throw new GraphError(200, '(#200) The user hasn\u2019t authorized the application to perform this action; use the Page access token');
  }

  function isDeleted(id: string): boolean {
    const type = types.get(id);
    if (type === 'PagePost') return posts.find((x) => x.id === id)?.deleted ?? true;
    if (type === 'Photo') return photos.find((x) => x.id === id)?.deleted ?? true;
    if (type === 'AdVideo') return videos.find((x) => x.id === id)?.deleted ?? true;
    if (type === 'Comment') return comments.find((x) => x.id === id)?.deleted ?? true;
    return false;
  }

  function dispatch(req: FakeRequest, node: NodeType, id: string, edge: string | undefined, p: Record<string, string>, token: Token): unknown {
    const route = `${req.method} ${node}${edge ? `/${edge}` : ''}`;
    switch (route) {
      case 'GET User':
        return select({ id, name: users.find((u) => u.id === id)?.name }, p);
      case 'GET Page':
        return select(pageJson(pages.find((x) => x.id === id)!), p);
      case 'GET User/accounts':
        return list(pagesOf(id, token).map(pageJson), p);
      case 'POST Page/feed':
        pageToken(token, id);
        return feed(id, p);
      case 'POST Page/photos':
        pageToken(token, id);
        return photo(req, id, p);
      case 'POST Page/videos':
        pageToken(token, id);
        return video(req, id, p);
      case 'GET Page/published_posts':
      case 'GET Page/scheduled_posts': {
        pageToken(token, id);
        const want = edge === 'published_posts';
        const found = posts.filter((x) => x.pageId === id && !x.deleted && x.published === want && (want || x.scheduledAt !== null)).sort((a, b) => b.createdAt - a.createdAt || Number(b.id.split('_')[1]) - Number(a.id.split('_')[1]));
        return list(found.map(postJson), p);
      }
      case 'GET PagePost':
        return select(postJson(posts.find((x) => x.id === id)!), p);
      case 'POST PagePost':
        return updatePost(token, posts.find((x) => x.id === id)!, p);
      case 'GET AdVideo':
        return select(videoJson(videos.find((x) => x.id === id)!), p);
      case 'POST AdVideo':
        return updateVideo(token, videos.find((x) => x.id === id)!, p);
      case 'GET Photo': {
        const ph = photos.find((x) => x.id === id)!;
        return select({ id: ph.id, alt_text_custom: ph.alt, images: [{ source: `${cdnUrl}/photos/${ph.id}` }] }, p);
      }
      case 'GET Comment': {
        const c = comments.find((x) => x.id === id)!;
        return select(commentJson(c), p);
      }
      case 'DELETE PagePost':
      case 'DELETE Photo':
      case 'DELETE AdVideo':
      case 'DELETE Comment':
        return remove(token, node, id);
      case 'POST PagePost/comments':
      case 'POST AdVideo/comments':
      case 'POST Photo/comments':
        return comment(token, id, p);
      case 'GET PagePost/comments':
      case 'GET AdVideo/comments': {
        const found = comments.filter((c) => c.objectId === id && !c.deleted).sort((a, b) => a.createdAt - b.createdAt);
        if (p['order'] === 'reverse_chronological') found.reverse();
        const listed = list(found.map(commentJson), p) as Record<string, unknown>;
        // The fake's comments are all top-level: filter=toplevel and stream count the same.
        const total = posts.find((x) => x.id === id)?.counts?.comments ?? found.length;
        return p['summary'] ? { ...listed, summary: { order: p['order'] ?? 'ranked', total_count: total, can_comment: true } } : listed;
      }
      case 'GET PagePost/reactions': {
        // Who reacted is not kept, only how many: the list is empty whatever the limit.
        const total = posts.find((x) => x.id === id)!.counts?.reactions ?? 0;
        return p['summary'] ? summaryList(total, { viewer_reaction: 'NONE' }) : { data: [] };
      }
      case 'GET PagePost/insights':
        pageToken(token, posts.find((x) => x.id === id)!.pageId);
        return postInsights(id, metricsAsked(p['metric']));
      default:
        server.violate(req, `the fake does not serve ${route}`, true);
        throw new GraphError(100, `(#100) Unsupported ${route}`);
    }
  }

  /**
   * Page post insights: the one views metric Outpost reads; metrics Meta retired (impressions, June and
   * November 2025, "Deprecated Page Insights Metrics") are refused as Meta refuses them.
   */
  function postInsights(id: string, asked: string[]): unknown {
    if (asked.length === 0) throw new GraphError(100, '(#100) No metric was specified to be fetched. Please specify one or more metrics to be fetched and try again.', 1504028);
    for (const name of asked) if (name !== 'post_total_media_view_unique') throw new GraphError(100, `(#100) The value must be a valid insights metric: ${name}`);
    return insightsAnswer(id, asked, { post_total_media_view_unique: posts.find((x) => x.id === id)!.counts?.views ?? 0 });
  }

  function owning(token: Token, pageId: string): void {
    pageToken(token, pageId);
  }

  function pagesOf(userId: string, token: Token): FakeFbPage[] {
    if (token.kind !== 'user') throw new GraphError(100, '(#100) Tried accessing nonexisting field (accounts) on node type (Page)');
    return pages.filter((x) => admins.get(x.id)?.has(userId));
  }

  function pageJson(x: FakeFbPage): Record<string, unknown> {
    return { id: x.id, name: x.name, category: x.category, access_token: x.token, tasks: x.tasks, ...(x.instagramAccountId ? { instagram_business_account: { id: x.instagramAccountId, username: x.instagramUsername } } : {}) };
  }

  function postJson(x: FakeFbPost): Record<string, unknown> {
    return {
      id: x.id,
      ...(x.message ? { message: x.message } : {}),
      created_time: graphTime(x.createdAt),
      is_published: x.published,
      ...(x.scheduledAt !== null ? { scheduled_publish_time: x.scheduledAt } : {}),
      permalink_url: `https://www.facebook.com/${x.id}`,
      // ⚠ As Graph is seen to answer: no `shares` at all on a post nobody shared.
      ...(x.counts?.shares ? { shares: { count: x.counts.shares } } : {}),
    };
  }

  function videoJson(v: FakeFbVideo): Record<string, unknown> {
    const post = posts.find((x) => x.id === v.postId)!;
    return { id: v.id, description: v.description, published: v.published, post_id: v.postId, created_time: graphTime(post.createdAt), ...(v.scheduledAt !== null ? { scheduled_publish_time: v.scheduledAt } : {}), permalink_url: `https://www.facebook.com/${v.pageId}/videos/${v.id}` };
  }

  function commentJson(c: FakeFbComment): Record<string, unknown> {
    return { id: c.id, message: c.message, created_time: graphTime(c.createdAt), from: { id: c.fromId, name: pages.find((x) => x.id === c.fromId)?.name ?? '' } };
  }

  const select = selectFields;

  function list(items: Array<Record<string, unknown>>, p: Record<string, string>): unknown {
    return cursorList(items, p, (after) => `${server.baseUrl}${prefix}next?after=${after}`);
  }

  /** published / scheduled_publish_time as Meta takes them: false + a time in the window schedules. */
  function schedule(p: Record<string, string>): { published: boolean; scheduledAt: number | null } {
    const published = p['published'] === undefined ? true : p['published'] === 'true' || p['published'] === '1';
    const at = p['scheduled_publish_time'];
    if (at === undefined) return { published, scheduledAt: null };
    if (published) throw new GraphError(100, '(#100) Published posts cannot be scheduled');
    const seconds = /^\d+$/.test(at) ? Number(at) : Math.floor(Date.parse(at) / 1000);
    const ahead = seconds - now() / 1000;
    if (ahead < MIN_AHEAD_S || ahead > MAX_AHEAD_S) throw new GraphError(100, '(#100) The specified scheduled publish time is invalid.');
    return { published: false, scheduledAt: seconds };
  }

  function newPost(pageId: string, fields: Partial<FakeFbPost>, when: { published: boolean; scheduledAt: number | null }): FakeFbPost {
    const post: FakeFbPost = { id: `${pageId}_${newId()}`, pageId, message: '', photos: [], createdAt: now(), deleted: false, ...fields, ...when };
    posts.push(post);
    types.set(post.id, 'PagePost');
    return post;
  }

  function feed(pageId: string, p: Record<string, string>): unknown {
    const attached: string[] = [];
    if (p['attached_media'] !== undefined) {
      for (const item of JSON.parse(p['attached_media']) as Array<{ media_fbid?: string }>) {
        const ph = photos.find((x) => x.id === item.media_fbid && x.pageId === pageId && !x.deleted);
        if (!ph || ph.published || ph.postId) throw new GraphError(100, `(#100) attached_media: ${item.media_fbid ?? '?'} is not an unpublished photo of this Page`);
        attached.push(ph.id);
      }
    }
    if (!p['message'] && !p['link'] && attached.length === 0) throw new GraphError(100, '(#100) Missing message or attachment');
    const when = schedule(p);
    // Photos of a scheduled post must be temporary, or Meta cleans them up before the post goes out.
    if (when.scheduledAt !== null && attached.some((phId) => !photos.find((x) => x.id === phId)!.temporary)) throw new GraphError(100, '(#100) Unpublished photos of a scheduled post must be temporary');
    const post = newPost(pageId, { message: p['message'] ?? '', ...(p['link'] ? { link: p['link'] } : {}), photos: attached }, when);
    for (const phId of attached) photos.find((x) => x.id === phId)!.postId = post.id;
    return { id: post.id };
  }

  function photo(req: FakeRequest, pageId: string, p: Record<string, string>): unknown {
    const file = fileOf(req.body, 'source');
    if (!file) throw new GraphError(324, '(#324) Requires upload file');
    const when = schedule(p);
    const ph: FakeFbPhoto = {
      id: newId(),
      pageId,
      fileName: file.fileName,
      contentType: file.contentType,
      bytes: file.bytes,
      ...(p['alt_text_custom'] ? { alt: p['alt_text_custom'] } : {}),
      published: when.published,
      temporary: p['temporary'] === 'true',
      deleted: false,
    };
    photos.push(ph);
    types.set(ph.id, 'Photo');
    if (!when.published && when.scheduledAt === null) return { id: ph.id };
    const post = newPost(pageId, { message: p['message'] ?? '', photos: [ph.id] }, when);
    ph.postId = post.id;
    return { id: ph.id, post_id: post.id };
  }

  function video(req: FakeRequest, pageId: string, p: Record<string, string>): unknown {
    const phase = p['upload_phase'];
    if (phase === 'start') {
      const size = Number(p['file_size']);
      if (!(size > 0)) throw new GraphError(100, '(#100) file_size is required to start an upload');
      const session = { pageId, videoId: newId(), size, received: [] as Buffer[], offset: 0 };
      const id = newId();
      sessions.set(id, session);
      return { upload_session_id: id, video_id: session.videoId, start_offset: '0', end_offset: String(Math.min(chunkBytes, size)) };
    }
    if (phase === 'transfer' || phase === 'finish') {
      const session = sessions.get(p['upload_session_id'] ?? '');
      if (!session || session.pageId !== pageId) throw new GraphError(100, '(#100) Invalid upload_session_id');
      if (phase === 'transfer') {
        const chunk = fileOf(req.body, 'video_file_chunk');
        if (!chunk) throw new GraphError(100, '(#100) video_file_chunk is required');
        if (Number(p['start_offset']) !== session.offset) throw new GraphError(100, `(#100) start_offset must be ${session.offset}`, 1363037);
        session.received.push(chunk.bytes);
        session.offset += chunk.bytes.length;
        return { start_offset: String(session.offset), end_offset: String(Math.min(session.offset + chunkBytes, session.size)) };
      }
      if (session.offset !== session.size) throw new GraphError(100, '(#100) The upload is not complete');
      sessions.delete(p['upload_session_id']!);
      makeVideo(pageId, session.videoId, Buffer.concat(session.received), session.received.length, p, thumbOf(req));
      return { success: true };
    }
    const file = fileOf(req.body, 'source');
    if (!file) throw new GraphError(100, '(#100) source or file_url is required');
    return { id: makeVideo(pageId, newId(), file.bytes, 1, p, thumbOf(req)).id };
  }

  /** A video's `thumb` file part: an image, as the video's thumbnail image. */
  function thumbOf(req: FakeRequest): UploadedFile | undefined {
    const thumb = fileOf(req.body, 'thumb');
    if (thumb && !/^image\/(jpeg|png)$/.test(thumb.contentType ?? '')) throw new GraphError(100, '(#100) The thumbnail must be a JPEG or PNG image');
    return thumb;
  }

  function makeVideo(pageId: string, id: string, bytes: Buffer, chunks: number, p: Record<string, string>, thumb?: UploadedFile): FakeFbVideo {
    const when = schedule(p);
    const post = newPost(pageId, { message: p['description'] ?? '', videoId: id }, when);
    const v: FakeFbVideo = { id, pageId, description: p['description'] ?? '', bytes, chunks, published: when.published, scheduledAt: when.scheduledAt, postId: post.id, deleted: false, ...(thumb ? { thumb } : {}) };
    videos.push(v);
    types.set(id, 'AdVideo');
    return v;
  }

  function updatePost(token: Token, post: FakeFbPost, p: Record<string, string>): unknown {
    owning(token, post.pageId);
    if (p['scheduled_publish_time'] !== undefined) {
      if (post.published) throw new GraphError(100, '(#100) A published post cannot be scheduled');
      post.scheduledAt = schedule({ ...p, published: 'false' }).scheduledAt;
    }
    if (p['message'] !== undefined) post.message = p['message'];
    return { success: true };
  }

  function updateVideo(token: Token, v: FakeFbVideo, p: Record<string, string>): unknown {
    owning(token, v.pageId);
    const post = posts.find((x) => x.id === v.postId)!;
    if (p['scheduled_publish_time'] !== undefined) {
      if (v.published) throw new GraphError(100, '(#100) A published video cannot be scheduled');
      v.scheduledAt = post.scheduledAt = schedule({ ...p, published: 'false' }).scheduledAt;
    }
    if (p['description'] !== undefined) v.description = post.message = p['description'];
    return { success: true };
  }

  function remove(token: Token, node: NodeType, id: string): unknown {
    if (node === 'PagePost') {
      const post = posts.find((x) => x.id === id)!;
      owning(token, post.pageId);
      post.deleted = true;
      for (const v of videos) if (v.postId === id) v.deleted = true;
    } else if (node === 'AdVideo') {
      const v = videos.find((x) => x.id === id)!;
      owning(token, v.pageId);
      v.deleted = true;
      posts.find((x) => x.id === v.postId)!.deleted = true;
    } else if (node === 'Photo') {
      const ph = photos.find((x) => x.id === id)!;
      owning(token, ph.pageId);
      ph.deleted = true;
    } else {
      comments.find((x) => x.id === id)!.deleted = true;
    }
    return { success: true };
  }

  function comment(token: Token, objectId: string, p: Record<string, string>): unknown {
    const post = posts.find((x) => x.id === objectId || x.videoId === objectId || x.photos.includes(objectId));
    if (!post || !post.published) throw new GraphError(100, '(#100) Comments are not allowed on an unpublished post');
    owning(token, post.pageId);
    if (!p['message']) throw new GraphError(100, '(#100) A comment needs a message');
    const c: FakeFbComment = { id: `${objectId.split('_').pop()!}_${newId()}`, objectId, message: p['message'], fromId: post.pageId, createdAt: now(), deleted: false };
    comments.push(c);
    types.set(c.id, 'Comment');
    return { id: c.id };
  }

  /** The Login dialog: approves (or declines) as `signInAs` said, and sends the browser back. */
  function dialog(req: FakeRequest): FakeResponse {
    const q = req.query;
    const app = apps.find((a) => a.id === q.get('client_id'));
    const redirect = q.get('redirect_uri');
    if (!app || !redirect) {
      server.violate(req, 'the Login dialog needs a known client_id and a redirect_uri', true);
      return { status: 400, text: 'Invalid App ID' };
    }
    for (const name of ['state', 'scope']) if (!q.get(name)) server.violate(req, `the Login dialog was opened without ${name}`, false);
    if (q.get('response_type') !== 'code') server.violate(req, 'response_type must be code (the manual flow, then the secret exchange)', false);
    const target = new URL(redirect);
    if (q.get('state')) target.searchParams.set('state', q.get('state')!);
    if (signIn === 'decline' || signIn === undefined) {
      target.searchParams.set('error', 'access_denied');
      target.searchParams.set('error_reason', 'user_denied');
      return { status: 302, headers: { location: target.toString() } };
    }
    const code = randomBytes(24).toString('base64url');
    const method = q.get('code_challenge_method');
    if (q.get('code_challenge') && method !== 'S256') server.violate(req, `code_challenge_method ${method ?? '(none)'}; Outpost sends S256`, false);
    codes.set(code, { appId: app.id, userId: signIn.id, redirectUri: redirect, challenge: q.get('code_challenge') });
    target.searchParams.set('code', code);
    return { status: 302, headers: { location: target.toString() } };
  }

  /** GET /oauth/access_token: a code (with the app secret) or a user token for a long-lived one. */
  function tokenEndpoint(req: FakeRequest): unknown {
    const p = params(req);
    if (req.method !== 'GET') server.violate(req, 'the token endpoint is called with GET', false);
    const app = apps.find((a) => a.id === p['client_id']);
    if (!app || p['client_secret'] !== app.secret) throw new GraphError(1, 'Error validating client secret.');
    if (p['grant_type'] === 'fb_exchange_token') {
      const old = tokens.get(p['fb_exchange_token'] ?? '');
      if (!old || old.kind !== 'user' || old.expiresAt <= now()) throw new GraphError(190, 'Error validating access token: Session has expired.', 463);
      return issue(old.userId, app.id, true);
    }
    const pending = codes.get(p['code'] ?? '');
    codes.delete(p['code'] ?? '');
    if (!pending || pending.appId !== app.id) throw new GraphError(100, 'This authorization code has been used.', 36009);
    if (pending.redirectUri !== p['redirect_uri']) throw new GraphError(100, 'Error validating verification code. Please make sure your redirect_uri is identical to the one you used in the OAuth dialog request', 36008);
    if (pending.challenge !== null) {
      const verifier = p['code_verifier'] ?? '';
      if (createHash('sha256').update(verifier).digest('base64url') !== pending.challenge) {
        server.violate(req, 'the PKCE verifier does not match the challenge', true);
        throw new GraphError(100, 'Invalid code verifier');
      }
    }
    return issue(pending.userId, app.id, false);
  }

  function issue(userId: string, appId: string, long: boolean): unknown {
    const value = `EAA${long ? 'L' : 'S'}${randomBytes(24).toString('base64url')}`;
    const expiresIn = long ? 60 * 24 * 3600 : 2 * 3600;
    tokens.set(value, { kind: 'user', userId, appId, long, expiresAt: now() + expiresIn * 1000 });
    return { access_token: value, token_type: 'bearer', expires_in: expiresIn };
  }

  return {
    baseUrl: server.baseUrl,
    server,
    requests: server.requests,
    violations: server.violations,
    faults: server.faults,
    fault: (f, after) => server.fault(f, after),
    apps,
    posts,
    photos,
    videos,
    comments,
    addApp() {
      const app = { id: String(1_000_000_000_000 + apps.length), secret: randomBytes(16).toString('hex') };
      apps.push(app);
      return app;
    },
    addUser(name = 'Anna Lind') {
      const user = { id: newId(), name };
      users.push(user);
      types.set(user.id, 'User');
      return user;
    },
    addPage(opts = {}) {
      const page: FakeFbPage = {
        id: newId(),
        name: opts.name ?? 'Corner Bakery',
        category: 'Bakery',
        token: `EAAP${randomBytes(24).toString('base64url')}`,
        instagramAccountId: opts.instagram ? `1784${newId()}` : null,
        instagramUsername: opts.instagram ? (opts.name ?? 'Corner Bakery').toLowerCase().replace(/[^a-z0-9]+/g, '_') : null,
        tasks: opts.tasks ?? ['ANALYZE', 'ADVERTISE', 'MODERATE', 'CREATE_CONTENT', 'MANAGE'],
      };
      pages.push(page);
      types.set(page.id, 'Page');
      tokens.set(page.token, { kind: 'page', pageId: page.id });
      admins.set(page.id, new Set((opts.admins ?? []).map((u) => u.id)));
      return page;
    },
    signInAs(user) {
      signIn = user;
    },
    revoke(token, subcode) {
      revoked.set(token, subcode);
    },
    failNext(error, match, count) {
      failNextGraph(server, error, match, count);
    },
    match(method, pathEnd) {
      return (req) => req.method === method && pathEnd.test(req.path);
    },
    react(postId, counts) {
      const post = posts.find((x) => x.id === postId)!;
      post.counts = { ...post.counts, ...counts };
    },
    livePosts: (page) => posts.filter((x) => x.pageId === page.id && x.published && !x.deleted),
    scheduledPosts: (page) => posts.filter((x) => x.pageId === page.id && !x.published && x.scheduledAt !== null && !x.deleted),
    path: (rest) => `${prefix}${rest}`,
    close: async () => {
      cdn.closeAllConnections();
      await new Promise<void>((resolve) => cdn.close(() => resolve()));
      await server.close();
    },
  };
}
