import { z } from 'zod';
import { CARD_DESCRIPTION_MAX, CARD_TITLE_MAX } from '../link-card';
import { id, instant, type RequestSpec } from './common';

/** A post's link card (issue 12 item 4): fetched once while online, kept with the post so previews work offline. */
export const linkCardSchema = z.object({
  postId: id,
  /** The link in the post's text the card is for. */
  url: z.string(),
  title: z.string(),
  description: z.string(),
  siteName: z.string(),
  /** The page's picture as a small JPEG data: URL, or null when it has none (or it could not be fetched). */
  image: z.string().nullable(),
  /** The user changed the title or description: a new fetch of the same link keeps their words. */
  edited: z.boolean(),
  /** The user removed the card: the post goes out without one (Telegram's preview off). */
  dropped: z.boolean(),
  /** Telegram: the preview above the text, and its picture large. */
  above: z.boolean(),
  large: z.boolean(),
  fetchedAt: instant,
});
export type LinkCard = z.infer<typeof linkCardSchema>;

export const linkRequests = {
  /** The post's card, or null when it has none yet. */
  'links.card': {
    args: z.object({ postId: id }).strict(),
    result: linkCardSchema.nullable(),
  },
  /** Fetches the page at `url` (bounded, public addresses only) and keeps its card with the post; the user's edits to the same link are kept. */
  'links.fetchCard': {
    args: z.object({ postId: id, url: z.string().min(1).max(2000) }).strict(),
    result: linkCardSchema,
  },
  /** The user's changes to the card: their words, removing or bringing it back, Telegram's layout. */
  'links.updateCard': {
    args: z
      .object({
        postId: id,
        title: z.string().max(CARD_TITLE_MAX).optional(),
        description: z.string().max(CARD_DESCRIPTION_MAX).optional(),
        dropped: z.boolean().optional(),
        above: z.boolean().optional(),
        large: z.boolean().optional(),
      })
      .strict(),
    result: linkCardSchema,
  },
} as const satisfies Record<string, RequestSpec>;
