import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ImportOutcome, Media } from '../../../main/core/contract';
import type { Result } from '../../../main/core/errors';
import { getVideoCover } from '../../../main/services/media/media-repo';
import { makeTempDir, openTestBackend, type TestBackend } from '../support/backend';
import { makeClip, truncateCopy } from '../../support/video-fixtures';

/** Real clips from ffmpeg, made once for the file: the import's refusals and the cover a video carries to publishing. */
let clips: ReturnType<typeof makeTempDir>;
let data: ReturnType<typeof makeTempDir>;
let t: TestBackend;
const clip: Record<string, string> = {};

beforeAll(() => {
  clips = makeTempDir('outpost-video-clips-');
  clip.mp4 = makeClip(clips.path, 'Launch teaser.mp4', { seconds: 2, width: 320, height: 240 });
  clip.mov = makeClip(clips.path, 'Upright phone.mov', { seconds: 1, width: 320, height: 240, rotate: 90 });
  clip.webm = makeClip(clips.path, 'Screen recording.webm', { seconds: 2, width: 320, height: 180, codec: 'vp9', audio: 'opus' });
  clip.mpeg4 = makeClip(clips.path, 'Old camcorder.mp4', { seconds: 1, codec: 'mpeg4' });
  clip.mkv = makeClip(clips.path, 'Movie.mkv', { seconds: 1, codec: 'vp9', audio: null });
  clip.truncated = truncateCopy(clip.mp4, clips.path, 'Half copied.mp4', 0.5);
  clip.empty = join(clips.path, 'Empty.mp4');
  writeFileSync(clip.empty, '');
}, 60_000);

afterAll(() => clips.remove());

beforeEach(() => {
  data = makeTempDir('outpost-video-data-');
  t = openTestBackend(data.path);
});

afterEach(() => {
  t.backend.close();
  data.remove();
});

const call = (name: string, args: unknown) => t.backend.dispatch(name, args) as Promise<Result<unknown>>;

async function value<T>(name: string, args: unknown): Promise<T> {
  const result = await call(name, args);
  if (!result.ok) throw new Error(`${name} failed: ${JSON.stringify(result.error)}`);
  return result.value as T;
}

const importOne = async (path: string) => (await value<ImportOutcome[]>('media.import', { files: [{ path }] }))[0] as ImportOutcome;

async function imported(path: string): Promise<Media> {
  const outcome = await importOne(path);
  if (!outcome.ok) throw new Error(outcome.message);
  return outcome.media;
}

const jpegFrame = (seed: number) =>
  sharp({ create: { width: 64, height: 48, channels: 3, background: { r: seed, g: 80, b: 160 } } })
    .jpeg()
    .toBuffer()
    .then((b) => b.toString('base64'));

describe('videos in the library', () => {
  it('takes MP4, MOV and WebM with their upright size and duration', async () => {
    expect(await imported(clip.mp4 as string)).toMatchObject({ kind: 'video', mime: 'video/mp4', width: 320, height: 240, durationMs: 2000 });
    // Recorded 320×240 with a 90° display rotation: shown 240 wide, 320 high.
    expect(await imported(clip.mov as string)).toMatchObject({ mime: 'video/quicktime', width: 240, height: 320 });
    const webm = await imported(clip.webm as string);
    expect(webm).toMatchObject({ mime: 'video/webm', width: 320, height: 180 });
    expect(webm.durationMs).toBeGreaterThanOrEqual(1900);
    expect(webm.durationMs).toBeLessThanOrEqual(2100);
  });

  it('refuses an MPEG-4 Part 2 video by its codec, a cut-off copy, an empty file and a Matroska file, each by name', async () => {
    expect(await importOne(clip.mpeg4 as string)).toMatchObject({
      ok: false,
      fileName: 'Old camcorder.mp4',
      reason: 'video_codec_unsupported',
      details: { codec: 'mp4v' },
    });
    expect(await importOne(clip.truncated as string)).toMatchObject({ ok: false, fileName: 'Half copied.mp4', reason: 'video_unreadable' });
    expect(await importOne(clip.empty as string)).toMatchObject({ ok: false, fileName: 'Empty.mp4', reason: 'empty_file' });
    expect(await importOne(clip.mkv as string)).toMatchObject({ ok: false, fileName: 'Movie.mkv', reason: 'unsupported_format', details: { format: 'MKV' } });
    expect(await value<Media[]>('media.list', {})).toEqual([]);
  });
});

describe('a video’s cover frame', () => {
  it('is kept as an image derived from the video, the newest pick wins and earlier unused picks go', async () => {
    const video = await imported(clip.mp4 as string);
    expect(await value('media.videoCover', { id: video.id })).toBeNull();

    const first = await value<{ media: Media; atMs: number }>('media.setVideoCover', { id: video.id, atMs: 400, file: { data: await jpegFrame(10) } });
    expect(first).toMatchObject({ atMs: 400, media: { kind: 'image', mime: 'image/jpeg', fileName: 'Launch teaser cover.jpg' } });
    t.clock.advance(1000);
    const second = await value<{ media: Media; atMs: number }>('media.setVideoCover', { id: video.id, atMs: 1500, file: { data: await jpegFrame(200) } });
    expect(await value('media.videoCover', { id: video.id })).toEqual(second);
    const ids = (await value<Media[]>('media.list', {})).map((m) => m.id);
    expect(ids).toContain(second.media.id);
    expect(ids).not.toContain(first.media.id);

    // Picking the first frame again makes it the cover again, though its bytes were seen before.
    t.clock.advance(1000);
    const again = await value<{ media: Media; atMs: number }>('media.setVideoCover', { id: video.id, atMs: 400, file: { data: await jpegFrame(10) } });
    expect(getVideoCover(t.backend.services.db, video.id)).toMatchObject({ atMs: 400, media: { id: again.media.id } });
  });

  it('goes to publishing beside the video as its thumbnail', async () => {
    const video = await imported(clip.mp4 as string);
    const none = await t.backend.services.media.mediaForPublish(video.id, { stripLocation: true });
    expect(none.kind === 'video' && none.cover).toBeNull();
    const picked = await value<{ media: Media }>('media.setVideoCover', { id: video.id, atMs: 0, file: { data: await jpegFrame(90) } });
    const file = await t.backend.services.media.mediaForPublish(video.id, { stripLocation: true });
    if (file.kind !== 'video') throw new Error('expected a video');
    expect(file.cover).toMatchObject({ kind: 'image', mime: 'image/jpeg', media: { id: picked.media.id } });
    expect((await sharp(file.cover?.data).metadata()).width).toBe(64);
  });

  it('is refused for an image and for an unknown video', async () => {
    const video = await imported(clip.mp4 as string);
    const cover = await value<{ media: Media }>('media.setVideoCover', { id: video.id, atMs: 0, file: { data: await jpegFrame(1) } });
    expect(await call('media.setVideoCover', { id: cover.media.id, atMs: 0, file: { data: await jpegFrame(2) } })).toMatchObject({
      ok: false,
      error: { code: 'validation', reason: 'not_video' },
    });
    expect(await call('media.videoCover', { id: '00000000-0000-4000-8000-000000000000' })).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });
});
