import keytar from '@github/keytar';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOST_KEYCHAIN_SERVICE } from '../../main/host/secrets';
import en from '../../renderer/src/i18n/locales/en.json';
import { startMastodonFake, type MastodonFake } from '../fakes/mastodon-fake';
import { startTelegramFake, type FakeBot, type FakeChannel, type TelegramFake } from '../fakes/telegram-fake';
import { launchBrowser, openPage, screenshot, type PageProblems } from './support/browser';
import { invokeHost, killIfRunning, removeDataDirs, startHost, stopHost, type RunningHost } from './support/host';

/**
 * A freelancer connects a client's Telegram channel and Mastodon account in the real UI, in
 * Chromium, against the loopback fakes. The Mastodon sign-in goes through the real thing: app
 * registration, the authorize page opened in a new tab (the browser host's app.openUrl hook),
 * the fake's approval redirecting to the host's one-shot loopback listener, the state check and
 * the PKCE code exchange. Secrets must end up in the OS keychain and nowhere in the database.
 */

// The browser host files its sign-ins apart from the app's.
const KEYCHAIN_SERVICE = HOST_KEYCHAIN_SERVICE;

let browser: Browser;
let host: RunningHost | undefined;
let page: Page;
let problems: PageProblems;
let closePage: () => Promise<void>;
let tg: TelegramFake;
let masto: MastodonFake;
let bot: FakeBot;
let channel: FakeChannel;
const savedBaseUrls = process.env.OUTPOST_NETWORK_BASE_URLS;

beforeAll(async () => {
  tg = await startTelegramFake();
  bot = tg.addBot({ username: 'acme_poster_bot' });
  channel = tg.addChannel({ username: 'acme_bakery', title: 'Acme Bakery news' });
  masto = await startMastodonFake({ domain: 'fake.social', username: 'acme_bakery' });
  // The host inherits this; only the browser host reads it (Mastodon's server is typed by the user).
  process.env.OUTPOST_NETWORK_BASE_URLS = JSON.stringify({ telegram: tg.baseUrl });
  browser = await launchBrowser();
  host = await startHost();
  const created = (await invokeHost(host, 'projects.create', { name: 'Acme Bakery', color: '#2563eb', timezone: 'Europe/Berlin' })) as { ok: boolean };
  expect(created.ok).toBe(true);
  ({ page, problems, close: closePage } = await openPage(browser));
  await page.goto(host.url);
});

afterAll(async () => {
  await closePage?.();
  await browser?.close();
  killIfRunning(host);
  removeDataDirs();
  await tg?.close();
  await masto?.close();
  if (savedBaseUrls === undefined) delete process.env.OUTPOST_NETWORK_BASE_URLS;
  else process.env.OUTPOST_NETWORK_BASE_URLS = savedBaseUrls;
});

const accountItem = (name: string): Locator => page.getByRole('listitem').filter({ has: page.getByRole('heading', { level: 3, name }) });

async function storedAccounts(): Promise<{ id: string; displayName: string; handle: string; status: string }[]> {
  const projects = (await invokeHost(host as RunningHost, 'projects.list', {})) as { value: { id: string }[] };
  const reply = (await invokeHost(host as RunningHost, 'accounts.list', { projectId: projects.value[0]!.id })) as {
    ok: boolean;
    value: { id: string; displayName: string; handle: string; status: string }[];
  };
  expect(reply.ok).toBe(true);
  return reply.value;
}

/** Every byte the host's SQLite has written: main file and WAL. */
function databaseBytes(): Buffer {
  const path = join((host as RunningHost).dataDir, 'outpost.db');
  return Buffer.concat([readFileSync(path), existsSync(`${path}-wal`) ? readFileSync(`${path}-wal`) : Buffer.alloc(0)]);
}

async function openConnectDialog(label: string): Promise<Locator> {
  await page.getByRole('button', { name: label }).click();
  const dialog = page.getByRole('dialog', { name: label });
  await dialog.waitFor();
  return dialog;
}

