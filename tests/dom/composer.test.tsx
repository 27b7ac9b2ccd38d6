import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import type { i18n } from 'i18next';
import { createRef, useState } from 'react';
import { I18nextProvider } from 'react-i18next';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { checkPost } from '../../main/core/networks/check';
import { Autosaver, type SaveOutcome } from '../../renderer/src/features/post/autosave';
import { Counter } from '../../renderer/src/features/compose/Counter';
import { TextEditor, type TextEditorHandle } from '../../renderer/src/features/compose/TextEditor';
import { TextHistory } from '../../renderer/src/features/compose/text-history';
import { readUtm, withUtm } from '../../renderer/src/features/compose/utm';
import { initI18n } from '../../renderer/src/i18n/i18n';

let i18n: i18n;

beforeAll(async () => {
  i18n = await initI18n('en');
});

afterEach(cleanup);

function renderCounter(network: Parameters<typeof checkPost>[0], text: string) {
  const check = checkPost(network, { text, media: [] });
  return render(
    <I18nextProvider i18n={i18n}>
      <Counter network={network} handle="@acme" check={check} />
    </I18nextProvider>,
  );
}

describe('Counter', () => {
  it('shows X’s weighted count: a link is 23 and an emoji 2', () => {
    renderCounter('x', `Hi 🥐 https://example.com/${'a'.repeat(80)}`);
    const counter = screen.getByRole('group', { name: 'Length on X @acme' });
    expect(counter.textContent).toContain('29 / 280');
    expect(counter.className).not.toContain('over');
  });

  it('turns red past the limit and names the rule', () => {
    renderCounter('x', 'a'.repeat(285));
    const counter = screen.getByRole('group', { name: 'Length on X @acme' });
    expect(counter.className).toContain('over');
    expect(counter.textContent).toContain('285 / 280');
    expect(counter.textContent).toContain(
      '5 over: X allows 280; every link counts as 23, and emoji and Chinese, Japanese or Korean characters as 2.',
    );
  });

  it('shows Bluesky’s byte limit when it is the tighter one', () => {
    // 290 Hebrew letters: 290 graphemes (under 300) but 580 bytes (under 3,000): graphemes are tighter.
    renderCounter('bluesky', 'ש'.repeat(290));
    expect(screen.getByRole('group').textContent).toContain('290 / 300');
    cleanup();
    // 250 family emoji: 250 graphemes, but 18 bytes each (three 4-byte people, two 3-byte joiners): 4,500 bytes.
    renderCounter('bluesky', '👩‍👩‍👧'.repeat(250));
    const counter = screen.getByRole('group');
    expect(counter.textContent).toContain('4,500 / 3,000');
    expect(counter.textContent).toContain('Bluesky also allows at most 3,000 bytes');
  });

  it('counts Instagram’s hashtags against its cap of 30', () => {
    renderCounter('instagram', Array.from({ length: 31 }, (_, i) => `#tag${i}a`).join(' '));
    const counter = screen.getByRole('group');
    expect(counter.textContent).toContain('31 / 30 hashtags');
    expect(counter.textContent).toContain('1 over: at most 30 hashtags.');
  });
});

function Harness({ initial, handle }: { initial: string; handle?: React.Ref<TextEditorHandle> }) {
  const [value, setValue] = useState(initial);
  return <TextEditor label="Post text" value={value} onChange={setValue} historyKey={`k-${initial}`} ref={handle} />;
}

const box = () => screen.getByRole('textbox', { name: 'Post text' }) as HTMLTextAreaElement;
const type = (value: string) => fireEvent.change(box(), { target: { value } });
const undo = () => fireEvent.keyDown(box(), { key: 'z', ctrlKey: true });
const redo = () => fireEvent.keyDown(box(), { key: 'z', ctrlKey: true, shiftKey: true });

