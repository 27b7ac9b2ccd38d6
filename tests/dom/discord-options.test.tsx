import { cleanup, fireEvent, screen } from '@testing-library/react';
import type { i18n } from 'i18next';
import { afterEach, beforeAll, expect, it } from 'vitest';
import { useOpenPost } from '../../renderer/src/features/post/open-post-store';
import { initI18n } from '../../renderer/src/i18n/i18n';
import { openComposer } from './compose-harness';

/** A Discord target adds the forum thread's title to the composer, counted against Discord's 100. */

let i18n: i18n;
beforeAll(async () => {
  i18n = await initI18n('en');
});
afterEach(cleanup);

it('keeps the title with the post and names the limit once it is passed', async () => {
  await openComposer(i18n, 'p-discord', ['discord']);
  const field = screen.getByRole('textbox', { name: 'Forum thread title' }) as HTMLInputElement;
  expect(field.placeholder).toBe('The first line of the text');
  fireEvent.change(field, { target: { value: 'Weekend deals' } });
  expect(useOpenPost.getState().draft?.networkOptions.discord).toEqual({ threadName: 'Weekend deals' });
  fireEvent.change(field, { target: { value: 'x'.repeat(101) } });
  expect(await screen.findByText('Discord: a forum thread’s title holds at most 100 characters.')).toBeTruthy();
});
