import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Benchmarks measure and record figures; they never fail on time (machines are noisy). */
export interface Figure {
  name: string;
  value: number;
  /** 'x' for a ratio of two figures of one run. */
  unit: 'ms' | 'MB' | 'x';
  target: number;
  /** 'higher' where more is better (a speed as a multiple of real time); the target is then a floor. */
  better?: 'lower' | 'higher';
  /** How the figure was taken, e.g. "median of 200 runs". */
  how: string;
}

const file = process.env.OUTPOST_BENCH_FILE ?? join(process.cwd(), 'bench-results', 'figures.jsonl');

export function recordFigure(figure: Figure): void {
  mkdirSync(dirname(file), { recursive: true });
  appendFileSync(file, `${JSON.stringify({ ...figure, at: new Date().toISOString() })}\n`);
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

/** Times `fn` `runs` times after `warmup` untimed runs; returns each run in ms. */
export function timeRuns(fn: () => void, runs: number, warmup = Math.ceil(runs / 10)): number[] {
  for (let i = 0; i < warmup; i++) fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    fn();
    times.push(performance.now() - start);
  }
  return times;
}
