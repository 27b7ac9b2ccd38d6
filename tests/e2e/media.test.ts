import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import en from '../../renderer/src/i18n/locales/en.json';
import {
  writeImage,
  writeJpeg,
  writeMp4,
  writePngBomb,
  writeSidewaysJpeg,
  writeSparse,
  writeTruncatedJpeg,
} from '../unit/media/fixtures';
import { launchBrowser, openPage, screenshot, type PageProblems } from './support/browser';
import { invokeHost, killIfRunning, removeDataDirs, startHost, stopHost, type RunningHost } from './support/host';

/**
 * A freelancer fills the media library: picks a batch of files (some of them bad), sees the
 * good ones as thumbnails and the bad ones refused by name, describes a photo, searches, and
 * finds it all again after the app restarts. Elements are found by role and name only.
 */

let browser: Browser;
let host: RunningHost;
let page: Page;
let problems: PageProblems;
let closePage: () => Promise<void>;
let files: string;

const good = ['Beach sunset.jpg', 'Portrait.jpg', 'Logo.png', 'Sticker.webp', 'Team intro.mp4'];
const bad: Array<[name: string, message: string]> = [
  ['Holiday half.jpg', en.media.failure.image_corrupt],
  ['Invoice.jpg', en.media.failure.not_media],
  ['Empty.png', en.media.failure.empty_file],
  ['Scan.bmp', en.media.failure.unsupported_format.replace('{{format}}', 'BMP')],
  ['Bomb.png', 'It declares 30000 × 30000 pixels, more than the 200 megapixels Outpost accepts. Resize it first.'],
  ['Drone 8K.mp4', 'It is 3 GB, more than the 2 GB Outpost accepts. Shorten or compress it first.'],
];

beforeAll(async () => {
  files = mkdtempSync(join(tmpdir(), 'outpost-e2e-files-'));
  await writeJpeg(files, 'Beach sunset.jpg', 1600, 1200, 3);
  await writeSidewaysJpeg(files, 'Portrait.jpg');
  await writeImage(files, 'Logo.png', 'png');
  await writeImage(files, 'Sticker.webp', 'webp');
  writeMp4(files, 'Team intro.mp4', { width: 1920, height: 1080, durationMs: 83_000 });
  await writeTruncatedJpeg(files, 'Holiday half.jpg');
  writeFileSync(join(files, 'Invoice.jpg'), 'Invoice 2026-001: 3 hours of posting, 150 EUR\n');
  writeFileSync(join(files, 'Empty.png'), '');
  writeFileSync(join(files, 'Scan.bmp'), Buffer.concat([Buffer.from('BM'), Buffer.alloc(120)]));
  writePngBomb(files, 'Bomb.png');
  writeSparse(files, 'Drone 8K.mp4', 3 * 1024 ** 3);

  browser = await launchBrowser();
  host = await startHost();
  ({ page, problems, close: closePage } = await openPage(browser, { colorScheme: 'light' }));
  await page.goto(host.url);
  await page.getByRole('navigation', { name: en.nav.label }).getByRole('link', { name: en.nav.media }).click();
  await page.getByRole('heading', { level: 1, name: en.pages.media.title }).waitFor();
});

afterAll(async () => {
  await closePage?.();
  await browser?.close();
  killIfRunning(host);
  removeDataDirs();
  if (files) rmSync(files, { recursive: true, force: true });
});

const library = () => page.getByRole('list', { name: en.media.libraryHeading });
const card = (name: string) => library().getByRole('listitem', { name });
const cardNames = () => library().getByRole('heading', { level: 3 }).allTextContents();
const search = () => page.getByRole('searchbox', { name: en.media.search });

async function chooseFiles(names: string[]): Promise<void> {
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: en.media.import }).click();
  await (await chooser).setFiles(names.map((name) => join(files, name)));
}

/** Every thumbnail shown has loaded real pixels (not a broken-image icon). */
async function thumbnailsLoaded(): Promise<number> {
  return library()
    .locator('img')
    .evaluateAll((imgs) => imgs.filter((img) => (img as HTMLImageElement).complete && (img as HTMLImageElement).naturalWidth > 0).length);
}

