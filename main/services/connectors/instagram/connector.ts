import {
  beforeSending,
  ConnectorError,
  type CommentVerifyOutcome,
  type Connector,
  type MediaItem,
  type PublishedComment,
  type PublishedPost,
  type PublishRequest,
  type PublishingQuota,
  type VerifyOutcome,
} from '../../../core/connector';
import { cleanMetrics, type PostMetrics } from '../../../core/metrics';
import { INSTAGRAM_DELETE_REASON, INSTAGRAM_POSTS_PER_DAY, INSTAGRAM_PUBLISH_WINDOW_MS } from '../../../core/networks/instagram';
import { requestRefusal } from '../../../core/networks/request-check';
import { networkRules } from '../../../core/networks/rules';
import { DEFAULT_CALL_TIMEOUT_MS, DEFAULT_UPLOAD_TIMEOUT_MS } from '../kit/http';
import { mediaProgress, type FileProgress } from '../kit/progress';
import { GraphApiError, graphCall, graphRupload, graphTimeOf, insightNumbers, INSTAGRAM_SUBCODES, isGraphGone, type GraphHttp, type GraphParams } from '../meta/graph';
import { checkRelayedAddress, pause, relayHostOf, withRelayedMedia } from '../meta/relay';
import { instagramHttp, type InstagramConfig, type InstagramContext, type InstagramCredentials } from './api';

/**
 * Instagram professional accounts through the Instagram Graph API with Facebook Login
 * (graph.facebook.com, the linked Page's token; shared/networks/CONTRACTS.md §7;
 * developers.facebook.com/docs/instagram-platform/content-publishing):
 *
 * - Every post is a container, then a publish: POST /{ig-user-id}/media → `{id}`, then POST
 *   /{ig-user-id}/media_publish with creation_id → the IG media id.
 * - One image: `image_url`, `caption`, `alt_text` (IGUser POST media in Meta's codegen lists
 *   alt_text; the guide: "alt_text field for image posts … Reels and stories are not supported").
 *   Instagram fetches image_url itself ("We cURL media used in publishing attempts"), so images go
 *   through the context's MediaRelay and are removed after; without a relay an image post is
 *   refused before any call.
 * - One video: a reel, `media_type=REELS` + `upload_type=resumable`, its bytes sent to the rupload
 *   host (meta/graph.ts graphRupload): no public address needed, no relay. Its cover frame goes as
 *   `cover_url` through the relay where one is set up (Instagram fetches it like an image); without
 *   one, `thumb_offset` names the frame's time in the video, so Instagram takes the same frame.
 *   A rupload cut by a crash is not resumed at its offset: the container id lives only in memory,
 *   so the next attempt makes a new container and uploads from the start.
 * - Carousel (2–10): an item container each (`is_carousel_item=true`; images by image_url with
 *   their alt text ⚠ alt text on carousel items is not said either way by the guide; videos as
 *   media_type=VIDEO through the resumable upload), every item polled to FINISHED, then
 *   `media_type=CAROUSEL` with `children` (comma-separated, as the guide's example) and the caption.
 * - Containers are polled (GET /{container-id}?fields=status_code,status) until FINISHED:
 *   IN_PROGRESS waits, ERROR refuses with Instagram's words, EXPIRED (not published within 24 h,
 *   or refused at publish with subcode 2207020) makes the whole set again once. media_publish is
 *   called only when every child and the parent read FINISHED, so a failing or expiring item never
 *   leaves a half-published carousel.
 * - Exactly once: media_publish takes no idempotency key and is sent once per attempt; everything
 *   before it makes nothing visible (`beforeSending`). After a lost answer, `verify` lists the IG
 *   user's recent media (GET /{ig-user-id}/media?fields=id,caption,timestamp,permalink) for the
 *   caption since the attempt started. ⚠ Unconfirmed: that a just-published media is listed at
 *   once, and that Instagram keeps the caption as sent (compared trimmed).
 * - First comment: POST /{ig-media-id}/comments `message`; verifyComment lists the comments for
 *   the account's own with that text.
 * - publishingQuota: GET /{ig-user-id}/content_publishing_limit?fields=config,quota_usage.
 * - metrics: the media's `like_count` and `comments_count`, and its insights `views`, `saved` and
 *   `shares` (GET /{ig-media-id}/insights; values of the codegen's shadowigmediainsights_metric enum).
 * - Delete: refused (core/networks/instagram.ts INSTAGRAM_CAN_DELETE, CONTRACTS.md §7 ⚠).
 * - No native scheduling: the media edge takes no time, so the local scheduler publishes.
 */

