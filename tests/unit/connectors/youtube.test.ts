import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ConnectorError, type MediaItem } from '../../../main/core/connector';
import { createYouTubeConnector, msToPacificMidnight, type YouTubeContext, type YouTubeCredentials, type YouTubePublishRequest } from '../../../main/services/connectors/youtube';
import { makeClip } from '../../support/video-fixtures';
import { startYouTubeFake, type FakeChannel, type FakeGoogleApp, type YouTubeFake } from '../../fakes/youtube-fake';

const CHUNK = 256 * 1024;
let dir: string;
let clipBytes: Uint8Array;
let clock: number;
let yt: YouTubeFake;
let app: FakeGoogleApp;
let channel: FakeChannel;
let saved: YouTubeCredentials[];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'outpost-yt-'));
  // A vertical 4-second clip, large enough for several 256 KiB chunks.
  clipBytes = new Uint8Array(readFileSync(makeClip(dir, 'short.mp4', { seconds: 4, width: 720, height: 1280, fps: 30 })));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

beforeEach(async () => {
  clock = Date.UTC(2026, 11, 5, 9, 0, 0);
  yt = await startYouTubeFake({ now: () => clock });
  app = yt.addApp();
  channel = yt.addChannel('Corner Bakery');
  saved = [];
});

afterEach(async () => {
  const violations = [...yt.violations];
  await yt.close();
  expect(violations).toEqual([]);
});

function context(overrides: { fetch?: typeof fetch; credentials?: YouTubeCredentials } = {}): YouTubeContext {
  const tokens = yt.tokensFor(app, channel);
  return {
    baseUrl: yt.baseUrl,
    fetch: overrides.fetch ?? fetch,
    now: () => clock,
    config: { channelId: channel.id, channelTitle: channel.title, uploadsPlaylistId: channel.uploadsPlaylistId },
    credentials: overrides.credentials ?? { clientId: app.clientId, clientSecret: app.clientSecret, accessToken: tokens.accessToken, refreshToken: tokens.refreshToken, accessExpiresAt: tokens.expiresAt },
    saveCredentials: async (renewed) => void saved.push(renewed),
  };
}

const clip = (extra: Partial<MediaItem> = {}): MediaItem => ({ fileName: 'short.mp4', mime: 'video/mp4', bytes: clipBytes, alt: '', width: 720, height: 1280, durationMs: 4000, ...extra });
const cover = { bytes: new Uint8Array(4000).fill(9), mime: 'image/jpeg', width: 720, height: 1280 };

function post(overrides: Partial<YouTubePublishRequest> = {}): YouTubePublishRequest {
  return {
    text: 'Sourdough in four seconds\nHow our morning loaves are shaped.',
    media: [clip({ cover })],
    idempotencyKey: 'job-1',
    youtube: { title: 'Shaping sourdough', tags: ['bread', 'sourdough baking'], categoryId: '26', privacy: 'unlisted', madeForKids: false, shorts: true },
    ...overrides,
  };
}

async function failure(promise: Promise<unknown>): Promise<ConnectorError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(ConnectorError);
  return error as ConnectorError;
}

/** A fetch that cuts the connection on the nth data PUT to the session (a crash mid-upload, seen from the wire). */
function cutOnPut(n: number, when: 'before' | 'after' = 'before'): typeof fetch {
  let puts = 0;
  return async (input, init) => {
    const isData = init?.method === 'PUT' && !String(new Headers(init.headers).get('content-range')).startsWith('bytes */');
    if (isData && ++puts === n) {
      if (when === 'after') await fetch(input, init);
      throw Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }) });
    }
    return fetch(input, init);
  };
}

