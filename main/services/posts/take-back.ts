import { randomUUID } from 'node:crypto';
import { DomainError } from '../../core/errors';
import { queueNativeSync } from '../scheduler/handoff-repo';
import { cancelPost, translated } from '../scheduler/scheduling';
import type { Services } from '../services-types';
import type { Db } from '../store/database';
import { getPostRow, hasNativeScheduledTarget, lostHandoffTargetIds, nativeHeldTargetIds, setOpenTargetsState } from './posts-repo';
import { refuseWhilePublishing } from './post-rules';

/**
 * Deleting a post whose copy a network's own scheduler holds (native handoff: Mastodon, VK): the
 * copy is taken back first by the scheduler's sync job, which takes back whatever no live publish
 * job wants — the same path as unscheduling. Only once no network holds a copy may the post go;
 * when the take-back fails or cannot run now (offline, account to reconnect), the post stays, off
 * the schedule, and the error says why; the sync job keeps trying where the failure allows.
 */

/** Passes of the loop to wait for: the take-back, and a retry the loop runs at once. */
const MAX_PASSES = 10;

export async function takeBackBeforeDelete(services: Pick<Services, 'db' | 'clock' | 'scheduler'>, postId: string): Promise<void> {
  const { db, clock, scheduler } = services;
  db.transaction(() => {
    refuseWhilePublishing(db, postId);
    const now = clock.now();
    // A scheduled post is unscheduled as the user would: its publish jobs stop, and the sync takes the copies back.
    if (getPostRow(db, postId)?.status === 'scheduled') {
      translated(() => cancelPost({ db, clock }, postId));
      setOpenTargetsState(db, postId, 'pending');
    }
    // Unscheduled earlier, its take-back still waiting: it is asked for now (a pending sync is moved, never doubled).
    for (const targetId of [...nativeHeldTargetIds(db, postId), ...lostHandoffTargetIds(db, postId)]) queueNativeSync(db, targetId, now, randomUUID);
  })();
  scheduler.wake();
  for (let pass = 0; pass < MAX_PASSES && takeBackUnderWay(db, postId, clock.now()); pass++) await scheduler.whenIdle();
  if (hasNativeScheduledTarget(db, postId)) throw notTakenBack(db, postId);
}

/** True while a take-back of the post is running or due now (the loop has yet to claim it). */
function takeBackUnderWay(db: Db, postId: string, now: number): boolean {
  return (
    db
      .prepare(
        `SELECT 1 FROM jobs j JOIN post_targets t ON t.id = j.target_id
         WHERE t.post_id = ? AND j.kind = 'native_schedule' AND (j.state = 'running' OR (j.state = 'pending' AND j.next_attempt_at <= ?))`,
      )
      .get(postId, now) !== undefined
  );
}

/** Why the copy is still there: the sync's last failure (the network's words apart), or that it has not run yet. */
export function notTakenBack(db: Db, postId: string): DomainError {
  const last = db
    .prepare(
      `SELECT j.last_error AS lastError, j.network_said AS networkSaid FROM jobs j JOIN post_targets t ON t.id = j.target_id
       WHERE t.post_id = ? AND j.kind = 'native_schedule' ORDER BY j.updated_at DESC LIMIT 1`,
    )
    .get(postId) as { lastError: string | null; networkSaid: string | null } | undefined;
  const why = last?.lastError ?? 'Outpost could not reach the network yet.';
  return new DomainError('conflict', `The post is still scheduled on the network, so it was kept: ${why}`, {
    reason: 'post_native_take_back_failed',
    ...(last?.lastError ? { networkMessage: last.lastError } : {}),
    ...(last?.networkSaid ? { networkSaid: last.networkSaid } : {}),
  });
}
