import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Download, Locator, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import en from '../../renderer/src/i18n/locales/en.json';
import { openDatabase } from '../../main/services/store/database';
import type { SeededProject } from './support/calendar-seed';
import { launchBrowser, screenshot, type PageProblems } from './support/browser';
import { invokeHost, killIfRunning, makeDataDir, removeDataDirs, startHost, type RunningHost } from './support/host';
import { expectMatchesBaseline } from './support/visual';

/**
 * A freelancer's first week, in Chromium against the browser host, with the networks switched off
 * (accounts seeded, no sign-in, only Telegram and Bluesky as targets so nothing is handed to a
 * server ahead of time): a Hebrew bakery in Asia/Jerusalem and a Russian gym in Europe/Moscow,
 * both made from the empty calendar's first-project button (the bakery keeps the system's zone,
 * the gym's is searched by city). The bakery's queue is set for the whole project, a Hebrew post with emoji, a hashtag, a link and
 * the bakery's own image is scheduled, another is added to the queue, the gym's Russian post is
 * written (its library offers none of the bakery's files), scheduled and edited, and the bakery's
 * March goes out as a CSV and an approval pack read in Chromium. The composer, the calendar (light
 * and dark), the approval pack and the accounts page are kept as visual baselines.
 *
 * Deterministic screens: both clocks stand at Friday 26 February 2027, 10:00 in Jerusalem (the
 * host's moved there with OUTPOST_CLOCK_OFFSET_MS, the page's fixed with page.clock), the user's
 * own zone and locale are fixed (Asia/Jerusalem, en-GB: 24-hour, weeks from Monday), the window is
 * 1440×1000, carets and animations are off, and everything planned is in March 2027.
 */

const NOW = Date.UTC(2027, 1, 26, 8, 0);
const MONTH = '2027-03';
const VIEWPORT = { width: 1440, height: 1000 };
const FREEZE_CSS = `*, *::before, *::after { caret-color: transparent !important; animation: none !important; transition: none !important; }`;

const HEBREW = 'חלה טרייה לשבת! #מאפייה 🍞\nהזמנות: https://shuk-bakery.example/order';
const HEBREW_QUEUED = 'שבת שלום מכולנו 🕯️';
const RUSSIAN = 'Новая группа по кроссфиту! 💪 #спорт\nЗапись: https://sila-gym.example/join';
const RUSSIAN_EDITED = 'Новая группа по кроссфиту с 8 марта! 💪 #спорт\nЗапись: https://sila-gym.example/join';

let browser: Browser;
let context: BrowserContext;
let host: RunningHost;
let page: Page;
const problems: PageProblems = { messages: [] };
let dataDir: string;
let bakery: SeededProject;
let gym: SeededProject;
const work = mkdtempSync(join(tmpdir(), 'outpost-first-week-'));

/**
 * A client's accounts, written straight into the store (connecting one needs the network, which
 * other tests fake), with fixed ids: lists ordered by id (free slots, network marks) come out the same every run.
 */
function seedAccounts(dataDir: string, projectId: string, zone: string, key: string, handle: string): SeededProject {
  const db = openDatabase(join(dataDir, 'outpost.db'));
  try {
    db.pragma('busy_timeout = 5000');
    const accounts = [
      { id: `00000000-0000-4000-8000-${key}0000000001`, network: 'mastodon', handle: `${handle}@mastodon.social` },
      { id: `00000000-0000-4000-8000-${key}0000000002`, network: 'telegram', handle: `@${handle}` },
      { id: `00000000-0000-4000-8000-${key}0000000003`, network: 'bluesky', handle: `${handle}.bsky.social` },
    ];
    const insert = db.prepare(
      `INSERT INTO accounts (id, project_id, network, handle, display_name, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'connected', ?, ?)`,
    );
    for (const a of accounts) insert.run(a.id, projectId, a.network, a.handle, a.handle, NOW, NOW);
    return { projectId, zone, accounts };
  } finally {
    db.close();
  }
}

/** The project dialog: a name, a colour, and the zone left as the system's or searched by city. */
async function createProject(name: string, colour: string, city: string | null, zone: string): Promise<void> {
  const dialog = page.getByRole('dialog', { name: en.projects.dialogNew });
  await dialog.getByLabel(en.projects.name, { exact: true }).fill(name);
  await dialog.getByRole('radio', { name: colour }).check();
  if (city) {
    await dialog.getByRole('combobox', { name: en.projects.timezone }).fill(city);
    await dialog.locator(`[role="option"][data-zone="${zone}"]`).click();
  }
  await dialog.getByRole('button', { name: en.projects.create }).click();
  await dialog.waitFor({ state: 'detached' });
}

