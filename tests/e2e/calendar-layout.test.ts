import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../../main/core/calendar/days';
import en from '../../renderer/src/i18n/locales/en.json';
import { nextMonth, seedPosts, seedProject, type SeededProject } from './support/calendar-seed';
import { launchBrowser, openPage, screenshot, type PageProblems } from './support/browser';
import { invokeHost, killIfRunning, makeDataDir, removeDataDirs, startHost, type RunningHost } from './support/host';

/**
 * The calendar's frame in Chromium: the first launch leads to a project; chips show their networks,
 * a thumbnail that loads and a "Draft" badge; the month keeps readable chips with the post panel
 * open; Filters open without moving the toolbar; the sidebar stays in view on a long page. Looked at
 * in light, dark and right-to-left.
 */

const ZONE = 'Europe/Berlin';
const month = nextMonth(ZONE);
let browser: Browser;
const hosts: RunningHost[] = [];
const closers: (() => Promise<void>)[] = [];

type Ok<T> = { ok: true; value: T };

beforeAll(async () => {
  browser = await launchBrowser();
});

afterAll(async () => {
  for (const close of closers) await close();
  await browser?.close();
  for (const host of hosts) killIfRunning(host);
  removeDataDirs();
});

async function open(host: RunningHost, colorScheme: 'light' | 'dark', viewport = { width: 1440, height: 900 }): Promise<{ page: Page; problems: PageProblems }> {
  const opened = await openPage(browser, { colorScheme, viewport });
  closers.push(opened.close);
  await opened.page.goto(host.url);
  await opened.page.getByRole('heading', { level: 1, name: en.pages.calendar.title }).waitFor();
  return opened;
}

async function rtl(page: Page): Promise<void> {
  await page.evaluate(() => {
    document.documentElement.dir = 'rtl';
  });
}

describe('the first launch', () => {
  it('offers to create the first project in the main area; the button opens the project dialog', async () => {
    const host = await startHost();
    hosts.push(host);
    for (const scheme of ['light', 'dark'] as const) {
      const { page, problems } = await open(host, scheme);
      const main = page.getByRole('main');
      await main.getByRole('heading', { level: 2, name: en.calendar.firstLaunch.title }).waitFor();
      await screenshot(page, `first-launch-${scheme}`);
      if (scheme === 'dark') {
        await rtl(page);
        await screenshot(page, 'first-launch-rtl');
      }
      await main.getByRole('button', { name: en.projects.emptyTitle }).click();
      await page.getByRole('dialog', { name: en.projects.dialogNew }).waitFor();
      expect(problems.messages).toEqual([]);
    }
  });
});

