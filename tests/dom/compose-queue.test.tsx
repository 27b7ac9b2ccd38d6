import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import type { i18n } from 'i18next';
import { I18nextProvider } from 'react-i18next';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Account, CalendarEntry, Post, PostSummary } from '../../main/core/contract';
import { ComposePage } from '../../renderer/src/features/compose/ComposePage';
import { useCompose } from '../../renderer/src/features/compose/compose-store';
import { slotText } from '../../renderer/src/features/post/when';
import { useProjects } from '../../renderer/src/features/projects/projects-store';
import { initI18n } from '../../renderer/src/i18n/i18n';
import en from '../../renderer/src/i18n/locales/en.json';
import { setApiForTests } from '../../renderer/src/platform/api';
import { createFakeApi, project } from './fake-api';

/** "Add to queue" in the composer: the confirmation names the slot and undoes; the time field and the post list show the time. */

let i18n: i18n;

beforeAll(async () => {
  i18n = await initI18n('en');
});

afterEach(() => {
  cleanup();
  window.localStorage.clear();
});

const ZONE = 'Europe/Lisbon';
// Monday 7 December 2026, 09:00 in Lisbon (UTC+0 in winter).
const SLOT = Date.UTC(2026, 11, 7, 9, 0);

const account: Account = {
  id: 'a1', projectId: 'p1', network: 'mastodon', handle: 'bakery@mastodon.social', displayName: 'Bakery', url: null, status: 'connected',
  statusReason: null, server: 'mastodon.social', nativeScheduler: null, deleteWindowHours: null, defaults: {} as Account['defaults'],
  createdAt: 1, updatedAt: 1,
} as Account;

const draft: Post = {
  id: 'post-1', projectId: 'p1', body: 'Challah Friday', firstComment: '', notes: '', labels: [], status: 'draft',
  scheduledAt: null, timezone: ZONE, local: null, autoDeleteAfterMs: null, networkOptions: {}, media: [],
  targets: [
    {
      id: 't1', accountId: 'a1', network: 'mastodon', handle: account.handle, displayName: 'Bakery', accountStatus: 'connected', ruleOptions: {},
      bodyOverride: null, mediaOverride: null, state: 'pending', remoteUrl: null, lastError: null, networkSaid: null,
    },
  ],
  revision: 1, createdAt: 1, updatedAt: 1,
};
const queuedPost: Post = { ...draft, status: 'scheduled', scheduledAt: SLOT, local: '2026-12-07T09:00', revision: 3, updatedAt: 2 };
const summaryOf = (post: Post): PostSummary => ({
  id: post.id, projectId: post.projectId, excerpt: post.body, status: post.status, scheduledAt: post.scheduledAt, timezone: post.timezone,
  networks: ['mastodon'], mediaCount: 0, labels: [], revision: post.revision, updatedAt: post.updatedAt,
});
const entryOf = (post: Post): CalendarEntry => {
  const { updatedAt: _updated, ...summary } = summaryOf(post);
  return { ...summary, approval: 'draft', accountIds: ['a1'], repeats: false, evergreen: false, thumbnailId: null };
};

async function openComposer() {
  const api = createFakeApi();
  let stored = draft;
  api.answer('posts.list', ({ statuses }) => ({ ok: true, value: statuses?.includes(stored.status) ? [summaryOf(stored)] : [] }));
  api.answer('posts.get', () => ({ ok: true, value: stored }));
  api.answer('accounts.list', () => ({ ok: true, value: [account] }));
  api.answer('hashtags.list', () => ({ ok: true, value: [] }));
  api.answer('snippets.list', () => ({ ok: true, value: [] }));
  api.answer('publishing.history', () => ({ ok: true, value: [] }) as never);
  api.answer('queue.add', () => {
    stored = queuedPost;
    api.emit('posts.changed', { projectId: 'p1', postId: draft.id, revision: stored.revision });
    return { ok: true, value: { entry: entryOf(stored), problems: [], scheduled: true } };
  });
  api.answer('queue.restore', () => {
    stored = { ...draft, revision: 5, updatedAt: 3 };
    api.emit('posts.changed', { projectId: 'p1', postId: draft.id, revision: stored.revision });
    return { ok: true, value: stored };
  });
  setApiForTests(api);
  useProjects.setState({ projects: [project({ id: 'p1', timezone: ZONE })], activeId: 'p1', loaded: true, loadError: null, showArchived: false });
  await act(async () => {
    render(
      <I18nextProvider i18n={i18n}>
        <ComposePage />
      </I18nextProvider>,
    );
  });
  await act(async () => {
    fireEvent.click(await screen.findByRole('button', { name: /Challah Friday/ }));
  });
  await screen.findByRole('textbox', { name: en.compose.editor.post });
  return api;
}

const timeField = () => document.getElementById('post-time') as HTMLInputElement;
const list = () => screen.getByRole('region', { name: en.compose.list.title });

describe('Add to queue in the composer', () => {
  it('names the slot, shows the time in the field and the list, keeps the post listed under Drafts, and undoes', async () => {
    const api = await openComposer();
    expect(timeField().value).toBe('');
    expect(within(list()).getByText(en.compose.list.noTime)).toBeTruthy();

    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: en.compose.schedule.queue }));
    });
    expect(api.calls.find((c) => c.name === 'queue.add')?.args).toEqual({ id: 'post-1', revision: 1 });
    const note = screen.getAllByRole('status').find((s) => s.classList.contains('queued'));
    // English on the system's clock: "Mon, Dec 7, 09:00" or "Mon, Dec 7, 9:00 AM".
    expect(note?.textContent).toMatch(/^Queued for Mon, Dec 7, (09:00|9:00\s?AM)\./);
    expect(timeField().value).toBe('2026-12-07T09:00');

    // The list's filter is Drafts and the post is scheduled now: it stays listed, with its time.
    expect(useCompose.getState().filter).toBe('draft');
    const row = within(list()).getByRole('button', { name: /Challah Friday/ });
    expect(row.getAttribute('aria-current')).toBe('true');
    expect(row.textContent).toMatch(/Dec/);
    expect(row.textContent).not.toContain(en.compose.list.noTime);

    await act(async () => {
      fireEvent.click(within(note as HTMLElement).getByRole('button', { name: en.compose.schedule.undo }));
    });
    expect(api.calls.find((c) => c.name === 'queue.restore')?.args).toEqual({ id: 'post-1', revision: 3, at: null, scheduled: false });
    expect(timeField().value).toBe('');
    expect(document.querySelector('.notice.queued')).toBeNull();
    expect(within(list()).getByText(en.compose.list.noTime)).toBeTruthy();
  });
});

describe('slotText', () => {
  it('writes a slot as the language dates it, on the user’s clock, in the project’s zone', () => {
    expect(slotText(SLOT, ZONE, 'en-u-hc-h23')).toBe('Mon, Dec 7, 09:00');
    expect(slotText(SLOT, 'Asia/Jerusalem', 'en-u-hc-h23')).toBe('Mon, Dec 7, 11:00');
    // British English puts the day first (its ICU writes the hour without a leading zero).
    expect(slotText(SLOT, ZONE, 'en-GB-u-hc-h23')).toMatch(/^Mon 7 Dec, 0?9:00$/);
    expect(slotText(SLOT, ZONE, 'en-US-u-hc-h12')).toMatch(/^Mon, Dec 7, 9:00\s?AM$/);
  });
});