export interface InstagramConnectorOptions {
  timeoutMs?: number;
  /** For a reel's bytes (default 120 s). */
  uploadTimeoutMs?: number;
  /** The longest wait between status checks (default 10 s). The first check is at once and the waits grow from 1 s: images are often ready within seconds. */
  pollIntervalMs?: number;
  /** Give up on a container after this long (default 5 minutes: "no more than five minutes", content-publishing guide). */
  pollTimeoutMs?: number;
}

export const INSTAGRAM_NO_RELAY_MESSAGE = 'Instagram fetches images from a web address: set up a media relay in Settings.';

/** The first wait between two status checks; each later one doubles, up to pollIntervalMs. */
const FIRST_POLL_WAIT_MS = 1_000;

/**
 * The media insights read: `views` (Meta's replacement for the retired impressions and plays, for feed
 * posts and reels alike), `saved`, `shares` (counted as reposts, as Facebook's shares are); `reach` is
 * people, not views, and is left out.
 */
export const INSTAGRAM_INSIGHT_METRICS = ['views', 'saved', 'shares'] as const;

/** Verify and verifyComment read 50 a page, at most 5 pages. */
const PAGE_SIZE = 50;
const PAGES = 5;
const SLACK_MS = 60_000;

interface IgMedia {
  id: string;
  caption?: string;
  timestamp?: string;
  permalink?: string;
}

interface IgComment {
  id: string;
  text?: string;
  timestamp?: string;
  username?: string;
}

interface GraphList<T> {
  data?: T[];
  paging?: { cursors?: { after?: string }; next?: string };
}

interface ContainerStatus {
  id?: string;
  status_code?: string;
  status?: string;
}

/** A container Instagram let expire: the whole set is made again. */
class Expired extends Error {}

