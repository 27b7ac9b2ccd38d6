import {
  beforeSending,
  ConnectorError,
  type CommentVerifyOutcome,
  type Connector,
  type MediaItem,
  type NativeSchedule,
  type NativeState,
  type PublishedComment,
  type PublishedPost,
  type PublishRequest,
  type VerifyOutcome,
} from '../../../core/connector';
import { cleanMetrics, type PostMetrics } from '../../../core/metrics';
import { requestRefusal } from '../../../core/networks/request-check';
import { networkRules } from '../../../core/networks/rules';
import { DEFAULT_CALL_TIMEOUT_MS, DEFAULT_UPLOAD_TIMEOUT_MS, mediaBlob } from '../kit/http';
import { mediaProgress } from '../kit/progress';
import { GraphApiError, graphCall, insightNumbers, isGraphGone, type GraphHttp, type GraphParams } from '../meta/graph';
import { facebookHttp, type FacebookConfig, type FacebookContext, type FacebookCredentials } from './api';

/**
 * Facebook Page posts through the Graph API (shared/networks/CONTRACTS.md §6;
 * developers.facebook.com/docs/pages-api/posts), with the Page token from the user's own Meta app:
 *
 * - Text (and the first link as `link`): POST /{page-id}/feed → `{id: "<page>_<post>"}`.
 * - One photo: POST /{page-id}/photos with the bytes as multipart `source` and the text as
 *   `message` → `{id, post_id}`; the post is post_id (developers.facebook.com/docs/graph-api/reference/page/photos).
 * - Several photos: each uploaded with published=false, then one POST /{page-id}/feed with
 *   `attached_media=[{"media_fbid":…}]` (a JSON list, as the codegen type list<Object> says).
 *   The uploads run before the post's own call (`beforeSending`): a failure there left nothing posted.
 * - Video (alone): POST /{page-id}/videos on graph-video.facebook.com with `source`; from
 *   `resumableFromBytes` on, the chunked upload_phase=start → transfer (video_file_chunk from
 *   start_offset to end_offset, as Meta answers) → finish, whose `description` and publish
 *   settings make the post (developers.facebook.com/docs/video-api/guides/publishing; ⚠ Meta's
 *   newer guide moves large files to the app-level Resumable Upload API, /{app-id}/uploads and
 *   `fbuploader_video_file_chunk`, which needs the app's own token: not done). remoteId is the video id.
 *   The user's cover frame goes as `thumb` (a file) with the call that makes the post. A chunked
 *   upload cut by a crash is not resumed: its session lives only in memory, so the next attempt
 *   (after verify found no post) opens a new one and the abandoned session is left to expire.
 * - verify lists the Page's /published_posts for the attempt's text since it started (Graph has no
 *   idempotency key, so nothing is resent without looking); scheduleNative looks among
 *   /scheduled_posts first, so a handoff whose answer was lost is found, not made twice.
 * - Native handoff: published=false + scheduled_publish_time (unix seconds) on the same calls;
 *   updateNative is POST /{post-id} with the new time and message (⚠ media of a handed-off post are
 *   not replaced); cancelNative DELETE /{post-id}; checkNative reads is_published (videos: published).
 *   ⚠ Window: Meta's Pages docs give 10 minutes to 30 days ahead; later readings (third-party pages)
 *   say up to 75 days or 6 months. Outpost keeps to 10 min (+ a margin) … 30 days, which every
 *   reading allows; outside it scheduleNative refuses as validation and the local scheduler keeps the post.
 * - metrics: the post's `shares` field, the totals of its /reactions and top-level /comments
 *   (`summary` with `limit=0`: the count without the people), and its lifetime
 *   `post_total_media_view_unique` from /insights; a video is measured through its post (`post_id`).
 */

/**
 * The insights metric read as views: ⚠ Meta's "Deprecated Page Insights Metrics" page names it as
 * post_impressions_unique's alternative (people who saw the post, not times seen); not seen answered.
 */
export const FACEBOOK_VIEWS_METRIC = 'post_total_media_view_unique';

export const FACEBOOK_MIN_SCHEDULE_AHEAD_MS = 10 * 60_000;
export const FACEBOOK_MAX_SCHEDULE_AHEAD_MS = 30 * 24 * 60 * 60_000;

