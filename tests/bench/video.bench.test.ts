import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import en from '../../renderer/src/i18n/locales/en.json';
import { launchBrowser, openPage } from '../e2e/support/browser';
import { invokeHost, killIfRunning, removeDataDirs, startHost, type RunningHost } from '../e2e/support/host';
import { makeClip } from '../support/video-fixtures';
import { median, recordFigure } from './figures';

/**
 * Video in Chromium through the browser host, on a 60-second 1080p H.264 clip with AAC sound made
 * by ffmpeg. The window marks its own work with User Timing: `video.probe` from opening a video's
 * dialog to its facts read and its first frame drawn.
 */

const CLIP = 'Clip 1080p 60s.mp4';
let browser: Browser;
let host: RunningHost;
let page: Page;
let close: () => Promise<void>;
let dir: string;

const fill = (text: string, values: Record<string, string>) => text.replace(/\{\{(\w+)\}\}/g, (_, key: string) => values[key] ?? '');

async function measures(name: string): Promise<number[]> {
  return page.evaluate((n) => performance.getEntriesByName(n).map((entry) => entry.duration), name);
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'outpost-bench-video-'));
  const clip = makeClip(dir, CLIP, { seconds: 60, width: 1920, height: 1080, fps: 30 });
  browser = await launchBrowser();
  host = await startHost();
  const upload = (await (
    await fetch(`${host.origin}/api/upload`, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream', 'x-outpost-token': host.token },
      body: new Uint8Array(readFileSync(clip)),
    })
  ).json()) as { value: { uploadId: string } };
  const imported = (await invokeHost(host, 'media.import', { files: [{ uploadId: upload.value.uploadId, fileName: CLIP }] })) as { value: { ok: boolean }[] };
  expect(imported.value[0]?.ok).toBe(true);
  ({ page, close } = await openPage(browser, { viewport: { width: 1440, height: 900 } }));
  await page.goto(host.url);
  await page.getByRole('link', { name: en.nav.media }).click();
  await page.getByRole('heading', { level: 1, name: en.pages.media.title }).waitFor();
}, 300_000);

afterAll(async () => {
  await close?.();
  await browser?.close();
  killIfRunning(host);
  removeDataDirs();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

it('reads a 60-second 1080p H.264 clip’s facts and draws its first frame', async () => {
  const runs = 9;
  const dialog = page.getByRole('dialog', { name: fill(en.media.video.title, { name: CLIP }) });
  for (let i = 0; i < runs; i++) {
    await page.getByRole('button', { name: fill(en.media.video.openFor, { name: CLIP }) }).click();
    await expect.poll(async () => (await measures('video.probe')).length, { timeout: 60_000 }).toBe(i + 1);
    // Let the frame strip finish, so it does not slow the next open.
    await dialog.getByRole('button', { name: /^Frame at / }).nth(7).waitFor({ timeout: 60_000 });
    await dialog.getByRole('button', { name: en.media.video.close }).click();
    await dialog.waitFor({ state: 'detached' });
  }
  const times = await measures('video.probe');
  const value = median(times);
  console.log(`video.probe_ms: median ${value.toFixed(1)} ms, runs ${times.map((t) => t.toFixed(0)).join(' ')}`);
  recordFigure({ name: 'video.probe_ms', value, unit: 'ms', target: 300, how: `median of ${runs} opens of the video's dialog: duration, size, frame rate, codecs, rotation, audio and the first frame at 640×360` });
}, 600_000);
