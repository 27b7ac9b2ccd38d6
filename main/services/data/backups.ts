import Database from 'better-sqlite3';
import { closeSync, existsSync, fsyncSync, openSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { copyFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BackupInfo, BackupKind } from '../../core/contract/data';
import { integrityProblems, readSqliteHeader, type Db } from '../store/database';
import { backupDir, databasePath, ensurePrivateDir, makePrivate } from './data-folder';

/**
 * Backups the user never has to think about: consistent copies of the live database in
 * `<dataDir>/backups/`, named `outpost-<kind>-<UTC stamp>-v<schema>.db`.
 *
 * - daily: made by the running app (better-sqlite3's online backup API, consistent while it
 *   writes), rotated to the newest of each of the last 7 days plus the newest of each of the 4
 *   weeks before them.
 * - pre-migration: made before an upgrade changes the schema (VACUUM INTO, synchronous); the 3
 *   newest are kept.
 * - manual, kept-aside (the database a restore or import replaced), pre-import: the user's own
 *   decisions; never removed automatically.
 */

const NAME = /^outpost-(daily|manual|pre-migration|kept-aside|pre-import)-(\d{8}T\d{6}(?:\d{3})?Z)-v(\d+)\.db$/;
const KEEP_DAILY_DAYS = 7;
const KEEP_WEEKLY_WEEKS = 4;
const KEEP_PRE_MIGRATION = 3;
const DAY_MS = 24 * 60 * 60 * 1000;

const kindOfName: Record<string, BackupKind> = {
  daily: 'daily',
  manual: 'manual',
  'pre-migration': 'pre_migration',
  'kept-aside': 'kept_aside',
  'pre-import': 'pre_import',
};
const nameOfKind: Record<BackupKind, string> = {
  daily: 'daily',
  manual: 'manual',
  pre_migration: 'pre-migration',
  kept_aside: 'kept-aside',
  pre_import: 'pre-import',
};

/** 2026-12-05T09:03:07.123Z → 20261205T090307123Z: sortable, and safe in every file system. */
function stamp(at: number): string {
  return new Date(at).toISOString().replace(/[-:]/g, '').replace('.', '');
}

function parseStamp(text: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(\d{3})?Z$/.exec(text);
  if (!m) return NaN;
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]), Number(m[7] ?? 0));
}

function backupName(kind: BackupKind, at: number, schema: number): string {
  return `outpost-${nameOfKind[kind]}-${stamp(at)}-v${schema}.db`;
}

export function parseBackupName(name: string): { kind: BackupKind; createdAt: number; schemaVersion: number } | undefined {
  const m = NAME.exec(name);
  if (!m) return undefined;
  const createdAt = parseStamp(m[2]!);
  if (!Number.isFinite(createdAt)) return undefined;
  return { kind: kindOfName[m[1]!]!, createdAt, schemaVersion: Number(m[3]) };
}

/** Every backup in the folder, newest first. */
export function listBackups(dataDir: string): BackupInfo[] {
  const dir = backupDir(dataDir);
  if (!existsSync(dir)) return [];
  const found: BackupInfo[] = [];
  for (const name of readdirSync(dir)) {
    const parsed = parseBackupName(name);
    if (!parsed) continue;
    let bytes: number;
    try {
      bytes = statSync(join(dir, name)).size;
    } catch {
      continue;
    }
    found.push({ name, ...parsed, bytes });
  }
  return found.sort((a, b) => b.createdAt - a.createdAt || a.name.localeCompare(b.name));
}

/** The path of a backup by the name the UI shows; undefined for anything that is not one of ours. */
export function backupPath(dataDir: string, name: string): string | undefined {
  if (!parseBackupName(name)) return undefined;
  const path = join(backupDir(dataDir), name);
  return existsSync(path) ? path : undefined;
}

function schemaOf(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

function fsyncFile(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } catch {
    // Some file systems refuse fsync; the rename below is still atomic.
  } finally {
    closeSync(fd);
  }
}

/** A unique name even for two backups within one millisecond. */
function freshTarget(dir: string, kind: BackupKind, at: number, schema: number): { path: string; name: string } {
  for (let bump = 0; ; bump++) {
    const name = backupName(kind, at + bump, schema);
    const path = join(dir, name);
    if (!existsSync(path)) return { path, name };
  }
}

function finish(tmp: string, path: string, name: string): BackupInfo {
  makePrivate(tmp);
  fsyncFile(tmp);
  renameSync(tmp, path);
  return { name, ...(parseBackupName(name) as NonNullable<ReturnType<typeof parseBackupName>>), bytes: statSync(path).size };
}

/**
 * An online backup of the open database: SQLite's backup API copies it page by page and
 * restarts when another write lands, so the copy is consistent while the app keeps working.
 * Written under a temporary name and renamed, so a half-written file never looks like a backup.
 */
export async function createBackup(db: Db, dataDir: string, kind: BackupKind, now: number): Promise<BackupInfo> {
  const dir = backupDir(dataDir);
  ensurePrivateDir(dir);
  const { path, name } = freshTarget(dir, kind, now, schemaOf(db));
  const tmp = `${path}.partial`;
  try {
    await db.backup(tmp);
    return finish(tmp, path, name);
  } catch (error) {
    rmSync(tmp, { force: true });
    throw error;
  }
}

