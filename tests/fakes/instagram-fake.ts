import { randomBytes } from 'node:crypto';
import { GRAPH_API_VERSION, INSTAGRAM_SUBCODES } from '../../main/services/connectors/meta/graph';
import { startFakeServer, type Fault, type FakeRequest, type FakeResponse, type FakeServer, type NetworkFault, type RequestMatcher } from './fake-server';
import {
  bucUsageHeaders,
  checkAppSecretProof,
  cursorList,
  failNextGraph,
  GraphError,
  graphAnswers,
  graphErrorAnswer,
  graphNodeValidator,
  graphParams,
  graphPathOf,
  graphTime,
  insightsAnswer,
  metricsAsked,
  GRAPH_PREFIX,
  readCodegen,
  selectFields,
  type GraphErrorSwitch,
} from './graph-fake';
import type { CodegenNode } from './validate/meta-codegen';

/**
 * A loopback Instagram Graph API (Facebook Login, graph.facebook.com) for the Instagram connector
 * (CONTRACTS.md §7; developers.facebook.com/docs/instagram-platform/content-publishing). Built on
 * graph-fake.ts like the Facebook fake: every Graph call `METHOD /v<ver>/{id}[/{edge}]` is routed to
 * the node type the fake gave `{id}` (IGUser, IGMedia from Meta's codegen files; IGContainer and
 * IGComment described here, as the codegen copy has no container node and IGComment is not copied)
 * and its parameters, required ones, types and `fields=` checked against that description.
 *
 * What it does as Instagram does:
 * - Containers: POST /{ig-user-id}/media. An image container FETCHES its image_url over HTTP at
 *   once, as Instagram "cURLs" it: a relay that does not serve the file gets code 9004 / subcode
 *   2207052 ("Media download has failed"), a file that is not a JPEG the same. A video_url is fetched
 *   too; its failure shows later as status ERROR. `upload_type=resumable` answers `{id, uri}` and waits
 *   for the bytes at POST /ig-api-upload/<ver>/<container> (the rupload host, here the same
 *   server): `Authorization: OAuth <token>`, `offset`, `file_size` headers, the file as the body.
 * - Processing: GET /{container}?fields=status_code,status reads IN_PROGRESS for `processingReads`
 *   status reads after its media arrived, then FINISHED (or the ending `nextContainers` set: ERROR
 *   with a status text, or EXPIRED); any container older than `containerLifetimeMs` (24 h) reads
 *   EXPIRED and is refused at publish with subcode 2207020.
 * - media_publish: only a FINISHED container; a carousel only when every child is FINISHED; a
 *   container published twice is a violation (exactly once). The 100-posts-a-rolling-24-h limit is
 *   counted and answered with code 9 / subcode 2207042; content_publishing_limit reports it.
 * - Media listing (`since`, cursor paging), permalinks, comments, the IG user node. DELETE of IG
 *   media is refused and recorded as a violation: Outpost must not send it (CONTRACTS.md §7).
 * Switches: `failNext` (Graph codes 190, 4, 80002, 368, 100, 9004, 2207xxx…), `nextContainers`,
 * `faults` (lost answers: reset after handling; 5xx after handling; hangs).
 */

/**
 * The IG container node (developers.facebook.com/docs/instagram-platform/instagram-graph-api/reference/ig-container):
 * not among Meta's codegen files, so described here from the reference page.
 */
const IG_CONTAINER: CodegenNode = {
  apis: [{ method: 'GET', name: '#get', return: 'IGContainer', params: [] }],
  fields: ['copyright_check_status', 'id', 'status', 'status_code'].map((name) => ({ name, type: 'string' })),
};

/** IGComment's fields as Meta's codegen lists them (api_specs/specs/IGComment.json; the file is not copied here). */
const IG_COMMENT: CodegenNode = {
  apis: [{ method: 'GET', name: '#get', return: 'IGComment', params: [] }],
  fields: ['hidden', 'id', 'like_count', 'media', 'text', 'timestamp', 'user', 'username'].map((name) => ({ name, type: 'string' })),
};

