import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import en from '../../renderer/src/i18n/locales/en.json';
import { launchBrowser, openPage, screenshot } from './support/browser';
import { invokeHost, killIfRunning, removeDataDirs, startHost, stopHost, type RunningHost } from './support/host';

/**
 * A freelancer's first minutes with Outpost: make a project, fix its details, and find it all
 * again after the app restarts. Elements are found by role and name only, as a screen reader would.
 */

let browser: Browser;
let host: RunningHost | undefined;
let page: Page;
let closePage: () => Promise<void>;

beforeAll(async () => {
  browser = await launchBrowser();
  host = await startHost();
  ({ page, close: closePage } = await openPage(browser));
  await page.goto(host.url);
});

afterAll(async () => {
  await closePage?.();
  await browser?.close();
  killIfRunning(host);
  removeDataDirs();
});

const switcher = () => page.getByRole('combobox', { name: en.projects.switcherLabel });
const selectedProject = () => switcher().getByRole('option', { selected: true }).textContent();
const switcherOptions = () => switcher().getByRole('option').allTextContents();

async function storedProjects(): Promise<{ name: string; archived: boolean }[]> {
  const reply = (await invokeHost(host as RunningHost, 'projects.list', { includeArchived: true })) as {
    ok: boolean;
    value: { name: string; archived: boolean }[];
  };
  expect(reply.ok).toBe(true);
  return reply.value;
}

async function openNewProjectDialog() {
  await page.getByRole('button', { name: en.projects.new }).click();
  const dialog = page.getByRole('dialog', { name: en.projects.dialogNew });
  await dialog.waitFor();
  return dialog;
}

async function openEditDialog(currentName: string) {
  await page.getByRole('button', { name: en.projects.edit }).click();
  const dialog = page.getByRole('dialog', { name: `Edit project “${currentName}”` });
  await dialog.waitFor();
  return dialog;
}

