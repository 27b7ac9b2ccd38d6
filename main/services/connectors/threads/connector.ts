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
import { attachedLink } from '../../../core/networks/attached-link';
import { requestRefusal } from '../../../core/networks/request-check';
import { networkRules } from '../../../core/networks/rules';
import { isThreadsReplyControl, threadsIssueSentence, threadsOptionsIssues, type ThreadsPostOptions } from '../../../core/networks/threads';
import { DEFAULT_CALL_TIMEOUT_MS } from '../kit/http';
import { GraphApiError, graphCall, graphTimeOf, insightNumbers, isGraphGone, type GraphHttp, type GraphParams } from '../meta/graph';
import { checkRelayedAddress, pause, withRelayedMedia } from '../meta/relay';
import { freshCredentials, threadsHttp, type ThreadsConfig, type ThreadsContext, type ThreadsCredentials } from './api';

/**
 * Threads posts through the Threads API on graph.threads.net (shared/networks/CONTRACTS.md §10;
 * developers.facebook.com/documentation/threads/posts and …/reference/publishing), with a
 * long-lived token from the user's own Threads app:
 *
 * - Every post is a container, then a publish: POST /me/threads (media_type TEXT, IMAGE, VIDEO or
 *   CAROUSEL) → `{id}`, then POST /me/threads_publish with creation_id → the post's id.
 * - Text: `text`, `link_attachment` (text-only posts: the option's link, else the first link in the
 *   text), `reply_control`, `topic_tag`.
 * - Images and videos: Threads fetches `image_url` / `video_url` itself ("it must be on a public
 *   server"), so each file goes through the context's MediaRelay first and is removed after;
 *   without a relay a media post is refused before any call. Carousels: one container per item
 *   with is_carousel_item=true, then CAROUSEL with `children` (2–20).
 * - Containers are polled (GET /{container}?fields=id,status,error_message) until FINISHED:
 *   IN_PROGRESS waits, ERROR refuses with Threads' reason, EXPIRED (not published within 24 h)
 *   is made again once (developers.facebook.com/docs/threads/troubleshooting).
 * - Everything before threads_publish makes nothing visible (`beforeSending`); the publish is sent
 *   once per attempt. After a lost answer, `verify` lists /me/threads for the text: a container is
 *   never published a second time, and nothing new is stored to remember it.
 * - Delete: DELETE /{threads-media-id} → {success, deleted_id} (developers.facebook.com/docs/threads/posts/delete-posts; 100 a day).
 * - First comment: a reply, media_type=TEXT with reply_to_id, through the same container → publish.
 * - metrics: GET /{threads-media-id}/insights?metric=views,likes,replies,reposts,quotes (Threads
 *   Insights API, "Media Insights"; ⚠ `views` is "in development" there). A post of someone else's
 *   (REPOST_FACADE) answers an empty list: no numbers.
 * - No native scheduling: the container → threads_publish flow has no time parameter (the official
 *   Postman collection, shared/networks/specs/README.md), so the local scheduler publishes.
 */

export interface ThreadsConnectorOptions {
  timeoutMs?: number;
  /** Between status checks (default 10 s; Meta suggests about 30 s on average before publishing). */
  pollIntervalMs?: number;
  /** Give up on a container after this long (default 5 minutes: "no more than 5 minutes", troubleshooting guide). */
  pollTimeoutMs?: number;
  /** Wait before the first status check of a media container (default 0; tests and images rarely need more). */
  firstPollDelayMs?: number;
}

export type ThreadsPublishRequest = PublishRequest & { threads?: ThreadsPostOptions };

export const NO_RELAY_MESSAGE = 'Threads fetches images from a web address: set up a media relay in Settings.';

const PAGE_SIZE = 50;
const PAGES = 5;
const SLACK_MS = 60_000;

interface ThreadsMedia {
  id: string;
  text?: string;
  timestamp?: string;
  permalink?: string;
  is_reply_owned_by_me?: boolean;
}

interface ThreadsList {
  data?: ThreadsMedia[];
  paging?: { cursors?: { after?: string }; next?: string };
}

interface ContainerStatus {
  id?: string;
  status?: string;
  error_message?: string;
}

/** A container made again because Threads let it expire. */
class Expired extends Error {}

