import Database from 'better-sqlite3';
import { chmodSync, existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { DataFolderName } from '../../core/contract';
import { readSqliteHeader } from '../store/database';

/**
 * The data folder as a whole: who may use it (one process at a time), what state its
 * database is in before anything opens it, and its private permissions.
 *
 *   <dataDir>/outpost.db (+ -wal, -shm)   the store
 *   <dataDir>/outpost.lock                held by the running app or host for its whole life
 *   <dataDir>/media/                      the library's files (see media-library.ts)
 *   <dataDir>/quarantine/                 library files that had no row at start, kept 30 days
 *   <dataDir>/backups/                    online backups (see backups.ts)
 *   <dataDir>/logs/                       the rotating log file
 *   <dataDir>/exports/                    "Export everything" archives
 */

export const DATABASE_FILE = 'outpost.db';
const LOCK_FILE = 'outpost.lock';

export function databasePath(dataDir: string): string {
  return join(dataDir, DATABASE_FILE);
}

/** Private by default on POSIX: only the user reads the folder, the database and the media. */
export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/** Makes `dir` (and its parents) and narrows it to the user; a no-op for the modes on Windows. */
export function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  makePrivate(dir, PRIVATE_DIR_MODE);
}

/** chmod that never fails start-up: a file system without modes (FAT, some network shares) is left as it is. */
export function makePrivate(path: string, mode = PRIVATE_FILE_MODE): void {
  if (process.platform === 'win32') return;
  try {
    if ((statSync(path).mode & 0o777) !== mode) chmodSync(path, mode);
  } catch {
    // A file that vanished or a file system that refuses modes: nothing to narrow.
  }
}

/** Another Outpost (the app or the development host) already works on this data folder. */
export class DataFolderInUseError extends Error {
  constructor(readonly dataDir: string) {
    super(
      `Another Outpost is already using the data folder ${dataDir}. Close the other window (or stop the other host) and start again; ` +
        'two at once could publish a post twice.',
    );
    this.name = 'DataFolderInUseError';
  }
}

export interface DataFolderLock {
  release(): void;
}

/**
 * Takes the folder for this process's life with SQLite's own locking: an exclusive lock on a
 * small lock database, which the OS drops when the process dies, so a crash never leaves a
 * stale lock behind (unlike a PID file). A second process gets SQLITE_BUSY at once.
 */
export function lockDataFolder(dataDir: string): DataFolderLock {
  const path = join(dataDir, LOCK_FILE);
  const lock = new Database(path, { timeout: 0 });
  try {
    lock.pragma('locking_mode = EXCLUSIVE');
    lock.exec('BEGIN EXCLUSIVE');
  } catch (error) {
    lock.close();
    if ((error as { code?: string }).code === 'SQLITE_BUSY') throw new DataFolderInUseError(dataDir);
    throw error;
  }
  makePrivate(path);
  let held = true;
  return {
    release: () => {
      if (!held) return;
      held = false;
      lock.close();
    },
  };
}

/** What start-up found, before opening the database for writing. */
export type DatabaseState =
  /** No database and nothing else in the folder: a first start. */
  | 'new'
  | 'ok'
  /** No database file, but the folder holds media or backups: the database was lost. */
  | 'missing'
  /** A 0-byte database, or one with no schema, beside media or backups (emptied, or its WAL lost). */
  | 'empty'
  /** Not a SQLite file, or SQLite reports it damaged. */
  | 'corrupt';

export interface FolderInspection {
  database: DatabaseState;
  /** Original files under media/ (content-addressed), whatever the database says. */
  mediaFiles: number;
  backups: number;
  /** SQLite's words when the database is damaged, for the details line (never shown alone). */
  detail?: string;
}


/** Counts library originals on disk without reading them. */
export function countMediaFiles(dataDir: string): number {
  const root = join(dataDir, 'media');
  if (!existsSync(root)) return 0;
  let count = 0;
  for (const shard of readdirSync(root)) {
    if (!/^[0-9a-f]{2}$/.test(shard)) continue;
    try {
      count += readdirSync(join(root, shard)).length;
    } catch {
      // Not a folder: the quarantine sweep deals with strays.
    }
  }
  return count;
}

function countFiles(dir: string, pattern: RegExp): number {
  if (!existsSync(dir)) return 0;
  return readdirSync(dir).filter((name) => pattern.test(name)).length;
}

/**
 * Looks at the folder without writing a byte: a missing or emptied database beside a media
 * library is a loss to report, never a fresh start that would orphan the library.
 */
export function inspectDataFolder(dataDir: string): FolderInspection {
  const mediaFiles = countMediaFiles(dataDir);
  const backups = countFiles(join(dataDir, 'backups'), /\.db$/);
  const hasWork = mediaFiles > 0 || backups > 0;
  const path = databasePath(dataDir);
  const base = { mediaFiles, backups };
  if (!existsSync(path)) return { ...base, database: hasWork ? 'missing' : 'new' };

  const size = statSync(path).size;
  const walSize = existsSync(`${path}-wal`) ? statSync(`${path}-wal`).size : 0;
  if (size === 0 && walSize === 0) return { ...base, database: hasWork ? 'empty' : 'new' };
  const hasWal = walSize > 0;
  if (size > 0) {
    const header = readSqliteHeader(path);
    if (header.kind !== 'sqlite') return { ...base, database: 'corrupt', detail: 'The file does not start with a SQLite header.' };
    // Migrations set user_version in the transaction that makes the tables: 0 means none of ours.
    // Without a WAL the header is authoritative, and reading it writes nothing (a refused newer file stays untouched).
    if (!hasWal) return { ...base, database: header.userVersion === 0 ? (hasWork ? 'empty' : 'new') : 'ok' };
  }
  try {
    // A WAL may hold commits the header does not show yet: ask SQLite, read-only.
    const probe = new Database(path, { readonly: true, fileMustExist: true });
    try {
      const version = probe.pragma('user_version', { simple: true }) as number;
      if (version === 0) return { ...base, database: hasWork ? 'empty' : 'new' };
    } finally {
      probe.close();
    }
  } catch (error) {
    return { ...base, database: 'corrupt', detail: String((error as Error).message ?? error) };
  }
  return { ...base, database: 'ok' };
}

export function backupDir(dataDir: string): string {
  return join(dataDir, 'backups');
}

/** Where each of the data folder's parts lives (Settings › Data opens them). */
export function dataFolderPath(dataDir: string, folder: DataFolderName): string {
  switch (folder) {
    case 'data':
      return dataDir;
    case 'backups':
      return backupDir(dataDir);
    case 'logs':
      return join(dataDir, 'logs');
    case 'exports':
      return join(dataDir, 'exports');
    case 'quarantine':
      return join(dataDir, 'quarantine');
  }
}
