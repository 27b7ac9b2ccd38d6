import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import type { i18n } from 'i18next';
import { I18nextProvider } from 'react-i18next';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { App } from '../../renderer/src/app/App';
import { useNavigation } from '../../renderer/src/features/navigation/navigation-store';
import { useProjects } from '../../renderer/src/features/projects/projects-store';
import { useSettings } from '../../renderer/src/features/settings/settings-store';
import { initI18n } from '../../renderer/src/i18n/i18n';
import en from '../../renderer/src/i18n/locales/en.json';
import { setApiForTests } from '../../renderer/src/platform/api';
import { createShellApi, project } from './fake-api';

let i18n: i18n;

beforeAll(async () => {
  i18n = await initI18n('en');
});

beforeEach(() => {
  useProjects.setState({ projects: [], activeId: null, showArchived: false, loaded: false, loadError: null });
  useSettings.setState({ settings: null, info: null, error: null });
  useNavigation.getState().go('calendar');
  delete document.documentElement.dataset.theme;
});

afterEach(cleanup);

async function renderApp(projects = [project()]) {
  const api = createShellApi(projects);
  setApiForTests(api);
  await act(async () => {
    render(
      <I18nextProvider i18n={i18n}>
        <App />
      </I18nextProvider>,
    );
  });
  await screen.findByRole('heading', { level: 1, name: en.pages.calendar.title });
  return api;
}

async function goTo(link: string) {
  const nav = screen.getByRole('navigation', { name: en.nav.label });
  await act(async () => {
    fireEvent.click(within(nav).getByRole('link', { name: link }));
  });
  // The editor loads on first use: wait until its page has replaced the loading line.
  await waitFor(() => expect(screen.queryByText(en.app.loading)).toBeNull());
}

// Every role a control in the shell may have; an element outside these would be missed below.
const controlRoles = ['button', 'link', 'textbox', 'searchbox', 'combobox', 'checkbox', 'radio', 'tab'] as const;
/** Focusable things outside those roles: date and file pickers (no ARIA role) and a grid's focused cell. */
const otherControls = 'input[type="date"], input[type="time"], input[type="datetime-local"], input[type="file"], [role="gridcell"][tabindex="0"]';

/** Fails with a list of every interactive element a screen reader would announce without a name. */
function expectEveryControlNamed(where: string) {
  const controls = document.querySelectorAll('a[href], button, input, select, textarea, [tabindex]:not([tabindex="-1"])');
  let named = 0;
  const unnamed: string[] = [];
  for (const role of controlRoles) {
    const all = screen.queryAllByRole(role);
    const withName = screen.queryAllByRole(role, { name: /\S/ });
    named += withName.length;
    for (const element of all) if (!withName.includes(element)) unnamed.push(`${role}: ${element.outerHTML.slice(0, 120)}`);
  }
  for (const element of document.querySelectorAll<HTMLElement>(otherControls)) {
    const labels = element instanceof HTMLInputElement ? (element.labels?.length ?? 0) : 0;
    if (labels > 0 || element.getAttribute('aria-label')?.trim()) named++;
    else unnamed.push(`other: ${element.outerHTML.slice(0, 120)}`);
  }
  expect(unnamed, where).toEqual([]);
  // Each control is found under exactly one of the roles, so the counts must match.
  expect(named, where).toBe(controls.length);
}

