import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import type { i18n } from 'i18next';
import { I18nextProvider } from 'react-i18next';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ImportFailure, Media } from '../../main/core/contract';
import type { VideoFacts } from '../../main/core/video';
import type * as VideoProbe from '../../renderer/src/features/media/video-probe';
import { initI18n } from '../../renderer/src/i18n/i18n';
import { setApiForTests } from '../../renderer/src/platform/api';
import { createFakeApi, type FakeApi } from './fake-api';

/**
 * The library's video dialog and the window's check before import. WebCodecs is not in jsdom, so
 * the reading of the file (video-probe) is replaced; the e2e test reads real files in Chromium.
 */

const facts: VideoFacts = {
  durationMs: 12_500,
  width: 1080,
  height: 1920,
  frameRate: 29.97,
  videoCodec: 'avc',
  videoCodecString: 'avc1.640028',
  rotation: 90,
  audioCodec: 'aac',
  hasAudio: true,
  audioChannels: 2,
  audioSampleRate: 48_000,
  bitrate: 4_000_000,
};

const probe = vi.hoisted(() => ({
  coverAsked: [] as number[],
  check: (_file: File): ImportFailure | null => null,
}));

vi.mock('../../renderer/src/features/media/video-probe', async (importOriginal) => {
  const real = await importOriginal<typeof VideoProbe>();
  return {
    ...real,
    checkVideoFile: async (file: File) => probe.check(file),
    posterFrame: async () => null,
    openVideoSession: () => ({
      facts: async () => facts,
      strip: async (count: number) => Array.from({ length: count }, (_, i) => ({ atMs: 750 + i * 1500, url: `data:image/jpeg;base64,${i}` })),
      preview: async (atMs: number) => `data:image/jpeg;base64,preview-${atMs}`,
      coverJpeg: async (atMs: number) => {
        probe.coverAsked.push(atMs);
        return new Blob([new Uint8Array([0xff, 0xd8, 0xff, 0xd9])], { type: 'image/jpeg' });
      },
      close: () => {},
    }),
  };
});

const { VideoDialog } = await import('../../renderer/src/features/media/VideoDialog');
const { useMedia } = await import('../../renderer/src/features/media/media-store');

let i18n: i18n;
let api: FakeApi;

const video: Media = {
  id: '0b8f3a51-1111-4222-8333-944455556666',
  kind: 'video',
  mime: 'video/mp4',
  sha256: 'a'.repeat(64),
  bytes: 6_250_000,
  width: 1080,
  height: 1920,
  durationMs: 12_500,
  fileName: 'Bakery tour.mp4',
  altText: '',
  createdAt: 1,
  usageCount: 0,
  projectId: null,
};

const coverMedia: Media = { ...video, id: '1c8f3a51-1111-4222-8333-944455556666', kind: 'image', mime: 'image/jpeg', fileName: 'Bakery tour cover.jpg', durationMs: null };

beforeAll(async () => {
  i18n = await initI18n('en');
});

beforeEach(() => {
  api = createFakeApi();
  setApiForTests(api);
  probe.coverAsked = [];
  probe.check = () => null;
});

afterEach(cleanup);

const wrap = (node: React.ReactNode) => render(<I18nextProvider i18n={i18n}>{node}</I18nextProvider>);

describe('a video’s details and cover', () => {
  it('shows what the file holds and saves the frame the user found as the cover', async () => {
    api.answer('media.videoCover', () => ({ ok: true, value: null }));
    api.answer('media.setVideoCover', (args) => ({ ok: true, value: { media: coverMedia, atMs: args.atMs } }));
    wrap(<VideoDialog item={video} onClose={() => {}} />);

    const dialog = await screen.findByRole('dialog', { name: 'Video “Bakery tour.mp4”' });
    await screen.findByText('0:13');
    const fact = (name: string) => screen.getByText(name).nextElementSibling?.textContent;
    expect(fact('Resolution')).toBe('1080 × 1920');
    expect(fact('Frame rate')).toBe('29.97 fps');
    expect(fact('Video codec')).toBe('H.264');
    expect(fact('Rotation')).toBe('turned 90° when played');
    expect(fact('Audio')).toBe('AAC · 2 ch · 48 kHz');
    expect(dialog.textContent).toContain('No cover picked yet');

    const frames = await screen.findAllByRole('button', { name: /^Frame at / });
    expect(frames).toHaveLength(8);
    fireEvent.click(screen.getByRole('button', { name: 'Frame at 0:03.7' }));
    expect(screen.getByRole('button', { name: 'Frame at 0:03.7' }).getAttribute('aria-pressed')).toBe('true');
    // The scrubber then moves a little further, on the 33 ms frame grid of 29.97 fps.
    fireEvent.change(screen.getByRole('slider', { name: 'Find a frame' }), { target: { value: '3993' } });
    await waitFor(() => expect(screen.getByRole('img', { name: 'Frame at 0:03.9' }).getAttribute('src')).toBe('data:image/jpeg;base64,preview-3993'));

    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Use this frame as cover' }));
    });
    expect(probe.coverAsked).toEqual([3993]);
    const saved = api.calls.find((c) => c.name === 'media.setVideoCover')?.args as { id: string; atMs: number; file: { data: string } };
    expect(saved).toMatchObject({ id: video.id, atMs: 3993, file: { data: '/9j/2Q==' } });
    await screen.findByText('The frame at 0:03.9 is now the cover.');
    expect(dialog.textContent).toContain('The cover is the frame at 0:03.9.');
  });

  it('opens at the cover picked before', async () => {
    api.answer('media.videoCover', () => ({ ok: true, value: { media: coverMedia, atMs: 9750 } }));
    wrap(<VideoDialog item={video} onClose={() => {}} />);
    await screen.findByText('The cover is the frame at 0:09.7. Networks that take a thumbnail show it.');
    expect((screen.getByRole('slider', { name: 'Find a frame' }) as HTMLInputElement).value).toBe('9750');
  });
});

describe('importing a video this computer cannot decode', () => {
  it('is refused by name before upload while the other files go on to main', async () => {
    probe.check = (file) =>
      file.name === 'iPhone clip.mov'
        ? { ok: false, fileName: file.name, reason: 'video_codec_unsupported', message: 'no hevc', details: { codec: 'HEVC (H.265)', here: 1 } }
        : null;
    const uploaded: string[] = [];
    api.upload = async (file: File) => {
      uploaded.push(file.name);
      return { ok: true, value: { uploadId: '2b8f3a51-1111-4222-8333-944455556666' } };
    };
    api.answer('media.import', () => ({ ok: true, value: [{ ok: true, fileName: 'Bakery tour.mp4', media: video, duplicate: false }] }));
    api.answer('media.list', () => ({ ok: true, value: [video] }));
    const files = [new File(['x'], 'iPhone clip.mov', { type: 'video/quicktime' }), new File(['y'], 'Bakery tour.mp4', { type: 'video/mp4' })];
    await act(async () => {
      await useMedia.getState().importFiles(files);
    });
    expect(uploaded).toEqual(['Bakery tour.mp4']);
    const report = useMedia.getState().report;
    expect(report).toMatchObject({ added: 1, failures: [{ fileName: 'iPhone clip.mov', reason: 'video_codec_unsupported' }] });
    const { ImportReportView } = await import('../../renderer/src/features/media/ImportReportView');
    wrap(<ImportReportView report={report as NonNullable<typeof report>} onDismiss={() => {}} />);
    expect(screen.getByRole('alert').textContent).toContain(
      'iPhone clip.mov: The video is encoded as HEVC (H.265), which this computer cannot decode. Export it again as H.264 (MP4).',
    );
  });
});
