import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import type { i18n } from 'i18next';
import { I18nextProvider } from 'react-i18next';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AttentionEntry, HistoryLine, Post, Target } from '../../main/core/contract';
import { useOpenPost } from '../../renderer/src/features/post/open-post-store';
import { useAttention, usePostHistory } from '../../renderer/src/features/publishing/attention-store';
import { PostPublishing } from '../../renderer/src/features/publishing/PostPublishing';
import { useProjects } from '../../renderer/src/features/projects/projects-store';
import { initI18n } from '../../renderer/src/i18n/i18n';
import { setApiForTests } from '../../renderer/src/platform/api';
import { createFakeApi, project, type FakeApi } from './fake-api';

/**
 * A post's publishing panel: each account's state in words, the reason a target waits, "I checked:
 * it is published" with the link the user gives, and a history whose published line links out.
 */

let i18n: i18n;
let api: FakeApi;

function target(overrides: Partial<Target> = {}): Target {
  return {
    id: 't1',
    accountId: 'a1',
    network: 'mastodon',
    handle: '@bakery@example.social',
    displayName: 'Bakery',
    accountStatus: 'connected',
    ruleOptions: {},
    bodyOverride: null,
    mediaOverride: null,
    state: 'needs_attention',
    remoteUrl: null,
    lastError: 'The connection was reset.',
    networkSaid: null,
    ...overrides,
  };
}

function post(overrides: Partial<Post> = {}): Post {
  return {
    id: 'post-1',
    projectId: 'p1',
    body: 'Fresh bread at nine',
    firstComment: '',
    notes: '',
    labels: [],
    status: 'needs_attention',
    scheduledAt: Date.UTC(2026, 0, 5, 9, 0),
    timezone: 'Europe/Lisbon',
    local: '2026-01-05T09:00',
    autoDeleteAfterMs: null,
    networkOptions: {},
    media: [],
    targets: [target()],
    revision: 3,
    createdAt: 1,
    updatedAt: 1,
    ...overrides,
  };
}

const waiting: AttentionEntry = {
  jobId: 'j1',
  kind: 'publish',
  reason: 'unknown_outcome',
  message: 'The connection was reset.',
  networkSaid: null,
  dueAt: Date.UTC(2026, 0, 5, 9, 0),
  postId: 'post-1',
  projectId: 'p1',
  targetId: 't1',
  accountId: 'a1',
  network: 'mastodon',
  handle: '@bakery@example.social',
  excerpt: 'Fresh bread at nine',
};

const line = (id: number, event: HistoryLine['event'], extra: Partial<HistoryLine> = {}): HistoryLine => ({
  id,
  at: Date.UTC(2026, 0, 5, 9, 0, id),
  event,
  jobKind: 'publish',
  targetId: 't1',
  accountId: 'a1',
  network: 'mastodon',
  handle: '@bakery@example.social',
  attempt: event === 'attempt' ? 1 : null,
  message: null,
  networkSaid: null,
  reason: null,
  url: null,
  nextAt: null,
  ...extra,
});

beforeAll(async () => {
  i18n = await initI18n('en');
});

beforeEach(() => {
  api = createFakeApi();
  setApiForTests(api);
  useProjects.setState({ projects: [project()], activeId: 'p1', showArchived: false, loaded: true, loadError: null });
  useAttention.setState({ projectId: 'p1', items: [waiting] });
  usePostHistory.setState({ postId: null, lines: [] });
  useOpenPost.setState({ post: null, draft: null, projectId: 'p1' });
});

afterEach(cleanup);

async function renderPanel(value: Post) {
  await act(async () => {
    render(
      <I18nextProvider i18n={i18n}>
        <PostPublishing post={value} />
      </I18nextProvider>,
    );
  });
}