const CODEGEN_NODES = ['IGUser', 'IGMedia', 'ContentPublishingLimitResponse', 'IGResumableVideoUploadStatus'] as const;
type NodeType = 'IGUser' | 'IGMedia' | 'IGContainer' | 'IGComment';

export interface FakeIgAccount {
  igUserId: string;
  username: string;
  pageId: string;
  /** The linked Page's token: it signs every call for the IG user. */
  pageToken: string;
  appId: string;
  appSecret: string;
}

export type IgContainerStatus = 'IN_PROGRESS' | 'FINISHED' | 'ERROR' | 'EXPIRED' | 'PUBLISHED';
export type IgContainerType = 'IMAGE' | 'VIDEO' | 'REELS' | 'CAROUSEL';

export interface FakeIgContainer {
  id: string;
  igUserId: string;
  type: IgContainerType;
  carouselItem: boolean;
  params: Record<string, string>;
  status: IgContainerStatus;
  /** The `status` text ("Error: …" for ERROR). */
  statusText?: string;
  createdAt: number;
  /** IN_PROGRESS reads left once the media is in. */
  pending: number;
  /** What processing ends in (a `nextContainers` switch); FINISHED otherwise. */
  ending?: { status: 'FINISHED' | 'ERROR' | 'EXPIRED'; text?: string };
  /** The media: fetched from image_url / video_url, or uploaded through rupload. */
  media?: { bytes: Buffer; contentType: string | null; from: 'url' | 'upload'; url?: string };
  /** Resumable uploads: bytes received so far, and the size the first chunk announced. */
  upload?: { received: Buffer[]; offset: number; size: number | null };
  children?: string[];
  publishedAs?: string;
  /** A reel's cover, fetched from cover_url when the container was made. */
  cover?: { bytes: Buffer; contentType: string | null; url: string };
}

export interface FakeIgMedia {
  id: string;
  igUserId: string;
  containerId: string;
  mediaType: 'IMAGE' | 'VIDEO' | 'CAROUSEL_ALBUM';
  productType: 'FEED' | 'REELS';
  caption: string;
  /** Each image or video in order (carousel children included): its bytes, kind and alt text. */
  items: Array<{ kind: 'IMAGE' | 'VIDEO'; bytes: Buffer; alt?: string; from: 'url' | 'upload' }>;
  createdAt: number;
  /** What people did with it, as a test sets it (`react`). */
  counts?: FakeIgCounts;
}

/** A media's numbers: `like_count`, insights views/reach/saved/shares; `comments` overrides the count of the fake's own comments. */
export interface FakeIgCounts {
  likes?: number;
  comments?: number;
  views?: number;
  reach?: number;
  saved?: number;
  shares?: number;
}

export interface FakeIgComment {
  id: string;
  mediaId: string;
  igUserId: string;
  username: string;
  text: string;
  createdAt: number;
}

export interface InstagramFakeOptions {
  now?: () => number;
  /** Status reads a container stays IN_PROGRESS once its media is in (default IMAGE 1, VIDEO 2, REELS 2, CAROUSEL 1). */
  processingReads?: Partial<Record<IgContainerType, number>>;
  /** A container not published within this long expires (default 24 h, "Containers expire after 24 hours"). */
  containerLifetimeMs?: number;
  /** API posts per rolling 24 h (default 100). */
  publishLimit?: number;
}

