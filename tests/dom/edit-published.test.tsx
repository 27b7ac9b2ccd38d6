import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import type { i18n } from 'i18next';
import { I18nextProvider } from 'react-i18next';
import { afterEach, beforeAll, expect, it } from 'vitest';
import type { Post, Target } from '../../main/core/contract';
import { EditPublished } from '../../renderer/src/features/publishing/EditPublished';
import { initI18n } from '../../renderer/src/i18n/i18n';

/** A published Discord message edited in place from its post; a published Telegram one offers no edit. */

let i18n: i18n;
beforeAll(async () => {
  i18n = await initI18n('en');
});
afterEach(cleanup);

const target = (network: Target['network'], id: string): Target => ({
  id, accountId: `a-${id}`, network, handle: network === 'discord' ? 'Bakery news' : '@bakery', displayName: 'Bakery', accountStatus: 'connected', ruleOptions: {},
  bodyOverride: null, mediaOverride: null, state: 'published', remoteUrl: null, lastError: null, networkSaid: null,
});
const post = { id: 'p1', body: 'Croissants at 8', targets: [target('discord', 't1'), target('telegram', 't2')] } as unknown as Post;

it('opens an editor with the words that went out, saves the new ones for that target only, and closes', async () => {
  const saved: [string, string][] = [];
  render(
    <I18nextProvider i18n={i18n}>
      <EditPublished post={post} busy={false} onSave={async (t, text) => (saved.push([t.id, text]), true)} />
    </I18nextProvider>,
  );
  expect(screen.queryByRole('button', { name: /Telegram/ })).toBeNull();
  fireEvent.click(screen.getByRole('button', { name: 'Edit the message on Discord (Bakery news)' }));
  const box = screen.getByRole('textbox', { name: 'New text of the message on Discord (Bakery news)' }) as HTMLTextAreaElement;
  expect(box.value).toBe('Croissants at 8');
  const save = screen.getByRole('button', { name: 'Save on Discord' }) as HTMLButtonElement;
  expect(save.disabled).toBe(true);
  fireEvent.change(box, { target: { value: 'Croissants at 9' } });
  await act(async () => {
    fireEvent.click(save);
  });
  expect(saved).toEqual([['t1', 'Croissants at 9']]);
  expect(screen.queryByRole('textbox')).toBeNull();
});
