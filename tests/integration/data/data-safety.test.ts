import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync, openSync, writeSync, closeSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { EventName, EventPayload, Post } from '../../../main/core/contract';
import type { Result } from '../../../main/core/errors';
import { listBackups } from '../../../main/services/data/backups';
import { DataFolderInUseError } from '../../../main/services/data/data-folder';
import { openOutpost, type Outpost } from '../../../main/services/runtime';
import { createBackend } from '../../../main/services/services';
import { openDatabase } from '../../../main/services/store/database';
import { migrations } from '../../../main/services/store/migrations';
import { writeJpeg } from '../../unit/media/fixtures';
import { FakeClock, makeTempDir, MemorySecretStore } from '../../unit/support/backend';
import { bundleForNode } from '../scheduler/bundle';

/**
 * Nothing the user made is lost when the database is: an emptied, deleted or WAL-less database
 * beside a media library is reported, never started over as new, and every library file stays
 * on disk whichever way the user goes on (restore a backup, or start empty and keep the files).
 */

let child: string;
const dirs: { remove(): void }[] = [];
const open: Outpost[] = [];

beforeAll(async () => {
  child = await bundleForNode(resolve(__dirname, 'media-child.ts'), 'media-child');
}, 60_000);

afterEach(async () => {
  for (const o of open.splice(0)) await o.shutdown();
});
afterAll(() => {
  for (const dir of dirs.splice(0)) dir.remove();
});

function tempDir(prefix: string): string {
  const dir = makeTempDir(prefix);
  dirs.push(dir);
  return dir.path;
}

interface Emitted {
  event: EventName;
  payload: unknown;
}

function start(dataDir: string, clock = new FakeClock()): { outpost: Outpost; events: Emitted[]; clock: FakeClock } {
  const events: Emitted[] = [];
  const outpost = openOutpost({
    dataDir,
    clock,
    emit: <E extends EventName>(event: E, payload: EventPayload<E>) => events.push({ event, payload }),
    secrets: new MemorySecretStore(),
    platform: { host: 'browser', version: 'test', openExternal: async () => {} },
    log: () => {},
    dailyBackup: false,
  });
  open.push(outpost);
  return { outpost, events, clock };
}

async function call<T>(outpost: Outpost, name: string, args: unknown = {}): Promise<T> {
  const result = (await outpost.dispatch(name, args)) as Result<T>;
  if (!result.ok) throw new Error(`${name}: ${result.error.code} ${result.error.message}`);
  return result.value;
}

async function stop(outpost: Outpost): Promise<void> {
  open.splice(open.indexOf(outpost), 1);
  await outpost.shutdown();
}

/** Every file under media/ (originals and thumbnails) and quarantine/, with its bytes' length. */
function libraryFiles(dataDir: string): string[] {
  const found: string[] = [];
  const walk = (dir: string, rel: string) => {
    if (!existsSync(dir)) return;
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path, `${rel}${name}/`);
      else found.push(`${rel}${name}`);
    }
  };
  walk(join(dataDir, 'media'), 'media/');
  walk(join(dataDir, 'quarantine'), 'quarantine/');
  return found;
}

/** The originals' content hashes, wherever they are (library or quarantine). */
function originals(dataDir: string): string[] {
  return libraryFiles(dataDir)
    .map((f) => f.split('/').pop() as string)
    .filter((name) => /^[0-9a-f]{64}$/.test(name))
    .sort();
}