export interface InstagramFake {
  baseUrl: string;
  server: FakeServer;
  requests: FakeRequest[];
  violations: string[];
  faults: FakeServer['faults'];
  fault(fault: NetworkFault, afterHandling?: boolean): Fault;
  containers: FakeIgContainer[];
  media: FakeIgMedia[];
  comments: FakeIgComment[];
  /**
   * An IG professional account linked to a Page. Give the Facebook fake's Page (and app) to share its
   * token, so a Page signed in there publishes here too.
   */
  addAccount(options?: { username?: string; page?: { id: string; token: string; instagramAccountId?: string | null }; app?: { id: string; secret: string } }): FakeIgAccount;
  /** The next `count` Graph calls that match answer this error instead of running. */
  failNext(error: GraphErrorSwitch, match?: RequestMatcher, count?: number): void;
  /** The next `count` containers made end their processing in this status (FINISHED: as usual, to reach a later one). */
  nextContainers(status: 'FINISHED' | 'ERROR' | 'EXPIRED', count?: number, statusText?: string): void;
  /** Graph calls (and rupload) by method and path ending. */
  match(method: string, pathEnd: RegExp): RequestMatcher;
  /** Sets what people did with a media (merged over what was set before). */
  react(mediaId: string, counts: FakeIgCounts): void;
  /** The media is deleted in the Instagram app: Graph no longer knows its id. */
  removeMedia(mediaId: string): void;
  /** The account's published media, newest first. */
  liveMedia(account: FakeIgAccount): FakeIgMedia[];
  /** Graph's own path: `/v24.0/<rest>`. */
  path(rest: string): string;
  close(): Promise<void>;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const CAPTION_MAX = 2200;
const CAROUSEL_MAX = 10;
const DOWNLOAD_FAILED = {
  title: 'Media download has failed. The media URI doesn’t meet our requirements.',
  message: 'The media could not be fetched from this URI. Please check the URI and try again.',
};

export async function startInstagramFake(options: InstagramFakeOptions = {}): Promise<InstagramFake> {
  const now = options.now ?? Date.now;
  const reads: Record<IgContainerType, number> = { IMAGE: 1, VIDEO: 2, REELS: 2, CAROUSEL: 1, ...options.processingReads };
  const lifetimeMs = options.containerLifetimeMs ?? DAY;
  const publishLimit = options.publishLimit ?? 100;
  const accounts: FakeIgAccount[] = [];
  const tokens = new Map<string, FakeIgAccount[]>();
  const types = new Map<string, NodeType>();
  const containers: FakeIgContainer[] = [];
  const media: FakeIgMedia[] = [];
  const comments: FakeIgComment[] = [];
  const endings: Array<{ status: 'FINISHED' | 'ERROR' | 'EXPIRED'; text?: string }> = [];
  let nextId = 10_000_000;
  const newId = () => `1789${nextId++}`;

  const { nodes, enums } = readCodegen(CODEGEN_NODES);
  nodes['IGContainer'] = IG_CONTAINER;
  nodes['IGComment'] = IG_COMMENT;
  const validator = graphNodeValidator({ nodes, enums, nodeOf: (id) => types.get(id) });
  const answers = graphAnswers((retryAfterMs) => ({
    // Instagram's business-use-case throttle: code 80002 with the IG user's usage header.
    error: new GraphError(80002, 'There have been too many calls to this Instagram account. Wait a bit and try again.'),
    headers: bucUsageHeaders(accounts[0]?.igUserId ?? '1', 'instagram', retryAfterMs),
  }));
  const server = await startFakeServer(handle, { name: 'Instagram fake', validator, answers });
  const ruploadPrefix = `/ig-api-upload/${GRAPH_API_VERSION}/`;

  async function handle(req: FakeRequest): Promise<FakeResponse> {
    // Time passes for every container, read or not.
    for (const c of containers) age(c);
    if (req.path.startsWith(ruploadPrefix)) return rupload(req);
    try {
      const at = graphPathOf(req);
      if (!at) {
        server.violate(req, `not a Graph ${GRAPH_API_VERSION} path`, true);
        throw new GraphError(2500, 'Unknown path components');
      }
      const refusal = server.refusal(req);
      if (refusal) return refusal;
      const p = graphParams(req);
      const account = authenticate(req, p);
      const node = types.get(at.id);
      if (!node) throw notFound(at.id);
      return { status: 200, json: await dispatch(req, node, at.id, at.edge, p, account) };
    } catch (error) {
      if (!(error instanceof GraphError)) throw error;
      return graphErrorAnswer(error);
    }
  }

  function notFound(id: string): GraphError {
    return new GraphError(100, `Unsupported request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`, 33);
  }

  /** The Page token acts for the IG users linked to its Page. */
  function authenticate(req: FakeRequest, p: Record<string, string>): FakeIgAccount[] {
    const value = p['access_token'];
    const linked = value ? tokens.get(value) : undefined;
    if (!value || !linked) throw new GraphError(190, 'Invalid OAuth access token - Cannot parse access token');
    checkAppSecretProof(server, req, value, p['appsecret_proof'], linked.map((a) => a.appSecret));
    return linked;
  }

  function own(linked: FakeIgAccount[], igUserId: string): FakeIgAccount {
    const account = linked.find((a) => a.igUserId === igUserId);
    if (!account) throw new GraphError(10, '(#10) Application does not have permission for this action');
    return account;
  }

  async function dispatch(req: FakeRequest, node: NodeType, id: string, edge: string | undefined, p: Record<string, string>, linked: FakeIgAccount[]): Promise<unknown> {
    const route = `${req.method} ${node}${edge ? `/${edge}` : ''}`;
    switch (route) {
      case 'GET IGUser': {
        const account = own(linked, id);
        return selectFields({ id, username: account.username, name: account.username }, p);
      }
      case 'POST IGUser/media':
        return createContainer(req, own(linked, id), p);
      case 'POST IGUser/media_publish':
        return publish(req, own(linked, id), p);
      case 'GET IGUser/media': {
        own(linked, id);
        const since = timeParam(p['since'], -Infinity);
        const until = timeParam(p['until'], Infinity);
        const items = media.filter((m) => m.igUserId === id && m.createdAt >= since && m.createdAt <= until).sort(newestFirst).map(mediaJson);
        return cursorList(items, p, (after) => `${server.baseUrl}${GRAPH_PREFIX}${id}/media?after=${after}`);
      }
      case 'GET IGUser/content_publishing_limit': {
        own(linked, id);
        return { data: [selectFields({ quota_usage: usedToday(id), config: { quota_total: publishLimit, quota_duration: DAY / 1000 } }, p)] };
      }
      case 'GET IGContainer': {
        const c = containers.find((x) => x.id === id)!;
        own(linked, c.igUserId);
        readStatus(c);
        return selectFields({ id: c.id, status_code: c.status, status: c.statusText ?? statusText(c.status) }, p);
      }
      case 'GET IGMedia': {
        const m = media.find((x) => x.id === id)!;
        own(linked, m.igUserId);
        return selectFields(mediaJson(m), p);
      }
      case 'GET IGMedia/insights': {
        const m = media.find((x) => x.id === id)!;
        own(linked, m.igUserId);
        return mediaInsights(m, metricsAsked(p['metric']));
      }
      case 'POST IGMedia/comments':
        return comment(own(linked, media.find((x) => x.id === id)!.igUserId), id, p);
      case 'GET IGMedia/comments': {
        own(linked, media.find((x) => x.id === id)!.igUserId);
        // ⚠ Chronological here; the connector reads every page whatever the order.
        const items = comments.filter((c) => c.mediaId === id).sort((a, b) => a.createdAt - b.createdAt).map(commentJson);
        return cursorList(items, p, (after) => `${server.baseUrl}${GRAPH_PREFIX}${id}/comments?after=${after}`);
      }
      case 'DELETE IGMedia':
        server.violate(req, 'DELETE of IG media: Outpost must not send it (unconfirmed, CONTRACTS.md §7)', true);
        throw new GraphError(100, '(#100) Unsupported delete request');
      default:
        server.violate(req, `the fake does not serve ${route}`, true);
        throw new GraphError(100, `(#100) Unsupported ${route}`);
    }
  }

  function timeParam(value: string | undefined, fallback: number): number {
    if (value === undefined) return fallback;
    return /^\d+$/.test(value) ? Number(value) * 1000 : Date.parse(value);
  }

  function newestFirst(a: FakeIgMedia, b: FakeIgMedia): number {
    return b.createdAt - a.createdAt || Number(b.id) - Number(a.id);
  }

  function usedToday(igUserId: string): number {
    return media.filter((m) => m.igUserId === igUserId && m.createdAt > now() - DAY).length;
  }

  function mediaJson(m: FakeIgMedia): Record<string, unknown> {
    const account = accounts.find((a) => a.igUserId === m.igUserId)!;
    return {
      id: m.id,
      caption: m.caption || undefined,
      media_type: m.mediaType,
      media_product_type: m.productType,
      permalink: `https://www.instagram.com/p/${Buffer.from(m.id).toString('base64url').slice(0, 11)}/`,
      timestamp: graphTime(m.createdAt),
      username: account.username,
      alt_text: m.items.length === 1 ? m.items[0]!.alt : undefined,
      like_count: m.counts?.likes ?? 0,
      comments_count: commentCount(m),
    };
  }

  /**
   * Media insights (instagram-media/insights reference): the counts a test set, 0 otherwise; the
   * metrics retired in v22.0 (impressions, plays, clips_replays_count, ig_reels_aggregated_all_plays_count)
   * and video_views are refused as Meta refuses them.
   */
  function mediaInsights(m: FakeIgMedia, asked: string[]): unknown {
    const retired = ['impressions', 'plays', 'clips_replays_count', 'ig_reels_aggregated_all_plays_count', 'video_views'];
    const gone = asked.find((name) => retired.includes(name));
    if (gone) throw new GraphError(100, `(#100) Starting from version v22.0 and above, the ${gone} metric is no longer supported.`);
    const c = m.counts ?? {};
    const values: Record<string, number> = { views: c.views ?? 0, reach: c.reach ?? 0, saved: c.saved ?? 0, shares: c.shares ?? 0, likes: c.likes ?? 0, comments: commentCount(m) };
    for (const name of asked) if (values[name] === undefined) throw new GraphError(100, `(#100) The Media Insights API does not support the ${name} metric for this media product type.`);
    return insightsAnswer(m.id, asked, values);
  }

  function commentCount(m: FakeIgMedia): number {
    return m.counts?.comments ?? comments.filter((c) => c.mediaId === m.id).length;
  }

  function commentJson(c: FakeIgComment): Record<string, unknown> {
    return { id: c.id, text: c.text, timestamp: graphTime(c.createdAt), username: c.username };
  }

  function statusText(status: IgContainerStatus): string {
    switch (status) {
      case 'IN_PROGRESS':
        return 'In Progress: Media is still being processed.';
      case 'FINISHED':
        return 'Finished: Media has been uploaded and it is ready to be published.';
      case 'PUBLISHED':
        return 'Published: Media has been published.';
      case 'EXPIRED':
        return 'Expired: The media container was not published within 24 hours.';
      default:
        return 'Error: Media processing failed.';
    }
  }

  /** Time passes for a container: older than its lifetime it expires, whatever it was doing. */
  function age(c: FakeIgContainer): void {
    if (c.status !== 'PUBLISHED' && c.status !== 'EXPIRED' && now() - c.createdAt >= lifetimeMs) {
      c.status = 'EXPIRED';
      delete c.statusText;
    }
  }

  function readStatus(c: FakeIgContainer): void {
    age(c);
    // A resumable container waits for its bytes before processing starts.
    if (c.status !== 'IN_PROGRESS' || (!c.media && c.type !== 'CAROUSEL')) return;
    if (c.pending > 0) {
      c.pending -= 1;
      return;
    }
    if (c.ending) {
      c.status = c.ending.status;
      if (c.ending.text) c.statusText = c.ending.text;
    } else c.status = 'FINISHED';
  }

  /** Instagram fetches the address now, as it "cURLs" the media. */
  async function fetchMedia(url: string): Promise<{ bytes: Buffer; contentType: string | null } | undefined> {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
      if (!response.ok) return undefined;
      const bytes = Buffer.from(await response.arrayBuffer());
      return bytes.length > 0 ? { bytes, contentType: response.headers.get('content-type') } : undefined;
    } catch {
      return undefined;
    }
  }

