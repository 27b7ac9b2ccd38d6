import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toLocal } from '../../main/core/posts/time';
import en from '../../renderer/src/i18n/locales/en.json';
import { startXFake, type FakeXApp, type FakeXUser, type XFake } from '../fakes/x-fake';
import { join } from 'node:path';
import { launchBrowser, openPage, screenshot, screenshotDir, type PageProblems } from './support/browser';
import { invokeHost, killIfRunning, makeDataDir, removeDataDirs, startHost, type RunningHost } from './support/host';

/**
 * Issue 13's X case, in Chromium against the browser host and the X fake (every API call checked
 * against X's own OpenAPI document, the OAuth window and token endpoint against X's OAuth 2.0 page):
 * an account connected through the real PKCE sign-in — the dialog opens X's authorization window in
 * a tab, which redirects to the host's loopback listener, and the code is traded with the verifier —
 * then a post with an image and its alt text published once, the monthly cap shown before scheduling;
 * then a long text split into a three-part thread in the composer (an image on its second part),
 * published part by part, each once, each a reply to the one before at the fake.
 */

const ZONE = 'Europe/Berlin';

let browser: Browser;
let host: RunningHost;
let dataDir: string;
let page: Page;
let problems: PageProblems;
let closePage: () => Promise<void>;
let x: XFake;
let app: FakeXApp;
let bakery: FakeXUser;
let projectId: string;

const fill = (text: string, values: Record<string, string | number>) => text.replace(/\{\{(\w+)\}\}/g, (_, key: string) => String(values[key]));

async function call<T>(name: string, args: unknown): Promise<T> {
  const reply = (await invokeHost(host, name, args)) as { ok: true; value: T } | { ok: false; error: unknown };
  if (!reply.ok) throw new Error(`${name}: ${JSON.stringify(reply.error)}`);
  return reply.value;
}

async function importImage(fileName: string, color: string, altText: string): Promise<void> {
  const bytes = await sharp({ create: { width: 1200, height: 675, channels: 3, background: color } }).jpeg().toBuffer();
  const upload = (await (
    await fetch(`${host.origin}/api/upload`, { method: 'POST', headers: { 'content-type': 'application/octet-stream', 'x-outpost-token': host.token }, body: bytes })
  ).json()) as { ok: true; value: { uploadId: string } };
  const [outcome] = await call<{ ok: boolean; media?: { id: string } }[]>('media.import', { files: [{ uploadId: upload.value.uploadId, fileName }], projectId });
  if (!outcome?.ok || !outcome.media) throw new Error(`import of ${fileName} failed: ${JSON.stringify(outcome)}`);
  await call('media.update', { id: outcome.media.id, altText });
}

beforeAll(async () => {
  x = await startXFake();
  app = x.addApp();
  bakery = x.addUser('cornerbakery', 'Corner Bakery');
  x.signInAs(bakery);
  browser = await launchBrowser();
  dataDir = makeDataDir();
  host = await startHost({ dataDir, env: { OUTPOST_NETWORK_BASE_URLS: JSON.stringify({ x: x.baseUrl }) } });
  projectId = (await call<{ id: string }>('projects.create', { name: 'Corner Bakery', color: '#b45309', timezone: ZONE })).id;
  await importImage('croissant.jpg', '#d97706', 'Three croissants on a tray');
  ({ page, problems, close: closePage } = await openPage(browser, { viewport: { width: 1440, height: 1000 } }));
  await page.goto(host.url);
  await page.getByRole('heading', { level: 1 }).first().waitFor();
});

afterAll(async () => {
  await closePage?.();
  await browser?.close();
  killIfRunning(host);
  removeDataDirs();
  await x?.close();
});

