import { expect, it } from 'vitest';
import { migrations } from '../../../main/services/store/migrations';
import { migrationDatabases } from '../support/backend';

// Migration 11 gives jobs a challenge (VK captcha) and the user's answer; jobs already stored keep everything and wait on none.

const open = migrationDatabases('outpost-captcha-migration-');

it('adds jobs.challenge and jobs.challenge_answer, empty for the jobs already there', () => {
  const before = open(migrations.filter((m) => m.version < 11));
  before.prepare(`INSERT INTO projects (id, name, name_key, color, timezone, created_at, updated_at) VALUES ('p1', 'Bakery', 'bakery', '#2563eb', 'Europe/Berlin', 0, 0)`).run();
  before.prepare(`INSERT INTO accounts (id, project_id, network, handle, created_at, updated_at) VALUES ('a1', 'p1', 'vk', 'club1', 0, 0)`).run();
  before.prepare(`INSERT INTO posts (id, project_id, body, timezone, created_at, updated_at) VALUES ('post1', 'p1', 'Hello', 'Europe/Berlin', 0, 0)`).run();
  before.prepare(`INSERT INTO post_targets (id, post_id, account_id) VALUES ('t1', 'post1', 'a1')`).run();
  before
    .prepare(
      `INSERT INTO jobs (id, kind, target_id, state, due_at, next_attempt_at, idempotency_key, reason, last_error, created_at, updated_at)
       VALUES ('j1', 'publish', 't1', 'held', 5, 5, 'key-1', 'auth', 'VK asks for a captcha before it accepts more posts.', 0, 0)`,
    )
    .run();
  before.close();

  const after = open(migrations.filter((m) => m.version <= 11));
  expect(after.pragma('user_version', { simple: true })).toBe(11);
  expect(after.prepare(`SELECT id, state, reason, challenge, challenge_answer AS answer FROM jobs`).all()).toEqual([
    { id: 'j1', state: 'held', reason: 'auth', challenge: null, answer: null },
  ]);
  after.prepare(`UPDATE jobs SET challenge = '{"kind":"captcha","id":"1","imageUrl":"https://api.vk.com/captcha.php?sid=1"}', challenge_answer = 'x7kq2' WHERE id = 'j1'`).run();
  expect(after.prepare(`SELECT challenge_answer AS answer FROM jobs`).get()).toEqual({ answer: 'x7kq2' });
});
