import { spawn } from 'node:child_process';
import { mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  backupsToRotate,
  createBackup,
  createBackupSync,
  listBackups,
  parseBackupName,
  rotateBackups,
} from '../../../main/services/data/backups';
import { DataFolderInUseError, inspectDataFolder, lockDataFolder } from '../../../main/services/data/data-folder';
import type { BackupInfo } from '../../../main/core/contract';
import { openDatabase } from '../../../main/services/store/database';
import { makeTempDir } from '../support/backend';

const dirs: { remove(): void }[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) dir.remove();
});
function tempDir() {
  const dir = makeTempDir('outpost-folder-');
  dirs.push(dir);
  return dir.path;
}

describe('one process per data folder', () => {
  it('a second lock on the same folder is refused with a message naming the folder; released, it can be taken again', () => {
    const dir = tempDir();
    const first = lockDataFolder(dir);
    expect(() => lockDataFolder(dir)).toThrow(DataFolderInUseError);
    expect(() => lockDataFolder(dir)).toThrow(/Another Outpost is already using the data folder/);
    first.release();
    lockDataFolder(dir).release();
  });

  it('a process killed while holding the folder leaves no stale lock (the OS drops it)', async () => {
    const dir = tempDir();
    const script = `
      const Database = require('better-sqlite3');
      const db = new Database(${JSON.stringify(join(dir, 'outpost.lock'))}, { timeout: 0 });
      db.pragma('locking_mode = EXCLUSIVE');
      db.exec('BEGIN EXCLUSIVE');
      process.stdout.write('locked\\n');
      setInterval(() => {}, 1000);`;
    const child = spawn(process.execPath, ['-e', script], { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('locked') && resolve());
      child.on('exit', (code) => reject(new Error(`child exited ${code}`)));
    });
    expect(() => lockDataFolder(dir)).toThrow(DataFolderInUseError);
    child.kill('SIGKILL');
    await new Promise((resolve) => child.on('exit', resolve));
    lockDataFolder(dir).release();
  });
});

describe('what start-up finds in the folder', () => {
  it('tells a first start from a lost database by what else the folder holds', () => {
    const dir = tempDir();
    expect(inspectDataFolder(dir).database).toBe('new');
    writeFileSync(join(dir, 'outpost.db'), '');
    expect(inspectDataFolder(dir).database).toBe('new');

    const media = join(dir, 'media', 'ab');
    mkdirSync(media, { recursive: true });
    writeFileSync(join(media, 'ab'.padEnd(64, '1')), 'photo');
    expect(inspectDataFolder(dir)).toMatchObject({ database: 'empty', mediaFiles: 1 });
    rmSync(join(dir, 'outpost.db'));
    expect(inspectDataFolder(dir)).toMatchObject({ database: 'missing', mediaFiles: 1 });

    writeFileSync(join(dir, 'outpost.db'), 'this is not a database, whatever its name says'.repeat(10));
    expect(inspectDataFolder(dir).database).toBe('corrupt');
  });

  it('a database with our schema is ok, and looking at it writes nothing beside it', () => {
    const dir = tempDir();
    const db = openDatabase(join(dir, 'outpost.db'));
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    const before = statSync(join(dir, 'outpost.db')).mtimeMs;
    expect(inspectDataFolder(dir).database).toBe('ok');
    expect(statSync(join(dir, 'outpost.db')).mtimeMs).toBe(before);
  });
});

describe('backups', () => {
  const DAY = 24 * 60 * 60 * 1000;
  const at = (iso: string) => Date.parse(iso);
  const daily = (createdAt: number): BackupInfo => ({ name: `d${createdAt}`, kind: 'daily', createdAt, bytes: 1, schemaVersion: 7 });

  it('rotation keeps the newest of each of the last 7 days and of the 4 weeks before; never the user’s own', () => {
    const start = at('2026-09-01T03:00:00Z');
    // 90 days of backups, two a day.
    const backups: BackupInfo[] = [];
    for (let d = 0; d < 90; d++) backups.push(daily(start + d * DAY), daily(start + d * DAY + 6 * 3600_000));
    backups.push({ name: 'manual', kind: 'manual', createdAt: start, bytes: 1, schemaVersion: 7 });
    backups.push({ name: 'aside', kind: 'kept_aside', createdAt: start, bytes: 1, schemaVersion: 7 });
    const pre = [1, 2, 3, 4, 5].map((n): BackupInfo => ({ name: `pre${n}`, kind: 'pre_migration', createdAt: start + n * DAY, bytes: 1, schemaVersion: n }));
    backups.push(...pre);

    const removed = new Set(backupsToRotate(backups));
    const kept = backups.filter((b) => !removed.has(b));
    const keptDaily = kept.filter((b) => b.kind === 'daily').map((b) => b.createdAt).sort((a, b) => b - a);
    expect(keptDaily).toHaveLength(11);
    // The 7 newest days, each by its newest backup of that day.
    const newestDay = start + 89 * DAY + 6 * 3600_000;
    expect(keptDaily.slice(0, 7)).toEqual([0, 1, 2, 3, 4, 5, 6].map((n) => newestDay - n * DAY));
    // Then one per week, each in a different, older week.
    const weeks = keptDaily.slice(7).map((t) => Math.floor((Math.floor(t / DAY) + 3) / 7));
    expect(new Set(weeks).size).toBe(4);
    expect(Math.min(...keptDaily.slice(0, 7))).toBeGreaterThan(Math.max(...keptDaily.slice(7)));
    expect(kept.map((b) => b.name)).toEqual(expect.arrayContaining(['manual', 'aside', 'pre5', 'pre4', 'pre3']));
    expect(kept.map((b) => b.name)).not.toContain('pre2');
  });

  it('an online backup is a consistent, private copy that opens on its own, named by kind, time and schema', async () => {
    const dir = tempDir();
    const db = openDatabase(join(dir, 'outpost.db'));
    db.exec(`INSERT INTO settings (key, value) VALUES ('k', 'v')`);
    const made = await createBackup(db, dir, 'manual', at('2026-12-05T09:00:00Z'));
    expect(made).toMatchObject({ kind: 'manual', createdAt: at('2026-12-05T09:00:00Z'), schemaVersion: db.pragma('user_version', { simple: true }) });
    expect(parseBackupName(made.name)?.kind).toBe('manual');
    const copy = openDatabase(join(dir, 'backups', made.name));
    expect(copy.prepare(`SELECT value FROM settings WHERE key = 'k'`).get()).toEqual({ value: 'v' });
    copy.close();
    if (process.platform !== 'win32') expect(statSync(join(dir, 'backups', made.name)).mode & 0o777).toBe(0o600);
    const sync = createBackupSync(db, dir, 'pre_migration', at('2026-12-05T09:00:00Z'));
    expect(listBackups(dir).map((b) => b.name).sort()).toEqual([made.name, sync.name].sort());
    db.close();
  });

  it('rotateBackups removes files from the folder by the same rule', async () => {
    const dir = tempDir();
    const db = openDatabase(join(dir, 'outpost.db'));
    for (let d = 0; d < 10; d++) await createBackup(db, dir, 'daily', at('2026-12-01T08:00:00Z') + d * DAY);
    db.close();
    const removed = rotateBackups(dir);
    expect(removed).toHaveLength(2);
    expect(listBackups(dir)).toHaveLength(8);
  });
});
