import Database from 'better-sqlite3';
import { createHash, randomUUID } from 'node:crypto';
import {
  copyFileSync,
  createReadStream,
  createWriteStream,
  existsSync,
  linkSync,
  mkdirSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
  type WriteStream,
} from 'node:fs';
import { basename, dirname, isAbsolute, join, posix, relative, resolve } from 'node:path';
import * as tar from 'tar';
import { recordStop, type JobRow } from '../scheduler/jobs-repo';
import type { Db } from '../store/database';
import { DatabaseCorruptError, DatabaseNewerError, openDatabase } from '../store/database';
import { DATABASE_FILE, ensurePrivateDir, makePrivate, PRIVATE_FILE_MODE } from './data-folder';

/**
 * "Export everything" and "Import from an export". One UNCOMPRESSED tar: the media are JPEG,
 * PNG, WebP and MP4 already, so gzip would spend minutes on gigabytes to save a few percent, and
 * a plain tar can be checked and listed by any tool. Entries, in this order:
 *
 *   manifest.json               first, so an import reads it (and refuses) before extracting anything:
 *                               { format: 'outpost-export', formatVersion, appVersion, schemaVersion,
 *                                 createdAt (ISO), counts: { projects, accounts, posts, targets, media,
 *                                 designs, templates }, files: [{ path, bytes, sha256 }] }
 *   outpost.db                  a consistent snapshot (SQLite's online backup) with every
 *                               accounts.secret_ref nulled and the file vacuumed; designs
 *                               (media.design) and design_templates travel inside it
 *   media/<ab>/<sha256>         every original the snapshot names (name = content checksum)
 *   media/thumbs/<sha256>.webp  its thumbnail: nothing regenerates a missing one, so they travel too
 *
 * Sign-ins are not in it: they stay in this computer's keychain. An import reads the manifest,
 * refuses a newer format or schema before extracting, extracts only the listed files (each
 * checked against size and sha256 as it streams) into a staging folder, prepares the database
 * for the new computer (migrated, every account "reconnect needed", live jobs held), and only
 * then moves it into place.
 */

export const EXPORT_FORMAT = 'outpost-export';
export const EXPORT_FORMAT_VERSION = 1;
const MANIFEST = 'manifest.json';
const DATABASE = DATABASE_FILE;
const ORIGINAL_ENTRY = /^media\/([0-9a-f]{2})\/([0-9a-f]{64})$/;
const THUMB_ENTRY = /^media\/thumbs\/[0-9a-f]{64}\.webp$/;
/** Folder entries another tar tool may add; they carry nothing and are skipped. */
const FOLDER_ENTRY = /^media(\/([0-9a-f]{2}|thumbs))?\/?$/;
const SHA256 = /^[0-9a-f]{64}$/;
/** A manifest lists ~130 bytes a file: this fits half a million files and stops a hostile one early. */
const MAX_MANIFEST_BYTES = 64 * 1024 * 1024;
/** OS litter that does not make a folder "not empty". */
const IGNORABLE = new Set(['.DS_Store', 'Thumbs.db', 'desktop.ini']);

export const RECONNECT_REASON = 'Imported from another computer: its sign-in stays in that computer’s keychain. Reconnect this account.';

export interface ExportManifest {
  format: typeof EXPORT_FORMAT;
  formatVersion: number;
  appVersion: string;
  schemaVersion: number;
  createdAt: string;
  counts: ExportCounts;
  files: ExportFile[];
}

export interface ExportCounts {
  projects: number;
  accounts: number;
  posts: number;
  targets: number;
  media: number;
  /** Library images that carry an editor design (re-editable). */
  designs: number;
  templates: number;
}

export interface ExportFile {
  path: string;
  bytes: number;
  sha256: string;
}

export type ArchiveRefusal = 'not_an_export' | 'newer_version' | 'checksum_mismatch' | 'damaged' | 'target_not_empty';

/** A refused export or import; `message` is one sentence that says what to do. */
export class ArchiveError extends Error {
  constructor(
    readonly reason: ArchiveRefusal,
    message: string,
    /** The underlying error's words, for the log; never shown to the user. */
    readonly detail?: string,
  ) {
    super(message);
    this.name = 'ArchiveError';
  }
}

