import { expect, it } from 'vitest';
import { migrations } from '../../../main/services/store/migrations';
import { migrationDatabases } from '../support/backend';

// Migration 10 rebuilds `accounts` so its network CHECK takes 'ok': nothing pointing at an account may be lost.

const open = migrationDatabases('outpost-ok-migration-');

it('keeps every account and what points at it, takes OK accounts, and leaves foreign keys on', () => {
  const before = open(migrations.filter((m) => m.version < 10));
  before.prepare(`INSERT INTO projects (id, name, name_key, color, timezone, created_at, updated_at) VALUES ('p1', 'Bakery', 'bakery', '#2563eb', 'Europe/Berlin', 0, 0)`).run();
  before
    .prepare(
      `INSERT INTO accounts (id, project_id, network, handle, display_name, secret_ref, status, config, created_at, updated_at, remote_key, base_url, profile_url, status_reason, defaults)
       VALUES ('a1', 'p1', 'telegram', '@bakery', 'Bakery', 'secret-a1', 'reconnect_needed', '{"channel":"@bakery"}', 1, 2, '-1001', NULL, 'https://t.me/bakery', 'Unauthorized', '{"linkPreview":false}')`,
    )
    .run();
  before.prepare(`INSERT INTO time_slots (account_id, weekday, minute) VALUES ('a1', 1, 540)`).run();
  expect(() => before.prepare(`INSERT INTO accounts (id, project_id, network, handle, created_at, updated_at) VALUES ('a2', 'p1', 'ok', 'g', 0, 0)`).run()).toThrow(/CHECK/);
  before.close();

  const after = open();
  expect(after.prepare(`SELECT * FROM accounts WHERE id = 'a1'`).get()).toMatchObject({
    network: 'telegram',
    secret_ref: 'secret-a1',
    status: 'reconnect_needed',
    remote_key: '-1001',
    status_reason: 'Unauthorized',
    defaults: '{"linkPreview":false}',
  });
  expect(after.prepare(`SELECT count(*) AS n FROM time_slots WHERE account_id = 'a1'`).get()).toEqual({ n: 1 });
  after.prepare(`INSERT INTO accounts (id, project_id, network, handle, created_at, updated_at) VALUES ('a2', 'p1', 'ok', 'Bakery Club', 0, 0)`).run();
  expect(after.pragma('foreign_keys', { simple: true })).toBe(1);
  expect(after.pragma('foreign_key_check')).toEqual([]);
  const plan = after.prepare(`EXPLAIN QUERY PLAN SELECT * FROM accounts WHERE project_id = 'p1'`).all() as Array<{ detail: string }>;
  expect(plan.map((row) => row.detail).join(' ')).toMatch(/accounts_project/);
  // Deleting an account still cascades to its slots: the children point at the rebuilt table.
  after.prepare(`DELETE FROM accounts WHERE id = 'a1'`).run();
  expect(after.prepare(`SELECT count(*) AS n FROM time_slots`).get()).toEqual({ n: 0 });
});
