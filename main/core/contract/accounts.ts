import { z } from 'zod';
import { networkIds } from '../networks/ids';
import { X_MONTHLY_CAP_MAX, X_REPLY_SETTINGS } from '../networks/x';
import { id, noArgs, type RequestSpec } from './common';

/**
 * Accounts: a connected channel/profile of one network, in one project. Secrets (bot tokens,
 * access tokens, app passwords) go in with `accounts.connect` / `accounts.reconnect` and never
 * come back out: nothing in these results or events carries one.
 */

/** The networks that can be connected in this version, in the order the UI offers them. */
/** Instagram is connected only through a Facebook sign-in, as a choice next to its Page. */
export const connectableNetworks = ['telegram', 'mastodon', 'bluesky', 'vk', 'ok', 'facebook', 'instagram', 'threads', 'discord', 'x', 'pinterest', 'linkedin', 'youtube'] as const;
export const connectableNetworkSchema = z.enum(connectableNetworks);
export type ConnectableNetwork = z.infer<typeof connectableNetworkSchema>;

/** 'planned': a network the project will post to before its account is connected (drafts get its counters and previews, nothing is published). */
export const accountStatusSchema = z.enum(['connected', 'reconnect_needed', 'disconnected', 'planned']);
export type AccountStatus = z.infer<typeof accountStatusSchema>;

export const mastodonVisibilitySchema = z.enum(['public', 'unlisted', 'private', 'direct']);
export type MastodonVisibility = z.infer<typeof mastodonVisibilitySchema>;

/** An ISO 639 language code ("en", "he", "fil"), or null for "let the network guess". */
export const postLanguageSchema = z.string().regex(/^[a-z]{2,3}$/, 'a language code like "en"').nullable();

/** The posts a month the user's X API tier allows; null: not stated. */
const xMonthlyCap = z.number().int().positive().max(X_MONTHLY_CAP_MAX).nullable().optional();

/**
 * Per-account posting defaults. Each network uses its own fields: Telegram `linkPreview`;
 * Mastodon `visibility` and `language`; Bluesky `language`. A field another network does not
 * use is refused by `accounts.updateDefaults`; results carry exactly the network's fields.
 */
export const accountDefaultsSchema = z
  .object({
    linkPreview: z.boolean().optional(),
    visibility: mastodonVisibilitySchema.optional(),
    language: postLanguageSchema.optional(),
    /** X: the posts a month the user's API tier allows (null: not stated), and who may reply (null: everyone). */
    monthlyCap: xMonthlyCap,
    replySettings: z.enum(X_REPLY_SETTINGS).nullable().optional(),
  })
  .strict();
export type AccountDefaults = z.infer<typeof accountDefaultsSchema>;

export const accountSchema = z.object({
  id,
  projectId: id,
  network: z.enum(networkIds),
  /** What the network calls it: @channel, user@instance, handle.bsky.social. */
  handle: z.string(),
  displayName: z.string(),
  /** The channel's or profile's page, when it has a public one. */
  url: z.string().nullable(),
  status: accountStatusSchema,
  /** For reconnect_needed: the network's own words about what went wrong. */
  statusReason: z.string().nullable(),
  /** The server the user chose (Mastodon instance, Bluesky PDS host); null for single-server networks. */
  server: z.string().nullable(),
  /**
   * Where scheduled posts wait: the host of the network's own scheduler when posts are handed
   * over ahead of time (Mastodon), or null when Outpost publishes them from this computer.
   */
  nativeScheduler: z.string().nullable(),
  /** How long after publishing a post can still be deleted (Telegram bots: 48); null = no limit. */
  deleteWindowHours: z.number().nullable(),
  /** A planned network: how many posts are drafted for it, waiting for an account to take them. */
  plannedPosts: z.number().optional(),
  /** When the network's sign-in ends unless Outpost renews it first (Threads' 60-day token); absent when it does not end. */
  signInEndsAt: z.number().optional(),
  defaults: accountDefaultsSchema,
  createdAt: z.number(),
  updatedAt: z.number(),
});
export type Account = z.infer<typeof accountSchema>;