describe('media library, end to end', () => {
  it('starts empty and says how to add files', async () => {
    await page.getByText(en.media.empty).waitFor();
    expect(await page.getByRole('button', { name: en.media.import }).isEnabled()).toBe(true);
  });

  it('imports a batch from the file chooser: good files land, each bad one is named with its reason', async () => {
    await chooseFiles([...good, ...bad.map(([name]) => name)]);
    await page.getByRole('status').filter({ hasText: '5 files imported.' }).waitFor();

    const alert = page.getByRole('alert');
    await alert.getByRole('heading', { name: '6 files were not imported' }).waitFor();
    const items = await alert.getByRole('listitem').allTextContents();
    expect(items).toEqual(bad.map(([name, message]) => `${name}: ${message}`));

    expect((await cardNames()).sort()).toEqual([...good].sort());
    await expect.poll(thumbnailsLoaded).toBe(4);
    await card('Team intro.mp4').getByText('1:23').waitFor();
    await card('Portrait.jpg').getByText('200 × 400').waitFor();
    await card('Beach sunset.jpg').getByText('1600 × 1200').waitFor();
  });

  it('shows the sideways phone photo upright', async () => {
    const size = await card('Portrait.jpg')
      .locator('img')
      .evaluate((img) => [(img as HTMLImageElement).naturalWidth, (img as HTMLImageElement).naturalHeight]);
    expect(size).toEqual([160, 320]);
  });

  it('takes light and dark screenshots of the library', async () => {
    await screenshot(page, 'media-light');
    expect((await invokeHost(host, 'settings.update', { theme: 'dark' })) as { ok: boolean }).toMatchObject({ ok: true });
    await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    await screenshot(page, 'media-dark');
    await page.evaluate(() => {
      document.documentElement.dir = 'rtl';
    });
    await screenshot(page, 'media-dark-rtl');
    await page.evaluate(() => {
      document.documentElement.dir = 'ltr';
    });
    await invokeHost(host, 'settings.update', { theme: 'light' });
  });

  it('edits the alt text of a photo', async () => {
    await page.getByRole('button', { name: en.media.dismissReport }).click();
    await card('Beach sunset.jpg').getByRole('button', { name: 'Edit alt text for Beach sunset.jpg' }).click();
    const dialog = page.getByRole('dialog', { name: 'Alt text for “Beach sunset.jpg”' });
    await dialog.getByRole('textbox', { name: en.media.altLabel }).fill('Orange sun sinking into a calm sea behind two palm trees');
    await screenshot(page, 'media-alt-dialog');
    await dialog.getByRole('button', { name: en.media.saveAlt }).click();
    await dialog.waitFor({ state: 'detached' });
    await card('Beach sunset.jpg').getByText('Orange sun sinking').waitFor();
    expect(await card('Beach sunset.jpg').getByRole('img').getAttribute('alt')).toBe('Orange sun sinking into a calm sea behind two palm trees');
  });

  it('searches by alt text and file name, and filters to videos', async () => {
    await search().fill('PALM');
    await expect.poll(cardNames).toEqual(['Beach sunset.jpg']);
    await search().fill('intro');
    await expect.poll(cardNames).toEqual(['Team intro.mp4']);
    await search().fill('nothing like this');
    await page.getByText(en.media.noMatches).waitFor();
    await search().fill('');
    await expect.poll(async () => (await cardNames()).length).toBe(5);
    await page.getByRole('radio', { name: en.media.filterVideos }).check();
    await expect.poll(cardNames).toEqual(['Team intro.mp4']);
    await page.getByRole('radio', { name: en.media.filterAll }).check();
    await expect.poll(async () => (await cardNames()).length).toBe(5);
  });

  it('says when a file is already in the library instead of storing it twice', async () => {
    await chooseFiles(['Logo.png']);
    await page.getByRole('status').filter({ hasText: '1 file was already in the library.' }).waitFor();
    expect((await cardNames()).filter((n) => n === 'Logo.png')).toHaveLength(1);
  });

  it('deletes a file after asking, saying how many posts use it', async () => {
    await card('Sticker.webp').getByRole('button', { name: 'Delete Sticker.webp' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete “Sticker.webp”?' });
    await dialog.getByText(en.media.deleteUnused).waitFor();
    await dialog.getByRole('button', { name: en.media.deleteConfirm }).click();
    await dialog.waitFor({ state: 'detached' });
    await expect.poll(cardNames).not.toContain('Sticker.webp');
  });

  it('finds the library intact after the host restarts', async () => {
    // The window goes first, as when the app quits: a page left open would retry the stopped host's event stream into the console.
    await page.goto('about:blank');
    await stopHost(host);
    host = await startHost({ dataDir: host.dataDir, port: host.port });
    await page.goto(host.url);
    await page.getByRole('navigation', { name: en.nav.label }).getByRole('link', { name: en.nav.media }).click();
    await page.getByRole('heading', { level: 1, name: en.pages.media.title }).waitFor();
    await expect.poll(async () => (await cardNames()).sort()).toEqual(['Beach sunset.jpg', 'Logo.png', 'Portrait.jpg', 'Team intro.mp4']);
    await card('Beach sunset.jpg').getByText('Orange sun sinking').waitFor();
    await expect.poll(thumbnailsLoaded).toBe(3);
  });

  it("keeps each client's files with the client: this project's library, the shared one, and moving between them", async () => {
    const created = async (name: string) =>
      ((await invokeHost(host, 'projects.create', { name, color: '#0891b2', timezone: 'Asia/Jerusalem' })) as { value: { id: string } }).value.id;
    await created('Bakery');
    const gym = await created('Gym');
    await writeJpeg(files, 'Challah.jpg', 900, 600, 21);
    await page.reload();
    await page.getByRole('combobox', { name: en.projects.switcherLabel }).selectOption({ label: 'Bakery' });
    const tab = (name: string) => page.getByRole('tab', { name });
    await expect.poll(() => tab(en.media.shelf.project).getAttribute('aria-selected')).toBe('true');
    await page.getByText(en.media.empty).waitFor();

    // Imports on "This project" stay with the project.
    await chooseFiles(['Challah.jpg']);
    await page.getByRole('status').filter({ hasText: '1 file imported.' }).waitFor();
    await expect.poll(cardNames).toEqual(['Challah.jpg']);

    // The files from before any project are in the shared library; the logo moves to the bakery.
    await tab(en.media.shelf.shared).click();
    await expect.poll(async () => (await cardNames()).sort()).toEqual(['Beach sunset.jpg', 'Logo.png', 'Portrait.jpg', 'Team intro.mp4']);
    await card('Logo.png').getByRole('button', { name: 'Move Logo.png to this project' }).click();
    await expect.poll(cardNames).not.toContain('Logo.png');
    await tab(en.media.shelf.project).click();
    await expect.poll(async () => (await cardNames()).sort()).toEqual(['Challah.jpg', 'Logo.png']);
    await page.getByRole('button', { name: en.media.dismissReport }).click();
    await screenshot(page, 'media-project-light');
    await invokeHost(host, 'settings.update', { theme: 'dark' });
    await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    await tab(en.media.shelf.shared).click();
    await expect.poll(async () => (await cardNames()).length).toBe(3);
    await screenshot(page, 'media-shared-dark');
    await invokeHost(host, 'settings.update', { theme: 'light' });

    // The gym's posts are offered its own files and the shared ones, never the bakery's.
    await page.getByRole('combobox', { name: en.projects.switcherLabel }).selectOption({ label: 'Gym' });
    await tab(en.media.shelf.project).click();
    await page.getByText(en.media.empty).waitFor();
    const offered = (await invokeHost(host, 'media.list', { projectId: gym })) as { value: { fileName: string }[] };
    expect(offered.value.map((m) => m.fileName).sort()).toEqual(['Beach sunset.jpg', 'Portrait.jpg', 'Team intro.mp4']);
  });

  it('left nothing red in the console', () => {
    expect(problems.messages).toEqual([]);
  });
});
