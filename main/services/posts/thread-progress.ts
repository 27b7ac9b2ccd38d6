import type { ThreadProgress } from '../../core/contract/posts';
import type { Db } from '../store/database';

/**
 * How far a published target's thread went (issue 12 item 6): the parts out so far and, when it
 * stopped, at which part and why. Read from the thread_part jobs, which never change the target.
 */
export function threadProgress(db: Db, targetId: string, total: number): ThreadProgress | null {
  const rows = db
    .prepare(`SELECT part, state, reason, last_error AS message FROM jobs WHERE target_id = ? AND kind = 'thread_part' ORDER BY part, created_at`)
    .all(targetId) as { part: number; state: string; reason: string | null; message: string | null }[];
  if (rows.length === 0) return null;
  const sent = 1 + new Set(rows.filter((r) => r.state === 'done').map((r) => r.part)).size;
  const last = rows.at(-1);
  const stopped = last && (last.state === 'failed' || last.state === 'needs_attention' || last.state === 'cancelled' || last.state === 'held') ? last : null;
  return { sent, total, stopped: stopped ? { part: stopped.part, state: stopped.state as 'failed', reason: stopped.reason, message: stopped.message } : null };
}
