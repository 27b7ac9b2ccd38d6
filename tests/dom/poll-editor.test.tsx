import { act, cleanup, fireEvent, screen, within } from '@testing-library/react';
import type { i18n } from 'i18next';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { initI18n } from '../../renderer/src/i18n/i18n';
import en from '../../renderer/src/i18n/locales/en.json';
import { openComposer, updates } from './compose-harness';

/** A poll under the post in the composer: offered where a network takes one, saved, and checked per network. */

let i18n: i18n;
beforeAll(async () => {
  i18n = await initI18n('en');
});
afterEach(cleanup);

describe('the poll in the composer', { timeout: 20_000 }, () => {
  it('is offered only when a target takes polls', async () => {
    await openComposer(i18n, 'p-bsky', ['bluesky']);
    expect(screen.queryByRole('button', { name: en.compose.poll.add })).toBeNull();
  });

  it('is saved with its options, and a network that cannot carry it is named before scheduling', async () => {
    const api = await openComposer(i18n, 'p-poll', ['telegram', 'mastodon', 'bluesky']);
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: en.compose.poll.add }));
    });
    const poll = screen.getByRole('group', { name: en.compose.poll.title });
    for (const [i, answer] of ['Rye', 'Sourdough'].entries()) {
      const field = within(poll).getByRole('textbox', { name: `Option ${i + 1}` });
      await act(async () => {
        fireEvent.change(field, { target: { value: answer } });
        fireEvent.blur(field);
      });
    }
    await act(async () => {
      fireEvent.click(within(poll).getByRole('checkbox', { name: en.compose.poll.multiple }));
    });
    expect(updates(api).at(-1)).toMatchObject({ networkOptions: { poll: { options: ['Rye', 'Sourdough'], durationMinutes: 1440, multiple: true } } });
    const blocking = screen.getByRole('list', { name: 'Before this can be scheduled:' }).textContent ?? '';
    expect(blocking).toContain('Bluesky cannot carry a poll: untick it, or remove the poll.');
    expect(blocking).not.toContain('Telegram cannot carry');

    // A fifth option is too many for Mastodon (4), not for Telegram (12).
    for (let i = 0; i < 3; i++) {
      await act(async () => {
        fireEvent.click(within(poll).getByRole('button', { name: en.compose.poll.addOption }));
      });
    }
    expect(screen.getByRole('list', { name: 'Before this can be scheduled:' }).textContent).toContain('Mastodon takes at most 4 options in a poll.');
    await act(async () => {
      fireEvent.click(within(poll).getByRole('button', { name: en.compose.poll.remove }));
    });
    expect(updates(api).at(-1)).toMatchObject({ networkOptions: {} });
    expect(screen.getByRole('button', { name: en.compose.poll.add })).toBeTruthy();
  });
});
