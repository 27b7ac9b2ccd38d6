import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import type { i18n } from 'i18next';
import { I18nextProvider } from 'react-i18next';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { NetworkId } from '../../main/core/networks/ids';
import type { Post, PostMediaItem } from '../../main/core/contract';
import { OkPreview, VkPreview } from '../../renderer/src/features/compose/FeedPreview';
import { initI18n } from '../../renderer/src/i18n/i18n';

let i18n: i18n;

beforeAll(async () => {
  i18n = await initI18n('en');
});

afterEach(cleanup);

const photo = (n: number, width = 1200, height = 800): PostMediaItem => ({
  mediaId: `m${n}`, mime: 'image/jpeg', bytes: 1000, width, height, durationMs: null, fileName: `photo-${n}.jpg`, altText: '',
});
const photos = (count: number) => Array.from({ length: count }, (_, i) => photo(i));
const renderEn = (node: React.ReactNode) => render(<I18nextProvider i18n={i18n}>{node}</I18nextProvider>);

describe('VK wall post preview', () => {
  it('shows the ad mark, the album of ten, the signature and the source; closed comments drop the comment count', () => {
    renderEn(
      <VkPreview
        displayName="Bakery on Lenina" handle="vk.com/bakery_lenina" text="Sponsored: our new rye" media={photos(10)} when="Mon 5 Jan, 09:00"
        options={{ markAsAds: true, signed: true, copyright: 'https://source.example/rye', closeComments: true }}
      />,
    );
    const post = screen.getByRole('article', { name: 'Preview on VK vk.com/bakery_lenina' });
    expect(post.textContent).toContain('Mon 5 Jan, 09:00 · Ad');
    const album = within(post).getByRole('group', { name: '10 photos' });
    expect([...album.querySelectorAll('.album-row')].map((row) => row.children.length)).toEqual([3, 3, 4]);
    expect(post.textContent).toContain('Signed by the post\'s author');
    expect(post.textContent).toContain('Source: source.example');
    expect(post.querySelectorAll('.feed-action')).toHaveLength(3);
    expect(within(post).getByText('Sponsored: our new rye').getAttribute('dir')).toBe('auto');
  });

  it('without options: no ad mark, no signature, no source, comments open; a link is a card when there are no photos', () => {
    renderEn(<VkPreview displayName="Bakery" handle="vk.com/bakery" text="Menu https://bakery.example/menu" media={[]} when={null} options={{}} />);
    const post = screen.getByRole('article');
    expect(post.textContent).not.toContain('Ad');
    expect(post.textContent).not.toContain('Signed');
    expect(post.textContent).not.toContain('Source');
    expect(post.querySelectorAll('.feed-action')).toHaveLength(4);
    expect(post.querySelector('.link-card')?.textContent).toContain('bakery.example');
  });

  it('a source in words is shown as written, and the link under photos is one line', () => {
    renderEn(<VkPreview displayName="Bakery" handle="vk.com/bakery" text="See https://bakery.example/menu" media={photos(3)} when={null} options={{ copyright: 'Photo: Anna' }} />);
    const post = screen.getByRole('article');
    expect(post.textContent).toContain('Source: Photo: Anna');
    expect(post.querySelector('.link-card')).toBeNull();
    expect(post.querySelector('.feed-link')?.textContent).toBe('bakery.example');
    expect([...post.querySelectorAll('.album-row')].map((row) => row.children.length)).toEqual([1, 2]);
  });
});

describe('VK counter', () => {
  it('counts the attachments with the link, and marks the eleventh', async () => {
    const { Counter } = await import('../../renderer/src/features/compose/Counter');
    const { checkPost } = await import('../../main/core/networks/check');
    const media = Array.from({ length: 10 }, () => ({ mime: 'image/jpeg', bytes: 1000, width: 1200, height: 800 }));
    renderEn(<Counter network="vk" handle="vk.com/bakery" check={checkPost('vk', { text: 'Menu https://bakery.example', media })} />);
    const line = screen.getByText('11 / 10 attachments, the link included');
    expect(line.className).toContain('over');
    cleanup();
    renderEn(<Counter network="vk" handle="vk.com/bakery" check={checkPost('vk', { text: 'Menu', media: media.slice(0, 2) })} />);
    expect(screen.getByText('2 / 10 attachments').className).not.toContain('over');
  });
});

