import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, dayKeyOf, instantAt, startOfWeek } from '../../main/core/calendar/days';
import { SCHEDULE_LEAD_MS } from '../../main/core/posts/readiness';
import en from '../../renderer/src/i18n/locales/en.json';
import { seedProject, type SeededProject } from './support/calendar-seed';
import { launchBrowser, openPage, screenshot, type PageProblems } from './support/browser';
import { invokeHost, killIfRunning, makeDataDir, removeDataDirs, startHost, type RunningHost } from './support/host';

/**
 * Time as the user reads it, in Chromium on a real store: the side panels follow queue slots
 * saved, a draft made through the contract and the week moved to, without a reload; the clock
 * and the first day of the week from Settings change the week's header and the queue dialog;
 * the project dialog's zone picker finds a city and an offset. Screenshots light, dark and RTL.
 */

const ZONE = 'Asia/Jerusalem';
let browser: Browser;
let host: RunningHost;
let page: Page;
let problems: PageProblems;
let closePage: () => Promise<void>;
let project: SeededProject;

const todayKey = dayKeyOf(Date.now(), ZONE);
const thisMonday = startOfWeek(todayKey, 1);
const nextMonday = addDays(thisMonday, 7);
const thisSunday = addDays(thisMonday, 6);

async function call<T>(name: string, args: unknown): Promise<T> {
  const result = (await invokeHost(host, name, args)) as { ok: true; value: T } | { ok: false; error: unknown };
  if (!result.ok) throw new Error(`${name}: ${JSON.stringify(result.error)}`);
  return result.value;
}

const slotsPanel = () => page.getByRole('region', { name: en.calendar.slots.title });
const draftsPanel = () => page.getByRole('region', { name: en.calendar.drafts.title });
const slotTexts = () => slotsPanel().locator('.slot-when').allTextContents();
const clean = (text: string) => text.replace(/[\u202f\u00a0]/g, ' ');

beforeAll(async () => {
  browser = await launchBrowser();
  const dataDir = makeDataDir();
  project = seedProject(dataDir, 'Bakery Lechem', ZONE);
  host = await startHost({ dataDir });
  // en-GB: a 24-hour, Monday-first system locale, so "Follow the system" has a known answer.
  ({ page, problems, close: closePage } = await openPage(browser, { viewport: { width: 1440, height: 1000 }, locale: 'en-GB' }));
  await page.goto(host.url);
  await page.locator('.calendar[data-state="ready"]').waitFor();
  await page.getByRole('radio', { name: en.calendar.views.week }).click();
  await page.locator('.timegrid').waitFor();
});

afterAll(async () => {
  await closePage?.();
  await browser?.close();
  killIfRunning(host);
  removeDataDirs();
});

