import { networkIds, type NetworkId } from '../../core/networks/ids';
import { ConnectorError, type Connector, type MediaItem, type NativeSchedule, type NativeState } from '../../core/connector';
import type { Logger } from '../log/logger';
import type { Clock } from '../ports';
import type { Db } from '../store/database';
import { lastPublishDueAt, nativeHandoffCandidates, queueNativeSync, recordNativeCleared, recordNativeScheduled } from './handoff-repo';
import { jobState, liveJobOfTarget, startAttempt, type JobRow, type TargetContent } from './jobs-repo';
import { changeOf, messageOf, type JobOutcomes } from './outcomes';
import { mediaOf, publishRequest, type AccountLink, type MediaLoader } from './publish-request';
import { mayHaveArrived } from './retry';

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

const HANDOFF_SWEEP_MS = 15_000;
/** A lost handoff whose time has passed is replayed, only to learn its id, this far ahead: inside every network's window. */
const LOST_REPLAY_LEAD_MS = 30 * 60_000;
const HANDOFF_BATCH = 10;

export interface HandoffDeps {
  db: Db;
  clock: Clock;
  newId: () => string;
  logger: Pick<Logger, 'debug' | 'info' | 'warn'>;
  connectorFor(network: NetworkId): Connector | undefined;
  loadMedia: MediaLoader | undefined;
  outcomes: JobOutcomes;
  /** Off (undefined) unless the app asked for handoff; a sync job found anyway still runs with the defaults. */
  options: NativeHandoffOptions | undefined;
}

/**
 * Native handoff: posts due far enough ahead go to the network's own scheduler (Mastodon
 * scheduled_at…), so they go out with the laptop closed; moves, edits and cancels are synced, and
 * after its time the post is looked up there instead of being sent from here.
 */
export class NativeHandoff {
  private readonly db: Db;
  private readonly clock: Clock;
  private readonly newId: () => string;
  private readonly logger: Pick<Logger, 'debug' | 'info' | 'warn'>;
  private readonly outcomes: JobOutcomes;
  private readonly native: Required<NativeHandoffOptions> | undefined;
  private lastSweep = Number.NEGATIVE_INFINITY;

  constructor(private readonly deps: HandoffDeps) {
    this.db = deps.db;
    this.clock = deps.clock;
    this.newId = deps.newId;
    this.logger = deps.logger;
    this.outcomes = deps.outcomes;
    this.native = deps.options
      ? {
          leadMs: 10 * 60_000,
          minLeadMs: 6 * 60_000,
          checkDelayMs: 60_000,
          retryFailedAfterMs: 60 * 60_000,
          ...deps.options,
        }
      : undefined;
  }

  /** The next pass sweeps at once (jobs changed, or the computer woke). */
  sweepSoon(): void {
    this.lastSweep = Number.NEGATIVE_INFINITY;
  }

  /** Queues a handoff for posts due far enough ahead (at most every 15 s, and on every wake). */
  sweep(now: number): void {
    if (!this.native || now - this.lastSweep < HANDOFF_SWEEP_MS) return;
    this.lastSweep = now;
    const networks = networkIds.filter(
      (network) => this.deps.connectorFor(network)?.scheduleNative !== undefined,
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
  async runSync(job: JobRow, link: AccountLink, content: TargetContent): Promise<void> {
    const { connector, ctx } = link;
    const native = this.native ?? { minLeadMs: 6 * 60_000, checkDelayMs: 60_000 };
    const now = this.clock.now();
    const publish = liveJobOfTarget(this.db, job.targetId);
    const wanted = publish !== undefined && publish.state === 'pending' && publish.dueAt - now >= native.minLeadMs;
    const nativeId = content.nativeScheduleId;

    if (!wanted && nativeId === null) {
      if (job.verifyFirst === 1) {
        // The time the lost attempt asked for, so a network that matches by time (Facebook has no key) finds that copy.
        const asked = lastPublishDueAt(this.db, job.targetId);
        await this.takeBackLost(job, link, content, asked !== undefined && asked - now >= native.minLeadMs ? asked : now + Math.max(native.minLeadMs, LOST_REPLAY_LEAD_MS));
        return;
      }
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
        await this.takeBackFailed(job, link, content, nativeId, error);
        return;
      }
      const doneAt = this.clock.now();
      recordNativeCleared(this.db, job, 'native_cancelled', null, doneAt);
      this.outcomes.emitChange(changeOf(job, 'native_cleared', null, null, null, doneAt));
      return;
    }

    let media: MediaItem[];
    try {
      media = await mediaOf(this.deps.loadMedia, content);
    } catch (error) {
      this.refused(job, messageOf(error));
      return;
    }
    const dueAt = (publish as JobRow).dueAt;
    const request = publishRequest(link, content, job.idempotencyKey, media);
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
        this.refused(job, error instanceof ConnectorError ? (error.networkMessage ?? error.message) : messageOf(error));
        return;
      }
      if ((kind === 'validation' || kind === 'permanent') && nativeId !== null) {
        await this.takeBackFailed(job, link, content, nativeId, error);
        return;
      }
      // May have reached the network: the same key again is answered with the same schedule.
      this.outcomes.failed(job, error, 'publish', connector);
      this.parkIfLost(job);
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
    this.outcomes.emitChange(changeOf(job, 'native_scheduled', null, null, null, doneAt));
  }

