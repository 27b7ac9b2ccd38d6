import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderApprovalPack, isolate, packTimeText, type PackWords } from '../../main/core/calendar/approval-pack';
import type { PackPost } from '../../main/core/contract';
import { networkIds } from '../../main/core/networks/ids';
import { launchBrowser, openPage, screenshot, screenshotDir } from './support/browser';
import { pdfPages, readLine, type PdfRun } from './support/pdf-text';

/**
 * The approval pack read in Chromium, in Hebrew: what the client sees is checked by where the
 * glyphs land, not by the markup. In a Hebrew or Arabic post the "!" and the emoji sit at the left
 * end of the line, a hashtag stays whole at the line's visual end, a Latin link and @handle read left
 * to right inside it; an English post stays left to right; each line of a mixed post takes its own
 * direction. The PDF is Chromium printing this very page (as Electron's printToPDF does): read
 * back from its content streams, the glyphs sit in the same order and the text reads as written.
 */

const ZONE = 'Asia/Jerusalem';
const HEBREW = 'שלום עולם! #מאפייה 🥐';
const ARABIC = 'مرحبا بالعالم! #مخبز 🥖';
const LINK = 'https://acme.example/sale?ref=pack';
const MIXED = `מבצע חדש! הזמינו ב־${LINK} ותייגו את @acme_bakery 🎉`;
const ENGLISH = 'Fresh challah today! לחם טרי #bakery';
const LINES = 'מחר בבוקר!\nTomorrow morning!';

const words: PackWords = {
  title: `פוסטים לאישור: ${isolate('מאפיית אקמה')}`,
  subtitle: `דצמבר 2026 · 5 פוסטים · שעות לפי ${isolate(ZONE)}`,
  generated: 'הוכן ב־Outpost.',
  empty: 'אין פוסטים.',
  firstComment: 'תגובה ראשונה',
  notes: 'הערות',
  labels: 'תוויות',
  unscheduled: 'ללא מועד',
  approvalHeading: 'אישור',
  approval: { draft: 'טיוטה', in_review: 'בבדיקה', approved: 'מאושר' },
  networks: Object.fromEntries(networkIds.map((n) => [n, n[0]?.toUpperCase() + n.slice(1)])) as PackWords['networks'],
  signature: 'אושר על ידי',
  date: 'תאריך',
};

const post = (id: string, body: string, extra: Partial<PackPost> = {}): PackPost => ({
  id,
  scheduledAt: Date.UTC(2026, 11, 7, 7, 0),
  timezone: ZONE,
  status: 'scheduled',
  approval: 'in_review',
  body,
  firstComment: '',
  notes: '',
  labels: [],
  targets: [{ network: 'telegram', handle: 'acme_bakery', displayName: 'מאפיית אקמה', text: body }],
  images: [],
  ...extra,
});

const html = renderApprovalPack({
  projectName: 'מאפיית אקמה',
  color: '#b45309',
  lang: 'he',
  dir: 'rtl',
  formatTime: (at, zone) => packTimeText(at, zone, 'he'),
  words,
  posts: [
    post('he', HEBREW, { firstComment: 'מי רוצה קרואסון? 🥐 #בוקר', notes: 'לבדוק מחיר!', labels: ['מבצע', 'חנוכה'] }),
    post('ar', ARABIC),
    post('mixed', MIXED),
    post('en', ENGLISH),
    post('lines', LINES),
  ],
});

interface Box {
  left: number;
  right: number;
  top: number;
  bottom: number;
  rects: number;
}

