import type { Connector, PublishedPost, PublishRequest, VerifyOutcome } from '../../core/connector';
import { httpsLinkOrNull } from '../../core/links';
import { networkNames } from '../../core/networks/names';
import { chainTexts, hasThread, takesChains, type ThreadOptions } from '../../core/posts/thread';
import type { Logger } from '../log/logger';
import { readNetworkOptions } from '../posts/posts-repo';
import type { Clock } from '../ports';
import type { Db } from '../store/database';
import { appendJournal, assertHeld, lastAttemptAt, startAttempt, type JobRow, type TargetContent } from './jobs-repo';
import { changeOf, type JobOutcomes } from './outcomes';
import type { AccountLink, MediaLoader } from './publish-request';

/**
 * A thread's parts after the first (issue 12 item 6), modelled on the first comment: once the post
 * itself is out, part 2 is queued in the same transaction as a `thread_part` job with its own
 * idempotency key; each part, once out, queues the next. So parts go in order, one live job per
 * target at a time (jobs_live_per_target), each a reply to the part before it, and a chain cut by
 * a crash or a refusal goes on at its first unsent part. A part's outcome never touches the
 * target's state: the post stays published whatever becomes of its thread.
 *
 * A part whose answer was lost is never sent blindly again. It is looked for as a reply under the
 * part before it (connector.verifyComment: Mastodon, Threads), sent again where a repeat is
 * recognised by its key (Bluesky's record key: commentResendSafe), or looked for among the
 * account's posts (connector.verify: X, whose timeline holds replies); otherwise parked.
 */

/** The post's thread, as stored with its options; undefined when the post is not one. */
export function threadOf(db: Db, postId: string): ThreadOptions | undefined {
  const row = db.prepare(`SELECT network_options AS options FROM posts WHERE id = ?`).get(postId) as { options: string } | undefined;
  const thread = row ? readNetworkOptions(db, row.options, postId).thread : undefined;
  return hasThread(thread) ? thread : undefined;
}

/** True when a part whose answer was lost can be settled without the user: looked up, or safely sent again. */
export function canSettleLostPart(connector: Pick<Connector, 'verify' | 'verifyComment' | 'commentResendSafe'> | undefined): boolean {
  return Boolean(connector?.verifyComment || connector?.verify) || connector?.commentResendSafe === true;
}

/**
 * Queues part `part` of the target's thread (2 after the post itself), inside the caller's
 * transaction. Where Outpost cannot go on — it does not know the id of the part before (the user
 * confirmed the post by hand), or the network takes no chains — the history says so instead.
 */
export function queueThreadPart(db: Db, targetId: string, postId: string, network: Connector['network'], part: number, parentId: string | null, now: number, newId: () => string): void {
  const thread = threadOf(db, postId);
  if (!thread || part > thread.parts.length + 1) return;
  // One job per part that is still to go; a part already out is never queued again.
  if (db.prepare(`SELECT 1 FROM jobs WHERE target_id = ? AND kind = 'thread_part' AND (part >= ? OR state IN ('pending', 'running', 'held', 'needs_attention'))`).get(targetId, part)) return;
  const job = { id: newId(), idempotencyKey: newId() };
  const byHand =
    parentId === null
      ? `Outpost does not know the id of part ${part - 1} on ${networkNames[network]}, so the thread stops there; add the rest by hand.`
      : !takesChains(network)
        ? `${networkNames[network]} takes no threads; the parts after the first were not sent.`
        : null;
  db.prepare(
    `INSERT INTO jobs (id, kind, target_id, state, due_at, next_attempt_at, idempotency_key, part, reason, last_error, created_at, updated_at)
     VALUES (@id, 'thread_part', @targetId, @state, @now, @now, @key, @part, @reason, @message, @now, @now)`,
  ).run({ id: job.id, targetId, key: job.idempotencyKey, part, state: byHand ? 'failed' : 'pending', reason: byHand ? 'unsupported' : null, message: byHand, now });
  if (byHand) appendJournal(db, job, 'failed', now, { reason: 'unsupported', message: byHand, part, total: thread.parts.length + 1 });
}