  async function createContainer(req: FakeRequest, account: FakeIgAccount, p: Record<string, string>): Promise<unknown> {
    const declared = p['media_type'];
    if (declared !== undefined && !['CAROUSEL', 'REELS', 'VIDEO', 'STORIES'].includes(declared)) throw new GraphError(100, `(#100) The parameter media_type has an unsupported value ${declared}.`);
    if (declared === 'STORIES') {
      server.violate(req, 'Outpost publishes no stories', true);
      throw new GraphError(100, '(#100) Stories are not served by this fake.');
    }
    const type: IgContainerType = declared === undefined ? 'IMAGE' : (declared as IgContainerType);
    const carouselItem = p['is_carousel_item'] === 'true';
    const resumable = p['upload_type'] === 'resumable';
    if (p['upload_type'] !== undefined && !resumable) throw new GraphError(100, '(#100) upload_type must be resumable.');
    if (type === 'IMAGE' && !p['image_url']) throw new GraphError(100, '(#100) The parameter image_url is required.');
    if (type !== 'IMAGE' && p['image_url']) throw new GraphError(100, `(#100) image_url is not taken by ${type} containers.`);
    if ((type === 'REELS' || type === 'VIDEO') && !resumable && !p['video_url']) throw new GraphError(100, '(#100) The parameter video_url is required.');
    if (resumable && p['video_url']) server.violate(req, 'both upload_type=resumable and video_url', false);
    if (type === 'VIDEO' && !carouselItem) throw new GraphError(100, '(#100) Feed videos are published as REELS; VIDEO is for carousel items.');
    if (type === 'REELS' && carouselItem) throw new GraphError(100, '(#100) Reels cannot appear in carousels.');
    if (carouselItem && (p['caption'] !== undefined || type === 'CAROUSEL')) server.violate(req, 'a carousel item carries a caption (the carousel container holds it)', false);
    // "alt_text field for image posts … Reels and stories are not supported" (content-publishing guide).
    if (p['alt_text'] !== undefined && type !== 'IMAGE') server.violate(req, `alt_text on a ${type} container (only image posts take it)`, false);
    if ((p['caption'] ?? '').length > CAPTION_MAX) throw new GraphError(100, '(#100) The caption is too long.', 2207010);
    const c: FakeIgContainer = {
      id: newId(),
      igUserId: account.igUserId,
      type,
      carouselItem,
      params: p,
      status: 'IN_PROGRESS',
      createdAt: now(),
      pending: reads[type],
    };
    if (type === 'IMAGE') {
      const fetched = await fetchMedia(p['image_url']!);
      // Instagram takes JPEG only ("Image … Format: JPEG").
      if (!fetched || !isJpeg(fetched.bytes)) {
        throw new GraphError(9004, 'Only photo or video can be accepted as media type.', INSTAGRAM_SUBCODES.downloadFailed, 400, DOWNLOAD_FAILED);
      }
      c.media = { ...fetched, from: 'url', url: p['image_url']! };
    } else if (type !== 'CAROUSEL' && !resumable) {
      const fetched = await fetchMedia(p['video_url']!);
      if (fetched) c.media = { ...fetched, from: 'url', url: p['video_url']! };
      else {
        // Videos are fetched while processing: the failure shows in the status.
        c.status = 'ERROR';
        c.statusText = `Error: ${DOWNLOAD_FAILED.title}`;
      }
    } else if (resumable) c.upload = { received: [], offset: 0, size: null };
    if (type === 'CAROUSEL') c.children = carouselChildren(account, p['children']);
    if (p['thumb_offset'] !== undefined && (!/^\d+$/.test(p['thumb_offset']) || (type !== 'REELS' && type !== 'VIDEO'))) server.violate(req, `thumb_offset ${p['thumb_offset']} on a ${type} container`, false);
    // cover_url is for reels only, fetched like an image (IGUser POST media; the reels guide).
    if (p['cover_url'] !== undefined) {
      if (type !== 'REELS') server.violate(req, `cover_url on a ${type} container (reels only)`, false);
      const fetched = await fetchMedia(p['cover_url']);
      if (!fetched || !isJpeg(fetched.bytes)) throw new GraphError(9004, 'Only photo or video can be accepted as media type.', INSTAGRAM_SUBCODES.downloadFailed, 400, DOWNLOAD_FAILED);
      c.cover = { ...fetched, url: p['cover_url'] };
    }
    const ending = c.status === 'IN_PROGRESS' ? endings.shift() : undefined;
    if (ending) c.ending = ending;
    containers.push(c);
    types.set(c.id, 'IGContainer');
    return resumable ? { id: c.id, uri: `${server.baseUrl}${ruploadPrefix}${c.id}` } : { id: c.id };
  }

