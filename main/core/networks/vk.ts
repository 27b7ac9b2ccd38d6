import { photoRows, type PhotoRow, type PhotoShape } from './photo-rows';

/**
 * Where VK ID sends the browser back after sign-in. VK ID matches the redirect address with the
 * ones the user registered in their VK app ("Доверенный Redirect URL"), so the port is fixed and
 * the accounts page tells the user to register exactly this address.
 */
export const VK_REDIRECT_PORT = 47811;
export const VK_REDIRECT_URI = `http://127.0.0.1:${VK_REDIRECT_PORT}/callback`;

/** wall.post's `copyright` is a bare string in VK's schema (wall/methods.json): Outpost bounds a link like a URL… */
export const VK_COPYRIGHT_MAX = 2048;
/** …and words that are not a link to a short line. */
export const VK_COPYRIGHT_TEXT_MAX = 200;

/** The VK-only options of one post (wall.post signed, mark_as_ads, copyright, close_comments); unset: the community's defaults. */
export interface VkPostOptions {
  /** Signed with the author's name under the community's. */
  signed?: boolean;
  /** A paid post: VK shows its ad mark. */
  markAsAds?: boolean;
  /** The source, a link or a few words, shown under the post. */
  copyright?: string;
  closeComments?: boolean;
}

// VK lays an album out in rows, the first row the fewest (one big photo above the rest when there are 3–4).
const vkRowSizes: Readonly<Record<number, readonly number[]>> = {
  1: [1],
  2: [2],
  3: [1, 2],
  4: [1, 3],
  5: [2, 3],
  6: [3, 3],
  7: [3, 4],
  8: [2, 3, 3],
  9: [3, 3, 3],
  10: [3, 3, 4],
};

/** How a VK wall post lays out its photos (up to 10): rows, each photo's share of its row's width. */
export function vkPhotoRows(photos: readonly PhotoShape[]): PhotoRow[] {
  return photoRows(photos.slice(0, 10), vkRowSizes);
}
