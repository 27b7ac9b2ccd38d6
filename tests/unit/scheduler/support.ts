import { randomUUID } from 'node:crypto';
import {
  ConnectorError,
  type Connector,
  type ConnectorContext,
  type FailureKind,
  type PublishedPost,
  type PublishRequest,
  type VerifyOutcome,
} from '../../../main/core/connector';
import type { EventName, EventPayload, SchedulerChange } from '../../../main/core/contract';
import type { NetworkId } from '../../../main/core/networks/ids';
import { createScheduler, type Scheduler, type SchedulerOptions } from '../../../main/services/scheduler/engine';
import { schedulePost } from '../../../main/services/scheduler/scheduling';
import type { Timers } from '../../../main/services/scheduler/timers';
import type { Db } from '../../../main/services/store/database';

/**
 * Time for scheduler tests: a monotonic clock that timers run on, and a wall clock (what
 * Clock.now() returns) that can jump on its own, as a laptop's does after NTP or a DST-naive fix.
 */
export class FakeTime implements Timers {
  private mono = 0;
  private offset: number;
  private nextId = 1;
  private readonly pending = new Map<number, { at: number; callback: () => void; ms: number }>();

  constructor(start = Date.UTC(2026, 0, 5, 8, 0)) {
    this.offset = start;
  }

  readonly clock = { now: () => this.mono + this.offset };

  now(): number {
    return this.clock.now();
  }

  setTimeout(callback: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.pending.set(id, { at: this.mono + Math.max(0, ms), callback, ms });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.pending.delete(handle as number);
  }

  /** The delays of the timers now waiting, in ms as asked. */
  waitingDelays(): number[] {
    return [...this.pending.values()].map((t) => t.ms);
  }

  /** Moves the wall clock without time passing (a clock jump). */
  jump(ms: number): void {
    this.offset += ms;
  }

  /** Lets `ms` pass: timers fire in order, each followed by everything the engine does about it. */
  async advance(ms: number, engine: Pick<Scheduler, 'whenIdle'>): Promise<void> {
    const target = this.mono + ms;
    await engine.whenIdle();
    for (;;) {
      let next: [number, { at: number; callback: () => void }] | undefined;
      for (const entry of this.pending) if (entry[1].at <= target && (!next || entry[1].at < next[1].at)) next = entry;
      if (!next) break;
      this.pending.delete(next[0]);
      this.mono = Math.max(this.mono, next[1].at);
      next[1].callback();
      await engine.whenIdle();
    }
    this.mono = target;
    await engine.whenIdle();
  }

  /** Advances in steps until `done()` or `limit` ms passed. */
  async runUntil(done: () => boolean, engine: Pick<Scheduler, 'whenIdle'>, limit = 24 * 3_600_000, step = 1_000): Promise<void> {
    for (let waited = 0; !done() && waited < limit; waited += step) await this.advance(step, engine);
  }
}

/** What a scripted failure looks like. */
export type Script =
  | { kind: FailureKind; message?: string; networkSaid?: string; status?: number; retryAfterMs?: number; cause?: unknown }
  /** The post is created, then the answer is lost: a timeout, or (with `status`) a 5xx page after the server acted. */
  | { kind: 'lost_after_publish'; status?: number }
  | { kind: 'throw'; error: unknown };

export interface NetworkCall {
  op: 'publish' | 'delete' | 'verify';
  at: number;
  accountId: string;
  key?: string;
  text?: string;
  remoteId?: string;
  outcome: 'ok' | string;
}

export interface FakePost {
  remoteId: string;
  key: string;
  text: string;
  accountId: string;
  at: number;
  deleted: boolean;
}

/**
 * An in-memory network behind the Connector interface: counts every post by its text (the
 * duplicate counter), can enforce send limits with real 429s, and follows scripts of failures.
 */
export class FakeNetwork {
  readonly posts: FakePost[] = [];
  readonly calls: NetworkCall[] = [];
  private readonly scripts: Script[] = [];
  private verifyScripts: (VerifyOutcome['found'] | Script)[] = [];
  private nextId = 1;
  /** Send limits the fake enforces per account: 429 with retry-after when exceeded. */
  limits: { limit: number; windowMs: number }[] = [];
  readonly connector: Connector<unknown, { accountId: string }>;

