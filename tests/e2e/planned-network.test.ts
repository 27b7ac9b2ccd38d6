import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import en from '../../renderer/src/i18n/locales/en.json';
import { seedProject, type SeededProject } from './support/calendar-seed';
import { callHost } from './support/host-data';
import { launchBrowser, openPage, screenshot, type PageProblems } from './support/browser';
import { killIfRunning, makeDataDir, removeDataDirs, startHost, type RunningHost } from './support/host';

/**
 * A new client's first month before access is granted (issue 12 item 9), in Chromium on a real
 * store: Instagram is planned from the composer, the draft gets Instagram's counter and preview,
 * the calendar marks it "account missing", scheduling is refused until an account takes it.
 */

let browser: Browser;
let host: RunningHost;
let page: Page;
let problems: PageProblems;
let closePage: () => Promise<void>;
let project: SeededProject;
const year = new Date().getUTCFullYear() + 1;

beforeAll(async () => {
  browser = await launchBrowser();
  const dataDir = makeDataDir();
  project = seedProject(dataDir, 'New Client', 'Europe/Berlin');
  host = await startHost({ dataDir });
  await callHost(host, 'posts.create', { projectId: project.projectId, body: 'Opening week: 20% off every coffee #opening', targets: [], local: `${year}-01-12T09:00` });
  ({ page, problems, close: closePage } = await openPage(browser, { viewport: { width: 1280, height: 1000 } }));
  await page.goto(host.url);
  await page.getByRole('link', { name: en.nav.compose }).click();
  await page.locator('.post-item').filter({ hasText: 'Opening week' }).first().click();
});

afterAll(async () => {
  await closePage?.();
  await browser?.close();
  killIfRunning(host);
  removeDataDirs();
});

describe('a network planned before its account exists', () => {
  it('is planned from the composer and the draft gets its counter and preview', async () => {
    await page.getByRole('combobox', { name: en.accounts.planned.plan }).selectOption('instagram');
    const target = page.getByRole('checkbox', { name: 'Instagram, no account yet' });
    await expect.poll(() => target.isChecked()).toBe(true);
    await page.locator('.counter[data-network="instagram"]').waitFor();
    expect(await page.locator('.counter[data-network="instagram"]').textContent()).toContain('/ 2,200');
    await expect.poll(() => page.locator('.preview-instagram').textContent()).toContain('Your Instagram account');
    await expect.poll(() => page.locator('#schedule-problems').textContent()).toContain('Instagram: no account is connected yet');
    await screenshot(page, 'planned-network-composer');
  });

  it('is marked on the calendar and cannot be scheduled until an account takes it', async () => {
    await page.getByRole('status').filter({ hasText: en.compose.save.saved }).waitFor();
    const [post] = await callHost<Array<{ id: string; revision: number }>>(host, 'posts.list', { projectId: project.projectId });
    const outcome = await callHost<{ scheduled: boolean; problems: Array<{ code: string }> }>(host, 'posts.schedule', { id: post!.id, revision: post!.revision });
    expect(outcome.scheduled).toBe(false);
    expect(outcome.problems.map((p) => p.code)).toContain('account_missing');
    const range = { projectId: project.projectId, from: Date.UTC(year, 0, 1), to: Date.UTC(year, 0, 31) };
    const { entries } = await callHost<{ entries: Array<{ accountMissing?: boolean }> }>(host, 'calendar.range', range);
    expect(entries.map((e) => e.accountMissing)).toEqual([true]);
    await page.getByRole('link', { name: en.nav.calendar }).click();
    // The post is in January of next year: step the month view there.
    const chip = page.getByRole('button', { name: /account missing/ }).first();
    for (let i = 0; i < 13 && !(await chip.isVisible()); i++) {
      await page.getByRole('button', { name: en.calendar.next.month }).click();
      await page.waitForTimeout(150);
    }
    await chip.waitFor();
    await screenshot(page, 'planned-network-calendar');
    await page.getByRole('link', { name: en.nav.accounts }).click();
    await page.getByRole('heading', { name: en.accounts.planned.heading }).waitFor();
    expect(await page.locator('.planned-item').textContent()).toContain('1 draft');
    await screenshot(page, 'planned-network-accounts');
    expect(problems.messages).toEqual([]);
  });
});
