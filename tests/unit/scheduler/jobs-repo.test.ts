import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  claimJob,
  DUE_JOB_SQL,
  findDueJob,
  LeaseLostError,
  NEXT_WAKE_SQL,
  recentSends,
  recordPublished,
  recordRetry,
  runningJobs,
} from '../../../main/services/scheduler/jobs-repo';
import { openDatabase, type Db } from '../../../main/services/store/database';
import { migrations } from '../../../main/services/store/migrations';
import { makeTempDir } from '../support/backend';
import { addAccount, addProject, addScheduledPost, FakeTime } from './support';

const schedulerMigration = migrations.find((m) => m.name.startsWith('scheduler:'))!;

let dir: ReturnType<typeof makeTempDir>;
let db: Db;

beforeEach(() => {
  dir = makeTempDir('outpost-jobs-');
  db = openDatabase(join(dir.path, 'outpost.db'));
});

afterEach(() => {
  if (db.open) db.close();
  dir.remove();
});

function plan(sql: string, params: object = {}): string[] {
  return (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(params) as { detail: string }[]).map((r) => r.detail);
}

describe('the scheduler migration', () => {
  it('adds stop reasons and verify-first to jobs that already exist', () => {
    db.close();
    const path = join(dir.path, 'old.db');
    const before = openDatabase(path, { migrations: migrations.filter((m) => m.version < schedulerMigration.version) });
    const time = new FakeTime();
    const project = addProject(before);
    const account = addAccount(before, project);
    before.prepare(`INSERT INTO posts (id, project_id, timezone, created_at, updated_at) VALUES ('p', ?, 'UTC', 0, 0)`).run(project);
    before.prepare(`INSERT INTO post_targets (id, post_id, account_id) VALUES ('t', 'p', ?)`).run(account);
    before
      .prepare(
        `INSERT INTO jobs (id, kind, target_id, due_at, next_attempt_at, idempotency_key, created_at, updated_at)
         VALUES ('j', 'publish', 't', ?, ?, 'k', 0, 0)`,
      )
      .run(time.now(), time.now());
    before.close();
    db = openDatabase(path);
    expect(db.prepare(`SELECT state, reason, verify_first AS verifyFirst FROM jobs`).get()).toEqual({ state: 'pending', reason: null, verifyFirst: 0 });
  });

  it('refuses a second live publish job for one target', () => {
    const time = new FakeTime();
    const project = addProject(db);
    const account = addAccount(db, project);
    const { targetIds } = addScheduledPost(db, time.clock, project, [account], time.now());
    const insert = () =>
      db
        .prepare(
          `INSERT INTO jobs (id, kind, target_id, due_at, next_attempt_at, idempotency_key, created_at, updated_at)
           VALUES ('second', 'publish', ?, 0, 0, 'another-key', 0, 0)`,
        )
        .run(targetIds[0]);
    expect(insert).toThrow(/UNIQUE/);
    db.prepare(`UPDATE jobs SET state = 'done'`).run();
    expect(insert).not.toThrow();
  });
});

describe('the loop’s queries use their indexes', () => {
  it('finds the due job by walking jobs_next_due, not the whole table', () => {
    const details = plan(DUE_JOB_SQL, { now: 0, busy: '[]' });
    expect(details.some((d) => /^SCAN j USING INDEX jobs_next_due\b/.test(d) || /^SEARCH j USING INDEX jobs_next_due\b/.test(d))).toBe(true);
    expect(details.some((d) => /^SCAN (j|jobs)$/.test(d))).toBe(false);
  });

  it('finds the next wake-up through jobs_next_due', () => {
    expect(plan(NEXT_WAKE_SQL, { now: 0 })).toEqual([expect.stringMatching(/^SEARCH jobs USING (COVERING )?INDEX jobs_next_due \(next_attempt_at>\?\)/)]);
  });

  it('finds leases and recent sends through their partial indexes', () => {
    const running = plan(`SELECT id FROM jobs WHERE state = 'running' AND lease_until <= 0`);
    expect(running.join(' ')).toMatch(/INDEX jobs_running/);
    const sends = plan(`SELECT at FROM job_log WHERE event = 'attempt' AND at >= 0`);
    expect(sends.join(' ')).toMatch(/INDEX job_log_attempts/);
    expect(runningJobs(db, 0)).toEqual([]);
    expect(recentSends(db, 0)).toEqual([]);
  });
});

describe('a result is recorded only by the run holding the job', () => {
  it('a job another run took over is not recorded by the run that lost it; the holder records it once', () => {
    const clock = new FakeTime(Date.UTC(2026, 11, 5, 9));
    const project = addProject(db);
    const account = addAccount(db, project);
    addScheduledPost(db, clock, project, [account], clock.now());
    const due = findDueJob(db, clock.now() + 1, [])!;
    expect(claimJob(db, due, clock.now(), clock.now() + 60_000, 'run-a')).toBe(true);
    const heldByA = { ...due, state: 'running' as const, leaseOwner: 'run-a' };
    // The lease ran out and another run recovered and claimed the job.
    db.prepare(`UPDATE jobs SET lease_owner = 'run-b' WHERE id = ?`).run(due.id);

    const post = { remoteId: '41', url: 'https://t.me/c/41', publishedAt: clock.now() };
    expect(() => recordPublished(db, heldByA, post, clock.now(), 'publish', { kind: 'none' })).toThrow(LeaseLostError);
    expect(() => recordRetry(db, heldByA, { nextAttemptAt: clock.now(), refund: 0, verifyFirst: true, event: 'retry', message: null }, clock.now())).toThrow(
      LeaseLostError,
    );
    const journal = () => (db.prepare(`SELECT event FROM job_log WHERE job_id = ? ORDER BY id`).all(due.id) as { event: string }[]).map((r) => r.event);
    expect(journal()).not.toContain('published');
    expect(db.prepare(`SELECT state FROM post_targets WHERE id = ?`).get(due.targetId)).toEqual({ state: 'publishing' });

    recordPublished(db, { ...heldByA, leaseOwner: 'run-b' }, post, clock.now(), 'publish', { kind: 'none' });
    expect(journal().filter((e) => e === 'published')).toHaveLength(1);
    expect(db.prepare(`SELECT state FROM post_targets WHERE id = ?`).get(due.targetId)).toEqual({ state: 'published' });
  });
});
