import { expect, it } from 'vitest';
import { migrations } from '../../../main/services/store/migrations';
import { migrationDatabases } from '../support/backend';

// Migration 18 adds metric_latest and fills it from the samples already kept: a results page right
// after the update shows the same numbers as before it.

const open = migrationDatabases('outpost-metric-latest-migration-');

it('fills each published post’s latest reading from its samples, and the results query reads it through indexes only', () => {
  const before = open(migrations.filter((m) => m.version < 18));
  before.exec(`
    INSERT INTO projects (id, name, name_key, color, timezone, created_at, updated_at) VALUES ('p1', 'Bakery', 'bakery', '#2563eb', 'Europe/Berlin', 0, 0);
    INSERT INTO accounts (id, project_id, network, handle, created_at, updated_at) VALUES ('a1', 'p1', 'bluesky', 'bakery.bsky.social', 0, 0);
    INSERT INTO posts (id, project_id, body, status, timezone, created_at, updated_at) VALUES ('post1', 'p1', 'Rye', 'published', 'Europe/Berlin', 0, 0), ('post2', 'p1', 'Spelt', 'published', 'Europe/Berlin', 0, 0), ('post3', 'p1', 'Wheat', 'published', 'Europe/Berlin', 0, 0);
    INSERT INTO post_targets (id, post_id, account_id, state, remote_id, published_at) VALUES ('t1', 'post1', 'a1', 'published', 'r1', 0), ('t2', 'post2', 'a1', 'published', 'r2', 0), ('t3', 'post3', 'a1', 'published', 'r3', 0);
    -- written out of order: the newest of t1 is not the last row in
    INSERT INTO metric_samples (target_id, at, likes, reposts, replies, quotes) VALUES ('t1', 3600000, 4, 1, 0, 0), ('t1', 10800000, 9, 2, NULL, 1), ('t1', 7200000, 7, 2, 1, 0), ('t2', 3600000, NULL, NULL, NULL, NULL);
  `);
  before.close();

  const after = open();
  expect(after.prepare(`SELECT target_id AS targetId, at, likes, reposts, replies, quotes, views, saves FROM metric_latest ORDER BY target_id`).all()).toEqual([
    { targetId: 't1', at: 10_800_000, likes: 9, reposts: 2, replies: null, quotes: 1, views: null, saves: null },
    { targetId: 't2', at: 3_600_000, likes: null, reposts: null, replies: null, quotes: null, views: null, saves: null },
  ]);
  // The results page's query (results-repo) stays inside indexes: posts by project, their published targets, the latest reading by key.
  const plan = after
    .prepare(
      `EXPLAIN QUERY PLAN SELECT t.id, t.post_id, t.account_id, p.labels, t.published_at, s.likes FROM post_targets t JOIN posts p ON p.id = t.post_id
       LEFT JOIN metric_latest s ON s.target_id = t.id WHERE p.project_id = 'p1' AND t.state IN ('published', 'deleted') AND t.published_at >= 0 AND t.published_at < 1`,
    )
    .all() as Array<{ detail: string }>;
  const steps = plan.map((row) => row.detail).join('; ');
  expect(steps).toMatch(/SEARCH p USING COVERING INDEX posts_project_results \(project_id=\?\)/);
  expect(steps).toMatch(/SEARCH t USING COVERING INDEX post_targets_post_results/);
  expect(steps).toMatch(/SEARCH s USING PRIMARY KEY \(target_id=\?\)/);
  // New samples keep it current from here on; one older than the latest does not replace it.
  after.prepare(`INSERT INTO metric_samples (target_id, at, likes) VALUES ('t3', 3600000, 5), ('t1', 9000000, 8)`).run();
  expect(after.prepare(`SELECT target_id AS targetId, likes FROM metric_latest ORDER BY target_id`).all()).toEqual([
    { targetId: 't1', likes: 9 },
    { targetId: 't2', likes: null },
    { targetId: 't3', likes: 5 },
  ]);
  expect(after.pragma('foreign_key_check')).toEqual([]);
});
