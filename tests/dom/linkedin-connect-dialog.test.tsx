import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import type { i18n } from 'i18next';
import { I18nextProvider } from 'react-i18next';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Account, Args, CommunitySignIn, Credentials, PendingSignIn } from '../../main/core/contract';
import { LINKEDIN_REDIRECT_URI } from '../../main/core/networks/linkedin';
import { AccountItem } from '../../renderer/src/features/accounts/AccountItem';
import { ConnectDialog } from '../../renderer/src/features/accounts/ConnectDialog';
import { initI18n } from '../../renderer/src/i18n/i18n';
import en from '../../renderer/src/i18n/locales/en.json';
import { setApiForTests } from '../../renderer/src/platform/api';
import { createFakeApi, type FakeApi } from './fake-api';

/** The LinkedIn connect dialog: the user's own app (Client ID and secret), the redirect URL to copy, pages or not, then the member and pages to pick. */

const PENDING_ID = '6f1c2a8e-3b4d-4e5f-8a9b-0c1d2e3f4a5b';
const DAY = 86_400_000;
let i18n: i18n;
let api: FakeApi;
let signIns: CommunitySignIn[];
let picks: Args<'accounts.connectCommunities'>[];
let copied: string[];

function account(over: Partial<Account> = {}): Account {
  return { id: 'a1', projectId: 'p1', network: 'linkedin', handle: 'linkedin.com/company/lenina-bakery', displayName: 'Lenina Bakery', url: 'https://www.linkedin.com/company/lenina-bakery/', status: 'connected', statusReason: null, server: null, nativeScheduler: null, deleteWindowHours: null, defaults: {}, createdAt: 0, updatedAt: 0, ...over };
}

const pending: PendingSignIn = {
  pendingId: PENDING_ID,
  network: 'linkedin',
  who: 'Anna Lenina',
  expiresAt: 0,
  communities: [
    { id: 'urn:li:person:yrZCpj2Z12', name: 'Anna Lenina', handle: 'Anna Lenina', role: 'admin', accountId: null },
    { id: 'urn:li:organization:7000001', name: 'Lenina Bakery', handle: 'linkedin.com/company/lenina-bakery', role: 'admin', accountId: null },
  ],
};

beforeAll(async () => {
  i18n = await initI18n('en');
});

beforeEach(() => {
  signIns = [];
  picks = [];
  copied = [];
  Object.defineProperty(navigator, 'clipboard', { configurable: true, value: { writeText: async (text: string) => void copied.push(text) } });
  api = createFakeApi();
  api.answer('accounts.list', () => ({ ok: true, value: [] }));
  api.answer('accounts.cancelSignIn', () => ({ ok: true, value: { cancelled: true } }));
  api.answer('accounts.signIn', ({ signIn }) => {
    signIns.push(signIn);
    return { ok: true, value: pending };
  });
  api.answer('accounts.connectCommunities', (args) => {
    picks.push(args);
    return { ok: true, value: args.communities.map((id) => ({ account: account({ id, displayName: pending.communities.find((c) => c.id === id)!.name }), renewed: false })) };
  });
  setApiForTests(api);
});

afterEach(cleanup);

const show = (props: { account?: Account; onDone?: (message: string) => void } = {}) =>
  render(
    <I18nextProvider i18n={i18n}>
      <ConnectDialog network="linkedin" projectId="p1" onClose={() => {}} onDone={props.onDone ?? (() => {})} {...(props.account ? { account: props.account } : {})} />
    </I18nextProvider>,
  );

const fill = (clientId: string, secret: string) => {
  fireEvent.change(screen.getByLabelText(en.accounts.linkedin.clientId), { target: { value: clientId } });
  fireEvent.change(screen.getByLabelText(en.accounts.linkedin.clientSecret), { target: { value: secret } });
};