/** The boxes of `needle` (its nth occurrence) in the first preview text of a post, as Chromium laid it out. */
function boxOf(page: Page, postId: string, needle: string, nth = 0, selector = '.preview .text'): Promise<Box> {
  return page.evaluate(
    ({ postId, needle, nth, selector }) => {
      const root = document.querySelector(`article[data-post-id="${postId}"] ${selector}`);
      if (!root) throw new Error(`no ${selector} in ${postId}`);
      // Walk the text nodes: the needle may sit inside a <bdi>.
      const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
      let seen = 0;
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const text = node.textContent ?? '';
        for (let at = text.indexOf(needle); at !== -1; at = text.indexOf(needle, at + 1)) {
          if (seen++ < nth) continue;
          const range = document.createRange();
          range.setStart(node, at);
          range.setEnd(node, at + needle.length);
          const rects = [...range.getClientRects()].filter((r) => r.width > 0);
          const box = range.getBoundingClientRect();
          return { left: box.left, right: box.right, top: box.top, bottom: box.bottom, rects: rects.length };
        }
      }
      throw new Error(`"${needle}" not found in ${postId}`);
    },
    { postId, needle, nth, selector },
  );
}

function elementBox(page: Page, selector: string): Promise<Box> {
  return page.evaluate((selector) => {
    const element = document.querySelector(selector);
    if (!element) throw new Error(`no ${selector}`);
    const box = element.getBoundingClientRect();
    return { left: box.left, right: box.right, top: box.top, bottom: box.bottom, rects: element.getClientRects().length };
  }, selector);
}

const sameLine = (a: Box, b: Box) => Math.abs(a.top + a.bottom - b.top - b.bottom) / 2 < 4;

let browser: Browser;
let page: Page;
let close: () => Promise<void>;

beforeAll(async () => {
  browser = await launchBrowser();
  ({ page, close } = await openPage(browser, { viewport: { width: 900, height: 1000 } }));
  await page.setContent(html);
});

afterAll(async () => {
  await close?.();
  await browser?.close();
});

