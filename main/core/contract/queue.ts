import { z } from 'zod';
import { accountQueueSchema, CALENDAR_RANGE_MAX_MS, moveResultSchema, weeklySlotSchema } from './calendar';
import { id, instant, type RequestSpec } from './common';
import { postSchema } from './posts';

/** The project's own slots: every account without slots of its own uses them. */
export const projectQueueSchema = z.object({ slots: z.array(weeklySlotSchema), minSpacingMinutes: z.number().int() });
export type ProjectQueueSettings = z.infer<typeof projectQueueSchema>;

const slotsArgs = { slots: z.array(weeklySlotSchema).max(200), minSpacingMinutes: z.number().int().min(0).max(10_080) };

/** Queues: weekly time slots and spacing for the whole project and per account, and posts dropped into the next free slot. */
export const queueRequests = {
  /** The project's slots, and each account's own (an account with none uses the project's). */
  'queue.get': {
    args: z.object({ projectId: id }).strict(),
    result: z.object({ project: projectQueueSchema, queues: z.array(accountQueueSchema) }),
  },
  'queue.save': {
    args: z.object({ accountId: id, ...slotsArgs }).strict(),
    result: accountQueueSchema,
  },
  'queue.saveProject': {
    args: z.object({ projectId: id, ...slotsArgs }).strict(),
    result: projectQueueSchema,
  },
  /** Puts the post in the earliest slot free on all its accounts, and schedules it when nothing blocks that. */
  'queue.add': { args: z.object({ id, revision: z.number().int() }).strict(), result: moveResultSchema },
  /**
   * Undoes "Add to queue": the post goes back to the time it had (null: none) and is scheduled again only if it was.
   * `revision` is the one the queue gave it, so an edit made since wins (a conflict).
   */
  'queue.restore': {
    args: z.object({ id, revision: z.number().int(), at: instant.nullable(), scheduled: z.boolean() }).strict(),
    result: postSchema,
  },
  /** Slots still free in [from, to), per account (the project's slots for accounts without their own). */
  'queue.free': {
    args: z
      .object({ projectId: id, from: instant, to: instant })
      .strict()
      .refine((a) => a.to > a.from && a.to - a.from <= CALENDAR_RANGE_MAX_MS, { message: 'a range of at most 100 days', path: ['to'] }),
    result: z.object({ slots: z.array(z.object({ accountId: id, at: z.number() })) }),
  },
} as const satisfies Record<string, RequestSpec>;

export const queueEvents = {
  /** An account's (or, with accountId null, the project's) slots or spacing were saved: the free slots shown for the project change. */
  'queue.changed': z.object({ projectId: id, accountId: id.nullable() }),
} as const satisfies Record<string, z.ZodType>;
