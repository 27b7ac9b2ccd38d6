import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import en from '../../renderer/src/i18n/locales/en.json';
import { launchBrowser, openPage, screenshot, type PageProblems } from './support/browser';
import { invokeHost, killIfRunning, removeDataDirs, startHost, stopHost, type RunningHost } from './support/host';

/** The app's frame: every page reachable from the nav, clean in the console, in light, dark and RTL. */

const PROJECT = 'Acme Bakery';
const navPages = [
  { link: en.nav.calendar, title: en.pages.calendar.title, hash: '#/calendar' },
  { link: en.nav.compose, title: en.pages.compose.title, hash: '#/compose' },
  { link: en.nav.media, title: en.pages.media.title, hash: '#/media' },
  { link: en.nav.editor, title: en.pages.editor.title, hash: '#/editor' },
  { link: en.nav.accounts, title: en.pages.accounts.title, hash: '#/accounts' },
  { link: en.nav.settings, title: en.pages.settings.title, hash: '#/settings' },
];

let browser: Browser;
let host: RunningHost;
const closers: (() => Promise<void>)[] = [];

beforeAll(async () => {
  browser = await launchBrowser();
  host = await startHost();
  const created = (await invokeHost(host, 'projects.create', { name: PROJECT, color: '#db2777', timezone: 'Europe/Lisbon' })) as { ok: boolean };
  expect(created.ok).toBe(true);
});

afterAll(async () => {
  for (const close of closers) await close();
  await browser?.close();
  killIfRunning(host);
  removeDataDirs();
});

async function open(colorScheme: 'light' | 'dark'): Promise<{ page: Page; problems: PageProblems }> {
  const opened = await openPage(browser, { colorScheme });
  closers.push(opened.close);
  await opened.page.goto(host.url);
  await opened.page.getByRole('heading', { level: 1, name: en.pages.calendar.title }).waitFor();
  return opened;
}

/** Where the glyphs of an element's text are, which for a block is not where its box is. */
function textBox(locator: Locator): Promise<{ left: number; right: number }> {
  return locator.evaluate((el) => {
    const range = document.createRange();
    range.selectNodeContents(el);
    const rect = range.getBoundingClientRect();
    return { left: rect.left, right: rect.right };
  });
}

/** The page says something beyond its heading, and nothing of it is a raw key, a placeholder or a leaked value. */
async function expectHonestText(page: Page, title: string): Promise<void> {
  const text = (await page.getByRole('main').innerText()).trim();
  expect(text.startsWith(title), title).toBe(true);
  expect(text.length - title.length, `${title}: only a heading`).toBeGreaterThan(20);
  expect(text, title).not.toMatch(/\{\{|\}\}|\bundefined\b|\bNaN\b|\[object Object\]|\b[Ll]orem ipsum\b|\bTODO\b|\b(pages|nav|projects|settings|errors)\.[a-z]+/);
}

/** Lets late requests (fonts, icon, the event stream) finish or fail before problems are read. */
async function settle(page: Page): Promise<void> {
  await page.waitForLoadState('load');
  await page.waitForTimeout(300);
}