describe('the calendar with posts', () => {
  let host: RunningHost;
  let project: SeededProject;
  const day = addDays(`${month}-01`, 9);

  async function call<T>(name: string, args: unknown): Promise<T> {
    const result = (await invokeHost(host, name, args)) as Ok<T> | { ok: false; error: unknown };
    if (!result.ok) throw new Error(`${name}: ${JSON.stringify(result.error)}`);
    return result.value;
  }

  async function importImage(): Promise<string> {
    const bytes = await sharp({ create: { width: 640, height: 480, channels: 3, background: '#e0a050' } }).jpeg().toBuffer();
    const upload = (await (
      await fetch(`${host.origin}/api/upload`, { method: 'POST', headers: { 'content-type': 'application/octet-stream', 'x-outpost-token': host.token }, body: bytes })
    ).json()) as Ok<{ uploadId: string }>;
    const [outcome] = await call<{ ok: boolean; media: { id: string } }[]>('media.import', { files: [{ uploadId: upload.value.uploadId, fileName: 'bread.jpg' }] });
    if (!outcome?.ok) throw new Error(`import failed: ${JSON.stringify(outcome)}`);
    return outcome.media.id;
  }

  async function showMonth(page: Page): Promise<void> {
    await page.getByLabel(en.calendar.jump).first().fill(`${month}-01`);
    await page.locator(`.month[data-month="${month}"]`).waitFor();
    await page.locator('.calendar[data-state="ready"]').waitFor();
  }

  beforeAll(async () => {
    const dataDir = makeDataDir();
    project = seedProject(dataDir, 'Acme Bakery', ZONE);
    seedPosts(dataDir, project, month, 1, 90);
    host = await startHost({ dataDir });
    hosts.push(host);
    const media = await importImage();
    const [mastodon, telegram] = project.accounts;
    const targets = [{ accountId: mastodon?.id }, { accountId: telegram?.id }];
    const post = await call<{ id: string; revision: number }>('posts.create', { projectId: project.projectId, body: 'Bread with a picture', local: `${day}T06:00`, targets, media: [media] });
    await call('posts.schedule', { id: post.id, revision: post.revision });
    await call('posts.create', { projectId: project.projectId, body: 'A draft with a time', local: `${day}T06:30`, targets });
  });

  it('draws networks, a loaded thumbnail and a Draft badge on the chips; month, panel and week looked at', async () => {
    for (const scheme of ['light', 'dark'] as const) {
      const { page, problems } = await open(host, scheme);
      await showMonth(page);
      const photo = page.getByRole('button', { name: /(Mastodon, Telegram|Telegram, Mastodon): Bread with a picture/ });
      await photo.waitFor();
      expect((await photo.locator('.network-mark').evaluateAll((marks) => marks.map((m) => m.getAttribute('aria-label')))).sort()).toEqual(['Mastodon', 'Telegram']);
      const thumb = photo.locator('img.post-thumb');
      await expect.poll(() => thumb.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0), { timeout: 5_000 }).toBe(true);
      const draft = page.getByRole('button', { name: /A draft with a time \(Draft,/ });
      expect(await draft.locator('.post-draft').textContent()).toBe(en.calendar.status.draft);

      // The panel beside the month: the chips keep room for their text.
      await photo.click();
      await page.getByRole('button', { name: en.calendar.panel.close }).waitFor();
      await page.locator('.month .post-chip .post-text').first().waitFor();
      const widths = await page.locator('.month .post-chip .post-text').evaluateAll((spans) => spans.map((s) => s.getBoundingClientRect().width));
      widths.sort((a, b) => a - b);
      await screenshot(page, `calendar-layout-month-panel-${scheme}`);
      expect(widths[Math.floor(widths.length / 2)], `median text width of ${widths.length} chips`).toBeGreaterThan(40);
      if (scheme === 'dark') {
        await rtl(page);
        await screenshot(page, 'calendar-layout-month-panel-rtl');
        await page.evaluate(() => document.documentElement.removeAttribute('dir'));
      }
      await page.getByRole('button', { name: en.calendar.panel.close }).click();

      await page.getByRole('radio', { name: en.calendar.views.week }).click();
      await page.getByLabel(en.calendar.jump).first().fill(day);
      await page.locator('.timegrid').waitFor();
      await page.locator('.calendar[data-state="ready"]').waitFor();
      await page.getByRole('button', { name: /Bread with a picture/ }).locator('img.post-thumb').waitFor();
      await page.locator('.timegrid-scroll').evaluate((el) => (el.scrollTop = 5 * 40));
      await screenshot(page, `calendar-layout-week-${scheme}`);
      await page.getByRole('radio', { name: en.calendar.views.month }).click();
      expect(problems.messages).toEqual([]);
    }
  });

  it('opens Filters without moving the toolbar or the grid, and closes them with Escape', async () => {
    const { page } = await open(host, 'light');
    await showMonth(page);
    const boxes = () =>
      page.evaluate(() =>
        ['.calendar-toolbar:nth-of-type(2) .button:last-child', '.month'].map((sel) => {
          const box = document.querySelector(sel)?.getBoundingClientRect();
          return box ? [Math.round(box.x), Math.round(box.y), Math.round(box.width)] : null;
        }),
      );
    const before = await boxes();
    const filters = page.getByRole('button', { name: en.calendar.filters, exact: true });
    await filters.click();
    await page.locator('#calendar-filter-panel').waitFor();
    expect(await boxes()).toEqual(before);
    await screenshot(page, 'calendar-layout-filters-open');
    await page.keyboard.press('Escape');
    await page.locator('#calendar-filter-panel').waitFor({ state: 'detached' });
    expect(await filters.evaluate((el) => el === document.activeElement)).toBe(true);
  });

  it('keeps the sidebar in view on a long page', async () => {
    const { page } = await open(host, 'light', { width: 1280, height: 560 });
    await showMonth(page);
    const height = await page.evaluate(() => document.documentElement.scrollHeight);
    expect(height).toBeGreaterThan(900);
    await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
    await expect.poll(() => page.evaluate(() => window.scrollY)).toBeGreaterThan(300);
    const box = await page.locator('.sidebar-inner').boundingBox();
    expect(box?.y).toBe(0);
    expect(box?.height).toBeLessThanOrEqual(560);
    await expect.poll(() => page.getByRole('link', { name: en.nav.settings }).evaluate((el) => el.getBoundingClientRect().bottom)).toBeLessThanOrEqual(560);
    await screenshot(page, 'calendar-layout-scrolled-sidebar');
    // The sticky sidebar is a stacking context: a dialog opened from it must still lie over the calendar.
    await page.getByRole('button', { name: en.projects.new }).click();
    const create = page.getByRole('dialog', { name: en.projects.dialogNew }).getByRole('button', { name: en.projects.create });
    // The dialog is taller than this 560-pixel window: it scrolls inside, and its last button is reached that way.
    await create.scrollIntoViewIfNeeded();
    const topmost = await create.evaluate((button) => {
      const box = button.getBoundingClientRect();
      return button.contains(document.elementFromPoint(box.x + box.width / 2, box.y + box.height / 2));
    });
    expect(topmost).toBe(true);
  });
});
