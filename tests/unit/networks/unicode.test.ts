import { describe, expect, it } from 'vitest';
import {
  countCodePoints,
  countGraphemes,
  utf8Length,
  utf8Range,
  utf8Ranges,
} from '../../../main/core/networks/unicode';

// Hard text, spelled with escapes so the expected numbers can be read off the source.
const family = '\u{1F469}\u200D\u{1F469}\u200D\u{1F467}\u200D\u{1F466}'; // 👩‍👩‍👧‍👦: 4 emoji joined by 3 ZWJ
const ukraine = '\u{1F1FA}\u{1F1E6}'; // 🇺🇦: two regional indicators
const thumbsMedium = '\u{1F44D}\u{1F3FD}'; // 👍🏽: emoji + skin tone modifier
const eAcute = 'e\u0301'; // e + COMBINING ACUTE ACCENT
const zalgo = 'Z\u0324\u0354\u0367\u0311\u0313'; // Z + 5 combining marks
const shalomPointed = '\u05E9\u05B8\u05C1\u05DC\u05D5\u05B9\u05DD'; // שָׁלוֹם: shin+qamats+shin dot, lamed, vav+holam, final mem
const keycapOne = '1\uFE0F\u20E3'; // 1️⃣

describe('counting graphemes, code points and UTF-8 bytes', () => {
  // Expected values by hand:
  // - graphemes: what a reader sees as one character;
  // - code points: astral characters (U+10000 and up) are one code point but two UTF-16 units;
  // - UTF-8: U+0000–007F 1 byte, U+0080–07FF 2, U+0800–FFFF 3, U+10000 and up 4.
  const cases: [name: string, text: string, graphemes: number, codePoints: number, utf8: number][] = [
    ['empty', '', 0, 0, 0],
    ['ASCII', 'abc', 3, 3, 3],
    // 4 emoji × 4 bytes + 3 ZWJ (U+200D) × 3 bytes = 25.
    ['ZWJ family', family, 1, 7, 25],
    // Two regional indicators, 4 bytes each.
    ['flag', ukraine, 1, 2, 8],
    // Two flags side by side pair up as 2 + 2 indicators.
    ['two flags', ukraine + ukraine, 2, 4, 16],
    // A third lone indicator is a cluster of its own.
    ['flag and a lone indicator', ukraine + '\u{1F1FA}', 2, 3, 12],
    ['skin tone', thumbsMedium, 1, 2, 8],
    // e is 1 byte, U+0301 is 2.
    ['combining acute', eAcute, 1, 2, 3],
    // Z 1 byte + 5 marks in U+0300–036F × 2 bytes.
    ['Zalgo', zalgo, 1, 6, 11],
    // Hebrew letters are U+05D0–05EA: 2 bytes each.
    ['Hebrew', 'שלום', 4, 4, 8],
    // Points (U+05B8, U+05C1, U+05B9) join their letters: ש+2, ל, ו+1, ם = 4 clusters; 7 code points × 2 bytes.
    ['Hebrew with niqqud', shalomPointed, 4, 7, 14],
    // Arabic letters U+0621–064A: 2 bytes each.
    ['Arabic', 'مرحبا', 5, 5, 10],
    // CJK U+4E00–9FFF: 3 bytes each.
    ['CJK', '日本語', 3, 3, 9],
    ['CR LF is one cluster', '\r\n', 1, 2, 2],
    // Hangul jamo L + V + T (U+1100, U+1161, U+11A8) make one syllable.
    ['Hangul jamo', '\u1100\u1161\u11A8', 1, 3, 9],
    // '1' 1 byte, U+FE0F 3, U+20E3 3.
    ['keycap', keycapOne, 1, 3, 7],
    // a, 👍🏽, b.
    ['emoji between letters', `a${thumbsMedium}b`, 3, 4, 10],
    // A mark with nothing before it is a cluster of its own.
    ['leading mark', '\u0301a', 2, 2, 3],
  ];

  it.each(cases)('%s', (_name, text, graphemes, codePoints, utf8) => {
    expect(countGraphemes(text)).toBe(graphemes);
    expect(countCodePoints(text)).toBe(codePoints);
    expect(utf8Length(text)).toBe(utf8);
  });

  it('counts a lone surrogate as one code point and 3 bytes (U+FFFD), as TextEncoder does', () => {
    expect(countCodePoints('a\uD800b')).toBe(3);
    expect(utf8Length('a\uD800b')).toBe(new TextEncoder().encode('a\uD800b').length);
  });
});

describe('the fast grapheme count agrees with Intl.Segmenter over the whole text', () => {
  // Pieces that join, split or pair in every way the rules allow, shuffled with a fixed seed.
  const pieces = [
    'a', ' ', '.', 'e', '\u0301', '\u200D', '\uFE0F', '\u20E3', '\u{1F3FD}', '\u{1F44D}', '\u{1F469}',
    '\u{1F1FA}', '\u{1F1E6}', '\r', '\n', '\u1100', '\u1161', '\u11A8', '\uAC00', '\u05E9', '\u05B8',
    '\u0915', '\u094D', '\u0924', '\u0600', '\u0E33', '\u{E0067}', '\u{1F3F4}', '日', '\u200C', 'שלום',
    family, ukraine, keycapOne, zalgo,
  ];
  const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
  const reference = (text: string) => Array.from(segmenter.segment(text)).length;

  it('for 2,000 random strings', () => {
    let seed = 0x2f6b1d;
    const random = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed / 0x80000000;
    };
    for (let run = 0; run < 2000; run++) {
      let text = '';
      const length = 1 + Math.floor(random() * 24);
      for (let i = 0; i < length; i++) text += pieces[Math.floor(random() * pieces.length)];
      expect(countGraphemes(text), JSON.stringify(text)).toBe(reference(text));
      expect(utf8Length(text)).toBe(new TextEncoder().encode(text).length);
    }
  });
});

describe('UTF-8 byte ranges (Bluesky facets)', () => {
  it('converts UTF-16 ranges in Hebrew and emoji text', () => {
    // UTF-16 layout: שלום = 0–3, space 4, 👋 (U+1F44B) = 5–6, space 7, example.com = 8–18.
    // Bytes: 4 Hebrew letters × 2 = 8, space → 9, 👋 4 → 13, space → 14, 11 ASCII → 25.
    const text = 'שלום \u{1F44B} example.com';
    expect(utf8Range(text, 8, 19)).toEqual({ byteStart: 14, byteEnd: 25 });
    expect(utf8Range(text, 0, 4)).toEqual({ byteStart: 0, byteEnd: 8 });
    expect(utf8Range(text, 5, 7)).toEqual({ byteStart: 9, byteEnd: 13 });
  });

  it('converts many sorted ranges in one pass', () => {
    // 🇺🇦 is UTF-16 0–3 (8 bytes), space 4 (byte 8), "#מלחמה" 5–10: '#' 1 byte + 5 Hebrew × 2 = 11 → bytes 9–20.
    const text = `${ukraine} #מלחמה`;
    expect(utf8Ranges(text, [{ start: 0, end: 4 }, { start: 5, end: 11 }])).toEqual([
      { byteStart: 0, byteEnd: 8 },
      { byteStart: 9, byteEnd: 20 },
    ]);
  });

  it('refuses unsorted ranges', () => {
    expect(() => utf8Ranges('abcdef', [{ start: 3, end: 4 }, { start: 0, end: 1 }])).toThrow(RangeError);
  });
});
