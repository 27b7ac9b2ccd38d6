import { z } from 'zod';
import { DISCORD_THREAD_NAME_MAX, type DiscordPostOptions } from '../networks/discord';
import { POLL_MAX_OPTIONS } from '../networks/polls';
import { networkIds } from '../networks/ids';
import { VK_COPYRIGHT_MAX, VK_COPYRIGHT_TEXT_MAX, type VkPostOptions } from '../networks/vk';
import { isThreadsLink, THREADS_REPLY_CONTROLS, THREADS_TOPIC_TAG_MAX, type ThreadsPostOptions } from '../networks/threads';
import { isPinLink, PIN_LINK_MAX, PIN_TITLE_MAX, type PinterestPostOptions } from '../networks/pinterest';
import { YOUTUBE_TAGS_MAX, YOUTUBE_TITLE_MAX, type YouTubePostOptions } from '../networks/youtube';
import { THREAD_PARTS_MAX, type ThreadOptions } from '../posts/thread';
import { id, type RequestSpec } from './common';
import { mediaSchema } from './media';

/**
 * Posts: one idea (text, media, labels, notes, first comment, time) sent to many targets, each
 * target one account of the project with an optional text and media override.
 */

export const postStatuses = ['draft', 'scheduled', 'published', 'failed', 'needs_attention'] as const;
export const postStatusSchema = z.enum(postStatuses);
export type PostStatus = z.infer<typeof postStatusSchema>;

export const targetStates = [
  'pending',
  'scheduled',
  'native_scheduled',
  'publishing',
  'published',
  'failed',
  'needs_attention',
  'deleted',
] as const;
export type TargetState = (typeof targetStates)[number];

export const POST_TEXT_MAX = 100_000;
export const POST_LABELS_MAX = 20;
export const POST_LABEL_LENGTH_MAX = 40;
export const POST_MEDIA_MAX = 20;
export const POST_TARGETS_MAX = 50;
/** Auto-delete bounds: shorter than an hour is a mistake, longer than a year is a reminder, not a paid period. */
export const AUTO_DELETE_MIN_MS = 60 * 60 * 1000;
export const AUTO_DELETE_MAX_MS = 365 * 24 * 60 * 60 * 1000;

const networkSchema = z.enum(networkIds);
export const postText = z.string().max(POST_TEXT_MAX);
/** A wall time in the project's zone, to the minute: "2026-03-29T09:30". */
export const localTimeSchema = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, 'a time like 2026-03-29T09:30');

/** A media item as a post uses it: what the rules and the previews need. */
export const postMediaSchema = mediaSchema
  .pick({ mime: true, bytes: true, width: true, height: true, durationMs: true, fileName: true, altText: true })
  .extend({ mediaId: id });
export type PostMediaItem = z.infer<typeof postMediaSchema>;

/** wall.post's own options; left out, the community's defaults apply. */
export const vkPostOptionsSchema = z
  .object({
    signed: z.boolean().optional(),
    markAsAds: z.boolean().optional(),
    /** A link to the source, or a few words on one line. */
    copyright: z
      .string()
      .max(VK_COPYRIGHT_MAX)
      .refine((value) => !/[\r\n]/.test(value) && (/^\s*https?:\/\//i.test(value) || value.length <= VK_COPYRIGHT_TEXT_MAX), {
        message: `a link, or at most ${VK_COPYRIGHT_TEXT_MAX} characters on one line`,
      })
      .optional(),
    closeComments: z.boolean().optional(),
  })
  .strict() satisfies z.ZodType<VkPostOptions>;

/** The longest link card address kept (the same bound as VK's source link). */
export const THREADS_LINK_MAX = 2048;

/**
 * Threads' own options; left out, the account's defaults (reply control) or Threads' own apply.
 * Stored as typed: a topic with "." or a link beside media is kept and blocks scheduling with its
 * reason (readiness), so nothing the user wrote is lost while they fix it.
 */
export const threadsPostOptionsSchema = z
  .object({
    replyControl: z.enum(THREADS_REPLY_CONTROLS).optional(),
    // Room past Threads' 50 for what is being typed; readiness names the limit.
    topicTag: z.string().max(THREADS_TOPIC_TAG_MAX * 2).optional(),
    linkAttachment: z.string().max(THREADS_LINK_MAX).refine(isThreadsLink, { message: 'a web address starting with http:// or https://' }).optional(),
  })
  .strict() satisfies z.ZodType<ThreadsPostOptions>;

/**
 * The pin's title and destination link (the description is the post's text). Stored as typed up to
 * twice the title limit, so what is being typed is kept; readiness names Pinterest's 100.
 */
export const pinterestPostOptionsSchema = z
  .object({
    title: z.string().max(PIN_TITLE_MAX * 2).optional(),
    link: z.string().max(PIN_LINK_MAX).refine(isPinLink, { message: 'a web address starting with http:// or https://' }).optional(),
  })
  .strict() satisfies z.ZodType<PinterestPostOptions>;

