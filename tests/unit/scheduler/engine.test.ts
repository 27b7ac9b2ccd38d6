import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConnectorError } from '../../../main/core/connector';
import type { Scheduler } from '../../../main/services/scheduler/engine';
import { appendJournal, claimJob, findDueJob, getJob, startAttempt } from '../../../main/services/scheduler/jobs-repo';
import { listNeedsAttention, postHistory } from '../../../main/services/scheduler/history-repo';
import {
  confirmPublished,
  publishPostNow,
  releaseAccountJobs,
  reschedulePost,
} from '../../../main/services/scheduler/scheduling';
import { openDatabase, type Db } from '../../../main/services/store/database';
import { addAccount, addProject, addScheduledPost, FakeNetwork, FakeTime, jobOf, jobStates, startEngine, targetRow, type Harness } from './support';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

let db: Db;
let time: FakeTime;
let harness: Harness | undefined;

beforeEach(() => {
  db = openDatabase(':memory:');
  time = new FakeTime();
  harness = undefined;
});

afterEach(async () => {
  await harness?.scheduler.stop();
  db.close();
});

function engine(network: FakeNetwork, options: Parameters<typeof startEngine>[3] = {}): Scheduler {
  harness = startEngine(db, time, network, options);
  return harness.scheduler;
}

describe('publishing on time', () => {
  it('publishes a due post once, at its time, and records it', async () => {
    const net = new FakeNetwork(time.clock.now);
    const project = addProject(db);
    const account = addAccount(db, project);
    const { postId, targetIds } = addScheduledPost(db, time.clock, project, [account], time.now() + 10 * MINUTE, { body: 'Hello' });
    const scheduler = engine(net);

    await time.advance(9 * MINUTE + 59 * SECOND, scheduler);
    expect(net.posts).toHaveLength(0);
    await time.advance(1 * SECOND, scheduler);
    expect(net.posts).toHaveLength(1);
    expect(net.calls[0]!.at).toBe(Date.UTC(2026, 0, 5, 8, 10));

    const target = targetRow(db, targetIds[0]!);
    expect(target).toMatchObject({ state: 'published', remote_id: '1', remote_url: 'https://fake.example/1' });
    expect(jobOf(db, targetIds[0]!)).toMatchObject({ state: 'done', attempts: 1, lease_until: null });
    expect(db.prepare('SELECT status FROM posts WHERE id = ?').get(postId)).toEqual({ status: 'published' });

    const history = postHistory(db, postId);
    expect(history.map((h) => h.event)).toEqual(['scheduled', 'attempt', 'published']);
    const job = jobOf(db, targetIds[0]!);
    // The attempt line carries the same idempotency key the network was given.
    expect(history[1]).toMatchObject({ attempt: 1, idempotencyKey: job['idempotency_key'] });
    expect(net.calls[0]!.key).toBe(job['idempotency_key']);
    expect(history[2]).toMatchObject({ url: 'https://fake.example/1', network: 'mastodon' });
    expect(harness!.changes.at(-1)).toMatchObject({ postId, state: 'published', url: 'https://fake.example/1' });

    await time.advance(2 * HOUR, scheduler);
    expect(net.posts).toHaveLength(1);
  });

  it('sleeps until the next due job, never longer than 60 s', async () => {
    const net = new FakeNetwork(time.clock.now);
    const project = addProject(db);
    const account = addAccount(db, project);
    addScheduledPost(db, time.clock, project, [account], time.now() + 25 * SECOND);
    const scheduler = engine(net);
    await scheduler.whenIdle();
    expect(time.waitingDelays()).toEqual([25 * SECOND]);
    await time.advance(25 * SECOND, scheduler);
    expect(net.posts).toHaveLength(1);
    addScheduledPost(db, time.clock, project, [account], time.now() + 5 * HOUR);
    scheduler.wake();
    await scheduler.whenIdle();
    expect(time.waitingDelays()).toEqual([60 * SECOND]);
  });

  it('is woken early by wake() when a job is added', async () => {
    const net = new FakeNetwork(time.clock.now);
    const project = addProject(db);
    const account = addAccount(db, project);
    const scheduler = engine(net);
    await time.advance(10 * SECOND, scheduler);
    addScheduledPost(db, time.clock, project, [account], time.now());
    scheduler.wake();
    await scheduler.whenIdle();
    expect(net.posts).toHaveLength(1);
  });
});

