import { describe, expect, it } from 'vitest';
import { findEntities, isKnownTld, withByteRanges } from '../../../main/core/networks/entities';

/** A compact view of what was found: "type:text" (links add " → url"). */
function found(text: string): string[] {
  return findEntities(text).map((entity) => {
    if (entity.type === 'link') return `link:${entity.text} → ${entity.url}`;
    if (entity.type === 'mention') return `mention:${entity.username}${entity.domain ? ` @ ${entity.domain}` : ''}`;
    return `hashtag:${entity.tag}`;
  });
}

describe('links', () => {
  const cases: [name: string, text: string, expected: string[]][] = [
    ['with scheme', 'see https://example.com/a?b=1#frag now', ['link:https://example.com/a?b=1#frag → https://example.com/a?b=1#frag']],
    ['http and upper case scheme', 'HTTP://Example.com/x', ['link:HTTP://Example.com/x → HTTP://Example.com/x']],
    ['without scheme gets https://', 'Visit example.com/path today', ['link:example.com/path → https://example.com/path']],
    ['bare host', 'on bsky.app', ['link:bsky.app → https://bsky.app']],
    ['with a port', 'localhost.dev:8080/x', ['link:localhost.dev:8080/x → https://localhost.dev:8080/x']],
    ['sentence full stop is not part of it', 'Read example.com/a.', ['link:example.com/a → https://example.com/a']],
    ['trailing punctuation run', 'Wow https://example.com/!?!', ['link:https://example.com/ → https://example.com/']],
    ['comma after', 'https://a.example.org, and more', ['link:https://a.example.org → https://a.example.org']],
    ['in parentheses', '(see https://example.com/x)', ['link:https://example.com/x → https://example.com/x']],
    ['balanced parentheses stay', 'https://en.wikipedia.org/wiki/Foo_(bar)', ['link:https://en.wikipedia.org/wiki/Foo_(bar) → https://en.wikipedia.org/wiki/Foo_(bar)']],
    ['quoted', '"https://example.com/q"', ['link:https://example.com/q → https://example.com/q']],
    ['IDN host with scheme', 'https://münchen.de/straße', ['link:https://münchen.de/straße → https://münchen.de/straße']],
    ['IDN host without scheme', 'пример.рф/путь', ['link:пример.рф/путь → https://пример.рф/путь']],
    ['punycode TLD', 'xn--80ak6aa92e.xn--p1ai', ['link:xn--80ak6aa92e.xn--p1ai → https://xn--80ak6aa92e.xn--p1ai']],
    ['ends before CJK punctuation', 'https://example.jp/a。次', ['link:https://example.jp/a → https://example.jp/a']],
    ['ends before an emoji', 'https://example.com/\u{1F44D}', ['link:https://example.com/ → https://example.com/']],
    ['between Hebrew words', 'שלום example.com שלום', ['link:example.com → https://example.com']],
    ['e-mail is not a link', 'write to john.doe@example.com', []],
    ['abbreviations and numbers are not links', 'e.g. this, i.e. that, v1.2.3, 3.14, node.js, U.S.', []],
    ['scheme alone is not a link', 'https:// and http://', []],
    ['scheme glued to a word is not a link', 'xhttps://example.com', []],
    ['an unknown TLD is not a link', 'file.notatld', []],
    ['after an underscore is not a link', 'foo_bar.com', []],
    ['dots without a known TLD', 'a.b.c.d.e.f.zz', []],
    ['a host inside a path is part of the link', 'https://a.com/x/b.org c.org', ['link:https://a.com/x/b.org → https://a.com/x/b.org', 'link:c.org → https://c.org']],
    ['with and without scheme, same host', 'http://example.com and example.com', ['link:http://example.com → http://example.com', 'link:example.com → https://example.com']],
  ];
  it.each(cases)('%s', (_name, text, expected) => {
    expect(found(text)).toEqual(expected);
  });

  it('marks whether the scheme was written', () => {
    const [withScheme, without] = findEntities('https://a.com b.com');
    expect(withScheme).toMatchObject({ type: 'link', hasScheme: true, start: 0, end: 13 });
    expect(without).toMatchObject({ type: 'link', hasScheme: false, start: 14, end: 19 });
  });
});

describe('mentions', () => {
  const cases: [name: string, text: string, expected: string[]][] = [
    ['local', '@alice hi', ['mention:alice']],
    ['remote (fediverse)', 'cc @bob@mastodon.social', ['mention:bob @ mastodon.social']],
    ['Bluesky handle, sentence full stop dropped', 'thanks @alice.bsky.social.', ['mention:alice.bsky.social']],
    ['underscore and digits', '@a_1 and @_b', ['mention:a_1', 'mention:_b']],
    ['e-mail is not a mention', 'me@example.com', []],
    ['glued to a word is not a mention', 'x@alice', []],
    ['in Hebrew text', 'שלום @alice!', ['mention:alice']],
    ['after an emoji', '\u{1F44B}@alice', ['mention:alice']],
  ];
  it.each(cases)('%s', (_name, text, expected) => {
    expect(found(text)).toEqual(expected);
  });
});