describe('the calendar’s side panels', () => {
  it('show queue slots the moment they are saved, for the week on screen', async () => {
    await slotsPanel().getByText(en.calendar.slots.empty).waitFor();
    await page.getByRole('button', { name: en.calendar.queue.open, exact: true }).click();
    const dialog = page.getByRole('dialog', { name: en.calendar.queue.title });
    await dialog.getByRole('checkbox', { name: 'Mon' }).check();
    await dialog.getByRole('checkbox', { name: 'Sun' }).check();
    await dialog.getByRole('textbox', { name: en.calendar.queue.times }).fill('09:00, 18:00');
    await dialog.getByRole('button', { name: en.calendar.queue.save }).click();
    await dialog.getByText(en.calendar.queue.saved).waitFor();
    await screenshot(page, 'calendar-queue-dialog-24h');
    await dialog.getByRole('button', { name: en.calendar.close }).click();
    // This week's slots still ahead (its Sunday, unless the test runs late on a Sunday) show at once.
    const ahead = [
      [thisMonday, 9 * 60, 'Mon 09:00'],
      [thisMonday, 18 * 60, 'Mon 18:00'],
      [thisSunday, 9 * 60, 'Sun 09:00'],
      [thisSunday, 18 * 60, 'Sun 18:00'],
    ] as const;
    const expected = ahead.filter(([day, minutes]) => instantAt(day, minutes, ZONE) >= Date.now() + SCHEDULE_LEAD_MS).map(([, , text]) => text);
    await expect.poll(slotTexts).toEqual(expected);
    expect(problems.messages).toEqual([]);
  });

  it('list the next week’s own slots after moving to it, not the week before’s', async () => {
    await page.getByRole('button', { name: en.calendar.next.week }).click();
    const [y, m, d] = nextMonday.split('-').map(Number) as [number, number, number];
    const monday = new Date(Date.UTC(y, m - 1, d));
    const title = new Intl.DateTimeFormat('en', { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(monday);
    await expect.poll(slotTexts).toEqual(['Mon 09:00', 'Mon 18:00', 'Sun 09:00', 'Sun 18:00']);
    const first = await slotsPanel().getByRole('listitem').first().getAttribute('title');
    expect(clean(first ?? '')).toBe(`${title} at 09:00`);
    expect(await slotsPanel().getAttribute('data-week')).toBe(nextMonday);
  });

  it('show a draft made elsewhere at once', async () => {
    await call('posts.create', { projectId: project.projectId, body: 'Challah for Friday', local: null, targets: [{ accountId: project.accounts[1]?.id }] });
    await draftsPanel().getByRole('button', { name: /Challah for Friday/ }).waitFor();
    await screenshot(page, 'calendar-panels-light');
  });
});

describe('the clock and the week from Settings', () => {
  it('switch the week grid and the queue dialog to 12 hours and a Sunday week', async () => {
    expect(clean((await page.locator('.timegrid-hour').nth(13).textContent()) ?? '')).toBe('13:00');
    await page.getByRole('link', { name: en.nav.settings }).click();
    // The choice shows once main has stored it.
    await page.getByRole('radio', { name: /^12-hour/ }).click();
    await expect.poll(() => page.getByRole('radio', { name: /^12-hour/ }).isChecked()).toBe(true);
    await page.getByLabel(en.settings.weekStart).selectOption('sunday');
    await screenshot(page, 'settings-time');
    await page.getByRole('link', { name: en.nav.calendar }).click();
    await page.locator('.timegrid').waitFor();
    await expect.poll(async () => clean((await page.locator('.timegrid-hour').nth(13).textContent()) ?? '')).toBe('1:00 PM');
    expect(await page.locator('.timegrid-day').first().textContent()).toMatch(/Sun/);
    await expect.poll(slotTexts).toContain('Sun 9:00 AM');

    await page.getByRole('button', { name: en.calendar.queue.open, exact: true }).click();
    const dialog = page.getByRole('dialog', { name: en.calendar.queue.title });
    await expect.poll(async () => clean(await dialog.getByRole('textbox', { name: en.calendar.queue.times }).inputValue())).toBe('9:00 AM, 6:00 PM');
    expect(await dialog.locator('.checkbox').allTextContents()).toEqual(['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat']);
    await screenshot(page, 'calendar-queue-dialog-12h');
    await dialog.getByRole('button', { name: en.calendar.close }).click();
    await screenshot(page, 'calendar-week-12h-light');
  });

  it('looks right dark and right to left', async () => {
    const dark = await openPage(browser, { viewport: { width: 1440, height: 1000 }, colorScheme: 'dark', locale: 'en-GB' });
    await dark.page.goto(host.url);
    await dark.page.locator('.calendar[data-state="ready"]').waitFor();
    await dark.page.getByRole('radio', { name: en.calendar.views.week }).click();
    await dark.page.locator('.timegrid').waitFor();
    await dark.page.getByRole('button', { name: en.calendar.next.week }).click();
    await dark.page.locator('.slot-list').waitFor();
    await screenshot(dark.page, 'calendar-week-12h-dark');
    await dark.page.evaluate(() => {
      document.documentElement.dir = 'rtl';
    });
    await screenshot(dark.page, 'calendar-week-12h-rtl');
    expect(dark.problems.messages).toEqual([]);
    await dark.close();
  });
});

describe('the project dialog’s time zone', () => {
  it('starts in the system zone and finds a city or an offset from the keyboard', async () => {
    await page.getByRole('button', { name: en.projects.new }).click();
    const dialog = page.getByRole('dialog', { name: en.projects.dialogNew });
    const zone = dialog.getByRole('combobox', { name: en.projects.timezone });
    const system = await page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone);
    expect(await zone.inputValue()).toContain(system.split('/').pop()?.replaceAll('_', ' '));
    await dialog.getByRole('textbox', { name: en.projects.name }).fill('Gym Sila');
    await zone.fill('mosc');
    await dialog.getByRole('option', { name: /^Moscow \(UTC\+3\)/ }).waitFor();
    await screenshot(page, 'project-zone-search-city');
    await zone.fill('+5:30');
    // The zone list's own options, not the client-language picker's.
    const options = dialog.getByRole('listbox', { name: en.projects.timezone }).getByRole('option');
    await expect.poll(() => options.allTextContents()).toEqual(expect.arrayContaining([expect.stringMatching(/^(Kolkata|Calcutta) \(UTC\+5:30\)/)]));
    expect((await options.allTextContents()).every((o) => o.includes('(UTC+5:30)'))).toBe(true);
    await zone.fill('jerusalem');
    await zone.press('Enter');
    expect(await zone.inputValue()).toMatch(/^Jerusalem \(UTC\+[23]\)$/);
    await screenshot(page, 'project-zone-chosen');
    // Escape with the list open closes the list, not the dialog.
    await zone.press('ArrowDown');
    expect(await zone.getAttribute('aria-expanded')).toBe('true');
    await zone.press('Escape');
    expect(await zone.getAttribute('aria-expanded')).toBe('false');
    await dialog.getByRole('button', { name: en.projects.create }).click();
    await dialog.waitFor({ state: 'detached' });
    const projects = await call<{ name: string; timezone: string }[]>('projects.list', {});
    expect(projects.find((p) => p.name === 'Gym Sila')?.timezone).toBe('Asia/Jerusalem');
    expect(problems.messages).toEqual([]);
  });
});
