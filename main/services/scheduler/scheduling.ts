import { randomUUID } from 'node:crypto';
import type { Clock } from '../ports';
import type { Db } from '../store/database';
import {
  cancelPostJobs,
  getPostSchedule,
  liveJobOfTarget,
  recordPublished,
  releaseAccount,
  SchedulingError,
  setPostSchedule,
  upsertPublishJobs,
  lastAttemptAt,
  syncNativeTargets,
  type JobRow,
} from './jobs-repo';

export { listNeedsAttention, postHistory, SchedulingError, type AttentionItem, type HistoryEntry } from './jobs-repo';

/** How long after the last edit a handed-over post's new text goes to the network. */
export const NATIVE_EDIT_SETTLE_MS = 30_000;

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

/** Queues a publish job for every target not yet out, due at the post's scheduled time. */
export function schedulePost(deps: SchedulingDeps, postId: string): string[] {
  const at = getPostSchedule(deps.db, postId);
  if (at === undefined) throw new SchedulingError('not_found', 'This post no longer exists.');
  if (at === null) throw new SchedulingError('not_scheduled', 'Choose a time for this post first.');
  const ids = upsertPublishJobs(deps.db, postId, at, deps.clock.now(), 'scheduled', deps.newId ?? randomUUID);
  deps.wake?.();
  return ids;
}

/** "Publish now": every target not yet out goes at once (a missed post, a failed one, or early). */
export function publishPostNow(deps: SchedulingDeps, postId: string): string[] {
  const now = deps.clock.now();
  const ids = upsertPublishJobs(deps.db, postId, now, now, 'publish_now', deps.newId ?? randomUUID);
  deps.wake?.();
  return ids;
}

/** "Reschedule": the post gets a new time and every target not yet out follows it. */
export function reschedulePost(deps: SchedulingDeps, postId: string, at: number): string[] {
  const now = deps.clock.now();
  const ids = deps.db.transaction(() => {
    setPostSchedule(deps.db, postId, at, now);
    return upsertPublishJobs(deps.db, postId, at, now, 'rescheduled', deps.newId ?? randomUUID);
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
  recordPublished(deps.db, job as JobRow, { remoteId: null, url, publishedAt }, now, 'user', { kind: 'none' });
  deps.wake?.();
}

/** Takes the post off the schedule: jobs not yet started are cancelled and the post is a draft again. */
export function cancelPost(deps: SchedulingDeps, postId: string): number {
  const count = cancelPostJobs(deps.db, postId, deps.clock.now());
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
