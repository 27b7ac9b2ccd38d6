import { z } from 'zod';
import type { PublishingQuota } from '../connector';
import { id, instant, type RequestSpec } from './common';

/** A network's publishing cap as the composer shows it before scheduling (Instagram's 100, Threads' 250 a day). */

const used = z.object({ used: z.number().int().min(0), total: z.number().int().min(0) });

export const publishingQuotaSchema = z.object({
  posts: used,
  replies: used.nullable(),
  windowMs: z.number().int().positive(),
}) satisfies z.ZodType<PublishingQuota>;

export const accountQuotaSchema = z.object({
  quota: publishingQuotaSchema,
  /** The account's other posts scheduled in the window that ends at the post's time. */
  scheduled: z.number().int().min(0),
  /** True when those, what is used now (if the time is within the window) and this post pass the cap. */
  wouldPass: z.boolean(),
});
export type AccountQuota = z.infer<typeof accountQuotaSchema>;

export const quotaRequests = {
  /**
   * Asks the network how much of its publishing cap the account has used; null where the network has
   * none, or when it cannot be asked now (offline, signed out): the composer then shows nothing, no error.
   * `at`: the post's time, to count the account's posts already scheduled in the window before it.
   */
  'accounts.quota': {
    args: z.object({ id, at: instant.nullable().optional(), postId: id.optional() }).strict(),
    result: accountQuotaSchema.nullable(),
  },
} as const satisfies Record<string, RequestSpec>;
