import { escapeLittleText } from './little-text';

/**
 * LinkedIn facts the accounts page, the composer's preview and the LinkedIn connector share
 * (shared/networks/CONTRACTS.md §8). Text and media limits live with every network's in rules.ts
 * (commentary 3,000; one image, multiImage 2–20, or one video).
 */

/**
 * Where LinkedIn sends the browser back after sign-in. LinkedIn compares redirect_uri with one of
 * the app's "Authorized redirect URLs" exactly, so the port is fixed and the connect dialog shows
 * this address with a Copy button.
 */
export const LINKEDIN_REDIRECT_PORT = 52418;
export const LINKEDIN_REDIRECT_URI = `http://127.0.0.1:${LINKEDIN_REDIRECT_PORT}/callback`;

/** Sign in with OpenID Connect (openid, profile: who signed in) and post as that member ("Share on LinkedIn"). */
export const LINKEDIN_MEMBER_SCOPES = ['openid', 'profile', 'w_member_social'] as const;
/**
 * Pages need the Community Management API product: post and comment as the page
 * (w_organization_social), read its posts back after a lost answer (r_organization_social), and
 * list the pages the member administers (rw_organization_admin, organizationAcls).
 */
export const LINKEDIN_PAGE_SCOPES = ['w_organization_social', 'r_organization_social', 'rw_organization_admin'] as const;

export function linkedInScopes(pages: boolean): string[] {
  return pages ? [...LINKEDIN_MEMBER_SCOPES, ...LINKEDIN_PAGE_SCOPES] : [...LINKEDIN_MEMBER_SCOPES];
}

/** A LinkedIn app's Client ID (Auth tab of the app at linkedin.com/developers): letters and digits. */
export const LINKEDIN_CLIENT_ID = /^[A-Za-z0-9]{8,40}$/;

/** LinkedIn's feed cuts a post after about this many characters with "…see more" (observed on linkedin.com). */
export const LINKEDIN_SEE_MORE_AT = 210;

/** A hashtag as LinkedIn writes one: # and a word that has at least one letter. */
const HASHTAG = /(^|[^\p{L}\p{N}_&#])#([\p{L}\p{N}_]*\p{L}[\p{L}\p{N}_]*)/gu;

/**
 * The post's text as LinkedIn's "little" text format wants it: every reserved character escaped
 * (an unescaped one cuts the post short), except the # that starts a hashtag — the format's
 * HashtagElement is written "#word" (little-text-format, Supported Elements), so it stays a link.
 */
export function linkedInCommentary(text: string): string {
  let out = '';
  let from = 0;
  for (const match of text.matchAll(HASHTAG)) {
    const start = match.index + match[1]!.length;
    out += `${escapeLittleText(text.slice(from, start))}#${escapeLittleText(match[2]!)}`;
    from = start + 1 + match[2]!.length;
  }
  return out + escapeLittleText(text.slice(from));
}

/** The public page of a post or comment urn (urn:li:share:…, urn:li:ugcPost:…). */
export function linkedInPostUrl(urn: string): string {
  return `https://www.linkedin.com/feed/update/${urn}/`;
}
