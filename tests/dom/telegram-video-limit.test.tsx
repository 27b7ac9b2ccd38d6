import { renderHook } from '@testing-library/react';
import type { ReactNode } from 'react';
import { I18nextProvider } from 'react-i18next';
import { describe, expect, it } from 'vitest';
import type { PostMediaItem } from '../../main/core/contract';
import { readinessProblems } from '../../main/core/posts/readiness';
import { useProblemText } from '../../renderer/src/features/compose/problem-text';
import { initI18n } from '../../renderer/src/i18n/i18n';

/**
 * Telegram's 50 MB bot upload limit is explained before scheduling, in the composer's words: the
 * same check blocks the schedule, so the video never fails at posting time instead.
 */

const clip: PostMediaItem = { mediaId: 'm1', mime: 'video/mp4', bytes: 63_400_000, width: 1920, height: 1080, durationMs: 95_000, fileName: 'holiday.mp4', altText: '' };

function problems(network: 'telegram' | 'discord') {
  return readinessProblems({
    targets: [{ accountId: 'a1', network, accountStatus: 'connected', text: 'Our holiday', media: [clip] }],
    scheduledAt: Date.UTC(2026, 0, 5, 9, 0),
    now: Date.UTC(2026, 0, 4, 9, 0),
  });
}

async function words(language: string, network: 'telegram' | 'discord'): Promise<string[]> {
  const i18n = await initI18n(language);
  const wrapper = ({ children }: { children: ReactNode }) => <I18nextProvider i18n={i18n}>{children}</I18nextProvider>;
  const { result } = renderHook(() => useProblemText(), { wrapper });
  return problems(network)
    .filter((p) => p.severity === 'error')
    .map((p) => result.current(p));
}

describe('Telegram video over the bot upload limit', () => {
  it('blocks scheduling and says it is a Telegram bot’s limit, with the fix', async () => {
    expect(await words('en', 'telegram')).toEqual([
      'Telegram: video 1 (holiday.mp4) is 63 MB, and a Telegram bot can upload videos of at most 50 MB, so it would fail at posting time. Save it smaller than 50 MB.',
    ]);
  });

  it('in Russian and Hebrew too', async () => {
    expect((await words('ru', 'telegram'))[0]).toMatch(/^Telegram: видео 1 \(holiday\.mp4\) весит 63 MB, а бот Telegram может загрузить видео не больше 50 MB/);
    expect((await words('he', 'telegram'))[0]).toMatch(/holiday\.mp4.*בוט של Telegram.*50 MB/);
  });

  it('other networks keep the plain wording', async () => {
    expect((await words('en', 'discord'))[0]).toBe('Discord: video 1 (holiday.mp4) is 63 MB, over the limit of 10 MB. Save it smaller than 10 MB.');
  });
});
