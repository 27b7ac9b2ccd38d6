import { expect, it } from 'vitest';
import { migrations } from '../../../main/services/store/migrations';
import { migrationDatabases } from '../support/backend';

// Migration 20 rebuilds jobs so a thread's parts can each be a job (kind thread_part, part 2…); jobs already stored keep everything.

const open = migrationDatabases('outpost-thread-jobs-migration-');

it('keeps every job and its journal, and takes thread parts one live job at a time, each part done once', () => {
  const before = open(migrations.filter((m) => m.version < 20));
  before.prepare(`INSERT INTO projects (id, name, name_key, color, timezone, created_at, updated_at) VALUES ('p1', 'Bakery', 'bakery', '#2563eb', 'Europe/Berlin', 0, 0)`).run();
  before.prepare(`INSERT INTO accounts (id, project_id, network, handle, created_at, updated_at) VALUES ('a1', 'p1', 'x', 'bakery', 0, 0)`).run();
  before.prepare(`INSERT INTO posts (id, project_id, body, timezone, created_at, updated_at) VALUES ('post1', 'p1', 'Hello', 'Europe/Berlin', 0, 0)`).run();
  before.prepare(`INSERT INTO post_targets (id, post_id, account_id) VALUES ('t1', 'post1', 'a1')`).run();
  before
    .prepare(
      `INSERT INTO jobs (id, kind, target_id, state, due_at, next_attempt_at, idempotency_key, reason, last_error, verify_first, lease_owner, network_said, challenge, created_at, updated_at)
       VALUES ('j1', 'publish', 't1', 'needs_attention', 5, 6, 'key-1', 'unknown_outcome', 'X did not answer.', 1, 'run-1', 'Service Unavailable', NULL, 1, 2)`,
    )
    .run();
  before.prepare(`INSERT INTO job_log (job_id, at, event, idempotency_key) VALUES ('j1', 5, 'attempt', 'key-1')`).run();
  before.close();

  const after = open(migrations.filter((m) => m.version <= 20));
  expect(after.pragma('user_version', { simple: true })).toBe(20);
  expect(after.prepare(`SELECT id, kind, state, due_at, next_attempt_at, reason, last_error, verify_first, lease_owner, network_said, part FROM jobs`).all()).toEqual([
    { id: 'j1', kind: 'publish', state: 'needs_attention', due_at: 5, next_attempt_at: 6, reason: 'unknown_outcome', last_error: 'X did not answer.', verify_first: 1, lease_owner: 'run-1', network_said: 'Service Unavailable', part: null },
  ]);
  expect(after.prepare(`SELECT job_id, event FROM job_log`).all()).toEqual([{ job_id: 'j1', event: 'attempt' }]);
  const part = after.prepare(`INSERT INTO jobs (id, kind, target_id, state, due_at, next_attempt_at, idempotency_key, part, created_at, updated_at) VALUES (?, 'thread_part', 't1', ?, 0, 0, ?, ?, 0, 0)`);
  part.run('p2', 'done', 'k2', 2);
  part.run('p3', 'pending', 'k3', 3);
  // A second live part job of the target, or a second success of one part, is refused by the store itself.
  expect(() => part.run('p4', 'pending', 'k4', 4)).toThrow(/UNIQUE/);
  expect(() => part.run('p2b', 'done', 'k2b', 2)).toThrow(/UNIQUE/);
  expect(() => part.run('p1', 'failed', 'k1', 1)).toThrow(/CHECK/);
  // Deleting the post still takes its jobs and their journal with it.
  after.prepare(`DELETE FROM posts WHERE id = 'post1'`).run();
  expect(after.prepare(`SELECT count(*) AS n FROM jobs`).get()).toEqual({ n: 0 });
  expect(after.prepare(`SELECT count(*) AS n FROM job_log`).get()).toEqual({ n: 0 });
});