describe('exactly once across a crash', () => {
  /** Leaves a job as a killed process would: claimed, and (optionally) its attempt journalled. */
  function crashMidAttempt(withAttemptLine: boolean): { postId: string; targetId: string; key: string; account: string } {
    const project = addProject(db);
    const account = addAccount(db, project);
    const { postId, targetIds } = addScheduledPost(db, time.clock, project, [account], time.now(), { body: 'crashed' });
    const job = findDueJob(db, time.now(), [])!;
    expect(claimJob(db, job, time.now(), time.now() + 10 * MINUTE)).toBe(true);
    if (withAttemptLine) startAttempt(db, job, time.now(), 1);
    return { postId, targetId: targetIds[0]!, key: job.idempotencyKey, account };
  }

  it('verifies an unknown attempt and records it as published when the network has it', async () => {
    const { targetId, key, account } = crashMidAttempt(true);
    const net = new FakeNetwork(time.clock.now, { verify: true });
    net.plant(account, key, 'crashed');
    const scheduler = engine(net);
    await time.advance(MINUTE, scheduler);
    expect(net.calls.map((c) => c.op)).toEqual(['verify']);
    expect(net.countOf('crashed')).toBe(1);
    expect(targetRow(db, targetId)).toMatchObject({ state: 'published', remote_id: '1' });
  });

  it('waits before asking, so a request the crash cut off but the network finished late is found, not sent twice', async () => {
    const { targetId, key, account } = crashMidAttempt(true);
    const crashedAt = time.now();
    const net = new FakeNetwork(time.clock.now, { verify: true });
    const scheduler = engine(net);
    await time.advance(20 * SECOND, scheduler);
    expect(net.calls).toEqual([]);
    // The network completes the cut-off request only now; an early "not there" would have resent it.
    net.plant(account, key, 'crashed');
    await time.advance(MINUTE, scheduler);
    expect(net.calls.map((c) => c.op)).toEqual(['verify']);
    expect(net.calls[0]!.at - crashedAt).toBeGreaterThanOrEqual(30 * SECOND);
    expect(net.countOf('crashed')).toBe(1);
    expect(targetRow(db, targetId)).toMatchObject({ state: 'published' });
  });

  it('a run stopped while it was settling a lost answer leaves it lost: parked, never sent again', async () => {
    // The attempt went out, the next run noted its answer as lost, and was itself stopped before parking it.
    const { targetId, key } = crashMidAttempt(true);
    const job = jobOf(db, targetId) as { id: string };
    appendJournal(db, { id: job.id, idempotencyKey: key }, 'unknown', time.now(), { message: 'Outpost stopped while this was being sent.' });
    const net = new FakeNetwork(time.clock.now);
    const scheduler = engine(net);
    await time.advance(HOUR, scheduler);
    expect(net.calls).toEqual([]);
    expect(jobOf(db, targetId)).toMatchObject({ state: 'needs_attention', reason: 'unknown_outcome' });
  });

  it('sends again with the same idempotency key when the network definitely has nothing', async () => {
    const { targetId, key } = crashMidAttempt(true);
    const net = new FakeNetwork(time.clock.now, { verify: true });
    const scheduler = engine(net);
    await time.advance(MINUTE, scheduler);
    expect(net.calls.map((c) => c.op)).toEqual(['verify', 'publish']);
    expect(net.calls[1]!.key).toBe(key);
    expect(targetRow(db, targetId)).toMatchObject({ state: 'published' });
    expect(net.countOf('crashed')).toBe(1);
  });

  it('parks the post for the user when the network cannot tell', async () => {
    const { postId, targetId } = crashMidAttempt(true);
    const net = new FakeNetwork(time.clock.now, { verify: true });
    net.verifyNext('unknown');
    const scheduler = engine(net);
    await time.advance(HOUR, scheduler);
    expect(net.calls.map((c) => c.op)).toEqual(['verify']);
    expect(jobOf(db, targetId)).toMatchObject({ state: 'needs_attention', reason: 'unknown_outcome' });
    expect(listNeedsAttention(db)).toMatchObject([{ postId, reason: 'unknown_outcome' }]);
  });

  it('never resends blindly on a network that cannot verify', async () => {
    const { postId, targetId } = crashMidAttempt(true);
    const net = new FakeNetwork(time.clock.now, { verify: false });
    const scheduler = engine(net);
    await time.advance(3 * HOUR, scheduler);
    expect(net.calls).toEqual([]);
    expect(jobOf(db, targetId)).toMatchObject({ state: 'needs_attention', reason: 'unknown_outcome' });
    expect(db.prepare('SELECT status FROM posts WHERE id = ?').get(postId)).toEqual({ status: 'needs_attention' });

    // The user looked: the post is there. It counts as published, with the link they give.
    confirmPublished({ db, clock: time.clock }, targetId, 'https://fake.example/by-hand');
    expect(targetRow(db, targetId)).toMatchObject({ state: 'published', remote_url: 'https://fake.example/by-hand' });
    expect(postHistory(db, postId).map((h) => h.event)).toEqual(['scheduled', 'attempt', 'unknown', 'needs_attention', 'confirmed']);
  });

  it('"publish now" on a lost answer is the user’s decision: sent once, with the same key', async () => {
    const { postId, targetId, key } = crashMidAttempt(true);
    const net = new FakeNetwork(time.clock.now, { verify: false });
    const scheduler = engine(net);
    await time.advance(MINUTE, scheduler);
    expect(jobOf(db, targetId)).toMatchObject({ state: 'needs_attention', reason: 'unknown_outcome' });
    publishPostNow({ db, clock: time.clock, wake: () => scheduler.wake() }, postId);
    await time.advance(MINUTE, scheduler);
    expect(net.calls.map((c) => [c.op, c.key])).toEqual([['publish', key]]);
    expect(targetRow(db, targetId)).toMatchObject({ state: 'published' });
  });

  it('a pending verify survives the account being held and released', async () => {
    const { targetId, account } = crashMidAttempt(true);
    const project = db.prepare('SELECT project_id AS p FROM accounts WHERE id = ?').get(account) as { p: string };
    const net = new FakeNetwork(time.clock.now, { verify: true });
    // Another post of the account is due before the verify (backoff 2.5 s) and finds the sign-in revoked.
    const other = addScheduledPost(db, time.clock, project.p, [account], time.now() + SECOND, { body: 'other' });
    net.failNext({ kind: 'auth', status: 401, message: 'revoked' });
    const scheduler = engine(net);
    await time.advance(MINUTE, scheduler);
    expect(jobOf(db, targetId)).toMatchObject({ state: 'held', verify_first: 1 });
    expect(jobOf(db, other.targetIds[0]!)).toMatchObject({ state: 'held', verify_first: 0 });
    releaseAccountJobs({ db, clock: time.clock, wake: () => scheduler.wake() }, account);
    await time.advance(MINUTE, scheduler);
    expect(net.calls.map((c) => `${c.op} ${c.text ?? ''}`.trim()).sort()).toEqual(['publish crashed', 'publish other', 'publish other', 'verify']);
    expect(net.countOf('crashed')).toBe(1);
  });

  it('a job claimed but never sent is simply sent, its attempt not counted', async () => {
    const { targetId } = crashMidAttempt(false);
    const net = new FakeNetwork(time.clock.now, { verify: false });
    const scheduler = engine(net);
    await time.advance(MINUTE, scheduler);
    expect(net.calls.map((c) => c.op)).toEqual(['publish']);
    expect(jobOf(db, targetId)).toMatchObject({ state: 'done', attempts: 1 });
  });

  it('treats a timeout as an unknown outcome: verified where possible, parked otherwise', async () => {
    const project = addProject(db);
    const account = addAccount(db, project);
    const a = addScheduledPost(db, time.clock, project, [account], time.now(), { body: 'timed out' });
    const verifying = new FakeNetwork(time.clock.now, { verify: true });
    verifying.failNext({ kind: 'lost_after_publish' });
    let scheduler = engine(verifying);
    await time.advance(10 * MINUTE, scheduler);
    expect(verifying.calls.map((c) => c.op)).toEqual(['publish', 'verify']);
    expect(verifying.countOf('timed out')).toBe(1);
    expect(targetRow(db, a.targetIds[0]!)).toMatchObject({ state: 'published' });
    await scheduler.stop();

    const b = addScheduledPost(db, time.clock, project, [account], time.now(), { body: 'timed out too' });
    const blind = new FakeNetwork(time.clock.now, { verify: false });
    blind.failNext({ kind: 'lost_after_publish' });
    scheduler = engine(blind);
    await time.advance(HOUR, scheduler);
    expect(blind.calls.map((c) => c.op)).toEqual(['publish']);
    expect(jobOf(db, b.targetIds[0]!)).toMatchObject({ state: 'needs_attention', reason: 'unknown_outcome' });
  });

  it.each([500, 502, 503, 504])('a %i after the network handled the post is unknown: verified, never resent; parked where it cannot be asked', async (status) => {
    const project = addProject(db);
    const account = addAccount(db, project);
    const a = addScheduledPost(db, time.clock, project, [account], time.now(), { body: `answered ${status}` });
    const verifying = new FakeNetwork(time.clock.now, { verify: true });
    verifying.failNext({ kind: 'lost_after_publish', status });
    let scheduler = engine(verifying);
    await time.advance(10 * MINUTE, scheduler);
    expect(verifying.calls.map((c) => c.op)).toEqual(['publish', 'verify']);
    expect(verifying.countOf(`answered ${status}`)).toBe(1);
    expect(targetRow(db, a.targetIds[0]!)).toMatchObject({ state: 'published' });
    await scheduler.stop();

    const b = addScheduledPost(db, time.clock, project, [account], time.now(), { body: `answered ${status} blind` });
    const blind = new FakeNetwork(time.clock.now, { verify: false });
    blind.failNext({ kind: 'lost_after_publish', status });
    scheduler = engine(blind);
    await time.advance(HOUR, scheduler);
    expect(blind.calls.map((c) => c.op)).toEqual(['publish']);
    expect(blind.countOf(`answered ${status} blind`)).toBe(1);
    expect(jobOf(db, b.targetIds[0]!)).toMatchObject({ state: 'needs_attention', reason: 'unknown_outcome' });
  });

  it('a refused connection is known not to have arrived and is retried', async () => {
    const project = addProject(db);
    const account = addAccount(db, project);
    const { targetIds } = addScheduledPost(db, time.clock, project, [account], time.now());
    const net = new FakeNetwork(time.clock.now, { verify: false });
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
    net.failNext({ kind: 'transient', message: 'The connection failed (ECONNREFUSED).', cause: refused });
    const scheduler = engine(net);
    await time.advance(MINUTE, scheduler);
    expect(net.calls.map((c) => c.outcome)).toEqual(['transient', 'ok']);
    expect(targetRow(db, targetIds[0]!)).toMatchObject({ state: 'published' });
  });
});

