import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import type { i18n } from 'i18next';
import { I18nextProvider } from 'react-i18next';
import { afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import type { Account, Args, CommunitySignIn, PendingSignIn } from '../../main/core/contract';
import { VK_REDIRECT_URI } from '../../main/core/networks/vk';
import { initialsOf } from '../../renderer/src/features/accounts/CommunityPicker';
import { ConnectDialog } from '../../renderer/src/features/accounts/ConnectDialog';
import { initI18n } from '../../renderer/src/i18n/i18n';
import en from '../../renderer/src/i18n/locales/en.json';
import { setApiForTests } from '../../renderer/src/platform/api';
import { createFakeApi, type FakeApi } from './fake-api';

/**
 * The VK connect dialog: three steps (own app, VK ID's redirect address, what happens), the sign-in
 * method, then the list of communities to tick, with a pasted link as the fallback.
 */

let i18n: i18n;
let api: FakeApi;
const signIns: CommunitySignIn[] = [];
const picks: Args<'accounts.connectCommunities'>[] = [];
let done: string[];
let pending: PendingSignIn;

const PENDING_ID = '6f1c8a52-58a4-4a4e-9a57-7d3f0d2f1e11';

function account(id: string, displayName: string): Account {
  return { id, projectId: 'p1', network: 'vk', handle: `vk.com/${id}`, displayName, url: null, status: 'connected', statusReason: null, server: null, nativeScheduler: null, deleteWindowHours: null, defaults: {}, createdAt: 0, updatedAt: 0 };
}

beforeAll(async () => {
  i18n = await initI18n('en');
});

beforeEach(() => {
  signIns.length = 0;
  picks.length = 0;
  done = [];
  pending = {
    pendingId: PENDING_ID,
    network: 'vk',
    who: 'Anna Petrova',
    expiresAt: 0,
    communities: [
      { id: '11', name: 'Bakery on Lenina', handle: 'vk.com/bakery_lenina', role: 'editor', accountId: null },
      { id: '12', name: 'Cafe Vostok', handle: 'vk.com/cafe_vostok', role: 'admin', accountId: null },
      { id: '13', name: 'Old shop', handle: 'vk.com/old_shop', role: 'admin', accountId: 'a-old' },
    ],
  };
  api = createFakeApi();
  api.answer('accounts.list', () => ({ ok: true, value: [] }));
  api.answer('accounts.cancelSignIn', () => ({ ok: true, value: { cancelled: true } }));
  api.answer('accounts.signIn', ({ signIn }) => {
    signIns.push(signIn);
    return { ok: true, value: pending };
  });
  api.answer('accounts.connectCommunities', (args) => {
    picks.push(args);
    if (args.communities.includes('vk.com/fans')) {
      return { ok: false, error: { code: 'validation', message: 'refused', field: 'community', reason: 'vk_not_an_editor', networkSaid: 'Access to adding post denied', details: { community: 'vk.com/fans' } } };
    }
    return { ok: true, value: args.communities.map((id) => ({ account: account(id, pending.communities.find((c) => c.id === id)?.name ?? id), renewed: false })) };
  });
  setApiForTests(api);
  render(
    <I18nextProvider i18n={i18n}>
      <ConnectDialog network="vk" projectId="p1" onClose={() => {}} onDone={(message) => done.push(message)} />
    </I18nextProvider>,
  );
});

afterEach(cleanup);

async function signIn(): Promise<void> {
  fireEvent.change(screen.getByLabelText(en.accounts.vk.appId), { target: { value: '51234567' } });
  await act(async () => {
    fireEvent.click(screen.getByRole('button', { name: en.accounts.vk.submit }));
  });
}

it('explains the VK app in three steps, signs in with the app id and VK ID, and asks for no community yet', async () => {
  expect(screen.getAllByRole('listitem')).toHaveLength(3);
  expect(screen.getByText(new RegExp(VK_REDIRECT_URI.replace(/[.:/]/g, '\\$&')))).toBeTruthy();
  // VK ID needs no pasted address, and the community comes from the list.
  expect(screen.queryByLabelText(en.accounts.vk.address)).toBeNull();
  expect(screen.queryByLabelText(en.accounts.vk.paste)).toBeNull();
  await signIn();
  expect(signIns).toEqual([{ network: 'vk', appId: '51234567', method: 'vkid' }]);
  expect(screen.getByText('Signed in to VK as Anna Petrova.')).toBeTruthy();
});

it('lists the communities with role; an already connected one is shown, not offered; two ticked become two accounts', async () => {
  await signIn();
  const list = screen.getByRole('group', { name: en.accounts.vk.pickLegend });
  const boxes = within(list).getAllByRole('checkbox') as HTMLInputElement[];
  expect(boxes.map((b) => [b.checked, b.disabled])).toEqual([
    [false, false],
    [false, false],
    [true, true],
  ]);
  expect(within(list).getByText(/vk\.com\/cafe_vostok/).parentElement?.textContent).toContain(en.accounts.role.admin);
  expect(within(list).getByText(/already connected/)).toBeTruthy();
  const submit = screen.getByRole('button', { name: 'Connect' }) as HTMLButtonElement;
  expect(submit.disabled).toBe(true);
  fireEvent.click(boxes[0]!);
  fireEvent.click(boxes[1]!);
  await act(async () => {
    fireEvent.click(screen.getByRole('button', { name: 'Connect 2 selected' }));
  });
  expect(picks).toEqual([{ pendingId: PENDING_ID, communities: ['11', '12'] }]);
  expect(done).toEqual(['Bakery on Lenina, Cafe Vostok are connected.']);
});

it('a pasted link not in the list is sent too, and VK’s refusal names it in VK’s words', async () => {
  await signIn();
  fireEvent.change(screen.getByLabelText(en.accounts.vk.paste), { target: { value: 'vk.com/fans' } });
  await act(async () => {
    fireEvent.click(screen.getByRole('button', { name: 'Connect 1 selected' }));
  });
  expect(picks).toEqual([{ pendingId: PENDING_ID, communities: ['vk.com/fans'] }]);
  const alert = screen.getByRole('alert').textContent ?? '';
  expect(alert).toContain(`vk.com/fans: ${en.errors.reason.vk_not_an_editor}`);
  expect(alert).toContain('VK said: “Access to adding post denied”');
  expect(done).toEqual([]);
});

it('with no community to manage, says so and keeps the paste fallback', async () => {
  pending = { ...pending, communities: [] };
  await signIn();
  expect(screen.getByText(en.accounts.vk.pickNone)).toBeTruthy();
  expect(screen.queryByRole('checkbox')).toBeNull();
  expect(screen.getByLabelText(en.accounts.vk.paste)).toBeTruthy();
});

it('the standalone (implicit) sign-in offers the field for the final address and sends it', async () => {
  fireEvent.change(screen.getByLabelText(en.accounts.vk.method), { target: { value: 'implicit' } });
  fireEvent.change(screen.getByLabelText(en.accounts.vk.address), { target: { value: 'https://oauth.vk.com/blank.html#access_token=t&expires_in=0&user_id=1' } });
  await signIn();
  expect(signIns).toEqual([{ network: 'vk', appId: '51234567', method: 'implicit', address: 'https://oauth.vk.com/blank.html#access_token=t&expires_in=0&user_id=1' }]);
});

it('stands in for a community picture with up to two initials', () => {
  expect(initialsOf('Bakery on Lenina')).toBe('BO');
  expect(initialsOf('«Пекарня» на Ленина')).toBe('ПН');
  expect(initialsOf('123')).toBe('1');
  expect(initialsOf('—')).toBe('?');
});
