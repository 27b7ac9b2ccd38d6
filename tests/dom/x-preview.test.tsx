import { cleanup, render, screen, within } from '@testing-library/react';
import type { i18n } from 'i18next';
import { I18nextProvider } from 'react-i18next';
import { afterEach, beforeAll, expect, it } from 'vitest';
import type { PostMediaItem } from '../../main/core/contract';
import { XPreview } from '../../renderer/src/features/compose/XPreview';
import { initI18n } from '../../renderer/src/i18n/i18n';

/** X's preview: one post with X's media frame, and a thread of posts joined by the line between avatars. */

let i18n: i18n;
beforeAll(async () => {
  i18n = await initI18n('en');
});
afterEach(cleanup);

const photo = (n: number): PostMediaItem => ({ mediaId: `m${n}`, fileName: `photo-${n}.jpg`, mime: 'image/jpeg', width: 1200, height: 675, altText: `photo ${n}`, bytes: 1000 }) as unknown as PostMediaItem;

const show = (parts: Array<{ text: string; media?: PostMediaItem[] }>) =>
  render(
    <I18nextProvider i18n={i18n}>
      <XPreview displayName="Corner Bakery" handle="@cornerbakery" parts={parts.map((p) => ({ text: p.text, media: p.media ?? [] }))} when={null} />
    </I18nextProvider>,
  );

it('shows one post with the whole text, three photos in X’s one-tall-two-stacked frame, and no link card beside media', () => {
  show([{ text: 'Three loaves https://bakery.example/menu', media: [photo(1), photo(2), photo(3)] }]);
  const post = screen.getByRole('article', { name: 'Preview on X @cornerbakery' });
  expect(within(post).getByText(/Three loaves/)).toBeTruthy();
  const frame = within(post).getByRole('group', { name: '3 photos' });
  expect(frame.className).toContain('x-media-3');
  expect(within(frame).getAllByRole('img').map((img) => img.getAttribute('alt'))).toEqual(['photo 1', 'photo 2', 'photo 3']);
  expect(post.querySelector('.x-card')).toBeNull();
});

it('shows a link card under a post without media', () => {
  show([{ text: 'Menu: https://bakery.example/menu' }]);
  expect(document.querySelector('.x-card')?.textContent).toContain('bakery.example');
});

it('shows a thread as its posts in order, each but the last joined to the next', () => {
  show([{ text: 'First, the dough 1/3' }, { text: 'Then the oven 2/3', media: [photo(1)] }, { text: 'Then breakfast 3/3' }]);
  const thread = screen.getByRole('article', { name: 'X thread of 3 posts by @cornerbakery' });
  const posts = thread.querySelectorAll('.x-post');
  expect([...posts].map((p) => p.querySelector('.preview-text')?.textContent)).toEqual(['First, the dough 1/3', 'Then the oven 2/3', 'Then breakfast 3/3']);
  expect([...posts].map((p) => p.querySelector('.x-line') !== null)).toEqual([true, true, false]);
});