/** A library of three photos and a post using them, made by the real backend in another process that is then SIGKILLed. */
async function libraryKilledMidWork(): Promise<{ dataDir: string; shas: string[] }> {
  const dataDir = tempDir('outpost-lost-db-');
  const inbox = join(dataDir, '..', `${dataDir.split('/').pop()}-inbox`);
  mkdirSync(inbox, { recursive: true });
  dirs.push({ remove: () => rmSync(inbox, { recursive: true, force: true }) });
  for (let i = 0; i < 3; i++) await writeJpeg(inbox, `photo-${i}.jpg`, 80 + i, 60, i + 1);
  const proc = spawn(process.execPath, [child], {
    env: { ...process.env, OUTPOST_MEDIA_CHILD: JSON.stringify({ dataDir, inbox }) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((ready, fail) => {
    proc.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('ready') && ready());
    proc.on('exit', (code) => fail(new Error(`the child exited with ${code} before it was ready`)));
  });
  proc.kill('SIGKILL');
  await new Promise((done) => proc.on('exit', done));
  const shas = originals(dataDir);
  expect(shas).toHaveLength(3);
  return { dataDir, shas };
}

describe('a lost database never costs the media library', () => {
  it('database and WAL lost after SIGKILL: start-up says so instead of starting new; "start empty" keeps every file', async () => {
    const { dataDir, shas } = await libraryKilledMidWork();
    for (const suffix of ['', '-wal', '-shm']) rmSync(join(dataDir, `outpost.db${suffix}`), { force: true });

    const { outpost, events } = start(dataDir);
    expect(outpost.status()).toMatchObject({ state: 'recovery', problem: 'database_missing', mediaFiles: 3, newestBackup: null });
    expect(originals(dataDir)).toEqual(shas);
    // Nothing but recovery answers meanwhile, and it says why.
    const refused = await outpost.dispatch('projects.list', {});
    expect(refused).toMatchObject({ ok: false, error: { code: 'unavailable' } });

    await call(outpost, 'data.startEmpty');
    expect(outpost.status().state).toBe('ready');
    expect(events.map((e) => e.event)).toContain('data.replaced');
    // The files without rows are in the quarantine, all of them, byte for byte.
    expect(originals(dataDir)).toEqual(shas);
    const quarantined = await call<{ items: { id: string; kind: string }[] }>(outpost, 'data.quarantine');
    expect(quarantined.items.map((i) => i.id).sort()).toEqual(shas);
    expect(quarantined.items.every((i) => i.kind === 'image')).toBe(true);

    const restored = await call<{ restored: number }>(outpost, 'data.restoreQuarantined', { ids: shas });
    expect(restored.restored).toBe(3);
    const library = await call<{ sha256: string }[]>(outpost, 'media.list', {});
    expect(library.map((m) => m.sha256).sort()).toEqual(shas);
    expect((await call<{ items: unknown[] }>(outpost, 'data.quarantine')).items).toEqual([]);
  }, 60_000);

  it('only the WAL lost after SIGKILL (the file holds no schema yet): reported as emptied, files kept', async () => {
    const { dataDir, shas } = await libraryKilledMidWork();
    rmSync(join(dataDir, 'outpost.db-wal'), { force: true });
    rmSync(join(dataDir, 'outpost.db-shm'), { force: true });
    const { outpost } = start(dataDir);
    expect(outpost.status()).toMatchObject({ state: 'recovery', problem: 'database_empty' });
    expect(originals(dataDir)).toEqual(shas);
    await call(outpost, 'data.startEmpty');
    expect(originals(dataDir)).toEqual(shas);
  }, 60_000);

  it('an emptied (0-byte) database beside the library: recovery offers the newest backup, which brings back posts and media', async () => {
    const dataDir = tempDir('outpost-emptied-');
    const inbox = tempDir('outpost-inbox-');
    const first = start(dataDir);
    const files = [await writeJpeg(inbox, 'a.jpg', 70, 50, 3), await writeJpeg(inbox, 'b.jpg', 72, 50, 4)].map((path) => ({ path }));
    await call(first.outpost, 'media.import', { files });
    const project = await call<{ id: string }>(first.outpost, 'projects.create', { name: 'Gym', color: '#2563eb', timezone: 'Europe/Moscow' });
    await call<Post>(first.outpost, 'posts.create', { projectId: project.id, body: 'Leg day' });
    const backup = await call<{ name: string }>(first.outpost, 'data.backupNow');
    await stop(first.outpost);
    const shas = originals(dataDir);

    truncateSync(join(dataDir, 'outpost.db'), 0);
    rmSync(join(dataDir, 'outpost.db-wal'), { force: true });
    const second = start(dataDir);
    const status = second.outpost.status();
    expect(status).toMatchObject({ state: 'recovery', problem: 'database_empty', mediaFiles: 2 });
    expect(status.newestBackup?.name).toBe(backup.name);
    expect(originals(dataDir)).toEqual(shas);

    const restored = await call<{ keptAside: string | null }>(second.outpost, 'data.restore', { name: backup.name });
    expect(restored.keptAside).toBeNull(); // a 0-byte file is nothing worth keeping
    const posts = await call<{ excerpt: string }[]>(second.outpost, 'posts.list', { projectId: project.id });
    expect(posts.map((p) => p.excerpt)).toEqual(['Leg day']);
    const library = await call<{ sha256: string }[]>(second.outpost, 'media.list', {});
    expect(library.map((m) => m.sha256).sort()).toEqual(shas);
    expect(libraryFiles(dataDir).filter((f) => f.startsWith('quarantine/'))).toEqual([]);
  }, 60_000);

  it('a damaged database gets a readable state and "restore the newest good backup"; the damaged file is kept aside', async () => {
    const dataDir = tempDir('outpost-corrupt-');
    const first = start(dataDir);
    const project = await call<{ id: string }>(first.outpost, 'projects.create', { name: 'Bakery', color: '#2563eb', timezone: 'Asia/Jerusalem' });
    const good = await call<{ name: string }>(first.outpost, 'data.backupNow');
    for (let i = 0; i < 200; i++) await call(first.outpost, 'posts.create', { projectId: project.id, body: `post ${i} `.repeat(20) });
    await stop(first.outpost);

    // Scribble over pages in the middle of the file, as a failing disk would.
    const path = join(dataDir, 'outpost.db');
    const size = statSync(path).size;
    const fd = openSync(path, 'r+');
    for (let offset = 8192; offset < size - 4096; offset += 4096 * 3) writeSync(fd, Buffer.alloc(512, 0x5a), 0, 512, offset);
    closeSync(fd);

    const second = start(dataDir);
    const status = second.outpost.status();
    expect(status).toMatchObject({ state: 'recovery', problem: 'database_corrupt' });
    expect(status.newestBackup?.name).toBe(good.name);
    const result = await call<{ keptAside: string | null }>(second.outpost, 'data.restore', { name: good.name });
    expect(result.keptAside).toMatch(/^outpost-kept-aside-/);
    expect(listBackups(dataDir).map((b) => b.name)).toContain(result.keptAside);
    const projects = await call<{ id: string }[]>(second.outpost, 'projects.list', {});
    expect(JSON.stringify(projects)).toContain(project.id);
  }, 60_000);

  it('a backup that does not check out is refused with a reason, and the open data stays as it was', async () => {
    const dataDir = tempDir('outpost-badbackup-');
    const { outpost } = start(dataDir);
    mkdirSync(join(dataDir, 'backups'), { recursive: true });
    const name = 'outpost-manual-20261201T090000000Z-v7.db';
    writeFileSync(join(dataDir, 'backups', name), 'not a database at all'.repeat(50));
    const result = await outpost.dispatch('data.restore', { name });
    expect(result).toMatchObject({ ok: false, error: { code: 'validation', reason: 'backup_damaged' } });
    expect(outpost.status().state).toBe('ready');
    expect(await outpost.dispatch('data.restore', { name: '../outpost.db' })).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });
});

describe('the running data folder', () => {
  it('a second app or host on the same folder is refused with a clear message', () => {
    const dataDir = tempDir('outpost-twice-');
    start(dataDir);
    expect(() => start(dataDir)).toThrow(DataFolderInUseError);
  });

  it('restoring a backup while running keeps the current database aside first and tells the window', async () => {
    const dataDir = tempDir('outpost-restore-');
    const { outpost, events } = start(dataDir);
    const project = await call<{ id: string }>(outpost, 'projects.create', { name: 'Before', color: '#2563eb', timezone: 'UTC' });
    const backup = await call<{ name: string }>(outpost, 'data.backupNow');
    await call(outpost, 'projects.create', { name: 'After', color: '#2563eb', timezone: 'UTC' });

    const { keptAside } = await call<{ keptAside: string }>(outpost, 'data.restore', { name: backup.name });
    const names = JSON.stringify(await call(outpost, 'projects.list', {}));
    expect(names).toContain('Before');
    expect(names).not.toContain('After');
    expect(events.filter((e) => e.event === 'data.replaced').map((e) => e.payload)).toEqual([{ reason: 'restored' }]);
    // The replaced database is a backup of its own, with "After" in it.
    const aside = openDatabase(join(dataDir, 'backups', keptAside));
    expect(aside.prepare(`SELECT name FROM projects ORDER BY name`).all()).toEqual([{ name: 'After' }, { name: 'Before' }]);
    aside.close();
    expect(project.id).toBeTruthy();
  });

  it('a daily backup is made once a day and rotated', async () => {
    const dataDir = tempDir('outpost-daily-');
    const { outpost, clock } = start(dataDir, new FakeClock(Date.UTC(2026, 11, 1, 10)));
    expect(await outpost.checkDailyBackup()).not.toBeNull();
    clock.advance(60 * 60_000);
    expect(await outpost.checkDailyBackup()).toBeNull();
    for (let day = 0; day < 12; day++) {
      clock.advance(24 * 60 * 60_000);
      expect(await outpost.checkDailyBackup()).not.toBeNull();
    }
    // 13 days of backups: 7 newest days, then one per older week.
    const daily = listBackups(dataDir).filter((b) => b.kind === 'daily');
    expect(daily.length).toBeGreaterThanOrEqual(8);
    expect(daily.length).toBeLessThanOrEqual(9);
  });

  it('an upgrade backs the database up first, as it was', () => {
    const dataDir = tempDir('outpost-upgrade-');
    const older = openDatabase(join(dataDir, 'outpost.db'), { migrations: migrations.slice(0, 6) });
    older.exec(`INSERT INTO settings (key, value) VALUES ('theme', '"dark"')`);
    older.close();
    const backend = createBackend({
      dataDir,
      clock: new FakeClock(),
      emit: () => {},
      secrets: new MemorySecretStore(),
      platform: { host: 'browser', version: 'test', openExternal: async () => {} },
      log: () => {},
    });
    backend.close();
    const pre = listBackups(dataDir).filter((b) => b.kind === 'pre_migration');
    expect(pre).toHaveLength(1);
    expect(pre[0]?.schemaVersion).toBe(6);
    const copy = openDatabase(join(dataDir, 'backups', pre[0]!.name), { migrations: migrations.slice(0, 6) });
    expect(copy.pragma('user_version', { simple: true })).toBe(6);
    copy.close();
  });

  it('the folder is private: 0700 for folders, 0600 for the database and library files', async () => {
    if (process.platform === 'win32') return;
    const dataDir = join(tempDir('outpost-private-'), 'data');
    const inbox = tempDir('outpost-inbox-');
    const { outpost } = start(dataDir);
    await call(outpost, 'media.import', { files: [{ path: await writeJpeg(inbox, 'c.jpg') }] });
    await call(outpost, 'data.backupNow');
    const mode = (path: string) => statSync(path).mode & 0o777;
    expect(mode(dataDir)).toBe(0o700);
    expect(mode(join(dataDir, 'media'))).toBe(0o700);
    expect(mode(join(dataDir, 'backups'))).toBe(0o700);
    expect(mode(join(dataDir, 'outpost.db'))).toBe(0o600);
    for (const file of libraryFiles(dataDir)) expect([file, mode(join(dataDir, file))]).toEqual([file, 0o600]);
    for (const b of listBackups(dataDir)) expect(mode(join(dataDir, 'backups', b.name))).toBe(0o600);
    expect(readFileSync(join(dataDir, 'outpost.db')).subarray(0, 15).toString()).toBe('SQLite format 3');
  });
});
