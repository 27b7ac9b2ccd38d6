import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import en from '../../renderer/src/i18n/locales/en.json';
import { seedProject, type SeededProject } from './support/calendar-seed';
import { callHost } from './support/host-data';
import { launchBrowser, openPage, screenshot, type PageProblems } from './support/browser';
import { killIfRunning, makeDataDir, removeDataDirs, startHost, type RunningHost } from './support/host';

/**
 * One idea worded per account (issue 12 item 7) in Chromium on a real store: spintax typed in the
 * composer gives each account's preview its own words, ticking "differently for each account"
 * blocks scheduling while two accounts match and is satisfied by more choices, and what main would
 * publish for each account is what its preview showed.
 */

let browser: Browser;
let host: RunningHost;
let page: Page;
let problems: PageProblems;
let closePage: () => Promise<void>;
let project: SeededProject;
let postId: string;


const previewTexts = () => page.locator('.preview .preview-text').allTextContents();

beforeAll(async () => {
  browser = await launchBrowser();
  const dataDir = makeDataDir();
  project = seedProject(dataDir, 'City Gym', 'Europe/Moscow');
  host = await startHost({ dataDir });
  postId = (await callHost<{ id: string }>(host, 'posts.create', { projectId: project.projectId, body: 'Morning class at 7', targets: project.accounts.map((a) => ({ accountId: a.id })), local: `${new Date().getUTCFullYear() + 1}-01-12T07:00` })).id;
  ({ page, problems, close: closePage } = await openPage(browser, { viewport: { width: 1280, height: 1000 } }));
  await page.goto(host.url);
  await page.getByRole('link', { name: en.nav.compose }).click();
  await page.locator('.post-item').filter({ hasText: 'Morning class' }).first().click();
  await page.locator('.preview').first().waitFor();
});

afterAll(async () => {
  await closePage?.();
  await browser?.close();
  killIfRunning(host);
  removeDataDirs();
});

describe('unique wording per account', () => {
  it('gives each account its own words and refuses to schedule while two would match', async () => {
    const unique = page.getByRole('checkbox', { name: en.compose.unique.label });
    await unique.check();
    // Three accounts, one wording: two of them would post the same words.
    await expect.poll(() => page.getByText(/would post the same words as/).count()).toBe(2);
    await page.getByRole('textbox', { name: en.compose.editor.post }).fill('{Good morning|Rise and shine|Hello, early birds}! Class at 7 💪');
    await expect.poll(() => previewTexts().then((texts) => new Set(texts).size)).toBe(3);
    expect(await page.getByText(/would post the same words as/).count()).toBe(0);
    await page.getByText('3 wordings: each account gets its own, always the same one.').waitFor();
    await screenshot(page, 'unique-wording-light');
  });

  it('publishes for each account the words its preview showed', async () => {
    await page.getByRole('status').filter({ hasText: en.compose.save.saved }).waitFor();
    const shown = await previewTexts();
    const pack = await callHost<{ posts: Array<{ targets: Array<{ text: string }> }> }>(host, 'calendar.packData', { projectId: project.projectId });
    const packed = pack.posts.find((p) => p.targets.length === 3)?.targets.map((t) => t.text) ?? [];
    expect(new Set(packed)).toEqual(new Set(shown.map((text) => text.trim())));
    const post = await callHost<{ networkOptions: { unique?: boolean } }>(host, 'posts.get', { id: postId });
    expect(post.networkOptions.unique).toBe(true);
    expect(problems.messages).toEqual([]);
  });
});