describe('OK group topic preview', () => {
  it('shows the group, the text and the collage; the link block only without photos, as the connector sends it', () => {
    renderEn(<OkPreview displayName="Bakery group" handle="ok.ru/group/1" text="Menu https://bakery.example/menu" media={photos(4)} when={null} />);
    const post = screen.getByRole('article', { name: 'Preview on OK ok.ru/group/1' });
    expect(within(post).getByRole('group', { name: '4 photos' })).toBeTruthy();
    expect(post.querySelector('.link-card')).toBeNull();
    cleanup();
    renderEn(<OkPreview displayName="Bakery group" handle="ok.ru/group/1" text="Menu https://bakery.example/menu" media={[]} when={null} />);
    expect(screen.getByRole('article').querySelector('.link-card')?.textContent).toContain('bakery.example');
  });
});

async function openComposer(projectId: string, networks: NetworkId[]) {
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
    scheduledAt: null, timezone: 'Europe/Moscow', local: null, autoDeleteAfterMs: null, networkOptions: {}, media: [],
    targets: networks.map(target), revision: 1, createdAt: 1, updatedAt: 1,
  };
  api.answer('posts.list', () => ({ ok: true, value: [{ id: post.id, projectId, excerpt: post.body, status: 'draft', scheduledAt: null, timezone: 'Europe/Moscow', networks, mediaCount: 0, labels: [], revision: 1, updatedAt: 1 }] }));
  api.answer('posts.get', () => ({ ok: true, value: post }));
  api.answer('posts.update', (args) => ({ ok: true, value: { ...post, ...(args as Partial<Post>), revision: 2 } }));
  api.answer('accounts.list', () => ({
    ok: true,
    value: (['vk', 'telegram'] as const).map((network) => ({
      id: `a-${network}`, projectId, network, handle: `@acme_${network}`, displayName: 'Acme', url: null, status: 'connected' as const,
      statusReason: null, server: null, nativeScheduler: null, deleteWindowHours: null, defaults: {}, createdAt: 1, updatedAt: 1,
    })),
  }));
  api.answer('hashtags.list', () => ({ ok: true, value: [] }));
  api.answer('snippets.list', () => ({ ok: true, value: [] }));
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
    fireEvent.click(await screen.findByRole('button', { name: /Rye on Friday/ }));
  });
  await screen.findByRole('textbox', { name: 'Post text' });
  return api;
}

// The whole composer page renders: slower than the previews alone on a busy machine.
describe('the composer’s VK options', { timeout: 20_000 }, () => {
  it('are hidden while the post has no VK target', async () => {
    await openComposer('p-telegram', ['telegram']);
    expect(screen.queryByRole('group', { name: 'VK options' })).toBeNull();
  });

  it('show with a VK target, save with the post and mark the preview', async () => {
    const api = await openComposer('p-vk', ['telegram', 'vk']);
    const options = screen.getByRole('group', { name: 'VK options' });
    await act(async () => {
      fireEvent.click(within(options).getByRole('checkbox', { name: 'Paid post: show VK\'s ad mark' }));
    });
    expect(api.calls.filter((c) => c.name === 'posts.update').map((c) => c.args)).toEqual([{ id: 'p-vk-post', revision: 1, networkOptions: { vk: { markAsAds: true } } }]);
    expect(screen.getByRole('article', { name: 'Preview on VK @acme_vk' }).textContent).toContain('· Ad');
    // A source main would refuse stays in the field with a note, and is not sent.
    const source = within(options).getByRole('textbox', { name: 'Source (copyright)' });
    await act(async () => {
      fireEvent.change(source, { target: { value: 'x'.repeat(201) } });
    });
    expect(source.getAttribute('aria-invalid')).toBe('true');
    expect(options.textContent).toContain('Give a link, or at most 200 characters on one line.');
    await act(async () => {
      fireEvent.change(source, { target: { value: 'https://source.example/rye' } });
      fireEvent.blur(source);
    });
    expect(screen.getByRole('article', { name: 'Preview on VK @acme_vk' }).textContent).toContain('Source: source.example');
    // Without the VK target the group goes.
    await act(async () => {
      fireEvent.click(screen.getByRole('checkbox', { name: /VK @acme_vk/ }));
    });
    expect(screen.queryByRole('group', { name: 'VK options' })).toBeNull();
  });
});
