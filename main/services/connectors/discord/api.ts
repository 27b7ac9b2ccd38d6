import { ConnectorError, type ConnectorContext } from '../../../core/connector';
import { isObject, secretObject } from '../kit/http';

/**
 * What the Discord connector and the accounts flow share (shared/networks/CONTRACTS.md §12): a
 * channel webhook. Its address is the credential — anyone holding it can post — so its id and
 * token live in the keychain; the channel's name and the look of the messages are settings.
 */

/** API v10, the version the copied OpenAPI document describes (discord/discord-api-spec). */
export const DISCORD_API_BASE_URL = 'https://discord.com/api/v10';

/** Hosts Discord gives webhook addresses on (the copy button of each client build). */
const WEBHOOK_HOSTS = new Set(['discord.com', 'discordapp.com', 'canary.discord.com', 'ptb.discord.com']);

export interface DiscordCredentials {
  webhookId: string;
  webhookToken: string;
}

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

/**
 * Reads a pasted webhook address (https://discord.com/api/webhooks/{id}/{token}, any API version,
 * with or without a query); null when it is not one.
 */
export function parseWebhookUrl(input: string): DiscordCredentials | null {
  let url: URL;
  try {
    url = new URL(input.trim());
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' || !WEBHOOK_HOSTS.has(url.hostname)) return null;
  const match = /^\/api(?:\/v\d+)?\/webhooks\/(\d{5,25})\/([\w-]{20,200})\/?$/.exec(url.pathname);
  return match ? { webhookId: match[1]!, webhookToken: match[2]! } : null;
}

export function readDiscordSecret(secret: string): DiscordCredentials {
  const value = secretObject(secret);
  if (isObject(value) && typeof value.webhookId === 'string' && typeof value.webhookToken === 'string') return { webhookId: value.webhookId, webhookToken: value.webhookToken };
  throw new ConnectorError('auth', 'The saved Discord webhook is unreadable; connect the channel again.');
}

/** The webhook's path; its token is a secret and is scrubbed from every error. */
export function webhookPath(credentials: DiscordCredentials): string {
  return `/webhooks/${encodeURIComponent(credentials.webhookId)}/${encodeURIComponent(credentials.webhookToken)}`;
}
