import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toLocal } from '../../main/core/posts/time';
import en from '../../renderer/src/i18n/locales/en.json';
import { startFacebookFake, type FacebookFake, type FakeFbApp, type FakeFbPage } from '../fakes/facebook-fake';
import { startInstagramFake, type FakeIgAccount, type InstagramFake } from '../fakes/instagram-fake';
import { startThreadsFake, type FakeThreadsApp, type FakeThreadsUser, type ThreadsFake } from '../fakes/threads-fake';
import { startLocalS3, type LocalS3 } from '../unit/relay/local-s3';
import { launchBrowser, openPage, screenshot, type PageProblems } from './support/browser';
import { invokeHost, killIfRunning, makeDataDir, removeDataDirs, startHost, type RunningHost } from './support/host';

/**
 * Issue 11's end-to-end case, in Chromium against the browser host and Meta's fakes (every Graph
 * call checked against Meta's own descriptions, Threads' against its Postman collection): a Page
 * with its Instagram account connected through the real Facebook sign-in, a Facebook post for
 * tomorrow handed to the Page's own scheduler, an Instagram carousel of three images published
 * through the Page relay (the fake Instagram fetches each image from the Page's photo address, and
 * the unpublished photos are gone afterwards), and, for a second client, a Threads post with an
 * image through the client's own S3 bucket (a local S3 server), emptied after publishing.
 */

const BAKERY_ZONE = 'Europe/Berlin';
const GYM_ZONE = 'Europe/Moscow';
const HOUR = 60 * 60_000;

let browser: Browser;
let host: RunningHost;
let page: Page;
let problems: PageProblems;
let closePage: () => Promise<void>;
let fb: FacebookFake;
let ig: InstagramFake;
let th: ThreadsFake;
let s3: LocalS3;
let fbApp: FakeFbApp;
let thApp: FakeThreadsApp;
let bakeryPage: FakeFbPage;
let bakeryInstagram: FakeIgAccount;
let gymThreads: FakeThreadsUser;
let bakeryId: string;
let gymId: string;

const fill = (text: string, values: Record<string, string | number>) => text.replace(/\{\{(\w+)\}\}/g, (_, key: string) => String(values[key]));

async function call<T>(name: string, args: unknown): Promise<T> {
  const reply = (await invokeHost(host, name, args)) as { ok: true; value: T } | { ok: false; error: unknown };
  if (!reply.ok) throw new Error(`${name}: ${JSON.stringify(reply.error)}`);
  return reply.value;
}

async function importImage(projectId: string, fileName: string, color: string): Promise<void> {
  // Instagram takes JPEG only: the relay serves the library's file as it is.
  const bytes = await sharp({ create: { width: 1080, height: 1080, channels: 3, background: color } }).jpeg().toBuffer();
  const upload = (await (
    await fetch(`${host.origin}/api/upload`, { method: 'POST', headers: { 'content-type': 'application/octet-stream', 'x-outpost-token': host.token }, body: bytes })
  ).json()) as { ok: true; value: { uploadId: string } };
  const [outcome] = await call<{ ok: boolean }[]>('media.import', { files: [{ uploadId: upload.value.uploadId, fileName }], projectId });
  if (!outcome?.ok) throw new Error(`import of ${fileName} failed: ${JSON.stringify(outcome)}`);
}

async function useProject(name: string): Promise<void> {
  await page.getByRole('combobox', { name: en.projects.switcherLabel }).selectOption({ label: name });
}

/** The composer's checkbox for one of the project's accounts. */
async function targetLabel(projectId: string, network: string): Promise<string> {
  const accounts = await call<{ network: string; handle: string }[]>('accounts.list', { projectId });
  const account = accounts.find((a) => a.network === network);
  if (!account) throw new Error(`no ${network} account in ${projectId}`);
  return fill(en.compose.targets.account, { network: en.networks[network as keyof typeof en.networks], handle: account.handle });
}

