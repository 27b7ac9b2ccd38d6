import { spawn, type ChildProcess } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * A real Bluesky PDS (and its PLC directory) from @atproto/dev-env, run on Node 22 in its own
 * process (tests/peers/bluesky/server.mjs). `node scripts/peers.mjs install` puts it in place;
 * `npm test` does that first.
 */

const repoRoot = resolve(__dirname, '../..');
const peerDir = join(repoRoot, 'tests', 'peers', 'bluesky');
const markerFile = join(peerDir, 'node_modules', '.outpost-peer.json');
const serverScript = join(peerDir, 'server.mjs');

export interface BlueskyPeer {
  /** http://127.0.0.1:<port>: every call goes to loopback by address. */
  pdsUrl: string;
  plcUrl: string;
  /** The PDS's JWT signing secret (fresh per run), to forge tokens the PDS itself will judge. */
  jwtSecret: string;
  /** Handles created here end with it (".test"). */
  handleDomain: string;
  /** What the peer wrote to stderr so far, for failure messages. */
  output(): string;
  stop(): Promise<void>;
}

export interface StartBlueskyPeerOptions {
  /** Turn on the PDS's real rate limits (off in its dev mode). */
  rateLimits?: boolean;
  /** How long to wait for the ready line (default 30 s; it is usually ready in 2–4 s). */
  timeoutMs?: number;
  /** Where the PDS forwards app.bsky.* calls (the dev PDS has no AppView; a test gives its fake). */
  appView?: { url: string; did: string };
}

/** The Node 22 binary the install recorded; a clear error when the peer is not installed. */
export function blueskyPeerNode(): string {
  const hint = 'Install it with `node scripts/peers.mjs install` (npm test does this first).';
  if (!existsSync(markerFile)) throw new Error(`The Bluesky test peer is not installed. ${hint}`);
  const marker = JSON.parse(readFileSync(markerFile, 'utf8')) as { node?: string };
  if (!marker.node || !existsSync(marker.node)) throw new Error(`The Bluesky test peer's Node 22 is missing. ${hint}`);
  return marker.node;
}

export async function startBlueskyPeer(options: StartBlueskyPeerOptions = {}): Promise<BlueskyPeer> {
  const node = blueskyPeerNode();
  const timeoutMs = options.timeoutMs ?? 30_000;
  const env = { ...process.env };
  // Vitest's loader hooks and flags are for Node 20 and this process, not for the peer.
  delete env['NODE_OPTIONS'];
  const appView = options.appView ? [`--appview-url=${options.appView.url}`, `--appview-did=${options.appView.did}`] : [];
  const child = spawn(node, [serverScript, ...(options.rateLimits ? ['--rate-limits'] : []), ...appView], {
    cwd: peerDir,
    env,
    // stdin stays open: when this process dies, the pipe closes and the peer shuts itself down.
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });

  const ready = await new Promise<Record<string, unknown>>((resolveReady, rejectReady) => {
    const fail = (why: string) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      rejectReady(new Error(`The Bluesky peer ${why}.\n${stderr.slice(-4000)}`));
    };
    const timer = setTimeout(() => fail(`printed no ready line within ${timeoutMs} ms`), timeoutMs);
    child.once('error', (error) => fail(`could not start (${error.message})`));
    child.once('exit', (code, signal) => fail(`exited before it was ready (${signal ?? `code ${code}`})`));
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
      const newline = stdout.indexOf('\n');
      if (newline < 0) return;
      clearTimeout(timer);
      child.removeAllListeners('exit');
      try {
        resolveReady(JSON.parse(stdout.slice(0, newline)) as Record<string, unknown>);
      } catch {
        fail(`printed something other than its JSON ready line: ${stdout.slice(0, 200)}`);
      }
    });
  });

  return {
    pdsUrl: String(ready['pdsUrl']),
    plcUrl: String(ready['plcUrl']),
    jwtSecret: String(ready['jwtSecret']),
    handleDomain: String(ready['handleDomain']),
    output: () => stderr,
    stop: () => stopChild(child),
  };
}

