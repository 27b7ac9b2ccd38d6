import { randomUUID } from 'node:crypto';
import type { NativeSchedule, PublishedPost } from '../../core/connector';
import { httpsLinkOrNull } from '../../core/links';
import type { NetworkId } from '../../core/networks/ids';
import type { Db } from '../store/database';

export type JobKind = 'publish' | 'delete' | 'first_comment' | 'native_schedule' | 'native_cancel';
export type JobState = 'pending' | 'running' | 'done' | 'failed' | 'needs_attention' | 'held' | 'cancelled';

/** Why a job stopped, as a code the UI puts into words; the network's own message is kept beside it. */
export type StopReason =
  /** Overdue beyond the project's grace after sleep or with the app closed: "publish now" or "reschedule". */
  | 'missed'
  /** The answer to an attempt was lost and the network cannot be asked: the user checks and confirms. */
  | 'unknown_outcome'
  /** The network refused the post; it will refuse it again. */
  | 'validation'
  | 'permanent'
  /** Transient failures until the retry limit. */
  | 'max_attempts'
  /** The account's sign-in stopped working; held until it is reconnected. */
  | 'auth'
  /** Too late to delete on this network (Telegram bots: 48 h). */
  | 'delete_window'
  /** No connector for the account's network, or a job kind this engine does not run. */
  | 'unsupported'
  /** An image of the post is missing from the media library. */
  | 'media_missing'
  | 'cancelled';

/** One line of a job's journal (job_log.event). */
export type JournalEvent =
  | 'scheduled'
  | 'rescheduled'
  | 'publish_now'
  /** Written with the idempotency key before the network is called; an attempt with no outcome after it is "unknown". */
  | 'attempt'
  | 'published'
  | 'verified'
  | 'deleted'
  | 'retry'
  | 'rate_limited'
  | 'offline'
  | 'unknown'
  | 'failed'
  | 'needs_attention'
  | 'held'
  | 'released'
  | 'recovered'
  | 'confirmed'
  | 'cancelled'
  | 'delete_scheduled'
  | 'delete_refused'
  /** The network's own scheduler holds the post (native handoff); the publish job only checks afterwards. */
  | 'native_scheduled'
  | 'native_updated'
  | 'native_cancelled'
  | 'native_failed';

/** A pending job as the scheduler loop sees it. */
export interface DueJob {
  id: string;
  kind: JobKind;
  targetId: string;
  /** When the user wanted it done, UTC ms. */
  dueAt: number;
  /** When the loop should try it next (after backoff), UTC ms. */
  nextAttemptAt: number;
  attempts: number;
  idempotencyKey: string;
}

// A literal `state = 'pending'` matches the partial index jobs_next_due once, at prepare time, not on every bind.
/** The pending job to try first; served by the partial index jobs_next_due. */
export const NEXT_DUE_JOB_SQL = /* sql */ `
  SELECT id, kind, target_id AS targetId, due_at AS dueAt, next_attempt_at AS nextAttemptAt,
         attempts, idempotency_key AS idempotencyKey
  FROM jobs
  WHERE state = 'pending'
  ORDER BY next_attempt_at
  LIMIT 1`;

/** The pending job with the earliest next attempt, due or not: the loop sleeps until then. */
export function nextDueJob(db: Db): DueJob | undefined {
  return db.prepare(NEXT_DUE_JOB_SQL).get() as DueJob | undefined;
}

/** The earliest next attempt still in the future: what the loop sleeps until. */
export const NEXT_WAKE_SQL = /* sql */ `
  SELECT next_attempt_at AS at FROM jobs
  WHERE state = 'pending' AND next_attempt_at > @now
  ORDER BY next_attempt_at
  LIMIT 1`;

export function nextWakeAt(db: Db, now: number): number | undefined {
  return (db.prepare(NEXT_WAKE_SQL).get({ now }) as { at: number } | undefined)?.at;
}

/** A job with what the loop needs to decide about it: its account, network and the project's grace. */
export interface JobRow extends DueJob {
  postId: string;
  accountId: string;
  network: NetworkId;
  accountStatus: 'connected' | 'reconnect_needed' | 'disconnected';
  lateGraceMinutes: number;
  /** 1 when the last attempt's answer was lost: the network is asked before anything is sent. */
  verifyFirst: 0 | 1;
  state: JobState;
  /** The network's id of the scheduled post when the target was handed over (native handoff). */
  nativeScheduleId: string | null;
  /** The run that claimed it (running jobs): only that run may record its result. */
  leaseOwner?: string | null;
}

