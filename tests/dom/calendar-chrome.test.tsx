import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import type { i18n } from 'i18next';
import { I18nextProvider } from 'react-i18next';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CalendarEntry, Settings } from '../../main/core/contract';
import { CalendarPage } from '../../renderer/src/features/calendar/CalendarPage';
import { PostChip } from '../../renderer/src/features/calendar/PostChip';
import { useCalendar } from '../../renderer/src/features/calendar/calendar-store';
import { useProjects } from '../../renderer/src/features/projects/projects-store';
import { useSettings } from '../../renderer/src/features/settings/settings-store';
import { initI18n } from '../../renderer/src/i18n/i18n';
import en from '../../renderer/src/i18n/locales/en.json';
import { setApiForTests } from '../../renderer/src/platform/api';
import { TOAST_MS } from '../../renderer/src/ui/Toast';
import { createFakeApi, project, type FakeApi } from './fake-api';

/**
 * The calendar's frame for a new user: the empty first launch leads to the project dialog; chips
 * show their networks, a thumbnail and a "Draft" badge; messages leave by themselves unless they
 * are errors or held by the pointer or focus.
 */

const ZONE = 'Europe/Berlin';
let i18n: i18n;
let api: FakeApi;

function entry(changes: Partial<CalendarEntry> = {}): CalendarEntry {
  return {
    id: 'post-1',
    projectId: 'p1',
    excerpt: 'Fresh bread at seven',
    status: 'scheduled',
    approval: 'draft',
    scheduledAt: Date.UTC(2026, 11, 10, 9),
    timezone: ZONE,
    accountIds: ['a1', 'a2'],
    networks: ['mastodon', 'telegram'],
    labels: [],
    mediaCount: 1,
    revision: 1,
    repeats: false,
    evergreen: false,
    thumbnailId: '0b7e4a52-5f7c-4c1e-9d59-3f1f0c7a2b11',
    ...changes,
  };
}

function settings(): Settings {
  return {
    theme: 'system',
    language: 'en',
    hourCycle: 'h23',
    weekStart: 'monday',
    activeProjectId: 'p1',
    runInBackground: true,
    startAtLogin: false,
    notifications: { published: true, failed: true, needsAttention: true },
  };
}

beforeAll(async () => {
  i18n = await initI18n('en');
});

beforeEach(() => {
  api = createFakeApi();
  api.answer('calendar.range', () => ({ ok: true, value: { entries: [] } }));
  api.answer('calendar.unscheduled', () => ({ ok: true, value: { entries: [] } }));
  api.answer('calendar.facets', () => ({ ok: true, value: { accounts: [], labels: [] } }));
  api.answer('queue.free', () => ({ ok: true, value: { slots: [] } }));
  setApiForTests(api);
  useProjects.setState({ projects: [project({ timezone: ZONE })], activeId: 'p1', loaded: true, loadError: null, showArchived: false });
  useSettings.setState({ settings: settings(), info: null, error: null });
  useCalendar.setState({ view: 'month', context: null, entries: [], drafts: [], slots: [], slotWeek: null, loadedKey: null, selectedId: null, message: null });
});

afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

function wrap(children: React.ReactNode) {
  return <I18nextProvider i18n={i18n}>{children}</I18nextProvider>;
}

describe('the first launch', () => {
  it('offers to create the first project in the main area, and the button opens the project dialog', async () => {
    useProjects.setState({ projects: [], activeId: null });
    render(wrap(<CalendarPage />));
    const main = screen.getByRole('region', { name: en.pages.calendar.title });
    expect(within(main).getByRole('heading', { level: 2, name: en.calendar.firstLaunch.title })).toBeTruthy();
    expect(within(main).getAllByRole('listitem')).toHaveLength(3);
    fireEvent.click(within(main).getByRole('button', { name: en.projects.emptyTitle }));
    expect(await screen.findByRole('dialog', { name: en.projects.dialogNew })).toBeTruthy();
  });
});

