import { canSettleLostComment, ConnectorError, type Connector, type PublishedPost } from '../../core/connector';
import type { SchedulerChange } from '../../core/contract/publishing';
import { httpsLinkOrNull } from '../../core/links';
import { networkNames } from '../../core/networks/names';
import type { Logger } from '../log/logger';
import type { Clock } from '../ports';
import type { Db } from '../store/database';
import type { SendBudget } from './budget';
import {
  appendJournal,
  holdAccount,
  lastAttemptAt,
  recordPublished,
  recordRetry,
  recordStop,
  type AutoDelete,
  type JobRow,
  type Retry,
  type Stop,
  type TargetContent,
} from './jobs-repo';
import { queueFirstComment } from './first-comment';
import { canSettleLostPart, queueThreadPart } from './thread-parts';
import { backoffMs, mayHaveArrived, type RetryPolicy } from './retry';

/** Which step of a job failed: what may have reached the network depends on it. */
export type Phase = 'prepare' | 'verify' | 'publish' | 'delete' | 'comment';

export interface OutcomeDeps {
  db: Db;
  clock: Clock;
  policy: RetryPolicy;
  budget: SendBudget;
  random: () => number;
  newId: () => string;
  logger: Pick<Logger, 'debug' | 'info' | 'warn'>;
  /** Announces a decision (publishing.changed); never throws. */
  emit(change: SchedulerChange): void;
  /** A call found the network unreachable: the loop waits for it (or probes) before claiming again. */
  onOffline(now: number): void;
  onReconnectNeeded?(accountId: string, message: string): void;
}

/**
 * What becomes of a job after its call: published (with auto-delete), retried with backoff,
 * parked for the user when its outcome is unknown, held for a reconnect, or failed for good.
 * Each is recorded in one transaction and announced.
 */
export class JobOutcomes {
  private readonly db: Db;
  private readonly clock: Clock;
  private readonly policy: RetryPolicy;
  private readonly budget: SendBudget;
  private readonly random: () => number;
  private readonly newId: () => string;
  private readonly logger: Pick<Logger, 'debug' | 'info' | 'warn'>;

  constructor(private readonly deps: OutcomeDeps) {
    this.db = deps.db;
    this.clock = deps.clock;
    this.policy = deps.policy;
    this.budget = deps.budget;
    this.random = deps.random;
    this.newId = deps.newId;
    this.logger = deps.logger;
  }

  emitChange(change: SchedulerChange): void {
    this.deps.emit(change);
  }

  published(job: JobRow, post: PublishedPost, via: 'publish' | 'verify', content: TargetContent, connector: Connector): void {
    const now = this.clock.now();
    let autoDelete: AutoDelete = { kind: 'none' };
    const delay = content.autoDeleteAfterMs;
    if (delay !== null && delay > 0) {
      const window = connector.deleteWindowMs;
      if (window !== undefined && delay >= window) {
        autoDelete = {
          kind: 'refused',
          message: `${networkNames[job.network]} allows deleting a post only within ${formatHours(window)} of publishing, so this post will not disappear after ${formatHours(delay)}; delete it by hand.`,
        };
      } else {
        autoDelete = { kind: 'schedule', jobId: this.newId(), idempotencyKey: this.newId(), deleteAt: post.publishedAt + delay };
      }
    }
    this.db.transaction(() => {
      recordPublished(this.db, job, post, now, via, autoDelete);
      queueFirstComment(this.db, job, post.remoteId, connector, now, this.newId);
      // A thread goes on with its second part, a reply to the post just made.
      if (job.kind === 'publish') queueThreadPart(this.db, job.targetId, job.postId, job.network, 2, post.remoteId, now, this.newId);
    })();
    this.emitChange(changeOf(job, 'published', null, autoDelete.kind === 'refused' ? autoDelete.message : null, httpsLinkOrNull(post.url), now));
  }

