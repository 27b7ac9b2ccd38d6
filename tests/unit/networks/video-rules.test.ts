import { describe, expect, it } from 'vitest';
import type { PostMediaItem } from '../../../main/core/contract';
import { checkPost } from '../../../main/core/networks/check';
import type { PostMedia } from '../../../main/core/networks/count';
import { checkTarget, issueToProblem } from '../../../main/core/posts/readiness';

/** Each network's video rules: what would be refused, and the fix offered (trim, scale, crop, re-encode). */

const clip = (over: Partial<PostMedia> = {}): PostMedia => ({
  mime: 'video/mp4',
  bytes: 20_000_000,
  width: 1280,
  height: 720,
  durationMs: 30_000,
  frameRate: 30,
  videoCodec: 'avc',
  audioCodec: 'aac',
  ...over,
});

const issues = (network: Parameters<typeof checkPost>[0], media: PostMedia) => checkPost(network, { text: 'Tour', media: [media] }).issues;

describe('video rules', () => {
  it('takes a 30-second 720p H.264/AAC MP4 on X and Telegram as it is', () => {
    expect(issues('x', clip())).toEqual([]);
    expect(issues('telegram', clip())).toEqual([]);
  });

  it('offers to trim a video longer than X’s 140 seconds, and refuses one under half a second', () => {
    expect(issues('x', clip({ durationMs: 200_000 }))).toMatchObject([
      { code: 'video_too_long', severity: 'error', limit: 140_000, actual: 200_000, fix: { key: 'trim', maxDurationMs: 140_000 } },
    ]);
    expect(issues('x', clip({ durationMs: 300 }))).toMatchObject([{ code: 'video_too_short', limit: 500, fix: { key: 'remove' } }]);
  });

  it('scales a 4K video down to X’s 1920 × 1200 frame, keeping its shape on even sides, either way it stands', () => {
    expect(issues('x', clip({ width: 1920, height: 1080 }))).toEqual([]);
    expect(issues('x', clip({ width: 3840, height: 2160 }))).toMatchObject([
      { code: 'video_dimensions_too_large', limit: 1920, actual: 3840, fix: { key: 'resize', width: 1920, height: 1080 } },
    ]);
    expect(issues('x', clip({ width: 2160, height: 3840 }))).toMatchObject([
      { code: 'video_dimensions_too_large', limit: 1920, actual: 3840, fix: { key: 'resize', width: 1080, height: 1920 } },
    ]);
    // A square 1600 × 1600 fits the long side but not the short one.
    expect(issues('x', clip({ width: 1600, height: 1600 }))).toMatchObject([
      { code: 'video_dimensions_too_large', limit: 1200, actual: 1600, fix: { key: 'resize', width: 1200, height: 1200 } },
    ]);
  });

  it('crops a panorama to X’s widest 3:1, then scales what is left', () => {
    const found = issues('x', clip({ width: 2000, height: 400 }));
    expect(found).toMatchObject([
      { code: 'video_aspect_range', limit: 3, actual: 5, fix: { key: 'crop', aspect: { width: 3, height: 1 }, width: 1200, height: 400 } },
    ]);
    expect(issues('x', clip({ width: 8000, height: 1600 }))).toMatchObject([
      { code: 'video_aspect_range', fix: { key: 'crop', width: 4800, height: 1600 } },
      { code: 'video_dimensions_too_large', actual: 4800, fix: { key: 'resize', width: 1920, height: 640 } },
    ]);
  });

  it('re-encodes what the network does not play: HEVC on Telegram, 120 fps and Opus sound on X', () => {
    expect(issues('telegram', clip({ videoCodec: 'hevc' }))).toMatchObject([
      { code: 'video_codec', actual: 'hevc', allowed: ['avc'], fix: { key: 'reencode', codec: 'avc' } },
    ]);
    expect(issues('x', clip({ frameRate: 120 }))).toMatchObject([{ code: 'video_frame_rate', limit: 60, actual: 120, fix: { key: 'reencode', codec: 'avc', frameRate: 60 } }]);
    expect(issues('x', clip({ audioCodec: 'opus' }))).toMatchObject([{ code: 'audio_codec', actual: 'opus', fix: { key: 'reencode_audio', codec: 'aac' } }]);
    // Without sound there is nothing to re-encode.
    expect(issues('x', clip({ audioCodec: null }))).toEqual([]);
  });

  it('checks only what is known: main has the duration and size but no decoder for codecs and frame rate', () => {
    const { frameRate: _f, videoCodec: _v, audioCodec: _a, ...row } = clip({ durationMs: 150_000 });
    expect(issues('x', row).map((i) => i.code)).toEqual(['video_too_long']);
    expect(issues('mastodon', clip({ videoCodec: 'hevc', durationMs: 600_000, width: 3840, height: 2160 }))).toEqual([]);
  });

  it('is the same check on the publish path: the library row’s duration counts, and the problem names the file and the fix', () => {
    const item: PostMediaItem = {
      mediaId: 'm1',
      mime: 'video/mp4',
      bytes: 9_000_000,
      width: 3840,
      height: 2160,
      durationMs: 185_500,
      fileName: 'Bakery tour.mp4',
      altText: '',
    };
    const target = { accountId: 'a1', network: 'x' as const, text: 'Tour', media: [item] };
    const check = checkTarget(target);
    expect(check.issues.map((i) => i.code)).toEqual(['video_too_long', 'video_dimensions_too_large']);
    expect(issueToProblem(check.issues[0] as (typeof check.issues)[number], target)).toMatchObject({
      code: 'video_too_long',
      mediaId: 'm1',
      params: { fileName: 'Bakery tour.mp4', limit: 140, actual: 185.5, fix: 'trim', fixSeconds: 140 },
    });
  });
});
