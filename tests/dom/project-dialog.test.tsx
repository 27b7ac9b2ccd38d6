import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import type { i18n } from 'i18next';
import { I18nextProvider } from 'react-i18next';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { ProjectDialog } from '../../renderer/src/features/projects/ProjectDialog';
import { useProjects } from '../../renderer/src/features/projects/projects-store';
import { initI18n } from '../../renderer/src/i18n/i18n';
import en from '../../renderer/src/i18n/locales/en.json';
import { setApiForTests } from '../../renderer/src/platform/api';
import { createFakeApi, project, type FakeApi } from './fake-api';

let i18n: i18n;
let api: FakeApi;

beforeAll(async () => {
  i18n = await initI18n('en');
});

beforeEach(() => {
  api = createFakeApi();
  api.answer('projects.list', () => ({ ok: true, value: [] }));
  api.answer('settings.update', () => ({ ok: true, value: { theme: 'system', language: 'en', hourCycle: 'system', weekStart: 'system', activeProjectId: null, runInBackground: true, startAtLogin: false, notifications: { published: true, failed: true, needsAttention: true } } }));
  setApiForTests(api);
  useProjects.setState({ projects: [], activeId: null, showArchived: false, loaded: true, loadError: null });
});

afterEach(cleanup);

function renderDialog(props: Partial<Parameters<typeof ProjectDialog>[0]> = {}) {
  const onClose = vi.fn();
  render(
    <I18nextProvider i18n={i18n}>
      <ProjectDialog onClose={onClose} {...props} />
    </I18nextProvider>,
  );
  return { onClose, dialog: screen.getByRole('dialog') };
}

async function submitNamed(name: string) {
  fireEvent.change(screen.getByRole('textbox', { name: en.projects.name }), { target: { value: name } });
  await act(async () => {
    fireEvent.click(screen.getByRole('button', { name: en.projects.create }));
  });
}

describe('ProjectDialog', () => {
  it('is a modal dialog named by its title, with focus in the name field', () => {
    const { dialog } = renderDialog();
    expect(dialog.getAttribute('aria-modal')).toBe('true');
    expect(screen.getByRole('dialog', { name: en.projects.dialogNew })).toBe(dialog);
    expect(document.activeElement).toBe(screen.getByRole('textbox', { name: en.projects.name }));
  });

  it('shows the translated reason when main refuses an empty name, and stays open', async () => {
    api.answer('projects.create', () => ({
      ok: false,
      error: { code: 'validation', message: 'A project needs a name.', field: 'name', reason: 'name_empty' },
    }));
    const { onClose } = renderDialog();
    await submitNamed('   ');

    expect(screen.getByRole('alert').textContent).toBe(en.errors.reason.name_empty);
    const name = screen.getByRole('textbox', { name: en.projects.name });
    expect(name.getAttribute('aria-invalid')).toBe('true');
    // The message is tied to the field, so a screen reader reads it when the field gets focus.
    expect(name.getAttribute('aria-describedby')).toBe(screen.getByRole('alert').id);
    expect(document.activeElement).toBe(name);
    expect(onClose).not.toHaveBeenCalled();
    expect(api.calls.filter((c) => c.name === 'projects.create')).toEqual([
      {
        name: 'projects.create',
        args: { name: '   ', color: '#2563eb', timezone: expect.any(String), lateGraceMinutes: 30, stripLocation: true },
      },
    ]);
  });

  it('shows the translated reason for a duplicate name, never the English message from main', async () => {
    api.answer('projects.create', () => ({
      ok: false,
      error: { code: 'conflict', message: 'A project named "Acme" already exists.', field: 'name', reason: 'name_duplicate' },
    }));
    renderDialog();
    await submitNamed('acme');
    expect(screen.getByRole('alert').textContent).toBe(en.errors.reason.name_duplicate);
    expect(screen.queryByText('A project named "Acme" already exists.')).toBeNull();
  });

  it('falls back to the words for the error code when the reason is unknown', async () => {
    api.answer('projects.create', () => ({ ok: false, error: { code: 'storage_full', message: 'SQLITE_FULL', reason: 'no_such_reason' } }));
    renderDialog();
    await submitNamed('Acme');
    expect(screen.getByRole('alert').textContent).toBe(en.errors.code.storage_full);
    // Not a field error: the name is not marked invalid, and focus returns to the submit button.
    expect(screen.getByRole('textbox', { name: en.projects.name }).getAttribute('aria-invalid')).toBe('false');
    expect(document.activeElement).toBe(screen.getByRole('button', { name: en.projects.create }));
  });

  it('closes and selects the new project when main accepts it', async () => {
    const created = project({ id: 'new', name: 'Acme', color: '#16a34a', timezone: 'Asia/Tokyo' });
    api.answer('projects.create', () => ({ ok: true, value: created }));
    api.answer('projects.list', () => ({ ok: true, value: [created] }));
    const { onClose } = renderDialog();
    fireEvent.click(screen.getByRole('radio', { name: en.projects.colors['#16a34a'] }));
    const zone = screen.getByRole('combobox', { name: en.projects.timezone });
    fireEvent.change(zone, { target: { value: 'Tokyo' } });
    fireEvent.keyDown(zone, { key: 'Enter' });
    await submitNamed('Acme');
    expect(api.calls.find((c) => c.name === 'projects.create')?.args).toEqual({
      name: 'Acme',
      color: '#16a34a',
      timezone: 'Asia/Tokyo',
      lateGraceMinutes: 30,
      stripLocation: true,
    });
    expect(onClose).toHaveBeenCalledOnce();
    expect(screen.queryByRole('alert')).toBeNull();
    expect(useProjects.getState().activeId).toBe('new');
  });

  it('edits an existing project, showing its saved values, and closes on Escape', async () => {
    const existing = project({ color: '#db2777', timezone: 'America/New_York' });
    const { onClose } = renderDialog({ project: existing });
    expect(screen.getByRole('dialog', { name: 'Edit project “Acme Bakery”' })).toBeTruthy();
    expect((screen.getByRole('textbox', { name: en.projects.name }) as HTMLInputElement).value).toBe('Acme Bakery');
    expect((screen.getByRole('radio', { name: en.projects.colors['#db2777'] }) as HTMLInputElement).checked).toBe(true);
    expect((screen.getByRole('combobox', { name: en.projects.timezone }) as HTMLInputElement).value).toMatch(/^New York \(UTC-[45]\)$/);
    expect(screen.getByRole('button', { name: en.projects.archive })).toBeTruthy();
    // Escape works wherever focus is, even on <body> after a busy button dropped it.
    (document.activeElement as HTMLElement).blur();
    fireEvent.keyDown(document.body, { key: 'Escape' });
    expect(onClose).toHaveBeenCalledOnce();
  });
});

