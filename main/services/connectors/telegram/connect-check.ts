import { ConnectorError } from '../../../core/connector';
import { DEFAULT_CALL_TIMEOUT_MS } from '../kit/http';
import { ADMIN_HINT, call, channelOf, tokenOf, type Chat, type ChatMember, type TelegramConnectorOptions, type TelegramContext, type User } from './api';

/** What the connect-time check found: the account can be saved with these. */
export interface TelegramChannelCheck {
  bot: { id: number; username: string | null };
  channel: { id: number; title: string; username: string | null };
  /** Only needed to delete other admins' posts; the bot's own posts need just the right to post. */
  canDeleteOthersPosts: boolean;
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
