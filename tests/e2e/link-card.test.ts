import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import en from '../../renderer/src/i18n/locales/en.json';
import { seedProject, type SeededProject } from './support/calendar-seed';
import { callHost } from './support/host-data';
import { launchBrowser, openPage, screenshot, type PageProblems } from './support/browser';
import { killIfRunning, makeDataDir, removeDataDirs, startHost, type RunningHost } from './support/host';

/**
 * A post's link card in the composer, in Chromium on a real store (issue 12 item 4). The card was
 * fetched earlier (this machine has no internet; fetching is tested against a loopback site in the
 * unit tests) and is kept with the post: the composer and the Bluesky and Telegram previews show it
 * offline, the user rewords it, puts it above the text for Telegram and removes it. Looked at in
 * light and dark.
 */

const URL_ = 'https://acme-bakery.example/winter-menu';
let browser: Browser;
let host: RunningHost;
let page: Page;
let problems: PageProblems;
let closePage: () => Promise<void>;
let project: SeededProject;
let dataDir: string;
let postId: string;


async function openPost(target: Page): Promise<void> {
  await target.goto(host.url);
  await target.getByRole('link', { name: en.nav.compose }).click();
  await target.locator('.post-item').filter({ hasText: 'Winter menu' }).first().click();
  await target.getByRole('region', { name: en.compose.card.title }).waitFor();
  await target.waitForFunction(() => [...document.querySelectorAll<HTMLImageElement>('.link-card-image, .link-card-editor-image')].every((img) => img.complete && img.naturalWidth > 0));
}

beforeAll(async () => {
  browser = await launchBrowser();
  dataDir = makeDataDir();
  project = seedProject(dataDir, 'Acme Bakery', 'Europe/Berlin');
  host = await startHost({ dataDir });
  const targets = project.accounts.filter((a) => a.network !== 'mastodon').map((a) => ({ accountId: a.id }));
  postId = (await callHost<{ id: string }>(host, 'posts.create', { projectId: project.projectId, body: `Winter menu is here ❄️ ${URL_}`, targets, local: null })).id;
  // The card as links.fetchCard keeps it: the page's words and its picture as a JPEG.
  const picture = await sharp({ create: { width: 1000, height: 523, channels: 3, background: '#b45309' } })
    .composite([{ input: Buffer.from('<svg width="1000" height="523"><circle cx="500" cy="262" r="180" fill="#fde68a"/></svg>') }])
    .jpeg({ quality: 80 })
    .toBuffer();
  const db = new Database(join(dataDir, 'outpost.db'));
  try {
    db.pragma('busy_timeout = 5000');
    db.prepare(
      `INSERT INTO post_link_cards (post_id, url, title, description, site_name, image, fetched_at) VALUES (?, ?, 'Winter menu — Acme Bakery', 'Rye with caraway, cinnamon rolls and a new gingerbread.', 'Acme Bakery', ?, ?)`,
    ).run(postId, URL_, picture, Date.now());
  } finally {
    db.close();
  }
  ({ page, problems, close: closePage } = await openPage(browser, { viewport: { width: 1280, height: 1000 } }));
  await openPost(page);
});

afterAll(async () => {
  await closePage?.();
  await browser?.close();
  killIfRunning(host);
  removeDataDirs();
});

describe('a link card in the composer', () => {
  it('shows the kept card in the composer and in the Bluesky and Telegram previews, without the network', async () => {
    const panel = page.getByRole('region', { name: en.compose.card.title });
    expect(await panel.getByRole('textbox', { name: en.compose.card.cardTitle }).inputValue()).toBe('Winter menu — Acme Bakery');
    for (const network of ['bluesky', 'telegram']) {
      const card = page.locator(`.preview-${network} .link-card.fetched`);
      await expect(card.locator('.link-card-url').textContent()).resolves.toBe('Winter menu — Acme Bakery');
      expect(await card.locator('img.link-card-image').evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(1000);
    }
    await screenshot(page, 'link-card-composer-light');
  });

  it('takes the user’s words, puts the card above the text for Telegram, and removes it', async () => {
    const panel = page.getByRole('region', { name: en.compose.card.title });
    const title = panel.getByRole('textbox', { name: en.compose.card.cardTitle });
    await title.fill('Our winter menu');
    await title.blur();
    await page.locator('.preview-bluesky .link-card-url').filter({ hasText: 'Our winter menu' }).waitFor();
    await panel.getByRole('checkbox', { name: en.compose.card.above }).check();
    const telegram = page.locator('.preview-telegram');
    await telegram.locator('.link-card.above').waitFor();
    // Above the text: the card is drawn higher than the post's words.
    const [cardBox, textBox] = await Promise.all([telegram.locator('.link-card').boundingBox(), telegram.locator('.preview-text').boundingBox()]);
    expect((cardBox?.y ?? 0) < (textBox?.y ?? 0)).toBe(true);
    const card = await callHost<{ title: string; edited: boolean; above: boolean }>(host, 'links.card', { postId });
    expect(card).toMatchObject({ title: 'Our winter menu', edited: true, above: true });

    await panel.getByRole('button', { name: en.compose.card.remove }).click();
    await panel.getByText(en.compose.card.removed, { exact: false }).waitFor();
    expect(await page.locator('.preview-bluesky .link-card').count()).toBe(0);
    expect(problems.messages).toEqual([]);
  });

  it('is looked at in dark', async () => {
    await callHost(host, 'links.updateCard', { postId, dropped: false, above: false });
    const dark = await openPage(browser, { viewport: { width: 1280, height: 1000 }, colorScheme: 'dark' });
    try {
      await openPost(dark.page);
      await screenshot(dark.page, 'link-card-composer-dark');
      expect(dark.problems.messages).toEqual([]);
    } finally {
      await dark.close();
    }
  });
});
