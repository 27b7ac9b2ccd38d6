import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Connector } from '../../../main/core/connector';
import { createVkConnector, type VkContext } from '../../../main/services/connectors/vk';
import { createPostService } from '../../../main/services/posts/post-service';
import type { Scheduler } from '../../../main/services/scheduler/engine';
import { postHistory } from '../../../main/services/scheduler/history-repo';
import { cancelPost, reschedulePost } from '../../../main/services/scheduler/scheduling';
import type { Services } from '../../../main/services/services-types';
import { openDatabase, type Db } from '../../../main/services/store/database';
import { fieldOf } from '../../fakes/fake-server';
import { startVkFake, type FakeVkGroup, type FakeVkUser, type VkFake } from '../../fakes/vk-fake';
import { addAccount, addProject, addScheduledPost, FakeNetwork, FakeTime, jobOf, startEngine, targetRow, type Harness } from './support';

/**
 * Native handoff to VK through the real engine, against the VK fake, whose clock is the engine's:
 * a post due far enough ahead becomes a postponed post, a calendar move is a wall.edit, VK
 * publishes it at its time and the local check records the link; a lost answer is settled by the
 * guid, a refused handoff leaves the post to the local job, and deleting the post takes the
 * postponed one back first. Every test ends with exactly one VK post or none.
 */

const SECOND = 1000;
const MINUTE = 60 * SECOND;

let db: Db;
let time: FakeTime;
let vk: VkFake;
let user: FakeVkUser;
let group: FakeVkGroup;
let harness: Harness | undefined;

beforeEach(async () => {
  db = openDatabase(':memory:');
  time = new FakeTime();
  vk = await startVkFake({ now: time.clock.now });
  user = vk.addUser();
  group = vk.addGroup({ name: 'Bakery on Lenina' });
  vk.setRole(group, user, 'editor');
  harness = undefined;
});

afterEach(async () => {
  await harness?.scheduler.stop();
  db.close();
  expect(vk.violations).toEqual([]);
  await vk.close();
});

