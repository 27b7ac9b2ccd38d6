import type { Page } from 'playwright-core';
import en from '../../../renderer/src/i18n/locales/en.json';

/**
 * Connects a Mastodon account on the Accounts page the way a user does: the server's address,
 * the authorize page in a new tab (the fake approves at once), the host's one-shot loopback
 * listener answering that tab, then the account listed as connected.
 */
export async function connectMastodonInUi(page: Page, baseUrl: string, displayName: string): Promise<void> {
  await page.getByRole('link', { name: en.nav.accounts }).click();
  await page.getByRole('heading', { level: 1, name: en.pages.accounts.title }).waitFor();
  await page.getByRole('button', { name: en.accounts.connect.mastodon }).click();
  const dialog = page.getByRole('dialog', { name: en.accounts.connect.mastodon });
  await dialog.waitFor();
  await dialog.getByRole('textbox', { name: en.accounts.mastodon.instance }).fill(baseUrl);
  const signInTab = page.context().waitForEvent('page');
  await dialog.getByRole('button', { name: en.accounts.mastodon.submit }).click();
  const tab = await signInTab;
  await tab.getByText('You can close this tab and return to Outpost.').waitFor();
  await tab.close();
  await dialog.waitFor({ state: 'detached' });
  await page
    .getByRole('listitem')
    .filter({ has: page.getByRole('heading', { level: 3, name: displayName }) })
    .getByText(en.accounts.status.connected, { exact: true })
    .waitFor();
}
