import { randomUUID } from 'node:crypto';
import type { Connector, MediaItem, PublishedPost, VerifyOutcome } from '../../core/connector';
import type { SchedulerChange } from '../../core/contract/publishing';
import { networkNames } from '../../core/networks/names';
import type { NetworkId } from '../../core/networks/ids';
import type { Logger } from '../log/logger';
import type { Clock, EmitEvent } from '../ports';
import type { Db } from '../store/database';
import { fallbackBudget, networkBudgets, SendBudget, type NetworkBudget } from './budget';
import { FirstComments } from './first-comment';
import { publishedPartIds, ThreadParts } from './thread-parts';
import { takesChains } from '../../core/posts/thread';
import { NativeHandoff, type NativeHandoffOptions } from './handoff';
import { nativeSyncBlocks } from './handoff-repo';
import {
  appendJournal,
  claimJob,
  deferJob,
  findDueJob,
  getTargetContent,
  lastAttemptAt,
  lastJournalLine,
  nextWakeAt,
  overduePublishJobs,
  recentSends,
  recordDeleted,
  recordRetry,
  runningJobs,
  startAttempt,
  takeChallengeAnswer,
  type JobRow,
  type TargetContent,
} from './jobs-repo';
import { changeOf, formatHours, iso, JobOutcomes, messageOf } from './outcomes';
import { mediaOf, publishRequest, type AccountLink, type MediaLoader } from './publish-request';
import { defaultRetryPolicy, type RetryPolicy } from './retry';
import { systemTimers, type Timers } from './timers';


export interface SchedulerOptions {
  db: Db;
  clock: Clock;
  /** Real timers by default; tests pass fake ones driven by their fake clock. */
  timers?: Timers;
  /** The connector serving a network: whether it can verify after a crash, and its delete window. */
  connectorFor(network: NetworkId): Connector | undefined;
  /** Opens an account (keychain secret, base URL); throws ConnectorError('auth') when it cannot sign in. */
  openAccount(accountId: string): Promise<AccountLink>;
  /** The bytes of a post's media, in order; throws when one is missing. */
  loadMedia?: MediaLoader;
  emit?: EmitEvent;
  /** Told when an account's sign-in failed (after its jobs are held), e.g. to store the reason. */
  onReconnectNeeded?(accountId: string, message: string): void;
  retry?: Partial<RetryPolicy>;
  /** Per-network send budgets; null turns a network's budget off (tests). */
  budgets?: Partial<Record<NetworkId, NetworkBudget | null>>;
  /** Calls in flight at once, across accounts (one per account at most). Default 4. */
  concurrency?: number;
  /** How long a claimed job is reserved for its call. Default 10 minutes. */
  leaseMs?: number;
  /** The longest sleep, so a clock jump or a missed wake cannot strand a job. Default 60 s. */
  maxSleepMs?: number;
  /** After a call found the network unreachable, try again this often while nobody says online. Default 60 s. */
  offlineProbeMs?: number;
  /** A timer that fires this much later than asked means the computer slept. Default 30 s. */
  sleepGapMs?: number;
  /** Hands posts due far enough ahead to networks that schedule server-side (Mastodon); off when left out. */
  nativeHandoff?: NativeHandoffOptions;
  random?: () => number;
  newId?: () => string;
  log?: (message: string, error?: unknown) => void;
  /** Where each decision (claimed, retry and when, verified, recovered, a connector's error) is written; nowhere by default. */
  logger?: Pick<Logger, 'debug' | 'info' | 'warn'>;
}

export interface Scheduler {
  /** Recovers what a crash left, applies the missed-window policy, then runs the loop. */
  start(): void;
  /** Stops claiming; resolves when the calls in flight have been recorded. */
  stop(): Promise<void>;
  /** Look at the queue now: jobs changed, or (`resumed`) the computer woke from sleep. */
  wake(options?: { resumed?: boolean }): void;
  /** The platform's online status; offline waits without spending attempts. */
  setOnline(online: boolean): void;
  /** Resolves when no call is in flight and no pass is queued (tests and shutdown). */
  whenIdle(): Promise<void>;
  readonly online: boolean;
}

/** While the network's copy is being synced, the local job looks again this much later. */
const NATIVE_GATE_MS = 5_000;

const MAX_CANDIDATES_PER_PASS = 200;
const BUDGET_HORIZON_MS = 24 * 60 * 60 * 1000;

export function createScheduler(options: SchedulerOptions): Scheduler {
  return new Engine(options);
}