describe('retries and limits', () => {
  it('backs off exponentially with full jitter, then fails with the reason', async () => {
    const project = addProject(db);
    const account = addAccount(db, project);
    const { postId, targetIds } = addScheduledPost(db, time.clock, project, [account], time.now());
    const net = new FakeNetwork(time.clock.now);
    // Refused connections prove nothing was sent, so they are the failures retried without asking (a 5xx is not: see above).
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
    for (let i = 0; i < 4; i++) net.failNext({ kind: 'transient', message: 'Bad Gateway', cause: refused });
    const scheduler = engine(net, { retry: { baseMs: 10 * SECOND, capMs: 60 * SECOND, maxAttempts: 4 } });
    await time.advance(HOUR, scheduler);
    const at = net.calls.map((c) => c.at - net.calls[0]!.at);
    // random() = 0.5: half of 10 s, 20 s, 40 s (each ceiling capped at 60 s).
    expect(at).toEqual([0, 5 * SECOND, 15 * SECOND, 35 * SECOND]);
    expect(jobOf(db, targetIds[0]!)).toMatchObject({ state: 'failed', reason: 'max_attempts', last_error: 'Bad Gateway', attempts: 4 });
    expect(db.prepare('SELECT status FROM posts WHERE id = ?').get(postId)).toEqual({ status: 'failed' });
    expect(postHistory(db, postId).filter((h) => h.event === 'retry')).toHaveLength(3);
    // The raw code rides beside the words in the journal, for the history's Details; never in the message.
    expect(postHistory(db, postId).filter((h) => h.event === 'retry' || h.event === 'failed').map((h) => [h.message, h.cause])).toEqual([
      ['Bad Gateway', 'ECONNREFUSED'],
      ['Bad Gateway', 'ECONNREFUSED'],
      ['Bad Gateway', 'ECONNREFUSED'],
      ['Bad Gateway', 'ECONNREFUSED'],
    ]);
  });

  it('waits what a 429 says, without spending an attempt', async () => {
    const project = addProject(db);
    const account = addAccount(db, project);
    const { targetIds } = addScheduledPost(db, time.clock, project, [account], time.now());
    const net = new FakeNetwork(time.clock.now);
    net.failNext({ kind: 'rate_limited', status: 429, retryAfterMs: 35 * SECOND }, { kind: 'rate_limited', status: 429, retryAfterMs: 7 * SECOND });
    const scheduler = engine(net, { retry: { maxAttempts: 1 } });
    await time.advance(HOUR, scheduler);
    expect(net.calls.map((c) => [c.at - net.calls[0]!.at, c.outcome])).toEqual([
      [0, 'rate_limited'],
      [35 * SECOND, 'rate_limited'],
      [42 * SECOND, 'ok'],
    ]);
    expect(jobOf(db, targetIds[0]!)).toMatchObject({ state: 'done', attempts: 1 });
  });

  it('waits for the network when offline, spending no attempt', async () => {
    const project = addProject(db);
    const account = addAccount(db, project);
    const { targetIds } = addScheduledPost(db, time.clock, project, [account], time.now() + MINUTE);
    const net = new FakeNetwork(time.clock.now);
    const scheduler = engine(net, { retry: { maxAttempts: 1 } });
    scheduler.setOnline(false);
    await time.advance(10 * MINUTE, scheduler);
    expect(net.calls).toEqual([]);
    scheduler.setOnline(true);
    await scheduler.whenIdle();
    expect(net.calls.map((c) => c.outcome)).toEqual(['ok']);
    expect(jobOf(db, targetIds[0]!)).toMatchObject({ state: 'done', attempts: 1 });
  });

  it('after a call finds the network unreachable, probes again later and does not count it', async () => {
    const project = addProject(db);
    const account = addAccount(db, project);
    const { targetIds } = addScheduledPost(db, time.clock, project, [account], time.now());
    const net = new FakeNetwork(time.clock.now);
    net.failNext({ kind: 'offline' }, { kind: 'offline' });
    const scheduler = engine(net, { retry: { maxAttempts: 1 }, offlineProbeMs: 30 * SECOND });
    await time.advance(5 * MINUTE, scheduler);
    expect(net.calls.map((c) => [c.at - net.calls[0]!.at, c.outcome])).toEqual([
      [0, 'offline'],
      [30 * SECOND, 'offline'],
      [60 * SECOND, 'ok'],
    ]);
    expect(jobOf(db, targetIds[0]!)).toMatchObject({ state: 'done', attempts: 1 });
  });

  it('fails a refused post with the network’s own words', async () => {
    const project = addProject(db);
    const account = addAccount(db, project);
    const { targetIds } = addScheduledPost(db, time.clock, project, [account], time.now());
    const net = new FakeNetwork(time.clock.now);
    net.failNext({ kind: 'validation', status: 422, message: 'Validation failed: Text character limit of 500 exceeded' });
    const scheduler = engine(net);
    await time.advance(HOUR, scheduler);
    expect(net.calls).toHaveLength(1);
    expect(jobOf(db, targetIds[0]!)).toMatchObject({ state: 'failed', reason: 'validation', last_error: 'Validation failed: Text character limit of 500 exceeded' });
    expect(targetRow(db, targetIds[0]!)).toMatchObject({ state: 'failed', last_error: 'Validation failed: Text character limit of 500 exceeded' });
  });

  it('keeps the network’s own words apart from Outpost’s explanation', async () => {
    const project = addProject(db);
    const account = addAccount(db, project);
    const refused = addScheduledPost(db, time.clock, project, [account], time.now(), { body: 'refused' });
    const lost = addScheduledPost(db, time.clock, project, [account], time.now() + MINUTE, { body: 'lost' });
    const net = new FakeNetwork(time.clock.now);
    net.failNext(
      { kind: 'validation', status: 422, message: 'Text too long. Outpost counted 512 characters.', networkSaid: 'Text too long' },
      { kind: 'lost_after_publish' },
    );
    const scheduler = engine(net);
    await time.advance(HOUR, scheduler);

    expect(targetRow(db, refused.targetIds[0]!)).toMatchObject({ last_error: 'Text too long. Outpost counted 512 characters.', network_said: 'Text too long' });
    expect(postHistory(db, refused.postId).find((l) => l.event === 'failed')).toMatchObject({ networkSaid: 'Text too long' });
    // A lost answer is our explanation: nothing of it is the network's.
    const parked = listNeedsAttention(db).find((item) => item.postId === lost.postId);
    expect(parked).toMatchObject({ reason: 'unknown_outcome', networkSaid: null });
    expect(parked?.message).toMatch(/did not answer/);
    expect(targetRow(db, lost.targetIds[0]!)).toMatchObject({ network_said: null });
  });

  it('holds an account whose sign-in fails, tells the user, and resumes after reconnecting', async () => {
    const project = addProject(db);
    const account = addAccount(db, project);
    const other = addAccount(db, project);
    const first = addScheduledPost(db, time.clock, project, [account], time.now() + MINUTE);
    const second = addScheduledPost(db, time.clock, project, [account], time.now() + 2 * MINUTE);
    const elsewhere = addScheduledPost(db, time.clock, project, [other], time.now() + 2 * MINUTE);
    const net = new FakeNetwork(time.clock.now);
    net.failNext({ kind: 'auth', status: 401, message: 'The access token is invalid' });
    const reported: string[] = [];
    const scheduler = engine(net, { onReconnectNeeded: (id, message) => reported.push(`${id}: ${message}`) });
    await time.advance(5 * MINUTE, scheduler);

    expect(db.prepare('SELECT status FROM accounts WHERE id = ?').get(account)).toEqual({ status: 'reconnect_needed' });
    expect(jobOf(db, first.targetIds[0]!)).toMatchObject({ state: 'held', reason: 'auth', attempts: 0 });
    expect(jobOf(db, second.targetIds[0]!)).toMatchObject({ state: 'held', reason: 'auth' });
    expect(targetRow(db, elsewhere.targetIds[0]!)).toMatchObject({ state: 'published' });
    expect(reported).toEqual([`${account}: The access token is invalid`]);
    // The UI hears it as held changes (and accounts.changed from the publishing wiring), not a separate event.
    expect(harness!.events).toContainEqual({
      event: 'publishing.changed',
      payload: expect.objectContaining({ targetId: second.targetIds[0], state: 'held', reason: 'auth', message: 'The access token is invalid' }),
    });
    expect(net.calls.filter((c) => c.accountId === account)).toHaveLength(1);

    expect(releaseAccountJobs({ db, clock: time.clock, wake: () => scheduler.wake() }, account)).toEqual({ released: 2, missed: 0 });
    await scheduler.whenIdle();
    await time.advance(5 * SECOND, scheduler);
    expect(targetRow(db, first.targetIds[0]!)).toMatchObject({ state: 'published' });
    expect(targetRow(db, second.targetIds[0]!)).toMatchObject({ state: 'published' });
  });

  it('spaces fifty posts due at once to one Telegram channel within its limits: no 429', async () => {
    const project = addProject(db);
    const channel = addAccount(db, project, { network: 'telegram' });
    const net = new FakeNetwork(time.clock.now, { network: 'telegram' });
    // The fake answers 429 past Telegram's limits: 20 a minute, one a second.
    net.limits = [
      { limit: 20, windowMs: MINUTE },
      { limit: 1, windowMs: SECOND },
    ];
    const due = time.now() + MINUTE;
    for (let i = 0; i < 50; i++) addScheduledPost(db, time.clock, project, [channel], due, { body: `burst ${i}` });
    const scheduler = engine(net);
    await time.runUntil(() => net.posts.length === 50, scheduler, 10 * MINUTE, 500);

    expect(net.posts).toHaveLength(50);
    expect(net.calls.filter((c) => c.outcome !== 'ok')).toEqual([]);
    const sends = net.calls.map((c) => c.at);
    for (let i = 1; i < sends.length; i++) expect(sends[i]! - sends[i - 1]!).toBeGreaterThanOrEqual(SECOND);
    for (let i = 20; i < sends.length; i++) expect(sends[i]! - sends[i - 20]!).toBeGreaterThanOrEqual(MINUTE);
    // In order of scheduling, and no later than the limits force: 50 posts take 2 minutes and a bit.
    expect(net.calls.map((c) => c.text)).toEqual(Array.from({ length: 50 }, (_, i) => `burst ${i}`));
    expect(sends.at(-1)! - due).toBeLessThanOrEqual(2 * MINUTE + 10 * SECOND);
    expect(jobStates(db)).toEqual({ done: 50 });
  });

  it('keeps a budget after a restart from the journal', async () => {
    const project = addProject(db);
    const channel = addAccount(db, project, { network: 'telegram' });
    const net = new FakeNetwork(time.clock.now, { network: 'telegram' });
    net.limits = [{ limit: 20, windowMs: MINUTE }];
    for (let i = 0; i < 30; i++) addScheduledPost(db, time.clock, project, [channel], time.now(), { body: `r ${i}` });
    let scheduler = engine(net);
    await time.advance(15 * SECOND, scheduler);
    await scheduler.stop();
    const before = net.posts.length;
    expect(before).toBeGreaterThan(10);
    scheduler = engine(net);
    await time.runUntil(() => net.posts.length === 30, scheduler, 10 * MINUTE, 500);
    expect(net.calls.filter((c) => c.outcome !== 'ok')).toEqual([]);
  });
});

