import Database from 'better-sqlite3';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import en from '../../renderer/src/i18n/locales/en.json';
import { launchBrowser, openPage, screenshot, screenshotDir, type PageProblems } from './support/browser';
import { invokeHost, killIfRunning, makeDataDir, removeDataDirs, startHost, type RunningHost } from './support/host';

/**
 * Issue 11's Facebook Page, Instagram and Threads previews in Chromium against the browser host,
 * light and dark: a three-photo post on all three (Facebook's grid, Instagram's 4:5 frame and
 * carousel, Threads' row with its topic), and a Hebrew text post with an English link (Facebook's
 * and Threads' link cards, Instagram's own tall photo cropped to 4:5). Screenshots land in
 * test-results/screenshots.
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

const facebook = { id: 'acc-facebook', network: 'facebook', handle: 'Corner Bakery', name: 'Corner Bakery' };
const instagram = { id: 'acc-instagram', network: 'instagram', handle: 'cornerbakery', name: 'Corner Bakery' };
const threads = { id: 'acc-threads', network: 'threads', handle: 'cornerbakery', name: 'Corner Bakery' };
const photoText = 'Rye, sourdough and cardamom buns are out of the oven! Come by before noon. #bread #bakery @flourmill https://bakery.example/menu';
const hebrewText = 'לחם שיפון חדש על המדפים! Fresh rye, המתכון כאן: https://bakery.example/rye';

const t = (text: string, values: Record<string, string | number>) => text.replace(/\{\{(\w+)\}\}/g, (_, key: string) => String(values[key]));
const preview = (network: string, handle: string): Locator => page.getByRole('article', { name: t(en.compose.preview.label, { network, handle }) });

async function call<T>(name: string, args: unknown): Promise<T> {
  const reply = (await invokeHost(host, name, args)) as Ok<T> | { ok: false; error: unknown };
  if (!reply.ok) throw new Error(`${name}: ${JSON.stringify(reply.error)}`);
  return reply.value;
}

/** Accounts are written straight into the store: connecting them needs Meta, which the connector tests fake. */
function seedAccounts(): void {
  const db = new Database(join(dataDir, 'outpost.db'));
  db.pragma('busy_timeout = 5000');
  const insert = db.prepare(
    `INSERT INTO accounts (id, project_id, network, handle, display_name, status, created_at, updated_at, remote_key)
     VALUES (?, ?, ?, ?, ?, 'connected', 0, 0, ?)`,
  );
  for (const a of [facebook, instagram, threads]) insert.run(a.id, projectId, a.network, a.handle, a.name, a.id);
  db.close();
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

/** The previews section alone, so the screenshot shows the posts at their size. */
async function shootPreviews(name: string): Promise<void> {
  const section = page.getByRole('region', { name: en.compose.preview.title });
  await section.scrollIntoViewIfNeeded();
  // Thumbnails are drawn by the host on first ask: wait until every one has loaded.
  await expect.poll(() => section.locator('img').evaluateAll((imgs) => imgs.every((img) => (img as HTMLImageElement).complete && (img as HTMLImageElement).naturalWidth > 0))).toBe(true);
  await section.screenshot({ path: join(screenshotDir, `${name}.png`) });
}

/** The shown box of an element, to check the crop as the reader would see it. */
const box = async (locator: Locator) => {
  const found = await locator.boundingBox();
  if (!found) throw new Error('not shown');
  return found;
};

beforeAll(async () => {
  browser = await launchBrowser();
  dataDir = makeDataDir();
  host = await startHost({ dataDir });
  projectId = (await call<{ id: string }>('projects.create', { name: 'Corner Bakery', color: '#1877f2', timezone: 'Asia/Jerusalem' })).id;
  seedAccounts();
  const portrait = await importImage('rye-portrait.jpg', 1080, 1350, '#b45309');
  const square = await importImage('buns-square.jpg', 1200, 1200, '#78350f');
  const wide = await importImage('oven-wide.jpg', 1600, 900, '#c2410c');
  const tall = await importImage('story-tall.jpg', 1080, 1920, '#92400e');
  await call('posts.create', {
    projectId,
    body: photoText,
    targets: [{ accountId: facebook.id }, { accountId: instagram.id }, { accountId: threads.id }],
    media: [portrait, square, wide],
    local: '2031-03-02T10:00',
    networkOptions: { threads: { topicTag: 'Bread', replyControl: 'accounts_you_follow' } },
  });
  await call('posts.create', {
    projectId,
    body: hebrewText,
    targets: [{ accountId: facebook.id }, { accountId: instagram.id, mediaOverride: [tall] }, { accountId: threads.id }],
    networkOptions: { threads: { topicTag: 'לחם' } },
  });
  ({ page, problems, close: closePage } = await openPage(browser, { viewport: { width: 1440, height: 2400 } }));
  await page.goto(host.url);
  await page.getByRole('heading', { level: 1 }).first().waitFor();
});

afterAll(async () => {
  await closePage?.();
  await browser?.close();
  killIfRunning(host);
  removeDataDirs();
});

describe('Facebook, Instagram and Threads previews', () => {
  for (const theme of ['light', 'dark'] as const) {
    it(`draw a three-photo post on each network, ${theme}`, async () => {
      await call('settings.update', { theme });
      await page.reload();
      await openPost('Rye, sourdough');
      const fb = preview('Facebook', facebook.handle);
      const ig = preview('Instagram', instagram.handle);
      const th = preview('Threads', threads.handle);
      await fb.waitFor();
      // Facebook: one photo above two, no link card beside photos, Like · Comment · Share.
      expect(await fb.locator('.album-row').evaluateAll((rows) => rows.map((row) => row.children.length))).toEqual([1, 2]);
      expect(await fb.locator('.link-card').count()).toBe(0);
      expect(await fb.locator('.feed-action').allTextContents()).toEqual([en.compose.preview.facebook.like, en.compose.preview.facebook.comment, en.compose.preview.facebook.share]);
      // Instagram: the first photo's 4:5 frame, three dots, the caption under it with the username first.
      const frame = await box(ig.locator('.ig-media img'));
      expect(frame.width / frame.height).toBeCloseTo(0.8, 1);
      expect(await ig.locator('.dot').count()).toBe(3);
      expect((await ig.locator('.preview-text').textContent())?.startsWith(`${instagram.handle} Rye, sourdough`)).toBe(true);
      // Threads: the topic beside the name, the three photos in a row, no link card with media.
      expect(await th.locator('.threads-topic').textContent()).toContain('Bread');
      expect(await th.locator('.threads-cell').count()).toBe(3);
      expect(await th.locator('.link-card').count()).toBe(0);
      // No auto-delete for Instagram, and why.
      expect(await page.getByText(t(en.compose.details.autoDeleteNotOffered, { network: 'Instagram' })).count()).toBe(1);
      expect(await page.getByRole('group', { name: en.compose.threads.title }).getByRole('combobox', { name: en.compose.threads.replyControl }).inputValue()).toBe('accounts_you_follow');
      await shootPreviews(`previews-meta-${theme}`);
      await screenshot(page, `composer-meta-${theme}`);
    });

    it(`draw a Hebrew post with an English link: link cards on Facebook and Threads, Instagram's tall photo in 4:5, ${theme}`, async () => {
      await openPost('לחם שיפון');
      const fb = preview('Facebook', facebook.handle);
      const ig = preview('Instagram', instagram.handle);
      const th = preview('Threads', threads.handle);
      await fb.waitFor();
      expect(await fb.locator('.link-card').textContent()).toContain('bakery.example');
      expect(await th.locator('.link-card-url').textContent()).toBe('https://bakery.example/rye');
      const frame = await box(ig.locator('.ig-media img'));
      expect(frame.width / frame.height).toBeCloseTo(0.8, 1);
      // Right to left by its own first strong letter; the link keeps its order inside.
      expect(await fb.locator('.preview-text').getAttribute('dir')).toBe('auto');
      expect(await fb.locator('.preview-text').evaluate((p) => getComputedStyle(p).direction)).toBe('rtl');
      expect(await th.locator('.preview-text').evaluate((p) => getComputedStyle(p).direction)).toBe('rtl');
      await shootPreviews(`previews-meta-rtl-${theme}`);
    });
  }

  it('the page logged no errors', () => {
    expect(problems.messages).toEqual([]);
  });
});
