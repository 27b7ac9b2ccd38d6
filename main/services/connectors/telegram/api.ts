import { ConnectorError, type ConnectorContext, type FailureKind } from '../../../core/connector';
import { deliveryOfStatus } from '../../../core/outcome';
import { answerFailure, httpCall, isObject, isSuccess, type HttpAnswer } from '../kit/http';
import { redactor } from '../kit/transport';

/**
 * The Bot API as the Telegram connector and the connect-time check both call it
 * (shared/networks/CONTRACTS.md §2): the account's types, one call over the connector kit with
 * the token scrubbed from every failure, and the Bot API's error replies as failure kinds.
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

export const ADMIN_HINT = 'add the bot as an administrator of the channel with permission to post';
const TOKEN_SHAPE = /^\d+:[A-Za-z0-9_-]{20,}$/;

export interface User {
  id: number;
  is_bot: boolean;
  username?: string;
  first_name: string;
}

export interface Chat {
  id: number;
  type: string;
  title?: string;
  username?: string;
  /** A channel's discussion group (getChat only), where its posts' comments live. */
  linked_chat_id?: number;
}

export interface Message {
  message_id: number;
  date: number;
  chat: Chat;
  /** In a discussion group: Telegram's own copy of a channel post, the message comments reply to. */
  is_automatic_forward?: boolean;
  forward_origin?: { type: string; chat?: Chat; message_id?: number };
}

export interface Update {
  update_id: number;
  message?: Message;
}

export interface ChatMember {
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

export function channelOf(ctx: TelegramContext): string {
  const channel = ctx.config.channel.trim();
  if (/^@[A-Za-z][A-Za-z0-9_]{3,31}$/.test(channel) || /^-100\d{5,}$/.test(channel)) return channel;
  throw new ConnectorError('validation', `"${channel}" is not a Telegram channel; enter it as @name or as its -100… id.`);
}

export function tokenOf(ctx: TelegramContext): string {
  const token = ctx.credentials.botToken.trim();
  if (!TOKEN_SHAPE.test(token)) {
    throw new ConnectorError('auth', 'This is not a Telegram bot token; copy the whole token from @BotFather (it looks like 123456:ABC…).');
  }
  return token;
}

/** One Bot API call; every failure comes out as a ConnectorError without the token in it. */
export async function call<T>(ctx: TelegramContext, method: string, body: Record<string, unknown> | FormData, timeoutMs: number): Promise<T> {
  const token = tokenOf(ctx);
  const secrets = { 'bot-token': token };
  // An upload tells the post how far it got; a plain call has nothing worth showing.
  const progress = body instanceof FormData && ctx.onUploadProgress ? { onUploadProgress: ctx.onUploadProgress.bind(ctx) } : {};
  const answer = await httpCall(
    { baseUrl: ctx.baseUrl || TELEGRAM_API_BASE_URL, fetch: ctx.fetch, name: 'Telegram', timeoutMs, signal: ctx.signal, secrets },
    { path: `/bot${token}/${method}`, ...(body instanceof FormData ? { multipart: body } : { json: body }), ...progress },
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

