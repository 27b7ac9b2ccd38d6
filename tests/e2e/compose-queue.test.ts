import Database from 'better-sqlite3';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toLocal } from '../../main/core/posts/time';
import en from '../../renderer/src/i18n/locales/en.json';
import { launchBrowser, openPage, screenshot, type PageProblems } from './support/browser';
import { invokeHost, killIfRunning, makeDataDir, removeDataDirs, startHost, type RunningHost } from './support/host';

/**
 * Queue where the user is, in a real Chromium against the browser host: the project's own slots,
 * "Add to queue" in the composer naming the slot and undoing it, the time field and the post list
 * showing the time, the open post kept under the Drafts filter, free slots on the week grid, and
 * the previews beside the editor on a wide window and under it on a narrow one.
 */

interface Ok<T> {
  ok: true;
  value: T;
}

const ZONE = 'Asia/Jerusalem';
const MASTODON = { id: 'acc-mastodon', handle: '@bakery@mastodon.social' };

let browser: Browser;
let host: RunningHost;
let dataDir: string;
let projectId: string;
let page: Page;
let problems: PageProblems;
let closePage: () => Promise<void>;

async function call<T>(name: string, args: unknown): Promise<T> {
  const reply = (await invokeHost(host, name, args)) as Ok<T> | { ok: false; error: unknown };
  if (!reply.ok) throw new Error(`${name}: ${JSON.stringify(reply.error)}`);
  return reply.value;
}

function seedAccount(): void {
  const db = new Database(join(dataDir, 'outpost.db'));
  db.pragma('busy_timeout = 5000');
  db.prepare(
    `INSERT INTO accounts (id, project_id, network, handle, display_name, status, created_at, updated_at, remote_key)
     VALUES (?, ?, 'mastodon', ?, 'Bakery', 'connected', 0, 0, ?)`,
  ).run(MASTODON.id, projectId, MASTODON.handle, MASTODON.id);
  db.close();
}

async function open(viewport: { width: number; height: number }, colorScheme: 'light' | 'dark' = 'light'): Promise<void> {
  await closePage?.();
  ({ page, problems, close: closePage } = await openPage(browser, { viewport, colorScheme }));
  await page.goto(host.url);
  await page.getByRole('link', { name: en.nav.compose }).click();
  await page.getByRole('heading', { level: 1, name: en.pages.compose.title }).waitFor();
}

const t = (text: string, values: Record<string, string>) => text.replace(/\{\{(\w+)\}\}/g, (_, key: string) => values[key] ?? '');
const timeField = () => page.locator('#post-time');
const list = () => page.getByRole('region', { name: en.compose.list.title });
const saved = () => page.getByRole('status').filter({ hasText: en.compose.save.saved });
const box = async (locator: Locator) => {
  const found = await locator.boundingBox();
  if (!found) throw new Error('not laid out');
  return found;
};

/** Monday 09:00 in the project's zone, the first one at least a day ahead (the lead and the clock's minutes aside). */
function nextMonday9(): string {
  const now = Date.now() + 30 * 60_000;
  for (let day = 0; day < 9; day++) {
    const local = toLocal(now + day * 86_400_000, ZONE).slice(0, 10);
    const candidate = `${local}T09:00`;
    if (new Date(`${local}T12:00:00Z`).getUTCDay() === 1 && candidate > toLocal(now, ZONE)) return candidate;
  }
  throw new Error('no Monday');
}

beforeAll(async () => {
  browser = await launchBrowser();
  dataDir = makeDataDir();
  host = await startHost({ dataDir });
  projectId = (await call<{ id: string }>('projects.create', { name: 'Bakery', color: '#ea580c', timezone: ZONE })).id;
  seedAccount();
  // Mondays at 09:00 for the whole project; the account has no slots of its own.
  await call('queue.saveProject', { projectId, slots: [{ weekday: 1, minute: 540 }], minSpacingMinutes: 0 });
  await call('posts.create', { projectId, body: 'Sourdough class next month', targets: [{ accountId: MASTODON.id }] });
});

afterAll(async () => {
  await closePage?.();
  await browser?.close();
  killIfRunning(host);
  removeDataDirs();
});