describe('accounts, end to end', () => {
  it('shows an empty Accounts page for the project', async () => {
    await page.getByRole('link', { name: en.nav.accounts }).click();
    await page.getByRole('heading', { level: 1, name: en.pages.accounts.title }).waitFor();
    await page.getByText(en.accounts.empty).waitFor();
    await screenshot(page, 'accounts-empty-light');
  });

  it('explains app passwords in the Bluesky dialog, and Escape closes it', async () => {
    const dialog = await openConnectDialog(en.accounts.connect.bluesky);
    await dialog.getByText(en.accounts.bluesky.help).waitFor();
    await dialog.getByRole('textbox', { name: en.accounts.bluesky.handle }).waitFor();
    await dialog.getByLabel(en.accounts.bluesky.appPassword).waitFor();
    await screenshot(page, 'accounts-connect-bluesky-light');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
  });

  it('refuses a bot that may not post, naming the channel, then connects the Telegram channel', async () => {
    const dialog = await openConnectDialog(en.accounts.connect.telegram);
    await dialog.getByText(en.accounts.telegram.deleteLimit).waitFor();
    await screenshot(page, 'accounts-connect-telegram-light');
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(page, 'accounts-connect-telegram-dark');
    await page.emulateMedia({ colorScheme: 'light' });

    await dialog.getByLabel(en.accounts.telegram.botToken).fill(bot.token);
    await dialog.getByRole('textbox', { name: en.accounts.telegram.channel }).fill('https://t.me/acme_bakery');
    await dialog.getByRole('button', { name: en.accounts.submit }).click();
    const alert = dialog.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toContain(en.errors.reason.telegram_bot_cannot_post);
    const channelBox = dialog.getByRole('textbox', { name: en.accounts.telegram.channel });
    expect(await channelBox.getAttribute('aria-invalid')).toBe('true');
    await expect.poll(() => channelBox.evaluate((el) => el === document.activeElement)).toBe(true);
    await screenshot(page, 'accounts-connect-telegram-refused');
    expect(await storedAccounts()).toEqual([]);

    // The user fixes it in Telegram and tries again.
    tg.setMember(channel, bot, { status: 'administrator', canPostMessages: true });
    await dialog.getByRole('button', { name: en.accounts.submit }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByRole('status').filter({ hasText: 'Acme Bakery news is connected.' }).waitFor();
    await accountItem('Acme Bakery news').getByText(en.accounts.status.connected, { exact: true }).waitFor();
  });

  it('connects a Mastodon account through the real PKCE loopback sign-in in a new tab', async () => {
    const dialog = await openConnectDialog(en.accounts.connect.mastodon);
    await dialog.getByRole('textbox', { name: en.accounts.mastodon.instance }).fill(masto.baseUrl);
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(page, 'accounts-connect-mastodon-dark');
    await page.emulateMedia({ colorScheme: 'light' });

    const signInTab = page.context().waitForEvent('page');
    await dialog.getByRole('button', { name: en.accounts.mastodon.submit }).click();
    const tab = await signInTab;
    // The fake approves at once and redirects to the host's loopback listener, which answers this page.
    await tab.getByText('You can close this tab and return to Outpost.').waitFor();
    expect(new URL(tab.url())).toMatchObject({ hostname: '127.0.0.1', pathname: '/callback' });
    await tab.close();

    await dialog.waitFor({ state: 'detached' });
    const item = accountItem('Outpost Tester');
    await item.getByText(en.accounts.status.connected, { exact: true }).waitFor();
    await item.getByText('@acme_bakery@fake.social').waitFor();
    await item.getByText(en.accounts.scheduledOn.replace('{{server}}', new URL(masto.baseUrl).host)).waitFor();

    // What the fake saw is a correct RFC 8252 flow: S256 challenge, state, matching verifier.
    expect(masto.violations).toEqual([]);
    const authorize = masto.requests.find((r) => r.path === '/oauth/authorize')!;
    const token = masto.requests.find((r) => r.method === 'POST' && r.path === '/oauth/token')!;
    const verifier = token.body.fields.find(([name]) => name === 'code_verifier')?.[1] ?? '';
    expect(authorize.query.get('code_challenge_method')).toBe('S256');
    expect(authorize.query.get('state')).toMatch(/^[\w-]{43}$/);
    expect(createHash('sha256').update(verifier).digest('base64url')).toBe(authorize.query.get('code_challenge'));
  });

  it('lists both as connected, with their secrets in the OS keychain and not in the database', async () => {
    const accounts = await storedAccounts();
    expect(accounts.map((a) => [a.handle, a.status])).toEqual([
      ['@acme_bakery', 'connected'],
      ['@acme_bakery@fake.social', 'connected'],
    ]);
    const keys = (await keytar.findCredentials(KEYCHAIN_SERVICE)).map((c) => c.account);
    for (const account of accounts) expect(keys).toContain(`account:${account.id}`);
    const telegramSecret = await keytar.getPassword(KEYCHAIN_SERVICE, `account:${accounts[0]!.id}`);
    expect(telegramSecret).toContain(bot.token);
    const mastodonSecret = JSON.parse((await keytar.getPassword(KEYCHAIN_SERVICE, `account:${accounts[1]!.id}`)) ?? '{}') as { accessToken: string };
    expect(mastodonSecret.accessToken).toBeTruthy();

    const bytes = databaseBytes();
    expect(bytes.includes(Buffer.from('Acme Bakery news'))).toBe(true);
    expect(bytes.includes(Buffer.from(bot.token.split(':')[1]!))).toBe(false);
    expect(bytes.includes(Buffer.from(mastodonSecret.accessToken))).toBe(false);

    await screenshot(page, 'accounts-list-light');
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(page, 'accounts-list-dark');
    await page.emulateMedia({ colorScheme: 'light' });
    await page.evaluate(() => document.documentElement.setAttribute('dir', 'rtl'));
    await screenshot(page, 'accounts-list-rtl');
    await page.evaluate(() => document.documentElement.setAttribute('dir', 'ltr'));
  });

  it('finds both still connected after the host restarts', async () => {
    const previous = host as RunningHost;
    await stopHost(previous);
    host = await startHost({ dataDir: previous.dataDir, port: previous.port });
    await page.goto(`${host.url}#/accounts`);
    await page.getByRole('heading', { level: 1, name: en.pages.accounts.title }).waitFor();
    await accountItem('Acme Bakery news').getByText(en.accounts.status.connected, { exact: true }).waitFor();
    await accountItem('Outpost Tester').getByText(en.accounts.status.connected, { exact: true }).waitFor();
  });

  it('keeps per-account defaults: Mastodon visibility and language', async () => {
    await accountItem('Outpost Tester').getByRole('button', { name: 'Defaults of Outpost Tester' }).click();
    const dialog = page.getByRole('dialog', { name: 'Defaults of Outpost Tester' });
    await dialog.waitFor();
    await dialog.getByRole('combobox', { name: en.accounts.visibilityLabel }).selectOption({ label: en.accounts.visibility.private });
    await dialog.getByRole('combobox', { name: en.accounts.languageLabel }).selectOption('de');
    await screenshot(page, 'accounts-defaults-mastodon');
    await dialog.getByRole('button', { name: en.accounts.save }).click();
    await dialog.waitFor({ state: 'detached' });
    await accountItem('Outpost Tester').getByText('Defaults: Followers only · language German').waitFor();
    const mastodonAccount = (await storedAccounts())[1] as unknown as { defaults: unknown };
    expect(mastodonAccount.defaults).toEqual({ visibility: 'private', language: 'de' });
  });

  it('disconnects the Telegram channel after confirmation, deleting its keychain secret', async () => {
    const [telegram] = await storedAccounts();
    await accountItem('Acme Bakery news').getByRole('button', { name: 'Disconnect Acme Bakery news' }).click();
    const confirm = page.getByRole('dialog', { name: 'Disconnect Acme Bakery news?' });
    await confirm.waitFor();
    await screenshot(page, 'accounts-disconnect-confirm');
    await confirm.getByRole('button', { name: en.accounts.disconnect }).click();
    await confirm.waitFor({ state: 'detached' });
    const item = accountItem('Acme Bakery news');
    await item.getByText(en.accounts.status.disconnected, { exact: true }).waitFor();
    await item.getByRole('button', { name: 'Reconnect Acme Bakery news' }).waitFor();
    await accountItem('Outpost Tester').getByText(en.accounts.status.connected, { exact: true }).waitFor();
    expect(await keytar.getPassword(KEYCHAIN_SERVICE, `account:${telegram!.id}`)).toBeNull();
    expect((await storedAccounts()).map((a) => a.status)).toEqual(['connected', 'disconnected']);
    // The Disconnect button is gone: focus lands on the account's remaining action, not on <body>.
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Reconnect Acme Bakery news');
    await screenshot(page, 'accounts-after-disconnect');
  });

  it('stops cleanly, with nothing red in the page', async () => {
    expect(problems.messages).toEqual([]);
    await stopHost(host as RunningHost);
  });
});
