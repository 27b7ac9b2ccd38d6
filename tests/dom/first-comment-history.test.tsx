import { renderHook } from '@testing-library/react';
import type { i18n } from 'i18next';
import type { ReactNode } from 'react';
import { I18nextProvider } from 'react-i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import type { HistoryLine } from '../../main/core/contract';
import { useHistoryText } from '../../renderer/src/features/publishing/publishing-text';
import { initI18n } from '../../renderer/src/i18n/i18n';

/** A first comment's history lines read as the comment's, never as the post's own. */

let i18n: i18n;

beforeAll(async () => {
  i18n = await initI18n('en');
});

const line = (event: HistoryLine['event'], jobKind: HistoryLine['jobKind'], extra: Partial<HistoryLine> = {}): HistoryLine => ({
  id: 1,
  at: Date.UTC(2026, 0, 5, 9, 0),
  event,
  jobKind,
  targetId: 't1',
  accountId: 'a1',
  network: 'vk',
  handle: 'Bakery',
  attempt: event === 'attempt' ? 1 : null,
  message: null,
  networkSaid: null,
  reason: null,
  url: null,
  nextAt: null,
  ...extra,
});

function historyText(): (line: HistoryLine) => string {
  const wrapper = ({ children }: { children: ReactNode }) => <I18nextProvider i18n={i18n}>{children}</I18nextProvider>;
  return renderHook(() => useHistoryText('UTC'), { wrapper }).result.current;
}

describe('first comment history', () => {
  it('words each step of the comment as the comment’s', () => {
    const text = historyText();
    expect(text(line('attempt', 'first_comment'))).toBe('First comment sent to VK (try 1)');
    expect(text(line('commented', 'first_comment', { url: 'https://vk.com/wall-1_2?reply=3' }))).toBe('First comment added');
    expect(text(line('failed', 'first_comment', { reason: 'unsupported' }))).toBe('First comment not added');
    expect(text(line('retry', 'first_comment', { nextAt: Date.UTC(2026, 0, 5, 9, 5) }))).toMatch(/^First comment failed; trying again at /);
  });

  it('leaves the post’s own lines as they were', () => {
    const text = historyText();
    expect(text(line('failed', 'publish'))).toBe('Failed');
    expect(text(line('attempt', 'publish'))).toBe('Sent to VK (try 1)');
  });
});
