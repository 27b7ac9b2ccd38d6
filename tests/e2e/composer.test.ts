import Database from 'better-sqlite3';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import en from '../../renderer/src/i18n/locales/en.json';
import { launchBrowser, openPage, screenshot, type PageProblems } from './support/browser';
import { invokeHost, killIfRunning, makeDataDir, removeDataDirs, startHost, stopHost, type RunningHost } from './support/host';

/**
 * The composer in a real Chromium against the browser host: a post for three networks with an
 * override and two images survives a restart; a draft typed and then cut off by SIGKILL comes
 * back whole; counters, previews, undo and right-to-left text behave. Found by role and name.
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

const accounts = [
  { id: 'acc-telegram', network: 'telegram', handle: '@acme_bakery', name: 'Acme Bakery' },
  { id: 'acc-mastodon', network: 'mastodon', handle: '@acme@mastodon.social', name: 'Acme' },
  { id: 'acc-bluesky', network: 'bluesky', handle: '@acme.bsky.social', name: 'Acme Bakery' },
] as const;

const t = (text: string, values: Record<string, string | number>) => text.replace(/\{\{(\w+)\}\}/g, (_, key: string) => String(values[key]));
const tab = (network: string, handle: string) => t(en.compose.tabs.target, { network, handle });
const counterName = (network: string, handle: string) => t(en.compose.counter.label, { network, handle });
const previewName = (network: string, handle: string) => t(en.compose.preview.label, { network, handle });
const networkName = { telegram: 'Telegram', mastodon: 'Mastodon', bluesky: 'Bluesky' } as const;

async function call<T>(name: string, args: unknown): Promise<T> {
  const reply = (await invokeHost(host, name, args)) as Ok<T> | { ok: false; error: unknown };
  if (!reply.ok) throw new Error(`${name}: ${JSON.stringify(reply.error)}`);
  return reply.value;
}

/** Accounts are written straight into the store: connecting one needs the network, which tests do elsewhere. */
function seedAccounts(): void {
  const db = new Database(join(dataDir, 'outpost.db'));
  db.pragma('busy_timeout = 5000');
  const insert = db.prepare(
    `INSERT INTO accounts (id, project_id, network, handle, display_name, status, created_at, updated_at, remote_key)
     VALUES (?, ?, ?, ?, ?, 'connected', 0, 0, ?)`,
  );
  for (const a of accounts) insert.run(a.id, projectId, a.network, a.handle, a.name, a.id);
  db.close();
}

async function importImage(fileName: string, width: number, height: number, color: string, format: 'jpeg' | 'png'): Promise<string> {
  const image = sharp({ create: { width, height, channels: 3, background: color } });
  const bytes = await (format === 'jpeg' ? image.jpeg() : image.png()).toBuffer();
  const upload = (await (
    await fetch(`${host.origin}/api/upload`, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream', 'x-outpost-token': host.token },
      body: bytes,
    })
  ).json()) as Ok<{ uploadId: string }>;
  const [outcome] = await call<{ ok: boolean; media: { id: string } }[]>('media.import', {
    files: [{ uploadId: upload.value.uploadId, fileName }],
  });
  if (!outcome?.ok) throw new Error(`import of ${fileName} failed: ${JSON.stringify(outcome)}`);
  return outcome.media.id;
}

async function openComposer(): Promise<void> {
  ({ page, problems, close: closePage } = await openPage(browser));
  await page.goto(host.url);
  await page.getByRole('link', { name: en.nav.compose }).click();
  await page.getByRole('heading', { level: 1, name: en.pages.compose.title }).waitFor();
}

async function restartHost(kill: 'SIGTERM' | 'SIGKILL'): Promise<void> {
  const port = host.port;
  if (kill === 'SIGTERM') await stopHost(host);
  else {
    const exited = new Promise((resolve) => host.child.once('exit', resolve));
    host.child.kill('SIGKILL');
    await exited;
  }
  host = await startHost({ dataDir, port });
}

const saved = () => page.getByRole('status').filter({ hasText: en.compose.save.saved });
const postText = () => page.getByRole('textbox', { name: en.compose.editor.post });

