import { metricNames, type PostMetrics } from '../../core/metrics';
import type { NetworkId } from '../../core/networks/ids';
import type { Db } from '../store/database';

/** A published post due for a reading. */
export interface DueReading {
  targetId: string;
  accountId: string;
  network: NetworkId;
  remoteId: string;
  publishedAt: number;
  failures: number;
}

const FIRST_READING_AFTER_MS = 60 * 60_000;

/**
 * Published posts whose numbers are due, oldest due first: never read and an hour old, or due by
 * their schedule. Only connected accounts: a post of a disconnected one waits without counting failures.
 */
export function dueReadings(db: Db, now: number, since: number, limit: number): DueReading[] {
  return db
    .prepare(
      `SELECT t.id AS targetId, t.account_id AS accountId, a.network, t.remote_id AS remoteId, t.published_at AS publishedAt,
              COALESCE(s.failures, 0) AS failures
       FROM post_targets t
       JOIN accounts a ON a.id = t.account_id
       LEFT JOIN metric_schedule s ON s.target_id = t.id
       WHERE t.state = 'published' AND t.remote_id IS NOT NULL AND t.published_at >= @since AND a.status = 'connected'
         AND ((s.target_id IS NULL AND t.published_at + @first <= @now) OR s.next_at <= @now)
       ORDER BY COALESCE(s.next_at, t.published_at + @first)
       LIMIT @limit`,
    )
    .all({ now, since, limit, first: FIRST_READING_AFTER_MS }) as DueReading[];
}

/** Keeps one reading and when to read next (null: reading is over). */
export function recordReading(db: Db, targetId: string, at: number, metrics: PostMetrics, nextAt: number | null): void {
  const columns = Object.fromEntries(metricNames.map((name) => [name, metrics[name] ?? null]));
  db.transaction(() => {
    db.prepare(
      `INSERT INTO metric_samples (target_id, at, ${metricNames.join(', ')}) VALUES (@targetId, @at, ${metricNames.map((n) => `@${n}`).join(', ')})
       ON CONFLICT (target_id, at) DO UPDATE SET ${metricNames.map((n) => `${n} = excluded.${n}`).join(', ')}`,
    ).run({ targetId, at, ...columns });
    setSchedule(db, targetId, nextAt, 0, null);
  })();
}

/** A reading that failed (or found the post gone, or the network giving none): when to try again, and why. */
export function recordReadingFailure(db: Db, targetId: string, nextAt: number | null, failures: number, error: string): void {
  setSchedule(db, targetId, nextAt, failures, error);
}

function setSchedule(db: Db, targetId: string, nextAt: number | null, failures: number, error: string | null): void {
  db.prepare(
    `INSERT INTO metric_schedule (target_id, next_at, failures, last_error) VALUES (?, ?, ?, ?)
     ON CONFLICT (target_id) DO UPDATE SET next_at = excluded.next_at, failures = excluded.failures, last_error = excluded.last_error`,
  ).run(targetId, nextAt, failures, error);
}

/** A post's readings, oldest first (for the results page and tests). */
export function readingsOf(db: Db, targetId: string): Array<{ at: number } & PostMetrics> {
  const rows = db.prepare(`SELECT at, ${metricNames.join(', ')} FROM metric_samples WHERE target_id = ? ORDER BY at`).all(targetId) as Array<Record<string, number | null>>;
  return rows.map((row) => {
    const reading: { at: number } & PostMetrics = { at: row['at']! };
    for (const name of metricNames) if (row[name] !== null && row[name] !== undefined) reading[name] = row[name];
    return reading;
  });
}

export function scheduleOf(db: Db, targetId: string): { nextAt: number | null; failures: number; lastError: string | null } | undefined {
  return db.prepare(`SELECT next_at AS nextAt, failures, last_error AS lastError FROM metric_schedule WHERE target_id = ?`).get(targetId) as
    | { nextAt: number | null; failures: number; lastError: string | null }
    | undefined;
}
