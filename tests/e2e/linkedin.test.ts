import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LINKEDIN_REDIRECT_URI } from '../../main/core/networks/linkedin';
import { toLocal } from '../../main/core/posts/time';
import en from '../../renderer/src/i18n/locales/en.json';
import { startLinkedInFake, type FakeLinkedInApp, type FakeLinkedInOrganization, type LinkedInFake } from '../fakes/linkedin-fake';
import { launchBrowser, openPage, screenshot, type PageProblems } from './support/browser';
import { invokeHost, killIfRunning, makeDataDir, removeDataDirs, startHost, type RunningHost } from './support/host';

/**
 * Issue 13's LinkedIn case, in Chromium against the browser host and the LinkedIn fake (every call
 * checked against the request schema written from LinkedIn's docs): a page connected through the
 * real sign-in — the dialog opens LinkedIn's consent in a tab, which returns to the host's loopback
 * listener on the registered address, then the page is ticked in the list — and a post with
 * reserved characters, a hashtag, an image with alt text and a first comment published once as the page.
 */

const ZONE = 'Europe/Berlin';

let browser: Browser;
let host: RunningHost;
let dataDir: string;
let page: Page;
let problems: PageProblems;
let closePage: () => Promise<void>;
let linkedin: LinkedInFake;
let app: FakeLinkedInApp;
let bakery: FakeLinkedInOrganization;
let projectId: string;

const fill = (text: string, values: Record<string, string | number>) => text.replace(/\{\{(\w+)\}\}/g, (_, key: string) => String(values[key]));

async function call<T>(name: string, args: unknown): Promise<T> {
  const reply = (await invokeHost(host, name, args)) as { ok: true; value: T } | { ok: false; error: unknown };
  if (!reply.ok) throw new Error(`${name}: ${JSON.stringify(reply.error)}`);
  return reply.value;
}

beforeAll(async () => {
  linkedin = await startLinkedInFake();
  app = linkedin.addApp({ redirectUris: [LINKEDIN_REDIRECT_URI], pages: true });
  bakery = linkedin.addOrganization({ name: 'Lenina Bakery', vanityName: 'lenina-bakery' });
  browser = await launchBrowser();
  dataDir = makeDataDir();
  host = await startHost({ dataDir, env: { OUTPOST_NETWORK_BASE_URLS: JSON.stringify({ linkedin: linkedin.baseUrl }) } });
  projectId = (await call<{ id: string }>('projects.create', { name: 'Lenina Bakery', color: '#0a66c2', timezone: ZONE })).id;
  const bytes = await sharp({ create: { width: 1200, height: 675, channels: 3, background: '#b45309' } }).jpeg().toBuffer();
  const upload = (await (
    await fetch(`${host.origin}/api/upload`, { method: 'POST', headers: { 'content-type': 'application/octet-stream', 'x-outpost-token': host.token }, body: bytes })
  ).json()) as { ok: true; value: { uploadId: string } };
  const [outcome] = await call<{ ok: boolean; media?: { id: string } }[]>('media.import', { files: [{ uploadId: upload.value.uploadId, fileName: 'rye.jpg' }], projectId });
  await call('media.update', { id: outcome!.media!.id, altText: 'Two rye loaves on a board' });
  ({ page, problems, close: closePage } = await openPage(browser, { viewport: { width: 1440, height: 1000 } }));
  await page.goto(host.url);
  await page.getByRole('heading', { level: 1 }).first().waitFor();
});

afterAll(async () => {
  await closePage?.();
  await browser?.close();
  killIfRunning(host);
  removeDataDirs();
  await linkedin?.close();
});