/** The job was taken over by another run (its lease ran out) before this run recorded it: nothing is written. */
export class LeaseLostError extends Error {
  constructor(readonly jobId: string) {
    super(`Job ${jobId} is no longer held by this run; its result was not recorded.`);
    this.name = 'LeaseLostError';
  }
}

/**
 * A running job's result is written only by the run holding its lease: one that another run
 * recovered meanwhile is never recorded twice. Runs inside the caller's transaction.
 */
function assertHeld(db: Db, job: Pick<JobRow, 'id' | 'state' | 'leaseOwner'>): void {
  if (job.state !== 'running' || !job.leaseOwner) return;
  const row = db.prepare(`SELECT state, lease_owner AS owner FROM jobs WHERE id = ?`).get(job.id) as { state: string; owner: string | null } | undefined;
  if (!row || row.state !== 'running' || row.owner !== job.leaseOwner) throw new LeaseLostError(job.id);
}

const jobRowColumns = /* sql */ `
  j.id, j.kind, j.target_id AS targetId, j.due_at AS dueAt, j.next_attempt_at AS nextAttemptAt, j.attempts,
  j.idempotency_key AS idempotencyKey, j.verify_first AS verifyFirst, j.state,
  t.post_id AS postId, t.account_id AS accountId, a.network, a.status AS accountStatus,
  pr.late_grace_minutes AS lateGraceMinutes, t.native_schedule_id AS nativeScheduleId, j.lease_owner AS leaseOwner`;

const jobRowJoins = /* sql */ `
  JOIN post_targets t ON t.id = j.target_id
  JOIN accounts a ON a.id = t.account_id
  JOIN posts p ON p.id = t.post_id
  JOIN projects pr ON pr.id = p.project_id`;

/**
 * The due job to try first whose account has no call in flight (one call per account at a time
 * keeps a channel's posts in order and its send budget exact); walks jobs_next_due in order.
 */
export const DUE_JOB_SQL = /* sql */ `
  SELECT ${jobRowColumns}
  FROM jobs j ${jobRowJoins}
  WHERE j.state = 'pending' AND j.next_attempt_at <= @now
    AND t.account_id NOT IN (SELECT value FROM json_each(@busy))
  ORDER BY j.next_attempt_at
  LIMIT 1`;

export function findDueJob(db: Db, now: number, busyAccounts: readonly string[]): JobRow | undefined {
  return db.prepare(DUE_JOB_SQL).get({ now, busy: JSON.stringify(busyAccounts) }) as JobRow | undefined;
}

export function getJob(db: Db, jobId: string): JobRow | undefined {
  return db.prepare(`SELECT ${jobRowColumns} FROM jobs j ${jobRowJoins} WHERE j.id = ?`).get(jobId) as JobRow | undefined;
}

/** The account's send budget has no room yet: try again at `at` (no attempt spent, nothing journalled). */
export function deferJob(db: Db, jobId: string, at: number, now: number): void {
  db.prepare(`UPDATE jobs SET next_attempt_at = @at, updated_at = @now WHERE id = @jobId AND state = 'pending'`).run({ jobId, at, now });
}

/** pending → running with a lease; the attempt is counted here so a crash loop cannot retry forever. */
export function claimJob(db: Db, job: JobRow, now: number, leaseUntil: number, owner: string | null = null): boolean {
  const claimed = db
    .prepare(
      `UPDATE jobs SET state = 'running', attempts = attempts + 1, lease_until = @leaseUntil, lease_owner = @owner, updated_at = @now
       WHERE id = @id AND state = 'pending'`,
    )
    .run({ id: job.id, now, leaseUntil, owner });
  if (claimed.changes !== 1) return false;
  if (job.kind === 'publish') db.prepare(`UPDATE post_targets SET state = 'publishing' WHERE id = ?`).run(job.targetId);
  return true;
}

