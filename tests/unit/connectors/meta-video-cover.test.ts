import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MediaItem, PublishRequest } from '../../../main/core/connector';
import { createFacebookConnector, type FacebookContext } from '../../../main/services/connectors/facebook';
import { createInstagramConnector, type InstagramContext } from '../../../main/services/connectors/instagram';
import { startFacebookFake, type FacebookFake } from '../../fakes/facebook-fake';
import { startInstagramFake, type InstagramFake } from '../../fakes/instagram-fake';
import { startLoopbackRelay, type LoopbackRelay } from '../../fakes/loopback-relay';

/**
 * A video's cover frame on Meta's networks (issue 12 item 3): Facebook takes it as the video's
 * `thumb` file, an Instagram reel as `cover_url` (fetched from the media relay, like an image);
 * both uploads report their progress.
 */

const COVER = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, ...Array.from({ length: 200 }, (_, i) => (i * 13) % 256)]);
const clip = (size: number, cover = true): MediaItem => ({
  fileName: 'kneading.mp4',
  mime: 'video/mp4',
  bytes: Uint8Array.from({ length: size }, (_, i) => i % 251),
  alt: '',
  width: 1080,
  height: 1920,
  durationMs: 12_000,
  ...(cover ? { cover: { bytes: COVER, mime: 'image/jpeg' } } : {}),
});
const post = (media: MediaItem[]): PublishRequest => ({ text: 'Kneading', media, idempotencyKey: 'job-1' });

describe('Facebook video thumb', () => {
  const connector = createFacebookConnector({ timeoutMs: 2000, uploadTimeoutMs: 2000, resumableFromBytes: 1000 });
  let fb: FacebookFake;
  let ctx: FacebookContext;

  beforeEach(async () => {
    fb = await startFacebookFake({ chunkBytes: 400 });
    const app = fb.addApp();
    const page = fb.addPage({ name: 'Corner Bakery' });
    ctx = { baseUrl: fb.baseUrl, credentials: { appId: app.id, appSecret: app.secret, pageToken: page.token }, config: { pageId: page.id, name: page.name }, fetch, now: Date.now };
  });

  afterEach(async () => {
    const violations = [...fb.violations];
    await fb.close();
    expect(violations).toEqual([]);
  });

  it('sends the cover as the thumb of a video sent in one upload, with progress to its whole size', async () => {
    const seen: number[] = [];
    await connector.publish({ ...ctx, onUploadProgress: (sent) => seen.push(sent) }, post([clip(500)]));
    const [video] = fb.videos;
    expect(Buffer.from(video!.thumb!.bytes).equals(Buffer.from(COVER))).toBe(true);
    expect(video!.thumb!.contentType).toBe('image/jpeg');
    expect(seen.at(-1)).toBe(500);
  });

  it('sends it with the finish of a chunked upload, progress moving chunk by chunk', async () => {
    const seen: number[] = [];
    await connector.publish({ ...ctx, onUploadProgress: (sent) => seen.push(sent) }, post([clip(1100)]));
    const [video] = fb.videos;
    expect(video!.chunks).toBe(3);
    expect(video!.thumb).toBeDefined();
    const finish = fb.requests.find((r) => r.body.fields.some(([n, v]) => n === 'upload_phase' && v === 'finish'))!;
    expect(finish.body.files.map(([name]) => name)).toEqual(['thumb']);
    // Three chunks of 400, 400 and 300 bytes: the figure moves as each one goes.
    expect(seen).toEqual([400, 800, 1100]);
  });

  it('sends no thumb for a video without a cover', async () => {
    await connector.publish(ctx, post([clip(500, false)]));
    expect(fb.videos[0]!.thumb).toBeUndefined();
  });
});

describe('Instagram reel cover', () => {
  const connector = createInstagramConnector({ timeoutMs: 2000, uploadTimeoutMs: 2000, pollIntervalMs: 5, pollTimeoutMs: 2000 });
  let ig: InstagramFake;
  let relay: LoopbackRelay;
  let ctx: InstagramContext;

  beforeEach(async () => {
    ig = await startInstagramFake();
    relay = await startLoopbackRelay();
    const account = ig.addAccount({ username: 'cornerbakery' });
    ctx = {
      baseUrl: ig.baseUrl,
      credentials: { appId: account.appId, appSecret: account.appSecret, pageToken: account.pageToken },
      config: { instagramAccountId: account.igUserId, pageId: account.pageId, username: account.username },
      fetch,
      now: Date.now,
      relay,
    };
  });

  afterEach(async () => {
    const violations = [...ig.violations];
    await ig.close();
    await relay.close();
    expect(violations).toEqual([]);
  });

  it('gives a reel the cover through the relay (cover_url), which is emptied after', async () => {
    const seen: number[] = [];
    await connector.publish({ ...ctx, onUploadProgress: (sent) => seen.push(sent) }, post([clip(1500)]));
    const reel = ig.containers.find((c) => c.type === 'REELS')!;
    expect(reel.params['cover_url']).toMatch(new RegExp(`^${relay.baseUrl}/m/`));
    expect(Buffer.from(reel.cover!.bytes).equals(Buffer.from(COVER))).toBe(true);
    expect(reel.media?.from).toBe('upload');
    expect(relay.held.size).toBe(0);
    expect(seen.at(-1)).toBe(1500);
  });

  it('without a relay the reel names the cover frame by its time in the video (thumb_offset)', async () => {
    const item = clip(1500);
    await connector.publish({ ...ctx, relay: undefined }, post([{ ...item, cover: { ...item.cover!, atMs: 4200 } }]));
    const reel = ig.containers.find((c) => c.type === 'REELS')!;
    expect(reel.params['cover_url']).toBeUndefined();
    expect(reel.params['thumb_offset']).toBe('4200');
  });
});