  function carouselChildren(account: FakeIgAccount, value: string | undefined): string[] {
    const ids = (value ?? '').startsWith('[') ? (JSON.parse(value!) as string[]).map(String) : (value ?? '').split(',').filter(Boolean);
    if (ids.length < 2 || ids.length > CAROUSEL_MAX) throw new GraphError(100, `(#100) A carousel takes 2 to ${CAROUSEL_MAX} children.`, 2207028);
    for (const id of ids) {
      const child = containers.find((x) => x.id === id && x.igUserId === account.igUserId);
      if (!child || !child.carouselItem) throw new GraphError(100, `(#100) Child ${id} is not a carousel item container of this account.`, 2207028);
      age(child);
      if (child.status !== 'FINISHED') throw new GraphError(100, `(#100) Child ${id} is not ready (${child.status}).`, child.status === 'EXPIRED' ? INSTAGRAM_SUBCODES.expired : 2207028);
    }
    return ids;
  }

  function publish(req: FakeRequest, account: FakeIgAccount, p: Record<string, string>): unknown {
    const c = containers.find((x) => x.id === p['creation_id'] && x.igUserId === account.igUserId);
    if (!c) throw notFound(p['creation_id'] ?? '');
    if (c.status === 'PUBLISHED') {
      // Exactly once: the connector must never publish a container again.
      server.violate(req, `container ${c.id} published a second time`, false);
      throw new GraphError(100, '(#100) The media has already been published.');
    }
    if (c.carouselItem) throw new GraphError(100, '(#100) A carousel item cannot be published on its own.', 2207028);
    age(c);
    if (c.status === 'EXPIRED') throw new GraphError(100, 'The media you are trying to access has expired. Please try again to generate a new container ID.', INSTAGRAM_SUBCODES.expired);
    if (c.status === 'IN_PROGRESS') throw new GraphError(9007, 'Media ID is not available', INSTAGRAM_SUBCODES.notReady, 400, { title: 'Media not ready for publishing', message: 'The media is not ready for publishing, please wait for a moment.' });
    if (c.status === 'ERROR') throw new GraphError(100, '(#100) The container failed processing and cannot be published.', 2207032);
    const children = (c.children ?? []).map((id) => containers.find((x) => x.id === id)!);
    for (const child of children) {
      age(child);
      if (child.status === 'EXPIRED') throw new GraphError(100, 'The media you are trying to access has expired. Please try again to generate a new container ID.', INSTAGRAM_SUBCODES.expired);
      // Never half a carousel: every item must be ready when the carousel goes out.
      if (child.status !== 'FINISHED') {
        server.violate(req, `carousel ${c.id} published while its item ${child.id} is ${child.status}`, true);
        throw new GraphError(100, `(#100) Carousel item ${child.id} is ${child.status}.`, 2207028);
      }
    }
    if (usedToday(account.igUserId) >= publishLimit) {
      throw new GraphError(9, 'Application request limit reached', INSTAGRAM_SUBCODES.publishLimit, 400, {
        title: 'Maximum number of posts reached',
        message: 'You reached maximum number of posts that is allowed to be published by Content Publishing API.',
      });
    }
    const parts = c.type === 'CAROUSEL' ? children : [c];
    const m: FakeIgMedia = {
      id: newId(),
      igUserId: account.igUserId,
      containerId: c.id,
      mediaType: c.type === 'CAROUSEL' ? 'CAROUSEL_ALBUM' : c.type === 'IMAGE' ? 'IMAGE' : 'VIDEO',
      productType: c.type === 'REELS' ? 'REELS' : 'FEED',
      caption: c.params['caption'] ?? '',
      items: parts.map((x) => ({ kind: x.type === 'IMAGE' ? 'IMAGE' : 'VIDEO', bytes: x.media!.bytes, from: x.media!.from, ...(x.params['alt_text'] !== undefined ? { alt: x.params['alt_text'] } : {}) })),
      createdAt: now(),
    };
    media.push(m);
    types.set(m.id, 'IGMedia');
    c.status = 'PUBLISHED';
    c.publishedAs = m.id;
    for (const child of children) child.status = 'PUBLISHED';
    return { id: m.id };
  }

