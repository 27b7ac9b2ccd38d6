import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import type { i18n } from 'i18next';
import { I18nextProvider } from 'react-i18next';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Media, Post } from '../../main/core/contract';
import { EmojiPicker } from '../../renderer/src/features/compose/EmojiPicker';
import { emojiByCategory, emojiCategories } from '../../renderer/src/features/compose/emoji-data';
import { twemojiUrl } from '../../renderer/src/features/compose/emoji-images';
import { LibraryDialog } from '../../renderer/src/features/compose/LibraryDialog';
import { MediaPage } from '../../renderer/src/features/media/MediaPage';
import { useMedia } from '../../renderer/src/features/media/media-store';
import { useOpenPost } from '../../renderer/src/features/post/open-post-store';
import { useProjects } from '../../renderer/src/features/projects/projects-store';
import { initI18n } from '../../renderer/src/i18n/i18n';
import { setApiForTests } from '../../renderer/src/platform/api';
import { createShellApi, project, type FakeApi } from './fake-api';

let i18n: i18n;
let api: FakeApi;

const bakery = project({ id: 'p-bakery', name: 'Bakery' });
const gym = project({ id: 'p-gym', name: 'Gym' });

const file = (id: string, fileName: string, projectId: string | null): Media => ({
  id, kind: 'image', mime: 'image/jpeg', sha256: id.padEnd(64, '0'), bytes: 1000, width: 800, height: 600,
  durationMs: null, fileName, altText: '', createdAt: 1, usageCount: 0, projectId,
});

const library = [file('m-challah', 'challah.jpg', 'p-bakery'), file('m-dumbbells', 'dumbbells.jpg', 'p-gym'), file('m-logo', 'my-logo.png', null)];

/** Answers media.list as main does: a project's own, the shared ones, or what a project's post is offered. */
function answerLibrary(): void {
  api.answer('media.list', (args) => {
    const shared = library.filter((m) => m.projectId === null);
    const own = library.filter((m) => args.projectId !== undefined && m.projectId === args.projectId);
    return { ok: true, value: args.only === 'shared' ? shared : args.only === 'project' ? own : [...own, ...shared] };
  });
}

beforeAll(async () => {
  i18n = await initI18n('en');
});

beforeEach(async () => {
  api = createShellApi([bakery, gym]);
  setApiForTests(api);
  answerLibrary();
  useMedia.setState({ shelf: 'project', items: [], loaded: false, moveError: null, query: '', kind: 'all' });
  await useProjects.getState().load();
});

afterEach(cleanup);

const wrap = (node: React.ReactNode) => render(<I18nextProvider i18n={i18n}>{node}</I18nextProvider>);
const listed = () => screen.queryAllByRole('heading', { level: 3 }).map((h) => h.textContent);

describe('the Media page: this project and the shared library', () => {
  it("shows the project's own files, then the shared ones, and moves a file between them", async () => {
    wrap(<MediaPage />);
    expect(screen.getByRole('tab', { name: 'This project' }).getAttribute('aria-selected')).toBe('true');
    await waitFor(() => expect(listed()).toEqual(['challah.jpg']));
    screen.getByText('Only Bakery’s posts are offered these files. Files imported here stay with this project.');

    api.answer('media.move', (args) => ({ ok: true, value: { ...library[0], projectId: args.projectId } as Media }));
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Move challah.jpg to the shared library' }));
    });
    expect(api.calls.find((c) => c.name === 'media.move')?.args).toEqual({ id: 'm-challah', projectId: null });

    await act(async () => {
      fireEvent.click(screen.getByRole('tab', { name: 'Shared' }));
    });
    await waitFor(() => expect(listed()).toEqual(['my-logo.png']));
    expect(api.calls.filter((c) => c.name === 'media.list').map((c) => c.args)).toEqual([
      { projectId: 'p-bakery', only: 'project' },
      { only: 'shared' },
    ]);
    screen.getByRole('button', { name: 'Move my-logo.png to this project' });
  });

  it("says why a file another project's post uses stays shared", async () => {
    useMedia.setState({ shelf: 'shared' });
    api.answer('media.move', () => ({ ok: false, error: { code: 'conflict', message: 'used', reason: 'media_used_elsewhere', details: { posts: 1 } } }));
    wrap(<MediaPage />);
    await waitFor(() => expect(listed()).toEqual(['my-logo.png']));
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Move my-logo.png to this project' }));
    });
    expect(screen.getByRole('alert').textContent).toContain('Posts of another project use this file, so it stays in the shared library');
    expect(listed()).toEqual(['my-logo.png']);
  });
});

describe("the composer's library offers a post only its project's files and the shared ones", () => {
  it("never lists another project's images", async () => {
    useOpenPost.setState({ projectId: 'p-gym', post: { id: 'post-1', projectId: 'p-gym' } as Post });
    wrap(<LibraryDialog attached={[]} onAttach={() => {}} onClose={() => {}} />);
    await screen.findByRole('checkbox', { name: 'dumbbells.jpg' });
    expect(screen.getAllByRole('checkbox').map((c) => c.getAttribute('aria-label'))).toEqual(['dumbbells.jpg', 'my-logo.png']);
    expect(api.calls.find((c) => c.name === 'media.list')?.args).toEqual({ projectId: 'p-gym' });
    useOpenPost.setState({ projectId: null, post: null });
  });
});

describe("the composer's emoji picker", () => {
  it('has a bundled Twemoji picture for every emoji it offers', () => {
    const missing = emojiCategories.flatMap((c) => emojiByCategory[c]).filter((e) => twemojiUrl(e.char) === null);
    expect(missing).toEqual([]);
  });

  it('shows each emoji as its colour picture, named for screen readers', () => {
    wrap(<EmojiPicker onPick={() => {}} onClose={() => {}} />);
    const button = screen.getByRole('button', { name: 'grinning face' });
    const image = button.querySelector('img');
    expect(image?.getAttribute('src')).toBe(twemojiUrl('😀'));
    expect(image?.getAttribute('alt')).toBe('');
  });
});
