import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import type { i18n } from 'i18next';
import { I18nextProvider } from 'react-i18next';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Media, PostMediaItem } from '../../main/core/contract';
import { checkTarget, issueToProblem } from '../../main/core/posts/readiness';
import type * as VideoFitModule from '../../renderer/src/features/media/video-fit';
import { initI18n } from '../../renderer/src/i18n/i18n';
import { setApiForTests } from '../../renderer/src/platform/api';
import { createFakeApi, type FakeApi } from './fake-api';

/**
 * 'Make it fit' on a video in the composer: the problems come from the real rules, the
 * conversion (WebCodecs, not in jsdom) is replaced by one the test drives step by step.
 */

type Outcome = Awaited<ReturnType<typeof VideoFitModule.fitVideo>['done']>;

const conversion = vi.hoisted(() => ({
  plans: [] as unknown[],
  progress: (_f: number) => {},
  finish: (_o: unknown) => {},
  canceled: false,
}));

vi.mock('../../renderer/src/features/media/video-fit', async (importOriginal) => {
  const real = await importOriginal<typeof VideoFitModule>();
  return {
    ...real,
    fitVideo: (_source: unknown, plan: unknown, onProgress: (f: number) => void) => {
      conversion.plans.push(plan);
      conversion.progress = onProgress;
      let finish: (o: Outcome) => void = () => {};
      const done = new Promise<Outcome>((resolve) => (finish = resolve));
      conversion.finish = finish as (o: unknown) => void;
      return {
        done,
        cancel: () => {
          conversion.canceled = true;
          finish({ ok: false, reason: 'canceled' });
        },
      };
    },
  };
});

const { VideoFit } = await import('../../renderer/src/features/compose/VideoFit');

let i18n: i18n;
let api: FakeApi;

const tour: PostMediaItem = {
  mediaId: '0b8f3a51-1111-4222-8333-944455556666',
  mime: 'video/mp4',
  bytes: 90_000_000,
  width: 3840,
  height: 2160,
  durationMs: 185_500,
  fileName: 'Bakery tour.mp4',
  altText: '',
};

const fitted: Media = {
  id: '1c8f3a51-1111-4222-8333-944455556666',
  kind: 'video',
  mime: 'video/mp4',
  sha256: 'b'.repeat(64),
  bytes: 30_000_000,
  width: 1920,
  height: 1080,
  durationMs: 140_000,
  fileName: 'Bakery tour (x).mp4',
  altText: '',
  createdAt: 2,
  usageCount: 0,
  projectId: null,
};

/** X's problems with the 4K, 3-minute clip, as the composer has them. */
function xProblems() {
  const target = { accountId: 'acc-x', network: 'x' as const, text: 'Tour', media: [tour] };
  return checkTarget(target).issues.map((issue) => issueToProblem(issue, target));
}

beforeAll(async () => {
  i18n = await initI18n('en');
});

beforeEach(() => {
  api = createFakeApi();
  api.upload = async () => ({ ok: true, value: { uploadId: '2b8f3a51-1111-4222-8333-944455556666' } });
  setApiForTests(api);
  conversion.plans = [];
  conversion.canceled = false;
});

afterEach(cleanup);

const wrap = (node: React.ReactNode) => render(<I18nextProvider i18n={i18n}>{node}</I18nextProvider>);

describe('making a video fit a network', () => {
  it('trims and scales in one conversion with a progress bar, then the fitted copy replaces the original', async () => {
    api.answer('media.saveFittedVideo', () => ({ ok: true, value: { media: fitted } }));
    const onFitted = vi.fn();
    wrap(<VideoFit mediaId={tour.mediaId} fileName={tour.fileName} problems={xProblems()} onFitted={onFitted} />);

    fireEvent.click(screen.getByRole('button', { name: 'Make Bakery tour.mp4 fit X' }));
    expect(conversion.plans).toEqual([{ trimMs: 140_000, size: { width: 1920, height: 1080 } }]);
    act(() => conversion.progress(0.42));
    expect(screen.getByRole('progressbar').getAttribute('aria-valuetext')).toBe('42%');
    expect(screen.getByText('Converting for X…')).toBeTruthy();

    await act(async () => conversion.finish({ ok: true, file: new Blob(['mp4']), audio: 'copied' }));
    expect(api.calls.find((c) => c.name === 'media.saveFittedVideo')?.args).toEqual({
      parentMediaId: tour.mediaId,
      file: { uploadId: '2b8f3a51-1111-4222-8333-944455556666' },
      network: 'x',
      changes: ['trim', 'resize'],
    });
    expect(onFitted).toHaveBeenCalledWith(fitted, 'A copy that fits X replaces it in this post; the original stays in the library. The sound was copied as it was.');
    expect(screen.getByRole('status').textContent).toBe(
      'A copy that fits X replaces it in this post; the original stays in the library. The sound was copied as it was.',
    );
  });

  it('stops on Cancel and offers the fix again, leaving the post as it was', async () => {
    const onFitted = vi.fn();
    wrap(<VideoFit mediaId={tour.mediaId} fileName={tour.fileName} problems={xProblems()} onFitted={onFitted} />);
    fireEvent.click(screen.getByRole('button', { name: 'Make Bakery tour.mp4 fit X' }));
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Cancel' })));
    expect(conversion.canceled).toBe(true);
    expect(screen.getByRole('button', { name: 'Make Bakery tour.mp4 fit X' })).toBeTruthy();
    expect(onFitted).not.toHaveBeenCalled();
    expect(api.calls.some((c) => c.name === 'media.saveFittedVideo')).toBe(false);
  });

  it('says so when the sound would have to become AAC, which this computer cannot encode', async () => {
    const target = { accountId: 'acc-x', network: 'x' as const, text: 'Tour', media: [{ ...tour, width: 1280, height: 720, durationMs: 20_000, stream: { frameRate: 30, videoCodec: 'avc', audioCodec: 'opus' } }] };
    const problems = checkTarget(target).issues.map((issue) => issueToProblem(issue, target));
    wrap(<VideoFit mediaId={tour.mediaId} fileName={tour.fileName} problems={problems} onFitted={() => {}} />);
    expect(screen.getByText(/./, { selector: 'button' }).textContent).toBe('Make it fit X');
    fireEvent.click(screen.getByRole('button', { name: 'Make Bakery tour.mp4 fit X' }));
    expect(conversion.plans).toEqual([{ audioCodec: 'aac' }]);
    await act(async () => conversion.finish({ ok: false, reason: 'audio_encoder_missing', codec: 'aac' }));
    expect(screen.getByRole('alert').textContent).toBe(
      'X needs the sound as AAC, and this computer cannot encode AAC. Export the video with AAC sound in a video editor.',
    );
  });
});
