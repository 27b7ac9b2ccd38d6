import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import type { i18n } from 'i18next';
import { I18nextProvider } from 'react-i18next';
import { afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import type { Connection } from '../../main/core/contract';
import { OK_REDIRECT_URI } from '../../main/core/networks/ok';
import { ConnectDialog } from '../../renderer/src/features/accounts/ConnectDialog';
import { initI18n } from '../../renderer/src/i18n/i18n';
import en from '../../renderer/src/i18n/locales/en.json';
import { setApiForTests } from '../../renderer/src/platform/api';
import { createFakeApi, type FakeApi } from './fake-api';

/** The OK connect dialog: three steps (the app, its redirect address, what to paste), then the browser sign-in. */

let i18n: i18n;
let api: FakeApi;

beforeAll(async () => {
  i18n = await initI18n('en');
});

beforeEach(() => {
  api = createFakeApi();
  api.answer('accounts.list', () => ({ ok: true, value: [] }));
  setApiForTests(api);
});

afterEach(cleanup);

it('explains the OK app in three steps and sends the app keys and the group', async () => {
  const sent: Connection[] = [];
  api.answer('accounts.connect', ({ connection }) => {
    sent.push(connection);
    return { ok: false, error: { code: 'validation', message: 'refused', field: 'group', reason: 'ok_group_cannot_post', networkMessage: 'ACTIVE, ANALYST', networkSaid: 'ACTIVE, ANALYST' } };
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
  fireEvent.change(screen.getByLabelText(en.accounts.ok.group), { target: { value: 'ok.ru/group/53038939046008' } });
  await act(async () => {
    fireEvent.click(screen.getByRole('button', { name: en.accounts.ok.submit }));
  });
  expect(sent).toEqual([{ network: 'ok', applicationId: '512000000001', applicationKey: 'CBAKEY', applicationSecretKey: 'SECRET', group: 'ok.ru/group/53038939046008' }]);
  const alert = screen.getByRole('alert').textContent ?? '';
  expect(alert).toContain(en.errors.reason.ok_group_cannot_post);
  expect(alert).toContain('OK said: “ACTIVE, ANALYST”');
});
