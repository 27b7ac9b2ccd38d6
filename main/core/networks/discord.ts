/**
 * Discord facts the accounts page, the connect check and the connector share (CONTRACTS.md §12):
 * a channel webhook's address is both the account and its password.
 */

/** Hosts Discord gives webhook addresses on (the copy button of each client build). */
const WEBHOOK_HOSTS = new Set(['discord.com', 'discordapp.com', 'canary.discord.com', 'ptb.discord.com']);

export interface DiscordWebhookKey {
  webhookId: string;
  webhookToken: string;
}

/**
 * Reads a pasted webhook address (https://discord.com/api/webhooks/{id}/{token}, any API version,
 * with or without a query); null when it is not one.
 */
export function parseWebhookUrl(input: string): DiscordWebhookKey | null {
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

/** The name messages are posted under, when the account overrides the webhook's own (Discord: 1–80 characters). */
export const DISCORD_USERNAME_MAX = 80;

/** A forum thread's title holds at most 100 characters (channel.mdx, Start Thread in Forum or Media Channel). */
export const DISCORD_THREAD_NAME_MAX = 100;

/** The post's Discord options: the title of the thread it opens in a forum channel (else its first line). */
export interface DiscordPostOptions {
  threadName?: string;
}

export type DiscordOptionsIssue = { code: 'discord_thread_name_too_long'; max: number };

export function discordOptionsIssues(options: DiscordPostOptions | undefined): DiscordOptionsIssue[] {
  const name = options?.threadName?.trim() ?? '';
  return [...name].length > DISCORD_THREAD_NAME_MAX ? [{ code: 'discord_thread_name_too_long', max: DISCORD_THREAD_NAME_MAX }] : [];
}