describe('missed windows', () => {
  it('publishes late posts within the grace and asks about the rest', async () => {
    const project = addProject(db, { graceMinutes: 30 });
    const account = addAccount(db, project);
    // Scheduled while the app was closed: one is 10 minutes late by now, one two hours.
    const slightly = addScheduledPost(db, time.clock, project, [account], time.now() - 10 * MINUTE, { body: 'slightly late' });
    const missed = addScheduledPost(db, time.clock, project, [account], time.now() - 2 * HOUR, { body: 'missed' });
    const net = new FakeNetwork(time.clock.now);
    const scheduler = engine(net);
    await time.advance(MINUTE, scheduler);
    expect(net.posts.map((p) => p.text)).toEqual(['slightly late']);
    expect(jobOf(db, missed.targetIds[0]!)).toMatchObject({ state: 'needs_attention', reason: 'missed' });
    expect(listNeedsAttention(db)).toMatchObject([{ postId: missed.postId, reason: 'missed', body: 'missed' }]);
    expect(harness!.changes).toContainEqual(expect.objectContaining({ postId: missed.postId, state: 'needs_attention', reason: 'missed' }));
    expect(slightly.postId).toBeDefined();

    // "Publish now" sends it at once.
    publishPostNow({ db, clock: time.clock, wake: () => scheduler.wake() }, missed.postId);
    await scheduler.whenIdle();
    expect(net.posts.map((p) => p.text)).toEqual(['slightly late', 'missed']);
    expect(postHistory(db, missed.postId).map((h) => h.event)).toEqual(['scheduled', 'needs_attention', 'publish_now', 'attempt', 'published']);
  });

  it('reschedules a missed post to a new time', async () => {
    const project = addProject(db, { graceMinutes: 0 });
    const account = addAccount(db, project);
    const missed = addScheduledPost(db, time.clock, project, [account], time.now() - HOUR, { body: 'again' });
    const net = new FakeNetwork(time.clock.now);
    const scheduler = engine(net);
    await scheduler.whenIdle();
    expect(jobOf(db, missed.targetIds[0]!)).toMatchObject({ state: 'needs_attention', reason: 'missed' });
    const at = time.now() + 3 * HOUR;
    reschedulePost({ db, clock: time.clock, wake: () => scheduler.wake() }, missed.postId, at);
    expect(db.prepare('SELECT scheduled_at AS at, status FROM posts WHERE id = ?').get(missed.postId)).toEqual({ at, status: 'scheduled' });
    await time.advance(3 * HOUR - SECOND, scheduler);
    expect(net.posts).toHaveLength(0);
    await time.advance(SECOND, scheduler);
    expect(net.posts).toHaveLength(1);
  });

  it('after sleep, the posts overdue beyond the grace wait for the user', async () => {
    const project = addProject(db, { graceMinutes: 30 });
    const account = addAccount(db, project);
    const soon = addScheduledPost(db, time.clock, project, [account], time.now() + 10 * MINUTE, { body: 'during sleep' });
    const net = new FakeNetwork(time.clock.now);
    const scheduler = engine(net);
    await time.advance(MINUTE, scheduler);
    // The lid closes for three hours: the wall clock moves, no timer fires.
    time.jump(3 * HOUR);
    scheduler.wake({ resumed: true });
    await scheduler.whenIdle();
    expect(net.posts).toHaveLength(0);
    expect(jobOf(db, soon.targetIds[0]!)).toMatchObject({ state: 'needs_attention', reason: 'missed' });
  });

  it('notices a sleep by itself when the glue misses the resume event', async () => {
    const project = addProject(db, { graceMinutes: 30 });
    const account = addAccount(db, project);
    const soon = addScheduledPost(db, time.clock, project, [account], time.now() + 10 * MINUTE, { body: 'during sleep' });
    const net = new FakeNetwork(time.clock.now);
    const scheduler = engine(net);
    await time.advance(MINUTE, scheduler);
    time.jump(3 * HOUR);
    await time.advance(MINUTE, scheduler);
    expect(net.posts).toHaveLength(0);
    expect(jobOf(db, soon.targetIds[0]!)).toMatchObject({ state: 'needs_attention', reason: 'missed' });
  });

  it('releasing a reconnected account applies the grace to its held posts', async () => {
    const project = addProject(db, { graceMinutes: 30 });
    const account = addAccount(db, project);
    const post = addScheduledPost(db, time.clock, project, [account], time.now());
    const net = new FakeNetwork(time.clock.now);
    net.failNext({ kind: 'auth', status: 401, message: 'revoked' });
    const scheduler = engine(net);
    await time.advance(MINUTE, scheduler);
    await time.advance(2 * HOUR, scheduler);
    expect(releaseAccountJobs({ db, clock: time.clock, wake: () => scheduler.wake() }, account)).toEqual({ released: 0, missed: 1 });
    expect(jobOf(db, post.targetIds[0]!)).toMatchObject({ state: 'needs_attention', reason: 'missed' });
  });
});

