import { beforeSending, ConnectorError, type Connector, type MediaItem, type PublishedPost, type PublishingQuota, type PublishRequest } from '../../../core/connector';
import { cleanMetrics } from '../../../core/metrics';
import { requestRefusal } from '../../../core/networks/request-check';
import { networkRules } from '../../../core/networks/rules';
import { X_CAP_WINDOW_MS } from '../../../core/networks/x';
import { DEFAULT_CALL_TIMEOUT_MS, DEFAULT_UPLOAD_TIMEOUT_MS, isObject, isSuccess, mediaBlob, type HttpAnswer, type HttpCall } from '../kit/http';
import { freshCredentials, latestCredentials, xCall, xFailure, type XConfig, type XContext, type XCredentials } from './api';

/**
 * X API v2 (shared/networks/CONTRACTS.md §9; the OpenAPI document v2.167):
 * - publish: media first (an image: POST /2/media/upload, one multipart call; a video or GIF: the
 *   chunked initialize → append → finalize, then GET /2/media/upload?command=STATUS while
 *   processing, waiting check_after_secs), each alt text by POST /2/media/metadata, then
 *   POST /2/tweets {text, media.media_ids, reply_settings}. Everything before that last call
 *   leaves the post unsent.
 * - X takes no idempotency key, so a lost answer (5xx, timeout, reset) is settled by verify: the
 *   account's posts since the attempt (GET /2/users/:id/tweets) are read for the same text; only
 *   a clear "not there" lets the engine send again.
 * - delete: DELETE /2/tweets/:id; a post already gone (404) counts as deleted.
 * - Errors (api.ts xFailure): 429 waits for x-rate-limit-reset; 401 refreshes the token once and
 *   repeats the call (X refused it, nothing was done), then asks for a reconnect; 403 duplicate
 *   content is a refusal, never retried.
 * - No server-side scheduling exists in API v2: the laptop publishes.
 */

/** Pages of the account's posts read for the month's count (1,000 posts; a higher count shows as at least that). */
const QUOTA_PAGES = 10;

