import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  listPostsInRange,
  POSTS_IN_RANGE_FOR_PROJECT_SQL,
  POSTS_IN_RANGE_SQL,
} from '../../main/services/posts/posts-repo';
import { NEXT_DUE_JOB_SQL, nextDueJob } from '../../main/services/scheduler/jobs-repo';
import { DatabaseNewerError, migrate, openDatabase, schemaVersion, type Db } from '../../main/services/store/database';
import { migrations, type Migration } from '../../main/services/store/migrations';
import { makeTempDir } from './support/backend';

const latest = Math.max(...migrations.map((m) => m.version));
const firstSchemaTables = ['accounts', 'job_log', 'jobs', 'media', 'post_media', 'post_targets', 'posts', 'projects', 'settings'];
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

let dir: ReturnType<typeof makeTempDir>;
let opened: Db[];

beforeEach(() => {
  dir = makeTempDir('outpost-store-');
  opened = [];
});

afterEach(() => {
  for (const db of opened) if (db.open) db.close();
  dir.remove();
});

function open(name = 'outpost.db', list?: readonly Migration[]): Db {
  const db = openDatabase(join(dir.path, name), list ? { migrations: list } : {});
  opened.push(db);
  return db;
}

/** The migrations, each recording in `ran` when its SQL is read, which is only when it is applied. */
function watched(list: readonly Migration[], ran: number[]): Migration[] {
  return list.map((m) => ({
    version: m.version,
    name: m.name,
    get sql() {
      ran.push(m.version);
      return m.sql;
    },
  }));
}

function sha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

function insertProject(db: Db, id: string, name = id): void {
  db.prepare(
    `INSERT INTO projects (id, name, name_key, color, timezone, created_at, updated_at)
     VALUES (?, ?, ?, '#2563eb', 'Europe/Berlin', 0, 0)`,
  ).run(id, name, name.toLowerCase());
}

function insertPost(db: Db, id: string, projectId: string, scheduledAt: number | null, status = 'scheduled'): void {
  db.prepare(
    `INSERT INTO posts (id, project_id, body, status, scheduled_at, timezone, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, 'Europe/Berlin', 0, 0)`,
  ).run(id, projectId, `body of ${id}`, status, scheduledAt);
}

/** A project, account, post and target, so jobs have something to point at. */
function insertTarget(db: Db, id: string): void {
  insertProject(db, `p-${id}`);
  db.prepare(
    `INSERT INTO accounts (id, project_id, network, handle, created_at, updated_at) VALUES (?, ?, 'mastodon', '@me', 0, 0)`,
  ).run(`a-${id}`, `p-${id}`);
  insertPost(db, `post-${id}`, `p-${id}`, null, 'draft');
  db.prepare('INSERT INTO post_targets (id, post_id, account_id) VALUES (?, ?, ?)').run(id, `post-${id}`, `a-${id}`);
}

function insertJob(db: Db, id: string, targetId: string, nextAttemptAt: number, state = 'pending'): void {
  db.prepare(
    `INSERT INTO jobs (id, kind, target_id, state, due_at, next_attempt_at, idempotency_key, created_at, updated_at)
     VALUES (?, 'publish', ?, ?, ?, ?, ?, 0, 0)`,
  ).run(id, targetId, state, nextAttemptAt, nextAttemptAt, `key-${id}`);
}

function tableNames(db: Db): string[] {
  const rows = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all() as {
    name: string;
  }[];
  return rows.map((r) => r.name).sort();
}

describe('migrating an empty database', () => {
  it('lands on the latest version with every first-schema table, all STRICT, in WAL with foreign keys on', () => {
    const db = open();

    expect(schemaVersion(db)).toBe(latest);
    expect(tableNames(db)).toEqual(expect.arrayContaining(firstSchemaTables));
    const tables = db.prepare("PRAGMA table_list").all() as { schema: string; name: string; type: string; strict: number }[];
    const ours = tables.filter((t) => t.schema === 'main' && t.type === 'table' && !t.name.startsWith('sqlite_'));
    expect(ours.map((t) => t.name).sort()).toEqual(tableNames(db));
    for (const table of ours) expect({ table: table.name, strict: table.strict }).toEqual({ table: table.name, strict: 1 });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
  });

  it('refuses a row that points at a project that does not exist', () => {
    const db = open();
    expect(() => insertPost(db, 'orphan', 'no-such-project', Date.UTC(2026, 0, 1))).toThrow(
      expect.objectContaining({ code: 'SQLITE_CONSTRAINT_FOREIGNKEY' }),
    );
    expect(db.prepare('SELECT count(*) AS n FROM posts').get()).toEqual({ n: 0 });
  });

  it('refuses a value of the wrong type instead of storing it (STRICT)', () => {
    const db = open();
    insertProject(db, 'p1');
    expect(() => insertPost(db, 'bad', 'p1', 'tomorrow' as unknown as number)).toThrow(/cannot store TEXT value in INTEGER column/);
  });
});