describe('auto-delete', () => {
  it('deletes the post after the delay and keeps it in the history', async () => {
    const project = addProject(db);
    const account = addAccount(db, project, { network: 'telegram' });
    const net = new FakeNetwork(time.clock.now, { network: 'telegram', deleteWindowMs: 48 * HOUR });
    const { postId, targetIds } = addScheduledPost(db, time.clock, project, [account], time.now() + MINUTE, { autoDeleteAfterMs: 24 * HOUR });
    const scheduler = engine(net);
    await time.advance(MINUTE, scheduler);
    const published = targetRow(db, targetIds[0]!);
    expect(published).toMatchObject({ state: 'published', delete_at: (published['published_at'] as number) + 24 * HOUR });
    expect(jobOf(db, targetIds[0]!, 'delete')).toMatchObject({ state: 'pending', due_at: (published['published_at'] as number) + 24 * HOUR });

    await time.advance(24 * HOUR - SECOND, scheduler);
    expect(net.posts[0]!.deleted).toBe(false);
    await time.advance(SECOND, scheduler);
    expect(net.posts[0]!.deleted).toBe(true);
    expect(targetRow(db, targetIds[0]!)).toMatchObject({ state: 'deleted' });
    expect(db.prepare('SELECT status FROM posts WHERE id = ?').get(postId)).toEqual({ status: 'published' });
    const history = postHistory(db, postId);
    expect(history.map((h) => `${h.jobKind}:${h.event}`)).toEqual([
      'publish:scheduled',
      'publish:attempt',
      'publish:published',
      'delete:delete_scheduled',
      'delete:attempt',
      'delete:deleted',
    ]);
  });

  it('refuses a delay beyond the network’s delete window, with the reason in the history', async () => {
    const project = addProject(db);
    const account = addAccount(db, project, { network: 'telegram' });
    const net = new FakeNetwork(time.clock.now, { network: 'telegram', deleteWindowMs: 48 * HOUR });
    const { postId, targetIds } = addScheduledPost(db, time.clock, project, [account], time.now(), { autoDeleteAfterMs: 72 * HOUR });
    const scheduler = engine(net);
    await time.advance(MINUTE, scheduler);
    expect(targetRow(db, targetIds[0]!)).toMatchObject({ state: 'published', delete_at: null });
    expect(jobOf(db, targetIds[0]!, 'delete')).toBeUndefined();
    const refused = postHistory(db, postId).find((h) => h.event === 'delete_refused');
    expect(refused?.message).toBe('Telegram allows deleting a post only within 48 h of publishing, so this post will not disappear after 72 h; delete it by hand.');
  });

  it('asks the user when the laptop was off past the window', async () => {
    const project = addProject(db);
    const account = addAccount(db, project, { network: 'telegram' });
    const net = new FakeNetwork(time.clock.now, { network: 'telegram', deleteWindowMs: 48 * HOUR });
    const { targetIds } = addScheduledPost(db, time.clock, project, [account], time.now(), { autoDeleteAfterMs: 47 * HOUR });
    let scheduler = engine(net);
    await time.advance(MINUTE, scheduler);
    await scheduler.stop();
    time.jump(3 * 24 * HOUR);
    scheduler = engine(net);
    await time.advance(MINUTE, scheduler);
    expect(net.calls.filter((c) => c.op === 'delete')).toEqual([]);
    expect(jobOf(db, targetIds[0]!, 'delete')).toMatchObject({ state: 'needs_attention', reason: 'delete_window' });
    expect(targetRow(db, targetIds[0]!)).toMatchObject({ state: 'published' });
  });

  it('retries a delete whose answer was lost (deleting twice is harmless)', async () => {
    const project = addProject(db);
    const account = addAccount(db, project);
    const net = new FakeNetwork(time.clock.now, { deleteWindowMs: 48 * HOUR });
    const { targetIds } = addScheduledPost(db, time.clock, project, [account], time.now(), { autoDeleteAfterMs: HOUR });
    const scheduler = engine(net);
    await time.advance(MINUTE, scheduler);
    net.failNext({ kind: 'transient', message: 'timeout' });
    await time.advance(2 * HOUR, scheduler);
    expect(net.calls.filter((c) => c.op === 'delete').map((c) => c.outcome)).toEqual(['transient', 'ok']);
    expect(targetRow(db, targetIds[0]!)).toMatchObject({ state: 'deleted' });
  });
});