export function appendJournal(db: Db, job: Pick<JobRow, 'id' | 'idempotencyKey'>, event: JournalEvent, at: number, detail: object = {}): void {
  db.prepare(`INSERT INTO job_log (job_id, at, event, idempotency_key, detail) VALUES (?, ?, ?, ?, ?)`).run(
    job.id,
    at,
    event,
    job.idempotencyKey,
    JSON.stringify(detail),
  );
}

/** The journal line that must be on disk before the network is called: from here on the outcome is "unknown" until recorded. */
export function startAttempt(db: Db, job: JobRow, at: number, attempt: number): void {
  db.transaction(() => {
    db.prepare(`UPDATE jobs SET verify_first = 0 WHERE id = ?`).run(job.id);
    appendJournal(db, job, 'attempt', at, { attempt });
  })();
}

export interface JournalLine {
  id: number;
  at: number;
  event: JournalEvent;
}

export function lastJournalLine(db: Db, jobId: string): JournalLine | undefined {
  return db.prepare(`SELECT id, at, event FROM job_log WHERE job_id = ? ORDER BY id DESC LIMIT 1`).get(jobId) as JournalLine | undefined;
}

export function lastAttemptAt(db: Db, jobId: string): number | undefined {
  const row = db.prepare(`SELECT at FROM job_log WHERE job_id = ? AND event = 'attempt' ORDER BY id DESC LIMIT 1`).get(jobId) as
    | { at: number }
    | undefined;
  return row?.at;
}

/** Running jobs: all of them at start (their process is gone), or those whose lease ran out. */
export function runningJobs(db: Db, leaseExpiredBy?: number): JobRow[] {
  if (leaseExpiredBy === undefined) {
    return db.prepare(`SELECT ${jobRowColumns} FROM jobs j ${jobRowJoins} WHERE j.state = 'running'`).all() as JobRow[];
  }
  return db
    .prepare(`SELECT ${jobRowColumns} FROM jobs j ${jobRowJoins} WHERE j.state = 'running' AND j.lease_until <= ?`)
    .all(leaseExpiredBy) as JobRow[];
}

/** Publish jobs about to run that are later than their project allows: the missed-window policy. */
export function overduePublishJobs(db: Db, now: number): JobRow[] {
  return db
    .prepare(
      `SELECT ${jobRowColumns} FROM jobs j ${jobRowJoins}
       WHERE j.state = 'pending' AND j.next_attempt_at <= @now AND j.kind = 'publish' AND j.verify_first = 0
         AND j.due_at < @now - pr.late_grace_minutes * 60000 AND t.native_schedule_id IS NULL`,
    )
    .all({ now }) as JobRow[];
}

export interface RecentSend {
  accountId: string;
  network: NetworkId;
  kind: JobKind;
  jobId: string;
  at: number;
}

/** Attempts since `since`, oldest first: refills the send budgets after a restart. */
export function recentSends(db: Db, since: number): RecentSend[] {
  return db
    .prepare(
      `SELECT t.account_id AS accountId, a.network, j.kind, j.id AS jobId, l.at
       FROM job_log l JOIN jobs j ON j.id = l.job_id
       JOIN post_targets t ON t.id = j.target_id JOIN accounts a ON a.id = t.account_id
       WHERE l.event = 'attempt' AND l.at >= ?
       ORDER BY l.at`,
    )
    .all(since) as RecentSend[];
}

export interface TargetContent {
  postId: string;
  projectId: string;
  text: string;
  mediaIds: string[];
  autoDeleteAfterMs: number | null;
  remoteId: string | null;
  remoteUrl: string | null;
  publishedAt: number | null;
  nativeScheduleId: string | null;
}

/** What a target publishes: its own text and media when overridden, the post's otherwise. */
export function getTargetContent(db: Db, targetId: string): TargetContent | undefined {
  const row = db
    .prepare(
      `SELECT t.post_id AS postId, p.project_id AS projectId, COALESCE(t.body_override, p.body) AS text, t.media_override AS mediaOverride,
              p.auto_delete_after_ms AS autoDeleteAfterMs, t.remote_id AS remoteId, t.remote_url AS remoteUrl,
              t.published_at AS publishedAt, t.native_schedule_id AS nativeScheduleId
       FROM post_targets t JOIN posts p ON p.id = t.post_id WHERE t.id = ?`,
    )
    .get(targetId) as (Omit<TargetContent, 'mediaIds'> & { mediaOverride: string | null }) | undefined;
  if (!row) return undefined;
  const { mediaOverride, ...rest } = row;
  let mediaIds: string[];
  if (mediaOverride !== null) {
    const parsed: unknown = JSON.parse(mediaOverride);
    mediaIds = Array.isArray(parsed) ? parsed.map(String) : [];
  } else {
    mediaIds = (db.prepare(`SELECT media_id AS id FROM post_media WHERE post_id = ? ORDER BY position`).all(row.postId) as { id: string }[]).map(
      (m) => m.id,
    );
  }
  return { ...rest, mediaIds };
}