describe('YouTube upload (resumable, Discovery-checked)', () => {
  it('uploads the video in 256 KiB-multiple chunks with its title, description, tags, category, privacy, kids flag and #Shorts, then sets the cover as thumbnail', async () => {
    const connector = createYouTubeConnector({ chunkBytes: CHUNK });
    const progress: number[] = [];
    const ctx = { ...context(), onUploadProgress: (sent: number) => void progress.push(sent) };
    const published = await connector.publish(ctx, post());

    const [video] = yt.live(channel);
    expect(video).toMatchObject({
      snippet: { title: 'Shaping sourdough', description: 'Sourdough in four seconds\nHow our morning loaves are shaped.\n\n#Shorts', tags: ['bread', 'sourdough baking'], categoryId: '26' },
      status: { privacyStatus: 'unlisted', selfDeclaredMadeForKids: false },
      bytes: clipBytes.byteLength,
      thumbnail: { type: 'image/jpeg', bytes: 4000 },
    });
    expect(published).toEqual({ remoteId: video!.id, url: `https://www.youtube.com/watch?v=${video!.id}`, publishedAt: clock });
    const [upload] = yt.uploads;
    const chunks = Math.ceil(clipBytes.byteLength / CHUNK);
    expect(chunks).toBeGreaterThan(2);
    expect(upload!.chunkStarts).toEqual(Array.from({ length: chunks }, (_, i) => i * CHUNK));
    expect(progress.at(-1)).toBe(clipBytes.byteLength);
    // The session URI went to the keychain before the first byte, and the video id once done.
    expect(saved[0]!.uploads!['job-1']).toMatchObject({ total: clipBytes.byteLength });
    expect(saved[0]!.uploads!['job-1']!.videoId).toBeUndefined();
    expect(saved.at(-1)!.uploads!['job-1']!.videoId).toBe(video!.id);
    // One upload of the day's 100; thumbnails.set 50 units — Outpost's own count agrees with the fake's and is shown before scheduling.
    expect(yt.quota).toEqual({ uploads: 1, units: 50 });
    expect(ctx.credentials.quota).toEqual({ day: '2026-12-05', uploads: 1, units: 50 });
    expect(await connector.publishingQuota(ctx)).toEqual({ posts: { used: 1, total: 100 }, replies: null, windowMs: 3_600_000 });
    // A new day in Los Angeles starts the count again.
    clock += 23 * 3_600_000;
    expect((await connector.publishingQuota(ctx)).posts.used).toBe(0);
  });

  it('leaves #Shorts out when the video is landscape, and takes the first line as title when none is given', async () => {
    const connector = createYouTubeConnector();
    await connector.publish(context(), post({ media: [clip({ width: 1280, height: 720 })], youtube: { shorts: true } }));
    expect(yt.live(channel)[0]).toMatchObject({ snippet: { title: 'Sourdough in four seconds', description: 'Sourdough in four seconds\nHow our morning loaves are shaped.', categoryId: '22' }, status: { privacyStatus: 'public' } });
  });

  it('refuses before any call what YouTube would refuse, naming it', async () => {
    const connector = createYouTubeConnector();
    expect((await failure(connector.publish(context(), post({ youtube: { title: 'x'.repeat(101) } })))).networkMessage).toMatch(/title holds at most 100/);
    expect((await failure(connector.publish(context(), post({ youtube: { tags: ['a'.repeat(300), 'b'.repeat(300)] } })))).networkMessage).toMatch(/tags hold at most 500/);
    expect((await failure(connector.publish(context(), post({ text: 'Fresh <b>bread</b>' })))).networkMessage).toMatch(/< and >/);
    expect((await failure(connector.publish(context(), post({ media: [] })))).kind).toBe('validation');
    expect(yt.requests).toHaveLength(0);
  });

  it('after a crash mid-upload resumes the same session from the offset YouTube reports, never from byte 0, and makes one video', async () => {
    const first = createYouTubeConnector({ chunkBytes: CHUNK, resumeTries: 0 });
    const crashed = await failure(first.publish(context({ fetch: cutOnPut(3) }), post()));
    expect(crashed.maybeSent).toBe(false);
    const keychain = saved.at(-1)!;
    expect(keychain.uploads!['job-1']!.uri).toContain('upload_id=');

    // A new process: credentials read back from the keychain, the lost attempt verified first.
    const restarted = createYouTubeConnector({ chunkBytes: CHUNK });
    const ctx = context({ credentials: keychain });
    expect(await restarted.verify(ctx, { idempotencyKey: 'job-1', startedAt: clock, text: post().text })).toEqual({ found: false });
    const published = await restarted.publish(ctx, post());

    expect(yt.uploads).toHaveLength(1);
    const upload = yt.uploads[0]!;
    // Two chunks arrived before the cut; after the restart YouTube was asked, and the upload went on from byte 2·256 KiB: no byte sent twice.
    expect(upload.chunkStarts).toEqual(Array.from({ length: Math.ceil(clipBytes.byteLength / CHUNK) }, (_, i) => i * CHUNK));
    expect(upload.statusQueries).toBeGreaterThanOrEqual(1);
    expect(yt.live(channel).map((v) => v.id)).toEqual([published.remoteId]);
  });

  it('resumes within the attempt when YouTube keeps only part of a chunk (308 with a shorter Range)', async () => {
    yt.acceptAtMost(CHUNK);
    const connector = createYouTubeConnector({ chunkBytes: 2 * CHUNK });
    await connector.publish(context(), post());
    const upload = yt.uploads[0]!;
    expect(upload.chunkStarts).toEqual(Array.from({ length: upload.chunkStarts.length }, (_, i) => i * CHUNK));
    expect(yt.live(channel)).toHaveLength(1);
  });

  it('a lost answer to the last chunk is settled by the session status (the video resource), never a second upload', async () => {
    const chunks = Math.ceil(clipBytes.byteLength / CHUNK);
    const first = createYouTubeConnector({ chunkBytes: CHUNK, resumeTries: 0 });
    const lost = await failure(first.publish(context({ fetch: cutOnPut(chunks, 'after') }), post()));
    expect(lost.maybeSent).toBe(true);
    expect(yt.live(channel)).toHaveLength(1);

    const restarted = createYouTubeConnector({ chunkBytes: CHUNK });
    const ctx = context({ credentials: saved.at(-1)! });
    const found = await restarted.verify(ctx, { idempotencyKey: 'job-1', startedAt: clock, text: post().text });
    expect(found).toEqual({ found: true, post: expect.objectContaining({ remoteId: yt.videos[0]!.id }) });
    // Published again with the same key: the same video, no second session.
    expect((await restarted.publish(ctx, post())).remoteId).toBe(yt.videos[0]!.id);
    expect(yt.uploads).toHaveLength(1);
    expect(yt.videos).toHaveLength(1);
  });

  it('quotaExceeded is a wait until midnight Pacific time, and nothing was sent', async () => {
    yt.quotaExceeded(true);
    const error = await failure(createYouTubeConnector().publish(context(), post()));
    expect(error).toMatchObject({ kind: 'rate_limited', status: 403, retryAfterMs: msToPacificMidnight(clock) });
    expect(error.maybeSent).toBe(false);
    expect(error.networkMessage).toMatch(/exceeded your quota.*midnight Pacific/);
    // 09:00 UTC on 5 December is 01:00 in Los Angeles: 23 hours to go.
    expect(msToPacificMidnight(clock)).toBe(23 * 3_600_000);
  });

  it('a 500 on the upload start is not sent; an expired token is refreshed once and kept', async () => {
    const connector = createYouTubeConnector();
    yt.server.faults.next(yt.server.fault({ kind: 'server_error', status: 500 }), 1, (req) => req.method === 'POST' && req.path.startsWith('/upload/'));
    const error = await failure(connector.publish(context(), post()));
    expect(error).toMatchObject({ kind: 'transient' });
    expect(error.maybeSent).toBe(false);

    yt.expireAccessTokens();
    const ctx = context();
    yt.expireAccessTokens();
    await connector.publish(ctx, post({ idempotencyKey: 'job-2' }));
    expect(saved.some((c) => c.accessToken !== ctx.credentials.accessToken || c.refreshToken === ctx.credentials.refreshToken)).toBe(true);
    expect(yt.requests.filter((r) => r.path === '/token')).toHaveLength(1);
    expect(yt.live(channel)).toHaveLength(1);
  });

  it('deletes a video; one already gone counts as deleted', async () => {
    const connector = createYouTubeConnector();
    const { remoteId } = await connector.publish(context(), post());
    await connector.delete(context(), remoteId);
    expect(yt.live(channel)).toHaveLength(0);
    await connector.delete(context(), remoteId);
    expect(yt.quota.units).toBe(50 + 50 + 50);
  });
});

