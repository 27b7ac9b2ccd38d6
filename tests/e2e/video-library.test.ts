import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Media } from '../../main/core/contract';
import en from '../../renderer/src/i18n/locales/en.json';
import { corruptCopy, makeClip, truncateCopy } from '../support/video-fixtures';
import { launchBrowser, openPage, screenshot, type PageProblems } from './support/browser';
import { callHost } from './support/host-data';
import { killIfRunning, removeDataDirs, startHost, type RunningHost } from './support/host';

/**
 * Videos in the library, read by Chromium's own decoders (WebCodecs through mediabunny): real
 * clips made by ffmpeg are imported, the ones this Chromium cannot use are refused by name, a
 * video's facts are shown and a frame found with the strip and the scrubber becomes its cover.
 */

let browser: Browser;
let host: RunningHost;
let page: Page;
let problems: PageProblems;
let closePage: () => Promise<void>;
let files: string;

const fill = (text: string, values: Record<string, string>) => text.replace(/\{\{(\w+)\}\}/g, (_, key: string) => values[key] ?? '');

beforeAll(async () => {
  files = mkdtempSync(join(tmpdir(), 'outpost-e2e-videos-'));
  const tour = makeClip(files, 'Bakery tour.mp4', { seconds: 6, width: 1280, height: 720, fps: 25 });
  makeClip(files, 'Upright.mov', { seconds: 2, width: 640, height: 360, rotate: 90 });
  makeClip(files, 'Screen recording.webm', { seconds: 2, width: 640, height: 360, codec: 'vp9', audio: 'opus' });
  makeClip(files, 'iPhone clip.mp4', { seconds: 1, codec: 'hevc' });
  makeClip(files, 'Old camcorder.mp4', { seconds: 1, codec: 'mpeg4' });
  truncateCopy(tour, files, 'Half copied.mp4', 0.5);
  corruptCopy(tour, files, 'Scrambled.mp4');
  writeFileSync(join(files, 'Empty.mp4'), '');

  browser = await launchBrowser();
  host = await startHost();
  ({ page, problems, close: closePage } = await openPage(browser, { colorScheme: 'light', viewport: { width: 1200, height: 900 } }));
  await page.goto(host.url);
  await page.getByRole('navigation', { name: en.nav.label }).getByRole('link', { name: en.nav.media }).click();
  await page.getByRole('heading', { level: 1, name: en.pages.media.title }).waitFor();
}, 120_000);

afterAll(async () => {
  await closePage?.();
  await browser?.close();
  killIfRunning(host);
  removeDataDirs();
  if (files) rmSync(files, { recursive: true, force: true });
});

const library = () => page.getByRole('list', { name: en.media.libraryHeading });
const dialog = (p: Page = page) => p.getByRole('dialog', { name: fill(en.media.video.title, { name: 'Bakery tour.mp4' }) });

async function openDetails(p: Page): Promise<void> {
  await p.getByRole('button', { name: fill(en.media.video.openFor, { name: 'Bakery tour.mp4' }) }).click();
  await dialog(p).getByText(en.media.video.frameRate).waitFor();
  await dialog(p).getByRole('button', { name: /^Frame at / }).nth(7).waitFor();
}

