import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Download, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, addMonths, daysInMonth } from '../../main/core/calendar/days';
import en from '../../renderer/src/i18n/locales/en.json';
import { nextMonth, seedProject, type SeededProject } from './support/calendar-seed';
import { launchBrowser, openPage, screenshot, type PageProblems } from './support/browser';
import { invokeHost, killIfRunning, makeDataDir, removeDataDirs, startHost, type RunningHost } from './support/host';

/**
 * The export dialog in Chromium on a real store: a range of days chosen in the dialog is what the
 * CSV holds, whatever the calendar shows, and it is still chosen after a reload (which brings the
 * calendar back to today, where the first CSV used to hold 0 posts); the whole project
 * takes every post; the file names carry project and days, so no two exports share one; a week
 * with nothing in it saves no file and says so. Looked at in light and dark.
 */

const ZONE = 'Asia/Jerusalem';
const month = nextMonth(ZONE);
const last = `${month}-${String(daysInMonth(Number(month.slice(0, 4)), Number(month.slice(5, 7)))).padStart(2, '0')}`;
const later = addMonths(`${month}-01`, 2).slice(0, 7);
let browser: Browser;
let host: RunningHost;
let page: Page;
let problems: PageProblems;
let closePage: () => Promise<void>;
let project: SeededProject;
const work = mkdtempSync(join(tmpdir(), 'outpost-export-e2e-'));

type Ok<T> = { ok: true; value: T };
async function call<T>(name: string, args: unknown): Promise<T> {
  const result = (await invokeHost(host, name, args)) as Ok<T> | { ok: false; error: unknown };
  if (!result.ok) throw new Error(`${name}: ${JSON.stringify(result.error)}`);
  return result.value;
}

async function createPost(body: string, local: string | null): Promise<void> {
  await call('posts.create', { projectId: project.projectId, body, local, targets: [{ accountId: project.accounts[1]?.id }] });
}

async function openDialog(): Promise<Locator> {
  await page.locator('.calendar[data-state="ready"]').waitFor();
  await page.getByRole('button', { name: en.calendar.share.open }).click();
  return page.getByRole('dialog', { name: en.calendar.share.title });
}

async function save(dialog: Locator, button: string): Promise<{ name: string; bytes: Buffer }> {
  const [download] = (await Promise.all([page.waitForEvent('download'), dialog.getByRole('button', { name: button }).click()])) as [Download, void];
  const file = join(work, download.suggestedFilename());
  await download.saveAs(file);
  return { name: download.suggestedFilename(), bytes: readFileSync(file) };
}

/** Data rows of a CSV: lines that start with a date (a post's text may hold line breaks). */
const rows = (csv: Buffer) => csv.toString('utf8').split('\r\n').filter((line) => /^\d{4}-\d{2}-\d{2},/.test(line));

beforeAll(async () => {
  browser = await launchBrowser();
  const dataDir = makeDataDir();
  project = seedProject(dataDir, 'Acme Bakery', ZONE);
  host = await startHost({ dataDir });
  ({ page, problems, close: closePage } = await openPage(browser, { viewport: { width: 1280, height: 900 }, acceptDownloads: true }));
  await createPost('שלום עולם! #מאפייה 🥐', `${month}-03T09:00`);
  await createPost('Привет, мир! 💪', `${month}-20T18:30`);
  await createPost('Spring menu', `${later}-10T10:00`);
  await createPost('An idea without a time', null);
});

afterAll(async () => {
  await closePage?.();
  await browser?.close();
  killIfRunning(host);
  removeDataDirs();
  rmSync(work, { recursive: true, force: true });
});

