import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import type { i18n } from 'i18next';
import { I18nextProvider } from 'react-i18next';
import { afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import type { Args, CommunitySignIn } from '../../main/core/contract';
import { OK_REDIRECT_URI } from '../../main/core/networks/ok';
import { ConnectDialog } from '../../renderer/src/features/accounts/ConnectDialog';
import { initI18n } from '../../renderer/src/i18n/i18n';
import en from '../../renderer/src/i18n/locales/en.json';
import { setApiForTests } from '../../renderer/src/platform/api';
import { createFakeApi, type FakeApi } from './fake-api';

/** The OK connect dialog: three steps (the app, its redirect address, what happens), the browser sign-in, then the groups to tick. */

let i18n: i18n;
let api: FakeApi;

const PENDING_ID = '0b4c3f0e-1f5d-4d55-8f0e-2c6f0a1b2c3d';

beforeAll(async () => {
  i18n = await initI18n('en');
});

beforeEach(() => {
  api = createFakeApi();
  api.answer('accounts.list', () => ({ ok: true, value: [] }));
  setApiForTests(api);
});

afterEach(cleanup);

it('explains the OK app in three steps, signs in with the app keys, and sends the ticked group; OK’s refusal is shown in its words', async () => {
  const signIns: CommunitySignIn[] = [];
  const picks: Args<'accounts.connectCommunities'>[] = [];
  api.answer('accounts.signIn', ({ signIn }) => {
    signIns.push(signIn);
    return { ok: true, value: { pendingId: PENDING_ID, network: 'ok', who: 'Olga Manager', expiresAt: 0, communities: [{ id: '53038939046008', name: 'Bakery Club', handle: 'ok.ru/group/53038939046008', role: 'moderator', accountId: null }] } };
  });
  api.answer('accounts.connectCommunities', (args) => {
    picks.push(args);
    return { ok: false, error: { code: 'validation', message: 'refused', field: 'group', reason: 'ok_group_cannot_post', networkMessage: 'ACTIVE, ANALYST', networkSaid: 'ACTIVE, ANALYST', details: { community: 'Bakery Club' } } };
  });
  render(
    <I18nextProvider i18n={i18n}>
      <ConnectDialog network="ok" projectId="p1" onClose={() => {}} onDone={() => {}} />
    </I18nextProvider>,
  );
  expect(screen.getAllByRole('listitem')).toHaveLength(3);
  expect(screen.getByText(new RegExp(OK_REDIRECT_URI.replace(/[.:/]/g, '\\$&')))).toBeTruthy();
  fireEvent.change(screen.getByLabelText(en.accounts.ok.applicationId), { target: { value: '512000000001' } });
  fireEvent.change(screen.getByLabelText(en.accounts.ok.applicationKey), { target: { value: 'CBAKEY' } });
  fireEvent.change(screen.getByLabelText(en.accounts.ok.applicationSecretKey), { target: { value: 'SECRET' } });
  await act(async () => {
    fireEvent.click(screen.getByRole('button', { name: en.accounts.ok.submit }));
  });
  expect(signIns).toEqual([{ network: 'ok', applicationId: '512000000001', applicationKey: 'CBAKEY', applicationSecretKey: 'SECRET' }]);
  const box = screen.getByRole('checkbox', { name: /Bakery Club/ });
  expect(box.closest('label')?.textContent).toContain(en.accounts.role.moderator);
  fireEvent.click(box);
  await act(async () => {
    fireEvent.click(screen.getByRole('button', { name: 'Connect 1 selected' }));
  });
  expect(picks).toEqual([{ pendingId: PENDING_ID, communities: ['53038939046008'] }]);
  const alert = screen.getByRole('alert').textContent ?? '';
  expect(alert).toContain(`Bakery Club: ${en.errors.reason.ok_group_cannot_post}`);
  expect(alert).toContain('OK said: “ACTIVE, ANALYST”');
  // Focus goes to the refused group's box.
  expect(document.activeElement).toBe(box);
});
