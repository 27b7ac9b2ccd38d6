import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Connector } from '../../../main/core/connector';
import { createFacebookConnector, type FacebookContext } from '../../../main/services/connectors/facebook';
import { createPostService } from '../../../main/services/posts/post-service';
import type { Scheduler } from '../../../main/services/scheduler/engine';
import { postHistory } from '../../../main/services/scheduler/history-repo';
import { cancelPost, reschedulePost } from '../../../main/services/scheduler/scheduling';
import type { Services } from '../../../main/services/services-types';
import { openDatabase, type Db } from '../../../main/services/store/database';
import { fieldOf } from '../../fakes/fake-server';
import { startFacebookFake, type FacebookFake, type FakeFbApp, type FakeFbPage } from '../../fakes/facebook-fake';
import { addAccount, addProject, addScheduledPost, FakeNetwork, FakeTime, jobOf, startEngine, targetRow, type Harness } from './support';

/**
 * Native handoff to a Facebook Page through the real engine, against the Graph fake, whose clock is
 * the engine's: a post due far enough ahead becomes a scheduled Page post (published=false +
 * scheduled_publish_time), a calendar move is POST /{post-id}, Meta publishes it at its time and the
 * local check records it; a lost answer is settled by finding the copy among /scheduled_posts; a
 * time outside Meta's window leaves the post to the local job. Every test ends with one post or none.
 */

const SECOND = 1000;
const MINUTE = 60 * SECOND;

let db: Db;
let time: FakeTime;
let fb: FacebookFake;
let app: FakeFbApp;
let page: FakeFbPage;
let harness: Harness | undefined;

beforeEach(async () => {
  db = openDatabase(':memory:');
  time = new FakeTime();
  fb = await startFacebookFake({ now: time.clock.now });
  app = fb.addApp();
  page = fb.addPage({ name: 'Corner Bakery' });
  harness = undefined;
});

afterEach(async () => {
  await harness?.scheduler.stop();
  db.close();
  expect(fb.violations).toEqual([]);
  await fb.close();
});

function engine(): Scheduler {
  const connector = createFacebookConnector({ timeoutMs: 2_000, uploadTimeoutMs: 2_000 }) as unknown as Connector;
  const ctx: FacebookContext = {
    baseUrl: fb.baseUrl,
    credentials: { appId: app.id, appSecret: app.secret, pageToken: page.token },
    config: { pageId: page.id, name: page.name },
    fetch,
    now: time.clock.now,
  };
  harness = startEngine(db, time, new FakeNetwork(time.clock.now), { connectorFor: () => connector, openAccount: async () => ({ connector, ctx }), nativeHandoff: {} });
  return harness.scheduler;
}

async function pass(ms: number, scheduler: Scheduler, step = 30 * SECOND): Promise<void> {
  for (let left = ms; left > 0; left -= step) await time.advance(Math.min(step, left), scheduler);
  await scheduler.whenIdle();
}

function setup(dueIn: number, body = 'Sourdough on Saturday') {
  const project = addProject(db);
  const account = addAccount(db, project, { network: 'facebook' });
  const post = addScheduledPost(db, time.clock, project, [account], time.now() + dueIn, { body });
  return { ...post, targetId: post.targetIds[0]! };
}

const feedCalls = () => fb.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/feed'));