export interface MediaRecord {
  id: string;
  sha256: string;
  mime: string;
  fileName: string;
  altText: string;
  width: number | null;
  height: number | null;
}

export function getMediaRecords(db: Db, ids: readonly string[]): MediaRecord[] {
  const rows = db
    .prepare(
      `SELECT id, sha256, mime, file_name AS fileName, alt_text AS altText, width, height
       FROM media WHERE id IN (SELECT value FROM json_each(?))`,
    )
    .all(JSON.stringify(ids)) as MediaRecord[];
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.flatMap((id) => {
    const found = byId.get(id);
    return found ? [found] : [];
  });
}

/** The post shows the worst of its targets: needs attention, then failed; published once every target is; a draft stays one. */
export function refreshPostStatus(db: Db, postId: string): void {
  db.prepare(
    `UPDATE posts SET status = (
       SELECT CASE
         WHEN SUM(state = 'needs_attention') > 0 THEN 'needs_attention'
         WHEN SUM(state = 'failed') > 0 THEN 'failed'
         WHEN SUM(state IN ('published', 'deleted')) = COUNT(*) THEN 'published'
         WHEN SUM(state IN ('scheduled', 'native_scheduled', 'publishing')) > 0 THEN 'scheduled'
         ELSE posts.status END
       FROM post_targets WHERE post_id = @postId)
     WHERE id = @postId AND EXISTS (SELECT 1 FROM post_targets WHERE post_id = @postId)`,
  ).run({ postId });
}

export type AutoDelete =
  | { kind: 'none' }
  | { kind: 'schedule'; jobId: string; idempotencyKey: string; deleteAt: number }
  | { kind: 'refused'; message: string };

/** Success, in one transaction: the job is done, the target holds the remote id and link, auto-delete is queued. */
export function recordPublished(
  db: Db,
  job: JobRow,
  post: Omit<PublishedPost, 'remoteId'> & { remoteId: string | null },
  now: number,
  via: 'publish' | 'verify' | 'user',
  autoDelete: AutoDelete,
): void {
  // The link is opened in the browser later: https or none, whatever the network answered.
  const url = httpsLinkOrNull(post.url);
  db.transaction(() => {
    assertHeld(db, job);
    db.prepare(
      `UPDATE jobs SET state = 'done', lease_until = NULL, last_error = NULL, reason = NULL, verify_first = 0, updated_at = ?
       WHERE id = ?`,
    ).run(now, job.id);
    db.prepare(
      `UPDATE post_targets SET state = 'published', remote_id = @remoteId, remote_url = @url, published_at = @publishedAt,
         delete_at = @deleteAt, last_error = NULL
       WHERE id = @targetId`,
    ).run({
      targetId: job.targetId,
      remoteId: post.remoteId,
      url,
      publishedAt: post.publishedAt,
      deleteAt: autoDelete.kind === 'schedule' ? autoDelete.deleteAt : null,
    });
    appendJournal(db, job, via === 'verify' ? 'verified' : via === 'user' ? 'confirmed' : 'published', now, {
      remoteId: post.remoteId,
      url,
      publishedAt: post.publishedAt,
    });
    if (autoDelete.kind === 'schedule') {
      const inserted = db
        .prepare(
          `INSERT INTO jobs (id, kind, target_id, state, due_at, next_attempt_at, idempotency_key, created_at, updated_at)
           VALUES (@id, 'delete', @targetId, 'pending', @deleteAt, @deleteAt, @key, @now, @now)
           ON CONFLICT DO NOTHING`,
        )
        .run({ id: autoDelete.jobId, targetId: job.targetId, deleteAt: autoDelete.deleteAt, key: autoDelete.idempotencyKey, now });
      if (inserted.changes === 1) {
        appendJournal(db, { id: autoDelete.jobId, idempotencyKey: autoDelete.idempotencyKey }, 'delete_scheduled', now, {
          deleteAt: autoDelete.deleteAt,
        });
      }
    } else if (autoDelete.kind === 'refused') {
      appendJournal(db, job, 'delete_refused', now, { message: autoDelete.message });
    }
    refreshPostStatus(db, job.postId);
  })();
}

