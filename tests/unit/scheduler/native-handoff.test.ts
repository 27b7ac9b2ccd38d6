import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Connector } from '../../../main/core/connector';
import { createMastodonConnector, DEFAULT_MASTODON_LIMITS, type MastodonContext } from '../../../main/services/connectors/mastodon';
import { createPostService } from '../../../main/services/posts/post-service';
import type { Scheduler } from '../../../main/services/scheduler/engine';
import { queueNativeSync } from '../../../main/services/scheduler/handoff-repo';
import { postHistory } from '../../../main/services/scheduler/history-repo';
import { claimJob, getJob, startAttempt } from '../../../main/services/scheduler/jobs-repo';
import { cancelPost, publishPostNow, reschedulePost, syncNativeContent } from '../../../main/services/scheduler/scheduling';
import type { Services } from '../../../main/services/services-types';
import { openDatabase, type Db } from '../../../main/services/store/database';
import { startMastodonFake, type MastodonFake } from '../../fakes/mastodon-fake';
import { addAccount, addProject, addScheduledPost, FakeNetwork, FakeTime, jobOf, startEngine, targetRow, type Harness } from './support';

/**
 * Native handoff against the Mastodon fake, whose scheduled statuses fire on its own clock (kept
 * in step with the engine's): a post due far enough ahead is handed to the server and checked
 * afterwards, edits and cancels follow it there, a refused handoff leaves the local job, and a
 * lost answer is resolved by the idempotency key. Every test ends with exactly one status or none.
 */

const SECOND = 1000;
const MINUTE = 60 * SECOND;

let db: Db;
let time: FakeTime;
let masto: MastodonFake;
let harness: Harness | undefined;

beforeEach(async () => {
  db = openDatabase(':memory:');
  time = new FakeTime();
  masto = await startMastodonFake({ domain: 'fake.social', username: 'bakery', startTime: time.now(), publicOrigin: 'https://fake.social' });
  harness = undefined;
});

afterEach(async () => {
  await harness?.scheduler.stop();
  db.close();
  await masto.close();
  expect(masto.violations).toEqual([]);
});

function engine(during?: () => void): Scheduler {
  const mastodon = createMastodonConnector();
  const connector = { ...mastodon } as unknown as Connector;
  // A user action landing while the handoff call is out.
  if (during) {
    connector.scheduleNative = async (ctx, post, at) => {
      during();
      return mastodon.scheduleNative(ctx as MastodonContext, post, at);
    };
  }
  const credentials = masto.issueToken();
  const ctx: MastodonContext = {
    baseUrl: masto.baseUrl,
    credentials,
    config: { accountId: masto.accountId, acct: 'bakery@fake.social', url: `${masto.baseUrl}/@bakery`, limits: DEFAULT_MASTODON_LIMITS },
    fetch,
    now: time.clock.now,
  };
  harness = startEngine(db, time, new FakeNetwork(time.clock.now), {
    connectorFor: () => connector,
    openAccount: async () => ({ connector, ctx }),
    nativeHandoff: {},
  });
  return harness.scheduler;
}

/** Lets time pass for the engine and the server alike; the server fires what is due on its clock. */
async function pass(ms: number, scheduler: Scheduler, step = 30 * SECOND): Promise<void> {
  for (let left = ms; left > 0; left -= step) {
    await time.advance(Math.min(step, left), scheduler);
    masto.setTime(time.now());
  }
  await scheduler.whenIdle();
}

const directPosts = () => masto.requests.filter((r) => r.method === 'POST' && r.path === '/api/v1/statuses' && !JSON.stringify(r.body).includes('scheduled_at'));

function setup(dueIn: number, body = 'Rye loaves on Saturday') {
  const project = addProject(db);
  const account = addAccount(db, project);
  const post = addScheduledPost(db, time.clock, project, [account], time.now() + dueIn, { body });
  return { ...post, targetId: post.targetIds[0]! };
}

