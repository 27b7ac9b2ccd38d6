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

/** What is wrong with a topic tag, as a code the composer words. */
export type TopicTagIssue = 'empty' | 'too_long' | 'forbidden_character';

export function topicTagIssue(tag: string): TopicTagIssue | undefined {
  const text = tag.replace(/^#/, '').trim();
  if (text === '') return 'empty';
  if ([...text].length > THREADS_TOPIC_TAG_MAX) return 'too_long';
  if (/[.&]/.test(text)) return 'forbidden_character';
  return undefined;
}

const topicTagSentences: Record<TopicTagIssue, string> = {
  empty: 'A Threads topic needs at least one character.',
  too_long: `A Threads topic holds at most ${THREADS_TOPIC_TAG_MAX} characters.`,
  forbidden_character: 'A Threads topic cannot contain "." or "&".',
};

/** Why a topic tag cannot go to Threads (English, for the connector's refusal), or undefined when it can. */
export function topicTagProblem(tag: string): string | undefined {
  const issue = topicTagIssue(tag);
  return issue && topicTagSentences[issue];
}

/** A link card Threads takes: an http(s) address without spaces. */
export function isThreadsLink(value: string): boolean {
  return /^https?:\/\/\S+$/i.test(value);
}

/** What stops these options on a post with `mediaCount` images or videos, as codes; the composer and readiness share it. */
export type ThreadsOptionsIssue =
  | { code: 'threads_topic_tag'; reason: TopicTagIssue }
  /** Threads attaches a link card to text-only posts alone. */
  | { code: 'threads_link_with_media' }
  | { code: 'threads_link_invalid' };

export function threadsOptionsIssues(options: ThreadsPostOptions | undefined, mediaCount: number): ThreadsOptionsIssue[] {
  const issues: ThreadsOptionsIssue[] = [];
  const reason = options?.topicTag === undefined ? undefined : topicTagIssue(options.topicTag);
  if (reason) issues.push({ code: 'threads_topic_tag', reason });
  const link = options?.linkAttachment;
  if (link !== undefined) {
    if (!isThreadsLink(link)) issues.push({ code: 'threads_link_invalid' });
    else if (mediaCount > 0) issues.push({ code: 'threads_link_with_media' });
  }
  return issues;
}

/** Each issue as the connector's English refusal (the composer words the codes itself). */
export function threadsIssueSentence(issue: ThreadsOptionsIssue): string {
  if (issue.code === 'threads_topic_tag') return topicTagSentences[issue.reason];
  if (issue.code === 'threads_link_with_media') return 'Threads attaches a link card only to a post without images or video.';
  return 'The Threads link must be a web address starting with http:// or https://.';
}

export function isThreadsReplyControl(value: unknown): value is ThreadsReplyControl {
  return typeof value === 'string' && (THREADS_REPLY_CONTROLS as readonly string[]).includes(value);
}
