import type { CommunitySignIn, Connection, Credentials } from '../contract/accounts';
import { parseWebhookUrl } from './discord';
import { X_CLIENT_ID } from './x';
import { GOOGLE_CLIENT_ID } from './youtube';
import { PINTEREST_APP_ID } from './pinterest';
import { LINKEDIN_CLIENT_ID } from './linkedin';

export { PINTEREST_APP_ID } from './pinterest';

/**
 * What a connect dialog's fields must look like before anything is asked of the network or the
 * keychain: the dialog checks them as the user submits, and main checks them again first thing.
 * `reason` names the rule for the UI's words (errors.reason.*); `field` the input to fix.
 */
export interface FieldProblem {
  field: string;
  reason: string;
}

/** A bot token from @BotFather: the bot's number, a colon, then its secret. */
export const TELEGRAM_TOKEN = /^\d+:[A-Za-z0-9_-]{20,}$/;
export const TELEGRAM_PUBLIC = /^@[A-Za-z][A-Za-z0-9_]{3,31}$/;
export const TELEGRAM_PRIVATE = /^-100\d{5,}$/;
/** Bluesky's app passwords: four groups of four (the main password must never be sent). */
export const BLUESKY_APP_PASSWORD = /^[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4}$/i;
/** A Bluesky handle (a domain name), the account's e-mail, or its DID. */
const BLUESKY_HANDLE = /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?$/i;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const DID = /^did:[a-z]+:[A-Za-z0-9._:%-]+$/;
export const VK_APP_ID = /^\d{4,12}$/;
export const OK_APPLICATION_ID = /^\d+$/;
/** A Meta app's id (Facebook Login, Threads): the number atop the app's dashboard. */
export const META_APP_ID = /^\d{5,20}$/;

/** "@name", "name", "t.me/name" or "https://t.me/name" → "@name"; a -100… id stays as it is. */
export function normalizeTelegramChannel(input: string): string {
  const text = input.trim();
  const link = /^(?:https?:\/\/)?(?:t\.me|telegram\.me)\/([A-Za-z][A-Za-z0-9_]{3,31})\/?$/i.exec(text);
  if (link) return `@${link[1]}`;
  if (/^[A-Za-z][A-Za-z0-9_]{3,31}$/.test(text)) return `@${text}`;
  return text;
}

/** The first field to fix, in the order the dialog shows them; null when all look right. */
export function connectionProblem(connection: Connection): FieldProblem | null {
  switch (connection.network) {
    case 'telegram':
      return first(botTokenProblem(connection.botToken), channelProblem(connection.channel));
    case 'mastodon':
      return blank(connection.instance) ? { field: 'instance', reason: 'instance_required' } : null;
    case 'bluesky':
      return first(handleProblem(connection.handle), appPasswordProblem(connection.appPassword));
    case 'vk':
      return vkAppProblem(connection.appId);
    case 'ok':
      return okAppProblem(connection);
    case 'threads':
      return metaAppProblem(connection);
    case 'discord':
      return first(webhookProblem(connection.webhookUrl), avatarProblem(connection.avatarUrl));
    case 'x':
      return xClientProblem(connection.clientId);
    case 'youtube':
      return googleClientProblem(connection);
  }
}

export function credentialsProblem(credentials: Credentials): FieldProblem | null {
  switch (credentials.network) {
    case 'telegram':
      return botTokenProblem(credentials.botToken);
    case 'mastodon':
      return null;
    case 'bluesky':
      return appPasswordProblem(credentials.appPassword);
    case 'vk':
      return vkAppProblem(credentials.appId);
    case 'ok':
      return okAppProblem(credentials);
    case 'facebook':
    case 'instagram':
    case 'threads':
      return metaAppProblem(credentials);
    case 'discord':
      return webhookProblem(credentials.webhookUrl);
    case 'x':
      return xClientProblem(credentials.clientId);
    case 'pinterest':
      return pinterestAppProblem(credentials);
    case 'linkedin':
      return linkedInAppProblem(credentials);
    case 'youtube':
      return googleClientProblem(credentials);
  }
}

export function communitySignInProblem(signIn: CommunitySignIn): FieldProblem | null {
  if (signIn.network === 'facebook') return metaAppProblem(signIn);
  if (signIn.network === 'pinterest') return pinterestAppProblem(signIn);
  if (signIn.network === 'linkedin') return linkedInAppProblem(signIn);
  return signIn.network === 'vk' ? vkAppProblem(signIn.appId) : okAppProblem(signIn);
}

function metaAppProblem(app: { appId: string; appSecret: string }): FieldProblem | null {
  if (blank(app.appId)) return { field: 'appId', reason: 'meta_app_id_required' };
  if (!META_APP_ID.test(app.appId.trim())) return { field: 'appId', reason: 'meta_app_id_malformed' };
  return blank(app.appSecret) ? { field: 'appSecret', reason: 'meta_app_secret_required' } : null;
}

