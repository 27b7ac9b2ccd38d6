import s1f600 from '@twemoji/svg/1f600.svg?raw';
import s1f60d from '@twemoji/svg/1f60d.svg?raw';
import s1f973 from '@twemoji/svg/1f973.svg?raw';
import s1f60e from '@twemoji/svg/1f60e.svg?raw';
import s1f929 from '@twemoji/svg/1f929.svg?raw';
import s1f602 from '@twemoji/svg/1f602.svg?raw';
import s1f44d from '@twemoji/svg/1f44d.svg?raw';
import s1f44f from '@twemoji/svg/1f44f.svg?raw';
import s1f64c from '@twemoji/svg/1f64c.svg?raw';
import s1f4aa from '@twemoji/svg/1f4aa.svg?raw';
import s1f64f from '@twemoji/svg/1f64f.svg?raw';
import s1f449 from '@twemoji/svg/1f449.svg?raw';
import s2764 from '@twemoji/svg/2764.svg?raw';
import s1f525 from '@twemoji/svg/1f525.svg?raw';
import s2728 from '@twemoji/svg/2728.svg?raw';
import s2b50 from '@twemoji/svg/2b50.svg?raw';
import s1f389 from '@twemoji/svg/1f389.svg?raw';
import s1f381 from '@twemoji/svg/1f381.svg?raw';
import s1f4e3 from '@twemoji/svg/1f4e3.svg?raw';
import s1f4cc from '@twemoji/svg/1f4cc.svg?raw';
import s2705 from '@twemoji/svg/2705.svg?raw';
import s2757 from '@twemoji/svg/2757.svg?raw';
import s1f4a1 from '@twemoji/svg/1f4a1.svg?raw';
import s1f4f8 from '@twemoji/svg/1f4f8.svg?raw';
import s2615 from '@twemoji/svg/2615.svg?raw';
import s1f355 from '@twemoji/svg/1f355.svg?raw';
import s1f338 from '@twemoji/svg/1f338.svg?raw';
import s1f33f from '@twemoji/svg/1f33f.svg?raw';
import s2600 from '@twemoji/svg/2600.svg?raw';
import s1f308 from '@twemoji/svg/1f308.svg?raw';
import s1f680 from '@twemoji/svg/1f680.svg?raw';
import s1f4af from '@twemoji/svg/1f4af.svg?raw';

/**
 * Stickers: Twemoji graphics (© Twitter and jdecked, CC-BY 4.0) bundled as SVG, drawn as images
 * so they look the same in the editor, in every export and on every OS. A colour-emoji web font
 * was tried first; Chromium drew its glyphs as nothing.
 */
const sources = new Map<string, string>([
  ['😀', s1f600],
  ['😍', s1f60d],
  ['🥳', s1f973],
  ['😎', s1f60e],
  ['🤩', s1f929],
  ['😂', s1f602],
  ['👍', s1f44d],
  ['👏', s1f44f],
  ['🙌', s1f64c],
  ['💪', s1f4aa],
  ['🙏', s1f64f],
  ['👉', s1f449],
  ['❤️', s2764],
  ['🔥', s1f525],
  ['✨', s2728],
  ['⭐', s2b50],
  ['🎉', s1f389],
  ['🎁', s1f381],
  ['📣', s1f4e3],
  ['📌', s1f4cc],
  ['✅', s2705],
  ['❗', s2757],
  ['💡', s1f4a1],
  ['📸', s1f4f8],
  ['☕', s2615],
  ['🍕', s1f355],
  ['🌸', s1f338],
  ['🌿', s1f33f],
  ['☀️', s2600],
  ['🌈', s1f308],
  ['🚀', s1f680],
  ['💯', s1f4af],
]);

export const stickers: readonly string[] = [...sources.keys()];

/** Pixels the SVG is rasterised at when drawn: crisp up to this size, and canvas scaling beyond. */
const STICKER_PX = 512;

const loaded = new Map<string, HTMLImageElement>();
let loading: Promise<void> | null = null;

function load(emoji: string, svg: string): Promise<void> {
  // The files carry only a viewBox; a size makes the image's natural size definite.
  const sized = svg.replace('<svg ', `<svg width="${STICKER_PX}" height="${STICKER_PX}" `);
  return new Promise((resolve) => {
    try {
      const image = new Image(STICKER_PX, STICKER_PX);
      image.onload = () => {
        loaded.set(emoji, image);
        resolve();
      };
      // A sticker that cannot be drawn as a picture falls back to text; it never blocks the editor.
      image.onerror = () => resolve();
      image.src = URL.createObjectURL(new Blob([sized], { type: 'image/svg+xml' }));
    } catch {
      resolve();
    }
  });
}

/** Decodes every sticker once; the editor waits for it before drawing a design that has stickers. */
export function loadStickers(): Promise<void> {
  loading ??= Promise.all([...sources].map(([emoji, svg]) => load(emoji, svg))).then(() => undefined);
  return loading;
}

/** The decoded sticker, or null for an emoji without a bundled picture (drawn as text instead). */
export function stickerImage(emoji: string): HTMLImageElement | null {
  return loaded.get(emoji) ?? null;
}
