import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toLocal } from '../../main/core/posts/time';
import en from '../../renderer/src/i18n/locales/en.json';
import { startDiscordFake, type DiscordFake, type FakeDiscordWebhook } from '../fakes/discord-fake';
import { launchBrowser, openPage, screenshot, type PageProblems } from './support/browser';
import { invokeHost, killIfRunning, makeDataDir, removeDataDirs, startHost, stopHost, type RunningHost } from './support/host';

/**
 * Issue 13's Discord case, in Chromium against the browser host and the Discord fake (every call
 * checked against Discord's OpenAPI document): a channel connected by pasting its webhook address,
 * a message published now with auto-delete after an hour, and deleted at Discord when the host
 * comes back an hour later (host clock moved with OUTPOST_CLOCK_OFFSET_MS, read only by the host).
 */

const ZONE = 'Europe/Berlin';
const HOUR = 60 * 60_000;

let browser: Browser;
let host: RunningHost;
let dataDir: string;
let page: Page;
let problems: PageProblems;
let closePage: () => Promise<void>;
let discord: DiscordFake;
let hook: FakeDiscordWebhook;
let projectId: string;
let offset = 0;

const fill = (text: string, values: Record<string, string | number>) => text.replace(/\{\{(\w+)\}\}/g, (_, key: string) => String(values[key]));

async function call<T>(name: string, args: unknown): Promise<T> {
  const reply = (await invokeHost(host, name, args)) as { ok: true; value: T } | { ok: false; error: unknown };
  if (!reply.ok) throw new Error(`${name}: ${JSON.stringify(reply.error)}`);
  return reply.value;
}

const hostEnv = (): Record<string, string> => ({ OUTPOST_NETWORK_BASE_URLS: JSON.stringify({ discord: discord.baseUrl }), OUTPOST_CLOCK_OFFSET_MS: String(offset) });

beforeAll(async () => {
  discord = await startDiscordFake({ now: () => Date.now() + offset });
  hook = discord.addWebhook({ name: 'Announcements' });
  browser = await launchBrowser();
  dataDir = makeDataDir();
  host = await startHost({ dataDir, env: hostEnv() });
  projectId = (await call<{ id: string }>('projects.create', { name: 'Corner Bakery', color: '#b45309', timezone: ZONE })).id;
  ({ page, problems, close: closePage } = await openPage(browser, { viewport: { width: 1440, height: 1000 } }));
  await page.goto(host.url);
  await page.getByRole('heading', { level: 1 }).first().waitFor();
});

afterAll(async () => {
  await closePage?.();
  await browser?.close();
  killIfRunning(host);
  removeDataDirs();
  await discord?.close();
});

describe('Discord, end to end', () => {
  it('connects a channel by pasting its webhook address, posting as the bakery', async () => {
    await page.getByRole('link', { name: en.nav.accounts }).click();
    await page.getByRole('button', { name: en.accounts.connect.discord }).click();
    const dialog = page.getByRole('dialog', { name: en.accounts.connect.discord });
    await dialog.getByLabel(en.accounts.discord.webhookUrl, { exact: true }).fill(hook.url);
    await dialog.getByLabel(en.accounts.discord.username, { exact: true }).fill('Corner Bakery');
    await dialog.getByRole('button', { name: en.accounts.submit }).click();
    await dialog.waitFor({ state: 'detached' });
    const [account] = await call<{ network: string; displayName: string; status: string }[]>('accounts.list', { projectId });
    expect(account).toMatchObject({ network: 'discord', displayName: 'Corner Bakery', status: 'connected' });
  });

  it('publishes a message now with auto-delete after an hour, and Discord loses it when the hour has passed', async () => {
    const [account] = await call<{ handle: string }[]>('accounts.list', { projectId });
    const text = 'Fresh croissants until noon 🥐 https://bakery.example/menu';
    await page.getByRole('link', { name: en.nav.compose }).click();
    await page.getByRole('button', { name: en.compose.list.new }).click();
    await page.getByRole('checkbox', { name: fill(en.compose.targets.account, { network: 'Discord', handle: account!.handle }) }).check();
    await page.getByRole('textbox', { name: en.compose.editor.post }).fill(text);
    await page.getByLabel(en.compose.details.autoDelete).selectOption(String(HOUR));
    await page.getByRole('article', { name: fill(en.compose.preview.label, { network: 'Discord', handle: account!.handle }) }).waitFor();
    await screenshot(page, 'discord-preview-light');
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(page, 'discord-preview-dark');
    await page.emulateMedia({ colorScheme: 'light' });

    await page.getByLabel(fill(en.compose.schedule.time, { zone: ZONE })).fill(toLocal(Date.now() + 5 * 60_000, ZONE));
    await page.getByRole('status').filter({ hasText: en.compose.save.saved }).waitFor();
    await page.getByRole('button', { name: en.compose.schedule.schedule }).click();
    await page.getByRole('region', { name: en.publishing.title }).getByRole('button', { name: en.publishing.publishNow }).click();
    await page.getByRole('dialog', { name: en.publishing.confirmNow.title }).getByRole('button', { name: en.publishing.confirmNow.publish }).click();
    await expect.poll(() => discord.live(hook).length, { timeout: 20_000 }).toBe(1);
    expect(discord.live(hook)[0]).toMatchObject({ content: text, username: 'Corner Bakery' });
    await page.getByRole('list', { name: en.publishing.targets }).getByText(/^Published /).waitFor({ timeout: 15_000 });

    // The laptop is opened again an hour and a minute later.
    await stopHost(host);
    offset = HOUR + 60_000;
    host = await startHost({ dataDir, port: host.port, env: hostEnv() });
    await expect.poll(() => discord.live(hook).length, { timeout: 30_000 }).toBe(0);
    expect(discord.messages.filter((m) => m.content === text && m.deleted)).toHaveLength(1);
    expect(discord.violations).toEqual([]);
    await page.goto(host.url);
    await page.getByRole('heading', { level: 1 }).first().waitFor();
    problems.messages.length = 0;
    const [published] = await call<{ id: string }[]>('posts.list', { projectId, statuses: ['published'] });
    const history = await call<{ event: string }[]>('publishing.history', { id: published!.id });
    expect(history.map((h) => h.event)).toContain('deleted');
    expect(problems.messages).toEqual([]);
  });
});