export function recordDeleted(db: Db, job: JobRow, now: number): void {
  db.transaction(() => {
    assertHeld(db, job);
    db.prepare(`UPDATE jobs SET state = 'done', lease_until = NULL, last_error = NULL, reason = NULL, updated_at = ? WHERE id = ?`).run(
      now,
      job.id,
    );
    db.prepare(`UPDATE post_targets SET state = 'deleted', last_error = NULL WHERE id = ?`).run(job.targetId);
    appendJournal(db, job, 'deleted', now);
    refreshPostStatus(db, job.postId);
  })();
}

export interface Retry {
  nextAttemptAt: number;
  /** 1 when the attempt does not count (offline, rate limited, never sent). */
  refund: 0 | 1;
  verifyFirst: boolean;
  event: JournalEvent;
  message: string | null;
  detail?: object;
}

/** Back to pending for another try later; the target shows as scheduled again. */
export function recordRetry(db: Db, job: JobRow, retry: Retry, now: number): void {
  db.transaction(() => {
    assertHeld(db, job);
    db.prepare(
      `UPDATE jobs SET state = 'pending', next_attempt_at = @next, attempts = MAX(0, attempts - @refund), lease_until = NULL,
         verify_first = @verifyFirst, reason = NULL, last_error = @message, updated_at = @now
       WHERE id = @id`,
    ).run({ id: job.id, next: retry.nextAttemptAt, refund: retry.refund, verifyFirst: retry.verifyFirst ? 1 : 0, message: retry.message, now });
    if (job.kind === 'publish') {
      db.prepare(
        `UPDATE post_targets SET state = ${SCHEDULED_STATE}, last_error = @message WHERE id = @id`,
      ).run({ id: job.targetId, message: retry.message });
    }
    appendJournal(db, job, retry.event, now, { retryAt: retry.nextAttemptAt, message: retry.message, ...retry.detail });
    refreshPostStatus(db, job.postId);
  })();
}

export interface Stop {
  state: Extract<JobState, 'failed' | 'needs_attention' | 'held' | 'cancelled'>;
  reason: StopReason;
  message: string | null;
  refund?: 0 | 1;
  /** Ask the network first if the job is ever resumed (its last answer was lost); left out, the flag stays as it is. */
  verifyFirst?: boolean;
}

/** A target handed to the network stays "scheduled there" while its local job waits. */
const SCHEDULED_STATE = `CASE WHEN native_schedule_id IS NOT NULL THEN 'native_scheduled' ELSE 'scheduled' END`;

const targetStateAfterStop: Record<Stop['state'], string> = {
  failed: 'failed',
  needs_attention: 'needs_attention',
  held: 'scheduled',
  cancelled: 'pending',
};

/** The job stops until the user acts (or, when held, until the account is reconnected). */
export function recordStop(db: Db, job: JobRow, stop: Stop, now: number): void {
  db.transaction(() => {
    assertHeld(db, job);
    db.prepare(
      `UPDATE jobs SET state = @state, reason = @reason, last_error = @message, lease_until = NULL,
         attempts = MAX(0, attempts - @refund), verify_first = COALESCE(@verifyFirst, verify_first), updated_at = @now
       WHERE id = @id`,
    ).run({
      id: job.id,
      state: stop.state,
      reason: stop.reason,
      message: stop.message,
      refund: stop.refund ?? 0,
      verifyFirst: stop.verifyFirst === undefined ? null : stop.verifyFirst ? 1 : 0,
      now,
    });
    if (job.kind === 'publish') {
      db.prepare(
        `UPDATE post_targets SET last_error = @message,
           state = CASE WHEN native_schedule_id IS NOT NULL AND @state IN ('scheduled', 'pending') THEN 'native_scheduled' ELSE @state END
         WHERE id = @id`,
      ).run({
        id: job.targetId,
        state: targetStateAfterStop[stop.state],
        message: stop.message,
      });
    } else {
      // A failed delete leaves the post up: the target stays published and shows why.
      db.prepare(`UPDATE post_targets SET last_error = ? WHERE id = ?`).run(stop.message, job.targetId);
    }
    appendJournal(db, job, stop.state, now, { reason: stop.reason, message: stop.message });
    refreshPostStatus(db, job.postId);
  })();
}