/** The network's id of the part before `part`: the post itself for part 2, else the part job that sent it. */
export function parentOf(db: Db, targetId: string, part: number): string | null {
  if (part <= 2) return (db.prepare(`SELECT remote_id AS id FROM post_targets WHERE id = ?`).get(targetId) as { id: string | null } | undefined)?.id ?? null;
  const line = db
    .prepare(
      `SELECT l.detail FROM jobs j JOIN job_log l ON l.job_id = j.id
       WHERE j.target_id = ? AND j.kind = 'thread_part' AND j.part = ? AND j.state = 'done' AND l.event = 'part_published'
       ORDER BY l.id DESC LIMIT 1`,
    )
    .get(targetId, part - 1) as { detail: string } | undefined;
  const id = line ? (JSON.parse(line.detail) as { remoteId?: unknown }).remoteId : undefined;
  return typeof id === 'string' ? id : null;
}

/** The network's ids of the target's thread parts that went out, last part first: what auto-delete removes before the post. */
export function publishedPartIds(db: Db, targetId: string): string[] {
  const rows = db
    .prepare(
      `SELECT l.detail FROM jobs j JOIN job_log l ON l.job_id = j.id
       WHERE j.target_id = ? AND j.kind = 'thread_part' AND j.state = 'done' AND l.event = 'part_published'
       ORDER BY j.part DESC`,
    )
    .all(targetId) as { detail: string }[];
  return rows.flatMap((row) => {
    const id = (JSON.parse(row.detail) as { remoteId?: unknown }).remoteId;
    return typeof id === 'string' ? [id] : [];
  });
}

/** The part is out: the job is done, the journal keeps its id and link ("part 2 of 3 published"), the next part is queued. */
export function recordPartPublished(db: Db, job: JobRow, post: Pick<PublishedPost, 'remoteId' | 'url'>, total: number, now: number, via: 'publish' | 'verify', newId: () => string): void {
  const part = job.part ?? 2;
  db.transaction(() => {
    assertHeld(db, job);
    db.prepare(
      `UPDATE jobs SET state = 'done', lease_until = NULL, last_error = NULL, network_said = NULL, reason = NULL, verify_first = 0, updated_at = ? WHERE id = ?`,
    ).run(now, job.id);
    appendJournal(db, job, 'part_published', now, { remoteId: post.remoteId, url: httpsLinkOrNull(post.url), via, part, total });
    queueThreadPart(db, job.targetId, job.postId, job.network, part + 1, post.remoteId, now, newId);
  })();
}

export interface ThreadPartDeps {
  db: Db;
  clock: Clock;
  outcomes: JobOutcomes;
  newId: () => string;
  loadMedia: MediaLoader | undefined;
  logger: Pick<Logger, 'debug' | 'info' | 'warn'>;
}

/** Runs claimed thread_part jobs. */
export class ThreadParts {
  constructor(private readonly deps: ThreadPartDeps) {}