/**
 * The publishing loop. States of a job: pending (waiting for next_attempt_at) → running (claimed
 * with a lease; the journal's 'attempt' line is written before the call) → done | failed |
 * needs_attention | held | cancelled, or back to pending for a retry. A running job found at
 * start whose last journal line is 'attempt' has an unknown outcome: it is verified with the
 * network when the connector can, and otherwise parked for the user — never sent blindly again.
 */
class Engine implements Scheduler {
  private readonly db: Db;
  private readonly clock: Clock;
  private readonly timers: Timers;
  private readonly policy: RetryPolicy;
  private readonly budget: SendBudget;
  private readonly concurrency: number;
  private readonly leaseMs: number;
  private readonly maxSleepMs: number;
  private readonly offlineProbeMs: number;
  private readonly sleepGapMs: number;
  private readonly random: () => number;
  private readonly newId: () => string;
  private readonly log: (message: string, error?: unknown) => void;
  private readonly logger: Pick<Logger, 'debug' | 'info' | 'warn'>;
  /** This run's name on the jobs it claims: a result is recorded only while the job is still ours. */
  private readonly runId = randomUUID();

  private running = false;
  private platformOnline = true;
  /** Set when a call found the network unreachable: no claims before this time (a probe then). */
  private offlineUntil = 0;
  private wasOffline = false;
  private timer: unknown = undefined;
  private timerExpectedAt: number | undefined;
  private passQueued = false;
  private readonly inFlight = new Map<string, { accountId: string; done: Promise<void> }>();
  private readonly outcomes: JobOutcomes;
  private readonly handoff: NativeHandoff;
  private readonly firstComments: FirstComments;
  private readonly threadParts: ThreadParts;

  constructor(private readonly options: SchedulerOptions) {
    this.db = options.db;
    this.clock = options.clock;
    this.timers = options.timers ?? systemTimers;
    this.policy = { ...defaultRetryPolicy, ...options.retry };
    const budgets = options.budgets ?? {};
    this.budget = new SendBudget((network) => {
      const override = budgets[network];
      if (override !== undefined) return override;
      return networkBudgets[network] ?? fallbackBudget;
    });
    this.concurrency = Math.max(1, options.concurrency ?? 4);
    this.leaseMs = options.leaseMs ?? 10 * 60_000;
    this.maxSleepMs = options.maxSleepMs ?? 60_000;
    this.offlineProbeMs = options.offlineProbeMs ?? 60_000;
    this.sleepGapMs = options.sleepGapMs ?? 30_000;
    this.random = options.random ?? Math.random;
    this.newId = options.newId ?? randomUUID;
    this.log = options.log ?? ((message, error) => console.warn(`scheduler: ${message}`, error ?? ''));
    this.logger = options.logger ?? quietLogger;
    this.outcomes = new JobOutcomes({
      db: this.db,
      clock: this.clock,
      policy: this.policy,
      budget: this.budget,
      random: this.random,
      newId: this.newId,
      logger: this.logger,
      emit: (change) => this.emitChange(change),
      onOffline: (now) => {
        this.offlineUntil = now + this.offlineProbeMs;
        this.wasOffline = true;
      },
      ...(options.onReconnectNeeded ? { onReconnectNeeded: options.onReconnectNeeded } : {}),
    });
    this.handoff = new NativeHandoff({
      db: this.db,
      clock: this.clock,
      newId: this.newId,
      logger: this.logger,
      connectorFor: options.connectorFor,
      loadMedia: options.loadMedia,
      outcomes: this.outcomes,
      options: options.nativeHandoff,
    });
    this.firstComments = new FirstComments({ db: this.db, clock: this.clock, outcomes: this.outcomes, logger: this.logger });
    this.threadParts = new ThreadParts({ db: this.db, clock: this.clock, outcomes: this.outcomes, newId: this.newId, loadMedia: this.options.loadMedia, logger: this.logger });
  }

  get online(): boolean {
    return this.platformOnline && this.offlineUntil <= this.clock.now();
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    const now = this.clock.now();
    this.recover(runningJobs(this.db), now);
    for (const send of recentSends(this.db, now - BUDGET_HORIZON_MS)) {
      this.budget.record(send.accountId, send.kind, send.jobId, send.at, send.network);
    }
    this.sweepMissed(now);
    this.queuePass();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.clearTimer();
    await Promise.allSettled([...this.inFlight.values()].map((f) => f.done));
  }

