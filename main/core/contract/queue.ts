import { z } from 'zod';
import { accountQueueSchema, CALENDAR_RANGE_MAX_MS, moveResultSchema, weeklySlotSchema } from './calendar';
import { id, instant, type RequestSpec } from './common';

/** Queues: each account's weekly time slots and spacing, and posts dropped into the next free slot. */
export const queueRequests = {
  'queue.get': {
    args: z.object({ projectId: id }).strict(),
    result: z.object({ queues: z.array(accountQueueSchema) }),
  },
  'queue.save': {
    args: z
      .object({ accountId: id, slots: z.array(weeklySlotSchema).max(200), minSpacingMinutes: z.number().int().min(0).max(10_080) })
      .strict(),
    result: accountQueueSchema,
  },
  /** Puts the post in the earliest slot free on all its accounts, and schedules it when nothing blocks that. */
  'queue.add': { args: z.object({ id, revision: z.number().int() }).strict(), result: moveResultSchema },
  /** Slots still free in [from, to), per account. */
  'queue.free': {
    args: z
      .object({ projectId: id, from: instant, to: instant })
      .strict()
      .refine((a) => a.to > a.from && a.to - a.from <= CALENDAR_RANGE_MAX_MS, { message: 'a range of at most 100 days', path: ['to'] }),
    result: z.object({ slots: z.array(z.object({ accountId: id, at: z.number() })) }),
  },
} as const satisfies Record<string, RequestSpec>;

export const queueEvents = {
  /** An account's slots or spacing were saved: the free slots shown for its project change. */
  'queue.changed': z.object({ projectId: id, accountId: id }),
} as const satisfies Record<string, z.ZodType>;
