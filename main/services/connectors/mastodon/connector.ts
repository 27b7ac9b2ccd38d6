import {
  beforeSending,
  ConnectorError,
  type CommentVerifyOutcome,
  type Connector,
  type MediaItem,
  type NativeSchedule,
  type NativeState,
  type PublishRequest,
  type PublishedComment,
  type PublishedPost,
  type VerifyOutcome,
} from '../../../core/connector';
import { cleanMetrics } from '../../../core/metrics';
import { DEFAULT_CALL_TIMEOUT_MS, DEFAULT_UPLOAD_TIMEOUT_MS, isObject, mediaBlob } from '../kit/http';
import { mediaProgress, type FileProgress } from '../kit/progress';
import { mastodonHttp, send, unexpected, type MastodonConfig, type MastodonContext, type MastodonCredentials, type MastodonHttp, type MastodonLimits } from './api';

/**
 * Mastodon (any instance): publish, native scheduling, delete and verify-after-crash; the
 * sign-in lives beside it in sign-in.ts.
 * Endpoints and error shapes: shared/networks/CONTRACTS.md §3.
 *
 * Decisions worth knowing:
 * - Verify after a crash only reads: it lists the account's statuses created since the attempt
 *   started and matches their text. It never re-sends, because a verify must not publish, and
 *   the server keeps an Idempotency-Key for 1 h only. Every POST still carries the key, so a
 *   retry the scheduler decides to make within that hour is deduplicated by the server.
 * - Native scheduling needs `at` at least 5 minutes ahead (Mastodon's minimum) plus a margin
 *   (default 1 minute) for clock skew and upload time; closer than that is a validation error,
 *   and the scheduler publishes directly instead. A past `scheduled_at` would make Mastodon
 *   publish at once, which is why we never send one.
 * - updateNative moves the time with PUT when text, language and visibility are unchanged and
 *   the post has no media (media cannot be compared byte for byte); otherwise it creates the new
 *   scheduled status first and then deletes the old one, so a failed edit leaves the old one.
 *   `rescheduleNative` is the cheap path for a caller that knows only the time moved.
 * - Deleting a status or cancelling a schedule that is already gone: delete counts it as done;
 *   cancel throws `permanent` (status 404) because the post may have gone out: check it with
 *   `checkNative`.
 */

/** Mastodon refuses a `scheduled_at` closer than this. */
export const MASTODON_MIN_SCHEDULE_AHEAD_MS = 5 * 60_000;

export interface MastodonOptions {
  /** Per request (default 30 s); uploads get `uploadTimeoutMs` (default 120 s). */
  requestTimeoutMs?: number;
  uploadTimeoutMs?: number;
  /** Polling a 202 upload: first wait, doubling up to maxDelayMs, giving up after maxWaitMs in total. */
  mediaPoll?: { firstDelayMs: number; maxDelayMs: number; maxWaitMs: number };
  /** Added to Mastodon's 5-minute minimum for native schedules (default 60 s). */
  scheduleMarginMs?: number;
  /** How far the server's clock may be behind ours when matching created_at (default 5 min). */
  clockSkewMs?: number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// Entities (only the fields we read)

interface Status {
  id: string;
  created_at: string;
  url: string | null;
  uri: string;
  content: string;
  media_attachments: Array<{ id: string }>;
}

interface ScheduledStatus {
  id: string;
  scheduled_at: string;
  params: { text?: string | null; language?: string | null; visibility?: string | null; media_ids?: string[] | null };
  media_attachments?: Array<{ id: string }>;
}

interface MediaAttachment {
  id: string;
  url: string | null;
}

function asStatus(value: unknown): Status {
  if (!isObject(value) || typeof value.id !== 'string' || typeof value.created_at !== 'string') throw unexpected('not a status');
  return {
    id: value.id,
    created_at: value.created_at,
    url: typeof value.url === 'string' ? value.url : null,
    uri: typeof value.uri === 'string' ? value.uri : '',
    content: typeof value.content === 'string' ? value.content : '',
    media_attachments: Array.isArray(value.media_attachments) ? (value.media_attachments as Array<{ id: string }>) : [],
  };
}

function asScheduled(value: unknown): ScheduledStatus {
  if (!isObject(value) || typeof value.id !== 'string' || typeof value.scheduled_at !== 'string') throw unexpected('not a scheduled status');
  return { id: value.id, scheduled_at: value.scheduled_at, params: isObject(value.params) ? (value.params as ScheduledStatus['params']) : {} };
}

function toPublished(status: Status): PublishedPost {
  return { remoteId: status.id, url: status.url ?? (status.uri || null), publishedAt: Date.parse(status.created_at) };
}

function toNative(scheduled: ScheduledStatus): NativeSchedule {
  return { nativeId: scheduled.id, scheduledAt: Date.parse(scheduled.scheduled_at) };
}

/** Mastodon's HTML back to the text that was posted (links keep their hidden parts, mentions lose their domain). */
export function statusText(html: string): string {
  return decodeEntities(
    html
      .replace(/<br\s*\/?>/gi, '\n')
      .replace(/<\/p>\s*<p[^>]*>/gi, '\n\n')
      .replace(/<[^>]*>/g, ''),
  ).trim();
}

function decodeEntities(text: string): string {
  const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, entity: string) => {
    if (entity[0] === '#') {
      const code = entity[1] === 'x' || entity[1] === 'X' ? parseInt(entity.slice(2), 16) : parseInt(entity.slice(1), 10);
      return Number.isFinite(code) ? String.fromCodePoint(code) : whole;
    }
    return named[entity.toLowerCase()] ?? whole;
  });
}