function pinterestAppProblem(app: { appId: string; appSecret: string }): FieldProblem | null {
  if (blank(app.appId)) return { field: 'appId', reason: 'pinterest_app_id_required' };
  if (!PINTEREST_APP_ID.test(app.appId.trim())) return { field: 'appId', reason: 'pinterest_app_id_malformed' };
  return blank(app.appSecret) ? { field: 'appSecret', reason: 'pinterest_app_secret_required' } : null;
}

function linkedInAppProblem(app: { clientId: string; clientSecret: string }): FieldProblem | null {
  if (blank(app.clientId)) return { field: 'clientId', reason: 'linkedin_client_id_required' };
  if (!LINKEDIN_CLIENT_ID.test(app.clientId.trim())) return { field: 'clientId', reason: 'linkedin_client_id_malformed' };
  return blank(app.clientSecret) ? { field: 'clientSecret', reason: 'linkedin_client_secret_required' } : null;
}

function googleClientProblem(client: { clientId: string; clientSecret: string }): FieldProblem | null {
  if (blank(client.clientId)) return { field: 'clientId', reason: 'youtube_client_id_required' };
  if (!GOOGLE_CLIENT_ID.test(client.clientId.trim())) return { field: 'clientId', reason: 'youtube_client_id_malformed' };
  return blank(client.clientSecret) ? { field: 'clientSecret', reason: 'youtube_client_secret_required' } : null;
}

function xClientProblem(clientId: string): FieldProblem | null {
  if (blank(clientId)) return { field: 'clientId', reason: 'x_client_id_required' };
  return X_CLIENT_ID.test(clientId.trim()) ? null : { field: 'clientId', reason: 'x_client_id_malformed' };
}

function webhookProblem(url: string): FieldProblem | null {
  if (blank(url)) return { field: 'webhookUrl', reason: 'discord_webhook_required' };
  return parseWebhookUrl(url) ? null : { field: 'webhookUrl', reason: 'discord_webhook_malformed' };
}

/** Discord fetches the picture itself: an https address, or none. */
function avatarProblem(url: string | undefined): FieldProblem | null {
  if (url === undefined || blank(url)) return null;
  try {
    return new URL(url.trim()).protocol === 'https:' ? null : { field: 'avatarUrl', reason: 'discord_avatar_malformed' };
  } catch {
    return { field: 'avatarUrl', reason: 'discord_avatar_malformed' };
  }
}

function botTokenProblem(token: string): FieldProblem | null {
  if (blank(token)) return { field: 'botToken', reason: 'bot_token_required' };
  return TELEGRAM_TOKEN.test(token.trim()) ? null : { field: 'botToken', reason: 'telegram_token_malformed' };
}

function channelProblem(channel: string): FieldProblem | null {
  if (blank(channel)) return { field: 'channel', reason: 'channel_required' };
  const normal = normalizeTelegramChannel(channel);
  return TELEGRAM_PUBLIC.test(normal) || TELEGRAM_PRIVATE.test(normal) ? null : { field: 'channel', reason: 'telegram_channel_malformed' };
}

function handleProblem(handle: string): FieldProblem | null {
  if (blank(handle)) return { field: 'handle', reason: 'handle_required' };
  const text = handle.trim().replace(/^@/, '');
  return BLUESKY_HANDLE.test(text) || EMAIL.test(text) || DID.test(text) ? null : { field: 'handle', reason: 'bluesky_handle_malformed' };
}

function appPasswordProblem(password: string): FieldProblem | null {
  if (blank(password)) return { field: 'appPassword', reason: 'app_password_required' };
  return BLUESKY_APP_PASSWORD.test(password.trim()) ? null : { field: 'appPassword', reason: 'bluesky_not_app_password' };
}

function vkAppProblem(appId: string): FieldProblem | null {
  if (blank(appId)) return { field: 'appId', reason: 'vk_app_id_required' };
  return VK_APP_ID.test(appId.trim()) ? null : { field: 'appId', reason: 'vk_app_id_malformed' };
}

function okAppProblem(app: { applicationId: string; applicationKey: string; applicationSecretKey: string }): FieldProblem | null {
  if (blank(app.applicationId)) return { field: 'applicationId', reason: 'ok_application_id_required' };
  if (!OK_APPLICATION_ID.test(app.applicationId.trim())) return { field: 'applicationId', reason: 'ok_application_id_malformed' };
  if (blank(app.applicationKey)) return { field: 'applicationKey', reason: 'ok_application_key_required' };
  if (blank(app.applicationSecretKey)) return { field: 'applicationSecretKey', reason: 'ok_secret_key_required' };
  return null;
}

function blank(value: string): boolean {
  return value.trim() === '';
}

function first(...problems: (FieldProblem | null)[]): FieldProblem | null {
  return problems.find((p) => p !== null) ?? null;
}
