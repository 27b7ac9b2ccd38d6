import { beforeSending, ConnectorError, type Connector, type MediaItem, type PublishedPost, type PublishRequest, type VerifyOutcome } from '../../../core/connector';
import { pinterestIssueSentence, pinterestOptionsIssues, type PinterestPostOptions } from '../../../core/networks/pinterest';
import { requestRefusal } from '../../../core/networks/request-check';
import { networkRules } from '../../../core/networks/rules';
import { DEFAULT_CALL_TIMEOUT_MS, DEFAULT_UPLOAD_TIMEOUT_MS, httpCall, isObject, isSuccess, mediaBlob } from '../kit/http';
import { pause } from '../meta/relay';
import { pinterestCall, pinterestFailure, pinterestJson, type PinterestConfig, type PinterestContext, type PinterestCredentials } from './api';

/**
 * Pins on one board (CONTRACTS.md §11; pinterest/api-description v5/openapi.yaml):
 * - publish: POST /pins {board_id, board_section_id?, title?, description, link?, alt_text?,
 *   media_source}. Images go as bytes — `image_base64`, or `multiple_image_base64` for 2–5 — so no
 *   public address is needed. A video is registered (POST /media {media_type: video} → media_id,
 *   upload_url, upload_parameters), posted to upload_url as a multipart form with every
 *   upload parameter and then `file` (S3's POST policy), polled (GET /media/{id}) until
 *   `succeeded`, and pinned as `video_id` with its first frame as cover (cover_image_key_frame_time).
 * - delete: DELETE /pins/{id} → 204; 404 counts as done (deleted by hand or by a lost earlier try).
 * - Exactly once: Pinterest takes no idempotency key, so a lost answer is looked for among the
 *   board's (or section's) pins (GET /boards/{id}[/sections/{id}]/pins, newest first) created since the attempt began with the
 *   same description; found → that pin, the whole window listed without it → not sent.
 * - Errors: 401 → reconnect (after one token refresh), 429 → wait, 5xx → may be sent, 4xx → refused
 *   in Pinterest's words; code 29 (Trial access) says what to ask Pinterest for.
 */

export interface PinterestConnectorOptions {
  timeoutMs?: number;
  uploadTimeoutMs?: number;
  /** Longest wait between two media status checks (default 10 s; the first waits 1 s). */
  pollIntervalMs?: number;
  /** Give up on a video Pinterest is still processing after this long (default 5 min). */
  pollTimeoutMs?: number;
  /** How far Pinterest's clock may be behind ours when matching created_at (default 5 min). */
  clockSkewMs?: number;
}

export type PinterestPublishRequest = PublishRequest & { pinterest?: PinterestPostOptions };

const FIRST_POLL_WAIT_MS = 1_000;
/** A board's recent pins read by verify: pages of 100, at most this many pages. */
const VERIFY_PAGE_SIZE = 100;
const VERIFY_PAGES = 5;

/** The pin's public page. */
export function pinUrl(pinId: string): string {
  return `https://www.pinterest.com/pin/${pinId}/`;
}

/** Refuses, before any call, what Pinterest would refuse: the composer's Pinterest rules and pin fields. */
export function validatePin(post: PinterestPublishRequest): void {
  const refusal = requestRefusal(networkRules.pinterest, 'Pinterest', post);
  if (refusal !== undefined) throw new ConnectorError('validation', refusal);
  const [issue] = pinterestOptionsIssues(post.pinterest);
  if (issue) throw new ConnectorError('validation', pinterestIssueSentence(issue));
}

/** Pinterest writes created_at without a zone ("2026-12-05T09:00:00"); it is UTC. */
export function pinTime(value: unknown): number {
  if (typeof value !== 'string') return NaN;
  return Date.parse(/(?:Z|[+-]\d\d:?\d\d)$/.test(value) ? value : `${value}Z`);
}