describe('the language the client reads', () => {
  it('follows the app by default and keeps a language chosen for the client', async () => {
    const existing = project({ clientLanguage: null });
    api.answer('projects.update', (args) => ({ ok: true, value: project({ ...existing, ...(args as Partial<typeof existing>) }) }));
    renderDialog({ project: existing });
    const select = screen.getByRole('combobox', { name: en.projects.clientLanguage }) as HTMLSelectElement;
    expect(select.value).toBe('');
    expect(select.selectedOptions[0]?.textContent).toBe('Same as Outpost (English)');
    fireEvent.change(select, { target: { value: 'he' } });
    fireEvent.click(screen.getByRole('button', { name: en.projects.save }));
    await waitFor(() => expect(api.calls.find((c) => c.name === 'projects.update')?.args).toMatchObject({ id: existing.id, clientLanguage: 'he' }));
  });
});

describe('the time zone picker', () => {
  const zone = () => screen.getByRole('combobox', { name: en.projects.timezone }) as HTMLInputElement;
  // The zone list's own options, not the language picker's.
  const options = () => [...(document.getElementById(zone().getAttribute('aria-controls') ?? '')?.querySelectorAll('[role="option"]') ?? [])].map((o) => o.textContent ?? '');
  const type = (text: string) => fireEvent.change(zone(), { target: { value: text } });

  it('starts a new project in the computer’s own zone', () => {
    renderDialog();
    const system = Intl.DateTimeFormat().resolvedOptions().timeZone;
    expect(zone().value).toContain(system.split('/').pop()?.replaceAll('_', ' '));
    expect(zone().getAttribute('aria-expanded')).toBe('false');
  });

  it('finds a zone by its city, without accents or case, and shows its offset', () => {
    renderDialog();
    type('jerus');
    expect(zone().getAttribute('aria-expanded')).toBe('true');
    expect(options()[0]).toMatch(/^Jerusalem \(UTC\+[23]\)Asia/);
    type('sao paulo');
    expect(options()[0]).toMatch(/^Sao Paulo \(UTC-3\)/);
  });

  it('finds zones by offset, written as +5:30, UTC-3 or +2', () => {
    renderDialog();
    type('+5:30');
    expect(options()).toEqual(expect.arrayContaining([expect.stringMatching(/^(Kolkata|Calcutta) \(UTC\+5:30\)/)]));
    expect(options().every((o) => o.includes('(UTC+5:30)'))).toBe(true);
    type('UTC-3');
    expect(options().length).toBeGreaterThan(3);
    expect(options().every((o) => /\(UTC-3(:\d\d)?\)/.test(o))).toBe(true);
    type('nowhere at all');
    expect(options()).toEqual([]);
    expect(screen.getByText(en.projects.zoneNone)).toBeTruthy();
  });

  it('is driven from the keyboard: arrows walk the matches, Enter takes one, Escape closes only the list', () => {
    const { onClose } = renderDialog({ project: project({ timezone: 'Europe/Lisbon' }) });
    type('moscow');
    fireEvent.keyDown(zone(), { key: 'Enter' });
    expect(zone().value).toMatch(/^Moscow \(UTC\+3\)$/);
    type('+2');
    fireEvent.keyDown(zone(), { key: 'ArrowDown' });
    const active = zone().getAttribute('aria-activedescendant');
    expect(active && document.getElementById(active)?.textContent).toMatch(/\(UTC\+2\)/);
    fireEvent.keyDown(zone(), { key: 'Escape' });
    expect(onClose).not.toHaveBeenCalled();
    expect(zone().getAttribute('aria-expanded')).toBe('false');
    expect(zone().value).toMatch(/^Moscow/);
  });
});