  /** Every failure ends here, by its kind and by whether the request may have reached the network. */
  failed(job: JobRow, error: unknown, phase: Phase, connector: Connector | undefined): void {
    const now = this.clock.now();
    const failure = error instanceof ConnectorError ? error : undefined;
    const kind = failure?.kind ?? 'transient';
    const message = failure?.networkMessage ?? messageOf(error);
    // Only the network's own words are ever shown as "<network> said"; our explanations are not.
    const networkSaid = failure?.networkSaid ?? null;
    // The raw code of a call without an answer (ECONNREFUSED…): journaled for the history's Details, never in the words.
    const cause = failure?.causeCode;
    const verifying = phase === 'verify' || job.verifyFirst === 1;
    // What the network said, never what was sent: no credentials, no request body.
    this.logger[kind === 'offline' ? 'info' : 'warn']('scheduler: the network call failed', {
      jobId: job.id,
      job: job.kind,
      network: job.network,
      phase,
      attempt: job.attempts,
      ...failureFields(error),
    });

    if ((phase === 'publish' || phase === 'comment') && mayHaveArrived(error)) {
      this.unknownOutcome(job, message, now, connector, failure?.retryAfterMs, cause);
      return;
    }
    if (failure?.challenge && phase !== 'prepare') {
      // Only a person can answer: the job waits for the user and is never sent again on its own, so a captcha cannot loop.
      const stop = { state: 'needs_attention', reason: 'captcha', message, networkSaid, refund: 1, verifyFirst: verifying, challenge: failure.challenge } as const;
      this.emitChange(this.halt(job, stop, now));
      return;
    }
    switch (kind) {
      case 'offline':
        this.deps.onOffline(now);
        this.retry(job, { nextAttemptAt: now, refund: 1, verifyFirst: verifying, event: 'offline', message, networkSaid, detail: causeOf(cause) }, now);
        return;
      case 'rate_limited': {
        const wait = Math.max(0, failure?.retryAfterMs ?? this.policy.rateLimitedMs);
        this.budget.block(job.accountId, now + wait);
        this.retry(job, { nextAttemptAt: now + wait, refund: 1, verifyFirst: verifying, event: 'rate_limited', message, networkSaid, detail: { retryAfterMs: wait, ...causeOf(cause) } }, now);
        return;
      }
      case 'auth':
        this.holdForReconnect(job, message, now, verifying, networkSaid);
        return;
      case 'validation':
      case 'permanent':
        if (verifying) {
          this.parkUnknown(job, message, now, cause);
          return;
        }
        this.emitChange(this.halt(job, { state: 'failed', reason: kind, message, networkSaid, cause }, now));
        return;
      case 'transient':
        if (job.attempts >= this.policy.maxAttempts) {
          if (verifying) this.parkUnknown(job, message, now, cause);
          else this.emitChange(this.halt(job, { state: 'failed', reason: 'max_attempts', message, networkSaid, cause }, now));
          return;
        }
        this.retry(
          job,
          {
            nextAttemptAt: now + this.retryDelay(job.attempts, failure?.retryAfterMs),
            // Nothing was sent when the account could not even be opened (a locked keychain, say).
            refund: phase === 'prepare' ? 1 : 0,
            verifyFirst: verifying,
            event: 'retry',
            message,
            networkSaid,
            detail: causeOf(cause),
          },
          now,
        );
        return;
    }
  }

  /** The request may have reached the network and its answer is lost. */
  unknownOutcome(job: JobRow, message: string, now: number, connector: Connector | undefined, retryAfterMs?: number, cause?: string): void {
    appendJournal(this.db, job, 'unknown', now, { message, ...causeOf(cause) });
    if (job.kind !== 'publish' && job.kind !== 'first_comment' && job.kind !== 'thread_part') {
      // Deleting twice is harmless (a post already gone counts as deleted), so a delete simply retries;
      // a handoff goes again with the same key, and the flag remembers the network may hold a copy we have no id for.
      this.retryOrFail(job, message, now, retryAfterMs, cause, job.kind === 'native_schedule');
      return;
    }
    const settles = job.kind === 'first_comment' ? canSettleLostComment(connector) : job.kind === 'thread_part' ? canSettleLostPart(connector) : Boolean(connector?.verify);
    if (!settles) {
      this.parkUnknown(job, message, now, cause);
      return;
    }
    if (job.attempts >= this.policy.maxAttempts) {
      this.parkUnknown(job, message, now, cause);
      return;
    }
    const retry = { nextAttemptAt: this.verifyAt(job, now, retryAfterMs), refund: 0, verifyFirst: true, event: 'retry', message, detail: causeOf(cause) } as const;
    this.retry(job, retry, now);
  }

