import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { listEntriesInRange } from '../../main/services/calendar/calendar-repo';
import { insertPost, replaceTargets } from '../../main/services/posts/posts-repo';
import { openDatabase, type Db } from '../../main/services/store/database';
import { makeTempDir } from '../unit/support/backend';
import { median, recordFigure } from './figures';

/**
 * The store on a real file with the app's own settings (WAL, synchronous=FULL): a bulk insert
 * through the repositories, and the calendar's month query beside the same rows read with
 * hand-written statements, in one run so the machine's noise touches both alike.
 */

const dirs: { remove(): void }[] = [];
afterAll(() => {
  for (const dir of dirs.splice(0)) dir.remove();
});

function freshDb(): { db: Db; projectId: string; accounts: string[] } {
  const dir = makeTempDir('outpost-bench-store-');
  dirs.push(dir);
  const db = openDatabase(join(dir.path, 'outpost.db'));
  const projectId = randomUUID();
  const now = Date.now();
  db.prepare(`INSERT INTO projects (id, name, name_key, color, timezone, created_at, updated_at) VALUES (?, 'Bench', 'bench', '#2563eb', 'Europe/Berlin', ?, ?)`).run(
    projectId,
    now,
    now,
  );
  const accounts = ['telegram', 'mastodon', 'bluesky'].map((network) => {
    const id = randomUUID();
    db.prepare(`INSERT INTO accounts (id, project_id, network, handle, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)`).run(id, projectId, network, `@${network}`, now, now);
    return id;
  });
  return { db, projectId, accounts };
}

/** `count` posts with two targets each, through insertPost and replaceTargets, in one transaction as a bulk import does. */
function insertPosts(db: Db, projectId: string, accounts: string[], count: number, firstAt: number, stepMs: number): void {
  const now = Date.now();
  db.transaction(() => {
    for (let i = 0; i < count; i++) {
      const id = randomUUID();
      insertPost(db, {
        id,
        projectId,
        body: `Fresh sourdough out of the oven at 7 #${i}`,
        firstComment: '',
        notes: '',
        labels: i % 4 === 0 ? ['promo'] : [],
        scheduledAt: firstAt + i * stepMs,
        timezone: 'Europe/Berlin',
        now,
      });
      replaceTargets(
        db,
        id,
        [accounts[i % 3]!, accounts[(i + 1) % 3]!].map((accountId) => ({ accountId, bodyOverride: null, mediaOverride: null })),
        randomUUID,
      );
    }
  })();
}

it('inserts 10,000 posts with two targets each through the repositories', () => {
  const times: number[] = [];
  for (let run = 0; run < 5; run++) {
    const { db, projectId, accounts } = freshDb();
    const start = performance.now();
    insertPosts(db, projectId, accounts, 10_000, Date.UTC(2027, 0, 1), 15 * 60_000);
    times.push(performance.now() - start);
    expect(db.prepare('SELECT COUNT(*) AS n FROM post_targets').get()).toEqual({ n: 20_000 });
    db.close();
  }
  recordFigure({
    name: 'store.insert_10k_ms',
    value: median(times),
    unit: 'ms',
    target: 250,
    how: `median of 5 runs, each a fresh file database (WAL, synchronous=FULL): 10,000 posts + 20,000 targets via insertPost/replaceTargets in one transaction; runs ${times.map((t) => Math.round(t)).join(', ')} ms`,
  });
});

it('answers the calendar’s month query out of 100,000 posts over five years, beside hand-written statements', () => {
  const { db, projectId, accounts } = freshDb();
  const first = Date.UTC(2027, 0, 1);
  const fiveYears = Date.UTC(2032, 0, 1) - first;
  insertPosts(db, projectId, accounts, 100_000, first, Math.floor(fiveYears / 100_000));
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.exec('ANALYZE');
  const from = Date.UTC(2029, 5, 1);
  const to = Date.UTC(2029, 6, 1);

  // The same rows and columns as the repository's, read as plain arrays with no mapping at all.
  const rawPosts = db
    .prepare(
      `SELECT p.id, p.project_id, substr(p.body, 1, 140), p.status, p.approval, p.scheduled_at, p.timezone, p.labels, p.revision,
              (p.series_id IS NOT NULL OR p.recurrence IS NOT NULL),
              EXISTS (SELECT 1 FROM evergreen_posts e WHERE e.post_id = p.id),
              (SELECT count(*) FROM post_media m WHERE m.post_id = p.id),
              (SELECT m.media_id FROM post_media m JOIN media f ON f.id = m.media_id WHERE m.post_id = p.id AND f.mime LIKE 'image/%' ORDER BY m.position LIMIT 1)
       FROM posts p WHERE p.project_id = ? AND p.scheduled_at >= ? AND p.scheduled_at < ? ORDER BY p.scheduled_at`,
    )
    .raw();
  const rawTargets = db
    .prepare(
      `SELECT t.post_id, t.account_id, a.network FROM posts p JOIN post_targets t ON t.post_id = p.id JOIN accounts a ON a.id = t.account_id
       WHERE p.project_id = ? AND p.scheduled_at >= ? AND p.scheduled_at < ?`,
    )
    .raw();
  const raw = () => ({ posts: rawPosts.all(projectId, from, to) as unknown[][], targets: rawTargets.all(projectId, from, to) as unknown[][] });
  const repo = () => listEntriesInRange(db, { projectId, from, to });

  const repoRows = repo();
  const rawRows = raw();
  expect(repoRows.length).toBeGreaterThan(1_600);
  expect(repoRows.length).toBeLessThan(1_800);
  // Honest comparison: both read the same posts and the same targets.
  expect(repoRows.map((e) => e.id)).toEqual(rawRows.posts.map((r) => r[0]));
  expect(repoRows.reduce((n, e) => n + e.accountIds.length, 0)).toBe(rawRows.targets.length);

  const repoTimes: number[] = [];
  const rawTimes: number[] = [];
  for (let i = 0; i < 5; i++) {
    repo();
    raw();
  }
  // Interleaved, so a burst of noise hits both.
  for (let i = 0; i < 40; i++) {
    let start = performance.now();
    repo();
    repoTimes.push(performance.now() - start);
    start = performance.now();
    raw();
    rawTimes.push(performance.now() - start);
  }
  db.close();
  const repoMedian = median(repoTimes);
  const rawMedian = median(rawTimes);
  const how = `median of 40 interleaved runs after 5 warm-ups; ${repoRows.length} posts with ${rawRows.targets.length} targets in June 2029 of 100,000 posts (2027–2031) on a file database`;
  recordFigure({ name: 'store.month_query_ms', value: repoMedian, unit: 'ms', target: 15, how: `listEntriesInRange (calendar.range), ${how}` });
  recordFigure({ name: 'store.month_query_raw_ms', value: rawMedian, unit: 'ms', target: 15, how: `the same rows with hand-written prepared statements in raw (array) mode, ${how}` });
  recordFigure({ name: 'store.month_query_ratio', value: repoMedian / rawMedian, unit: 'x', target: 1.5, how: 'store.month_query_ms ÷ store.month_query_raw_ms, same run' });
});
