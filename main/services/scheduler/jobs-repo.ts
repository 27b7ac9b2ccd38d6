import type { ChallengeAnswer, ConnectorChallenge, PublishedPost } from '../../core/connector';
import { wordPost } from '../../core/spintax';
import { chainTexts, takesChains } from '../../core/posts/thread';
import { storedCard, type StoredCard } from '../links/link-cards';
import { httpsLinkOrNull } from '../../core/links';
import type { NetworkId } from '../../core/networks/ids';
import type { NetworkOptions } from '../../core/contract/posts';
import { readNetworkOptions, refreshPostStatus } from '../posts/posts-repo';
import type { Db } from '../store/database';

/** The durable jobs: what the loop claims, the journal it writes before each call, and the outcomes it records. */

export type JobKind = 'publish' | 'delete' | 'first_comment' | 'native_schedule' | 'native_cancel' | 'thread_part';
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
  /** The network wants a person to answer a challenge (VK's captcha) before it takes the call; the job waits for the answer. */
  | 'captcha'
  /** The project's media relay cannot serve the post's media (Instagram, Threads): stopped when the relay was removed, before its time. */
  | 'relay'
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
  /** The user answered the network's challenge; the answer itself is never journalled. */
  | 'answered'
  | 'cancelled'
  | 'delete_scheduled'
  | 'delete_refused'
  /** The network's own scheduler holds the post (native handoff); the publish job only checks afterwards. */
  | 'native_scheduled'
  | 'native_updated'
  | 'native_cancelled'
  | 'native_failed'
  /** The user changed the published message's text in place (the publish job's journal keeps it). */
  | 'edited'
  /** The post's first comment is under it (detail: the comment's remoteId and url). */
  | 'commented'
  /** A part of the post's thread is out (detail: remoteId, url, part, total). */
  | 'part_published';

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
  accountStatus: 'connected' | 'reconnect_needed' | 'disconnected' | 'planned';
  lateGraceMinutes: number;
  /** 1 when the last attempt's answer was lost: the network is asked before anything is sent. */
  verifyFirst: 0 | 1;
  state: JobState;
  /** The network's id of the scheduled post when the target was handed over (native handoff). */
  nativeScheduleId: string | null;
  /** The run that claimed it (running jobs): only that run may record its result. */
  leaseOwner?: string | null;
  /** Which part of the post's thread a thread_part job sends (2 is the first reply); null for other kinds. */
  part?: number | null;
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
export function assertHeld(db: Db, job: Pick<JobRow, 'id' | 'state' | 'leaseOwner'>): void {
  if (job.state !== 'running' || !job.leaseOwner) return;
  const row = db.prepare(`SELECT state, lease_owner AS owner FROM jobs WHERE id = ?`).get(job.id) as { state: string; owner: string | null } | undefined;
  if (!row || row.state !== 'running' || row.owner !== job.leaseOwner) throw new LeaseLostError(job.id);
}

export const jobRowColumns = /* sql */ `
  j.id, j.kind, j.target_id AS targetId, j.due_at AS dueAt, j.next_attempt_at AS nextAttemptAt, j.attempts,
  j.idempotency_key AS idempotencyKey, j.verify_first AS verifyFirst, j.state,
  t.post_id AS postId, t.account_id AS accountId, a.network, a.status AS accountStatus,
  pr.late_grace_minutes AS lateGraceMinutes, t.native_schedule_id AS nativeScheduleId, j.lease_owner AS leaseOwner, j.part`;

