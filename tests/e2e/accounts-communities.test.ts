import keytar from '@github/keytar';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOST_KEYCHAIN_SERVICE } from '../../main/host/secrets';
import en from '../../renderer/src/i18n/locales/en.json';
import { startVkFake, type FakeVkGroup, type FakeVkUser, type VkApp, type VkFake } from '../fakes/vk-fake';
import { launchBrowser, openPage, screenshot, type PageProblems } from './support/browser';
import { invokeHost, killIfRunning, removeDataDirs, startHost, stopHost, type RunningHost } from './support/host';

/**
 * A freelancer signs in to VK once and picks the client's communities in the real UI, in
 * Chromium, against the VK fake: VK ID's authorize page opens in a new tab, the fake approves and
 * redirects to the host's one-shot loopback listener, the code is exchanged with PKCE, and the
 * dialog lists the communities the user edits or runs. Two ticked become two accounts sharing one
 * keychain entry; signing in again shows them as already connected; a pasted link of a community
 * where the user is only a moderator is refused in VK's words.
 */

let browser: Browser;
let host: RunningHost | undefined;
let page: Page;
let problems: PageProblems;
let closePage: () => Promise<void>;
let vk: VkFake;
let app: VkApp;
let user: FakeVkUser;
let bakery: FakeVkGroup;
let cafe: FakeVkGroup;
let fans: FakeVkGroup;
let projectId: string;
const savedBaseUrls = process.env.OUTPOST_NETWORK_BASE_URLS;

/** Sign-ins other e2e files left in the shared test keyring: this file counts only its own. */
let earlierSignIns: Set<string>;

beforeAll(async () => {
  earlierSignIns = new Set((await keytar.findCredentials(HOST_KEYCHAIN_SERVICE)).map((c) => c.account));
  vk = await startVkFake();
  app = vk.addApp();
  user = vk.addUser({ firstName: 'Anna', lastName: 'Petrova' });
  bakery = vk.addGroup({ name: 'Bakery on Lenina', screenName: 'bakery_lenina' });
  cafe = vk.addGroup({ name: 'Cafe Vostok', screenName: 'cafe_vostok' });
  fans = vk.addGroup({ name: 'Bread Fans', screenName: 'bread_fans' });
  vk.setRole(bakery, user, 'editor');
  vk.setRole(cafe, user, 'admin');
  vk.setRole(fans, user, 'moderator');
  vk.signInAs(user);
  process.env.OUTPOST_NETWORK_BASE_URLS = JSON.stringify({ vk: vk.baseUrl });
  browser = await launchBrowser();
  host = await startHost();
  const created = (await invokeHost(host, 'projects.create', { name: 'Acme Bakery', color: '#2563eb', timezone: 'Europe/Moscow' })) as { ok: boolean; value: { id: string } };
  expect(created.ok).toBe(true);
  projectId = created.value.id;
  ({ page, problems, close: closePage } = await openPage(browser));
  await page.goto(`${host.url}#/accounts`);
  await page.getByRole('heading', { level: 1, name: en.pages.accounts.title }).waitFor();
});

afterAll(async () => {
  await closePage?.();
  await browser?.close();
  killIfRunning(host);
  removeDataDirs();
  await vk?.close();
  if (savedBaseUrls === undefined) delete process.env.OUTPOST_NETWORK_BASE_URLS;
  else process.env.OUTPOST_NETWORK_BASE_URLS = savedBaseUrls;
});

const accountItem = (name: string): Locator => page.getByRole('listitem').filter({ has: page.getByRole('heading', { level: 3, name }) });

async function storedAccounts(): Promise<{ id: string; displayName: string; handle: string; status: string }[]> {
  const reply = (await invokeHost(host as RunningHost, 'accounts.list', { projectId })) as { ok: boolean; value: { id: string; displayName: string; handle: string; status: string }[] };
  expect(reply.ok).toBe(true);
  return reply.value;
}

async function screenshots(name: string): Promise<void> {
  await screenshot(page, `${name}-light`);
  await page.emulateMedia({ colorScheme: 'dark' });
  await screenshot(page, `${name}-dark`);
  await page.emulateMedia({ colorScheme: 'light' });
}