export interface FacebookConnectorOptions {
  timeoutMs?: number;
  uploadTimeoutMs?: number;
  /** Added to the 10 minutes for native schedules (default 60 s): clock skew and upload time. */
  scheduleMarginMs?: number;
  /** Videos from this size go up in chunks (default 20 MB). */
  resumableFromBytes?: number;
}

/** Verify reads the Page's newest posts, 100 a page, at most 5 pages. */
const PAGE_SIZE = 100;
const PAGES = 5;
const SLACK_MS = 60_000;

interface GraphPost {
  id: string;
  message?: string;
  created_time?: string;
  is_published?: boolean;
  /** Videos say `published` instead. */
  published?: boolean;
  scheduled_publish_time?: number | string;
  permalink_url?: string;
  from?: { id?: string };
}

interface GraphList {
  data?: GraphPost[];
  paging?: { cursors?: { after?: string }; next?: string };
}

export function createFacebookConnector(options: FacebookConnectorOptions = {}) {
  const timeouts = { call: options.timeoutMs ?? DEFAULT_CALL_TIMEOUT_MS, upload: options.uploadTimeoutMs ?? DEFAULT_UPLOAD_TIMEOUT_MS };
  const scheduleMarginMs = options.scheduleMarginMs ?? 60_000;
  const resumableFromBytes = options.resumableFromBytes ?? 20 * 1024 * 1024;
  /** Per Page and job key, the scheduled_publish_time of handoffs whose answer never came (in this process only). */
  const asked = new Map<string, number[]>();
  const remember = (key: string, seconds: number) => {
    // Oldest first out: a bound, not a cache policy; a lost handoff is settled within minutes.
    if (!asked.has(key) && asked.size >= 1000) asked.delete(asked.keys().next().value!);
    asked.set(key, [...(asked.get(key) ?? []), seconds]);
  };

  /** Publish settings of a handoff (unix seconds), or nothing for a post that goes out now. */
  const when = (at: number | undefined): GraphParams => (at === undefined ? {} : { published: false, scheduled_publish_time: at });

  async function uploadPhoto(http: GraphHttp, ctx: FacebookContext, item: MediaItem, params: GraphParams): Promise<{ id: string; post_id?: string }> {
    return graphCall(http, {
      path: `/${ctx.config.pageId}/photos`,
      params: { ...params, ...(item.alt ? { alt_text_custom: item.alt } : {}) },
      files: [{ name: 'source', blob: mediaBlob(item), fileName: item.fileName }],
      timeoutMs: timeouts.upload,
    });
  }

  /** The video's post: in one upload, or chunked with the post made by `finish`. Returns the video id. */
  async function uploadVideo(http: GraphHttp, ctx: FacebookContext, item: MediaItem, params: GraphParams): Promise<string> {
    const path = `/${ctx.config.pageId}/videos`;
    const progress = mediaProgress(ctx, [item])(item);
    // The user's cover frame as the video's `thumb` (a file), sent with the call that makes the post.
    const thumb = item.cover ? [{ name: 'thumb', blob: new Blob([item.cover.bytes as Uint8Array<ArrayBuffer>], { type: item.cover.mime }), fileName: 'cover.jpg' }] : [];
    if (item.bytes.byteLength < resumableFromBytes) {
      const files = [{ name: 'source', blob: mediaBlob(item), fileName: item.fileName }, ...thumb];
      const done = await graphCall<{ id?: string }>(http, { path, video: true, params, files, timeoutMs: timeouts.upload, onUploadProgress: progress });
      if (typeof done.id !== 'string') throw new ConnectorError('transient', 'Facebook answered without the video id.', { delivery: 'maybe_sent' });
      return done.id;
    }
    // Start and transfer make nothing visible: a failure there left the Page untouched.
    const { session, videoId } = await beforeSending(async () => {
      const start = await graphCall<{ upload_session_id?: string; video_id?: string; start_offset?: string; end_offset?: string }>(http, {
        path,
        video: true,
        params: { upload_phase: 'start', file_size: item.bytes.byteLength },
        timeoutMs: timeouts.call,
      });
      if (typeof start.upload_session_id !== 'string' || typeof start.video_id !== 'string') throw new ConnectorError('permanent', 'Facebook opened no upload session for the video.');
      let range = { start: Number(start.start_offset ?? 0), end: Number(start.end_offset ?? item.bytes.byteLength) };
      while (range.start < range.end) {
        const next = await graphCall<{ start_offset?: string; end_offset?: string }>(http, {
          path,
          video: true,
          params: { upload_phase: 'transfer', upload_session_id: start.upload_session_id, start_offset: range.start },
          files: [{ name: 'video_file_chunk', blob: new Blob([item.bytes.slice(range.start, range.end)], { type: 'application/octet-stream' }), fileName: 'chunk' }],
          timeoutMs: timeouts.upload,
          // Each chunk's body counts as its share of the whole video.
          onUploadProgress: progress && ((sent, of) => progress(range.start + ((range.end - range.start) * sent) / of, item.bytes.byteLength)),
        });
        const moved = { start: Number(next.start_offset), end: Number(next.end_offset) };
        // Meta names the next chunk; an answer that does not move on would loop forever.
        if (!Number.isFinite(moved.start) || !Number.isFinite(moved.end) || moved.start <= range.start) throw new ConnectorError('permanent', 'Facebook’s video upload stopped moving on.');
        range = moved;
      }
      return { session: start.upload_session_id, videoId: start.video_id };
    });
    const finished = await graphCall<{ success?: boolean }>(http, { path, video: true, params: { upload_phase: 'finish', upload_session_id: session, ...params }, ...(thumb.length ? { files: thumb } : {}), timeoutMs: timeouts.upload });
    if (finished.success !== true) throw new ConnectorError('transient', 'Facebook did not confirm the video upload.', { delivery: 'maybe_sent' });
    return videoId;
  }

  /** Makes the post (now, or scheduled at `at` unix seconds); its id is the post's, or the video's. */
  async function create(ctx: FacebookContext, post: PublishRequest, at?: number): Promise<string> {
    validateFacebookPost(post);
    const http = facebookHttp(ctx);
    const text = post.text.trim();
    const video = post.media.find((item) => item.mime.startsWith('video/'));
    if (video) return uploadVideo(http, ctx, video, { ...(text ? { description: text } : {}), ...when(at) });
    if (post.media.length === 1) {
      const photo = await uploadPhoto(http, ctx, post.media[0]!, { ...(text ? { message: text } : {}), ...when(at) });
      return photo.post_id ?? `${ctx.config.pageId}_${photo.id}`;
    }
    const attached = await beforeSending(async () => {
      const ids: string[] = [];
      // ⚠ Meta's multi-photo guide asks for temporary=true on photos of a scheduled post, so they outlive the usual unpublished-photo cleanup.
      for (const item of post.media) ids.push((await uploadPhoto(http, ctx, item, { published: false, ...(at !== undefined ? { temporary: true } : {}) })).id);
      return ids;
    });
    const link = attached.length === 0 && post.linkPreview !== false ? firstLink(text) : undefined;
    const made = await graphCall<{ id?: string }>(http, {
      path: `/${ctx.config.pageId}/feed`,
      params: {
        ...(text ? { message: text } : {}),
        ...(link ? { link } : {}),
        ...(attached.length > 0 ? { attached_media: JSON.stringify(attached.map((id) => ({ media_fbid: id }))) } : {}),
        ...when(at),
      },
      timeoutMs: timeouts.call,
    });
    if (typeof made.id !== 'string') throw new ConnectorError('transient', 'Facebook answered without the post id.', { delivery: 'maybe_sent' });
    return made.id;
  }

  /** scheduled_publish_time for `at`, refused before any call outside Meta's window. */
  function publishTime(ctx: FacebookContext, at: number): number {
    const ahead = at - ctx.now();
    const min = FACEBOOK_MIN_SCHEDULE_AHEAD_MS + scheduleMarginMs;
    if (ahead < min) throw new ConnectorError('validation', `Facebook schedules posts only at least ${Math.ceil(min / 60_000)} minutes ahead.`);
    if (ahead > FACEBOOK_MAX_SCHEDULE_AHEAD_MS) throw new ConnectorError('validation', 'Facebook schedules posts at most 30 days ahead.');
    // Whole seconds, rounded up: the post never goes out before the planned moment.
    return Math.ceil(at / 1000);
  }

  /**
   * The Page's newest posts on an edge (published_posts, scheduled_posts), 100 a page, at most 5
   * pages, down to `since`: the first that matches, null when none does, 'unknown' when too many.
   */
  async function findOn(http: GraphHttp, ctx: FacebookContext, edge: 'published_posts' | 'scheduled_posts', match: (item: GraphPost) => boolean, since?: number): Promise<GraphPost | null | 'unknown'> {
    let after: string | undefined;
    for (let page = 0; page < PAGES; page += 1) {
      const list = await graphCall<GraphList>(http, {
        method: 'GET',
        path: `/${ctx.config.pageId}/${edge}`,
        params: { fields: 'id,message,created_time,scheduled_publish_time,permalink_url', limit: PAGE_SIZE, after },
        timeoutMs: timeouts.call,
      });
      const items = Array.isArray(list.data) ? list.data : [];
      const found = items.find((item) => (since === undefined || edge === 'scheduled_posts' || timeOf(item.created_time) >= since) && match(item));
      if (found) return found;
      after = list.paging?.cursors?.after;
      // Newest first: the last page, or one reaching back before `since`, was the last that could hold it.
      if (!list.paging?.next || !after || (since !== undefined && edge === 'published_posts' && items.some((item) => timeOf(item.created_time) < since))) return null;
    }
    return 'unknown';
  }

  /** POST /{post-id} (PagePost #update; a video's node takes `description`) with the new text and time. */
  async function reschedule(http: GraphHttp, id: string, text: string, seconds: number): Promise<void> {
    const params: GraphParams = isVideoId(id) ? { description: text, scheduled_publish_time: seconds } : { message: text, scheduled_publish_time: seconds };
    await graphCall(http, { path: `/${id}`, params, timeoutMs: timeouts.call });
  }

  type Located = { state: 'scheduled' | 'published'; item: GraphPost } | { state: 'gone' };

  /** Where Meta has a post (or a video) now; Graph's 100 for an id it does not know is "gone". */
  async function lookUp(http: GraphHttp, id: string): Promise<Located> {
    const video = isVideoId(id);
    try {
      const item = await graphCall<GraphPost>(http, {
        method: 'GET',
        path: `/${id}`,
        params: { fields: video ? 'id,published,scheduled_publish_time,created_time,permalink_url' : 'id,is_published,scheduled_publish_time,created_time,permalink_url' },
        timeoutMs: timeouts.call,
      });
      const out = video ? item.published : item.is_published;
      return { state: out === false ? 'scheduled' : 'published', item };
    } catch (error) {
      if (error instanceof GraphApiError && error.code === 100) return { state: 'gone' };
      throw error;
    }
  }

  /**
   * An edge's total without its items: `limit=0` and the `summary` modifier, which /reactions takes as
   * `total_count` and /comments as a bool (object/reactions and object/comments references, "Modifiers").
   */
  async function total(http: GraphHttp, path: string, params: GraphParams): Promise<unknown> {
    const answer = await graphCall<{ summary?: { total_count?: unknown } }>(http, { method: 'GET', path, params: { ...params, limit: 0 }, timeoutMs: timeouts.call });
    return answer.summary?.total_count;
  }

  /** The views metric, or nothing where Meta gives none (a Page under 100 likes, a metric retired): the other numbers still count. */
  async function views(http: GraphHttp, postId: string): Promise<unknown> {
    try {
      const answer = await graphCall(http, { method: 'GET', path: `/${postId}/insights`, params: { metric: FACEBOOK_VIEWS_METRIC, period: 'lifetime' }, timeoutMs: timeouts.call });
      return insightNumbers(answer)[FACEBOOK_VIEWS_METRIC];
    } catch (error) {
      if (error instanceof GraphApiError && error.kind === 'validation') return undefined;
      throw error;
    }
  }

  async function measure(http: GraphHttp, remoteId: string): Promise<PostMetrics | 'gone'> {
    let id: string;
    let shares: unknown;
    try {
      // A video is counted on its post: the video node names it.
      const postId = isVideoId(remoteId) ? (await graphCall<{ post_id?: string }>(http, { method: 'GET', path: `/${remoteId}`, params: { fields: 'post_id' }, timeoutMs: timeouts.call })).post_id : remoteId;
      // A video Meta names no post for yet (still processing): nothing to count.
      if (!postId) return {};
      const node = await graphCall<{ shares?: { count?: unknown } }>(http, { method: 'GET', path: `/${postId}`, params: { fields: 'id,shares' }, timeoutMs: timeouts.call });
      id = postId;
      // ⚠ Graph leaves `shares` out of a post nobody has shared (seen in answers, not said in the reference): none is 0.
      shares = node.shares ? node.shares.count : 0;
    } catch (error) {
      if (isGraphGone(error)) return 'gone';
      throw error;
    }
    return cleanMetrics({
      likes: await total(http, `/${id}/reactions`, { summary: 'total_count' }),
      // filter=toplevel: answers to comments are not the post's replies.
      replies: await total(http, `/${id}/comments`, { filter: 'toplevel', summary: true }),
      reposts: shares,
      views: await views(http, id),
    });
  }

  function published(ctx: FacebookContext, item: GraphPost, fallbackAt: number): PublishedPost {
    const at = item.created_time ? timeOf(item.created_time) : fallbackAt;
    return { remoteId: item.id, url: item.permalink_url ?? postUrl(item.id), publishedAt: Number.isFinite(at) ? at : fallbackAt };
  }

  const connector = {
    network: 'facebook',

    async publish(ctx: FacebookContext, post: PublishRequest): Promise<PublishedPost> {
      const id = await create(ctx, post);
      return { remoteId: id, url: postUrl(id), publishedAt: ctx.now() };
    },

    async delete(ctx: FacebookContext, remoteId: string): Promise<void> {
      const http = facebookHttp(ctx);
      try {
        await graphCall(http, { method: 'DELETE', path: `/${remoteId}`, timeoutMs: timeouts.call });
      } catch (error) {
        // Meta refuses to delete what is gone (by hand, or our earlier attempt whose answer was lost): the goal is met.
        if (!(error instanceof GraphApiError) || error.code !== 100) throw error;
        if ((await lookUp(http, remoteId)).state !== 'gone') throw error;
      }
    },

    metrics(ctx: FacebookContext, remoteId: string): Promise<PostMetrics | 'gone'> {
      return measure(facebookHttp(ctx), remoteId);
    },

    async verify(ctx: FacebookContext, attempt: { idempotencyKey: string; startedAt: number; text: string }): Promise<VerifyOutcome> {
      const text = attempt.text.trim();
      const match = await findOn(facebookHttp(ctx), ctx, 'published_posts', (item) => (item.message ?? '').trim() === text, attempt.startedAt - SLACK_MS);
      if (match === 'unknown') return { found: 'unknown' };
      return match ? { found: true, post: published(ctx, match, ctx.now()) } : { found: false };
    },

    async scheduleNative(ctx: FacebookContext, post: PublishRequest, at: number): Promise<NativeSchedule> {
      const seconds = publishTime(ctx, at);
      const text = post.text.trim();
      // The times this job's key asked for before: a replay at another time (the engine taking back a lost handoff) still names the copy.
      const key = `${ctx.config.pageId}:${post.idempotencyKey}`;
      const times = new Set([seconds, ...(asked.get(key) ?? [])]);
      // Graph takes no idempotency key: a handoff whose answer was lost is found among the scheduled posts, not made twice.
      // ⚠ After a restart the earlier times are forgotten, and scheduled videos may not be listed there: such a lost handoff is made again.
      const earlier = await beforeSending(() =>
        findOn(facebookHttp(ctx), ctx, 'scheduled_posts', (item) => (item.message ?? '').trim() === text && times.has(Number(item.scheduled_publish_time))),
      );
      if (earlier && earlier !== 'unknown') {
        asked.delete(key);
        // Found at an earlier time of this job (the post moved meanwhile): it is moved to the time asked now.
        if (Number(earlier.scheduled_publish_time) !== seconds) await reschedule(facebookHttp(ctx), earlier.id, text, seconds);
        return { nativeId: earlier.id, scheduledAt: seconds * 1000 };
      }
      remember(key, seconds);
      const nativeId = await create(ctx, post, seconds);
      asked.delete(key);
      return { nativeId, scheduledAt: seconds * 1000 };
    },

    async updateNative(ctx: FacebookContext, nativeId: string, post: PublishRequest, at: number): Promise<NativeSchedule> {
      const seconds = publishTime(ctx, at);
      validateFacebookPost(post);
      const http = facebookHttp(ctx);
      // An edit of a post that went out would change the live post: only a scheduled one is edited.
      if ((await lookUp(http, nativeId)).state !== 'scheduled') throw goneError();
      await reschedule(http, nativeId, post.text.trim(), seconds);
      return { nativeId, scheduledAt: seconds * 1000 };
    },

    async cancelNative(ctx: FacebookContext, nativeId: string): Promise<void> {
      const http = facebookHttp(ctx);
      const before = await lookUp(http, nativeId);
      if (before.state === 'gone') return;
      if (before.state === 'published') throw goneError();
      try {
        await graphCall(http, { method: 'DELETE', path: `/${nativeId}`, timeoutMs: timeouts.call });
      } catch (error) {
        if (!(error instanceof GraphApiError) || error.code !== 100) throw error;
        const after = await lookUp(http, nativeId);
        if (after.state === 'scheduled') throw error;
        if (after.state === 'published') throw goneError();
      }
    },

    async checkNative(ctx: FacebookContext, nativeId: string, expected: { text: string; scheduledAt: number }): Promise<NativeState> {
      const found = await lookUp(facebookHttp(ctx), nativeId);
      if (found.state === 'gone') return { state: 'missing' };
      if (found.state === 'scheduled') {
        const at = Number(found.item.scheduled_publish_time);
        return { state: 'scheduled', schedule: { nativeId, scheduledAt: Number.isFinite(at) && at > 0 ? at * 1000 : expected.scheduledAt } };
      }
      // ⚠ Meta keeps the id when a scheduled post goes out (it flips is_published); the fake does the same.
      return { state: 'published', post: published(ctx, found.item, expected.scheduledAt) };
    },
  } satisfies Connector<FacebookCredentials, FacebookConfig>;

  return {
    ...connector,
    /** The post's first comment, from the Page: POST /{post-id}/comments. Graph has no key to make a resend safe. */
    commentResendSafe: false,
    async comment(ctx: FacebookContext, remoteId: string, text: string): Promise<PublishedComment> {
      const made = await graphCall<{ id?: string }>(facebookHttp(ctx), { path: `/${remoteId}/comments`, params: { message: text.trim() }, timeoutMs: timeouts.call });
      if (typeof made.id !== 'string') throw new ConnectorError('transient', 'Facebook answered without the comment id.', { delivery: 'maybe_sent' });
      return { remoteId: made.id, url: commentUrl(remoteId, made.id) };
    },

    /** After a lost answer: the Page's own comment with this text under the post, since the attempt. */
    async verifyComment(ctx: FacebookContext, attempt: { remoteId: string; idempotencyKey: string; text: string; startedAt: number }): Promise<CommentVerifyOutcome> {
      const list = await graphCall<GraphList>(facebookHttp(ctx), {
        method: 'GET',
        path: `/${attempt.remoteId}/comments`,
        params: { fields: 'id,message,created_time,from', filter: 'stream', order: 'reverse_chronological', limit: PAGE_SIZE },
        timeoutMs: timeouts.call,
      });
      const items = Array.isArray(list.data) ? list.data : [];
      const text = attempt.text.trim();
      const since = attempt.startedAt - SLACK_MS;
      const match = items.find((c) => (c.message ?? '').trim() === text && c.from?.id === ctx.config.pageId && timeOf(c.created_time) >= since);
      if (match) return { found: true, comment: { remoteId: match.id, url: commentUrl(attempt.remoteId, match.id) } };
      // A full page all newer than the attempt: there may be more to read; the user decides.
      if (items.length >= PAGE_SIZE && items.every((c) => timeOf(c.created_time) >= since)) return { found: 'unknown' };
      return { found: false };
    },
  };
}