export const jobRowJoins = /* sql */ `
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
  /** The post's options per network (VK's ad mark…); the connector takes its own network's. */
  networkOptions: NetworkOptions;
  /** The post's link card, when it has one for a link in this target's text. */
  card: StoredCard | null;
}

/** What a target publishes: its own text and media when overridden, the post's otherwise. */
export function getTargetContent(db: Db, targetId: string): TargetContent | undefined {
  const row = db
    .prepare(
      `SELECT t.post_id AS postId, t.account_id AS accountId, p.project_id AS projectId, COALESCE(t.body_override, p.body) AS text, t.media_override AS mediaOverride,
              p.auto_delete_after_ms AS autoDeleteAfterMs, t.remote_id AS remoteId, t.remote_url AS remoteUrl,
              t.published_at AS publishedAt, t.native_schedule_id AS nativeScheduleId, p.network_options AS networkOptions
       FROM post_targets t JOIN posts p ON p.id = t.post_id WHERE t.id = ?`,
    )
    .get(targetId) as (Omit<TargetContent, 'mediaIds' | 'networkOptions'> & { accountId: string; mediaOverride: string | null; networkOptions: string }) | undefined;
  if (!row) return undefined;
  const { mediaOverride, networkOptions: storedOptions, accountId, ...stored } = row;
  const networkOptions = readNetworkOptions(db, storedOptions, stored.postId);
  // Worded for this account ({Hi|Hello}), as the composer showed it and scheduling checked it: chosen from every target of the post.
  const siblings = db.prepare(`SELECT t.account_id AS accountId, COALESCE(t.body_override, p.body) AS text FROM post_targets t JOIN posts p ON p.id = t.post_id WHERE t.post_id = ?`).all(stored.postId) as { accountId: string; text: string }[];
  const worded = wordPost(stored.postId, siblings, networkOptions.unique === true).get(accountId) ?? stored.text;
  // The first part of a thread carries its "1/3" as the composer showed it; a network without threads gets the post alone.
  const network = (db.prepare(`SELECT network FROM accounts WHERE id = ?`).get(accountId) as { network: NetworkId } | undefined)?.network;
  const rest = { ...stored, text: network && takesChains(network) ? (chainTexts(worded, networkOptions.thread)[0] ?? worded) : worded };
  let mediaIds: string[];
  if (mediaOverride !== null) {
    const parsed: unknown = JSON.parse(mediaOverride);
    mediaIds = Array.isArray(parsed) ? parsed.map(String) : [];
  } else {
    mediaIds = (db.prepare(`SELECT media_id AS id FROM post_media WHERE post_id = ? ORDER BY position`).all(row.postId) as { id: string }[]).map(
      (m) => m.id,
    );
  }
  return { ...rest, mediaIds, networkOptions, card: storedCard(db, rest.postId, rest.text) };
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
      `UPDATE jobs SET state = 'done', lease_until = NULL, last_error = NULL, network_said = NULL, reason = NULL, verify_first = 0, updated_at = ?
       WHERE id = ?`,
    ).run(now, job.id);
    db.prepare(
      `UPDATE post_targets SET state = 'published', remote_id = @remoteId, remote_url = @url, published_at = @publishedAt,
         delete_at = @deleteAt, last_error = NULL, network_said = NULL
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
    db.prepare(`UPDATE jobs SET state = 'done', lease_until = NULL, last_error = NULL, network_said = NULL, reason = NULL, updated_at = ? WHERE id = ?`).run(
      now,
      job.id,
    );
    db.prepare(`UPDATE post_targets SET state = 'deleted', last_error = NULL, network_said = NULL WHERE id = ?`).run(job.targetId);
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
  /** The network's own words within the failure, if it said any (never Outpost's explanation). */
  networkSaid?: string | null;
  detail?: object;
}

/** The journal keeps the network's words beside the message only when there are some. */
function said(networkSaid: string | null | undefined): { networkSaid?: string } {
  return networkSaid ? { networkSaid } : {};
}

/** Back to pending for another try later; the target shows as scheduled again. */