// Lengths are generous caps against abuse; empty fields are refused by the handler, by name.
const field = (max: number) => z.string().max(max);

/** How the user's own VK app signs in: VK ID (code + PKCE through the loopback) or the standalone implicit flow. */
export const vkSignInMethodSchema = z.enum(['vkid', 'implicit']);
export type VkSignInMethod = z.infer<typeof vkSignInMethodSchema>;

/** The VK app and how it signs in; `address`: the final blank.html address the user pasted (implicit flow without a sign-in window). */
const vkSignIn = { appId: field(20), method: vkSignInMethodSchema, address: field(4000).optional() };

/** The user's own Meta app (Facebook Login, or the Threads use case): its id, and its secret, which goes to the keychain only. */
const metaApp = { appId: field(40), appSecret: field(200) };

/** The user's own Pinterest app: its id, and its secret key, which goes to the keychain only. */
const pinterestApp = { appId: field(40), appSecret: field(200) };

/** The user's own LinkedIn app: its Client ID, and its Primary Client Secret, which goes to the keychain only. */
const linkedInApp = { clientId: field(100), clientSecret: field(200) };

/** The user's own X app: only its OAuth 2.0 Client ID (a public client has no secret). */
const xApp = { clientId: field(100) };

/** The user's own Google Cloud OAuth client of type Desktop app: its id, and its secret, which goes to the keychain only. */
const googleClient = { clientId: field(200), clientSecret: field(200) };

/** What the user enters to connect an account, per network. */
export const connectionSchema = z.discriminatedUnion('network', [
  /** A bot token from @BotFather and the channel (@name, or -100… id for a private one). */
  z.object({ network: z.literal('telegram'), botToken: field(200), channel: field(200) }).strict(),
  /** Any instance ("mastodon.social", https://…, or @me@server); sign-in happens in the browser. */
  z.object({ network: z.literal('mastodon'), instance: field(300) }).strict(),
  /** Handle (or e-mail) and an app password; `server` is the PDS, bsky.social when left out. */
  z.object({ network: z.literal('bluesky'), handle: field(300), appPassword: field(200), server: field(300).optional() }).strict(),
  /** The user's own VK app and the community (its link, short address or id); each community is its own account. */
  z.object({ network: z.literal('vk'), ...vkSignIn, community: field(300) }).strict(),
  /** The user's own OK app (id, public and secret key) and the group (its id or ok.ru/group/… link); sign-in happens in the browser. */
  z.object({ network: z.literal('ok'), applicationId: field(40), applicationKey: field(200), applicationSecretKey: field(200), group: field(300) }).strict(),
  /** The user's own Meta app with the Threads use case; sign-in happens in the browser. (Facebook Pages and Instagram: `accounts.signIn`.) */
  z.object({ network: z.literal('threads'), ...metaApp }).strict(),
  /** A channel webhook's address (Channel settings › Integrations › Webhooks › Copy Webhook URL), and how its messages are signed. */
  z.object({ network: z.literal('discord'), webhookUrl: field(400), username: field(80).optional(), avatarUrl: field(400).optional() }).strict(),
  /** The user's own X app (a public client: its Client ID only); sign-in in the browser. The tier's monthly post cap and who may reply are the user's settings. */
  z.object({ network: z.literal('x'), ...xApp, monthlyCap: xMonthlyCap, replySettings: z.enum(X_REPLY_SETTINGS).nullable().optional() }).strict(),
  /** The user's own Desktop OAuth client; sign-in in the browser, the channel is the one chosen on Google's consent page. */
  z.object({ network: z.literal('youtube'), ...googleClient }).strict(),
]);
export type Connection = z.infer<typeof connectionSchema>;

