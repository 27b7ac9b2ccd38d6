import { afterEach, beforeEach, expect, it } from 'vitest';
import type { Connector } from '../../../main/core/connector';
import { createVkConnector } from '../../../main/services/connectors/vk';
import { answerCaptcha } from '../../../main/services/scheduler/captcha';
import type { Scheduler } from '../../../main/services/scheduler/engine';
import { listNeedsAttention } from '../../../main/services/scheduler/history-repo';
import { openDatabase, type Db } from '../../../main/services/store/database';
import type { FakeRequest } from '../../fakes/fake-server';
import { startVkFake, type FakeVkGroup, type FakeVkUser, type VkFake } from '../../fakes/vk-fake';
import { addAccount, addProject, addScheduledPost, FakeTime, jobOf, startEngine, FakeNetwork, targetRow } from '../../unit/scheduler/support';

/**
 * VK's captcha (error 14) end to end: the real VK connector and engine on fake time against the VK
 * fake over loopback. The job waits for the user with VK's picture, is never sent again on its own
 * however long the clock runs, goes exactly once more with captcha_sid/captcha_key when answered,
 * waits again on a new captcha after a wrong answer, and the post is made once.
 */

/** Long enough for many retries (backoff caps at 15 minutes) had the engine been looping. */
const HOURS_2 = 2 * 3_600_000;

let vk: VkFake;
let user: FakeVkUser;
let group: FakeVkGroup;
let db: Db;
let time: FakeTime;
let scheduler: Scheduler | undefined;

beforeEach(async () => {
  time = new FakeTime(Date.UTC(2026, 11, 5, 9, 0));
  vk = await startVkFake({ now: () => time.now() });
  user = vk.addUser();
  group = vk.addGroup({ name: 'Bakery' });
  vk.setRole(group, user, 'editor');
  db = openDatabase(':memory:');
});

afterEach(async () => {
  await scheduler?.stop();
  scheduler = undefined;
  db.close();
  await vk.close();
});

function start(): void {
  const connector = createVkConnector({ timeoutMs: 2_000 }) as Connector;
  // FakeNetwork is only startEngine's default; every call here goes to the VK connector.
  const harness = startEngine(db, time, new FakeNetwork(time.clock.now), {
    connectorFor: () => connector,
    openAccount: async () => ({
      connector,
      ctx: {
        baseUrl: vk.baseUrl,
        credentials: { flow: 'implicit', appId: '51000001', accessToken: user.token, expiresAt: null, userId: user.id },
        config: { groupId: group.id, screenName: group.screenName, name: group.name },
        fetch,
        now: time.clock.now,
      },
    }),
    budgets: { vk: null },
  });
  scheduler = harness.scheduler;
}

const field = (req: FakeRequest, name: string) => req.body.fields.find(([n]) => n === name)?.[1];
const wallPosts = () => vk.server.requests.filter((r) => r.path === '/method/wall.post');
const captchaOf = (req: FakeRequest) => ({ sid: field(req, 'captcha_sid'), key: field(req, 'captcha_key') });
const challenge = (jobId: string) => {
  const row = db.prepare(`SELECT challenge, challenge_answer AS answer FROM jobs WHERE id = ?`).get(jobId) as { challenge: string | null; answer: string | null };
  return { challenge: row.challenge === null ? null : (JSON.parse(row.challenge) as { kind: string; id: string; imageUrl: string; call?: string }), answer: row.answer };
};

async function scheduledNow(body: string) {
  const project = addProject(db, { graceMinutes: 60 });
  const account = addAccount(db, project, { network: 'vk', id: 'vk-bakery' });
  const post = addScheduledPost(db, time.clock, project, [account], time.now(), { body });
  const targetId = post.targetIds[0]!;
  start();
  await time.advance(1_000, scheduler!);
  return { ...post, targetId, jobId: String(jobOf(db, targetId).id) };
}

it('a captcha holds the post for the user with VK’s picture, as not sent; the clock running on sends nothing', async () => {
  vk.failNext({ error: 14 }, { method: 'wall.post' });
  const { targetId, jobId, postId } = await scheduledNow('Fresh bread at nine');

  expect(wallPosts()).toHaveLength(1);
  expect(jobOf(db, targetId)).toMatchObject({ state: 'needs_attention', reason: 'captcha', network_said: 'Captcha needed' });
  const stored = challenge(jobId);
  expect(stored.challenge).toMatchObject({ kind: 'captcha', call: 'wall.post' });
  expect(stored.challenge?.imageUrl).toBe(`${vk.baseUrl}/captcha.php?sid=${stored.challenge?.id}`);
  expect(targetRow(db, targetId).state).toBe('needs_attention');
  // VK refused the call: the post is not "maybe sent", nothing is parked as unknown, the account needs no reconnect.
  expect(db.prepare(`SELECT COUNT(*) AS n FROM job_log WHERE job_id = ? AND event = 'unknown'`).get(jobId)).toEqual({ n: 0 });
  expect(db.prepare(`SELECT status FROM accounts`).get()).toEqual({ status: 'connected' });
  expect(listNeedsAttention(db).map((a) => ({ postId: a.postId, reason: a.reason, captcha: a.captcha }))).toEqual([
    { postId, reason: 'captcha', captcha: { id: stored.challenge?.id } },
  ]);

  await time.advance(HOURS_2, scheduler!);
  scheduler!.wake({ resumed: true });
  await time.advance(60_000, scheduler!);
  expect(wallPosts()).toHaveLength(1);
  expect(vk.posts).toEqual([]);
  expect(vk.violations).toEqual([]);
});