function base64(item: MediaItem): string {
  return Buffer.from(item.bytes.buffer, item.bytes.byteOffset, item.bytes.byteLength).toString('base64');
}

export function createPinterestConnector(options: PinterestConnectorOptions = {}) {
  const timeoutMs = options.timeoutMs ?? DEFAULT_CALL_TIMEOUT_MS;
  const uploadTimeoutMs = options.uploadTimeoutMs ?? DEFAULT_UPLOAD_TIMEOUT_MS;
  const pollIntervalMs = options.pollIntervalMs ?? 10_000;
  const pollTimeoutMs = options.pollTimeoutMs ?? 5 * 60_000;
  const clockSkewMs = options.clockSkewMs ?? 5 * 60_000;

  /** Registers, uploads and waits for a video; its media id. Nothing is pinned yet. */
  async function uploadVideo(ctx: PinterestContext, item: MediaItem): Promise<string> {
    const registered = pinterestJson(await pinterestCall(ctx, { path: '/media', json: { media_type: 'video' } }, timeoutMs), ctx.now());
    const mediaId = registered['media_id'];
    const uploadUrl = registered['upload_url'];
    if (typeof mediaId !== 'string' || typeof uploadUrl !== 'string') throw new ConnectorError('permanent', 'Pinterest registered the video without an upload address.');
    const form = new FormData();
    const parameters = isObject(registered['upload_parameters']) ? registered['upload_parameters'] : {};
    for (const [name, value] of Object.entries(parameters)) if (typeof value === 'string') form.set(name, value);
    // S3 reads the fields before the file: `file` goes last.
    form.set('file', mediaBlob(item), item.fileName || 'video.mp4');
    const uploaded = await httpCall({ baseUrl: uploadUrl, fetch: ctx.fetch, name: 'Pinterest', timeoutMs: uploadTimeoutMs, signal: ctx.signal }, { path: '', multipart: form });
    if (!isSuccess(uploaded.status)) {
      throw new ConnectorError(uploaded.status >= 500 ? 'transient' : 'permanent', `Pinterest's upload server refused the video (HTTP ${uploaded.status}).`, { status: uploaded.status });
    }
    const started = ctx.now();
    let wait = Math.min(FIRST_POLL_WAIT_MS, pollIntervalMs);
    for (;;) {
      const media = pinterestJson(await pinterestCall(ctx, { path: `/media/${encodeURIComponent(mediaId)}` }, timeoutMs), ctx.now());
      if (media['status'] === 'succeeded') return mediaId;
      if (media['status'] === 'failed') throw new ConnectorError('permanent', 'Pinterest could not process the video; check its format (MP4 or MOV, H.264).');
      if (ctx.now() - started >= pollTimeoutMs) {
        throw new ConnectorError('transient', `Pinterest was still processing the video after ${Math.round(pollTimeoutMs / 60_000)} min; Outpost tries again later.`);
      }
      await pause(wait, ctx.signal, 'Pinterest');
      wait = Math.min(wait * 2, pollIntervalMs);
    }
  }

  async function mediaSource(ctx: PinterestContext, media: MediaItem[]): Promise<Record<string, unknown>> {
    const video = media.find((item) => item.mime.startsWith('video/'));
    if (video) {
      const mediaId = await uploadVideo(ctx, video);
      return { source_type: 'video_id', media_id: mediaId, cover_image_key_frame_time: 0 };
    }
    if (media.length === 1) return { source_type: 'image_base64', content_type: media[0]!.mime, data: base64(media[0]!) };
    return { source_type: 'multiple_image_base64', items: media.map((item) => ({ content_type: item.mime, data: base64(item) })) };
  }

  function published(pin: Record<string, unknown>, now: number): PublishedPost {
    const created = pinTime(pin['created_at']);
    return { remoteId: String(pin['id']), url: pinUrl(String(pin['id'])), publishedAt: Number.isFinite(created) ? created : now };
  }

  return {
    network: 'pinterest',

    async publish(ctx: PinterestContext, post: PinterestPublishRequest): Promise<PublishedPost> {
      validatePin(post);
      const source = await beforeSending(() => mediaSource(ctx, post.media));
      const title = post.pinterest?.title?.trim();
      const link = post.pinterest?.link?.trim();
      const description = post.text.trim();
      const alt = post.media.find((item) => item.alt.trim() !== '')?.alt.trim();
      const body = {
        board_id: ctx.config.boardId,
        ...(ctx.config.sectionId ? { board_section_id: ctx.config.sectionId } : {}),
        ...(title ? { title } : {}),
        ...(description ? { description } : {}),
        ...(link ? { link } : {}),
        ...(alt && source['source_type'] !== 'video_id' ? { alt_text: alt } : {}),
        media_source: source,
      };
      const answer = await pinterestCall(ctx, { path: '/pins', json: body, timeoutMs: uploadTimeoutMs }, uploadTimeoutMs);
      const pin = pinterestJson(answer, ctx.now());
      if (typeof pin['id'] !== 'string') throw new ConnectorError('transient', 'Pinterest answered without the new pin\'s id.', { status: answer.status, delivery: 'maybe_sent' });
      return published(pin, ctx.now());
    },

    async delete(ctx: PinterestContext, remoteId: string): Promise<void> {
      if (!/^\d+$/.test(remoteId)) throw new ConnectorError('permanent', `"${remoteId}" is not a Pinterest pin id.`);
      const answer = await pinterestCall(ctx, { method: 'DELETE', path: `/pins/${remoteId}` }, timeoutMs);
      // Gone already (by hand, or our earlier attempt whose answer was lost): the goal is met.
      if (isSuccess(answer.status) || answer.status === 404) return;
      throw pinterestFailure(answer, ctx.now());
    },

    async verify(ctx: PinterestContext, attempt: { idempotencyKey: string; startedAt: number; text: string }): Promise<VerifyOutcome> {
      const wanted = attempt.text.trim();
      // A pin without a description cannot be told from another one made in the same minutes.
      if (wanted === '') return { found: 'unknown' };
      const since = attempt.startedAt - clockSkewMs;
      // A section's pins are listed as the section's: Pinterest does not say the board's list holds them.
      const board = `/boards/${encodeURIComponent(ctx.config.boardId)}`;
      const path = ctx.config.sectionId ? `${board}/sections/${encodeURIComponent(ctx.config.sectionId)}/pins` : `${board}/pins`;
      let bookmark: string | undefined;
      for (let page = 0; page < VERIFY_PAGES; page++) {
        const query = { page_size: String(VERIFY_PAGE_SIZE), ...(bookmark ? { bookmark } : {}) };
        const list = pinterestJson(await pinterestCall(ctx, { path, query }, timeoutMs), ctx.now());
        const pins = (Array.isArray(list['items']) ? list['items'] : []).filter(isObject);
        for (const pin of pins) {
          const created = pinTime(pin['created_at']);
          if (Number.isFinite(created) && created < since) continue;
          if (typeof pin['id'] === 'string' && typeof pin['description'] === 'string' && pin['description'].trim() === wanted) return { found: true, post: published(pin, ctx.now()) };
        }
        // Newest first: once a page reaches back past the attempt, the window is fully listed.
        const oldest = pins.map((pin) => pinTime(pin['created_at'])).filter(Number.isFinite);
        const next = typeof list['bookmark'] === 'string' && list['bookmark'] !== '' ? list['bookmark'] : undefined;
        if (!next || (oldest.length > 0 && Math.min(...oldest) < since)) return { found: false };
        bookmark = next;
      }
      return { found: 'unknown' };
    },
  } satisfies Connector<PinterestCredentials, PinterestConfig>;
}

export type PinterestConnector = ReturnType<typeof createPinterestConnector>;
