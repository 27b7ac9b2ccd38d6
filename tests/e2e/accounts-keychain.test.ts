import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import en from '../../renderer/src/i18n/locales/en.json';
import { launchBrowser, openPage, screenshot } from './support/browser';
import { invokeHost, killIfRunning, removeDataDirs, startHost, type RunningHost } from './support/host';

/**
 * The accounts page on a machine whose keychain cannot be reached (no Secret Service on the
 * session bus): the warning comes before any connect, with what to do on each system, and the
 * connect buttons are off. Run without the throwaway keyring; the host is pointed at no bus at all.
 */

let browser: Browser;
let host: RunningHost;
const closers: (() => Promise<void>)[] = [];

beforeAll(async () => {
  browser = await launchBrowser();
  host = await startHost({ env: { DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/outpost-test-bus', DISPLAY: '' } });
  const created = (await invokeHost(host, 'projects.create', { name: 'Acme Bakery', color: '#db2777', timezone: 'Europe/Lisbon' })) as { ok: boolean };
  expect(created.ok).toBe(true);
});

afterAll(async () => {
  for (const close of closers) await close();
  await browser?.close();
  killIfRunning(host);
  removeDataDirs();
});

describe('accounts without a keychain', () => {
  for (const colorScheme of ['light', 'dark'] as const) {
    it(`warns before any connect and turns the connect buttons off (${colorScheme})`, async () => {
      const info = (await invokeHost(host, 'app.info', {})) as { ok: true; value: { keychain: { available: boolean } } };
      expect(info.value.keychain.available).toBe(false);
      const { page, close } = await openPage(browser, { colorScheme });
      closers.push(close);
      await page.goto(`${host.url}#/accounts`);
      await page.getByRole('heading', { level: 1, name: en.pages.accounts.title }).waitFor();
      const warning = page.getByRole('alert').filter({ has: page.getByRole('heading', { name: en.accounts.keychain.title }) });
      await warning.waitFor();
      const text = await warning.innerText();
      for (const words of ['GNOME Keyring or KWallet', 'libsecret', 'Keychain Access', 'Credential Manager']) expect(text).toContain(words);
      for (const network of ['telegram', 'mastodon', 'bluesky', 'vk', 'ok'] as const) {
        expect(await page.getByRole('button', { name: en.accounts.connect[network] }).isDisabled()).toBe(true);
      }
      await page.getByText(en.accounts.keychain.buttonsOff).waitFor();
      await warning.getByText(en.accounts.keychain.details, { exact: true }).click();
      await screenshot(page, `accounts-keychain-warning-${colorScheme}`);
    });
  }
});
