import { readHead } from '../files';
import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { migrations as allMigrations, type Migration } from './migrations';

export type Db = Database.Database;

/** The database was written by a newer Outpost; we refuse it rather than risk damaging it. */
export class DatabaseNewerError extends Error {
  constructor(
    readonly path: string,
    readonly found: number,
    readonly supported: number,
  ) {
    super(
      `The data file ${path} was written by a newer version of Outpost (schema ${found}; this version knows up to ${supported}). ` +
        'Update Outpost to open it; the file has been left untouched.',
    );
    this.name = 'DatabaseNewerError';
  }
}

/** SQLite calls the file damaged (or it is not a database at all); start-up offers a backup instead. */
export class DatabaseCorruptError extends Error {
  constructor(
    readonly path: string,
    readonly detail: string,
  ) {
    super(`The data file ${path} is damaged (${detail}).`);
    this.name = 'DatabaseCorruptError';
  }
}

const CORRUPT_CODES = new Set(['SQLITE_CORRUPT', 'SQLITE_NOTADB', 'SQLITE_CORRUPT_INDEX', 'SQLITE_CORRUPT_SEQUENCE', 'SQLITE_CORRUPT_VTAB']);

export interface OpenOptions {
  /** Run `PRAGMA integrity_check` before anything else touches the schema (start-up of the app). */
  checkIntegrity?: boolean;
  /** Called with the database open, before pending migrations run on an existing schema (the pre-migration backup). */
  beforeMigrate?: (db: Db, from: number, to: number) => void;
  migrations?: readonly Migration[];
  /** Called for statements slower than `slowQueryMs` (default 50 ms). */
  onSlowQuery?: (sql: string, ms: number) => void;
  slowQueryMs?: number;
}

function latestVersion(migrations: readonly Migration[]): number {
  return migrations.reduce((max, m) => Math.max(max, m.version), 0);
}

const HEADER_MAGIC = 'SQLite format 3\0';
/** Byte offset of `PRAGMA user_version` in the database header (signed 32-bit, big-endian). */
const USER_VERSION_OFFSET = 60;

/**
 * The 100-byte header of a SQLite file, read without opening it through SQLite (which may create
 * -wal/-shm beside it): 'empty' for 0 bytes, 'not_sqlite' for anything else, else its user_version.
 */
export function readSqliteHeader(path: string): { kind: 'empty' } | { kind: 'not_sqlite' } | { kind: 'sqlite'; userVersion: number } {
  const header = readHead(path, 100);
  if (header.length === 0) return { kind: 'empty' };
  if (header.length < 100 || header.toString('latin1', 0, 16) !== HEADER_MAGIC) return { kind: 'not_sqlite' };
  return { kind: 'sqlite', userVersion: header.readInt32BE(USER_VERSION_OFFSET) };
}

/** Reads the schema version without writing a byte, so a refused file stays exactly as it was. */
function peekVersion(path: string): number {
  if (!existsSync(path)) return 0;
  // Without a -wal file the header is authoritative; reading it directly avoids SQLite creating -wal/-shm for a WAL file.
  if (!existsSync(`${path}-wal`)) {
    const header = readSqliteHeader(path);
    if (header.kind === 'empty') return 0;
    if (header.kind === 'sqlite') return header.userVersion;
  }
  const probe = new Database(path, { readonly: true, fileMustExist: true });
  try {
    return probe.pragma('user_version', { simple: true }) as number;
  } finally {
    probe.close();
  }
}

/** `PRAGMA integrity_check` on an open database: null when SQLite calls it sound, else its first `limit` findings. */
export function integrityProblems(db: Database.Database, limit: number): string | null {
  const rows = db.pragma(`integrity_check(${limit})`) as { integrity_check: string }[];
  const findings = rows.map((r) => r.integrity_check);
  return findings.length === 1 && findings[0] === 'ok' ? null : findings.join('; ');
}