  constructor(
    private readonly now: () => number,
    options: { network?: NetworkId; verify?: boolean; deleteWindowMs?: number } = {},
  ) {
    const connector: Connector<unknown, { accountId: string }> = {
      network: options.network ?? 'mastodon',
      publish: (ctx, post) => this.publish(ctx, post),
      delete: (ctx, remoteId) => this.remove(ctx, remoteId),
      ...(options.deleteWindowMs !== undefined ? { deleteWindowMs: options.deleteWindowMs } : {}),
      ...(options.verify ? { verify: (ctx: ConnectorContext<unknown, { accountId: string }>, attempt: { idempotencyKey: string }) => this.verify(ctx, attempt) } : {}),
    };
    this.connector = connector;
  }

  /** The next calls fail as scripted, one script per call. */
  failNext(...scripts: Script[]): void {
    this.scripts.push(...scripts);
  }

  /** The next verify calls answer these (found true/false/'unknown') or fail as scripted. */
  verifyNext(...answers: (VerifyOutcome['found'] | Script)[]): void {
    this.verifyScripts.push(...answers);
  }

  countOf(text: string): number {
    return this.posts.filter((p) => p.text === text).length;
  }

  /** Puts a post on the network as if an earlier, crashed attempt had made it. */
  plant(accountId: string, key: string, text: string): FakePost {
    const post = { remoteId: String(this.nextId++), key, text, accountId, at: this.now(), deleted: false };
    this.posts.push(post);
    return post;
  }

  private async publish(ctx: ConnectorContext<unknown, { accountId: string }>, request: PublishRequest): Promise<PublishedPost> {
    await Promise.resolve();
    const at = this.now();
    const accountId = ctx.config.accountId;
    const log = (outcome: string) => this.calls.push({ op: 'publish', at, accountId, key: request.idempotencyKey, text: request.text, outcome });
    const script = this.scripts.shift();
    if (script) {
      if (script.kind === 'lost_after_publish') {
        this.plant(accountId, request.idempotencyKey, request.text);
        log('lost');
        if (script.status !== undefined) throw new ConnectorError('transient', `The server answered ${script.status}.`, { status: script.status });
        throw new ConnectorError('transient', 'The network did not answer within 30 s.');
      }
      log(script.kind);
      if (script.kind === 'throw') throw script.error;
      throw new ConnectorError(script.kind, script.message ?? `scripted ${script.kind}`, {
        ...(script.status !== undefined ? { status: script.status } : {}),
        ...(script.retryAfterMs !== undefined ? { retryAfterMs: script.retryAfterMs } : {}),
        ...(script.cause !== undefined ? { cause: script.cause } : {}),
        ...(script.networkSaid !== undefined ? { networkSaid: script.networkSaid } : {}),
      });
    }
    for (const limit of this.limits) {
      const recent = this.calls.filter((c) => c.accountId === accountId && c.outcome === 'ok' && c.at > at - limit.windowMs);
      if (recent.length >= limit.limit) {
        const retryAfterMs = recent[0]!.at + limit.windowMs - at;
        log('rate_limited');
        throw new ConnectorError('rate_limited', 'Too Many Requests', { status: 429, retryAfterMs });
      }
    }
    log('ok');
    const post = this.plant(accountId, request.idempotencyKey, request.text);
    return { remoteId: post.remoteId, url: `https://fake.example/${post.remoteId}`, publishedAt: at };
  }

  private async remove(ctx: ConnectorContext<unknown, { accountId: string }>, remoteId: string): Promise<void> {
    await Promise.resolve();
    const script = this.scripts.shift();
    this.calls.push({ op: 'delete', at: this.now(), accountId: ctx.config.accountId, remoteId, outcome: script?.kind ?? 'ok' });
    if (script && script.kind !== 'lost_after_publish' && script.kind !== 'throw') throw new ConnectorError(script.kind, script.message ?? 'scripted', {});
    const post = this.posts.find((p) => p.remoteId === remoteId);
    if (post) post.deleted = true;
  }

  private async verify(ctx: ConnectorContext<unknown, { accountId: string }>, attempt: { idempotencyKey: string }): Promise<VerifyOutcome> {
    await Promise.resolve();
    const scripted = this.verifyScripts.shift();
    this.calls.push({ op: 'verify', at: this.now(), accountId: ctx.config.accountId, key: attempt.idempotencyKey, outcome: String(scripted ?? 'ok') });
    if (typeof scripted === 'object') {
      if (scripted.kind === 'lost_after_publish' || scripted.kind === 'throw') throw new Error('scripted');
      throw new ConnectorError(scripted.kind, scripted.message ?? 'scripted', scripted.retryAfterMs !== undefined ? { retryAfterMs: scripted.retryAfterMs } : {});
    }
    if (scripted === 'unknown') return { found: 'unknown' };
    const found = this.posts.find((p) => p.key === attempt.idempotencyKey);
    if (scripted === false || !found) return { found: false };
    return { found: true, post: { remoteId: found.remoteId, url: `https://fake.example/${found.remoteId}`, publishedAt: found.at } };
  }
}

