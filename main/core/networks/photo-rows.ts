/** A photo's pixels, when known. */
export interface PhotoShape {
  width?: number | null;
  height?: number | null;
}

export interface PhotoRow {
  /** Index into the photos given, and the photo's width over height as shown (clamped). */
  items: { index: number; ratio: number }[];
  /** The row's width over its height: its photos' ratios summed, so they share one height. */
  ratio: number;
}

// Feeds crop photos to these bounds: a panorama or a long screenshot does not shrink its row to a strip.
const MIN_RATIO = 2 / 3;
const MAX_RATIO = 2;
const LONE_MIN_RATIO = 3 / 4;

function ratioOf(photo: PhotoShape | undefined, lone: boolean): number {
  const width = photo?.width ?? 0;
  const height = photo?.height ?? 0;
  const raw = width > 0 && height > 0 ? width / height : 1;
  return Math.min(MAX_RATIO, Math.max(lone ? LONE_MIN_RATIO : MIN_RATIO, raw));
}

/** Justified rows for a feed's album: `sizes[n]` says how many photos each row of an n-photo album holds. */
export function photoRows(photos: readonly PhotoShape[], sizes: Readonly<Record<number, readonly number[]>>): PhotoRow[] {
  const plan = sizes[photos.length] ?? [];
  const rows: PhotoRow[] = [];
  let index = 0;
  for (const size of plan) {
    const items: PhotoRow['items'] = [];
    for (let i = 0; i < size; i++, index++) items.push({ index, ratio: ratioOf(photos[index], plan.length === 1 && size === 1) });
    rows.push({ items, ratio: items.reduce((sum, item) => sum + item.ratio, 0) });
  }
  return rows;
}