/** What reconnecting asks again: only the credential; the account itself stays the same. */
export const credentialsSchema = z.discriminatedUnion('network', [
  z.object({ network: z.literal('telegram'), botToken: field(200) }).strict(),
  z.object({ network: z.literal('mastodon') }).strict(),
  z.object({ network: z.literal('bluesky'), appPassword: field(200) }).strict(),
  z.object({ network: z.literal('vk'), ...vkSignIn }).strict(),
  /** The OK app's keys again (the secret is never read back out of the keychain); the group stays the same. */
  z.object({ network: z.literal('ok'), applicationId: field(40), applicationKey: field(200), applicationSecretKey: field(200) }).strict(),
  /** Facebook Login again with the Meta app; the same Page (or its Instagram account) must be among the Pages it lists. */
  z.object({ network: z.literal('facebook'), ...metaApp }).strict(),
  z.object({ network: z.literal('instagram'), ...metaApp }).strict(),
  z.object({ network: z.literal('threads'), ...metaApp }).strict(),
  /** A new address of the same webhook (its token reset in Discord). */
  z.object({ network: z.literal('discord'), webhookUrl: field(400) }).strict(),
  /** X's sign-in again with the app (the cap and reply settings stay as they were). */
  z.object({ network: z.literal('x'), ...xApp }).strict(),
  /** YouTube's sign-in again with the client; the same channel must come back. */
  z.object({ network: z.literal('youtube'), ...googleClient }).strict(),
  /** Pinterest's sign-in again with the app; the same board must be among the boards it lists. */
  z.object({ network: z.literal('pinterest'), ...pinterestApp }).strict(),
  /** LinkedIn's sign-in again with the app; the same member or page must be among the authors it lists. */
  z.object({ network: z.literal('linkedin'), ...linkedInApp }).strict(),
]);
export type Credentials = z.infer<typeof credentialsSchema>;

/**
 * Signing in once to choose several communities (VK), groups (OK) or Facebook Pages and their
 * Instagram accounts, each becoming one account: the app and sign-in method, without a community;
 * `accounts.connectCommunities` then picks.
 */
export const communitySignInSchema = z.discriminatedUnion('network', [
  z.object({ network: z.literal('vk'), ...vkSignIn }).strict(),
  z.object({ network: z.literal('ok'), applicationId: field(40), applicationKey: field(200), applicationSecretKey: field(200) }).strict(),
  z.object({ network: z.literal('facebook'), ...metaApp }).strict(),
  /** Pinterest: the boards (and their sections) the user may pin to. */
  z.object({ network: z.literal('pinterest'), ...pinterestApp }).strict(),
  /** LinkedIn: the member and, with `pages` (the app has the Community Management API), the pages they administer. */
  z.object({ network: z.literal('linkedin'), ...linkedInApp, pages: z.boolean() }).strict(),
]);
export type CommunitySignIn = z.infer<typeof communitySignInSchema>;

/** The user's part in a community, in the network's terms brought to three words. */
export const communityRoleSchema = z.enum(['admin', 'editor', 'moderator']);
export type CommunityRole = z.infer<typeof communityRoleSchema>;

/** A community the signed-in user may publish to, as the picker lists it. */
export const communityChoiceSchema = z.object({
  /** The network's id of the community, as `accounts.connectCommunities` takes it back. */
  id: z.string(),
  name: z.string(),
  /** vk.com/bakery_lenina, ok.ru/group/53…: what the account will be called. */
  handle: z.string(),
  role: communityRoleSchema,
  /** The network the account will be on, when one sign-in offers several (a Facebook sign-in: Pages and Instagram accounts); absent: the sign-in's. */
  network: z.enum(networkIds).optional(),
  /** The choice this one belongs to (an Instagram account: its Page's id); listed right after it. */
  under: z.string().optional(),
  /** The project's connected account for this community, if it already has one (not offered twice). */
  accountId: id.nullable(),
});
export type CommunityChoice = z.infer<typeof communityChoiceSchema>;

/** A finished sign-in waiting (a few minutes, in main only) for the user to pick; its token never leaves main. */
export const pendingSignInSchema = z.object({
  pendingId: z.string().uuid(),
  network: z.enum(['vk', 'ok', 'facebook', 'pinterest', 'linkedin']),
  /** Who signed in, as the network names them. */
  who: z.string(),
  /** After this instant (ms) the sign-in is forgotten and must be done again. */
  expiresAt: z.number(),
  communities: z.array(communityChoiceSchema),
});
export type PendingSignIn = z.infer<typeof pendingSignInSchema>;

