import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** The repository root, whatever directory vitest was started from. */
export const repoRoot = resolve(__dirname, '../../..');
export const hostScript = join(repoRoot, 'out/main/host.js');
const rendererIndex = join(repoRoot, 'out/renderer/index.html');
const READY_LINE = /^Outpost host listening on (http:\/\/127\.0\.0\.1:(\d+)\/\?token=(\S+))$/m;

export interface RunningHost {
  /** The URL the host printed, with its token: opening it in a browser logs the page in. */
  url: string;
  origin: string;
  port: number;
  token: string;
  dataDir: string;
  child: ChildProcess;
  /** Everything the host wrote to stdout and stderr so far, for failure messages. */
  output(): string;
}

export interface StartHostOptions {
  /** Reuse a data folder (to prove data survives a restart); a fresh temp folder otherwise. */
  dataDir?: string;
  /** Listen on this port (to restart on the same origin); any free port otherwise. */
  port?: number;
  /** How long to wait for the "listening" line. */
  timeoutMs?: number;
  /** Extra environment for the host (OUTPOST_NETWORK_BASE_URLS, OUTPOST_CLOCK_OFFSET_MS). */
  env?: Record<string, string>;
}

let built = false;

/** Builds the app once if out/ is missing, so a fresh checkout fails on real problems, not on ENOENT. */
export function ensureBuilt(): void {
  if (built || (existsSync(hostScript) && existsSync(rendererIndex))) {
    built = true;
    return;
  }
  const result = spawnSync('npx', ['electron-vite', 'build'], { cwd: repoRoot, encoding: 'utf8', stdio: 'pipe' });
  if (result.status !== 0 || !existsSync(hostScript)) {
    throw new Error(`electron-vite build failed (exit ${result.status}):\n${result.stdout}\n${result.stderr}`);
  }
  built = true;
}

const tempDirs: string[] = [];

export function makeDataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'outpost-e2e-'));
  tempDirs.push(dir);
  return dir;
}

/** Removes every data folder made by makeDataDir in this test file. */
export function removeDataDirs(): void {
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

export async function startHost(options: StartHostOptions = {}): Promise<RunningHost> {
  ensureBuilt();
  const dataDir = options.dataDir ?? makeDataDir();
  const args = [hostScript, '--data-dir', dataDir];
  if (options.port !== undefined) args.push('--port', String(options.port));
  const child = spawn(process.execPath, args, { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...options.env } });
  let output = '';
  const output$ = () => output;

  return new Promise<RunningHost>((resolveStart, rejectStart) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      rejectStart(new Error(`The host did not print its address within ${options.timeoutMs ?? 15_000} ms:\n${output}`));
    }, options.timeoutMs ?? 15_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const match = READY_LINE.exec(output);
      if (!match) return;
      clearTimeout(timer);
      child.off('exit', onEarlyExit);
      const url = match[1] as string;
      resolveStart({
        url,
        origin: new URL(url).origin,
        port: Number(match[2]),
        token: match[3] as string,
        dataDir,
        child,
        output: output$,
      });
    };
    const onEarlyExit = (code: number | null, signal: NodeJS.Signals | null) => {
      clearTimeout(timer);
      rejectStart(new Error(`The host exited before listening (code ${code}, signal ${signal}):\n${output}`));
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
    });
    child.once('exit', onEarlyExit);
  });
}

/** Sends SIGTERM and waits for the exit; throws unless the host exited by itself with code 0. */
export async function stopHost(host: RunningHost, timeoutMs = 10_000): Promise<void> {
  const { child } = host;
  if (child.exitCode !== null || child.signalCode !== null) {
    throw new Error(`The host had already exited (code ${child.exitCode}, signal ${child.signalCode}):\n${host.output()}`);
  }
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolveExit) => {
    child.once('exit', (code, signal) => resolveExit({ code, signal }));
  });
  child.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolveTimeout) => {
    timer = setTimeout(() => resolveTimeout('timeout'), timeoutMs);
  });
  const outcome = await Promise.race([exit, timeout]);
  clearTimeout(timer);
  if (outcome === 'timeout') {
    child.kill('SIGKILL');
    throw new Error(`The host did not exit within ${timeoutMs} ms of SIGTERM:\n${host.output()}`);
  }
  if (outcome.code !== 0) {
    throw new Error(`The host exited with code ${outcome.code} (signal ${outcome.signal}) after SIGTERM:\n${host.output()}`);
  }
}

/** For afterAll: never leaves a host running, even when a test failed half-way. */
export function killIfRunning(host: RunningHost | undefined): void {
  if (host && host.child.exitCode === null && host.child.signalCode === null) host.child.kill('SIGKILL');
}

/** Calls the host's contract the way the renderer does. */
export async function invokeHost(host: RunningHost, name: string, args: unknown): Promise<unknown> {
  const response = await fetch(`${host.origin}/api/invoke`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-outpost-token': host.token },
    body: JSON.stringify({ name, args }),
  });
  return response.json();
}
