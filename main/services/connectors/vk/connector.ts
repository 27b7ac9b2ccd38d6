import { attachedLink } from '../../../core/networks/attached-link';
import type { VkPostOptions } from '../../../core/networks/vk';
import { cleanMetrics, type PostMetrics } from '../../../core/metrics';
import {
  beforeSending,
  ConnectorError,
  type Connector,
  type MediaItem,
  type NativeSchedule,
  type NativeState,
  type PublishedComment,
  type PublishedPost,
  type PublishRequest,
  type VerifyOutcome,
} from '../../../core/connector';
import { DEFAULT_CALL_TIMEOUT_MS, DEFAULT_UPLOAD_TIMEOUT_MS, httpCall, isObject, mediaBlob } from '../kit/http';
import { mediaProgress, type FileProgress } from '../kit/progress';
import { isLoopbackHost } from '../kit/urls';
import { requestRefusal } from '../../../core/networks/request-check';
import { networkRules } from '../../../core/networks/rules';
import { VkApiError, vkCall, vkGuid, vkIdBaseUrl, type VkConfig, type VkContext, type VkCredentials, type VkHttp, type VkParams } from './api';
import { REFRESH_AHEAD_MS, refreshVkIdToken } from './vk-id';

/**
 * VK community wall posts (shared/networks/CONTRACTS.md §5), with the user's token from their own
 * VK app (sign-in.ts):
 *
 * - Photos: photos.getWallUploadServer → multipart `photo` to its upload_url → photos.saveWallPhoto,
 *   one by one (dev.vk.com/ru/api/upload/wall-photo); video: video.save → multipart `video_file`.
 *   All uploads run before wall.post, so a failure there leaves nothing posted (`beforeSending`).
 * - wall.post goes out with `guid` derived from the job's idempotency key on every attempt: VK keeps
 *   one post per guid (wall.post's `guid` parameter), so a retry after a lost answer cannot post twice.
 * - The first link in the text is attached (VK allows one link per post) unless previews are off.
 * - remoteId is `<owner_id>_<post_id>` ("-123_45"), the form wall.getById takes.
 * - verify reads the community's recent wall (wall.get) for the attempt's text; a post VK has not
 *   got is sent again with the same guid, which VK would answer with the post it already has.
 * - Native handoff: scheduleNative is wall.post with `publish_date` (unix seconds) and the same guid
 *   rule, which leaves a postponed post ("отложенная запись", wall.get filter=postponed,
 *   post_type "postpone"); nativeId is its `<owner_id>_<post_id>`. updateNative is wall.edit of
 *   the postponed post (dev.vk.com/method/wall.edit: publish_date and friends_only count "only when
 *   editing a postponed post"); cancelNative is wall.delete of it; checkNative looks it up.
 *   - wall.edit replaces the post, so it carries the text, every attachment and the VK options
 *     again; media are uploaded again on every edit, a calendar move too (comparing them with what
 *     VK holds is not done yet).
 *   - Before an edit or a cancel the post is looked up (`lookUp`): one VK has already published is
 *     never edited or deleted here; the engine then asks checkNative and records it as published.
 *   - ⚠ VK's docs do not say whether a postponed post keeps its id when it goes out. VK's post
 *     object and Callback API carry `postponed_id` ("the postponed post it came from", vk-io's
 *     IWallPostContextPayload), which suggests a new id: lookUp accepts both (the same id found with
 *     another post_type, or a wall post whose postponed_id is ours), and the fake makes a new id.
 *   - ⚠ Whether wall.getById returns postponed posts is not documented either: when it does not,
 *     lookUp finds them in wall.get filter=postponed.
 *   - ⚠ publish_date bounds are not in the docs: at least VK_MIN_SCHEDULE_AHEAD_MS (+ a margin)
 *     ahead, so a post never goes out at once from a past date, and at most a year ahead, as VK's
 *     own post form offers; closer or further is refused before any call ('validation'), and VK's
 *     own refusals (error 100, 214…) are 'validation' too (api.ts): the local scheduler keeps the post.
 */

/** Closer than this (plus `scheduleMarginMs`) a post is not handed to VK (⚠ VK only says "future"). */
export const VK_MIN_SCHEDULE_AHEAD_MS = 60_000;
/** ⚠ VK's post form schedules up to a year ahead; the API's limit is not documented. */
export const VK_MAX_SCHEDULE_AHEAD_MS = 365 * 24 * 60 * 60_000;

