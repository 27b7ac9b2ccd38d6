import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import type { i18n } from 'i18next';
import { I18nextProvider } from 'react-i18next';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AttentionEntry, Post, Target } from '../../main/core/contract';
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
  networkSaid: null,
  dueAt: Date.UTC(2026, 0, 5, 9, 0),
  postId: 'post-1',
  projectId: 'p1',
  targetId: 't1',
  accountId: 'a1',
  network: 'mastodon',
  handle: 'bakery@example.social',
  excerpt: 'Fresh bread at nine',
};

const published: Post = {
  id: 'post-1',
  projectId: 'p1',
  body: 'Fresh bread at nine',
  firstComment: '',
  notes: '',
  labels: [],
  status: 'published',
  scheduledAt: Date.UTC(2026, 0, 5, 9, 0),
  timezone: 'Europe/Lisbon',
  local: '2026-01-05T09:00',
  autoDeleteAfterMs: null,
  networkOptions: {},
  media: [],
  targets: [],
  revision: 4,
  createdAt: 1,
  updatedAt: 2,
};

function targetOn(id: string, network: Target['network'], handle: string): Target {
  return {
    id,
    accountId: `a-${id}`,
    network,
    handle,
    displayName: handle,
    accountStatus: 'connected',
    ruleOptions: {},
    bodyOverride: null,
    mediaOverride: null,
    state: 'needs_attention',
    remoteUrl: null,
    lastError: null,
    networkSaid: null,
  };
}

beforeAll(async () => {
  i18n = await initI18n('en');
});

beforeEach(() => {
  api = createFakeApi();
  waiting = [missed];
  api.answer('publishing.attention', () => ({ ok: true, value: waiting }));
  api.answer('publishing.publishNow', () => {
    waiting = [];
    return { ok: false, error: { code: 'conflict', message: 'busy', reason: 'schedule_publishing' } };
  });
  // The post as main has it: both its accounts are still to go out, so "publish now" names both.
  api.answer('posts.get', () => ({ ok: true, value: { ...published, status: 'needs_attention', targets: [targetOn('t1', 'mastodon', 'bakery@example.social'), targetOn('t2', 'telegram', '@bakery')] } }));
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

    // It asks first, in place, naming every account the post goes to; Cancel sends nothing.
    await act(async () => {
      fireEvent.click(within(dialog).getByRole('button', { name: 'Publish “Fresh bread at nine” now' }));
    });
    let question = within(dialog).getByRole('group', { name: 'Publish now?' });
    expect(within(question).getByRole('list', { name: 'Accounts it goes to' }).textContent).toBe('Mastodon bakery@example.socialTelegram @bakery');
    expect(question.textContent).toContain('It goes out at once, to these 2 accounts:');
    fireEvent.click(within(question).getByRole('button', { name: 'Cancel' }));
    expect(within(dialog).queryByRole('group', { name: 'Publish now?' })).toBeNull();
    expect(api.calls.filter((c) => c.name === 'publishing.publishNow')).toEqual([]);

    await act(async () => {
      fireEvent.click(within(dialog).getByRole('button', { name: 'Publish “Fresh bread at nine” now' }));
    });
    question = within(dialog).getByRole('group', { name: 'Publish now?' });
    await act(async () => {
      fireEvent.click(within(question).getByRole('button', { name: 'Publish now' }));
    });
    expect(api.calls.filter((c) => c.name === 'publishing.publishNow').map((c) => c.args)).toEqual([{ id: 'post-1' }]);
    // Main's refusal is shown in words, and the list is asked again.
    expect(within(dialog).getByRole('alert').textContent).toBe('The post is being published right now; try again in a moment.');
    expect(within(dialog).getByText('Nothing needs your attention.')).toBeTruthy();
  });

  it('after a lost answer offers "I checked: it is published" and "Not there: send it again", and says which is which', async () => {
    const lost: AttentionEntry = { ...missed, jobId: 'j2', reason: 'unknown_outcome', network: 'telegram', handle: '@bakery', message: 'Telegram did not answer within 30 s.' };
    waiting = [lost];
    api.answer('publishing.confirmPublished', () => {
      waiting = [];
      return { ok: true, value: published };
    });
    await renderButton();
    fireEvent.click(screen.getByRole('button', { name: '1 post needs attention' }));
    const dialog = screen.getByRole('dialog', { name: 'Needs attention' });
    const list = within(dialog).getByRole('list', { name: 'Needs attention' });
    expect(list.textContent).toContain('the answer from Telegram was lost, so it may already be there');
    expect(list.textContent).toContain('choose “I checked: it is published”; if it is not, choose “Not there: send it again”');
    // No bare "publish now": sending it again is named for what it is.
    expect(within(dialog).queryByRole('button', { name: 'Publish “Fresh bread at nine” now' })).toBeNull();
    expect(within(dialog).getByRole('button', { name: 'Not there: send it again — “Fresh bread at nine”' }).textContent).toBe('Not there: send it again');

    await act(async () => {
      fireEvent.click(within(dialog).getByRole('button', { name: 'I checked: it is published — “Fresh bread at nine”' }));
    });
    expect(api.calls.filter((c) => c.name === 'publishing.confirmPublished').map((c) => c.args)).toEqual([{ targetId: 't1' }]);
    expect(api.calls.filter((c) => c.name === 'publishing.publishNow')).toEqual([]);
    expect(within(dialog).getByText('Nothing needs your attention.')).toBeTruthy();
  });

  it('after a lost answer "Not there: send it again" publishes the post now', async () => {
    waiting = [{ ...missed, reason: 'unknown_outcome' }];
    await renderButton();
    fireEvent.click(screen.getByRole('button', { name: '1 post needs attention' }));
    const dialog = screen.getByRole('dialog', { name: 'Needs attention' });
    await act(async () => {
      fireEvent.click(within(dialog).getByRole('button', { name: 'Not there: send it again — “Fresh bread at nine”' }));
    });
    const question = within(dialog).getByRole('group', { name: 'Send it again now?' });
    expect(question.textContent).toContain('the post will be there twice');
    await act(async () => {
      fireEvent.click(within(question).getByRole('button', { name: 'Send it again' }));
    });
    expect(api.calls.filter((c) => c.name === 'publishing.publishNow').map((c) => c.args)).toEqual([{ id: 'post-1' }]);
    expect(api.calls.filter((c) => c.name === 'publishing.confirmPublished')).toEqual([]);
  });

  it('shows nothing when no post waits', async () => {
    waiting = [];
    await renderButton();
    expect(screen.queryByRole('button')).toBeNull();
  });
});
