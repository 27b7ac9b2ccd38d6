import { z } from 'zod';
import { networkIds } from '../networks/ids';
import { id, type RequestSpec } from './common';
import { localTimeSchema, postSchema } from './posts';

/**
 * Publishing: what the scheduler did with each post (events, history, the needs-attention list)
 * and what the user asks of it (publish now, a new time, "I checked: it is published").
 */

/** What happened to one post on one account; the UI refreshes the post and may notify. */
export const schedulerChangeSchema = z.object({
  postId: id,
  targetId: id,
  jobId: id,
  job: z.enum(['publish', 'delete', 'first_comment', 'native_schedule', 'native_cancel', 'thread_part']),
  /** native_scheduled: the network's own scheduler holds the post; native_cleared: it no longer does. */
  state: z.enum(['retrying', 'published', 'deleted', 'failed', 'needs_attention', 'held', 'cancelled', 'native_scheduled', 'native_cleared']),
  /** Why it stopped (missed, unknown_outcome, validation, auth, delete_window…); the UI words it. */
  reason: z.string().nullable(),
  /** What went wrong: the network's message, or Outpost's own explanation (a lost answer, no connection). */
  message: z.string().nullable(),
  /** Only the network's own words, shown as "<network> said"; null when it said nothing (or the words are ours). */
  networkSaid: z.string().nullable(),
  /** The published post's link. */
  url: z.string().nullable(),
  at: z.number(),
});
export type SchedulerChange = z.infer<typeof schedulerChangeSchema>;

/** How far a publish job's media upload got (bytes handed to the network, of all the post's media), while it goes. */
export const uploadProgressSchema = z.object({
  postId: id,
  targetId: id,
  jobId: id,
  sent: z.number(),
  total: z.number(),
});
export type UploadProgress = z.infer<typeof uploadProgressSchema>;

export const publishingEvents = {
  'publishing.changed': schedulerChangeSchema,
  'publishing.progress': uploadProgressSchema,
} as const satisfies Record<string, z.ZodType>;

const journalEvents = [
  'scheduled',
  'rescheduled',
  'publish_now',
  'attempt',
  'published',
  'verified',
  'deleted',
  'retry',
  'rate_limited',
  'offline',
  'unknown',
  'failed',
  'needs_attention',
  'held',
  'released',
  'recovered',
  'confirmed',
  'answered',
  'cancelled',
  'delete_scheduled',
  'delete_refused',
  'native_scheduled',
  'native_updated',
  'native_cancelled',
  'native_failed',
  'commented',
  'part_published',
  'edited',
] as const;
const jobKind = z.enum(['publish', 'delete', 'first_comment', 'native_schedule', 'native_cancel', 'thread_part']);

/** One line of a post's history: an attempt, an outcome, or what the user did. */
export const historyEntrySchema = z.object({
  id: z.number(),
  at: z.number(),
  event: z.enum(journalEvents),
  jobKind,
  targetId: id,
  accountId: id,
  network: z.enum(networkIds),
  handle: z.string(),
  /** Which try this was (attempt lines). */
  attempt: z.number().nullable(),
  /** The network's own words, or ours, for a failure. */
  message: z.string().nullable(),
  /** Only the network's own words, when it said any. */
  networkSaid: z.string().nullable(),
  /** The raw code behind a failure without an answer (ECONNREFUSED, net::ERR_…): shown only under Details; absent without one. */
  cause: z.string().optional(),
  /** Why it stopped (missed, unknown_outcome…); the UI words it. */
  reason: z.string().nullable(),
  /** The published post's link. */
  url: z.string().nullable(),
  /** When a retry, a delete or the scheduled time is due. */
  nextAt: z.number().nullable(),
  /** A thread's part: which one, of how many ("part 2 of 3 published"). */
  part: z.number().int().optional(),
  parts: z.number().int().optional(),
});
export type HistoryLine = z.infer<typeof historyEntrySchema>;