/** Opens the VK dialog and signs in through the real loopback flow; returns the dialog showing the list. */
async function signInToVk(): Promise<Locator> {
  await page.getByRole('button', { name: en.accounts.connect.vk }).click();
  const dialog = page.getByRole('dialog', { name: en.accounts.connect.vk });
  await dialog.waitFor();
  await dialog.getByRole('textbox', { name: en.accounts.vk.appId }).fill(app.appId);
  const signInTab = page.context().waitForEvent('page');
  await dialog.getByRole('button', { name: en.accounts.vk.submit }).click();
  const tab = await signInTab;
  // The fake approves at once and redirects to the host's loopback listener, which answers this tab.
  await tab.getByText('You can close this tab and return to Outpost.').waitFor();
  expect(new URL(tab.url())).toMatchObject({ hostname: '127.0.0.1', pathname: '/callback' });
  await tab.close();
  await dialog.getByText('Signed in to VK as Anna Petrova.').waitFor();
  return dialog;
}

describe('choosing VK communities, end to end', () => {
  it('signs in once, lists the communities the user edits or runs, and connects the two ticked', async () => {
    const dialog = await signInToVk();
    const list = dialog.getByRole('group', { name: en.accounts.vk.pickLegend });
    // A community where the user only moderates is not offered.
    expect(await list.getByRole('checkbox').count()).toBe(2);
    await list.getByRole('checkbox', { name: /Bakery on Lenina/ }).check();
    await list.getByRole('checkbox', { name: /Cafe Vostok/ }).check();
    await screenshots('accounts-vk-pick');

    await dialog.getByRole('button', { name: 'Connect 2 selected' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByRole('status').filter({ hasText: 'Bakery on Lenina, Cafe Vostok are connected.' }).waitFor();
    await accountItem('Bakery on Lenina').getByText(en.accounts.status.connected, { exact: true }).waitFor();
    await accountItem('Cafe Vostok').getByText(en.accounts.status.connected, { exact: true }).waitFor();
    await screenshots('accounts-vk-connected');
    expect(vk.violations).toEqual([]);
  });

  it('keeps the one sign-in in the OS keychain, shared by both, and nowhere in the database', async () => {
    const accounts = await storedAccounts();
    // Connected at one instant, they are listed by name.
    expect(accounts.map((a) => [a.handle, a.status])).toEqual([
      ['vk.com/bakery_lenina', 'connected'],
      ['vk.com/cafe_vostok', 'connected'],
    ]);
    const keys = (await keytar.findCredentials(HOST_KEYCHAIN_SERVICE)).map((c) => c.account).filter((k) => k.startsWith('signin:') && !earlierSignIns.has(k));
    expect(keys).toHaveLength(1);
    const secret = JSON.parse((await keytar.getPassword(HOST_KEYCHAIN_SERVICE, keys[0]!)) ?? '{}') as { accessToken: string; refreshToken: string; userId: number };
    expect(secret.userId).toBe(user.id);
    const path = join((host as RunningHost).dataDir, 'outpost.db');
    const bytes = Buffer.concat([readFileSync(path), existsSync(`${path}-wal`) ? readFileSync(`${path}-wal`) : Buffer.alloc(0)]);
    expect(bytes.includes(Buffer.from('Cafe Vostok'))).toBe(true);
    expect(bytes.includes(Buffer.from(secret.accessToken))).toBe(false);
    expect(bytes.includes(Buffer.from(secret.refreshToken))).toBe(false);
  });

  it('signing in again shows both as already connected, and a pasted community where the user is not an editor is refused in VK’s words', async () => {
    const dialog = await signInToVk();
    const list = dialog.getByRole('group', { name: en.accounts.vk.pickLegend });
    expect(await list.getByRole('checkbox', { checked: true, disabled: true }).count()).toBe(2);
    expect(await list.getByText(/already connected/).count()).toBe(2);
    await dialog.getByRole('textbox', { name: en.accounts.vk.paste }).fill('https://vk.com/bread_fans');
    await dialog.getByRole('button', { name: 'Connect 1 selected' }).click();
    const alert = dialog.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toContain(`https://vk.com/bread_fans: ${en.errors.reason.vk_not_an_editor}`);
    expect(await alert.textContent()).toContain('VK said: “Access to adding post denied”');
    await screenshots('accounts-vk-refused');
    await dialog.getByRole('button', { name: en.accounts.cancel }).click();
    await dialog.waitFor({ state: 'detached' });
    expect(await storedAccounts()).toHaveLength(2);
  });

  it('stops cleanly, with nothing red in the page', async () => {
    expect(problems.messages).toEqual([]);
    await stopHost(host as RunningHost);
  });
});
