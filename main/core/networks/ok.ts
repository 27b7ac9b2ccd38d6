import { photoRows, type PhotoRow, type PhotoShape } from './photo-rows';

/**
 * Where OK sends the browser back after sign-in. OK compares redirect_uri character for character
 * with one registered in the user's OK app (apiok.ru/ext/oauth/server), so the port is fixed and
 * the accounts page tells the user to register exactly this address.
 */
export const OK_REDIRECT_PORT = 51739;
export const OK_REDIRECT_URI = `http://127.0.0.1:${OK_REDIRECT_PORT}/callback`;

// OK's topic collage: one wide photo, then pairs and threes.
const okRowSizes: Readonly<Record<number, readonly number[]>> = {
  1: [1],
  2: [2],
  3: [1, 2],
  4: [2, 2],
  5: [2, 3],
  6: [3, 3],
  7: [1, 3, 3],
  8: [2, 3, 3],
  9: [3, 3, 3],
  10: [2, 2, 3, 3],
};

/** How an OK group topic lays out its photos: rows, each photo's share of its row's width. */
export function okPhotoRows(photos: readonly PhotoShape[]): PhotoRow[] {
  return photoRows(photos.slice(0, 10), okRowSizes);
}