beforeAll(async () => {
  browser = await launchBrowser();
  dataDir = makeDataDir();
  host = await startHost({ dataDir });
  projectId = (await call<{ id: string }>('projects.create', { name: 'Acme Bakery', color: '#ea580c', timezone: 'Europe/Berlin' })).id;
  seedAccounts();
});

afterAll(async () => {
  await closePage?.();
  await browser?.close();
  killIfRunning(host);
  removeDataDirs();
});

describe('composer, end to end', () => {
  let croissant: string;
  let bread: string;
  const body = 'Fresh croissants every morning 🥐 from 7:00! Order at https://acme-bakery.example/order #bakery';
  const blueskyText = 'Croissants 🥐 at 7 — order at acme-bakery.example/order';

  it('composes a post for three networks with one override and two images, with counters and previews', async () => {
    croissant = await importImage('croissant.jpg', 1080, 1350, '#d08c3a', 'jpeg');
    bread = await importImage('bread.png', 1600, 900, '#7a4b21', 'png');
    await openComposer();
    await page.getByRole('button', { name: en.compose.list.new }).click();
    await saved().waitFor();

    for (const a of accounts) {
      await page.getByRole('checkbox', { name: t(en.compose.targets.account, { network: networkName[a.network], handle: a.handle }) }).check();
    }
    await postText().fill(body);

    // Live counters, one per target, each counting the way its network does.
    const counter = (network: keyof typeof networkName, handle: string) =>
      page.getByRole('group', { name: counterName(networkName[network], handle) });
    await expect.poll(() => counter('telegram', accounts[0].handle).textContent()).toContain(`${[...body].length} / 4,096`);
    // Mastodon counts the link as 23, however long it is.
    const link = 'https://acme-bakery.example/order';
    await expect.poll(() => counter('mastodon', accounts[1].handle).textContent()).toContain(`${[...body].length - link.length + 23} / 500`);
    await expect.poll(() => counter('bluesky', accounts[2].handle).textContent()).toContain(`${[...body].length} / 300`);

    // Two images from the library, in the order picked.
    await page.getByRole('button', { name: en.compose.media.attach }).click();
    const library = page.getByRole('dialog', { name: en.compose.library.title });
    await library.getByRole('checkbox', { name: 'croissant.jpg' }).check();
    await library.getByRole('checkbox', { name: 'bread.png' }).check();
    await library.getByRole('button', { name: 'Attach 2 items' }).click();
    await library.waitFor({ state: 'detached' });
    const strip = page.getByRole('region', { name: en.compose.media.title });
    await expect.poll(() => strip.getByRole('listitem').allTextContents()).toHaveLength(2);
    // Reorder: bread first, then back.
    await page.getByRole('button', { name: 'Move bread.png earlier' }).click();
    await expect.poll(() => strip.getByRole('img').evaluateAll((imgs) => imgs.map((i) => i.getAttribute('alt')))).toEqual(['bread.png', 'croissant.jpg']);
    await page.getByRole('button', { name: 'Move bread.png later' }).click();
    // With images, Telegram's text is a caption: 1,024.
    await expect.poll(() => counter('telegram', accounts[0].handle).textContent()).toContain(`${[...body].length} / 1,024`);

    // Bluesky gets its own, shorter text; past 300 its counter turns red and names the rule.
    await page.getByRole('tab', { name: tab('Bluesky', accounts[2].handle) }).click();
    await page.getByRole('checkbox', { name: t(en.compose.override.text, { network: 'Bluesky' }) }).check();
    const blueskyBox = page.getByRole('textbox', { name: t(en.compose.editor.target, { network: 'Bluesky', handle: accounts[2].handle }) });
    await blueskyBox.fill('🥐'.repeat(301));
    await expect.poll(() => counter('bluesky', accounts[2].handle).getAttribute('class')).toContain('over');
    expect(await counter('bluesky', accounts[2].handle).textContent()).toContain(
      t(en.compose.counter.over, { over: 1, rule: t(en.compose.rule.bluesky, { limit: 300 }) }),
    );
    await screenshot(page, 'composer-over-limit');
    await blueskyBox.fill(blueskyText);
    await expect.poll(() => counter('bluesky', accounts[2].handle).getAttribute('class')).not.toContain('over');

    // Previews: one per target, with its own text and both images.
    for (const a of accounts) {
      const preview = page.getByRole('article', { name: previewName(networkName[a.network], a.handle) });
      await expect.poll(() => preview.textContent()).toContain(a.network === 'bluesky' ? blueskyText : body);
      await expect.poll(() => preview.getByRole('img').count()).toBe(2);
    }
    // Thumbnails really load from the library.
    await expect
      .poll(() => page.locator('.preview img').evaluateAll((imgs) => imgs.every((i) => (i as HTMLImageElement).naturalWidth > 0)))
      .toBe(true);

    await saved().waitFor();
    await screenshot(page, 'composer-light');
    expect(problems.messages).toEqual([]);
  });

  it('finds it all intact after the host restarts', async () => {
    await closePage();
    await restartHost('SIGTERM');
    await openComposer();
    await page.getByRole('button', { name: new RegExp(body.slice(0, 20)) }).click();
    await expect.poll(() => postText().inputValue()).toBe(body);
    for (const a of accounts) {
      expect(await page.getByRole('checkbox', { name: t(en.compose.targets.account, { network: networkName[a.network], handle: a.handle }) }).isChecked()).toBe(true);
    }
    const strip = page.getByRole('region', { name: en.compose.media.title });
    expect(await strip.getByRole('img').evaluateAll((imgs) => imgs.map((i) => i.getAttribute('alt')))).toEqual(['croissant.jpg', 'bread.png']);
    await page.getByRole('tab', { name: tab('Bluesky', accounts[2].handle) }).click();
    expect(
      await page.getByRole('textbox', { name: t(en.compose.editor.target, { network: 'Bluesky', handle: accounts[2].handle }) }).inputValue(),
    ).toBe(blueskyText);
    const stored = await call<{ body: string; media: { mediaId: string }[]; targets: { network: string; bodyOverride: string | null }[] }>(
      'posts.list',
      { projectId },
    );
    expect(stored).toHaveLength(1);
    const post = await call<{ body: string; media: { mediaId: string }[]; targets: { network: string; bodyOverride: string | null }[] }>(
      'posts.get',
      { id: (stored as unknown as { id: string }[])[0]?.id },
    );
    expect(post.body).toBe(body);
    expect(post.media.map((m) => m.mediaId)).toEqual([croissant, bread]);
    expect(post.targets.map((x) => [x.network, x.bodyOverride])).toEqual([
      ['telegram', null],
      ['mastodon', null],
      ['bluesky', blueskyText],
    ]);
    expect(problems.messages).toEqual([]);
  });

  it('lists what blocks scheduling, and schedules once it is fixed', async () => {
    await page.getByRole('tab', { name: en.compose.tabs.all }).click();
    const blocked = page.getByRole('list', { name: en.compose.schedule.blocked });
    await expect.poll(() => blocked.textContent()).toContain(en.compose.problems.no_time);
    await page.getByLabel(t(en.compose.schedule.time, { zone: 'Europe/Berlin' })).fill('2031-05-04T09:30');
    await blocked.waitFor({ state: 'detached' });
    await saved().waitFor();
    await page.getByRole('button', { name: en.compose.schedule.schedule }).click();
    await page.getByRole('button', { name: en.compose.schedule.unschedule }).waitFor();
    const post = await call<{ status: string; scheduledAt: number; timezone: string }[]>('posts.list', { projectId, statuses: ['scheduled'] });
    expect(post[0]).toMatchObject({ status: 'scheduled', scheduledAt: Date.UTC(2031, 4, 4, 7, 30), timezone: 'Europe/Berlin' });
  });

  it('shows the composer in dark', async () => {
    await call('settings.update', { theme: 'dark' });
    await page.reload();
    await page.getByRole('combobox', { name: en.compose.list.filter }).selectOption('scheduled');
    await page.getByRole('button', { name: new RegExp(body.slice(0, 20)) }).click();
    await expect.poll(() => postText().inputValue()).toBe(body);
    await screenshot(page, 'composer-dark');
    await call('settings.update', { theme: 'light' });
  });

  it('undoes and redoes typing with the keyboard', async () => {
    await page.getByRole('combobox', { name: en.compose.list.filter }).selectOption('draft');
    await page.getByRole('button', { name: en.compose.list.new }).click();
    const box = postText();
    await box.click();
    await page.keyboard.type('Hello world');
    await page.keyboard.press('ControlOrMeta+z');
    await expect.poll(() => box.inputValue()).toBe('Hello');
    await page.keyboard.press('ControlOrMeta+z');
    await expect.poll(() => box.inputValue()).toBe('');
    await page.keyboard.press('ControlOrMeta+Shift+z');
    await expect.poll(() => box.inputValue()).toBe('Hello');
    // An emoji from the picker is one step of its own.
    await page.getByRole('button', { name: en.compose.toolbar.emoji }).click();
    const picker = page.getByRole('dialog', { name: en.compose.emoji.title });
    await picker.getByRole('tab', { name: en.compose.emoji.category.food }).click();
    await picker.getByRole('button', { name: 'croissant' }).click();
    await expect.poll(() => box.inputValue()).toBe('Hello🥐');
    await page.getByRole('button', { name: en.compose.toolbar.undo }).click();
    await expect.poll(() => box.inputValue()).toBe('Hello');
  });

  it('writes, edits and counts right-to-left text', async () => {
    const box = postText();
    const hebrew = 'שלום עולם! מאפייה טרייה 🥖';
    await box.fill(hebrew);
    expect(await box.getAttribute('dir')).toBe('auto');
    expect(await box.evaluate((el) => el.matches(':dir(rtl)'))).toBe(true);
    await box.press('End');
    await page.keyboard.press('Backspace');
    await page.keyboard.press('Backspace');
    await expect.poll(() => box.inputValue()).toBe('שלום עולם! מאפייה טרייה');
    await page.getByRole('checkbox', { name: t(en.compose.targets.account, { network: 'Bluesky', handle: accounts[2].handle }) }).check();
    const counter = page.getByRole('group', { name: counterName('Bluesky', accounts[2].handle) });
    await expect.poll(() => counter.textContent()).toContain(`${[...'שלום עולם! מאפייה טרייה'].length} / 300`);
    const preview = page.getByRole('article', { name: previewName('Bluesky', accounts[2].handle) }).locator('.preview-text');
    await expect.poll(() => preview.evaluate((el) => el.matches(':dir(rtl)'))).toBe(true);
    await saved().waitFor();
    await screenshot(page, 'composer-rtl-text');
    // The whole composer mirrors for a right-to-left interface language: the post list moves right.
    await page.evaluate(() => {
      document.documentElement.dir = 'rtl';
    });
    const list = await page.getByRole('region', { name: en.compose.list.title }).boundingBox();
    const editorBox = await box.boundingBox();
    expect((list?.x ?? 0) > (editorBox?.x ?? 0)).toBe(true);
    await screenshot(page, 'composer-rtl-ui');
    await page.evaluate(() => {
      document.documentElement.dir = 'ltr';
    });
  });
});

