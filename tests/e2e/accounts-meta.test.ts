import keytar from '@github/keytar';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FACEBOOK_REDIRECT_URI } from '../../main/core/networks/facebook';
import { HOST_KEYCHAIN_SERVICE } from '../../main/host/secrets';
import en from '../../renderer/src/i18n/locales/en.json';
import { startFacebookFake, type FacebookFake, type FakeFbApp, type FakeFbPage, type FakeFbUser } from '../fakes/facebook-fake';
import { startThreadsFake, type FakeThreadsApp, type ThreadsFake } from '../fakes/threads-fake';
import { launchBrowser, openPage, screenshot, type PageProblems } from './support/browser';
import { invokeHost, killIfRunning, removeDataDirs, startHost, type RunningHost } from './support/host';

/**
 * A freelancer brings their own Meta app and connects a client's Facebook Page with its Instagram
 * account in the real UI, in Chromium, against the Facebook fake: the walkthrough names the
 * permissions and the redirect address, Facebook's Login dialog opens in a new tab, the fake
 * approves and redirects to the host's one-shot loopback listener, the code and then the short
 * token are exchanged, and the dialog lists the Page with its Instagram account under it. Then a
 * Threads account through its own sign-in.
 */

let browser: Browser;
let host: RunningHost | undefined;
let page: Page;
let problems: PageProblems;
let closePage: () => Promise<void>;
let fb: FacebookFake;
let th: ThreadsFake;
let fbApp: FakeFbApp;
let thApp: FakeThreadsApp;
let anna: FakeFbUser;
let bakery: FakeFbPage;
let projectId: string;
const savedBaseUrls = process.env.OUTPOST_NETWORK_BASE_URLS;
let earlierSignIns: Set<string>;

beforeAll(async () => {
  earlierSignIns = new Set((await keytar.findCredentials(HOST_KEYCHAIN_SERVICE)).map((c) => c.account));
  fb = await startFacebookFake();
  fbApp = fb.addApp();
  anna = fb.addUser('Anna Lind');
  bakery = fb.addPage({ name: 'Corner Bakery', instagram: true, admins: [anna] });
  fb.addPage({ name: 'Street Market', admins: [anna], tasks: ['MODERATE', 'ANALYZE'] });
  fb.signInAs(anna);
  th = await startThreadsFake();
  thApp = th.addApp();
  th.signInAs(th.addUser('cornerbakery'));
  process.env.OUTPOST_NETWORK_BASE_URLS = JSON.stringify({ facebook: fb.baseUrl, instagram: fb.baseUrl, threads: th.baseUrl });
  browser = await launchBrowser();
  host = await startHost();
  const created = (await invokeHost(host, 'projects.create', { name: 'Corner Bakery', color: '#2563eb', timezone: 'Europe/Berlin' })) as { ok: boolean; value: { id: string } };
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
  await fb?.close();
  await th?.close();
  if (savedBaseUrls === undefined) delete process.env.OUTPOST_NETWORK_BASE_URLS;
  else process.env.OUTPOST_NETWORK_BASE_URLS = savedBaseUrls;
});

const accountItem = (name: string): Locator => page.getByRole('listitem').filter({ has: page.getByRole('heading', { level: 3, name }) });

async function screenshots(name: string): Promise<void> {
  await screenshot(page, `${name}-light`);
  await page.emulateMedia({ colorScheme: 'dark' });
  await screenshot(page, `${name}-dark`);
  await page.emulateMedia({ colorScheme: 'light' });
}

/** Lets the sign-in tab the dialog opened reach the loopback listener, then closes it. */
async function approveInTab(click: () => Promise<void>): Promise<void> {
  const signInTab = page.context().waitForEvent('page');
  await click();
  const tab = await signInTab;
  await tab.getByText('You can close this tab and return to Outpost.').waitFor();
  expect(new URL(tab.url())).toMatchObject({ hostname: '127.0.0.1', pathname: '/callback' });
  await tab.close();
}