  async run(job: JobRow, link: AccountLink, content: TargetContent): Promise<void> {
    const { db, clock, outcomes } = this.deps;
    const { connector, ctx } = link;
    const part = job.part ?? 2;
    const thread = content.networkOptions.thread;
    const stop = (state: 'failed' | 'cancelled', reason: 'unsupported' | 'permanent' | 'cancelled' | 'media_missing', message: string) =>
      outcomes.emitChange(outcomes.halt(job, { state, reason, message, refund: 1 }, clock.now()));
    if (!takesChains(job.network)) return stop('failed', 'unsupported', `${networkNames[job.network]} takes no threads.`);
    if (!hasThread(thread) || part > thread.parts.length + 1) return stop('cancelled', 'cancelled', `Part ${part} was removed from the thread before it was sent.`);
    const parentId = parentOf(db, job.targetId, part);
    if (parentId === null) return stop('failed', 'permanent', `Outpost does not know the id of part ${part - 1}, so part ${part} has nothing to reply to.`);
    const total = thread.parts.length + 1;
    // Numbered as the composer showed it, the first part worded for this account.
    const text = chainTexts(content.text, thread)[part - 1] ?? '';
    const mediaIds = thread.parts[part - 2]?.media ?? [];

    if (job.verifyFirst === 1) {
      const startedAt = lastAttemptAt(db, job.id) ?? job.dueAt;
      let outcome: VerifyOutcome | 'resend';
      try {
        outcome = await lookForPart(connector, ctx, { parentId, idempotencyKey: job.idempotencyKey, text, startedAt });
      } catch (error) {
        outcomes.failed(job, error, 'verify', connector);
        return;
      }
      this.deps.logger.info('scheduler: thread part verified', { jobId: job.id, network: job.network, part, found: outcome === 'resend' ? 'resend' : outcome.found });
      if (outcome !== 'resend') {
        if (outcome.found === true) return this.published(job, outcome.post, total, 'verify');
        if (outcome.found === 'unknown') return outcomes.parkUnknown(job, `The network could not tell whether part ${part} of the thread went out.`, clock.now());
        appendJournal(db, job, 'verified', clock.now(), { found: false, part });
      }
      // Not there, or a repeat is recognised by its key: the same part, with the same key, may go again.
    }

    let media;
    try {
      media = mediaIds.length === 0 ? [] : await (this.deps.loadMedia ?? noMedia)(mediaIds, { postId: content.postId, projectId: content.projectId });
    } catch (error) {
      return stop('failed', 'media_missing', error instanceof Error ? error.message : String(error));
    }
    const request: PublishRequest = {
      text,
      media,
      idempotencyKey: job.idempotencyKey,
      replyTo: parentId,
      ...(link.defaults?.linkPreview !== undefined ? { linkPreview: link.defaults.linkPreview } : {}),
      ...(link.defaults?.language ? { language: link.defaults.language } : {}),
    };
    startAttempt(db, job, clock.now(), job.attempts);
    let post: PublishedPost;
    try {
      post = await connector.publish(ctx, request);
    } catch (error) {
      outcomes.failed(job, error, 'publish', connector);
      return;
    }
    this.published(job, post, total, 'publish');
  }

  private published(job: JobRow, post: Pick<PublishedPost, 'remoteId' | 'url'>, total: number, via: 'publish' | 'verify'): void {
    const now = this.deps.clock.now();
    recordPartPublished(this.deps.db, job, post, total, now, via, this.deps.newId);
    this.deps.outcomes.emitChange(changeOf(job, 'published', null, null, httpsLinkOrNull(post.url), now));
  }
}

/** Where a lost part is looked for: under the part before it, else among the account's posts; 'resend' where a repeat is harmless. */
async function lookForPart(
  connector: Connector,
  ctx: AccountLink['ctx'],
  attempt: { parentId: string; idempotencyKey: string; text: string; startedAt: number },
): Promise<VerifyOutcome | 'resend'> {
  // A reply keyed like a comment (Bluesky's record key from the job's key, written only if absent) cannot be made twice.
  if (connector.commentResendSafe) return 'resend';
  if (connector.verifyComment) {
    const found = await connector.verifyComment(ctx, { remoteId: attempt.parentId, idempotencyKey: attempt.idempotencyKey, text: attempt.text, startedAt: attempt.startedAt });
    return found.found === true ? { found: true, post: { remoteId: found.comment.remoteId, url: found.comment.url, publishedAt: ctx.now() } } : found;
  }
  if (connector.verify) return connector.verify(ctx, { idempotencyKey: attempt.idempotencyKey, startedAt: attempt.startedAt, text: attempt.text });
  return { found: 'unknown' };
}

const noMedia: MediaLoader = () => Promise.reject(new Error('The media library is not available.'));