describe('exports of what the user means', () => {
  it('exports a chosen range, named for project and days, and still exports it after a reload', async () => {
    await page.goto(host.url);
    const dialog = await openDialog();
    await dialog.getByRole('radio', { name: en.calendar.share.scope.range }).check();
    await dialog.getByLabel(en.calendar.share.from).fill(`${month}-01`);
    await dialog.getByLabel(en.calendar.share.to, { exact: true }).fill(last);
    await expect.poll(() => dialog.getByTestId('export-file-name').textContent()).toBe(`Acme Bakery — ${month}-01 to ${last}.csv`);
    await screenshot(page, 'export-dialog-light');

    const first = await save(dialog, en.calendar.share.csv);
    expect(first.name).toBe(`Acme Bakery — ${month}-01 to ${last}.csv`);
    expect([...first.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(rows(first.bytes)).toHaveLength(2);
    expect(first.bytes.toString('utf8')).toContain('שלום עולם! #מאפייה 🥐');
    expect(first.bytes.toString('utf8')).toContain('Привет, мир! 💪');

    // A reload brings the calendar back to today's month, which holds none of these posts; the export keeps the chosen range.
    await page.reload();
    const again = await openDialog();
    expect(await again.getByRole('radio', { name: en.calendar.share.scope.range }).isChecked()).toBe(true);
    expect(await again.getByLabel(en.calendar.share.from).inputValue()).toBe(`${month}-01`);
    const second = await save(again, en.calendar.share.csv);
    expect(second.name).toBe(first.name);
    expect(rows(second.bytes)).toHaveLength(2);

    // The whole project: every post, drafts without a time too, under a name of its own.
    await again.getByRole('radio', { name: en.calendar.share.scope.project }).check();
    const whole = await save(again, en.calendar.share.csv);
    expect(whole.name).toBe('Acme Bakery — whole project.csv');
    expect(whole.bytes.toString('utf8')).toContain('Spring menu');
    expect(whole.bytes.toString('utf8')).toContain('An idea without a time');

    // The approval pack of the same range carries the range too, and differs from the CSV's name.
    await again.getByRole('radio', { name: en.calendar.share.scope.range }).check();
    const pack = await save(again, en.calendar.share.packHtml);
    expect(pack.name).toBe(`Acme Bakery — approval pack — ${month}-01 to ${last}.html`);
    expect(pack.bytes.toString('utf8')).toContain('<bdi class="hashtag">#מאפייה</bdi>');
  });

  it('saves no file for a view with no posts, and says so', async () => {
    const dialog = page.getByRole('dialog', { name: en.calendar.share.title });
    await dialog.getByRole('radio', { name: en.calendar.share.scope.view }).check();
    // The month the calendar opened on (today's) has none of the posts, all next month or later.
    let downloads = 0;
    page.on('download', () => downloads++);
    await dialog.getByRole('button', { name: en.calendar.share.csv }).click();
    await dialog.getByRole('status').filter({ hasText: 'so no file was saved' }).waitFor();
    expect(downloads).toBe(0);
    await dialog.getByRole('button', { name: en.calendar.close }).click();
    expect(problems.messages).toEqual([]);
  });

  it('is looked at in dark, right to left', async () => {
    const dark = await openPage(browser, { viewport: { width: 1280, height: 900 }, colorScheme: 'dark' });
    await dark.page.goto(host.url);
    await dark.page.locator('.calendar[data-state="ready"]').waitFor();
    await dark.page.getByRole('button', { name: en.calendar.share.open }).click();
    const dialog = dark.page.getByRole('dialog', { name: en.calendar.share.title });
    await dialog.getByRole('radio', { name: en.calendar.share.scope.range }).check();
    // A first day after the last takes the last along.
    await dialog.getByLabel(en.calendar.share.from).fill(addDays(last, 6));
    expect(await dialog.getByLabel(en.calendar.share.to, { exact: true }).inputValue()).toBe(addDays(last, 6));
    await dialog.getByLabel(en.calendar.share.from).fill(`${month}-01`);
    await expect.poll(() => dialog.getByTestId('export-file-name').textContent()).toBe(`Acme Bakery — ${month}-01 to ${addDays(last, 6)}.csv`);
    await screenshot(dark.page, 'export-dialog-dark');
    await dark.page.evaluate(() => {
      document.documentElement.dir = 'rtl';
    });
    await screenshot(dark.page, 'export-dialog-dark-rtl');
    expect(dark.problems.messages).toEqual([]);
    await dark.close();
  });
});
