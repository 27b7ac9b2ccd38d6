import { z } from 'zod';
import { id, type RequestSpec } from './common';
import { postText } from './posts';

/** Snippets: a project's reusable pieces of text (a signature, an offer) the composer inserts. */
export const snippetSchema = z.object({
  id,
  projectId: id,
  name: z.string(),
  body: z.string(),
  updatedAt: z.number(),
});
export type Snippet = z.infer<typeof snippetSchema>;

export const snippetRequests = {
  'snippets.list': { args: z.object({ projectId: id }).strict(), result: z.array(snippetSchema) },
  'snippets.save': {
    args: z.object({ projectId: id, id: id.optional(), name: z.string().max(200), body: postText }).strict(),
    result: snippetSchema,
  },
  'snippets.delete': { args: z.object({ id }).strict(), result: z.object({ id }) },
} as const satisfies Record<string, RequestSpec>;