  /** After its time, a handed-over post is looked up: published (with its link), still waiting, or missing. */
  async runCheck(job: JobRow, link: AccountLink, content: TargetContent, nativeId: string): Promise<void> {
    const { connector, ctx } = link;
    if (!connector.checkNative) {
      this.outcomes.parkUnknown(job, 'The post was handed to the network, which cannot be asked whether it went out.', this.clock.now());
      return;
    }
    let state: NativeState;
    try {
      state = await connector.checkNative(ctx, nativeId, { text: content.text, scheduledAt: job.dueAt });
    } catch (error) {
      this.outcomes.failed(job, error, 'verify', connector);
      return;
    }
    this.logger.info('scheduler: verified a handed-over post', { jobId: job.id, network: job.network, state: state.state });
    const now = this.clock.now();
    const checkDelay = this.native?.checkDelayMs ?? 60_000;
    if (state.state === 'published') {
      this.outcomes.published(job, state.post, 'verify', content, connector);
    } else if (state.state === 'scheduled') {
      // The server has not fired yet (its clock, its queue): look again shortly, no attempt spent.
      this.outcomes.retry(job, { nextAttemptAt: Math.max(now, state.schedule.scheduledAt) + checkDelay, refund: 1, verifyFirst: false, event: 'retry', message: null }, now);
    } else {
      this.outcomes.parkUnknown(job, 'The network no longer has this scheduled post, and it was not found among the account’s posts.', now);
    }
  }

  /**
   * The post came off the schedule (unscheduled, deleted) while an earlier handoff's answer was
   * lost: the network may hold a copy whose id we never heard. The same key again names it
   * (Mastodon's Idempotency-Key, VK's guid) — or makes it, when the first never arrived — and
   * the copy is then taken back, so nothing goes out from there.
   */
  private async takeBackLost(job: JobRow, link: AccountLink, content: TargetContent, replayAt: number): Promise<void> {
    const { connector, ctx } = link;
    startAttempt(this.db, job, this.clock.now(), job.attempts);
    try {
      if (!connector.scheduleNative || !connector.cancelNative) throw new ConnectorError('permanent', 'This network cannot take back a scheduled post.');
      const media = await mediaOf(this.deps.loadMedia, content);
      const schedule = await connector.scheduleNative(ctx, publishRequest(link, content, job.idempotencyKey, media), replayAt);
      await connector.cancelNative(ctx, schedule.nativeId);
    } catch (error) {
      const kind = error instanceof ConnectorError ? error.kind : 'transient';
      if (kind !== 'validation' && kind !== 'permanent') {
        // Still unsure: the same key is tried again later (verifyFirst stays set on a maybe-sent failure).
        this.outcomes.failed(job, error, 'publish', connector);
        return;
      }
      const message = `Handing this post to the network may have worked before it came off the schedule, and Outpost could not take it back (${messageOf(error)}); check the scheduled posts there.`;
      // verifyFirst kept: the post cannot be deleted here as if nothing were held there.
      this.outcomes.emitChange(this.outcomes.halt(job, { state: 'needs_attention', reason: 'unknown_outcome', message, verifyFirst: true }, this.clock.now()));
      return;
    }
    const doneAt = this.clock.now();
    recordNativeCleared(this.db, job, 'native_cancelled', null, doneAt);
    this.outcomes.emitChange(changeOf(job, 'native_cleared', null, null, null, doneAt));
  }

  /** The handoff was refused: the local job keeps the post, and the history says why. */
  private refused(job: JobRow, message: string): void {
    const now = this.clock.now();
    recordNativeCleared(this.db, job, 'native_failed', message, now);
    this.outcomes.emitChange(changeOf(job, 'failed', 'permanent', message, null, now));
  }

  /** A sync that gave up after lost answers may have left the post scheduled there: the user checks. */
  private parkIfLost(job: JobRow): void {
    if (jobState(this.db, job.id) !== 'failed') return;
    const publish = liveJobOfTarget(this.db, job.targetId);
    if (publish && publish.state === 'pending') {
      this.outcomes.parkUnknown(publish, 'Handing this post to the network’s scheduler may have worked; check its scheduled posts there.', this.clock.now());
    }
  }

  /**
   * Moving or taking back what the network holds failed for good (404: it already went out or was
   * removed there): ask the network what became of it, and never send it from here blindly.
   */
  private async takeBackFailed(job: JobRow, link: AccountLink, content: TargetContent, nativeId: string, error: unknown): Promise<void> {
    const kind = error instanceof ConnectorError ? error.kind : 'transient';
    if (kind !== 'validation' && kind !== 'permanent') {
      this.outcomes.failed(job, error, 'delete', link.connector);
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
      this.outcomes.published(publish, state.post, 'verify', content, link.connector);
      return;
    }
    // Still scheduled there, or gone without a trace: the user decides (on the post when it waits, else here); never sent twice.
    const waiting = publish !== undefined && publish.state === 'pending';
    this.outcomes.emitChange(this.outcomes.halt(job, { state: waiting ? 'failed' : 'needs_attention', reason: 'unknown_outcome', message }, this.clock.now()));
    if (waiting) this.outcomes.parkUnknown(publish, message, this.clock.now());
  }
}