export type VkPublishRequest = PublishRequest & { vk?: VkPostOptions };

export interface VkConnectorOptions {
  timeoutMs?: number;
  uploadTimeoutMs?: number;
  /** Added to VK_MIN_SCHEDULE_AHEAD_MS for native schedules (default 60 s): clock skew and upload time. */
  scheduleMarginMs?: number;
}

const refreshing = new Map<string, Promise<Extract<VkCredentials, { flow: 'vkid' }>>>();

/** The user's token, renewed first when VK ID's hour is nearly up (the renewed pair goes back to the keychain). */
export async function vkHttp(ctx: VkContext): Promise<VkHttp> {
  let credentials: VkCredentials = ctx.credentials;
  if (credentials.flow === 'vkid' && credentials.expiresAt - ctx.now() < REFRESH_AHEAD_MS) {
    const stale = credentials;
    // VK ID refresh tokens are single-use: calls of one account that refresh at the same moment share one exchange.
    let renewal = refreshing.get(stale.refreshToken);
    if (!renewal) {
      renewal = refreshVkIdToken({ baseUrl: vkIdBaseUrl(ctx.baseUrl), fetch: ctx.fetch, now: ctx.now, signal: ctx.signal }, stale).finally(() => {
        refreshing.delete(stale.refreshToken);
      });
      refreshing.set(stale.refreshToken, renewal);
    }
    credentials = await renewal;
    await ctx.saveCredentials?.(credentials);
    ctx.credentials = credentials;
  }
  if (credentials.flow === 'implicit' && credentials.expiresAt !== null && credentials.expiresAt <= ctx.now()) {
    throw new ConnectorError('auth', 'The VK sign-in has expired; reconnect the community.');
  }
  // The user's captcha answer goes with the call VK refused (its method), on this attempt only.
  const answer = ctx.challengeAnswer;
  const captcha = answer?.challenge.kind === 'captcha' ? { sid: answer.challenge.id, key: answer.answer, method: answer.challenge.call } : undefined;
  return { baseUrl: ctx.baseUrl, fetch: ctx.fetch, now: ctx.now, signal: ctx.signal, token: credentials.accessToken, captcha };
}

