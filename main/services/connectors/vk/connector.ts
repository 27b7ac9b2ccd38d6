import { beforeSending, ConnectorError, type Connector, type MediaItem, type PublishedPost, type PublishRequest, type VerifyOutcome } from '../../../core/connector';
import { DEFAULT_CALL_TIMEOUT_MS, DEFAULT_UPLOAD_TIMEOUT_MS, httpCall, isObject, mediaBlob } from '../kit/http';
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
 * - Native handoff (wall.post publish_date, wall.edit, wall.delete of a postponed post) reuses
 *   `wallParams`, `attachmentsOf` and `wall`: it is not wired yet.
 */

/** The VK-only options of one post (composer options come later; until then the account's defaults apply). */
export interface VkPostOptions {
  signed?: boolean;
  /** Paid posts must carry VK's ad mark. */
  markAsAds?: boolean;
  /** A source link shown under the post. */
  copyright?: string;
  closeComments?: boolean;
}

export type VkPublishRequest = PublishRequest & { vk?: VkPostOptions };

export interface VkConnectorOptions {
  timeoutMs?: number;
  uploadTimeoutMs?: number;
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

  async function uploadTo(http: VkHttp, uploadUrl: unknown, field: string, item: MediaItem): Promise<Record<string, unknown>> {
    const url = safeUploadUrl(uploadUrl);
    const form = new FormData();
    form.set(field, mediaBlob(item), item.fileName);
    const answer = await httpCall({ baseUrl: url, fetch: http.fetch, name: 'VK upload', signal: http.signal, timeoutMs: timeouts.upload }, { path: '', multipart: form });
    if (!isObject(answer.json)) throw new ConnectorError(answer.status >= 500 ? 'transient' : 'permanent', `VK's upload server answered HTTP ${answer.status} without a result.`, { status: answer.status });
    if (typeof answer.json.error === 'string') throw new ConnectorError('validation', `${item.fileName}: ${answer.json.error}`, { networkSaid: answer.json.error });
    return answer.json;
  }
  async function uploadPhoto(http: VkHttp, groupId: number, item: MediaItem): Promise<string> {
    const server = await vkCall<{ upload_url: string }>(http, 'photos.getWallUploadServer', { group_id: groupId }, timeouts.call);
    const uploaded = await uploadTo(http, server.upload_url, 'photo', item);
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

  async function uploadVideo(http: VkHttp, groupId: number, item: MediaItem): Promise<string> {
    const saved = await vkCall<{ upload_url: string; video_id?: number; owner_id?: number }>(
      http,
      'video.save',
      { group_id: groupId, name: item.fileName, ...(item.alt ? { description: item.alt } : {}), wallpost: false },
      timeouts.call,
    );
    const uploaded = await uploadTo(http, saved.upload_url, 'video_file', item);
    const videoId = typeof uploaded.video_id === 'number' ? uploaded.video_id : saved.video_id;
    const ownerId = typeof uploaded.owner_id === 'number' ? uploaded.owner_id : (saved.owner_id ?? -groupId);
    if (typeof videoId !== 'number') throw new ConnectorError('permanent', 'VK kept no video id for the upload.');
    return `video${ownerId}_${videoId}`;
  }

  /** Uploads every media item (photos, then a video) and names the first link: wall.post's attachments. */
  async function attachmentsOf(http: VkHttp, ctx: VkContext, post: PublishRequest): Promise<string[]> {
    const attachments: string[] = [];
    for (const item of post.media) {
      attachments.push(item.mime.startsWith('video/') ? await uploadVideo(http, ctx.config.groupId, item) : await uploadPhoto(http, ctx.config.groupId, item));
    }
    const link = post.linkPreview === false ? undefined : firstLink(post.text);
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
      message: post.text.trim() || undefined,
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

  const connector = {
    network: 'vk',

    async publish(ctx: VkContext, post: VkPublishRequest): Promise<PublishedPost> {
      validateVkPost(post);
      const { http, attachments } = await beforeSending(async () => {
        const http = await vkHttp(ctx);
        return { http, attachments: await attachmentsOf(http, ctx, post) };
      });
      const postId = await wall(http, { ...wallParams(ctx, post, attachments), guid: vkGuid(post.idempotencyKey) });
      return { remoteId: `${-ctx.config.groupId}_${postId}`, url: postUrl(ctx.config.groupId, postId), publishedAt: ctx.now() };
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
      // VK stamps posts in whole seconds; a minute's slack covers clocks that disagree.
      const since = attempt.startedAt - 60_000;
      for (let offset = 0; offset < VERIFY_PAGE * VERIFY_PAGES; offset += VERIFY_PAGE) {
        // A failed look throws, so the scheduler asks again later. `domain` club<id>: the copied schema's wall.get lists no owner_id, and a community's short address always resolves.
        const page = await vkCall<{ items?: WallItem[] }>(http, 'wall.get', { domain: `club${ctx.config.groupId}`, offset, count: VERIFY_PAGE, filter: 'owner' }, timeouts.call);
        const items = Array.isArray(page.items) ? page.items : [];
        const match = items.find((item) => item.date * 1000 >= since && (item.text ?? '').trim() === text);
        if (match) return { found: true, post: { remoteId: `${-ctx.config.groupId}_${match.id}`, url: postUrl(ctx.config.groupId, match.id), publishedAt: match.date * 1000 } };
        // The wall is newest first: a short page, or one reaching back before the attempt, was the last that could hold it.
        if (items.length < VERIFY_PAGE || items.some((item) => item.date * 1000 < since)) {
          // Not there: a resend carries the same guid, so even an attempt still finishing at VK cannot make a second post.
          return { found: false };
        }
      }
      // Hundreds of posts since the attempt: too many to be sure; the user decides.
      return { found: 'unknown' };
    },
  } satisfies Connector<VkCredentials, VkConfig>;

  return {
    ...connector,
    /**
     * The post's first comment, from the community (wall.createComment with its own guid). The
     * engine has a `first_comment` job kind but no connector call for it yet: this is that call.
     */
    async comment(ctx: VkContext, remoteId: string, text: string, idempotencyKey: string): Promise<{ commentId: number }> {
      const { ownerId, postId } = parseRemoteId(remoteId);
      const answer = await vkCall<{ comment_id: number }>(
        await vkHttp(ctx),
        'wall.createComment',
        { owner_id: ownerId, post_id: postId, from_group: ctx.config.groupId, message: text.trim(), guid: vkGuid(idempotencyKey, 'comment') },
        timeouts.call,
      );
      return { commentId: answer.comment_id };
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

function firstLink(text: string): string | undefined {
  return /https?:\/\/[^\s<>"]+[^\s<>".,;:!?)\]]/i.exec(text)?.[0];
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