describe('projects, end to end', () => {
  it('starts empty and says so', async () => {
    await page.getByRole('heading', { level: 1, name: en.pages.calendar.title }).waitFor();
    expect(await switcher().isDisabled()).toBe(true);
    expect(await selectedProject()).toBe(en.projects.none);
    // The calendar leads to the first project from the main area.
    await page.getByRole('main').getByRole('button', { name: en.projects.emptyTitle }).waitFor();
    // The colour dot is decoration (aria-hidden) beside the switcher; with no project there is none.
    expect(await switcher().evaluate((el) => el.previousElementSibling)).toBeNull();
    await screenshot(page, 'projects-empty');
  });

  it('creates a project, which becomes the selected one', async () => {
    const dialog = await openNewProjectDialog();
    await dialog.getByRole('textbox', { name: en.projects.name }).fill('  Acme   Bakery ');
    await dialog.getByRole('button', { name: en.projects.create }).click();
    await dialog.waitFor({ state: 'detached' });
    // The name is stored trimmed and with single spaces.
    await expect.poll(selectedProject).toBe('Acme Bakery');
    expect(await switcher().isEnabled()).toBe(true);
    expect((await storedProjects()).map((p) => p.name)).toEqual(['Acme Bakery']);
  });

  it('refuses an empty name with a visible message and creates nothing', async () => {
    const dialog = await openNewProjectDialog();
    await dialog.getByRole('textbox', { name: en.projects.name }).fill('   ');
    await dialog.getByRole('button', { name: en.projects.create }).click();
    const alert = dialog.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toBe(en.errors.reason.name_empty);
    const nameBox = dialog.getByRole('textbox', { name: en.projects.name });
    expect(await nameBox.getAttribute('aria-invalid')).toBe('true');
    // Focus goes to the field to fix, so keyboard users need not hunt for it.
    await expect.poll(() => nameBox.evaluate((el) => el === document.activeElement)).toBe(true);
    await screenshot(page, 'projects-empty-name-refused');
    await dialog.getByRole('button', { name: en.projects.cancel }).click();
    await dialog.waitFor({ state: 'detached' });
    expect(await storedProjects()).toHaveLength(1);
    expect(await switcherOptions()).toEqual(['Acme Bakery']);
  });

  it('refuses a duplicate name (whatever its case) with a visible message and creates nothing', async () => {
    const dialog = await openNewProjectDialog();
    await dialog.getByRole('textbox', { name: en.projects.name }).fill('ACME bakery');
    await dialog.getByRole('button', { name: en.projects.create }).click();
    const alert = dialog.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toBe(en.errors.reason.name_duplicate);
    // Escape closes the dialog too.
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await storedProjects()).toHaveLength(1);
    expect(await switcherOptions()).toEqual(['Acme Bakery']);
  });

  it('renames it and changes its colour and time zone', async () => {
    const dialog = await openEditDialog('Acme Bakery');
    await dialog.getByRole('textbox', { name: en.projects.name }).fill('Acme Bakery & Co');
    await dialog.getByRole('radio', { name: en.projects.colors['#16a34a'] }).check();
    await dialog.getByRole('combobox', { name: en.projects.timezone }).fill('Tokyo');
    await dialog.getByRole('option', { name: /^Tokyo \(UTC\+9\)/ }).click();
    await dialog.getByRole('button', { name: en.projects.save }).click();
    await dialog.waitFor({ state: 'detached' });
    await expect.poll(selectedProject).toBe('Acme Bakery & Co');
  });

  it('keeps a second project apart and remembers which one is selected', async () => {
    const dialog = await openNewProjectDialog();
    await dialog.getByRole('textbox', { name: en.projects.name }).fill('Zephyr Yoga');
    await dialog.getByRole('button', { name: en.projects.create }).click();
    await dialog.waitFor({ state: 'detached' });
    await expect.poll(selectedProject).toBe('Zephyr Yoga');
    expect(await switcherOptions()).toEqual(['Acme Bakery & Co', 'Zephyr Yoga']);
    // Choose the project that is neither first in the list nor the newest, so a restart that
    // forgot the choice would show something else.
    await switcher().selectOption({ label: 'Acme Bakery & Co' });
    await expect.poll(selectedProject).toBe('Acme Bakery & Co');
    await expect.poll(async () => ((await invokeHost(host as RunningHost, 'settings.get', {})) as { value: { activeProjectId: string } }).value.activeProjectId).toBe(
      await switcher().inputValue(),
    );
  });

  it('finds everything again after the host restarts on the same data folder', async () => {
    const previous = host as RunningHost;
    await stopHost(previous);
    host = await startHost({ dataDir: previous.dataDir, port: previous.port });
    await page.goto(host.url);
    await page.getByRole('heading', { level: 1, name: en.pages.calendar.title }).waitFor();

    await expect.poll(selectedProject).toBe('Acme Bakery & Co');
    expect(await switcherOptions()).toEqual(['Acme Bakery & Co', 'Zephyr Yoga']);
    expect(await switcher().evaluate((el) => getComputedStyle(el.previousElementSibling as Element).backgroundColor)).toBe(
      'rgb(22, 163, 74)',
    );

    const dialog = await openEditDialog('Acme Bakery & Co');
    expect(await dialog.getByRole('textbox', { name: en.projects.name }).inputValue()).toBe('Acme Bakery & Co');
    expect(await dialog.getByRole('combobox', { name: en.projects.timezone }).inputValue()).toBe('Tokyo (UTC+9)');
    expect(await dialog.getByRole('radio', { name: en.projects.colors['#16a34a'] }).isChecked()).toBe(true);
    expect(await dialog.getByRole('radio', { name: en.projects.colors['#2563eb'] }).isChecked()).toBe(false);
    await screenshot(page, 'projects-edit-after-restart');
    await dialog.getByRole('button', { name: en.projects.cancel }).click();
    await dialog.waitFor({ state: 'detached' });
  });

  it('archives a project: gone from the switcher, back with "Show archived projects", and restorable', async () => {
    const dialog = await openEditDialog('Acme Bakery & Co');
    await dialog.getByRole('button', { name: en.projects.archive }).click();
    await dialog.waitFor({ state: 'detached' });
    await expect.poll(switcherOptions).toEqual(['Zephyr Yoga']);
    // The selection moves to a project that is still active.
    await expect.poll(selectedProject).toBe('Zephyr Yoga');

    const showArchived = page.getByRole('checkbox', { name: en.projects.showArchived });
    await showArchived.check();
    const archivedLabel = 'Acme Bakery & Co (archived)';
    await expect.poll(switcherOptions).toEqual([archivedLabel, 'Zephyr Yoga']);

    await switcher().selectOption({ label: archivedLabel });
    const restore = await openEditDialog('Acme Bakery & Co');
    await restore.getByText(en.projects.archivedNotice).waitFor();
    await screenshot(page, 'projects-archived-edit');
    await restore.getByRole('button', { name: en.projects.unarchive }).click();
    await restore.waitFor({ state: 'detached' });
    await expect.poll(switcherOptions).toEqual(['Acme Bakery & Co', 'Zephyr Yoga']);

    await showArchived.uncheck();
    await expect.poll(switcherOptions).toEqual(['Acme Bakery & Co', 'Zephyr Yoga']);
    expect((await storedProjects()).every((p) => !p.archived)).toBe(true);
  });

  it('stops cleanly at the end', async () => {
    await stopHost(host as RunningHost);
  });
});
