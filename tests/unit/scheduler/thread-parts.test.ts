import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Connector, ConnectorContext, PublishRequest } from '../../../main/core/connector';
import { createMastodonConnector, DEFAULT_MASTODON_LIMITS, type MastodonContext } from '../../../main/services/connectors/mastodon';
import { startMastodonFake } from '../../fakes/mastodon-fake';
import type { ThreadOptions } from '../../../main/core/posts/thread';
import { getPost } from '../../../main/services/posts/posts-repo';
import { postHistory } from '../../../main/services/scheduler/history-repo';
import { appendJournal, getJob } from '../../../main/services/scheduler/jobs-repo';
import { resumeThread } from '../../../main/services/scheduler/scheduling';
import { openDatabase, type Db } from '../../../main/services/store/database';
import { addAccount, addProject, addScheduledPost, FakeNetwork, FakeTime, startEngine, type Harness, type Script } from './support';

/**
 * A thread's parts (issue 12 item 6): after the post, each part goes once, in order, as a reply to
 * the one before; a lost answer is looked for, never sent blindly; a stop leaves the post published
 * and the thread resumes at its first unsent part.
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

/** FakeNetwork (mastodon by default, with verify by text like X's timeline), recording which post each one answers. */
class ChainNetwork {
  readonly net: FakeNetwork;
  readonly connector: Connector;
  /** The reply each sent request named, by its key. */
  readonly replyOf = new Map<string, string | null>();
  private readonly plan = new Map<number, Script>();
  private sent = 0;

  constructor() {
    this.net = new FakeNetwork(time.clock.now, { verify: true });
    const base = this.net.connector as Connector;
    this.connector = {
      ...base,
      publish: (ctx: ConnectorContext, request: PublishRequest) => {
        this.replyOf.set(request.idempotencyKey, request.replyTo ?? null);
        const script = this.plan.get(++this.sent);
        if (script) this.net.failNext(script);
        return base.publish(ctx, request);
      },
    };
  }

  /** The `call`th publish call (1 is the post itself) fails as scripted. */
  failCall(call: number, script: Script): void {
    this.plan.set(call, script);
  }

  /** Each post on the network with the text of the post it answers. */
  chain(): { text: string; replyTo: string | null }[] {
    return this.net.posts.map((p) => {
      const parent = this.replyOf.get(p.key) ?? null;
      return { text: p.text, replyTo: parent === null ? null : (this.net.posts.find((q) => q.remoteId === parent)?.text ?? `missing ${parent}`) };
    });
  }
}

function engine(network: ChainNetwork): Harness {
  harness = startEngine(db, time, network.net, {
    connectorFor: () => network.connector,
    openAccount: async (accountId) => ({ connector: network.connector, ctx: { baseUrl: 'https://fake.example', credentials: {}, config: { accountId }, fetch, now: time.clock.now } }),
  });
  return harness;
}

function threadPost(thread: ThreadOptions, body = 'Part one.'): { postId: string; targetId: string } {
  const project = addProject(db);
  const account = addAccount(db, project);
  const { postId, targetIds } = addScheduledPost(db, time.clock, project, [account], time.now(), { body });
  db.prepare(`UPDATE posts SET network_options = ? WHERE id = ?`).run(JSON.stringify({ thread }), postId);
  return { postId, targetId: targetIds[0]! };
}

const three: ThreadOptions = { parts: [{ text: 'Part two.', media: [] }, { text: 'Part three.', media: [] }], numbered: true };
const partLines = (postId: string) => postHistory(db, postId).filter((h) => h.jobKind === 'thread_part');
const partJobs = (targetId: string) =>
  db.prepare(`SELECT part, state, idempotency_key AS key FROM jobs WHERE target_id = ? AND kind = 'thread_part' ORDER BY part, created_at`).all(targetId) as { part: number; state: string; key: string }[];

