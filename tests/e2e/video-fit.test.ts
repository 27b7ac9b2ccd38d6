import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Media } from '../../main/core/contract';
import en from '../../renderer/src/i18n/locales/en.json';
import { makeClip } from '../support/video-fixtures';
import { launchBrowser, openPage, type PageProblems } from './support/browser';
import { seedProject } from './support/calendar-seed';
import { callHost } from './support/host-data';
import { killIfRunning, makeDataDir, removeDataDirs, startHost, type RunningHost } from './support/host';

/**
 * A screen recording (VP9 WebM with Opus sound) attached to a Telegram post: the composer says
 * Telegram takes MP4, and 'Make it fit Telegram' converts it in Chromium with WebCodecs into an
 * H.264 MP4 that replaces it in the post, the original kept in the library.
 */

let browser: Browser;
let host: RunningHost;
let page: Page;
let problems: PageProblems;
let closePage: () => Promise<void>;
let files: string;
let postId: string;
let originalId: string;
let dataDir: string;

const fill = (text: string, values: Record<string, string>) => text.replace(/\{\{(\w+)\}\}/g, (_, key: string) => values[key] ?? '');

beforeAll(async () => {
  files = mkdtempSync(join(tmpdir(), 'outpost-e2e-fit-'));
  const clip = makeClip(files, 'Screen recording.webm', { seconds: 3, width: 640, height: 360, codec: 'vp9', audio: 'opus' });
  browser = await launchBrowser();
  dataDir = makeDataDir();
  const project = seedProject(dataDir, 'Acme Bakery', 'Europe/Berlin');
  host = await startHost({ dataDir });
  const telegram = project.accounts.find((a) => a.network === 'telegram') as { id: string };
  postId = (await callHost<{ id: string }>(host, 'posts.create', { projectId: project.projectId, body: 'New oven tour', targets: [{ accountId: telegram.id }], local: null })).id;
  const upload = (await (
    await fetch(`${host.origin}/api/upload`, { method: 'POST', headers: { 'content-type': 'application/octet-stream', 'x-outpost-token': host.token }, body: new Uint8Array(readFileSync(clip)) })
  ).json()) as { value: { uploadId: string } };
  const [outcome] = await callHost<{ ok: boolean; media: Media }[]>(host, 'media.import', { files: [{ uploadId: upload.value.uploadId, fileName: 'Screen recording.webm' }], projectId: project.projectId });
  if (!outcome?.ok) throw new Error(`import failed: ${JSON.stringify(outcome)}`);
  originalId = outcome.media.id;
  const db = new Database(join(dataDir, 'outpost.db'));
  try {
    db.pragma('busy_timeout = 5000');
    db.prepare('INSERT INTO post_media (post_id, media_id, position) VALUES (?, ?, 0)').run(postId, originalId);
  } finally {
    db.close();
  }
  ({ page, problems, close: closePage } = await openPage(browser, { viewport: { width: 1280, height: 1000 } }));
  await page.goto(host.url);
  await page.getByRole('link', { name: en.nav.compose }).click();
  await page.locator('.post-item').filter({ hasText: 'New oven tour' }).first().click();
}, 120_000);

afterAll(async () => {
  await closePage?.();
  await browser?.close();
  killIfRunning(host);
  removeDataDirs();
  if (files) rmSync(files, { recursive: true, force: true });
});

describe('a video made to fit a network', () => {
  it('is converted to an H.264 MP4 in the window and replaces the WebM in the post, the original kept', async () => {
    const tile = page.getByRole('listitem', { name: fill(en.compose.media.item, { position: '1', name: 'Screen recording.webm' }) });
    await tile.getByText('Telegram: item 1 (Screen recording.webm) is video/webm; Telegram takes MP4. Save it as MP4.').waitFor({ timeout: 30_000 });
    // The codec is read in the window (WebCodecs), live.
    await tile.getByText('Telegram: video 1 (Screen recording.webm) is encoded as VP9; Telegram takes H.264. Re-encode it as H.264.').waitFor({ timeout: 30_000 });
    await tile.getByRole('button', { name: fill(en.compose.videoFit.startFor, { network: 'Telegram', name: 'Screen recording.webm' }) }).click();
    const done = `${fill(en.compose.videoFit.done, { network: 'Telegram' })} ${en.compose.videoFit.audio.copied}`;
    await page.getByText(done).or(page.getByRole('alert')).first().waitFor({ timeout: 120_000 });
    expect(await page.getByRole('alert').count()).toBe(0);

    const fittedTile = page.getByRole('listitem', { name: fill(en.compose.media.item, { position: '1', name: 'Screen recording (telegram).mp4' }) });
    await fittedTile.waitFor();
    await expect.poll(() => fittedTile.locator('.media-problems').count()).toBe(0);

    const mediaOfPost = async () => (await callHost<{ media: { mediaId: string }[] }>(host, 'posts.get', { id: postId })).media.map((m) => m.mediaId);
    await expect.poll(mediaOfPost).not.toContain(originalId);
    const [fittedId] = await mediaOfPost();
    const fitted = await callHost<Media>(host, 'media.get', { id: fittedId });
    expect(fitted).toMatchObject({ mime: 'video/mp4', width: 640, height: 360, fileName: 'Screen recording (telegram).mp4' });
    // What is inside, read by ffmpeg: H.264 picture, the Opus sound copied as it was.
    const streams = execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'stream=codec_name', '-of', 'csv=p=0', join(dataDir, 'media', fitted.sha256.slice(0, 2), fitted.sha256)], { encoding: 'utf8' });
    expect(streams.trim().split('\n')).toEqual(['h264', 'opus']);
    expect(await callHost<Media>(host, 'media.get', { id: originalId })).toMatchObject({ mime: 'video/webm' });
    expect(problems.messages).toEqual([]);
  }, 180_000);
});
