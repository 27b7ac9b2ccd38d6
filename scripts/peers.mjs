#!/usr/bin/env node
// Real servers the integration tests talk to, each in its own folder under tests/peers/ with its
// own package.json and lockfile. Today: Bluesky's PDS from @atproto/dev-env, which needs Node 22
// (pinned in the peer's lockfile as the npm package node-<platform>-<arch>).
//
//   node scripts/peers.mjs install   installs what is missing (fast no-op when up to date)
//   node scripts/peers.mjs status    says what is installed, exit 1 when something is missing
//
// Native modules in the peer (better-sqlite3) compile against that Node 22's headers; nothing is
// downloaded from anywhere but the npm registry (tests/peers/bluesky/.prebuild-installrc).
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const blueskyPeerDir = join(root, 'tests', 'peers', 'bluesky');
/** Written after a good install; tests/support/bluesky-pds.ts reads the Node 22 path from it. */
export const blueskyPeerMarker = join(blueskyPeerDir, 'node_modules', '.outpost-peer.json');
const NODE_MAJOR = 22;
const LOCK_STALE_MS = 20 * 60 * 1000;

function inputsHash(dir) {
  const hash = createHash('sha256');
  for (const file of ['package.json', 'package-lock.json', '.prebuild-installrc']) {
    hash.update(file).update(readFileSync(join(dir, file)));
  }
  return hash.digest('hex');
}

/** The Node 22 the peer runs on: OUTPOST_NODE22 if set, else the one its lockfile installs. */
function nodeFor(dir) {
  const override = process.env.OUTPOST_NODE22;
  if (override) return { bin: resolve(override), home: resolve(dirname(override), '..') };
  const platform = process.platform === 'win32' ? 'win' : process.platform;
  const home = join(dir, 'node_modules', `node-${platform}-${process.arch}`);
  const bin = join(home, 'bin', process.platform === 'win32' ? 'node.exe' : 'node');
  return { bin, home };
}

function probe(node, dir) {
  const result = spawnSync(
    node.bin,
    ['-e', "new (require('better-sqlite3'))(':memory:').close(); process.stdout.write(process.version)"],
    { cwd: dir, encoding: 'utf8' },
  );
  const version = result.stdout?.trim() ?? '';
  const major = Number(/^v(\d+)/.exec(version)?.[1] ?? 0);
  return { ok: result.status === 0 && major >= NODE_MAJOR, version, detail: (result.stderr || result.error?.message || '').trim() };
}

function readMarker() {
  try {
    return JSON.parse(readFileSync(blueskyPeerMarker, 'utf8'));
  } catch {
    return null;
  }
}

/** Up to date = the marker matches the folder's inputs and its Node loads the native module. */
export function blueskyPeerStatus() {
  const marker = readMarker();
  if (!marker) return { ok: false, reason: 'not installed' };
  if (marker.inputs !== inputsHash(blueskyPeerDir)) return { ok: false, reason: 'package files changed since the install' };
  const check = probe({ bin: marker.node }, blueskyPeerDir);
  if (!check.ok) return { ok: false, reason: `its Node does not load better-sqlite3 (${check.detail || check.version})` };
  return { ok: true, node: marker.node, version: check.version };
}

/** One install at a time per folder (CI, `npm test` and a developer may overlap). */
function withLock(dir, work) {
  const lock = join(tmpdir(), `outpost-peer-${createHash('sha256').update(dir).digest('hex').slice(0, 16)}.lock`);
  const started = Date.now();
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
      if (Date.now() - statSync(lock).mtimeMs > LOCK_STALE_MS) {
        rmSync(lock, { recursive: true, force: true });
        continue;
      }
      if (Date.now() - started > LOCK_STALE_MS) throw new Error(`Another install holds ${lock}; remove it if none is running.`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1000);
    }
  }
  try {
    return work();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

export function installBlueskyPeer() {
  const before = blueskyPeerStatus();
  if (before.ok) {
    console.log(`Bluesky peer: up to date (Node ${before.version}).`);
    return;
  }
  withLock(blueskyPeerDir, () => {
    if (blueskyPeerStatus().ok) return;
    console.log(`Bluesky peer: installing (${before.reason}); compiles better-sqlite3 for Node ${NODE_MAJOR}, a few minutes.`);
    const started = Date.now();
    const node = nodeFor(blueskyPeerDir);
    rmSync(blueskyPeerMarker, { force: true });
    // The Node 22 package is unpacked before any install script runs, so its headers are there in time.
    const result = spawnSync('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], {
      cwd: blueskyPeerDir,
      stdio: 'inherit',
      shell: process.platform === 'win32',
      env: { ...process.env, npm_config_nodedir: node.home, npm_config_build_from_source: '' },
    });
    if (result.status !== 0) {
      throw new Error(`npm ci in ${blueskyPeerDir} failed; python3, make and a C++ compiler are needed to build better-sqlite3.`);
    }
    if (!existsSync(node.bin)) {
      throw new Error(
        `No Node ${NODE_MAJOR} for ${process.platform}-${process.arch} in the peer's lockfile; set OUTPOST_NODE22 to a Node ${NODE_MAJOR} binary.`,
      );
    }
    const check = probe(node, blueskyPeerDir);
    if (!check.ok) throw new Error(`The Bluesky peer installed but its Node cannot load better-sqlite3: ${check.detail || check.version}`);
    writeFileSync(blueskyPeerMarker, `${JSON.stringify({ inputs: inputsHash(blueskyPeerDir), node: node.bin, version: check.version }, null, 2)}\n`);
    console.log(`Bluesky peer: installed in ${((Date.now() - started) / 1000).toFixed(0)} s (Node ${check.version}).`);
  });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const command = process.argv[2];
  if (command === 'install') {
    try {
      installBlueskyPeer();
    } catch (error) {
      console.error(`✖ ${error.message}`);
      process.exit(1);
    }
  } else if (command === 'status') {
    const status = blueskyPeerStatus();
    console.log(status.ok ? `Bluesky peer: installed (Node ${status.version}, ${status.node}).` : `Bluesky peer: ${status.reason}.`);
    process.exit(status.ok ? 0 : 1);
  } else {
    console.error('Usage: node scripts/peers.mjs install|status');
    process.exit(2);
  }
}