describe('the shell', () => {
  let page: Page;
  let problems: PageProblems;

  it('loads with nothing in the console: no CSP refusals, no 404s, no errors', async () => {
    ({ page, problems } = await open('light'));
    await settle(page);
    expect(problems.messages).toEqual([]);
    // The token left the address bar as soon as the page read it.
    expect(page.url()).not.toContain('token=');
    expect(await page.title()).toBe('Outpost');
    // The <meta> policy omits frame-ancestors (Chromium ignores it there with an error); the header keeps it.
    const metaPolicy = await page.evaluate(() => document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.getAttribute('content') ?? '');
    expect(metaPolicy).toContain("default-src 'none'");
    expect(metaPolicy).not.toContain('frame-ancestors');
    const icon = await page.evaluate(() => (document.querySelector('link[rel="icon"]') as HTMLLinkElement | null)?.href ?? '');
    expect(icon).toMatch(/\/assets\/icon-[^/]+\.(svg|png)$/);
    const iconResponse = await page.evaluate(async (href) => {
      const response = await fetch(href);
      return { status: response.status, type: response.headers.get('content-type') };
    }, icon);
    expect(iconResponse).toEqual({ status: 200, type: expect.stringMatching(/^image\//) });
  });

  it('offers "Skip to content" as the first stop for keyboard users', async () => {
    await page.keyboard.press('Tab');
    const skip = page.getByRole('link', { name: en.app.skipToContent });
    expect(await skip.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.press('Enter');
    expect(await page.getByRole('main').evaluate((el) => el === document.activeElement)).toBe(true);
  });

  it('reaches every page from the nav, each with its heading and its text', async () => {
    const nav = page.getByRole('navigation', { name: en.nav.label });
    for (const target of [...navPages.slice(1), navPages[0]] as typeof navPages) {
      const link = nav.getByRole('link', { name: target.link, exact: true });
      await link.click();
      const heading = page.getByRole('main').getByRole('heading', { level: 1, name: target.title, exact: true });
      await heading.waitFor();
      expect(await link.getAttribute('aria-current'), target.link).toBe('page');
      expect(await nav.locator('[aria-current="page"]').count(), target.link).toBe(1);
      await expectHonestText(page, target.title);
      expect(new URL(page.url()).hash).toBe(target.hash);
      await screenshot(page, `shell-page-${target.hash.slice(2)}`);
    }
    // The page lives in the address, so a reload stays on it.
    await nav.getByRole('link', { name: en.nav.media }).click();
    await page.reload();
    await page.getByRole('heading', { level: 1, name: en.pages.media.title }).waitFor();
    expect(problems.messages).toEqual([]);
  });

  it('sets a field label in bold but its radio options in regular weight', async () => {
    await page.getByRole('navigation', { name: en.nav.label }).getByRole('link', { name: en.nav.settings }).click();
    const theme = page.getByRole('group', { name: en.settings.theme });
    const weightOf = (name: string) => theme.getByRole('radio', { name }).evaluate((el) => getComputedStyle(el.closest('label') as Element).fontWeight);
    expect(await theme.evaluate((el) => getComputedStyle(el.querySelector('legend') as Element).fontWeight)).toBe('600');
    for (const option of [en.settings.themeSystem, en.settings.themeLight, en.settings.themeDark]) expect(await weightOf(option), option).toBe('400');
  });

  it('looks right in the light colour scheme', async () => {
    await page.getByRole('navigation', { name: en.nav.label }).getByRole('link', { name: en.nav.calendar }).click();
    await page.getByRole('heading', { level: 1, name: en.pages.calendar.title }).waitFor();
    const background = await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
    expect(background).toBe('rgb(246, 247, 249)');
    await screenshot(page, 'shell-light');
  });

  it('looks right in the dark colour scheme', async () => {
    const dark = await open('dark');
    await settle(dark.page);
    expect(dark.problems.messages).toEqual([]);
    const background = await dark.page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
    expect(background).toBe('rgb(20, 23, 28)');
    await screenshot(dark.page, 'shell-dark');
    await dark.page.getByRole('navigation', { name: en.nav.label }).getByRole('link', { name: en.nav.settings }).click();
    await dark.page.getByRole('heading', { level: 1, name: en.pages.settings.title }).waitFor();
    await screenshot(dark.page, 'shell-dark-settings');
  });

  it('mirrors for right-to-left languages: sidebar on the right, text aligned right', async () => {
    await page.evaluate(() => {
      document.documentElement.dir = 'rtl';
    });
    const sidebar = await page.getByRole('complementary').boundingBox();
    const main = await page.getByRole('main').boundingBox();
    const heading = await textBox(page.getByRole('heading', { level: 1, name: en.pages.calendar.title }));
    const projectLabel = await textBox(page.getByText(en.projects.switcherLabel, { exact: true }));
    if (!sidebar || !main) throw new Error('The shell is missing a landmark.');
    expect(sidebar.x).toBeGreaterThan(main.x);
    expect(sidebar.x + sidebar.width).toBeCloseTo(1200, 0);
    // The text itself (not its block) hugs the right edge of its column.
    expect(main.x + main.width - heading.right).toBeLessThan(60);
    expect(heading.left - main.x).toBeGreaterThan(600);
    expect(sidebar.x + sidebar.width - projectLabel.right).toBeLessThan(30);
    await screenshot(page, 'shell-rtl');
    await page.getByRole('navigation', { name: en.nav.label }).getByRole('link', { name: en.nav.settings }).click();
    await page.getByRole('heading', { level: 1, name: en.pages.settings.title }).waitFor();
    await screenshot(page, 'shell-rtl-settings');
    await page.getByRole('button', { name: en.projects.edit }).click();
    await page.getByRole('dialog').waitFor();
    await screenshot(page, 'shell-rtl-dialog');
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    expect(problems.messages).toEqual([]);
  });

  it('stops cleanly', async () => {
    await stopHost(host);
  });
});
