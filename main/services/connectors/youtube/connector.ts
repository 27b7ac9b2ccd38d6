import {
  ConnectorError,
  type Connector,
  type MediaItem,
  type NativeSchedule,
  type NativeState,
  type PublishedPost,
  type PublishingQuota,
  type PublishRequest,
  type VerifyOutcome,
} from '../../../core/connector';
import { requestRefusal } from '../../../core/networks/request-check';
import { networkRules } from '../../../core/networks/rules';
import {
  qualifiesForShorts,
  YOUTUBE_DEFAULT_CATEGORY,
  youtubeIssueSentence,
  youtubeOptionsIssues,
  youtubeTitle,
  YOUTUBE_DAILY_UPLOADS,
  YOUTUBE_DESCRIPTION_MAX_BYTES,
  type YouTubePostOptions,
} from '../../../core/networks/youtube';
import { DEFAULT_CALL_TIMEOUT_MS, DEFAULT_UPLOAD_TIMEOUT_MS, httpCall, isObject, isSuccess, type HttpAnswer } from '../kit/http';
import { msToPacificMidnight, quotaToday, youtubeCall, youtubeFailure, youtubeJson, youtubeTarget, type YouTubeConfig, type YouTubeContext, type YouTubeCredentials, type YouTubeUploadSession } from './api';

/**
 * Videos on one channel (YouTube Data API v3; Discovery document in tests/fakes/specs):
 * - publish: a resumable upload (youtube/v3/guides/using_resumable_upload_protocol): POST
 *   /upload/youtube/v3/videos?uploadType=resumable&part=snippet,status with the Video resource →
 *   the session URI, kept in the keychain with the tokens BEFORE a byte is sent (it is a capability:
 *   anyone holding it may upload to the channel for a week), then PUT chunks with Content-Range;
 *   308 Resume Incomplete gives the Range received. Then thumbnails.set with the cover picked.
 * - Exactly once: no video exists until the session's last byte arrives, and the session is known
 *   by the attempt's idempotency key. After a crash or a lost answer the session's status
 *   (PUT `Content-Range: bytes * /total`) says how far it got — 308: resume from the offset, never
 *   from 0; 201: the video, never a second upload. No session saved: no byte was sent, so no video.
 * - Native handoff: status.privacyStatus=private + status.publishAt, so YouTube makes the video
 *   public at the time with the computer off; moved with videos.update, taken back with
 *   videos.delete, checked with videos.list after the time.
 * - delete: videos.delete; 404 counts as done.
 */

export interface YouTubeConnectorOptions {
  timeoutMs?: number;
  uploadTimeoutMs?: number;
  /** Bytes per PUT; a multiple of 256 KiB (the protocol's rule). Default 8 MiB. */
  chunkBytes?: number;
  /** Status queries and resumes within one attempt after a cut connection (default 3). */
  resumeTries?: number;
}

export type YouTubePublishRequest = PublishRequest & { youtube?: YouTubePostOptions };

const GRANULE = 256 * 1024;
/** Session URIs expire after a week [using_resumable_upload_protocol]; kept a day longer, then forgotten. */
const SESSION_KEEP_MS = 8 * 86_400_000;

export function watchUrl(videoId: string): string {
  return `https://www.youtube.com/watch?v=${encodeURIComponent(videoId)}`;
}

/** The newest upload sessions per account in this process, so two jobs saving the secret never drop each other's. */
const latestUploads = new Map<string, Record<string, YouTubeUploadSession>>();
const accountKey = (ctx: YouTubeContext) => `${ctx.credentials.clientId}:${ctx.config.channelId}`;

function uploadsOf(ctx: YouTubeContext): Record<string, YouTubeUploadSession> {
  const key = accountKey(ctx);
  let known = latestUploads.get(key);
  if (!known) latestUploads.set(key, (known = { ...(ctx.credentials.uploads ?? {}) }));
  return known;
}

