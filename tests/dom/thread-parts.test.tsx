import { act, cleanup, fireEvent, screen, within } from '@testing-library/react';
import type { i18n } from 'i18next';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Post } from '../../main/core/contract';
import { initI18n } from '../../renderer/src/i18n/i18n';
import en from '../../renderer/src/i18n/locales/en.json';
import { openComposer, updates } from './compose-harness';

/** A post as a thread in the composer (issue 12 item 6): split, parts added, reordered, removed, counted per network, previewed, resumed. */

let i18n: i18n;
beforeAll(async () => {
  i18n = await initI18n('en');
});
afterEach(cleanup);

// The list names the draft by its start, which the harness opens it by.
const long =
  'Crisp summer salad. Мы открываем новую пекарню на Невском проспекте. В первую неделю каждый второй багет бесплатно! ' +
  'Приходите с друзьями и оставайтесь подольше. Мы работаем с восьми утра до десяти вечера. ' +
  'Подробности и меню на сайте https://example.ru/menu. До встречи! '.repeat(2);

const blockingText = () => screen.getByRole('list', { name: 'Before this can be scheduled:' }).textContent ?? '';

describe('a thread in the composer', { timeout: 30_000 }, () => {
  it('splits long text to fit the strictest network, counts each part there, and names a network without threads', async () => {
    const api = await openComposer(i18n, 'p-split', ['x', 'bluesky', 'telegram'], { body: long });
    const section = screen.getByRole('region', { name: en.compose.thread.title });
    expect(within(section).getByText(en.compose.thread.tooLong)).toBeTruthy();
    await act(async () => {
      fireEvent.click(within(section).getByRole('button', { name: en.compose.thread.split }));
    });
    const saved = updates(api).at(-1) as Partial<Post>;
    const parts = saved.networkOptions?.thread?.parts ?? [];
    expect(parts.length).toBeGreaterThanOrEqual(1);
    expect(saved.networkOptions?.thread?.numbered).toBe(true);
    // The post keeps the first sentences; no words were lost or reordered.
    expect(`${saved.body ?? ''} ${parts.map((p) => p.text).join(' ')}`.split(/\s+/)).toEqual(long.trim().split(/\s+/));

    const total = parts.length + 1;
    // Numbered, the post's own part is counted as it goes out, with its "1/N".
    const firstCounters = within(section).getByRole('group', { name: 'Length of part 1' });
    expect(within(firstCounters).getAllByRole('group').map((g) => g.getAttribute('data-network'))).toEqual(['x', 'bluesky']);
    expect(within(firstCounters).queryByText(/over/i)).toBeNull();
    const second = screen.getByRole('listitem', { name: `Part 2 of ${total}` });
    const counters = within(second).getByRole('group', { name: 'Length of part 2' });
    // X and Bluesky count the part; Telegram, which takes no threads, does not.
    expect(within(counters).getAllByRole('group').map((g) => g.getAttribute('data-network'))).toEqual(['x', 'bluesky']);
    expect(within(counters).queryByText(/over/i)).toBeNull();
    expect(blockingText()).toContain('Telegram takes no threads: untick it, or remove the parts after the first.');
    expect(within(section).getByText('Telegram: no threads there, so only the first part goes.')).toBeTruthy();

    // The X preview shows the thread, each part numbered as it will go out.
    const preview = screen.getByRole('article', { name: `X thread of ${total} posts by bakery › x` });
    expect(preview.textContent).toContain(`1/${total}`);
    expect(preview.textContent).toContain(`${total}/${total}`);
  });

  it('adds, writes, reorders and removes parts, and names a part that is too long', async () => {
    const api = await openComposer(i18n, 'p-parts', ['mastodon', 'x']);
    const section = screen.getByRole('region', { name: en.compose.thread.title });
    for (const text of ['Second part.', 'Third part.']) {
      await act(async () => {
        fireEvent.click(within(section).getByRole('button', { name: en.compose.thread.add }));
      });
      const fields = within(section).getAllByRole('textbox', { name: /^Text of part/ });
      await act(async () => {
        fireEvent.change(fields.at(-1)!, { target: { value: text } });
        fireEvent.blur(fields.at(-1)!);
      });
    }
    expect((updates(api).at(-1) as Partial<Post>).networkOptions?.thread).toEqual({ parts: [{ text: 'Second part.', media: [] }, { text: 'Third part.', media: [] }], numbered: false });

    await act(async () => {
      fireEvent.click(within(section).getByRole('button', { name: 'Move part 3 up' }));
    });
    expect((updates(api).at(-1) as Partial<Post>).networkOptions?.thread?.parts.map((p) => p.text)).toEqual(['Third part.', 'Second part.']);

    const field = within(section).getByRole('textbox', { name: 'Text of part 2' });
    await act(async () => {
      fireEvent.change(field, { target: { value: 'x'.repeat(290) } });
    });
    expect(blockingText()).toContain('Part 2:');
    expect(within(screen.getByRole('listitem', { name: 'Part 2 of 3' })).getByRole('group', { name: 'Length of part 2' }).textContent).toContain('290');

    await act(async () => {
      fireEvent.click(within(section).getByRole('button', { name: 'Remove part 2' }));
    });
    await act(async () => {
      fireEvent.click(within(section).getByRole('button', { name: 'Remove part 2' }));
    });
    expect((updates(api).at(-1) as Partial<Post>).networkOptions).toEqual({});
    expect(within(section).getByText(en.compose.thread.hint)).toBeTruthy();
  });

  it('is not offered when no ticked network takes threads', async () => {
    await openComposer(i18n, 'p-none', ['telegram']);
    expect(screen.queryByRole('region', { name: en.compose.thread.title })).toBeNull();
  });

  it('says where a published thread stopped and why, and resumes it', async () => {
    const stoppedTarget = {
      id: 't-x', accountId: 'a-x', network: 'x' as const, handle: 'bakery › x', displayName: 'Summer recipes', accountStatus: 'connected' as const,
      ruleOptions: {}, bodyOverride: null, mediaOverride: null, state: 'published' as const, remoteUrl: 'https://x.com/bakery/status/1', lastError: null, networkSaid: null,
      thread: { sent: 1, total: 3, stopped: { part: 2, state: 'failed' as const, reason: 'validation', message: 'You are not allowed to create a Tweet with duplicate content.' } },
    };
    const published: Partial<Post> = {
      status: 'published',
      networkOptions: { thread: { parts: [{ text: 'Two.', media: [] }, { text: 'Three.', media: [] }], numbered: false } },
      targets: [stoppedTarget],
    };
    const api = await openComposer(i18n, 'p-stop', ['x'], published);
    const resumed: Post = {
      id: 'p-stop-post', projectId: 'p-stop', body: 'Crisp summer salad', firstComment: '', notes: '', labels: [], scheduledAt: null, timezone: 'UTC', local: null,
      autoDeleteAfterMs: null, media: [], revision: 3, createdAt: 1, updatedAt: 2, status: 'published', networkOptions: published.networkOptions!,
      targets: [{ ...stoppedTarget, thread: { sent: 1, total: 3, stopped: null } }],
    };
    api.answer('publishing.resumeThread', () => ({ ok: true, value: resumed }));
    const status = screen.getByRole('list', { name: en.compose.thread.progress });
    expect(status.textContent).toContain('X bakery › x: published, thread stopped at part 2 of 3: You are not allowed to create a Tweet with duplicate content.');
    await act(async () => {
      fireEvent.click(within(status).getByRole('button', { name: en.compose.thread.resume }));
    });
    expect(api.calls.filter((c) => c.name === 'publishing.resumeThread').map((c) => c.args)).toEqual([{ targetId: 't-x' }]);
    // Going on again, the thread no longer shows as stopped.
    expect(screen.queryByRole('list', { name: en.compose.thread.progress })).toBeNull();
  });
});