const NOT_AN_EXPORT = 'This file is not an Outpost export; choose a file made with “Export everything”.';

async function sha256Of(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

function countRows(db: Database.Database): ExportCounts {
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

function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
}

/** Hard link when the file system allows (free, and immune to the library deleting the file meanwhile), else a copy. */
function linkOrCopy(source: string, target: string): void {
  mkdirSync(dirname(target), { recursive: true, mode: 0o700 });
  try {
    linkSync(source, target);
  } catch {
    copyFileSync(source, target);
  }
}

// --- export ----------------------------------------------------------------------------------

export type ExportOptions = {
  db: Db;
  dataDir: string;
  appVersion: string;
  now: number;
} & (
  | { /** The archive's full path (the user's choice in a save dialog); replaced when it exists. */ outPath: string; outDir?: undefined }
  | { /** A folder: the archive is named `outpost-export-<UTC stamp>.tar` inside it. */ outDir: string; outPath?: undefined }
);

export interface ExportSummary {
  path: string;
  bytes: number;
  counts: ExportCounts;
  posts: number;
  /** Originals in the archive. */
  media: number;
  thumbnails: number;
  /** Library entries whose file was missing on disk (left out; the rest is complete). */
  missingMedia: number;
  /** Library files whose bytes no longer match their checksum (left out: they would fail the import). */
  damagedMedia: number;
  leftOut: { sha256: string; reason: 'missing' | 'damaged' }[];
}

/**
 * Writes one archive of everything from the live database (which keeps working meanwhile) and
 * the media folder. The archive appears under its name only when complete.
 */
export async function exportEverything(options: ExportOptions): Promise<ExportSummary> {
  let path: string;
  if (options.outPath !== undefined) {
    path = resolve(options.outPath);
    // The user's own folder (Desktop, a USB stick): created if need be, its permissions left alone.
    mkdirSync(dirname(path), { recursive: true });
  } else {
    path = join(resolve(options.outDir), `outpost-export-${stamp(options.now)}.tar`);
    ensurePrivateDir(dirname(path));
  }
  // Work beside the library (same disk), so originals are linked, not copied, whatever disk the archive goes to.
  const work = join(resolve(options.dataDir), 'exports', `.export-${stamp(options.now)}-${randomUUID().slice(0, 8)}`);
  rmSync(work, { recursive: true, force: true });
  ensurePrivateDir(work);
  const partial = `${path}.partial`;
  try {
    const snapshot = join(work, DATABASE);
    await options.db.backup(snapshot, {
      // The rest in one step: a writer on another connection restarts a stepwise backup, and a busy one could starve it.
      // Not "the pages remaining": the file grows between steps, and a step one page short left a gap a writer always filled.
      progress: () => 2 ** 30,
    });
    const copy = new Database(snapshot);
    let counts: ExportCounts;
    let shas: string[];
    let schemaVersion: number;
    try {
      // Rollback journal first, so no page with a keychain reference is left in a -wal file.
      copy.pragma('journal_mode = DELETE');
      // Keychain references point into this computer's keychain: meaningless elsewhere, so left out.
      copy.prepare('UPDATE accounts SET secret_ref = NULL').run();
      counts = countRows(copy);
      shas = (copy.prepare('SELECT DISTINCT sha256 FROM media ORDER BY sha256').all() as { sha256: string }[]).map((r) => r.sha256);
      schemaVersion = copy.pragma('user_version', { simple: true }) as number;
      // Rewrites every page: the old values are not left behind in free pages.
      copy.exec('VACUUM');
    } finally {
      copy.close();
    }
    const files: ExportFile[] = [{ path: DATABASE, bytes: statSync(snapshot).size, sha256: await sha256Of(snapshot) }];
    const leftOut: ExportSummary['leftOut'] = [];
    let thumbnails = 0;
    const library = join(resolve(options.dataDir), 'media');
    for (const sha of shas) {
      if (!SHA256.test(sha)) continue;
      const entry = posix.join('media', sha.slice(0, 2), sha);
      const source = join(library, sha.slice(0, 2), sha);
      if (!existsSync(source)) {
        leftOut.push({ sha256: sha, reason: 'missing' });
        continue;
      }
      const staged = join(work, entry);
      linkOrCopy(source, staged);
      // Checked now, while the user still has this computer: a rotted file would otherwise fail the whole import there.
      if ((await sha256Of(staged)) !== sha) {
        rmSync(staged, { force: true });
        leftOut.push({ sha256: sha, reason: 'damaged' });
        continue;
      }
      files.push({ path: entry, bytes: statSync(staged).size, sha256: sha });
      const thumb = join(library, 'thumbs', `${sha}.webp`);
      if (existsSync(thumb)) {
        const thumbEntry = posix.join('media', 'thumbs', `${sha}.webp`);
        const stagedThumb = join(work, thumbEntry);
        linkOrCopy(thumb, stagedThumb);
        files.push({ path: thumbEntry, bytes: statSync(stagedThumb).size, sha256: await sha256Of(stagedThumb) });
        thumbnails++;
      }
    }
    const manifest: ExportManifest = {
      format: EXPORT_FORMAT,
      formatVersion: EXPORT_FORMAT_VERSION,
      appVersion: options.appVersion,
      schemaVersion,
      createdAt: new Date(options.now).toISOString(),
      counts,
      files,
    };
    writeFileSync(join(work, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`, { mode: PRIVATE_FILE_MODE });
    rmSync(partial, { force: true });
    // node-tar streams each file from disk: memory stays flat whatever the library's size.
    await tar.create({ file: partial, cwd: work, portable: true, maxReadSize: 1 << 20 }, [MANIFEST, ...files.map((f) => f.path)]);
    makePrivate(partial);
    // A half-written archive never looks finished: it gets its name only when complete.
    renameSync(partial, path);
    const originals = files.length - 1 - thumbnails;
    const missingMedia = leftOut.filter((l) => l.reason === 'missing').length;
    return {
      path,
      bytes: statSync(path).size,
      counts,
      posts: counts.posts,
      media: originals,
      thumbnails,
      missingMedia,
      damagedMedia: leftOut.length - missingMedia,
      leftOut,
    };
  } catch (error) {
    rmSync(partial, { force: true });
    throw error;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

// --- reading an archive ----------------------------------------------------------------------

/** Feeds the archive to node-tar's parser; `onEntry` may call `stop` to end the read early. */
function parseArchive(
  archivePath: string,
  onEntry: (entry: tar.ReadEntry, stop: (error?: Error) => void) => void,
): Promise<void> {
  return new Promise<void>((resolvePromise, reject) => {
    let settled = false;
    const source = createReadStream(archivePath, { highWaterMark: 1 << 20 });
    // strict: every warning (a bad header, a truncated body) is an error, not a skipped entry.
    const parser = new tar.Parser({ strict: true });
    const stop = (error?: Error) => {
      if (settled) return;
      settled = true;
      source.destroy();
      if (error) reject(error);
      else resolvePromise();
    };
    parser.on('entry', (entry: tar.ReadEntry) => {
      if (settled) {
        entry.resume();
        return;
      }
      try {
        onEntry(entry, stop);
      } catch (error) {
        entry.resume();
        stop(error as Error);
      }
    });
    parser.on('error', (error: Error) => stop(error));
    parser.on('end', () => stop());
    source.on('error', (error) => stop(error));
    source.pipe(parser as unknown as NodeJS.WritableStream);
  });
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

/** The manifest, from the archive's first entry; nothing else is read. */
export async function readManifest(archivePath: string): Promise<ExportManifest> {
  let text: string | undefined;
  let first = true;
  try {
    await parseArchive(archivePath, (entry, stop) => {
      const isManifest = first && entry.path === MANIFEST && entry.type === 'File' && entry.size <= MAX_MANIFEST_BYTES;
      first = false;
      if (!isManifest) {
        entry.resume();
        stop();
        return;
      }
      const chunks: Buffer[] = [];
      entry.on('data', (chunk: Buffer) => chunks.push(chunk));
      entry.on('end', () => {
        text = Buffer.concat(chunks).toString('utf8');
        stop();
      });
    });
  } catch {
    text = undefined;
  }
  if (text === undefined) throw new ArchiveError('not_an_export', NOT_AN_EXPORT);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ArchiveError('damaged', 'The export’s table of contents is damaged; export again on the other computer.');
  }
  const m = parsed as Partial<ExportManifest> | null;
  if (!m || typeof m !== 'object' || m.format !== EXPORT_FORMAT) throw new ArchiveError('not_an_export', NOT_AN_EXPORT);
  return m as ExportManifest;
}

/** Refuses a newer export before a byte is extracted, and anything the manifest should not say. */
function checkManifest(m: ExportManifest, supportedSchema: number): void {
  if (!isCount(m.formatVersion) || !isCount(m.schemaVersion) || m.schemaVersion < 1) {
    throw new ArchiveError('damaged', 'The export’s table of contents is damaged; export again on the other computer.');
  }
  if (m.formatVersion > EXPORT_FORMAT_VERSION || m.schemaVersion > supportedSchema) {
    throw new ArchiveError(
      'newer_version',
      `This export was made by a newer Outpost${typeof m.appVersion === 'string' ? ` (${m.appVersion.slice(0, 40)})` : ''}; update Outpost on this computer, then import it again.`,
    );
  }
  const damaged = (what: string) => new ArchiveError('damaged', `The export’s table of contents is damaged (${what}); export again on the other computer.`);
  if (!Array.isArray(m.files)) throw damaged('no file list');
  const seen = new Set<string>();
  for (const f of m.files as unknown[]) {
    const file = f as Partial<ExportFile> | null;
    if (!file || typeof file.path !== 'string' || !isCount(file.bytes) || typeof file.sha256 !== 'string' || !SHA256.test(file.sha256)) {
      throw damaged('a file entry');
    }
    // Only the names an export writes: nothing that climbs out, no links, no absolute paths.
    const original = ORIGINAL_ENTRY.exec(file.path);
    const allowed = file.path === DATABASE || (original !== null && original[2] === file.sha256 && original[2].startsWith(original[1]!)) || THUMB_ENTRY.test(file.path);
    if (!allowed) throw damaged(`a file Outpost does not write: ${file.path.slice(0, 80)}`);
    if (seen.has(file.path)) throw damaged(`${file.path} twice`);
    seen.add(file.path);
  }
  if (!seen.has(DATABASE)) throw damaged('no database');
}

/**
 * Extracts the listed files into `stagingDir`, hashing each as it streams to disk; refuses any
 * entry the manifest does not list (or that would land outside), and any size or checksum that
 * does not match.
 */
async function extractVerified(archivePath: string, stagingDir: string, manifest: ExportManifest): Promise<void> {
  const expected = new Map(manifest.files.map((f) => [f.path, f]));
  const done = new Set<string>();
  const writes: Promise<void>[] = [];
  const outs: WriteStream[] = [];
  let firstEntry = true;
  const damaged = (what: string) => new ArchiveError('damaged', `The export is damaged (${what}); export again on the other computer.`);
  try {
    await parseArchive(archivePath, (entry, stop) => {
      const path = entry.path;
      if (firstEntry && path === MANIFEST) {
        firstEntry = false;
        entry.resume();
        return;
      }
      firstEntry = false;
      if (entry.type === 'Directory' && FOLDER_ENTRY.test(path)) {
        entry.resume();
        return;
      }
      const file = expected.get(path);
      if (entry.type !== 'File' || !file || done.has(path)) {
        entry.resume();
        stop(damaged(`it holds ${done.has(path) ? 'a second copy of ' : 'a file Outpost does not write: '}${path.slice(0, 80)}`));
        return;
      }
      done.add(path);
      const target = resolve(stagingDir, ...path.split('/'));
      // Belt and braces beside the name check: nothing is written outside the staging folder.
      if (!isInside(stagingDir, target)) {
        entry.resume();
        stop(damaged(`an entry points outside the folder: ${path.slice(0, 80)}`));
        return;
      }
      mkdirSync(dirname(target), { recursive: true, mode: 0o700 });
      const hash = createHash('sha256');
      let bytes = 0;
      const out = createWriteStream(target, { flags: 'wx', mode: PRIVATE_FILE_MODE });
      outs.push(out);
      // One consumer for both the hash and the file (Minipass gives a late second consumer nothing), with backpressure.
      entry.on('data', (chunk: Buffer) => {
        hash.update(chunk);
        bytes += chunk.length;
        if (!out.write(chunk)) {
          entry.pause();
          out.once('drain', () => entry.resume());
        }
      });
      entry.on('end', () => out.end());
      writes.push(
        new Promise<void>((ok, fail) => {
          out.on('error', fail);
          out.on('close', () => {
            if (bytes !== file.bytes || hash.digest('hex') !== file.sha256) {
              const error = new ArchiveError(
                'checksum_mismatch',
                `${path} in the export does not match its checksum, so it was damaged on the way; copy the export again or export again on the other computer.`,
              );
              stop(error);
              fail(error);
            } else ok();
          });
        }),
      );
    });
    await Promise.all(writes);
  } catch (error) {
    // Every file closed before the caller removes the folder (Windows refuses to delete open files).
    for (const out of outs) out.destroy();
    await Promise.allSettled(writes);
    if (error instanceof ArchiveError) throw error;
    throw new ArchiveError(
      'damaged',
      'The export is damaged or incomplete (it ends early or cannot be read); copy it again, or export again on the other computer.',
      (error as Error).message,
    );
  }
  const missing = manifest.files.find((f) => !done.has(f.path));
  if (missing) throw damaged(`${missing.path} is missing; the file may have been cut short`);
}

// --- import ----------------------------------------------------------------------------------

export interface StagedImport {
  manifest: ExportManifest;
  /** The staged database, checked, migrated and prepared for this computer. */
  database: string;
  /** The staged media folder (media/ab/<sha256>, media/thumbs/<sha256>.webp). */
  media: string;
  /** The schema the database has now (the export's, or newer after migrations). */
  schemaVersion: number;
  accountsToReconnect: number;
  heldJobs: number;
}

/**
 * Unpacks and checks an export in `stagingDir` (created empty): the manifest's format and
 * schema, only the entries an export holds, every file's size and sha256. Then the staged
 * database is upgraded if older, every account marked "reconnect needed" and its live jobs
 * held. Nothing outside `stagingDir` is touched; on any refusal it is removed.
 */
export async function stageImport(options: { archivePath: string; stagingDir: string; supportedSchema: number; now?: number }): Promise<StagedImport> {
  const stagingDir = resolve(options.stagingDir);
  const manifest = await readManifest(options.archivePath);
  checkManifest(manifest, options.supportedSchema);
  rmSync(stagingDir, { recursive: true, force: true });
  ensurePrivateDir(stagingDir);
  try {
    await extractVerified(options.archivePath, stagingDir, manifest);
    ensurePrivateDir(join(stagingDir, 'media'));
    const database = join(stagingDir, DATABASE);
    const prepared = prepareForThisComputer(database, options.now ?? Date.now());
    return { manifest, database, media: join(stagingDir, 'media'), ...prepared };
  } catch (error) {
    rmSync(stagingDir, { recursive: true, force: true });
    if (error instanceof ArchiveError) throw error;
    if (error instanceof DatabaseNewerError) {
      throw new ArchiveError('newer_version', 'The database in this export was written by a newer Outpost; update Outpost on this computer, then import it again.', error.message);
    }
    if (error instanceof DatabaseCorruptError) {
      throw new ArchiveError('damaged', 'The database in this export is damaged; export again on the other computer.', error.message);
    }
    throw new ArchiveError('damaged', 'The export could not be read; copy it again, or export again on the other computer.', (error as Error).message);
  }
}

/** holdAccount's selection, for every account at once, with each job's own last message (what recordStop writes back). */
const LIVE_JOBS_SQL = /* sql */ `
  SELECT j.id, j.kind, j.target_id AS targetId, j.due_at AS dueAt, j.next_attempt_at AS nextAttemptAt, j.attempts,
    j.idempotency_key AS idempotencyKey, j.verify_first AS verifyFirst, j.state, j.last_error AS lastError,
    t.post_id AS postId, t.account_id AS accountId, a.network, a.status AS accountStatus,
    pr.late_grace_minutes AS lateGraceMinutes, t.native_schedule_id AS nativeScheduleId, j.lease_owner AS leaseOwner
  FROM jobs j
  JOIN post_targets t ON t.id = j.target_id
  JOIN accounts a ON a.id = t.account_id
  JOIN posts p ON p.id = t.post_id
  JOIN projects pr ON pr.id = p.project_id
  WHERE j.state = 'pending'
  ORDER BY j.id`;

/** Migrates the staged database; sign-ins stayed behind, so every account needs reconnecting and nothing fires until it is. */
function prepareForThisComputer(path: string, now: number): { schemaVersion: number; accountsToReconnect: number; heldJobs: number } {
  const db = openDatabase(path, { checkIntegrity: true });
  try {
    let heldJobs = 0;
    let accountsToReconnect = 0;
    db.transaction(() => {
      // A job that was running on the other computer may or may not have gone out: ask the network before any resend.
      db.prepare(
        `UPDATE jobs SET state = 'pending', verify_first = 1, lease_until = NULL, lease_owner = NULL, updated_at = ? WHERE state = 'running'`,
      ).run(now);
      // As holdAccount does (state 'held', reason 'auth', journal line, target and post status; releaseAccount undoes it on
      // reconnect), but the target keeps its own last message: the account's status_reason says why it waits.
      const live = db.prepare(LIVE_JOBS_SQL).all() as (JobRow & { lastError: string | null })[];
      for (const job of live) recordStop(db, job, { state: 'held', reason: 'auth', message: job.lastError }, now);
      heldJobs = live.length;
      accountsToReconnect = db
        .prepare(`UPDATE accounts SET status = 'reconnect_needed', status_reason = ?, secret_ref = NULL, updated_at = ?`)
        .run(RECONNECT_REASON, now).changes;
    })();
    const schemaVersion = db.pragma('user_version', { simple: true }) as number;
    // A single file with no -wal beside it: only outpost.db moves into place.
    db.pragma('journal_mode = DELETE');
    return { schemaVersion, accountsToReconnect, heldJobs };
  } finally {
    db.close();
  }
}

export interface ImportSummary {
  targetDir: string;
  database: string;
  /** Who made the export, when, and at which schema. */
  exportedBy: string;
  exportedAt: string;
  fromSchema: number;
  schemaVersion: number;
  counts: ExportCounts;
  /** Originals and thumbnails now in `<targetDir>/media`. */
  media: number;
  thumbnails: number;
  accountsToReconnect: number;
  heldJobs: number;
}

function isEmptyFolder(dir: string): boolean {
  if (!existsSync(dir)) return true;
  if (!statSync(dir).isDirectory()) return false;
  return readdirSync(dir).every((name) => IGNORABLE.has(name));
}

/**
 * Restores an export into `targetDir` (absent or empty): staged and checked beside it, then
 * moved in, media first and the database last, so `outpost.db` appears only when all is there.
 */
export async function importExport(options: { archivePath: string; targetDir: string; supportedSchema: number; now: number }): Promise<ImportSummary> {
  const targetDir = resolve(options.targetDir);
  const notEmpty = () =>
    new ArchiveError('target_not_empty', `The folder ${targetDir} already holds files; choose an empty folder to import into, so nothing in it is replaced.`);
  if (!isEmptyFolder(targetDir)) throw notEmpty();
  // Beside the target (same disk, so the final moves are renames); the target stays untouched until all is checked.
  const staging = join(dirname(targetDir), `.${basename(targetDir) || 'outpost'}.import-staging`);
  const staged = await stageImport({ archivePath: options.archivePath, stagingDir: staging, supportedSchema: options.supportedSchema, now: options.now });
  const moved: string[] = [];
  try {
    if (!isEmptyFolder(targetDir)) throw notEmpty();
    ensurePrivateDir(targetDir);
    const media = join(targetDir, 'media');
    renameSync(staged.media, media);
    moved.push(media);
    const database = join(targetDir, DATABASE);
    renameSync(staged.database, database);
    moved.push(database);
  } catch (error) {
    for (const path of moved) rmSync(path, { recursive: true, force: true });
    throw error;
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  const thumbnails = staged.manifest.files.filter((f) => THUMB_ENTRY.test(f.path)).length;
  return {
    targetDir,
    database: join(targetDir, DATABASE),
    exportedBy: staged.manifest.appVersion,
    exportedAt: staged.manifest.createdAt,
    fromSchema: staged.manifest.schemaVersion,
    schemaVersion: staged.schemaVersion,
    counts: staged.manifest.counts,
    media: staged.manifest.files.length - 1 - thumbnails,
    thumbnails,
    accountsToReconnect: staged.accountsToReconnect,
    heldJobs: staged.heldJobs,
  };
}