/** Writes the sessions (with whatever token is newest) to the keychain before the upload goes on. */
async function saveUploads(ctx: YouTubeContext, change: (uploads: Record<string, YouTubeUploadSession>) => void): Promise<void> {
  const uploads = uploadsOf(ctx);
  change(uploads);
  for (const [key, session] of Object.entries(uploads)) if (ctx.now() - session.startedAt > SESSION_KEEP_MS) delete uploads[key];
  const renewed: YouTubeCredentials = { ...ctx.credentials, uploads: { ...uploads } };
  ctx.credentials = renewed;
  await ctx.saveCredentials?.(renewed);
}

/** Refuses, before any call, what YouTube would refuse: one video and nothing else, and the video's fields. */
export function validateVideo(post: YouTubePublishRequest): MediaItem {
  const refusal = requestRefusal(networkRules.youtube, 'YouTube', post);
  if (refusal !== undefined) throw new ConnectorError('validation', refusal);
  const [issue] = youtubeOptionsIssues(post.youtube, post.text);
  if (issue) throw new ConnectorError('validation', youtubeIssueSentence(issue));
  const video = post.media.find((item) => item.mime.startsWith('video/'));
  if (!video || post.media.length !== 1) throw new ConnectorError('validation', 'A YouTube upload is one video and nothing else.');
  return video;
}

/** The Video resource sent with the upload (snippet + status). */
export function videoResource(post: YouTubePublishRequest, video: MediaItem, publishAt?: number): Record<string, unknown> {
  const options = post.youtube ?? {};
  let description = post.text.trim();
  // #Shorts asks YouTube to file a qualifying video as a Short; it stays out when it would not fit.
  if (options.shorts && qualifiesForShorts(video) && !/#shorts\b/i.test(description)) {
    const tagged = description === '' ? '#Shorts' : `${description}\n\n#Shorts`;
    if (Buffer.byteLength(tagged, 'utf8') <= YOUTUBE_DESCRIPTION_MAX_BYTES) description = tagged;
  }
  const tags = (options.tags ?? []).map((t) => t.trim()).filter(Boolean);
  return {
    snippet: { title: youtubeTitle(options, post.text), description, ...(tags.length > 0 ? { tags } : {}), categoryId: options.categoryId ?? YOUTUBE_DEFAULT_CATEGORY },
    status:
      publishAt === undefined
        ? { privacyStatus: options.privacy ?? 'public', selfDeclaredMadeForKids: options.madeForKids ?? false }
        : { privacyStatus: 'private', publishAt: new Date(publishAt).toISOString(), selfDeclaredMadeForKids: options.madeForKids ?? false },
  };
}

/** "bytes=0-524287" → 524288: the next byte to send. No header: nothing arrived. */
function nextOffset(answer: HttpAnswer): number {
  const match = /^bytes=0-(\d+)$/.exec(answer.headers.get('range') ?? '');
  return match ? Number(match[1]) + 1 : 0;
}

function videoIdOf(answer: HttpAnswer): string | undefined {
  return isObject(answer.json) && typeof answer.json['id'] === 'string' ? answer.json['id'] : undefined;
}

/** How often verify asks a session's status before saying it cannot tell (a status query is safe to repeat). */
const STATUS_TRIES = 5;

