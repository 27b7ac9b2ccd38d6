import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import he from '../../renderer/src/i18n/locales/he.json';
import ru from '../../renderer/src/i18n/locales/ru.json';
import { instantAt } from '../../main/core/calendar/days';
import { openDatabase } from '../../main/services/store/database';
import type { SeededProject } from './support/calendar-seed';
import { seedPublished } from './support/results-seed';
import { launchBrowser, screenshotDir, type PageProblems } from './support/browser';
import { invokeHost, killIfRunning, makeDataDir, removeDataDirs, startHost, type RunningHost } from './support/host';
import { expectMatchesBaseline } from './support/visual';

/**
 * Every page in Hebrew and in Russian, light and dark, kept as visual baselines
 * (tests/e2e/baselines/i18n-<page>-<he|ru>-<light|dark>.png): the calendar's four views, the
 * composer with a post and its previews, accounts, the media library, the image editor with a
 * photo and a text layer, settings, results, the project dialog and the approval-pack dialog. The
 * language and theme are chosen as a user chooses them (settings.update), one page left open
 * while the four looks are taken. The post texts mix Hebrew, Latin, Cyrillic, emoji, hashtags,
 * mentions and links. Beside the pictures, what a mirrored window means is asserted on the DOM:
 * the sidebar on the right, the week running right to left, next pointing left.
 *
 * Deterministic: both clocks at Wednesday 3 March 2027, 10:00 in Jerusalem, the zone fixed, fixed
 * ids for everything that lists in id order, a 1280×800 window, no carets, no animations.
 */

const NOW = Date.UTC(2027, 2, 3, 8, 0);
const ZONE = 'Asia/Jerusalem';
const VIEWPORT = { width: 1280, height: 800 };
const FREEZE_CSS = `*, *::before, *::after { caret-color: transparent !important; animation: none !important; transition: none !important; }`;
const words = { he, ru } as const;
type Lang = keyof typeof words;
type Theme = 'light' | 'dark';
const looks: [Lang, Theme][] = [
  ['he', 'light'],
  ['he', 'dark'],
  ['ru', 'light'],
  ['ru', 'dark'],
];

const PROJECT_ID = '00000000-0000-4000-8000-00000000aa01';
const ACCOUNTS = [
  { id: '00000000-0000-4000-8000-0000000000a1', network: 'mastodon', handle: 'shukbakery@mastodon.social', name: 'מאפיית השוק' },
  { id: '00000000-0000-4000-8000-0000000000a2', network: 'telegram', handle: '@shuk_bakery', name: 'Shuk Bakery 🍞' },
  { id: '00000000-0000-4000-8000-0000000000a3', network: 'bluesky', handle: 'shukbakery.bsky.social', name: 'מאפיית השוק — Shuk' },
];

/** The first is the post opened in the composer: a Hebrew sentence with Latin, emoji, a hashtag, a mention and a link. */
const POSTS: { body: string; day: string; minute: number; status: 'scheduled' | 'draft'; approval: string; labels: string[] }[] = [
  { body: 'חלה טרייה לשבת! 🍞 #מאפייה @shuk_bakery\nהזמנות: https://shuk-bakery.example/order — עד יום חמישי 18:00', day: '2027-03-03', minute: 12 * 60, status: 'scheduled', approval: 'approved', labels: ['מבצע'] },
  { body: 'Sourdough special: 2 כיכרות ב-20 ₪ 🥖 #לחם_טרי #sourdough', day: '2027-03-03', minute: 17 * 60 + 30, status: 'scheduled', approval: 'in_review', labels: [] },
  { body: 'Свежий хлеб каждое утро — приходите! 💪 #хлеб @silagym https://sila-gym.example/join', day: '2027-03-04', minute: 9 * 60, status: 'scheduled', approval: 'approved', labels: ['promo'] },
  { body: 'מתכון: עוגיות שוקולד צ׳יפס 🍪 (recipe in English below) #מתכון', day: '2027-03-05', minute: 8 * 60, status: 'draft', approval: 'draft', labels: ['מתכון'] },
  { body: 'שבת שלום מכולנו 🕯️', day: '2027-03-05', minute: 14 * 60, status: 'scheduled', approval: 'approved', labels: [] },
  { body: 'Weekend offer: two loaves for one 🥐 #bakery', day: '2027-03-06', minute: 10 * 60, status: 'scheduled', approval: 'in_review', labels: ['promo'] },
  { body: 'הכירו את ענת, הקונדיטורית החדשה שלנו 👩‍🍳 @anat.bakes', day: '2027-03-07', minute: 11 * 60, status: 'scheduled', approval: 'approved', labels: [] },
  { body: 'Новинка: ржаной хлеб с тмином 🌾 #новинка', day: '2027-03-09', minute: 13 * 60, status: 'scheduled', approval: 'draft', labels: [] },
  { body: 'פורים שמח! אוזני המן בכל הטעמים 🎭 #פורים https://shuk-bakery.example/purim', day: '2027-03-23', minute: 7 * 60 + 30, status: 'scheduled', approval: 'approved', labels: ['מבצע'] },
  { body: 'Behind the scenes: shaping croissants 🥐', day: '2027-03-16', minute: 16 * 60, status: 'draft', approval: 'draft', labels: [] },
];

