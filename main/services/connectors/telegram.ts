import {
  ConnectorError,
  type Connector,
  type ConnectorContext,
  type FailureKind,
  type PublishedPost,
  type PublishRequest,
} from '../../core/connector';
import { deliveryOfStatus } from '../../core/outcome';
import { answerFailure, DEFAULT_CALL_TIMEOUT_MS, DEFAULT_UPLOAD_TIMEOUT_MS, httpCall, isObject, isSuccess, mediaBlob, type HttpAnswer } from './kit/http';
import { redactor } from './kit/transport';

/**
 * Telegram channel posts through the Bot API (shared/networks/CONTRACTS.md §2).
 *
 * - Credentials: the bot token from @BotFather, kept in the keychain. It travels in the URL
 *   path (`/bot<token>/<method>`), so every message that leaves this module is scrubbed of it.
 * - Config: the channel, `@name` (public) or its `-100…` id (private).
 * - Text goes out as plain text (no parse_mode), so what the user typed is what is counted and shown.
 * - One image → sendPhoto, 2–10 → sendMediaGroup (caption on the first item only).
 * - Text longer than a caption (1,024) with images is refused before any call: sending the
 *   album and then the text as a second message would be two publishes, and a failure between
 *   them could not be retried without posting the album twice.
 * - remoteId lists every message id ("41,42,43") so delete removes a whole album.
 * - No verify(): a bot cannot read its own channel's history, so an attempt whose answer was
 *   lost is left to the scheduler to park as "needs attention".
 */

export interface TelegramCredentials {
  botToken: string;
}

export interface TelegramConfig {
  /** `@name` for a public channel or the numeric `-100…` id of a private one. */
  channel: string;
}

export interface TelegramConnectorOptions {
  /** Per call, for calls without uploads (default 30 s). */
  timeoutMs?: number;
  /** Per call that uploads images (default 120 s). */
  uploadTimeoutMs?: number;
}

export type TelegramContext = ConnectorContext<TelegramCredentials, TelegramConfig>;

export const TELEGRAM_API_BASE_URL = 'https://api.telegram.org';

export const telegramLimits = {
  /** Code points; Telegram counts after entity parsing, and plain text has no entities. */
  textChars: 4096,
  captionChars: 1024,
  albumPhotos: 10,
  photoBytes: 10 * 1024 * 1024,
  /** Width plus height, in pixels. */
  photoSidesSum: 10_000,
  photoAspectRatio: 20,
  photoTypes: ['image/jpeg', 'image/png', 'image/webp'] as readonly string[],
  deleteWindowMs: 48 * 60 * 60 * 1000,
} as const;

const TOKEN_SHAPE = /^\d+:[A-Za-z0-9_-]{20,}$/;
const ADMIN_HINT = 'add the bot as an administrator of the channel with permission to post';

interface User {
  id: number;
  is_bot: boolean;
  username?: string;
  first_name: string;
}

interface Chat {
  id: number;
  type: string;
  title?: string;
  username?: string;
}

interface Message {
  message_id: number;
  date: number;
  chat: Chat;
}

interface ChatMember {
  status: string;
  can_post_messages?: boolean;
  can_delete_messages?: boolean;
}

interface ErrorBody {
  ok: false;
  error_code?: number;
  description?: string;
  parameters?: { retry_after?: number };
}

/** What the connect-time check found: the account can be saved with these. */
export interface TelegramChannelCheck {
  bot: { id: number; username: string | null };
  channel: { id: number; title: string; username: string | null };
  /** Only needed to delete other admins' posts; the bot's own posts need just the right to post. */
  canDeleteOthersPosts: boolean;
}

