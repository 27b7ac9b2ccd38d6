// What the test suite needs from the machine, found or named: a Chromium, and on Linux a Secret Service.
import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';

const chromiumCandidates = {
  linux: ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/snap/bin/chromium'],
  darwin: [
    '/Applications/Chromium.app/Contents/MacOS/Chromium',
    '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  ],
  win32: [
    'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe',
    'C:\\Program Files (x86)\\Google\\Chrome\\Application\\chrome.exe',
  ],
};

function executable(path) {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export function findChromium() {
  const fromEnv = process.env.OUTPOST_CHROMIUM;
  if (fromEnv) return executable(fromEnv) ? fromEnv : undefined;
  return (chromiumCandidates[process.platform] ?? []).find(executable);
}

export function chromiumHint() {
  if (process.platform === 'linux') {
    return 'Install it with: sudo apt-get install chromium fonts-dejavu-core (or set OUTPOST_CHROMIUM to a Chromium/Chrome binary).';
  }
  return 'Install Chromium or Google Chrome, or set OUTPOST_CHROMIUM to its binary.';
}

export function hasCommand(name) {
  return spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0;
}

/** Asks the keychain for Outpost's entries in a child process; a hung D-Bus must not hang the tests. */
export function probeKeychain(cwd) {
  const script =
    "require('@github/keytar').findCredentials('Outpost-probe').then(()=>process.exit(0),e=>{console.error(String(e&&e.message||e));process.exit(1)})";
  const result = spawnSync(process.execPath, ['-e', script], { cwd, encoding: 'utf8', timeout: 15_000 });
  if (result.status === 0) return { ok: true };
  const detail = (result.stderr || result.error?.message || 'timed out').trim().split('\n').pop();
  return { ok: false, detail };
}