describe('reopening', () => {
  it('keeps what was written and runs no migration again', () => {
    const ran: number[] = [];
    const first = open('outpost.db', watched(migrations, ran));
    expect(ran).toEqual(migrations.map((m) => m.version));
    insertProject(first, 'p1', 'Acme');
    insertPost(first, 'post1', 'p1', Date.UTC(2026, 2, 1, 9));
    first.close();

    ran.length = 0;
    const again = open('outpost.db', watched(migrations, ran));
    expect(ran).toEqual([]);
    expect(migrate(again)).toEqual([]);
    expect(schemaVersion(again)).toBe(latest);
    expect(again.prepare('SELECT name FROM projects').all()).toEqual([{ name: 'Acme' }]);
    expect(listPostsInRange(again, { from: 0, to: Date.UTC(2030, 0, 1) }).map((p) => p.id)).toEqual(['post1']);
  });
});

describe('a database written by a newer Outpost', () => {
  // A newer Outpost writes WAL files; a hand-made or older file may use a rollback journal.
  it.each(['delete', 'wal'])('is refused and left byte-identical (journal_mode %s)', (mode) => {
    const path = join(dir.path, 'outpost.db');
    const raw = new Database(path);
    raw.pragma(`journal_mode = ${mode}`);
    raw.exec("CREATE TABLE future (x TEXT) STRICT; INSERT INTO future VALUES ('from the future');");
    raw.pragma(`user_version = ${latest + 1}`);
    raw.close();
    const before = sha256(path);
    const filesBefore = readdirSync(dir.path).sort();
    expect(filesBefore).toEqual(['outpost.db']);

    let caught: unknown;
    try {
      opened.push(openDatabase(path));
    } catch (error) {
      caught = error;
    }

    expect(caught).toBeInstanceOf(DatabaseNewerError);
    expect((caught as DatabaseNewerError).message).toMatch(/Update Outpost/);
    expect(caught).toMatchObject({ found: latest + 1, supported: latest });
    expect(sha256(path)).toBe(before);
    expect(readdirSync(dir.path).sort()).toEqual(filesBefore);
  });
});

describe('migrations run in one transaction', () => {
  const good: Migration = { version: 1, name: 'notes', sql: 'CREATE TABLE notes (body TEXT NOT NULL) STRICT;' };
  const broken: Migration = {
    version: 2,
    name: 'broken',
    sql: 'CREATE TABLE tags (name TEXT NOT NULL) STRICT; INSERT INTO no_such_table VALUES (1);',
  };

  it('leaves the database at the previous version with no trace of a failed migration', () => {
    const v1 = open('outpost.db', [good]);
    v1.prepare("INSERT INTO notes VALUES ('keep me')").run();
    v1.close();

    expect(() => open('outpost.db', [good, broken])).toThrow(/no such table: no_such_table/);

    const after = open('outpost.db', [good]);
    expect(schemaVersion(after)).toBe(1);
    expect(tableNames(after)).toEqual(['notes']);
    expect(after.prepare('SELECT body FROM notes').all()).toEqual([{ body: 'keep me' }]);
  });

  it('applies none of several pending migrations when a later one fails', () => {
    expect(() => open('outpost.db', [good, broken])).toThrow();

    const raw = new Database(join(dir.path, 'outpost.db'), { readonly: true });
    try {
      expect(raw.pragma('user_version', { simple: true })).toBe(0);
      expect(tableNames(raw)).toEqual([]);
    } finally {
      raw.close();
    }
  });

  it('applies the fixed migration on the next start', () => {
    open('outpost.db', [good]).close();
    expect(() => open('outpost.db', [good, broken])).toThrow();
    const fixed: Migration = { ...broken, sql: 'CREATE TABLE tags (name TEXT NOT NULL) STRICT;' };
    const db = open('outpost.db', [good, fixed]);
    expect(schemaVersion(db)).toBe(2);
    expect(tableNames(db)).toEqual(['notes', 'tags']);
  });
});