export function createTelegramConnector(options: TelegramConnectorOptions = {}) {
  const timeouts = {
    call: options.timeoutMs ?? DEFAULT_CALL_TIMEOUT_MS,
    upload: options.uploadTimeoutMs ?? DEFAULT_UPLOAD_TIMEOUT_MS,
  };

  return {
    network: 'telegram',
    deleteWindowMs: telegramLimits.deleteWindowMs,

    async publish(ctx: TelegramContext, post: PublishRequest): Promise<PublishedPost> {
      validateTelegramPost(post);
      const chatId = channelOf(ctx);
      tokenOf(ctx);
      const text = post.text.trim();
      let messages: Message[];
      if (post.media.length === 0) {
        const body: Record<string, unknown> = { chat_id: chatId, text };
        if (post.linkPreview === false) body['link_preview_options'] = { is_disabled: true };
        messages = [await call<Message>(ctx, 'sendMessage', body, timeouts.call)];
      } else if (post.media.length === 1) {
        const form = new FormData();
        form.set('chat_id', chatId);
        form.set('photo', mediaBlob(post.media[0]!), post.media[0]!.fileName);
        if (text !== '') form.set('caption', text);
        messages = [await call<Message>(ctx, 'sendPhoto', form, timeouts.upload)];
      } else {
        const form = new FormData();
        form.set('chat_id', chatId);
        const media = post.media.map((_, i) => ({ type: 'photo', media: `attach://p${i}`, ...(i === 0 && text !== '' ? { caption: text } : {}) }));
        form.set('media', JSON.stringify(media));
        post.media.forEach((item, i) => form.set(`p${i}`, mediaBlob(item), item.fileName));
        messages = await call<Message[]>(ctx, 'sendMediaGroup', form, timeouts.upload);
      }
      const first = Array.isArray(messages) ? messages[0] : undefined;
      // A 2xx without the message: Telegram may well have posted it.
      if (!first) throw new ConnectorError('permanent', 'Telegram answered without a message.', { delivery: 'maybe_sent' });
      const username = first.chat.username ?? (chatId.startsWith('@') ? chatId.slice(1) : undefined);
      return {
        remoteId: messages.map((m) => m.message_id).join(','),
        url: username ? `https://t.me/${username}/${first.message_id}` : null,
        publishedAt: first.date * 1000,
      };
    },

    async delete(ctx: TelegramContext, remoteId: string): Promise<void> {
      const chatId = channelOf(ctx);
      const ids = remoteId.split(',').map((id) => Number(id.trim()));
      if (ids.length === 0 || !ids.every((id) => Number.isSafeInteger(id) && id > 0)) {
        throw new ConnectorError('permanent', `"${remoteId}" is not a list of Telegram message ids.`);
      }
      if (ids.length === 1) {
        try {
          await call<boolean>(ctx, 'deleteMessage', { chat_id: chatId, message_id: ids[0] }, timeouts.call);
        } catch (error) {
          // Already gone (deleted by hand, or our earlier attempt's answer was lost): the goal is met.
          if (error instanceof ConnectorError && /message to delete not found/i.test(error.networkSaid ?? '')) return;
          throw error;
        }
        return;
      }
      // deleteMessages skips ids that are already gone, so a repeated delete succeeds too.
      for (let i = 0; i < ids.length; i += 100) {
        await call<boolean>(ctx, 'deleteMessages', { chat_id: chatId, message_ids: ids.slice(i, i + 100) }, timeouts.call);
      }
    },
  } satisfies Connector<TelegramCredentials, TelegramConfig>;
}

/**
 * The connect-time check: the token is a bot, the channel exists, and the bot may post there.
 * Fails with 'auth' (token or rights: the user fixes the account) or 'validation' (the channel).
 */
export async function checkTelegramChannel(ctx: TelegramContext, options: TelegramConnectorOptions = {}): Promise<TelegramChannelCheck> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_CALL_TIMEOUT_MS;
  const chatId = channelOf(ctx);
  tokenOf(ctx);

  const me = await call<User>(ctx, 'getMe', {}, timeoutMs);
  let chat: Chat;
  try {
    chat = await call<Chat>(ctx, 'getChat', { chat_id: chatId }, timeoutMs);
  } catch (error) {
    if (error instanceof ConnectorError && error.networkSaid !== undefined && /chat not found/i.test(error.networkSaid)) {
      throw new ConnectorError(
        'validation',
        `${error.networkSaid}: Telegram knows no channel ${chatId} that this bot can see. Check the @name, or for a private channel ${ADMIN_HINT} and use its -100… id.`,
        { status: error.status, networkSaid: error.networkSaid },
      );
    }
    throw error;
  }
  if (chat.type !== 'channel') {
    throw new ConnectorError('validation', `${chatId} is a ${chat.type}, not a channel; enter a channel's @name or -100… id.`);
  }
  const member = await call<ChatMember>(ctx, 'getChatMember', { chat_id: chatId, user_id: me.id }, timeoutMs);
  const mayPost = member.status === 'creator' || (member.status === 'administrator' && member.can_post_messages === true);
  if (!mayPost) {
    const bot = me.username ? `@${me.username}` : 'The bot';
    const what = member.status === 'administrator' ? 'is an administrator without the right to post' : 'is not an administrator';
    throw new ConnectorError('auth', `${bot} ${what} in ${chat.title ?? chatId}: ${ADMIN_HINT}.`);
  }
  return {
    bot: { id: me.id, username: me.username ?? null },
    channel: { id: chat.id, title: chat.title ?? chatId, username: chat.username ?? null },
    canDeleteOthersPosts: member.status === 'creator' || member.can_delete_messages === true,
  };
}