  wake(options: { resumed?: boolean } = {}): void {
    if (!this.running) return;
    if (options.resumed) this.sweepMissed(this.clock.now());
    this.handoff.sweepSoon();
    this.queuePass();
  }

  setOnline(online: boolean): void {
    const wasOnline = this.online;
    this.platformOnline = online;
    if (!online) {
      this.wasOffline = true;
      return;
    }
    this.offlineUntil = 0;
    if (!wasOnline) this.wasOffline = true;
    this.queuePass();
  }

  async whenIdle(): Promise<void> {
    while (this.passQueued || this.inFlight.size > 0) {
      await Promise.race([...[...this.inFlight.values()].map((f) => f.done), new Promise<void>((resolve) => setImmediate(resolve))]);
    }
  }

  // --- the loop -------------------------------------------------------------------------------

  private queuePass(): void {
    if (this.passQueued || !this.running) return;
    this.passQueued = true;
    setImmediate(() => {
      this.passQueued = false;
      try {
        this.pass();
      } catch (error) {
        // A storage error must not end the loop: try again on the next tick.
        this.log('a pass failed', error);
        this.arm(this.clock.now(), this.maxSleepMs);
      }
    });
  }

  private pass(): void {
    if (!this.running) return;
    this.clearTimer();
    const now = this.clock.now();
    this.recover(runningJobs(this.db, now), now);
    let more = false;
    if (this.online) {
      if (this.wasOffline) {
        this.wasOffline = false;
        this.sweepMissed(now);
      }
      this.handoff.sweep(now);
      while (this.inFlight.size < this.concurrency) {
        const next = this.claimNext(now);
        if (next === 'none') break;
        if (next === 'more') {
          more = true;
          break;
        }
        this.launch(next);
      }
    }
    if (more) this.queuePass();
    else this.arm(now);
  }

  private arm(now: number, delay?: number): void {
    this.clearTimer();
    if (!this.running) return;
    let wait = delay ?? this.maxSleepMs;
    if (delay === undefined) {
      const at = nextWakeAt(this.db, now);
      if (at !== undefined) wait = Math.min(wait, at - now);
      if (this.platformOnline && this.offlineUntil > now) wait = Math.min(wait, this.offlineUntil - now);
    }
    wait = Math.max(0, wait);
    this.timerExpectedAt = now + wait;
    this.timer = this.timers.setTimeout(() => this.onTimer(), wait);
  }

  private onTimer(): void {
    this.timer = undefined;
    const expected = this.timerExpectedAt;
    this.timerExpectedAt = undefined;
    const now = this.clock.now();
    // Woken far later than asked: the computer slept (or the clock jumped), so overdue posts follow the policy.
    if (expected !== undefined && now - expected > this.sleepGapMs) this.sweepMissed(now);
    this.queuePass();
  }

  private clearTimer(): void {
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.timer = undefined;
    this.timerExpectedAt = undefined;
  }

  /** One transaction: the first due job that may go now is claimed; those that must wait for the budget are moved to their slot. */
  private claimNext(now: number): JobRow | 'none' | 'more' {
    const changes: SchedulerChange[] = [];
    const result = this.db.transaction((): JobRow | 'none' | 'more' => {
      const busy = [...new Set([...this.inFlight.values()].map((f) => f.accountId))];
      for (let i = 0; i < MAX_CANDIDATES_PER_PASS; i++) {
        const job = findDueJob(this.db, now, busy);
        if (!job) return 'none';
        const connector = this.options.connectorFor(job.network);
        if (!connector) {
          changes.push(this.outcomes.halt(job, { state: 'failed', reason: 'unsupported', message: `Outpost cannot publish to ${job.network} in this version.` }, now));
          continue;
        }
        if (job.kind === 'publish' && nativeSyncBlocks(this.db, job.targetId)) {
          deferJob(this.db, job.id, now + NATIVE_GATE_MS, now);
          this.logger.debug('scheduler: waits while the network\'s copy is synced', { jobId: job.id, until: iso(now + NATIVE_GATE_MS) });
          continue;
        }
        const runnable = job.kind === 'publish' || job.kind === 'delete' || (job.kind === 'native_schedule' && connector.scheduleNative) || (job.kind === 'first_comment' && connector.comment) || (job.kind === 'thread_part' && takesChains(job.network));
        if (!runnable) {
          changes.push(this.outcomes.halt(job, { state: 'failed', reason: 'unsupported', message: `This version does not run ${job.kind} jobs.` }, now));
          continue;
        }
        if (job.accountStatus !== 'connected') {
          changes.push(this.outcomes.halt(job, { state: 'held', reason: 'auth', message: 'The account needs to be connected again.', verifyFirst: job.verifyFirst === 1 }, now));
          continue;
        }
        const slot = this.budget.take(job.accountId, job.network, job.kind, job.id, now);
        if (slot > now) {
          deferJob(this.db, job.id, slot, now);
          this.logger.debug('scheduler: waits for the send budget', { jobId: job.id, network: job.network, until: iso(slot) });
          continue;
        }
        if (!claimJob(this.db, job, now, now + this.leaseMs, this.runId)) continue;
        this.logger.info('scheduler: claimed', { jobId: job.id, job: job.kind, network: job.network, accountId: job.accountId, postId: job.postId, attempt: job.attempts + 1, verifyFirst: job.verifyFirst === 1 });
        return { ...job, attempts: job.attempts + 1, state: 'running', leaseOwner: this.runId };
      }
      return 'more';
    })();
    for (const change of changes) this.emitChange(change);
    return result;
  }