  function comment(account: FakeIgAccount, mediaId: string, p: Record<string, string>): unknown {
    if (!p['message']) throw new GraphError(100, '(#100) The parameter message is required.');
    const c: FakeIgComment = { id: newId(), mediaId, igUserId: account.igUserId, username: account.username, text: p['message'], createdAt: now() };
    comments.push(c);
    types.set(c.id, 'IGComment');
    return { id: c.id };
  }

  /** The rupload host: a resumable container's bytes, headers as the resumable-uploads guide gives them. */
  function rupload(req: FakeRequest): FakeResponse {
    const failure = (status: number, type: string, message: string): FakeResponse => ({ status, json: { debug_info: { retriable: false, type, message } } });
    if (req.method !== 'POST') {
      server.violate(req, 'the rupload host takes POST', true);
      return failure(405, 'MethodNotAllowed', 'Only POST is supported.');
    }
    const auth = /^OAuth (.+)$/.exec(String(req.headers['authorization'] ?? ''))?.[1];
    const linked = auth ? tokens.get(auth) : undefined;
    if (!linked) {
      server.violate(req, 'no valid "Authorization: OAuth <token>" header', true);
      return failure(401, 'AuthorizationError', 'Invalid OAuth access token.');
    }
    const c = containers.find((x) => x.id === req.path.slice(ruploadPrefix.length));
    if (!c || !c.upload || !linked.some((a) => a.igUserId === c.igUserId)) return failure(400, 'NotFoundError', 'No resumable upload session for this container.');
    const offset = Number(req.headers['offset']);
    const size = Number(req.headers['file_size']);
    if (!Number.isInteger(offset) || !Number.isInteger(size) || size <= 0) {
      server.violate(req, 'offset and file_size headers are required', true);
      return failure(400, 'ProcessingFailedError', 'Missing offset or file_size header.');
    }
    if (offset !== c.upload.offset) return failure(400, 'ProcessingFailedError', `Expected offset ${c.upload.offset}.`);
    const chunk = req.body.raw;
    if (offset + chunk.length > size) return failure(400, 'ProcessingFailedError', 'More bytes than file_size.');
    c.upload.size = size;
    c.upload.received.push(chunk);
    c.upload.offset += chunk.length;
    if (c.upload.offset === size) c.media = { bytes: Buffer.concat(c.upload.received), contentType: String(req.headers['content-type'] ?? '') || null, from: 'upload' };
    return { status: 200, json: { success: true, message: 'Upload successful.' } };
  }

