import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import type { i18n } from 'i18next';
import { I18nextProvider } from 'react-i18next';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Post, PostMediaItem, RelayKind } from '../../main/core/contract';
import type { NetworkId } from '../../main/core/networks/ids';
import { ComposePage } from '../../renderer/src/features/compose/ComposePage';
import { useNavigation } from '../../renderer/src/features/navigation/navigation-store';
import { useProjects } from '../../renderer/src/features/projects/projects-store';
import { useRelays } from '../../renderer/src/features/settings/relay-store';
import { initI18n } from '../../renderer/src/i18n/i18n';
import en from '../../renderer/src/i18n/locales/en.json';
import { setApiForTests } from '../../renderer/src/platform/api';
import { createFakeApi, project, type FakeApi } from './fake-api';

/** A post with images for Threads in a project without a media relay is blocked in the composer, with a way to the setting. */

let i18n: i18n;

beforeAll(async () => {
  i18n = await initI18n('en');
});

afterEach(() => {
  cleanup();
  useRelays.setState({ relays: {}, focusRequested: false });
  window.location.hash = '';
});

const photo: PostMediaItem = { mediaId: 'm1', mime: 'image/jpeg', bytes: 1000, width: 1080, height: 1080, durationMs: null, fileName: 'rye.jpg', altText: 'Rye loaf' };

async function openComposer(projectId: string, network: NetworkId, relay: { kind: RelayKind }): Promise<FakeApi> {
  const api = createFakeApi();
  const post: Post = {
    id: `${projectId}-post`, projectId, body: 'Rye on Friday', firstComment: '', notes: '', labels: [], status: 'draft',
    scheduledAt: null, timezone: 'UTC', local: '2030-01-07T09:00', autoDeleteAfterMs: null, networkOptions: {}, media: [photo],
    targets: [{
      id: 't1', accountId: 'a1', network, handle: '@acme', displayName: 'Acme', accountStatus: 'connected', ruleOptions: {},
      bodyOverride: null, mediaOverride: null, state: 'pending', remoteUrl: null, lastError: null, networkSaid: null,
    }],
    revision: 1, createdAt: 1, updatedAt: 1,
  } as Post;
  api.answer('posts.list', () => ({ ok: true, value: [{ id: post.id, projectId, excerpt: post.body, status: 'draft', scheduledAt: null, timezone: 'UTC', networks: [network], mediaCount: 1, labels: [], revision: 1, updatedAt: 1 }] }));
  api.answer('posts.get', () => ({ ok: true, value: post }));
  api.answer('accounts.list', () => ({
    ok: true,
    value: [{ id: 'a1', projectId, network, handle: '@acme', displayName: 'Acme', url: null, status: 'connected', statusReason: null, server: null, nativeScheduler: null, deleteWindowHours: null, defaults: {}, createdAt: 1, updatedAt: 1 }],
  }));
  api.answer('accounts.quota', () => ({ ok: true, value: null }));
  api.answer('hashtags.list', () => ({ ok: true, value: [] }));
  api.answer('snippets.list', () => ({ ok: true, value: [] }));
  api.answer('relay.get', () => ({ ok: true, value: { projectId, kind: relay.kind, s3: null, blockedScheduled: 0 } }));
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

const missing = 'Threads fetches images and videos from a web address, and this project has no media relay to put them there. Choose one in Settings.';

describe('a post that needs a media relay, in the composer', { timeout: 20_000 }, () => {
  it('cannot be scheduled without one, says why, and links to the setting', async () => {
    await openComposer('p-none', 'threads', { kind: 'none' });
    const blocked = await screen.findByRole('list', { name: en.compose.schedule.blocked });
    expect(blocked.textContent).toContain(missing);
    expect((screen.getByRole('button', { name: en.compose.schedule.schedule }) as HTMLButtonElement).disabled).toBe(true);

    await act(async () => {
      fireEvent.click(screen.getByRole('link', { name: en.compose.schedule.relaySettings }));
    });
    expect(useNavigation.getState().page).toBe('settings');
    expect(window.location.hash).toBe('#/settings');
    expect(useRelays.getState().focusRequested).toBe(true);
  });

  it('is unblocked as soon as a relay is chosen in Settings', async () => {
    const api = await openComposer('p-later', 'threads', { kind: 'none' });
    expect((await screen.findByRole('list', { name: en.compose.schedule.blocked })).textContent).toContain(missing);
    api.answer('relay.get', () => ({ ok: true, value: { projectId: 'p-later', kind: 's3', s3: null, blockedScheduled: 0 } }));
    await act(async () => {
      api.emit('relay.changed', { projectId: 'p-later', kind: 's3' });
    });
    expect(screen.queryByText(missing, { exact: false })).toBeNull();
  });

  it('tells Threads it cannot use the Facebook Page relay', async () => {
    await openComposer('p-page', 'threads', { kind: 'page' });
    const blocked = await screen.findByRole('list', { name: en.compose.schedule.blocked });
    expect(blocked.textContent).toContain('Threads cannot use the Facebook Page relay, which serves Instagram only.');
  });

  it('lets Instagram images go through the Page relay', async () => {
    await openComposer('p-ig', 'instagram', { kind: 'page' });
    await act(async () => {});
    expect(screen.queryByRole('link', { name: en.compose.schedule.relaySettings })).toBeNull();
  });
});