describe('native handoff to Mastodon', () => {
  it('hands a post due in 30 minutes to the server, which publishes it once; the check records the link', async () => {
    const { postId, targetId } = setup(30 * MINUTE);
    const near = setup(5 * MINUTE, 'Out of the oven in five');
    const scheduler = engine();
    const due = time.now() + 30 * MINUTE;

    await pass(1 * SECOND, scheduler);
    expect(masto.scheduled).toHaveLength(1);
    expect(masto.scheduled[0]).toMatchObject({ text: 'Rye loaves on Saturday', scheduledAt: due });
    expect(targetRow(db, targetId)).toMatchObject({ state: 'native_scheduled', native_schedule_id: masto.scheduled[0]!.id });
    expect(jobOf(db, targetId)).toMatchObject({ state: 'pending', due_at: due, next_attempt_at: due + MINUTE });
    expect(db.prepare('SELECT status FROM posts WHERE id = ?').get(postId)).toEqual({ status: 'scheduled' });

    await pass(30 * MINUTE + 2 * MINUTE, scheduler);
    expect(masto.publishedCount).toBe(2);
    // The near post went from here; the far one only from the server.
    expect(directPosts().map((r) => JSON.stringify(r.body))).toEqual([expect.stringContaining('Out of the oven in five')]);
    const status = masto.statuses.find((s) => s.text === 'Rye loaves on Saturday')!;
    expect(status.fromScheduled).not.toBeNull();
    expect(targetRow(db, targetId)).toMatchObject({ state: 'published', remote_url: `https://fake.social/@bakery/${status.id}` });
    expect(targetRow(db, near.targetId)).toMatchObject({ state: 'published' });
    expect(postHistory(db, postId).map((h) => h.event)).toEqual(['scheduled', 'attempt', 'native_scheduled', 'verified']);
  });

  it('moves the server copy when the post is rescheduled, and nothing goes out at the old time', async () => {
    const { postId, targetId } = setup(30 * MINUTE);
    const scheduler = engine();
    await pass(1 * SECOND, scheduler);
    const later = time.now() + 90 * MINUTE;
    reschedulePost({ db, clock: time.clock, wake: () => scheduler.wake() }, postId, later);
    await pass(1 * SECOND, scheduler);
    expect(masto.scheduled.map((s) => s.scheduledAt)).toEqual([later]);
    expect(targetRow(db, targetId)).toMatchObject({ state: 'native_scheduled' });

    await pass(40 * MINUTE, scheduler);
    expect(masto.publishedCount).toBe(0);
    await pass(55 * MINUTE, scheduler);
    expect(masto.publishedCount).toBe(1);
    expect(directPosts()).toHaveLength(0);
    expect(targetRow(db, targetId)).toMatchObject({ state: 'published' });
    expect(postHistory(db, postId).map((h) => h.event)).toContain('native_updated');
  });

  it('replaces the server copy once the typing settles after a text edit, and publishes the new text once', async () => {
    const { postId, targetId } = setup(30 * MINUTE);
    const scheduler = engine();
    await pass(1 * SECOND, scheduler);
    const deps = { db, clock: time.clock, wake: () => scheduler.wake() };
    for (const body of ['Rye loaves on Sunday', 'Rye loaves on Sunday!']) {
      db.prepare('UPDATE posts SET body = ? WHERE id = ?').run(body, postId);
      syncNativeContent(deps, postId);
      await pass(5 * SECOND, scheduler, 5 * SECOND);
    }
    expect(masto.scheduled.map((s) => s.text)).toEqual(['Rye loaves on Saturday']);
    await pass(30 * SECOND, scheduler, 5 * SECOND);
    expect(masto.scheduled.map((s) => s.text)).toEqual(['Rye loaves on Sunday!']);
    expect(targetRow(db, targetId)).toMatchObject({ state: 'native_scheduled', native_schedule_id: masto.scheduled[0]!.id });

    await pass(32 * MINUTE, scheduler);
    expect(masto.statuses.map((s) => s.text)).toEqual(['Rye loaves on Sunday!']);
    expect(masto.publishedCount).toBe(1);
    expect(targetRow(db, targetId)).toMatchObject({ state: 'published' });
  });

  it('takes the post back from the server when it is unscheduled', async () => {
    const { postId, targetId } = setup(30 * MINUTE);
    const scheduler = engine();
    await pass(1 * SECOND, scheduler);
    expect(masto.scheduled).toHaveLength(1);
    cancelPost({ db, clock: time.clock, wake: () => scheduler.wake() }, postId);
    await pass(1 * SECOND, scheduler);
    expect(masto.scheduled).toHaveLength(0);
    expect(targetRow(db, targetId)).toMatchObject({ state: 'pending', native_schedule_id: null });
    await pass(40 * MINUTE, scheduler);
    expect(masto.publishedCount).toBe(0);
  });

  it('deleting the post takes the server copy back first, then the post is gone here; nothing goes out', async () => {
    const { postId } = setup(30 * MINUTE);
    const scheduler = engine();
    await pass(1 * SECOND, scheduler);
    expect(masto.scheduled).toHaveLength(1);
    const services = { db, clock: time.clock, emit: () => {}, scheduler, connectors: { entry: () => undefined } } as unknown as Pick<
      Services,
      'db' | 'clock' | 'emit' | 'scheduler' | 'connectors'
    >;
    await createPostService(services).remove(postId);
    expect(masto.scheduled).toHaveLength(0);
    expect(db.prepare('SELECT 1 FROM posts WHERE id = ?').get(postId)).toBeUndefined();
    await pass(40 * MINUTE, scheduler);
    expect(masto.publishedCount).toBe(0);
  });

  it('"publish now" takes the server copy back first, then publishes once from here', async () => {
    const { postId, targetId } = setup(30 * MINUTE);
    const scheduler = engine();
    await pass(1 * SECOND, scheduler);
    publishPostNow({ db, clock: time.clock, wake: () => scheduler.wake() }, postId);
    await pass(10 * SECOND, scheduler, 1 * SECOND);
    expect(masto.scheduled).toHaveLength(0);
    expect(masto.publishedCount).toBe(1);
    expect(directPosts()).toHaveLength(1);
    expect(targetRow(db, targetId)).toMatchObject({ state: 'published', native_schedule_id: null });
    await pass(40 * MINUTE, scheduler);
    expect(masto.publishedCount).toBe(1);
  });

  it('"publish now" while the handoff call is out: the server copy is taken back and the post goes out once, now', async () => {
    const { postId, targetId } = setup(30 * MINUTE);
    let once = true;
    const scheduler: Scheduler = engine(() => {
      if (!once) return;
      once = false;
      publishPostNow({ db, clock: time.clock, wake: () => scheduler.wake() }, postId);
    });
    await pass(10 * SECOND, scheduler, 1 * SECOND);
    expect(masto.scheduled).toHaveLength(0);
    expect(masto.publishedCount).toBe(1);
    expect(directPosts()).toHaveLength(1);
    expect(targetRow(db, targetId)).toMatchObject({ state: 'published', native_schedule_id: null });
    await pass(40 * MINUTE, scheduler);
    expect(masto.publishedCount).toBe(1);
  });

  it('leaves the post to the local job when the server refuses the handoff', async () => {
    const { postId, targetId } = setup(30 * MINUTE);
    masto.server.faults.next(
      { kind: 'respond', response: { status: 422, json: { error: 'Validation failed: Scheduled at is too far ahead' } } },
      1,
      masto.route('POST', '/api/v1/statuses'),
    );
    const scheduler = engine();
    await pass(1 * SECOND, scheduler);
    expect(masto.scheduled).toHaveLength(0);
    expect(targetRow(db, targetId)).toMatchObject({ state: 'scheduled', native_schedule_id: null });
    expect(jobOf(db, targetId, 'native_schedule')).toMatchObject({ state: 'failed' });

    await pass(31 * MINUTE, scheduler);
    expect(masto.publishedCount).toBe(1);
    expect(directPosts()).toHaveLength(1);
    expect(targetRow(db, targetId)).toMatchObject({ state: 'published' });
    const history = postHistory(db, postId);
    expect(history.find((h) => h.event === 'native_failed')?.message).toContain('too far ahead');
  });

  it('after a lost answer, asks again with the same key and gets the same schedule: one status in the end', async () => {
    const { targetId } = setup(30 * MINUTE);
    masto.resetNext(masto.route('POST', '/api/v1/statuses'), true);
    const scheduler = engine();
    await pass(1 * SECOND, scheduler);
    // The first answer was lost; the retry (same Idempotency-Key) is answered with the schedule made then.
    await pass(2 * MINUTE, scheduler, 5 * SECOND);
    expect(masto.scheduled).toHaveLength(1);
    expect(masto.requests.filter((r) => r.method === 'POST' && r.path === '/api/v1/statuses')).toHaveLength(2);
    expect(targetRow(db, targetId)).toMatchObject({ state: 'native_scheduled', native_schedule_id: masto.scheduled[0]!.id });
    await pass(31 * MINUTE, scheduler);
    expect(masto.publishedCount).toBe(1);
    expect(directPosts()).toHaveLength(0);
    expect(targetRow(db, targetId)).toMatchObject({ state: 'published' });
  });

  it('an unreadable 2xx to the handoff is not a refusal: it may have scheduled it, so the same key asks again; one status, none sent from here', async () => {
    const { targetId } = setup(30 * MINUTE, 'Seeded sourdough');
    masto.server.faults.next(
      { kind: 'respond', response: { status: 200, text: '<html><body>Welcome to the hotel Wi-Fi</body></html>', headers: { 'content-type': 'text/html' } }, afterHandling: true },
      1,
      masto.route('POST', '/api/v1/statuses'),
    );
    const scheduler = engine();
    await pass(1 * SECOND, scheduler);
    expect(masto.scheduled).toHaveLength(1);
    expect(jobOf(db, targetId, 'native_schedule')).not.toMatchObject({ state: 'failed' });
    await pass(2 * MINUTE, scheduler, 5 * SECOND);
    expect(masto.scheduled).toHaveLength(1);
    expect(targetRow(db, targetId)).toMatchObject({ state: 'native_scheduled', native_schedule_id: masto.scheduled[0]!.id });
    await pass(31 * MINUTE, scheduler);
    expect(masto.publishedCount).toBe(1);
    expect(directPosts()).toHaveLength(0);
    expect(targetRow(db, targetId)).toMatchObject({ state: 'published' });
  });

  it('after a crash mid-handoff, the restarted loop asks again with the same key: one schedule, nothing sent from here', async () => {
    const { targetId } = setup(30 * MINUTE, 'Crash-proof croissants');
    // The crashed process had claimed the handoff, journalled the attempt and reached the server, then died.
    queueNativeSync(db, targetId, time.now(), () => `k-${Math.random().toString(36).slice(2)}`);
    const sync = jobOf(db, targetId, 'native_schedule') as { id: string; idempotency_key: string };
    const row = getJob(db, sync.id)!;
    expect(claimJob(db, row, time.now(), time.now() + 10 * MINUTE)).toBe(true);
    startAttempt(db, row, time.now(), 1);
    const mastodon = createMastodonConnector();
    const ctx: MastodonContext = {
      baseUrl: masto.baseUrl,
      credentials: masto.issueToken(),
      config: { accountId: masto.accountId, acct: 'bakery@fake.social', url: `${masto.baseUrl}/@bakery`, limits: DEFAULT_MASTODON_LIMITS },
      fetch,
      now: time.clock.now,
    };
    const due = time.now() + 30 * MINUTE;
    await mastodon.scheduleNative(ctx, { text: 'Crash-proof croissants', media: [], idempotencyKey: sync.idempotency_key }, due);
    expect(masto.scheduled).toHaveLength(1);

    const scheduler = engine();
    await pass(2 * MINUTE, scheduler, 5 * SECOND);
    expect(masto.scheduled).toHaveLength(1);
    expect(targetRow(db, targetId)).toMatchObject({ state: 'native_scheduled', native_schedule_id: masto.scheduled[0]!.id });
    await pass(31 * MINUTE, scheduler);
    expect(masto.publishedCount).toBe(1);
    expect(directPosts()).toHaveLength(0);
    expect(targetRow(db, targetId)).toMatchObject({ state: 'published' });
  });
});