describe('X, end to end', () => {
  it('connects an X account through the PKCE sign-in in a browser tab, with the app’s Client ID only', async () => {
    await page.getByRole('link', { name: en.nav.accounts }).click();
    await page.getByRole('button', { name: en.accounts.connect.x }).click();
    const dialog = page.getByRole('dialog', { name: en.accounts.connect.x });
    await dialog.getByText(en.accounts.x.noHandoff).waitFor();
    await dialog.getByLabel(en.accounts.x.clientId, { exact: true }).fill(app.clientId);
    await dialog.getByLabel(en.accounts.x.monthlyCap, { exact: true }).fill('500');
    await screenshot(page, 'x-connect-dialog');
    const signInTab = page.context().waitForEvent('page');
    await dialog.getByRole('button', { name: en.accounts.x.submit }).click();
    const tab = await signInTab;
    // X's window carried the S256 challenge; the tab lands on the loopback listener.
    const authorize = x.requests.find((r) => r.path === '/i/oauth2/authorize')!;
    expect(authorize.query.get('code_challenge_method')).toBe('S256');
    await tab.getByText('You can close this tab and return to Outpost.').waitFor();
    await tab.close();
    await dialog.waitFor({ state: 'detached' });
    const [account] = await call<{ network: string; handle: string; status: string }[]>('accounts.list', { projectId });
    expect(account).toMatchObject({ network: 'x', handle: '@cornerbakery', status: 'connected' });
  });

  it('shows the cap and an X preview, and publishes a post with an image and its alt text once', async () => {
    const text = 'Fresh croissants until noon 🥐 #bakery';
    await page.getByRole('link', { name: en.nav.compose }).click();
    await page.getByRole('button', { name: en.compose.list.new }).click();
    await page.getByRole('checkbox', { name: fill(en.compose.targets.account, { network: 'X', handle: '@cornerbakery' }) }).check();
    await page.getByRole('textbox', { name: en.compose.editor.post }).fill(text);
    await page.getByRole('button', { name: en.compose.media.attach }).click();
    const library = page.getByRole('dialog', { name: en.compose.library.title });
    await library.getByRole('checkbox', { name: 'croissant.jpg' }).check();
    await library.getByRole('button', { name: 'Attach 1 item' }).click();
    await library.waitFor({ state: 'detached' });
    const preview = page.getByRole('article', { name: fill(en.compose.preview.label, { network: 'X', handle: '@cornerbakery' }) });
    await preview.waitFor();
    await preview.getByRole('img', { name: 'Three croissants on a tray' }).waitFor();
    await preview.scrollIntoViewIfNeeded();
    await screenshot(page, 'x-preview-light');
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(page, 'x-preview-dark');
    await page.emulateMedia({ colorScheme: 'light' });

    await page.getByLabel(fill(en.compose.schedule.time, { zone: ZONE })).fill(toLocal(Date.now() + 5 * 60_000, ZONE));
    await page.getByRole('status').filter({ hasText: en.compose.save.saved }).waitFor();
    // The cap the user stated, before scheduling.
    await page.getByRole('list', { name: en.compose.quota.title }).getByText(/X @cornerbakery: 0 of 500 posts/).waitFor({ timeout: 20_000 });
    await page.getByRole('button', { name: en.compose.schedule.schedule }).click();
    await page.getByRole('region', { name: en.publishing.title }).getByRole('button', { name: en.publishing.publishNow }).click();
    await page.getByRole('dialog', { name: en.publishing.confirmNow.title }).getByRole('button', { name: en.publishing.confirmNow.publish }).click();
    await expect.poll(() => x.live(bakery).length, { timeout: 30_000 }).toBe(1);
    const [post] = x.live(bakery);
    expect(post!.text).toBe(text);
    expect(post!.mediaIds).toHaveLength(1);
    expect(x.media.find((m) => m.id === post!.mediaIds[0])).toMatchObject({ category: 'tweet_image', alt: 'Three croissants on a tray' });
    await page.getByRole('list', { name: en.publishing.targets }).getByText(/^Published /).waitFor({ timeout: 15_000 });
    expect(x.posts).toHaveLength(1);
    expect(x.violations).toEqual([]);
    expect(problems.messages).toEqual([]);
  });

  it('splits a long text into a three-part thread with an image, and publishes each part once as a reply to the one before', async () => {
    const sentences = [
      'Our new sourdough takes three days: a night for the starter, a day of slow folds, and a cold night in the fridge before it meets the stone oven at dawn.',
      'That long rest is what gives the crust its crackle and the crumb its shine; nothing is added that your grandmother would not recognise, just flour, water and salt.',
      'Come by on Saturday morning from eight, taste a slice with our cultured butter, and take a loaf home while it is still warm enough to sing when you break it.',
    ];
    await page.getByRole('button', { name: en.compose.list.new }).click();
    await page.getByRole('checkbox', { name: fill(en.compose.targets.account, { network: 'X', handle: '@cornerbakery' }) }).check();
    await page.getByRole('textbox', { name: en.compose.editor.post }).fill(sentences.join(' '));
    const thread = page.getByRole('region', { name: en.compose.thread.title });
    await thread.getByRole('button', { name: en.compose.thread.split }).click();
    const partTwo = thread.getByRole('listitem', { name: fill(en.compose.thread.part, { position: 2, total: 3 }) });
    await partTwo.waitFor();
    await thread.getByRole('listitem', { name: fill(en.compose.thread.part, { position: 3, total: 3 }) }).waitFor();
    await partTwo.getByRole('button', { name: en.compose.media.attach }).click();
    const library = page.getByRole('dialog', { name: en.compose.library.title });
    await library.getByRole('checkbox', { name: 'croissant.jpg' }).check();
    await library.getByRole('button', { name: 'Attach 1 item' }).click();
    await library.waitFor({ state: 'detached' });
    const preview = page.getByRole('article', { name: 'X thread of 3 posts by @cornerbakery' });
    await preview.getByRole('img', { name: 'Three croissants on a tray' }).waitFor();
    await page.getByRole('status').filter({ hasText: en.compose.save.saved }).waitFor();
    // The thread in the composer, light and dark: its parts with their counters, and X's preview of it.
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await thread.scrollIntoViewIfNeeded();
      await thread.screenshot({ path: join(screenshotDir, `thread-composer-${scheme}.png`) });
      await preview.screenshot({ path: join(screenshotDir, `thread-preview-${scheme}.png`) });
      await screenshot(page, `thread-page-${scheme}`);
    }
    await page.emulateMedia({ colorScheme: 'light' });

    await page.getByLabel(fill(en.compose.schedule.time, { zone: ZONE })).fill(toLocal(Date.now() + 5 * 60_000, ZONE));
    await page.getByRole('status').filter({ hasText: en.compose.save.saved }).waitFor();
    await page.getByRole('button', { name: en.compose.schedule.schedule }).click();
    await page.getByRole('region', { name: en.publishing.title }).getByRole('button', { name: en.publishing.publishNow }).click();
    await page.getByRole('dialog', { name: en.publishing.confirmNow.title }).getByRole('button', { name: en.publishing.confirmNow.publish }).click();
    await expect.poll(() => x.live(bakery).length, { timeout: 45_000 }).toBe(4);

    const parts = x.live(bakery).slice(1);
    expect(parts.map((p) => p.text)).toEqual([`${sentences[0]} 1/3`, `${sentences[1]} 2/3`, `${sentences[2]} 3/3`]);
    expect(parts.map((p) => p.inReplyTo)).toEqual([undefined, parts[0]!.id, parts[1]!.id]);
    expect(parts.map((p) => p.mediaIds.length)).toEqual([0, 1, 0]);
    expect(x.media.find((m) => m.id === parts[1]!.mediaIds[0])).toMatchObject({ category: 'tweet_image', alt: 'Three croissants on a tray' });
    // Each part once: no text twice among everything the fake was ever asked to post.
    expect(x.posts.filter((p) => parts.some((q) => q.text === p.text))).toHaveLength(3);
    const history = page.getByRole('region', { name: en.publishing.title });
    await history.getByText(fill(en.publishing.history.part.part_published, { part: 3, parts: 3 })).waitFor({ timeout: 15_000 });
    await history.getByText(fill(en.publishing.history.part.part_published, { part: 2, parts: 3 })).waitFor();
    expect(x.violations).toEqual([]);
    expect(problems.messages).toEqual([]);
  });
});
