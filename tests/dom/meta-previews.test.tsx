import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import type { i18n } from 'i18next';
import { I18nextProvider } from 'react-i18next';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { PostMediaItem } from '../../main/core/contract';
import { FacebookPreview, instagramFrame, InstagramPreview, ThreadsPreview } from '../../renderer/src/features/compose/MetaPreview';
import { initI18n } from '../../renderer/src/i18n/i18n';

/** Facebook Page, Instagram and Threads posts as those apps draw them, from what the connectors will send. */

let i18n: i18n;

beforeAll(async () => {
  i18n = await initI18n('en');
});

afterEach(cleanup);

const photo = (n: number, width = 1200, height = 800): PostMediaItem => ({
  mediaId: `m${n}`, mime: 'image/jpeg', bytes: 1000, width, height, durationMs: null, fileName: `photo-${n}.jpg`, altText: '',
});
const clip: PostMediaItem = { mediaId: 'v1', mime: 'video/mp4', bytes: 1000, width: 1080, height: 1920, durationMs: 9000, fileName: 'clip.mp4', altText: '' };
const photos = (count: number) => Array.from({ length: count }, (_, i) => photo(i));
const renderEn = (node: React.ReactNode) => render(<I18nextProvider i18n={i18n}>{node}</I18nextProvider>);
const long = 'Our rye is back. '.repeat(40);

describe('Facebook Page post preview', () => {
  it('shows the Page, the text folded behind “See more”, and Like · Comment · Share', () => {
    renderEn(<FacebookPreview displayName="Corner Bakery" handle="Corner Bakery" text={long} media={[]} when="Mon 5 Jan, 09:00" />);
    const post = screen.getByRole('article', { name: 'Preview on Facebook Corner Bakery' });
    expect(post.textContent).toContain('Mon 5 Jan, 09:00');
    const more = within(post).getByRole('button', { name: 'See more' });
    expect(post.textContent!.length).toBeLessThan(long.length);
    fireEvent.click(more);
    expect(post.textContent).toContain(long.trim());
    expect([...post.querySelectorAll('.feed-action')].map((a) => a.textContent)).toEqual(['Like', 'Comment', 'Share']);
  });

  it('lays out photos as Facebook does: 1, 2, one above two, one above three, two above three with the rest counted', () => {
    const rows = (count: number) => {
      renderEn(<FacebookPreview displayName="Corner Bakery" handle="Corner Bakery" text="Fresh" media={photos(count)} when={null} />);
      const album = screen.getByRole('article').querySelector('.album')!;
      const layout = [...album.querySelectorAll('.album-row')].map((row) => row.children.length);
      const extra = album.querySelector('.preview-more')?.textContent ?? null;
      cleanup();
      return { layout, extra };
    };
    expect(rows(1)).toEqual({ layout: [1], extra: null });
    expect(rows(2)).toEqual({ layout: [2], extra: null });
    expect(rows(3)).toEqual({ layout: [1, 2], extra: null });
    expect(rows(4)).toEqual({ layout: [1, 3], extra: null });
    expect(rows(5)).toEqual({ layout: [2, 3], extra: null });
    expect(rows(8)).toEqual({ layout: [2, 3], extra: '+3' });
  });

  it('a link becomes a card only without photos, as the connector sends it', () => {
    renderEn(<FacebookPreview displayName="Corner Bakery" handle="Corner Bakery" text="Menu: https://bakery.example/menu." media={[]} when={null} />);
    expect(screen.getByRole('article').querySelector('.link-card')?.textContent).toBe('bakery.examplehttps://bakery.example/menu');
    cleanup();
    renderEn(<FacebookPreview displayName="Corner Bakery" handle="Corner Bakery" text="Menu: https://bakery.example/menu" media={photos(1)} when={null} />);
    expect(screen.getByRole('article').querySelector('.link-card')).toBeNull();
  });
});

