import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Connector, MediaItem } from '../../../main/core/connector';
import { createYouTubeConnector, type YouTubeContext } from '../../../main/services/connectors/youtube';
import type { Scheduler } from '../../../main/services/scheduler/engine';
import { postHistory } from '../../../main/services/scheduler/history-repo';
import { cancelPost, reschedulePost } from '../../../main/services/scheduler/scheduling';
import { openDatabase, type Db } from '../../../main/services/store/database';
import { makeClip } from '../../support/video-fixtures';
import { startYouTubeFake, type FakeChannel, type YouTubeFake } from '../../fakes/youtube-fake';
import { addAccount, addProject, addScheduledPost, FakeNetwork, FakeTime, jobOf, startEngine, targetRow, type Harness } from './support';

/**
 * Native handoff to YouTube through the real engine, against the YouTube fake on the engine's clock:
 * a video due far enough ahead is uploaded private with status.publishAt at its instant, a calendar
 * move is videos.update, YouTube makes it public at its time and the local check records it; a lost
 * answer to the last chunk is settled by the upload session's status (the same video, no second
 * upload); unscheduling deletes the held video. Every test ends with one video or none.
 */

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const CHUNK = 256 * 1024;

let dir: string;
let clip: MediaItem;
let db: Db;
let time: FakeTime;
let yt: YouTubeFake;
let channel: FakeChannel;
let harness: Harness | undefined;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'outpost-yt-handoff-'));
  const bytes = new Uint8Array(readFileSync(makeClip(dir, 'loaves.mp4', { seconds: 3, width: 640, height: 360 })));
  clip = { fileName: 'loaves.mp4', mime: 'video/mp4', bytes, alt: '', width: 640, height: 360, durationMs: 3000 };
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

beforeEach(async () => {
  db = openDatabase(':memory:');
  time = new FakeTime();
  yt = await startYouTubeFake({ now: time.clock.now });
  channel = yt.addChannel('Corner Bakery');
  harness = undefined;
});

afterEach(async () => {
  await harness?.scheduler.stop();
  db.close();
  expect(yt.violations).toEqual([]);
  await yt.close();
});

function engine(): Scheduler {
  const connector = createYouTubeConnector({ timeoutMs: 2_000, uploadTimeoutMs: 2_000, chunkBytes: CHUNK, resumeTries: 0 }) as unknown as Connector;
  const app = yt.addApp();
  const tokens = yt.tokensFor(app, channel);
  const ctx: YouTubeContext = {
    baseUrl: yt.baseUrl,
    credentials: { clientId: app.clientId, clientSecret: app.clientSecret, accessToken: tokens.accessToken, refreshToken: tokens.refreshToken, accessExpiresAt: time.now() + 86_400_000 },
    config: { channelId: channel.id, channelTitle: channel.title, uploadsPlaylistId: channel.uploadsPlaylistId },
    fetch,
    now: time.clock.now,
  };
  // The keychain: what the connector saves is what the next attempt reads.
  ctx.saveCredentials = async (renewed) => void (ctx.credentials = renewed);
  harness = startEngine(db, time, new FakeNetwork(time.clock.now), {
    connectorFor: () => connector,
    openAccount: async () => ({ connector, ctx: ctx as never }),
    loadMedia: async () => [clip],
    nativeHandoff: {},
  });
  return harness.scheduler;
}

async function pass(ms: number, scheduler: Scheduler, step = 30 * SECOND): Promise<void> {
  for (let left = ms; left > 0; left -= step) await time.advance(Math.min(step, left), scheduler);
  await scheduler.whenIdle();
}

function setup(dueIn: number, body = 'Morning loaves\nHow we shape them.') {
  const project = addProject(db);
  const account = addAccount(db, project, { network: 'youtube' });
  const post = addScheduledPost(db, time.clock, project, [account], time.now() + dueIn, { body });
  const targetId = post.targetIds[0]!;
  db.prepare(`UPDATE post_targets SET media_override = ? WHERE id = ?`).run(JSON.stringify(['clip']), targetId);
  db.prepare(`UPDATE posts SET network_options = ? WHERE id = ?`).run(JSON.stringify({ youtube: { tags: ['bread'], madeForKids: false } }), post.postId);
  return { ...post, targetId };
}

