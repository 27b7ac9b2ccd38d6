import { beforeSending, ConnectorError, type CommentVerifyOutcome, type Connector, type MediaItem, type PublishCard, type PublishedComment, type PublishedPost, type PublishRequest, type VerifyOutcome } from '../../../core/connector';
import { cleanMetrics } from '../../../core/metrics';
import { linkedInCommentary, linkedInPostUrl } from '../../../core/networks/linkedin';
import { requestRefusal } from '../../../core/networks/request-check';
import { networkRules } from '../../../core/networks/rules';
import { DEFAULT_CALL_TIMEOUT_MS, DEFAULT_UPLOAD_TIMEOUT_MS, isObject, isSuccess } from '../kit/http';
import { pause } from '../meta/relay';
import { linkedInCall, linkedInFailure, linkedInJson, linkedInUpload, restliKey, type LinkedInConfig, type LinkedInContext, type LinkedInCredentials } from './api';

/**
 * Posts as a member or an organization page (CONTRACTS.md §8; learn.microsoft.com
 * …/community-management/shares/posts-api, images-api, videos-api, comments-api):
 * - publish: media first — images by POST /rest/images?action=initializeUpload and a PUT of the
 *   bytes (one as content.media, 2–20 as content.multiImage); a video by POST /rest/videos
 *   ?action=initializeUpload, a PUT per uploadInstruction (byte ranges) collecting each part's ETag,
 *   ?action=finalizeUpload with those ids, then GET /rest/videos/{urn} until AVAILABLE; a link card
 *   as content.article {source, title, description, thumbnail (its picture through the Images
 *   API)}. Then POST /rest/posts; LinkedIn answers 201 with the urn in x-restli-id and no body.
 *   Everything before that last call leaves the post unsent.
 * - The commentary is escaped for the "little" text format (an unescaped reserved character cuts
 *   the post short); a hashtag's # is left as the format's hashtag element.
 * - LinkedIn takes no idempotency key, so a lost answer is settled by verify: the author's posts
 *   (GET /rest/posts?q=author, newest first) are read for the same commentary since the attempt;
 *   never resent blindly. A member's own posts can only be read with r_member_social, which
 *   LinkedIn grants to few apps: its 403 leaves the attempt for the user ('unknown').
 * - first comment: POST /rest/socialActions/{urn}/comments as the same author; verifyComment
 *   reads the post's comments for it.
 * - delete: DELETE /rest/posts/{urn} → 204; 404 counts as done.
 */

export interface LinkedInConnectorOptions {
  timeoutMs?: number;
  uploadTimeoutMs?: number;
  /** Longest wait between two video status reads (default 10 s; the first waits 1 s). */
  pollIntervalMs?: number;
  /** Give up on a video LinkedIn is still processing after this long (default 10 min). */
  pollTimeoutMs?: number;
  /** How far LinkedIn's clock may be off ours when matching createdAt (default 5 min). */
  clockSkewMs?: number;
}

const FIRST_POLL_WAIT_MS = 1_000;
/** Posts read by verify: the author's newest, in pages of this many, at most VERIFY_PAGES pages. */
const VERIFY_PAGE_SIZE = 50;
const VERIFY_PAGES = 4;

export function validateLinkedInPost(post: PublishRequest): void {
  const refusal = requestRefusal(networkRules.linkedin, 'LinkedIn', post);
  if (refusal) throw new ConnectorError('validation', refusal);
}

/** The urn LinkedIn answered in x-restli-id (Rest.li's id header; some fronts say x-linkedin-id). */
function createdUrn(headers: Headers): string | undefined {
  const id = headers.get('x-restli-id') ?? headers.get('x-linkedin-id');
  return id ? decodeURIComponent(id) : undefined;
}