async function openNewPost(projectId: string, network: string, text: string): Promise<void> {
  await page.getByRole('link', { name: en.nav.compose }).click();
  await page.getByRole('heading', { level: 1, name: en.pages.compose.title }).waitFor();
  await page.getByRole('button', { name: en.compose.list.new }).click();
  await page.getByRole('checkbox', { name: await targetLabel(projectId, network) }).check();
  await page.getByRole('textbox', { name: en.compose.editor.post }).fill(text);
}

async function attach(...names: string[]): Promise<void> {
  await page.getByRole('button', { name: en.compose.media.attach }).click();
  const library = page.getByRole('dialog', { name: en.compose.library.title });
  for (const name of names) await library.getByRole('checkbox', { name }).check();
  await library.getByRole('button', { name: names.length === 1 ? 'Attach 1 item' : `Attach ${names.length} items` }).click();
  await library.waitFor({ state: 'detached' });
}

async function scheduleAtLocal(zone: string, local: string): Promise<void> {
  await page.getByLabel(fill(en.compose.schedule.time, { zone })).fill(local);
  await page.getByRole('status').filter({ hasText: en.compose.save.saved }).waitFor();
  // Nothing may stand in the way; if something does, the failure names it.
  const blocked = page.getByRole('list', { name: en.compose.schedule.blocked });
  await expect.poll(async () => ((await blocked.count()) > 0 ? await blocked.textContent() : ''), { timeout: 10_000 }).toBe('');
  await page.getByRole('button', { name: en.compose.schedule.schedule }).click();
  await page.getByRole('button', { name: en.compose.schedule.unschedule }).waitFor();
}

async function publishNow(): Promise<void> {
  await page.getByRole('region', { name: en.publishing.title }).getByRole('button', { name: en.publishing.publishNow }).click();
  await page.getByRole('dialog', { name: en.publishing.confirmNow.title }).getByRole('button', { name: en.publishing.confirmNow.publish }).click();
}

/** Lets the sign-in tab the dialog opened reach the host's loopback listener, then closes it. */
async function approveInTab(click: () => Promise<void>): Promise<void> {
  const signInTab = page.context().waitForEvent('page');
  await click();
  const tab = await signInTab;
  await tab.getByText('You can close this tab and return to Outpost.').waitFor();
  await tab.close();
}

beforeAll(async () => {
  fb = await startFacebookFake();
  fbApp = fb.addApp();
  const anna = fb.addUser('Anna Lind');
  bakeryPage = fb.addPage({ name: 'Corner Bakery', instagram: true, admins: [anna] });
  fb.signInAs(anna);
  ig = await startInstagramFake();
  bakeryInstagram = ig.addAccount({
    username: bakeryPage.instagramUsername ?? 'corner_bakery',
    page: { id: bakeryPage.id, token: bakeryPage.token, instagramAccountId: bakeryPage.instagramAccountId },
    app: { id: fbApp.id, secret: fbApp.secret },
  });
  th = await startThreadsFake();
  thApp = th.addApp();
  gymThreads = th.addUser('irongym');
  th.signInAs(gymThreads);
  s3 = await startLocalS3('gym-media');
  browser = await launchBrowser();
  host = await startHost({
    dataDir: makeDataDir(),
    env: { OUTPOST_NETWORK_BASE_URLS: JSON.stringify({ facebook: fb.baseUrl, instagram: ig.baseUrl, threads: th.baseUrl }) },
  });
  bakeryId = (await call<{ id: string }>('projects.create', { name: 'Corner Bakery', color: '#b45309', timezone: BAKERY_ZONE })).id;
  gymId = (await call<{ id: string }>('projects.create', { name: 'Iron Gym', color: '#0f766e', timezone: GYM_ZONE })).id;
  await importImage(bakeryId, 'croissant.jpg', '#d97706');
  await importImage(bakeryId, 'baguette.jpg', '#92400e');
  await importImage(bakeryId, 'rye.jpg', '#451a03');
  await importImage(gymId, 'squat.jpg', '#0f766e');
  ({ page, problems, close: closePage } = await openPage(browser, { viewport: { width: 1440, height: 1000 } }));
  await page.goto(host.url);
  await page.getByRole('heading', { level: 1 }).first().waitFor();
}, 60_000);

