import { describe, expect, it } from 'vitest';
import type { PostMediaItem } from '../../../main/core/contract/posts';
import { countPost, tightestTextCount } from '../../../main/core/networks/count';
import type { NetworkId } from '../../../main/core/networks/ids';
import { readinessProblems, type TargetDraft } from '../../../main/core/posts/readiness';
import { chainTexts, fitsAll, splitIntoThread, type ThreadOptions } from '../../../main/core/posts/thread';

function used(network: NetworkId, text: string): { used: number; limit: number } {
  const count = tightestTextCount(countPost(network, { text, media: [] }));
  if (!count) throw new Error('no text count');
  return { used: count.used, limit: count.limit };
}

function expectFits(parts: string[], networks: NetworkId[]): void {
  for (const part of parts) for (const network of networks) expect(used(network, part).used, `${network}: ${part}`).toBeLessThanOrEqual(used(network, part).limit);
}

/** The words of the text in order, whatever whitespace the split took away between parts. */
const wordsOf = (text: string) => text.split(/\s+/).filter(Boolean);

const russian =
  'Мы открываем новую кофейню на Невском проспекте. В первую неделю каждый второй капучино бесплатно! ' +
  'Приходите с друзьями, берите ноутбук и оставайтесь подольше. Мы работаем с восьми утра до десяти вечера. ' +
  'Подробности и меню на сайте https://example.ru/menu?utm_source=x&lang=ru. До встречи!';
const hebrew =
  'אנחנו פותחים בית קפה חדש ברחוב דיזנגוף. בשבוע הראשון כל קפוצ׳ינו שני בחינם! ' +
  'בואו עם חברים, הביאו מחשב ותישארו כמה שתרצו. אנחנו פתוחים משמונה בבוקר עד עשר בערב. ' +
  'פרטים ותפריט באתר https://example.co.il/menu. נתראה!';

describe('split into a thread', () => {
  it('cuts Russian text at sentence ends into parts that each fit Bluesky, and loses no word', () => {
    const long = `${russian} ${russian}`;
    const parts = splitIntoThread(long, [{ network: 'bluesky' }]);
    expect(parts.length).toBeGreaterThan(1);
    expectFits(parts, ['bluesky']);
    // Every part ends a sentence: a full stop, an exclamation mark, or the last word of the text.
    for (const part of parts.slice(0, -1)) expect(part).toMatch(/[.!?]$/);
    expect(wordsOf(parts.join(' '))).toEqual(wordsOf(long));
  });

  it('keeps a link whole and fits the strictest of X (links count 23) and Bluesky (graphemes)', () => {
    const long = `${hebrew} ${hebrew} ${hebrew}`;
    const parts = splitIntoThread(long, [{ network: 'x' }, { network: 'bluesky' }]);
    expectFits(parts, ['x', 'bluesky']);
    expect(parts.filter((p) => p.includes('https://example.co.il/menu.')).length).toBe(3);
    expect(wordsOf(parts.join(' '))).toEqual(wordsOf(long));
  });

  it('counts emoji by X’s rule (two each) and leaves room for "12/12" when numbered', () => {
    const sentence = 'Launch day 🚀🎉 is here, thank you all 🙏🏽! ';
    const long = sentence.repeat(30);
    const parts = splitIntoThread(long, [{ network: 'x' }], true);
    const numbered = chainTexts(parts[0] ?? '', { parts: parts.slice(1).map((text) => ({ text, media: [] })), numbered: true });
    expect(numbered.at(-1)).toMatch(new RegExp(` ${parts.length}/${parts.length}$`));
    expectFits(numbered, ['x']);
    // Emoji are never cut in half.
    expect(numbered.join('')).not.toMatch(/\uFFFD/);
    expect(parts.join(' ').match(/🙏🏽/g)?.length).toBe(30);
  });

  it('breaks a sentence longer than the limit at spaces, and one endless word between characters', () => {
    const sentence = `${'слово '.repeat(120)}конец.`;
    const parts = splitIntoThread(sentence, [{ network: 'bluesky' }]);
    expect(parts.length).toBe(3);
    expectFits(parts, ['bluesky']);
    for (const part of parts) expect(part).toMatch(/^слово|конец/);
    const word = 'א'.repeat(700);
    const cut = splitIntoThread(word, [{ network: 'bluesky' }]);
    expect(cut.map((p) => [...p].length)).toEqual([300, 300, 100]);
  });

  it('gives short text back whole, and nothing for blank text', () => {
    expect(splitIntoThread('  Hello there.  ', [{ network: 'x' }])).toEqual(['Hello there.']);
    expect(splitIntoThread('   ', [{ network: 'x' }])).toEqual([]);
    expect(fitsAll('x'.repeat(281), [{ network: 'x' }])).toBe(false);
  });
});

describe('readiness of a thread', () => {
  const image: PostMediaItem = { mediaId: 'm1', mime: 'image/png', bytes: 1000, width: 800, height: 600, durationMs: null, fileName: 'a.png', altText: 'a cat' };
  const target = (network: NetworkId): TargetDraft => ({ accountId: `acc-${network}`, network, accountStatus: 'connected', text: 'First part.', media: [] });
  const check = (networks: NetworkId[], thread: ThreadOptions) =>
    readinessProblems({ targets: networks.map(target), scheduledAt: Date.now() + 3_600_000, now: Date.now(), networkOptions: { thread }, partMedia: (ids) => ids.map(() => image) });

  it('refuses a chain to a network without chains, naming it', () => {
    const problems = check(['telegram', 'x'], { parts: [{ text: 'Second.', media: [] }], numbered: false });
    expect(problems).toEqual([{ code: 'thread_not_supported', severity: 'error', accountId: 'acc-telegram', network: 'telegram', params: { parts: 2 } }]);
  });

  it('counts each part by its network with its number, and names the part that is over', () => {
    const thread = { parts: [{ text: 'Second.', media: ['m1'] }, { text: 'y'.repeat(278), media: [] }], numbered: true };
    const problems = check(['x', 'bluesky'], thread);
    // " 3/3" takes X's 278 to 282 of 280; Bluesky's 300 graphemes take it still.
    expect(problems.map((p) => [p.code, p.network, p.params.part, p.params.actual])).toEqual([['text_too_long', 'x', 3, 282]]);
    expect(check(['x'], { ...thread, numbered: false })).toEqual([]);
  });

  it('asks for a media relay when a part with a picture goes to Threads, naming the part', () => {
    const problems = readinessProblems({
      targets: [target('threads')],
      scheduledAt: Date.now() + 3_600_000,
      now: Date.now(),
      mediaRelay: 'none',
      networkOptions: { thread: { parts: [{ text: 'Second.', media: ['m1'] }], numbered: false } },
      partMedia: (ids) => ids.map(() => image),
    });
    expect(problems.map((p) => [p.code, p.params.part])).toEqual([['media_relay_missing', 2]]);
  });

  it('names an empty part', () => {
    const problems = check(['mastodon'], { parts: [{ text: '  ', media: [] }], numbered: false });
    expect(problems.map((p) => [p.code, p.params.part])).toEqual([['thread_part_empty', 2]]);
  });
});
