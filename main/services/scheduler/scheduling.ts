import { randomUUID } from 'node:crypto';
import { DomainError } from '../../core/errors';
import { BEING_PUBLISHED } from '../posts/post-rules';
import { getPostSchedule, refreshPostStatus, returnPostToDraft, setPostSchedule } from '../posts/posts-repo';
import type { Clock } from '../ports';
import type { Db } from '../store/database';
import { queueFirstComment } from './first-comment';
import { queueNativeSync, syncNativeTargets } from './handoff-repo';
import { queueThreadPart } from './thread-parts';
import {
  appendJournal,
  hasRunningJob,
  insertPublishJob,
  lastAttemptAt,
  liveJobOfTarget,
  markTargetScheduled,
  movePublishJob,
  recordPublished,
  recordStop,
  releaseAccount,
  stoppableJobsOfPost,
  targetsOfPost,
  type JobRow,
  type JournalEvent,
} from './jobs-repo';

/** How long after the last edit a handed-over post's new text goes to the network. */
export const NATIVE_EDIT_SETTLE_MS = 30_000;

/** Why a user's action on the schedule was refused; the boundary words it by code (schedule_<code>). */
export class SchedulingError extends Error {
  constructor(
    readonly code: 'not_found' | 'not_scheduled' | 'publishing' | 'no_targets' | 'not_waiting',
    message: string,
  ) {
    super(message);
    this.name = 'SchedulingError';
  }
}

/** The engine's refusals as the boundary's errors; the UI words them by reason (schedule_<code>). */
export function translateSchedulingError(error: unknown): never {
  if (error instanceof SchedulingError) {
    throw new DomainError(error.code === 'not_found' ? 'not_found' : 'conflict', error.message, { reason: `schedule_${error.code}` });
  }
  throw error;
}

/** Runs a scheduling action, its refusal turned into the boundary's error. */
export function translated<T>(action: () => T): T {
  try {
    return action();
  } catch (error) {
    return translateSchedulingError(error);
  }
}

/** The text or media of a scheduled post changed: copies held by networks follow once the typing settles. */
export function syncNativeContent(deps: SchedulingDeps, postId: string): void {
  const now = deps.clock.now();
  syncNativeTargets(deps.db, postId, now + NATIVE_EDIT_SETTLE_MS, now);
  deps.wake?.();
}

/**
 * What the user does to the schedule: schedule, publish now, reschedule, confirm, cancel,
 * reconnect. Each writes in one transaction, then wakes the loop so it looks at once.
 */
export interface SchedulingDeps {
  db: Db;
  clock: Clock;
  /** The running scheduler's wake(); left out when none runs (tests, imports). */
  wake?: () => void;
  newId?: () => string;
}

/** Creates or moves the publish job of every target not yet out, due at `at`. Returns the job ids. */
function upsertPublishJobs(
  deps: SchedulingDeps,
  postId: string,
  at: number,
  event: Extract<JournalEvent, 'scheduled' | 'rescheduled' | 'publish_now'>,
): string[] {
  const { db } = deps;
  const now = deps.clock.now();
  const newKey = deps.newId ?? randomUUID;
  return db.transaction(() => {
    if (getPostSchedule(db, postId) === undefined) throw new SchedulingError('not_found', 'This post no longer exists.');
    const targets = targetsOfPost(db, postId);
    if (targets.length === 0) throw new SchedulingError('no_targets', 'Choose at least one account to publish to.');
    const ids: string[] = [];
    for (const target of targets) {
      if (target.state === 'published' || target.state === 'deleted') continue;
      const live = liveJobOfTarget(db, target.id);
      if (live?.state === 'running') throw new SchedulingError('publishing', BEING_PUBLISHED);
      if (live) {
        movePublishJob(db, live, at, now, event);
        ids.push(live.id);
      } else {
        ids.push(insertPublishJob(db, target.id, at, now, event, newKey));
      }
      markTargetScheduled(db, target.id);
      // The network holds the old time: it is moved (or taken back, when now too close) before the local job may run.
      if (target.nativeId !== null) queueNativeSync(db, target.id, now, newKey);
    }
    refreshPostStatus(db, postId);
    return ids;
  })();
}

/** Queues a publish job for every target not yet out, due at the post's scheduled time. */
export function schedulePost(deps: SchedulingDeps, postId: string): string[] {
  const at = getPostSchedule(deps.db, postId);
  if (at === undefined) throw new SchedulingError('not_found', 'This post no longer exists.');
  if (at === null) throw new SchedulingError('not_scheduled', 'Choose a time for this post first.');
  const ids = upsertPublishJobs(deps, postId, at, 'scheduled');
  deps.wake?.();
  return ids;
}

