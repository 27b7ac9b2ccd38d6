import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import type { i18n } from 'i18next';
import { I18nextProvider } from 'react-i18next';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Media } from '../../main/core/contract';
import type { PostMediaItem, PostProblem } from '../../main/core/contract/posts';
import { MediaPanel } from '../../renderer/src/features/compose/MediaPanel';
import type { DraftFields } from '../../renderer/src/features/post/draft';
import { useOpenPost } from '../../renderer/src/features/post/open-post-store';
import { useEditor } from '../../renderer/src/features/editor/editor-store';
import { attachToPost } from '../../renderer/src/features/editor/post-link';
import { MediaCard } from '../../renderer/src/features/media/MediaCard';
import { useNavigation } from '../../renderer/src/features/navigation/navigation-store';
import { initI18n } from '../../renderer/src/i18n/i18n';
import { setApiForTests } from '../../renderer/src/platform/api';
import { createFakeApi } from './fake-api';

let i18n: i18n;

beforeAll(async () => {
  i18n = await initI18n('en');
});

beforeEach(() => {
  useEditor.setState({ pending: null });
  useNavigation.getState().go('compose');
});

afterEach(cleanup);

const item = (mediaId: string, fileName: string, mime: PostMediaItem['mime']): PostMediaItem => ({
  mediaId, mime, bytes: 1000, width: 1000, height: 500, durationMs: null, fileName, altText: '',
});

const facts = {
  m1: item('m1', 'wide.jpg', 'image/jpeg'),
  m2: item('m2', 'tall.png', 'image/png'),
  v1: item('v1', 'clip.mp4', 'video/mp4'),
};

function renderPanel(ids: string[], problems: PostProblem[] = []) {
  render(
    <I18nextProvider i18n={i18n}>
      <MediaPanel title="Images and video for Instagram" ids={ids} facts={facts} problems={problems} onChange={() => {}} onAttach={() => {}} />
    </I18nextProvider>,
  );
}

describe('the composer’s media tiles open the editor', () => {
  it('Edit opens that image to replace itself on the post, on the Editor page; a video has no Edit', () => {
    renderPanel(['m1', 'm2', 'v1']);
    expect(screen.queryByRole('button', { name: 'Edit clip.mp4 in the editor' })).toBeNull();
    act(() => {
      fireEvent.click(screen.getByRole('button', { name: 'Edit tall.png in the editor' }));
    });
    expect(useEditor.getState().pending).toEqual({ mediaId: 'm2', replaces: 'm2' });
    expect(useNavigation.getState().page).toBe('editor');
  });

  it('a crop or resize fix offers the editor next to the message; other fixes do not', () => {
    const problem = (code: string, fix: string): PostProblem => ({ code, severity: 'error', network: 'instagram', mediaId: 'm1', params: { fix } });
    renderPanel(['m1'], [problem('aspect_ratio', 'crop'), problem('image_too_large', 'compress')]);
    expect(screen.queryByRole('button', { name: 'Resize in the editor' })).toBeNull();
    act(() => {
      fireEvent.click(screen.getByRole('button', { name: 'Crop in the editor' }));
    });
    expect(useEditor.getState().pending).toEqual({ mediaId: 'm1', replaces: 'm1' });
    expect(useNavigation.getState().page).toBe('editor');
  });
});

describe('the Media page opens the editor', () => {
  const media = (id: string, kind: 'image' | 'video', fileName: string): Media => ({
    id, kind, mime: kind === 'image' ? 'image/jpeg' : 'video/mp4', sha256: 'a'.repeat(64), bytes: 1000, width: 800, height: 600,
    durationMs: kind === 'video' ? 1000 : null, fileName, altText: '', createdAt: 1, usageCount: 0, projectId: null,
  });

  it('Edit opens an image with nothing to replace (the export is a new library image); a video has no Edit', () => {
    // A video card asks main for its picked cover, and listens for library changes.
    const api = createFakeApi();
    api.answer('media.videoCover', () => ({ ok: true, value: { media: media('c1', 'image', 'clip cover.jpg'), atMs: 500 } }));
    setApiForTests(api);
    render(
      <I18nextProvider i18n={i18n}>
        <ul>
          <MediaCard item={media('m1', 'image', 'photo.jpg')} onEditAlt={() => {}} onDelete={() => {}} moveTo={null} onMove={() => {}} />
          <MediaCard item={media('v1', 'video', 'clip.mp4')} onEditAlt={() => {}} onDelete={() => {}} moveTo={null} onMove={() => {}} />
        </ul>
      </I18nextProvider>,
    );
    expect(screen.queryByRole('button', { name: 'Edit clip.mp4 in the editor' })).toBeNull();
    act(() => {
      fireEvent.click(screen.getByRole('button', { name: 'Edit photo.jpg in the editor' }));
    });
    expect(useEditor.getState().pending).toEqual({ mediaId: 'm1', replaces: null });
    expect(useNavigation.getState().page).toBe('editor');
  });
});

describe('an export from a network’s own images', () => {
  it('takes the place of the image it was opened from in that target’s media, leaving the post’s list alone', async () => {
    const draft = {
      media: ['m1'],
      targets: [
        { accountId: 'a-ig', bodyOverride: null, mediaOverride: ['m2', 'm3'] },
        { accountId: 'a-x', bodyOverride: null, mediaOverride: null },
      ],
    } as unknown as DraftFields;
    const edit = vi.fn((change: Partial<DraftFields>) => useOpenPost.setState({ draft: { ...draft, ...change } }));
    // Stands in for the save: the stored post now lists what the draft does.
    const flush = vi.fn(async () => {
      const targets = useOpenPost.getState().draft?.targets ?? [];
      useOpenPost.setState({ post: { id: 'p1', media: [], targets: targets.map((t) => ({ mediaOverride: t.mediaOverride?.map((mediaId) => ({ mediaId })) ?? null })) } as never });
    });
    useOpenPost.setState({ post: { id: 'p1' } as never, draft, edit, flush, rememberMedia: () => {} });
    const exported = { id: 'new' } as Media;
    expect(await attachToPost('p1', exported, 'm3')).toBe(true);
    expect(edit).toHaveBeenCalledTimes(1);
    expect(useOpenPost.getState().draft?.media).toEqual(['m1']);
    expect(useOpenPost.getState().draft?.targets.map((t) => t.mediaOverride)).toEqual([['m2', 'new'], null]);
  });
});
