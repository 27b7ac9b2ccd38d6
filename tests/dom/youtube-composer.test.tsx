import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import type { i18n } from 'i18next';
import { I18nextProvider } from 'react-i18next';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Args, PostMediaItem } from '../../main/core/contract';
import { ConnectDialog } from '../../renderer/src/features/accounts/ConnectDialog';
import { initI18n } from '../../renderer/src/i18n/i18n';
import en from '../../renderer/src/i18n/locales/en.json';
import { setApiForTests } from '../../renderer/src/platform/api';
import { openComposer, updates } from './compose-harness';
import { createFakeApi } from './fake-api';

/**
 * YouTube in the window: the connect dialog (the user's Desktop client, checked before anything is
 * sent), and the video's options in the composer — saved with the post, checked before scheduling,
 * and the Short note following the attached video's shape and length.
 */

let i18n: i18n;

beforeAll(async () => {
  i18n = await initI18n('en');
});

afterEach(cleanup);

const renderEn = (node: React.ReactNode) => render(<I18nextProvider i18n={i18n}>{node}</I18nextProvider>);
const clip = (width: number, height: number, durationMs: number): PostMediaItem => ({ mediaId: 'v1', mime: 'video/mp4', bytes: 2_000_000, width, height, durationMs, fileName: 'loaves.mp4', altText: '' });

describe('connecting a YouTube channel', () => {
  it('names a client ID that is not Google’s at once, then signs in with the Desktop client’s ID and secret', async () => {
    const api = createFakeApi();
    const connects: Args<'accounts.connect'>[] = [];
    api.answer('accounts.connect', (args) => {
      connects.push(args);
      return { ok: false, error: { code: 'sign_in_failed' as const, message: 'cancelled' } };
    });
    setApiForTests(api);
    renderEn(<ConnectDialog network="youtube" projectId="p1" onClose={() => {}} onDone={() => {}} />);
    expect(screen.getByText(en.accounts.youtube.handoff)).toBeTruthy();
    fireEvent.change(screen.getByLabelText(en.accounts.youtube.clientId), { target: { value: 'my-client' } });
    fireEvent.change(screen.getByLabelText(en.accounts.youtube.clientSecret), { target: { value: 'GOCSPX-abc' } });
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: en.accounts.youtube.submit }));
    });
    expect(screen.getByRole('alert').textContent).toContain(en.errors.reason.youtube_client_id_malformed);
    expect(connects).toEqual([]);

    fireEvent.change(screen.getByLabelText(en.accounts.youtube.clientId), { target: { value: '123-abc.apps.googleusercontent.com' } });
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: en.accounts.youtube.submit }));
    });
    expect(connects).toEqual([{ projectId: 'p1', connection: { network: 'youtube', clientId: '123-abc.apps.googleusercontent.com', clientSecret: 'GOCSPX-abc' } }]);
  });
});

describe('the video’s YouTube options', { timeout: 20_000 }, () => {
  it('are asked only with a YouTube target', async () => {
    await openComposer(i18n, 'p-telegram', ['telegram']);
    expect(screen.queryByRole('group', { name: en.compose.youtube.title })).toBeNull();
  });

  it('are saved with the post and checked before scheduling; a vertical clip of 4 s is said to qualify as a Short', async () => {
    const api = await openComposer(i18n, 'p-yt', ['youtube'], { media: [clip(720, 1280, 4000)] });
    const options = screen.getByRole('group', { name: en.compose.youtube.title });
    expect(options.textContent).toContain(en.compose.youtube.shortsYes);
    const title = within(options).getByRole('textbox', { name: en.compose.youtube.videoTitle });
    await act(async () => {
      fireEvent.change(title, { target: { value: 'x'.repeat(101) } });
    });
    expect(title.getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByRole('list', { name: 'Before this can be scheduled:' }).textContent).toContain('YouTube: a video title holds at most 100 characters.');
    await act(async () => {
      fireEvent.change(title, { target: { value: 'Morning loaves' } });
      fireEvent.change(within(options).getByRole('textbox', { name: en.compose.youtube.tags }), { target: { value: 'bread, sourdough baking' } });
      fireEvent.change(within(options).getByRole('combobox', { name: en.compose.youtube.category }), { target: { value: '26' } });
      fireEvent.click(within(options).getByRole('checkbox', { name: en.compose.youtube.madeForKids }));
      fireEvent.blur(title);
    });
    expect(updates(api).at(-1)).toMatchObject({ networkOptions: { youtube: { title: 'Morning loaves', tags: ['bread', 'sourdough baking'], categoryId: '26', madeForKids: true } } });
    expect(screen.queryByRole('list', { name: 'Before this can be scheduled:' })?.textContent ?? '').not.toContain('YouTube');
  });

  it('says a landscape clip would be a regular video, not a Short', async () => {
    await openComposer(i18n, 'p-yt2', ['youtube'], { media: [clip(1280, 720, 4000)] });
    expect(screen.getByRole('group', { name: en.compose.youtube.title }).textContent).toContain(en.compose.youtube.shortsNo);
  });
});
