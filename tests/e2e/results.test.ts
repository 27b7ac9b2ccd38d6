import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Download, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import en from '../../renderer/src/i18n/locales/en.json';
import { seedProject, type SeededProject } from './support/calendar-seed';
import { seedPublished } from './support/results-seed';
import { attachPhoto, callHost } from './support/host-data';
import { launchBrowser, openPage, screenshot, type PageProblems } from './support/browser';
import { killIfRunning, makeDataDir, removeDataDirs, startHost, type RunningHost } from './support/host';

/**
 * The Results page in Chromium on a real store: 90 posts published over the last 30 days with their
 * readings, one with a photo. Charts are drawn, each shows its numbers as a table, the best hours go
 * into the project's queue, and the CSV export holds every post. Looked at in light and dark.
 */

const ZONE = 'Asia/Jerusalem';
let browser: Browser;
let host: RunningHost;
let page: Page;
let problems: PageProblems;
let closePage: () => Promise<void>;
let project: SeededProject;
let dataDir: string;
const work = mkdtempSync(join(tmpdir(), 'outpost-results-e2e-'));



async function openResults(target: Page): Promise<void> {
  await target.goto(`${host.url}#/results`);
  await target.locator('.results[data-state="ready"]').waitFor();
  await target.getByRole('combobox', { name: en.results.period.label }).selectOption('last30');
  await target.locator('.results[data-state="ready"] .results-plot[data-painted="true"]').first().waitFor();
  // Every chart drawn, every thumbnail loaded, before anything is looked at.
  await target.waitForFunction(() => [...document.querySelectorAll<HTMLElement>('.results-plot')].every((p) => p.dataset.painted === 'true'));
  await target.waitForFunction(() => [...document.querySelectorAll<HTMLImageElement>('.results-thumb')].every((img) => !(img instanceof HTMLImageElement) || img.complete));
}

beforeAll(async () => {
  browser = await launchBrowser();
  dataDir = makeDataDir();
  project = seedProject(dataDir, 'Acme Bakery', ZONE);
  seedPublished(dataDir, project, { count: 90, days: 30, readings: 30 });
  host = await startHost({ dataDir });
  const now = Date.now();
  const summary = await callHost<{ top: { postId: string }[] }>(host, 'results.summary', { projectId: project.projectId, from: now - 31 * 86_400_000, to: now });
  await attachPhoto(host, dataDir, project.projectId, summary.top[0]?.postId as string);
  ({ page, problems, close: closePage } = await openPage(browser, { viewport: { width: 1280, height: 900 }, acceptDownloads: true }));
  await page.goto(host.url);
  await page.locator('.calendar[data-state="ready"]').waitFor();
});

afterAll(async () => {
  await closePage?.();
  await browser?.close();
  killIfRunning(host);
  removeDataDirs();
  rmSync(work, { recursive: true, force: true });
});

describe('the Results page', () => {
  it('draws a chart per metric the networks gave, each with the same numbers as a table', async () => {
    await page.getByRole('link', { name: en.nav.results }).click();
    await openResults(page);
    const totals = page.getByRole('list', { name: en.results.totals });
    await expect(totals.getByText(en.results.posts, { exact: true }).locator('..').textContent()).resolves.toContain('90');
    // Mastodon, Bluesky and Telegram give these five; nobody gives saves.
    const charts = page.locator('.results-chart');
    expect(await charts.evaluateAll((all) => all.map((c) => c.getAttribute('data-metric')))).toEqual(['likes', 'reposts', 'replies', 'quotes', 'views']);
    expect(await page.locator('.results-plot canvas').count()).toBe(5);

    const likes = page.getByRole('figure', { name: en.results.metric.likes });
    await likes.getByRole('button', { name: en.results.chart.table }).click();
    const table = likes.getByRole('table', { name: 'Likes per day' });
    const cells = await table.locator('tbody td').allTextContents();
    expect(cells).toHaveLength(30);
    const total = (await totals.getByText(en.results.metric.likes, { exact: true }).locator('..').locator('.results-total-value').textContent()) as string;
    expect(cells.reduce((sum, c) => sum + Number(c.replace(/\D/g, '')), 0)).toBe(Number(total.replace(/\D/g, '')));

    // The best post shows its photo from the media library.
    const thumb = page.locator('img.results-thumb').first();
    expect(await thumb.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
    await screenshot(page, 'results-light');
  });

  it('adds the best hours to the project’s queue, once', async () => {
    const section = page.getByRole('region', { name: en.results.bestHours.title });
    await expect(section.getByRole('listitem').first().textContent()).resolves.toMatch(/\b9:00( AM)? — \d+(\.\d)? interactions per post over \d+ posts/);
    const hours = await section.getByRole('listitem').count();
    await section.getByRole('button', { name: en.results.bestHours.add }).click();
    await section.getByRole('status').filter({ hasText: /Added \d+ slots? to the project's queue/ }).waitFor();
    const queue = await callHost<{ project: { slots: { weekday: number; minute: number }[] } }>(host, 'queue.get', { projectId: project.projectId });
    expect(queue.project.slots).toHaveLength(hours);
    expect(await section.getByRole('button', { name: en.results.bestHours.add }).isDisabled()).toBe(true);
  });

  it('exports the period’s posts as CSV with a BOM, named for the project and days', async () => {
    const [download] = (await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: en.results.export.csv }).click()])) as [Download, void];
    expect(download.suggestedFilename()).toMatch(/^Acme Bakery — results — \d{4}-\d{2}-\d{2} to \d{4}-\d{2}-\d{2}\.csv$/);
    const file = join(work, download.suggestedFilename());
    await download.saveAs(file);
    const text = readFileSync(file, 'utf8');
    expect(text.charCodeAt(0)).toBe(0xfeff);
    expect(text.split('\r\n').filter((line) => /^\d{4}-\d{2}-\d{2},/.test(line))).toHaveLength(90);
    expect(text).toContain('שלום עולם!');
    expect(text).toContain('Свежий хлеб');
    expect(problems.messages).toEqual([]);
  });

  it('is looked at in dark', async () => {
    const dark = await openPage(browser, { viewport: { width: 1280, height: 900 }, colorScheme: 'dark' });
    try {
      await dark.page.goto(host.url);
      await dark.page.locator('.calendar[data-state="ready"]').waitFor();
      await openResults(dark.page);
      await dark.page.getByRole('figure', { name: en.results.metric.views }).getByRole('button', { name: en.results.chart.table }).click();
      await screenshot(dark.page, 'results-dark');
      expect(dark.problems.messages).toEqual([]);
    } finally {
      await dark.close();
    }
  });
});