/** VK's captcha as the UI sees it: which one (a new one after a wrong answer has a new id); the picture comes from publishing.captchaImage. */
export const captchaSchema = z.object({ id: z.string() });

/** The longest captcha answer taken: VK's are a handful of characters. */
export const CAPTCHA_ANSWER_MAX = 64;

/** A target waiting for the user: a missed window, a lost answer, a refusal, a captcha to answer. */
export const attentionItemSchema = z.object({
  jobId: id,
  kind: jobKind,
  reason: z.string(),
  message: z.string().nullable(),
  /** Only the network's own words, when it said any. */
  networkSaid: z.string().nullable(),
  /** The raw code behind the message (ECONNREFUSED…), if any: shown only under Details; absent without one. */
  cause: z.string().optional(),
  dueAt: z.number(),
  postId: id,
  projectId: id,
  targetId: id,
  accountId: id,
  network: z.enum(networkIds),
  handle: z.string(),
  /** The start of the text, for the list. */
  excerpt: z.string(),
  /** Present when the network waits for the user to answer its captcha (reason 'captcha'). */
  captcha: captchaSchema.optional(),
});
export type AttentionEntry = z.infer<typeof attentionItemSchema>;

export const publishingRequests = {
  /** Every target not yet out goes at once: a missed, failed or waiting post, or a scheduled one early. */
  'publishing.publishNow': { args: z.object({ id }).strict(), result: postSchema },
  /** Every attempt and outcome of the post, oldest first. */
  'publishing.history': { args: z.object({ id }).strict(), result: z.array(historyEntrySchema) },
  /**
   * A new time for a scheduled or waiting post; its targets not yet out follow. `local` is a wall
   * time in the project's zone; `at` an exact instant (UTC ms) for callers that need seconds.
   */
  'publishing.reschedule': {
    args: z
      .object({ id, local: localTimeSchema.optional(), at: z.number().int().nonnegative().optional() })
      .strict()
      .refine((a) => (a.local === undefined) !== (a.at === undefined), { message: 'give either local or at' }),
    result: postSchema,
  },
  /** The user checked the network after a lost answer: the post is there (with its https link, if given). */
  'publishing.confirmPublished': {
    args: z.object({ targetId: id, url: z.url({ protocol: /^https$/ }).max(2000).optional() }).strict(),
    result: postSchema,
  },
  /**
   * The user's answer to the network's captcha: the job goes once more, now, with it. A wrong answer
   * brings a new captcha back here; nothing is ever sent again without a new answer.
   */
  'publishing.answerCaptcha': {
    args: z
      .object({
        jobId: id,
        /** The captcha the answer is for; a newer one since is refused (schedule_not_waiting). */
        captchaId: z.string().min(1).max(200).optional(),
        answer: z
          .string()
          .trim()
          .min(1, { message: 'type the characters in the picture' })
          .max(CAPTCHA_ANSWER_MAX, { message: `the answer has at most ${CAPTCHA_ANSWER_MAX} characters` }),
      })
      .strict(),
    result: postSchema,
  },
  /** The captcha's picture as a data: URL (the renderer never loads a network's address); fetched by main through the account's connection. */
  'publishing.captchaImage': {
    args: z.object({ jobId: id }).strict(),
    result: z.object({ captchaId: z.string(), dataUrl: z.string() }),
  },
  /**
   * New words for a message already out, changed in place at the network (Discord's webhook edit);
   * refused with `edit_not_supported` where the network or Outpost cannot edit. The target keeps the new text.
   */
  'publishing.editPublished': {
    args: z.object({ targetId: id, text: z.string().min(1).max(10_000) }).strict(),
    result: postSchema,
  },
  /** A thread that stopped at a part (refused, or its answer lost and not found) goes on from that part. */
  'publishing.resumeThread': { args: z.object({ targetId: id }).strict(), result: postSchema },
  /** Targets waiting for the user, earliest due first; every project's when none is named. */
  'publishing.attention': { args: z.object({ projectId: id.optional() }).strict(), result: z.array(attentionItemSchema) },
} as const satisfies Record<string, RequestSpec>;