export type FacebookConnector = ReturnType<typeof createFacebookConnector>;

function goneError(): ConnectorError {
  return new ConnectorError('permanent', 'This post is no longer waiting on Facebook: it was published or removed there.');
}

/** Page posts are `<page>_<post>`; a bare number from our own publish is a video. */
function isVideoId(id: string): boolean {
  return !id.includes('_');
}

function postUrl(id: string): string {
  return `https://www.facebook.com/${id}`;
}

function commentUrl(postId: string, commentId: string): string {
  return `https://www.facebook.com/${postId}?comment_id=${encodeURIComponent(commentId)}`;
}

/** Graph's times read "2026-12-05T09:00:00+0000"; Date.parse wants the offset's colon. */
function timeOf(value: string | undefined): number {
  if (!value) return Number.NaN;
  return Date.parse(value.replace(/([+-]\d\d)(\d\d)$/, '$1:$2'));
}

function firstLink(text: string): string | undefined {
  return /https?:\/\/[^\s<>"]+[^\s<>".,;:!?)\]]/i.exec(text)?.[0];
}

/** Refuses, before any call, what Facebook would refuse: the composer's Facebook rules (core/networks), checked once more. */
export function validateFacebookPost(post: PublishRequest): void {
  const refusal = requestRefusal(networkRules.facebook, 'Facebook', post);
  if (refusal !== undefined) throw new ConnectorError('validation', refusal);
}
