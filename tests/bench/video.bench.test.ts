import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import en from '../../renderer/src/i18n/locales/en.json';
import { launchBrowser, openPage } from '../e2e/support/browser';
import { invokeHost, killIfRunning, removeDataDirs, startHost, type RunningHost } from '../e2e/support/host';
import { makeClip } from '../support/video-fixtures';
import { median, recordFigure } from './figures';
import { createRequire } from 'node:module';
import type * as Mediabunny from 'mediabunny';

/**
 * Video in Chromium through the browser host, on a 60-second 1080p H.264 clip with AAC sound made
 * by ffmpeg. The window marks its own work with User Timing: `video.probe` from opening a video's
 * dialog to its facts read and its first frame drawn. The transcode runs the same mediabunny
 * Conversion the composer's 'Make it fit' uses (1080p H.264 to 720p H.264, sound copied), loaded
 * into the page as mediabunny's own browser bundle.
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

it('transcodes 1080p H.264 to 720p H.264 faster than real time', async () => {
  const videos = (await invokeHost(host, 'media.list', { kind: 'video' })) as { value: { id: string; durationMs: number }[] };
  const clip = videos.value[0] as { id: string; durationMs: number };
  // The clip's first 20 seconds: enough frames for a steady speed, three runs in a few minutes.
  const SPAN_S = 20;
  // Evaluated over the DevTools protocol, so the page's CSP (no eval) does not apply; the bundle sets window.Mediabunny.
  // The package exports only its entry points; the browser bundle sits beside the Node one.
  const bundle = readFileSync(join(dirname(createRequire(import.meta.url).resolve('mediabunny')), 'mediabunny.cjs'), 'utf8');
  await page.evaluate(`(() => { const module = { exports: {} }; const exports = module.exports; ${bundle}\n; window.Mediabunny = module.exports; })()`);
  const runs = 3;
  const seconds: number[] = [];
  for (let i = 0; i < runs; i++) {
    const result = await page.evaluate(async ({ url, SPAN_S }) => {
      const M = (globalThis as unknown as { Mediabunny: typeof Mediabunny }).Mediabunny;
      const input = new M.Input({ formats: M.ALL_FORMATS, source: new M.UrlSource(url) });
      const output = new M.Output({ format: new M.Mp4OutputFormat({ fastStart: 'in-memory' }), target: new M.BufferTarget() });
      const started = performance.now();
      const conversion = await M.Conversion.init({
        input,
        output,
        video: { codec: 'avc', width: 1280, height: 720, fit: 'fill', forceTranscode: true },
        trim: { start: 0, end: SPAN_S },
        showWarnings: false,
      });
      await conversion.execute();
      const elapsed = performance.now() - started;
      const check = new M.Input({ formats: M.ALL_FORMATS, source: new M.BufferSource(output.target.buffer as ArrayBuffer) });
      const track = await check.getPrimaryVideoTrack();
      return { elapsed, width: await track?.getDisplayWidth(), codec: await track?.getCodec(), sound: (await check.getPrimaryAudioTrack()) !== null };
    }, { url: `/api/media/${clip.id}/file`, SPAN_S });
    expect(result).toMatchObject({ width: 1280, codec: 'avc', sound: true });
    seconds.push(result.elapsed / 1000);
  }
  const speeds = seconds.map((s) => SPAN_S / s);
  const value = median(speeds);
  console.log(`video.transcode_x_realtime: median ${value.toFixed(2)}×, runs ${speeds.map((s) => s.toFixed(2)).join(' ')}`);
  recordFigure({
    name: 'video.transcode_x_realtime',
    value,
    unit: 'x',
    target: 1,
    better: 'higher',
    how: `median of ${runs} conversions of the first ${SPAN_S} s of the 1080p30 H.264 clip to 720p H.264 in Chromium (WebCodecs, mediabunny), sound copied; seconds of video per second of work`,
  });
}, 900_000);