let browser: Browser;
let context: BrowserContext;
let host: RunningHost;
let page: Page;
const problems: PageProblems = { messages: [] };
let dataDir: string;
const photoName = 'challah.jpg';
const secondPhoto = 'סופגניות.jpg';
const OPEN_POST_ID = '00000000-0000-4000-8000-0000000b0000';
/** The language the window speaks now: controls are found by their words in it. */
let lang: Lang = 'he';
const w = () => words[lang];
const t = (text: string, values: Record<string, string | number> = {}) => text.replace(/\{\{(\w+)\}\}/g, (_, key: string) => String(values[key] ?? ''));

type Ok<T> = { ok: true; value: T };
async function call<T>(name: string, args: unknown): Promise<T> {
  const reply = (await invokeHost(host, name, args)) as Ok<T> | { ok: false; error: unknown };
  if (!reply.ok) throw new Error(`${name}: ${JSON.stringify(reply.error)}`);
  return reply.value;
}

/** The bakery, its accounts and its March, with fixed ids so every list comes out in the same order. */
function seedStore(): SeededProject {
  const db = openDatabase(join(dataDir, 'outpost.db'));
  try {
    db.prepare(`INSERT INTO projects (id, name, name_key, color, timezone, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)`).run(
      PROJECT_ID,
      'מאפיית השוק · Shuk Bakery',
      'מאפיית השוק · shuk bakery',
      '#c2410c',
      ZONE,
      NOW,
      NOW,
    );
    const insertAccount = db.prepare(
      `INSERT INTO accounts (id, project_id, network, handle, display_name, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'connected', ?, ?)`,
    );
    for (const a of ACCOUNTS) insertAccount.run(a.id, PROJECT_ID, a.network, a.handle, a.name, NOW, NOW);
    const insertPost = db.prepare(
      `INSERT INTO posts (id, project_id, body, labels, status, approval, scheduled_at, timezone, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const insertTarget = db.prepare(`INSERT INTO post_targets (id, post_id, account_id, state) VALUES (?, ?, ?, ?)`);
    POSTS.forEach((p, i) => {
      const id = `00000000-0000-4000-8000-0000000b${String(i).padStart(4, '0')}`;
      insertPost.run(id, PROJECT_ID, p.body, JSON.stringify(p.labels), p.status, p.approval, instantAt(p.day, p.minute, ZONE), ZONE, NOW, NOW);
      // Telegram and Bluesky only: neither is handed a post ahead of its time, and the networks are off.
      const targets = [ACCOUNTS[1], ACCOUNTS[2]].slice(0, 2 - (i % 2)) as typeof ACCOUNTS;
      targets.forEach((a, k) => insertTarget.run(`00000000-0000-4000-8000-0000000c${String(i).padStart(3, '0')}${k}`, id, a.id, p.status === 'scheduled' ? 'scheduled' : 'pending'));
    });
    return { projectId: PROJECT_ID, zone: ZONE, accounts: ACCOUNTS.map(({ id, network, handle }) => ({ id, network, handle })) };
  } finally {
    db.close();
  }
}

/** A drawn photo (a loaf under a sky): the same bytes every run, so the library's sizes and thumbnails are too. */
function photo(sky: string, loaf: string): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="900">
    <defs><linearGradient id="sky" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="${sky}"/><stop offset="1" stop-color="#fde68a"/></linearGradient></defs>
    <rect width="1200" height="900" fill="url(#sky)"/><circle cx="930" cy="210" r="110" fill="#fbbf24"/>
    <rect y="620" width="1200" height="280" fill="#78350f"/><ellipse cx="560" cy="600" rx="360" ry="150" fill="${loaf}"/>
    <path d="M330 560q60-70 120 0M470 540q60-70 120 0M610 540q60-70 120 0" stroke="#fef3c7" stroke-width="18" fill="none"/></svg>`;
  return sharp(Buffer.from(svg)).jpeg({ quality: 85 }).toBuffer();
}

async function importPhoto(fileName: string, bytes: Promise<Buffer>): Promise<string> {
  const jpeg = await bytes;
  const upload = (await (
    await fetch(`${host.origin}/api/upload`, { method: 'POST', headers: { 'content-type': 'application/octet-stream', 'x-outpost-token': host.token }, body: new Uint8Array(jpeg) })
  ).json()) as Ok<{ uploadId: string }>;
  const [outcome] = await call<{ ok: boolean; media: { id: string } }[]>('media.import', { files: [{ uploadId: upload.value.uploadId, fileName }], projectId: PROJECT_ID });
  if (!outcome?.ok) throw new Error(`import of ${fileName} failed: ${JSON.stringify(outcome)}`);
  return outcome.media.id;
}

/** The language and theme as Settings sets them; waits for the window to follow. */
async function setLook(language: Lang, theme: Theme): Promise<void> {
  await call('settings.update', { language, theme });
  await page.locator(`html[lang="${language}"][data-theme="${theme}"]`).waitFor({ state: 'attached' });
  lang = language;
}

/** Fonts and images loaded, focus off any field, scrolled to the top, two frames drawn. */
async function settle(): Promise<void> {
  await page.evaluate(async () => {
    await document.fonts.ready;
    (document.activeElement as HTMLElement | null)?.blur();
    window.scrollTo(0, 0);
    for (const element of document.querySelectorAll('*')) if (element.scrollTop > 0) element.scrollTop = 0;
    await Promise.all([...document.images].map((img) => (img.complete ? undefined : new Promise((resolve) => img.addEventListener('load', resolve, { once: true })))));
  });
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
}

/** The four looks of what is open, each compared with its baseline; `ready` waits for what the page draws late. */
async function shoot(name: string, ready?: () => Promise<void>, target?: () => Locator): Promise<void> {
  for (const [language, theme] of looks) {
    await setLook(language, theme);
    await ready?.();
    await settle();
    await expectMatchesBaseline(target ? target() : page, `i18n-${name}-${language}-${theme}`);
  }
  await setLook('he', 'light');
}

async function go(where: 'calendar' | 'compose' | 'media' | 'editor' | 'results' | 'accounts' | 'settings'): Promise<void> {
  await page.locator(`.nav-link[href="#/${where}"]`).click();
  await page.locator(`.nav-link[href="#/${where}"][aria-current="page"]`).waitFor();
  await page.locator('main h1').waitFor();
}

/**
 * Which way the chevron drawn in the button `target` points, read from its pixels (light theme): at
 * its tip, in the middle of its height, is nearer the side it points to than its arms are.
 */
async function pointing(target: Locator): Promise<'left' | 'right'> {
  // The button's inside, not the glyph's own box: a turned glyph draws past its advance.
  await target.scrollIntoViewIfNeeded();
  const box = await target.boundingBox();
  if (!box) throw new Error(`${target} is not laid out.`);
  const png = await target.page().screenshot({ clip: { x: box.x + 3, y: box.y + 3, width: box.width - 6, height: box.height - 6 }, animations: 'disabled' });
  const { data, info } = await sharp(png)
    .greyscale()
    .raw()
    .toBuffer({ resolveWithObject: true });
  // Ink weighs by how much darker than the background (the lightest pixel) it is.
  const background = Math.max(...data);
  const rows: number[] = [];
  for (let y = 0; y < info.height; y++) for (let x = 0; x < info.width; x++) if (background - (data[y * info.width + x] as number) > 40) rows.push(y);
  if (rows.length < 3) {
    const path = join(screenshotDir, 'i18n-chevron.png');
    mkdirSync(screenshotDir, { recursive: true });
    writeFileSync(path, png);
    throw new Error(`No chevron drawn in ${target}: see ${path}.`);
  }
  // Where the ink sits across in the glyph's middle third (its tip) and in its outer thirds (its arms).
  const top = Math.min(...rows);
  const third = (Math.max(...rows) - top + 1) / 3;
  const sums = { tip: [0, 0], arms: [0, 0] };
  for (let y = 0; y < info.height; y++) {
    const part = y - top >= third && y - top < 2 * third ? sums.tip : sums.arms;
    for (let x = 0; x < info.width; x++) {
      const weight = Math.max(0, background - (data[y * info.width + x] as number));
      part[0] = (part[0] as number) + weight * x;
      part[1] = (part[1] as number) + weight;
    }
  }
  const across = (part: number[]) => (part[0] as number) / Math.max(1, part[1] as number);
  return across(sums.tip) < across(sums.arms) ? 'left' : 'right';
}

/**
 * Where a mention's "@" is drawn beside its name, in the first element under `scope` whose text has
 * it: a mention read in its own direction has its "@" on the left of the name, in a Hebrew line too.
 */
async function mentionReadsInOrder(scope: Locator, mention: string): Promise<boolean> {
  return scope.evaluate((root, needle) => {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const at = (node.textContent ?? '').indexOf(needle);
      if (at === -1) continue;
      const box = (from: number, to: number) => {
        const range = document.createRange();
        range.setStart(node as Text, from);
        range.setEnd(node as Text, to);
        return range.getBoundingClientRect();
      };
      return box(at, at + 1).right <= box(at + 1, at + needle.length).left + 1;
    }
    throw new Error(`no ${needle} under ${root.className}`);
  }, mention);
}

const calendarReady = () => page.locator('.calendar[data-state="ready"]').waitFor();

async function calendarView(view: 'month' | 'week' | 'day' | 'list'): Promise<void> {
  await page.locator('.segmented .segment').nth(['month', 'week', 'day', 'list'].indexOf(view)).click();
  await page.locator(`.calendar[data-view="${view}"][data-state="ready"]`).waitFor();
}

beforeAll(async () => {
  browser = await launchBrowser();
  dataDir = makeDataDir();
  const project = seedStore();
  // A month of results up to yesterday; posts published at 09:00, 12:00 and 18:00 in the project's zone.
  seedPublished(dataDir, project, { count: 45, days: 30, readings: 6, now: NOW });
  host = await startHost({ dataDir, env: { OUTPOST_CLOCK_OFFSET_MS: String(NOW - Date.now()) } });
  // The composer's post carries both photos, the Hebrew-named one second (its "earlier" arrow is checked).
  const media = [await importPhoto(photoName, photo('#38bdf8', '#c2410c')), await importPhoto(secondPhoto, photo('#818cf8', '#d97706'))];
  const post = await call<{ revision: number }>('posts.get', { id: OPEN_POST_ID });
  await call('posts.update', { id: OPEN_POST_ID, revision: post.revision, media });
  await call('settings.update', { language: 'he', theme: 'light', activeProjectId: PROJECT_ID });
  context = await browser.newContext({
    viewport: VIEWPORT,
    locale: 'en-US',
    timezoneId: ZONE,
    reducedMotion: 'reduce',
    // The injected style that hides carets and stops animations is inline: the app's CSP would refuse it.
    bypassCSP: true,
  });
  await context.addInitScript((css: string) => {
    document.addEventListener('DOMContentLoaded', () => {
      const style = document.createElement('style');
      style.textContent = css;
      document.head.append(style);
    });
  }, FREEZE_CSS);
  page = await context.newPage();
  page.setDefaultTimeout(10_000);
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.messages.push(`console.${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (error) => problems.messages.push(`uncaught: ${error.message}`));
  await page.clock.setFixedTime(NOW);
  await page.goto(host.url);
  await page.locator('html[lang="he"][dir="rtl"]').waitFor({ state: 'attached' });
  await calendarReady();
}, 60_000);

afterAll(async () => {
  await context?.close();
  await browser?.close();
  killIfRunning(host);
  removeDataDirs();
});

describe('every page in Hebrew and Russian, light and dark', () => {
  it('mirrors the window in Hebrew: the sidebar on the right, the week from the right, next pointing left', async () => {
    await go('calendar');
    await calendarView('week');
    const sidebar = (await page.locator('.sidebar').boundingBox()) as { x: number; width: number };
    const main = (await page.locator('main').boundingBox()) as { x: number; width: number };
    expect(sidebar.x).toBeGreaterThan(main.x);
    expect(sidebar.x + sidebar.width).toBeCloseTo(VIEWPORT.width, 0);
    // The week's first day (Sunday in Hebrew) is its rightmost column.
    const days = await page.locator('[data-drop-col]').evaluateAll((cells) =>
      cells.map((c) => ({ day: c.getAttribute('data-drop-col') ?? '', x: c.getBoundingClientRect().x })),
    );
    const columns = [...new Map(days.map((d) => [d.day, d.x])).entries()].sort(([a], [b]) => a.localeCompare(b));
    expect(columns.length).toBeGreaterThanOrEqual(7);
    for (let i = 1; i < columns.length; i++) expect((columns[i] as [string, number])[1]).toBeLessThan((columns[i - 1] as [string, number])[1]);
    // "Next" is on the left and its chevron points left (a mirrored ›).
    const next = page.getByRole('button', { name: w().calendar.next.week });
    const previous = page.getByRole('button', { name: w().calendar.previous.week });
    expect(((await next.boundingBox()) as { x: number }).x).toBeLessThan(((await previous.boundingBox()) as { x: number }).x);
    expect(await pointing(next)).toBe('left');
    expect(await pointing(previous)).toBe('right');
    // And the other way round in Russian, left to right.
    await setLook('ru', 'light');
    expect(await pointing(page.getByRole('button', { name: w().calendar.next.week }))).toBe('right');
    expect(await pointing(page.getByRole('button', { name: w().calendar.previous.week }))).toBe('left');
    await setLook('he', 'light');
  });

  it('the calendar: month, week, day and list', async () => {
    await go('calendar');
    for (const view of ['month', 'week', 'day', 'list'] as const) {
      await calendarView(view);
      if (view === 'list') {
        // After Hebrew words "@anat.bakes" once read "anat.bakes@".
        expect(await mentionReadsInOrder(page.locator('.calendar-body'), '@anat.bakes')).toBe(true);
      }
      await shoot(`calendar-${view}`, calendarReady);
    }
  });

  it('the approval pack dialog', async () => {
    await calendarView('month');
    await page.getByRole('button', { name: w().calendar.share.open }).click();
    await page.getByRole('dialog').waitFor();
    await shoot('approval-pack');
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'detached' });
  });

  it('the composer with a post open and its previews', async () => {
    await go('compose');
    // The list shows drafts first; this post is scheduled.
    await page.locator('#post-filter').selectOption('all');
    await page.locator('.post-item').filter({ hasText: 'חלה טרייה' }).first().click();
    await expect.poll(() => page.getByRole('textbox', { name: w().compose.editor.post }).inputValue()).toContain('חלה טרייה');
    await page.locator('.preview').first().waitFor();
    // Moving a photo earlier moves it toward the line's start: on the right in Hebrew, so its arrow points right.
    const earlier = page.getByRole('button', { name: t(w().compose.media.earlier, { name: secondPhoto }) });
    expect(await pointing(earlier)).toBe('right');
    // The mention after the Hebrew words reads as written in the previews.
    expect(await mentionReadsInOrder(page.locator('.preview').first(), '@shuk_bakery')).toBe(true);
    await shoot('compose', () => page.locator('.preview img').first().waitFor());
  });

  it('accounts', async () => {
    await go('accounts');
    await page.locator('.account-list').waitFor();
    // Whether this machine's keychain answers shows a warning above the list (tested elsewhere): not part of the picture.
    await page.evaluate(() => {
      for (const warning of document.querySelectorAll<HTMLElement>('.keychain-warning')) warning.style.display = 'none';
    });
    await shoot('accounts');
  });

  it('the media library', async () => {
    await go('media');
    await page.locator('main img').nth(1).waitFor();
    await shoot('media');
  });

  it('the image editor with a photo, a Hebrew text layer and its panels', async () => {
    await go('editor');
    await page.getByRole('button', { name: t(w().editor.start.edit, { name: photoName }) }).click();
    const toolbar = page.getByRole('toolbar', { name: w().editor.toolbar.label });
    await toolbar.waitFor();
    await toolbar.getByRole('button', { name: w().editor.tools.text, exact: true }).click();
    const canvas = (await page.locator('.upper-canvas').boundingBox()) as { x: number; y: number; width: number; height: number };
    await page.mouse.click(canvas.x + canvas.width * 0.5, canvas.y + canvas.height * 0.4);
    await page.keyboard.type('מבצע קיץ Summer');
    await page.keyboard.press('Escape');
    await page.getByRole('list', { name: w().editor.layers.list }).getByRole('listitem').first().waitFor();
    await shoot('editor');
  });

  it('settings', async () => {
    await go('settings');
    await shoot('settings');
  });

  it('results', async () => {
    await go('results');
    await page.locator('.results[data-state="ready"]').waitFor();
    await page.locator('.results select').first().selectOption('last30');
    const painted = async () => {
      await page.waitForFunction(() => document.querySelector('.results[data-state="ready"]') !== null && [...document.querySelectorAll<HTMLElement>('.results-plot')].every((p) => p.dataset.painted === 'true'));
    };
    await painted();
    await shoot('results', painted);
  });

  it('the project dialog', async () => {
    await page.getByRole('button', { name: w().projects.edit }).click();
    await page.getByRole('dialog').waitFor();
    await shoot('project-dialog');
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'detached' });
  });

  it('left nothing red in the console', () => {
    expect(problems.messages).toEqual([]);
  });
});
