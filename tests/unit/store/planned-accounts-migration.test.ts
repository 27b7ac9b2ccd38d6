import { expect, it } from 'vitest';
import { migrations } from '../../../main/services/store/migrations';
import { migrationDatabases } from '../support/backend';

// Migration 21 rebuilds accounts so YouTube channels and planned networks (no account yet) can be stored; accounts already there keep everything, posts keep pointing at them.

const open = migrationDatabases('outpost-planned-accounts-migration-');

it('keeps every account and the posts aimed at it, and takes YouTube and one planned network per project', () => {
  const before = open(migrations.filter((m) => m.version < 21));
  before.prepare(`INSERT INTO projects (id, name, name_key, color, timezone, created_at, updated_at) VALUES ('p1', 'Bakery', 'bakery', '#2563eb', 'Europe/Berlin', 0, 0)`).run();
  before
    .prepare(
      `INSERT INTO accounts (id, project_id, network, handle, display_name, secret_ref, status, status_reason, remote_key, config, defaults, created_at, updated_at)
       VALUES ('a1', 'p1', 'mastodon', 'bakery@social.example', 'Bakery', 'outpost:a1', 'reconnect_needed', 'Token revoked', '42', '{"maxChars":500}', '{"visibility":"unlisted"}', 1, 2)`,
    )
    .run();
  before.prepare(`INSERT INTO posts (id, project_id, body, timezone, created_at, updated_at) VALUES ('post1', 'p1', 'Hello', 'Europe/Berlin', 0, 0)`).run();
  before.prepare(`INSERT INTO post_targets (id, post_id, account_id) VALUES ('t1', 'post1', 'a1')`).run();
  expect(() => before.prepare(`INSERT INTO accounts (id, project_id, network, handle, created_at, updated_at) VALUES ('y0', 'p1', 'youtube', 'c', 0, 0)`).run()).toThrow(/CHECK/);
  before.close();

  const after = open(migrations.filter((m) => m.version <= 21));
  expect(after.pragma('user_version', { simple: true })).toBe(21);
  expect(after.prepare(`SELECT id, network, handle, display_name, secret_ref, status, status_reason, remote_key, config, defaults FROM accounts`).all()).toEqual([
    {
      id: 'a1',
      network: 'mastodon',
      handle: 'bakery@social.example',
      display_name: 'Bakery',
      secret_ref: 'outpost:a1',
      status: 'reconnect_needed',
      status_reason: 'Token revoked',
      remote_key: '42',
      config: '{"maxChars":500}',
      defaults: '{"visibility":"unlisted"}',
    },
  ]);
  expect(after.prepare(`SELECT account_id FROM post_targets WHERE id = 't1'`).get()).toEqual({ account_id: 'a1' });
  after.prepare(`INSERT INTO accounts (id, project_id, network, handle, remote_key, created_at, updated_at) VALUES ('y1', 'p1', 'youtube', 'Bakery TV', 'UC1', 0, 0)`).run();
  const plan = after.prepare(`INSERT INTO accounts (id, project_id, network, handle, status, remote_key, created_at, updated_at) VALUES (?, 'p1', 'instagram', '', 'planned', 'planned', 0, 0)`);
  plan.run('i1');
  expect(() => plan.run('i2')).toThrow(/UNIQUE/);
  expect(() => after.prepare(`UPDATE accounts SET status = 'gone' WHERE id = 'i1'`).run()).toThrow(/CHECK/);
});