describe('native handoff to YouTube (private + publishAt)', () => {
  it('uploads the video private with publishAt at its instant, moves it, and YouTube publishes it once; the check records it', async () => {
    const { postId, targetId } = setup(2 * 60 * MINUTE);
    const due = time.now() + 2 * 60 * MINUTE;
    const scheduler = engine();
    await pass(1 * SECOND, scheduler);
    const [held] = yt.live(channel);
    expect(held).toMatchObject({ snippet: { title: 'Morning loaves', tags: ['bread'] }, status: { privacyStatus: 'private', publishAt: new Date(due).toISOString(), selfDeclaredMadeForKids: false } });
    expect(targetRow(db, targetId)).toMatchObject({ state: 'native_scheduled', native_schedule_id: held!.id });

    const later = due + 90 * MINUTE;
    reschedulePost({ db, clock: time.clock, wake: () => scheduler.wake() }, postId, later);
    await pass(1 * SECOND, scheduler);
    expect(yt.live(channel).map((v) => v.status.publishAt)).toEqual([new Date(later).toISOString()]);
    await pass(2 * 60 * MINUTE + 30 * MINUTE, scheduler, MINUTE);
    expect(yt.live(channel)[0]!.status.privacyStatus).toBe('private');

    await pass(62 * MINUTE, scheduler, MINUTE);
    expect(yt.live(channel).map((v) => [v.id, v.status.privacyStatus])).toEqual([[held!.id, 'public']]);
    expect(targetRow(db, targetId)).toMatchObject({ state: 'published', remote_id: held!.id, remote_url: `https://www.youtube.com/watch?v=${held!.id}` });
    expect(yt.uploads).toHaveLength(1);
    expect(postHistory(db, postId).map((h) => h.event)).toEqual(['scheduled', 'attempt', 'native_scheduled', 'rescheduled', 'attempt', 'native_updated', 'verified']);
  });

  it('a lost answer to the last chunk: the retry asks the upload session, finds the video and holds it — one upload, published once', async () => {
    const { targetId } = setup(60 * MINUTE);
    const chunks = Math.ceil(clip.bytes.byteLength / CHUNK);
    let dataPuts = 0;
    yt.server.faults.next(yt.server.fault({ kind: 'reset' }, true), 1, (req) => req.method === 'PUT' && !String(req.headers['content-range']).startsWith('bytes */') && ++dataPuts === chunks);
    const scheduler = engine();
    await pass(1 * SECOND, scheduler);
    expect(yt.videos).toHaveLength(1);
    await pass(3 * MINUTE, scheduler, 5 * SECOND);
    expect(targetRow(db, targetId)).toMatchObject({ state: 'native_scheduled', native_schedule_id: yt.videos[0]!.id });
    expect(yt.uploads).toHaveLength(1);
    expect(yt.uploads[0]!.statusQueries).toBeGreaterThanOrEqual(1);

    await pass(60 * MINUTE, scheduler, MINUTE);
    expect(yt.live(channel).map((v) => v.status.privacyStatus)).toEqual(['public']);
    expect(targetRow(db, targetId)).toMatchObject({ state: 'published', remote_id: yt.videos[0]!.id });
    expect(yt.videos).toHaveLength(1);
  });

  it('unscheduling takes the held video back (videos.delete): nothing goes public', async () => {
    const { postId, targetId } = setup(60 * MINUTE);
    const scheduler = engine();
    await pass(1 * SECOND, scheduler);
    expect(yt.live(channel)).toHaveLength(1);
    cancelPost({ db, clock: time.clock, wake: () => scheduler.wake() }, postId);
    await pass(1 * MINUTE, scheduler, 5 * SECOND);
    expect(yt.live(channel)).toHaveLength(0);
    expect(yt.requests.filter((r) => r.method === 'DELETE')).toHaveLength(1);
    await pass(70 * MINUTE, scheduler, MINUTE);
    expect(yt.live(channel)).toHaveLength(0);
    expect(jobOf(db, targetId, 'native_schedule')).toMatchObject({ state: 'done' });
  });
});