describe('composer tools', () => {
  it('adds UTM tags, inserts a saved hashtag set and snippet, keeps labels, duplicates and deletes with confirmation', async () => {
    await page.getByRole('button', { name: en.compose.list.new }).click();
    await saved().waitFor();
    await postText().fill('Visit acmebakery.com/menu today');

    await page.getByRole('button', { name: en.compose.links.utm }).click();
    const utm = page.getByRole('dialog', { name: en.compose.utm.title });
    await utm.getByRole('textbox', { name: en.compose.utm.source }).fill('newsletter');
    await utm.getByRole('textbox', { name: en.compose.utm.campaign }).fill('spring');
    await utm.getByRole('button', { name: en.compose.utm.apply }).click();
    await expect
      .poll(() => postText().inputValue())
      .toBe('Visit acmebakery.com/menu?utm_source=newsletter&utm_medium=social&utm_campaign=spring today');

    await postText().press('ControlOrMeta+End');
    await page.getByRole('button', { name: en.compose.toolbar.hashtags }).click();
    const hashtags = page.getByRole('dialog', { name: en.compose.hashtags.title });
    await hashtags.getByRole('textbox', { name: en.compose.hashtags.name }).fill('Bakery');
    await hashtags.getByRole('textbox', { name: en.compose.hashtags.tags }).fill('#bread #sourdough');
    await hashtags.getByRole('button', { name: en.compose.hashtags.save }).click();
    await hashtags.getByRole('button', { name: t(en.compose.hashtags.insert, { name: 'Bakery' }) }).click();
    await expect.poll(() => postText().inputValue()).toMatch(/ today #bread #sourdough$/);

    await page.getByRole('button', { name: en.compose.toolbar.snippets }).click();
    const snippets = page.getByRole('dialog', { name: en.compose.snippets.title });
    await snippets.getByRole('textbox', { name: en.compose.snippets.name }).fill('Signature');
    await snippets.getByRole('textbox', { name: en.compose.snippets.body }).fill('\n— The Acme team');
    await snippets.getByRole('button', { name: en.compose.snippets.save }).click();
    await snippets.getByRole('button', { name: t(en.compose.snippets.insert, { name: 'Signature' }) }).click();
    await expect.poll(() => postText().inputValue()).toMatch(/#sourdough\n— The Acme team$/);

    await page.getByRole('textbox', { name: en.compose.details.labels }).fill('Launch, Spring');
    await page.getByRole('textbox', { name: en.compose.details.notes }).fill('Client approved');
    await saved().waitFor();
    const text = await postText().inputValue();

    await page.getByRole('button', { name: en.compose.duplicate }).click();
    await expect.poll(async () => (await call<{ excerpt: string }[]>('posts.list', { projectId })).filter((p) => p.excerpt === text).length).toBe(2);
    await expect.poll(() => postText().inputValue()).toBe(text);

    await page.getByRole('button', { name: en.compose.delete }).click();
    const confirm = page.getByRole('dialog', { name: en.compose.deleteDialog.title });
    await confirm.getByRole('button', { name: en.compose.deleteDialog.confirm }).click();
    await confirm.waitFor({ state: 'detached' });
    const left = (await call<{ excerpt: string; labels: string[] }[]>('posts.list', { projectId })).filter((p) => p.excerpt === text);
    expect(left).toHaveLength(1);
    expect(left[0]?.labels).toEqual(['Launch', 'Spring']);
    await page.getByText(en.compose.empty).waitFor();
    expect(problems.messages).toEqual([]);
  });
});

describe('drafts are never lost', () => {
  it('keeps every character typed before the host is killed with SIGKILL', async () => {
    await page.getByRole('button', { name: en.compose.list.new }).click();
    await saved().waitFor();
    const typed = 'Draft before the crash: ünïcödé, עברית, 👩‍👩‍👧 family, 🇺🇦 flag, CJK 漢字 — and the last word';
    const updates: number[] = [];
    page.on('request', (request) => {
      if (request.url().endsWith('/api/invoke') && request.postData()?.includes('"posts.update"')) updates.push(Date.now());
    });
    await postText().click();
    await page.keyboard.type(typed, { delay: 15 });
    const lastKey = Date.now();
    // Autosave goes out within a second of the last keystroke, without blur or any other nudge.
    const response = await page.waitForResponse((r) => r.url().endsWith('/api/invoke') && (r.request().postData() ?? '').includes(typed.slice(-12)));
    expect(response.status()).toBe(200);
    const firstAfter = updates.find((at) => at >= lastKey);
    expect(firstAfter, 'a save after the last keystroke').toBeDefined();
    expect((firstAfter as number) - lastKey).toBeLessThan(1000);

    await restartHost('SIGKILL');
    const drafts = await call<{ id: string; excerpt: string }[]>('posts.list', { projectId });
    const draft = drafts.find((d) => d.excerpt.startsWith('Draft before the crash'));
    expect(draft).toBeDefined();
    const post = await call<{ body: string }>('posts.get', { id: draft?.id });
    expect(post.body).toBe(typed);

    // And the UI finds it too, in a new window on the new host.
    await closePage();
    await openComposer();
    await page.getByRole('button', { name: /Draft before the crash/ }).click();
    await expect.poll(() => postText().inputValue()).toBe(typed);
  });
});