type Ok<T> = { ok: true; value: T };
async function call<T>(name: string, args: unknown): Promise<T> {
  const reply = (await invokeHost(host, name, args)) as Ok<T> | { ok: false; error: unknown };
  if (!reply.ok) throw new Error(`${name}: ${JSON.stringify(reply.error)}`);
  return reply.value;
}

const t = (text: string, values: Record<string, string | number>) => text.replace(/\{\{(\w+)\}\}/g, (_, key: string) => String(values[key] ?? ''));
// The seeded accounts: Mastodon, Telegram, Bluesky. Telegram and Bluesky have no server-side scheduling.
const telegram = (p: SeededProject) => p.accounts[1] as { id: string; handle: string };
const bluesky = (p: SeededProject) => p.accounts[2] as { id: string; handle: string };
const accountBox = (network: 'Telegram' | 'Bluesky', handle: string) => page.getByRole('checkbox', { name: t(en.compose.targets.account, { network, handle }) });

const saved = () => page.getByRole('status').filter({ hasText: en.compose.save.saved });
const postText = () => page.getByRole('textbox', { name: en.compose.editor.post });
const timeField = () => page.locator('#post-time');
const postList = () => page.getByRole('region', { name: en.compose.list.title });
const nav = (name: string) => page.getByRole('navigation', { name: en.nav.label }).getByRole('link', { name });

async function chooseProject(name: string): Promise<void> {
  await page.getByRole('combobox', { name: en.projects.switcherLabel }).selectOption({ label: name });
}

async function openCompose(): Promise<void> {
  await nav(en.nav.compose).click();
  await page.getByRole('heading', { level: 1, name: en.pages.compose.title }).waitFor();
}

async function openCalendarMonth(): Promise<void> {
  await nav(en.nav.calendar).click();
  await page.getByRole('heading', { level: 1, name: en.pages.calendar.title }).waitFor();
  await page.getByRole('radio', { name: en.calendar.views.month }).click();
  await page.getByLabel(en.calendar.jump).first().fill(`${MONTH}-01`);
  await page.locator(`.month[data-month="${MONTH}"]`).waitFor();
  await page.locator('.calendar[data-state="ready"]').waitFor();
}

/** A new post in the open project: its accounts ticked, its text typed, saved. */
async function newPost(project: SeededProject, body: string): Promise<void> {
  await page.getByRole('button', { name: en.compose.list.new }).click();
  // The new draft is open (not the post before it, whose "saved" may still show) before anything is ticked.
  const current = postList().locator('.post-item[aria-current="true"]');
  await current.filter({ hasText: en.compose.list.untitled }).waitFor();
  await expect.poll(() => postText().inputValue()).toBe('');
  await saved().waitFor();
  for (const box of [accountBox('Telegram', telegram(project).handle), accountBox('Bluesky', bluesky(project).handle)]) {
    await box.check();
    await expect.poll(() => box.isChecked()).toBe(true);
  }
  await postText().fill(body);
  await expect.poll(() => current.textContent()).toContain(body.slice(0, 8));
  await saved().waitFor();
}

async function schedule(local: string): Promise<void> {
  await timeField().fill(local);
  await page.getByRole('button', { name: en.compose.schedule.schedule, exact: true }).click();
  await expect.poll(() => page.locator('.composer-head .status-badge').textContent()).toBe(en.compose.status.scheduled);
  await saved().waitFor();
}

/** Fonts loaded, focus off any field (a focused date field highlights a part), scrolled to the top, two frames drawn. */
async function settle(): Promise<void> {
  await page.evaluate(async () => {
    await document.fonts.ready;
    (document.activeElement as HTMLElement | null)?.blur();
    window.scrollTo(0, 0);
    for (const element of document.querySelectorAll('*')) if (element.scrollTop > 0) element.scrollTop = 0;
  });
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
}