describe('a thread', () => {
  it('goes out in order, each part once as a reply to the one before, numbered, each with its own key', async () => {
    const network = new ChainNetwork();
    const { postId, targetId } = threadPost(three);
    const { scheduler } = engine(network);
    await time.advance(MINUTE, scheduler);

    expect(network.chain()).toEqual([
      { text: 'Part one. 1/3', replyTo: null },
      { text: 'Part two. 2/3', replyTo: 'Part one. 1/3' },
      { text: 'Part three. 3/3', replyTo: 'Part two. 2/3' },
    ]);
    const keys = new Set([...partJobs(targetId).map((j) => j.key), network.net.posts[0]!.key]);
    expect(keys.size).toBe(3);
    expect(partLines(postId).filter((h) => h.event === 'part_published').map((h) => [h.part, h.parts, h.url])).toEqual([
      [2, 3, 'https://fake.example/2'],
      [3, 3, 'https://fake.example/3'],
    ]);
    expect(getPost(db, postId)?.targets[0]?.thread).toEqual({ sent: 3, total: 3, stopped: null });

    await time.advance(2 * HOUR, scheduler);
    expect(network.net.posts).toHaveLength(3);
  });

  it('a part whose answer was lost is looked for and found, never sent again', async () => {
    const network = new ChainNetwork();
    const { postId, targetId } = threadPost(three);
    // The post goes; part two is made but its answer is lost.
    network.failCall(2, { kind: 'lost_after_publish', status: 503 });
    const { scheduler } = engine(network);
    await time.advance(HOUR, scheduler);

    expect(network.net.posts.map((p) => p.text)).toEqual(['Part one. 1/3', 'Part two. 2/3', 'Part three. 3/3']);
    expect(network.chain()[2]).toEqual({ text: 'Part three. 3/3', replyTo: 'Part two. 2/3' });
    expect(partLines(postId).map((h) => [h.part, h.event])).toContainEqual([2, 'unknown']);
    expect(partLines(postId).filter((h) => h.event === 'part_published').map((h) => h.part)).toEqual([2, 3]);
    expect(partJobs(targetId).every((j) => j.state === 'done')).toBe(true);
  });

  it('a refused part stops the thread there: the post stays published, the reason is kept, and resuming sends the rest once', async () => {
    const network = new ChainNetwork();
    const { postId, targetId } = threadPost(three);
    const { scheduler } = engine(network);
    network.failCall(2, { kind: 'validation', message: 'Validation failed: Text character limit of 500 exceeded', networkSaid: 'Validation failed: Text character limit of 500 exceeded' });
    await time.advance(HOUR, scheduler);

    const post = getPost(db, postId)!;
    expect(post.status).toBe('published');
    expect(post.targets[0]).toMatchObject({ state: 'published', thread: { sent: 1, total: 3, stopped: { part: 2, state: 'failed', reason: 'validation' } } });
    expect(network.net.posts).toHaveLength(1);

    resumeThread({ db, clock: time.clock, wake: () => scheduler.wake() }, targetId);
    await time.advance(MINUTE, scheduler);
    expect(network.chain().map((p) => [p.text, p.replyTo])).toEqual([
      ['Part one. 1/3', null],
      ['Part two. 2/3', 'Part one. 1/3'],
      ['Part three. 3/3', 'Part two. 2/3'],
    ]);
    expect(getPost(db, postId)!.targets[0]!.thread).toEqual({ sent: 3, total: 3, stopped: null });
    expect(() => resumeThread({ db, clock: time.clock }, targetId)).toThrow(/has not stopped/);
  });

  it('cut by a crash while a part was being sent, it resumes there: the part is looked for, then the rest goes', async () => {
    const network = new ChainNetwork();
    const { targetId } = threadPost(three);
    const first = engine(network);
    // The post and part two go; part three is told to wait two hours.
    network.failCall(3, { kind: 'rate_limited', status: 429, retryAfterMs: 2 * HOUR });
    await time.advance(MINUTE, first.scheduler);
    await first.scheduler.stop();
    expect(partJobs(targetId).map((j) => [j.part, j.state])).toEqual([
      [2, 'done'],
      [3, 'pending'],
    ]);
    const third = db.prepare(`SELECT id FROM jobs WHERE target_id = ? AND part = 3`).get(targetId) as { id: string };
    // The stopped run had claimed part three and written its attempt; the network made it.
    db.prepare(`UPDATE jobs SET state = 'running', attempts = 1, lease_until = ? WHERE id = ?`).run(time.now() + MINUTE, third.id);
    appendJournal(db, getJob(db, third.id)!, 'attempt', time.now(), { attempt: 1 });
    network.net.plant(network.net.posts[0]!.accountId, partJobs(targetId)[1]!.key, 'Part three. 3/3');

    const second = engine(network);
    await time.advance(HOUR, second.scheduler);
    expect(network.net.posts.map((p) => p.text)).toEqual(['Part one. 1/3', 'Part two. 2/3', 'Part three. 3/3']);
    expect(partJobs(targetId).map((j) => [j.part, j.state])).toEqual([
      [2, 'done'],
      [3, 'done'],
    ]);
  });

  it('to a network without chains, only the post goes and the history says the parts were not sent', async () => {
    const network = new ChainNetwork();
    const project = addProject(db);
    const account = addAccount(db, project, { network: 'telegram' });
    const { postId } = addScheduledPost(db, time.clock, project, [account], time.now(), { body: 'Hello' });
    db.prepare(`UPDATE posts SET network_options = ? WHERE id = ?`).run(JSON.stringify({ thread: three }), postId);
    const { scheduler } = engine(network);
    await time.advance(HOUR, scheduler);
    expect(network.net.posts).toHaveLength(1);
    expect(partLines(postId)).toEqual([expect.objectContaining({ event: 'failed', reason: 'unsupported', message: 'Telegram takes no threads; the parts after the first were not sent.' })]);
  });
});

