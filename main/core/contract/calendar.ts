import { z } from 'zod';
import { networkIds } from '../networks/ids';
import { id, instant, type RequestSpec } from './common';
import { postProblemSchema, postStatusSchema, postSummarySchema } from './posts';

/**
 * The calendar: the posts of a date range drawn as compact entries, moves, approval, queues,
 * recurring posts, and the plan in and out (CSV, JSON, ICS, the client approval pack).
 * Writes to a post's content and time go through the composer's posts.* handlers.
 */

export const approvalStates = ['draft', 'in_review', 'approved'] as const;
export const approvalSchema = z.enum(approvalStates);
export type Approval = z.infer<typeof approvalSchema>;

const networkSchema = z.enum(networkIds);
/** A view never needs more than six weeks; a little more leaves room for a list of a long month. */
export const CALENDAR_RANGE_MAX_MS = 100 * 86_400_000;

/** A post as the calendar draws it: the list summary (excerpt of 140 characters) plus approval, accounts and series. */
export const calendarEntrySchema = postSummarySchema.omit({ updatedAt: true }).extend({
  approval: approvalSchema,
  accountIds: z.array(id),
  /** Part of a repeating series. */
  repeats: z.boolean(),
  /** Aimed at a network planned before its account exists: it cannot be scheduled until an account takes it (absent: no). */
  accountMissing: z.boolean().optional(),
  evergreen: z.boolean(),
  /** The post's first image, drawn from the media library's thumbnail; null without an image. */
  thumbnailId: id.nullable(),
});
export type CalendarEntry = z.infer<typeof calendarEntrySchema>;

export const calendarAccountSchema = z.object({
  id,
  projectId: id,
  network: networkSchema,
  handle: z.string(),
  displayName: z.string(),
});
export type CalendarAccount = z.infer<typeof calendarAccountSchema>;

export const weeklySlotSchema = z.object({
  weekday: z.number().int().min(1).max(7),
  minute: z.number().int().min(0).max(1439),
});

export const accountQueueSchema = z.object({
  accountId: id,
  slots: z.array(weeklySlotSchema),
  minSpacingMinutes: z.number().int(),
});
export type AccountQueueSettings = z.infer<typeof accountQueueSchema>;

export const recurrenceSchema = z
  .object({
    every: z.number().int().min(1).max(365),
    unit: z.enum(['day', 'week', 'month']),
    until: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional(),
    count: z.number().int().min(1).max(200).optional(),
  })
  .strict();

/** A post given a new time: where it is now and, when it could not be scheduled, why. */
export const moveResultSchema = z.object({ entry: calendarEntrySchema, problems: z.array(postProblemSchema), scheduled: z.boolean() });

export const importErrorSchema = z.object({
  code: z.string(),
  column: z.string(),
  params: z.record(z.string(), z.union([z.string(), z.number()])),
});
export const importRowSchema = z.object({
  row: z.number().int(),
  local: z.string().nullable(),
  body: z.string(),
  accountIds: z.array(id),
  labels: z.array(z.string()),
  status: z.enum(['draft', 'scheduled']),
  errors: z.array(importErrorSchema),
});
export type ImportRowResult = z.infer<typeof importRowSchema>;

export const packPostSchema = z.object({
  id,
  scheduledAt: z.number().nullable(),
  timezone: z.string(),
  status: postStatusSchema,
  approval: approvalSchema,
  body: z.string(),
  firstComment: z.string(),
  /** The post's notes: for the user and the client, never published. */
  notes: z.string(),
  labels: z.array(z.string()),
  targets: z.array(z.object({ network: networkSchema, handle: z.string(), displayName: z.string(), text: z.string() })),
  /** Images as data: URLs, so the pack is one file that needs nothing else. */
  images: z.array(z.object({ mediaId: id, dataUrl: z.string(), alt: z.string() })),
});
export type PackPost = z.infer<typeof packPostSchema>;

const packWord = z.string().max(2_000);

/** The approval pack's words, in the user's language (the renderer translates; main lays them out). */
export const packWordsSchema = z
  .object({
    title: packWord,
    /** "Acme Bakery · 1–31 March 2026". */
    subtitle: packWord,
    generated: packWord,
    empty: packWord,
    firstComment: packWord,
    notes: packWord,
    labels: packWord,
    unscheduled: packWord,
    approvalHeading: packWord,
    approval: z.record(approvalSchema, packWord),
    networks: z.record(networkSchema, packWord),
    /** "Approved by", "Date": lines the client signs on paper. */
    signature: packWord,
    date: packWord,
  })
  .strict();
