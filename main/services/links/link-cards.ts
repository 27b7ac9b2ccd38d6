import sharp from 'sharp';
import type { Handlers, LinkCard } from '../../core/contract';
import { DomainError } from '../../core/errors';
import { parsePageMetadata } from '../../core/link-card';
import { getPost } from '../posts/posts-repo';
import type { Services } from '../services-types';
import type { Db } from '../store/database';
import { decodeHtml, fetchBounded, PageFetchError, type PageFetchOptions } from './page-fetch';

/**
 * A post's link card: fetched once while online (links.fetchCard), kept in the store with its
 * picture as a small JPEG so the composer's previews and publishing need no network afterwards,
 * and edited or removed by the user (links.updateCard).
 */

interface CardRow {
  post_id: string;
  url: string;
  title: string;
  description: string;
  site_name: string;
  image: Buffer | null;
  edited: number;
  dropped: number;
  above: number;
  large: number;
  fetched_at: number;
}

/** What publishing needs of a card: its words and its picture's bytes. */
export interface StoredCard {
  url: string;
  title: string;
  description: string;
  siteName: string;
  image: Buffer | null;
  dropped: boolean;
  above: boolean;
  large: boolean;
}

/** Bluesky takes a card picture of at most 1,000,000 bytes; a 1000 px JPEG stays well under. */
const CARD_IMAGE_EDGE = 1000;

function toCard(row: CardRow): LinkCard {
  return {
    postId: row.post_id,
    url: row.url,
    title: row.title,
    description: row.description,
    siteName: row.site_name,
    image: row.image ? `data:image/jpeg;base64,${row.image.toString('base64')}` : null,
    edited: row.edited === 1,
    dropped: row.dropped === 1,
    above: row.above === 1,
    large: row.large === 1,
    fetchedAt: row.fetched_at,
  };
}

function readRow(db: Db, postId: string): CardRow | undefined {
  return db.prepare('SELECT * FROM post_link_cards WHERE post_id = ?').get(postId) as CardRow | undefined;
}

/** The card a post goes out with, or null (none fetched, or the link is no longer in the text it goes out with). */
export function storedCard(db: Db, postId: string, text: string): StoredCard | null {
  const row = readRow(db, postId);
  if (!row || !text.includes(row.url)) return null;
  return { url: row.url, title: row.title, description: row.description, siteName: row.site_name, image: row.image, dropped: row.dropped === 1, above: row.above === 1, large: row.large === 1 };
}

/** The page's picture as a JPEG within the edge, or null when there is none or it is not a picture sharp can read. */
async function cardImage(url: string | null, fetchOptions: Partial<PageFetchOptions>): Promise<Buffer | null> {
  if (!url) return null;
  try {
    const picture = await fetchBounded(url, { ...fetchOptions, kind: 'image' });
    return await sharp(picture.body, { limitInputPixels: 50_000_000 }).rotate().resize(CARD_IMAGE_EDGE, CARD_IMAGE_EDGE, { fit: 'inside', withoutEnlargement: true }).flatten({ background: '#ffffff' }).jpeg({ quality: 80 }).toBuffer();
  } catch {
    // A card without its picture is still a card.
    return null;
  }
}

export function linkCardHandlers(services: Pick<Services, 'db' | 'clock'>, fetchOptions: Partial<PageFetchOptions> = {}): Pick<Handlers, 'links.card' | 'links.fetchCard' | 'links.updateCard'> {
  const { db, clock } = services;
  const mustHavePost = (postId: string) => {
    if (!getPost(db, postId)) throw new DomainError('not_found', `No post ${postId}.`);
  };
  return {
    'links.card': ({ postId }) => {
      const row = readRow(db, postId);
      return row ? toCard(row) : null;
    },

    'links.fetchCard': async ({ postId, url }) => {
      mustHavePost(postId);
      let metadata;
      try {
        const page = await fetchBounded(url, { ...fetchOptions, kind: 'html' });
        metadata = parsePageMetadata(decodeHtml(page.body, page.contentType), page.url);
      } catch (error) {
        if (error instanceof PageFetchError) throw new DomainError('network', error.message, { reason: `link_card_${error.problem}` });
        throw error;
      }
      const image = await cardImage(metadata.imageUrl, fetchOptions);
      const before = readRow(db, postId);
      // The user's own words for this link survive a new fetch; another link starts afresh.
      const keep = before && before.url === url && before.edited === 1 ? before : null;
      db.prepare(
        `INSERT INTO post_link_cards (post_id, url, title, description, site_name, image, edited, dropped, above, large, fetched_at)
         VALUES (@postId, @url, @title, @description, @siteName, @image, @edited, 0, @above, @large, @now)
         ON CONFLICT (post_id) DO UPDATE SET url = excluded.url, title = excluded.title, description = excluded.description, site_name = excluded.site_name,
           image = excluded.image, edited = excluded.edited, dropped = 0, above = excluded.above, large = excluded.large, fetched_at = excluded.fetched_at`,
      ).run({
        postId,
        url,
        title: keep ? keep.title : metadata.title,
        description: keep ? keep.description : metadata.description,
        siteName: metadata.siteName,
        image,
        edited: keep ? 1 : 0,
        above: before?.above ?? 0,
        large: before?.large ?? 1,
        now: clock.now(),
      });
      return toCard(readRow(db, postId) as CardRow);
    },

    'links.updateCard': ({ postId, title, description, dropped, above, large }) => {
      const row = readRow(db, postId);
      if (!row) throw new DomainError('not_found', 'This post has no link card yet: fetch it first.', { reason: 'link_card_missing' });
      const edited = (title !== undefined && title !== row.title) || (description !== undefined && description !== row.description);
      const flag = (value: boolean | undefined, current: number) => (value === undefined ? current : value ? 1 : 0);
      db.prepare('UPDATE post_link_cards SET title = ?, description = ?, edited = ?, dropped = ?, above = ?, large = ? WHERE post_id = ?').run(
        title ?? row.title,
        description ?? row.description,
        edited ? 1 : row.edited,
        flag(dropped, row.dropped),
        flag(above, row.above),
        flag(large, row.large),
        postId,
      );
      return toCard(readRow(db, postId) as CardRow);
    },
  };
}