  private launch(job: JobRow): void {
    const done = this.run(job)
      .catch((error: unknown) => this.log(`job ${job.id} ended unexpectedly`, error))
      .finally(() => {
        this.inFlight.delete(job.id);
        this.queuePass();
      });
    this.inFlight.set(job.id, { accountId: job.accountId, done });
  }

  // --- one job ----------------------------------------------------------------------------------

  private async run(job: JobRow): Promise<void> {
    let link: AccountLink;
    try {
      link = await this.options.openAccount(job.accountId);
    } catch (error) {
      this.outcomes.failed(job, error, 'prepare', undefined);
      return;
    }
    // The user's answer to the last attempt's challenge goes with this attempt only, taken from the store as it starts.
    const answer = takeChallengeAnswer(this.db, job.id);
    if (answer) link = { ...link, ctx: { ...link.ctx, challengeAnswer: answer } };
    const content = getTargetContent(this.db, job.targetId);
    if (!content) return; // the post was deleted while its job waited; the job went with it
    if (job.kind === 'delete') await this.runDelete(job, link, content);
    else if (job.kind === 'native_schedule') await this.handoff.runSync(job, link, content);
    else if (job.kind === 'first_comment') await this.firstComments.run(job, link, content);
    else if (job.kind === 'thread_part') await this.threadParts.run(job, link, content);
    else if (content.nativeScheduleId !== null) await this.handoff.runCheck(job, link, content, content.nativeScheduleId);
    else await this.runPublish(job, link, content);
  }

  private async runPublish(claimed: JobRow, link: AccountLink, content: TargetContent): Promise<void> {
    let job = claimed;
    const { connector, ctx } = link;
    let media: MediaItem[];
    try {
      media = await mediaOf(this.options.loadMedia, content);
    } catch (error) {
      this.emitChange(this.outcomes.halt(job, { state: 'failed', reason: 'media_missing', message: messageOf(error), refund: 1 }, this.clock.now()));
      return;
    }
    const request = publishRequest(link, content, job.idempotencyKey, media);

    if (job.verifyFirst === 1) {
      if (!connector.verify) {
        this.outcomes.parkUnknown(job, 'The earlier attempt’s answer was lost and this network cannot be asked about it.', this.clock.now());
        return;
      }
      const startedAt = lastAttemptAt(this.db, job.id) ?? job.dueAt;
      let outcome: VerifyOutcome;
      try {
        outcome = await connector.verify(ctx, { idempotencyKey: job.idempotencyKey, startedAt, text: content.text });
      } catch (error) {
        this.outcomes.failed(job, error, 'verify', connector);
        return;
      }
      this.logger.info('scheduler: verified', { jobId: job.id, network: job.network, found: outcome.found });
      const now = this.clock.now();
      if (outcome.found === true) {
        this.outcomes.published(job, outcome.post, 'verify', content, connector);
        return;
      }
      if (outcome.found === 'unknown') {
        this.outcomes.parkUnknown(job, 'The network could not tell whether the earlier attempt went out.', now);
        return;
      }
      // Definitely not there: the same request, with the same idempotency key, may go again.
      appendJournal(this.db, job, 'verified', now, { found: false });
      job = { ...job, verifyFirst: 0 };
      if (job.dueAt < now - job.lateGraceMinutes * 60_000) {
        this.emitChange(this.outcomes.halt(job, { state: 'needs_attention', reason: 'missed', message: null }, now));
        return;
      }
    }

    startAttempt(this.db, job, this.clock.now(), job.attempts);
    let post: PublishedPost;
    try {
      post = await connector.publish(media.length > 0 ? { ...ctx, onUploadProgress: this.progressOf(job, content) } : ctx, request);
    } catch (error) {
      this.outcomes.failed(job, error, 'publish', connector);
      return;
    }
    this.outcomes.published(job, post, 'publish', content, connector);
  }