describe('a post chip', () => {
  it('shows its networks as named marks and its first image as a thumbnail', () => {
    const { container } = render(wrap(<PostChip entry={entry()} minutes={600} colour="#db2777" tabbable selected={false} />));
    const chip = screen.getByRole('button', { name: /Mastodon, Telegram: Fresh bread at seven/ });
    const marks = [...chip.querySelectorAll('.network-mark')];
    expect(marks.map((m) => [m.getAttribute('data-network'), m.getAttribute('aria-label'), m.getAttribute('title')])).toEqual([
      ['mastodon', 'Mastodon', 'Mastodon'],
      ['telegram', 'Telegram', 'Telegram'],
    ]);
    const thumb = container.querySelector<HTMLImageElement>('img.post-thumb');
    expect(thumb?.getAttribute('src')).toBe('/api/media/0b7e4a52-5f7c-4c1e-9d59-3f1f0c7a2b11/thumb');
    expect(thumb?.alt).toBe('');
    expect(chip.querySelector('.post-draft')).toBeNull();
  });

  it('says "Draft" on a draft, and has no thumbnail without an image', () => {
    render(wrap(<PostChip entry={entry({ status: 'draft', thumbnailId: null, mediaCount: 0 })} minutes={600} colour="#db2777" tabbable selected={false} />));
    const chip = screen.getByRole('button', { name: /\(Draft, / });
    expect(chip.className).toContain('status-draft');
    expect(chip.querySelector('.post-draft')?.textContent).toBe(en.calendar.status.draft);
    expect(chip.querySelector('img')).toBeNull();
  });
});

describe('messages', () => {
  async function showCalendar() {
    render(wrap(<CalendarPage />));
    await waitFor(() => expect(useCalendar.getState().loadedKey).not.toBeNull());
  }
  const toast = () => screen.getAllByRole('status').find((el) => el.classList.contains('toast')) as HTMLElement;

  it('leave by themselves after a few seconds, politely announced', async () => {
    await showCalendar();
    vi.useFakeTimers();
    act(() => useCalendar.getState().say({ tone: 'info', key: 'moveUndone' }));
    expect(toast().getAttribute('aria-live')).toBe('polite');
    expect(toast().textContent).toContain(en.calendar.messages.moveUndone);
    act(() => vi.advanceTimersByTime(TOAST_MS - 100));
    expect(toast().textContent).toContain(en.calendar.messages.moveUndone);
    act(() => vi.advanceTimersByTime(200));
    expect(toast().textContent).toBe('');
    expect(useCalendar.getState().message).toBeNull();
  });

  it('stay while the pointer or focus is on them, and leave after it goes', async () => {
    await showCalendar();
    vi.useFakeTimers();
    act(() => useCalendar.getState().say({ tone: 'info', key: 'moveUndone' }));
    fireEvent.mouseEnter(toast());
    act(() => vi.advanceTimersByTime(TOAST_MS * 3));
    expect(toast().textContent).toContain(en.calendar.messages.moveUndone);
    fireEvent.mouseLeave(toast());
    act(() => within(toast()).getByRole('button', { name: en.calendar.dismiss }).focus());
    act(() => vi.advanceTimersByTime(TOAST_MS * 3));
    expect(toast().textContent).toContain(en.calendar.messages.moveUndone);
    act(() => (document.activeElement as HTMLElement).blur());
    act(() => vi.advanceTimersByTime(TOAST_MS + 1));
    expect(toast().textContent).toBe('');
  });

  it('that are errors stay until dismissed', async () => {
    await showCalendar();
    vi.useFakeTimers();
    act(() => useCalendar.getState().say({ tone: 'error', key: 'pastRefused' }));
    act(() => vi.advanceTimersByTime(TOAST_MS * 10));
    expect(toast().textContent).toContain(en.calendar.messages.pastRefused);
    fireEvent.click(within(toast()).getByRole('button', { name: en.calendar.dismiss }));
    expect(toast().textContent).toBe('');
  });
});
