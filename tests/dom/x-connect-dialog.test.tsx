import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import type { i18n } from 'i18next';
import { I18nextProvider } from 'react-i18next';
import { afterEach, beforeAll, beforeEach, expect, it, vi } from 'vitest';
import type { Account, AccountDefaults, Connection, Credentials } from '../../main/core/contract';
import { X_REDIRECT_URI } from '../../main/core/networks/x';
import { ConnectDialog } from '../../renderer/src/features/accounts/ConnectDialog';
import { DefaultsDialog } from '../../renderer/src/features/accounts/DefaultsDialog';
import { initI18n } from '../../renderer/src/i18n/i18n';
import en from '../../renderer/src/i18n/locales/en.json';
import { setApiForTests } from '../../renderer/src/platform/api';
import { createFakeApi, type FakeApi } from './fake-api';

/** The X connect dialog: the app's setup with the Callback URI to copy, the Client ID (no secret), the cap and reply settings, then the browser sign-in. */

let i18n: i18n;
let api: FakeApi;
const CLIENT_ID = 'M1M5R3BMVy13QmpScXkzTUt5OE46MTpjaQ';

const account: Account = {
  id: 'a1',
  projectId: 'p1',
  network: 'x',
  handle: '@cornerbakery',
  displayName: 'Corner Bakery',
  url: 'https://x.com/cornerbakery',
  status: 'connected',
  statusReason: null,
  server: null,
  nativeScheduler: null,
  deleteWindowHours: null,
  defaults: {},
  createdAt: 0,
  updatedAt: 0,
} as unknown as Account;

beforeAll(async () => {
  i18n = await initI18n('en');
});

beforeEach(() => {
  api = createFakeApi();
  api.answer('accounts.list', () => ({ ok: true, value: [] }));
  setApiForTests(api);
});

afterEach(cleanup);

const show = (props: { account?: Account; onDone?: (message: string) => void } = {}) =>
  render(
    <I18nextProvider i18n={i18n}>
      <ConnectDialog network="x" projectId="p1" onClose={() => {}} onDone={props.onDone ?? (() => {})} {...(props.account ? { account: props.account } : {})} />
    </I18nextProvider>,
  );

it('shows the fixed Callback URI with a Copy button, the scopes, that X cannot schedule, and asks for the Client ID only', async () => {
  const writeText = vi.fn(async () => undefined);
  Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
  show();
  expect(screen.getByText(X_REDIRECT_URI)).toBeTruthy();
  for (const scope of ['tweet.read', 'tweet.write', 'users.read', 'media.write', 'offline.access']) expect(screen.getByText(scope)).toBeTruthy();
  expect(screen.getByText(en.accounts.x.noHandoff)).toBeTruthy();
  await act(async () => {
    fireEvent.click(screen.getByRole('button', { name: en.accounts.meta.copy }));
  });
  expect(writeText).toHaveBeenCalledWith(X_REDIRECT_URI);
  // A public client: nothing secret is asked for.
  expect(document.querySelectorAll('input[type="password"]')).toHaveLength(0);
});

it('signs in with the Client ID, the monthly cap and who may reply, and says the account is connected', async () => {
  const connections: Connection[] = [];
  api.answer('accounts.connect', ({ connection }) => {
    connections.push(connection);
    return { ok: true, value: { account, renewed: false } };
  });
  const done: string[] = [];
  show({ onDone: (m) => done.push(m) });
  fireEvent.change(screen.getByLabelText(en.accounts.x.clientId), { target: { value: CLIENT_ID } });
  fireEvent.change(screen.getByLabelText(en.accounts.x.monthlyCap), { target: { value: '500' } });
  fireEvent.change(screen.getByLabelText(en.accounts.x.replySettings), { target: { value: 'following' } });
  await act(async () => {
    fireEvent.click(screen.getByRole('button', { name: en.accounts.x.submit }));
  });
  expect(connections).toEqual([{ network: 'x', clientId: CLIENT_ID, monthlyCap: 500, replySettings: 'following' }]);
  expect(done).toEqual([i18n.t('accounts.connected', { name: 'Corner Bakery' })]);
});

