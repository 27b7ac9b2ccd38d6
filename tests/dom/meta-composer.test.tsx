import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import type { i18n } from 'i18next';
import { I18nextProvider } from 'react-i18next';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AccountQuota, Post } from '../../main/core/contract';
import type { NetworkId } from '../../main/core/networks/ids';
import { initI18n } from '../../renderer/src/i18n/i18n';
import type { FakeApi } from './fake-api';

/**
 * The composer with Meta's networks ticked: Threads' own options (saved with the post, shown only
 * with a Threads target), no auto-delete offered for Instagram and why, and each network's
 * publishing cap read before scheduling.
 */

let i18n: i18n;

beforeAll(async () => {
  i18n = await initI18n('en');
});

afterEach(cleanup);

interface Setup {
  networks: NetworkId[];
  post?: Partial<Post>;
  quotas?: Partial<Record<NetworkId, AccountQuota>>;
}

async function openComposer(projectId: string, { networks, post: fields = {}, quotas = {} }: Setup): Promise<FakeApi> {
  const { createFakeApi, project } = await import('./fake-api');
  const { setApiForTests } = await import('../../renderer/src/platform/api');
  const { useProjects } = await import('../../renderer/src/features/projects/projects-store');
  const { ComposePage } = await import('../../renderer/src/features/compose/ComposePage');
  const api = createFakeApi();
  const target = (network: NetworkId) => ({
    id: `t-${network}`, accountId: `a-${network}`, network, handle: `@acme_${network}`, displayName: 'Acme', accountStatus: 'connected' as const,
    ruleOptions: {}, bodyOverride: null, mediaOverride: null, state: 'pending' as const, remoteUrl: null, lastError: null, networkSaid: null,
  });
  const post: Post = {
    id: `${projectId}-post`, projectId, body: 'Rye on Friday', firstComment: '', notes: '', labels: [], status: 'draft',
    scheduledAt: null, timezone: 'UTC', local: '2030-01-07T09:00', autoDeleteAfterMs: null, networkOptions: {}, media: [],
    targets: networks.map(target), revision: 1, createdAt: 1, updatedAt: 1, ...fields,
  };
  api.answer('posts.list', () => ({ ok: true, value: [{ id: post.id, projectId, excerpt: post.body, status: 'draft', scheduledAt: null, timezone: 'UTC', networks, mediaCount: 0, labels: [], revision: 1, updatedAt: 1 }] }));
  api.answer('posts.get', () => ({ ok: true, value: post }));
  api.answer('posts.update', (args) => ({ ok: true, value: { ...post, ...(args as Partial<Post>), revision: 2 } }));
  api.answer('accounts.list', () => ({
    ok: true,
    value: networks.map((network) => ({
      id: `a-${network}`, projectId, network, handle: `@acme_${network}`, displayName: 'Acme', url: null, status: 'connected' as const,
      statusReason: null, server: null, nativeScheduler: null, deleteWindowHours: null, defaults: {}, createdAt: 1, updatedAt: 1,
    })),
  }));
  api.answer('accounts.quota', (args) => ({ ok: true, value: quotas[args.id.replace(/^a-/, '') as NetworkId] ?? null }));
  api.answer('hashtags.list', () => ({ ok: true, value: [] }));
  api.answer('snippets.list', () => ({ ok: true, value: [] }));
  setApiForTests(api);
  useProjects.setState({ projects: [project({ id: projectId, timezone: 'UTC' })], activeId: projectId, loaded: true, loadError: null, showArchived: false });
  await act(async () => {
    render(
      <I18nextProvider i18n={i18n}>
        <ComposePage />
      </I18nextProvider>,
    );
  });
  await act(async () => {
    fireEvent.click(await screen.findByRole('button', { name: /Rye on Friday/ }));
  });
  await screen.findByRole('textbox', { name: 'Post text' });
  return api;
}

const updates = (api: FakeApi) => api.calls.filter((c) => c.name === 'posts.update').map((c) => c.args);

