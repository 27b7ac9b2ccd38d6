import { randomUUID } from 'node:crypto';
import type { NativeSchedule } from '../../core/connector';
import type { NetworkId } from '../../core/networks/ids';
import { refreshPostStatus } from '../posts/posts-repo';
import type { Db } from '../store/database';
import { appendJournal, assertHeld, getTargetContent, type JobRow, type JournalEvent } from './jobs-repo';

/** Native handoff's SQL: a post due far enough ahead is handed to the network's own scheduler, and kept in line with it. */

/**
 * Asks the loop to bring the network's copy in line with the target (schedule, move, or take it
 * back): one live native_schedule job per target, due now.
 */
export function queueNativeSync(db: Db, targetId: string, now: number, newKey: () => string): void {
  queueNativeSyncAt(db, targetId, now, now, newKey);
}

/** The same, run at `at`: edits typed in a burst are sent to the network once, after the burst. */
export function queueNativeSyncAt(db: Db, targetId: string, at: number, now: number, newKey: () => string): void {
  const moved = db
    .prepare(`UPDATE jobs SET next_attempt_at = @at, updated_at = @now WHERE target_id = @targetId AND kind = 'native_schedule' AND state = 'pending'`)
    .run({ targetId, at, now });
  if (moved.changes > 0) return;
  const live = db
    .prepare(`SELECT 1 FROM jobs WHERE target_id = ? AND kind = 'native_schedule' AND state IN ('running', 'held', 'needs_attention')`)
    .get(targetId);
  // A running sync reads the target afresh when it records; a held one runs once the account is back.
  if (live) return;
  const job = { id: newKey(), idempotencyKey: newKey() };
  db.prepare(
    `INSERT INTO jobs (id, kind, target_id, state, due_at, next_attempt_at, idempotency_key, created_at, updated_at)
     VALUES (@id, 'native_schedule', @targetId, 'pending', @at, @at, @key, @now, @now)`,
  ).run({ id: job.id, targetId, at, now, key: job.idempotencyKey });
}

/** The post's text or media changed: what the network holds for its handed-over targets is replaced. */
export function syncNativeTargets(db: Db, postId: string, at: number, now: number): void {
  const targets = db.prepare(`SELECT id FROM post_targets WHERE post_id = ? AND native_schedule_id IS NOT NULL AND state = 'native_scheduled'`).all(postId) as {
    id: string;
  }[];
  for (const target of targets) queueNativeSyncAt(db, target.id, at, now, randomUUID);
}

/**
 * Targets to hand over now: a publish job not yet tried, due later than `lead`, on a connected
 * account of a network that schedules server-side, not handed over and not refused lately.
 */
export function nativeHandoffCandidates(
  db: Db,
  now: number,
  options: { leadMs: number; networks: readonly NetworkId[]; retryFailedAfterMs: number; limit: number },
): string[] {
  return (
    db
      .prepare(
        // Driven from the accounts of those networks (CROSS JOIN keeps that order): with none, nothing is scanned.
        `SELECT j.target_id AS targetId FROM accounts a
         CROSS JOIN post_targets t ON t.account_id = a.id
         CROSS JOIN jobs j ON j.target_id = t.id
         WHERE j.state = 'pending' AND j.kind = 'publish' AND j.attempts = 0 AND j.verify_first = 0
           AND j.due_at > @after AND t.native_schedule_id IS NULL AND a.status = 'connected'
           AND a.network IN (SELECT value FROM json_each(@networks))
           -- a thread's parts go from here right after its first: handed over, the first would go out alone while the laptop sleeps
           AND COALESCE((SELECT json_array_length(p.network_options, '$.thread.parts') FROM posts p WHERE p.id = t.post_id), 0) = 0
           AND NOT EXISTS (SELECT 1 FROM jobs n WHERE n.target_id = j.target_id AND n.kind = 'native_schedule'
                           AND (n.state IN ('pending', 'running', 'held', 'needs_attention') OR (n.state = 'failed' AND n.updated_at > @failedSince)))
         LIMIT @limit`,
      )
      .all({
        after: now + options.leadMs,
        networks: JSON.stringify(options.networks),
        failedSince: now - options.retryFailedAfterMs,
        limit: options.limit,
      }) as { targetId: string }[]
  ).map((r) => r.targetId);
}

/**
 * True while the network may hold (or be about to hold) this target: a sync is running, was sent
 * with its answer lost, or must first move or take back what the network holds. The local publish
 * job waits meanwhile, so a post is never both handed over and sent from here.
 */
