import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../../fakes/fake-server';
import { startYouTubeFake, type YouTubeFake } from '../../fakes/youtube-fake';
import { openDatabase } from '../../../main/services/store/database';
import { makeTempDir } from '../../unit/support/backend';
import { addAccount, addProject, addScheduledPost } from '../../unit/scheduler/support';
import { makeClip } from '../../support/video-fixtures';
import { bundleForNode } from './bundle';

/**
 * YouTube uploads killed mid-way (issue 13 reliability): ten videos to two channels through the
 * crash test's child (the real engine on a real SQLite file), against a YouTube fake whose chunk
 * PUTs are slow; the process is SIGKILLed only once the fake has taken another chunk since the run
 * began — so every kill falls while an upload is under way — at least 20 times, then left to finish.
 * The fake's upload records show whether each session was resumed from YouTube's offset or restarted.
 */

const VIDEOS = 10;
const MIN_KILLS = 20;
const CHUNK = 256 * 1024;

let child: string;
let dir: ReturnType<typeof makeTempDir>;
let youtube: YouTubeFake;

beforeAll(async () => {
  child = await bundleForNode(resolve(__dirname, 'crash-child.ts'), 'crash-child');
  dir = makeTempDir('outpost-youtube-crash-');
  youtube = await startYouTubeFake();
  youtube.slowPuts(60);
}, 60_000);

afterAll(async () => {
  await youtube?.close();
  dir?.remove();
});

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const received = () => youtube.uploads.reduce((sum, u) => sum + u.received, 0);

describe('YouTube uploads killed mid-way', () => {
  it(`${VIDEOS} videos, ≥ ${MIN_KILLS} SIGKILLs during uploads: each video once, every session resumed from YouTube's offset, none restarted`, { timeout: 240_000 }, async () => {
    const app = youtube.addApp();
    const channels = [youtube.addChannel('Crash A'), youtube.addChannel('Crash B')];
    const keychain = join(dir.path, 'keychain');
    mkdirSync(keychain);
    const video = makeClip(dir.path, 'crash-video.mp4', { seconds: 4, width: 720, height: 1280 });

    const dbPath = join(dir.path, 'outpost.db');
    const db = openDatabase(dbPath);
    const project = addProject(db, { graceMinutes: 60 });
    const accounts = channels.map((c) => addAccount(db, project, { network: 'youtube', config: { channelId: c.id, channelTitle: c.title, uploadsPlaylistId: c.uploadsPlaylistId } }));
    const posts = Array.from({ length: VIDEOS }, (_, i) => {
      const body = `crash video ${String(i).padStart(2, '0')}`;
      const { targetIds } = addScheduledPost(db, { now: () => Date.now() }, project, [accounts[i % 2]!], Date.now() + 500 + i * 100, { body });
      db.prepare(`UPDATE post_targets SET media_override = '["crash-video"]' WHERE id = ?`).run(targetIds[0]);
      return { body, targetId: targetIds[0]! };
    });
    db.close();

    // The crash child serves every network; only YouTube has accounts here.
    const none = { baseUrl: 'http://127.0.0.1:9' };
    const env = {
      db: dbPath,
      telegram: { ...none, botToken: '1:x' },
      mastodon: { ...none, accessToken: 'x', clientId: 'x', clientSecret: 'x', accountId: '1' },
      vk: { ...none, accessToken: 'x', userId: 1 },
      facebook: { ...none, appId: 'x', appSecret: 'x', pageTokens: {} },
      instagram: { ...none, relayUrl: 'http://127.0.0.1:9', accounts: {} },
      discord: { ...none, tokens: {} },
      x: { ...none, clientId: 'x', tokens: {} },
      youtube: {
        baseUrl: youtube.baseUrl,
        keychain,
        video,
        credentials: Object.fromEntries(
          channels.map((c) => {
            const tokens = youtube.tokensFor(app, c);
            return [c.id, { clientId: app.clientId, clientSecret: app.clientSecret, accessToken: tokens.accessToken, refreshToken: tokens.refreshToken, accessExpiresAt: tokens.expiresAt }];
          }),
        ),
      },
    };
    const random = seededRandom(20261206);
    let kills = 0;
    let runs = 0;
    let stderr = '';
    for (;;) {
      runs += 1;
      const proc: ChildProcess = spawn(process.execPath, [child], { env: { ...process.env, OUTPOST_CRASH_CHILD: JSON.stringify(env) }, stdio: ['ignore', 'pipe', 'pipe'] });
      proc.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      proc.stdout!.resume();
      let exited = false;
      const done = new Promise<void>((r) => proc.once('exit', () => ((exited = true), r())));
      if (kills < MIN_KILLS) {
        // Killed once this run has moved an upload on by a chunk, a little after (mid-PUT or between two).
        const before = received();
        while (!exited && received() < before + CHUNK) await sleep(5);
        if (!exited) {
          await sleep(random() * 80);
          proc.kill('SIGKILL');
          await done;
          kills += 1;
          continue;
        }
      } else {
        await Promise.race([done, sleep(120_000)]);
        if (!exited) proc.kill('SIGKILL');
      }
      await done;
      expect(proc.exitCode, stderr).toBe(0);
      break;
    }

    const check = openDatabase(dbPath);
    const stateOf = check.prepare(`SELECT state, remote_id AS remoteId FROM post_targets WHERE id = ?`);
    const outcomes = posts.map((p) => ({ ...(stateOf.get(p.targetId) as { state: string; remoteId: string | null }), count: youtube.videos.filter((v) => v.snippet.description === p.body).length }));
    check.close();
    const withBytes = youtube.uploads.filter((u) => u.chunkStarts.length > 0);
    const restarted = withBytes.filter((u) => u.chunkStarts.some((start, k) => k > 0 && start <= u.chunkStarts[k - 1]!)).length;
    const resumed = withBytes.filter((u) => u.statusQueries > 0 && u.chunkStarts.length > 1).length;
    const secondSessions = withBytes.length - new Set(withBytes.map((u) => u.title)).size;
    console.log(
      `YouTube crash: ${kills} SIGKILLs during uploads over ${runs} runs; ${outcomes.filter((o) => o.state === 'published' && o.count === 1).length}/${VIDEOS} published once; ` +
        `${youtube.videos.length} videos from ${youtube.uploads.length} sessions (${withBytes.length} carried bytes); ${resumed} resumed after a status query (${youtube.uploads.reduce((n, u) => n + u.statusQueries, 0)} queries), ${restarted} restarted, ${secondSessions} second sessions`,
    );
    expect(kills).toBeGreaterThanOrEqual(MIN_KILLS);
    expect(outcomes.map((o) => [o.state, o.count])).toEqual(posts.map(() => ['published', 1]));
    expect(outcomes.every((o, i) => o.remoteId === youtube.videos.find((v) => v.snippet.description === posts[i]!.body)?.id)).toBe(true);
    expect(youtube.videos).toHaveLength(VIDEOS);
    expect(restarted).toBe(0);
    expect(secondSessions).toBe(0);
    expect(resumed).toBeGreaterThan(0);
    expect(youtube.violations).toEqual([]);
  });
});