describe('videos in the library', () => {
  it('imports MP4, MOV and WebM and refuses the rest by name and reason', async () => {
    const chooser = page.waitForEvent('filechooser');
    await page.getByRole('button', { name: en.media.import }).click();
    await (await chooser).setFiles(
      ['Bakery tour.mp4', 'Upright.mov', 'Screen recording.webm', 'iPhone clip.mp4', 'Old camcorder.mp4', 'Half copied.mp4', 'Scrambled.mp4', 'Empty.mp4'].map((n) =>
        join(files, n),
      ),
    );
    const refused = page.getByRole('alert').filter({ has: page.getByRole('heading', { name: /not imported/ }) });
    await refused.waitFor({ timeout: 60_000 });
    const line = (name: string) => refused.getByRole('listitem').filter({ hasText: name });
    await expect.poll(() => line('iPhone clip.mp4').textContent()).toContain(fill(en.media.failure.video_codec_unsupported_here, { codec: 'HEVC (H.265)' }));
    expect(await line('Old camcorder.mp4').textContent()).toContain(fill(en.media.failure.video_codec_unsupported, { codec: 'MPEG-4 Part 2' }));
    expect(await line('Half copied.mp4').textContent()).toContain(en.media.failure.video_unreadable);
    expect(await line('Scrambled.mp4').textContent()).toContain(en.media.failure.video_corrupt);
    expect(await line('Empty.mp4').textContent()).toContain(en.media.failure.empty_file);
    await expect.poll(() => library().getByRole('heading', { level: 3 }).allTextContents()).toEqual(
      expect.arrayContaining(['Bakery tour.mp4', 'Upright.mov', 'Screen recording.webm']),
    );
    // Each video card shows its first frame, drawn in the window.
    await expect.poll(() => library().getByRole('listitem', { name: 'Screen recording.webm' }).locator('img.media-poster').count()).toBe(1);
  }, 120_000);

  it('shows what the file holds: size, frame rate, codecs, rotation and sound', async () => {
    await openDetails(page);
    const fact = async (name: string) => (await dialog().getByText(name, { exact: true }).locator('xpath=following-sibling::dd').textContent())?.trim();
    expect(await fact(en.media.video.duration)).toBe('0:06');
    expect(await fact(en.media.video.resolution)).toBe('1280 × 720');
    expect(await fact(en.media.video.frameRate)).toBe('25 fps');
    expect(await fact(en.media.video.videoCodec)).toBe('H.264');
    expect(await fact(en.media.video.rotation)).toBe(en.media.video.notRotated);
    expect(await fact(en.media.video.audio)).toBe('AAC · 2 ch · 48 kHz');
    await dialog().getByText(en.media.video.noCover).waitFor();
  }, 60_000);

  it('keeps the frame found with the strip and the scrubber as the cover', async () => {
    await dialog().getByRole('button', { name: 'Frame at 0:03.3' }).click();
    const scrubber = dialog().getByRole('slider', { name: en.media.video.scrubber });
    await scrubber.focus();
    for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowRight');
    // The strip's frame (3.375 s, on the 40 ms frame grid 3.36 s), then five frames later.
    await expect.poll(() => scrubber.inputValue()).toBe('3560');
    await dialog().getByRole('img', { name: 'Frame at 0:03.5' }).waitFor();
    await screenshot(page, 'video-cover-picker-light');
    await dialog().getByRole('button', { name: en.media.video.useFrame }).click();
    await dialog().getByText(fill(en.media.video.coverSaved, { time: '0:03.5' })).waitFor();

    const videos = await callHost<Media[]>(host, 'media.list', { kind: 'video' });
    const tour = videos.find((m) => m.fileName === 'Bakery tour.mp4') as Media;
    const cover = await callHost<{ media: Media; atMs: number }>(host, 'media.videoCover', { id: tour.id });
    expect(cover).toMatchObject({ atMs: 3560, media: { kind: 'image', mime: 'image/jpeg', width: 1280, height: 720 } });

    await dialog().getByRole('button', { name: en.media.video.close }).click();
    // The card now shows the cover's own thumbnail.
    const card = library().getByRole('listitem', { name: 'Bakery tour.mp4' });
    await expect.poll(() => card.locator('img.media-poster').getAttribute('src')).toContain(cover.media.id);
    // mediabunny warns as it meets the MPEG-4 Part 2 file, which is then refused by name.
    expect(problems.messages.filter((m) => !m.includes("sample entry type 'mp4v'"))).toEqual([]);
  }, 60_000);

  it('is looked at in dark', async () => {
    const dark = await openPage(browser, { colorScheme: 'dark', viewport: { width: 1200, height: 900 } });
    try {
      await dark.page.goto(host.url);
      await dark.page.getByRole('navigation', { name: en.nav.label }).getByRole('link', { name: en.nav.media }).click();
      await openDetails(dark.page);
      await dialog(dark.page).getByText(fill(en.media.video.coverIs, { time: '0:03.5' })).waitFor();
      await screenshot(dark.page, 'video-cover-picker-dark');
      expect(dark.problems.messages).toEqual([]);
    } finally {
      await dark.close();
    }
  }, 60_000);
});
