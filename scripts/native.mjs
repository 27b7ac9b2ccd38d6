#!/usr/bin/env node
// Native modules are built for one runtime at a time: Node (tests, browser host) or Electron (the app).
// `node scripts/native.mjs node|electron` makes sure better-sqlite3 is built for the one about to run.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const marker = join(root, 'node_modules', '.outpost-native-runtime');
const target = process.argv[2];
const require = createRequire(join(root, 'package.json'));

function run(command, args) {
  console.log(`> ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

function loadsInNode() {
  const probe = spawnSync(process.execPath, ['-e', "new (require('better-sqlite3'))(':memory:').close()"], {
    cwd: root,
    encoding: 'utf8',
  });
  return { ok: probe.status === 0, stderr: probe.stderr };
}

function electronVersion() {
  return JSON.parse(readFileSync(require.resolve('electron/package.json'), 'utf8')).version;
}

const current = existsSync(marker) ? readFileSync(marker, 'utf8').trim() : '';

if (target === 'node') {
  const first = loadsInNode();
  if (!first.ok) {
    console.log(`better-sqlite3 is not built for Node ${process.version} (${current || 'unknown build'}); rebuilding it for Node.`);
    run('npm', ['rebuild', 'better-sqlite3']);
    const second = loadsInNode();
    if (!second.ok) {
      console.error(second.stderr);
      console.error('better-sqlite3 still does not load in Node. Check that python3, make and a C++ compiler are installed.');
      process.exit(1);
    }
  }
  writeFileSync(marker, `node-${process.versions.modules}\n`);
} else if (target === 'electron') {
  const wanted = `electron-${electronVersion()}`;
  if (current !== wanted) {
    console.log(`Building native modules for Electron ${electronVersion()} (was: ${current || 'Node'}).`);
    run('npx', ['electron-builder', 'install-app-deps']);
    writeFileSync(marker, `${wanted}\n`);
  }
} else {
  console.error('Usage: node scripts/native.mjs node|electron');
  process.exit(2);
}
