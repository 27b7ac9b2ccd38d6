import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import type { i18n } from 'i18next';
import { I18nextProvider } from 'react-i18next';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Post, PostSummary } from '../../main/core/contract';
import { App } from '../../renderer/src/app/App';
import { useNavigation } from '../../renderer/src/features/navigation/navigation-store';
import { initI18n } from '../../renderer/src/i18n/i18n';
import en from '../../renderer/src/i18n/locales/en.json';
import { setApiForTests } from '../../renderer/src/platform/api';
import { createShellApi, project } from './fake-api';

/**
 * One pause in typing costs the whole app one save and one refresh of the drafts list: our own
 * save's posts.changed (which main sends before its answer) is not fetched back, and the
 * needs-attention list and the post's history are not asked again for a draft's text.
 */

let i18n: i18n;

beforeAll(async () => {
  i18n = await initI18n('en');
});

afterEach(cleanup);

const AUTOSAVE_WAIT_MS = 1_500;

function draft(overrides: Partial<Post> = {}): Post {
  return {
    id: 'post-1', projectId: 'p1', body: 'Fresh bread', firstComment: '', notes: '', labels: [], status: 'draft',
    scheduledAt: null, timezone: 'Europe/Lisbon', local: null, autoDeleteAfterMs: null, networkOptions: {}, media: [], targets: [],
    revision: 1, createdAt: 1, updatedAt: 1,
    ...overrides,
  };
}

function summary(post: Post): PostSummary {
  return {
    id: post.id, projectId: post.projectId, excerpt: post.body, status: post.status, scheduledAt: null, timezone: post.timezone,
    networks: [], mediaCount: 0, labels: [], revision: post.revision, updatedAt: post.updatedAt,
  };
}

describe('autosave', () => {
  it('costs at most two calls to main for one pause in typing, with the app around it', async () => {
    const api = createShellApi([project()]);
    let stored = draft();
    api.answer('posts.list', () => ({ ok: true, value: [summary(stored)] }));
    api.answer('posts.get', () => ({ ok: true, value: stored }));
    api.answer('posts.update', (args) => {
      stored = { ...stored, body: args.body ?? stored.body, revision: stored.revision + 1, updatedAt: stored.updatedAt + 1 };
      // Main tells every window before it answers the one that asked.
      api.emit('posts.changed', { projectId: 'p1', postId: stored.id, revision: stored.revision });
      return { ok: true, value: stored };
    });
    api.answer('accounts.list', () => ({ ok: true, value: [] }));
    api.answer('hashtags.list', () => ({ ok: true, value: [] }));
    api.answer('snippets.list', () => ({ ok: true, value: [] }));
    api.answer('publishing.attention', () => ({ ok: true, value: [] }));
    api.answer('publishing.history', () => ({ ok: true, value: [] }));
    setApiForTests(api);
    useNavigation.getState().go('compose');

    await act(async () => {
      render(
        <I18nextProvider i18n={i18n}>
          <App />
        </I18nextProvider>,
      );
    });
    const list = await screen.findByRole('region', { name: en.compose.list.title });
    await act(async () => {
      fireEvent.click(await within(list).findByRole('button', { name: /Fresh bread/ }));
    });
    const text = await screen.findByRole('textbox', { name: en.compose.editor.post });
    await act(async () => new Promise((resolve) => setTimeout(resolve, 100)));

    const before = api.calls.length;
    await act(async () => {
      fireEvent.change(text, { target: { value: 'Fresh bread at nine' } });
    });
    await waitFor(() => expect(stored.body).toBe('Fresh bread at nine'), { timeout: AUTOSAVE_WAIT_MS });
    // Time for every listener of the echo to act.
    await act(async () => new Promise((resolve) => setTimeout(resolve, 300)));

    const calls = api.calls.slice(before).map((c) => c.name);
    expect(calls[0]).toBe('posts.update');
    expect(calls.length, calls.join(', ')).toBeLessThanOrEqual(2);
    expect(calls).toEqual(['posts.update', 'posts.list']);
    expect(screen.getByRole('status').textContent).toBe(en.compose.save.saved);

    // A change made elsewhere (the calendar, another window) is still fetched and shown.
    const fromElsewhere = api.calls.length;
    stored = { ...stored, body: 'Fresh bread at ten', revision: stored.revision + 1 };
    await act(async () => {
      api.emit('posts.changed', { projectId: 'p1', postId: stored.id, revision: stored.revision });
      await new Promise((resolve) => setTimeout(resolve, 100));
    });
    expect(api.calls.slice(fromElsewhere).map((c) => c.name).sort()).toEqual(['posts.get', 'posts.list']);
    expect((screen.getByRole('textbox', { name: en.compose.editor.post }) as HTMLTextAreaElement).value).toBe('Fresh bread at ten');
  });
});