/** The account's sign-in failed: mark it and hold every job waiting for it. Returns the held jobs. */
export function holdAccount(db: Db, accountId: string, message: string, now: number): JobRow[] {
  return db.transaction(() => {
    db.prepare(`UPDATE accounts SET status = 'reconnect_needed', updated_at = ? WHERE id = ? AND status = 'connected'`).run(now, accountId);
    const waiting = db
      .prepare(`SELECT ${jobRowColumns} FROM jobs j ${jobRowJoins} WHERE t.account_id = ? AND j.state = 'pending'`)
      .all(accountId) as JobRow[];
    for (const job of waiting) recordStop(db, job, { state: 'held', reason: 'auth', message }, now);
    return waiting;
  })();
}

/**
 * The account was reconnected: its held jobs wait no more. Those later than the project's grace
 * follow the missed-window policy; the rest go out now.
 */
export function releaseAccount(db: Db, accountId: string, now: number): { released: JobRow[]; missed: JobRow[] } {
  return db.transaction(() => {
    db.prepare(`UPDATE accounts SET status = 'connected', updated_at = ? WHERE id = ? AND status = 'reconnect_needed'`).run(now, accountId);
    const held = db
      .prepare(`SELECT ${jobRowColumns} FROM jobs j ${jobRowJoins} WHERE t.account_id = ? AND j.state = 'held'`)
      .all(accountId) as JobRow[];
    const released: JobRow[] = [];
    const missed: JobRow[] = [];
    for (const job of held) {
      if (job.kind === 'publish' && job.verifyFirst === 0 && job.nativeScheduleId === null && job.dueAt < now - job.lateGraceMinutes * 60_000) {
        recordStop(db, job, { state: 'needs_attention', reason: 'missed', message: null }, now);
        missed.push(job);
      } else {
        recordRetry(db, job, { nextAttemptAt: now, refund: 0, verifyFirst: job.verifyFirst === 1, event: 'released', message: null }, now);
        released.push(job);
      }
    }
    return { released, missed };
  })();
}

// ---------------------------------------------------------------------------------------------
// What the user does: schedule, publish now, reschedule, confirm, cancel; history and lists.

export class SchedulingError extends Error {
  constructor(
    readonly code: 'not_found' | 'not_scheduled' | 'publishing' | 'no_targets' | 'not_waiting',
    message: string,
  ) {
    super(message);
    this.name = 'SchedulingError';
  }
}

interface LiveJob {
  id: string;
  state: JobState;
  idempotencyKey: string;
}

