import { z } from 'zod';
import { calendarEntrySchema } from './calendar';
import { id, type RequestSpec } from './common';

/** Evergreen posts: a project's pool of posts that go back into free queue slots, in turn, no more often than its interval. */
export const evergreenRequests = {
  'evergreen.get': {
    args: z.object({ projectId: id }).strict(),
    result: z.object({
      minIntervalDays: z.number().int(),
      posts: z.array(z.object({ postId: id, excerpt: z.string(), lastQueuedAt: z.number().nullable(), position: z.number().int() })),
    }),
  },
  'evergreen.set': { args: z.object({ id, evergreen: z.boolean() }).strict(), result: z.object({ id, evergreen: z.boolean() }) },
  'evergreen.configure': {
    args: z.object({ projectId: id, minIntervalDays: z.number().int().min(1).max(3650) }).strict(),
    result: z.object({ minIntervalDays: z.number().int() }),
  },
  /** Fills up to `count` free queue slots with copies of pool posts, in turn. */
  'evergreen.queue': {
    args: z.object({ projectId: id, count: z.number().int().min(1).max(50) }).strict(),
    result: z.object({ entries: z.array(calendarEntrySchema), stoppedBy: z.enum(['done', 'pool_empty', 'interval', 'no_slot']) }),
  },
} as const satisfies Record<string, RequestSpec>;
