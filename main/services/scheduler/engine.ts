import { randomUUID } from 'node:crypto';
import {
  ConnectorError,
  type Connector,
  type ConnectorContext,
  type MediaItem,
  type NativeSchedule,
  type NativeState,
  type PublishedPost,
  type PublishRequest,
  type VerifyOutcome,
} from '../../core/connector';
import type { SchedulerChange } from '../../core/contract/publishing';
import { httpsLinkOrNull } from '../../core/links';
import { networkIds, type NetworkId } from '../../core/networks/ids';
import type { Logger } from '../log/logger';
import type { Clock, EmitEvent } from '../ports';
import type { Db } from '../store/database';
import { fallbackBudget, networkBudgets, SendBudget, type NetworkBudget } from './budget';
import {
  appendJournal,
  claimJob,
  deferJob,
  findDueJob,
  getTargetContent,
  holdAccount,
  lastAttemptAt,
  lastJournalLine,
  nextWakeAt,
  overduePublishJobs,
  recentSends,
  recordDeleted,
  recordPublished,
  recordRetry,
  recordStop,
  nativeHandoffCandidates,
  nativeSyncBlocks,
  queueNativeSync,
  recordNativeCleared,
  recordNativeScheduled,
  liveJobOfTarget,
  runningJobs,
  startAttempt,
  type AutoDelete,
  type JobRow,
  type Retry,
  type Stop,
  type TargetContent,
} from './jobs-repo';
import { backoffMs, defaultRetryPolicy, mayHaveArrived, type RetryPolicy } from './retry';
import { systemTimers, type Timers } from './timers';

/** A ready connection to one account: its connector and a call context with its credentials. */
export interface AccountLink {
  connector: Connector;
  ctx: ConnectorContext;
  /** The account's posting defaults, carried into the publish request. */
  defaults?: { linkPreview?: boolean; language?: string | null };
}

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
  loadMedia?(mediaIds: readonly string[], post: { postId: string; projectId: string }): Promise<MediaItem[]>;
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

export interface NativeHandoffOptions {
  /** Only posts due later than this are handed over. Default 10 minutes. */
  leadMs?: number;
  /** Closer than this to its time, a handed-over post is taken back instead of moved (Mastodon refuses < 5 min). Default 6 minutes. */
  minLeadMs?: number;
  /** How long after its time the local job asks the network whether it went out. Default 1 minute. */
  checkDelayMs?: number;
  /** A refused handoff is tried again after this long. Default 1 hour. */
  retryFailedAfterMs?: number;
}

type Phase = 'prepare' | 'verify' | 'publish' | 'delete';