/** Text as LinkedIn shows it back, for matching: escapes and hashtag templates (LinkedIn's own way of writing a hashtag back) undone, spaces folded. */
export function comparableLinkedInText(text: string): string {
  return text
    .replace(/\{hashtag\|\\?#\|([^}]*)\}/g, '#$1')
    .replace(/\\([|{}@[\]()<>#*_~\\])/g, '$1')
    .replace(/\s+/g, ' ')
    .trim();
}

export function createLinkedInConnector(options: LinkedInConnectorOptions = {}) {
  const timeoutMs = options.timeoutMs ?? DEFAULT_CALL_TIMEOUT_MS;
  const uploadTimeoutMs = options.uploadTimeoutMs ?? DEFAULT_UPLOAD_TIMEOUT_MS;
  const pollIntervalMs = options.pollIntervalMs ?? 10_000;
  const pollTimeoutMs = options.pollTimeoutMs ?? 10 * 60_000;
  const clockSkewMs = options.clockSkewMs ?? 5 * 60_000;

  async function uploadImage(ctx: LinkedInContext, bytes: Uint8Array, mime: string): Promise<string> {
    const init = linkedInJson(await linkedInCall(ctx, { path: '/rest/images', query: { action: 'initializeUpload' }, json: { initializeUploadRequest: { owner: ctx.config.author } } }, timeoutMs), ctx.now());
    const value = isObject(init['value']) ? init['value'] : {};
    if (typeof value['uploadUrl'] !== 'string' || typeof value['image'] !== 'string') throw new ConnectorError('permanent', 'LinkedIn registered the image without an upload address.');
    // The Images API's own example sends the member's token with the bytes.
    const put = await linkedInUpload(ctx, value['uploadUrl'], bytes, mime, uploadTimeoutMs, true);
    if (!isSuccess(put.status)) throw linkedInFailure(put, ctx.now());
    return value['image'];
  }

  async function uploadVideo(ctx: LinkedInContext, item: MediaItem): Promise<string> {
    const init = linkedInJson(
      await linkedInCall(ctx, {
        path: '/rest/videos',
        query: { action: 'initializeUpload' },
        json: { initializeUploadRequest: { owner: ctx.config.author, fileSizeBytes: item.bytes.byteLength, uploadCaptions: false, uploadThumbnail: false } },
      }, timeoutMs),
      ctx.now(),
    );
    const value = isObject(init['value']) ? init['value'] : {};
    const video = value['video'];
    const instructions = (Array.isArray(value['uploadInstructions']) ? value['uploadInstructions'] : []).filter(isObject);
    if (typeof video !== 'string' || instructions.length === 0) throw new ConnectorError('permanent', 'LinkedIn registered the video without upload addresses.');
    // Each part is the byte range LinkedIn named; its ETag is the part's id for finalizeUpload, in order.
    const partIds: string[] = [];
    for (const part of instructions) {
      const first = Number(part['firstByte']);
      const last = Number(part['lastByte']);
      if (typeof part['uploadUrl'] !== 'string' || !Number.isInteger(first) || !Number.isInteger(last) || last < first || last >= item.bytes.byteLength) {
        throw new ConnectorError('permanent', 'LinkedIn named a video part outside the file.');
      }
      const put = await linkedInUpload(ctx, part['uploadUrl'], item.bytes.subarray(first, last + 1), 'application/octet-stream', uploadTimeoutMs, false);
      if (!isSuccess(put.status)) throw linkedInFailure(put, ctx.now());
      const etag = put.headers.get('etag');
      if (!etag) throw new ConnectorError('transient', 'LinkedIn\'s upload server answered a video part without its ETag.', { status: put.status });
      partIds.push(etag);
    }
    const uploadToken = typeof value['uploadToken'] === 'string' ? value['uploadToken'] : '';
    const finalized = await linkedInCall(ctx, { path: '/rest/videos', query: { action: 'finalizeUpload' }, json: { finalizeUploadRequest: { video, uploadToken, uploadedPartIds: partIds } } }, timeoutMs);
    if (!isSuccess(finalized.status)) throw linkedInFailure(finalized, ctx.now());
    const started = ctx.now();
    let wait = Math.min(FIRST_POLL_WAIT_MS, pollIntervalMs);
    for (;;) {
      const status = linkedInJson(await linkedInCall(ctx, { path: `/rest/videos/${restliKey(video)}` }, timeoutMs), ctx.now())['status'];
      if (status === 'AVAILABLE') return video;
      if (status === 'PROCESSING_FAILED') throw new ConnectorError('permanent', `LinkedIn could not process ${item.fileName || 'the video'}; it takes MP4 from 3 seconds to 30 minutes.`);
      if (ctx.now() - started >= pollTimeoutMs) {
        throw new ConnectorError('transient', `LinkedIn was still processing the video after ${Math.round(pollTimeoutMs / 60_000)} min; Outpost tries again later.`);
      }
      await pause(wait, ctx.signal, 'LinkedIn');
      wait = Math.min(wait * 2, pollIntervalMs);
    }
  }

  async function articleOf(ctx: LinkedInContext, card: PublishCard): Promise<Record<string, unknown>> {
    const thumbnail = card.image ? await uploadImage(ctx, card.image, 'image/jpeg') : undefined;
    return {
      article: {
        source: card.url,
        ...(card.title.trim() ? { title: card.title.trim() } : {}),
        ...(card.description.trim() ? { description: card.description.trim() } : {}),
        ...(thumbnail ? { thumbnail } : {}),
      },
    };
  }

  /** The post's content: uploaded media, or the kept link card as an article, or none. */
  async function contentOf(ctx: LinkedInContext, post: PublishRequest): Promise<Record<string, unknown> | undefined> {
    const video = post.media.find((item) => item.mime.startsWith('video/'));
    if (video) return { media: { id: await uploadVideo(ctx, video) } };
    if (post.media.length > 0) {
      const images: Array<{ id: string; altText?: string }> = [];
      for (const item of post.media) {
        const alt = item.alt.trim();
        images.push({ id: await uploadImage(ctx, item.bytes, item.mime), ...(alt ? { altText: alt } : {}) });
      }
      return images.length === 1 ? { media: images[0] } : { multiImage: { images } };
    }
    if (post.card?.shown) return articleOf(ctx, post.card);
    return undefined;
  }

  function published(urn: string, at: number): PublishedPost {
    return { remoteId: urn, url: linkedInPostUrl(urn), publishedAt: at };
  }

  const connector = {
    network: 'linkedin',

    async publish(ctx: LinkedInContext, post: PublishRequest): Promise<PublishedPost> {
      validateLinkedInPost(post);
      const content = await beforeSending(() => contentOf(ctx, post));
      const body = {
        author: ctx.config.author,
        commentary: linkedInCommentary(post.text.trim()),
        visibility: 'PUBLIC',
        distribution: { feedDistribution: 'MAIN_FEED', targetEntities: [], thirdPartyDistributionChannels: [] },
        ...(content ? { content } : {}),
        lifecycleState: 'PUBLISHED',
        isReshareDisabledByAuthor: false,
      };
      const answer = await linkedInCall(ctx, { path: '/rest/posts', json: body }, timeoutMs);
      if (!isSuccess(answer.status)) throw linkedInFailure(answer, ctx.now());
      const urn = createdUrn(answer.headers);
      // 201 without the urn: the post may well exist; verify settles it.
      if (!urn) throw new ConnectorError('transient', `LinkedIn answered HTTP ${answer.status} without the new post's id.`, { status: answer.status, delivery: 'maybe_sent' });
      return published(urn, ctx.now());
    },

    async delete(ctx: LinkedInContext, remoteId: string): Promise<void> {
      if (!/^urn:li:(share|ugcPost):\d+$/.test(remoteId)) throw new ConnectorError('permanent', `"${remoteId}" is not a LinkedIn post id.`);
      const answer = await linkedInCall(ctx, { method: 'DELETE', path: `/rest/posts/${restliKey(remoteId)}`, headers: { 'x-restli-method': 'DELETE' } }, timeoutMs);
      // Gone already (by hand, or our earlier attempt whose answer was lost): the goal is met.
      if (isSuccess(answer.status) || answer.status === 404) return;
      throw linkedInFailure(answer, ctx.now());
    },

    // LinkedIn takes no key for a comment: a lost answer is settled by verifyComment.
    async comment(ctx: LinkedInContext, remoteId: string, text: string, _idempotencyKey?: string): Promise<PublishedComment> {
      const path = `/rest/socialActions/${restliKey(remoteId)}/comments`;
      const answer = await linkedInCall(ctx, { path, json: { actor: ctx.config.author, object: remoteId, message: { text } } }, timeoutMs);
      if (!isSuccess(answer.status)) throw linkedInFailure(answer, ctx.now());
      const body = isObject(answer.json) ? answer.json : {};
      const urn = typeof body['commentUrn'] === 'string' ? body['commentUrn'] : createdUrn(answer.headers);
      if (!urn) throw new ConnectorError('transient', `LinkedIn answered HTTP ${answer.status} without the comment's id.`, { status: answer.status, delivery: 'maybe_sent' });
      return { remoteId: urn, url: `${linkedInPostUrl(remoteId)}?commentUrn=${encodeURIComponent(urn)}` };
    },

    async verifyComment(ctx: LinkedInContext, attempt: { remoteId: string; idempotencyKey: string; text: string; startedAt: number }): Promise<CommentVerifyOutcome> {
      const since = attempt.startedAt - clockSkewMs;
      let body: Record<string, unknown>;
      try {
        body = linkedInJson(await linkedInCall(ctx, { path: `/rest/socialActions/${restliKey(attempt.remoteId)}/comments`, query: { count: '100' } }, timeoutMs), ctx.now());
      } catch (error) {
        if (error instanceof ConnectorError && error.kind === 'auth') throw error;
        return { found: 'unknown' };
      }
      const wanted = attempt.text.trim();
      for (const comment of (Array.isArray(body['elements']) ? body['elements'] : []).filter(isObject)) {
        const created = isObject(comment['created']) ? Number(comment['created']['time']) : NaN;
        const said = isObject(comment['message']) ? comment['message']['text'] : undefined;
        if (comment['actor'] !== ctx.config.author || typeof said !== 'string' || said.trim() !== wanted) continue;
        if (Number.isFinite(created) && created < since) continue;
        const urn = typeof comment['commentUrn'] === 'string' ? comment['commentUrn'] : undefined;
        if (urn) return { found: true, comment: { remoteId: urn, url: `${linkedInPostUrl(attempt.remoteId)}?commentUrn=${encodeURIComponent(urn)}` } };
      }
      // Comments come oldest first in pages; a post with more than a page of them is not read to its end.
      const total = isObject(body['paging']) ? Number(body['paging']['total']) : NaN;
      return Number.isFinite(total) && total > 100 ? { found: 'unknown' } : { found: false };
    },

    async verify(ctx: LinkedInContext, attempt: { idempotencyKey: string; startedAt: number; text: string }): Promise<VerifyOutcome> {
      const wanted = comparableLinkedInText(linkedInCommentary(attempt.text.trim()));
      // A post without words cannot be told from another one made in the same minutes.
      if (wanted === '') return { found: 'unknown' };
      const since = attempt.startedAt - clockSkewMs;
      for (let page = 0; page < VERIFY_PAGES; page++) {
        let list: Record<string, unknown>;
        try {
          list = linkedInJson(
            await linkedInCall(ctx, {
              path: '/rest/posts',
              query: { author: ctx.config.author, q: 'author', count: String(VERIFY_PAGE_SIZE), start: String(page * VERIFY_PAGE_SIZE), sortBy: 'CREATED' },
            }, timeoutMs),
            ctx.now(),
          );
        } catch (error) {
          if (error instanceof ConnectorError && error.kind === 'auth') throw error;
          // 403 without r_member_social, 429, 5xx: not known; the engine asks again or the user decides.
          return { found: 'unknown' };
        }
        const posts = (Array.isArray(list['elements']) ? list['elements'] : []).filter(isObject);
        // Oldest first within the window: the post this attempt made, not a later one with the same words.
        const match = [...posts]
          .reverse()
          .find((p) => typeof p['id'] === 'string' && Number(p['createdAt']) >= since && typeof p['commentary'] === 'string' && comparableLinkedInText(p['commentary']) === wanted);
        if (match) return { found: true, post: published(String(match['id']), Number(match['publishedAt'] ?? match['createdAt']) || ctx.now()) };
        // Newest first: once a page reaches back past the attempt, the window is fully listed.
        const oldest = Math.min(...posts.map((p) => Number(p['createdAt'])).filter(Number.isFinite));
        if (posts.length < VERIFY_PAGE_SIZE || oldest < since) return { found: false };
      }
      return { found: 'unknown' };
    },

    async metrics(ctx: LinkedInContext, remoteId: string) {
      // socialActions' summaries (comments-api, likes): what the author can read without analytics permissions.
      const answer = await linkedInCall(ctx, { path: `/rest/socialActions/${restliKey(remoteId)}` }, timeoutMs);
      if (answer.status === 404) return 'gone' as const;
      const body = linkedInJson(answer, ctx.now());
      const likes = isObject(body['likesSummary']) ? body['likesSummary']['totalLikes'] : undefined;
      const comments = isObject(body['commentsSummary']) ? body['commentsSummary']['aggregatedTotalComments'] : undefined;
      return cleanMetrics({ likes, replies: comments });
    },
  } satisfies Connector<LinkedInCredentials, LinkedInConfig>;
  return connector;
}

export type LinkedInConnector = ReturnType<typeof createLinkedInConnector>;
