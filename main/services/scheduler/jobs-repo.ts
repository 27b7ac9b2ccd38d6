import type { Db } from '../store/database';

export type JobKind = 'publish' | 'delete' | 'first_comment' | 'native_schedule' | 'native_cancel';

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
