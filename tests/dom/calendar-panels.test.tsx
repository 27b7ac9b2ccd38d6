import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import type { i18n } from 'i18next';
import { I18nextProvider } from 'react-i18next';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { dayStart } from '../../main/core/calendar/days';
import { slotInstants, type WeeklySlot } from '../../main/core/calendar/slots';
import type { CalendarEntry, Settings } from '../../main/core/contract';
import { CalendarPage } from '../../renderer/src/features/calendar/CalendarPage';
import { useCalendar } from '../../renderer/src/features/calendar/calendar-store';
import { useProjects } from '../../renderer/src/features/projects/projects-store';
import { useSettings } from '../../renderer/src/features/settings/settings-store';
import { initI18n } from '../../renderer/src/i18n/i18n';
import en from '../../renderer/src/i18n/locales/en.json';
import { setApiForTests } from '../../renderer/src/platform/api';
import { createFakeApi, project, type FakeApi } from './fake-api';

/**
 * The calendar's side panels and times come from one store: saving queue slots, a new draft and
 * moving to another week show at once, without a reload; the clock and the first day of the week
 * from Settings change the grid's header and the queue dialog alike.
 */

const ZONE = 'Europe/Berlin';
// Saturday 5 December 2026: "this week" runs Mon 30 Nov – Sun 6 Dec, the next one 7–13 Dec.
const NOW = new Date('2026-12-05T10:00:00Z');

let i18n: i18n;
let api: FakeApi;
let queue: WeeklySlot[];
let drafts: CalendarEntry[];

function draft(id: string, excerpt: string): CalendarEntry {
  return {
    id,
    projectId: 'p1',
    excerpt,
    status: 'draft',
    approval: 'draft',
    scheduledAt: null,
    timezone: ZONE,
    accountIds: [],
    networks: [],
    labels: [],
    mediaCount: 0,
    revision: 1,
    repeats: false,
    evergreen: false,
    thumbnailId: null,
  };
}

function settings(changes: Partial<Settings> = {}): Settings {
  return {
    theme: 'system',
    language: 'en',
    hourCycle: 'h23',
    weekStart: 'monday',
    activeProjectId: 'p1',
    runInBackground: true,
    startAtLogin: false,
    notifications: { published: true, failed: true, needsAttention: true },
    ...changes,
  };
}

beforeAll(async () => {
  vi.useFakeTimers({ now: NOW, toFake: ['Date'] });
  i18n = await initI18n('en');
});

afterAll(() => {
  vi.useRealTimers();
});

beforeEach(() => {
  queue = [{ weekday: 1, minute: 9 * 60 }];
  drafts = [];
  api = createFakeApi();
  api.answer('calendar.range', () => ({ ok: true, value: { entries: [] } }));
  api.answer('calendar.unscheduled', () => ({ ok: true, value: { entries: drafts } }));
  api.answer('calendar.facets', () => ({
    ok: true,
    value: { accounts: [{ id: 'a1', projectId: 'p1', network: 'mastodon', handle: '@bakery', displayName: 'Bakery' }], labels: [] },
  }));
  api.answer('queue.free', ({ from, to }) => ({ ok: true, value: { slots: slotInstants(queue, from, to, ZONE).map((at) => ({ accountId: 'a1', at })) } }));
  api.answer('queue.get', () => ({ ok: true, value: { project: { slots: [], minSpacingMinutes: 0 }, queues: [{ accountId: 'a1', slots: queue, minSpacingMinutes: 0 }] } }));
  api.answer('queue.save', ({ accountId, slots, minSpacingMinutes }) => {
    queue = slots;
    // As main does: the event goes out before the answer.
    api.emit('queue.changed', { projectId: 'p1', accountId });
    return { ok: true, value: { accountId, slots, minSpacingMinutes } };
  });
  api.answer('evergreen.get', () => ({ ok: true, value: { minIntervalDays: 30, posts: [] } }));
  setApiForTests(api);
  useProjects.setState({ projects: [project({ timezone: ZONE })], activeId: 'p1', loaded: true, loadError: null, showArchived: false });
  useSettings.setState({ settings: settings(), info: null, error: null });
  useCalendar.setState({ view: 'week', context: null, entries: [], drafts: [], slots: [], slotWeek: null, loadedKey: null, selectedId: null, message: null });
});

afterEach(cleanup);

function renderCalendar() {
  return render(
    <I18nextProvider i18n={i18n}>
      <CalendarPage />
    </I18nextProvider>,
  );
}

const slotsPanel = () => screen.getByRole('region', { name: en.calendar.slots.title });
const draftsPanel = () => screen.getByRole('region', { name: en.calendar.drafts.title });
const slotTexts = () => within(slotsPanel()).queryAllByRole('listitem').map((li) => li.querySelector('.slot-when')?.textContent);
const lastFree = () => api.calls.filter((c) => c.name === 'queue.free').at(-1)?.args as { from: number; to: number };

