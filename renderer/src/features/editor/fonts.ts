import type { Design } from '../../../../main/core/editor/design';
import { TEXT_FONT_STACK } from '../../../../main/core/editor/text';
import { fontFaces } from './font-faces';

let registered = false;

/** Adds the bundled faces to the document once; each downloads only when text needs its characters. */
export function registerFonts(): void {
  if (registered || typeof FontFace === 'undefined') return;
  registered = true;
  for (const face of fontFaces) {
    document.fonts.add(new FontFace(face.family, `url(${face.url}) format('woff2')`, { weight: String(face.weight), unicodeRange: face.unicodeRange, display: 'block' }));
  }
}

/**
 * Waits until the faces for these texts are loaded: a canvas draws with whatever is loaded at
 * that moment and never redraws by itself, so text must not be drawn before its font is here.
 */
export interface FontSample {
  text: string;
  weight: number;
}

/** The texts of a design, for ensureFonts. */
export function fontSamples(design: Design): FontSample[] {
  return design.layers.flatMap((l): FontSample[] => (l.type === 'text' ? [{ text: l.text, weight: l.fontWeight }] : []));
}

export async function ensureFonts(samples: readonly FontSample[]): Promise<void> {
  registerFonts();
  const loads = samples
    .filter((s) => s.text.trim() !== '')
    .map((s) => document.fonts.load(`${s.weight} 32px ${TEXT_FONT_STACK}`, s.text).catch(() => []));
  await Promise.all(loads);
}