export function recordRetry(db: Db, job: JobRow, retry: Retry, now: number): void {
  db.transaction(() => {
    assertHeld(db, job);
    db.prepare(
      `UPDATE jobs SET state = 'pending', next_attempt_at = @next, attempts = MAX(0, attempts - @refund), lease_until = NULL,
         verify_first = @verifyFirst, reason = NULL, last_error = @message, network_said = @said, updated_at = @now
       WHERE id = @id`,
    ).run({ id: job.id, next: retry.nextAttemptAt, refund: retry.refund, verifyFirst: retry.verifyFirst ? 1 : 0, message: retry.message, said: retry.networkSaid ?? null, now });
    if (job.kind === 'publish') {
      db.prepare(
        `UPDATE post_targets SET state = ${SCHEDULED_STATE}, last_error = @message, network_said = @said WHERE id = @id`,
      ).run({ id: job.targetId, message: retry.message, said: retry.networkSaid ?? null });
    }
    appendJournal(db, job, retry.event, now, { retryAt: retry.nextAttemptAt, message: retry.message, ...said(retry.networkSaid), ...retry.detail });
    refreshPostStatus(db, job.postId);
  })();
}

export interface Stop {
  state: Extract<JobState, 'failed' | 'needs_attention' | 'held' | 'cancelled'>;
  reason: StopReason;
  message: string | null;
  /** The network's own words within the failure, if it said any (never Outpost's explanation). */
  networkSaid?: string | null;
  refund?: 0 | 1;
  /** Ask the network first if the job is ever resumed (its last answer was lost); left out, the flag stays as it is. */
  verifyFirst?: boolean;
  /** What the user must answer (reason 'captcha'); any other stop clears a stored challenge. */
  challenge?: ConnectorChallenge;
  /** The raw code of a call without an answer (ECONNREFUSED…), journaled for the history's Details. */
  cause?: string | undefined;
}

/** A target handed to the network stays "scheduled there" while its local job waits. */
export const SCHEDULED_STATE = `CASE WHEN native_schedule_id IS NOT NULL THEN 'native_scheduled' ELSE 'scheduled' END`;

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
      `UPDATE jobs SET state = @state, reason = @reason, last_error = @message, network_said = @said, lease_until = NULL,
         attempts = MAX(0, attempts - @refund), verify_first = COALESCE(@verifyFirst, verify_first),
         challenge = @challenge, challenge_answer = NULL, updated_at = @now
       WHERE id = @id`,
    ).run({
      id: job.id,
      state: stop.state,
      reason: stop.reason,
      message: stop.message,
      said: stop.networkSaid ?? null,
      refund: stop.refund ?? 0,
      verifyFirst: stop.verifyFirst === undefined ? null : stop.verifyFirst ? 1 : 0,
      challenge: stop.challenge ? JSON.stringify(stop.challenge) : null,
      now,
    });
    if (job.kind === 'publish') {
      db.prepare(
        `UPDATE post_targets SET last_error = @message, network_said = @said,
           state = CASE WHEN native_schedule_id IS NOT NULL AND @state IN ('scheduled', 'pending') THEN 'native_scheduled' ELSE @state END
         WHERE id = @id`,
      ).run({
        id: job.targetId,
        state: targetStateAfterStop[stop.state],
        message: stop.message,
        said: stop.networkSaid ?? null,
      });
    } else if (job.kind !== 'first_comment' && job.kind !== 'thread_part') {
      // A failed delete leaves the post up: the target stays published and shows why.
      db.prepare(`UPDATE post_targets SET last_error = ?, network_said = ? WHERE id = ?`).run(stop.message, stop.networkSaid ?? null, job.targetId);
    }
    appendJournal(db, job, stop.state, now, { reason: stop.reason, message: stop.message, ...said(stop.networkSaid), ...(stop.cause ? { cause: stop.cause } : {}) });
    refreshPostStatus(db, job.postId);
  })();
}

// ---------------------------------------------------------------------------------------------
// A network's challenge (VK captcha): stored while the job waits, answered once, taken by one attempt.

