import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { copyFileSync, createReadStream, existsSync, linkSync, mkdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';
import * as tar from 'tar';
import type { Db } from '../store/database';
import { openDatabase } from '../store/database';
import { ensurePrivateDir, makePrivate } from './data-folder';

/**
 * "Export everything" and "Import from an export": one uncompressed tar (media are JPEG, PNG,
 * WebP and MP4 already; gzip would spend minutes on gigabytes to save a few percent).
 *
 *   manifest.json        format, app and schema versions, counts, and every file's size and sha256
 *   outpost.db           a consistent snapshot (SQLite's online backup) with keychain references removed
 *   media/ab/<sha256>    every original in the library (designs and templates live in the database)
 *
 * Sign-ins are not in it: they stay in this computer's keychain. An import checks the manifest
 * (format, a schema no newer than this Outpost) and every file's checksum in a staging folder
 * before anything replaces the user's data; imported accounts need reconnecting and their
 * scheduled posts wait for that.
 */

export const EXPORT_FORMAT = 'outpost-export';
export const EXPORT_FORMAT_VERSION = 1;
const MANIFEST = 'manifest.json';
const DATABASE = 'outpost.db';
const MEDIA_ENTRY = /^media\/[0-9a-f]{2}\/[0-9a-f]{64}$/;

export interface ExportManifest {
  format: typeof EXPORT_FORMAT;
  formatVersion: number;
  appVersion: string;
  schemaVersion: number;
  createdAt: string;
  counts: { projects: number; accounts: number; posts: number; targets: number; media: number; designs: number; templates: number };
  files: { path: string; bytes: number; sha256: string }[];
}

export type ArchiveRefusal = 'not_an_export' | 'newer_version' | 'checksum_mismatch' | 'damaged';

export class ArchiveError extends Error {
  constructor(
    readonly reason: ArchiveRefusal,
    message: string,
  ) {
    super(message);
    this.name = 'ArchiveError';
  }
}

async function sha256Of(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

function counts(db: Database.Database): ExportManifest['counts'] {
  const n = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
  return {
    projects: n('SELECT COUNT(*) AS n FROM projects'),
    accounts: n('SELECT COUNT(*) AS n FROM accounts'),
    posts: n('SELECT COUNT(*) AS n FROM posts'),
    targets: n('SELECT COUNT(*) AS n FROM post_targets'),
    media: n('SELECT COUNT(*) AS n FROM media'),
    designs: n('SELECT COUNT(*) AS n FROM media WHERE design IS NOT NULL'),
    templates: n('SELECT COUNT(*) AS n FROM design_templates'),
  };
}

function stamp(at: number): string {
  return new Date(at).toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
}

export interface ExportSummary {
  path: string;
  bytes: number;
  posts: number;
  media: number;
  /** Library entries whose file was missing on disk (left out; the rest is complete). */
  missingMedia: number;
}

/** Writes `<outDir>/outpost-export-<stamp>.tar` from the live database and media folder. */
export async function exportEverything(options: { db: Db; dataDir: string; outDir: string; appVersion: string; now: number }): Promise<ExportSummary> {
  ensurePrivateDir(options.outDir);
  const work = join(options.outDir, `.export-${stamp(options.now)}-${process.pid}`);
  rmSync(work, { recursive: true, force: true });
  ensurePrivateDir(work);
  try {
    const snapshot = join(work, DATABASE);
    await options.db.backup(snapshot);
    const copy = new Database(snapshot);
    let manifestCounts: ExportManifest['counts'];
    let shas: string[];
    let schemaVersion: number;
    try {
      // Keychain references point into this computer's keychain: meaningless elsewhere, so left out.
      copy.prepare('UPDATE accounts SET secret_ref = NULL').run();
      copy.pragma('journal_mode = DELETE');
      manifestCounts = counts(copy);
      shas = (copy.prepare('SELECT sha256 FROM media ORDER BY sha256').all() as { sha256: string }[]).map((r) => r.sha256);
      schemaVersion = copy.pragma('user_version', { simple: true }) as number;
      copy.exec('VACUUM');
    } finally {
      copy.close();
    }
    const files: ExportManifest['files'] = [{ path: DATABASE, bytes: statSync(snapshot).size, sha256: await sha256Of(snapshot) }];
    let missingMedia = 0;
    for (const sha of shas) {
      const source = join(options.dataDir, 'media', sha.slice(0, 2), sha);
      if (!existsSync(source)) {
        missingMedia++;
        continue;
      }
      const entry = posix.join('media', sha.slice(0, 2), sha);
      const target = join(work, entry);
      mkdirSync(dirname(target), { recursive: true, mode: 0o700 });
      // A hard link costs nothing; another file system (or one without links) gets a copy.
      try {
        linkSync(source, target);
      } catch {
        copyFileSync(source, target);
      }
      // Content-addressed: the name is the checksum the library verified when it took the file.
      files.push({ path: entry, bytes: statSync(target).size, sha256: sha });
    }
    const manifest: ExportManifest = {
      format: EXPORT_FORMAT,
      formatVersion: EXPORT_FORMAT_VERSION,
      appVersion: options.appVersion,
      schemaVersion,
      createdAt: new Date(options.now).toISOString(),
      counts: manifestCounts,
      files,
    };
    writeFileSync(join(work, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`, { mode: 0o600 });
    const path = join(options.outDir, `outpost-export-${stamp(options.now)}.tar`);
    const partial = `${path}.partial`;
    await tar.create({ file: partial, cwd: work, portable: true }, [MANIFEST, ...files.map((f) => f.path)]);
    makePrivate(partial);
    // A half-written archive never looks finished: it gets its name only when complete.
    renameSync(partial, path);
    return { path, bytes: statSync(path).size, posts: manifestCounts.posts, media: files.length - 1, missingMedia };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

async function readManifest(archivePath: string): Promise<ExportManifest> {
  let text: string | undefined;
  try {
    await tar.list({
      file: archivePath,
      strict: true,
      filter: (path) => path === MANIFEST,
      onReadEntry: (entry) => {
        const chunks: Buffer[] = [];
        entry.on('data', (chunk: Buffer) => chunks.push(chunk));
        entry.on('end', () => (text = Buffer.concat(chunks).toString('utf8')));
      },
    });
  } catch (error) {
    throw new ArchiveError('not_an_export', `This file is not an Outpost export (${(error as Error).message}). Choose a file made with “Export everything”.`);
  }
  if (text === undefined) throw new ArchiveError('not_an_export', 'This file is not an Outpost export. Choose a file made with “Export everything”.');
  let manifest: ExportManifest;
  try {
    manifest = JSON.parse(text) as ExportManifest;
  } catch {
    throw new ArchiveError('damaged', 'The export’s table of contents is damaged. Export again on the other computer.');
  }
  if (manifest.format !== EXPORT_FORMAT || !Array.isArray(manifest.files) || typeof manifest.schemaVersion !== 'number') {
    throw new ArchiveError('not_an_export', 'This file is not an Outpost export. Choose a file made with “Export everything”.');
  }
  return manifest;
}

export interface ImportSummary {
  manifest: ExportManifest;
  /** The staged database, checked and prepared for this computer. */
  database: string;
  /** The staged media folder (media/ab/<sha256>). */
  media: string;
}

/**
 * Unpacks and checks an export in `stagingDir` (created empty): the manifest's format and
 * schema, only the entries an export holds, every file's size and sha256. Then the staged
 * database is upgraded if older, every account marked "reconnect needed" and its live jobs
 * held. Nothing outside `stagingDir` is touched; on any refusal it is removed.
 */
export async function stageImport(options: { archivePath: string; stagingDir: string; supportedSchema: number }): Promise<ImportSummary> {
  const manifest = await readManifest(options.archivePath);
  if (manifest.formatVersion > EXPORT_FORMAT_VERSION || manifest.schemaVersion > options.supportedSchema) {
    throw new ArchiveError('newer_version', `This export was made by a newer Outpost (data version ${manifest.schemaVersion}). Update Outpost, then import it.`);
  }
  const expected = new Map(manifest.files.map((f) => [f.path, f]));
  for (const path of expected.keys()) {
    if (path !== DATABASE && !MEDIA_ENTRY.test(path)) throw new ArchiveError('damaged', `The export lists a file Outpost does not write (${path.slice(0, 80)}).`);
  }
  if (!expected.has(DATABASE)) throw new ArchiveError('damaged', 'The export holds no database. Export again on the other computer.');
  rmSync(options.stagingDir, { recursive: true, force: true });
  ensurePrivateDir(options.stagingDir);
  try {
    let unexpected: string | undefined;
    await tar.extract({
      file: options.archivePath,
      cwd: options.stagingDir,
      strict: true,
      // Only regular files with the names an export holds: no links, no paths that climb out.
      filter: (path, entry) => {
        const ok = (path === MANIFEST || expected.has(path)) && (!('type' in entry) || entry.type === 'File');
        if (!ok) unexpected ??= path;
        return ok;
      },
    });
    if (unexpected !== undefined) throw new ArchiveError('damaged', `The export holds a file Outpost does not write (${unexpected.slice(0, 80)}).`);
    for (const file of manifest.files) {
      const path = join(options.stagingDir, file.path);
      if (!existsSync(path) || statSync(path).size !== file.bytes || (await sha256Of(path)) !== file.sha256) {
        throw new ArchiveError('checksum_mismatch', `${file.path} in the export does not match its checksum: the file was damaged on the way. Export again on the other computer.`);
      }
    }
    const database = join(options.stagingDir, DATABASE);
    const db = openDatabase(database, { checkIntegrity: true });
    try {
      const now = Date.now();
      db.transaction(() => {
        db.prepare(
          `UPDATE accounts SET status = 'reconnect_needed', secret_ref = NULL, updated_at = ?,
             status_reason = 'Imported from another computer: sign-ins stay in that computer''s keychain. Reconnect this account.'`,
        ).run(now);
        // Nothing fires on this computer until its account is reconnected (releaseAccount takes them up).
        db.prepare(
          `UPDATE jobs SET state = 'held', reason = 'auth', lease_until = NULL, updated_at = ?,
             verify_first = CASE WHEN state = 'running' THEN 1 ELSE verify_first END
           WHERE state IN ('pending', 'running')`,
        ).run(now);
      })();
      db.pragma('wal_checkpoint(TRUNCATE)');
    } finally {
      db.close();
    }
    rmSync(join(options.stagingDir, MANIFEST), { force: true });
    return { manifest, database, media: join(options.stagingDir, 'media') };
  } catch (error) {
    rmSync(options.stagingDir, { recursive: true, force: true });
    if (error instanceof ArchiveError) throw error;
    throw new ArchiveError('damaged', `The export could not be read (${(error as Error).message}). Export again on the other computer.`);
  }
}
