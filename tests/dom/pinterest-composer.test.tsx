import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import type { i18n } from 'i18next';
import { I18nextProvider } from 'react-i18next';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Args, CommunitySignIn, PostMediaItem } from '../../main/core/contract';
import { PINTEREST_REDIRECT_URI } from '../../main/core/networks/pinterest';
import { ConnectDialog } from '../../renderer/src/features/accounts/ConnectDialog';
import { PinterestPreview } from '../../renderer/src/features/compose/PinterestPreview';
import { initI18n } from '../../renderer/src/i18n/i18n';
import en from '../../renderer/src/i18n/locales/en.json';
import { setApiForTests } from '../../renderer/src/platform/api';
import { openComposer, updates } from './compose-harness';
import { createFakeApi } from './fake-api';

/**
 * Pinterest in the window: the connect dialog (the app, its redirect address with Copy, the browser
 * sign-in, then boards and their sections to tick), the pin's title and destination link in the
 * composer (saved with the post, checked before scheduling), and the pin card preview.
 */

let i18n: i18n;

beforeAll(async () => {
  i18n = await initI18n('en');
});

afterEach(cleanup);

const PENDING_ID = '0b4c3f0e-1f5d-4d55-8f0e-2c6f0a1b2c3d';
const renderEn = (node: React.ReactNode) => render(<I18nextProvider i18n={i18n}>{node}</I18nextProvider>);

describe('connecting Pinterest boards', () => {
  it('shows the redirect address to register, signs in with the app, and connects the ticked section', async () => {
    const api = createFakeApi();
    const signIns: CommunitySignIn[] = [];
    const picks: Args<'accounts.connectCommunities'>[] = [];
    api.answer('accounts.signIn', ({ signIn }) => {
      signIns.push(signIn);
      return {
        ok: true,
        value: {
          pendingId: PENDING_ID,
          network: 'pinterest',
          who: 'bakery_lenina',
          expiresAt: 0,
          communities: [
            { id: '111', name: 'Summer recipes', handle: 'bakery_lenina › Summer recipes', role: 'admin', accountId: null },
            { id: '111/222', name: 'Salads', handle: 'bakery_lenina › Summer recipes › Salads', role: 'admin', under: '111', accountId: null },
          ],
        },
      };
    });
    api.answer('accounts.connectCommunities', (args) => {
      picks.push(args);
      return { ok: true, value: [] };
    });
    setApiForTests(api);
    renderEn(<ConnectDialog network="pinterest" projectId="p1" onClose={() => {}} onDone={() => {}} />);
    expect(screen.getByText(PINTEREST_REDIRECT_URI)).toBeTruthy();
    expect(screen.getByRole('button', { name: en.accounts.meta.copy })).toBeTruthy();
    expect(screen.getByText('pins:write')).toBeTruthy();

    // A malformed app id is named at once; nothing is sent.
    fireEvent.change(screen.getByLabelText(en.accounts.pinterest.appId), { target: { value: 'my-app' } });
    fireEvent.change(screen.getByLabelText(en.accounts.pinterest.appSecret), { target: { value: 'shh' } });
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: en.accounts.pinterest.submit }));
    });
    expect(screen.getByRole('alert').textContent).toContain(en.errors.reason.pinterest_app_id_malformed);
    expect(signIns).toEqual([]);

    fireEvent.change(screen.getByLabelText(en.accounts.pinterest.appId), { target: { value: '1500123' } });
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: en.accounts.pinterest.submit }));
    });
    expect(signIns).toEqual([{ network: 'pinterest', appId: '1500123', appSecret: 'shh' }]);
    const legend = screen.getByRole('group', { name: en.accounts.pinterest.pickLegend });
    const section = within(legend).getByRole('checkbox', { name: /Salads/ });
    // The section is listed under its board.
    expect(section.closest('ul')?.closest('li')?.textContent).toContain('Summer recipes');
    fireEvent.click(section);
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Connect 1 selected' }));
    });
    expect(picks).toEqual([{ pendingId: PENDING_ID, communities: ['111/222'] }]);
  });
});


describe('the pin’s title and destination link', { timeout: 20_000 }, () => {
  it('are asked only with a Pinterest target', async () => {
    await openComposer(i18n, 'p-telegram', ['telegram']);
    expect(screen.queryByRole('group', { name: en.compose.pinterest.title })).toBeNull();
  });

  it('are saved with the post, checked before scheduling, and shown on the pin card', async () => {
    const api = await openComposer(i18n, 'p-pin', ['pinterest', 'telegram']);
    const options = screen.getByRole('group', { name: en.compose.pinterest.title });
    const title = within(options).getByRole('textbox', { name: en.compose.pinterest.pinTitle });
    await act(async () => {
      fireEvent.change(title, { target: { value: 'x'.repeat(101) } });
    });
    expect(title.getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByRole('list', { name: 'Before this can be scheduled:' }).textContent).toContain('Pinterest: a pin title holds at most 100 characters.');
    await act(async () => {
      fireEvent.change(title, { target: { value: 'Green salad' } });
      fireEvent.blur(title);
    });

    const link = within(options).getByRole('textbox', { name: en.compose.pinterest.link });
    await act(async () => {
      fireEvent.change(link, { target: { value: 'bakery.example/salad' } });
    });
    expect(link.getAttribute('aria-invalid')).toBe('true');
    expect(options.textContent).toContain(en.compose.pinterest.linkInvalid);
    await act(async () => {
      fireEvent.change(link, { target: { value: 'https://www.bakery.example/salad' } });
      fireEvent.blur(link);
    });
    expect(updates(api).at(-1)).toMatchObject({ networkOptions: { pinterest: { title: 'Green salad', link: 'https://www.bakery.example/salad' } } });
    const card = screen.getByRole('article', { name: 'Preview on Pinterest bakery › pinterest' });
    expect(card.querySelector('.pin-title')?.textContent).toBe('Green salad');
    expect(card.querySelector('.pin-domain')?.textContent).toBe('bakery.example');
    expect(card.querySelector('.pin-description')?.textContent).toBe('Crisp summer salad');
  });
});

describe('the pin card preview', () => {
  const photo = (n: number): PostMediaItem => ({ mediaId: `m${n}`, mime: 'image/png', bytes: 1000, width: 1000, height: 1500, durationMs: null, fileName: `p${n}.png`, altText: `Photo ${n}` });

  it('shows a carousel of up to five with dots, one image at a time', () => {
    renderEn(<PinterestPreview displayName="Summer recipes" handle="bakery › Summer recipes" text="Salads" media={[1, 2, 3].map(photo)} options={{}} />);
    const dots = screen.getAllByRole('button', { name: /Image \d/ });
    expect(dots).toHaveLength(3);
    expect(screen.getByRole('img', { name: 'Photo 1' })).toBeTruthy();
    fireEvent.click(dots[1]!);
    expect(screen.getByRole('img', { name: 'Photo 2' })).toBeTruthy();
    expect(screen.getByText(en.compose.preview.pinterest.save)).toBeTruthy();
  });

  it('says a pin needs an image, and folds a long description', () => {
    renderEn(<PinterestPreview displayName="Summer recipes" handle="h" text={'word '.repeat(100)} media={[]} options={{}} />);
    expect(screen.getByText(en.compose.preview.pinterest.needsImage)).toBeTruthy();
    expect(screen.getByRole('article').querySelector('.pin-more')?.textContent).toBe(en.compose.preview.more);
  });
});