export function createThreadsConnector(options: ThreadsConnectorOptions = {}) {
  const timeoutMs = options.timeoutMs ?? DEFAULT_CALL_TIMEOUT_MS;
  const pollIntervalMs = options.pollIntervalMs ?? 10_000;
  const pollTimeoutMs = options.pollTimeoutMs ?? 5 * 60_000;
  const firstPollDelayMs = options.firstPollDelayMs ?? 0;

  async function http(ctx: ThreadsContext): Promise<GraphHttp> {
    const credentials = await beforeSending(() => freshCredentials(ctx));
    return threadsHttp(ctx, credentials.accessToken);
  }

  async function container(api: GraphHttp, params: GraphParams): Promise<string> {
    const made = await graphCall<{ id?: string }>(api, { path: '/me/threads', params, timeoutMs });
    if (typeof made.id !== 'string') throw new ConnectorError('permanent', 'Threads answered without a container id.');
    return made.id;
  }

  /** Waits until Threads has processed the container; throws Expired for EXPIRED. */
  async function finished(ctx: ThreadsContext, api: GraphHttp, id: string, media: boolean, relayUrl?: string): Promise<void> {
    const started = Date.now();
    if (media && firstPollDelayMs > 0) await pause(firstPollDelayMs, ctx.signal, 'Threads');
    for (;;) {
      const state = await graphCall<ContainerStatus>(api, { method: 'GET', path: `/${id}`, params: { fields: 'id,status,error_message' }, timeoutMs });
      // ⚠ An answer without a status is read as ready: threads_publish then says so itself if it is not.
      if (state.status === 'FINISHED' || state.status === undefined) return;
      if (state.status === 'EXPIRED') throw new Expired();
      if (state.status === 'ERROR') throw await containerError(state.error_message, relayUrl, ctx);
      if (state.status === 'PUBLISHED') throw new ConnectorError('permanent', 'Threads says this container was published already.');
      if (Date.now() - started >= pollTimeoutMs) {
        // Nothing was published (threads_publish waits for FINISHED): the post may simply go again later.
        throw new ConnectorError('transient', `Threads was still processing the media after ${Math.round(pollTimeoutMs / 60_000)} min; Outpost tries again later.`, {
          delivery: 'not_sent',
        });
      }
      await pause(pollIntervalMs, ctx.signal, 'Threads');
    }
  }

  /** The containers of the post, all FINISHED; the id to publish. Expired containers are made again once. */
  async function prepare(ctx: ThreadsContext, api: GraphHttp, post: ThreadsPublishRequest, urls: string[], replyTo?: string): Promise<string> {
    const text = post.text.trim();
    const opts = post.threads ?? {};
    // The account's reply setting is for its posts; a first comment (a reply) keeps Threads' own.
    const replyControl = opts.replyControl ?? (replyTo ? undefined : ctx.config.replyControl);
    const common: GraphParams = {
      ...(text ? { text } : {}),
      ...(replyControl ? { reply_control: replyControl } : {}),
      ...(opts.topicTag ? { topic_tag: opts.topicTag.replace(/^#/, '').trim() } : {}),
      ...(replyTo ? { reply_to_id: replyTo } : {}),
    };
    const once = async (): Promise<string> => {
      if (post.media.length === 0) {
        const link = opts.linkAttachment ?? (post.linkPreview === false ? undefined : attachedLink(text));
        const id = await container(api, { media_type: 'TEXT', ...common, ...(link ? { link_attachment: link } : {}) });
        await finished(ctx, api, id, false);
        return id;
      }
      const item = (media: MediaItem, url: string): GraphParams =>
        media.mime.startsWith('video/') ? { media_type: 'VIDEO', video_url: url, ...alt(media) } : { media_type: 'IMAGE', image_url: url, ...alt(media) };
      if (post.media.length === 1) {
        const id = await container(api, { ...item(post.media[0]!, urls[0]!), ...common });
        await finished(ctx, api, id, true, urls[0]);
        return id;
      }
      const children: string[] = [];
      for (const [index, media] of post.media.entries()) children.push(await container(api, { ...item(media, urls[index]!), is_carousel_item: true }));
      for (const [i, child] of children.entries()) await finished(ctx, api, child, true, urls[i]);
      const id = await container(api, { media_type: 'CAROUSEL', children: children.join(','), ...common });
      await finished(ctx, api, id, true, urls[0]);
      return id;
    };
    try {
      return await once();
    } catch (error) {
      if (!(error instanceof Expired)) throw error;
      try {
        return await once();
      } catch (again) {
        if (again instanceof Expired) throw new ConnectorError('transient', 'Threads let the post’s container expire twice; Outpost tries again later.');
        throw again;
      }
    }
  }

  /** POST /me/threads_publish, once: the one call that makes the post visible. */
  async function publishContainer(api: GraphHttp, creationId: string): Promise<string> {
    const done = await graphCall<{ id?: string }>(api, { path: '/me/threads_publish', params: { creation_id: creationId }, timeoutMs });
    if (typeof done.id !== 'string') throw new ConnectorError('transient', 'Threads answered without the post id.', { delivery: 'maybe_sent' });
    return done.id;
  }

  /** The post's link; a failure here never fails a post that went out. */
  async function permalink(api: GraphHttp, id: string): Promise<string | null> {
    try {
      const media = await graphCall<ThreadsMedia>(api, { method: 'GET', path: `/${id}`, params: { fields: 'id,permalink' }, timeoutMs });
      return typeof media.permalink === 'string' ? media.permalink : null;
    } catch {
      return null;
    }
  }

  /** Puts every file on the relay (refused before any call when there is none) and runs `use` with the addresses; removes them after. */
  function relayed<T>(ctx: ThreadsContext, media: MediaItem[], use: (urls: string[]) => Promise<T>): Promise<T> {
    return withRelayedMedia(ctx.relay, media, { noRelayMessage: NO_RELAY_MESSAGE, signal: ctx.signal }, use);
  }

  async function publishPost(ctx: ThreadsContext, post: ThreadsPublishRequest, replyTo?: string): Promise<{ id: string; api: GraphHttp }> {
    validateThreadsPost(post, ctx);
    const api = await http(ctx);
    return relayed(ctx, post.media, async (urls) => {
      const creationId = await beforeSending(() => prepare(ctx, api, post, urls, replyTo));
      return { id: await publishContainer(api, creationId), api };
    });
  }

  /** Newest first, 50 a page, at most 5 pages, down to `since`: the first that matches, null when none does, 'unknown' when too many. */
  async function findOwn(ctx: ThreadsContext, path: string, params: GraphParams, match: (item: ThreadsMedia) => boolean, since: number, paged = true): Promise<ThreadsMedia | null | 'unknown'> {
    const api = await http(ctx);
    let after: string | undefined;
    for (let page = 0; page < PAGES; page += 1) {
      // /replies pages by nothing the collection lists: one read (Threads' default page) is all there is.
      const list = await graphCall<ThreadsList>(api, { method: 'GET', path, params: paged ? { ...params, limit: PAGE_SIZE, after } : params, timeoutMs });
      const items = Array.isArray(list.data) ? list.data : [];
      const found = items.find((item) => graphTimeOf(item.timestamp) >= since && match(item));
      if (found) return found;
      after = list.paging?.cursors?.after;
      if (!paged) return items.length >= PAGE_SIZE && items.every((item) => graphTimeOf(item.timestamp) >= since) ? 'unknown' : null;
      if (!list.paging?.next || !after || items.some((item) => graphTimeOf(item.timestamp) < since)) return null;
    }
    return 'unknown';
  }

  const connector = {
    network: 'threads',

    async publish(ctx: ThreadsContext, post: ThreadsPublishRequest): Promise<PublishedPost> {
      // A thread's part is a reply container (reply_to_id) to the part before it.
      const { id, api } = await publishPost(ctx, post, post.replyTo);
      return { remoteId: id, url: await permalink(api, id), publishedAt: ctx.now() };
    },

    async delete(ctx: ThreadsContext, remoteId: string): Promise<void> {
      const api = await http(ctx);
      try {
        await graphCall(api, { method: 'DELETE', path: `/${remoteId}`, timeoutMs });
      } catch (error) {
        // Gone already (by hand, or our earlier attempt whose answer was lost): the goal is met.
        if (!(error instanceof GraphApiError) || error.code !== 100) throw error;
        try {
          await graphCall(api, { method: 'GET', path: `/${remoteId}`, params: { fields: 'id' }, timeoutMs });
        } catch (lookup) {
          if (lookup instanceof GraphApiError && lookup.code === 100) return;
          throw lookup;
        }
        throw error;
      }
    },

    async metrics(ctx: ThreadsContext, remoteId: string): Promise<PostMetrics | 'gone'> {
      const api = await http(ctx);
      try {
        // Threads names these metrics as Outpost does.
        return cleanMetrics(insightNumbers(await graphCall(api, { method: 'GET', path: `/${remoteId}/insights`, params: { metric: 'views,likes,replies,reposts,quotes' }, timeoutMs })));
      } catch (error) {
        if (isGraphGone(error)) return 'gone';
        throw error;
      }
    },

    /** After a lost answer: the account's own post with this text since the attempt (GET /me/threads). */
    async verify(ctx: ThreadsContext, attempt: { idempotencyKey: string; startedAt: number; text: string }): Promise<VerifyOutcome> {
      const text = attempt.text.trim();
      const since = attempt.startedAt - SLACK_MS;
      const match = await findOwn(ctx, '/me/threads', { fields: 'id,text,timestamp,permalink', since: Math.floor(since / 1000) }, (item) => (item.text ?? '').trim() === text, since);
      if (match === 'unknown') return { found: 'unknown' };
      if (!match) return { found: false };
      // A post without text cannot be told from another media post of the same minutes: the user decides.
      if (text === '') return { found: 'unknown' };
      const at = graphTimeOf(match.timestamp);
      return { found: true, post: { remoteId: match.id, url: match.permalink ?? null, publishedAt: Number.isFinite(at) ? at : ctx.now() } };
    },
  } satisfies Connector<ThreadsCredentials, ThreadsConfig>;

  return {
    ...connector,
    /** The first comment: a reply from the account (reply_to_id), container → publish. No key makes a resend safe. */
    commentResendSafe: false,
    async comment(ctx: ThreadsContext, remoteId: string, text: string, idempotencyKey: string): Promise<PublishedComment> {
      const { id, api } = await publishPost(ctx, { text, media: [], idempotencyKey, linkPreview: false }, remoteId);
      return { remoteId: id, url: await permalink(api, id) };
    },

    /** After a lost answer: the account's own reply with this text under the post (GET /{id}/replies, threads_read_replies). */
    async verifyComment(ctx: ThreadsContext, attempt: { remoteId: string; idempotencyKey: string; text: string; startedAt: number }): Promise<CommentVerifyOutcome> {
      const text = attempt.text.trim();
      const match = await findOwn(
        ctx,
        `/${attempt.remoteId}/replies`,
        { fields: 'id,text,timestamp,permalink,is_reply_owned_by_me', reverse: true },
        (item) => item.is_reply_owned_by_me === true && (item.text ?? '').trim() === text,
        attempt.startedAt - SLACK_MS,
        false,
      );
      if (match === 'unknown') return { found: 'unknown' };
      return match ? { found: true, comment: { remoteId: match.id, url: match.permalink ?? null } } : { found: false };
    },

    /** GET /me/threads_publishing_limit: 250 posts and 1000 replies a rolling 24 h (CONTRACTS.md §10), for the composer. */
    async publishingQuota(ctx: ThreadsContext): Promise<PublishingQuota> {
      const api = await http(ctx);
      const answer = await graphCall<{ data?: Array<{ quota_usage?: number; config?: { quota_total?: number; quota_duration?: number }; reply_quota_usage?: number; reply_config?: { quota_total?: number } }> }>(api, {
        method: 'GET',
        path: '/me/threads_publishing_limit',
        params: { fields: 'quota_usage,config,reply_quota_usage,reply_config' },
        timeoutMs,
      });
      const row = answer.data?.[0];
      if (!row || typeof row.quota_usage !== 'number' || typeof row.config?.quota_total !== 'number') throw new ConnectorError('permanent', 'Threads answered the publishing limit without its numbers.');
      return {
        posts: { used: row.quota_usage, total: row.config.quota_total },
        replies: typeof row.reply_quota_usage === 'number' && typeof row.reply_config?.quota_total === 'number' ? { used: row.reply_quota_usage, total: row.reply_config.quota_total } : null,
        windowMs: (row.config.quota_duration ?? 86_400) * 1000,
      };
    },
  };
}

export type ThreadsConnector = ReturnType<typeof createThreadsConnector>;

function alt(media: MediaItem): GraphParams {
  return media.alt ? { alt_text: media.alt } : {};
}

/** A container Threads could not process: its reason, with the relay named where the download failed. */
async function containerError(reason: string | undefined, relayUrl: string | undefined, ctx: Pick<ThreadsContext, 'fetch' | 'signal'>): Promise<ConnectorError> {
  const said = reason || undefined;
  const download = /DOWNLOAD/i.test(reason ?? '');
  const checked = download ? await checkRelayedAddress(relayUrl, { fetch: ctx.fetch, network: 'Threads', signal: ctx.signal }) : '';
  const ours = download
    ? `Threads could not download the media from the media relay. ${checked || 'Check that the relay’s addresses work from the internet.'}`
    : 'Threads could not process the media.';
  return new ConnectorError('validation', said ? `${said}: ${ours}` : ours, { delivery: 'not_sent', ...(said ? { networkSaid: said } : {}) });
}

/** Refuses, before any call, what Threads would refuse: the composer's Threads rules, the Threads options, and media without a relay. */
export function validateThreadsPost(post: ThreadsPublishRequest, ctx?: Pick<ThreadsContext, 'relay'>): void {
  const refusal = requestRefusal(networkRules.threads, 'Threads', post);
  if (refusal !== undefined) throw new ConnectorError('validation', refusal, { delivery: 'not_sent' });
  const opts = post.threads ?? {};
  if (opts.replyControl !== undefined && !isThreadsReplyControl(opts.replyControl)) throw new ConnectorError('validation', `Threads does not know the reply setting "${String(opts.replyControl)}".`, { delivery: 'not_sent' });
  // The same checks as the composer's and readiness's, in one place (core/networks/threads.ts).
  const [issue] = threadsOptionsIssues(opts, post.media.length);
  if (issue) throw new ConnectorError('validation', threadsIssueSentence(issue), { delivery: 'not_sent' });
  if (post.media.length > 0 && ctx && !ctx.relay) throw new ConnectorError('validation', NO_RELAY_MESSAGE, { delivery: 'not_sent' });
}
