import Database from 'better-sqlite3';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import en from '../../renderer/src/i18n/locales/en.json';
import { launchBrowser, openPage, screenshot, screenshotDir, type PageProblems } from './support/browser';
import { invokeHost, killIfRunning, makeDataDir, removeDataDirs, startHost, type RunningHost } from './support/host';

/**
 * Issue 10's VK and OK previews in Chromium against the browser host, light and dark: a paid VK
 * post with ten photos (ad mark, signature, source, comments closed) beside an OK topic with three,
 * and a text-only VK post in Hebrew with its link card. Screenshots land in test-results/screenshots.
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

const vkAccount = { id: 'acc-vk', network: 'vk', handle: 'vk.com/bakery_lenina', name: 'Пекарня на Ленина' };
const okAccount = { id: 'acc-ok', network: 'ok', handle: 'ok.ru/group/53038939046008', name: 'Пекарня — группа' };
const paidText = 'Новый ржаной хлеб с тмином уже на полках! Рецепт и история — https://bakery.example/rye #хлеб';
const hebrewText = 'לחם שיפון חדש על המדפים! המתכון: https://bakery.example/rye';

const t = (text: string, values: Record<string, string | number>) => text.replace(/\{\{(\w+)\}\}/g, (_, key: string) => String(values[key]));
const preview = (network: string, handle: string): Locator => page.getByRole('article', { name: t(en.compose.preview.label, { network, handle }) });
const photos = (count: number) => t(count === 1 ? en.compose.preview.photos_one : en.compose.preview.photos_other, { count });

async function call<T>(name: string, args: unknown): Promise<T> {
  const reply = (await invokeHost(host, name, args)) as Ok<T> | { ok: false; error: unknown };
  if (!reply.ok) throw new Error(`${name}: ${JSON.stringify(reply.error)}`);
  return reply.value;
}

/** Accounts are written straight into the store: connecting one needs the network, which vk.test.ts does. */
function seedAccounts(): void {
  const db = new Database(join(dataDir, 'outpost.db'));
  db.pragma('busy_timeout = 5000');
  const insert = db.prepare(
    `INSERT INTO accounts (id, project_id, network, handle, display_name, status, created_at, updated_at, remote_key)
     VALUES (?, ?, ?, ?, ?, 'connected', 0, 0, ?)`,
  );
  for (const a of [vkAccount, okAccount]) insert.run(a.id, projectId, a.network, a.handle, a.name, a.id);
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

beforeAll(async () => {
  browser = await launchBrowser();
  dataDir = makeDataDir();
  host = await startHost({ dataDir });
  projectId = (await call<{ id: string }>('projects.create', { name: 'Пекарня', color: '#b45309', timezone: 'Europe/Moscow' })).id;
  seedAccounts();
  const shapes: [number, number, string][] = [
    [1600, 1067, '#b45309'], [1080, 1350, '#78350f'], [1200, 1200, '#c2410c'], [1600, 900, '#92400e'], [900, 1200, '#a16207'],
    [1200, 800, '#854d0e'], [1080, 1080, '#9a3412'], [1400, 933, '#713f12'], [1000, 1250, '#7c2d12'], [1280, 960, '#a3580f'],
  ];
  const ids: string[] = [];
  for (const [i, [w, h, color]] of shapes.entries()) ids.push(await importImage(`rye-${i + 1}.jpg`, w, h, color));
  await call('posts.create', {
    projectId,
    body: paidText,
    targets: [{ accountId: vkAccount.id }, { accountId: okAccount.id, mediaOverride: ids.slice(0, 3) }],
    media: ids,
    local: '2031-03-02T10:00',
    networkOptions: { vk: { markAsAds: true, signed: true, copyright: 'https://source.example/rye-story', closeComments: true } },
  });
  await call('posts.create', { projectId, body: hebrewText, targets: [{ accountId: vkAccount.id }] });
  await call('posts.create', { projectId, body: 'Only on OK today', targets: [{ accountId: okAccount.id }] });
  ({ page, problems, close: closePage } = await openPage(browser, { viewport: { width: 1440, height: 1000 } }));
  await page.goto(host.url);
  await page.getByRole('heading', { level: 1 }).first().waitFor();
});

afterAll(async () => {
  await closePage?.();
  await browser?.close();
  killIfRunning(host);
  removeDataDirs();
});

describe('VK and OK previews', () => {
  for (const theme of ['light', 'dark'] as const) {
    it(`draw a paid VK post with ten photos and an OK topic with three, ${theme}`, async () => {
      await call('settings.update', { theme });
      await page.reload();
      await openPost('Новый ржаной');
      const vk = preview('VK', vkAccount.handle);
      const ok = preview('OK', okAccount.handle);
      await vk.waitFor();
      // What a reader of the wall sees: the community, the ad mark, ten photos, the signature, the source, no comment count.
      await expect.poll(() => vk.textContent()).toContain(vkAccount.name);
      expect(await vk.textContent()).toContain(`· ${en.compose.preview.vk.ad}`);
      expect(await vk.getByRole('group', { name: photos(10) }).count()).toBe(1);
      expect(await vk.locator('.album-row').evaluateAll((rows) => rows.map((row) => row.children.length))).toEqual([3, 3, 4]);
      expect(await vk.textContent()).toContain(en.compose.preview.vk.signed);
      expect(await vk.textContent()).toContain(`${en.compose.preview.vk.source} source.example`);
      expect(await vk.locator('.feed-action').count()).toBe(3);
      expect(await ok.getByRole('group', { name: photos(3) }).count()).toBe(1);
      expect(await ok.textContent()).not.toContain(en.compose.preview.vk.ad);
      // Ten photos and the link make eleven attachments: VK's rule from core/networks stops the post, in words.
      expect(await page.getByRole('list', { name: en.compose.schedule.blocked }).textContent()).toContain(
        t(en.compose.problems.too_many_attachments, { network: 'VK', actual: 11, limit: 10 }),
      );
      const counter = page.getByRole('group', { name: t(en.compose.counter.label, { network: 'VK', handle: vkAccount.handle }) });
      expect(await counter.textContent()).toContain(t(en.compose.counter.attachmentsWithLink, { used: 11, limit: 10 }));
      // The options that made it, in the composer.
      const options = page.getByRole('group', { name: en.compose.vk.title });
      expect(await options.getByRole('checkbox', { name: en.compose.vk.markAsAds }).isChecked()).toBe(true);
      expect(await options.getByRole('checkbox', { name: en.compose.vk.closeComments }).isChecked()).toBe(true);
      await shootPreviews(`previews-vk-ok-${theme}`);
      await screenshot(page, `composer-vk-ok-${theme}`);
    });

    it(`draw a text-only VK post in Hebrew with its link card, ${theme}`, async () => {
      await openPost('לחם שיפון');
      const vk = preview('VK', vkAccount.handle);
      await vk.waitFor();
      expect(await vk.locator('.link-card').textContent()).toContain('bakery.example');
      expect(await vk.textContent()).not.toContain(`· ${en.compose.preview.vk.ad}`);
      expect(await vk.locator('.feed-action').count()).toBe(4);
      expect(await vk.getByText(hebrewText.slice(0, 10)).getAttribute('dir')).toBe('auto');
      await shootPreviews(`previews-vk-rtl-${theme}`);
    });
  }

  it('offers the VK options only while the post has a VK target', async () => {
    await openPost('Only on OK today');
    await preview('OK', okAccount.handle).waitFor();
    expect(await page.getByRole('group', { name: en.compose.vk.title }).count()).toBe(0);
    await page.getByRole('checkbox', { name: t(en.compose.targets.account, { network: 'VK', handle: vkAccount.handle }) }).check();
    await page.getByRole('group', { name: en.compose.vk.title }).waitFor();
    expect(problems.messages).toEqual([]);
  });
});