describe('LinkedIn, end to end', () => {
  it('connects a page through the sign-in in a browser tab and the pick from the list', async () => {
    await page.getByRole('link', { name: en.nav.accounts }).click();
    await page.getByRole('button', { name: en.accounts.connect.linkedin }).click();
    const dialog = page.getByRole('dialog', { name: en.accounts.connect.linkedin });
    await dialog.getByText(LINKEDIN_REDIRECT_URI).waitFor();
    await dialog.getByLabel(en.accounts.linkedin.clientId, { exact: true }).fill(app.clientId);
    await dialog.getByLabel(en.accounts.linkedin.clientSecret, { exact: true }).fill(app.clientSecret);
    await dialog.getByLabel(en.accounts.linkedin.pages).check();
    await screenshot(page, 'linkedin-connect-dialog');
    const signInTab = page.context().waitForEvent('page');
    await dialog.getByRole('button', { name: en.accounts.linkedin.submit }).click();
    const tab = await signInTab;
    await tab.getByText('You can close this tab and return to Outpost.').waitFor();
    await tab.close();
    await dialog.getByText(en.accounts.linkedin.pickLegend, { exact: true }).waitFor();
    await dialog.getByRole('checkbox', { name: /Lenina Bakery/ }).check();
    await screenshot(page, 'linkedin-connect-pick');
    await dialog.getByRole('button', { name: fill(en.accounts.pick.submit_one, { count: 1 }) }).click();
    await dialog.waitFor({ state: 'detached' });
    const [account] = await call<{ network: string; handle: string; status: string; signInEndsAt?: number }[]>('accounts.list', { projectId });
    expect(account).toMatchObject({ network: 'linkedin', handle: 'linkedin.com/company/lenina-bakery', status: 'connected' });
    expect(account!.signInEndsAt).toBeGreaterThan(Date.now() + 59 * 86_400_000);
  });

  it('publishes a post with reserved characters, a hashtag, an image and a first comment once, as the page', async () => {
    const text = 'Open (8–18) on Saturday: rye & buns <3 #bakery';
    await page.getByRole('link', { name: en.nav.compose }).click();
    await page.getByRole('button', { name: en.compose.list.new }).click();
    await page.getByRole('checkbox', { name: fill(en.compose.targets.account, { network: 'LinkedIn', handle: 'linkedin.com/company/lenina-bakery' }) }).check();
    await page.getByRole('textbox', { name: en.compose.editor.post }).fill(text);
    await page.getByRole('button', { name: en.compose.media.attach }).click();
    const library = page.getByRole('dialog', { name: en.compose.library.title });
    await library.getByRole('checkbox', { name: 'rye.jpg' }).check();
    await library.getByRole('button', { name: 'Attach 1 item' }).click();
    await library.waitFor({ state: 'detached' });
    await page.getByRole('textbox', { name: en.compose.details.firstComment }).fill('Order ahead: bakery.example/order');
    const preview = page.getByRole('article', { name: fill(en.compose.preview.label, { network: 'LinkedIn', handle: 'linkedin.com/company/lenina-bakery' }) });
    await preview.getByRole('img', { name: 'Two rye loaves on a board' }).waitFor();
    await page.getByLabel(fill(en.compose.schedule.time, { zone: ZONE })).fill(toLocal(Date.now() + 5 * 60_000, ZONE));
    await page.getByRole('status').filter({ hasText: en.compose.save.saved }).waitFor();
    await page.getByRole('button', { name: en.compose.schedule.schedule }).click();
    await page.getByRole('region', { name: en.publishing.title }).getByRole('button', { name: en.publishing.publishNow }).click();
    await page.getByRole('dialog', { name: en.publishing.confirmNow.title }).getByRole('button', { name: en.publishing.confirmNow.publish }).click();
    const author = `urn:li:organization:${bakery.id}`;
    await expect.poll(() => linkedin.live(author)[0]?.comments.length ?? 0, { timeout: 45_000 }).toBe(1);
    const [post] = linkedin.live(author);
    expect(post!.commentary).toBe('Open \\(8–18\\) on Saturday: rye & buns \\<3 #bakery');
    expect(post!.content).toEqual({ media: { id: linkedin.uploads[0]!.urn, altText: 'Two rye loaves on a board' } });
    expect(post!.comments[0]).toMatchObject({ actor: author, text: 'Order ahead: bakery.example/order' });
    expect(linkedin.posts).toHaveLength(1);
    await page.getByRole('list', { name: en.publishing.targets }).getByText(/^Published /).waitFor({ timeout: 15_000 });
    await screenshot(page, 'linkedin-published');
    expect(linkedin.violations).toEqual([]);
    expect(problems.messages).toEqual([]);
  });
});