export function createVkConnector(options: VkConnectorOptions = {}) {
  const timeouts = { call: options.timeoutMs ?? DEFAULT_CALL_TIMEOUT_MS, upload: options.uploadTimeoutMs ?? DEFAULT_UPLOAD_TIMEOUT_MS };
  const scheduleMarginMs = options.scheduleMarginMs ?? 60_000;

  async function uploadTo(http: VkHttp, uploadUrl: unknown, field: string, item: MediaItem, onUploadProgress?: FileProgress): Promise<Record<string, unknown>> {
    const url = safeUploadUrl(uploadUrl);
    const form = new FormData();
    form.set(field, mediaBlob(item), item.fileName);
    const answer = await httpCall({ baseUrl: url, fetch: http.fetch, name: 'VK upload', signal: http.signal, timeoutMs: timeouts.upload }, { path: '', multipart: form, ...(onUploadProgress ? { onUploadProgress } : {}) });
    if (!isObject(answer.json)) throw new ConnectorError(answer.status >= 500 ? 'transient' : 'permanent', `VK's upload server answered HTTP ${answer.status} without a result.`, { status: answer.status });
    if (typeof answer.json.error === 'string') throw new ConnectorError('validation', `${item.fileName}: ${answer.json.error}`, { networkSaid: answer.json.error });
    return answer.json;
  }
  async function uploadPhoto(http: VkHttp, groupId: number, item: MediaItem, progress?: FileProgress): Promise<string> {
    const server = await vkCall<{ upload_url: string }>(http, 'photos.getWallUploadServer', { group_id: groupId }, timeouts.call);
    const uploaded = await uploadTo(http, server.upload_url, 'photo', item, progress);
    // An empty "[]" photo means the upload server kept nothing (a file it could not read).
    if (typeof uploaded.photo !== 'string' || uploaded.photo === '[]' || uploaded.photo === '') {
      throw new ConnectorError('validation', `VK could not read ${item.fileName} as a photo.`);
    }
    const saved = await vkCall<Array<{ id: number; owner_id: number }>>(
      http,
      'photos.saveWallPhoto',
      { group_id: groupId, photo: uploaded.photo, server: Number(uploaded.server), hash: String(uploaded.hash ?? ''), ...(item.alt ? { caption: item.alt } : {}) },
      timeouts.call,
    );
    const photo = Array.isArray(saved) ? saved[0] : undefined;
    if (!photo) throw new ConnectorError('permanent', 'VK saved no photo.');
    return `photo${photo.owner_id}_${photo.id}`;
  }

  async function uploadVideo(http: VkHttp, groupId: number, item: MediaItem, progress?: FileProgress): Promise<string> {
    const saved = await vkCall<{ upload_url: string; video_id?: number; owner_id?: number }>(
      http,
      'video.save',
      { group_id: groupId, name: item.fileName, ...(item.alt ? { description: item.alt } : {}), wallpost: false },
      timeouts.call,
    );
    const uploaded = await uploadTo(http, saved.upload_url, 'video_file', item, progress);
    const videoId = typeof uploaded.video_id === 'number' ? uploaded.video_id : saved.video_id;
    const ownerId = typeof uploaded.owner_id === 'number' ? uploaded.owner_id : (saved.owner_id ?? -groupId);
    if (typeof videoId !== 'number') throw new ConnectorError('permanent', 'VK kept no video id for the upload.');
    return `video${ownerId}_${videoId}`;
  }

  /** A community poll for the post (polls.create with the user's token); the post's text is its question. */
  async function createPoll(http: VkHttp, ctx: VkContext, post: PublishRequest): Promise<string> {
    const poll = post.poll!;
    const created = await vkCall<{ id?: unknown; owner_id?: unknown }>(
      http,
      'polls.create',
      {
        owner_id: -ctx.config.groupId,
        question: post.text.trim(),
        add_answers: JSON.stringify(poll.options.map((option) => option.trim())),
        is_multiple: poll.multiple ? true : undefined,
        end_date: Math.ceil((ctx.now() + poll.durationMinutes * 60_000) / 1000),
      },
      timeouts.call,
    );
    if (typeof created.id !== 'number') throw new ConnectorError('permanent', 'VK made the poll but gave no id for it.');
    // An unused poll left by a failed wall.post shows nowhere: VK polls exist only where they are attached.
    return `poll${typeof created.owner_id === 'number' ? created.owner_id : -ctx.config.groupId}_${created.id}`;
  }

  /** Uploads every media item (photos, then a video) and names the first link: wall.post's attachments. */
  async function attachmentsOf(http: VkHttp, ctx: VkContext, post: PublishRequest): Promise<string[]> {
    const attachments: string[] = [];
    if (post.poll) attachments.push(await createPoll(http, ctx, post));
    const progress = mediaProgress(ctx, post.media);
    for (const item of post.media) {
      attachments.push(item.mime.startsWith('video/') ? await uploadVideo(http, ctx.config.groupId, item, progress(item)) : await uploadPhoto(http, ctx.config.groupId, item, progress(item)));
    }
    const link = post.linkPreview === false ? undefined : attachedLink(post.text);
    if (link) attachments.push(link);
    return attachments;
  }

  function wallParams(ctx: VkContext, post: VkPublishRequest, attachments: string[]): VkParams {
    const vk = post.vk ?? {};
    const signed = vk.signed ?? ctx.config.signed;
    const closeComments = vk.closeComments ?? ctx.config.closeComments;
    return {
      owner_id: -ctx.config.groupId,
      from_group: true,
      // With a poll the text is its question, shown once.
      message: post.poll ? undefined : post.text.trim() || undefined,
      attachments: attachments.length > 0 ? attachments : undefined,
      signed: signed ? true : undefined,
      mark_as_ads: vk.markAsAds ? true : undefined,
      copyright: vk.copyright?.trim() || undefined,
      close_comments: closeComments ? true : undefined,
    };
  }

  async function wall(http: VkHttp, params: VkParams): Promise<number> {
    const answer = await vkCall<{ post_id?: unknown }>(http, 'wall.post', params, timeouts.call);
    if (!isObject(answer) || typeof answer.post_id !== 'number') {
      // A reply without the post id: VK may well have posted it.
      throw new ConnectorError('transient', 'VK answered without the post id.', { delivery: 'maybe_sent' });
    }
    return answer.post_id;
  }

  /** The checks and uploads ahead of wall.post / wall.edit: whatever fails there left VK untouched. */
  async function prepare(ctx: VkContext, post: VkPublishRequest): Promise<{ http: VkHttp; attachments: string[] }> {
    validateVkPost(post);
    return beforeSending(async () => {
      const http = await vkHttp(ctx);
      return { http, attachments: await attachmentsOf(http, ctx, post) };
    });
  }

  /** publish_date for `at`, refused before any call when VK could not hold it as a postponed post. */
  function publishDate(ctx: VkContext, at: number): number {
    const ahead = at - ctx.now();
    if (ahead < VK_MIN_SCHEDULE_AHEAD_MS + scheduleMarginMs) {
      throw new ConnectorError('validation', `VK schedules posts only at least ${Math.ceil((VK_MIN_SCHEDULE_AHEAD_MS + scheduleMarginMs) / 60_000)} minutes ahead.`);
    }
    if (ahead > VK_MAX_SCHEDULE_AHEAD_MS) throw new ConnectorError('validation', 'VK schedules posts at most a year ahead.');
    // Whole seconds, rounded up: VK's postponed post never goes out before the planned moment.
    return Math.ceil(at / 1000);
  }

  /** Where VK has the post now: still postponed, published (same id, or a new one naming it in postponed_id), or gone. */
  async function lookUp(http: VkHttp, ctx: VkContext, nativeId: string, since?: number): Promise<Located> {
    const { ownerId, postId } = parseRemoteId(nativeId);
    const found = await vkCall<{ items?: WallItem[] }>(http, 'wall.getById', { posts: [`${ownerId}_${postId}`] }, timeouts.call);
    const item = Array.isArray(found.items) ? found.items.find((x) => x.id === postId) : undefined;
    if (item) return item.post_type === 'postpone' ? { state: 'postponed', item } : { state: 'published', item };
    const postponed = await findOnWall(http, ctx, 'postponed', (x) => x.id === postId);
    if (postponed !== null && postponed !== 'unknown') return { state: 'postponed', item: postponed };
    const published = await findOnWall(http, ctx, 'owner', (x) => x.postponed_id === postId, since);
    if (published !== null && published !== 'unknown') return { state: 'published', item: published };
    return { state: 'gone' };
  }

  /**
   * The community's newest wall posts (filter owner) or postponed ones, 100 a page, at most 5 pages,
   * down to `since`: the first that matches, null when none does, 'unknown' when there were too many to read.
   */
  async function findOnWall(http: VkHttp, ctx: VkContext, filter: 'owner' | 'postponed', match: (item: WallItem) => boolean, since?: number): Promise<WallItem | null | 'unknown'> {
    for (let offset = 0; offset < VERIFY_PAGE * VERIFY_PAGES; offset += VERIFY_PAGE) {
      // `domain` club<id>: the copied schema's wall.get lists no owner_id, and a community's short address always resolves.
      const page = await vkCall<{ items?: WallItem[] }>(http, 'wall.get', { domain: `club${ctx.config.groupId}`, offset, count: VERIFY_PAGE, filter }, timeouts.call);
      const items = Array.isArray(page.items) ? page.items : [];
      const found = items.find((item) => (since === undefined || item.date * 1000 >= since) && match(item));
      if (found) return found;
      // The wall is newest first: a short page, or one reaching back before `since`, was the last that could hold it.
      if (items.length < VERIFY_PAGE || (since !== undefined && items.some((item) => item.date * 1000 < since))) return null;
    }
    return 'unknown';
  }

  function published(ctx: VkContext, item: WallItem): PublishedPost {
    return { remoteId: `${-ctx.config.groupId}_${item.id}`, url: postUrl(ctx.config.groupId, item.id), publishedAt: item.date * 1000 };
  }

  const connector = {
    network: 'vk',

    async publish(ctx: VkContext, post: VkPublishRequest): Promise<PublishedPost> {
      const { http, attachments } = await prepare(ctx, post);
      const postId = await wall(http, { ...wallParams(ctx, post, attachments), guid: vkGuid(post.idempotencyKey) });
      return { remoteId: `${-ctx.config.groupId}_${postId}`, url: postUrl(ctx.config.groupId, postId), publishedAt: ctx.now() };
    },

    async metrics(ctx: VkContext, remoteId: string): Promise<PostMetrics | 'gone'> {
      const { ownerId, postId } = parseRemoteId(remoteId);
      const found = await vkCall<{ items?: WallItem[] }>(await vkHttp(ctx), 'wall.getById', { posts: [`${ownerId}_${postId}`] }, timeouts.call);
      const item = Array.isArray(found.items) ? found.items.find((x) => x.id === postId) : undefined;
      if (!item) return 'gone';
      // wall_wallpost's counters; VK's comments are the post's replies.
      return cleanMetrics({ likes: item.likes?.count, reposts: item.reposts?.count, replies: item.comments?.count, views: item.views?.count });
    },

    async delete(ctx: VkContext, remoteId: string): Promise<void> {
      const { ownerId, postId } = parseRemoteId(remoteId);
      const http = await vkHttp(ctx);
      try {
        await vkCall<number>(http, 'wall.delete', { owner_id: ownerId, post_id: postId }, timeouts.call);
      } catch (error) {
        // VK refuses to delete a post that is gone (by hand, or our earlier attempt whose answer was lost): the goal is met.
        if (!(error instanceof VkApiError) || error.code !== 100) throw error;
        const found = await vkCall<{ items?: unknown[] }>(http, 'wall.getById', { posts: [`${ownerId}_${postId}`] }, timeouts.call);
        if (Array.isArray(found.items) && found.items.length > 0) throw error;
      }
    },

    async verify(ctx: VkContext, attempt: { idempotencyKey: string; startedAt: number; text: string }): Promise<VerifyOutcome> {
      const http = await vkHttp(ctx);
      const text = attempt.text.trim();
      // VK stamps posts in whole seconds; a minute's slack covers clocks that disagree. A failed look throws, so the scheduler asks again later.
      const match = await findOnWall(http, ctx, 'owner', (item) => (item.text ?? '').trim() === text, attempt.startedAt - 60_000);
      // Hundreds of posts since the attempt: too many to be sure; the user decides.
      if (match === 'unknown') return { found: 'unknown' };
      // Not there: a resend carries the same guid, so even an attempt still finishing at VK cannot make a second post.
      return match ? { found: true, post: published(ctx, match) } : { found: false };
    },

    async scheduleNative(ctx: VkContext, post: VkPublishRequest, at: number): Promise<NativeSchedule> {
      const date = publishDate(ctx, at);
      const { http, attachments } = await prepare(ctx, post);
      // The guid rule of publish: a resend after a lost answer gets the postponed post VK already made.
      const postId = await wall(http, { ...wallParams(ctx, post, attachments), publish_date: date, guid: vkGuid(post.idempotencyKey) });
      return { nativeId: `${-ctx.config.groupId}_${postId}`, scheduledAt: date * 1000 };
    },

    async updateNative(ctx: VkContext, nativeId: string, post: VkPublishRequest, at: number): Promise<NativeSchedule> {
      const date = publishDate(ctx, at);
      const { ownerId, postId } = parseRemoteId(nativeId);
      const { http, attachments } = await prepare(ctx, post);
      // An edit of a post VK has published would change the live post: only a postponed one is edited.
      if ((await lookUp(http, ctx, nativeId)).state !== 'postponed') throw goneError();
      // wall.edit takes no from_group: the postponed post was made by the community already.
      const { from_group: _fromGroup, ...params } = wallParams(ctx, post, attachments);
      await vkCall<{ post_id: number }>(http, 'wall.edit', { ...params, owner_id: ownerId, post_id: postId, publish_date: date }, timeouts.call);
      return { nativeId, scheduledAt: date * 1000 };
    },

    async cancelNative(ctx: VkContext, nativeId: string): Promise<void> {
      const { ownerId, postId } = parseRemoteId(nativeId);
      const http = await vkHttp(ctx);
      const before = await lookUp(http, ctx, nativeId);
      // Gone without going out (our earlier wall.delete whose answer was lost, or deleted by hand): the goal is met.
      if (before.state === 'gone') return;
      // Published already: nothing to take back; the engine asks checkNative and records it.
      if (before.state === 'published') throw goneError();
      try {
        await vkCall<number>(http, 'wall.delete', { owner_id: ownerId, post_id: postId }, timeouts.call);
      } catch (error) {
        // A refusal for a post that went out or vanished meanwhile: only a confirmed "gone" counts as done.
        if (!(error instanceof VkApiError) || error.code !== 100) throw error;
        const after = await lookUp(http, ctx, nativeId);
        if (after.state === 'postponed') throw error;
        if (after.state === 'published') throw goneError();
      }
    },

    async checkNative(ctx: VkContext, nativeId: string, expected: { text: string; scheduledAt: number }): Promise<NativeState> {
      const http = await vkHttp(ctx);
      // VK stamps the published post with the planned second; a minute's slack covers clocks that disagree.
      const since = expected.scheduledAt - 60_000;
      const found = await lookUp(http, ctx, nativeId, since);
      if (found.state === 'postponed') return { state: 'scheduled', schedule: { nativeId, scheduledAt: found.item.date * 1000 } };
      if (found.state === 'published') return { state: 'published', post: published(ctx, found.item) };
      // Without postponed_id (⚠ not in the copied schema): the community's post with the same text since the planned time.
      const text = expected.text.trim();
      const match = await findOnWall(http, ctx, 'owner', (item) => (item.text ?? '').trim() === text, since);
      if (match === 'unknown') throw new ConnectorError('transient', 'Too many posts since the scheduled time to check this one.');
      return match ? { state: 'published', post: published(ctx, match) } : { state: 'missing' };
    },
  } satisfies Connector<VkCredentials, VkConfig>;

  return {
    ...connector,
    /**
     * The post's first comment, from the community (wall.createComment). Its guid comes from the
     * job's key, so VK answers a repeat with the first comment's id: a lost answer is simply sent again.
     */
    commentResendSafe: true,
    async comment(ctx: VkContext, remoteId: string, text: string, idempotencyKey: string): Promise<PublishedComment> {
      const { ownerId, postId } = parseRemoteId(remoteId);
      const answer = await vkCall<{ comment_id: number }>(
        await vkHttp(ctx),
        'wall.createComment',
        { owner_id: ownerId, post_id: postId, from_group: ctx.config.groupId, message: text.trim(), guid: vkGuid(idempotencyKey, 'comment') },
        timeouts.call,
      );
      return { remoteId: `${ownerId}_${answer.comment_id}`, url: `https://vk.com/wall${ownerId}_${postId}?reply=${answer.comment_id}` };
    },
  };
}