/** Refuses, before any call, what Telegram would refuse (or what we choose not to send). */
export function validateTelegramPost(post: PublishRequest): void {
  const text = post.text.trim();
  const length = [...text].length;
  const refuse = (message: string) => {
    throw new ConnectorError('validation', message);
  };
  if (post.media.length === 0) {
    if (text === '') refuse('Telegram needs text or an image to post.');
    if (length > telegramLimits.textChars) refuse(`Telegram messages hold ${telegramLimits.textChars} characters; this one has ${length}.`);
    return;
  }
  if (post.media.length > telegramLimits.albumPhotos) {
    refuse(`Telegram albums hold at most ${telegramLimits.albumPhotos} images; this post has ${post.media.length}.`);
  }
  if (length > telegramLimits.captionChars) {
    refuse(`Text under Telegram images holds ${telegramLimits.captionChars} characters; this one has ${length}. Shorten it or post it without images.`);
  }
  for (const item of post.media) {
    if (!telegramLimits.photoTypes.includes(item.mime.toLowerCase())) {
      refuse(`${item.fileName} is ${item.mime}; Telegram photos must be JPEG, PNG or WebP.`);
    }
    if (item.bytes.byteLength > telegramLimits.photoBytes) refuse(`${item.fileName} is larger than Telegram's 10 MB photo limit.`);
    if (item.width !== undefined && item.height !== undefined) {
      const { width, height } = item;
      if (width + height > telegramLimits.photoSidesSum) refuse(`${item.fileName} is too large: Telegram needs width plus height at most 10,000 pixels.`);
      if (Math.max(width, height) > telegramLimits.photoAspectRatio * Math.min(width, height)) {
        refuse(`${item.fileName} is too narrow: Telegram photos need an aspect ratio of at most 20:1.`);
      }
    }
  }
}

function channelOf(ctx: TelegramContext): string {
  const channel = ctx.config.channel.trim();
  if (/^@[A-Za-z][A-Za-z0-9_]{3,31}$/.test(channel) || /^-100\d{5,}$/.test(channel)) return channel;
  throw new ConnectorError('validation', `"${channel}" is not a Telegram channel; enter it as @name or as its -100… id.`);
}

function tokenOf(ctx: TelegramContext): string {
  const token = ctx.credentials.botToken.trim();
  if (!TOKEN_SHAPE.test(token)) {
    throw new ConnectorError('auth', 'This is not a Telegram bot token; copy the whole token from @BotFather (it looks like 123456:ABC…).');
  }
  return token;
}

/** One Bot API call; every failure comes out as a ConnectorError without the token in it. */
async function call<T>(ctx: TelegramContext, method: string, body: Record<string, unknown> | FormData, timeoutMs: number): Promise<T> {
  const token = tokenOf(ctx);
  const secrets = { 'bot-token': token };
  const answer = await httpCall(
    { baseUrl: ctx.baseUrl || TELEGRAM_API_BASE_URL, fetch: ctx.fetch, name: 'Telegram', timeoutMs, signal: ctx.signal, secrets },
    { path: `/bot${token}/${method}`, ...(body instanceof FormData ? { multipart: body } : { json: body }) },
  );
  const { status, json } = answer;
  if (!isObject(json)) {
    // Front-end pages (nginx 502, 413) come without the Bot API's JSON.
    const kind: FailureKind = status >= 500 ? 'transient' : status === 413 ? 'validation' : 'permanent';
    throw new ConnectorError(kind, `Telegram answered HTTP ${status} without a Bot API reply.`, { status, delivery: deliveryOfStatus(status) });
  }
  if (isSuccess(status) && json['ok'] === true) return json['result'] as T;
  throw apiFailure(answer, json as unknown as ErrorBody, redactor(secrets), ctx.now());
}

/** Maps a Bot API error reply (`{ok:false,error_code,description,parameters}`) to a failure kind. */
function apiFailure(answer: HttpAnswer, body: ErrorBody, redact: (text: string) => string, now: number): ConnectorError {
  const code = typeof body.error_code === 'number' ? body.error_code : answer.status;
  const said = typeof body.description === 'string' ? redact(body.description) : undefined;
  const retryAfter = body.parameters?.retry_after;
  const overrides = {
    status: code,
    // On a 2xx the Bot API's own error_code is the verdict; otherwise the HTTP status is.
    delivery: deliveryOfStatus(isSuccess(answer.status) ? code : answer.status),
    retryAfterMs: typeof retryAfter === 'number' && retryAfter >= 0 ? retryAfter * 1000 : undefined,
  };
  const fail = (kind: FailureKind, ours?: string) => answerFailure(kind, answer, now, { said, ours }, overrides);

  if (code === 401) return fail('auth', 'Telegram no longer accepts this bot token; paste a current one from @BotFather.');
  // Kicked, not a member, or no right to post: the account needs the user, not a retry.
  if (code === 403) return fail('auth', `${ADMIN_HINT}.`);
  if (code === 429) return fail('rate_limited');
  if (code === 400) {
    if (said !== undefined && /need administrator rights|not enough rights|chat not found/i.test(said)) return fail('auth', `${ADMIN_HINT}.`);
    return fail('validation');
  }
  if (code >= 500) return fail('transient');
  return fail('permanent');
}
