import { afterEach, beforeEach, expect, it } from 'vitest';
import type { Connector } from '../../../main/core/connector';
import { createVkConnector, type VkContext } from '../../../main/services/connectors/vk';
import { createPostService } from '../../../main/services/posts/post-service';
import type { Scheduler } from '../../../main/services/scheduler/engine';
import { NATIVE_EDIT_SETTLE_MS } from '../../../main/services/scheduler/scheduling';
import type { Services } from '../../../main/services/services-types';
import { openDatabase, type Db } from '../../../main/services/store/database';
import { startVkFake, type FakeVkGroup, type FakeVkUser, type VkFake } from '../../fakes/vk-fake';
import { addAccount, addProject, addScheduledPost, FakeNetwork, FakeTime, startEngine, type Harness } from './support';

// A post's VK options reach the postponed post VK holds: sent with the handoff, and an edit of them replaces it (wall.edit).

const MINUTE = 60_000;

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
  harness = startEngine(db, time, new FakeNetwork(time.clock.now), { connectorFor: () => connector, openAccount: async () => ({ connector, ctx }), nativeHandoff: {} });
  return harness.scheduler;
}

async function pass(ms: number, scheduler: Scheduler): Promise<void> {
  for (let left = ms; left > 0; left -= 30_000) await time.advance(Math.min(30_000, left), scheduler);
  await scheduler.whenIdle();
}

it('the handed-over post carries the options, and changing them edits it on VK', async () => {
  const project = addProject(db);
  const account = addAccount(db, project, { network: 'vk' });
  const { postId } = addScheduledPost(db, time.clock, project, [account], time.now() + 30 * MINUTE, { body: 'Rye loaves on Saturday' });
  db.prepare(`UPDATE posts SET network_options = ? WHERE id = ?`).run(JSON.stringify({ vk: { signed: true } }), postId);
  const scheduler = engine();
  await pass(1_000, scheduler);
  const postponed = () => vk.livePosts(group).filter((p) => p.postponed);
  expect(postponed()).toMatchObject([{ signed: true, markedAsAds: false }]);

  const posts = createPostService({ db, clock: time.clock, emit: () => {}, scheduler, connectors: { entry: () => undefined } } as unknown as Pick<
    Services,
    'db' | 'clock' | 'emit' | 'scheduler' | 'connectors'
  >);
  const { revision } = db.prepare('SELECT revision FROM posts WHERE id = ?').get(postId) as { revision: number };
  posts.update({ id: postId, revision, networkOptions: { vk: { signed: true, markAsAds: true, copyright: 'https://source.example/rye' } } });
  await pass(NATIVE_EDIT_SETTLE_MS + MINUTE, scheduler);
  expect(vk.methods()).toContain('wall.edit');
  expect(postponed()).toMatchObject([{ signed: true, markedAsAds: true, copyright: 'https://source.example/rye' }]);
});
