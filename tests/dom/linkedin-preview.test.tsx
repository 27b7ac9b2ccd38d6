import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import type { i18n } from 'i18next';
import { I18nextProvider } from 'react-i18next';
import { afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import type { LinkCard, PostMediaItem } from '../../main/core/contract';
import { LinkedInPreview } from '../../renderer/src/features/compose/LinkedInPreview';
import { useLinkCard } from '../../renderer/src/features/compose/link-card-store';
import { initI18n } from '../../renderer/src/i18n/i18n';
import en from '../../renderer/src/i18n/locales/en.json';

/** LinkedIn's preview: "…see more" after about 210 characters, LinkedIn's image grid, a video, and the kept link card as the article. */

let i18n: i18n;
beforeAll(async () => {
  i18n = await initI18n('en');
});
beforeEach(() => useLinkCard.setState({ postId: 'p1', card: null, fetching: null, failed: null }));
afterEach(cleanup);

const photo = (n: number): PostMediaItem => ({ mediaId: `m${n}`, fileName: `photo-${n}.jpg`, mime: 'image/jpeg', width: 1200, height: 675, altText: `photo ${n}`, bytes: 1000 }) as unknown as PostMediaItem;
const clip: PostMediaItem = { mediaId: 'v1', fileName: 'oven.mp4', mime: 'video/mp4', width: 1920, height: 1080, altText: '', bytes: 5_000_000 } as unknown as PostMediaItem;

const show = (text: string, media: PostMediaItem[] = [], handle = 'Anna Lenina', displayName = 'Anna Lenina') =>
  render(
    <I18nextProvider i18n={i18n}>
      <LinkedInPreview displayName={displayName} handle={handle} text={text} media={media} when={null} />
    </I18nextProvider>,
  );

it('folds a long text after about 210 characters with "see more", and shows all of it when asked', () => {
  const text = `${'Fresh rye every morning. '.repeat(12)}The end.`;
  show(text);
  const post = screen.getByRole('article', { name: 'Preview on LinkedIn Anna Lenina' });
  const shown = post.querySelector('.preview-text')!;
  expect(shown.textContent).not.toContain('The end.');
  expect(shown.textContent!.length).toBeLessThan(230);
  act(() => {
    fireEvent.click(within(post).getByRole('button', { name: en.compose.preview.linkedin.seeMore }));
  });
  expect(post.querySelector('.preview-text')!.textContent).toContain('The end.');
});

it('a short text is shown whole, with the time, the "anyone" globe and LinkedIn\'s social bar', () => {
  show('Open today (9–18) #bakery');
  const post = screen.getByRole('article', { name: 'Preview on LinkedIn Anna Lenina' });
  expect(within(post).queryByRole('button', { name: en.compose.preview.linkedin.seeMore })).toBeNull();
  expect(within(post).getByRole('img', { name: en.compose.preview.linkedin.anyone })).toBeTruthy();
  expect([...post.querySelectorAll('.li-action')].map((a) => a.textContent)).toEqual(['Like', 'Comment', 'Repost', 'Send']);
  // A member's avatar is round; a page's is square.
  expect(post.querySelector('.li-avatar.li-page')).toBeNull();
  cleanup();
  show('Hello', [], 'linkedin.com/company/lenina-bakery', 'Lenina Bakery');
  expect(document.querySelector('.li-avatar.li-page')).not.toBeNull();
  expect(screen.getByText('linkedin.com/company/lenina-bakery')).toBeTruthy();
});

it('lays images out as LinkedIn does: one large over the rest, four at most with +N on the last', () => {
  show('Six loaves', [1, 2, 3, 4, 5, 6].map(photo));
  const grid = screen.getByRole('group', { name: '6 photos' });
  expect(grid.className).toContain('li-media-4');
  expect(within(grid).getAllByRole('img').map((img) => img.getAttribute('alt'))).toEqual(['photo 1', 'photo 2', 'photo 3', 'photo 4']);
  expect(grid.querySelector('.li-more')?.textContent).toBe('+2');
  // No link card beside media.
  expect(document.querySelector('.li-article')).toBeNull();
});

it('shows a video with its play mark', () => {
  show('From the oven', [clip]);
  expect(screen.getByRole('img', { name: en.compose.preview.linkedin.video })).toBeTruthy();
});

it('shows the kept link card as the article (picture, title, site), and none once the user removed it', () => {
  const card = { postId: 'p1', url: 'https://bakery.example/rye', title: 'Our rye, baked at dawn', description: 'Recipe', siteName: 'Lenina Bakery', image: 'data:image/png;base64,iVBORw0KGgo=', dropped: false, above: false, large: true, fetchedAt: 0, edited: false } as unknown as LinkCard;
  act(() => useLinkCard.setState({ card }));
  show('New recipe https://bakery.example/rye');
  const article = document.querySelector('.li-article')!;
  expect(article.querySelector('.li-article-title')?.textContent).toBe('Our rye, baked at dawn');
  expect(article.textContent).toContain('Lenina Bakery');
  expect(article.querySelector('img')).not.toBeNull();
  cleanup();
  act(() => useLinkCard.setState({ card: { ...card, dropped: true } }));
  show('New recipe https://bakery.example/rye');
  expect(document.querySelector('.li-article')).toBeNull();
});

it('without a fetched card, shows the link\'s address as the article', () => {
  show('Menu: https://bakery.example/menu');
  expect(document.querySelector('.li-article')?.textContent).toContain('bakery.example');
});