/** The synchronous kind, for the moment before a migration (nothing else runs yet). */
export function createBackupSync(db: Db, dataDir: string, kind: BackupKind, now: number): BackupInfo {
  const dir = backupDir(dataDir);
  ensurePrivateDir(dir);
  const { path, name } = freshTarget(dir, kind, now, schemaOf(db));
  const tmp = `${path}.partial`;
  try {
    db.prepare('VACUUM INTO ?').run(tmp);
    return finish(tmp, path, name);
  } catch (error) {
    rmSync(tmp, { force: true });
    throw error;
  }
}

/** Monday-based week number since the epoch (1970-01-01 was a Thursday). */
function weekOf(at: number): number {
  return Math.floor((Math.floor(at / DAY_MS) + 3) / 7);
}

/**
 * Which backups rotation removes: daily ones beyond the newest per day for the 7 newest days,
 * plus the newest per week for the 4 weeks before those; pre-migration ones beyond the 3 newest.
 * The user's own (manual, kept aside, pre-import) are never chosen.
 */
export function backupsToRotate(backups: readonly BackupInfo[]): BackupInfo[] {
  const newestFirst = [...backups].sort((a, b) => b.createdAt - a.createdAt);
  const daily = newestFirst.filter((b) => b.kind === 'daily');
  const keep = new Set<BackupInfo>();
  const days = new Set<number>();
  for (const backup of daily) {
    const day = Math.floor(backup.createdAt / DAY_MS);
    if (days.has(day) || days.size >= KEEP_DAILY_DAYS) continue;
    days.add(day);
    keep.add(backup);
  }
  // Older than the last kept day: the newest of each of the 4 newest weeks.
  const oldestKeptDay = Math.min(...days);
  const weeks = new Set<number>();
  for (const backup of daily) {
    if (keep.has(backup) || Math.floor(backup.createdAt / DAY_MS) >= oldestKeptDay) continue;
    const week = weekOf(backup.createdAt);
    if (weeks.has(week) || weeks.size >= KEEP_WEEKLY_WEEKS) continue;
    weeks.add(week);
    keep.add(backup);
  }
  const remove = daily.filter((b) => !keep.has(b));
  remove.push(...newestFirst.filter((b) => b.kind === 'pre_migration').slice(KEEP_PRE_MIGRATION));
  return remove;
}

export function rotateBackups(dataDir: string): string[] {
  const removed: string[] = [];
  for (const backup of backupsToRotate(listBackups(dataDir))) {
    rmSync(join(backupDir(dataDir), backup.name), { force: true });
    removed.push(backup.name);
  }
  return removed;
}

/** Whether a backup can be restored: SQLite calls it sound and it is not newer than this version. */
export function checkBackup(path: string, supportedSchema: number): { ok: true } | { ok: false; reason: 'damaged' | 'newer'; detail: string } {
  let probe: Database.Database | undefined;
  try {
    probe = new Database(path, { readonly: true, fileMustExist: true });
    const version = probe.pragma('user_version', { simple: true }) as number;
    if (version > supportedSchema) return { ok: false, reason: 'newer', detail: `schema ${version}; this version knows up to ${supportedSchema}` };
    const problems = integrityProblems(probe, 3);
    if (problems !== null) return { ok: false, reason: 'damaged', detail: problems };
    return { ok: true };
  } catch (error) {
    return { ok: false, reason: 'damaged', detail: String((error as Error).message ?? error) };
  } finally {
    probe?.close();
  }
}

/** The newest backup that passes `checkBackup`, for "restore the newest good backup". */
export function newestGoodBackup(dataDir: string, supportedSchema: number): BackupInfo | undefined {
  for (const backup of listBackups(dataDir)) {
    if (checkBackup(join(backupDir(dataDir), backup.name), supportedSchema).ok) return backup;
  }
  return undefined;
}

/**
 * Moves the current database (with its WAL) into the backups folder as "kept aside", so a
 * restore or import never destroys it. Returns its name, or null when there was nothing worth
 * keeping (no file, or an empty one). The database must be closed.
 */
export function keepCurrentAside(dataDir: string, now: number, kind: Extract<BackupKind, 'kept_aside' | 'pre_import'> = 'kept_aside'): string | null {
  const current = databasePath(dataDir);
  const size = existsSync(current) ? statSync(current).size : 0;
  const walSize = existsSync(`${current}-wal`) ? statSync(`${current}-wal`).size : 0;
  if (size === 0 && walSize === 0) {
    rmSync(current, { force: true });
    rmSync(`${current}-wal`, { force: true });
    rmSync(`${current}-shm`, { force: true });
    return null;
  }
  const dir = backupDir(dataDir);
  ensurePrivateDir(dir);
  const header = size > 0 ? readSqliteHeader(current) : undefined;
  const schema = header?.kind === 'sqlite' ? Math.max(0, header.userVersion) : 0;
  const { path, name } = freshTarget(dir, kind, now, schema);
  // The WAL travels with its database under the new name, so SQLite replays it when that file is opened.
  if (existsSync(current)) renameSync(current, path);
  if (existsSync(`${current}-wal`)) renameSync(`${current}-wal`, `${path}-wal`);
  rmSync(`${current}-shm`, { force: true });
  return name;
}

/** Puts a copy of `source` in place as the database (the current one must be kept aside first). */
export async function installDatabase(dataDir: string, source: string): Promise<void> {
  const target = databasePath(dataDir);
  const tmp = `${target}.restoring`;
  await copyFile(source, tmp);
  // A backup made from a WAL database may carry a WAL of its own only when copied live; ours never do.
  makePrivate(tmp);
  fsyncFile(tmp);
  rmSync(`${target}-wal`, { force: true });
  rmSync(`${target}-shm`, { force: true });
  renameSync(tmp, target);
}