describe('the approval pack in Hebrew, Arabic and mixed text', () => {
  it('lays a Hebrew post right to left: "!" and the emoji at the left end, the hashtag whole before the emoji', async () => {
    const first = await boxOf(page, 'he', 'שלום');
    const second = await boxOf(page, 'he', 'עולם');
    const bang = await boxOf(page, 'he', '!');
    const tag = await elementBox(page, 'article[data-post-id="he"] .preview .text bdi.hashtag');
    const emoji = await boxOf(page, 'he', '🥐');
    const text = await elementBox(page, 'article[data-post-id="he"] .preview .text');
    for (const box of [second, bang, tag, emoji]) expect(sameLine(first, box)).toBe(true);
    // Right to left on screen: שלום, עולם, !, #מאפייה, 🥐.
    expect(second.right).toBeLessThanOrEqual(first.left + 1);
    expect(bang.right).toBeLessThanOrEqual(second.left + 1);
    expect(tag.right).toBeLessThanOrEqual(bang.left + 1);
    expect(emoji.right).toBeLessThanOrEqual(tag.left + 1);
    // The first word starts at the right edge: the line is right-aligned, not only reordered.
    expect(text.right - first.right).toBeLessThan(2);
    // The hashtag is one piece, its "#" on the right of the word as Hebrew reads it.
    expect(tag.rects).toBe(1);
    const hash = await boxOf(page, 'he', '#');
    const tagWord = await boxOf(page, 'he', 'מאפייה');
    expect(hash.left).toBeGreaterThanOrEqual(tagWord.right - 1);
  });

  it('lays an Arabic post the same way', async () => {
    const first = await boxOf(page, 'ar', 'مرحبا');
    const second = await boxOf(page, 'ar', 'بالعالم');
    const bang = await boxOf(page, 'ar', '!');
    const tag = await elementBox(page, 'article[data-post-id="ar"] .preview .text bdi.hashtag');
    const emoji = await boxOf(page, 'ar', '🥖');
    expect(second.right).toBeLessThanOrEqual(first.left + 1);
    expect(bang.right).toBeLessThanOrEqual(second.left + 1);
    expect(tag.right).toBeLessThanOrEqual(bang.left + 1);
    expect(emoji.right).toBeLessThanOrEqual(tag.left + 1);
    expect(tag.rects).toBe(1);
  });

  it('keeps a Latin link and an @handle left to right and whole inside a Hebrew line', async () => {
    const start = await boxOf(page, 'mixed', 'מבצע');
    const order = await boxOf(page, 'mixed', 'הזמינו');
    const link = await elementBox(page, 'article[data-post-id="mixed"] .preview .text bdi.link');
    const scheme = await boxOf(page, 'mixed', 'https');
    const path = await boxOf(page, 'mixed', 'sale');
    const tagWord = await boxOf(page, 'mixed', 'ותייגו');
    const mention = await elementBox(page, 'article[data-post-id="mixed"] .preview .text bdi.mention');
    const at = await boxOf(page, 'mixed', '@');
    const handle = await boxOf(page, 'mixed', 'acme_bakery');
    const emoji = await boxOf(page, 'mixed', '🎉');
    expect(order.right).toBeLessThanOrEqual(start.left + 1);
    // Inside the link, left to right.
    expect(link.rects).toBe(1);
    expect(scheme.right).toBeLessThanOrEqual(path.left + 1);
    // The link comes after "הזמינו" in reading order, so it sits to its left; "ותייגו" further left still (or on the next line).
    expect(sameLine(order, link)).toBe(true);
    expect(link.right).toBeLessThanOrEqual(order.left + 1);
    if (sameLine(link, tagWord)) expect(tagWord.right).toBeLessThanOrEqual(link.left + 1);
    // "@acme_bakery" reads left to right, after (left of) "ותייגו".
    expect(mention.rects).toBe(1);
    expect(at.right).toBeLessThanOrEqual(handle.left + 1);
    expect(sameLine(tagWord, mention)).toBe(true);
    expect(mention.right).toBeLessThanOrEqual(tagWord.left + 1);
    if (sameLine(mention, emoji)) expect(emoji.right).toBeLessThanOrEqual(mention.left + 1);
  });

  it('keeps an English post with a Hebrew phrase left to right, its "!" after the word it ends', async () => {
    const fresh = await boxOf(page, 'en', 'Fresh');
    const today = await boxOf(page, 'en', 'today');
    const bang = await boxOf(page, 'en', '!');
    const text = await elementBox(page, 'article[data-post-id="en"] .preview .text');
    expect(fresh.left - text.left).toBeLessThan(2);
    expect(today.left).toBeGreaterThanOrEqual(fresh.right - 1);
    expect(bang.left).toBeGreaterThanOrEqual(today.right - 1);
  });

  it('gives each line of a post its own direction', async () => {
    const text = await elementBox(page, 'article[data-post-id="lines"] .preview .text');
    const hebrew = await boxOf(page, 'lines', 'מחר');
    const hebrewBang = await boxOf(page, 'lines', '!');
    const english = await boxOf(page, 'lines', 'Tomorrow');
    const englishBang = await boxOf(page, 'lines', '!', 1);
    expect(text.right - hebrew.right).toBeLessThan(2);
    expect(hebrewBang.right).toBeLessThanOrEqual(hebrew.left + 1);
    expect(english.left - text.left).toBeLessThan(2);
    expect(englishBang.left).toBeGreaterThanOrEqual(english.right - 1);
  });

  it('gives the first comment, notes, labels and account names their own direction, and the pack’s chrome the pack’s', async () => {
    const comment = await boxOf(page, 'he', 'רוצה', 0, '.extra .text');
    const question = await boxOf(page, 'he', '?', 0, '.extra .text');
    expect(question.right).toBeLessThanOrEqual(comment.left + 1);
    expect(await page.locator('article[data-post-id="he"] bdi.label').allTextContents()).toEqual(['מבצע', 'חנוכה']);
    expect(await page.evaluate(() => getComputedStyle(document.querySelector('header h1') as Element).direction)).toBe('rtl');
    // Every piece of user text is a paragraph or an isolate of its own.
    const unisolated = await page.evaluate(
      () => [...document.querySelectorAll('.text')].filter((el) => el.getAttribute('dir') !== 'auto' || getComputedStyle(el).unicodeBidi !== 'plaintext').length,
    );
    expect(unisolated).toBe(0);
    await screenshot(page, 'approval-pack-hebrew-light');
  });

  it('prints the same order to PDF, and a PDF reader reads the Hebrew and Arabic lines back as written', async () => {
    // Electron's printToPDF in the app is this same Chromium printing this same page.
    const pdf = await page.pdf({ format: 'A4', printBackground: true });
    writeFileSync(join(screenshotDir, 'approval-pack-hebrew.pdf'), pdf);
    const runs = pdfPages(pdf).flat();
    for (const [text, firstWord, secondWord, emoji] of [
      [HEBREW, 'שלום', 'עולם', '🥐'],
      [ARABIC, 'مرحبا', 'بالعالم', '🥖'],
    ] as const) {
      const mark = runs.find((run) => run.visual === emoji) as PdfRun;
      expect(mark).toBeDefined();
      const line = readLine(
        runs.filter((run) => Math.abs(run.y - mark.y) < 2 && Math.abs(run.x - mark.x) < 300),
        'rtl',
      );
      // What copying the line out of the PDF gives: the post as the user wrote it.
      expect(line.text).toBe(text);
      // Left to right on paper: emoji, hashtag, "!", second word, first word.
      const x = (needle: string) => line.xOf(line.text.indexOf(needle));
      expect(x(emoji)).toBeLessThan(x('#'));
      expect(x('#')).toBeLessThan(x('!'));
      expect(x('!')).toBeLessThan(x(secondWord));
      expect(x(secondWord)).toBeLessThan(x(firstWord));
    }
  });

  it('lays the Hebrew post out the same in a pack whose own words are English', async () => {
    const english = await openPage(browser, { viewport: { width: 900, height: 1000 } });
    await english.page.setContent(
      renderApprovalPack({ projectName: 'Acme Bakery', color: '#b45309', lang: 'en', dir: 'ltr', formatTime: (at, zone) => packTimeText(at, zone, 'en'), words, posts: [post('he', HEBREW)] }),
    );
    const first = await boxOf(english.page, 'he', 'שלום');
    const bang = await boxOf(english.page, 'he', '!');
    const emoji = await boxOf(english.page, 'he', '🥐');
    const text = await elementBox(english.page, 'article[data-post-id="he"] .preview .text');
    expect(bang.right).toBeLessThanOrEqual(first.left + 1);
    expect(emoji.right).toBeLessThanOrEqual(bang.left + 1);
    expect(text.right - first.right).toBeLessThan(2);
    expect(await english.page.evaluate(() => getComputedStyle(document.querySelector('header h1') as Element).direction)).toBe('ltr');
    await english.close();
  });

  it('would catch the old layout: without the directions the "!" lands right of the Hebrew words', async () => {
    const old = await openPage(browser, { viewport: { width: 900, height: 1000 } });
    // The pack as it was: one left-to-right page, user text not given its own direction.
    await old.page.setContent(html.replace(/ dir="(auto|rtl)"/g, ' dir="ltr"').replace('unicode-bidi:plaintext;', ''));
    const second = await boxOf(old.page, 'he', 'עולם');
    const bang = await boxOf(old.page, 'he', '!');
    expect(bang.left).toBeGreaterThanOrEqual(second.right - 1);
    // And so would the PDF check: printed, the "!" follows the words on the right.
    const runs = pdfPages(await old.page.pdf({ format: 'A4', printBackground: true })).flat();
    const mark = runs.find((run) => run.visual === '🥐') as PdfRun;
    const line = readLine(runs.filter((run) => Math.abs(run.y - mark.y) < 2 && Math.abs(run.x - mark.x) < 300), 'ltr');
    expect(line.xOf(line.text.indexOf('!'))).toBeGreaterThan(line.xOf(line.text.indexOf('ש')));
    await old.close();
  });
});
