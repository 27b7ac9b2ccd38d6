import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import type { i18n } from 'i18next';
import { I18nextProvider } from 'react-i18next';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AttentionEntry } from '../../main/core/contract';
import { useAttention } from '../../renderer/src/features/publishing/attention-store';
import { NeedsAttention } from '../../renderer/src/features/publishing/NeedsAttention';
import { useProjects } from '../../renderer/src/features/projects/projects-store';
import { initI18n } from '../../renderer/src/i18n/i18n';
import { setApiForTests } from '../../renderer/src/platform/api';
import { createFakeApi, project, type FakeApi } from './fake-api';

/** The shell's needs-attention button and list: hidden when nothing waits, reasons in words, "publish now" asks main. */

let i18n: i18n;
let api: FakeApi;
let waiting: AttentionEntry[];

const missed: AttentionEntry = {
  jobId: 'j1',
  kind: 'publish',
  reason: 'missed',
  message: null,
  dueAt: Date.UTC(2026, 0, 5, 9, 0),
  postId: 'post-1',
  projectId: 'p1',
  targetId: 't1',
  accountId: 'a1',
  network: 'mastodon',
  handle: 'bakery@example.social',
  excerpt: 'Fresh bread at nine',
};

beforeAll(async () => {
  i18n = await initI18n('en');
});

beforeEach(() => {
  api = createFakeApi();
  waiting = [missed];
  api.answer('scheduler.attention', () => ({ ok: true, value: waiting }));
  api.answer('posts.publishNow', () => {
    waiting = [];
    return { ok: false, error: { code: 'conflict', message: 'busy', reason: 'schedule_publishing' } };
  });
  setApiForTests(api);
  useProjects.setState({ projects: [project({ lateGraceMinutes: 30 })], activeId: 'p1', showArchived: false, loaded: true, loadError: null });
  useAttention.setState({ projectId: null, items: [] });
});

afterEach(cleanup);

async function renderButton() {
  await act(async () => {
    render(
      <I18nextProvider i18n={i18n}>
        <NeedsAttention />
      </I18nextProvider>,
    );
  });
}

describe('NeedsAttention', () => {
  it('shows the count, lists the post with its reason in words, and publishes it now', async () => {
    await renderButton();
    const button = screen.getByRole('button', { name: '1 post needs attention' });
    fireEvent.click(button);
    const dialog = screen.getByRole('dialog', { name: 'Needs attention' });
    const list = within(dialog).getByRole('list', { name: 'Needs attention' });
    expect(list.textContent).toContain('Fresh bread at nine');
    expect(list.textContent).toContain('Mastodon bakery@example.social');
    expect(list.textContent).toContain('more than 30 minutes ago (this project’s limit for late posts)');

    await act(async () => {
      fireEvent.click(within(dialog).getByRole('button', { name: 'Publish “Fresh bread at nine” now' }));
    });
    expect(api.calls.filter((c) => c.name === 'posts.publishNow').map((c) => c.args)).toEqual([{ id: 'post-1' }]);
    // Main's refusal is shown in words, and the list is asked again.
    expect(within(dialog).getByRole('alert').textContent).toBe('The post is being published right now; try again in a moment.');
    expect(within(dialog).getByText('Nothing needs your attention.')).toBeTruthy();
  });

  it('shows nothing when no post waits', async () => {
    waiting = [];
    await renderButton();
    expect(screen.queryByRole('button')).toBeNull();
  });
});
