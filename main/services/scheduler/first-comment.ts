import type { CommentVerifyOutcome, Connector, PublishedComment } from '../../core/connector';
import { httpsLinkOrNull } from '../../core/links';
import { networkNames } from '../../core/networks/names';
import type { Logger } from '../log/logger';
import type { Clock } from '../ports';
import type { Db } from '../store/database';
import { appendJournal, assertHeld, lastAttemptAt, startAttempt, type JobRow, type TargetContent } from './jobs-repo';
import { changeOf, type JobOutcomes } from './outcomes';
import type { AccountLink } from './publish-request';

/**
 * The post's first comment (issue 10): once a publish job succeeds for a post that has one, a
 * `first_comment` job is queued in the same transaction, due at once, with its own idempotency
 * key, and runs by the publish job's exactly-once rules. Its outcome lives in the journal only:
 * it never changes the target's or the post's state, so a failed comment never fails the post.
 *
 * Per network, when the answer to a comment is lost:
 * - VK: wall.createComment carries a guid made from the key, so sending again is safe.
 * - Bluesky: the reply's record key comes from the key and is written "only if absent", so
 *   sending again is safe, and getRecord tells for sure.
 * - Mastodon: the Idempotency-Key is kept one hour only, so the status's replies are looked up.
 * - Telegram: a reply in the channel's discussion group to the copy Telegram forwards there
 *   (found in the bot's updates); no channel group, no comment. A bot cannot read the group's
 *   history, so a lost answer is parked for the user.
 * Auto-delete removes the post only: on VK its comments go with it; on Mastodon and Bluesky the
 * reply stays, as a reply to a deleted post.
 */

/** The post's first comment as the user wrote it ('' when there is none). */
export function firstCommentOf(db: Db, postId: string): string {
  return (db.prepare(`SELECT first_comment AS text FROM posts WHERE id = ?`).get(postId) as { text: string } | undefined)?.text ?? '';
}

/**
 * Runs inside the publish success transaction: queues the first comment of a freshly published
 * post, or, where Outpost cannot add it (no comment on the network, or a post the user confirmed
 * without Outpost knowing its id), records in the history that it must be added by hand.
 */
export function queueFirstComment(db: Db, published: JobRow, remoteId: string | null, connector: Connector | undefined, now: number, newId: () => string): void {
  if (published.kind !== 'publish' || firstCommentOf(db, published.postId).trim() === '') return;
  // One first comment per target, however often its post is found published.
  if (db.prepare(`SELECT 1 FROM jobs WHERE target_id = ? AND kind = 'first_comment'`).get(published.targetId)) return;
  const job = { id: newId(), idempotencyKey: newId() };
  const network = networkNames[published.network];
  const byHand =
    remoteId === null
      ? { reason: null, message: `Outpost does not know the post’s id on ${network}, so it cannot add the first comment; add it by hand under the post.` }
      : !connector?.comment
        ? { reason: 'unsupported', message: `Outpost cannot add a first comment on ${network}; add it by hand under the post.` }
        : null;
  if (byHand) {
    db.prepare(
      `INSERT INTO jobs (id, kind, target_id, state, due_at, next_attempt_at, idempotency_key, reason, last_error, created_at, updated_at)
       VALUES (@id, 'first_comment', @targetId, 'failed', @now, @now, @key, @reason, @message, @now, @now)`,
    ).run({ id: job.id, targetId: published.targetId, key: job.idempotencyKey, ...byHand, now });
    appendJournal(db, job, 'failed', now, byHand.reason ? byHand : { message: byHand.message });
    return;
  }
  db.prepare(
    `INSERT INTO jobs (id, kind, target_id, state, due_at, next_attempt_at, idempotency_key, created_at, updated_at)
     VALUES (@id, 'first_comment', @targetId, 'pending', @now, @now, @key, @now, @now)`,
  ).run({ id: job.id, targetId: published.targetId, key: job.idempotencyKey, now });
}

/** The comment is under the post: the job is done and the journal keeps its id and link. */
export function recordCommented(db: Db, job: JobRow, comment: PublishedComment, now: number, via: 'comment' | 'verify'): void {
  db.transaction(() => {
    assertHeld(db, job);
    db.prepare(
      `UPDATE jobs SET state = 'done', lease_until = NULL, last_error = NULL, network_said = NULL, reason = NULL, verify_first = 0, updated_at = ?
       WHERE id = ?`,
    ).run(now, job.id);
    appendJournal(db, job, 'commented', now, { remoteId: comment.remoteId, url: httpsLinkOrNull(comment.url), via });
  })();
}

export interface FirstCommentDeps {
  db: Db;
  clock: Clock;
  outcomes: JobOutcomes;
  logger: Pick<Logger, 'debug' | 'info' | 'warn'>;
}

/** Runs claimed first_comment jobs. */
export class FirstComments {
  constructor(private readonly deps: FirstCommentDeps) {}

  async run(claimed: JobRow, link: AccountLink, content: TargetContent): Promise<void> {
    const { db, clock, outcomes } = this.deps;
    const { connector, ctx } = link;
    const job = claimed;
    const text = firstCommentOf(db, job.postId);
    const stop = (state: 'failed' | 'cancelled', reason: 'unsupported' | 'permanent' | 'cancelled', message: string) =>
      outcomes.emitChange(outcomes.halt(job, { state, reason, message, refund: 1 }, clock.now()));
    if (!connector.comment) return stop('failed', 'unsupported', `Outpost cannot add a first comment on ${networkNames[job.network]}.`);
    if (content.remoteId === null) return stop('failed', 'permanent', 'There is no published post to comment under.');
    if (text.trim() === '') return stop('cancelled', 'cancelled', 'The first comment was removed before it was sent.');

    if (job.verifyFirst === 1) {
      if (connector.verifyComment) {
        const startedAt = lastAttemptAt(db, job.id) ?? job.dueAt;
        let outcome: CommentVerifyOutcome;
        try {
          outcome = await connector.verifyComment(ctx, { remoteId: content.remoteId, idempotencyKey: job.idempotencyKey, text, startedAt });
        } catch (error) {
          outcomes.failed(job, error, 'verify', connector);
          return;
        }
        this.deps.logger.info('scheduler: first comment verified', { jobId: job.id, network: job.network, found: outcome.found });
        if (outcome.found === true) return this.commented(job, outcome.comment, 'verify');
        if (outcome.found === 'unknown') return outcomes.parkUnknown(job, 'The network could not tell whether the first comment went out.', clock.now());
        // Not there. No 'verified' line: the publishing panel reads that as the post's own publishing time.
      } else if (!connector.commentResendSafe) {
        return outcomes.parkUnknown(job, 'The answer to the first comment was lost and this network cannot be asked about it.', clock.now());
      }
      // Not there, or the network recognises a repeat by its key: the same comment, with the same key, may go again.
    }

    startAttempt(db, job, clock.now(), job.attempts);
    let comment: PublishedComment;
    try {
      comment = await connector.comment(ctx, content.remoteId, text, job.idempotencyKey);
    } catch (error) {
      outcomes.failed(job, error, 'comment', connector);
      return;
    }
    this.commented(job, comment, 'comment');
  }

  private commented(job: JobRow, comment: PublishedComment, via: 'comment' | 'verify'): void {
    const now = this.deps.clock.now();
    recordCommented(this.deps.db, job, comment, now, via);
    this.deps.outcomes.emitChange(changeOf(job, 'published', null, null, httpsLinkOrNull(comment.url), now));
  }
}
