import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Connector, PublishedPost } from '../../main/core/connector';
import { systemClock } from '../../main/services/ports';
import { createScheduler } from '../../main/services/scheduler/engine';
import { countOpenJobs, findDueJob, nextWakeAt } from '../../main/services/scheduler/jobs-repo';
import { openDatabase, type Db } from '../../main/services/store/database';
import { addAccount, addProject, addScheduledPost } from '../unit/scheduler/support';
import { makeTempDir } from '../unit/support/backend';
import { median, percentile, recordFigure, timeRuns } from './figures';

let dir: ReturnType<typeof makeTempDir>;

beforeAll(() => {
  dir = makeTempDir('outpost-bench-scheduler-');
});

afterAll(() => dir.remove());

/** `jobs` pending publish jobs on 100 accounts (1 post per 100 targets), due over the next month. */
function seedPending(db: Db, jobs: number, now: number): string[] {
  const project = addProject(db);
  const accounts = Array.from({ length: 100 }, () => addAccount(db, project));
  db.transaction(() => {
    const post = db.prepare(
      `INSERT INTO posts (id, project_id, body, status, scheduled_at, timezone, created_at, updated_at) VALUES (?, ?, 'bench', 'scheduled', ?, 'UTC', 0, 0)`,
    );
    const target = db.prepare(`INSERT INTO post_targets (id, post_id, account_id, state) VALUES (?, ?, ?, 'scheduled')`);
    const job = db.prepare(
      `INSERT INTO jobs (id, kind, target_id, due_at, next_attempt_at, idempotency_key, created_at, updated_at)
       VALUES (?, 'publish', ?, ?, ?, ?, 0, 0)`,
    );
    for (let p = 0; p < jobs / accounts.length; p++) {
      const at = now + 60_000 + Math.floor((p * 30 * 86_400_000) / (jobs / accounts.length));
      post.run(`bench-${p}`, project, at);
      accounts.forEach((account, a) => {
        const id = `bench-${p}-${a}`;
        target.run(id, `bench-${p}`, account);
        job.run(id, id, at + a, at + a, `key-${id}`);
      });
    }
  })();
  db.pragma('optimize');
  return accounts;
}

describe('scheduler', () => {
  it('scheduler.next_due_ms: the loop’s next-job queries with 100,000 pending jobs', () => {
    const db = openDatabase(join(dir.path, 'next-due.db'));
    const now = Date.UTC(2026, 0, 5, 9, 0);
    const accounts = seedPending(db, 100_000, now);
    expect(countOpenJobs(db).pending).toBe(100_000);
    // What the loop asks each time it wakes: the job due now (none yet) and when to wake next.
    const idle = timeRuns(() => {
      findDueJob(db, now, []);
      nextWakeAt(db, now);
    }, 2000);
    // Later, with many jobs due and four accounts busy: the claim query walks past their jobs.
    const later = now + 2 * 86_400_000;
    const busy = accounts.slice(0, 4);
    const due = timeRuns(() => findDueJob(db, later, busy), 2000);
    db.close();
    const value = Math.max(median(idle), median(due));
    recordFigure({
      name: 'scheduler.next_due_ms',
      value,
      unit: 'ms',
      target: 1,
      how: `median of 2000 runs, 100,000 pending jobs on disk; idle wake ${median(idle).toFixed(3)} ms, claim with 4 busy accounts ${median(due).toFixed(3)} ms`,
    });
    expect(value).toBeGreaterThan(0);
  });

  it('scheduler.lag_p95_ms: due time to the connector call, real timers', async () => {
    const db = openDatabase(join(dir.path, 'lag.db'));
    const start = Date.now();
    seedPending(db, 10_000, start + 86_400_000);
    const project = addProject(db);
    const accounts = Array.from({ length: 20 }, () => addAccount(db, project));
    const due = new Map<string, number>();
    const POSTS = 300;
    for (let i = 0; i < POSTS; i++) {
      // Spread over 6 seconds at odd milliseconds, so the loop really sleeps between them.
      const at = start + 1_000 + Math.floor((i * 6_000) / POSTS) + (i % 7);
      const body = `lag ${i}`;
      addScheduledPost(db, systemClock, project, [accounts[i % accounts.length]!], at, { body });
      due.set(body, at);
    }
    const lags: number[] = [];
    const stub: Connector = {
      network: 'mastodon',
      async publish(_ctx, post): Promise<PublishedPost> {
        lags.push(Date.now() - due.get(post.text)!);
        return { remoteId: post.idempotencyKey, url: null, publishedAt: Date.now() };
      },
      async delete() {},
    };
    const scheduler = createScheduler({
      db,
      clock: systemClock,
      connectorFor: () => stub,
      openAccount: async (accountId) => ({ connector: stub, ctx: { baseUrl: '', credentials: {}, config: { accountId }, fetch, now: Date.now } }),
      budgets: { mastodon: null },
      log: () => {},
    });
    scheduler.start();
    while (lags.length < POSTS && Date.now() - start < 30_000) await new Promise((r) => setTimeout(r, 50));
    await scheduler.stop();
    db.close();
    expect(lags).toHaveLength(POSTS);
    const value = percentile(lags, 95);
    recordFigure({
      name: 'scheduler.lag_p95_ms',
      value,
      unit: 'ms',
      target: 250,
      how: `p95 of ${POSTS} posts due over 6 s on 20 accounts, 10,000 other jobs pending, stub connector; median ${median(lags)} ms, max ${Math.max(...lags)} ms`,
    });
  }, 60_000);
});
