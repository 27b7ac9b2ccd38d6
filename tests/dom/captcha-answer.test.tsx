import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import type { i18n } from 'i18next';
import { I18nextProvider } from 'react-i18next';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AttentionEntry, Post } from '../../main/core/contract';
import { useAttention } from '../../renderer/src/features/publishing/attention-store';
import { NeedsAttention } from '../../renderer/src/features/publishing/NeedsAttention';
import { useProjects } from '../../renderer/src/features/projects/projects-store';
import { initI18n } from '../../renderer/src/i18n/i18n';
import { setApiForTests } from '../../renderer/src/platform/api';
import { createFakeApi, project, type FakeApi } from './fake-api';

/** A VK captcha in the needs-attention list: VK's picture from main, the sentence, a field and "Send" that answers it. */

const PICTURE = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';

let i18n: i18n;
let api: FakeApi;
let waiting: AttentionEntry[];

const captcha: AttentionEntry = {
  jobId: 'j1',
  kind: 'publish',
  reason: 'captcha',
  message: 'VK wants to make sure a person is posting: type the characters in the picture.',
  networkSaid: 'Captcha needed',
  dueAt: Date.UTC(2026, 0, 5, 9, 0),
  postId: 'post-1',
  projectId: 'p1',
  targetId: 't1',
  accountId: 'a1',
  network: 'vk',
  handle: 'club1001',
  excerpt: 'Fresh bread at nine',
  captcha: { id: '1002' },
};

const scheduled = { id: 'post-1', projectId: 'p1', status: 'scheduled', targets: [], revision: 5 } as unknown as Post;

beforeAll(async () => {
  i18n = await initI18n('en');
});

beforeEach(() => {
  api = createFakeApi();
  waiting = [captcha];
  api.answer('publishing.attention', () => ({ ok: true, value: waiting }));
  api.answer('publishing.captchaImage', (args) => ({ ok: true, value: { captchaId: waiting[0]?.captcha?.id ?? 'gone', dataUrl: `${PICTURE}#${String((args as { jobId: string }).jobId)}` } }));
  setApiForTests(api);
  useProjects.setState({ projects: [project({ lateGraceMinutes: 30 })], activeId: 'p1', showArchived: false, loaded: true, loadError: null });
  useAttention.setState({ projectId: null, items: [] });
});

afterEach(cleanup);

async function openList() {
  await act(async () => {
    render(
      <I18nextProvider i18n={i18n}>
        <NeedsAttention />
      </I18nextProvider>,
    );
  });
  await act(async () => {
    fireEvent.click(screen.getByRole('button', { name: '1 post needs attention' }));
  });
  return screen.getByRole('dialog', { name: 'Needs attention' });
}

describe('a captcha waiting for the user', () => {
  it('shows VK’s picture (as a data: URL from main), says what to do, and sends the trimmed answer for this captcha once', async () => {
    api.answer('publishing.answerCaptcha', () => {
      waiting = [];
      return { ok: true, value: scheduled };
    });
    const dialog = await openList();
    expect(dialog.textContent).toContain('VK wants to make sure a person is posting. Type the characters in the picture.');
    expect(api.calls.filter((c) => c.name === 'publishing.captchaImage').map((c) => c.args)).toEqual([{ jobId: 'j1' }]);
    const picture = within(dialog).getByRole('img', { name: 'The picture VK asks about' });
    expect(picture.getAttribute('src')).toBe(`${PICTURE}#j1`);
    // Nothing else to choose: no "publish now" beside the answer.
    expect(within(dialog).queryByRole('button', { name: 'Publish “Fresh bread at nine” now' })).toBeNull();

    const send = within(dialog).getByRole('button', { name: 'Send the characters — “Fresh bread at nine”' });
    expect(send.textContent).toBe('Send');
    expect((send as HTMLButtonElement).disabled).toBe(true);
    fireEvent.change(within(dialog).getByRole('textbox', { name: 'Characters in the picture — “Fresh bread at nine”' }), { target: { value: '  x7kq2 ' } });
    await act(async () => {
      fireEvent.click(send);
    });
    expect(api.calls.filter((c) => c.name === 'publishing.answerCaptcha').map((c) => c.args)).toEqual([{ jobId: 'j1', captchaId: '1002', answer: 'x7kq2' }]);
    expect(within(dialog).getByText('Nothing needs your attention.')).toBeTruthy();
  });

  it('a refused answer is said in words; a picture that cannot be loaded offers to load it again', async () => {
    let failures = 1;
    api.answer('publishing.captchaImage', () =>
      failures-- > 0
        ? { ok: false, error: { code: 'network', message: 'HTTP 502', reason: 'captcha_image_unavailable' } }
        : { ok: true, value: { captchaId: '1002', dataUrl: PICTURE } },
    );
    api.answer('publishing.answerCaptcha', () => ({ ok: false, error: { code: 'conflict', message: 'stale', reason: 'captcha_not_waiting' } }));
    const dialog = await openList();
    expect(within(dialog).getByRole('alert').textContent).toBe('The picture could not be loaded. Check the connection, then load it again.');
    await act(async () => {
      fireEvent.click(within(dialog).getByRole('button', { name: 'Load the picture again' }));
    });
    expect(within(dialog).getByRole('img', { name: 'The picture VK asks about' }).getAttribute('src')).toBe(PICTURE);

    fireEvent.change(within(dialog).getByRole('textbox', { name: 'Characters in the picture — “Fresh bread at nine”' }), { target: { value: 'abc' } });
    await act(async () => {
      fireEvent.click(within(dialog).getByRole('button', { name: 'Send the characters — “Fresh bread at nine”' }));
    });
    expect(within(dialog).getByRole('alert').textContent).toBe(
      'This post is not waiting for that picture any more. Close the list and open it again to see what it waits for now.',
    );
  });
});
