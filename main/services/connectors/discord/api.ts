import { ConnectorError, type ConnectorContext } from '../../../core/connector';
import type { DiscordWebhookKey } from '../../../core/networks/discord';
import { isObject, secretObject } from '../kit/http';

export { parseWebhookUrl } from '../../../core/networks/discord';

/**
 * What the Discord connector and the accounts flow share (shared/networks/CONTRACTS.md §12): a
 * channel webhook. Its address is the credential — anyone holding it can post — so its id and
 * token live in the keychain; the channel's name and the look of the messages are settings.
 */

/** API v10, the version the copied OpenAPI document describes (discord/discord-api-spec). */
export const DISCORD_API_BASE_URL = 'https://discord.com/api/v10';

/** The keychain entry: the webhook's id and token, as parsed from its address. */
export type DiscordCredentials = DiscordWebhookKey;

export interface DiscordConfig {
  /** The webhook's name and channel, as Discord reported them at connect time. */
  name: string;
  channelId: string;
  guildId: string | null;
  /** A forum or media channel: each post opens a thread named after its first line. */
  forum?: boolean;
  /** Overrides of the webhook's own name and picture, per account (a client's brand). */
  username?: string;
  avatarUrl?: string;
}

export type DiscordContext = ConnectorContext<DiscordCredentials, DiscordConfig>;

export function readDiscordSecret(secret: string): DiscordCredentials {
  const value = secretObject(secret);
  if (isObject(value) && typeof value.webhookId === 'string' && typeof value.webhookToken === 'string') return { webhookId: value.webhookId, webhookToken: value.webhookToken };
  throw new ConnectorError('auth', 'The saved Discord webhook is unreadable; connect the channel again.');
}

/** The webhook's path; its token is a secret and is scrubbed from every error. */
export function webhookPath(credentials: DiscordCredentials): string {
  return `/webhooks/${encodeURIComponent(credentials.webhookId)}/${encodeURIComponent(credentials.webhookToken)}`;
}
