import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import type { i18n } from 'i18next';
import { I18nextProvider } from 'react-i18next';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Args, LinkCard } from '../../main/core/contract';
import { LinkCardPanel } from '../../renderer/src/features/compose/LinkCardPanel';
import { useLinkCard } from '../../renderer/src/features/compose/link-card-store';
import { Preview } from '../../renderer/src/features/compose/Preview';
import { initI18n } from '../../renderer/src/i18n/i18n';
import en from '../../renderer/src/i18n/locales/en.json';
import { setApiForTests } from '../../renderer/src/platform/api';
import { createFakeApi, type FakeApi } from './fake-api';

/** The composer's link card: fetched by itself once a link rests in the text, then the user's to change. */

let i18n: i18n;
let api: FakeApi;
const URL_ = 'https://acme.example/menu';

const fetched: LinkCard = {
  postId: 'p1',
  url: URL_,
  title: 'Our menu',
  description: 'Bread and cakes',
  siteName: 'Acme Bakery',
  image: 'data:image/gif;base64,R0lGODlhAQABAAAAACw=',
  edited: false,
  dropped: false,
  above: false,
  large: true,
  fetchedAt: 1,
};

beforeAll(async () => {
  i18n = await initI18n('en');
});

beforeEach(() => {
  api = createFakeApi();
  setApiForTests(api);
  useLinkCard.setState({ postId: null, card: null, fetching: null, failed: null });
  api.answer('links.card', () => ({ ok: true, value: null }));
  api.answer('links.fetchCard', () => ({ ok: true, value: fetched }));
  api.answer('links.updateCard', (args) => ({ ok: true, value: { ...(useLinkCard.getState().card as LinkCard), ...(args as Partial<LinkCard>), edited: (args as Args<'links.updateCard'>).title !== undefined } }));
  vi.spyOn(navigator, 'onLine', 'get').mockReturnValue(true);
});

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

const renderPanel = (text: string, props: Partial<Parameters<typeof LinkCardPanel>[0]> = {}) =>
  render(
    <I18nextProvider i18n={i18n}>
      <LinkCardPanel postId="p1" text={text} editable telegram={false} {...props} />
      <Preview network="bluesky" displayName="Acme" handle="acme.bsky.social" text={text} media={[]} when={null} />
    </I18nextProvider>,
  );
const fetches = () => api.calls.filter((c) => c.name === 'links.fetchCard');

describe('the link card in the composer', () => {
  it('is fetched once the link rests in the text, and shows in the preview', async () => {
    renderPanel(`New menu: ${URL_} — come by`);
    const title = (await screen.findByRole('textbox', { name: en.compose.card.cardTitle }, { timeout: 3000 })) as HTMLInputElement;
    expect(title.value).toBe('Our menu');
    expect(fetches().map((c) => c.args)).toEqual([{ postId: 'p1', url: URL_ }]);
    const preview = screen.getByRole('article');
    expect(preview.querySelector('.link-card-url')?.textContent).toBe('Our menu');
    expect(preview.querySelector('.link-card-description')?.textContent).toBe('Bread and cakes');
  });

  it('keeps the user’s words and removes the card when asked, which the Bluesky preview shows', async () => {
    useLinkCard.setState({ postId: 'p1', card: fetched });
    api.answer('links.card', () => ({ ok: true, value: fetched }));
    renderPanel(`Menu ${URL_}`);
    const title = (await screen.findByRole('textbox', { name: en.compose.card.cardTitle })) as HTMLInputElement;
    fireEvent.change(title, { target: { value: 'Winter menu' } });
    fireEvent.blur(title);
    await waitFor(() => expect(api.calls.find((c) => c.name === 'links.updateCard')?.args).toEqual({ postId: 'p1', title: 'Winter menu', description: 'Bread and cakes' }));
    fireEvent.click(screen.getByRole('button', { name: en.compose.card.remove }));
    await screen.findByText(en.compose.card.removed, { exact: false });
    expect(screen.getByRole('article').querySelector('.link-card')).toBeNull();
    expect(fetches()).toEqual([]);
  });

  it('waits for the network when offline, and says what went wrong when a fetch fails, with a retry', async () => {
    vi.spyOn(navigator, 'onLine', 'get').mockReturnValue(false);
    const { unmount } = renderPanel(`Menu ${URL_}`);
    expect(await screen.findByText(en.compose.card.offline)).toBeTruthy();
    await act(() => new Promise((resolve) => setTimeout(resolve, 1000)));
    expect(fetches()).toEqual([]);
    unmount();

    vi.spyOn(navigator, 'onLine', 'get').mockReturnValue(true);
    api.answer('links.fetchCard', () => ({ ok: false, error: { code: 'network', message: 'x', reason: 'link_card_private_address' } }));
    renderPanel(`Menu ${URL_}`);
    const alert = await screen.findByRole('alert', {}, { timeout: 3000 });
    expect(alert.textContent).toContain(en.errors.reason.link_card_private_address);
    // One failure is not retried by itself at every render: only when asked.
    await act(() => new Promise((resolve) => setTimeout(resolve, 1000)));
    expect(fetches()).toHaveLength(1);
    fireEvent.click(screen.getByRole('button', { name: en.compose.card.retry }));
    await waitFor(() => expect(fetches()).toHaveLength(2));
  });

  it('shows nothing for a post without a link', () => {
    renderPanel('No link in this one');
    expect(screen.queryByRole('region', { name: en.compose.card.title })).toBeNull();
  });
});
