import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import type { i18n } from 'i18next';
import { I18nextProvider } from 'react-i18next';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AccountsPage } from '../../renderer/src/features/accounts/AccountsPage';
import { useAccounts } from '../../renderer/src/features/accounts/accounts-store';
import { ConnectDialog } from '../../renderer/src/features/accounts/ConnectDialog';
import { useProjects } from '../../renderer/src/features/projects/projects-store';
import { initI18n } from '../../renderer/src/i18n/i18n';
import en from '../../renderer/src/i18n/locales/en.json';
import { setApiForTests } from '../../renderer/src/platform/api';
import { createFakeApi, project, type FakeApi } from './fake-api';

/**
 * The accounts page before any connect: a keychain that does not work is said up front, with what
 * to do on each system, and the connect buttons are off with the reason; a connect dialog checks
 * its fields before asking main, so bad input never reaches the keychain.
 */

let i18n: i18n;
let api: FakeApi;

beforeAll(async () => {
  i18n = await initI18n('en');
});

beforeEach(() => {
  api = createFakeApi();
  api.answer('accounts.list', () => ({ ok: true, value: [] }));
  setApiForTests(api);
  useProjects.setState({ projects: [project()], activeId: 'p1', showArchived: false, loaded: true, loadError: null });
  useAccounts.setState({ projectId: null, accounts: [], loaded: false, loadError: null, keychain: null });
});

afterEach(cleanup);

function keychain(available: boolean) {
  api.answer('app.info', () => ({
    ok: true,
    value: { version: '0.0.0', host: 'browser', dataDir: '/tmp/x', logFile: null, keychain: available ? { available } : { available, detail: 'Cannot autolaunch D-Bus without X11 $DISPLAY' } },
  }));
}

async function renderPage() {
  await act(async () => {
    render(
      <I18nextProvider i18n={i18n}>
        <AccountsPage />
      </I18nextProvider>,
    );
  });
}

describe('AccountsPage without a keychain', () => {
  it('warns before any connect, says what to do on Linux, macOS and Windows, and turns the connect buttons off with the reason', async () => {
    keychain(false);
    await renderPage();
    const warning = screen.getByRole('alert');
    expect(within(warning).getByRole('heading', { name: en.accounts.keychain.title })).toBeTruthy();
    expect(warning.textContent).toContain('GNOME Keyring or KWallet');
    expect(warning.textContent).toContain('libsecret');
    expect(warning.textContent).toContain('Keychain Access');
    expect(warning.textContent).toContain('Credential Manager');
    // What the system said stays under Details.
    expect(within(warning).getByText(en.accounts.keychain.details).tagName).toBe('SUMMARY');

    const button = screen.getByRole('button', { name: en.accounts.connect.telegram });
    expect((button as HTMLButtonElement).disabled).toBe(true);
    expect(button.getAttribute('aria-describedby')).toBe(within(warning).getByText(en.accounts.keychain.lead).id);
    expect(screen.getByText(en.accounts.keychain.buttonsOff)).toBeTruthy();

    // Unlocked meanwhile: "Check again" asks main and the page lets the user connect.
    keychain(true);
    await act(async () => {
      fireEvent.click(within(warning).getByRole('button', { name: en.accounts.keychain.check }));
    });
    expect(screen.queryByRole('alert')).toBeNull();
    expect((screen.getByRole('button', { name: en.accounts.connect.telegram }) as HTMLButtonElement).disabled).toBe(false);
  });

  it('says nothing up front when the keychain works', async () => {
    keychain(true);
    await renderPage();
    expect(screen.queryByText(en.accounts.keychain.title)).toBeNull();
    expect((screen.getByRole('button', { name: en.accounts.connect.bluesky }) as HTMLButtonElement).disabled).toBe(false);
  });
});

describe('ConnectDialog checks its fields before asking main', () => {
  function dialog(network: 'telegram' | 'bluesky' | 'vk') {
    render(
      <I18nextProvider i18n={i18n}>
        <ConnectDialog network={network} projectId="p1" onClose={() => {}} onDone={() => {}} />
      </I18nextProvider>,
    );
  }
  const submit = async (name: string) => {
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name }));
    });
  };
  const asked = () => api.calls.filter((c) => c.name.startsWith('accounts.') && c.name !== 'accounts.list');

  it('a Telegram bot token that is not one is named on its field, and nothing is sent', async () => {
    dialog('telegram');
    fireEvent.change(screen.getByLabelText(en.accounts.telegram.botToken), { target: { value: 'my bot' } });
    fireEvent.change(screen.getByLabelText(en.accounts.telegram.channel), { target: { value: '@bakery' } });
    await submit(en.accounts.submit);
    expect(screen.getByRole('alert').textContent).toContain(en.errors.reason.telegram_token_malformed);
    expect(screen.getByLabelText(en.accounts.telegram.botToken).getAttribute('aria-invalid')).toBe('true');
    expect(document.activeElement).toBe(screen.getByLabelText(en.accounts.telegram.botToken));
    expect(asked()).toEqual([]);
  });

  it('an empty channel, a Bluesky handle with spaces and a VK app id with letters are refused the same way', async () => {
    dialog('telegram');
    fireEvent.change(screen.getByLabelText(en.accounts.telegram.botToken), { target: { value: '123456789:AAbbccddeeffgghhiijjkkll' } });
    await submit(en.accounts.submit);
    expect(screen.getByRole('alert').textContent).toContain(en.errors.reason.channel_required);
    cleanup();

    dialog('bluesky');
    fireEvent.change(screen.getByLabelText(en.accounts.bluesky.handle), { target: { value: 'my bakery' } });
    fireEvent.change(screen.getByLabelText(en.accounts.bluesky.appPassword), { target: { value: 'abcd-efgh-ijkl-mnop' } });
    await submit(en.accounts.submit);
    expect(screen.getByRole('alert').textContent).toContain(en.errors.reason.bluesky_handle_malformed);
    cleanup();

    dialog('vk');
    fireEvent.change(screen.getByLabelText(en.accounts.vk.appId), { target: { value: 'app51234567' } });
    await submit(en.accounts.vk.submit);
    expect(screen.getByRole('alert').textContent).toContain(en.errors.reason.vk_app_id_malformed);
    expect(asked()).toEqual([]);
  });

  it('well-formed fields go to main', async () => {
    api.answer('accounts.connect', () => ({ ok: false, error: { code: 'network', message: 'offline', reason: 'network_offline' } }));
    dialog('telegram');
    fireEvent.change(screen.getByLabelText(en.accounts.telegram.botToken), { target: { value: '123456789:AAbbccddeeffgghhiijjkkll' } });
    fireEvent.change(screen.getByLabelText(en.accounts.telegram.channel), { target: { value: 't.me/bakery' } });
    await submit(en.accounts.submit);
    expect(asked().map((c) => c.name)).toEqual(['accounts.connect']);
  });
});