describe('a thread and the network’s own scheduler', () => {
  it('is not handed to Mastodon’s scheduler: its parts must follow the first at once, so all three go from here, in order', async () => {
    const masto = await startMastodonFake({ domain: 'fake.social', username: 'bakery', startTime: time.now(), publicOrigin: 'https://fake.social' });
    try {
      const connector = createMastodonConnector() as unknown as Connector;
      const ctx: MastodonContext = {
        baseUrl: masto.baseUrl,
        credentials: masto.issueToken(),
        config: { accountId: masto.accountId, acct: 'bakery@fake.social', url: `${masto.baseUrl}/@bakery`, limits: DEFAULT_MASTODON_LIMITS },
        fetch,
        now: time.clock.now,
      };
      const project = addProject(db);
      const account = addAccount(db, project);
      const { postId } = addScheduledPost(db, time.clock, project, [account], time.now() + 30 * MINUTE, { body: 'Part one.' });
      db.prepare(`UPDATE posts SET network_options = ? WHERE id = ?`).run(JSON.stringify({ thread: three }), postId);
      harness = startEngine(db, time, new FakeNetwork(time.clock.now), { connectorFor: () => connector, openAccount: async () => ({ connector, ctx }), nativeHandoff: {} });
      for (let left = 32 * MINUTE; left > 0; left -= 30_000) {
        await time.advance(30_000, harness.scheduler);
        masto.setTime(time.now());
      }
      await harness.scheduler.whenIdle();
      expect(masto.scheduled).toHaveLength(0);
      const byText = (text: string) => masto.statuses.find((s) => s.text === text);
      expect(['Part one. 1/3', 'Part two. 2/3', 'Part three. 3/3'].map((text) => (byText(text) ? byText(text)!.inReplyToId : 'missing'))).toEqual([
        null,
        byText('Part one. 1/3')?.id,
        byText('Part two. 2/3')?.id,
      ]);
      expect(masto.violations).toEqual([]);
    } finally {
      await masto.close();
    }
  });
});

describe('auto-delete of a thread', () => {
  it('removes every part with the post, last part first', async () => {
    const network = new ChainNetwork();
    const project = addProject(db);
    const account = addAccount(db, project);
    const { postId } = addScheduledPost(db, time.clock, project, [account], time.now(), { body: 'Part one.', autoDeleteAfterMs: HOUR });
    db.prepare(`UPDATE posts SET network_options = ? WHERE id = ?`).run(JSON.stringify({ thread: three }), postId);
    const { scheduler } = engine(network);
    await time.advance(MINUTE, scheduler);
    expect(network.net.posts.filter((p) => !p.deleted)).toHaveLength(3);
    await time.advance(HOUR + MINUTE, scheduler);
    expect(network.net.calls.filter((c) => c.op === 'delete').map((c) => network.net.posts.find((p) => p.remoteId === c.remoteId)?.text)).toEqual([
      'Part three. 3/3',
      'Part two. 2/3',
      'Part one. 1/3',
    ]);
    expect(network.net.posts.filter((p) => !p.deleted)).toHaveLength(0);
  });
});
