import { afterEach, beforeEach, expect, it } from 'vitest';
import { metricNames, type PostMetrics } from '../../../main/core/metrics';
import { summarizeResults } from '../../../main/core/results';
import { readingsOf, recordReading } from '../../../main/services/metrics/metrics-repo';
import { resultsHandlers } from '../../../main/services/results/results-handlers';
import { resultRows } from '../../../main/services/results/results-repo';
import { openDatabase, type Db } from '../../../main/services/store/database';
import { addAccount, addProject } from '../scheduler/support';

// The results page sums each post's latest reading from metric_latest (migration 18); these check it
// always says what the samples say, whatever order the readings arrive in.

const HOUR = 60 * 60_000;
const DAY = 24 * HOUR;
const ZONE = 'Asia/Jerusalem';
const MARCH = Date.UTC(2027, 1, 28, 22, 0);

let db: Db;
beforeEach(() => {
  db = openDatabase(':memory:');
});
afterEach(() => db.close());

function publish(projectId: string, accountId: string, id: string, at: number): string {
  db.prepare(`INSERT INTO posts (id, project_id, body, labels, status, timezone, created_at, updated_at) VALUES (?, ?, ?, '[]', 'published', ?, 0, 0)`).run(id, projectId, id, ZONE);
  db.prepare(`INSERT INTO post_targets (id, post_id, account_id, state, remote_id, published_at) VALUES (?, ?, ?, 'published', ?, ?)`).run(`${id}-t`, id, accountId, `r-${id}`, at);
  return `${id}-t`;
}

/** Each post's numbers as its newest sample has them, read from the samples alone. */
function latestFromSamples(targetId: string): PostMetrics {
  const readings = readingsOf(db, targetId);
  const { at: _at, ...metrics } = readings[readings.length - 1] ?? { at: 0 };
  return metrics;
}

/** A small deterministic generator, so a failure replays. */
function random(seed: number): () => number {
  let state = seed;
  return () => ((state = (state * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
}

it('gives the same totals as the newest samples, with readings arriving out of order, late and rewritten', async () => {
  const project = addProject(db, { id: 'bakery', timezone: ZONE });
  const account = addAccount(db, project, { network: 'bluesky' });
  const next = random(14);
  const targets = Array.from({ length: 40 }, (_, i) => publish(project, account, `p${i}`, MARCH + i * 3 * HOUR));
  // Every post's readings, shuffled: most arrive in order, some older than the latest arrive after it.
  const readings = targets.flatMap((target, i) =>
    Array.from({ length: 1 + Math.floor(next() * 6) }, (_, k) => ({
      target,
      at: MARCH + i * 3 * HOUR + (k + 1) * HOUR,
      metrics: Object.fromEntries(metricNames.filter(() => next() < 0.7).map((name) => [name, Math.floor(next() * 500)])) as PostMetrics,
    })),
  );
  for (let i = readings.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [readings[i], readings[j]] = [readings[j]!, readings[i]!];
  }
  for (const reading of readings) recordReading(db, reading.target, reading.at, reading.metrics, null);
  // A reading taken again at the same instant replaces that sample: the latest follows when it was the newest.
  const rewritten = readings.find((r) => r.target === targets[0] && r.at === Math.max(...readings.filter((x) => x.target === targets[0]).map((x) => x.at)))!;
  recordReading(db, rewritten.target, rewritten.at, { likes: 12_345 }, null);

  const period = { from: MARCH, to: MARCH + 10 * DAY, zone: ZONE };
  const rows = resultRows(db, project, period.from, period.to);
  for (const row of rows) expect(row.metrics, row.targetId).toEqual(latestFromSamples(row.targetId));
  expect(rows.find((row) => row.targetId === targets[0])?.metrics).toEqual({ likes: 12_345 });

  const fromSamples = summarizeResults(
    rows.map((row) => ({ ...row, metrics: latestFromSamples(row.targetId) })),
    period,
  );
  const summary = await resultsHandlers({ db, clock: { now: () => MARCH + 40 * DAY } })['results.summary']({ projectId: project, from: period.from, to: period.to });
  expect(summary.totals).toEqual(fromSamples.totals);
  expect(summary.daily).toEqual(fromSamples.daily);
  expect(summary.measured).toBe(40);
});

it('keeps the newest reading when an older one arrives after it', () => {
  const project = addProject(db, { id: 'gym', timezone: ZONE });
  const target = publish(project, addAccount(db, project), 'a', MARCH);
  recordReading(db, target, MARCH + 5 * HOUR, { likes: 50, replies: 4 }, null);
  recordReading(db, target, MARCH + 2 * HOUR, { likes: 9 }, null);
  expect(resultRows(db, project, MARCH, MARCH + DAY)[0]?.metrics).toEqual({ likes: 50, replies: 4 });
  recordReading(db, target, MARCH + 6 * HOUR, { likes: 61 }, null);
  expect(resultRows(db, project, MARCH, MARCH + DAY)[0]?.metrics).toEqual({ likes: 61 });
});

it('falls back to the reading before when the newest sample is removed, and goes with its post', () => {
  const project = addProject(db, { id: 'gym', timezone: ZONE });
  const account = addAccount(db, project);
  const target = publish(project, account, 'a', MARCH);
  const other = publish(project, account, 'b', MARCH + HOUR);
  recordReading(db, target, MARCH + HOUR, { likes: 3 }, null);
  recordReading(db, target, MARCH + 2 * HOUR, { likes: 8 }, null);
  recordReading(db, other, MARCH + 2 * HOUR, { likes: 1 }, null);
  db.prepare(`DELETE FROM metric_samples WHERE target_id = ? AND at = ?`).run(target, MARCH + 2 * HOUR);
  expect(resultRows(db, project, MARCH, MARCH + DAY).find((row) => row.targetId === target)?.metrics).toEqual({ likes: 3 });

  db.prepare(`DELETE FROM posts WHERE id = 'a'`).run();
  expect(db.prepare(`SELECT target_id AS targetId FROM metric_latest`).all()).toEqual([{ targetId: other }]);
  expect(db.pragma('foreign_key_check')).toEqual([]);
});
