import { ConnectorError, type Connector, type MediaItem, type PublishedPost, type PublishRequest } from '../../../core/connector';
import { requestRefusal } from '../../../core/networks/request-check';
import { networkRules } from '../../../core/networks/rules';
import { DEFAULT_CALL_TIMEOUT_MS, DEFAULT_UPLOAD_TIMEOUT_MS, answerFailure, httpCall, isObject, isSuccess, mediaBlob, type HttpAnswer, type HttpCall } from '../kit/http';
import { webhookPath, type DiscordConfig, type DiscordContext, type DiscordCredentials } from './api';
import { DISCORD_THREAD_NAME_MAX, type DiscordPostOptions } from '../../../core/networks/discord';

/**
 * Discord channel webhooks (shared/networks/CONTRACTS.md §12; discord-api-docs webhook.mdx):
 * - publish: POST /webhooks/{id}/{token}?wait=true — with `wait` Discord answers the Message, whose
 *   id later deletes it (without it the answer is 204 and the message can never be removed).
 *   Files go as multipart: `payload_json` plus `files[n]`, each named in `attachments[n]` with its
 *   alt text as `description`. A forum channel needs `thread_name`: Discord says so with code 220001
 *   (nothing was posted), and the same message goes again as a new thread named by its first line.
 * - Link cards: the kept card goes as a rich embed (its picture an attachment), Discord's own
 *   preview of the link suppressed by <…>; a removed card sets SUPPRESS_EMBEDS.
 * - Mentions: `allowed_mentions` lets users and roles ping but never @everyone/@here, so a text
 *   written for another network cannot wake a whole server.
 * - No verify: a webhook takes no idempotency key and cannot list the channel's messages, so a lost
 *   answer is parked for the user (the engine never resends it blindly).
 * - delete: DELETE …/messages/{id} (with thread_id for a forum post); Unknown Message counts as done.
 * - edit: PATCH …/messages/{id} (thread_id likewise) with the new content; files and embeds stay.
 *   Editing the same text twice changes nothing, so a lost answer may safely be edited again.
 * - Errors: 429 → wait (`Retry-After`, X-RateLimit-Reset or the body's retry_after); 401/404 Unknown
 *   Webhook → reconnect (the webhook was deleted or its token reset); 400 → Discord's own words.
 */

export interface DiscordConnectorOptions {
  timeoutMs?: number;
  uploadTimeoutMs?: number;
}

/** The webhook as Discord describes it to its holder (GET /webhooks/{id}/{token}). */
export interface DiscordWebhookInfo {
  id: string;
  name: string;
  channelId: string;
  guildId: string | null;
}

/** Discord's JSON error codes Outpost acts on (developers/topics/opcodes-and-status-codes.mdx). */
const UNKNOWN_WEBHOOK = 10015;
const UNKNOWN_MESSAGE = 10008;
const INVALID_WEBHOOK_TOKEN = 50027;
const FORUM_NEEDS_THREAD_NAME = 220001;


export type DiscordConnector = Connector<DiscordCredentials, DiscordConfig> & {
  describeWebhook(ctx: Pick<DiscordContext, 'baseUrl' | 'credentials' | 'fetch' | 'signal' | 'now'>): Promise<DiscordWebhookInfo>;
};

/** Refuses, before any call, what Discord would refuse: the composer's Discord rules. */
export function validateDiscordPost(post: PublishRequest): void {
  if (post.text.trim() === '' && post.media.length === 0) throw new ConnectorError('validation', 'A Discord message needs text or a file.');
  const refusal = requestRefusal(networkRules.discord, 'Discord', post);
  if (refusal) throw new ConnectorError('validation', refusal);
}

/** The first line of the post, cut to a thread title. */
export function threadNameOf(text: string, fallback: string): string {
  const line = text.split('\n').map((l) => l.trim()).find((l) => l !== '') ?? fallback;
  const chars = [...line];
  return chars.length <= DISCORD_THREAD_NAME_MAX ? line : `${chars.slice(0, DISCORD_THREAD_NAME_MAX - 1).join('')}…`;
}

