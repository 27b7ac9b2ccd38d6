import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import type { i18n } from 'i18next';
import { I18nextProvider } from 'react-i18next';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Account, Args, CommunitySignIn, Connection, PendingSignIn } from '../../main/core/contract';
import { FACEBOOK_INSTAGRAM_SCOPES, FACEBOOK_REDIRECT_URI, FACEBOOK_SCOPES } from '../../main/core/networks/facebook';
import { THREADS_REDIRECT_URI, THREADS_SCOPES } from '../../main/core/networks/threads';
import { AccountItem } from '../../renderer/src/features/accounts/AccountItem';
import { ConnectDialog } from '../../renderer/src/features/accounts/ConnectDialog';
import { initI18n } from '../../renderer/src/i18n/i18n';
import en from '../../renderer/src/i18n/locales/en.json';
import { setApiForTests } from '../../renderer/src/platform/api';
import { createFakeApi, type FakeApi } from './fake-api';

/**
 * Meta's networks in the connect dialog: the "bring your own Meta app" walkthrough (permissions and
 * the redirect address as the sign-in code asks for them, with a copy button), the app id and secret,
 * then the Pages with their Instagram accounts to tick; Threads' walkthrough and connect; and the
 * reminder an account shows in the last week of its Threads sign-in.
 */

const DAY = 86_400_000;
const PENDING_ID = '6f1c8a52-58a4-4a4e-9a57-7d3f0d2f1e11';

let i18n: i18n;
let api: FakeApi;
const signIns: CommunitySignIn[] = [];
const connects: Connection[] = [];
const picks: Args<'accounts.connectCommunities'>[] = [];
let done: string[];
let copied: string[];

function account(over: Partial<Account>): Account {
  return { id: 'a1', projectId: 'p1', network: 'facebook', handle: 'Corner Bakery', displayName: 'Corner Bakery', url: null, status: 'connected', statusReason: null, server: null, nativeScheduler: null, deleteWindowHours: null, defaults: {}, createdAt: 0, updatedAt: 0, ...over };
}

const pending: PendingSignIn = {
  pendingId: PENDING_ID,
  network: 'facebook',
  who: 'Anna Lind',
  expiresAt: 0,
  communities: [
    { id: '101', name: 'Corner Bakery', handle: 'facebook.com/101', role: 'admin', network: 'facebook', accountId: null },
    { id: '1784101', name: 'corner_bakery', handle: '@corner_bakery', role: 'admin', network: 'instagram', under: '101', accountId: null },
    { id: '102', name: 'Corner Cafe', handle: 'facebook.com/102', role: 'editor', network: 'facebook', accountId: 'a-cafe' },
  ],
};

beforeAll(async () => {
  i18n = await initI18n('en');
});

beforeEach(() => {
  signIns.length = 0;
  connects.length = 0;
  picks.length = 0;
  done = [];
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
  api.answer('accounts.connect', ({ connection }) => {
    connects.push(connection);
    return { ok: true, value: { account: account({ network: 'threads', handle: '@cornerbakery', displayName: 'Corner Bakery' }), renewed: false } };
  });
  setApiForTests(api);
});

afterEach(cleanup);

const show = (network: 'facebook' | 'instagram' | 'threads') =>
  render(
    <I18nextProvider i18n={i18n}>
      <ConnectDialog network={network} projectId="p1" onClose={() => {}} onDone={(message) => done.push(message)} />
    </I18nextProvider>,
  );

async function fillAndSubmit(meta: 'facebook' | 'threads', submit: string): Promise<void> {
  fireEvent.change(screen.getByLabelText(en.accounts.meta[meta].appId), { target: { value: '1234567890123' } });
  fireEvent.change(screen.getByLabelText(en.accounts.meta[meta].appSecret), { target: { value: 'f00dcafe' } });
  await act(async () => {
    fireEvent.click(screen.getByRole('button', { name: submit }));
  });
}

