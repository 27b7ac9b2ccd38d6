import Database from 'better-sqlite3';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import en from '../../renderer/src/i18n/locales/en.json';
import { launchBrowser, openPage, screenshot, screenshotDir, type PageProblems } from './support/browser';
import { invokeHost, killIfRunning, makeDataDir, removeDataDirs, startHost, type RunningHost } from './support/host';

/**
 * Issue 13 item 6's LinkedIn preview in Chromium against the browser host, light and dark: a long
 * post with three photos as the member and as a page ("…see more", one large photo over two), and
 * a post whose kept link card becomes LinkedIn's article. Screenshots land in test-results/screenshots.
 */

interface Ok<T> {
  ok: true;
  value: T;
}

let browser: Browser;
let host: RunningHost;
let dataDir: string;
let page: Page;
let problems: PageProblems;
let closePage: () => Promise<void>;
let projectId: string;

const member = { id: 'acc-li-member', handle: 'Anna Lenina', name: 'Anna Lenina', key: 'urn:li:person:yrZCpj2Z12' };
const company = { id: 'acc-li-page', handle: 'linkedin.com/company/lenina-bakery', name: 'Lenina Bakery', key: 'urn:li:organization:7000001' };
const longText =
  'We have been baking rye on Lenina street for eleven years, and today we open a second oven. Come taste the first loaves from 8:00; the first fifty visitors get a cardamom bun on us. Thank you for every morning with us! #bakery #rye #smallbusiness';
const LINK = 'https://bakery.example/rye';

const t = (text: string, values: Record<string, string | number>) => text.replace(/\{\{(\w+)\}\}/g, (_, key: string) => String(values[key]));
const preview = (handle: string): Locator => page.getByRole('article', { name: t(en.compose.preview.label, { network: 'LinkedIn', handle }) });

async function call<T>(name: string, args: unknown): Promise<T> {
  const reply = (await invokeHost(host, name, args)) as Ok<T> | { ok: false; error: unknown };
  if (!reply.ok) throw new Error(`${name}: ${JSON.stringify(reply.error)}`);
  return reply.value;
}

async function importImage(fileName: string, width: number, height: number, color: string): Promise<string> {
  const bytes = await sharp({ create: { width, height, channels: 3, background: color } }).jpeg().toBuffer();
  const upload = (await (
    await fetch(`${host.origin}/api/upload`, { method: 'POST', headers: { 'content-type': 'application/octet-stream', 'x-outpost-token': host.token }, body: bytes })
  ).json()) as Ok<{ uploadId: string }>;
  const [outcome] = await call<{ ok: boolean; media: { id: string } }[]>('media.import', { files: [{ uploadId: upload.value.uploadId, fileName }] });
  if (!outcome?.ok) throw new Error(`import of ${fileName} failed: ${JSON.stringify(outcome)}`);
  return outcome.media.id;
}

async function openPost(excerpt: string): Promise<void> {
  await page.getByRole('link', { name: en.nav.compose }).click();
  await page.getByRole('heading', { level: 1, name: en.pages.compose.title }).waitFor();
  await page.getByRole('button', { name: new RegExp(excerpt) }).click();
  await page.getByRole('textbox', { name: en.compose.editor.post }).waitFor();
}

async function shootPreviews(name: string): Promise<void> {
  const section = page.getByRole('region', { name: en.compose.preview.title });
  await section.scrollIntoViewIfNeeded();
  await expect.poll(() => section.locator('img').evaluateAll((imgs) => imgs.every((img) => (img as HTMLImageElement).complete && (img as HTMLImageElement).naturalWidth > 0))).toBe(true);
  await section.screenshot({ path: join(screenshotDir, `${name}.png`) });
}