// --- the database ----------------------------------------------------------------------------

export function addProject(db: Db, options: { id?: string; graceMinutes?: number; timezone?: string } = {}): string {
  const id = options.id ?? `project-${randomUUID().slice(0, 8)}`;
  db.prepare(
    `INSERT INTO projects (id, name, name_key, color, timezone, late_grace_minutes, created_at, updated_at)
     VALUES (?, ?, ?, '#2563eb', ?, ?, 0, 0)`,
  ).run(id, id, id, options.timezone ?? 'Europe/Berlin', options.graceMinutes ?? 30);
  return id;
}

export function addAccount(db: Db, projectId: string, options: { id?: string; network?: NetworkId; config?: object } = {}): string {
  const id = options.id ?? `account-${randomUUID().slice(0, 8)}`;
  db.prepare(
    `INSERT INTO accounts (id, project_id, network, handle, secret_ref, config, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, 0, 0)`,
  ).run(id, projectId, options.network ?? 'mastodon', `@${id}`, `secret-${id}`, JSON.stringify(options.config ?? {}));
  return id;
}

/** A post with one target per account, scheduled at `at` (jobs created through the service). */
export function addScheduledPost(
  db: Db,
  clock: { now(): number },
  projectId: string,
  accountIds: readonly string[],
  at: number,
  options: { id?: string; body?: string; autoDeleteAfterMs?: number } = {},
): { postId: string; targetIds: string[] } {
  const postId = options.id ?? `post-${randomUUID().slice(0, 8)}`;
  db.prepare(
    `INSERT INTO posts (id, project_id, body, status, scheduled_at, timezone, auto_delete_after_ms, created_at, updated_at)
     VALUES (?, ?, ?, 'scheduled', ?, 'Europe/Berlin', ?, 0, 0)`,
  ).run(postId, projectId, options.body ?? `Post ${postId}`, at, options.autoDeleteAfterMs ?? null);
  const targetIds = accountIds.map((accountId, i) => {
    const targetId = `${postId}-t${i}`;
    db.prepare(`INSERT INTO post_targets (id, post_id, account_id) VALUES (?, ?, ?)`).run(targetId, postId, accountId);
    return targetId;
  });
  schedulePost({ db, clock }, postId);
  return { postId, targetIds };
}

export interface Harness {
  scheduler: Scheduler;
  events: { event: EventName; payload: EventPayload<EventName> }[];
  changes: SchedulerChange[];
}

/** A scheduler on fake time whose accounts all use `network` (each account's id goes in its config). */
export function startEngine(
  db: Db,
  time: FakeTime,
  network: FakeNetwork,
  options: Partial<SchedulerOptions> = {},
): Harness {
  const events: Harness['events'] = [];
  const changes: SchedulerChange[] = [];
  const scheduler = createScheduler({
    db,
    clock: time.clock,
    timers: time,
    connectorFor: () => network.connector as Connector,
    openAccount: async (accountId) => ({
      connector: network.connector as Connector,
      ctx: { baseUrl: 'https://fake.example', credentials: {}, config: { accountId }, fetch, now: time.clock.now },
    }),
    random: () => 0.5,
    emit: (event, payload) => {
      events.push({ event, payload });
      if (event === 'publishing.changed') changes.push(payload as SchedulerChange);
    },
    log: () => {},
    ...options,
  });
  scheduler.start();
  return { scheduler, events, changes };
}

export function jobStates(db: Db): Record<string, number> {
  const rows = db.prepare(`SELECT state, COUNT(*) AS n FROM jobs GROUP BY state`).all() as { state: string; n: number }[];
  return Object.fromEntries(rows.map((r) => [r.state, r.n]));
}

export function targetRow(db: Db, targetId: string): Record<string, unknown> {
  return db.prepare(`SELECT * FROM post_targets WHERE id = ?`).get(targetId) as Record<string, unknown>;
}

export function jobOf(db: Db, targetId: string, kind = 'publish'): Record<string, unknown> {
  return db.prepare(`SELECT * FROM jobs WHERE target_id = ? AND kind = ? ORDER BY created_at DESC LIMIT 1`).get(targetId, kind) as Record<
    string,
    unknown
  >;
}