export function createDiscordConnector(options: DiscordConnectorOptions = {}): DiscordConnector {
  const timeoutMs = options.timeoutMs ?? DEFAULT_CALL_TIMEOUT_MS;
  const uploadTimeoutMs = options.uploadTimeoutMs ?? DEFAULT_UPLOAD_TIMEOUT_MS;

  function call(ctx: Pick<DiscordContext, 'baseUrl' | 'credentials' | 'fetch' | 'signal'>, request: HttpCall): Promise<HttpAnswer> {
    return httpCall(
      { baseUrl: ctx.baseUrl, fetch: ctx.fetch, name: 'Discord', timeoutMs, signal: ctx.signal, secrets: { 'webhook-token': ctx.credentials.webhookToken }, redirect: 'error' },
      { ...request, path: `${webhookPath(ctx.credentials)}${request.path}` },
    );
  }

  function failure(answer: HttpAnswer, now: number): ConnectorError {
    const body = isObject(answer.json) ? answer.json : {};
    const code = typeof body['code'] === 'number' ? body['code'] : undefined;
    const said = discordWords(body);
    if (answer.status === 429) {
      const seconds = typeof body['retry_after'] === 'number' ? body['retry_after'] : undefined;
      return answerFailure('rate_limited', answer, now, { said }, seconds !== undefined ? { retryAfterMs: Math.ceil(seconds * 1000) } : {});
    }
    if (answer.status === 401 || code === UNKNOWN_WEBHOOK || code === INVALID_WEBHOOK_TOKEN) {
      return answerFailure('auth', answer, now, { said, ours: 'The webhook was deleted or its address was reset in Discord; paste the new webhook address to reconnect the channel.' });
    }
    if (answer.status === 413) return answerFailure('validation', answer, now, { said, ours: 'The files are larger than this Discord server takes.' });
    if (answer.status >= 500) return answerFailure('transient', answer, now, { said });
    return answerFailure(answer.status === 403 ? 'permanent' : 'validation', answer, now, { said });
  }

  async function execute(ctx: DiscordContext, post: PublishRequest, threadName: string | undefined): Promise<HttpAnswer> {
    const card = cardOf(post);
    const files = card?.file ? [card.file] : post.media;
    const payload = {
      content: card ? card.content : post.text,
      allowed_mentions: { parse: ['users', 'roles'] },
      ...(ctx.config.username ? { username: ctx.config.username } : {}),
      ...(ctx.config.avatarUrl ? { avatar_url: ctx.config.avatarUrl } : {}),
      ...(threadName ? { thread_name: threadName } : {}),
      ...(card?.embeds ? { embeds: card.embeds } : {}),
      ...(card?.flags ? { flags: card.flags } : {}),
      ...(files.length > 0 ? { attachments: files.map((item, i) => attachmentOf(item, i)) } : {}),
    };
    if (files.length === 0) return call(ctx, { path: '', query: { wait: 'true' }, json: payload });
    const form = new FormData();
    form.set('payload_json', JSON.stringify(payload));
    files.forEach((item, i) => form.set(`files[${i}]`, mediaBlob(item), fileNameOf(item, i)));
    return call(ctx, { path: '', query: { wait: 'true' }, multipart: form, timeoutMs: uploadTimeoutMs });
  }

  const connector: DiscordConnector = {
    network: 'discord',

    async describeWebhook(ctx) {
      const answer = await call(ctx, { path: '', method: 'GET' });
      if (!isSuccess(answer.status)) throw failure(answer, ctx.now());
      const body = isObject(answer.json) ? answer.json : {};
      if (typeof body['id'] !== 'string' || typeof body['channel_id'] !== 'string') {
        throw new ConnectorError('permanent', 'Discord answered without the webhook’s channel.');
      }
      return {
        id: body['id'],
        name: typeof body['name'] === 'string' ? body['name'] : 'Webhook',
        channelId: body['channel_id'],
        guildId: typeof body['guild_id'] === 'string' ? body['guild_id'] : null,
      };
    },

    async publish(ctx, post: PublishRequest & { discord?: DiscordPostOptions }): Promise<PublishedPost> {
      validateDiscordPost(post);
      // The title the user gave the forum thread, else the post's first line.
      const threadName = post.discord?.threadName?.trim() ? threadNameOf(post.discord.threadName, ctx.config.name) : threadNameOf(post.text, ctx.config.name);
      let answer = await execute(ctx, post, ctx.config.forum ? threadName : undefined);
      const body = isObject(answer.json) ? answer.json : {};
      if (answer.status === 400 && body['code'] === FORUM_NEEDS_THREAD_NAME) {
        // A 400 proves nothing was posted: the same message goes again as a forum thread.
        answer = await execute(ctx, post, threadName);
      }
      if (!isSuccess(answer.status)) throw failure(answer, ctx.now());
      const message = isObject(answer.json) ? answer.json : {};
      if (typeof message['id'] !== 'string') {
        throw new ConnectorError('transient', `Discord answered HTTP ${answer.status} without the message.`, { status: answer.status, delivery: 'maybe_sent' });
      }
      const channelId = typeof message['channel_id'] === 'string' ? message['channel_id'] : ctx.config.channelId;
      // A message that opened a forum thread lives in that thread: deleting it needs the thread's id.
      const remoteId = channelId !== ctx.config.channelId ? `${channelId}/${message['id']}` : message['id'];
      const timestamp = typeof message['timestamp'] === 'string' ? Date.parse(message['timestamp']) : NaN;
      return {
        remoteId,
        url: ctx.config.guildId ? `https://discord.com/channels/${ctx.config.guildId}/${channelId}/${message['id']}` : null,
        publishedAt: Number.isFinite(timestamp) ? timestamp : ctx.now(),
      };
    },

    async edit(ctx, remoteId, text) {
      const content = text.trim();
      if (content === '') throw new ConnectorError('validation', 'A Discord message needs text; delete it instead.');
      // The same rules as a new message's text, so the composer and Discord agree.
      const refusal = requestRefusal(networkRules.discord, 'Discord', { text: content, media: [], idempotencyKey: '' });
      if (refusal) throw new ConnectorError('validation', refusal);
      const [threadId, messageId] = remoteId.includes('/') ? remoteId.split('/') : [undefined, remoteId];
      const answer = await call(ctx, {
        method: 'PATCH',
        path: `/messages/${encodeURIComponent(messageId!)}`,
        ...(threadId ? { query: { thread_id: threadId } } : {}),
        json: { content, allowed_mentions: { parse: ['users', 'roles'] } },
      });
      if (isSuccess(answer.status)) return;
      const body = isObject(answer.json) ? answer.json : {};
      if (answer.status === 404 && body['code'] === UNKNOWN_MESSAGE) {
        throw new ConnectorError('permanent', 'The message is no longer in Discord (deleted there), so it cannot be edited.', { status: 404 });
      }
      throw failure(answer, ctx.now());
    },

    async delete(ctx, remoteId) {
      const [threadId, messageId] = remoteId.includes('/') ? remoteId.split('/') : [undefined, remoteId];
      const answer = await call(ctx, {
        method: 'DELETE',
        path: `/messages/${encodeURIComponent(messageId!)}`,
        ...(threadId ? { query: { thread_id: threadId } } : {}),
      });
      if (isSuccess(answer.status)) return;
      const body = isObject(answer.json) ? answer.json : {};
      // Deleted by hand, or by our earlier attempt whose answer was lost: the goal is met.
      if (answer.status === 404 && body['code'] === UNKNOWN_MESSAGE) return;
      throw failure(answer, ctx.now());
    },
  };
  return connector;
}

