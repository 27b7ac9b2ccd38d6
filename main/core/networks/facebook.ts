/**
 * Where Facebook Login sends the browser back after sign-in. Meta compares redirect_uri with the
 * app's "Valid OAuth Redirect URIs" exactly (Strict Mode), so the port is fixed and the accounts
 * page tells the user to register exactly this address in their own Meta app.
 */
export const FACEBOOK_REDIRECT_PORT = 47812;
export const FACEBOOK_REDIRECT_URI = `http://127.0.0.1:${FACEBOOK_REDIRECT_PORT}/callback`;

/**
 * What Outpost asks of the Page's admin: list the Pages, read and publish posts, comment as the
 * Page (developers.facebook.com/docs/pages-api/posts, "Requirements"; comments need
 * pages_manage_engagement). Instagram's two are asked along, for the linked professional account.
 */
export const FACEBOOK_SCOPES = ['pages_show_list', 'pages_read_engagement', 'pages_manage_posts', 'pages_manage_engagement'] as const;
export const FACEBOOK_INSTAGRAM_SCOPES = ['instagram_basic', 'instagram_content_publish'] as const;