  return {
    baseUrl: server.baseUrl,
    server,
    requests: server.requests,
    violations: server.violations,
    faults: server.faults,
    fault: (f, after) => server.fault(f, after),
    containers,
    media,
    comments,
    addAccount(opts = {}) {
      const page = opts.page ?? { id: newId(), token: `EAAP${randomBytes(24).toString('base64url')}` };
      const app = opts.app ?? { id: String(1_000_000_000_000 + accounts.length), secret: randomBytes(16).toString('hex') };
      const account: FakeIgAccount = {
        igUserId: opts.page?.instagramAccountId ?? newId(),
        username: opts.username ?? `bakery_${accounts.length + 1}`,
        pageId: page.id,
        pageToken: page.token,
        appId: app.id,
        appSecret: app.secret,
      };
      accounts.push(account);
      tokens.set(page.token, [...(tokens.get(page.token) ?? []), account]);
      types.set(account.igUserId, 'IGUser');
      return account;
    },
    failNext(error, match, count) {
      failNextGraph(server, error, match, count);
    },
    nextContainers(status, count = 1, text) {
      for (let i = 0; i < count; i += 1) endings.push({ status, ...(text ? { text } : {}) });
    },
    match(method, pathEnd) {
      return (req) => req.method === method && pathEnd.test(req.path);
    },
    react(mediaId, counts) {
      const m = media.find((x) => x.id === mediaId)!;
      m.counts = { ...m.counts, ...counts };
    },
    removeMedia(mediaId) {
      media.splice(media.findIndex((x) => x.id === mediaId), 1);
      types.delete(mediaId);
    },
    liveMedia: (account) => media.filter((m) => m.igUserId === account.igUserId).sort(newestFirst),
    path: (rest) => `${GRAPH_PREFIX}${rest}`,
    close: () => server.close(),
  };
}

/** JPEG files start FF D8 FF. */
function isJpeg(bytes: Buffer): boolean {
  return bytes.length > 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;
}
