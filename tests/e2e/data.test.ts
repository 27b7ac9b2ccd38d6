import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import en from '../../renderer/src/i18n/locales/en.json';
import { launchBrowser, openPage, screenshot } from './support/browser';
import { invokeHost, killIfRunning, makeDataDir, removeDataDirs, startHost, stopHost, type RunningHost } from './support/host';

/**
 * The data folder in the real UI: a lost database is met by the recovery page (never an empty
 * new Outpost), a backup brings everything back, "start empty" keeps every file in the
 * quarantine, and Settings › Data lists backups and restores quarantined files into the library.
 */

let browser: Browser;
let host: RunningHost | undefined;
let page: Page;
let closePage: (() => Promise<void>) | undefined;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterEach(async () => {
  await closePage?.();
  closePage = undefined;
  if (host) await stopHost(host).catch(() => killIfRunning(host));
  host = undefined;
});
afterAll(async () => {
  await browser?.close();
  removeDataDirs();
});

type Ok<T> = { ok: true; value: T };

async function call<T>(name: string, args: unknown): Promise<T> {
  const result = (await invokeHost(host!, name, args)) as Ok<T> | { ok: false; error: unknown };
  if (!result.ok) throw new Error(`${name} failed: ${JSON.stringify(result.error)}`);
  return result.value;
}

async function importImage(color: string): Promise<string> {
  const bytes = await sharp({ create: { width: 120, height: 90, channels: 3, background: color } }).jpeg().toBuffer();
  const upload = (await (
    await fetch(`${host!.origin}/api/upload`, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream', 'x-outpost-token': host!.token },
      body: bytes,
    })
  ).json()) as Ok<{ uploadId: string }>;
  const [outcome] = await call<{ ok: boolean; media: { id: string; sha256: string } }[]>('media.import', {
    files: [{ uploadId: upload.value.uploadId, fileName: `${color}.jpg` }],
  });
  if (!outcome?.ok) throw new Error(`import failed: ${JSON.stringify(outcome)}`);
  return outcome.media.sha256;
}

/** A folder with a project, a post, two photos and a backup; then its database is lost. */
async function folderWithLostDatabase(): Promise<{ dataDir: string; shas: string[] }> {
  const dataDir = makeDataDir();
  host = await startHost({ dataDir });
  const project = await call<{ id: string }>('projects.create', { name: 'Bakery', color: '#db2777', timezone: 'Asia/Jerusalem' });
  await call('posts.create', { projectId: project.id, body: 'Challah Friday 🍞' });
  const shas = [await importImage('#e11d48'), await importImage('#0ea5e9')];
  await call('data.backupNow', {});
  await stopHost(host);
  host = undefined;
  for (const suffix of ['', '-wal', '-shm']) rmSync(join(dataDir, `outpost.db${suffix}`), { force: true });
  return { dataDir, shas };
}

function filesNamed(dir: string, names: string[]): string[] {
  const found: string[] = [];
  const walk = (d: string) => {
    if (!existsSync(d)) return;
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      if (entry.isDirectory()) walk(join(d, entry.name));
      else if (names.includes(entry.name)) found.push(entry.name);
    }
  };
  walk(dir);
  return found.sort();
}

