import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toLocal } from '../../main/core/posts/time';
import en from '../../renderer/src/i18n/locales/en.json';
import { makeClip } from '../support/video-fixtures';
import { startYouTubeFake, type FakeChannel, type FakeGoogleApp, type YouTubeFake } from '../fakes/youtube-fake';
import { makeTempDir } from '../unit/support/backend';
import { launchBrowser, openPage, screenshot, screenshotDir, type PageProblems } from './support/browser';
import { invokeHost, killIfRunning, makeDataDir, removeDataDirs, startHost, type RunningHost } from './support/host';

/**
 * Issue 13's YouTube case, in Chromium against the browser host and the YouTube fake (API calls
 * checked against Google's Discovery document, the consent page and token endpoint against Google's
 * installed-app OAuth page): a channel connected through the real loopback sign-in with PKCE and the
 * user's Desktop client, then a vertical ffmpeg clip with its YouTube options scheduled for tomorrow
 * 09:00 in the project's zone and handed to YouTube — uploaded private with status.publishAt at that
 * instant — while the watch-page preview is shown light and dark.
 */

const ZONE = 'Europe/Berlin';
const HOUR = 60 * 60_000;

let browser: Browser;
let host: RunningHost;
let dataDir: string;
let page: Page;
let problems: PageProblems;
let closePage: () => Promise<void>;
let yt: YouTubeFake;
let app: FakeGoogleApp;
let channel: FakeChannel;
let projectId: string;
let clips: ReturnType<typeof makeTempDir>;

const fill = (text: string, values: Record<string, string | number>) => text.replace(/\{\{(\w+)\}\}/g, (_, key: string) => String(values[key]));

async function call<T>(name: string, args: unknown): Promise<T> {
  const reply = (await invokeHost(host, name, args)) as { ok: true; value: T } | { ok: false; error: unknown };
  if (!reply.ok) throw new Error(`${name}: ${JSON.stringify(reply.error)}`);
  return reply.value;
}

async function importVideo(path: string, fileName: string): Promise<void> {
  const upload = (await (
    await fetch(`${host.origin}/api/upload`, { method: 'POST', headers: { 'content-type': 'application/octet-stream', 'x-outpost-token': host.token }, body: readFileSync(path) })
  ).json()) as { ok: true; value: { uploadId: string } };
  const [outcome] = await call<{ ok: boolean }[]>('media.import', { files: [{ uploadId: upload.value.uploadId, fileName }], projectId });
  if (!outcome?.ok) throw new Error(`import of ${fileName} failed: ${JSON.stringify(outcome)}`);
}

beforeAll(async () => {
  yt = await startYouTubeFake();
  app = yt.addApp();
  channel = yt.addChannel('Corner Bakery');
  yt.signInAs(channel);
  clips = makeTempDir('outpost-youtube-e2e-');
  browser = await launchBrowser();
  dataDir = makeDataDir();
  host = await startHost({ dataDir, env: { OUTPOST_NETWORK_BASE_URLS: JSON.stringify({ youtube: yt.baseUrl }) } });
  projectId = (await call<{ id: string }>('projects.create', { name: 'Corner Bakery', color: '#b45309', timezone: ZONE })).id;
  await importVideo(makeClip(clips.path, 'shaping.mp4', { seconds: 4, width: 720, height: 1280 }), 'shaping.mp4');
  ({ page, problems, close: closePage } = await openPage(browser, { viewport: { width: 1440, height: 1000 } }));
  await page.goto(host.url);
  await page.getByRole('heading', { level: 1 }).first().waitFor();
});

afterAll(async () => {
  await closePage?.();
  await browser?.close();
  killIfRunning(host);
  removeDataDirs();
  clips?.remove();
  await yt?.close();
});