it('the answer sends the same wall.post exactly once more with captcha_sid and captcha_key, and the post is made once', async () => {
  vk.failNext({ error: 14 }, { method: 'wall.post' });
  const { targetId, jobId } = await scheduledNow('Cinnamon rolls today');
  const sid = challenge(jobId).challenge!.id;

  answerCaptcha({ db, clock: time.clock }, jobId, sid, 'x7kq2');
  expect(challenge(jobId).answer).toBe('x7kq2');
  scheduler!.wake();
  await time.advance(1_000, scheduler!);

  const posts = wallPosts();
  expect(posts).toHaveLength(2);
  expect(captchaOf(posts[0]!)).toEqual({ sid: undefined, key: undefined });
  expect(captchaOf(posts[1]!)).toEqual({ sid, key: 'x7kq2' });
  // The retry is the same call: the same guid and text.
  expect(field(posts[1]!, 'guid')).toBe(field(posts[0]!, 'guid'));
  expect(vk.livePosts(group).map((p) => p.text)).toEqual(['Cinnamon rolls today']);
  expect(jobOf(db, targetId)).toMatchObject({ state: 'done', challenge: null, challenge_answer: null });
  expect(targetRow(db, targetId).state).toBe('published');

  await time.advance(HOURS_2, scheduler!);
  expect(wallPosts()).toHaveLength(2);
  expect(vk.violations).toEqual([]);
});

it('a wrong answer brings a new captcha: the job waits again, the old answer is never reused, and the next answer publishes once', async () => {
  // Two faults queued apart: each carries its own captcha_sid, as VK's second captcha would.
  vk.failNext({ error: 14 }, { method: 'wall.post' });
  vk.failNext({ error: 14 }, { method: 'wall.post' });
  const { targetId, jobId } = await scheduledNow('Rye loaves are back');
  const first = challenge(jobId).challenge!.id;

  answerCaptcha({ db, clock: time.clock }, jobId, first, 'wrong');
  scheduler!.wake();
  await time.advance(1_000, scheduler!);
  expect(wallPosts()).toHaveLength(2);
  const second = challenge(jobId);
  expect(second.challenge!.id).not.toBe(first);
  expect(second.answer).toBeNull();
  expect(jobOf(db, targetId)).toMatchObject({ state: 'needs_attention', reason: 'captcha' });

  // Never on its own, whatever the clock does.
  await time.advance(HOURS_2, scheduler!);
  expect(wallPosts()).toHaveLength(2);

  // An answer to the old picture is refused; nothing is stored or sent.
  expect(() => answerCaptcha({ db, clock: time.clock }, jobId, first, 'late')).toThrow(/not waiting/);
  expect(challenge(jobId).answer).toBeNull();

  answerCaptcha({ db, clock: time.clock }, jobId, second.challenge!.id, 'right');
  scheduler!.wake();
  await time.advance(1_000, scheduler!);
  const posts = wallPosts();
  expect(posts.map(captchaOf)).toEqual([
    { sid: undefined, key: undefined },
    { sid: first, key: 'wrong' },
    { sid: second.challenge!.id, key: 'right' },
  ]);
  expect(vk.livePosts(group)).toHaveLength(1);
  expect(jobOf(db, targetId).state).toBe('done');
  const events = (db.prepare(`SELECT event FROM job_log WHERE job_id = ? ORDER BY id`).all(jobId) as { event: string }[]).map((e) => e.event);
  expect(events.filter((e) => e === 'attempt')).toHaveLength(3);
  expect(events.filter((e) => e === 'answered')).toHaveLength(2);
  expect(vk.violations).toEqual([]);
});

it('the answer goes with the refused method only: a photo post’s uploads before wall.post carry none', async () => {
  vk.failNext({ error: 14 }, { method: 'wall.post' });
  const project = addProject(db, { graceMinutes: 60 });
  const account = addAccount(db, project, { network: 'vk', id: 'vk-bakery' });
  const { targetIds } = addScheduledPost(db, time.clock, project, [account], time.now(), { body: 'Only text here' });
  start();
  await time.advance(1_000, scheduler!);
  const jobId = String(jobOf(db, targetIds[0]!).id);
  // A stored challenge for another method: the answer waits for that call and wall.post goes without it.
  db.prepare(`UPDATE jobs SET challenge = json_set(challenge, '$.call', 'photos.getWallUploadServer') WHERE id = ?`).run(jobId);
  answerCaptcha({ db, clock: time.clock }, jobId, undefined, 'abc');
  scheduler!.wake();
  await time.advance(1_000, scheduler!);
  expect(wallPosts().map(captchaOf)).toEqual([
    { sid: undefined, key: undefined },
    { sid: undefined, key: undefined },
  ]);
  expect(vk.livePosts(group)).toHaveLength(1);
});
