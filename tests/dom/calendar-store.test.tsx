import { beforeEach, describe, expect, it } from 'vitest';
import type { CalendarEntry } from '../../main/core/contract';
import { useCalendar } from '../../renderer/src/features/calendar/calendar-store';
import { setApiForTests } from '../../renderer/src/platform/api';
import { createFakeApi, type FakeApi } from './fake-api';

/** The calendar's moves: drawn at once, confirmed or taken back, undone, and never into the past. */

const DAY = 86_400_000;
const inAWeek = Math.ceil((Date.now() + 7 * DAY) / 60_000) * 60_000;

function entry(id: string, scheduledAt: number | null): CalendarEntry {
  return {
    id,
    projectId: 'p1',
    excerpt: id,
    status: scheduledAt === null ? 'draft' : 'scheduled',
    approval: 'draft',
    scheduledAt,
    timezone: 'Europe/Berlin',
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

let api: FakeApi;

beforeEach(() => {
  api = createFakeApi();
  setApiForTests(api);
  useCalendar.setState({ entries: [entry('a', inAWeek)], drafts: [entry('d', null)], undoStack: [], message: null, saving: 0 });
});

describe('calendar moves', () => {
  it('draws the move before main answers, then keeps main’s version and offers undo', async () => {
    let answered: (() => void) | undefined;
    api.answer('calendar.move', (args) => ({ ok: true, value: { entry: { ...entry('a', args.at), revision: 2 }, problems: [], scheduled: true } }));
    const originalInvoke = api.invoke.bind(api);
    api.invoke = (name, args) =>
      new Promise((resolve) => {
        answered = () => void originalInvoke(name, args).then(resolve);
      }) as never;
    const target = inAWeek + DAY;
    const moving = useCalendar.getState().move('a', target);
    expect(useCalendar.getState().entries[0]?.scheduledAt).toBe(target);
    expect(useCalendar.getState().saving).toBe(1);
    answered?.();
    expect(await moving).toBe(true);
    expect(useCalendar.getState().entries[0]?.revision).toBe(2);
    expect(useCalendar.getState().undoStack).toEqual([{ id: 'a', from: inAWeek, to: target }]);
    expect(useCalendar.getState().message?.key).toBe('moved');
  });

  it('takes the move back when main refuses it, and says why', async () => {
    api.answer('calendar.move', () => ({ ok: false, error: { code: 'conflict', message: 'stale', reason: 'post_revision_stale' } }));
    expect(await useCalendar.getState().move('a', inAWeek + DAY)).toBe(false);
    expect(useCalendar.getState().entries[0]?.scheduledAt).toBe(inAWeek);
    expect(useCalendar.getState().message?.error?.reason).toBe('post_revision_stale');
    expect(useCalendar.getState().undoStack).toEqual([]);
  });

  it('refuses a drop into the past without asking main', async () => {
    expect(await useCalendar.getState().move('a', Date.now() - DAY)).toBe(false);
    expect(api.calls).toEqual([]);
    expect(useCalendar.getState().message).toMatchObject({ tone: 'error', key: 'pastRefused' });
  });

  it('undoes the last move by moving the post back', async () => {
    api.answer('calendar.move', (args) => ({ ok: true, value: { entry: entry('a', args.at), problems: [], scheduled: true } }));
    await useCalendar.getState().move('a', inAWeek + DAY);
    await useCalendar.getState().undo();
    expect(useCalendar.getState().entries[0]?.scheduledAt).toBe(inAWeek);
    expect(useCalendar.getState().undoStack).toEqual([]);
    expect(useCalendar.getState().message?.key).toBe('moveUndone');
  });

  it('places a sidebar draft on the calendar and tells when it could not be scheduled', async () => {
    api.answer('calendar.move', (args) => ({
      ok: true,
      value: { entry: entry('d', args.at), problems: [{ code: 'no_targets', severity: 'error', params: {} }], scheduled: false },
    }));
    await useCalendar.getState().move('d', inAWeek, { fromSidebar: true });
    expect(useCalendar.getState().drafts).toEqual([]);
    expect(useCalendar.getState().entries.map((e) => e.id)).toContain('d');
    expect(useCalendar.getState().message).toMatchObject({ key: 'placedNotScheduled', problems: [{ code: 'no_targets' }] });
  });
});