/** The challenge a job waits on (reason 'captcha'), undefined when it waits for none. */
export function waitingChallenge(db: Db, jobId: string): ConnectorChallenge | undefined {
  const row = db.prepare(`SELECT challenge FROM jobs WHERE id = ? AND state = 'needs_attention' AND reason = 'captcha'`).get(jobId) as
    | { challenge: string | null }
    | undefined;
  return row?.challenge ? readChallenge(row.challenge) : undefined;
}

/**
 * The user's answer: the job goes back to pending, due now, with the answer stored for its next
 * attempt. False when the job does not wait for this challenge (answered already, or another one since).
 */
export function answerChallenge(db: Db, jobId: string, challengeId: string | undefined, answer: string, now: number): JobRow | undefined {
  return db.transaction(() => {
    const challenge = waitingChallenge(db, jobId);
    if (!challenge || (challengeId !== undefined && challenge.id !== challengeId)) return undefined;
    const job = db.prepare(`SELECT ${jobRowColumns} FROM jobs j ${jobRowJoins} WHERE j.id = ?`).get(jobId) as JobRow;
    db.prepare(
      `UPDATE jobs SET state = 'pending', reason = NULL, next_attempt_at = @now, challenge_answer = @answer,
         last_error = NULL, network_said = NULL, updated_at = @now
       WHERE id = @id`,
    ).run({ id: jobId, now, answer });
    if (job.kind === 'publish') {
      db.prepare(`UPDATE post_targets SET state = ${SCHEDULED_STATE}, last_error = NULL, network_said = NULL WHERE id = ?`).run(job.targetId);
    }
    appendJournal(db, job, 'answered', now, { challenge: challenge.id });
    refreshPostStatus(db, job.postId);
    return job;
  })();
}

/** The stored answer for this attempt, cleared as it is taken: an answer is used once, whatever the attempt's end. */
export function takeChallengeAnswer(db: Db, jobId: string): ChallengeAnswer | undefined {
  // RETURNING gives the row after the update, so the answer is read first, in the same transaction.
  return db.transaction(() => {
    const row = db.prepare(`SELECT challenge, challenge_answer AS answer FROM jobs WHERE id = ? AND challenge_answer IS NOT NULL`).get(jobId) as
      | { challenge: string | null; answer: string }
      | undefined;
    if (!row) return undefined;
    db.prepare(`UPDATE jobs SET challenge = NULL, challenge_answer = NULL WHERE id = ?`).run(jobId);
    const challenge = row.challenge ? readChallenge(row.challenge) : undefined;
    return challenge ? { challenge, answer: row.answer } : undefined;
  })();
}

/** A stored challenge, or undefined for one this version cannot read. */
export function readChallenge(json: string): ConnectorChallenge | undefined {
  const value = JSON.parse(json) as Partial<ConnectorChallenge>;
  if (value.kind !== 'captcha' || typeof value.id !== 'string' || typeof value.imageUrl !== 'string') return undefined;
  return { kind: 'captcha', id: value.id, imageUrl: value.imageUrl, ...(typeof value.call === 'string' ? { call: value.call } : {}) };
}