/** What two texts must share to be the same post: remote mentions lose their domain and whitespace collapses. */
function comparable(text: string): string {
  return text
    .normalize('NFC')
    .replace(/(^|[^\w])@([\w.-]+)@[\w.-]+\w/g, '$1@$2')
    .replace(/\s+/g, ' ')
    .trim();
}

// ---------------------------------------------------------------------------------------------
// The connector

export type { NativeState } from '../../../core/connector';

export interface MastodonConnector extends Connector<MastodonCredentials, MastodonConfig> {
  scheduleNative(ctx: MastodonContext, post: PublishRequest, at: number): Promise<NativeSchedule>;
  updateNative(ctx: MastodonContext, nativeId: string, post: PublishRequest, at: number): Promise<NativeSchedule>;
  cancelNative(ctx: MastodonContext, nativeId: string): Promise<void>;
  verify(ctx: MastodonContext, attempt: { idempotencyKey: string; startedAt: number; text: string }): Promise<VerifyOutcome>;
  /** Moves a scheduled status without touching its content (PUT scheduled_at). */
  rescheduleNative(ctx: MastodonContext, nativeId: string, at: number): Promise<NativeSchedule>;
  /** Did a native post go out? Scheduled still, published (found by its text since `scheduledAt`), or missing. */
  checkNative(ctx: MastodonContext, nativeId: string, expected: { text: string; scheduledAt: number }): Promise<NativeState>;
  comment(ctx: MastodonContext, remoteId: string, text: string, idempotencyKey: string): Promise<PublishedComment>;
  verifyComment(ctx: MastodonContext, attempt: { remoteId: string; idempotencyKey: string; text: string; startedAt: number }): Promise<CommentVerifyOutcome>;
}