describe('hashtags', () => {
  const cases: [name: string, text: string, expected: string[]][] = [
    ['Latin', '#tag and #Tag_2', ['hashtag:tag', 'hashtag:Tag_2']],
    ['Hebrew', 'שלום #שלום', ['hashtag:שלום']],
    ['CJK, ending at CJK punctuation', '#日本語。', ['hashtag:日本語']],
    ['full-width hash sign', '\uFF03タグ', ['hashtag:タグ']],
    ['with a combining mark', '#cafe\u0301', ['hashtag:cafe\u0301']],
    ['a number is not a tag', '#2024 #1', []],
    ['keycap # is not a tag', '#\uFE0F\u20E3', []],
    ['glued to a word is not a tag', 'a#b', []],
    ['HTML entity is not a tag', '&#123;', []],
    ['a tag followed by a domain-like ending stays a tag', '#tag.com', ['hashtag:tag']],
    ['fragment of a link stays in the link', 'https://example.com/#anchor', ['link:https://example.com/#anchor → https://example.com/#anchor']],
  ];
  it.each(cases)('%s', (_name, text, expected) => {
    expect(found(text)).toEqual(expected);
  });
});

describe('all together', () => {
  it('finds every kind in order, without overlaps', () => {
    const text = 'New post @alice@example.social: see https://example.com/a, example.org and #news (@bob).';
    expect(found(text)).toEqual([
      'mention:alice @ example.social',
      'link:https://example.com/a → https://example.com/a',
      'link:example.org → https://example.org',
      'hashtag:news',
      'mention:bob',
    ]);
    const entities = findEntities(text);
    for (let i = 1; i < entities.length; i++) {
      expect(entities[i]!.start).toBeGreaterThanOrEqual(entities[i - 1]!.end);
    }
    for (const entity of entities) expect(text.slice(entity.start, entity.end)).toBe(entity.text);
  });

  it('never overlaps and always slices back to its text, whatever the input', () => {
    const pieces = ['a', ' ', '.', '@', '#', '/', ':', '_', '-', 'com', 'https://', 'x.org', 'שלום', '日本', '\u{1F44D}', '(', ')', '\u0301'];
    let seed = 12345;
    const random = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed / 0x80000000;
    };
    for (let run = 0; run < 2000; run++) {
      let text = '';
      for (let i = 0, n = 1 + Math.floor(random() * 20); i < n; i++) text += pieces[Math.floor(random() * pieces.length)];
      let end = 0;
      for (const entity of findEntities(text)) {
        expect(entity.start, text).toBeGreaterThanOrEqual(end);
        expect(text.slice(entity.start, entity.end)).toBe(entity.text);
        end = entity.end;
      }
    }
  });

  it('answers the same text from its cache, frozen', () => {
    const first = findEntities('#a @b');
    expect(findEntities('#a @b')).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
    expect(Object.isFrozen(first[0])).toBe(true);
  });

  it('knows TLDs from twitter-text, Unicode ones included', () => {
    expect(isKnownTld('com')).toBe(true);
    expect(isKnownTld('COM')).toBe(true);
    expect(isKnownTld('social')).toBe(true);
    expect(isKnownTld('рф')).toBe(true);
    expect(isKnownTld('xn--p1ai')).toBe(true);
    expect(isKnownTld('js')).toBe(false);
  });
});

describe('UTF-8 byte ranges of entities (Bluesky facets)', () => {
  it('are right in Hebrew and emoji text', () => {
    // UTF-16: שלום 0–3, space 4, 👋 5–6, space 7, "example.com" 8–18, space 19, "#תודה" 20–24,
    // space 25, "@alice.bsky.social" 26–43, space 44, 🇺🇦 45–48.
    // UTF-8: שלום 8 bytes, space → 9, 👋 → 13, space → 14, example.com 11 → 25, space → 26,
    // "#תודה" 1 + 4×2 = 9 → 35, space → 36, "@alice.bsky.social" 18 → 54.
    const text = 'שלום \u{1F44B} example.com #תודה @alice.bsky.social \u{1F1FA}\u{1F1E6}';
    const ranges = withByteRanges(text, findEntities(text)).map(({ type, start, end, byteStart, byteEnd }) => ({
      type,
      start,
      end,
      byteStart,
      byteEnd,
    }));
    expect(ranges).toEqual([
      { type: 'link', start: 8, end: 19, byteStart: 14, byteEnd: 25 },
      { type: 'hashtag', start: 20, end: 25, byteStart: 26, byteEnd: 35 },
      { type: 'mention', start: 26, end: 44, byteStart: 36, byteEnd: 54 },
    ]);
    // The same bytes, cut out of the real UTF-8 encoding, read back as the entity's text.
    const bytes = new TextEncoder().encode(text);
    const decoder = new TextDecoder();
    for (const entity of withByteRanges(text, findEntities(text))) {
      expect(decoder.decode(bytes.slice(entity.byteStart, entity.byteEnd))).toBe(entity.text);
    }
  });
});