describe('YouTube native handoff (private + publishAt)', () => {
  const at = Date.UTC(2026, 11, 6, 8, 0, 0);

  it('hands the video over private with publishAt, moves it, sees it scheduled, then published once the time passed', async () => {
    const connector = createYouTubeConnector();
    const schedule = await connector.scheduleNative(context(), post({ youtube: { title: 'Morning loaves' } }), at);
    const [held] = yt.live(channel);
    expect(held!.status).toEqual({ privacyStatus: 'private', publishAt: '2026-12-06T08:00:00.000Z', selfDeclaredMadeForKids: false });
    expect(schedule).toEqual({ nativeId: held!.id, scheduledAt: at });

    const later = at + 3_600_000;
    await connector.updateNative(context(), held!.id, post({ youtube: { title: 'Morning loaves, later' } }), later);
    expect(yt.live(channel)[0]).toMatchObject({ snippet: { title: 'Morning loaves, later' }, status: { privacyStatus: 'private', publishAt: '2026-12-06T09:00:00.000Z' } });
    expect(await connector.checkNative(context(), held!.id, { text: '', scheduledAt: later })).toEqual({ state: 'scheduled', schedule: { nativeId: held!.id, scheduledAt: later } });

    clock = later + 60_000;
    expect(await connector.checkNative(context(), held!.id, { text: '', scheduledAt: later })).toEqual({
      state: 'published',
      post: { remoteId: held!.id, url: `https://www.youtube.com/watch?v=${held!.id}`, publishedAt: later },
    });
    await expect(connector.updateNative(context(), held!.id, post(), later + 86_400_000)).rejects.toThrow(/no longer waiting/);
  });

  it('a retry after a lost handoff answer finds the first upload and sets the time asked now; cancel deletes it', async () => {
    const connector = createYouTubeConnector({ chunkBytes: CHUNK, resumeTries: 0 });
    const chunks = Math.ceil(clipBytes.byteLength / CHUNK);
    await failure(connector.scheduleNative(context({ fetch: cutOnPut(chunks, 'after') }), post({ youtube: {} }), at));
    const again = await connector.scheduleNative(context({ credentials: saved.at(-1)! }), post({ youtube: {} }), at + 600_000);
    expect(yt.videos).toHaveLength(1);
    expect(again).toEqual({ nativeId: yt.videos[0]!.id, scheduledAt: at + 600_000 });
    expect(yt.videos[0]!.status.publishAt).toBe(new Date(at + 600_000).toISOString());

    await connector.cancelNative(context(), again.nativeId);
    expect(yt.live(channel)).toHaveLength(0);
    expect(await connector.checkNative(context(), again.nativeId, { text: '', scheduledAt: at })).toEqual({ state: 'missing' });
  });

  it('an unlisted or private choice is refused for handoff (publishAt would make it public): the local scheduler uploads it at its time', async () => {
    const error = await failure(createYouTubeConnector().scheduleNative(context(), post(), at));
    expect(error).toMatchObject({ kind: 'validation' });
    expect(error.maybeSent).toBe(false);
    expect(yt.requests).toHaveLength(0);
  });
});