export function openDatabase(path: string, options: OpenOptions = {}): Db {
  const migrations = options.migrations ?? allMigrations;
  const supported = latestVersion(migrations);
  let found: number;
  try {
    found = path === ':memory:' ? 0 : peekVersion(path);
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    if (typeof code === 'string' && CORRUPT_CODES.has(code)) throw new DatabaseCorruptError(path, (error as Error).message);
    throw error;
  }
  if (found > supported) throw new DatabaseNewerError(path, found, supported);

  const slowMs = options.slowQueryMs ?? 50;
  const onSlow = options.onSlowQuery;
  const db = new Database(path);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    // FULL: a laptop loses power, and a lost commit of a claim or a "published" record is a duplicate post.
    db.pragma('synchronous = FULL');
    db.pragma('busy_timeout = 5000');
    if (options.checkIntegrity) {
      const problems = integrityProblems(db, 5);
      if (problems !== null) throw new DatabaseCorruptError(path, problems);
    }
    const current = schemaVersion(db);
    if (options.beforeMigrate && current > 0 && current < supported) options.beforeMigrate(db, current, supported);
    migrate(db, migrations);
  } catch (error) {
    db.close();
    const code = (error as { code?: unknown } | null)?.code;
    if (typeof code === 'string' && CORRUPT_CODES.has(code)) throw new DatabaseCorruptError(path, (error as Error).message);
    throw error;
  }
  if (onSlow) instrumentSlowQueries(db, slowMs, onSlow);
  return db;
}

const statementCache = new WeakMap<Db, Map<string, Database.Statement>>();

/**
 * The prepared statement for `sql` on `db`, prepared once: repositories called thousands of times
 * in one transaction (a bulk import) would otherwise spend most of their time compiling SQL.
 */
export function prepared(db: Db, sql: string): Database.Statement {
  let cache = statementCache.get(db);
  if (!cache) statementCache.set(db, (cache = new Map()));
  let statement = cache.get(sql);
  if (!statement) cache.set(sql, (statement = db.prepare(sql)));
  return statement;
}

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** Applies every pending migration in one transaction: all of them land, or none. */
export function migrate(db: Db, migrations: readonly Migration[] = allMigrations): number[] {
  const ordered = [...migrations].sort((a, b) => a.version - b.version);
  ordered.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`Migrations must be numbered 1, 2, 3…; found ${m.version} at place ${i + 1}.`);
  });
  const current = schemaVersion(db);
  const supported = latestVersion(ordered);
  if (current > supported) throw new DatabaseNewerError(db.name, current, supported);
  const pending = ordered.filter((m) => m.version > current);
  if (pending.length === 0) return [];
  // A table rebuild must not cascade its DROP to the rows pointing at it: foreign keys go off outside the transaction.
  const rebuilds = pending.some((m) => m.rebuildsTables) && db.pragma('foreign_keys', { simple: true }) === 1;
  if (rebuilds) db.pragma('foreign_keys = OFF');
  try {
    db.transaction(() => {
      for (const m of pending) db.exec(m.sql);
      if (rebuilds && (db.pragma('foreign_key_check') as unknown[]).length > 0) throw new Error('A migration left rows pointing at nothing.');
      db.pragma(`user_version = ${supported}`);
    }).immediate();
  } finally {
    if (rebuilds) db.pragma('foreign_keys = ON');
  }
  return pending.map((m) => m.version);
}

/** Wraps prepare() so any statement slower than the threshold is reported with its SQL. */
function instrumentSlowQueries(db: Db, thresholdMs: number, report: (sql: string, ms: number) => void): void {
  const prepare = db.prepare.bind(db);
  const timed = <T extends (...args: never[]) => unknown>(sql: string, fn: T): T =>
    ((...args: Parameters<T>) => {
      const start = performance.now();
      try {
        return fn(...args);
      } finally {
        const ms = performance.now() - start;
        if (ms >= thresholdMs) report(sql, ms);
      }
    }) as T;
  db.prepare = ((sql: string) => {
    const statement = prepare(sql);
    for (const method of ['run', 'get', 'all'] as const) {
      const original = statement[method].bind(statement) as (...args: never[]) => unknown;
      Object.defineProperty(statement, method, { value: timed(sql, original) });
    }
    return statement;
  }) as typeof db.prepare;
}