describe('the shell', () => {
  it('gives every interactive control an accessible name, on every page and in the project dialog', async () => {
    await renderApp();
    for (const link of [en.nav.calendar, en.nav.compose, en.nav.media, en.nav.editor, en.nav.accounts, en.nav.settings]) {
      await goTo(link);
      expectEveryControlNamed(link);
    }
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: en.projects.edit }));
    });
    // With the modal open, only the dialog counts: the rest of the page is behind it.
    const dialog = screen.getByRole('dialog', { name: 'Edit project “Acme Bakery”' });
    for (const role of controlRoles) {
      for (const element of within(dialog).queryAllByRole(role)) {
        expect(within(dialog).queryAllByRole(role, { name: /\S/ }), element.outerHTML.slice(0, 120)).toContain(element);
      }
    }
    expect(within(dialog).getAllByRole('radio')).toHaveLength(8);
  });

  it('names the controls in the empty state too, with the switcher disabled', async () => {
    await renderApp([]);
    expectEveryControlNamed('no project');
    expect((screen.getByRole('combobox', { name: en.projects.switcherLabel }) as HTMLSelectElement).disabled).toBe(true);
    // The calendar leads: the first project is made from the main area, not only from the sidebar.
    expect(within(screen.getByRole('main')).getByRole('button', { name: en.projects.emptyTitle })).toBeTruthy();
  });

  it('marks the current page in the nav', async () => {
    await renderApp();
    await goTo(en.nav.media);
    const nav = screen.getByRole('navigation', { name: en.nav.label });
    expect(within(nav).getByRole('link', { name: en.nav.media }).getAttribute('aria-current')).toBe('page');
    expect(within(nav).getByRole('link', { name: en.nav.calendar }).getAttribute('aria-current')).toBeNull();
    expect(screen.getByRole('heading', { level: 1, name: en.pages.media.title })).toBeTruthy();
  });
});

describe('the Settings page', () => {
  it('changes the theme: saves it through main and applies it to the document', async () => {
    const api = await renderApp();
    await goTo(en.nav.settings);
    const theme = screen.getByRole('group', { name: en.settings.theme });
    expect((within(theme).getByRole('radio', { name: en.settings.themeSystem }) as HTMLInputElement).checked).toBe(true);
    expect(document.documentElement.dataset.theme).toBe('system');

    await act(async () => {
      fireEvent.click(within(theme).getByRole('radio', { name: en.settings.themeDark }));
    });
    expect(api.calls.filter((c) => c.name === 'settings.update')).toEqual([{ name: 'settings.update', args: { theme: 'dark' } }]);
    expect(api.settings.theme).toBe('dark');
    expect((within(theme).getByRole('radio', { name: en.settings.themeDark }) as HTMLInputElement).checked).toBe(true);
    expect(document.documentElement.dataset.theme).toBe('dark');

    await act(async () => {
      fireEvent.click(within(theme).getByRole('radio', { name: en.settings.themeLight }));
    });
    expect(document.documentElement.dataset.theme).toBe('light');
  });

  it('shows where the log file is, left to right like the data folder, and opens the logs folder', async () => {
    const api = await renderApp();
    api.answer('data.openFolder', () => ({ ok: true, value: { opened: true, path: '/tmp/outpost/logs' } }));
    await goTo(en.nav.settings);
    const path = await screen.findByText('/tmp/outpost/logs/outpost.log');
    expect(path.tagName).toBe('BDI');
    expect(path.getAttribute('dir')).toBe('ltr');
    expect(path.classList.contains('mono')).toBe(true);
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: en.data.openLogs }));
    });
    expect(api.calls.filter((c) => c.name === 'data.openFolder')).toEqual([{ name: 'data.openFolder', args: { folder: 'logs' } }]);
  });

  it('shows the translated error and keeps the old choice when main refuses the change', async () => {
    const api = await renderApp();
    api.answer('settings.update', () => ({ ok: false, error: { code: 'storage_full', message: 'SQLITE_FULL' } }));
    await goTo(en.nav.settings);
    const theme = screen.getByRole('group', { name: en.settings.theme });
    await act(async () => {
      fireEvent.click(within(theme).getByRole('radio', { name: en.settings.themeDark }));
    });
    expect(screen.getByRole('alert').textContent).toBe(en.errors.code.storage_full);
    expect((within(theme).getByRole('radio', { name: en.settings.themeSystem }) as HTMLInputElement).checked).toBe(true);
    expect(document.documentElement.dataset.theme).toBe('system');
  });
});