describe('a lost database in the real UI', () => {
  it('the recovery page says what happened and restores the newest backup', async () => {
    const { dataDir, shas } = await folderWithLostDatabase();
    host = await startHost({ dataDir });
    expect(host.output()).toMatch(/did not open its data \(database_missing\)/);
    let problems: { messages: string[] };
    ({ page, problems, close: closePage } = await openPage(browser));
    await page.goto(host.url);
    await page.getByRole('heading', { level: 1, name: en.data.recovery.title.database_missing }).waitFor();
    await expect.poll(() => page.getByText(en.data.recovery.nothingDeleted).isVisible()).toBe(true);
    await screenshot(page, 'data-recovery-missing');
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(page, 'data-recovery-missing-dark');
    await page.emulateMedia({ colorScheme: 'light' });
    // Every photo is still on disk while the user decides.
    expect(filesNamed(dataDir, shas)).toEqual([...shas].sort());

    await page.getByRole('button', { name: en.data.recovery.restoreNewest }).click();
    // The window starts afresh on the restored data: the app, its project and its post are back.
    await page.getByRole('link', { name: en.nav.settings }).waitFor({ timeout: 15_000 });
    const projects = await call<{ name: string }[]>('projects.list', {});
    expect(projects.map((p) => p.name)).toEqual(['Bakery']);
    const library = await call<{ sha256: string }[]>('media.list', {});
    expect(library.map((m) => m.sha256).sort()).toEqual([...shas].sort());

    await page.getByRole('link', { name: en.nav.settings }).click();
    await page.getByRole('heading', { level: 2, name: en.data.title }).waitFor();
    const table = page.getByRole('table');
    await expect.poll(() => table.getByRole('row').count()).toBeGreaterThanOrEqual(2);
    await page.getByRole('heading', { level: 2, name: en.data.title }).scrollIntoViewIfNeeded();
    await screenshot(page, 'data-settings-backups');
    expect(problems.messages.filter((m) => !/HTTP 503|unavailable/.test(m))).toEqual([]);
  });

  it('"start empty" keeps every photo, and Settings › Data restores them into the library', async () => {
    const { dataDir, shas } = await folderWithLostDatabase();
    host = await startHost({ dataDir });
    ({ page, close: closePage } = await openPage(browser));
    await page.goto(host.url);
    await page.getByRole('heading', { level: 1, name: en.data.recovery.title.database_missing }).waitFor();
    await page.getByRole('button', { name: en.data.recovery.startEmpty }).click();
    await page.getByRole('link', { name: en.nav.settings }).waitFor({ timeout: 15_000 });
    expect(filesNamed(dataDir, shas)).toEqual([...shas].sort());

    await page.getByRole('link', { name: en.nav.settings }).click();
    const quarantine = page.getByRole('list', { name: en.data.quarantine.title });
    await expect.poll(() => quarantine.getByRole('listitem').count()).toBe(2);
    await quarantine.scrollIntoViewIfNeeded();
    await screenshot(page, 'data-settings-quarantine');
    await page.getByRole('button', { name: en.data.quarantine.restoreAll }).click();
    await page.getByRole('status').filter({ hasText: '2 files are back in the library' }).waitFor();
    const library = await call<{ sha256: string }[]>('media.list', {});
    expect(library.map((m) => m.sha256).sort()).toEqual([...shas].sort());
    await expect.poll(() => quarantine.count()).toBe(0);
  });

  it('Export everything, then Import from an export on another (empty) Outpost: the posts and photos come along', async () => {
    const source = makeDataDir();
    host = await startHost({ dataDir: source });
    const project = await call<{ id: string }>('projects.create', { name: 'Gym', color: '#16a34a', timezone: 'Europe/Moscow' });
    await call('posts.create', { projectId: project.id, body: 'Leg day 🦵' });
    const shas = [await importImage('#84cc16')];
    ({ page, close: closePage } = await openPage(browser));
    await page.goto(host.url);
    await page.getByRole('link', { name: en.nav.settings }).click();
    await page.getByRole('button', { name: en.data.move.export }).click();
    const notice = page.getByRole('status').filter({ hasText: 'Exported 1 post and 1 media file' });
    await notice.waitFor();
    const archive = (await notice.locator('bdi').textContent()) ?? '';
    expect(archive).toMatch(/exports\/outpost-export-.*\.tar$/);
    await notice.scrollIntoViewIfNeeded();
    await screenshot(page, 'data-settings-exported');
    await closePage();
    closePage = undefined;
    await stopHost(host);

    host = await startHost({ dataDir: makeDataDir() });
    ({ page, close: closePage } = await openPage(browser));
    await page.goto(host.url);
    await page.getByRole('link', { name: en.nav.settings }).click();
    await page.getByRole('button', { name: en.data.move.import }).click();
    await page.getByLabel(en.data.importDialog.file).setInputFiles(archive);
    await screenshot(page, 'data-import-dialog');
    await page.getByRole('dialog').getByRole('button', { name: en.data.importDialog.confirm, exact: true }).click();
    // The window starts afresh on the imported data.
    await expect.poll(async () => (await call<{ name: string }[]>('projects.list', {})).map((p) => p.name), { timeout: 15_000 }).toEqual(['Gym']);
    const library = await call<{ sha256: string }[]>('media.list', {});
    expect(library.map((m) => m.sha256)).toEqual(shas);
    await page.getByRole('link', { name: en.nav.settings }).waitFor({ timeout: 15_000 });
  });
});
