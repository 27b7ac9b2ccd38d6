import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import type { i18n } from 'i18next';
import { I18nextProvider } from 'react-i18next';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Post, PostSummary } from '../../main/core/contract';
import { ComposePage } from '../../renderer/src/features/compose/ComposePage';
import { useProjects } from '../../renderer/src/features/projects/projects-store';
import { initI18n } from '../../renderer/src/i18n/i18n';
import en from '../../renderer/src/i18n/locales/en.json';
import { setApiForTests } from '../../renderer/src/platform/api';
import { createFakeApi, project } from './fake-api';

/** What goes wrong in the composer is said: a refused delete of a hashtag set or snippet, and an unreadable copy of unsaved edits. */

let i18n: i18n;

beforeAll(async () => {
  i18n = await initI18n('en');
});

afterEach(() => {
  cleanup();
  window.localStorage.clear();
  vi.restoreAllMocks();
});

const post: Post = {
  id: 'post-1', projectId: 'p1', body: 'Fresh bread', firstComment: '', notes: '', labels: [], status: 'draft',
  scheduledAt: null, timezone: 'Europe/Lisbon', local: null, autoDeleteAfterMs: null, networkOptions: {}, media: [], targets: [],
  revision: 1, createdAt: 1, updatedAt: 1,
};
const summary: PostSummary = {
  id: post.id, projectId: 'p1', excerpt: post.body, status: 'draft', scheduledAt: null, timezone: post.timezone,
  networks: [], mediaCount: 0, labels: [], revision: 1, updatedAt: 1,
};
const refused = { ok: false as const, error: { code: 'conflict' as const, message: 'busy', reason: 'post_publishing' } };

/** The compose page of its own project (the stores keep the last one loaded), with the post open. */
async function openComposer(projectId: string) {
  const api = createFakeApi();
  api.answer('posts.list', () => ({ ok: true, value: [{ ...summary, projectId }] }));
  api.answer('posts.get', () => ({ ok: true, value: { ...post, projectId } }));
  api.answer('accounts.list', () => ({ ok: true, value: [] }));
  api.answer('hashtags.list', () => ({ ok: true, value: [{ id: 'h1', projectId, name: 'Bakery', tags: ['bread'], updatedAt: 1 }] }));
  api.answer('snippets.list', () => ({ ok: true, value: [{ id: 's1', projectId, name: 'Sign-off', body: 'See you!', updatedAt: 1 }] }));
  api.answer('hashtags.delete', () => refused);
  api.answer('snippets.delete', () => refused);
  setApiForTests(api);
  useProjects.setState({ projects: [project({ id: projectId })], activeId: projectId, loaded: true, loadError: null, showArchived: false });
  await act(async () => {
    render(
      <I18nextProvider i18n={i18n}>
        <ComposePage />
      </I18nextProvider>,
    );
  });
  await act(async () => {
    fireEvent.click(await screen.findByRole('button', { name: /Fresh bread/ }));
  });
  await screen.findByRole('textbox', { name: en.compose.editor.post });
  return api;
}

describe('composer errors', () => {
  it('shows a refused delete of a hashtag set and of a snippet, and keeps them listed', async () => {
    const api = await openComposer('p-delete');
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: en.compose.toolbar.hashtags }));
    });
    const hashtags = screen.getByRole('dialog', { name: en.compose.hashtags.title });
    await act(async () => {
      fireEvent.click(within(hashtags).getByRole('button', { name: 'Delete hashtag set Bakery' }));
    });
    expect(api.calls.filter((c) => c.name === 'hashtags.delete').map((c) => c.args)).toEqual([{ id: 'h1' }]);
    expect(within(hashtags).getByRole('alert').textContent).toMatch(/\S/);
    expect(within(hashtags).getByRole('button', { name: 'Insert hashtag set Bakery' })).toBeTruthy();

    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: en.compose.toolbar.snippets }));
    });
    const snippets = screen.getByRole('dialog', { name: en.compose.snippets.title });
    await act(async () => {
      fireEvent.click(within(snippets).getByRole('button', { name: 'Delete snippet Sign-off' }));
    });
    expect(api.calls.filter((c) => c.name === 'snippets.delete').map((c) => c.args)).toEqual([{ id: 's1' }]);
    expect(within(snippets).getByRole('alert').textContent).toMatch(/\S/);
  });

  it('says when this computer’s copy of unsaved edits cannot be read, and shows the post as saved', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    window.localStorage.setItem('outpost.unsaved.post-1', '{"revision":1,"changes":{"body":42}}');
    await openComposer('p-backup');
    expect(screen.getByText(en.compose.backupUnreadable).getAttribute('role')).toBe('alert');
    expect((screen.getByRole('textbox', { name: en.compose.editor.post }) as HTMLTextAreaElement).value).toBe('Fresh bread');
    expect(warn).toHaveBeenCalled();
    // Set aside, so the next opening does not say it again.
    expect(window.localStorage.getItem('outpost.unsaved.post-1')).toBeNull();
  });
});
