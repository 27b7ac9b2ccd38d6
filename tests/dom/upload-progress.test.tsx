import { act, cleanup, render, screen, within } from '@testing-library/react';
import type { i18n } from 'i18next';
import { I18nextProvider } from 'react-i18next';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Post, Target } from '../../main/core/contract';
import { useOpenPost } from '../../renderer/src/features/post/open-post-store';
import { useAttention, usePostHistory } from '../../renderer/src/features/publishing/attention-store';
import { PostPublishing } from '../../renderer/src/features/publishing/PostPublishing';
import { useProjects } from '../../renderer/src/features/projects/projects-store';
import { initI18n } from '../../renderer/src/i18n/i18n';
import { setApiForTests } from '../../renderer/src/platform/api';
import { createFakeApi, project, type FakeApi } from './fake-api';

/** A post's video upload shows on each account while it goes (publishing.progress), and goes away with the outcome. */

let i18n: i18n;
let api: FakeApi;
const MB = 1024 * 1024;

function target(overrides: Partial<Target>): Target {
  return {
    id: 't1',
    accountId: 'a1',
    network: 'telegram',
    handle: '@bakery_news',
    displayName: 'Bakery news',
    accountStatus: 'connected',
    ruleOptions: {},
    bodyOverride: null,
    mediaOverride: null,
    state: 'publishing',
    remoteUrl: null,
    lastError: null,
    networkSaid: null,
    ...overrides,
  };
}

const post: Post = {
  id: 'post-1',
  projectId: 'p1',
  body: 'Our new clip',
  firstComment: '',
  notes: '',
  labels: [],
  status: 'scheduled',
  scheduledAt: Date.UTC(2026, 0, 5, 9, 0),
  timezone: 'Europe/Lisbon',
  local: '2026-01-05T09:00',
  autoDeleteAfterMs: null,
  networkOptions: {},
  media: [],
  targets: [target({}), target({ id: 't2', accountId: 'a2', network: 'bluesky', handle: 'bakery.bsky.social' })],
  revision: 3,
  createdAt: 1,
  updatedAt: 1,
};

beforeAll(async () => {
  i18n = await initI18n('en');
});

beforeEach(() => {
  api = createFakeApi();
  setApiForTests(api);
  api.answer('publishing.history', () => ({ ok: true, value: [] }));
  useProjects.setState({ projects: [project()], activeId: 'p1', showArchived: false, loaded: true, loadError: null });
  useAttention.setState({ projectId: 'p1', items: [] });
  usePostHistory.setState({ postId: null, lines: [] });
  useOpenPost.setState({ post: null, draft: null, projectId: 'p1' });
});

afterEach(cleanup);

const rowOf = (handle: string) => screen.getAllByRole('listitem').find((li) => li.textContent?.includes(handle))!;

describe('upload progress on the post', () => {
  it('shows each account its own upload as it goes, then the wait, and clears with the outcome', async () => {
    await act(async () => {
      render(
        <I18nextProvider i18n={i18n}>
          <PostPublishing post={post} />
        </I18nextProvider>,
      );
    });
    expect(screen.queryByRole('status')).toBeNull();

    act(() => api.emit('publishing.progress', { postId: 'post-1', targetId: 't1', jobId: 'j1', sent: 12.5 * MB, total: 40 * MB }));
    const telegram = rowOf('@bakery_news');
    const bar = within(telegram).getByRole('progressbar', { name: 'Upload' }) as HTMLProgressElement;
    expect(bar.value / bar.max).toBeCloseTo(12.5 / 40);
    expect(within(telegram).getByRole('status').textContent).toBe('Uploading: 12.5 of 40.0 MB (31%)');
    // The other account's row has no bar of its own yet.
    expect(within(rowOf('bakery.bsky.social')).queryByRole('progressbar')).toBeNull();

    act(() => api.emit('publishing.progress', { postId: 'post-1', targetId: 't1', jobId: 'j1', sent: 40 * MB, total: 40 * MB }));
    expect(within(telegram).getByRole('status').textContent).toBe('Uploaded; waiting for the network to take it…');

    act(() =>
      api.emit('publishing.changed', { postId: 'post-1', targetId: 't1', jobId: 'j1', job: 'publish', state: 'published', reason: null, message: null, networkSaid: null, url: 'https://t.me/bakery_news/7', at: 1 }),
    );
    expect(within(rowOf('@bakery_news')).queryByRole('progressbar')).toBeNull();
  });

  it('words the figures in the user’s language', async () => {
    const ru = await initI18n('ru');
    await act(async () => {
      render(
        <I18nextProvider i18n={ru}>
          <PostPublishing post={post} />
        </I18nextProvider>,
      );
    });
    act(() => api.emit('publishing.progress', { postId: 'post-1', targetId: 't2', jobId: 'j2', sent: 1.5 * MB, total: 3 * MB }));
    expect(screen.getByRole('status').textContent).toBe('Загрузка: 1,5 из 3,0 МБ (50 %)');
  });
});