describe('Facebook Pages and Instagram', () => {
  it('walks through the Meta app: its products, every permission the sign-in asks for, and the exact redirect address to copy', async () => {
    show('facebook');
    const guide = screen.getByRole('region', { name: en.accounts.meta.facebook.guideLabel });
    expect(guide.textContent).toContain('Facebook Login for Business');
    expect(guide.textContent).toContain('Instagram Graph API');
    const scopes = within(guide).getAllByRole('listitem').filter((li) => li.parentElement?.className === 'meta-scopes');
    expect(scopes.map((li) => li.textContent)).toEqual([...FACEBOOK_SCOPES, ...FACEBOOK_INSTAGRAM_SCOPES]);
    expect(within(guide).getByText(FACEBOOK_REDIRECT_URI)).toBeTruthy();
    await act(async () => {
      fireEvent.click(within(guide).getByRole('button', { name: en.accounts.meta.copy }));
    });
    expect(copied).toEqual([FACEBOOK_REDIRECT_URI]);
    expect(within(guide).getByText(en.accounts.meta.copied)).toBeTruthy();
    // The secret is typed into a password box and said to stay in the keychain.
    expect((screen.getByLabelText(en.accounts.meta.facebook.appSecret) as HTMLInputElement).type).toBe('password');
    expect(screen.getByText(en.accounts.meta.secretHint)).toBeTruthy();
  });

  it('a missing secret is named before anything is sent', async () => {
    show('facebook');
    fireEvent.change(screen.getByLabelText(en.accounts.meta.facebook.appId), { target: { value: '1234567890123' } });
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: en.accounts.facebook.submit }));
    });
    expect(signIns).toEqual([]);
    expect(screen.getByRole('alert').textContent).toContain(en.errors.reason.meta_app_secret_required);
  });

  it('signs in with the app, then lists each Page with its Instagram account under it; ticking both connects both', async () => {
    // The Instagram button opens the same Facebook sign-in: Instagram accounts come with their Page.
    show('instagram');
    await fillAndSubmit('facebook', en.accounts.facebook.submit);
    expect(signIns).toEqual([{ network: 'facebook', appId: '1234567890123', appSecret: 'f00dcafe' }]);
    expect(screen.getByText('Signed in to Facebook as Anna Lind.')).toBeTruthy();
    const list = screen.getByRole('group', { name: en.accounts.facebook.pickLegend });
    const bakeryBox = list.querySelector<HTMLInputElement>('[data-community="101"]')!;
    const igBox = list.querySelector<HTMLInputElement>('[data-community="1784101"]')!;
    // The Instagram account sits inside its Page's row and says it is Instagram.
    expect(bakeryBox.closest('li')!.contains(igBox)).toBe(true);
    expect(igBox.closest('li')!.textContent).toContain('Instagram · @corner_bakery');
    // A Page already connected is shown, not offered; nothing can be pasted.
    expect(list.querySelector<HTMLInputElement>('[data-community="102"]')!.disabled).toBe(true);
    expect(screen.queryByLabelText(en.accounts.vk.paste)).toBeNull();
    fireEvent.click(bakeryBox);
    fireEvent.click(igBox);
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Connect 2 selected' }));
    });
    expect(picks).toEqual([{ pendingId: PENDING_ID, communities: ['101', '1784101'] }]);
    expect(done).toEqual(['Corner Bakery, corner_bakery are connected.']);
  });
});

describe('Threads', () => {
  it('walks through the Threads use case with its permissions and redirect address, then connects with the app', async () => {
    show('threads');
    const guide = screen.getByRole('region', { name: en.accounts.meta.threads.guideLabel });
    const scopes = within(guide).getAllByRole('listitem').filter((li) => li.parentElement?.className === 'meta-scopes');
    expect(scopes.map((li) => li.textContent)).toEqual([...THREADS_SCOPES]);
    expect(within(guide).getByText(THREADS_REDIRECT_URI)).toBeTruthy();
    expect(guide.textContent).toContain('Threads Tester');
    await fillAndSubmit('threads', en.accounts.threads.submit);
    expect(connects).toEqual([{ network: 'threads', appId: '1234567890123', appSecret: 'f00dcafe' }]);
    expect(done).toEqual(['Corner Bakery is connected.']);
  });

  it('an account in the last week of its sign-in says when it ends and what to do; one with weeks left says nothing', () => {
    const item = (signInEndsAt: number) =>
      render(
        <I18nextProvider i18n={i18n}>
          <ul>
            <AccountItem account={account({ network: 'threads', handle: '@cornerbakery', signInEndsAt })} onReconnect={() => {}} onDisconnect={() => {}} onDefaults={() => {}} />
          </ul>
        </I18nextProvider>,
      );
    const ends = Date.now() + 3 * DAY;
    const { unmount } = item(ends);
    const date = new Intl.DateTimeFormat('en', { dateStyle: 'long' }).format(ends);
    expect(screen.getByText(`Threads sign-in ends on ${date}; Outpost renews it when it publishes — open Outpost before then or reconnect.`)).toBeTruthy();
    unmount();
    item(Date.now() + 30 * DAY);
    expect(screen.queryByText(/sign-in ends on/)).toBeNull();
  });
});