async function stopChild(child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolveExit) => child.once('exit', () => resolveExit()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

// ---------------------------------------------------------------------------------------------
// Accounts, through the PDS's real API

export interface PeerAccount {
  did: string;
  handle: string;
  /** The account's main password (not an app password). */
  password: string;
  accessJwt: string;
  refreshJwt: string;
}

interface XrpcReply {
  status: number;
  body: Record<string, unknown>;
  headers: Headers;
}

/** One raw XRPC call, for test setup and for reading back what the connector wrote. */
export async function xrpc(
  peer: Pick<BlueskyPeer, 'pdsUrl'>,
  method: string,
  options: { query?: Record<string, string>; json?: unknown; bearer?: string } = {},
): Promise<XrpcReply> {
  const url = new URL(`/xrpc/${method}`, peer.pdsUrl);
  for (const [key, value] of Object.entries(options.query ?? {})) url.searchParams.set(key, value);
  const response = await fetch(url, {
    method: options.json === undefined ? 'GET' : 'POST',
    headers: {
      ...(options.json === undefined ? {} : { 'content-type': 'application/json' }),
      ...(options.bearer ? { authorization: `Bearer ${options.bearer}` } : {}),
    },
    ...(options.json === undefined ? {} : { body: JSON.stringify(options.json) }),
    signal: AbortSignal.timeout(15_000),
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {}, headers: response.headers };
}

async function ok(reply: Promise<XrpcReply>, what: string): Promise<Record<string, unknown>> {
  const { status, body } = await reply;
  if (status !== 200) throw new Error(`${what} failed: HTTP ${status} ${JSON.stringify(body)}`);
  return body;
}

/** A short unique handle under the PDS's domain (its first label must be 3–18 characters). */
export function uniqueHandle(peer: Pick<BlueskyPeer, 'handleDomain'>, prefix = 'u'): string {
  return `${prefix}${randomBytes(5).toString('hex')}${peer.handleDomain}`;
}

/** com.atproto.server.createAccount (the dev PDS needs no invite code). */
export async function createAccount(peer: BlueskyPeer, handle = uniqueHandle(peer)): Promise<PeerAccount> {
  const password = randomBytes(12).toString('base64url');
  const body = await ok(
    xrpc(peer, 'com.atproto.server.createAccount', { json: { handle, email: `${handle}@mail.invalid`, password } }),
    `createAccount ${handle}`,
  );
  return { did: String(body['did']), handle: String(body['handle']), password, accessJwt: String(body['accessJwt']), refreshJwt: String(body['refreshJwt']) };
}

/** com.atproto.server.createAppPassword: the xxxx-xxxx-xxxx-xxxx password Outpost signs in with. */
export async function createAppPassword(peer: BlueskyPeer, account: PeerAccount, name = `outpost-${randomBytes(3).toString('hex')}`): Promise<string> {
  const body = await ok(xrpc(peer, 'com.atproto.server.createAppPassword', { json: { name }, bearer: account.accessJwt }), 'createAppPassword');
  return String(body['password']);
}

/** com.atproto.server.revokeAppPassword: what the user does in Bluesky's settings. */
export async function revokeAppPassword(peer: BlueskyPeer, account: PeerAccount, name: string): Promise<void> {
  await ok(xrpc(peer, 'com.atproto.server.revokeAppPassword', { json: { name }, bearer: account.accessJwt }), 'revokeAppPassword');
}

/** com.atproto.repo.getRecord, unauthenticated as any reader would. */
export function getRecord(peer: BlueskyPeer, did: string, rkey: string, collection = 'app.bsky.feed.post'): Promise<XrpcReply> {
  return xrpc(peer, 'com.atproto.repo.getRecord', { query: { repo: did, collection, rkey } });
}

/**
 * The same access token with its expiry moved into the past, signed with the PDS's own secret:
 * the PDS accepts the signature and answers 400 ExpiredToken, exactly as when 2 hours pass.
 */
export function expireAccessToken(peer: Pick<BlueskyPeer, 'jwtSecret'>, accessJwt: string, agoSeconds = 60): string {
  const [header, payload] = accessJwt.split('.');
  if (!header || !payload) throw new Error('not a JWT');
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
  const now = Math.floor(Date.now() / 1000);
  const expired = Buffer.from(JSON.stringify({ ...claims, iat: now - agoSeconds - 7200, exp: now - agoSeconds })).toString('base64url');
  const signature = createHmac('sha256', peer.jwtSecret).update(`${header}.${expired}`).digest('base64url');
  return `${header}.${expired}.${signature}`;
}