describe('native handoff to Facebook', () => {
  it('hands the post over as a scheduled Page post, moves it, and Meta publishes it once; the check records it', async () => {
    const { postId, targetId } = setup(30 * MINUTE);
    const scheduler = engine();
    await pass(1 * SECOND, scheduler);
    expect(fb.scheduledPosts(page)).toHaveLength(1);
    const waiting = fb.scheduledPosts(page)[0]!;
    expect(targetRow(db, targetId)).toMatchObject({ state: 'native_scheduled', native_schedule_id: waiting.id });

    const later = time.now() + 90 * MINUTE;
    reschedulePost({ db, clock: time.clock, wake: () => scheduler.wake() }, postId, later);
    await pass(1 * SECOND, scheduler);
    expect(fb.scheduledPosts(page).map((p) => p.scheduledAt)).toEqual([later / 1000]);
    await pass(40 * MINUTE, scheduler);
    expect(fb.livePosts(page)).toHaveLength(0);

    await pass(52 * MINUTE, scheduler);
    expect(fb.livePosts(page).map((p) => p.id)).toEqual([waiting.id]);
    expect(targetRow(db, targetId)).toMatchObject({ state: 'published', remote_id: waiting.id, remote_url: `https://www.facebook.com/${waiting.id}` });
    expect(feedCalls()).toHaveLength(1);
    expect(postHistory(db, postId).map((h) => h.event)).toEqual(['scheduled', 'attempt', 'native_scheduled', 'rescheduled', 'attempt', 'native_updated', 'verified']);
  });

  it('after a lost answer the retry finds Meta’s copy among the scheduled posts: still one, published once', async () => {
    const { targetId } = setup(30 * MINUTE);
    fb.faults.next(fb.fault({ kind: 'reset' }, true), 1, fb.match('POST', /\/feed$/));
    const scheduler = engine();
    await pass(1 * SECOND, scheduler);
    expect(fb.scheduledPosts(page)).toHaveLength(1);
    await pass(2 * MINUTE, scheduler, 5 * SECOND);
    expect(feedCalls()).toHaveLength(1);
    expect(targetRow(db, targetId)).toMatchObject({ state: 'native_scheduled', native_schedule_id: fb.scheduledPosts(page)[0]!.id });

    await pass(31 * MINUTE, scheduler);
    expect(fb.livePosts(page)).toHaveLength(1);
    expect(targetRow(db, targetId)).toMatchObject({ state: 'published' });
    expect(feedCalls()).toHaveLength(1);
  });

  it('a handoff whose answer was lost, then unscheduled before the retry: the replay names Meta’s copy and it is taken back, never published', async () => {
    const { postId, targetId } = setup(30 * MINUTE);
    fb.faults.next(fb.fault({ kind: 'reset' }, true), 1, fb.match('POST', /\/feed$/));
    const scheduler = engine();
    await pass(1 * SECOND, scheduler);
    // Meta made the scheduled post; Outpost never heard its id.
    expect(fb.scheduledPosts(page)).toHaveLength(1);
    expect(targetRow(db, targetId)).toMatchObject({ native_schedule_id: null });

    cancelPost({ db, clock: time.clock, wake: () => scheduler.wake() }, postId);
    await pass(3 * MINUTE, scheduler, 5 * SECOND);
    expect(fb.scheduledPosts(page)).toHaveLength(0);
    expect(feedCalls()).toHaveLength(1);
    await pass(40 * MINUTE, scheduler);
    expect(fb.livePosts(page)).toHaveLength(0);
    expect(jobOf(db, targetId, 'native_schedule')).toMatchObject({ state: 'done' });
  });

  it('deleting a post whose handoff answer was lost takes Meta’s copy back first', async () => {
    const { postId } = setup(30 * MINUTE);
    fb.faults.next(fb.fault({ kind: 'reset' }, true), 1, fb.match('POST', /\/feed$/));
    const scheduler = engine();
    await pass(1 * SECOND, scheduler);
    expect(fb.scheduledPosts(page)).toHaveLength(1);

    await postService(scheduler).remove(postId);
    expect(fb.scheduledPosts(page)).toHaveLength(0);
    expect(db.prepare('SELECT 1 FROM posts WHERE id = ?').get(postId)).toBeUndefined();
    await pass(40 * MINUTE, scheduler);
    expect(fb.livePosts(page)).toHaveLength(0);
  });

  it('a post due inside the engine’s lead but closer than Meta’s 10 minutes (+ margin) is refused before any call and published by the local job at its time', async () => {
    const { postId, targetId } = setup(10.5 * MINUTE);
    const scheduler = engine();
    await pass(1 * SECOND, scheduler);
    expect(fb.requests).toEqual([]);
    expect(targetRow(db, targetId)).toMatchObject({ state: 'scheduled', native_schedule_id: null });
    expect(jobOf(db, targetId, 'native_schedule')).toMatchObject({ state: 'failed' });
    expect(postHistory(db, postId).find((h) => h.event === 'native_failed')?.message).toContain('at least 11 minutes ahead');

    await pass(11 * MINUTE, scheduler);
    expect(fb.livePosts(page)).toHaveLength(1);
    expect(targetRow(db, targetId)).toMatchObject({ state: 'published' });
    // The local publish carried no schedule: it went out at once, at its time.
    expect(fieldOf(feedCalls().at(-1)!.body, 'scheduled_publish_time')).toBeUndefined();
  });
});

function postService(scheduler: Scheduler) {
  const services = { db, clock: time.clock, emit: () => {}, scheduler, connectors: { entry: () => undefined } } as unknown as Pick<Services, 'db' | 'clock' | 'emit' | 'scheduler' | 'connectors'>;
  return createPostService(services);
}
