import sharp from 'sharp';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ImportOutcome, Media } from '../../../main/core/contract';
import type { Result } from '../../../main/core/errors';
import { loadPublishMedia } from '../../../main/services/publishing';
import { addProject } from '../scheduler/support';
import { makeTempDir, openTestBackend, type TestBackend } from '../support/backend';
import { makeClip } from '../../support/video-fixtures';

/** What the scheduler hands a connector for a video: its bytes, size, length and the cover the user picked (issue 12 item 3). */

let clips: ReturnType<typeof makeTempDir>;
let data: ReturnType<typeof makeTempDir>;
let t: TestBackend;
let clipPath: string;

beforeAll(() => {
  clips = makeTempDir('outpost-publish-media-');
  clipPath = makeClip(clips.path, 'Launch teaser.mp4', { seconds: 2, width: 320, height: 240 });
}, 60_000);

afterAll(() => clips.remove());

beforeEach(() => {
  data = makeTempDir('outpost-publish-media-data-');
  t = openTestBackend(data.path);
});

afterEach(() => {
  t.backend.close();
  data.remove();
});

async function value<T>(name: string, args: unknown): Promise<T> {
  const result = (await t.backend.dispatch(name, args)) as Result<unknown>;
  if (!result.ok) throw new Error(`${name} failed: ${JSON.stringify(result.error)}`);
  return result.value as T;
}

describe('a video handed to a connector', () => {
  it('carries its duration, size and the picked cover frame as a JPEG', async () => {
    const [outcome] = await value<ImportOutcome[]>('media.import', { files: [{ path: clipPath }] });
    if (!outcome?.ok) throw new Error('import failed');
    const video: Media = outcome.media;
    const frame = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#c0392b' } }).jpeg().toBuffer();
    await value('media.setVideoCover', { id: video.id, atMs: 400, file: { data: frame.toString('base64') } });
    const services = t.backend.services;
    const project = addProject(services.db);

    const [item] = await loadPublishMedia(services, [video.id], { projectId: project });
    expect(item).toMatchObject({ fileName: 'Launch teaser.mp4', mime: 'video/mp4', width: 320, height: 240, durationMs: 2000 });
    expect(item!.bytes.byteLength).toBe(video.bytes);
    expect(item!.cover).toMatchObject({ mime: 'image/jpeg', atMs: 400 });
    expect((await sharp(item!.cover!.bytes).metadata()).width).toBe(64);
  });
});
