/**
 * X facts the accounts page, the composer and the X connector share (shared/networks/CONTRACTS.md §9).
 * The text and media rules live with every network's in rules.ts (280 weighted, twitter-text v3).
 */

/**
 * Where X's authorization window sends the browser back. X compares redirect_uri with the app's
 * registered Callback URI exactly ("http://127.0.0.1:PORT/…, not localhost"), so the port is fixed
 * and the connect dialog shows this address to register.
 */
export const X_REDIRECT_PORT = 47814;
export const X_REDIRECT_URI = `http://127.0.0.1:${X_REDIRECT_PORT}/callback`;

/** Post, read the handle, upload media, and a refresh token (offline.access) so posts go out after the 2-hour token ends. */
export const X_SCOPES = ['tweet.read', 'tweet.write', 'users.read', 'media.write', 'offline.access'] as const;

/** Who may reply (CreatePostsRequest.reply_settings); unset: everyone, X's default. */
export const X_REPLY_SETTINGS = ['following', 'mentionedUsers', 'subscribers', 'verified'] as const;
export type XReplySetting = (typeof X_REPLY_SETTINGS)[number];

/** An X app's OAuth 2.0 Client ID (Keys and tokens › OAuth 2.0 Client ID): base64url-ish, about 34 characters. */
export const X_CLIENT_ID = /^[A-Za-z0-9_-]{10,100}$/;

/** The monthly post cap the user states for their API tier: a whole number of posts a month. */
export const X_MONTHLY_CAP_MAX = 10_000_000;

/** X's caps are counted per calendar month of the app; Outpost reads a rolling 30 days, the stricter reading. */
export const X_CAP_WINDOW_MS = 30 * 24 * 60 * 60_000;