beforeAll(async () => {
  browser = await launchBrowser();
  dataDir = makeDataDir();
  host = await startHost({ dataDir });
  projectId = (await call<{ id: string }>('projects.create', { name: 'Lenina Bakery', color: '#0a66c2', timezone: 'Europe/Berlin' })).id;
  // Accounts are written straight into the store: connecting them needs LinkedIn, which the accounts tests fake.
  const db = new Database(join(dataDir, 'outpost.db'));
  db.pragma('busy_timeout = 5000');
  const insert = db.prepare(`INSERT INTO accounts (id, project_id, network, handle, display_name, status, created_at, updated_at, remote_key) VALUES (?, ?, 'linkedin', ?, ?, 'connected', 0, 0, ?)`);
  for (const a of [member, company]) insert.run(a.id, projectId, a.handle, a.name, a.key);
  db.close();
  const wide = await importImage('oven-wide.jpg', 1600, 900, '#b45309');
  const square = await importImage('buns-square.jpg', 1200, 1200, '#78350f');
  const portrait = await importImage('rye-portrait.jpg', 1080, 1350, '#c2410c');
  await call('posts.create', { projectId, body: longText, targets: [{ accountId: member.id }, { accountId: company.id }], media: [wide, square, portrait], local: '2031-03-02T10:00' });
  const linked = await call<{ id: string }>('posts.create', { projectId, body: `Our rye recipe, step by step: ${LINK}`, targets: [{ accountId: company.id }], local: null });
  const picture = await sharp({ create: { width: 1000, height: 523, channels: 3, background: '#0a66c2' } })
    .composite([{ input: Buffer.from('<svg width="1000" height="523"><circle cx="500" cy="262" r="180" fill="#fde68a"/></svg>') }])
    .jpeg({ quality: 80 })
    .toBuffer();
  const cards = new Database(join(dataDir, 'outpost.db'));
  cards.pragma('busy_timeout = 5000');
  cards
    .prepare(`INSERT INTO post_link_cards (post_id, url, title, description, site_name, image, fetched_at) VALUES (?, ?, 'Rye with caraway — the recipe', 'Six steps and one night.', 'Lenina Bakery', ?, ?)`)
    .run(linked.id, LINK, picture, Date.now());
  cards.close();
  ({ page, problems, close: closePage } = await openPage(browser, { viewport: { width: 1440, height: 2000 } }));
  await page.goto(host.url);
  await page.getByRole('heading', { level: 1 }).first().waitFor();
});

afterAll(async () => {
  await closePage?.();
  await browser?.close();
  killIfRunning(host);
  removeDataDirs();
});

describe('LinkedIn previews', () => {
  for (const theme of ['light', 'dark'] as const) {
    it(`draw a long post with three photos as the member and as the page, ${theme}`, async () => {
      await call('settings.update', { theme });
      await page.reload();
      await openPost('We have been baking');
      const asMember = preview(member.handle);
      const asPage = preview(company.handle);
      await asMember.waitFor();
      // Folded with "see more" before the hashtags; one large photo over two.
      expect(await asMember.locator('.preview-text').textContent()).not.toContain('#smallbusiness');
      expect(await asMember.getByRole('button', { name: en.compose.preview.linkedin.seeMore }).count()).toBe(1);
      expect(await asMember.locator('.li-media-3 .li-cell').count()).toBe(3);
      const [big, small] = await Promise.all([asMember.locator('.li-cell').nth(0).boundingBox(), asMember.locator('.li-cell').nth(1).boundingBox()]);
      expect(big!.width).toBeGreaterThan(small!.width * 1.8);
      // A page's avatar is square, a member's round.
      expect(await asPage.locator('.li-avatar').evaluate((el) => getComputedStyle(el).borderRadius)).toBe('4px');
      expect(await asMember.locator('.li-avatar').evaluate((el) => getComputedStyle(el).borderRadius)).toBe('50%');
      expect(await asMember.locator('.li-action').allTextContents()).toEqual(['Like', 'Comment', 'Repost', 'Send']);
      // Every word of the social bar fits the column, none cut at the edge.
      expect(await asMember.locator('.li-action').evaluateAll((els) => els.filter((el) => el.scrollWidth > el.clientWidth || el.getBoundingClientRect().right > el.closest('article')!.getBoundingClientRect().right).length)).toBe(0);
      // The palette follows the theme.
      const background = await asMember.evaluate((el) => getComputedStyle(el).backgroundColor);
      expect(background).toBe(theme === 'light' ? 'rgb(255, 255, 255)' : 'rgb(27, 31, 35)');
      await shootPreviews(`previews-linkedin-${theme}`);
    });

    it(`draw the kept link card as LinkedIn's article, ${theme}`, async () => {
      await openPost('Our rye recipe');
      const asPage = preview(company.handle);
      await asPage.waitFor();
      const article = asPage.locator('.li-article');
      await expect.poll(() => article.locator('.li-article-title').textContent()).toBe('Rye with caraway — the recipe');
      expect(await article.locator('img').evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(1000);
      await shootPreviews(`previews-linkedin-article-${theme}`);
      await screenshot(page, `composer-linkedin-${theme}`);
    });
  }

  it('the page logged no errors', () => {
    expect(problems.messages).toEqual([]);
  });
});