/**
 * The video's own fields (its description is the post's text). Stored as typed up to twice YouTube's
 * limits, so what is being typed is kept; readiness names YouTube's 100 and 500.
 */
/** Discord: the title of the thread a post opens in a forum channel; kept while over the limit, and named by readiness. */
export const discordPostOptionsSchema = z.object({ threadName: z.string().max(DISCORD_THREAD_NAME_MAX * 2).optional() }).strict() satisfies z.ZodType<DiscordPostOptions>;

export const youtubePostOptionsSchema = z
  .object({
    title: z.string().max(YOUTUBE_TITLE_MAX * 2).optional(),
    tags: z.array(z.string().max(YOUTUBE_TAGS_MAX)).max(YOUTUBE_TAGS_MAX).optional(),
    categoryId: z.string().regex(/^\d{1,3}$/).optional(),
    privacy: z.enum(['public', 'unlisted', 'private']).optional(),
    madeForKids: z.boolean().optional(),
    shorts: z.boolean().optional(),
  })
  .strict() satisfies z.ZodType<YouTubePostOptions>;

/** A post's options for one network each, applied to every target on that network. */
export const networkOptionsSchema = z
  .object({
    vk: vkPostOptionsSchema.optional(),
    threads: threadsPostOptionsSchema.optional(),
    pinterest: pinterestPostOptionsSchema.optional(),
    youtube: youtubePostOptionsSchema.optional(),
    discord: discordPostOptionsSchema.optional(),
    /** Not one network's: every target must go out worded differently ({Hi|Hello} spintax), or the post is not scheduled. */
    unique: z.boolean().optional(),
    /** A poll under the post's text, on the networks that take one (core/networks/polls). */
    poll: z
      .object({ options: z.array(z.string().max(200)).max(POLL_MAX_OPTIONS), durationMinutes: z.number().int().min(1).max(60 * 24 * 31), multiple: z.boolean() })
      .strict()
      .optional(),
    /** The parts after the post itself, for networks that take a chain of replies (core/posts/thread). */
    thread: z
      .object({
        parts: z.array(z.object({ text: postText, media: z.array(id).max(POST_MEDIA_MAX) }).strict()).max(THREAD_PARTS_MAX),
        numbered: z.boolean(),
      })
      .strict()
      .optional() satisfies z.ZodType<ThreadOptions | undefined>,
  })
  .strict();
export type NetworkOptions = z.infer<typeof networkOptionsSchema>;

/** How far a published target's thread went: parts out (the post itself is 1), and where and why it stopped. */
export const threadProgressSchema = z.object({
  sent: z.number().int(),
  total: z.number().int(),
  stopped: z
    .object({ part: z.number().int(), state: z.enum(['failed', 'needs_attention', 'cancelled', 'held']), reason: z.string().nullable(), message: z.string().nullable() })
    .nullable(),
});
export type ThreadProgress = z.infer<typeof threadProgressSchema>;

export const targetSchema = z.object({
  id,
  accountId: id,
  network: networkSchema,
  handle: z.string(),
  displayName: z.string(),
  accountStatus: z.enum(['connected', 'reconnect_needed', 'disconnected', 'planned']),
  /** Per-account rule settings (a Mastodon instance's own limits), as the account stores them. */
  ruleOptions: z.record(z.string(), z.unknown()),
  /** Null: the post's text. */
  bodyOverride: z.string().nullable(),
  /** Null: the post's media. */
  mediaOverride: z.array(postMediaSchema).nullable(),
  state: z.enum(targetStates),
  remoteUrl: z.string().nullable(),
  /** Why the last try failed: the network's message, or Outpost's own explanation. */
  lastError: z.string().nullable(),
  /** Only the network's own words within it, shown as "<network> said"; null when the words are ours. */
  networkSaid: z.string().nullable(),
  /** The thread's parts sent from this account, once the post is out as a thread; absent otherwise. */
  thread: threadProgressSchema.optional(),
});
export type Target = z.infer<typeof targetSchema>;

export const postSchema = z.object({
  id,
  projectId: id,
  body: z.string(),
  firstComment: z.string(),
  notes: z.string(),
  labels: z.array(z.string()),
  status: postStatusSchema,
  /** The instant in UTC ms, or null while no time is chosen. */
  scheduledAt: z.number().nullable(),
  /** The IANA zone the time was chosen in (the project's). */
  timezone: z.string(),
  /** `scheduledAt` as a wall time in `timezone`. */
  local: z.string().nullable(),
  /** Each published target is deleted this long after it went out; null: it stays up. */
  autoDeleteAfterMs: z.number().nullable(),
  networkOptions: networkOptionsSchema,
  media: z.array(postMediaSchema),
  /** The media of the thread's parts (networkOptions.thread), by id; absent when the parts have none. */
  threadMedia: z.array(postMediaSchema).optional(),
  targets: z.array(targetSchema),
  /** Goes up by one with every change; an update must name the revision it was based on. */
  revision: z.number().int(),
  createdAt: z.number(),
  updatedAt: z.number(),
});
export type Post = z.infer<typeof postSchema>;