/** "Publish now": every target not yet out goes at once (a missed post, a failed one, or early). */
export function publishPostNow(deps: SchedulingDeps, postId: string): string[] {
  const ids = upsertPublishJobs(deps, postId, deps.clock.now(), 'publish_now');
  deps.wake?.();
  return ids;
}

/** "Reschedule": the post gets a new time and every target not yet out follows it. */
export function reschedulePost(deps: SchedulingDeps, postId: string, at: number): string[] {
  const ids = deps.db.transaction(() => {
    setPostSchedule(deps.db, postId, at, deps.clock.now());
    return upsertPublishJobs(deps, postId, at, 'rescheduled');
  })();
  deps.wake?.();
  return ids;
}

/**
 * The user checked the network and the post is there (after an attempt whose answer was lost):
 * the target counts as published, with the link the user gives if any. Auto-delete cannot follow,
 * since the network's id for the post is unknown.
 */
export function confirmPublished(deps: SchedulingDeps, targetId: string, url: string | null = null): void {
  const job = liveJobOfTarget(deps.db, targetId);
  if (!job || job.state === 'running') {
    throw new SchedulingError('not_waiting', 'This post is not waiting for a confirmation.');
  }
  const now = deps.clock.now();
  const publishedAt = lastAttemptAt(deps.db, job.id) ?? now;
  deps.db.transaction(() => {
    recordPublished(deps.db, job as JobRow, { remoteId: null, url, publishedAt }, now, 'user', { kind: 'none' });
    queueFirstComment(deps.db, job as JobRow, null, undefined, now, deps.newId ?? randomUUID);
    // The post's id is not known, so its thread cannot be replied to: the history says so.
    queueThreadPart(deps.db, targetId, job.postId, job.network, 2, null, now, deps.newId ?? randomUUID);
  })();
  deps.wake?.();
}

/**
 * "Resume the thread": the part it stopped at goes again, now. A part whose answer was lost keeps
 * its verify-first flag, so it is looked for before anything is sent again.
 */
export function resumeThread(deps: SchedulingDeps, targetId: string): void {
  const { db } = deps;
  const now = deps.clock.now();
  db.transaction(() => {
    const job = db
      .prepare(`SELECT id, idempotency_key AS idempotencyKey, state, part FROM jobs WHERE target_id = ? AND kind = 'thread_part' ORDER BY part DESC, created_at DESC LIMIT 1`)
      .get(targetId) as { id: string; idempotencyKey: string; state: string; part: number } | undefined;
    if (!job || !['failed', 'needs_attention', 'cancelled'].includes(job.state)) throw new SchedulingError('not_waiting', 'This thread has not stopped.');
    db.prepare(
      `UPDATE jobs SET state = 'pending', next_attempt_at = @now, attempts = 0, lease_until = NULL, reason = NULL, last_error = NULL, network_said = NULL, updated_at = @now WHERE id = @id`,
    ).run({ id: job.id, now });
    appendJournal(db, job, 'publish_now', now, { part: job.part });
  })();
  deps.wake?.();
}

/** Takes the post off the schedule: jobs not yet started are cancelled and the post is a draft again. */
export function cancelPost(deps: SchedulingDeps, postId: string): number {
  const { db } = deps;
  const now = deps.clock.now();
  const count = db.transaction(() => {
    // A handoff whose answer was lost stays: it names the network's copy by its key and takes it back (handoff.ts).
    const stoppable = stoppableJobsOfPost(db, postId);
    const lostHandoffs = stoppable.filter((job) => job.kind === 'native_schedule' && job.verifyFirst === 1);
    const jobs = stoppable.filter((job) => !lostHandoffs.includes(job));
    if (hasRunningJob(db, postId)) throw new SchedulingError('publishing', BEING_PUBLISHED);
    for (const job of jobs) recordStop(db, job, { state: 'cancelled', reason: 'cancelled', message: null }, now);
    for (const job of lostHandoffs) if (job.state === 'pending') queueNativeSync(db, job.targetId, now, randomUUID);
    // A post handed to the network would still go out from there: it is taken back.
    for (const job of jobs) if (job.kind === 'publish' && job.nativeScheduleId !== null) queueNativeSync(db, job.targetId, now, randomUUID);
    returnPostToDraft(db, postId);
    return jobs.length;
  })();
  deps.wake?.();
  return count;
}

/**
 * The account was reconnected: its held posts go out, except those now later than the project's
 * grace, which wait for "publish now" or "reschedule".
 */
export function releaseAccountJobs(deps: SchedulingDeps, accountId: string): { released: number; missed: number } {
  const { released, missed } = releaseAccount(deps.db, accountId, deps.clock.now());
  deps.wake?.();
  return { released: released.length, missed: missed.length };
}