  private async runDelete(job: JobRow, link: AccountLink, content: TargetContent): Promise<void> {
    const { connector, ctx } = link;
    const now = this.clock.now();
    if (!content.remoteId) {
      this.emitChange(this.outcomes.halt(job, { state: 'failed', reason: 'permanent', message: 'There is no published post to delete.' }, now));
      return;
    }
    const window = connector.deleteWindowMs;
    if (window !== undefined && content.publishedAt !== null && now >= content.publishedAt + window) {
      const message = `${networkNames[job.network]} allows deleting a post only within ${formatHours(window)} of publishing; delete it by hand.`;
      this.emitChange(this.outcomes.halt(job, { state: 'needs_attention', reason: 'delete_window', message }, now));
      return;
    }
    startAttempt(this.db, job, now, job.attempts);
    try {
      // A thread goes with its post, last part first; a part already gone counts as deleted, so a retry may repeat them.
      for (const remoteId of publishedPartIds(this.db, job.targetId)) await connector.delete(ctx, remoteId);
      await connector.delete(ctx, content.remoteId);
    } catch (error) {
      this.outcomes.failed(job, error, 'delete', connector);
      return;
    }
    const doneAt = this.clock.now();
    recordDeleted(this.db, job, doneAt);
    this.emitChange(changeOf(job, 'deleted', null, null, null, doneAt));
  }

  // --- recovery and the missed-window policy ----------------------------------------------------

  /** Running jobs whose process is gone (or whose lease ran out) and that are not ours in flight. */
  private recover(jobs: readonly JobRow[], now: number): void {
    for (const job of jobs) {
      if (this.inFlight.has(job.id)) continue;
      const last = lastJournalLine(this.db, job.id);
      // 'unknown' is written just before the job is parked or set to retry: a run stopped between the two had sent it too.
      const sent = last?.event === 'attempt' || last?.event === 'unknown';
      this.logger.info('scheduler: recovering a job a stopped run left', { jobId: job.id, job: job.kind, network: job.network, sent });
      if (sent) {
        this.outcomes.unknownOutcome(job, 'Outpost stopped while this was being sent, so its answer was lost.', now, this.options.connectorFor(job.network));
        continue;
      }
      // Claimed but never sent: nothing reached the network, so the attempt does not count.
      recordRetry(this.db, job, { nextAttemptAt: now, refund: 1, verifyFirst: job.verifyFirst === 1, event: 'recovered', message: null }, now);
    }
  }

  /** Overdue publish jobs beyond their project's grace wait for the user: "publish now" or "reschedule". */
  private sweepMissed(now: number): void {
    for (const job of overduePublishJobs(this.db, now)) {
      this.emitChange(this.outcomes.halt(job, { state: 'needs_attention', reason: 'missed', message: null }, now));
    }
  }

  /** Tells the window how far a post's upload got: at most every quarter second, and always at its start and end. */
  private progressOf(job: JobRow, content: TargetContent): (sent: number, total: number) => void {
    let last = -Infinity;
    return (sent, total) => {
      const now = this.clock.now();
      if (sent > 0 && sent < total && now - last < PROGRESS_EVERY_MS) return;
      last = now;
      try {
        this.options.emit?.('publishing.progress', { postId: content.postId, targetId: job.targetId, jobId: job.id, sent, total });
      } catch (error) {
        this.log('an event listener failed', error);
      }
    };
  }

  private emitChange(change: SchedulerChange): void {
    try {
      this.options.emit?.('publishing.changed', change);
    } catch (error) {
      this.log('an event listener failed', error);
    }
  }
}

/** Progress events are for the eye: four a second are plenty, and a fast upload of a big video would send thousands. */
const PROGRESS_EVERY_MS = 250;

const quietLogger: Pick<Logger, 'debug' | 'info' | 'warn'> = { debug: () => {}, info: () => {}, warn: () => {} };
