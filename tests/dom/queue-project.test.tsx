import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import type { i18n } from 'i18next';
import { I18nextProvider } from 'react-i18next';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CalendarEntry } from '../../main/core/contract';
import { PostPanel } from '../../renderer/src/features/calendar/PostPanel';
import { QueueDialog } from '../../renderer/src/features/calendar/QueueDialog';
import { initI18n } from '../../renderer/src/i18n/i18n';
import en from '../../renderer/src/i18n/locales/en.json';
import { setApiForTests } from '../../renderer/src/platform/api';
import { createFakeApi } from './fake-api';

/** The calendar's side of the queue: slots for the whole project in the queue dialog, and the post panel's time after queueing. */

const ZONE = 'Europe/Lisbon';
let i18n: i18n;

beforeAll(async () => {
  i18n = await initI18n('en');
});

afterEach(cleanup);

const wrap = (node: React.ReactNode) => <I18nextProvider i18n={i18n}>{node}</I18nextProvider>;

const entry: CalendarEntry = {
  id: 'post-1', projectId: 'p1', excerpt: 'Challah Friday', status: 'draft', approval: 'draft', scheduledAt: null, timezone: ZONE,
  accountIds: ['a1'], networks: ['mastodon'], labels: [], mediaCount: 0, revision: 1, repeats: false, evergreen: false, thumbnailId: null,
};

describe('queue slots for the whole project', () => {
  it('are offered first and saved with queue.saveProject; an account keeps its own', async () => {
    const api = createFakeApi();
    api.answer('calendar.facets', () => ({ ok: true, value: { accounts: [{ id: 'a1', projectId: 'p1', network: 'mastodon', handle: '@bakery', displayName: 'Bakery' }], labels: [] } }));
    api.answer('queue.get', () => ({ ok: true, value: { project: { slots: [{ weekday: 1, minute: 540 }], minSpacingMinutes: 0 }, queues: [{ accountId: 'a1', slots: [], minSpacingMinutes: 0 }] } }));
    api.answer('evergreen.get', () => ({ ok: true, value: { posts: [], minIntervalDays: 30 } }) as never);
    api.answer('queue.saveProject', ({ slots, minSpacingMinutes }) => ({ ok: true, value: { slots, minSpacingMinutes } }));
    api.answer('queue.save', ({ accountId, slots, minSpacingMinutes }) => ({ ok: true, value: { accountId, slots, minSpacingMinutes } }));
    setApiForTests(api);
    await act(async () => {
      render(wrap(<QueueDialog projectId="p1" onClose={() => {}} />));
    });
    const dialog = await screen.findByRole('dialog', { name: en.calendar.queue.title });
    const account = within(dialog).getByRole<HTMLSelectElement>('combobox', { name: en.calendar.queue.account });
    // No account has slots of its own, the project has Mondays: the dialog opens on the project.
    await waitFor(() => expect(account.value).toBe(''));
    expect(account.options[0]?.textContent).toBe(en.calendar.queue.wholeProject);
    await waitFor(() => expect(within(dialog).getByRole<HTMLInputElement>('checkbox', { name: 'Mon' }).checked).toBe(true));
    fireEvent.click(within(dialog).getByRole('checkbox', { name: 'Wed' }));
    fireEvent.change(within(dialog).getByRole('textbox', { name: en.calendar.queue.times }), { target: { value: '09:00' } });
    await act(async () => {
      fireEvent.click(within(dialog).getByRole('button', { name: en.calendar.queue.save }));
    });
    expect(api.calls.find((c) => c.name === 'queue.saveProject')?.args).toEqual({
      projectId: 'p1',
      slots: [{ weekday: 1, minute: 540 }, { weekday: 3, minute: 540 }],
      minSpacingMinutes: 0,
    });
    expect(api.calls.some((c) => c.name === 'queue.save')).toBe(false);

    // The account's own slots are a separate choice, saved on the account.
    fireEvent.change(account, { target: { value: 'a1' } });
    expect(within(dialog).getByRole<HTMLInputElement>('checkbox', { name: 'Mon' }).checked).toBe(false);
  });
});

describe('the post panel after queueing', () => {
  it('shows the time the queue chose instead of an empty field', async () => {
    setApiForTests(createFakeApi());
    const view = render(wrap(<PostPanel entry={entry} zone={ZONE} onClose={() => {}} />));
    const field = () => screen.getByLabelText(en.calendar.panel.time) as HTMLInputElement;
    expect(field().value).toBe('');
    // Monday 7 December 2026, 09:00 in Lisbon.
    view.rerender(wrap(<PostPanel entry={{ ...entry, status: 'scheduled', scheduledAt: Date.UTC(2026, 11, 7, 9, 0), revision: 2 }} zone={ZONE} onClose={() => {}} />));
    expect(field().value).toBe('2026-12-07T09:00');
  });
});