export function nativeSyncBlocks(db: Db, targetId: string): boolean {
  return (
    db
      .prepare(
        `SELECT 1 FROM jobs n JOIN post_targets t ON t.id = n.target_id
         WHERE n.target_id = ? AND n.kind = 'native_schedule' AND n.state IN ('pending', 'running', 'held')
           AND (n.state <> 'pending' OR n.attempts > 0 OR t.native_schedule_id IS NOT NULL)`,
      )
      .get(targetId) !== undefined
  );
}

/** The network holds the post for `native.scheduledAt`: the local job waits until then, and only checks. */
export function recordNativeScheduled(
  db: Db,
  sync: JobRow,
  native: NativeSchedule,
  event: Extract<JournalEvent, 'native_scheduled' | 'native_updated'>,
  sent: { dueAt: number; text: string },
  checkAt: number,
  now: number,
): void {
  db.transaction(() => {
    assertHeld(db, sync);
    db.prepare(`UPDATE jobs SET state = 'done', lease_until = NULL, last_error = NULL, network_said = NULL, reason = NULL, verify_first = 0, updated_at = ? WHERE id = ?`).run(
      now,
      sync.id,
    );
    db.prepare(`UPDATE post_targets SET native_schedule_id = ?, state = 'native_scheduled', last_error = NULL, network_said = NULL WHERE id = ?`).run(
      native.nativeId,
      sync.targetId,
    );
    appendJournal(db, sync, event, now, { nativeId: native.nativeId, dueAt: native.scheduledAt });
    const dueAt = waitingPublishDueAt(db, sync.targetId);
    const text = getTargetContent(db, sync.targetId)?.text;
    if (dueAt !== undefined && dueAt === sent.dueAt && text === sent.text) {
      db.prepare(
        `UPDATE jobs SET next_attempt_at = @checkAt, updated_at = @now
         WHERE target_id = @targetId AND kind = 'publish' AND state IN ('pending', 'held')`,
      ).run({ targetId: sync.targetId, checkAt, now });
    } else {
      // Moved, edited, published now or unscheduled while the call was out: the network's copy follows at once.
      queueNativeSync(db, sync.targetId, now, randomUUID);
    }
    refreshPostStatus(db, sync.postId);
  })();
}

/** The network no longer holds the post (taken back, or nothing was there): the local job is in charge again. */
export function recordNativeCleared(db: Db, sync: JobRow, event: Extract<JournalEvent, 'native_cancelled' | 'native_failed'>, message: string | null, now: number): void {
  db.transaction(() => {
    assertHeld(db, sync);
    db.prepare(
      `UPDATE jobs SET state = @state, lease_until = NULL, last_error = @message, network_said = NULL, reason = @reason, verify_first = 0, updated_at = @now WHERE id = @id`,
    ).run({ id: sync.id, state: event === 'native_failed' ? 'failed' : 'done', message, reason: event === 'native_failed' ? 'permanent' : null, now });
    const live = db
      .prepare(`SELECT 1 FROM jobs WHERE target_id = ? AND kind = 'publish' AND state IN ('pending', 'running', 'held', 'needs_attention')`)
      .get(sync.targetId);
    db.prepare(
      `UPDATE post_targets SET native_schedule_id = CASE WHEN @cleared THEN NULL ELSE native_schedule_id END,
         state = CASE WHEN state = 'native_scheduled' AND @cleared THEN @state ELSE state END
       WHERE id = @id`,
    ).run({ id: sync.targetId, cleared: event === 'native_cancelled' ? 1 : 0, state: live ? 'scheduled' : 'pending' });
    appendJournal(db, sync, event, now, { message });
    refreshPostStatus(db, sync.postId);
  })();
}

/** The publish job's time when it still waits (pending or held) for the target. */
export function waitingPublishDueAt(db: Db, targetId: string): number | undefined {
  return (
    db.prepare(`SELECT due_at AS dueAt FROM jobs WHERE target_id = ? AND kind = 'publish' AND state IN ('pending', 'held')`).get(targetId) as
      | { dueAt: number }
      | undefined
  )?.dueAt;
}

/** The time the target's latest publish job asked for, whatever became of the job (a lost handoff asked the network for it). */
export function lastPublishDueAt(db: Db, targetId: string): number | undefined {
  return (
    db.prepare(`SELECT due_at AS dueAt FROM jobs WHERE target_id = ? AND kind = 'publish' ORDER BY updated_at DESC LIMIT 1`).get(targetId) as
      | { dueAt: number }
      | undefined
  )?.dueAt;
}