it('refuses a malformed Client ID or cap in the dialog, focusing the field, before anything reaches main', async () => {
  const connect = vi.fn();
  api.answer('accounts.connect', connect);
  show();
  fireEvent.change(screen.getByLabelText(en.accounts.x.clientId), { target: { value: 'not a client id' } });
  await act(async () => {
    fireEvent.click(screen.getByRole('button', { name: en.accounts.x.submit }));
  });
  expect(screen.getByRole('alert').textContent).toContain(en.errors.reason.x_client_id_malformed);
  expect(document.activeElement).toBe(screen.getByLabelText(en.accounts.x.clientId));

  fireEvent.change(screen.getByLabelText(en.accounts.x.clientId), { target: { value: CLIENT_ID } });
  fireEvent.change(screen.getByLabelText(en.accounts.x.monthlyCap), { target: { value: '1.5' } });
  await act(async () => {
    fireEvent.click(screen.getByRole('button', { name: en.accounts.x.submit }));
  });
  expect(screen.getByRole('alert').textContent).toContain(en.errors.reason.x_monthly_cap_malformed);
  expect(document.activeElement).toBe(screen.getByLabelText(en.accounts.x.monthlyCap));
  expect(connect).not.toHaveBeenCalled();
});

it('reconnects with the Client ID only, and shows X’s refusal in its words', async () => {
  const credentials: Credentials[] = [];
  api.answer('accounts.reconnect', (args) => {
    credentials.push(args.credentials);
    return { ok: false, error: { code: 'validation', message: 'refused', field: 'clientId', reason: 'x_sign_in_refused', networkSaid: 'Value passed for the redirect uri did not match the uri of the authorization code.' } };
  });
  show({ account });
  expect(screen.queryByLabelText(en.accounts.x.monthlyCap)).toBeNull();
  fireEvent.change(screen.getByLabelText(en.accounts.x.clientId), { target: { value: CLIENT_ID } });
  await act(async () => {
    fireEvent.click(screen.getByRole('button', { name: en.accounts.x.submit }));
  });
  expect(credentials).toEqual([{ network: 'x', clientId: CLIENT_ID }]);
  const alert = screen.getByRole('alert').textContent ?? '';
  expect(alert).toContain(en.errors.reason.x_sign_in_refused);
  expect(alert).toContain('X said: “Value passed for the redirect uri did not match the uri of the authorization code.”');
});

it('changes the cap and who may reply in the account’s settings, refusing a cap that is not a whole number', async () => {
  const saved: AccountDefaults[] = [];
  api.answer('accounts.updateDefaults', ({ defaults }) => {
    saved.push(defaults);
    return { ok: true, value: { ...account, defaults: { monthlyCap: 500, replySettings: null, ...defaults } } as Account };
  });
  const done: string[] = [];
  render(
    <I18nextProvider i18n={i18n}>
      <DefaultsDialog account={{ ...account, defaults: { monthlyCap: 500, replySettings: 'following' } } as Account} onClose={() => {}} onDone={(m) => done.push(m)} />
    </I18nextProvider>,
  );
  const cap = screen.getByLabelText(en.accounts.x.monthlyCap);
  expect((cap as HTMLInputElement).value).toBe('500');
  expect((screen.getByLabelText(en.accounts.x.replySettings) as HTMLSelectElement).value).toBe('following');
  fireEvent.change(cap, { target: { value: 'lots' } });
  await act(async () => {
    fireEvent.click(screen.getByRole('button', { name: en.accounts.save }));
  });
  expect(screen.getByRole('alert').textContent).toContain(en.errors.reason.x_monthly_cap_malformed);
  expect(saved).toEqual([]);
  fireEvent.change(cap, { target: { value: '' } });
  fireEvent.change(screen.getByLabelText(en.accounts.x.replySettings), { target: { value: '' } });
  await act(async () => {
    fireEvent.click(screen.getByRole('button', { name: en.accounts.save }));
  });
  expect(saved).toEqual([{ monthlyCap: null, replySettings: null }]);
  expect(done).toHaveLength(1);
});
