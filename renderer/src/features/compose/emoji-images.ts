/**
 * The picker's emoji as Twemoji pictures (© Twitter and jdecked, CC-BY 4.0; bundled, never fetched),
 * so they show in colour on every OS, as the editor's stickers do. Only the files the picker
 * offers are bundled: one pattern per category of emoji-data.ts, kept in step by a test.
 */
const files: Record<string, string> = import.meta.glob(
  [
    // smileys
    '../../../../node_modules/@twemoji/svg/{1f600,1f603,1f604,1f601,1f602,1f923,1f60a,1f607,1f642,1f609,1f60d,1f970,1f618,1f60b,1f60e,1f929,1f973,1f914,1f917,1f605,1f622,1f62e,1f634,1f92f}.svg',
    // people
    '../../../../node_modules/@twemoji/svg/{1f44b,1f44d,1f44e,1f44f,1f64c,1f64f,1f4aa,1f449,1f447,270c,1f91d,1f440,1f44b-1f3fd,1f44d-1f3ff,1f469-200d-1f4bb,1f468-200d-1f373,1f9d1-200d-1f3a8,1f469-200d-1f469-200d-1f467}.svg',
    // nature
    '../../../../node_modules/@twemoji/svg/{1f31e,1f308,1f338,1f33b,1f33f,1f340,1f341,1f30a,2744,1f525,2b50,1f319,1f436,1f431,1f98b,1f41d}.svg',
    // food
    '../../../../node_modules/@twemoji/svg/{2615,1f375,1f950,1f956,1f35e,1f370,1f382,1f355,1f354,1f957,1f353,1f34b,1f377,1f37e}.svg',
    // activities
    '../../../../node_modules/@twemoji/svg/{1f389,1f38a,1f381,1f3c6,1f947,26bd,1f3c3,1f9d8,1f3a8,1f3b5,1f3ac,1f3ae}.svg',
    // travel
    '../../../../node_modules/@twemoji/svg/{2708,1f680,1f697,1f6b2,1f3e0,1f3ea,1f3d6,1f3d4,1f30d,1f4cd,1f5fa,1f3d9}.svg',
    // objects
    '../../../../node_modules/@twemoji/svg/{1f4e3,1f4e2,1f4a1,1f4f8,1f4f1,1f4bb,1f4c5,23f0,1f6d2,1f4b0,1f517,1f4dd,1f4e6,1f39f}.svg',
    // symbols
    '../../../../node_modules/@twemoji/svg/{2764,1f9e1,1f49b,1f49a,1f499,1f49c,2728,2705,274c,26a1,1f4af,203c,2753,27a1,1f195,1f514}.svg',
    // flags
    '../../../../node_modules/@twemoji/svg/{1f3c1,1f3f3-fe0f-200d-1f308,1f1ea-1f1fa,1f1fa-1f1f8,1f1ec-1f1e7,1f1e9-1f1ea,1f1eb-1f1f7,1f1ea-1f1f8,1f1ee-1f1f9,1f1ee-1f1f1,1f1f8-1f1e6,1f1ef-1f1f5,1f1e7-1f1f7,1f1fa-1f1e6}.svg',
  ],
  { eager: true, query: '?url', import: 'default' },
);

const byName = new Map(Object.entries(files).map(([path, url]) => [path.slice(path.lastIndexOf('/') + 1, -'.svg'.length), url]));

/** Twemoji's file name for an emoji: its code points in hex; U+FE0F is dropped unless the emoji is a ZWJ sequence. */
export function twemojiName(emoji: string): string {
  const chars = emoji.includes('\u200d') ? emoji : emoji.replace(/\ufe0f/g, '');
  return [...chars].map((c) => (c.codePointAt(0) as number).toString(16)).join('-');
}

/** The bundled picture of an emoji, or null for one the picker does not carry (shown as text). */
export function twemojiUrl(emoji: string): string | null {
  return byName.get(twemojiName(emoji)) ?? null;
}