/** Creates or moves the publish job of every target not yet out, due at `at`. Returns the job ids. */
export function upsertPublishJobs(
  db: Db,
  postId: string,
  at: number,
  now: number,
  event: Extract<JournalEvent, 'scheduled' | 'rescheduled' | 'publish_now'>,
  newKey: () => string,
): string[] {
  return db.transaction(() => {
    const post = db.prepare(`SELECT id FROM posts WHERE id = ?`).get(postId);
    if (!post) throw new SchedulingError('not_found', 'This post no longer exists.');
    const targets = db.prepare(`SELECT id, state, native_schedule_id AS nativeId FROM post_targets WHERE post_id = ?`).all(postId) as {
      id: string;
      state: string;
      nativeId: string | null;
    }[];
    if (targets.length === 0) throw new SchedulingError('no_targets', 'Choose at least one account to publish to.');
    const ids: string[] = [];
    for (const target of targets) {
      if (target.state === 'published' || target.state === 'deleted') continue;
      const live = db
        .prepare(
          `SELECT id, state, idempotency_key AS idempotencyKey FROM jobs
           WHERE target_id = ? AND kind = 'publish' AND state IN ('pending', 'running', 'held', 'needs_attention')`,
        )
        .get(target.id) as LiveJob | undefined;
      if (live?.state === 'running') throw new SchedulingError('publishing', 'This post is being published right now.');
      if (live) {
        // The same job keeps its idempotency key: if an earlier attempt did reach the network, the next one is recognised.
        // Out of "needs attention", the user has decided (having checked the network for a lost answer): no verify first.
        db.prepare(
          `UPDATE jobs SET due_at = @at, next_attempt_at = @at, updated_at = @now,
             verify_first = CASE WHEN state = 'needs_attention' THEN 0 ELSE verify_first END,
             state = CASE WHEN state = 'held' THEN 'held' ELSE 'pending' END,
             reason = CASE WHEN state = 'held' THEN reason ELSE NULL END
           WHERE id = @id`,
        ).run({ id: live.id, at, now });
        appendJournal(db, live, event, now, { dueAt: at });
        ids.push(live.id);
      } else {
        const job = { id: newKey(), idempotencyKey: newKey() };
        db.prepare(
          `INSERT INTO jobs (id, kind, target_id, state, due_at, next_attempt_at, idempotency_key, created_at, updated_at)
           VALUES (@id, 'publish', @targetId, 'pending', @at, @at, @key, @now, @now)`,
        ).run({ id: job.id, targetId: target.id, at, key: job.idempotencyKey, now });
        appendJournal(db, job, event, now, { dueAt: at });
        ids.push(job.id);
      }
      db.prepare(`UPDATE post_targets SET state = ${SCHEDULED_STATE}, last_error = NULL WHERE id = ?`).run(target.id);
      // The network holds the old time: it is moved (or taken back, when now too close) before the local job may run.
      if (target.nativeId !== null) queueNativeSync(db, target.id, now, newKey);
    }
    refreshPostStatus(db, postId);
    return ids;
  })();
}

export function setPostSchedule(db: Db, postId: string, at: number, now: number): void {
  db.prepare(`UPDATE posts SET scheduled_at = ?, updated_at = ? WHERE id = ?`).run(at, now, postId);
}

export function getPostSchedule(db: Db, postId: string): number | null | undefined {
  const row = db.prepare(`SELECT scheduled_at AS at FROM posts WHERE id = ?`).get(postId) as { at: number | null } | undefined;
  return row ? row.at : undefined;
}

/** The live publish job of a target, if any. */
export function liveJobOfTarget(db: Db, targetId: string, kind: JobKind = 'publish'): JobRow | undefined {
  return db
    .prepare(
      `SELECT ${jobRowColumns} FROM jobs j ${jobRowJoins}
       WHERE j.target_id = ? AND j.kind = ? AND j.state IN ('pending', 'running', 'held', 'needs_attention')`,
    )
    .get(targetId, kind) as JobRow | undefined;
}

/** Stops every job of the post that has not started; the post goes back to draft. */
export function cancelPostJobs(db: Db, postId: string, now: number): number {
  return db.transaction(() => {
    const jobs = db
      .prepare(
        `SELECT ${jobRowColumns} FROM jobs j ${jobRowJoins}
         WHERE t.post_id = ? AND j.state IN ('pending', 'held', 'needs_attention')`,
      )
      .all(postId) as JobRow[];
    if (db.prepare(`SELECT 1 FROM jobs j JOIN post_targets t ON t.id = j.target_id WHERE t.post_id = ? AND j.state = 'running'`).get(postId)) {
      throw new SchedulingError('publishing', 'This post is being published right now.');
    }
    for (const job of jobs) recordStop(db, job, { state: 'cancelled', reason: 'cancelled', message: null }, now);
    // A post handed to the network would still go out from there: it is taken back.
    for (const job of jobs) if (job.kind === 'publish' && job.nativeScheduleId !== null) queueNativeSync(db, job.targetId, now, randomUUID);
    db.prepare(`UPDATE posts SET status = 'draft' WHERE id = ? AND status <> 'published'`).run(postId);
    return jobs.length;
  })();
}

export interface HistoryEntry {
  id: number;
  at: number;
  event: JournalEvent;
  jobId: string;
  jobKind: JobKind;
  targetId: string;
  accountId: string;
  network: NetworkId;
  handle: string;
  idempotencyKey: string;
  /** Which try this was (attempt lines). */
  attempt: number | null;
  /** The network's words, or ours, for a failure. */
  message: string | null;
  reason: StopReason | null;
  /** The published post's link (published, verified and confirmed lines). */
  url: string | null;
  /** When a retry or a delete is due. */
  nextAt: number | null;
}