describe('YouTube, end to end', () => {
  it('connects a channel through the loopback sign-in with PKCE and the user’s Desktop OAuth client', async () => {
    await page.getByRole('link', { name: en.nav.accounts }).click();
    await page.getByRole('button', { name: en.accounts.connect.youtube }).click();
    const dialog = page.getByRole('dialog', { name: en.accounts.connect.youtube });
    await dialog.getByText(en.accounts.youtube.handoff).waitFor();
    await dialog.getByLabel(en.accounts.youtube.clientId, { exact: true }).fill(app.clientId);
    await dialog.getByLabel(en.accounts.youtube.clientSecret, { exact: true }).fill(app.clientSecret);
    await screenshot(page, 'youtube-connect-dialog');
    const signInTab = page.context().waitForEvent('page');
    await dialog.getByRole('button', { name: en.accounts.youtube.submit }).click();
    const tab = await signInTab;
    await tab.getByText('You can close this tab and return to Outpost.').waitFor();
    await tab.close();
    await dialog.waitFor({ state: 'detached' });
    const consent = yt.requests.find((r) => r.path === '/o/oauth2/v2/auth')!;
    expect(consent.query.get('code_challenge_method')).toBe('S256');
    expect(new URL(consent.query.get('redirect_uri')!).hostname).toBe('127.0.0.1');
    const [account] = await call<{ network: string; handle: string; displayName: string; status: string; nativeScheduler: string | null }[]>('accounts.list', { projectId });
    expect(account).toMatchObject({ network: 'youtube', handle: '@cornerbakery', displayName: 'Corner Bakery', status: 'connected' });
  });

  it('schedules a vertical clip for tomorrow 09:00 with its YouTube options; YouTube holds it private with publishAt at that instant', async () => {
    const text = 'Shaping sourdough at dawn\nHow our morning loaves get their shape, in four seconds.';
    await page.getByRole('link', { name: en.nav.compose }).click();
    await page.getByRole('button', { name: en.compose.list.new }).click();
    await page.getByRole('checkbox', { name: fill(en.compose.targets.account, { network: 'YouTube', handle: '@cornerbakery' }) }).check();
    await page.getByRole('textbox', { name: en.compose.editor.post }).fill(text);
    await page.getByRole('button', { name: en.compose.media.attach }).click();
    const library = page.getByRole('dialog', { name: en.compose.library.title });
    await library.getByRole('checkbox', { name: 'shaping.mp4' }).check();
    await library.getByRole('button', { name: 'Attach 1 item' }).click();
    await library.waitFor({ state: 'detached' });

    const options = page.getByRole('group', { name: en.compose.youtube.title });
    await options.getByLabel(en.compose.youtube.videoTitle, { exact: true }).fill('Shaping sourdough');
    await options.getByLabel(en.compose.youtube.tags, { exact: true }).fill('bread, sourdough baking');
    await options.getByLabel(en.compose.youtube.category, { exact: true }).selectOption('26');
    await options.getByLabel(en.compose.youtube.shorts).check();
    // A 720×1280 clip of 4 s qualifies as a Short, and the composer says so.
    await options.getByText(en.compose.youtube.shortsYes).waitFor();

    const preview = page.getByRole('article', { name: fill(en.compose.preview.label, { network: 'YouTube', handle: '@cornerbakery' }) });
    await preview.getByRole('heading', { name: 'Shaping sourdough' }).waitFor();
    await preview.getByText('0:04').waitFor();
    await page.getByRole('status').filter({ hasText: en.compose.save.saved }).waitFor();
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await preview.scrollIntoViewIfNeeded();
      await preview.screenshot({ path: join(screenshotDir, `youtube-preview-${scheme}.png`) });
      await options.screenshot({ path: join(screenshotDir, `youtube-options-${scheme}.png`) });
    }
    await page.emulateMedia({ colorScheme: 'light' });

    const tomorrow = `${toLocal(Date.now() + 24 * HOUR, ZONE).slice(0, 10)}T09:00`;
    await page.getByLabel(fill(en.compose.schedule.time, { zone: ZONE })).fill(tomorrow);
    await page.getByRole('status').filter({ hasText: en.compose.save.saved }).waitFor();
    // Today's uploads of the Google project's 100, as Outpost counted them, before scheduling.
    await page.getByRole('list', { name: en.compose.quota.title }).getByText(/YouTube @cornerbakery: 0 of 100 posts/).waitFor({ timeout: 20_000 });
    const blocked = page.getByRole('list', { name: en.compose.schedule.blocked });
    await expect.poll(async () => ((await blocked.count()) > 0 ? await blocked.textContent() : ''), { timeout: 10_000 }).toBe('');
    await page.getByRole('button', { name: en.compose.schedule.schedule }).click();
    await page.getByRole('button', { name: en.compose.schedule.unschedule }).waitFor();

    // The handoff sweep runs every 15 s: YouTube then holds the video, private until 09:00 Berlin time.
    await expect.poll(() => yt.live(channel).length, { timeout: 60_000 }).toBe(1);
    const [held] = yt.live(channel);
    expect(held!.status.privacyStatus).toBe('private');
    expect(toLocal(Date.parse(held!.status.publishAt!), ZONE)).toBe(tomorrow);
    expect(held!.snippet).toMatchObject({ title: 'Shaping sourdough', description: `${text}\n\n#Shorts`, tags: ['bread', 'sourdough baking'], categoryId: '26' });
    expect(held!.status.selfDeclaredMadeForKids).toBe(false);
    expect(yt.uploads).toHaveLength(1);
    expect(yt.uploads[0]!.received).toBe(held!.bytes);
    await page.getByRole('list', { name: en.publishing.targets }).getByText(/^Scheduled on YouTube for /).waitFor({ timeout: 15_000 });
    await screenshot(page, 'youtube-handed-off');
    expect(yt.violations).toEqual([]);
    expect(problems.messages).toEqual([]);
  });
});