describe('TextEditor undo and redo', () => {
  it('undoes a word at a time and redoes it, with Ctrl+Z, Shift+Ctrl+Z, Ctrl+Y and Cmd+Z', () => {
    render(<Harness initial="" />);
    for (const value of ['H', 'He', 'Hel', 'Hell', 'Hello', 'Hello ', 'Hello w', 'Hello wo', 'Hello wor', 'Hello worl', 'Hello world']) type(value);
    undo();
    expect(box().value).toBe('Hello');
    undo();
    expect(box().value).toBe('');
    redo();
    expect(box().value).toBe('Hello');
    fireEvent.keyDown(box(), { key: 'y', ctrlKey: true });
    expect(box().value).toBe('Hello world');
    fireEvent.keyDown(box(), { key: 'z', metaKey: true });
    expect(box().value).toBe('Hello');
  });

  it('drops the redo branch once something new is typed', () => {
    render(<Harness initial="abc" />);
    type('abcd');
    undo();
    expect(box().value).toBe('abc');
    type('abcX');
    redo();
    expect(box().value).toBe('abcX');
    undo();
    expect(box().value).toBe('abc');
  });

  it('keeps an insertion from the toolbar (emoji, snippet) as its own step, at the caret', () => {
    const handle = createRef<TextEditorHandle>();
    render(<Harness initial="Hello world" handle={handle} />);
    box().setSelectionRange(5, 5);
    act(() => handle.current?.insert(' 🥐'));
    expect(box().value).toBe('Hello 🥐 world');
    expect(box().selectionStart).toBe(8);
    undo();
    expect(box().value).toBe('Hello world');
    act(() => handle.current?.replace(6, 11, 'there'));
    expect(box().value).toBe('Hello there');
  });

  it('lets right-to-left text run right to left', () => {
    render(<Harness initial="שלום" />);
    expect(box().getAttribute('dir')).toBe('auto');
  });
});

describe('TextHistory', () => {
  it('starts a new step after a pause in typing, and forgets the oldest past its limit', () => {
    const history = new TextHistory({ text: '', selectionStart: 0, selectionEnd: 0 }, { limit: 3, coalesceMs: 1000 });
    const at = (text: string, now: number) => history.record({ text, selectionStart: text.length, selectionEnd: text.length }, 'type', now);
    at('a', 0);
    at('ab', 500);
    at('abc', 3000);
    at('abcd', 6000);
    expect(history.undo()?.text).toBe('abc');
    expect(history.undo()?.text).toBe('ab');
    // The limit of 3 dropped the empty start.
    expect(history.undo()).toBeNull();
  });
});

describe('Autosaver', () => {
  function setup(outcomes: SaveOutcome[]) {
    vi.useFakeTimers();
    const saves: number[] = [];
    const saver = new Autosaver({
      delayMs: 500,
      retryDelaysMs: [1000],
      save: async () => {
        saves.push(Date.now());
        return outcomes.shift() ?? 'saved';
      },
    });
    return { saver, saves };
  }

  afterEach(() => vi.useRealTimers());

  it('saves once, half a second after the last of many edits', async () => {
    const { saver, saves } = setup([]);
    for (let i = 0; i < 10; i++) {
      saver.touch();
      await vi.advanceTimersByTimeAsync(100);
    }
    expect(saves).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(400);
    expect(saves).toHaveLength(1);
    expect(saver.pending).toBe(false);
  });

  it('retries while the host is unreachable and stops on a conflict until resumed', async () => {
    const { saver, saves } = setup(['retry', 'retry', 'stop']);
    saver.touch();
    await vi.advanceTimersByTimeAsync(500);
    expect(saves).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1000);
    expect(saves).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1000);
    expect(saves).toHaveLength(3);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(saves).toHaveLength(3);
    expect(saver.pending).toBe(true);
    saver.resume();
    await vi.advanceTimersByTimeAsync(0);
    expect(saves).toHaveLength(4);
    expect(saver.pending).toBe(false);
  });

  it('flushes at once on blur, and saves again for edits made during a save', async () => {
    vi.useFakeTimers();
    let release: (() => void) | undefined;
    let count = 0;
    const saver = new Autosaver({
      delayMs: 500,
      save: () => {
        count++;
        return new Promise<SaveOutcome>((resolve) => {
          release = () => resolve('saved');
        });
      },
    });
    saver.touch();
    const flushed = saver.flush();
    expect(count).toBe(1);
    saver.touch();
    await vi.advanceTimersByTimeAsync(600);
    expect(count).toBe(1);
    release?.();
    await vi.advanceTimersByTimeAsync(0);
    expect(count).toBe(2);
    release?.();
    await flushed;
  });
});

