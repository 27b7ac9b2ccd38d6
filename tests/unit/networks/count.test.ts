import { describe, expect, it } from 'vitest';
import { checkPost } from '../../../main/core/networks/check';
import {
  countPost,
  mastodonLength,
  threadsLength,
  tightestTextCount,
  xWeightedLength,
  type PostMedia,
} from '../../../main/core/networks/count';
import type { NetworkId } from '../../../main/core/networks/ids';
import type { RuleOptions } from '../../../main/core/networks/rules';

const family = '\u{1F469}\u200D\u{1F469}\u200D\u{1F467}\u200D\u{1F466}'; // 👩‍👩‍👧‍👦: 7 code points, 11 UTF-16 units, 25 UTF-8 bytes
const ukraine = '\u{1F1FA}\u{1F1E6}'; // 🇺🇦: 2 code points, 8 bytes
const thumbsMedium = '\u{1F44D}\u{1F3FD}'; // 👍🏽: 2 code points, 8 bytes
const grin = '\u{1F600}'; // 😀: 1 code point, 2 UTF-16 units, 4 bytes
const eAcute = 'e\u0301'; // decomposed é: 2 code points, 1 grapheme
const url = 'https://example.com/'; // 20 characters
const photo: PostMedia = { mime: 'image/jpeg', bytes: 100_000, width: 1080, height: 1080 };

const a = (n: number) => 'a'.repeat(n);

describe('X: twitter-text weighted length', () => {
  const cases: [name: string, text: string, weighted: number][] = [
    ['Latin counts 1', a(280), 280],
    // Hiragana is outside twitter-text's weight-1 ranges (U+0000–10FF, U+2000–200D, U+2010–201F, U+2032–2037): 2 each.
    ['CJK counts 2', 'あ'.repeat(140), 280],
    ['CJK one over', 'あ'.repeat(141), 282],
    ['emoji count 2', grin.repeat(140), 280],
    ['a ZWJ sequence is one emoji', family, 2],
    ['a flag is one emoji', ukraine, 2],
    ['a skin tone is part of the emoji', thumbsMedium, 2],
    // NFC turns e + U+0301 into U+00E9 (weight 1); without NFC it would be 2.
    ['NFC first', eAcute, 1],
    ['Hebrew is in the weight-1 range', 'שלום', 4],
    // Any URL is 23, however long.
    ['a long URL is 23', url + a(100), 23],
    ['a URL without scheme is 23 too', 'example.com/' + a(50), 23],
    // 256 + space + 23 = 280, and one more letter makes 281.
    ['URL at the limit', `${a(256)} ${url}path`, 280],
    ['URL one over', `${a(257)} ${url}path`, 281],
  ];
  it.each(cases)('%s', (_name, text, weighted) => {
    expect(xWeightedLength(text)).toBe(weighted);
  });
});

describe('Threads: emoji count their UTF-8 bytes', () => {
  const cases: [name: string, text: string, length: number][] = [
    ['Latin', a(10), 10],
    ['one emoji, 4 bytes', grin, 4],
    // U+1F44D and U+1F3FD, 4 bytes each.
    ['skin tone', thumbsMedium, 8],
    // 4 × 4 + 3 ZWJ × 3.
    ['ZWJ family', family, 25],
    ['flag', ukraine, 8],
    // U+2764 (3 bytes) + VS16 U+FE0F (3 bytes): drawn as an emoji.
    ['red heart with VS16', '\u2764\uFE0F', 6],
    // Without VS16 U+2764 is drawn as text: one character.
    ['heart as text', '\u2764', 1],
    // '1' + U+FE0F + U+20E3 = 1 + 3 + 3.
    ['keycap', '1\uFE0F\u20E3', 7],
    ['copyright sign is text', '\u00A9', 1],
    // Not emoji: counted in code points.
    ['combining accent', eAcute, 2],
    ['Hebrew', 'שלום', 4],
    ['mixed', `hi ${grin}!`, 3 + 4 + 1],
  ];
  it.each(cases)('%s', (_name, text, length) => {
    expect(threadsLength(text)).toBe(length);
  });
});

describe('Mastodon: graphemes, URLs 23, remote mentions without their domain', () => {
  const cases: [name: string, text: string, length: number][] = [
    ['Latin', a(500), 500],
    ['ZWJ family is one', family, 1],
    ['combining accent is one', eAcute, 1],
    ['Zalgo is one', 'Z\u0324\u0354\u0367\u0311\u0313', 1],
    ['a URL with scheme is 23', url + a(600), 23],
    // Mastodon only shortens URLs that have a scheme: 16 characters as written.
    ['a URL without scheme counts as written', 'example.com/path', 16],
    // "@bob@mastodon.social" counts as "@bob".
    ['remote mention', '@bob@mastodon.social', 4],
    ['local mention', '@bob', 4],
    // 476 + space + 23.
    ['URL at the limit', `${a(476)} ${url}${a(30)}`, 500],
    ['URL one over', `${a(477)} ${url}${a(30)}`, 501],
    // 495 + space + "@bob".
    ['remote mention at the limit', `${a(495)} @bob@mastodon.social`, 500],
  ];
  it.each(cases)('%s', (_name, text, length) => {
    expect(mastodonLength(text, 23)).toBe(length);
  });

  it("follows the instance's own URL length and character limit", () => {
    expect(mastodonLength(`x ${url}`, 30)).toBe(32);
    const counts = countPost('mastodon', { text: a(1000), media: [] }, { mastodon: { maxCharacters: 1000 } });
    expect(counts).toEqual([{ field: 'text', unit: 'graphemes', used: 1000, limit: 1000 }]);
  });
});

