import { act, fireEvent, render, screen } from '@testing-library/react';
import type { i18n } from 'i18next';
import { I18nextProvider } from 'react-i18next';
import type { Account, Post } from '../../main/core/contract';
import type { NetworkId } from '../../main/core/networks/ids';
import { ComposePage } from '../../renderer/src/features/compose/ComposePage';
import { useProjects } from '../../renderer/src/features/projects/projects-store';
import { setApiForTests } from '../../renderer/src/platform/api';
import { createFakeApi, project, type FakeApi } from './fake-api';

/**
 * The whole composer on a fake main: one draft ("Crisp summer salad") posted to one account per
 * network given, opened from the post list; `posts.update` answers with the change applied.
 * `planned` networks are planned, not connected (no account yet); `others` are more accounts of the project, not ticked.
 */
export async function openComposer(
  i18n: i18n,
  projectId: string,
  networks: NetworkId[],
  changes: Partial<Post> = {},
  { planned = [], others = [] }: { planned?: NetworkId[]; others?: Account[] } = {},
): Promise<FakeApi> {
  const status = (network: NetworkId) => (planned.includes(network) ? ('planned' as const) : ('connected' as const));
  const handle = (network: NetworkId) => (planned.includes(network) ? '' : `bakery › ${network}`);
  const api = createFakeApi();
  const target = (network: NetworkId) => ({
    id: `t-${network}`, accountId: `a-${network}`, network, handle: handle(network), displayName: planned.includes(network) ? '' : 'Summer recipes', accountStatus: status(network),
    ruleOptions: {}, bodyOverride: null, mediaOverride: null, state: 'pending' as const, remoteUrl: null, lastError: null, networkSaid: null,
  });
  const post: Post = {
    id: `${projectId}-post`, projectId, body: 'Crisp summer salad', firstComment: '', notes: '', labels: [], status: 'draft',
    scheduledAt: null, timezone: 'UTC', local: '2030-01-07T09:00', autoDeleteAfterMs: null, networkOptions: {}, media: [],
    targets: networks.map(target), revision: 1, createdAt: 1, updatedAt: 1, ...changes,
  };
  api.answer('posts.list', () => ({ ok: true, value: [{ id: post.id, projectId, excerpt: post.body, status: 'draft', scheduledAt: null, timezone: 'UTC', networks, mediaCount: 0, labels: [], revision: 1, updatedAt: 1 }] }));
  api.answer('posts.get', () => ({ ok: true, value: post }));
  api.answer('posts.update', (args) => {
    // Targets come back as main stores them (with the account's fields), not as the draft sent them.
    const { targets, ...rest } = args as Partial<Post> & { targets?: { accountId: string; bodyOverride?: string | null }[] };
    const stored = targets?.map((t) => ({ ...(post.targets.find((x) => x.accountId === t.accountId) ?? { ...target('x'), id: `t-${t.accountId}`, accountId: t.accountId }), bodyOverride: t.bodyOverride ?? null }));
    return { ok: true, value: { ...post, ...rest, ...(stored ? { targets: stored } : {}), revision: 2 } };
  });
  api.answer('accounts.list', () => ({
    ok: true,
    value: [
      ...networks.map((network) => ({
        id: `a-${network}`, projectId, network, handle: handle(network), displayName: planned.includes(network) ? '' : 'Summer recipes', url: null, status: status(network),
        statusReason: null, server: null, nativeScheduler: null, deleteWindowHours: null, defaults: {}, createdAt: 1, updatedAt: 1,
      })),
      ...others,
    ],
  }));
  api.answer('accounts.quota', () => ({ ok: true, value: null }));
  api.answer('hashtags.list', () => ({ ok: true, value: [] }));
  api.answer('snippets.list', () => ({ ok: true, value: [] }));
  setApiForTests(api);
  useProjects.setState({ projects: [project({ id: projectId, timezone: 'UTC' })], activeId: projectId, loaded: true, loadError: null, showArchived: false });
  await act(async () => {
    render(<I18nextProvider i18n={i18n}><ComposePage /></I18nextProvider>);
  });
  await act(async () => {
    fireEvent.click(await screen.findByRole('button', { name: /Crisp summer salad/ }));
  });
  await screen.findByRole('textbox', { name: 'Post text' });
  return api;
}


/** What the composer sent with each posts.update, in order. */
export const updates = (api: FakeApi) => api.calls.filter((c) => c.name === 'posts.update').map((c) => c.args);