export function createMastodonConnector(options: MastodonOptions = {}): MastodonConnector {
  const requestTimeoutMs = options.requestTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS;
  const uploadTimeoutMs = options.uploadTimeoutMs ?? DEFAULT_UPLOAD_TIMEOUT_MS;
  const poll = options.mediaPoll ?? { firstDelayMs: 500, maxDelayMs: 5_000, maxWaitMs: 120_000 };
  const scheduleMarginMs = options.scheduleMarginMs ?? 60_000;
  const clockSkewMs = options.clockSkewMs ?? 5 * 60_000;
  const sleep = options.sleep ?? defaultSleep;

  const api = (ctx: MastodonContext): MastodonHttp => mastodonHttp(ctx, requestTimeoutMs, ctx.credentials.accessToken);

  function checkMedia(limits: MastodonLimits, media: MediaItem[]): void {
    if (media.length > limits.maxMediaAttachments) {
      throw new ConnectorError('validation', `This server accepts at most ${limits.maxMediaAttachments} attachments per post.`);
    }
    for (const item of media) {
      if (!limits.supportedMimeTypes.includes(item.mime)) {
        throw new ConnectorError('validation', `This server does not accept ${item.mime} files (${item.fileName}).`);
      }
      const limit = item.mime.startsWith('video/') ? limits.videoSizeLimit : limits.imageSizeLimit;
      if (item.bytes.byteLength > limit) {
        throw new ConnectorError('validation', `${item.fileName} is larger than this server's limit of ${Math.floor(limit / 1024 / 1024)} MB.`);
      }
    }
  }

  async function upload(http: MastodonHttp, item: MediaItem, onUploadProgress?: FileProgress): Promise<string> {
    const form = new FormData();
    form.append('file', mediaBlob(item), item.fileName);
    if (item.alt) form.append('description', item.alt);
    // A video's cover frame, as the picture shown before it plays.
    if (item.cover && item.mime.startsWith('video/')) form.append('thumbnail', new Blob([item.cover.bytes as Uint8Array<ArrayBuffer>], { type: item.cover.mime }), 'cover.jpg');
    const answer = await send(http, 'POST', '/api/v2/media', { multipart: form, timeoutMs: uploadTimeoutMs, onUploadProgress });
    const media = answer.body as MediaAttachment | undefined;
    if (!isObject(media) || typeof media.id !== 'string') throw unexpected('no media id');
    if (answer.status === 200 && media.url) return media.id;
    // 202: still processing; the status POST would be refused until `url` is set.
    let waited = 0;
    let delay = poll.firstDelayMs;
    while (waited < poll.maxWaitMs) {
      await sleep(delay, http.signal);
      waited += delay;
      delay = Math.min(delay * 2, poll.maxDelayMs);
      const check = await send(http, 'GET', `/api/v1/media/${encodeURIComponent(media.id)}`);
      const current = check.body as MediaAttachment | undefined;
      if (check.status === 200 && isObject(current) && current.url) return media.id;
    }
    throw new ConnectorError('transient', `The server is still processing ${item.fileName}; Outpost will try again.`);
  }

  async function uploadAll(ctx: MastodonContext, http: MastodonHttp, media: MediaItem[]): Promise<string[]> {
    const ids: string[] = [];
    const progress = mediaProgress(ctx, media);
    // One at a time, in order: the order of media_ids is the order in the post, and uploads are rate limited.
    for (const item of media) ids.push(await upload(http, item, progress(item)));
    return ids;
  }

  function statusBody(ctx: MastodonContext, post: PublishRequest, mediaIds: string[], at?: number): Record<string, unknown> {
    const body: Record<string, unknown> = { status: post.text, visibility: ctx.config.visibility ?? 'public' };
    if (mediaIds.length) body.media_ids = mediaIds;
    if (post.poll) body.poll = { options: post.poll.options.map((option) => option.trim()), expires_in: post.poll.durationMinutes * 60, multiple: post.poll.multiple };
    if (post.language) body.language = post.language;
    // A thread's part: a reply to the part before it, from the same account.
    if (post.replyTo) body.in_reply_to_id = post.replyTo;
    if (at !== undefined) body.scheduled_at = new Date(at).toISOString();
    return body;
  }

  function checkScheduleTime(ctx: MastodonContext, at: number): void {
    if (at - ctx.now() < MASTODON_MIN_SCHEDULE_AHEAD_MS + scheduleMarginMs) {
      throw new ConnectorError(
        'validation',
        `Mastodon schedules posts only at least ${Math.ceil((MASTODON_MIN_SCHEDULE_AHEAD_MS + scheduleMarginMs) / 60_000)} minutes ahead.`,
      );
    }
  }

  async function createScheduled(ctx: MastodonContext, post: PublishRequest, at: number, idempotencyKey: string): Promise<NativeSchedule> {
    checkScheduleTime(ctx, at);
    checkMedia(ctx.config.limits, post.media);
    const http = api(ctx);
    const mediaIds = await beforeSending(() => uploadAll(ctx, http, post.media));
    const answer = await send(http, 'POST', '/api/v1/statuses', {
      json: statusBody(ctx, post, mediaIds, at),
      headers: { 'idempotency-key': idempotencyKey },
    });
    return toNative(asScheduled(answer.body));
  }

  async function reschedule(ctx: MastodonContext, nativeId: string, at: number): Promise<NativeSchedule> {
    checkScheduleTime(ctx, at);
    const answer = await send(api(ctx), 'PUT', `/api/v1/scheduled_statuses/${encodeURIComponent(nativeId)}`, {
      json: { scheduled_at: new Date(at).toISOString() },
    });
    return toNative(asScheduled(answer.body));
  }

  /** The account's statuses created at or after `since` (server clock, minus skew), oldest first; null when the window is too long to list. */
  async function statusesSince(ctx: MastodonContext, since: number): Promise<Status[] | null> {
    const http = api(ctx);
    const found: Status[] = [];
    let maxId: string | undefined;
    for (let page = 0; page < 5; page++) {
      const query = new URLSearchParams({ limit: '40', exclude_reblogs: 'true' });
      if (maxId) query.set('max_id', maxId);
      const answer = await send(http, 'GET', `/api/v1/accounts/${encodeURIComponent(ctx.config.accountId)}/statuses?${query}`);
      if (!Array.isArray(answer.body)) throw unexpected('not a list of statuses');
      const statuses = answer.body.map(asStatus);
      for (const status of statuses) {
        if (Date.parse(status.created_at) < since - clockSkewMs) return found.reverse();
        found.push(status);
      }
      if (statuses.length < 40) return found.reverse();
      maxId = statuses[statuses.length - 1]!.id;
    }
    return null;
  }

  async function findByText(ctx: MastodonContext, text: string, since: number): Promise<Status | null | 'unknown'> {
    const statuses = await statusesSince(ctx, since);
    if (statuses === null) return 'unknown';
    const wanted = comparable(text);
    const matches = statuses.filter((s) => comparable(statusText(s.content)) === wanted && (wanted !== '' || s.media_attachments.length > 0));
    // The first match from `since` on; one a little earlier only when the server's clock runs behind ours.
    return matches.find((s) => Date.parse(s.created_at) >= since) ?? matches.at(-1) ?? null;
  }

  const connector: MastodonConnector = {
    network: 'mastodon',

    async publish(ctx, post) {
      checkMedia(ctx.config.limits, post.media);
      const http = api(ctx);
      const mediaIds = await beforeSending(() => uploadAll(ctx, http, post.media));
      const answer = await send(http, 'POST', '/api/v1/statuses', {
        json: statusBody(ctx, post, mediaIds),
        headers: { 'idempotency-key': post.idempotencyKey },
      });
      return toPublished(asStatus(answer.body));
    },

    async delete(ctx, remoteId) {
      // 404: already deleted (by us before a crash, or by the user); the goal is reached.
      await send(api(ctx), 'DELETE', `/api/v1/statuses/${encodeURIComponent(remoteId)}?delete_media=true`, { accept: [404] });
    },

    async metrics(ctx, remoteId) {
      // A Status carries its own counts (docs.joinmastodon.org/entities/Status: favourites_count, reblogs_count, replies_count; quotes_count since 4.5).
      const answer = await send(api(ctx), 'GET', `/api/v1/statuses/${encodeURIComponent(remoteId)}`, { accept: [404] });
      if (answer.status === 404) return 'gone';
      const status = isObject(answer.body) ? answer.body : {};
      return cleanMetrics({ likes: status['favourites_count'], reposts: status['reblogs_count'], replies: status['replies_count'], quotes: status['quotes_count'] });
    },

    scheduleNative(ctx, post, at) {
      return createScheduled(ctx, post, at, post.idempotencyKey);
    },

    async updateNative(ctx, nativeId, post, at) {
      const answer = await send(api(ctx), 'GET', `/api/v1/scheduled_statuses/${encodeURIComponent(nativeId)}`, { accept: [404] });
      if (answer.status === 404) throw goneError();
      const current = asScheduled(answer.body);
      const params = current.params;
      const sameContent =
        (params.text ?? '') === post.text &&
        (params.language ?? null) === (post.language ?? params.language ?? null) &&
        (params.visibility ?? 'public') === (ctx.config.visibility ?? 'public') &&
        post.media.length === 0 &&
        (params.media_ids ?? []).length === 0;
      if (sameContent) return reschedule(ctx, nativeId, at);
      // A key of its own: a retry of this edit is deduplicated, and it cannot collide with the original schedule's key.
      const replacement = await createScheduled(ctx, post, at, `${post.idempotencyKey}:replaces:${nativeId}`);
      await send(api(ctx), 'DELETE', `/api/v1/scheduled_statuses/${encodeURIComponent(nativeId)}`, { accept: [404] });
      return replacement;
    },

    async cancelNative(ctx, nativeId) {
      const answer = await send(api(ctx), 'DELETE', `/api/v1/scheduled_statuses/${encodeURIComponent(nativeId)}`, { accept: [404] });
      if (answer.status === 404) throw goneError();
    },

    rescheduleNative: reschedule,

    async checkNative(ctx, nativeId, expected) {
      const answer = await send(api(ctx), 'GET', `/api/v1/scheduled_statuses/${encodeURIComponent(nativeId)}`, { accept: [404] });
      if (answer.status !== 404) return { state: 'scheduled', schedule: toNative(asScheduled(answer.body)) };
      const status = await findByText(ctx, expected.text, expected.scheduledAt);
      if (status === 'unknown') throw new ConnectorError('transient', 'Too many posts since the scheduled time to check this one.');
      return status ? { state: 'published', post: toPublished(status) } : { state: 'missing' };
    },

    // The first comment is a reply from the same account, as public as the post; the key makes a repeat within the hour the same reply.
    async comment(ctx, remoteId, text, idempotencyKey) {
      const answer = await send(api(ctx), 'POST', '/api/v1/statuses', {
        json: { status: text, in_reply_to_id: remoteId, visibility: ctx.config.visibility ?? 'public' },
        headers: { 'idempotency-key': idempotencyKey },
      });
      const status = asStatus(answer.body);
      return { remoteId: status.id, url: status.url ?? (status.uri || null) };
    },

    // The key outlives no hour, so a lost answer is looked for among the post's replies from this account.
    async verifyComment(ctx, attempt) {
      const answer = await send(api(ctx), 'GET', `/api/v1/statuses/${encodeURIComponent(attempt.remoteId)}/context`);
      const descendants = isObject(answer.body) && Array.isArray(answer.body.descendants) ? (answer.body.descendants as unknown[]) : null;
      if (descendants === null) throw unexpected('not a thread');
      const wanted = comparable(attempt.text);
      const reply = descendants.find(
        (d) =>
          isObject(d) &&
          d.in_reply_to_id === attempt.remoteId &&
          isObject(d.account) &&
          d.account.id === ctx.config.accountId &&
          comparable(statusText(asStatus(d).content)) === wanted,
      );
      if (reply) {
        const status = asStatus(reply);
        return { found: true, comment: { remoteId: status.id, url: status.url ?? (status.uri || null) } };
      }
      return { found: false };
    },

    async verify(ctx, attempt) {
      const status = await findByText(ctx, attempt.text, attempt.startedAt);
      if (status === 'unknown') return { found: 'unknown' };
      if (status) return { found: true, post: toPublished(status) };
      // The engine asks only once a cut-off request could no longer be finishing (RetryPolicy.verifySettleMs).
      return { found: false };
    },
  };
  return connector satisfies Connector<MastodonCredentials, MastodonConfig>;
}

function goneError(): ConnectorError {
  return new ConnectorError('permanent', 'This post is no longer scheduled on the server: it was published or cancelled there.', { status: 404 });
}

function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