describe('the side panels', () => {
  it('list the slots of the week on screen: the week of 7–13 December, not the one before', async () => {
    renderCalendar();
    await waitFor(() => expect(slotTexts()).toEqual(['Mon 09:00']));
    expect(within(slotsPanel()).getByText('Nov 30 – Dec 6, 2026')).toBeTruthy();
    expect(lastFree()).toEqual({ projectId: 'p1', from: dayStart('2026-11-30', ZONE), to: dayStart('2026-12-07', ZONE) });

    fireEvent.click(screen.getByRole('button', { name: en.calendar.next.week }));
    await waitFor(() => expect(within(slotsPanel()).getByText('Dec 7 – 13, 2026')).toBeTruthy());
    expect(lastFree()).toEqual({ projectId: 'p1', from: dayStart('2026-12-07', ZONE), to: dayStart('2026-12-14', ZONE) });
    const slot = within(slotsPanel()).getByRole('listitem');
    expect(slot.getAttribute('title')).toBe('Monday, December 7, 2026 at 09:00');
  });

  it('show slots saved in the queue dialog at once', async () => {
    renderCalendar();
    await waitFor(() => expect(slotTexts()).toEqual(['Mon 09:00']));
    fireEvent.click(screen.getByRole('button', { name: en.calendar.queue.open }));
    const dialog = await screen.findByRole('dialog', { name: en.calendar.queue.title });
    await waitFor(() => expect(within(dialog).getByRole<HTMLInputElement>('textbox', { name: en.calendar.queue.times }).value).toBe('09:00'));
    fireEvent.click(within(dialog).getByRole('checkbox', { name: 'Sun' }));
    fireEvent.change(within(dialog).getByRole('textbox', { name: en.calendar.queue.times }), { target: { value: '9:00, 18:30' } });
    fireEvent.click(within(dialog).getByRole('button', { name: en.calendar.queue.save }));
    await waitFor(() => expect(slotTexts()).toEqual(['Mon 09:00', 'Mon 18:30', 'Sun 09:00', 'Sun 18:30']));
  });

  it('show a new draft at once, and one made while the calendar was off screen when it comes back', async () => {
    const view = renderCalendar();
    await waitFor(() => expect(within(draftsPanel()).getByText(en.calendar.drafts.empty)).toBeTruthy());
    drafts = [draft('d1', 'Challah Friday')];
    act(() => api.emit('posts.changed', { projectId: 'p1', postId: 'd1', revision: 1 }));
    await waitFor(() => expect(within(draftsPanel()).getByText('Challah Friday')).toBeTruthy());

    view.unmount();
    drafts = [draft('d2', 'Sourdough class'), ...drafts];
    renderCalendar();
    await waitFor(() => expect(within(draftsPanel()).getByText('Sourdough class')).toBeTruthy());
  });
});

describe('the clock and the first day of the week', () => {
  const header = () => [...document.querySelectorAll('.timegrid-day')].map((d) => d.textContent);
  const hours = () => [...document.querySelectorAll('.timegrid-hour')].map((h) => h.textContent);

  it('follow Settings in the week grid, the panel and the queue dialog', async () => {
    useSettings.setState({ settings: settings({ hourCycle: 'h12', weekStart: 'sunday' }) });
    renderCalendar();
    // Node's ICU writes "29 Sun", Chromium's "Sun 29".
    await waitFor(() => expect(header()[0]).toMatch(/^(Sun 29|29 Sun)$/));
    expect(hours()[13]).toBe('1:00 PM');
    // A Sunday week: Sun 29 Nov – Sat 5 Dec, whose Monday slot is 30 Nov.
    await waitFor(() => expect(lastFree().from).toBe(dayStart('2026-11-29', ZONE)));
    await waitFor(() => expect(slotTexts()).toEqual(['Mon 9:00 AM']));

    fireEvent.click(screen.getByRole('button', { name: en.calendar.queue.open }));
    const dialog = await screen.findByRole('dialog', { name: en.calendar.queue.title });
    await waitFor(() => expect(within(dialog).getByRole<HTMLInputElement>('textbox', { name: en.calendar.queue.times }).value).toBe('9:00 AM'));
    const days = within(within(dialog).getByRole('group', { name: en.calendar.queue.days })).getAllByRole('checkbox');
    expect(days.map((d) => d.parentElement?.textContent)).toEqual(['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat']);
    fireEvent.change(within(dialog).getByRole('textbox', { name: en.calendar.queue.times }), { target: { value: '9:00 AM, 6:30 pm' } });
    fireEvent.click(within(dialog).getByRole('button', { name: en.calendar.queue.save }));
    await waitFor(() => expect(queue).toEqual([{ weekday: 1, minute: 540 }, { weekday: 1, minute: 1110 }]));
    expect(within(dialog).getByRole<HTMLInputElement>('textbox', { name: en.calendar.queue.times }).value).toBe('9:00 AM, 6:30 PM');
    fireEvent.click(within(dialog).getByRole('button', { name: en.calendar.close }));

    act(() => useSettings.setState({ settings: settings({ hourCycle: 'h23', weekStart: 'saturday' }) }));
    await waitFor(() => expect(header()[0]).toMatch(/^(Sat 5|5 Sat)$/));
    expect(hours()[13]).toBe('13:00');
    await waitFor(() => expect(slotTexts()).toEqual(['Mon 09:00', 'Mon 18:30']));
  });

  it('refuses times that are not times, naming an example in the user’s clock', async () => {
    useSettings.setState({ settings: settings({ hourCycle: 'h12' }) });
    renderCalendar();
    fireEvent.click(screen.getByRole('button', { name: en.calendar.queue.open }));
    const dialog = await screen.findByRole('dialog', { name: en.calendar.queue.title });
    await waitFor(() => expect(within(dialog).getByRole<HTMLInputElement>('textbox', { name: en.calendar.queue.times }).value).toBe('9:00 AM'));
    fireEvent.change(within(dialog).getByRole('textbox', { name: en.calendar.queue.times }), { target: { value: '25:00' } });
    fireEvent.click(within(dialog).getByRole('button', { name: en.calendar.queue.save }));
    expect(await within(dialog).findByText('Write times like 10:00 AM, 6:30 PM.')).toBeTruthy();
    expect(api.calls.some((c) => c.name === 'queue.save')).toBe(false);
  });
});