export function createInstagramConnector(options: InstagramConnectorOptions = {}) {
  const timeoutMs = options.timeoutMs ?? DEFAULT_CALL_TIMEOUT_MS;
  const uploadTimeoutMs = options.uploadTimeoutMs ?? DEFAULT_UPLOAD_TIMEOUT_MS;
  const pollIntervalMs = options.pollIntervalMs ?? 10_000;
  const pollTimeoutMs = options.pollTimeoutMs ?? 5 * 60_000;
  /** Per IG user and job key, the container whose media_publish answer never came (this process only): verify asks it. */
  const sent = new Map<string, string>();
  /** A reel's cover frame as an item to relay, by the video it belongs to (for this publish only). */
  const covers = new WeakMap<MediaItem, MediaItem>();
  const remember = (key: string, creationId: string) => {
    // Oldest first out: a bound, not a cache policy; a lost publish is settled within minutes.
    if (!sent.has(key) && sent.size >= 1000) sent.delete(sent.keys().next().value!);
    sent.set(key, creationId);
  };

  /**
   * POST /{ig-user-id}/media → the container id; an image Instagram could not download names the
   * relay. (A resumable container's answer also names its upload address, `uri`: graphRupload builds
   * the same address from the API base, so the token only ever goes to Meta's upload host.)
   */
  async function container(ctx: InstagramContext, api: GraphHttp, params: GraphParams): Promise<string> {
    let made: { id?: string };
    try {
      made = await graphCall<{ id?: string }>(api, { path: `/${ctx.config.instagramAccountId}/media`, params, timeoutMs });
    } catch (error) {
      if (error instanceof GraphApiError && (error.code === 9004 || error.subcode === INSTAGRAM_SUBCODES.downloadFailed)) {
        const url = typeof params.image_url === 'string' ? params.image_url : undefined;
        throw downloadError(error.networkSaid, relayHostOf(url), await checkRelayedAddress(url, { fetch: ctx.fetch, network: 'Instagram', signal: ctx.signal }));
      }
      throw error;
    }
    if (typeof made.id !== 'string') throw new ConnectorError('permanent', 'Instagram answered without a container id.');
    return made.id;
  }

  /** A video container with its bytes sent through the resumable upload (a reel, or a carousel item). */
  async function videoContainer(ctx: InstagramContext, api: GraphHttp, item: MediaItem, params: GraphParams, progress?: FileProgress): Promise<string> {
    const id = await container(ctx, api, { ...params, upload_type: 'resumable' });
    await graphRupload(api, id, item.bytes, uploadTimeoutMs, progress);
    return id;
  }

  /** Waits until Instagram has processed the container; throws Expired for EXPIRED. */
  async function finished(ctx: InstagramContext, api: GraphHttp, id: string, relayUrl: string | undefined): Promise<void> {
    const started = Date.now();
    let wait = Math.min(FIRST_POLL_WAIT_MS, pollIntervalMs);
    for (;;) {
      const state = await graphCall<ContainerStatus>(api, { method: 'GET', path: `/${id}`, params: { fields: 'status_code,status' }, timeoutMs });
      if (state.status_code === 'FINISHED') return;
      if (state.status_code === 'EXPIRED') throw new Expired();
      if (state.status_code === 'ERROR') throw await containerError(state.status, relayUrl, (url) => checkRelayedAddress(url, { fetch: ctx.fetch, network: 'Instagram', signal: ctx.signal }));
      if (state.status_code === 'PUBLISHED') throw new ConnectorError('permanent', 'Instagram says this container was published already.');
      // IN_PROGRESS, or no status yet: never published before Instagram says FINISHED.
      if (Date.now() - started >= pollTimeoutMs) {
        // Nothing was published (media_publish waits for FINISHED): the post may simply go again later.
        throw new ConnectorError('transient', `Instagram was still processing the media after ${Math.round(pollTimeoutMs / 60_000)} min; Outpost tries again later.`, {
          delivery: 'not_sent',
        });
      }
      await pause(wait, ctx.signal, 'Instagram');
      // A carousel's items are checked one after another: short first waits keep ten images from taking minutes.
      wait = Math.min(wait * 2, pollIntervalMs);
    }
  }

  /** The post's containers, every one FINISHED; the id to publish. */
  async function prepare(ctx: InstagramContext, api: GraphHttp, post: PublishRequest, urls: Map<MediaItem, string>): Promise<string> {
    const caption = post.text.trim();
    const captioned: GraphParams = caption ? { caption } : {};
    const relayUrl: string | undefined = urls.values().next().value;
    const imageParams = (item: MediaItem): GraphParams => ({ image_url: urls.get(item)!, ...(item.alt.trim() ? { alt_text: item.alt.trim() } : {}) });
    const progress = mediaProgress(ctx, post.media);
    if (post.media.length === 1) {
      const item = post.media[0]!;
      // The reel's cover: the user's frame, fetched by Instagram from the relay (cover_url) when one holds it.
      const cover = covers.get(item);
      const coverUrl = cover ? urls.get(cover) : undefined;
      // A lone video is a reel (Instagram publishes feed videos as reels); reels take no alt text.
      const id = isVideo(item)
        ? await videoContainer(ctx, api, item, { media_type: 'REELS', ...captioned, ...reelCover(item, coverUrl) }, progress(item))
        : await container(ctx, api, { ...imageParams(item), ...captioned });
      await finished(ctx, api, id, relayUrl);
      return id;
    }
    const children: string[] = [];
    for (const item of post.media) {
      children.push(
        isVideo(item)
          ? await videoContainer(ctx, api, item, { media_type: 'VIDEO', is_carousel_item: true }, progress(item))
          : await container(ctx, api, { ...imageParams(item), is_carousel_item: true }),
      );
    }
    // Every item must be ready before the carousel is made, and the carousel before it is published.
    for (const [i, child] of children.entries()) await finished(ctx, api, child, urls.get(post.media[i]!));
    const id = await container(ctx, api, { media_type: 'CAROUSEL', children: children.join(','), ...captioned });
    await finished(ctx, api, id, relayUrl);
    return id;
  }

  /** POST /{ig-user-id}/media_publish, once: the one call that makes the post visible. */
  async function publishContainer(ctx: InstagramContext, api: GraphHttp, creationId: string, key: string): Promise<string> {
    remember(key, creationId);
    let done: { id?: string };
    try {
      done = await graphCall<{ id?: string }>(api, { path: `/${ctx.config.instagramAccountId}/media_publish`, params: { creation_id: creationId }, timeoutMs });
    } catch (error) {
      // Refused: nothing went out, and there is nothing for verify to ask about.
      if (error instanceof ConnectorError && !error.maybeSent) sent.delete(key);
      throw error;
    }
    if (typeof done.id !== 'string') throw new ConnectorError('transient', 'Instagram answered without the post id.', { delivery: 'maybe_sent' });
    sent.delete(key);
    return done.id;
  }

  /** Containers, then the publish; an expired set is made again once (found at a status check, or refused at the publish). */
  async function createAndPublish(ctx: InstagramContext, api: GraphHttp, post: PublishRequest, urls: Map<MediaItem, string>): Promise<string> {
    const key = `${ctx.config.instagramAccountId}:${post.idempotencyKey}`;
    for (let round = 0; ; round += 1) {
      let creationId: string;
      try {
        creationId = await beforeSending(() => prepare(ctx, api, post, urls));
      } catch (error) {
        if (!(error instanceof Expired)) throw error;
        if (round === 0) continue;
        throw twiceExpired();
      }
      try {
        return await publishContainer(ctx, api, creationId, key);
      } catch (error) {
        // Refused as expired: nothing went out, so a new set may go once.
        if (!(error instanceof GraphApiError) || error.subcode !== INSTAGRAM_SUBCODES.expired) throw error;
        sent.delete(key);
        if (round > 0) throw twiceExpired();
      }
    }
  }

  /** The post's link; a failure here never fails a post that went out. */
  async function permalink(api: GraphHttp, id: string): Promise<string | null> {
    try {
      const media = await graphCall<IgMedia>(api, { method: 'GET', path: `/${id}`, params: { fields: 'permalink' }, timeoutMs });
      return typeof media.permalink === 'string' ? media.permalink : null;
    } catch {
      return null;
    }
  }

  /**
   * An edge's items, 50 a page, at most 5 pages: the first that matches, null when none does,
   * 'unknown' when there were more pages. `newestFirst`: the list is newest first, so a page reaching
   * back before that time is the last that could hold it.
   */
  async function findListed<T extends { timestamp?: string }>(api: GraphHttp, path: string, params: GraphParams, match: (item: T) => boolean, newestFirst?: number): Promise<T | null | 'unknown'> {
    let after: string | undefined;
    for (let page = 0; page < PAGES; page += 1) {
      const list = await graphCall<GraphList<T>>(api, { method: 'GET', path, params: { ...params, limit: PAGE_SIZE, after }, timeoutMs });
      const items = Array.isArray(list.data) ? list.data : [];
      const found = items.find(match);
      if (found) return found;
      after = list.paging?.cursors?.after;
      if (!list.paging?.next || !after) return null;
      if (newestFirst !== undefined && items.some((item) => graphTimeOf(item.timestamp) < newestFirst)) return null;
    }
    return 'unknown';
  }

  const connector = {
    network: 'instagram',

    async publish(ctx: InstagramContext, post: PublishRequest): Promise<PublishedPost> {
      validateInstagramPost(post, ctx);
      const api = instagramHttp(ctx);
      // Only images travel by address (a reel's cover too, where a relay is set up); videos go up as bytes.
      const images = post.media.filter((item) => !isVideo(item));
      const reel = post.media.length === 1 && isVideo(post.media[0]!) ? post.media[0]! : undefined;
      if (reel?.cover && ctx.relay) {
        const cover: MediaItem = { fileName: 'cover.jpg', mime: reel.cover.mime, bytes: reel.cover.bytes, alt: '' };
        covers.set(reel, cover);
        images.push(cover);
      }
      const id = await withRelayedMedia(ctx.relay, images, { noRelayMessage: INSTAGRAM_NO_RELAY_MESSAGE, signal: ctx.signal }, (addresses) =>
        createAndPublish(ctx, api, post, new Map(images.map((item, i) => [item, addresses[i]!]))),
      );
      return { remoteId: id, url: await permalink(api, id), publishedAt: ctx.now() };
    },

    async delete(_ctx: InstagramContext, _remoteId: string): Promise<void> {
      throw new ConnectorError('permanent', INSTAGRAM_DELETE_REASON, { delivery: 'not_sent' });
    },

    async metrics(ctx: InstagramContext, remoteId: string): Promise<PostMetrics | 'gone'> {
      const api = instagramHttp(ctx);
      let media: { like_count?: unknown; comments_count?: unknown };
      try {
        media = await graphCall(api, { method: 'GET', path: `/${remoteId}`, params: { fields: 'id,like_count,comments_count' }, timeoutMs });
      } catch (error) {
        if (isGraphGone(error)) return 'gone';
        throw error;
      }
      let insights: Record<string, number> = {};
      try {
        insights = insightNumbers(await graphCall(api, { method: 'GET', path: `/${remoteId}/insights`, params: { metric: INSTAGRAM_INSIGHT_METRICS.join(',') }, timeoutMs }));
      } catch (error) {
        // (#10) "Not enough viewers for the media to show insights" (media insights reference), or a metric this media has not: the counts still stand.
        if (!(error instanceof GraphApiError) || (error.code !== 10 && error.kind !== 'validation')) throw error;
      }
      return cleanMetrics({ likes: media.like_count, replies: media.comments_count, views: insights['views'], saves: insights['saved'], reposts: insights['shares'] });
    },

    /** After a lost answer: the account's media with this caption since the attempt (GET /{ig-user-id}/media). */
    async verify(ctx: InstagramContext, attempt: { idempotencyKey: string; startedAt: number; text: string }): Promise<VerifyOutcome> {
      const api = instagramHttp(ctx);
      const caption = attempt.text.trim();
      const since = attempt.startedAt - SLACK_MS;
      const match = await findListed<IgMedia>(
        api,
        `/${ctx.config.instagramAccountId}/media`,
        { fields: 'id,caption,timestamp,permalink', since: Math.floor(since / 1000) },
        (item) => graphTimeOf(item.timestamp) >= since && (item.caption ?? '').trim() === caption,
        since,
      );
      if (match === 'unknown') return { found: 'unknown' };
      if (match) {
        // A post without a caption cannot be told from another of the same minutes: the user decides.
        if (caption === '') return { found: 'unknown' };
        const at = graphTimeOf(match.timestamp);
        return { found: true, post: { remoteId: match.id, url: match.permalink ?? null, publishedAt: Number.isFinite(at) ? at : ctx.now() } };
      }
      // Not listed, but the container this process sent says it went out: the user decides rather than a second post.
      const creationId = sent.get(`${ctx.config.instagramAccountId}:${attempt.idempotencyKey}`);
      if (creationId) {
        try {
          const state = await graphCall<ContainerStatus>(api, { method: 'GET', path: `/${creationId}`, params: { fields: 'status_code' }, timeoutMs });
          if (state.status_code === 'PUBLISHED') return { found: 'unknown' };
        } catch (error) {
          // Graph's refusal (an expired container it no longer knows) says nothing more than the list did.
          if (!(error instanceof GraphApiError)) throw error;
        }
      }
      return { found: false };
    },
  } satisfies Connector<InstagramCredentials, InstagramConfig>;

  return {
    ...connector,
    /** The first comment, from the account: POST /{ig-media-id}/comments. Graph has no key to make a resend safe. */
    commentResendSafe: false,
    async comment(ctx: InstagramContext, remoteId: string, text: string, _idempotencyKey?: string): Promise<PublishedComment> {
      const made = await graphCall<{ id?: string }>(instagramHttp(ctx), { path: `/${remoteId}/comments`, params: { message: text.trim() }, timeoutMs });
      if (typeof made.id !== 'string') throw new ConnectorError('transient', 'Instagram answered without the comment id.', { delivery: 'maybe_sent' });
      // Instagram gives comments no address of their own.
      return { remoteId: made.id, url: null };
    },

    /** After a lost answer: the account's own comment with this text under the post, since the attempt. */
    async verifyComment(ctx: InstagramContext, attempt: { remoteId: string; idempotencyKey: string; text: string; startedAt: number }): Promise<CommentVerifyOutcome> {
      const text = attempt.text.trim();
      const own = ctx.config.username.replace(/^@/, '').toLowerCase();
      // ⚠ The comments edge's order is not documented; every page down to the attempt is read, newest or not.
      const match = await findListed<IgComment>(
        instagramHttp(ctx),
        `/${attempt.remoteId}/comments`,
        { fields: 'id,text,timestamp,username' },
        (c) => (c.text ?? '').trim() === text && (c.username ?? '').toLowerCase() === own && graphTimeOf(c.timestamp) >= attempt.startedAt - SLACK_MS,
      );
      if (match === 'unknown') return { found: 'unknown' };
      return match ? { found: true, comment: { remoteId: match.id, url: null } } : { found: false };
    },

    /** GET /{ig-user-id}/content_publishing_limit: posts used of the account's cap in a rolling 24 h, for the composer. */
    async publishingQuota(ctx: InstagramContext): Promise<PublishingQuota> {
      const answer = await graphCall<{ data?: Array<{ quota_usage?: number; config?: { quota_total?: number; quota_duration?: number } }> }>(instagramHttp(ctx), {
        method: 'GET',
        path: `/${ctx.config.instagramAccountId}/content_publishing_limit`,
        params: { fields: 'config,quota_usage' },
        timeoutMs,
      });
      const row = answer.data?.[0];
      if (!row || typeof row.quota_usage !== 'number') throw new ConnectorError('permanent', 'Instagram answered the publishing limit without its numbers.');
      return {
        posts: { used: row.quota_usage, total: row.config?.quota_total ?? INSTAGRAM_POSTS_PER_DAY },
        replies: null,
        windowMs: typeof row.config?.quota_duration === 'number' ? row.config.quota_duration * 1000 : INSTAGRAM_PUBLISH_WINDOW_MS,
      };
    },
  };

}

