// A real Bluesky PDS with its PLC directory (SQLite, temp folders, no network beyond loopback)
// for Outpost's integration tests. Run with Node 22. Prints one JSON line on stdout when ready:
//   {"pdsUrl":"http://127.0.0.1:<port>","plcUrl":"…","jwtSecret":"…","handleDomain":".test"}
// and stays up until SIGTERM/SIGINT or until its stdin closes (the test runner went away).
// Options: --rate-limits turns on the PDS's real rate limits (off in dev mode);
// --appview-url=<url> --appview-did=<did> send the PDS's app.bsky.* calls to that AppView (a test's fake).
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestNetworkNoAppView } from '@atproto/dev-env';

const rateLimits = process.argv.includes('--rate-limits');
const option = (name) => process.argv.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3);
const appView = option('appview-url') ? { bskyAppViewUrl: option('appview-url'), bskyAppViewDid: option('appview-did') } : {};
const dataRoot = mkdtempSync(join(tmpdir(), 'outpost-pds-'));
// A fresh secret per run; tests use it to forge an expired access token the PDS will judge.
const jwtSecret = randomBytes(32).toString('hex');

let network;
let stopping = false;

async function stop(code) {
  if (stopping) return;
  stopping = true;
  try {
    await network?.close();
  } catch (error) {
    console.error('bluesky peer: error while closing', error);
    code = code || 1;
  }
  rmSync(dataRoot, { recursive: true, force: true });
  process.exit(code);
}

process.on('SIGTERM', () => void stop(0));
process.on('SIGINT', () => void stop(0));
process.stdin.on('end', () => void stop(0));
process.stdin.on('error', () => void stop(0));
process.stdin.resume();

mkdirSync(join(dataRoot, 'pds'));
mkdirSync(join(dataRoot, 'blobs'));

try {
  network = await TestNetworkNoAppView.create({
    pds: {
      jwtSecret,
      dataDirectory: join(dataRoot, 'pds'),
      blobstoreDiskLocation: join(dataRoot, 'blobs'),
      rateLimitsEnabled: rateLimits,
      ...appView,
    },
  });
} catch (error) {
  console.error('bluesky peer: failed to start', error);
  await stop(1);
}

// The servers listen on all addresses; all traffic goes to loopback by address, never by name.
const loopback = (url) => url.replace('//localhost:', '//127.0.0.1:');
const ready = {
  pdsUrl: loopback(network.pds.url),
  plcUrl: loopback(network.plc.url),
  jwtSecret,
  handleDomain: network.pds.ctx.cfg.identity.serviceHandleDomains[0],
  rateLimits,
  node: process.version,
};
process.stdout.write(`${JSON.stringify(ready)}\n`);