describe('Instagram post preview', () => {
  it('crops to the frame Instagram uses: the first image’s shape within 4:5 and 1.91:1, 4:5 for a reel', () => {
    expect(instagramFrame([photo(0, 1080, 1080)])).toBe(1);
    expect(instagramFrame([photo(0, 1080, 1920)])).toBe(0.8);
    expect(instagramFrame([photo(0, 3000, 1000)])).toBe(1.91);
    expect(instagramFrame([clip])).toBe(0.8);
    renderEn(<InstagramPreview displayName="Corner Bakery" handle="@cornerbakery" text="Rye" media={[photo(0, 1080, 1920), photo(1, 1080, 1080)]} when={null} />);
    const image = screen.getByRole('img', { name: 'photo-0.jpg' });
    expect(image.className).toContain('thumb-frame');
    expect(image.style.aspectRatio).toBe('0.8 / 1');
  });

  it('shows a carousel’s dots and counter, and the caption under it with the username in bold and “… more”', () => {
    renderEn(<InstagramPreview displayName="Corner Bakery" handle="@cornerbakery" text={`New rye #bread @miller ${long}`} media={photos(3)} when={null} />);
    const post = screen.getByRole('article', { name: 'Preview on Instagram @cornerbakery' });
    expect(within(post).getByLabelText('3 images, swipe to see').querySelectorAll('.dot')).toHaveLength(3);
    expect(post.querySelector('.ig-counter')?.textContent).toBe('1/3');
    const caption = post.querySelector('.preview-text')!;
    expect(caption.getAttribute('dir')).toBe('auto');
    expect(caption.querySelector('.ig-username')?.textContent).toBe('cornerbakery');
    expect(caption.textContent!.startsWith('cornerbakery New rye #bread')).toBe(true);
    expect(within(post).getByRole('button', { name: 'more' })).toBeTruthy();
    // The media comes before the caption, as in the app.
    expect(post.querySelector('.ig-media')!.compareDocumentPosition(caption) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
  });

  it('keeps a Hebrew caption with a Latin username in order: the name isolated, the text right to left by its own content', () => {
    renderEn(<InstagramPreview displayName="Corner Bakery" handle="cornerbakery" text="לחם שיפון חדש #לחם" media={photos(1)} when={null} />);
    const caption = screen.getByRole('article').querySelector('.preview-text')!;
    expect(caption.getAttribute('dir')).toBe('auto');
    expect(caption.querySelector('bdi.ig-username')).toBeTruthy();
  });
});

describe('Threads post preview', () => {
  it('shows the avatar column, the username with its topic, the text and the link card of a text post', () => {
    renderEn(<ThreadsPreview displayName="Corner Bakery" handle="@cornerbakery" text="Fresh rye https://bakery.example/rye" media={[]} when="2h" options={{ topicTag: '#Bread' }} />);
    const post = screen.getByRole('article', { name: 'Preview on Threads @cornerbakery' });
    expect(post.querySelector('.threads-avatar')).toBeTruthy();
    expect(post.querySelector('.threads-head')?.textContent).toBe('cornerbakery› Bread2h');
    expect(within(post).getByLabelText('Topic: Bread')).toBeTruthy();
    expect(post.querySelector('.link-card')?.textContent).toContain('https://bakery.example/rye');
  });

  it('the chosen link card wins over the text’s link; with media there is none, and several images make a row', () => {
    renderEn(<ThreadsPreview displayName="" handle="cornerbakery" text="See https://bakery.example/rye" media={[]} when={null} options={{ linkAttachment: 'https://bakery.example/menu' }} />);
    expect(screen.getByRole('article').querySelector('.link-card-url')?.textContent).toBe('https://bakery.example/menu');
    cleanup();
    renderEn(<ThreadsPreview displayName="" handle="cornerbakery" text="See https://bakery.example/rye" media={photos(3)} when={null} options={{ linkAttachment: 'https://bakery.example/menu' }} />);
    const post = screen.getByRole('article');
    expect(post.querySelector('.link-card')).toBeNull();
    expect(within(post).getByRole('group', { name: '3 images, swipe to see' }).querySelectorAll('.threads-cell')).toHaveLength(3);
  });

  it('keeps mixed Hebrew and English text in its order (dir=auto) and isolates the topic', () => {
    renderEn(<ThreadsPreview displayName="" handle="cornerbakery" text="לחם שיפון — Rye bread" media={[]} when={null} options={{ topicTag: 'לחם' }} />);
    const post = screen.getByRole('article');
    expect(post.querySelector('.preview-text')?.getAttribute('dir')).toBe('auto');
    expect(post.querySelector('.threads-topic bdi')?.textContent).toBe('לחם');
  });
});
