import type { RelayKind, SchedulerChange } from '../../core/contract';
import { relayMissing } from '../../core/contract/relay';
import type { NetworkId } from '../../core/networks/ids';
import { readPost } from '../posts/posts-repo';
import { jobRowColumns, jobRowJoins, recordStop, type JobRow } from '../scheduler/jobs-repo';
import { changeOf } from '../scheduler/outcomes';
import type { Db } from '../store/database';

/**
 * When a project's relay is removed (or changed to one that cannot serve them), its posts waiting
 * to go out with media for Instagram or Threads are stopped at once for the user, with the reason,
 * instead of failing at their time: their publish jobs go to needs attention (reason 'relay'), and
 * the user publishes them now or reschedules once a relay that serves them is chosen.
 */

function relayMessage(network: NetworkId, kind: RelayKind): string {
  const name = network === 'instagram' ? 'Instagram' : 'Threads';
  return kind === 'page'
    ? `${name} cannot use the Facebook Page relay, which serves Instagram only; choose an S3-compatible bucket in Settings › Media relay, then publish the post now or choose a new time.`
    : `${name} fetches the post’s media from a web address, and this project has no media relay to put it there; choose one in Settings › Media relay, then publish the post now or choose a new time.`;
}

/** Stops the project's waiting publish jobs whose media the relay `kind` cannot serve; returns what changed, for the UI. */
export function stopPostsWithoutRelay(db: Db, projectId: string, kind: RelayKind, now: number): SchedulerChange[] {
  return db.transaction(() => {
    const waiting = db
      .prepare(`SELECT ${jobRowColumns} FROM jobs j ${jobRowJoins} WHERE p.project_id = ? AND j.kind = 'publish' AND j.state = 'pending' AND a.network IN ('instagram', 'threads')`)
      .all(projectId) as JobRow[];
    const changes: SchedulerChange[] = [];
    for (const job of waiting) {
      const post = readPost(db, job.postId)?.post;
      const target = post?.targets.find((t) => t.id === job.targetId);
      if (!post || !target || relayMissing(target.network, target.mediaOverride ?? post.media, kind) === null) continue;
      const message = relayMessage(target.network, kind);
      recordStop(db, job, { state: 'needs_attention', reason: 'relay', message }, now);
      changes.push(changeOf(job, 'needs_attention', 'relay', message, null, now));
    }
    return changes;
  })();
}