describe('Add to queue, end to end', () => {
  it('queues a post into the project’s next slot, names it, shows the time, and undoes', async () => {
    await open({ width: 1440, height: 900 });
    await page.getByRole('button', { name: en.compose.list.new }).click();
    await saved().waitFor();
    await page.getByRole('checkbox', { name: t(en.compose.targets.account, { network: 'Mastodon', handle: MASTODON.handle }) }).check();
    await page.getByRole('textbox', { name: en.compose.editor.post }).fill('Challah Friday 🍞 order by Thursday');
    await saved().waitFor();
    expect(await timeField().inputValue()).toBe('');

    await page.getByRole('button', { name: en.compose.schedule.queue }).click();
    const note = page.locator('.notice.queued');
    await note.waitFor();
    const slot = nextMonday9();
    const [date] = slot.split('T');
    const day = Number(date?.slice(8, 10));
    // "Mon, Dec 7, 9:00 AM" on a 12-hour system, "Mon, Dec 7, 09:00" on a 24-hour one.
    expect(await note.textContent()).toMatch(new RegExp(`^Queued for Mon, \\w{3} ${day}, (09:00|9:00\\sAM)\\.`));
    await expect.poll(() => timeField().inputValue()).toBe(slot);
    await expect.poll(() => page.locator('.composer-head .status-badge').textContent()).toBe(en.compose.status.scheduled);

    // The filter is Drafts, the post is scheduled now: it stays listed, current, with its time; the other draft says "No time".
    expect(await page.locator('#post-filter').inputValue()).toBe('draft');
    const current = list().locator('.post-item[aria-current="true"]');
    await expect.poll(() => current.textContent()).toContain('Challah Friday');
    expect(await current.locator('.post-when').textContent()).toMatch(new RegExp(`Mon, \\w{3} ${day}`));
    await expect.poll(() => list().getByRole('button', { name: /Sourdough class/ }).locator('.post-when').textContent()).toBe(en.compose.list.noTime);
    await screenshot(page, 'compose-queue-light');

    await note.getByRole('button', { name: en.compose.schedule.undo }).click();
    await note.waitFor({ state: 'detached' });
    expect(await timeField().inputValue()).toBe('');
    await expect.poll(() => page.locator('.composer-head .status-badge').textContent()).toBe(en.compose.status.draft);
    await expect.poll(() => current.locator('.post-when').textContent()).toBe(en.compose.list.noTime);

    // Queued again, and left there for the calendar.
    await page.getByRole('button', { name: en.compose.schedule.queue }).click();
    await note.waitFor();
    // The field follows the post's saved time a render after the confirmation (seen once on a loaded CI machine).
    await expect.poll(() => timeField().inputValue()).toBe(slot);
    expect(problems.messages).toEqual([]);
  });

  it('puts the previews beside the editor at 1440 px and under it at 1000 px', async () => {
    await open({ width: 1440, height: 900 });
    await list().getByRole('button', { name: /Sourdough class/ }).click();
    const editor = () => page.locator('.composer-editor');
    const previews = () => page.locator('.composer-previews');
    await page.getByRole('region', { name: en.compose.preview.title }).getByRole('article').first().waitFor().catch(() => undefined);
    const wideEditor = await box(editor());
    const widePreviews = await box(previews());
    // Side by side: the previews start where the editor ends and share its top.
    expect(widePreviews.x).toBeGreaterThanOrEqual(wideEditor.x + wideEditor.width - 1);
    expect(Math.abs(widePreviews.y - wideEditor.y)).toBeLessThan(40);
    expect(widePreviews.width).toBeGreaterThan(300);
    await screenshot(page, 'compose-wide-light');
    // Sticky: scrolled to the bottom of the editor, the previews are still in view.
    await page.getByRole('region', { name: en.compose.schedule.title }).scrollIntoViewIfNeeded();
    const afterScroll = await box(previews());
    expect(afterScroll.y).toBeGreaterThanOrEqual(-1);
    expect(afterScroll.y).toBeLessThan(900);

    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(page, 'compose-wide-dark');
    await page.evaluate(() => document.documentElement.setAttribute('dir', 'rtl'));
    const rtlEditor = await box(editor());
    const rtlPreviews = await box(previews());
    // Mirrored: the previews sit to the editor's left.
    expect(rtlPreviews.x + rtlPreviews.width).toBeLessThanOrEqual(rtlEditor.x + 1);
    await screenshot(page, 'compose-wide-rtl-dark');

    await open({ width: 1000, height: 900 });
    await list().getByRole('button', { name: /Sourdough class/ }).click();
    const narrowEditor = await box(editor());
    const narrowPreviews = await box(previews());
    expect(narrowPreviews.y).toBeGreaterThanOrEqual(narrowEditor.y + narrowEditor.height - 1);
    await screenshot(page, 'compose-narrow-light');
    expect(problems.messages).toEqual([]);
  });

  it('draws the free slots on the week grid', async () => {
    await open({ width: 1440, height: 900 });
    await page.getByRole('link', { name: en.nav.calendar }).click();
    await page.getByRole('radio', { name: en.calendar.views.week }).click();
    // The queued post took the first Monday's slot: the weeks after it show their Monday free.
    const free = page.locator('.free-slot');
    for (let step = 0; step < 3 && (await free.count()) === 0; step++) {
      await page.getByRole('button', { name: en.calendar.next.week }).click();
      await page.waitForTimeout(300);
    }
    await free.first().waitFor();
    expect(await free.count()).toBe(1);
    expect(await free.first().getAttribute('title')).toMatch(/Bakery/);
    await free.first().scrollIntoViewIfNeeded();
    await screenshot(page, 'calendar-week-free-slots-light');
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(page, 'calendar-week-free-slots-dark');
    expect(problems.messages).toEqual([]);
  });
});