export const connectResultSchema = z.object({
  account: accountSchema,
  /** True when this account was already in the project: its sign-in was renewed in place, no duplicate made. */
  renewed: z.boolean(),
});
export type ConnectResult = z.infer<typeof connectResultSchema>;

export const accountRequests = {
  /** The project's accounts, connected first; disconnected ones stay listed so their posts keep a name. */
  'accounts.list': {
    args: z.object({ projectId: id }).strict(),
    result: z.array(accountSchema),
  },
  /**
   * Checks the credentials with the network, then stores the secret in the keychain and the
   * account in the project. The same account connected again is renewed in place (`renewed`).
   * Mastodon opens the browser and waits (up to 5 minutes) for the user to approve.
   */
  'accounts.connect': {
    args: z.object({ projectId: id, connection: connectionSchema }).strict(),
    result: connectResultSchema,
  },
  /**
   * VK, OK and Facebook (Pages with their Instagram accounts): signs in through the browser (up to 5 minutes) and lists the communities the user
   * may publish to, marking the ones the project already has. Nothing is saved yet.
   */
  'accounts.signIn': {
    args: z.object({ projectId: id, signIn: communitySignInSchema }).strict(),
    result: pendingSignInSchema,
  },
  /**
   * Makes each chosen community an account of the sign-in's project, all sharing its one keychain
   * secret. `communities`: ids from the list, or pasted links/short names of others; each is checked
   * with the network first, and one the user may not post to refuses the whole request in the
   * network's words (nothing saved; the sign-in stays to choose again).
   */
  'accounts.connectCommunities': {
    args: z.object({ pendingId: z.string().uuid(), communities: z.array(field(300)).min(1).max(50) }).strict(),
    result: z.array(connectResultSchema),
  },
  /** Same checks as connect; must be the same account. Replaces the keychain secret in place. */
  'accounts.reconnect': {
    args: z.object({ id, credentials: credentialsSchema }).strict(),
    result: accountSchema,
  },
  /** Ends a browser sign-in that is waiting for the user (the pending connect fails as cancelled) and forgets one waiting to be picked from. */
  'accounts.cancelSignIn': {
    args: noArgs,
    result: z.object({ cancelled: z.boolean() }),
  },
  /**
   * Deletes the keychain secret; the account stays, as disconnected, so its post history keeps
   * its name and connecting it again brings it back with its posts.
   */
  'accounts.disconnect': {
    args: z.object({ id }).strict(),
    result: accountSchema,
  },
  'accounts.updateDefaults': {
    args: z.object({ id, defaults: accountDefaultsSchema }).strict(),
    result: accountSchema,
  },
  /**
   * Plans a network before its account exists (status 'planned'): drafts can target it with its
   * counters, checks and previews; nothing is published until a connected account takes them.
   * One per network and project: planning it again returns the same one.
   */
  'accounts.plan': {
    args: z.object({ projectId: id, network: z.enum(networkIds) }).strict(),
    result: accountSchema,
  },
  /** Removes a planned network no post uses (refused with `planned_in_use` and the count while drafts still aim at it). */
  'accounts.unplan': {
    args: z.object({ id }).strict(),
    result: z.object({ removed: z.literal(true) }),
  },
  /**
   * Gives every draft aimed at a planned network to a connected account of that network in the
   * same project; posts already going to that account keep the planned target. The planned
   * network goes once no post uses it.
   */
  'accounts.adoptPlanned': {
    args: z.object({ id, accountId: id }).strict(),
    result: z.object({ moved: z.number().int(), left: z.number().int() }),
  },
} as const satisfies Record<string, RequestSpec>;

export const accountEvents = {
  'accounts.changed': z.object({ projectId: id, accountId: id }),
} as const satisfies Record<string, z.ZodType>;
