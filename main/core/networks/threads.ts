/**
 * Threads facts the composer and the Threads connector share (shared/networks/CONTRACTS.md §10).
 * The text and media rules live with every network's in rules.ts (500, emoji as UTF-8 bytes:
 * count.ts threadsLength); what is Threads' alone lives here.
 */

/**
 * Where the Threads authorization window sends the browser back. Meta compares redirect_uri with
 * the app's "Redirect Callback URLs" exactly, so the port is fixed and the accounts page tells the
 * user to register this address. ⚠ Whether Meta takes a plain-http loopback address there is unconfirmed.
 */
export const THREADS_REDIRECT_PORT = 47813;
export const THREADS_REDIRECT_URI = `http://127.0.0.1:${THREADS_REDIRECT_PORT}/callback`;

/**
 * What Outpost asks for (developers.facebook.com/documentation/threads/get-started, "Authorization"):
 * threads_basic for every call, content_publish to post, manage_replies for the first comment
 * (a reply), read_replies to look for a reply whose answer was lost, delete for auto-delete.
 */
export const THREADS_SCOPES = ['threads_basic', 'threads_content_publish', 'threads_manage_replies', 'threads_read_replies', 'threads_delete'] as const;

/** Who may reply (reference/publishing, `reply_control`; the Postman collection's variable lists the same five). */
export const THREADS_REPLY_CONTROLS = ['everyone', 'accounts_you_follow', 'mentioned_only', 'parent_post_author_only', 'followers_only'] as const;
export type ThreadsReplyControl = (typeof THREADS_REPLY_CONTROLS)[number];

/** A carousel holds 2 to 20 items (the collection's `children`: "at least 2 and up to 20"). */
export const THREADS_CAROUSEL_MIN = 2;
export const THREADS_CAROUSEL_MAX = 20;

/** ⚠ Topic tags: 1–50 characters without "." or "&" (read in third-party API docs, not Meta's). */
export const THREADS_TOPIC_TAG_MAX = 50;

/** The Threads-only options of one post; unset: the account's defaults, or Threads' own. */
export interface ThreadsPostOptions {
  replyControl?: ThreadsReplyControl;
  /** One topic, without the '#'. */
  topicTag?: string;
  /** The link card of a text-only post; unset: the first link in the text. */
  linkAttachment?: string;
}

/** Why a topic tag cannot go to Threads, or undefined when it can. */
export function topicTagProblem(tag: string): string | undefined {
  const text = tag.replace(/^#/, '').trim();
  if (text === '') return 'A Threads topic needs at least one character.';
  if ([...text].length > THREADS_TOPIC_TAG_MAX) return `A Threads topic holds at most ${THREADS_TOPIC_TAG_MAX} characters.`;
  if (/[.&]/.test(text)) return 'A Threads topic cannot contain "." or "&".';
  return undefined;
}

export function isThreadsReplyControl(value: unknown): value is ThreadsReplyControl {
  return typeof value === 'string' && (THREADS_REPLY_CONTROLS as readonly string[]).includes(value);
}
