import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import type { i18n } from 'i18next';
import { I18nextProvider } from 'react-i18next';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { OutpostError } from '../../main/core/errors';
import { ConnectDialog } from '../../renderer/src/features/accounts/ConnectDialog';
import { initI18n } from '../../renderer/src/i18n/i18n';
import en from '../../renderer/src/i18n/locales/en.json';
import { setApiForTests } from '../../renderer/src/platform/api';
import { createFakeApi, type FakeApi } from './fake-api';

/** A refused connect: only what the network itself said is quoted as "<network> said"; our explanation is ours. */

let i18n: i18n;
let api: FakeApi;

beforeAll(async () => {
  i18n = await initI18n('en');
});

beforeEach(() => {
  api = createFakeApi();
  api.answer('accounts.list', () => ({ ok: true, value: [] }));
  setApiForTests(api);
});

afterEach(cleanup);

async function connectRefusedWith(error: OutpostError): Promise<string> {
  api.answer('accounts.connect', () => ({ ok: false, error }));
  render(
    <I18nextProvider i18n={i18n}>
      <ConnectDialog network="telegram" projectId="p1" onClose={() => {}} onDone={() => {}} />
    </I18nextProvider>,
  );
  fireEvent.change(screen.getByLabelText(en.accounts.telegram.botToken), { target: { value: '123456789:AAbbccddeeffgghhiijjkkll' } });
  fireEvent.change(screen.getByLabelText(en.accounts.telegram.channel), { target: { value: '@bakery' } });
  await act(async () => {
    fireEvent.click(screen.getByRole('button', { name: en.accounts.submit }));
  });
  return screen.getByRole('alert').textContent ?? '';
}

describe('ConnectDialog', () => {
  it('quotes Telegram only for its own words', async () => {
    const text = await connectRefusedWith({
      code: 'validation',
      message: 'Telegram refused: Bad Request: chat not found',
      field: 'channel',
      reason: 'telegram_channel_not_found',
      networkMessage: 'Bad Request: chat not found',
      networkSaid: 'Bad Request: chat not found',
    });
    expect(text).toContain('Telegram said: “Bad Request: chat not found”');
  });

  it('never puts Outpost’s own check in Telegram’s mouth', async () => {
    const text = await connectRefusedWith({
      code: 'validation',
      message: 'Telegram refused: the bot is not an administrator of the channel with permission to post',
      field: 'channel',
      reason: 'telegram_bot_cannot_post',
      networkMessage: 'The bot is not an administrator of the channel with permission to post.',
    });
    expect(text).toContain('The bot is not an administrator of the channel with permission to post.');
    expect(text).not.toContain('said');
  });
});