export const postSummarySchema = z.object({
  id,
  projectId: id,
  /** The start of the text, for lists. */
  excerpt: z.string(),
  status: postStatusSchema,
  scheduledAt: z.number().nullable(),
  timezone: z.string(),
  networks: z.array(networkSchema),
  mediaCount: z.number(),
  labels: z.array(z.string()),
  revision: z.number().int(),
  updatedAt: z.number(),
});
export type PostSummary = z.infer<typeof postSummarySchema>;

/** Why a post cannot be scheduled (severity error) or what the network will change (warning). */
export const postProblemSchema = z.object({
  /** Stable key; the UI words it (compose.problems.<code>). */
  code: z.string(),
  severity: z.enum(['error', 'warning']),
  accountId: id.optional(),
  network: networkSchema.optional(),
  mediaId: id.optional(),
  /** Numbers and names for the sentence: limit, actual, field, unit, position, fix… */
  params: z.record(z.string(), z.union([z.string(), z.number()])),
});
export type PostProblem = z.infer<typeof postProblemSchema>;

export const targetInputSchema = z
  .object({
    accountId: id,
    bodyOverride: postText.nullable().optional(),
    mediaOverride: z.array(id).max(POST_MEDIA_MAX).nullable().optional(),
  })
  .strict();
export type TargetInput = z.infer<typeof targetInputSchema>;

const labels = z.array(z.string().max(200)).max(100);
const mediaIds = z.array(id).max(POST_MEDIA_MAX);
const targets = z.array(targetInputSchema).max(POST_TARGETS_MAX);
const autoDeleteAfterMs = z.number().int().min(AUTO_DELETE_MIN_MS).max(AUTO_DELETE_MAX_MS).nullable();

export const postRequests = {
  'posts.create': {
    args: z
      .object({
        projectId: id,
        body: postText.optional(),
        targets: targets.optional(),
        media: mediaIds.optional(),
        local: localTimeSchema.nullable().optional(),
        autoDeleteAfterMs: autoDeleteAfterMs.optional(),
        networkOptions: networkOptionsSchema.optional(),
      })
      .strict(),
    result: postSchema,
  },
  'posts.get': { args: z.object({ id }).strict(), result: postSchema },
  /** Posts of a project, most recently changed first; drafts only unless statuses say otherwise. */
  'posts.list': {
    args: z
      .object({
        projectId: id,
        statuses: z.array(postStatusSchema).min(1).optional(),
        limit: z.number().int().min(1).max(500).optional(),
      })
      .strict(),
    result: z.array(postSummarySchema),
  },
  /**
   * Changes only the fields given. `revision` is the one the change was based on: if the post
   * has changed since, nothing is written and the reply is a conflict (post_revision_stale).
   */
  'posts.update': {
    args: z
      .object({
        id,
        revision: z.number().int(),
        body: postText.optional(),
        firstComment: postText.optional(),
        notes: postText.optional(),
        labels: labels.optional(),
        local: localTimeSchema.nullable().optional(),
        /** The full list: accounts left out stop being targets. */
        targets: targets.optional(),
        media: mediaIds.optional(),
        autoDeleteAfterMs: autoDeleteAfterMs.optional(),
        /** The whole set: a network left out goes back to its accounts' defaults. */
        networkOptions: networkOptionsSchema.optional(),
      })
      .strict(),
    result: postSchema,
  },
  /** A new draft with the same content, targets and overrides, and no time. */
  'posts.duplicate': { args: z.object({ id }).strict(), result: postSchema },
  'posts.delete': { args: z.object({ id }).strict(), result: z.object({ id }) },
  /** Checks the post with the networks' rules; schedules it only when nothing blocks it. */
  'posts.schedule': {
    args: z.object({ id, revision: z.number().int() }).strict(),
    result: z.object({ post: postSchema, problems: z.array(postProblemSchema), scheduled: z.boolean() }),
  },
  /** Back to draft; the time is kept. */
  'posts.unschedule': { args: z.object({ id, revision: z.number().int() }).strict(), result: postSchema },
} as const satisfies Record<string, RequestSpec>;

export const postEvents = {
  /**
   * A post was created, changed, scheduled or deleted. `revision` is the post's revision after the
   * change, so the composer that made it can skip the echo of its own save; null when the post was
   * deleted or the change did not touch the post row.
   */
  'posts.changed': z.object({ projectId: id, postId: id, revision: z.number().int().nullable() }),
} as const satisfies Record<string, z.ZodType>;