describe('leases', () => {
  it('recovers a job whose lease ran out while the loop runs, without touching its own calls', async () => {
    const project = addProject(db);
    const account = addAccount(db, project);
    const net = new FakeNetwork(time.clock.now, { verify: true });
    const scheduler = engine(net, { leaseMs: 5 * MINUTE });
    const { targetIds } = addScheduledPost(db, time.clock, project, [account], time.now() + HOUR, { body: 'orphan' });
    // Another process claimed it and died (the app's single-instance lock makes this rare).
    const job = getJob(db, jobOf(db, targetIds[0]!)['id'] as string)!;
    db.prepare(`UPDATE jobs SET next_attempt_at = ? WHERE id = ?`).run(time.now(), job.id);
    claimJob(db, job, time.now(), time.now() + 5 * MINUTE);
    startAttempt(db, job, time.now(), 1);
    await time.advance(4 * MINUTE, scheduler);
    expect(net.calls).toEqual([]);
    await time.advance(2 * MINUTE, scheduler);
    await time.advance(MINUTE, scheduler);
    expect(net.calls.map((c) => c.op)).toEqual(['verify', 'publish']);
    expect(targetRow(db, targetIds[0]!)).toMatchObject({ state: 'published' });
  });
});

describe('unexpected throws', () => {
  it('a connector bug during the call is an unknown outcome, not a retry', async () => {
    const project = addProject(db);
    const account = addAccount(db, project);
    const { targetIds } = addScheduledPost(db, time.clock, project, [account], time.now());
    const net = new FakeNetwork(time.clock.now);
    net.failNext({ kind: 'throw', error: new TypeError('Cannot read properties of undefined') });
    const scheduler = engine(net);
    await time.advance(HOUR, scheduler);
    expect(net.calls).toHaveLength(1);
    expect(jobOf(db, targetIds[0]!)).toMatchObject({ state: 'needs_attention', reason: 'unknown_outcome' });
  });

  it('an account that cannot be opened (locked keychain) is retried without counting', async () => {
    const project = addProject(db);
    const account = addAccount(db, project);
    const { targetIds } = addScheduledPost(db, time.clock, project, [account], time.now());
    const net = new FakeNetwork(time.clock.now);
    let locked = 3;
    const scheduler = engine(net, {
      retry: { maxAttempts: 2 },
      openAccount: async (accountId) => {
        if (locked-- > 0) throw new Error('The system keychain is locked.');
        return { connector: net.connector as never, ctx: { baseUrl: '', credentials: {}, config: { accountId }, fetch, now: time.clock.now } };
      },
    });
    await time.advance(HOUR, scheduler);
    expect(jobOf(db, targetIds[0]!)).toMatchObject({ state: 'done', attempts: 1 });
  });

  it('maps an auth failure while opening the account to reconnect', async () => {
    const project = addProject(db);
    const account = addAccount(db, project);
    const { targetIds } = addScheduledPost(db, time.clock, project, [account], time.now());
    const net = new FakeNetwork(time.clock.now);
    const scheduler = engine(net, {
      openAccount: async () => {
        throw new ConnectorError('auth', 'The keychain has no sign-in for @x; reconnect it.');
      },
    });
    await time.advance(MINUTE, scheduler);
    expect(jobOf(db, targetIds[0]!)).toMatchObject({ state: 'held', reason: 'auth' });
    expect(net.calls).toEqual([]);
  });
});
