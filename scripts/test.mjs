#!/usr/bin/env node
// `npm test`: the whole suite — typecheck, lint, build, then unit, component, integration and
// end-to-end tests. On Linux without a Secret Service it re-runs itself inside a private D-Bus
// session with a throwaway unlocked keyring, so the real keychain integration test can run.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromiumHint, findChromium, hasCommand, probeKeychain } from './preflight.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const vitestArgs = process.argv.slice(2);

function fail(message) {
  console.error(`\n✖ ${message}`);
  process.exit(1);
}

function step(name, command, args, env = {}) {
  console.log(`\n▶ ${name}`);
  const started = Date.now();
  const result = spawnSync(command, args, {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, ...env },
    shell: process.platform === 'win32',
  });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (result.status !== 0) fail(`${name} failed (${seconds} s).`);
  console.log(`✔ ${name} (${seconds} s)`);
}

const chromium = findChromium();
if (!chromium) fail(`Chromium was not found; the end-to-end tests drive a real one. ${chromiumHint()}`);
// The video tests make their clips at test time rather than keeping binaries in the repository.
if (spawnSync('ffmpeg', ['-version'], { stdio: 'ignore' }).status !== 0) fail('ffmpeg was not found; the video tests make their clips with it (sudo apt-get install ffmpeg, or brew install ffmpeg).');

if (process.platform === 'linux' && !process.env.OUTPOST_PRIVATE_KEYRING) {
  const probe = probeKeychain(root);
  if (/libsecret/.test(probe.detail ?? '')) fail(`keytar cannot load libsecret: install it with sudo apt-get install libsecret-1-0.`);
  if (!probe.ok) {
    const missing = ['dbus-run-session', 'gnome-keyring-daemon'].filter((c) => !hasCommand(c));
    if (missing.length > 0) {
      fail(`No Secret Service is running and ${missing.join(' and ')} is missing: install with sudo apt-get install dbus gnome-keyring.`);
    }
    console.log('No Secret Service is running: starting a private D-Bus session with a throwaway keyring for the tests.');
    const keyringHome = mkdtempSync(join(tmpdir(), 'outpost-keyring-'));
    const inner = 'echo outpost-test | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1; exec "$0" "$@"';
    const result = spawnSync(
      'dbus-run-session',
      ['--', 'sh', '-c', inner, process.execPath, fileURLToPath(import.meta.url), ...vitestArgs],
      { cwd: root, stdio: 'inherit', env: { ...process.env, XDG_DATA_HOME: keyringHome, OUTPOST_PRIVATE_KEYRING: '1' } },
    );
    rmSync(keyringHome, { recursive: true, force: true });
    process.exit(result.status ?? 1);
  }
}

const keychain = probeKeychain(root);
if (!keychain.ok) fail(`The system keychain is not usable (${keychain.detail}); the keychain integration test needs it.`);

step('Native modules for Node', process.execPath, [join(root, 'scripts/native.mjs'), 'node']);
step('Test peers (Bluesky PDS on Node 22)', process.execPath, [join(root, 'scripts/peers.mjs'), 'install']);
step('Typecheck', 'npm', ['run', '--silent', 'typecheck']);
step('Lint', 'npm', ['run', '--silent', 'lint']);
step('Build', 'npx', ['electron-vite', 'build', '--logLevel', 'warn']);
step('Tests', 'npx', ['vitest', 'run', ...vitestArgs], { OUTPOST_CHROMIUM: chromium, OUTPOST_KEYCHAIN: 'required' });