export function createYouTubeConnector(options: YouTubeConnectorOptions = {}) {
  const timeoutMs = options.timeoutMs ?? DEFAULT_CALL_TIMEOUT_MS;
  const uploadTimeoutMs = options.uploadTimeoutMs ?? DEFAULT_UPLOAD_TIMEOUT_MS;
  const chunkBytes = Math.max(GRANULE, Math.floor((options.chunkBytes ?? 8 * 1024 * 1024) / GRANULE) * GRANULE);
  const resumeTries = options.resumeTries ?? 3;

  /** A PUT to the session URI (it carries its own authority; no token). */
  function sessionPut(ctx: YouTubeContext, session: YouTubeUploadSession, headers: Record<string, string>, data?: Uint8Array): Promise<HttpAnswer> {
    const target = youtubeTarget({ ...ctx, baseUrl: session.uri }, ctx.credentials, uploadTimeoutMs);
    // The session URI lets anyone upload to the channel: kept out of any error text like a token.
    return httpCall({ ...target, secrets: { ...target.secrets, 'upload-session': session.uri } }, {
      method: 'PUT',
      path: '',
      headers,
      ...(data ? { bytes: { data, type: 'application/octet-stream' } } : {}),
    });
  }

  /** Where the session stands: the video when it is complete, else the next offset; undefined when the session is gone. */
  async function sessionStatus(ctx: YouTubeContext, session: YouTubeUploadSession): Promise<{ videoId: string } | { offset: number } | undefined> {
    const answer = await sessionPut(ctx, session, { 'content-range': `bytes */${session.total}` });
    if (answer.status === 308) return { offset: nextOffset(answer) };
    const id = videoIdOf(answer);
    if (isSuccess(answer.status) && id) return { videoId: id };
    if (answer.status === 404 || answer.status === 410) return undefined;
    throw youtubeFailure(answer, ctx.now()).notSent();
  }

  /** Sends the bytes from `offset` on; the video's id once the last byte is in. */
  async function sendFrom(ctx: YouTubeContext, session: YouTubeUploadSession, video: MediaItem, offset: number): Promise<string> {
    let at = offset;
    let tries = 0;
    for (;;) {
      const end = Math.min(at + chunkBytes, session.total);
      const last = end === session.total;
      let answer: HttpAnswer;
      try {
        answer = await sessionPut(ctx, session, { 'content-range': `bytes ${at}-${end - 1}/${session.total}` }, video.bytes.subarray(at, end));
      } catch (error) {
        // A cut connection: ask the session how far it got and go on from there, a few times.
        if (!(error instanceof ConnectorError) || ++tries > resumeTries) throw lastChunkFailure(error, last);
        const status = await sessionStatus(ctx, session).catch(() => undefined);
        if (!status) throw lastChunkFailure(error, last);
        if ('videoId' in status) return status.videoId;
        at = status.offset;
        continue;
      }
      if (answer.status === 308) {
        at = nextOffset(answer);
        ctx.onUploadProgress?.(at, session.total);
        continue;
      }
      const id = videoIdOf(answer);
      if (isSuccess(answer.status) && id) {
        ctx.onUploadProgress?.(session.total, session.total);
        return id;
      }
      if (answer.status >= 500 && ++tries <= resumeTries) {
        const status = await sessionStatus(ctx, session);
        if (!status) throw youtubeFailure(answer, ctx.now());
        if ('videoId' in status) return status.videoId;
        at = status.offset;
        continue;
      }
      throw last ? youtubeFailure(answer, ctx.now()) : youtubeFailure(answer, ctx.now()).notSent();
    }
  }

  /** Until the last byte was sent, no video can exist; after it, it may. */
  function lastChunkFailure(error: unknown, last: boolean): unknown {
    return error instanceof ConnectorError && !last ? error.notSent() : error;
  }

  /** Uploads (or resumes, or finds) the video for this attempt's key; its id. */
  async function upload(ctx: YouTubeContext, post: YouTubePublishRequest, video: MediaItem, publishAt?: number): Promise<string> {
    const key = post.idempotencyKey;
    const known = uploadsOf(ctx)[key];
    if (known?.videoId) return known.videoId;
    if (known) {
      const status = await sessionStatus(ctx, known);
      if (status && 'videoId' in status) {
        await saveUploads(ctx, (uploads) => void (uploads[key] = { ...known, videoId: status.videoId }));
        return status.videoId;
      }
      if (status) {
        const id = await sendFrom(ctx, known, video, status.offset);
        await saveUploads(ctx, (uploads) => void (uploads[key] = { ...known, videoId: id }));
        return id;
      }
      // Expired unfinished: it made no video, so a new session is safe.
    }
    const answer = await youtubeCall(
      ctx,
      {
        path: '/upload/youtube/v3/videos',
        query: { uploadType: 'resumable', part: 'snippet,status' },
        headers: { 'x-upload-content-length': String(video.bytes.byteLength), 'x-upload-content-type': video.mime },
        json: videoResource(post, video, publishAt),
      },
      timeoutMs,
    );
    const uri = answer.headers.get('location');
    if (!isSuccess(answer.status)) throw youtubeFailure(answer, ctx.now()).notSent();
    if (!uri) throw new ConnectorError('transient', 'YouTube started the upload without a session address.', { status: answer.status, delivery: 'not_sent' });
    const session: YouTubeUploadSession = { uri, total: video.bytes.byteLength, startedAt: ctx.now() };
    await saveUploads(ctx, (uploads) => void (uploads[key] = session));
    const id = await sendFrom(ctx, session, video, 0);
    await saveUploads(ctx, (uploads) => void (uploads[key] = { ...session, videoId: id }));
    return id;
  }

  /** The user's cover as the video's thumbnail; the video is up either way (unverified channels may not set one). */
  async function setThumbnail(ctx: YouTubeContext, videoId: string, video: MediaItem): Promise<void> {
    if (!video.cover) return;
    try {
      await youtubeCall(ctx, { path: '/upload/youtube/v3/thumbnails/set', query: { videoId, uploadType: 'media' }, bytes: { data: video.cover.bytes, type: video.cover.mime } }, uploadTimeoutMs);
    } catch {
      // Not worth a failed post: the video is published with YouTube's own frame.
    }
  }

  async function lookUp(ctx: YouTubeContext, videoId: string): Promise<Record<string, unknown> | undefined> {
    const list = youtubeJson(await youtubeCall(ctx, { path: '/youtube/v3/videos', query: { part: 'status,snippet', id: videoId } }, timeoutMs), ctx.now());
    const items = Array.isArray(list['items']) ? list['items'].filter(isObject) : [];
    return items.find((item) => item['id'] === videoId);
  }

  async function forget(ctx: YouTubeContext, videoId: string): Promise<void> {
    await saveUploads(ctx, (uploads) => {
      for (const [key, session] of Object.entries(uploads)) if (session.videoId === videoId) delete uploads[key];
    });
  }

  async function remove(ctx: YouTubeContext, videoId: string): Promise<void> {
    const answer = await youtubeCall(ctx, { method: 'DELETE', path: '/youtube/v3/videos', query: { id: videoId } }, timeoutMs);
    // Gone already (by hand, or an earlier try whose answer was lost): the goal is met.
    if (!isSuccess(answer.status) && answer.status !== 404) throw youtubeFailure(answer, ctx.now());
    await forget(ctx, videoId);
  }

  /** Moves a held video (and its words) to another time: videos.update part=snippet,status (50 units). */
  async function reschedule(ctx: YouTubeContext, nativeId: string, post: YouTubePublishRequest, at: number): Promise<NativeSchedule> {
    const video = validateVideo(post);
    const held = await lookUp(ctx, nativeId);
    const status = isObject(held?.['status']) ? held['status'] : {};
    if (!held || status['privacyStatus'] !== 'private' || typeof status['publishAt'] !== 'string') {
      throw new ConnectorError('permanent', 'This video is no longer waiting on YouTube: it was published or removed there.');
    }
    const resource = { id: nativeId, ...videoResource(post, video, at) };
    youtubeJson(await youtubeCall(ctx, { method: 'PUT', path: '/youtube/v3/videos', query: { part: 'snippet,status' }, json: resource }, timeoutMs), ctx.now());
    return { nativeId, scheduledAt: at };
  }

  const published = (videoId: string, at: number): PublishedPost => ({ remoteId: videoId, url: watchUrl(videoId), publishedAt: at });

  return {
    network: 'youtube',

    async publish(ctx: YouTubeContext, post: YouTubePublishRequest): Promise<PublishedPost> {
      const video = validateVideo(post);
      const id = await upload(ctx, post, video);
      await setThumbnail(ctx, id, video);
      return published(id, ctx.now());
    },

    async delete(ctx: YouTubeContext, remoteId: string): Promise<void> {
      await remove(ctx, remoteId);
    },

    async scheduleNative(ctx: YouTubeContext, post: YouTubePublishRequest, at: number): Promise<NativeSchedule> {
      const video = validateVideo(post);
      // publishAt makes a video public: a chosen unlisted or private video is uploaded here at its time instead.
      if ((post.youtube?.privacy ?? 'public') !== 'public') throw new ConnectorError('validation', 'YouTube can schedule only a public video; Outpost uploads this one at its time.', { delivery: 'not_sent' });
      const id = await upload(ctx, post, video, at);
      await setThumbnail(ctx, id, video);
      // A retry after a lost answer finds the first upload: its time is set to the one asked now.
      const held = await lookUp(ctx, id);
      const status = isObject(held?.['status']) ? held['status'] : {};
      if (typeof status['publishAt'] === 'string' && Date.parse(status['publishAt']) !== at) await reschedule(ctx, id, post, at);
      return { nativeId: id, scheduledAt: at };
    },

    updateNative: reschedule,

    async cancelNative(ctx: YouTubeContext, nativeId: string): Promise<void> {
      // Taken back means gone from the channel: the local job uploads it again if it still should go out.
      await remove(ctx, nativeId);
    },

    async checkNative(ctx: YouTubeContext, nativeId: string, expected: { text: string; scheduledAt: number }): Promise<NativeState> {
      const held = await lookUp(ctx, nativeId);
      if (!held) return { state: 'missing' };
      const status = isObject(held['status']) ? held['status'] : {};
      if (status['privacyStatus'] === 'private' && typeof status['publishAt'] === 'string') {
        return { state: 'scheduled', schedule: { nativeId, scheduledAt: Date.parse(status['publishAt']) } };
      }
      if (status['privacyStatus'] === 'public') return { state: 'published', post: published(nativeId, expected.scheduledAt) };
      // Made private by hand after all: not out, not waiting.
      return { state: 'missing' };
    },

    /** Today's uploads of the Google project's 100 as Outpost counted them (YouTube has no call that reads quota use); the day ends at midnight Pacific time. */
    async publishingQuota(ctx: YouTubeContext): Promise<PublishingQuota> {
      const use = quotaToday(ctx.credentials, ctx.now());
      return { posts: { used: use.uploads, total: YOUTUBE_DAILY_UPLOADS }, replies: null, windowMs: Math.max(60_000, 86_400_000 - msToPacificMidnight(ctx.now())) };
    },

    async verify(ctx: YouTubeContext, attempt: { idempotencyKey: string; startedAt: number; text: string }): Promise<VerifyOutcome> {
      const known = uploadsOf(ctx)[attempt.idempotencyKey];
      // No session saved means no byte was sent: no video can exist.
      if (!known) return { found: false };
      if (known.videoId) return { found: true, post: published(known.videoId, ctx.now()) };
      // Asking a session's status changes nothing, so a failed question is asked again before the post is left to the user.
      for (let tries = 1; ; tries++) {
        try {
          const status = await sessionStatus(ctx, known);
          if (status && 'videoId' in status) {
            await saveUploads(ctx, (uploads) => void (uploads[attempt.idempotencyKey] = { ...known, videoId: status.videoId }));
            return { found: true, post: published(status.videoId, ctx.now()) };
          }
          // Incomplete (the next publish resumes it) or expired unfinished: no video either way.
          return { found: false };
        } catch {
          if (tries >= STATUS_TRIES || ctx.signal?.aborted) return { found: 'unknown' };
          await new Promise((resolve) => setTimeout(resolve, 100 * 2 ** (tries - 1)));
        }
      }
    },
  } satisfies Connector<YouTubeCredentials, YouTubeConfig>;
}

export type YouTubeConnector = ReturnType<typeof createYouTubeConnector>;