async function importImage(project: SeededProject, fileName: string): Promise<void> {
  const bytes = await sharp({ create: { width: 1200, height: 900, channels: 3, background: '#c2773a' } }).jpeg().toBuffer();
  const upload = (await (
    await fetch(`${host.origin}/api/upload`, { method: 'POST', headers: { 'content-type': 'application/octet-stream', 'x-outpost-token': host.token }, body: bytes })
  ).json()) as Ok<{ uploadId: string }>;
  const [outcome] = await call<{ ok: boolean }[]>('media.import', { files: [{ uploadId: upload.value.uploadId, fileName }], projectId: project.projectId });
  expect(outcome?.ok).toBe(true);
}

async function saveFrom(dialog: Locator, button: string): Promise<{ name: string; bytes: Buffer }> {
  const [download] = (await Promise.all([page.waitForEvent('download'), dialog.getByRole('button', { name: button }).click()])) as [Download, void];
  const file = join(work, download.suggestedFilename());
  await download.saveAs(file);
  return { name: download.suggestedFilename(), bytes: readFileSync(file) };
}

beforeAll(async () => {
  browser = await launchBrowser();
  dataDir = makeDataDir();
  host = await startHost({ dataDir, env: { OUTPOST_CLOCK_OFFSET_MS: String(NOW - Date.now()) } });
  context = await browser.newContext({
    viewport: VIEWPORT,
    locale: 'en-GB',
    timezoneId: 'Asia/Jerusalem',
    colorScheme: 'light',
    reducedMotion: 'reduce',
    acceptDownloads: true,
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
});

afterAll(async () => {
  await context?.close();
  await browser?.close();
  killIfRunning(host);
  removeDataDirs();
  rmSync(work, { recursive: true, force: true });
});

describe("a freelancer's first week, two clients", () => {
  it('starts from an empty calendar that offers the first project; a zone defaults to the system’s or is found by city', async () => {
    await page.getByRole('heading', { name: en.calendar.firstLaunch.title }).waitFor();
    await page.getByRole('button', { name: en.projects.emptyTitle }).click();
    // The user's own zone is Asia/Jerusalem (the browser context's): the bakery keeps it.
    await createProject('Shuk Bakery', 'Orange', null, 'Asia/Jerusalem');
    await page.getByRole('button', { name: en.projects.new, exact: true }).first().click();
    await createProject('Sila Gym', 'Blue', 'Moscow', 'Europe/Moscow');
    const projects = await call<{ id: string; name: string; timezone: string }[]>('projects.list', {});
    const find = (name: string) => projects.find((p) => p.name === name) as { id: string; timezone: string };
    expect(find('Shuk Bakery').timezone).toBe('Asia/Jerusalem');
    expect(find('Sila Gym').timezone).toBe('Europe/Moscow');
    // Accounts connected out of band (no network here), then the page reloaded to pick them up.
    bakery = seedAccounts(dataDir, find('Shuk Bakery').id, 'Asia/Jerusalem', '0a', 'shukbakery');
    gym = seedAccounts(dataDir, find('Sila Gym').id, 'Europe/Moscow', '0b', 'silagym');
    await page.reload();
    await page.getByRole('combobox', { name: en.projects.switcherLabel }).waitFor();
  });

  it('sets the bakery’s queue for the whole project, and the free slots show at once', async () => {
    await chooseProject('Shuk Bakery');
    await openCalendarMonth();
    const slots = page.getByRole('region', { name: en.calendar.slots.title });
    await slots.getByText(en.calendar.slots.empty).waitFor();

    await page.getByRole('button', { name: en.calendar.queue.open, exact: true }).click();
    const dialog = page.getByRole('dialog', { name: en.calendar.queue.title });
    await dialog.getByRole('combobox', { name: new RegExp(`^${en.calendar.queue.account}`) }).selectOption({ label: en.calendar.queue.wholeProject });
    await dialog.getByRole('checkbox', { name: 'Mon' }).check();
    await dialog.getByRole('checkbox', { name: 'Wed' }).check();
    await dialog.getByLabel(en.calendar.queue.times).fill('09:00');
    await dialog.getByRole('button', { name: en.calendar.queue.save }).click();
    await dialog.getByText(en.calendar.queue.saved).waitFor();
    await dialog.getByRole('button', { name: en.calendar.close, exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
    // Without a reload: Monday 1 and Wednesday 3 March, for each of the three accounts.
    await expect.poll(() => slots.locator('.slot-list li').count()).toBe(6);
  });

  it('schedules a Hebrew post with emoji, a hashtag, a link and the bakery’s own image', async () => {
    await importImage(bakery, 'Challah.jpg');
    await openCompose();
    await newPost(bakery, HEBREW);
    await page.getByRole('button', { name: en.compose.media.attach }).click();
    const library = page.getByRole('dialog', { name: en.compose.library.title });
    await library.getByRole('checkbox', { name: 'Challah.jpg' }).check();
    await library.getByRole('button', { name: t(en.compose.library.attach_one, { count: 1 }) }).click();
    await library.waitFor({ state: 'detached' });
    await schedule(`${MONTH}-03T10:00`);
    // The post list gives the date in the project's zone.
    const current = postList().locator('.post-item[aria-current="true"]');
    await expect.poll(() => current.locator('.post-when').textContent()).toBe('Wed, Mar 3, 10:00');
    await expect.poll(() => page.locator('.preview img').evaluateAll((imgs) => imgs.length > 0 && imgs.every((i) => (i as HTMLImageElement).naturalWidth > 0))).toBe(true);
    await settle();
    await expectMatchesBaseline(page, 'first-week-composer-hebrew-light');
  });

  it('adds another to the queue: the confirmation names the slot, the time field shows it', async () => {
    await newPost(bakery, HEBREW_QUEUED);
    await page.getByRole('button', { name: en.compose.schedule.queue }).click();
    const note = page.locator('.notice.queued');
    await note.waitFor();
    expect(await note.textContent()).toMatch(/^Queued for Mon, Mar 1, 09:00\./);
    await expect.poll(() => timeField().inputValue()).toBe(`${MONTH}-01T09:00`);
    const current = postList().locator('.post-item[aria-current="true"]');
    await expect.poll(() => current.locator('.post-when').textContent()).toBe('Mon, Mar 1, 09:00');
  });

  it('writes the gym’s Russian post: its library offers none of the bakery’s files; scheduled, then edited', async () => {
    await chooseProject('Sila Gym');
    await newPost(gym, RUSSIAN);
    await page.getByRole('button', { name: en.compose.media.attach }).click();
    const library = page.getByRole('dialog', { name: en.compose.library.title });
    await library.getByText(en.compose.library.empty).waitFor();
    expect(await library.getByRole('checkbox', { name: 'Challah.jpg' }).count()).toBe(0);
    await page.keyboard.press('Escape');
    await library.waitFor({ state: 'detached' });
    await schedule(`${MONTH}-05T19:00`);

    // Edited: a date in the text and an hour later; the list follows.
    await postText().fill(RUSSIAN_EDITED);
    await saved().waitFor();
    await timeField().fill(`${MONTH}-05T20:00`);
    await saved().waitFor();
    const current = postList().locator('.post-item[aria-current="true"]');
    await expect.poll(() => current.locator('.post-when').textContent()).toBe('Fri, Mar 5, 20:00');
    await expect.poll(() => current.textContent()).toContain('с 8 марта');
    const stored = await call<{ excerpt: string; status: string; scheduledAt: number | null }[]>('posts.list', { projectId: gym.projectId, statuses: ['draft', 'scheduled'] });
    expect(stored).toHaveLength(1);
    expect(stored[0]?.excerpt).toContain('с 8 марта');
    expect(stored[0]?.status).toBe('scheduled');
    // 20:00 in Moscow is 17:00 UTC.
    expect(stored[0]?.scheduledAt).toBe(Date.UTC(2027, 2, 5, 17, 0));
  });

  it('shows the bakery’s March in the calendar, the queued slot taken, light and dark', async () => {
    await chooseProject('Shuk Bakery');
    await openCalendarMonth();
    const cell = (day: string) => page.locator(`[data-drop-day="${day}"]`);
    await cell(`${MONTH}-03`).getByRole('button', { name: /חלה טרייה/ }).waitFor();
    await cell(`${MONTH}-01`).getByRole('button', { name: /שבת שלום/ }).waitFor();
    // The queued post took Monday's slot on both its accounts: four free slots left this week.
    await expect.poll(() => page.getByRole('region', { name: en.calendar.slots.title }).locator('.slot-list li').count()).toBe(4);
    await page.getByRole('region', { name: en.calendar.drafts.title }).getByText(en.calendar.drafts.empty).waitFor();
    await settle();
    await expectMatchesBaseline(page, 'first-week-calendar-month-light');
    await page.emulateMedia({ colorScheme: 'dark' });
    await settle();
    await expectMatchesBaseline(page, 'first-week-calendar-month-dark');
    await page.emulateMedia({ colorScheme: 'light' });
  });

  it('exports the bakery’s March: a CSV with a byte-order mark, and an approval pack laid out right to left', async () => {
    await page.getByRole('button', { name: en.calendar.share.open }).click();
    const dialog = page.getByRole('dialog', { name: en.calendar.share.title });
    await dialog.getByRole('radio', { name: en.calendar.share.scope.range }).check();
    await dialog.getByLabel(en.calendar.share.from).fill(`${MONTH}-01`);
    await dialog.getByLabel(en.calendar.share.to, { exact: true }).fill(`${MONTH}-31`);
    const csv = await saveFrom(dialog, en.calendar.share.csv);
    expect(csv.name).toBe(`Shuk Bakery — ${MONTH}-01 to ${MONTH}-31.csv`);
    expect([...csv.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(csv.bytes.toString('utf8')).toContain('חלה טרייה לשבת! #מאפייה 🍞');
    expect(csv.bytes.toString('utf8')).not.toContain('кроссфит');

    const pack = await saveFrom(dialog, en.calendar.share.packHtml);
    expect(pack.name).toBe(`Shuk Bakery — approval pack — ${MONTH}-01 to ${MONTH}-31.html`);
    await dialog.getByRole('button', { name: en.calendar.close }).first().click();

    const reader = await context.newPage();
    await reader.setContent(pack.bytes.toString('utf8'));
    await reader.evaluate(() => document.fonts.ready);
    // Where the glyphs land on the first line of the Hebrew post: right to left, "!" and the emoji at the left end.
    const line = await reader.evaluate(() => {
      const text = [...document.querySelectorAll('.preview .text')].find((e) => e.textContent?.includes('חלה'));
      if (!text) throw new Error('no Hebrew post in the pack');
      const boxOf = (needle: string) => {
        const walker = document.createTreeWalker(text, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          const at = (node.textContent ?? '').indexOf(needle);
          if (at === -1) continue;
          const range = document.createRange();
          range.setStart(node, at);
          range.setEnd(node, at + needle.length);
          const box = range.getBoundingClientRect();
          return { left: box.left, right: box.right, top: box.top };
        }
        throw new Error(`no ${needle}`);
      };
      const outer = text.getBoundingClientRect();
      return { right: outer.right, first: boxOf('חלה'), bang: boxOf('!'), tag: boxOf('#מאפייה'), emoji: boxOf('🍞') };
    });
    expect(line.right - line.first.right).toBeLessThan(4);
    expect(line.bang.right).toBeLessThanOrEqual(line.first.left + 1);
    expect(line.tag.right).toBeLessThanOrEqual(line.bang.left + 1);
    expect(line.emoji.right).toBeLessThanOrEqual(line.tag.left + 1);
    for (const box of [line.bang, line.tag, line.emoji]) expect(Math.abs(box.top - line.first.top)).toBeLessThan(6);
    await expectMatchesBaseline(reader, 'first-week-approval-pack-hebrew', { fullPage: true });
    await reader.close();
  });

  it('lists the bakery’s accounts on the accounts page', async () => {
    await nav(en.nav.accounts).click();
    await page.getByRole('heading', { level: 1, name: en.pages.accounts.title }).waitFor();
    const list = page.getByRole('region', { name: t(en.accounts.listHeading, { project: 'Shuk Bakery' }) });
    await list.getByText(telegram(bakery).handle).first().waitFor();
    await page.locator('.account-list').waitFor();
    await settle();
    await screenshot(page, 'first-week-accounts-page');
    // Whether this machine's keychain answers (the warning and the connect buttons above the list; they have
    // their own test) must not move the list by a fraction of a pixel: the baseline is the list, laid out alone.
    await page.evaluate(() => {
      for (const above of document.querySelectorAll<HTMLElement>('.keychain-warning, .accounts-section:not(:has(.account-list))')) above.style.display = 'none';
    });
    await settle();
    await expectMatchesBaseline(list, 'first-week-accounts-light');
  });

  it('left nothing red in the console', () => {
    expect(problems.messages).toEqual([]);
  });
});
