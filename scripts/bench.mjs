#!/usr/bin/env node
// `npm run bench`: builds, runs every benchmark (tests/bench), prints the figures against their
// targets and saves them to bench-results/. Targets are reported, never enforced: timing is noisy.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromiumHint, findChromium } from './preflight.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'bench-results');
const figuresFile = join(outDir, 'figures.jsonl');
mkdirSync(outDir, { recursive: true });
rmSync(figuresFile, { force: true });

const chromium = findChromium();
if (!chromium) console.warn(`Chromium not found: browser benchmarks will fail. ${chromiumHint()}`);

const run = (command, args, env = {}) =>
  spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env }, shell: process.platform === 'win32' });

if (run(process.execPath, [join(root, 'scripts/native.mjs'), 'node']).status !== 0) process.exit(1);
if (run('npx', ['electron-vite', 'build', '--logLevel', 'warn']).status !== 0) process.exit(1);
const result = run('npx', ['vitest', 'run', '--config', 'vitest.bench.mts', ...process.argv.slice(2)], {
  OUTPOST_BENCH_FILE: figuresFile,
  OUTPOST_CHROMIUM: chromium ?? '',
});

const figures = existsSync(figuresFile)
  ? readFileSync(figuresFile, 'utf8').trim().split('\n').filter(Boolean).map((line) => JSON.parse(line))
  : [];
console.log('\nfigure                              measured      target  how');
for (const f of figures) {
  const higher = f.better === 'higher';
  const mark = (higher ? f.value >= f.target : f.value <= f.target) ? '✓' : higher ? '✗ under' : '✗ over';
  console.log(
    `${f.name.padEnd(34)} ${`${f.value.toFixed(f.value < 10 ? 3 : 1)} ${f.unit}`.padStart(11)} ${`${higher ? '≥' : '≤'} ${f.target} ${f.unit}`.padStart(11)}  ${mark}  ${f.how}`,
  );
}
const summary = { at: new Date().toISOString(), node: process.version, figures };
writeFileSync(join(outDir, 'latest.json'), `${JSON.stringify(summary, null, 2)}\n`);
console.log(`\nSaved to ${join('bench-results', 'latest.json')}`);
process.exit(result.status ?? 1);
