import { unawaited } from '../../platform/unawaited';

/** What one save attempt came to: written, worth retrying (host unreachable), or stopped for the user to decide. */
export type SaveOutcome = 'saved' | 'retry' | 'stop';

export interface AutosaveOptions {
  /** Quiet time after the last edit before saving; the brief is "within a second". */
  delayMs: number;
  save(): Promise<SaveOutcome>;
  /** Waits between retries while the host is unreachable; the last one repeats. */
  retryDelaysMs?: readonly number[];
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
}

/**
 * Debounced saving with at most one save in flight: edits during a save are saved right after
 * it, a failed save is retried with backoff, and `flush` saves now (on blur, page hide). The
 * save itself decides what to send, so nothing typed meanwhile can be lost or sent twice.
 */
export class Autosaver {
  private dirty = false;
  private stopped = false;
  private inFlight: Promise<void> | null = null;
  private again = false;
  private timer: unknown = null;
  private failures = 0;
  private readonly setTimer: (fn: () => void, ms: number) => unknown;
  private readonly clearTimer: (handle: unknown) => void;

  constructor(private readonly options: AutosaveOptions) {
    this.setTimer = options.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
    this.clearTimer = options.clearTimer ?? ((handle) => clearTimeout(handle as ReturnType<typeof setTimeout>));
  }

  get pending(): boolean {
    return this.dirty || this.inFlight !== null;
  }

  /** An edit happened: save once the user pauses. */
  touch(): void {
    this.dirty = true;
    if (this.stopped) return;
    this.arm(this.options.delayMs);
  }

  /** Saves now if anything is unsaved; resolves when what was there is written (or failed). */
  async flush(): Promise<void> {
    if (this.stopped) return;
    this.disarm();
    if (this.inFlight) {
      this.again = true;
      await this.inFlight;
      if (this.inFlight) await this.inFlight;
      return;
    }
    if (this.dirty) await this.run();
  }

  /** After the user settled a conflict: saving goes on. */
  resume(): void {
    this.stopped = false;
    this.failures = 0;
    if (this.dirty) this.arm(0);
  }

  /** Another post opened: forget this one's pending edits (they were flushed first). */
  dispose(): void {
    this.disarm();
    this.stopped = true;
  }

  private arm(ms: number): void {
    this.disarm();
    this.timer = this.setTimer(() => {
      this.timer = null;
      if (this.inFlight) this.again = true;
      else unawaited(this.run(), 'Autosave');
    }, ms);
  }

  private disarm(): void {
    if (this.timer !== null) this.clearTimer(this.timer);
    this.timer = null;
  }

  private run(): Promise<void> {
    this.dirty = false;
    this.again = false;
    const attempt = (async () => {
      let outcome: SaveOutcome;
      try {
        outcome = await this.options.save();
      } catch {
        outcome = 'retry';
      }
      this.inFlight = null;
      if (outcome === 'saved') {
        this.failures = 0;
        if (this.again && this.dirty && !this.stopped) await this.run();
        return;
      }
      this.dirty = true;
      if (outcome === 'stop') {
        this.stopped = true;
        return;
      }
      const delays = this.options.retryDelaysMs ?? [1000, 2000, 4000, 8000];
      const delay = delays[Math.min(this.failures, delays.length - 1)] ?? 8000;
      this.failures++;
      if (!this.stopped) this.arm(delay);
    })();
    this.inFlight = attempt;
    return attempt;
  }
}