export type InstagramConnector = ReturnType<typeof createInstagramConnector>;

function isVideo(item: MediaItem): boolean {
  return item.mime.toLowerCase().startsWith('video/');
}

function twiceExpired(): ConnectorError {
  return new ConnectorError('transient', 'Instagram let the post’s containers expire twice; Outpost tries again later.', { delivery: 'not_sent' });
}

/** Instagram could not fetch an image from the relay (code 9004, subcode 2207052): its words, and which relay. */
function downloadError(said: string | undefined, host: string | undefined, checked: string): ConnectorError {
  const ours = `Instagram could not download the image from the media relay${host ? ` (${host})` : ''}. ${checked || 'Check in Settings that the relay’s addresses open from the internet.'}`;
  return new ConnectorError('validation', said ? `${said}: ${ours}` : ours, { delivery: 'not_sent', ...(said ? { networkSaid: said } : {}) });
}

/** A container Instagram could not process: its words ("Error: …"), with the relay named where a download failed. */
async function containerError(status: string | undefined, relayUrl: string | undefined, check: (url: string | undefined) => Promise<string>): Promise<ConnectorError> {
  const said = status?.trim() || undefined;
  if (/download|fetch|2207052|2207003/i.test(said ?? '')) return downloadError(said, relayHostOf(relayUrl), await check(relayUrl));
  const ours = 'Instagram could not process the media; check its format and size.';
  return new ConnectorError('validation', said ? `${said}: ${ours}` : ours, { delivery: 'not_sent', ...(said ? { networkSaid: said } : {}) });
}

/** A reel's cover: the picture itself by address where the relay holds it, else the frame's time in the video. */
function reelCover(item: MediaItem, coverUrl: string | undefined): GraphParams {
  if (coverUrl) return { cover_url: coverUrl };
  const atMs = item.cover?.atMs;
  return atMs !== undefined && Number.isFinite(atMs) && atMs >= 0 ? { thumb_offset: Math.round(atMs) } : {};
}

/** Refuses, before any call, what Instagram would refuse: the composer's Instagram rules, no media, and images without a relay. */
export function validateInstagramPost(post: PublishRequest, ctx?: Pick<InstagramContext, 'relay'>): void {
  if (post.media.length === 0) throw new ConnectorError('validation', 'Instagram posts need an image or a video.', { delivery: 'not_sent' });
  const refusal = requestRefusal(networkRules.instagram, 'Instagram', post);
  if (refusal !== undefined) throw new ConnectorError('validation', refusal, { delivery: 'not_sent' });
  if (ctx && !ctx.relay && post.media.some((item) => !isVideo(item))) throw new ConnectorError('validation', INSTAGRAM_NO_RELAY_MESSAGE, { delivery: 'not_sent' });
}