export type PackWords = z.infer<typeof packWordsSchema>;

export const calendarRequests = {
  /** Posts with a time in [from, to), earliest first; one project or all. `search` matches text, notes and labels. */
  'calendar.range': {
    args: z
      .object({ projectId: id.optional(), from: instant, to: instant, search: z.string().max(200).optional() })
      .strict()
      .refine((a) => a.to > a.from && a.to - a.from <= CALENDAR_RANGE_MAX_MS, { message: 'a range of at most 100 days', path: ['to'] }),
    result: z.object({ entries: z.array(calendarEntrySchema) }),
  },
  /** Drafts with no time yet, newest first: the sidebar they are dragged from. */
  'calendar.unscheduled': {
    args: z.object({ projectId: id.optional(), search: z.string().max(200).optional() }).strict(),
    result: z.object({ entries: z.array(calendarEntrySchema) }),
  },
  /** Every account and label, for the filters. */
  'calendar.facets': {
    args: z.object({ projectId: id.optional() }).strict(),
    result: z.object({ accounts: z.array(calendarAccountSchema), labels: z.array(z.string()) }),
  },
  /**
   * Moves a post to `at` (whole minutes). Refused into the past. `schedule` (a draft dropped from
   * the sidebar) also schedules it when nothing blocks that; the problems say what does.
   */
  'calendar.move': {
    args: z.object({ id, revision: z.number().int(), at: instant, schedule: z.boolean().optional() }).strict(),
    result: moveResultSchema,
  },
  'calendar.setApproval': {
    args: z.object({ ids: z.array(id).min(1).max(500), approval: approvalSchema }).strict(),
    result: z.object({ entries: z.array(calendarEntrySchema) }),
  },

  /** Makes the post repeat: a copy at every later occurrence, replacing copies of an earlier rule not yet out. */
  'calendar.repeat': {
    args: z.object({ id, rule: recurrenceSchema.nullable() }).strict(),
    result: z.object({ entries: z.array(calendarEntrySchema) }),
  },

  /** Reads and checks a CSV plan without storing anything. */
  'calendar.importCheck': {
    args: z.object({ projectId: id, csv: z.string().max(5_000_000) }).strict(),
    result: z.object({
      problem: z.enum(['empty', 'missing_columns', 'too_many_rows']).nullable(),
      missingColumns: z.array(z.string()),
      rows: z.array(importRowSchema),
      badRows: z.array(z.number().int()),
    }),
  },
  /** Stores every row of a CSV plan, or nothing when any row has an error. */
  'calendar.importCommit': {
    args: z.object({ projectId: id, csv: z.string().max(5_000_000) }).strict(),
    result: z.object({ created: z.number().int(), scheduled: z.number().int() }),
  },
  /** The plan as a file named for its project and days; without a range, every post. CSV starts with a UTF-8 BOM. */
  'calendar.export': {
    args: z
      .object({ projectId: id.optional(), from: instant.optional(), to: instant.optional(), format: z.enum(['csv', 'json', 'ics']) })
      .strict()
      .refine((a) => (a.from === undefined) === (a.to === undefined) && (a.from === undefined || (a.to as number) > a.from), {
        message: 'from and to together, to after from',
        path: ['to'],
      }),
    result: z.object({ fileName: z.string(), mime: z.string(), text: z.string(), count: z.number().int() }),
  },
  /** What the client approval pack shows for one project's posts in [from, to); without a range, every post of the project with a time. */
  'calendar.packData': {
    args: z.object({ projectId: id, from: instant.optional(), to: instant.optional() }).strict(),
    result: z.object({ projectName: z.string(), color: z.string(), timezone: z.string(), posts: z.array(packPostSchema) }),
  },
  /**
   * The client approval pack of one project's posts in [from, to) as a PDF: main builds the page
   * (core/calendar/approval-pack) and prints it with Chromium; only the words come from the renderer.
   */
  'calendar.pdf': {
    args: z
      .object({
        projectId: id,
        /** Without a range: every post of the project with a time. */
        from: instant.optional(),
        to: instant.optional(),
        /** BCP 47 language of the words and of the dates main writes. */
        lang: z.string().min(1).max(35),
        dir: z.enum(['ltr', 'rtl']),
        words: packWordsSchema,
      })
      .strict(),
    result: z.object({ base64: z.string() }),
  },
} as const satisfies Record<string, RequestSpec>;