// The whole composer page renders: slower than a component alone on a busy machine.
describe('the composer’s Threads options', { timeout: 20_000 }, () => {
  it('are hidden without a Threads target', async () => {
    await openComposer('p-fb', { networks: ['facebook'] });
    expect(screen.queryByRole('group', { name: 'Threads options' })).toBeNull();
  });

  it('save who may reply, the topic and the link card with the post, and show the topic in the preview', async () => {
    const api = await openComposer('p-threads', { networks: ['threads', 'facebook'] });
    const options = screen.getByRole('group', { name: 'Threads options' });
    await act(async () => {
      fireEvent.change(within(options).getByRole('combobox', { name: 'Who can reply' }), { target: { value: 'accounts_you_follow' } });
    });
    expect(updates(api)).toEqual([{ id: 'p-threads-post', revision: 1, networkOptions: { threads: { replyControl: 'accounts_you_follow' } } }]);

    const topic = within(options).getByRole('textbox', { name: 'Topic' });
    await act(async () => {
      fireEvent.change(topic, { target: { value: 'Bread & Butter' } });
    });
    // Kept as typed, marked, and named in what blocks scheduling.
    expect(topic.getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByRole('list', { name: 'Before this can be scheduled:' }).textContent).toContain('Threads: a topic holds 1 to 50 characters, without “.” or “&”.');
    await act(async () => {
      fireEvent.change(topic, { target: { value: 'Bread' } });
    });
    expect(screen.getByRole('article', { name: 'Preview on Threads @acme_threads' }).querySelector('.threads-topic')?.textContent).toContain('Bread');

    const link = within(options).getByRole('textbox', { name: 'Link card' });
    await act(async () => {
      fireEvent.change(link, { target: { value: 'bakery.example' } });
    });
    expect(link.getAttribute('aria-invalid')).toBe('true');
    expect(options.textContent).toContain('Give a web address starting with https://.');
    await act(async () => {
      fireEvent.change(link, { target: { value: 'https://bakery.example/menu' } });
      fireEvent.blur(link);
    });
    expect(updates(api).at(-1)).toMatchObject({ networkOptions: { threads: { replyControl: 'accounts_you_follow', topicTag: 'Bread', linkAttachment: 'https://bakery.example/menu' } } });
    expect(screen.getByRole('article', { name: 'Preview on Threads @acme_threads' }).querySelector('.link-card-url')?.textContent).toBe('https://bakery.example/menu');
  });
});

describe('auto-delete with an Instagram target', { timeout: 20_000 }, () => {
  it('is not offered, and the composer says why', async () => {
    await openComposer('p-ig', { networks: ['instagram', 'facebook'] });
    const select = screen.getByRole('combobox', { name: 'Auto-delete' });
    const offered = [...select.querySelectorAll('option')].filter((o) => !o.disabled).map((o) => o.textContent);
    expect(offered).toEqual(['Off']);
    expect(screen.getByText('Instagram does not let apps delete posts; remove it in the Instagram app.')).toBeTruthy();
  });

  it('a delay already set blocks scheduling with the reason, and can be turned off', async () => {
    const api = await openComposer('p-ig-set', { networks: ['instagram'], post: { autoDeleteAfterMs: 24 * 3_600_000 } });
    expect(screen.getByRole('list', { name: 'Before this can be scheduled:' }).textContent).toContain('Instagram does not let apps delete posts; remove it in the Instagram app.');
    await act(async () => {
      fireEvent.change(screen.getByRole('combobox', { name: 'Auto-delete' }), { target: { value: '' } });
    });
    expect(updates(api).at(-1)).toMatchObject({ autoDeleteAfterMs: null });
    expect(screen.getByRole('list', { name: 'Before this can be scheduled:' }).textContent).not.toContain('does not let apps delete');
  });

  it('stays offered without Instagram', async () => {
    await openComposer('p-fb-delete', { networks: ['facebook'] });
    const select = screen.getByRole('combobox', { name: 'Auto-delete' });
    expect([...select.querySelectorAll('option')].every((o) => !o.disabled)).toBe(true);
  });
});

describe('publishing limits before scheduling', { timeout: 20_000 }, () => {
  const day = 24 * 3_600_000;
  it('shows each target’s cap the network reports, warns where the scheduled posts would pass it, and nothing for the rest', async () => {
    const api = await openComposer('p-quota', {
      networks: ['instagram', 'threads', 'facebook'],
      quotas: {
        instagram: { quota: { posts: { used: 37, total: 100 }, replies: null, windowMs: day }, scheduled: 2, wouldPass: false },
        threads: { quota: { posts: { used: 240, total: 250 }, replies: { used: 0, total: 1000 }, windowMs: day }, scheduled: 12, wouldPass: true },
      },
    });
    const list = await screen.findByRole('list', { name: 'Publishing limits' });
    const lines = within(list).getAllByRole('listitem');
    expect(lines.map((li) => li.textContent)).toEqual([
      'Instagram @acme_instagram: 37 of 100 posts in the last 24 h.',
      'Threads @acme_threads: 240 of 250 posts in the last 24 h. With 12 more posts already scheduled in that window, this one would pass the limit: Threads would refuse it. Choose a later time.',
    ]);
    expect(lines.map((li) => li.className)).toEqual(['', 'warn']);
    // Asked with the post's time, so the window is the one before it.
    expect(api.calls.filter((c) => c.name === 'accounts.quota').map((c) => c.args)).toContainEqual({ id: 'a-instagram', at: Date.UTC(2030, 0, 7, 9), postId: 'p-quota-post' });
  });
});
