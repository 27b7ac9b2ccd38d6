import { z } from 'zod';
import { id, type RequestSpec } from './common';

/** Hashtag sets: a project's named groups of tags the composer inserts in one go. */
export const hashtagSetSchema = z.object({
  id,
  projectId: id,
  name: z.string(),
  /** Without the #, in the order they are inserted. */
  tags: z.array(z.string()),
  updatedAt: z.number(),
});
export type HashtagSet = z.infer<typeof hashtagSetSchema>;

export const hashtagRequests = {
  'hashtags.list': { args: z.object({ projectId: id }).strict(), result: z.array(hashtagSetSchema) },
  'hashtags.save': {
    args: z
      .object({ projectId: id, id: id.optional(), name: z.string().max(200), tags: z.array(z.string().max(200)).max(100) })
      .strict(),
    result: hashtagSetSchema,
  },
  'hashtags.delete': { args: z.object({ id }).strict(), result: z.object({ id }) },
} as const satisfies Record<string, RequestSpec>;