/** The account's sign-in failed: mark it and hold every job waiting for it. Returns the held jobs. */
export function holdAccount(db: Db, accountId: string, message: string, now: number, networkSaid: string | null = null): JobRow[] {
  return db.transaction(() => {
    db.prepare(`UPDATE accounts SET status = 'reconnect_needed', updated_at = ? WHERE id = ? AND status = 'connected'`).run(now, accountId);
    const waiting = db
      .prepare(`SELECT ${jobRowColumns} FROM jobs j ${jobRowJoins} WHERE t.account_id = ? AND j.state = 'pending'`)
      .all(accountId) as JobRow[];
    for (const job of waiting) recordStop(db, job, { state: 'held', reason: 'auth', message, networkSaid }, now);
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

/** The live publish job of a target, if any. */
export function liveJobOfTarget(db: Db, targetId: string, kind: JobKind = 'publish'): JobRow | undefined {
  return db
    .prepare(
      `SELECT ${jobRowColumns} FROM jobs j ${jobRowJoins}
       WHERE j.target_id = ? AND j.kind = ? AND j.state IN ('pending', 'running', 'held', 'needs_attention')`,
    )
    .get(targetId, kind) as JobRow | undefined;
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
// The publish jobs the user's actions create, move and cancel (the rules are in scheduling.ts).

/** The post's targets with what scheduling needs to know of each. */
export function targetsOfPost(db: Db, postId: string): { id: string; state: string; nativeId: string | null }[] {
  return db.prepare(`SELECT id, state, native_schedule_id AS nativeId FROM post_targets WHERE post_id = ?`).all(postId) as {
    id: string;
    state: string;
    nativeId: string | null;
  }[];
}

/**
 * Moves a live publish job to `at`. It keeps its idempotency key: if an earlier attempt did reach
 * the network, the next one is recognised. Out of "needs attention" the user has decided (having
 * checked the network for a lost answer): no verify first.
 */
export function movePublishJob(
  db: Db,
  live: Pick<JobRow, 'id' | 'idempotencyKey'>,
  at: number,
  now: number,
  event: Extract<JournalEvent, 'scheduled' | 'rescheduled' | 'publish_now'>,
): void {
  db.prepare(
    `UPDATE jobs SET due_at = @at, next_attempt_at = @at, updated_at = @now,
       verify_first = CASE WHEN state = 'needs_attention' THEN 0 ELSE verify_first END,
       state = CASE WHEN state = 'held' THEN 'held' ELSE 'pending' END,
       reason = CASE WHEN state = 'held' THEN reason ELSE NULL END
     WHERE id = @id`,
  ).run({ id: live.id, at, now });
  appendJournal(db, live, event, now, { dueAt: at });
}

/** A new publish job for the target, due at `at`; returns its id. */
export function insertPublishJob(
  db: Db,
  targetId: string,
  at: number,
  now: number,
  event: Extract<JournalEvent, 'scheduled' | 'rescheduled' | 'publish_now'>,
  newKey: () => string,
): string {
  const job = { id: newKey(), idempotencyKey: newKey() };
  db.prepare(
    `INSERT INTO jobs (id, kind, target_id, state, due_at, next_attempt_at, idempotency_key, created_at, updated_at)
     VALUES (@id, 'publish', @targetId, 'pending', @at, @at, @key, @now, @now)`,
  ).run({ id: job.id, targetId, at, key: job.idempotencyKey, now });
  appendJournal(db, job, event, now, { dueAt: at });
  return job.id;
}

/** The target waits for its job again (or for the network's scheduler when handed over). */
export function markTargetScheduled(db: Db, targetId: string): void {
  db.prepare(`UPDATE post_targets SET state = ${SCHEDULED_STATE}, last_error = NULL, network_said = NULL WHERE id = ?`).run(targetId);
}

/** Jobs of the post that have not started and could still be stopped. */
export function stoppableJobsOfPost(db: Db, postId: string): JobRow[] {
  return db
    .prepare(
      `SELECT ${jobRowColumns} FROM jobs j ${jobRowJoins}
       WHERE t.post_id = ? AND j.state IN ('pending', 'held', 'needs_attention')`,
    )
    .all(postId) as JobRow[];
}

/** True while a job of the post is claimed and its network call may be under way. */
export function hasRunningJob(db: Db, postId: string): boolean {
  return db.prepare(`SELECT 1 FROM jobs j JOIN post_targets t ON t.id = j.target_id WHERE t.post_id = ? AND j.state = 'running'`).get(postId) !== undefined;
}

/** A job's state as stored now (after a record that may have stopped it). */
export function jobState(db: Db, jobId: string): JobState | undefined {
  return (db.prepare(`SELECT state FROM jobs WHERE id = ?`).get(jobId) as { state: JobState } | undefined)?.state;
}
