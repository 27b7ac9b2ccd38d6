import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConnectorError, type CommentVerifyOutcome, type Connector, type ConnectorContext, type PublishedComment } from '../../../main/core/connector';
import type { Scheduler } from '../../../main/services/scheduler/engine';
import { queueFirstComment } from '../../../main/services/scheduler/first-comment';
import { postHistory } from '../../../main/services/scheduler/history-repo';
import { claimJob, getJob, startAttempt } from '../../../main/services/scheduler/jobs-repo';
import { confirmPublished } from '../../../main/services/scheduler/scheduling';
import { openDatabase, type Db } from '../../../main/services/store/database';
import { addAccount, addProject, addScheduledPost, FakeNetwork, FakeTime, jobOf, startEngine, targetRow, type Harness } from './support';

/**
 * The first comment (issue 10 item 2): queued when the post is published, sent once, by the
 * publish job's exactly-once rules, and never a reason for the post itself to fail.
 */

const MINUTE = 60_000;
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

interface FakeComment {
  postRemoteId: string;
  key: string;
  text: string;
}

type CommentScript = 'lost' | ConnectorError;

/** FakeNetwork's posts, plus comments under them: counted by key, scripted failures, a lost answer after the comment is made. */
class CommentingNetwork {
  readonly comments: FakeComment[] = [];
  readonly calls: { op: 'comment' | 'verifyComment'; key: string; remoteId: string; text?: string }[] = [];
  readonly net: FakeNetwork;
  readonly connector: Connector;
  private readonly scripts: CommentScript[] = [];
  private readonly verifyScripts: CommentVerifyOutcome['found'][] = [];

  constructor(options: { verify?: boolean; resendSafe?: boolean; comment?: boolean } = {}) {
    this.net = new FakeNetwork(time.clock.now);
    const base = this.net.connector as Connector;
    this.connector = {
      ...base,
      ...(options.comment === false ? {} : { comment: (ctx: ConnectorContext, remoteId: string, text: string, key: string) => this.comment(ctx, remoteId, text, key) }),
      ...(options.resendSafe ? { commentResendSafe: true } : {}),
      ...(options.verify ? { verifyComment: (_ctx: ConnectorContext, attempt: { remoteId: string; idempotencyKey: string }) => this.verify(attempt) } : {}),
    };
  }

  failNext(...scripts: CommentScript[]): void {
    this.scripts.push(...scripts);
  }

  verifyNext(...answers: CommentVerifyOutcome['found'][]): void {
    this.verifyScripts.push(...answers);
  }

  private async comment(_ctx: ConnectorContext, remoteId: string, text: string, key: string): Promise<PublishedComment> {
    await Promise.resolve();
    this.calls.push({ op: 'comment', key, remoteId, text });
    const script = this.scripts.shift();
    if (script instanceof ConnectorError) throw script;
    // A network that knows the key (VK guid, a Bluesky record key) answers a repeat with the first comment.
    const repeat = this.connector.commentResendSafe ? this.comments.findIndex((c) => c.key === key) : -1;
    const index = repeat >= 0 ? repeat : this.comments.push({ postRemoteId: remoteId, key, text }) - 1;
    if (script === 'lost') throw new ConnectorError('transient', 'The network did not answer within 30 s.', { delivery: 'maybe_sent' });
    return { remoteId: `c${index + 1}`, url: `https://fake.example/${remoteId}#c${index + 1}` };
  }

  private async verify(attempt: { remoteId: string; idempotencyKey: string }): Promise<CommentVerifyOutcome> {
    await Promise.resolve();
    this.calls.push({ op: 'verifyComment', key: attempt.idempotencyKey, remoteId: attempt.remoteId });
    const scripted = this.verifyScripts.shift();
    if (scripted === 'unknown') return { found: 'unknown' };
    const index = this.comments.findIndex((c) => c.key === attempt.idempotencyKey);
    if (scripted === false || index < 0) return { found: false };
    return { found: true, comment: { remoteId: `c${index + 1}`, url: `https://fake.example/${attempt.remoteId}#c${index + 1}` } };
  }
}

function engine(network: CommentingNetwork): Scheduler {
  harness = startEngine(db, time, network.net, {
    connectorFor: () => network.connector,
    openAccount: async (accountId) => ({
      connector: network.connector,
      ctx: { baseUrl: 'https://fake.example', credentials: {}, config: { accountId }, fetch, now: time.clock.now },
    }),
  });
  return harness.scheduler;
}

/** A post due now with `comment` as its first comment. */
function postWithComment(comment: string, body = 'Fresh bread'): { postId: string; targetId: string } {
  const project = addProject(db);
  const account = addAccount(db, project);
  const { postId, targetIds } = addScheduledPost(db, time.clock, project, [account], time.now(), { body });
  db.prepare(`UPDATE posts SET first_comment = ? WHERE id = ?`).run(comment, postId);
  return { postId, targetId: targetIds[0]! };
}

