import type { TextAlign } from './design';

export type TextDirection = 'ltr' | 'rtl';

// Scripts written right to left that Outpost's bundled fonts cover, plus their presentation forms.
const RTL = /[\p{Script=Hebrew}\p{Script=Arabic}\p{Script=Syriac}\p{Script=Thaana}\p{Script=Nko}]/u;
const LETTER = /\p{L}/u;

/**
 * The paragraph direction of a text, as the Unicode bidi algorithm's first-strong rule decides
 * it (P2–P3): the first letter wins; a text of digits and punctuation reads left to right.
 */
export function textDirection(text: string): TextDirection {
  for (const char of text) {
    if (LETTER.test(char)) return RTL.test(char) ? 'rtl' : 'ltr';
  }
  return 'ltr';
}

/** Logical alignment to the side it lands on: "start" is the right edge of a Hebrew or Arabic text. */
export function physicalAlign(align: TextAlign, direction: TextDirection): 'left' | 'center' | 'right' {
  if (align === 'center') return 'center';
  const startsLeft = direction === 'ltr';
  return (align === 'start') === startsLeft ? 'left' : 'right';
}

/** Physical alignment (as older designs stored it) to the logical one for this text. */
export function logicalAlign(align: 'left' | 'center' | 'right', direction: TextDirection): TextAlign {
  if (align === 'center') return 'center';
  return (align === 'left') === (direction === 'ltr') ? 'start' : 'end';
}

/**
 * The font stack every text layer uses: the bundled Noto Sans for Latin, Cyrillic and Greek,
 * then the bundled Hebrew and Arabic families, then each OS's own colour emoji; the browser
 * picks per character.
 */
export const EMOJI_FONT_STACK = '"Apple Color Emoji", "Segoe UI Emoji", "Noto Color Emoji", sans-serif';
export const TEXT_FONT_STACK = `"Noto Sans", "Noto Sans Hebrew", "Noto Sans Arabic", ${EMOJI_FONT_STACK}`;