  private retryOrFail(job: JobRow, message: string, now: number, retryAfterMs?: number, cause?: string, answerLost = false): void {
    if (job.attempts >= this.policy.maxAttempts) {
      this.emitChange(this.halt(job, { state: 'failed', reason: 'max_attempts', message, cause, verifyFirst: answerLost }, now));
      return;
    }
    const nextAttemptAt = answerLost ? this.verifyAt(job, now, retryAfterMs) : now + this.retryDelay(job.attempts, retryAfterMs);
    const retry = { nextAttemptAt, refund: 0, verifyFirst: answerLost, event: 'retry', message, detail: causeOf(cause) } as const;
    this.retry(job, retry, now);
  }

  parkUnknown(job: JobRow, message: string, now: number, cause?: string): void {
    if (job.kind === 'first_comment') {
      // The post is out and has no "I checked" or "send again" for its comment: the user is told where to look.
      const advice = `${message} Look under the post on ${networkNames[job.network]}: if the first comment is not there, add it by hand.`;
      this.emitChange(this.halt(job, { state: 'failed', reason: 'unknown_outcome', message: advice, verifyFirst: true, cause }, now));
      return;
    }
    this.emitChange(this.halt(job, { state: 'needs_attention', reason: 'unknown_outcome', message, verifyFirst: true, cause }, now));
  }

  holdForReconnect(job: JobRow, message: string, now: number, verifyFirst: boolean, networkSaid: string | null = null): void {
    const changes = [this.halt(job, { state: 'held', reason: 'auth', message, networkSaid, refund: 1, verifyFirst }, now)];
    for (const held of holdAccount(this.db, job.accountId, message, now, networkSaid)) {
      changes.push(changeOf(held, 'held', 'auth', message, null, now, networkSaid));
    }
    for (const change of changes) this.emitChange(change);
    this.deps.onReconnectNeeded?.(job.accountId, message);
  }

  /** When a lost attempt may be looked for: after the backoff, and not before the request could still be finishing at the network. */
  private verifyAt(job: JobRow, now: number, retryAfterMs: number | undefined): number {
    const startedAt = lastAttemptAt(this.db, job.id) ?? now;
    return Math.max(now + this.retryDelay(job.attempts, retryAfterMs), startedAt + this.policy.verifySettleMs);
  }

  private retryDelay(attempts: number, retryAfterMs: number | undefined): number {
    return Math.max(retryAfterMs ?? 0, backoffMs(this.policy, attempts, this.random));
  }

  retry(job: JobRow, retry: Retry, now: number): void {
    recordRetry(this.db, job, retry, now);
    this.logger.info('scheduler: retry', {
      jobId: job.id,
      network: job.network,
      reason: retry.event,
      message: retry.message,
      next: iso(retry.nextAttemptAt),
      attemptCounted: retry.refund === 0,
      verifyFirst: retry.verifyFirst,
    });
    this.emitChange(changeOf(job, 'retrying', null, retry.message, null, now, retry.networkSaid));
  }

  halt(job: JobRow, stop: Stop, now: number): SchedulerChange {
    recordStop(this.db, job, stop, now);
    return changeOf(job, stop.state, stop.reason, stop.message, null, now, stop.networkSaid);
  }
}

export function changeOf(
  job: JobRow,
  state: SchedulerChange['state'],
  reason: string | null,
  message: string | null,
  url: string | null,
  at: number,
  networkSaid: string | null = null,
): SchedulerChange {
  return { postId: job.postId, targetId: job.targetId, jobId: job.id, job: job.kind, state, reason, message, networkSaid: networkSaid ?? null, url, at };
}

/** The journal keeps a raw code only when there is one. */
function causeOf(cause: string | undefined): { cause?: string } {
  return cause ? { cause } : {};
}

export function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** A failure as the log keeps it: kind, status and the network's words (and its cause's), nothing of the request. */
function failureFields(error: unknown): Record<string, unknown> {
  const cause = error instanceof Error && error.cause !== undefined ? error.cause : undefined;
  const causeOf =
    cause === undefined
      ? {}
      : { cause: { name: (cause as { name?: unknown }).name, code: (cause as { code?: unknown }).code, message: messageOf(cause) } };
  if (error instanceof ConnectorError) {
    return { kind: error.kind, status: error.status, networkMessage: error.networkMessage, retryAfterMs: error.retryAfterMs, maybeSent: error.maybeSent, ...causeOf };
  }
  return { kind: 'unexpected', detail: error instanceof Error ? `${error.name}: ${error.message}` : String(error), ...causeOf };
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function formatHours(ms: number): string {
  const hours = ms / 3_600_000;
  return `${Number.isInteger(hours) ? hours : hours.toFixed(1)} h`;
}