const status = (postId: string) => (db.prepare(`SELECT status FROM posts WHERE id = ?`).get(postId) as { status: string }).status;
const commentLines = (postId: string) => postHistory(db, postId).filter((h) => h.jobKind === 'first_comment');

describe('the first comment', () => {
  it('follows the published post once, under it, with a key of its own, and the history links to it', async () => {
    const network = new CommentingNetwork();
    const { postId, targetId } = postWithComment('Order at bakery.example');
    const scheduler = engine(network);
    await time.advance(MINUTE, scheduler);

    expect(network.net.countOf('Fresh bread')).toBe(1);
    expect(network.comments).toEqual([{ postRemoteId: '1', key: jobOf(db, targetId, 'first_comment')['idempotency_key'], text: 'Order at bakery.example' }]);
    expect(jobOf(db, targetId, 'first_comment')['idempotency_key']).not.toBe(jobOf(db, targetId)['idempotency_key']);
    expect(jobOf(db, targetId, 'first_comment')).toMatchObject({ state: 'done', attempts: 1 });
    expect(commentLines(postId).map((h) => h.event)).toEqual(['attempt', 'commented']);
    expect(commentLines(postId)[1]).toMatchObject({ url: 'https://fake.example/1#c1', jobKind: 'first_comment' });
    expect(harness!.changes.at(-1)).toMatchObject({ job: 'first_comment', state: 'published', url: 'https://fake.example/1#c1' });
    expect(status(postId)).toBe('published');

    await time.advance(2 * HOUR, scheduler);
    expect(network.calls).toHaveLength(1);
  });

  it('is queued in the same transaction as the success: a failure there leaves neither', async () => {
    const network = new CommentingNetwork();
    const { targetId } = postWithComment('Order at bakery.example');
    // The comment job cannot be written: the publish success rolls back with it.
    db.exec(`CREATE TRIGGER no_comments BEFORE INSERT ON jobs WHEN NEW.kind = 'first_comment' BEGIN SELECT RAISE(ABORT, 'disk full'); END`);
    const scheduler = engine(network);
    await time.advance(MINUTE, scheduler);
    expect(targetRow(db, targetId)['state']).not.toBe('published');
    expect(jobOf(db, targetId, 'first_comment')).toBeUndefined();
    await scheduler.stop();
  });

  it('is not sent when the post has no first comment', async () => {
    const network = new CommentingNetwork();
    const { postId, targetId } = postWithComment('   ');
    const scheduler = engine(network);
    await time.advance(HOUR, scheduler);
    expect(targetRow(db, targetId)['state']).toBe('published');
    expect(network.calls).toEqual([]);
    expect(commentLines(postId)).toEqual([]);
  });

  it('on a network that cannot comment, the history says to add it by hand and the post stays published', async () => {
    const network = new CommentingNetwork({ comment: false });
    const { postId } = postWithComment('Order at bakery.example');
    const scheduler = engine(network);
    await time.advance(HOUR, scheduler);
    expect(network.calls).toEqual([]);
    expect(commentLines(postId)).toEqual([
      expect.objectContaining({ event: 'failed', reason: 'unsupported', message: 'Outpost cannot add a first comment on Mastodon; add it by hand under the post.' }),
    ]);
    expect(status(postId)).toBe('published');
  });

  it('a post the user confirmed after a lost answer has no id to comment under: the history says to add it by hand', async () => {
    const network = new CommentingNetwork();
    const { postId, targetId } = postWithComment('Order at bakery.example');
    network.net.failNext({ kind: 'lost_after_publish' });
    const scheduler = engine(network);
    await time.advance(MINUTE, scheduler);
    expect(targetRow(db, targetId)['state']).toBe('needs_attention');
    confirmPublished({ db, clock: time.clock, wake: () => scheduler.wake() }, targetId);
    await time.advance(HOUR, scheduler);
    expect(network.calls).toEqual([]);
    expect(commentLines(postId)).toEqual([expect.objectContaining({ event: 'failed', message: expect.stringContaining('add it by hand') })]);
    expect(status(postId)).toBe('published');
  });

  it('a comment that provably never left is retried, and made once', async () => {
    const network = new CommentingNetwork();
    const { postId, targetId } = postWithComment('Order at bakery.example');
    network.failNext(new ConnectorError('transient', 'connect ECONNREFUSED', { delivery: 'not_sent' }));
    const scheduler = engine(network);
    await time.advance(HOUR, scheduler);
    expect(network.calls.map((c) => c.op)).toEqual(['comment', 'comment']);
    expect(network.calls[0]!.key).toBe(network.calls[1]!.key);
    expect(network.comments).toHaveLength(1);
    expect(commentLines(postId).map((h) => h.event)).toEqual(['attempt', 'retry', 'attempt', 'commented']);
    expect(targetRow(db, targetId)).toMatchObject({ state: 'published', last_error: null });
  });

  it('a refused comment fails with the network’s words in the history; the post stays published', async () => {
    const network = new CommentingNetwork();
    const { postId, targetId } = postWithComment('Order at bakery.example');
    network.failNext(new ConnectorError('validation', 'Access to status replies denied', { networkSaid: 'Access to status replies denied', delivery: 'not_sent' }));
    const scheduler = engine(network);
    await time.advance(HOUR, scheduler);
    expect(network.calls).toHaveLength(1);
    expect(commentLines(postId).at(-1)).toMatchObject({ event: 'failed', reason: 'validation', networkSaid: 'Access to status replies denied' });
    expect(status(postId)).toBe('published');
    expect(targetRow(db, targetId)).toMatchObject({ state: 'published', last_error: null });
  });

  it('a lost answer is looked up where the network can be asked: found, it is never sent twice', async () => {
    const network = new CommentingNetwork({ verify: true });
    const { postId } = postWithComment('Order at bakery.example');
    network.failNext('lost');
    const scheduler = engine(network);
    await time.advance(HOUR, scheduler);
    expect(network.calls.map((c) => c.op)).toEqual(['comment', 'verifyComment']);
    expect(network.comments).toHaveLength(1);
    expect(commentLines(postId).map((h) => h.event)).toEqual(['attempt', 'unknown', 'retry', 'commented']);
  });

  it('a lost answer the network says it does not have is sent again with the same key', async () => {
    const network = new CommentingNetwork({ verify: true });
    const { postId } = postWithComment('Order at bakery.example');
    network.failNext(new ConnectorError('transient', 'The server answered 502.', { status: 502 }));
    const scheduler = engine(network);
    await time.advance(HOUR, scheduler);
    expect(network.calls.map((c) => c.op)).toEqual(['comment', 'verifyComment', 'comment']);
    expect(new Set(network.calls.map((c) => c.key)).size).toBe(1);
    expect(commentLines(postId).map((h) => h.event)).toEqual(['attempt', 'unknown', 'retry', 'attempt', 'commented']);
  });

  it('a lost answer on a network that recognises a repeat by its key (VK guid) is sent again, and stays one comment', async () => {
    const network = new CommentingNetwork({ resendSafe: true });
    network.failNext('lost');
    postWithComment('Order at bakery.example');
    const scheduler = engine(network);
    await time.advance(HOUR, scheduler);
    expect(network.calls.map((c) => c.op)).toEqual(['comment', 'comment']);
    expect(network.comments).toHaveLength(1);
  });

  it('a lost answer nobody can check is never sent again: the user is told where to look, the post stays published', async () => {
    const network = new CommentingNetwork();
    const { postId, targetId } = postWithComment('Order at bakery.example');
    network.failNext('lost');
    const scheduler = engine(network);
    await time.advance(3 * HOUR, scheduler);
    expect(network.calls).toHaveLength(1);
    expect(network.comments).toHaveLength(1);
    expect(jobOf(db, targetId, 'first_comment')).toMatchObject({ state: 'failed', reason: 'unknown_outcome' });
    expect(commentLines(postId).at(-1)!.message).toContain('if the first comment is not there, add it by hand');
    expect(status(postId)).toBe('published');
  });

  it('when the network cannot tell, it is not sent again', async () => {
    const network = new CommentingNetwork({ verify: true });
    postWithComment('Order at bakery.example');
    network.failNext('lost');
    network.verifyNext('unknown');
    const scheduler = engine(network);
    await time.advance(3 * HOUR, scheduler);
    expect(network.calls.map((c) => c.op)).toEqual(['comment', 'verifyComment']);
    expect(network.comments).toHaveLength(1);
  });

  it('after a crash mid-comment, the restart asks the network first and sends nothing twice', async () => {
    const network = new CommentingNetwork({ verify: true });
    const { targetId } = postWithComment('');
    let scheduler = engine(network);
    await time.advance(MINUTE, scheduler);
    await scheduler.stop();
    // The comment job is left claimed with its attempt journalled, and the comment made: a process killed before the answer.
    db.prepare(`UPDATE posts SET first_comment = 'Order at bakery.example'`).run();
    queueFirstComment(db, getJob(db, jobOf(db, targetId)['id'] as string)!, '1', network.connector, time.now(), randomUUID);
    const job = getJob(db, jobOf(db, targetId, 'first_comment')['id'] as string)!;
    expect(claimJob(db, job, time.now(), time.now() + 10 * MINUTE)).toBe(true);
    startAttempt(db, job, time.now(), 1);
    network.comments.push({ postRemoteId: '1', key: job.idempotencyKey, text: 'Order at bakery.example' });

    scheduler = engine(network);
    await time.advance(HOUR, scheduler);
    expect(network.calls.map((c) => c.op)).toEqual(['verifyComment']);
    expect(network.comments).toHaveLength(1);
    expect(jobOf(db, targetId, 'first_comment')['state']).toBe('done');
  });
});
