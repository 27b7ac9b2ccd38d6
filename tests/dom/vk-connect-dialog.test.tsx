import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import type { i18n } from 'i18next';
import { I18nextProvider } from 'react-i18next';
import { afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import type { Connection } from '../../main/core/contract';
import { VK_REDIRECT_URI } from '../../main/core/networks/vk';
import { ConnectDialog } from '../../renderer/src/features/accounts/ConnectDialog';
import { initI18n } from '../../renderer/src/i18n/i18n';
import en from '../../renderer/src/i18n/locales/en.json';
import { setApiForTests } from '../../renderer/src/platform/api';
import { createFakeApi, type FakeApi } from './fake-api';

/** The VK connect dialog: three steps (own app, VK ID's redirect address, what to paste), the sign-in method, the community. */

let i18n: i18n;
let api: FakeApi;
const sent: Connection[] = [];

beforeAll(async () => {
  i18n = await initI18n('en');
});

beforeEach(() => {
  sent.length = 0;
  api = createFakeApi();
  api.answer('accounts.list', () => ({ ok: true, value: [] }));
  api.answer('accounts.connect', ({ connection }) => {
    sent.push(connection);
    return { ok: false, error: { code: 'validation', message: 'refused', field: 'community', reason: 'vk_not_an_editor', networkMessage: 'Access to adding post denied', networkSaid: 'Access to adding post denied' } };
  });
  setApiForTests(api);
  render(
    <I18nextProvider i18n={i18n}>
      <ConnectDialog network="vk" projectId="p1" onClose={() => {}} onDone={() => {}} />
    </I18nextProvider>,
  );
});

afterEach(cleanup);

it('explains the VK app in three steps and sends the app id, VK ID and the community; VK’s refusal is shown in its words', async () => {
  expect(screen.getAllByRole('listitem')).toHaveLength(3);
  expect(screen.getByText(new RegExp(VK_REDIRECT_URI.replace(/[.:/]/g, '\\$&')))).toBeTruthy();
  // VK ID needs no pasted address.
  expect(screen.queryByLabelText(en.accounts.vk.address)).toBeNull();
  fireEvent.change(screen.getByLabelText(en.accounts.vk.appId), { target: { value: '51234567' } });
  fireEvent.change(screen.getByLabelText(en.accounts.vk.community), { target: { value: 'vk.com/bakery_lenina' } });
  await act(async () => {
    fireEvent.click(screen.getByRole('button', { name: en.accounts.vk.submit }));
  });
  expect(sent).toEqual([{ network: 'vk', appId: '51234567', method: 'vkid', community: 'vk.com/bakery_lenina' }]);
  const alert = screen.getByRole('alert').textContent ?? '';
  expect(alert).toContain(en.errors.reason.vk_not_an_editor);
  expect(alert).toContain('VK said: “Access to adding post denied”');
});

it('the standalone (implicit) sign-in offers the field for the final address and sends it', async () => {
  fireEvent.change(screen.getByLabelText(en.accounts.vk.method), { target: { value: 'implicit' } });
  fireEvent.change(screen.getByLabelText(en.accounts.vk.appId), { target: { value: '51234567' } });
  fireEvent.change(screen.getByLabelText(en.accounts.vk.address), { target: { value: 'https://oauth.vk.com/blank.html#access_token=t&expires_in=0&user_id=1' } });
  fireEvent.change(screen.getByLabelText(en.accounts.vk.community), { target: { value: 'club1' } });
  await act(async () => {
    fireEvent.click(screen.getByRole('button', { name: en.accounts.vk.submit }));
  });
  expect(sent).toEqual([
    { network: 'vk', appId: '51234567', method: 'implicit', address: 'https://oauth.vk.com/blank.html#access_token=t&expires_in=0&user_id=1', community: 'club1' },
  ]);
});