describe('connecting LinkedIn', () => {
  it('shows the redirect URL to copy and the scopes, adding the page scopes when pages are ticked', async () => {
    show();
    expect(screen.getByRole('heading', { name: en.accounts.connect.linkedin })).toBeTruthy();
    expect(screen.getByText(LINKEDIN_REDIRECT_URI)).toBeTruthy();
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: en.accounts.meta.copy }));
    });
    expect(copied).toEqual([LINKEDIN_REDIRECT_URI]);
    for (const scope of ['openid', 'profile', 'w_member_social']) expect(screen.getByText(scope)).toBeTruthy();
    expect(screen.queryByText('w_organization_social')).toBeNull();
    fireEvent.click(screen.getByLabelText(en.accounts.linkedin.pages));
    for (const scope of ['w_organization_social', 'r_organization_social', 'rw_organization_admin']) expect(screen.getByText(scope)).toBeTruthy();
    expect(screen.getByText(en.accounts.linkedin.noHandoff)).toBeTruthy();
    // The secret is typed into a password field.
    expect(screen.getByLabelText(en.accounts.linkedin.clientSecret).getAttribute('type')).toBe('password');
  });

  it('signs in with the app and pages, then connects the member and the page picked from the list', async () => {
    const done: string[] = [];
    show({ onDone: (m) => done.push(m) });
    fill('78abcd1234efgh', 's3cret');
    fireEvent.click(screen.getByLabelText(en.accounts.linkedin.pages));
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: en.accounts.linkedin.submit }));
    });
    expect(signIns).toEqual([{ network: 'linkedin', clientId: '78abcd1234efgh', clientSecret: 's3cret', pages: true }]);
    expect(screen.getByText(en.accounts.linkedin.pickLegend)).toBeTruthy();
    fireEvent.click(screen.getByLabelText(/Anna Lenina/, { selector: 'input' }));
    fireEvent.click(screen.getByLabelText(/Lenina Bakery/, { selector: 'input' }));
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: i18n.t('accounts.pick.submit', { count: 2 }) }));
    });
    expect(picks).toEqual([{ pendingId: PENDING_ID, communities: ['urn:li:person:yrZCpj2Z12', 'urn:li:organization:7000001'] }]);
    expect(done).toEqual([i18n.t('accounts.pick.connectedMany', { names: 'Anna Lenina, Lenina Bakery' })]);
  });

  it('refuses a malformed Client ID or a missing secret in the dialog, focusing the field, before anything reaches main', async () => {
    const signIn = vi.fn();
    api.answer('accounts.signIn', signIn);
    show();
    fill('not a client id!', 's3cret');
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: en.accounts.linkedin.submit }));
    });
    expect(screen.getByRole('alert').textContent).toContain(en.errors.reason.linkedin_client_id_malformed);
    expect(document.activeElement).toBe(screen.getByLabelText(en.accounts.linkedin.clientId));
    fill('78abcd1234efgh', '  ');
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: en.accounts.linkedin.submit }));
    });
    expect(screen.getByRole('alert').textContent).toContain(en.errors.reason.linkedin_client_secret_required);
    expect(document.activeElement).toBe(screen.getByLabelText(en.accounts.linkedin.clientSecret));
    expect(signIn).not.toHaveBeenCalled();
  });

  it('reconnects a page with the app again, asking the page scopes, and shows LinkedIn\'s refusal in its words', async () => {
    const credentials: Credentials[] = [];
    api.answer('accounts.reconnect', (args) => {
      credentials.push(args.credentials);
      return { ok: false, error: { code: 'validation', message: 'refused', field: 'clientSecret', reason: 'linkedin_sign_in_refused', networkSaid: 'Client authentication failed' } };
    });
    show({ account: account() });
    expect(screen.getByText(i18n.t('accounts.linkedin.sameAuthor', { name: 'Lenina Bakery' }))).toBeTruthy();
    expect(screen.getByText('w_organization_social')).toBeTruthy();
    fill('78abcd1234efgh', 'wrong');
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: en.accounts.linkedin.submit }));
    });
    expect(credentials).toEqual([{ network: 'linkedin', clientId: '78abcd1234efgh', clientSecret: 'wrong' }]);
    const alert = screen.getByRole('alert').textContent ?? '';
    expect(alert).toContain(en.errors.reason.linkedin_sign_in_refused);
    expect(alert).toContain('Client authentication failed');
  });

  it('in the last week of the 60 days says the sign-in ends and to reconnect; weeks before, nothing', () => {
    const item = (signInEndsAt: number) =>
      render(
        <I18nextProvider i18n={i18n}>
          <ul>
            <AccountItem account={account({ signInEndsAt })} onReconnect={() => {}} onDisconnect={() => {}} onDefaults={() => {}} />
          </ul>
        </I18nextProvider>,
      );
    const ends = Date.now() + 5 * DAY;
    const { unmount } = item(ends);
    const date = new Intl.DateTimeFormat('en', { dateStyle: 'long' }).format(ends);
    expect(screen.getByText(`LinkedIn sign-in ends on ${date}; reconnect before then to keep publishing.`)).toBeTruthy();
    unmount();
    item(Date.now() + 40 * DAY);
    expect(screen.queryByText(/sign-in ends on/)).toBeNull();
  });
});
