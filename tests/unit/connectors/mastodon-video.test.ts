import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { MediaItem, PublishRequest } from '../../../main/core/connector';
import { createMastodonConnector, DEFAULT_MASTODON_LIMITS, type MastodonContext } from '../../../main/services/connectors/mastodon';
import { startMastodonFake, type MastodonFake } from '../../fakes/mastodon-fake';
import { makeClip } from '../../support/video-fixtures';

const START = Date.parse('2026-03-02T09:00:00.000Z');
const connector = createMastodonConnector({ requestTimeoutMs: 2000, uploadTimeoutMs: 5000, mediaPoll: { firstDelayMs: 5, maxDelayMs: 20, maxWaitMs: 500 } });

let dir: string;
let clip: Uint8Array;
let cover: Uint8Array;
let fake: MastodonFake;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'outpost-mastodon-video-'));
  clip = readFileSync(makeClip(dir, 'clip.mp4', { seconds: 1, width: 320, height: 180 }));
  cover = await sharp({ create: { width: 640, height: 360, channels: 3, background: '#c0392b' } }).jpeg().toBuffer();
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

beforeEach(async () => {
  fake = await startMastodonFake({ startTime: START });
});

afterEach(async () => {
  const violations = [...fake.violations];
  await fake.close();
  expect(violations).toEqual([]);
});

function context(extra: Partial<MastodonContext> = {}): MastodonContext {
  return {
    baseUrl: fake.baseUrl,
    credentials: fake.issueToken(),
    config: { accountId: fake.accountId, acct: 'outpost_tester@fake.social', url: `${fake.baseUrl}/@outpost_tester`, limits: DEFAULT_MASTODON_LIMITS },
    fetch,
    now: () => fake.now(),
    ...extra,
  };
}

function video(extra: Partial<MediaItem> = {}): MediaItem {
  return { fileName: 'clip.mp4', mime: 'video/mp4', bytes: clip, alt: 'A test pattern', width: 320, height: 180, durationMs: 1000, cover: { bytes: cover, mime: 'image/jpeg' }, ...extra };
}

function post(media: MediaItem[]): PublishRequest {
  return { text: 'A clip', media, idempotencyKey: `job-${Math.random().toString(36).slice(2)}` };
}

describe('Mastodon video', () => {
  it('uploads the cover as the video thumbnail, waits while the server processes it, then posts it', async () => {
    fake.queueMediaProcessing(3);
    const published = await connector.publish(context(), post([video()]));
    const status = fake.statuses.find((s) => s.id === published.remoteId)!;
    expect(status.mediaIds).toHaveLength(1);
    const media = fake.media.get(status.mediaIds[0]!)!;
    expect(media.mime).toBe('video/mp4');
    expect(media.description).toBe('A test pattern');
    expect(Buffer.from(media.thumbnail!.bytes).equals(Buffer.from(cover))).toBe(true);
    expect(media.thumbnail!.contentType).toBe('image/jpeg');
    // 202 on upload, 206 ×3 while processing, then 200 with the url: only then the status.
    const polls = fake.requests.filter((r) => r.method === 'GET' && r.path.startsWith('/api/v1/media/'));
    expect(polls).toHaveLength(4);
    const statusAt = fake.requests.findIndex((r) => r.method === 'POST' && r.path === '/api/v1/statuses');
    expect(statusAt).toBeGreaterThan(fake.requests.indexOf(polls.at(-1)!));
  });

  it('sends no thumbnail with an image, nor with a video without a cover', async () => {
    await connector.publish(context(), post([video({ cover: undefined })]));
    const [media] = [...fake.media.values()];
    expect(media!.thumbnail).toBeNull();
    expect(fake.requests.filter((r) => r.path === '/api/v2/media').flatMap((r) => r.body.files.map(([name]) => name))).toEqual(['file']);
  });

  it('reports one growing figure across a post with two videos, ending at their bytes', async () => {
    const seen: Array<[number, number]> = [];
    await connector.publish(context({ onUploadProgress: (sent, total) => seen.push([sent, total]) }), post([video(), video({ fileName: 'second.mp4' })]));
    const total = clip.byteLength * 2;
    expect(new Set(seen.map(([, of]) => of))).toEqual(new Set([total]));
    const sent = seen.map(([n]) => n);
    expect(sent).toEqual([...sent].sort((a, b) => a - b));
    expect(sent.some((n) => n > 0 && n < clip.byteLength)).toBe(true);
    expect(sent.at(-1)).toBe(total);
  });
});