/** Discord's SUPPRESS_EMBEDS message flag: no preview for the links in the text. */
const SUPPRESS_EMBEDS = 1 << 2;

/**
 * The post's link card as Discord shows it (a post with files shows those instead): a rich embed with
 * the kept words and picture (uploaded beside it, named by attachment://), the link in the text
 * wrapped in <…> so Discord adds no second preview of its own; a removed card suppresses previews.
 */
export function cardOf(post: PublishRequest): { content: string; embeds?: unknown[]; flags?: number; file?: MediaItem } | null {
  const card = post.card;
  if (!card || post.media.length > 0) return null;
  if (!card.shown) return { content: post.text, flags: SUPPRESS_EMBEDS };
  const file: MediaItem | undefined = card.image ? { fileName: 'card.jpg', mime: 'image/jpeg', bytes: card.image, alt: '' } : undefined;
  const embed = {
    url: card.url,
    ...(card.title ? { title: [...card.title].slice(0, 256).join('') } : {}),
    ...(card.description ? { description: [...card.description].slice(0, 4096).join('') } : {}),
    ...(file ? { image: { url: 'attachment://card.jpg' } } : {}),
  };
  const content = post.text.split(card.url).join(`<${card.url}>`).replaceAll(`<<${card.url}>>`, `<${card.url}>`);
  return { content, embeds: [embed], ...(file ? { file } : {}) };
}

function fileNameOf(item: MediaItem, index: number): string {
  const name = item.fileName.replace(/[^\w.-]+/g, '_');
  return name === '' ? `file-${index}` : name;
}

function attachmentOf(item: MediaItem, index: number): { id: string; filename: string; description?: string } {
  // Snowflake ids are strings in the OpenAPI document; Discord takes the part index as the id.
  const alt = item.alt?.trim().slice(0, 1024);
  return { id: String(index), filename: fileNameOf(item, index), ...(alt ? { description: alt } : {}) };
}

/** Discord's message, with the first field error of a 50035 "Invalid Form Body" ("content: Must be 2000 or fewer in length."). */
function discordWords(body: Record<string, unknown>): string | undefined {
  const message = typeof body['message'] === 'string' ? body['message'] : undefined;
  const field = firstFieldError(body['errors'], []);
  if (field) return message ? `${message} (${field})` : field;
  return message;
}

function firstFieldError(errors: unknown, path: string[]): string | undefined {
  if (!isObject(errors)) return undefined;
  const list = errors['_errors'];
  if (Array.isArray(list) && isObject(list[0]) && typeof list[0]['message'] === 'string') return `${path.join('.') || 'body'}: ${list[0]['message']}`;
  for (const [key, value] of Object.entries(errors)) {
    const found = firstFieldError(value, [...path, key]);
    if (found) return found;
  }
  return undefined;
}