function engine(): Scheduler {
  const connector = createVkConnector({ timeoutMs: 2_000, uploadTimeoutMs: 2_000 }) as unknown as Connector;
  const ctx: VkContext = {
    baseUrl: vk.baseUrl,
    credentials: { flow: 'implicit', appId: '51000001', accessToken: user.token, expiresAt: null, userId: user.id },
    config: { groupId: group.id, screenName: group.screenName, name: group.name },
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

async function pass(ms: number, scheduler: Scheduler, step = 30 * SECOND): Promise<void> {
  for (let left = ms; left > 0; left -= step) await time.advance(Math.min(step, left), scheduler);
  await scheduler.whenIdle();
}

function setup(dueIn: number, body = 'Rye loaves on Saturday') {
  const project = addProject(db);
  const account = addAccount(db, project, { network: 'vk' });
  const post = addScheduledPost(db, time.clock, project, [account], time.now() + dueIn, { body });
  return { ...post, targetId: post.targetIds[0]! };
}

const postponed = () => vk.livePosts(group).filter((p) => p.postponed);
const out = () => vk.livePosts(group).filter((p) => !p.postponed);
const wallPosts = () => vk.server.requests.filter((r) => r.path === '/method/wall.post');
const wallDeletes = () => vk.methods().filter((m) => m === 'wall.delete');

describe('native handoff to VK', () => {
  it('hands the post over as a postponed post, moves it with wall.edit, and VK publishes it once; the check records its link', async () => {
    const { postId, targetId } = setup(30 * MINUTE);
    const scheduler = engine();
    await pass(1 * SECOND, scheduler);
    expect(postponed()).toHaveLength(1);
    const waiting = postponed()[0]!;
    expect(waiting).toMatchObject({ text: 'Rye loaves on Saturday', date: Math.ceil((time.now() - SECOND + 30 * MINUTE) / 1000) });
    expect(targetRow(db, targetId)).toMatchObject({ state: 'native_scheduled', native_schedule_id: `-${group.id}_${waiting.id}` });
    expect(db.prepare('SELECT status FROM posts WHERE id = ?').get(postId)).toEqual({ status: 'scheduled' });

    // The user drags it to later in the calendar: the postponed post follows, nothing goes out at the old time.
    const later = time.now() + 90 * MINUTE;
    reschedulePost({ db, clock: time.clock, wake: () => scheduler.wake() }, postId, later);
    await pass(1 * SECOND, scheduler);
    expect(vk.methods()).toContain('wall.edit');
    expect(postponed().map((p) => p.date)).toEqual([later / 1000]);
    expect(targetRow(db, targetId)).toMatchObject({ state: 'native_scheduled', native_schedule_id: `-${group.id}_${waiting.id}` });
    await pass(40 * MINUTE, scheduler);
    expect(out()).toHaveLength(0);

    await pass(52 * MINUTE, scheduler);
    expect(postponed()).toHaveLength(0);
    expect(out()).toHaveLength(1);
    const live = out()[0]!;
    expect(targetRow(db, targetId)).toMatchObject({ state: 'published', remote_id: `-${group.id}_${live.id}`, remote_url: `https://vk.com/wall-${group.id}_${live.id}` });
    // Only the handoff called wall.post: nothing was sent from here.
    expect(wallPosts()).toHaveLength(1);
    expect(postHistory(db, postId).map((h) => h.event)).toEqual(['scheduled', 'attempt', 'native_scheduled', 'rescheduled', 'attempt', 'native_updated', 'verified']);
  });

  it('after a lost answer the handoff is sent again with the same guid: still one postponed post, published once', async () => {
    const { targetId } = setup(30 * MINUTE);
    vk.failNext({ lose: true }, { method: 'wall.post' });
    const scheduler = engine();
    await pass(1 * SECOND, scheduler);
    expect(postponed()).toHaveLength(1);
    await pass(2 * MINUTE, scheduler, 5 * SECOND);
    expect(wallPosts()).toHaveLength(2);
    expect(new Set(wallPosts().map((r) => fieldOf(r.body, 'guid'))).size).toBe(1);
    expect(postponed()).toHaveLength(1);
    expect(targetRow(db, targetId)).toMatchObject({ state: 'native_scheduled', native_schedule_id: `-${group.id}_${postponed()[0]!.id}` });

    await pass(31 * MINUTE, scheduler);
    expect(vk.livePosts(group)).toHaveLength(1);
    expect(targetRow(db, targetId)).toMatchObject({ state: 'published' });
    expect(wallPosts()).toHaveLength(2);
  });

  it('a handoff VK refuses leaves the post to the local job, which publishes it at its time', async () => {
    const { postId, targetId } = setup(30 * MINUTE);
    vk.failNext({ error: 100, message: 'One of the parameters specified was missing or invalid: publish_date is invalid' }, { method: 'wall.post' });
    const scheduler = engine();
    await pass(1 * SECOND, scheduler);
    expect(vk.livePosts(group)).toHaveLength(0);
    expect(targetRow(db, targetId)).toMatchObject({ state: 'scheduled', native_schedule_id: null });
    expect(jobOf(db, targetId, 'native_schedule')).toMatchObject({ state: 'failed' });

    await pass(31 * MINUTE, scheduler);
    expect(out()).toHaveLength(1);
    expect(targetRow(db, targetId)).toMatchObject({ state: 'published', remote_url: `https://vk.com/wall-${group.id}_${out()[0]!.id}` });
    // The local publish carried no publish_date: it went out at once, at its time.
    expect(fieldOf(wallPosts().at(-1)!.body, 'publish_date')).toBeUndefined();
    expect(postHistory(db, postId).find((h) => h.event === 'native_failed')?.message).toContain('publish_date is invalid');
  });

  it('deleting a handed-over post takes the postponed post back with wall.delete, then the post is gone here', async () => {
    const { postId } = setup(30 * MINUTE);
    const scheduler = engine();
    await pass(1 * SECOND, scheduler);
    expect(postponed()).toHaveLength(1);

    await postService(scheduler).remove(postId);
    expect(wallDeletes()).toHaveLength(1);
    expect(vk.livePosts(group)).toHaveLength(0);
    expect(db.prepare('SELECT 1 FROM posts WHERE id = ?').get(postId)).toBeUndefined();
    await pass(40 * MINUTE, scheduler);
    expect(vk.livePosts(group)).toHaveLength(0);
    expect(wallPosts()).toHaveLength(1);
  });

  it('when the take-back fails the post is kept, with VK’s words; the sync keeps trying, and a later delete finishes the job', async () => {
    const { postId, targetId } = setup(30 * MINUTE);
    const scheduler = engine();
    await pass(1 * SECOND, scheduler);
    vk.failNext({ error: 10, message: 'Internal server error' }, { method: 'wall.delete' });

    const posts = postService(scheduler);
    await expect(posts.remove(postId)).rejects.toMatchObject({ code: 'conflict', reason: 'post_native_take_back_failed', networkSaid: 'Internal server error' });
    // Still on VK, so the post still reads as scheduled there; its publish job is off the schedule.
    expect(targetRow(db, targetId)).toMatchObject({ state: 'native_scheduled', native_schedule_id: `-${group.id}_${postponed()[0]!.id}` });
    expect(jobOf(db, targetId)).toMatchObject({ state: 'cancelled' });
    expect(postponed()).toHaveLength(1);

    // The sync keeps trying on its own; the user's second delete meets a copy already taken back, or takes it back now.
    await pass(2 * MINUTE, scheduler, 5 * SECOND);
    await posts.remove(postId);
    expect(vk.livePosts(group)).toHaveLength(0);
    expect(db.prepare('SELECT 1 FROM posts WHERE id = ?').get(postId)).toBeUndefined();
    await pass(40 * MINUTE, scheduler);
    expect(vk.livePosts(group)).toHaveLength(0);
  });

  it('a handoff whose answer was lost, then unscheduled before the retry: the guid names VK’s copy and it is taken back, never published', async () => {
    const { postId, targetId } = setup(30 * MINUTE);
    vk.failNext({ lose: true }, { method: 'wall.post' });
    const scheduler = engine();
    await pass(1 * SECOND, scheduler);
    // VK made the postponed post; Outpost never heard its id.
    expect(postponed()).toHaveLength(1);
    expect(targetRow(db, targetId)).toMatchObject({ native_schedule_id: null });

    cancelPost({ db, clock: time.clock, wake: () => scheduler.wake() }, postId);
    await pass(3 * MINUTE, scheduler, 5 * SECOND);
    expect(postponed()).toHaveLength(0);
    expect(new Set(wallPosts().map((r) => fieldOf(r.body, 'guid'))).size).toBe(1);
    expect(wallDeletes()).toHaveLength(1);
    await pass(40 * MINUTE, scheduler);
    expect(vk.livePosts(group)).toHaveLength(0);
    expect(jobOf(db, targetId, 'native_schedule')).toMatchObject({ state: 'done' });
  });

  it('deleting a post whose handoff answer was lost takes VK’s copy back first', async () => {
    const { postId } = setup(30 * MINUTE);
    vk.failNext({ lose: true }, { method: 'wall.post' });
    const scheduler = engine();
    await pass(1 * SECOND, scheduler);
    expect(postponed()).toHaveLength(1);

    await postService(scheduler).remove(postId);
    expect(postponed()).toHaveLength(0);
    expect(db.prepare('SELECT 1 FROM posts WHERE id = ?').get(postId)).toBeUndefined();
    await pass(40 * MINUTE, scheduler);
    expect(vk.livePosts(group)).toHaveLength(0);
  });
});

function postService(scheduler: Scheduler) {
  const services = {
    db,
    clock: time.clock,
    emit: () => {},
    scheduler,
    connectors: { entry: () => undefined },
  } as unknown as Pick<Services, 'db' | 'clock' | 'emit' | 'scheduler' | 'connectors'>;
  return createPostService(services);
}