afterAll(async () => {
  await closePage?.();
  await browser?.close();
  killIfRunning(host);
  removeDataDirs();
  await fb?.close();
  await ig?.close();
  await th?.close();
  await s3?.close();
});

describe('Meta’s networks, end to end', () => {
  it('connects the bakery’s Page with its Instagram account through the Facebook sign-in', async () => {
    await useProject('Corner Bakery');
    await page.getByRole('link', { name: en.nav.accounts }).click();
    await page.getByRole('heading', { level: 1, name: en.pages.accounts.title }).waitFor();
    await page.getByRole('button', { name: en.accounts.connect.facebook }).click();
    const dialog = page.getByRole('dialog', { name: en.accounts.connect.facebook });
    await dialog.getByRole('textbox', { name: en.accounts.meta.facebook.appId }).fill(fbApp.id);
    await dialog.getByLabel(en.accounts.meta.facebook.appSecret).fill(fbApp.secret);
    await approveInTab(() => dialog.getByRole('button', { name: en.accounts.facebook.submit }).click());
    const list = dialog.getByRole('group', { name: en.accounts.facebook.pickLegend });
    await list.getByRole('checkbox').first().waitFor();
    for (const box of await list.getByRole('checkbox').all()) await box.check();
    await dialog.getByRole('button', { name: 'Connect 2 selected' }).click();
    await dialog.waitFor({ state: 'detached' });
    const accounts = await call<{ network: string }[]>('accounts.list', { projectId: bakeryId });
    expect(accounts.map((a) => a.network).sort()).toEqual(['facebook', 'instagram']);
  });

  it('connects the gym’s Threads account through its own sign-in', async () => {
    await useProject('Iron Gym');
    await page.getByRole('button', { name: en.accounts.connect.threads }).click();
    const dialog = page.getByRole('dialog', { name: en.accounts.connect.threads });
    await dialog.getByRole('textbox', { name: en.accounts.meta.threads.appId }).fill(thApp.id);
    await dialog.getByLabel(en.accounts.meta.threads.appSecret).fill(thApp.secret);
    await approveInTab(() => dialog.getByRole('button', { name: en.accounts.threads.submit }).click());
    await dialog.waitFor({ state: 'detached' });
    expect((await call<{ network: string }[]>('accounts.list', { projectId: gymId })).map((a) => a.network)).toEqual(['threads']);
  });

  it('sets each client’s media relay in Settings: the Page for the bakery, the gym’s own bucket (tested) for the gym', async () => {
    const r = en.settings.relay;
    await useProject('Corner Bakery');
    await page.getByRole('link', { name: en.nav.settings }).click();
    const section = page.getByRole('region', { name: r.title });
    await section.getByRole('radio', { name: new RegExp(r.kinds.page) }).check();
    await section.getByRole('button', { name: r.save }).click();
    await expect.poll(async () => (await call<{ kind: string }>('relay.get', { projectId: bakeryId })).kind).toBe('page');

    await useProject('Iron Gym');
    await section.getByRole('radio', { name: new RegExp(r.kinds.s3) }).check();
    await section.getByLabel(r.endpoint, { exact: true }).fill(s3.endpoint);
    await section.getByLabel(r.region, { exact: true }).fill('us-east-1');
    await section.getByLabel(r.bucket, { exact: true }).fill(s3.bucket);
    await section.getByLabel(r.pathStyle).check();
    await section.getByLabel(r.accessKeyId, { exact: true }).fill(s3.accessKeyId);
    await section.getByLabel(r.secretAccessKey, { exact: true }).fill(s3.secretAccessKey);
    await section.getByRole('button', { name: r.save }).click();
    await expect.poll(async () => (await call<{ kind: string }>('relay.get', { projectId: gymId })).kind).toBe('s3');
    await section.getByRole('button', { name: r.test }).click();
    await section.getByRole('status').filter({ hasText: fill(r.result.ok, { host: new URL(s3.endpoint).host }) }).waitFor({ timeout: 20_000 });
    expect(await s3.keys()).toEqual([]);
    await screenshot(page, 'meta-relay-settings');
  });

  it('hands the bakery’s Facebook post for tomorrow 09:00 to the Page’s own scheduler', async () => {
    await useProject('Corner Bakery');
    await openNewPost(bakeryId, 'facebook', 'Tomorrow from 7: warm croissants 🥐');
    const tomorrow = `${toLocal(Date.now() + 24 * HOUR, BAKERY_ZONE).slice(0, 10)}T09:00`;
    await scheduleAtLocal(BAKERY_ZONE, tomorrow);
    // The handoff sweep runs every 15 s: the Page then holds it for 09:00 Berlin time.
    await expect.poll(() => fb.scheduledPosts(bakeryPage).length, { timeout: 40_000 }).toBe(1);
    const held = fb.scheduledPosts(bakeryPage)[0]!;
    expect(held.message).toBe('Tomorrow from 7: warm croissants 🥐');
    expect(toLocal(held.scheduledAt! * 1000, BAKERY_ZONE)).toBe(tomorrow);
    expect(fb.livePosts(bakeryPage)).toHaveLength(0);
    await page.getByRole('list', { name: en.publishing.targets }).getByText(/^Scheduled on Facebook for /).waitFor({ timeout: 10_000 });
  });

  it('publishes an Instagram carousel of three through the Page relay, once, and the Page keeps none of the photos', async () => {
    await openNewPost(bakeryId, 'instagram', 'Three loaves, three mornings #bakery');
    await attach('croissant.jpg', 'baguette.jpg', 'rye.jpg');
    await scheduleAtLocal(BAKERY_ZONE, toLocal(Date.now() + 5 * 60_000, BAKERY_ZONE));
    await publishNow();
    await expect.poll(() => ig.liveMedia(bakeryInstagram).length, { timeout: 40_000 }).toBe(1);
    const [carousel] = ig.liveMedia(bakeryInstagram);
    expect(carousel).toMatchObject({ mediaType: 'CAROUSEL_ALBUM', caption: 'Three loaves, three mornings #bakery' });
    expect(carousel!.items.map((item) => item.kind)).toEqual(['IMAGE', 'IMAGE', 'IMAGE']);
    // Instagram fetched each image from the Page's photo address; those photos were never published and are gone now.
    expect(carousel!.items.every((item) => item.from === 'url')).toBe(true);
    await expect.poll(() => fb.photos.filter((p) => !p.deleted).length, { timeout: 10_000 }).toBe(0);
    expect(fb.photos.filter((p) => p.published)).toHaveLength(0);
    expect(fb.photos).toHaveLength(3);
    await page.getByRole('list', { name: en.publishing.targets }).getByText(/^Published /).waitFor({ timeout: 15_000 });
    await screenshot(page, 'meta-instagram-published');
  });

  it('publishes the gym’s Threads post with an image through its bucket, once, and the bucket is empty after', async () => {
    await useProject('Iron Gym');
    await openNewPost(gymId, 'threads', 'Утренняя тренировка в 7:00 💪');
    await attach('squat.jpg');
    await scheduleAtLocal(GYM_ZONE, toLocal(Date.now() + 5 * 60_000, GYM_ZONE));
    await publishNow();
    await expect.poll(() => th.livePosts(gymThreads).length, { timeout: 40_000 }).toBe(1);
    const [post] = th.livePosts(gymThreads);
    expect(post).toMatchObject({ mediaType: 'IMAGE', text: 'Утренняя тренировка в 7:00 💪' });
    expect(post!.media).toHaveLength(1);
    // The relay put the file up (a signed PUT) and took it down after.
    expect(s3.calls.filter((c) => c.method === 'PUT').length).toBeGreaterThanOrEqual(2);
    await expect.poll(() => s3.keys(), { timeout: 10_000 }).toEqual([]);
    await page.getByRole('list', { name: en.publishing.targets }).getByText(/^Published /).waitFor({ timeout: 15_000 });

    expect(fb.violations).toEqual([]);
    expect(ig.violations).toEqual([]);
    expect(th.violations).toEqual([]);
    expect(problems.messages).toEqual([]);
  });
});