export interface XConnectorOptions {
  timeoutMs?: number;
  uploadTimeoutMs?: number;
  /** Bytes per append (X takes up to 5 MB a segment; media-upload-chunked.mdx). */
  chunkBytes?: number;
  /** Longest wait for a video to finish processing. */
  processingTimeoutMs?: number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** Which upload an item needs: its media_category (InitializeMediaUploadRequest.media_category). */
function categoryOf(item: MediaItem): 'tweet_image' | 'tweet_gif' | 'tweet_video' {
  const mime = item.mime.toLowerCase();
  if (mime === 'image/gif') return 'tweet_gif';
  return mime.startsWith('video/') ? 'tweet_video' : 'tweet_image';
}

/** The text as X shows it back, for matching: X shortens every link to t.co and appends one per media; &, <, > come HTML-escaped. */
export function comparableXText(text: string): string {
  return text
    .normalize('NFC')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/https?:\/\/\S+/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

export function xPostUrl(username: string, id: string): string {
  return `https://x.com/${encodeURIComponent(username || 'i')}/status/${encodeURIComponent(id)}`;
}

export function validateXPost(post: PublishRequest): void {
  const refusal = requestRefusal(networkRules.x, 'X', post);
  if (refusal) throw new ConnectorError('validation', refusal);
}

export function createXConnector(options: XConnectorOptions = {}): Connector<XCredentials, XConfig> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_CALL_TIMEOUT_MS;
  const uploadTimeoutMs = options.uploadTimeoutMs ?? DEFAULT_UPLOAD_TIMEOUT_MS;
  const chunkBytes = options.chunkBytes ?? 4 * 1024 * 1024;
  const processingTimeoutMs = options.processingTimeoutMs ?? 10 * 60_000;
  const sleep = options.sleep ?? defaultSleep;

  /** One call with a token that is good now; X's 401 (nothing done) refreshes the token and repeats the call once. */
  async function call(ctx: XContext, request: HttpCall): Promise<HttpAnswer> {
    const credentials = await freshCredentials(ctx);
    const answer = await xCall(ctx, credentials, request, request.timeoutMs ?? timeoutMs);
    if (answer.status !== 401 || !credentials.refreshToken) return answer;
    return xCall(ctx, await freshCredentials(ctx, true), request, request.timeoutMs ?? timeoutMs);
  }

  async function expectOk(ctx: XContext, request: HttpCall): Promise<Record<string, unknown>> {
    const answer = await call(ctx, request);
    if (!isSuccess(answer.status)) throw xFailure(answer, ctx.now());
    const data = isObject(answer.json) && isObject(answer.json['data']) ? answer.json['data'] : undefined;
    if (!data) throw new ConnectorError('transient', `X answered HTTP ${answer.status} without its data.`, { status: answer.status });
    return data;
  }

  async function upload(ctx: XContext, item: MediaItem): Promise<string> {
    const category = categoryOf(item);
    let id: string;
    if (category === 'tweet_image') {
      const form = new FormData();
      form.set('media', mediaBlob(item), item.fileName || 'image');
      form.set('media_category', category);
      id = String((await expectOk(ctx, { path: '/2/media/upload', multipart: form, timeoutMs: uploadTimeoutMs }))['id']);
    } else {
      id = await chunkedUpload(ctx, item, category);
    }
    const alt = item.alt.trim();
    // X takes alt text up to 1,000 characters (media metadata).
    if (alt) await expectOk(ctx, { path: '/2/media/metadata', json: { id, metadata: { alt_text: { text: [...alt].slice(0, 1000).join('') } } } });
    return id;
  }

  async function chunkedUpload(ctx: XContext, item: MediaItem, category: 'tweet_gif' | 'tweet_video'): Promise<string> {
    const init = await expectOk(ctx, { path: '/2/media/upload/initialize', json: { media_type: item.mime.toLowerCase(), total_bytes: item.bytes.byteLength, media_category: category } });
    const id = String(init['id']);
    const path = `/2/media/upload/${encodeURIComponent(id)}`;
    for (let offset = 0, segment = 0; offset < item.bytes.byteLength; offset += chunkBytes, segment++) {
      const form = new FormData();
      form.set('media', mediaBlob({ ...item, bytes: item.bytes.subarray(offset, offset + chunkBytes) }), item.fileName || 'media');
      form.set('segment_index', String(segment));
      const answer = await call(ctx, { path: `${path}/append`, multipart: form, timeoutMs: uploadTimeoutMs });
      if (!isSuccess(answer.status)) throw xFailure(answer, ctx.now());
    }
    let info = processingOf(await expectOk(ctx, { path: `${path}/finalize`, method: 'POST' }));
    const deadline = ctx.now() + processingTimeoutMs;
    while (info && (info.state === 'pending' || info.state === 'in_progress')) {
      if (ctx.now() > deadline) throw new ConnectorError('transient', `X was still processing ${item.fileName} after ${Math.round(processingTimeoutMs / 60_000)} min.`);
      await sleep(Math.max(1, info.checkAfterSecs) * 1000, ctx.signal);
      info = processingOf(await expectOk(ctx, { method: 'GET', path: '/2/media/upload', query: { command: 'STATUS', media_id: id } }));
    }
    if (info?.state === 'failed') {
      throw new ConnectorError('validation', `X could not process ${item.fileName}${info.error ? `: ${info.error}` : ''}.`, { ...(info.error ? { networkSaid: info.error } : {}) });
    }
    return id;
  }

  /** The account's posts since `since`, newest first; at most `pages` pages of 100 (each read is billed by X). */
  async function recentPosts(ctx: XContext, since: number, pages = 1): Promise<Array<Record<string, unknown>>> {
    const credentials = latestCredentials(ctx.credentials);
    const posts: Array<Record<string, unknown>> = [];
    let next: string | undefined;
    for (let page = 0; page < pages; page++) {
      const answer = await call(ctx, {
        method: 'GET',
        path: `/2/users/${encodeURIComponent(credentials.userId)}/tweets`,
        query: {
          start_time: new Date(since).toISOString().replace(/\.\d{3}Z$/, 'Z'),
          // Only the default fields (id, text): X's document calls the field list post.fields, the live API tweet.fields.
          max_results: '100',
          ...(next ? { pagination_token: next } : {}),
        },
      });
      if (!isSuccess(answer.status)) throw xFailure(answer, ctx.now());
      const body = isObject(answer.json) ? answer.json : {};
      posts.push(...(Array.isArray(body['data']) ? body['data'] : []).filter(isObject));
      next = isObject(body['meta']) && typeof body['meta']['next_token'] === 'string' ? body['meta']['next_token'] : undefined;
      if (!next) break;
    }
    return posts;
  }

  const connector: Connector<XCredentials, XConfig> = {
    network: 'x',

    async publish(ctx, post): Promise<PublishedPost> {
      validateXPost(post);
      const mediaIds = await beforeSending(async () => {
        const ids: string[] = [];
        for (const item of post.media) ids.push(await upload(ctx, item));
        return ids;
      });
      const body = {
        text: post.text,
        ...(mediaIds.length > 0 ? { media: { media_ids: mediaIds } } : {}),
        // A thread's part answers the part before it; who may reply is the thread's first post's setting.
        ...(post.replyTo ? { reply: { in_reply_to_tweet_id: post.replyTo } } : ctx.config.replySettings ? { reply_settings: ctx.config.replySettings } : {}),
      };
      const answer = await call(ctx, { path: '/2/tweets', json: body });
      if (!isSuccess(answer.status)) throw xFailure(answer, ctx.now());
      const data = isObject(answer.json) && isObject(answer.json['data']) ? answer.json['data'] : {};
      if (typeof data['id'] !== 'string') {
        // 2xx without the post: it may well exist; verify settles it.
        throw new ConnectorError('transient', `X answered HTTP ${answer.status} without the post.`, { status: answer.status, delivery: 'maybe_sent' });
      }
      return { remoteId: data['id'], url: xPostUrl(ctx.config.username, data['id']), publishedAt: ctx.now() };
    },

    async delete(ctx, remoteId) {
      const answer = await call(ctx, { method: 'DELETE', path: `/2/tweets/${encodeURIComponent(remoteId)}` });
      // Deleted by hand, or by our earlier attempt whose answer was lost: the goal is met.
      if (isSuccess(answer.status) || answer.status === 404) return;
      throw xFailure(answer, ctx.now());
    },

    async metrics(ctx, remoteId) {
      // public_metrics of the Post object (docs.x.com, "Metrics"): the counts anyone can see, impressions to the author.
      const answer = await call(ctx, { method: 'GET', path: `/2/tweets/${encodeURIComponent(remoteId)}`, query: { 'tweet.fields': 'public_metrics' } });
      if (!isSuccess(answer.status)) throw xFailure(answer, ctx.now());
      const body = isObject(answer.json) ? answer.json : {};
      if (!isObject(body['data'])) {
        // A deleted post answers 200 with only a resource-not-found error.
        const errors = Array.isArray(body['errors']) ? body['errors'] : [];
        if (errors.some((e) => isObject(e) && typeof e['type'] === 'string' && e['type'].endsWith('/resource-not-found'))) return 'gone';
        throw new ConnectorError('transient', 'X answered without the post.', { status: answer.status });
      }
      const m = isObject(body['data']['public_metrics']) ? body['data']['public_metrics'] : {};
      return cleanMetrics({ likes: m['like_count'], reposts: m['retweet_count'], replies: m['reply_count'], quotes: m['quote_count'], views: m['impression_count'], saves: m['bookmark_count'] });
    },

    async verify(ctx, attempt) {
      let posts;
      try {
        // A minute of slack: X's clock and ours may differ.
        posts = await recentPosts(ctx, attempt.startedAt - 60_000);
      } catch (error) {
        if (error instanceof ConnectorError && error.kind === 'auth') throw error;
        return { found: 'unknown' };
      }
      const wanted = comparableXText(attempt.text);
      // Oldest first: the post this attempt made, not a later one with the same words.
      const match = [...posts].reverse().find((p) => typeof p['id'] === 'string' && typeof p['text'] === 'string' && comparableXText(p['text']) === wanted);
      if (!match) return { found: false };
      const created = typeof match['created_at'] === 'string' ? Date.parse(match['created_at']) : NaN;
      return { found: true, post: { remoteId: String(match['id']), url: xPostUrl(ctx.config.username, String(match['id'])), publishedAt: Number.isFinite(created) ? created : ctx.now() } };
    },

    async publishingQuota(ctx): Promise<PublishingQuota> {
      const cap = ctx.config.monthlyCap;
      // X gives a user token no usage figure (GET /2/usage/tweets takes an app-only token), so the cap is the user's and the count is the account's posts.
      if (!cap) throw new ConnectorError('validation', 'No monthly post cap is set for this X account.');
      const posts = await recentPosts(ctx, ctx.now() - X_CAP_WINDOW_MS, QUOTA_PAGES);
      return { posts: { used: posts.length, total: cap }, replies: null, windowMs: X_CAP_WINDOW_MS };
    },
  };
  return connector;
}

interface Processing {
  state: string;
  checkAfterSecs: number;
  error: string | undefined;
}

function processingOf(data: Record<string, unknown>): Processing | undefined {
  const info = data['processing_info'];
  if (!isObject(info)) return undefined;
  const error = isObject(info['error']) && typeof info['error']['message'] === 'string' ? info['error']['message'] : undefined;
  return { state: typeof info['state'] === 'string' ? info['state'] : 'succeeded', checkAfterSecs: typeof info['check_after_secs'] === 'number' ? info['check_after_secs'] : 1, error };
}

function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