describe('the calendar and scheduler queries', () => {
  const start = Date.UTC(2026, 0, 1);

  /** Thousands of posts over a year in five projects, and jobs that are mostly done. */
  function seeded(): Db {
    const db = open();
    db.transaction(() => {
      for (let p = 0; p < 5; p++) insertProject(db, `p${p}`);
      for (let i = 0; i < 5000; i++) {
        const draft = i % 10 === 0;
        insertPost(db, `post${i}`, `p${i % 5}`, draft ? null : start + ((i * 7919) % 365) * DAY + (i % 24) * HOUR, draft ? 'draft' : 'scheduled');
      }
      for (let t = 0; t < 200; t++) insertTarget(db, `t${t}`);
      // A target has at most one live job of a kind (jobs_live_per_target): each pending job gets its own.
      for (let j = 0; j < 3000; j++) {
        const pending = j % 20 === 0;
        insertJob(db, `job${j}`, pending ? `t${50 + j / 20}` : `t${j % 50}`, start + j * HOUR, pending ? 'pending' : 'done');
      }
    })();
    db.exec('ANALYZE');
    return db;
  }

  function plan(db: Db, sql: string, params: Record<string, unknown> = {}): string[] {
    const rows = db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(params) as { detail: string }[];
    return rows.map((r) => r.detail);
  }

  /** Every step reads through the named index; none reads the whole table. */
  function expectIndexed(details: string[], table: string, index: string): void {
    expect(details.some((d) => new RegExp(`^(SEARCH|SCAN) ${table} USING (COVERING )?INDEX ${index}\\b`).test(d))).toBe(true);
    expect(details.filter((d) => d === `SCAN ${table}` || d.startsWith(`SCAN ${table} `) && !/USING (COVERING )?INDEX/.test(d))).toEqual([]);
  }

  it('reads one project’s month through posts_project_scheduled', () => {
    const db = seeded();
    const details = plan(db, POSTS_IN_RANGE_FOR_PROJECT_SQL, { projectId: 'p2', from: start, to: start + 31 * DAY });
    expectIndexed(details, 'posts', 'posts_project_scheduled');
  });

  it('reads every project’s month through posts_scheduled', () => {
    const db = seeded();
    const details = plan(db, POSTS_IN_RANGE_SQL, { from: start, to: start + 31 * DAY });
    expectIndexed(details, 'posts', 'posts_scheduled');
  });

  it('finds the next pending job through the partial index jobs_next_due', () => {
    const db = seeded();
    expectIndexed(plan(db, NEXT_DUE_JOB_SQL), 'jobs', 'jobs_next_due');
  });

  it('returns the posts in [from, to), earliest first, for one project or all', () => {
    const db = open();
    insertProject(db, 'acme');
    insertProject(db, 'beta');
    const from = Date.UTC(2026, 2, 1);
    const to = Date.UTC(2026, 3, 1);
    insertPost(db, 'before', 'acme', from - 1);
    insertPost(db, 'at-start', 'acme', from);
    insertPost(db, 'beta-mid', 'beta', from + 10 * DAY);
    insertPost(db, 'acme-mid', 'acme', from + 5 * DAY, 'published');
    insertPost(db, 'last-ms', 'beta', to - 1);
    insertPost(db, 'at-end', 'acme', to);
    insertPost(db, 'unscheduled', 'acme', null, 'draft');

    expect(listPostsInRange(db, { from, to }).map((p) => p.id)).toEqual(['at-start', 'acme-mid', 'beta-mid', 'last-ms']);
    expect(listPostsInRange(db, { projectId: 'acme', from, to })).toEqual([
      { id: 'at-start', projectId: 'acme', body: 'body of at-start', status: 'scheduled', scheduledAt: from, timezone: 'Europe/Berlin' },
      { id: 'acme-mid', projectId: 'acme', body: 'body of acme-mid', status: 'published', scheduledAt: from + 5 * DAY, timezone: 'Europe/Berlin' },
    ]);
    expect(listPostsInRange(db, { projectId: 'nobody', from, to })).toEqual([]);
  });

  it('picks the pending job with the earliest next attempt, skipping jobs in other states', () => {
    const db = open();
    expect(nextDueJob(db)).toBeUndefined();
    for (const t of ['t1', 't2', 't3']) insertTarget(db, t);
    // One live publish job per target (jobs_live_per_target), so the live ones sit on targets of their own.
    insertJob(db, 'later', 't1', start + 2 * HOUR);
    insertJob(db, 'done-earlier', 't1', start, 'done');
    insertJob(db, 'running-earlier', 't2', start, 'running');
    insertJob(db, 'soonest', 't3', start + HOUR);

    expect(nextDueJob(db)).toEqual({
      id: 'soonest',
      kind: 'publish',
      targetId: 't3',
      dueAt: start + HOUR,
      nextAttemptAt: start + HOUR,
      attempts: 0,
      idempotencyKey: 'key-soonest',
    });
  });
});
