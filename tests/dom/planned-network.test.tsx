import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import type { i18n } from 'i18next';
import { I18nextProvider } from 'react-i18next';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Account, CalendarEntry } from '../../main/core/contract';
import { PlannedNetworks } from '../../renderer/src/features/accounts/PlannedNetworks';
import { PostChip } from '../../renderer/src/features/calendar/PostChip';
import { initI18n } from '../../renderer/src/i18n/i18n';
import { setApiForTests } from '../../renderer/src/platform/api';
import { useOpenPost } from '../../renderer/src/features/post/open-post-store';
import { openComposer } from './compose-harness';
import { createFakeApi } from './fake-api';

/**
 * Drafting for a network before its account exists (issue 12 item 9): the planned network gets
 * its counter and preview, scheduling asks which connected account takes the post, the calendar
 * marks such posts, and the Accounts page hands the drafts over.
 */

let i18n: i18n;

beforeAll(async () => {
  i18n = await initI18n('en');
});

afterEach(cleanup);

const account = (over: Partial<Account>): Account => ({
  id: 'a-x-real', projectId: 'p-plan', network: 'x', handle: '@bakery', displayName: 'Bakery', url: null, status: 'connected',
  statusReason: null, server: null, nativeScheduler: null, deleteWindowHours: null, defaults: {}, createdAt: 1, updatedAt: 1, ...over,
});

describe('a draft for a planned network', () => {
  it('counts and previews the text by the network’s rules before any account is connected', async () => {
    await openComposer(i18n, 'p-plan-1', ['x'], { body: `Crisp summer salad ${'a'.repeat(271)}` }, { planned: ['x'] });
    expect((screen.getByRole('checkbox', { name: 'X, no account yet' }) as HTMLInputElement).checked).toBe(true);
    expect(screen.getByText('290 / 280')).toBeTruthy();
    expect(screen.getByRole('article', { name: /X/ }).textContent).toContain('Your X account');
  });

  it('asks which connected account takes it when scheduling, and swaps the target keeping its own text', async () => {
    const real = account({ id: 'a-x-real', projectId: 'p-plan-2' });
    const api = await openComposer(i18n, 'p-plan-2', ['x'], {}, { planned: ['x'], others: [real] });
    const problems = screen.getByRole('list', { name: 'Before this can be scheduled:' });
    expect(problems.textContent).toContain('X: no account is connected yet; choose the account that takes this post.');
    expect((screen.getByRole('button', { name: 'Schedule' }) as HTMLButtonElement).disabled).toBe(true);
    fireEvent.change(within(problems).getByRole('combobox', { name: 'Account:' }), { target: { value: 'a-x-real' } });
    await act(async () => {
      fireEvent.click(within(problems).getByRole('button', { name: 'Use it' }));
    });
    expect(useOpenPost.getState().draft?.targets).toEqual([{ accountId: 'a-x-real', bodyOverride: null, mediaOverride: null }]);
    expect(screen.queryByText(/no account is connected yet/)).toBeNull();
    expect(api.calls.some((c) => c.name === 'accounts.adoptPlanned')).toBe(false);
  });

  it('keeps the planned target’s own text when the chosen account is already on the post', async () => {
    const real = account({ id: 'a-x-real', projectId: 'p-plan-4' });
    await openComposer(i18n, 'p-plan-4', ['x'], {}, { planned: ['x'], others: [real] });
    act(() => {
      useOpenPost.getState().edit({
        targets: [
          { accountId: 'a-x', bodyOverride: 'Shorter, for X', mediaOverride: null },
          { accountId: 'a-x-real', bodyOverride: null, mediaOverride: null },
        ],
      });
    });
    const problems = screen.getByRole('list', { name: 'Before this can be scheduled:' });
    await act(async () => {
      fireEvent.click(within(problems).getByRole('button', { name: 'Use it' }));
    });
    expect(useOpenPost.getState().draft?.targets).toEqual([{ accountId: 'a-x-real', bodyOverride: 'Shorter, for X', mediaOverride: null }]);
  });

  it('plans a network from the composer and ticks it', async () => {
    const api = await openComposer(i18n, 'p-plan-3', ['telegram']);
    const planned = account({ id: 'a-ig-planned', projectId: 'p-plan-3', network: 'instagram', handle: '', displayName: '', status: 'planned', plannedPosts: 0 });
    api.answer('accounts.plan', () => ({ ok: true, value: planned }));
    await act(async () => {
      fireEvent.change(screen.getByRole('combobox', { name: 'Plan a network:' }), { target: { value: 'instagram' } });
    });
    expect(api.calls.filter((c) => c.name === 'accounts.plan').map((c) => c.args)).toEqual([{ projectId: 'p-plan-3', network: 'instagram' }]);
    expect(useOpenPost.getState().draft?.targets.map((x) => x.accountId)).toEqual(['a-telegram', 'a-ig-planned']);
  });
});

describe('elsewhere in the window', () => {
  it('marks a calendar post aimed at a planned network, in words', () => {
    const entry: CalendarEntry = {
      id: 'post-1', projectId: 'p1', excerpt: 'Launch week', status: 'draft', approval: 'draft', scheduledAt: null, timezone: 'UTC',
      accountIds: ['a-ig'], networks: ['instagram'], labels: [], mediaCount: 0, revision: 1, repeats: false, evergreen: false, thumbnailId: null, accountMissing: true,
    };
    render(<I18nextProvider i18n={i18n}><PostChip entry={entry} minutes={null} colour="#2563eb" tabbable selected={false} /></I18nextProvider>);
    const chip = screen.getByRole('button');
    expect(chip.getAttribute('aria-label')).toMatch(/; account missing$/);
    expect(chip.querySelector('.post-missing')?.textContent).toBe('account missing');
  });

  it('hands a planned network’s drafts to the connected account, and keeps Remove off while drafts use it', async () => {
    const api = createFakeApi();
    setApiForTests(api);
    api.answer('accounts.adoptPlanned', () => ({ ok: true, value: { moved: 3, left: 0 } }));
    const planned = account({ id: 'a-vk-planned', network: 'vk', handle: '', displayName: '', status: 'planned', plannedPosts: 3 });
    const real = account({ id: 'a-vk', network: 'vk', handle: 'club1', displayName: 'Bakery club' });
    render(<I18nextProvider i18n={i18n}><PlannedNetworks projectId="p-plan" accounts={[real, planned]} /></I18nextProvider>);
    const row = screen.getByText('VK').closest('li') as HTMLElement;
    expect(within(row).getByText('3 drafts')).toBeTruthy();
    expect((within(row).getByRole('button', { name: 'Remove' }) as HTMLButtonElement).disabled).toBe(true);
    await act(async () => {
      fireEvent.click(within(row).getByRole('button', { name: 'Give' }));
    });
    expect(api.calls.filter((c) => c.name === 'accounts.adoptPlanned').map((c) => c.args)).toEqual([{ id: 'a-vk-planned', accountId: 'a-vk' }]);
    expect(within(row).getByRole('status').textContent).toBe('3 drafts now go to that account.');
  });
});