type Boundary = [
  name: string,
  network: NetworkId,
  draft: { text: string; title?: string; link?: string; media?: PostMedia[] },
  field: string,
  used: number,
  limit: number,
  options?: RuleOptions,
];

describe('limits per network: exactly at the limit passes, one more fails', () => {
  // Each row: the count for `field` and whether checkPost reports text_too_long.
  const boundaries: Boundary[] = [
    ['Telegram text', 'telegram', { text: a(4096) }, 'text', 4096, 4096],
    ['Telegram text +1', 'telegram', { text: a(4097) }, 'text', 4097, 4096],
    // Code points: 4,096 emoji are 8,192 UTF-16 units but 4,096 characters to Telegram.
    ['Telegram counts code points', 'telegram', { text: grin.repeat(4096) }, 'text', 4096, 4096],
    ['Telegram ZWJ family is 7 code points', 'telegram', { text: family }, 'text', 7, 4096],
    ['Telegram caption', 'telegram', { text: a(1024), media: [photo] }, 'caption', 1024, 1024],
    ['Telegram caption +1', 'telegram', { text: a(1025), media: [photo] }, 'caption', 1025, 1024],
    ['Telegram: a long text is fine alone', 'telegram', { text: a(2000) }, 'text', 2000, 4096],
    ['Telegram: the same text is too long as a caption', 'telegram', { text: a(2000), media: [photo] }, 'caption', 2000, 1024],
    ['Mastodon', 'mastodon', { text: a(500) }, 'text', 500, 500],
    ['Mastodon +1', 'mastodon', { text: a(501) }, 'text', 501, 500],
    ['Mastodon, instance allows more', 'mastodon', { text: a(501) }, 'text', 501, 5000, { mastodon: { maxCharacters: 5000 } }],
    ['X', 'x', { text: a(280) }, 'text', 280, 280],
    ['X +1', 'x', { text: a(281) }, 'text', 281, 280],
    ['LinkedIn', 'linkedin', { text: a(3000) }, 'text', 3000, 3000],
    ['LinkedIn +1', 'linkedin', { text: a(3001) }, 'text', 3001, 3000],
    // UTF-16: each 😀 is 2.
    ['LinkedIn emoji count 2', 'linkedin', { text: grin.repeat(1500) }, 'text', 3000, 3000],
    ['Threads', 'threads', { text: a(500) }, 'text', 500, 500],
    // 496 + 4 bytes = 500, then 497 + 4 = 501.
    ['Threads with an emoji', 'threads', { text: a(496) + grin }, 'text', 500, 500],
    ['Threads with an emoji +1', 'threads', { text: a(497) + grin }, 'text', 501, 500],
    ['Instagram', 'instagram', { text: a(2200), media: [photo] }, 'text', 2200, 2200],
    ['Instagram +1', 'instagram', { text: a(2201), media: [photo] }, 'text', 2201, 2200],
    ['Discord', 'discord', { text: a(2000) }, 'text', 2000, 2000],
    ['Discord +1', 'discord', { text: a(2001) }, 'text', 2001, 2000],
    ['Discord counts code points', 'discord', { text: grin.repeat(2000) }, 'text', 2000, 2000],
    ['VK (reported limit)', 'vk', { text: a(16_384) }, 'text', 16_384, 16_384],
    ['VK +1', 'vk', { text: a(16_385) }, 'text', 16_385, 16_384],
    ['Facebook (reported limit)', 'facebook', { text: a(63_206) }, 'text', 63_206, 63_206],
    ['Facebook +1', 'facebook', { text: a(63_207) }, 'text', 63_207, 63_206],
    ['Pinterest title', 'pinterest', { text: '', title: a(100), media: [photo] }, 'title', 100, 100],
    ['Pinterest title +1', 'pinterest', { text: '', title: a(101), media: [photo] }, 'title', 101, 100],
    ['Pinterest title counts code points', 'pinterest', { text: '', title: grin.repeat(100), media: [photo] }, 'title', 100, 100],
    ['Pinterest description', 'pinterest', { text: a(800), media: [photo] }, 'text', 800, 800],
    ['Pinterest description +1', 'pinterest', { text: a(801), media: [photo] }, 'text', 801, 800],
    // 20 + 2028 = 2048.
    ['Pinterest link', 'pinterest', { text: '', link: url + a(2028), media: [photo] }, 'link', 2048, 2048],
    ['Pinterest link +1', 'pinterest', { text: '', link: url + a(2029), media: [photo] }, 'link', 2049, 2048],
    ['Pinterest alt', 'pinterest', { text: '', media: [{ ...photo, alt: a(500) }] }, 'alt', 500, 500],
    ['Pinterest alt +1', 'pinterest', { text: '', media: [{ ...photo, alt: a(501) }] }, 'alt', 501, 500],
  ];

  it.each(boundaries)('%s', (_name, network, draft, field, used, limit, options) => {
    const post = { media: [], ...draft };
    const counts = countPost(network, post, options);
    expect(counts.find((count) => count.field === field)).toMatchObject({ field, used, limit });
    const issue = checkPost(network, post, options).issues.find((found) => found.code === 'text_too_long');
    if (used > limit) expect(issue).toMatchObject({ code: 'text_too_long', field, limit, actual: used });
    else expect(issue).toBeUndefined();
  });

  it('Telegram counts either the text or the caption, never both', () => {
    expect(countPost('telegram', { text: 'hi', media: [] }).map((count) => count.field)).toEqual(['text']);
    expect(countPost('telegram', { text: 'hi', media: [photo] }).map((count) => count.field)).toEqual(['caption']);
  });

  it('Pinterest alt counts name their media item', () => {
    const counts = countPost('pinterest', { text: '', media: [photo, { ...photo, alt: 'a cat' }] });
    expect(counts.filter((count) => count.field === 'alt')).toEqual([
      { field: 'alt', unit: 'code_points', used: 5, limit: 500, mediaIndex: 1 },
    ]);
  });
});