describe('UTM builder', () => {
  it('sets the tags, keeps the rest of the query and the fragment, and keeps a link without scheme as written', () => {
    expect(withUtm('https://acme.example/shop?id=7#top', { source: 'instagram', medium: 'social', campaign: 'spring sale' })).toBe(
      'https://acme.example/shop?id=7&utm_source=instagram&utm_medium=social&utm_campaign=spring+sale#top',
    );
    expect(withUtm('acme.example/shop', { source: 'x', medium: 'social', campaign: '' })).toBe(
      'acme.example/shop?utm_source=x&utm_medium=social',
    );
    expect(readUtm('acme.example/?utm_source=x&utm_campaign=c')).toMatchObject({ source: 'x', medium: '', campaign: 'c' });
  });
});

describe('the composer page', () => {
  const controlRoles = ['button', 'link', 'textbox', 'combobox', 'checkbox', 'radio', 'tab', 'searchbox'] as const;

  function expectEveryControlNamed(where: string) {
    const controls = document.querySelectorAll('a[href], button, input, select, textarea, [tabindex]:not([tabindex="-1"])');
    let named = 0;
    const unnamed: string[] = [];
    for (const role of controlRoles) {
      const all = screen.queryAllByRole(role);
      const withName = screen.queryAllByRole(role, { name: /\S/ });
      named += withName.length;
      for (const element of all) if (!withName.includes(element)) unnamed.push(`${role}: ${element.outerHTML.slice(0, 120)}`);
    }
    expect(unnamed, where).toEqual([]);
    // A date-time field has no ARIA role; it must still have a label.
    const dateTimes = [...controls].filter((c) => c.matches('input[type="datetime-local"]'));
    for (const field of dateTimes) expect((field as HTMLInputElement).labels?.[0]?.textContent, where).toMatch(/\S/);
    expect(named + dateTimes.length, where).toBe(controls.length);
  }

  it('names every control: targets, tabs, tools, media, details, schedule, emoji picker', async () => {
    const { createFakeApi, project } = await import('./fake-api');
    const { setApiForTests } = await import('../../renderer/src/platform/api');
    const { useProjects } = await import('../../renderer/src/features/projects/projects-store');
    const { ComposePage } = await import('../../renderer/src/features/compose/ComposePage');
    const api = createFakeApi();
    const media = { mediaId: 'm1', mime: 'image/jpeg' as const, bytes: 1000, width: 1000, height: 500, durationMs: null, fileName: 'wide.jpg', altText: '' };
    const target = (network: 'x' | 'instagram') => ({
      id: `t-${network}`,
      accountId: `a-${network}`,
      network,
      handle: `@acme_${network}`,
      displayName: 'Acme',
      accountStatus: 'connected' as const,
      ruleOptions: {},
      bodyOverride: null,
      mediaOverride: null,
      state: 'pending' as const,
      remoteUrl: null,
      lastError: null,
      networkSaid: null,
    });
    const post = {
      id: 'p1', projectId: 'p1', body: 'Hello https://acme.example #bread', firstComment: '', notes: '', labels: [], status: 'draft' as const,
      scheduledAt: null, timezone: 'Europe/Lisbon', local: null, autoDeleteAfterMs: null, networkOptions: {}, media: [media], targets: [target('x'), target('instagram')],
      revision: 1, createdAt: 1, updatedAt: 1,
    };
    api.answer('posts.list', () => ({ ok: true, value: [{ id: 'p1', projectId: 'p1', excerpt: post.body, status: 'draft', scheduledAt: null, timezone: 'Europe/Lisbon', networks: ['x', 'instagram'], mediaCount: 1, labels: [], revision: 1, updatedAt: 1 }] }));
    api.answer('posts.get', () => ({ ok: true, value: post }));
    api.answer('accounts.list', () => ({
      ok: true,
      value: (['x', 'instagram'] as const).map((network) => ({
        id: `a-${network}`, projectId: 'p1', network, handle: `@acme_${network}`, displayName: 'Acme', url: null, status: 'connected' as const,
        statusReason: null, server: null, nativeScheduler: null, deleteWindowHours: null, defaults: {}, createdAt: 1, updatedAt: 1,
      })),
    }));
    api.answer('hashtags.list', () => ({ ok: true, value: [] }));
    api.answer('snippets.list', () => ({ ok: true, value: [] }));
    setApiForTests(api);
    useProjects.setState({ projects: [project()], activeId: 'p1', loaded: true, loadError: null, showArchived: false });
    await act(async () => {
      render(
        <I18nextProvider i18n={i18n}>
          <ComposePage />
        </I18nextProvider>,
      );
    });
    await act(async () => {
      fireEvent.click(await screen.findByRole('button', { name: /Hello https/ }));
    });
    await screen.findByRole('textbox', { name: 'Post text' });
    expectEveryControlNamed('composer');
    // Instagram's shape rule shows on the image, with the fix.
    expect(screen.getByRole('list', { name: 'Before this can be scheduled:' }).textContent).toContain(
      'Instagram: image 1 (wide.jpg) is 2:1, outside the shapes Instagram takes (the limit is 1.91:1). Crop it to 1.91:1',
    );
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Emoji' }));
    });
    expectEveryControlNamed('emoji picker');
    await act(async () => {
      fireEvent.click(screen.getByRole('tab', { name: 'Instagram @acme_instagram' }));
    });
    expectEveryControlNamed('Instagram tab');
  });

  it('offers auto-delete as a named select with the Telegram note, and saves the delay chosen', async () => {
    const { createFakeApi, project } = await import('./fake-api');
    const { setApiForTests } = await import('../../renderer/src/platform/api');
    const { useProjects } = await import('../../renderer/src/features/projects/projects-store');
    const { ComposePage } = await import('../../renderer/src/features/compose/ComposePage');
    const HOUR = 3_600_000;
    const api = createFakeApi();
    // Its own project id: the compose store keeps the previous test's project and would not reload the same one.
    const post = {
      id: 'p2-post', projectId: 'p2', body: 'Promo until Friday', firstComment: '', notes: '', labels: [], status: 'draft' as const,
      scheduledAt: null, timezone: 'Europe/Lisbon', local: null, autoDeleteAfterMs: null, networkOptions: {}, media: [],
      targets: [{
        id: 't-tg', accountId: 'a-tg', network: 'telegram' as const, handle: '@acme_channel', displayName: 'Acme', accountStatus: 'connected' as const,
        ruleOptions: {}, bodyOverride: null, mediaOverride: null, state: 'pending' as const, remoteUrl: null, lastError: null, networkSaid: null,
      }],
      revision: 1, createdAt: 1, updatedAt: 1,
    };
    api.answer('posts.list', () => ({ ok: true, value: [{ id: post.id, projectId: 'p2', excerpt: post.body, status: 'draft', scheduledAt: null, timezone: 'Europe/Lisbon', networks: ['telegram'], mediaCount: 0, labels: [], revision: 1, updatedAt: 1 }] }));
    api.answer('posts.get', () => ({ ok: true, value: post }));
    api.answer('posts.update', (args) => ({ ok: true, value: { ...post, autoDeleteAfterMs: args.autoDeleteAfterMs ?? null, revision: 2 } }));
    api.answer('accounts.list', () => ({
      ok: true,
      value: [{
        id: 'a-tg', projectId: 'p2', network: 'telegram' as const, handle: '@acme_channel', displayName: 'Acme', url: null, status: 'connected' as const,
        statusReason: null, server: null, nativeScheduler: null, deleteWindowHours: 48, defaults: {}, createdAt: 1, updatedAt: 1,
      }],
    }));
    api.answer('hashtags.list', () => ({ ok: true, value: [] }));
    api.answer('snippets.list', () => ({ ok: true, value: [] }));
    setApiForTests(api);
    useProjects.setState({ projects: [project({ id: 'p2' })], activeId: 'p2', loaded: true, loadError: null, showArchived: false });
    await act(async () => {
      render(
        <I18nextProvider i18n={i18n}>
          <ComposePage />
        </I18nextProvider>,
      );
    });
    await act(async () => {
      fireEvent.click(await screen.findByRole('button', { name: /Promo until Friday/ }));
    });
    const select = await screen.findByRole('combobox', { name: 'Auto-delete' });
    expect(select.getAttribute('aria-describedby')).toBe('auto-delete-hint');
    expect(document.getElementById('auto-delete-hint')?.textContent).toContain('Telegram bots can delete posts only within 48 hours of publishing.');
    expect((select as HTMLSelectElement).value).toBe('');
    await act(async () => {
      fireEvent.change(select, { target: { value: String(7 * 24 * HOUR) } });
    });
    expect(api.calls.filter((c) => c.name === 'posts.update').map((c) => c.args)).toEqual([{ id: 'p2-post', revision: 1, autoDeleteAfterMs: 7 * 24 * HOUR }]);
    // The composer blocks scheduling with the same check main makes.
    expect(screen.getByRole('list', { name: 'Before this can be scheduled:' }).textContent).toContain(
      'Telegram bots can delete posts only within 48 hours: choose 48 hours or less, or remove this channel.',
    );
  });
});
