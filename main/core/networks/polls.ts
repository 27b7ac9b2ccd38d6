import type { NetworkId } from './ids';

/**
 * Polls (issue 12 item 8): the post's text is the question, with answer options, how long it stays
 * open and whether several answers may be chosen. Checked per network here, by the composer and by
 * main alike, and sent by each connector in its network's own shape.
 * - Telegram (Bot API sendPoll): question 1–300 characters, 2–12 options of 1–100 characters,
 *   open_period 5–2,628,000 s; a channel's poll is anonymous; no picture in the same message.
 * - Mastodon (POST /api/v1/statuses `poll`; defaults of configuration.polls in the Instance entity):
 *   up to 4 options of 50 characters, expires_in 300–2,629,746 s, no media beside a poll.
 * - VK (polls.create, then the poll attached to wall.post): "from 1 to 10 answers" (add_answers);
 *   the question's and an answer's lengths are not in VK's schema: 100 characters an answer is the
 *   site's own form, unconfirmed for the API; end_date any time ahead (a year offered here).
 */

export interface PollOptions {
  options: string[];
  /** How long it stays open. */
  durationMinutes: number;
  multiple: boolean;
}

interface PollRules {
  maxOptions: number;
  maxOptionChars: number;
  /** The post's text is the question; null where the text is a separate status and has its own limit. */
  maxQuestionChars: number | null;
  minMinutes: number;
  maxMinutes: number;
}

const pollRules: Partial<Record<NetworkId, PollRules>> = {
  telegram: { maxOptions: 12, maxOptionChars: 100, maxQuestionChars: 300, minMinutes: 1, maxMinutes: Math.floor(2_628_000 / 60) },
  mastodon: { maxOptions: 4, maxOptionChars: 50, maxQuestionChars: null, minMinutes: 5, maxMinutes: Math.floor(2_629_746 / 60) },
  vk: { maxOptions: 10, maxOptionChars: 100, maxQuestionChars: null, minMinutes: 5, maxMinutes: 365 * 24 * 60 },
};

export const POLL_MIN_OPTIONS = 2;
/** The most any network takes; the composer offers no more fields than this. */
export const POLL_MAX_OPTIONS = 12;

export function takesPolls(network: NetworkId): boolean {
  return pollRules[network] !== undefined;
}

/** A poll the user has begun: options written, even empty ones. */
export function hasPoll(poll: PollOptions | undefined): poll is PollOptions {
  return poll !== undefined && poll.options.length > 0;
}

export type PollIssue =
  | { code: 'poll_not_supported' }
  | { code: 'poll_with_media' }
  | { code: 'poll_too_few_options'; min: number }
  | { code: 'poll_too_many_options'; max: number }
  | { code: 'poll_option_empty'; position: number }
  | { code: 'poll_option_too_long'; position: number; max: number }
  | { code: 'poll_option_duplicate'; position: number }
  | { code: 'poll_question_too_long'; max: number }
  | { code: 'poll_duration'; min: number; max: number };

const chars = (text: string) => [...text].length;

/** What stops this poll going out on `network`, in the order the composer lists them. */
export function pollIssues(network: NetworkId, poll: PollOptions, text: string, mediaCount: number): PollIssue[] {
  const rules = pollRules[network];
  if (!rules) return [{ code: 'poll_not_supported' }];
  const issues: PollIssue[] = [];
  if (mediaCount > 0) issues.push({ code: 'poll_with_media' });
  const options = poll.options.map((option) => option.trim());
  if (options.length < POLL_MIN_OPTIONS) issues.push({ code: 'poll_too_few_options', min: POLL_MIN_OPTIONS });
  if (options.length > rules.maxOptions) issues.push({ code: 'poll_too_many_options', max: rules.maxOptions });
  const seen = new Set<string>();
  options.forEach((option, i) => {
    if (option === '') issues.push({ code: 'poll_option_empty', position: i + 1 });
    else if (chars(option) > rules.maxOptionChars) issues.push({ code: 'poll_option_too_long', position: i + 1, max: rules.maxOptionChars });
    else if (seen.has(option.toLocaleLowerCase())) issues.push({ code: 'poll_option_duplicate', position: i + 1 });
    seen.add(option.toLocaleLowerCase());
  });
  if (rules.maxQuestionChars !== null && chars(text.trim()) > rules.maxQuestionChars) issues.push({ code: 'poll_question_too_long', max: rules.maxQuestionChars });
  if (poll.durationMinutes < rules.minMinutes || poll.durationMinutes > rules.maxMinutes) issues.push({ code: 'poll_duration', min: rules.minMinutes, max: rules.maxMinutes });
  return issues;
}