describe('Meta’s networks with the user’s own app, end to end', () => {
  it('walks through the Meta app, signs in through the loopback, and connects a Page with its Instagram account', async () => {
    await page.getByRole('button', { name: en.accounts.connect.facebook }).click();
    const dialog = page.getByRole('dialog', { name: en.accounts.connect.facebook });
    await dialog.waitFor();
    const guide = dialog.getByRole('region', { name: en.accounts.meta.facebook.guideLabel });
    await guide.getByText(FACEBOOK_REDIRECT_URI).waitFor();
    await guide.getByText('instagram_content_publish').waitFor();
    await dialog.getByRole('textbox', { name: en.accounts.meta.facebook.appId }).fill(fbApp.id);
    await dialog.getByLabel(en.accounts.meta.facebook.appSecret).fill(fbApp.secret);
    await screenshots('accounts-meta-walkthrough');

    await approveInTab(() => dialog.getByRole('button', { name: en.accounts.facebook.submit }).click());
    await dialog.getByText('Signed in to Facebook as Anna Lind.').waitFor();
    const list = dialog.getByRole('group', { name: en.accounts.facebook.pickLegend });
    // The moderator-only Page is not offered; the Instagram account comes with its Page.
    expect(await list.getByRole('checkbox').count()).toBe(2);
    await list.getByRole('checkbox', { name: /Corner Bakery/ }).check();
    await list.getByRole('checkbox', { name: /corner_bakery/ }).check();
    await screenshots('accounts-meta-picker');

    await dialog.getByRole('button', { name: 'Connect 2 selected' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByRole('status').filter({ hasText: 'Corner Bakery, corner_bakery are connected.' }).waitFor();
    await accountItem('Corner Bakery').getByText(en.accounts.status.connected, { exact: true }).waitFor();
    await accountItem('corner_bakery').getByRole('link', { name: '@corner_bakery' }).waitFor();
    expect(fb.violations).toEqual([]);
  });

  it('keeps the Page token and the app secret in the OS keychain, one entry for the Page and its Instagram account, and none in the database', async () => {
    const keys = (await keytar.findCredentials(HOST_KEYCHAIN_SERVICE)).map((c) => c.account).filter((k) => k.startsWith('signin:') && !earlierSignIns.has(k));
    expect(keys).toHaveLength(1);
    const secret = JSON.parse((await keytar.getPassword(HOST_KEYCHAIN_SERVICE, keys[0]!)) ?? '{}') as { pageToken: string; appSecret: string };
    expect(secret).toMatchObject({ pageToken: bakery.token, appSecret: fbApp.secret });
    const path = join((host as RunningHost).dataDir, 'outpost.db');
    const bytes = Buffer.concat([readFileSync(path), existsSync(`${path}-wal`) ? readFileSync(`${path}-wal`) : Buffer.alloc(0)]);
    expect(bytes.includes(Buffer.from('Corner Bakery'))).toBe(true);
    expect(bytes.includes(Buffer.from(bakery.token))).toBe(false);
    expect(bytes.includes(Buffer.from(fbApp.secret))).toBe(false);
  });

  it('connects a Threads account through its own sign-in', async () => {
    await page.getByRole('button', { name: en.accounts.connect.threads }).click();
    const dialog = page.getByRole('dialog', { name: en.accounts.connect.threads });
    await dialog.getByRole('region', { name: en.accounts.meta.threads.guideLabel }).waitFor();
    await dialog.getByRole('textbox', { name: en.accounts.meta.threads.appId }).fill(thApp.id);
    await dialog.getByLabel(en.accounts.meta.threads.appSecret).fill(thApp.secret);
    await approveInTab(() => dialog.getByRole('button', { name: en.accounts.threads.submit }).click());
    await dialog.waitFor({ state: 'detached' });
    await accountItem('Corner Bakery').filter({ hasText: '@cornerbakery' }).getByText(en.accounts.status.connected, { exact: true }).waitFor();
    const reply = (await invokeHost(host as RunningHost, 'accounts.list', { projectId })) as { ok: boolean; value: { network: string }[] };
    expect(reply.value.map((a) => a.network)).toEqual(['facebook', 'instagram', 'threads']);
    expect(th.violations).toEqual([]);
    expect(problems.messages).toEqual([]);
  });
});