describe('Bluesky: 300 graphemes and 3,000 bytes, both reported', () => {
  const cases: [name: string, text: string, graphemes: number, bytes: number, over: 'graphemes' | 'utf8_bytes' | null][] = [
    ['300 Latin letters', a(300), 300, 300, null],
    ['301 Latin letters', a(301), 301, 301, 'graphemes'],
    // CJK: 3 bytes each, so 300 are 900 bytes, well within 3,000.
    ['300 CJK characters', '日'.repeat(300), 300, 900, null],
    ['301 CJK characters', '日'.repeat(301), 301, 903, 'graphemes'],
    // The family emoji is 25 bytes: 120 of them are exactly 3,000 bytes, 121 are 3,025
    // bytes while only 121 graphemes: the byte limit is reached first.
    ['120 family emoji', family.repeat(120), 120, 3000, null],
    ['121 family emoji', family.repeat(121), 121, 3025, 'utf8_bytes'],
    // Flags are 8 bytes: 300 flags = 2,400 bytes, fine.
    ['300 flags', ukraine.repeat(300), 300, 2400, null],
  ];

  it.each(cases)('%s', (_name, text, graphemes, bytes, over) => {
    const counts = countPost('bluesky', { text, media: [] });
    expect(counts).toEqual([
      { field: 'text', unit: 'graphemes', used: graphemes, limit: 300 },
      { field: 'text', unit: 'utf8_bytes', used: bytes, limit: 3000 },
    ]);
    const tooLong = checkPost('bluesky', { text, media: [] }).issues.filter((issue) => issue.code === 'text_too_long');
    expect(tooLong.map((issue) => (issue.code === 'text_too_long' ? issue.unit : null))).toEqual(over ? [over] : []);
  });

  it('shows the stricter of the two counts', () => {
    // 121 families: 121/300 graphemes, but 3025/3000 bytes.
    expect(tightestTextCount(countPost('bluesky', { text: family.repeat(121), media: [] }))).toMatchObject({
      unit: 'utf8_bytes',
    });
    expect(tightestTextCount(countPost('bluesky', { text: a(299), media: [] }))).toMatchObject({ unit: 'graphemes' });
  });
});

describe('Instagram: hashtags and mentions', () => {
  const tags = (n: number) => Array.from({ length: n }, (_, i) => `#tag${i}`).join(' ');
  const people = (n: number) => Array.from({ length: n }, (_, i) => `@user${i}`).join(' ');
  const cases: [name: string, text: string, code: string | null, actual: number, limit: number][] = [
    ['30 hashtags', tags(30), null, 30, 30],
    ['31 hashtags', tags(31), 'too_many_hashtags', 31, 30],
    ['20 mentions', people(20), null, 20, 20],
    ['21 mentions', people(21), 'too_many_mentions', 21, 20],
  ];
  it.each(cases)('%s', (_name, text, code, actual, limit) => {
    const check = checkPost('instagram', { text, media: [photo] });
    const field = text.startsWith('#') ? 'hashtags' : 'mentions';
    expect(check.counts.find((count) => count.field === field)).toMatchObject({ used: actual, limit });
    const issues = check.issues.filter((issue) => issue.code === 'too_many_hashtags' || issue.code === 'too_many_mentions');
    expect(issues).toEqual(code ? [expect.objectContaining({ code, limit, actual })] : []);
  });
});
