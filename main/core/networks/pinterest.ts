/**
 * Pinterest facts the composer, the accounts page and the connector share (CONTRACTS.md §11;
 * pinterest/api-description v5/openapi.yaml, copied in tests/fakes/specs). The text limits live
 * with every network's in rules.ts (PinCreate: title 100, description 800, link 2048, alt 500).
 */

/**
 * Where Pinterest sends the browser back after sign-in. Pinterest compares redirect_uri with one
 * registered in the user's app exactly, so the port is fixed and the connect dialog shows this
 * address with a Copy button for the app's "Redirect URIs".
 */
export const PINTEREST_REDIRECT_PORT = 51743;
export const PINTEREST_REDIRECT_URI = `http://127.0.0.1:${PINTEREST_REDIRECT_PORT}/callback`;

/**
 * What Outpost asks for: boards:read lists boards and sections, pins:read reads media status and a
 * board's pins (verify after a lost answer), and POST /pins and DELETE /pins/{id} need boards:write
 * with pins:write (the spec's `security` of both); user_accounts:read names who signed in.
 */
export const PINTEREST_SCOPES = ['boards:read', 'boards:write', 'pins:read', 'pins:write', 'user_accounts:read'] as const;

/** PinCreate's maxLength values (code points, as JSON Schema counts). */
export const PIN_TITLE_MAX = 100;
export const PIN_LINK_MAX = 2048;

/** A Pinterest app id: the number on the app's page at developers.pinterest.com/apps. */
export const PINTEREST_APP_ID = /^\d{4,20}$/;

/** The pin's own fields beside its description (the post's text); unset: none. */
export interface PinterestPostOptions {
  title?: string;
  /** Where the pin leads when clicked. */
  link?: string;
}

/** A destination Pinterest takes: an http(s) address without spaces. */
export function isPinLink(value: string): boolean {
  return /^https?:\/\/[^\s/]+\S*$/i.test(value.trim());
}

export type PinterestOptionsIssue = { code: 'pinterest_title_too_long'; max: number } | { code: 'pinterest_link_invalid' } | { code: 'pinterest_link_too_long'; max: number };

/** What stops these options, as codes; the composer, readiness and the connector share it. */
export function pinterestOptionsIssues(options: PinterestPostOptions | undefined): PinterestOptionsIssue[] {
  const issues: PinterestOptionsIssue[] = [];
  const title = options?.title?.trim() ?? '';
  if ([...title].length > PIN_TITLE_MAX) issues.push({ code: 'pinterest_title_too_long', max: PIN_TITLE_MAX });
  const link = options?.link?.trim() ?? '';
  if (link !== '' && !isPinLink(link)) issues.push({ code: 'pinterest_link_invalid' });
  else if ([...link].length > PIN_LINK_MAX) issues.push({ code: 'pinterest_link_too_long', max: PIN_LINK_MAX });
  return issues;
}

/** The issue in English, for the connector's refusal. */
export function pinterestIssueSentence(issue: PinterestOptionsIssue): string {
  switch (issue.code) {
    case 'pinterest_title_too_long':
      return `A pin title holds at most ${issue.max} characters.`;
    case 'pinterest_link_invalid':
      return 'A pin\'s destination link must be a web address starting with http:// or https://.';
    case 'pinterest_link_too_long':
      return `A pin's destination link holds at most ${issue.max} characters.`;
  }
}

/** The host a pin's link shows under it ("example.com"); null when there is none. */
export function pinLinkDomain(link: string | undefined): string | null {
  if (!link || !isPinLink(link)) return null;
  try {
    return new URL(link.trim()).hostname.replace(/^www\./, '');
  } catch {
    return null;
  }
}