const HANDOFF_SWEEP_MS = 15_000;
const HANDOFF_BATCH = 10;
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
  private readonly native: Required<NativeHandoffOptions> | undefined;
  private lastHandoffSweep = Number.NEGATIVE_INFINITY;

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
    this.native = options.nativeHandoff
      ? {
          leadMs: 10 * 60_000,
          minLeadMs: 6 * 60_000,
          checkDelayMs: 60_000,
          retryFailedAfterMs: 60 * 60_000,
          ...options.nativeHandoff,
        }
      : undefined;
    this.random = options.random ?? Math.random;
    this.newId = options.newId ?? randomUUID;
    this.log = options.log ?? ((message, error) => console.warn(`scheduler: ${message}`, error ?? ''));
    this.logger = options.logger ?? quietLogger;
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
    this.lastHandoffSweep = Number.NEGATIVE_INFINITY;
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
      this.sweepHandoffs(now);
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
          changes.push(this.halt(job, { state: 'failed', reason: 'unsupported', message: `Outpost cannot publish to ${job.network} in this version.` }, now));
          continue;
        }
        if (job.kind === 'publish' && nativeSyncBlocks(this.db, job.targetId)) {
          deferJob(this.db, job.id, now + NATIVE_GATE_MS, now);
          this.logger.debug('scheduler: waits while the network\'s copy is synced', { jobId: job.id, until: iso(now + NATIVE_GATE_MS) });
          continue;
        }
        const runnable = job.kind === 'publish' || job.kind === 'delete' || (job.kind === 'native_schedule' && connector.scheduleNative);
        if (!runnable) {
          changes.push(this.halt(job, { state: 'failed', reason: 'unsupported', message: `This version does not run ${job.kind} jobs.` }, now));
          continue;
        }
        if (job.accountStatus !== 'connected') {
          changes.push(this.halt(job, { state: 'held', reason: 'auth', message: 'The account needs to be connected again.', verifyFirst: job.verifyFirst === 1 }, now));
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
      this.failed(job, error, 'prepare', undefined);
      return;
    }
    const content = getTargetContent(this.db, job.targetId);
    if (!content) return; // the post was deleted while its job waited; the job went with it
    if (job.kind === 'delete') await this.runDelete(job, link, content);
    else if (job.kind === 'native_schedule') await this.runNativeSync(job, link, content);
    else if (content.nativeScheduleId !== null) await this.runNativeCheck(job, link, content, content.nativeScheduleId);
    else await this.runPublish(job, link, content);
  }

  private async runPublish(claimed: JobRow, link: AccountLink, content: TargetContent): Promise<void> {
    let job = claimed;
    const { connector, ctx } = link;
    let media: MediaItem[] = [];
    if (content.mediaIds.length > 0) {
      try {
        if (!this.options.loadMedia) throw new Error('The media library is not available.');
        media = await this.options.loadMedia(content.mediaIds, { postId: content.postId, projectId: content.projectId });
      } catch (error) {
        this.emitChange(this.halt(job, { state: 'failed', reason: 'media_missing', message: messageOf(error), refund: 1 }, this.clock.now()));
        return;
      }
    }
    const request: PublishRequest = {
      text: content.text,
      media,
      idempotencyKey: job.idempotencyKey,
      ...(link.defaults?.linkPreview !== undefined ? { linkPreview: link.defaults.linkPreview } : {}),
      ...(link.defaults?.language ? { language: link.defaults.language } : {}),
    };

    if (job.verifyFirst === 1) {
      if (!connector.verify) {
        this.parkUnknown(job, 'The earlier attempt’s answer was lost and this network cannot be asked about it.', this.clock.now());
        return;
      }
      const startedAt = lastAttemptAt(this.db, job.id) ?? job.dueAt;
      let outcome: VerifyOutcome;
      try {
        outcome = await connector.verify(ctx, { idempotencyKey: job.idempotencyKey, startedAt, text: content.text });
      } catch (error) {
        this.failed(job, error, 'verify', connector);
        return;
      }
      this.logger.info('scheduler: verified', { jobId: job.id, network: job.network, found: outcome.found });
      const now = this.clock.now();
      if (outcome.found === true) {
        this.published(job, outcome.post, 'verify', content, connector);
        return;
      }
      if (outcome.found === 'unknown') {
        this.parkUnknown(job, 'The network could not tell whether the earlier attempt went out.', now);
        return;
      }
      // Definitely not there: the same request, with the same idempotency key, may go again.
      appendJournal(this.db, job, 'verified', now, { found: false });
      job = { ...job, verifyFirst: 0 };
      if (job.dueAt < now - job.lateGraceMinutes * 60_000) {
        this.emitChange(this.halt(job, { state: 'needs_attention', reason: 'missed', message: null }, now));
        return;
      }
    }

    startAttempt(this.db, job, this.clock.now(), job.attempts);
    let post: PublishedPost;
    try {
      post = await connector.publish(ctx, request);
    } catch (error) {
      this.failed(job, error, 'publish', connector);
      return;
    }
    this.published(job, post, 'publish', content, connector);
  }

  // --- native handoff ----------------------------------------------------------------------------

  /** Queues a handoff for posts due far enough ahead (at most every 15 s, and on every wake). */
  private sweepHandoffs(now: number): void {
    if (!this.native || now - this.lastHandoffSweep < HANDOFF_SWEEP_MS) return;
    this.lastHandoffSweep = now;
    const networks = networkIds.filter(
      (network) => this.options.connectorFor(network)?.scheduleNative !== undefined,
    );
    if (networks.length === 0) return;
    const targets = nativeHandoffCandidates(this.db, now, {
      leadMs: this.native.leadMs,
      networks,
      retryFailedAfterMs: this.native.retryFailedAfterMs,
      limit: HANDOFF_BATCH,
    });
    if (targets.length === 0) return;
    this.db.transaction(() => {
      for (const targetId of targets) queueNativeSync(this.db, targetId, now, this.newId);
    })();
  }

  /**
   * Brings the network's copy in line with the target: hands it over, moves it, or takes it back
   * when the post is no longer due far enough ahead (unscheduled, published now, moved close).
   * The request carries this job's idempotency key, so a retry after a lost answer is recognised.
   */
  private async runNativeSync(job: JobRow, link: AccountLink, content: TargetContent): Promise<void> {
    const { connector, ctx } = link;
    const native = this.native ?? { minLeadMs: 6 * 60_000, checkDelayMs: 60_000 };
    const now = this.clock.now();
    const publish = liveJobOfTarget(this.db, job.targetId);
    const wanted = publish !== undefined && publish.state === 'pending' && publish.dueAt - now >= native.minLeadMs;
    const nativeId = content.nativeScheduleId;

    if (!wanted && nativeId === null) {
      // Nothing is held by the network and nothing should be: the local job keeps the post.
      recordNativeCleared(this.db, job, 'native_cancelled', null, now);
      return;
    }
    if (!wanted && nativeId !== null) {
      startAttempt(this.db, job, now, job.attempts);
      try {
        if (!connector.cancelNative) throw new ConnectorError('permanent', 'This network cannot take back a scheduled post.');
        await connector.cancelNative(ctx, nativeId);
      } catch (error) {
        await this.nativeTakeBackFailed(job, link, content, nativeId, error);
        return;
      }
      const doneAt = this.clock.now();
      recordNativeCleared(this.db, job, 'native_cancelled', null, doneAt);
      this.emitChange(changeOf(job, 'native_cleared', null, null, null, doneAt));
      return;
    }

    let media: MediaItem[] = [];
    if (content.mediaIds.length > 0) {
      try {
        if (!this.options.loadMedia) throw new Error('The media library is not available.');
        media = await this.options.loadMedia(content.mediaIds, { postId: content.postId, projectId: content.projectId });
      } catch (error) {
        this.nativeRefused(job, messageOf(error));
        return;
      }
    }
    const dueAt = (publish as JobRow).dueAt;
    const request: PublishRequest = {
      text: content.text,
      media,
      idempotencyKey: job.idempotencyKey,
      ...(link.defaults?.linkPreview !== undefined ? { linkPreview: link.defaults.linkPreview } : {}),
      ...(link.defaults?.language ? { language: link.defaults.language } : {}),
    };
    startAttempt(this.db, job, now, job.attempts);
    let schedule: NativeSchedule;
    try {
      if (nativeId === null) schedule = await (connector.scheduleNative as NonNullable<Connector['scheduleNative']>)(ctx, request, dueAt);
      else if (connector.updateNative) schedule = await connector.updateNative(ctx, nativeId, request, dueAt);
      else throw new ConnectorError('permanent', 'This network cannot change a scheduled post.');
    } catch (error) {
      const kind = error instanceof ConnectorError ? error.kind : 'transient';
      // An unreadable 2xx is 'permanent' yet may have scheduled it there: only a proven refusal lets the local job publish.
      if ((kind === 'validation' || kind === 'permanent') && nativeId === null && !mayHaveArrived(error)) {
        // Refused outright: nothing is scheduled there, and the local job publishes as before.
        this.nativeRefused(job, error instanceof ConnectorError ? (error.networkMessage ?? error.message) : messageOf(error));
        return;
      }
      if ((kind === 'validation' || kind === 'permanent') && nativeId !== null) {
        await this.nativeTakeBackFailed(job, link, content, nativeId, error);
        return;
      }
      // May have reached the network: the same key again is answered with the same schedule.
      this.failed(job, error, 'publish', connector);
      this.parkIfHandoffLost(job);
      return;
    }
    const doneAt = this.clock.now();
    recordNativeScheduled(
      this.db,
      job,
      schedule,
      nativeId === null ? 'native_scheduled' : 'native_updated',
      { dueAt, text: content.text },
      schedule.scheduledAt + native.checkDelayMs,
      doneAt,
    );
    this.emitChange(changeOf(job, 'native_scheduled', null, null, null, doneAt));
  }

  /** The handoff was refused: the local job keeps the post, and the history says why. */
  private nativeRefused(job: JobRow, message: string): void {
    const now = this.clock.now();
    recordNativeCleared(this.db, job, 'native_failed', message, now);
    this.emitChange(changeOf(job, 'failed', 'permanent', message, null, now));
  }

  /** A sync that gave up after lost answers may have left the post scheduled there: the user checks. */
  private parkIfHandoffLost(job: JobRow): void {
    const after = this.db.prepare(`SELECT state FROM jobs WHERE id = ?`).get(job.id) as { state: string } | undefined;
    if (after?.state !== 'failed') return;
    const publish = liveJobOfTarget(this.db, job.targetId);
    if (publish && publish.state === 'pending') {
      this.parkUnknown(publish, 'Handing this post to the network’s scheduler may have worked; check its scheduled posts there.', this.clock.now());
    }
  }

  /**
   * Moving or taking back what the network holds failed for good (404: it already went out or was
   * removed there): ask the network what became of it, and never send it from here blindly.
   */
  private async nativeTakeBackFailed(job: JobRow, link: AccountLink, content: TargetContent, nativeId: string, error: unknown): Promise<void> {
    const kind = error instanceof ConnectorError ? error.kind : 'transient';
    if (kind !== 'validation' && kind !== 'permanent') {
      this.failed(job, error, 'delete', link.connector);
      return;
    }
    const now = this.clock.now();
    const publish = liveJobOfTarget(this.db, job.targetId);
    let state: NativeState | undefined;
    try {
      state = await link.connector.checkNative?.(link.ctx, nativeId, { text: content.text, scheduledAt: publish?.dueAt ?? now });
    } catch {
      state = undefined;
    }
    const message = error instanceof ConnectorError ? (error.networkMessage ?? error.message) : messageOf(error);
    if (state?.state === 'published' && publish && publish.state !== 'running') {
      recordNativeCleared(this.db, job, 'native_failed', message, this.clock.now());
      this.published(publish, state.post, 'verify', content, link.connector);
      return;
    }
    // Still scheduled there, or gone without a trace: the user decides (on the post when it waits, else here); never sent twice.
    const waiting = publish !== undefined && publish.state === 'pending';
    this.emitChange(this.halt(job, { state: waiting ? 'failed' : 'needs_attention', reason: 'unknown_outcome', message }, this.clock.now()));
    if (waiting) this.parkUnknown(publish, message, this.clock.now());
  }

  /** After its time, a handed-over post is looked up: published (with its link), still waiting, or missing. */
  private async runNativeCheck(job: JobRow, link: AccountLink, content: TargetContent, nativeId: string): Promise<void> {
    const { connector, ctx } = link;
    if (!connector.checkNative) {
      this.parkUnknown(job, 'The post was handed to the network, which cannot be asked whether it went out.', this.clock.now());
      return;
    }
    let state: NativeState;
    try {
      state = await connector.checkNative(ctx, nativeId, { text: content.text, scheduledAt: job.dueAt });
    } catch (error) {
      this.failed(job, error, 'verify', connector);
      return;
    }
    this.logger.info('scheduler: verified a handed-over post', { jobId: job.id, network: job.network, state: state.state });
    const now = this.clock.now();
    const checkDelay = this.native?.checkDelayMs ?? 60_000;
    if (state.state === 'published') {
      this.published(job, state.post, 'verify', content, connector);
    } else if (state.state === 'scheduled') {
      // The server has not fired yet (its clock, its queue): look again shortly, no attempt spent.
      this.retry(job, { nextAttemptAt: Math.max(now, state.schedule.scheduledAt) + checkDelay, refund: 1, verifyFirst: false, event: 'retry', message: null }, now);
    } else {
      this.parkUnknown(job, 'The network no longer has this scheduled post, and it was not found among the account’s posts.', now);
    }
  }

  private async runDelete(job: JobRow, link: AccountLink, content: TargetContent): Promise<void> {
    const { connector, ctx } = link;
    const now = this.clock.now();
    if (!content.remoteId) {
      this.emitChange(this.halt(job, { state: 'failed', reason: 'permanent', message: 'There is no published post to delete.' }, now));
      return;
    }
    const window = connector.deleteWindowMs;
    if (window !== undefined && content.publishedAt !== null && now >= content.publishedAt + window) {
      const message = `${networkName(job.network)} allows deleting a post only within ${formatHours(window)} of publishing; delete it by hand.`;
      this.emitChange(this.halt(job, { state: 'needs_attention', reason: 'delete_window', message }, now));
      return;
    }
    startAttempt(this.db, job, now, job.attempts);
    try {
      await connector.delete(ctx, content.remoteId);
    } catch (error) {
      this.failed(job, error, 'delete', connector);
      return;
    }
    const doneAt = this.clock.now();
    recordDeleted(this.db, job, doneAt);
    this.emitChange(changeOf(job, 'deleted', null, null, null, doneAt));
  }

  private published(job: JobRow, post: PublishedPost, via: 'publish' | 'verify', content: TargetContent, connector: Connector): void {
    const now = this.clock.now();
    let autoDelete: AutoDelete = { kind: 'none' };
    const delay = content.autoDeleteAfterMs;
    if (delay !== null && delay > 0) {
      const window = connector.deleteWindowMs;
      if (window !== undefined && delay >= window) {
        autoDelete = {
          kind: 'refused',
          message: `${networkName(job.network)} allows deleting a post only within ${formatHours(window)} of publishing, so this post will not disappear after ${formatHours(delay)}; delete it by hand.`,
        };
      } else {
        autoDelete = { kind: 'schedule', jobId: this.newId(), idempotencyKey: this.newId(), deleteAt: post.publishedAt + delay };
      }
    }
    recordPublished(this.db, job, post, now, via, autoDelete);
    this.emitChange(changeOf(job, 'published', null, autoDelete.kind === 'refused' ? autoDelete.message : null, httpsLinkOrNull(post.url), now));
  }

  /** Every failure ends here, by its kind and by whether the request may have reached the network. */
  private failed(job: JobRow, error: unknown, phase: Phase, connector: Connector | undefined): void {
    const now = this.clock.now();
    const failure = error instanceof ConnectorError ? error : undefined;
    const kind = failure?.kind ?? 'transient';
    const message = failure?.networkMessage ?? messageOf(error);
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

    if (phase === 'publish' && mayHaveArrived(error)) {
      this.unknownOutcome(job, message, now, connector, failure?.retryAfterMs);
      return;
    }
    switch (kind) {
      case 'offline':
        this.offlineUntil = now + this.offlineProbeMs;
        this.wasOffline = true;
        this.retry(job, { nextAttemptAt: now, refund: 1, verifyFirst: verifying, event: 'offline', message }, now);
        return;
      case 'rate_limited': {
        const wait = Math.max(0, failure?.retryAfterMs ?? this.policy.rateLimitedMs);
        this.budget.block(job.accountId, now + wait);
        this.retry(job, { nextAttemptAt: now + wait, refund: 1, verifyFirst: verifying, event: 'rate_limited', message, detail: { retryAfterMs: wait } }, now);
        return;
      }
      case 'auth':
        this.holdForReconnect(job, message, now, verifying);
        return;
      case 'validation':
      case 'permanent':
        if (verifying) {
          this.parkUnknown(job, message, now);
          return;
        }
        this.emitChange(this.halt(job, { state: 'failed', reason: kind, message }, now));
        return;
      case 'transient':
        if (job.attempts >= this.policy.maxAttempts) {
          if (verifying) this.parkUnknown(job, message, now);
          else this.emitChange(this.halt(job, { state: 'failed', reason: 'max_attempts', message }, now));
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
          },
          now,
        );
        return;
    }
  }

  /** The request may have reached the network and its answer is lost. */
  private unknownOutcome(job: JobRow, message: string, now: number, connector: Connector | undefined, retryAfterMs?: number): void {
    appendJournal(this.db, job, 'unknown', now, { message });
    if (job.kind !== 'publish') {
      // Deleting twice is harmless (a post already gone counts as deleted), so a delete simply retries.
      this.retryOrFail(job, message, now, retryAfterMs);
      return;
    }
    if (!connector?.verify) {
      this.parkUnknown(job, message, now);
      return;
    }
    if (job.attempts >= this.policy.maxAttempts) {
      this.parkUnknown(job, message, now);
      return;
    }
    this.retry(job, { nextAttemptAt: now + this.retryDelay(job.attempts, retryAfterMs), refund: 0, verifyFirst: true, event: 'retry', message }, now);
  }

  private retryOrFail(job: JobRow, message: string, now: number, retryAfterMs?: number): void {
    if (job.attempts >= this.policy.maxAttempts) {
      this.emitChange(this.halt(job, { state: 'failed', reason: 'max_attempts', message }, now));
      return;
    }
    this.retry(job, { nextAttemptAt: now + this.retryDelay(job.attempts, retryAfterMs), refund: 0, verifyFirst: false, event: 'retry', message }, now);
  }

  private parkUnknown(job: JobRow, message: string, now: number): void {
    this.emitChange(this.halt(job, { state: 'needs_attention', reason: 'unknown_outcome', message, verifyFirst: true }, now));
  }

  private holdForReconnect(job: JobRow, message: string, now: number, verifyFirst: boolean): void {
    const changes = [this.halt(job, { state: 'held', reason: 'auth', message, refund: 1, verifyFirst }, now)];
    for (const held of holdAccount(this.db, job.accountId, message, now)) {
      changes.push(changeOf(held, 'held', 'auth', message, null, now));
    }
    for (const change of changes) this.emitChange(change);
    this.options.onReconnectNeeded?.(job.accountId, message);
  }

  private retryDelay(attempts: number, retryAfterMs: number | undefined): number {
    return Math.max(retryAfterMs ?? 0, backoffMs(this.policy, attempts, this.random));
  }

  private retry(job: JobRow, retry: Retry, now: number): void {
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
    this.emitChange(changeOf(job, 'retrying', null, retry.message, null, now));
  }

  private halt(job: JobRow, stop: Stop, now: number): SchedulerChange {
    recordStop(this.db, job, stop, now);
    return changeOf(job, stop.state, stop.reason, stop.message, null, now);
  }

  // --- recovery and the missed-window policy ----------------------------------------------------

  /** Running jobs whose process is gone (or whose lease ran out) and that are not ours in flight. */
  private recover(jobs: readonly JobRow[], now: number): void {
    for (const job of jobs) {
      if (this.inFlight.has(job.id)) continue;
      const last = lastJournalLine(this.db, job.id);
      this.logger.info('scheduler: recovering a job a stopped run left', { jobId: job.id, job: job.kind, network: job.network, sent: last?.event === 'attempt' });
      if (last?.event === 'attempt') {
        this.unknownOutcome(job, 'Outpost stopped while this was being sent, so its answer was lost.', now, this.options.connectorFor(job.network));
        continue;
      }
      // Claimed but never sent: nothing reached the network, so the attempt does not count.
      recordRetry(this.db, job, { nextAttemptAt: now, refund: 1, verifyFirst: job.verifyFirst === 1, event: 'recovered', message: null }, now);
    }
  }

  /** Overdue publish jobs beyond their project's grace wait for the user: "publish now" or "reschedule". */
  private sweepMissed(now: number): void {
    for (const job of overduePublishJobs(this.db, now)) {
      this.emitChange(this.halt(job, { state: 'needs_attention', reason: 'missed', message: null }, now));
    }
  }

  private emitChange(change: SchedulerChange): void {
    try {
      this.options.emit?.('publishing.changed', change);
    } catch (error) {
      this.log('an event listener failed', error);
    }
  }
}

function changeOf(
  job: JobRow,
  state: SchedulerChange['state'],
  reason: string | null,
  message: string | null,
  url: string | null,
  at: number,
): SchedulerChange {
  return { postId: job.postId, targetId: job.targetId, jobId: job.id, job: job.kind, state, reason, message, url, at };
}

const quietLogger: Pick<Logger, 'debug' | 'info' | 'warn'> = { debug: () => {}, info: () => {}, warn: () => {} };

function iso(ms: number): string {
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

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

const networkNames: Partial<Record<NetworkId, string>> = { telegram: 'Telegram', mastodon: 'Mastodon', bluesky: 'Bluesky' };

function networkName(network: NetworkId): string {
  return networkNames[network] ?? network;
}

function formatHours(ms: number): string {
  const hours = ms / 3_600_000;
  return `${Number.isInteger(hours) ? hours : hours.toFixed(1)} h`;
}
