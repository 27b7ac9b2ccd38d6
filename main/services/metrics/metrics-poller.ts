import { ConnectorError, type Connector } from '../../core/connector';
import { DEFAULT_METRICS_SPACING_MS, METRICS_DAILY_UNTIL_MS, metricsRetryAt, metricsSpacingMs, nextMetricsAt } from '../../core/metrics';
import type { NetworkId } from '../../core/networks/ids';
import type { Logger } from '../log/logger';
import type { Clock } from '../ports';
import type { AccountLink } from '../scheduler/publish-request';
import { systemTimers, type Timers } from '../scheduler/timers';
import type { Db } from '../store/database';
import { dueReadings, recordReading, recordReadingFailure, type DueReading } from './metrics-repo';

/**
 * Reads published posts' public numbers in the background (issue 14 item 3), on the schedule of
 * core/metrics.ts, one account at a time and spaced inside each network's read limits, only while
 * online. It shares nothing with the publishing engine but the database and the accounts' keys, so
 * a slow or failing network here never holds a post back.
 */

export interface MetricsPollerOptions {
  db: Db;
  clock: Clock;
  timers?: Timers;
  logger?: Pick<Logger, 'info' | 'warn'>;
  connectorFor(network: NetworkId): Connector | undefined;
  openAccount(accountId: string): Promise<AccountLink>;
  /** The scheduler's view of the network: no readings while offline. */
  isOnline(): boolean;
  /** How often it looks for due readings (default a minute). */
  everyMs?: number;
  /** The most readings of one pass (default 50). */
  batch?: number;
  /** Waits between two readings of one account; tests pass one that moves a fake clock. */
  sleep?(ms: number): Promise<void>;
}

export interface MetricsPoller {
  start(): void;
  stop(): Promise<void>;
  /** One pass now; resolves with the number of readings kept. */
  runOnce(): Promise<number>;
}

export function createMetricsPoller(options: MetricsPollerOptions): MetricsPoller {
  const { db, clock } = options;
  const timers = options.timers ?? systemTimers;
  const everyMs = options.everyMs ?? 60_000;
  const batch = options.batch ?? 50;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => timers.setTimeout(resolve, ms)));
  /** When each account was last read, and until when a network asked to be left alone. */
  const lastReadAt = new Map<string, number>();
  const pausedUntil = new Map<string, number>();
  let timer: unknown = null;
  let running: Promise<number> | null = null;
  let stopped = true;
  /** Set by stop(): a pass under way ends after its current reading. */
  let halted = false;

  async function pass(): Promise<number> {
    let kept = 0;
    const now = clock.now();
    const due = dueReadings(db, now, now - METRICS_DAILY_UNTIL_MS - 24 * 60 * 60_000, batch);
    for (const reading of due) {
      if (halted) break;
      if (!options.isOnline()) break;
      if ((pausedUntil.get(reading.accountId) ?? 0) > clock.now()) continue;
      const spacing = metricsSpacingMs[reading.network] ?? DEFAULT_METRICS_SPACING_MS;
      const wait = (lastReadAt.get(reading.accountId) ?? -Infinity) + spacing - clock.now();
      if (wait > 0) await sleep(wait);
      if (await read(reading)) kept += 1;
    }
    return kept;
  }

  /** One reading; true when numbers were kept. */
  async function read(reading: DueReading): Promise<boolean> {
    const connector = options.connectorFor(reading.network);
    if (!connector?.metrics) {
      recordReadingFailure(db, reading.targetId, null, 0, `${reading.network} gives no numbers to apps.`);
      return false;
    }
    lastReadAt.set(reading.accountId, clock.now());
    try {
      const link = await options.openAccount(reading.accountId);
      const metrics = await connector.metrics(link.ctx, reading.remoteId);
      const at = clock.now();
      if (metrics === 'gone') {
        recordReadingFailure(db, reading.targetId, null, 0, 'The post is no longer on the network.');
        return false;
      }
      recordReading(db, reading.targetId, at, metrics, nextMetricsAt(reading.publishedAt, at));
      return true;
    } catch (error) {
      return failed(reading, error);
    }
  }

  function failed(reading: DueReading, error: unknown): false {
    const at = clock.now();
    const message = error instanceof Error ? error.message : String(error);
    if (error instanceof ConnectorError && (error.kind === 'rate_limited' || error.kind === 'offline')) {
      // Not the post's fault: the account waits (a rate limit) or the pass ends (offline), and nothing counts as a failure.
      pausedUntil.set(reading.accountId, at + (error.retryAfterMs ?? (error.kind === 'offline' ? 0 : 15 * 60_000)));
      recordReadingFailure(db, reading.targetId, at + Math.max(error.retryAfterMs ?? 0, 60_000), reading.failures, message);
      return false;
    }
    const failures = reading.failures + 1;
    options.logger?.warn('metrics: a reading failed', { targetId: reading.targetId, network: reading.network, failures, message });
    recordReadingFailure(db, reading.targetId, metricsRetryAt(at, failures), failures, message);
    return false;
  }

  function schedule(): void {
    if (stopped) return;
    timer = timers.setTimeout(() => {
      void runOnce().finally(schedule);
    }, everyMs);
  }

  function runOnce(): Promise<number> {
    running ??= pass()
      .catch((error: unknown) => {
        options.logger?.warn('metrics: a pass failed', { message: error instanceof Error ? error.message : String(error) });
        return 0;
      })
      .finally(() => {
        running = null;
      });
    return running;
  }

  return {
    start() {
      if (!stopped) return;
      stopped = false;
      halted = false;
      schedule();
    },
    async stop() {
      stopped = true;
      halted = true;
      if (timer !== null) timers.clearTimeout(timer);
      timer = null;
      await running;
    },
    runOnce,
  };
}