describe('PostPublishing', () => {
  it('says why a target waits and confirms it as published with the link the user gives', async () => {
    const url = 'https://example.social/@bakery/1';
    api.answer('publishing.history', () => ({ ok: true, value: [line(1, 'scheduled'), line(2, 'attempt'), line(3, 'needs_attention', { reason: 'unknown_outcome' })] }));
    api.answer('publishing.confirmPublished', () => ({ ok: true, value: post({ status: 'published', targets: [target({ state: 'published', remoteUrl: url, lastError: null })] }) }));
    api.answer('publishing.attention', () => ({ ok: true, value: [] }));
    await renderPanel(post());

    const region = screen.getByRole('region', { name: 'Publishing' });
    const targets = within(region).getByRole('list', { name: 'Accounts and their state' });
    expect(targets.textContent).toContain('Mastodon @bakery@example.social');
    expect(targets.textContent).toContain('the answer from Mastodon was lost');
    expect(targets.textContent).toContain('The connection was reset.');
    expect(within(region).getByRole('table', { name: 'History' }).textContent).toContain('Sent to Mastodon (try 1)');

    // Both ways out of a lost answer, in words: sending again is not called a plain "publish now".
    expect(within(region).getByRole('button', { name: 'Not there: send it again' })).toBeTruthy();
    expect(within(region).queryByRole('button', { name: 'Publish now' })).toBeNull();
    fireEvent.change(within(region).getByRole('textbox', { name: 'Link to the post (optional)' }), { target: { value: url } });
    await act(async () => {
      fireEvent.click(within(region).getByRole('button', { name: 'I checked: it is published' }));
    });
    expect(api.calls.filter((c) => c.name === 'publishing.confirmPublished').map((c) => c.args)).toEqual([{ targetId: 't1', url }]);
  });

  it('quotes only the network’s own words as what it said, never Outpost’s explanation', async () => {
    const unreachable = 'Outpost could not reach example.social: the connection was refused.';
    api.answer('publishing.history', () => ({
      ok: true,
      value: [
        line(1, 'failed', { reason: 'validation', message: 'Text too long. Outpost counted 512.', networkSaid: 'Text too long' }),
        line(2, 'retry', { targetId: 't2', message: unreachable, cause: 'ECONNREFUSED', nextAt: Date.UTC(2026, 0, 5, 9, 5) }),
      ],
    }));
    api.answer('publishing.attention', () => ({ ok: true, value: [] }));
    useAttention.setState({ items: [] });
    const refused = target({ id: 't1', state: 'failed', lastError: 'Text too long. Outpost counted 512.', networkSaid: 'Text too long' });
    const ours = target({ id: 't2', accountId: 'a2', handle: '@gym@example.social', state: 'scheduled', lastError: unreachable, networkSaid: null });
    await renderPanel(post({ status: 'failed', targets: [refused, ours] }));

    const region = screen.getByRole('region', { name: 'Publishing' });
    const [first, second] = within(within(region).getByRole('list', { name: 'Accounts and their state' })).getAllByRole('listitem');
    expect(first!.textContent).toContain('Mastodon said: Text too long');
    expect(second!.textContent).not.toContain('said');
    expect(second!.textContent).toContain(`What happened: ${unreachable}`);
    const history = within(region).getByRole('table', { name: 'History' }).textContent ?? '';
    expect(history).toContain('Mastodon said: Text too long');
    expect(history).not.toContain('said: Outpost could not reach');
    // The raw code is nowhere in the words; only the Details disclosure holds it.
    expect(history).not.toContain('ECONNREFUSED');
  });

  it('after a failed try shows the failure and the next try, not "Scheduled for…", and keeps the raw code under Details', async () => {
    const unreachable = 'Outpost could not reach example.social: the connection was refused.';
    api.answer('publishing.history', () => ({
      ok: true,
      value: [line(1, 'scheduled'), line(2, 'attempt'), line(3, 'retry', { message: unreachable, cause: 'ECONNREFUSED', nextAt: Date.UTC(2026, 0, 5, 9, 5) })],
    }));
    useAttention.setState({ items: [] });
    await renderPanel(post({ status: 'scheduled', targets: [target({ state: 'scheduled', lastError: unreachable })] }));

    const row = within(screen.getByRole('list', { name: 'Accounts and their state' })).getByRole('listitem');
    expect(row.textContent).not.toContain('Scheduled for');
    expect(row.textContent).toContain('Failed; trying again at Jan 5, 2026, 9:05:00 AM');
    expect(row.textContent).toContain(`What happened: ${unreachable}`);
    const details = row.querySelector('details')!;
    expect(details.open).toBe(false);
    expect(within(row).getByText('Details').tagName).toBe('SUMMARY');
    fireEvent.click(within(row).getByText('Details'));
    expect(details.open).toBe(true);
    expect(within(details).getByText('ECONNREFUSED').tagName).toBe('CODE');
  });

  it('shows "Telegram said:" only for what Telegram itself said', async () => {
    api.answer('publishing.history', () => ({ ok: true, value: [] }));
    useAttention.setState({ items: [] });
    const words = target({ id: 't1', network: 'telegram', handle: '@bakery', state: 'failed', lastError: 'Bad Request: chat not found: check the @name', networkSaid: 'Bad Request: chat not found' });
    const ours = target({ id: 't2', network: 'telegram', handle: '@gym', state: 'failed', lastError: 'Outpost could not reach Telegram: the server’s name could not be found.', networkSaid: null });
    await renderPanel(post({ status: 'failed', targets: [words, ours] }));
    const [first, second] = within(screen.getByRole('list', { name: 'Accounts and their state' })).getAllByRole('listitem');
    expect(first!.textContent).toContain('Telegram said: Bad Request: chat not found');
    expect(second!.textContent).not.toContain('Telegram said');
    expect(second!.textContent).toContain('What happened: Outpost could not reach Telegram');
  });

  it('asks before publishing now, naming each account it goes to; Cancel sends nothing', async () => {
    api.answer('publishing.history', () => ({ ok: true, value: [line(1, 'scheduled')] }));
    api.answer('publishing.publishNow', () => ({ ok: true, value: post({ status: 'scheduled' }) }));
    api.answer('publishing.attention', () => ({ ok: true, value: [] }));
    useAttention.setState({ items: [] });
    const done = target({ id: 't3', network: 'bluesky', handle: 'bakery.bsky.social', state: 'published', lastError: null });
    const telegram = target({ id: 't2', network: 'telegram', handle: '@bakery', state: 'scheduled', lastError: null });
    await renderPanel(post({ status: 'scheduled', targets: [target({ state: 'scheduled', lastError: null }), telegram, done] }));

    fireEvent.click(screen.getByRole('button', { name: 'Publish now' }));
    let dialog = screen.getByRole('dialog', { name: 'Publish now?' });
    expect(dialog.textContent).toContain('It goes out at once, to these 2 accounts:');
    // The account it is already out on is not named: it does not go there again.
    expect(within(dialog).getByRole('list', { name: 'Accounts it goes to' }).textContent).toBe('Mastodon @bakery@example.socialTelegram @bakery');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(api.calls.filter((c) => c.name === 'publishing.publishNow')).toEqual([]);

    fireEvent.click(screen.getByRole('button', { name: 'Publish now' }));
    dialog = screen.getByRole('dialog', { name: 'Publish now?' });
    await act(async () => {
      fireEvent.click(within(dialog).getByRole('button', { name: 'Publish now' }));
    });
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(api.calls.filter((c) => c.name === 'publishing.publishNow').map((c) => c.args)).toEqual([{ id: 'post-1' }]);
  });

  it('shows a published target with a link to the post, and the link in its history', async () => {
    const url = 'https://example.social/@bakery/1';
    api.answer('publishing.history', () => ({ ok: true, value: [line(1, 'attempt'), line(2, 'published', { url })] }));
    useAttention.setState({ items: [] });
    await renderPanel(post({ status: 'published', targets: [target({ state: 'published', remoteUrl: url, lastError: null })] }));

    const region = screen.getByRole('region', { name: 'Publishing' });
    expect(within(region).getByRole('link', { name: 'View the post on Mastodon' }).getAttribute('href')).toBe(url);
    expect(within(region).getByRole('link', { name: 'Open the post' }).getAttribute('href')).toBe(url);
    expect(within(region).queryByRole('button', { name: 'Publish now' })).toBeNull();
  });
});