/** Every attempt and outcome of one post, oldest first: the post's history panel. */
export function postHistory(db: Db, postId: string): HistoryEntry[] {
  const rows = db
    .prepare(
      `SELECT l.id, l.at, l.event, l.detail, l.idempotency_key AS idempotencyKey, j.id AS jobId, j.kind AS jobKind,
              t.id AS targetId, a.id AS accountId, a.network, a.handle
       FROM post_targets t
       JOIN jobs j ON j.target_id = t.id
       JOIN job_log l ON l.job_id = j.id
       JOIN accounts a ON a.id = t.account_id
       WHERE t.post_id = ?
       ORDER BY l.id`,
    )
    .all(postId) as (Omit<HistoryEntry, 'attempt' | 'message' | 'reason' | 'url' | 'nextAt'> & { detail: string })[];
  return rows.map(({ detail, ...row }) => {
    const d = JSON.parse(detail) as Record<string, unknown>;
    const str = (v: unknown) => (typeof v === 'string' ? v : null);
    const num = (v: unknown) => (typeof v === 'number' ? v : null);
    return {
      ...row,
      attempt: num(d['attempt']),
      message: str(d['message']),
      reason: str(d['reason']) as StopReason | null,
      // Rows written before links were checked on the way in may hold an http one.
      url: httpsLinkOrNull(str(d['url'])),
      nextAt: num(d['retryAt']) ?? num(d['deleteAt']) ?? num(d['dueAt']),
    };
  });
}

export interface AttentionItem {
  jobId: string;
  kind: JobKind;
  reason: StopReason;
  message: string | null;
  dueAt: number;
  postId: string;
  projectId: string;
  targetId: string;
  accountId: string;
  network: NetworkId;
  handle: string;
  body: string;
}

/** Jobs waiting for the user ("needs attention"), earliest due first. */
export function listNeedsAttention(db: Db, projectId?: string): AttentionItem[] {
  return db
    .prepare(
      `SELECT j.id AS jobId, j.kind, j.reason, j.last_error AS message, j.due_at AS dueAt, t.post_id AS postId,
              p.project_id AS projectId, t.id AS targetId, a.id AS accountId, a.network, a.handle,
              COALESCE(t.body_override, p.body) AS body
       FROM jobs j ${jobRowJoins}
       WHERE j.state = 'needs_attention' AND (@projectId IS NULL OR p.project_id = @projectId)
       ORDER BY j.due_at`,
    )
    .all({ projectId: projectId ?? null }) as AttentionItem[];
}

/** How many jobs are still to run: the loop is idle when this is zero. */
export function countOpenJobs(db: Db): { pending: number; running: number; held: number } {
  return db
    .prepare(
      `SELECT COALESCE(SUM(state = 'pending'), 0) AS pending, COALESCE(SUM(state = 'running'), 0) AS running,
              COALESCE(SUM(state = 'held'), 0) AS held
       FROM jobs WHERE state IN ('pending', 'running', 'held')`,
    )
    .get() as { pending: number; running: number; held: number };
}

// ---------------------------------------------------------------------------------------------
// Native handoff: a post due far enough ahead is handed to the network's own scheduler.

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
    db.prepare(`UPDATE jobs SET state = 'done', lease_until = NULL, last_error = NULL, reason = NULL, verify_first = 0, updated_at = ? WHERE id = ?`).run(
      now,
      sync.id,
    );
    db.prepare(`UPDATE post_targets SET native_schedule_id = ?, state = 'native_scheduled', last_error = NULL WHERE id = ?`).run(
      native.nativeId,
      sync.targetId,
    );
    appendJournal(db, sync, event, now, { nativeId: native.nativeId, dueAt: native.scheduledAt });
    const publish = db
      .prepare(`SELECT due_at AS dueAt FROM jobs WHERE target_id = ? AND kind = 'publish' AND state IN ('pending', 'held')`)
      .get(sync.targetId) as { dueAt: number } | undefined;
    const text = getTargetContent(db, sync.targetId)?.text;
    if (publish && publish.dueAt === sent.dueAt && text === sent.text) {
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
      `UPDATE jobs SET state = @state, lease_until = NULL, last_error = @message, reason = @reason, verify_first = 0, updated_at = @now WHERE id = @id`,
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
