import { z } from 'zod';
import { id } from './common';

/** What happened to one post on one account; the UI refreshes the post and may notify. */
export const schedulerChangeSchema = z.object({
  postId: id,
  targetId: id,
  jobId: id,
  job: z.enum(['publish', 'delete', 'first_comment', 'native_schedule', 'native_cancel']),
  state: z.enum(['retrying', 'published', 'deleted', 'failed', 'needs_attention', 'held', 'cancelled']),
  /** Why it stopped (missed, unknown_outcome, validation, auth, delete_window…); the UI words it. */
  reason: z.string().nullable(),
  /** The network's own message, shown as is. */
  message: z.string().nullable(),
  /** The published post's link. */
  url: z.string().nullable(),
  at: z.number(),
});
export type SchedulerChange = z.infer<typeof schedulerChangeSchema>;

export const schedulerEvents = {
  'scheduler.changed': schedulerChangeSchema,
  /** An account's sign-in stopped working; its posts are held until it is reconnected. */
  'scheduler.reconnect-needed': z.object({ accountId: id, network: z.string(), message: z.string() }),
} as const satisfies Record<string, z.ZodType>;