/** Verify reads the community's latest posts, 100 at a time (wall.get's most), at most 5 pages. */
const VERIFY_PAGE = 100;
const VERIFY_PAGES = 5;

interface WallItem {
  id: number;
  date: number;
  text?: string;
  /** "postpone" while it waits for its publish_date (schema wall_post_type). */
  post_type?: string;
  /** On a post that went out from a postponed one: that one's id (⚠ VK's post object, not in the copied schema). */
  postponed_id?: number;
  likes?: { count?: number };
  reposts?: { count?: number };
  comments?: { count?: number };
  views?: { count?: number };
}

type Located = { state: 'postponed'; item: WallItem } | { state: 'published'; item: WallItem } | { state: 'gone' };

function goneError(): ConnectorError {
  return new ConnectorError('permanent', 'This post is no longer waiting on VK: it was published or removed there.');
}

export type VkConnector = ReturnType<typeof createVkConnector>;

function postUrl(groupId: number, postId: number): string {
  return `https://vk.com/wall-${groupId}_${postId}`;
}

function parseRemoteId(remoteId: string): { ownerId: number; postId: number } {
  const match = /^(-?\d+)_(\d+)$/.exec(remoteId.trim());
  if (!match) throw new ConnectorError('permanent', `"${remoteId}" is not a VK post id.`);
  return { ownerId: Number(match[1]), postId: Number(match[2]) };
}

/** VK hands out upload addresses; only https (or a loopback fake in tests) is followed. */
function safeUploadUrl(value: unknown): string {
  if (typeof value !== 'string') throw new ConnectorError('permanent', 'VK gave no upload address.');
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConnectorError('permanent', 'VK gave an upload address Outpost cannot read.');
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopbackHost(url.hostname))) {
    throw new ConnectorError('permanent', 'VK gave an upload address that is not https.');
  }
  return url.toString();
}

/** Refuses, before any call, what VK would refuse: the composer's VK rules (core/networks), checked once more. */
export function validateVkPost(post: PublishRequest): void {
  const refusal = requestRefusal(networkRules.vk, 'VK', post);
  if (refusal !== undefined) throw new ConnectorError('validation', refusal);
}
