import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import sharp from 'sharp';
import * as tar from 'tar';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { DesignTemplate, ImportOutcome, Media, Reply } from '../../../main/core/contract';
import { blankDesign, photoDesign } from '../../../main/core/editor/design';
import { cropDesign } from '../../../main/core/editor/geometry';
import type { Result } from '../../../main/core/errors';
import {
  ArchiveError,
  exportEverything,
  importExport,
  readManifest,
  RECONNECT_REASON,
  type ArchiveRefusal,
  type ExportManifest,
  type ExportSummary,
} from '../../../main/services/data/archive';
import { migrate, openDatabase, type Db } from '../../../main/services/store/database';
import { migrations } from '../../../main/services/store/migrations';
import { writeImage, writeJpeg } from '../media/fixtures';
import { addAccount, addProject, addScheduledPost } from '../scheduler/support';
import { FakeClock, makeTempDir, openTestBackend, type TestBackend } from '../support/backend';

/**
 * Leave with everything: an export of a real data folder (the real backend, real image files,
 * an edited image with its design, a template), imported into an empty folder on "another
 * laptop", gives back every post, target, media row, file and design; sign-ins stay behind. A
 * newer export, a flipped byte, a random file and an entry that climbs out are refused with a
 * reason, and the target folder is left with nothing half-imported.
 */

const SUPPORTED = migrations.reduce((max, m) => Math.max(max, m.version), 0);
const NOW = Date.UTC(2026, 11, 5, 9);

const cleanup: (() => void)[] = [];
function tempDir(prefix: string): string {
  const dir = makeTempDir(prefix);
  cleanup.push(dir.remove);
  return dir.path;
}

async function value<T>(t: TestBackend, name: string, args: unknown): Promise<T> {
  const result = (await t.backend.dispatch(name, args)) as Result<T>;
  if (!result.ok) throw new Error(`${name}: ${JSON.stringify(result.error)}`);
  return result.value;
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

interface Worked {
  dataDir: string;
  t: TestBackend;
  db: Db;
  accounts: string[];
  photo: Media;
  edited: Media;
  design: unknown;
  template: DesignTemplate;
  runningTarget: string;
}

/** A project, two accounts with keychain references, three posts with scheduled jobs (one running), three imported images, an edited one with its design, a template. */
async function workedFolder(): Promise<Worked> {
  const dataDir = tempDir('outpost-archive-src-');
  const inbox = tempDir('outpost-archive-inbox-');
  const t = openTestBackend(dataDir, new FakeClock(NOW));
  cleanup.push(() => t.backend.close());
  const db = t.backend.services.db;
  const project = addProject(db, { timezone: 'Asia/Jerusalem' });
  const accounts = [addAccount(db, project, { network: 'mastodon' }), addAccount(db, project, { network: 'telegram' })];
  db.prepare(`UPDATE accounts SET status = 'connected'`).run();

  const outcomes = await value<ImportOutcome[]>(t, 'media.import', {
    files: [
      { path: await writeJpeg(inbox, 'challah.jpg', 90, 60, 5) },
      { path: await writeJpeg(inbox, 'rye.jpg', 80, 60, 6) },
      { path: await writeImage(inbox, 'logo.png', 'png') },
    ],
  });
  const media = outcomes.map((o) => {
    if (!o.ok) throw new Error(o.message);
    return o.media;
  });
  const photo = media[0]!;
  await value(t, 'media.update', { id: photo.id, altText: 'Challah on a board' });
  const design = cropDesign(photoDesign({ mediaId: photo.id, width: photo.width!, height: photo.height! }), { x: 15, y: 0, width: 60, height: 60 });
  const png = await sharp({ create: { width: 60, height: 60, channels: 3, background: { r: 200, g: 30, b: 60 } } }).png().toBuffer();
  const { media: edited } = await value<Reply<'editor.export'>>(t, 'editor.export', {
    file: { data: png.toString('base64') },
    mime: 'image/png',
    fileName: 'challah-edited.png',
    design,
    parentMediaId: photo.id,
  });
  const template = await value<DesignTemplate>(t, 'editor.saveTemplate', { name: 'Weekly offer', design: blankDesign(1080, 1350) });

  const day = 24 * 3600_000;
  const first = addScheduledPost(db, t.clock, project, accounts, NOW + day, { body: 'Shabbat bake 🍞 שבת שלום' });
  addScheduledPost(db, t.clock, project, accounts, NOW + 2 * day, { body: 'Rye on Tuesday' });
  const third = addScheduledPost(db, t.clock, project, [accounts[0]!], NOW + 3 * day);
  const attach = db.prepare(`INSERT INTO post_media (post_id, media_id, position) VALUES (?, ?, ?)`);
  attach.run(first.postId, edited.id, 0);
  attach.run(first.postId, media[1]!.id, 1);
  // A publish the other computer had in flight when it exported.
  db.prepare(`UPDATE jobs SET state = 'running', lease_until = ?, lease_owner = 'run-1' WHERE target_id = ? AND kind = 'publish'`).run(
    NOW + 60_000,
    third.targetIds[0],
  );
  return { dataDir, t, db, accounts, photo, edited, design, template, runningTarget: third.targetIds[0]! };
}

const COMPARED = {
  projects: 'SELECT * FROM projects ORDER BY id',
  posts: 'SELECT * FROM posts ORDER BY id',
  targets: 'SELECT * FROM post_targets ORDER BY id',
  media: 'SELECT * FROM media ORDER BY id',
  postMedia: 'SELECT * FROM post_media ORDER BY post_id, position',
  templates: 'SELECT * FROM design_templates ORDER BY id',
  accounts: 'SELECT id, project_id, network, handle, display_name, config, remote_key, base_url, profile_url, defaults, created_at FROM accounts ORDER BY id',
  jobs: 'SELECT id, kind, target_id, due_at, next_attempt_at, attempts, idempotency_key, created_at FROM jobs ORDER BY id',
};

function dump(db: Db): Record<string, unknown[]> {
  return Object.fromEntries(Object.entries(COMPARED).map(([k, sql]) => [k, db.prepare(sql).all()]));
}

function withDb<T>(path: string, fn: (db: Db) => T): T {
  const db = openDatabase(path);
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

/** Every file under `<dataDir>/media` (originals and thumbnails, not work folders) → sha256 of its bytes. */
function mediaFiles(dataDir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const root = join(dataDir, 'media');
  for (const dir of readdirSync(root).filter((n) => /^([0-9a-f]{2}|thumbs)$/.test(n))) {
    for (const name of readdirSync(join(root, dir))) out[`${dir}/${name}`] = sha256(readFileSync(join(root, dir, name)));
  }
  return out;
}

async function entries(archive: string): Promise<string[]> {
  const names: string[] = [];
  await tar.list({ file: archive, onReadEntry: (e) => names.push(e.path) });
  return names;
}

async function refusal(promise: Promise<unknown>): Promise<{ reason: ArchiveRefusal; message: string }> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ArchiveError) return { reason: error.reason, message: error.message };
    throw error;
  }
  throw new Error('expected a refusal');
}

/** A tar made by hand: entry names are written as given, `..` and all. */
function rawTar(files: { path: string; data: Buffer }[]): Buffer {
  const blocks: Buffer[] = [];
  for (const file of files) {
    const header = new tar.Header({ path: file.path, mode: 0o644, size: file.data.length, mtime: new Date(NOW), type: 'File' });
    header.encode();
    blocks.push(header.block!, file.data, Buffer.alloc((512 - (file.data.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return Buffer.concat(blocks);
}

/** The export's files, unpacked to edit, then packed again (manifest first, as an export writes it). */
async function repack(archive: string, to: string, edit: (dir: string, manifest: ExportManifest) => void): Promise<string> {
  const dir = tempDir('outpost-archive-repack-');
  await tar.extract({ file: archive, cwd: dir });
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as ExportManifest;
  edit(dir, manifest);
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest));
  await tar.create({ file: to, cwd: dir }, ['manifest.json', ...manifest.files.map((f) => f.path)]);
  return to;
}

/** Nothing of an import is left: the target is absent or empty, and no staging folder is beside it. */
function expectUntouched(target: string): void {
  if (existsSync(target)) expect(readdirSync(target)).toEqual([]);
  expect(readdirSync(dirname(target)).filter((n) => n.includes('import-staging'))).toEqual([]);
}

describe('export everything, import on another laptop', () => {
  let w: Worked;
  let exported: ExportSummary;
  let out: string;

  beforeAll(async () => {
    w = await workedFolder();
    out = tempDir('outpost-archive-out-');
    exported = await exportEverything({ db: w.db, dataDir: w.dataDir, outPath: join(out, 'bakery.tar'), appVersion: '1.4.0', now: NOW });
  });
  afterAll(() => {
    for (const fn of cleanup.splice(0).reverse()) fn();
  });

  it('writes one tar: manifest first, the snapshot, every original and thumbnail, with counts and checksums; no keychain reference', async () => {
    expect(exported).toMatchObject({
      path: join(out, 'bakery.tar'),
      posts: 3,
      media: 4,
      thumbnails: 4,
      missingMedia: 0,
      damagedMedia: 0,
      counts: { projects: 1, accounts: 2, posts: 3, targets: 5, media: 4, designs: 1, templates: 1 },
    });
    // Only the finished archive: no partial file, no work folder left behind.
    expect(readdirSync(out)).toEqual(['bakery.tar']);
    expect(readdirSync(join(w.dataDir, 'exports'))).toEqual([]);

    const names = await entries(exported.path);
    expect(names[0]).toBe('manifest.json');
    expect(names[1]).toBe('outpost.db');
    const manifest = await readManifest(exported.path);
    expect(manifest).toMatchObject({ format: 'outpost-export', formatVersion: 1, appVersion: '1.4.0', schemaVersion: SUPPORTED, createdAt: '2026-12-05T09:00:00.000Z' });
    expect(names.slice(1)).toEqual(manifest.files.map((f) => f.path));
    const shas = (w.db.prepare('SELECT sha256 FROM media').all() as { sha256: string }[]).map((r) => r.sha256);
    for (const sha of shas) {
      const original = manifest.files.find((f) => f.path === `media/${sha.slice(0, 2)}/${sha}`);
      expect(original).toMatchObject({ sha256: sha, bytes: readFileSync(join(w.dataDir, 'media', sha.slice(0, 2), sha)).length });
      const thumb = manifest.files.find((f) => f.path === `media/thumbs/${sha}.webp`);
      expect(thumb?.sha256).toBe(sha256(readFileSync(join(w.dataDir, 'media', 'thumbs', `${sha}.webp`))));
    }

    // The keychain references are in the live database, and nowhere in the archive.
    const refs = (w.db.prepare('SELECT secret_ref FROM accounts').all() as { secret_ref: string }[]).map((r) => r.secret_ref);
    expect(refs.every((r) => r.startsWith('secret-account-'))).toBe(true);
    const bytes = readFileSync(exported.path);
    for (const ref of refs) expect(bytes.includes(Buffer.from(ref))).toBe(false);
  });

  it('round trip into an empty folder: every post, target, media row, file and design identical; accounts need reconnecting and nothing fires', async () => {
    const laptop = join(tempDir('outpost-archive-laptop-'), 'Outpost');
    const before = dump(w.db);
    const summary = await importExport({ archivePath: exported.path, targetDir: laptop, supportedSchema: SUPPORTED, now: NOW + 3600_000 });
    expect(summary).toMatchObject({
      targetDir: laptop,
      database: join(laptop, 'outpost.db'),
      exportedBy: '1.4.0',
      fromSchema: SUPPORTED,
      schemaVersion: SUPPORTED,
      media: 4,
      thumbnails: 4,
      accountsToReconnect: 2,
      heldJobs: 5,
      counts: exported.counts,
    });
    expect(readdirSync(laptop).sort()).toEqual(['media', 'outpost.db']);
    expect(readdirSync(dirname(laptop))).toEqual(['Outpost']);
    expect(mediaFiles(laptop)).toEqual(mediaFiles(w.dataDir));

    withDb(join(laptop, 'outpost.db'), (db) => {
      expect(dump(db)).toEqual(before);
      expect(db.prepare('SELECT DISTINCT status, status_reason, secret_ref FROM accounts').all()).toEqual([
        { status: 'reconnect_needed', status_reason: RECONNECT_REASON, secret_ref: null },
      ]);
      // Every live job waits for its account, as after a lost sign-in; the one that was in flight asks the network first.
      expect(db.prepare(`SELECT DISTINCT state, reason FROM jobs`).all()).toEqual([{ state: 'held', reason: 'auth' }]);
      const running = db.prepare(`SELECT verify_first, lease_owner, lease_until FROM jobs WHERE target_id = ?`).get(w.runningTarget);
      expect(running).toEqual({ verify_first: 1, lease_owner: null, lease_until: null });
      expect((db.prepare(`SELECT COUNT(*) AS n FROM job_log WHERE event = 'held'`).get() as { n: number }).n).toBe(5);
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    });

    // The real backend opens it: the library keeps every file (nothing quarantined), the design reopens, the template is there.
    const other = openTestBackend(laptop, new FakeClock(NOW + 3600_000));
    try {
      const { design, photo } = await value<Reply<'editor.open'>>(other, 'editor.open', { mediaId: w.edited.id });
      expect(design).toEqual(w.design);
      expect(photo.mediaId).toBe(w.photo.id);
      expect(other.backend.services.media.resolveFile(w.edited.id, 'thumb')).toBeDefined();
      expect(await value<DesignTemplate[]>(other, 'editor.templates', {})).toEqual([w.template]);
      other.backend.services.media.sweep();
      expect(mediaFiles(laptop)).toEqual(mediaFiles(w.dataDir));
    } finally {
      other.backend.close();
    }
  });

  it('refuses a folder that already holds files, and touches none of them', async () => {
    const laptop = tempDir('outpost-archive-full-');
    writeFileSync(join(laptop, 'notes.txt'), 'mine');
    const refused = await refusal(importExport({ archivePath: exported.path, targetDir: laptop, supportedSchema: SUPPORTED, now: NOW }));
    expect(refused.reason).toBe('target_not_empty');
    expect(refused.message).toMatch(/choose an empty folder/);
    expect(readdirSync(laptop)).toEqual(['notes.txt']);
    expect(readdirSync(dirname(laptop)).filter((n) => n.includes('import-staging'))).toEqual([]);
  });

  it('refuses a newer export from its manifest before extracting anything, and a newer database inside an older manifest', async () => {
    const work = tempDir('outpost-archive-newer-');
    const newer = await repack(exported.path, join(work, 'newer.tar'), (_, m) => {
      m.schemaVersion = SUPPORTED + 1;
    });
    const laptop = join(tempDir('outpost-archive-laptop-'), 'Outpost');
    const refused = await refusal(importExport({ archivePath: newer, targetDir: laptop, supportedSchema: SUPPORTED, now: NOW }));
    expect(refused.reason).toBe('newer_version');
    expect(refused.message).toMatch(/update Outpost/);
    expectUntouched(laptop);

    const newerFormat = await repack(exported.path, join(work, 'format.tar'), (_, m) => {
      m.formatVersion = 2;
    });
    expect((await refusal(importExport({ archivePath: newerFormat, targetDir: laptop, supportedSchema: SUPPORTED, now: NOW }))).reason).toBe('newer_version');

    // The manifest says this schema, the database itself says newer (checksums made to match): still refused.
    const lying = await repack(exported.path, join(work, 'lying.tar'), (dir, m) => {
      const db = new Database(join(dir, 'outpost.db'));
      db.pragma(`user_version = ${SUPPORTED + 1}`);
      db.close();
      const bytes = readFileSync(join(dir, 'outpost.db'));
      m.files[0] = { path: 'outpost.db', bytes: bytes.length, sha256: sha256(bytes) };
    });
    expect((await refusal(importExport({ archivePath: lying, targetDir: laptop, supportedSchema: SUPPORTED, now: NOW }))).reason).toBe('newer_version');
    expectUntouched(laptop);
  });

  it('refuses a flipped byte in a photo and leaves the target with nothing half-imported', async () => {
    const bytes = readFileSync(exported.path);
    const sha = w.photo.sha256;
    const at = bytes.indexOf(readFileSync(join(w.dataDir, 'media', sha.slice(0, 2), sha)));
    expect(at).toBeGreaterThan(0);
    bytes[at + 300] = bytes[at + 300]! ^ 0x01;
    const flipped = join(tempDir('outpost-archive-flip-'), 'flipped.tar');
    writeFileSync(flipped, bytes);
    const laptop = tempDir('outpost-archive-laptop-');
    const refused = await refusal(importExport({ archivePath: flipped, targetDir: laptop, supportedSchema: SUPPORTED, now: NOW }));
    expect(refused.reason).toBe('checksum_mismatch');
    expect(refused.message).toContain(`media/${sha.slice(0, 2)}/${sha}`);
    expectUntouched(laptop);
  });

  it('refuses an archive cut short', async () => {
    const bytes = readFileSync(exported.path);
    const cut = join(tempDir('outpost-archive-cut-'), 'cut.tar');
    writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.length * 0.6)));
    const laptop = tempDir('outpost-archive-laptop-');
    const refused = await refusal(importExport({ archivePath: cut, targetDir: laptop, supportedSchema: SUPPORTED, now: NOW }));
    expect(refused).toEqual({ reason: 'damaged', message: expect.stringMatching(/ends early .*; copy it again/) });
    expectUntouched(laptop);
  });

  it('refuses a random file, an empty one and a tar that is not an export', async () => {
    const work = tempDir('outpost-archive-random-');
    const laptop = tempDir('outpost-archive-laptop-');
    writeFileSync(join(work, 'list.tar'), Buffer.from('this is a shopping list, not an export\n'.repeat(40)));
    writeFileSync(join(work, 'empty.tar'), '');
    writeFileSync(join(work, 'other.tar'), rawTar([{ path: 'holiday.jpg', data: Buffer.from('jpeg?') }]));
    writeFileSync(join(work, 'json.tar'), rawTar([{ path: 'manifest.json', data: Buffer.from('{"format":"something-else"}') }]));
    for (const name of ['list.tar', 'empty.tar', 'other.tar', 'json.tar']) {
      const refused = await refusal(importExport({ archivePath: join(work, name), targetDir: laptop, supportedSchema: SUPPORTED, now: NOW }));
      expect(refused, name).toEqual({ reason: 'not_an_export', message: expect.stringMatching(/not an Outpost export; choose a file made with/) });
    }
    expectUntouched(laptop);
  });

  it('refuses entries that climb out of the folder, whether listed in the manifest or slipped in beside it', async () => {
    const manifest = await readManifest(exported.path);
    const work = tempDir('outpost-archive-evil-');
    const parent = tempDir('outpost-archive-parent-');
    const laptop = join(parent, 'Outpost');
    const evil = Buffer.from('evil');
    const listed = { ...manifest, files: [...manifest.files, { path: '../evil', bytes: 4, sha256: sha256(evil) }] };
    const cases = {
      listed: rawTar([{ path: 'manifest.json', data: Buffer.from(JSON.stringify(listed)) }, { path: '../evil', data: evil }]),
      slipped: rawTar([{ path: 'manifest.json', data: Buffer.from(JSON.stringify(manifest)) }, { path: '../evil', data: evil }]),
      absolute: rawTar([{ path: 'manifest.json', data: Buffer.from(JSON.stringify(manifest)) }, { path: join(parent, 'evil'), data: evil }]),
      sneaky: rawTar([{ path: 'manifest.json', data: Buffer.from(JSON.stringify(manifest)) }, { path: 'media/../../evil', data: evil }]),
    };
    for (const [name, bytes] of Object.entries(cases)) {
      writeFileSync(join(work, `${name}.tar`), bytes);
      const refused = await refusal(importExport({ archivePath: join(work, `${name}.tar`), targetDir: laptop, supportedSchema: SUPPORTED, now: NOW }));
      expect(refused.reason, name).toBe('damaged');
      expect(existsSync(join(parent, 'evil')), name).toBe(false);
      expect(existsSync(join(dirname(parent), 'evil')), name).toBe(false);
      expectUntouched(laptop);
    }
  });
});

describe('exports of an older Outpost and of a busy one', () => {
  afterEach(() => {
    for (const fn of cleanup.splice(0).reverse()) fn();
  });

  it('an export from an older schema is upgraded on import', async () => {
    const dataDir = tempDir('outpost-archive-old-');
    const db = openDatabase(join(dataDir, 'outpost.db'), { migrations: migrations.filter((m) => m.version < SUPPORTED) });
    cleanup.push(() => db.close());
    const project = addProject(db);
    addAccount(db, project);
    db.prepare(`INSERT INTO posts (id, project_id, body, status, timezone, created_at, updated_at) VALUES ('p1', ?, 'Old times', 'draft', 'UTC', 0, 0)`).run(project);
    const { path } = await exportEverything({ db, dataDir, outDir: join(dataDir, 'exports'), appVersion: '0.9.0', now: NOW });
    expect(path).toBe(join(dataDir, 'exports', 'outpost-export-20261205T090000Z.tar'));
    const laptop = join(tempDir('outpost-archive-laptop-'), 'Outpost');
    const summary = await importExport({ archivePath: path, targetDir: laptop, supportedSchema: SUPPORTED, now: NOW });
    expect(summary).toMatchObject({ fromSchema: SUPPORTED - 1, schemaVersion: SUPPORTED, accountsToReconnect: 1, heldJobs: 0 });
    withDb(join(laptop, 'outpost.db'), (imported) => {
      expect(imported.pragma('user_version', { simple: true })).toBe(SUPPORTED);
      expect(imported.prepare('SELECT body FROM posts').all()).toEqual([{ body: 'Old times' }]);
      expect(migrate(imported)).toEqual([]);
    });
  });

  it('a library file that is gone or no longer matches its checksum is left out and named; the rest imports', async () => {
    const dataDir = tempDir('outpost-archive-rot-');
    const db = openDatabase(join(dataDir, 'outpost.db'));
    cleanup.push(() => db.close());
    const add = (id: string, bytes: Buffer | null, stored: Buffer | null) => {
      const sha = sha256(bytes ?? Buffer.from(id));
      if (stored) {
        mkdirSync(join(dataDir, 'media', sha.slice(0, 2)), { recursive: true });
        writeFileSync(join(dataDir, 'media', sha.slice(0, 2), sha), stored);
      }
      db.prepare(`INSERT INTO media (id, sha256, mime, bytes, created_at) VALUES (?, ?, 'image/png', 4, 0)`).run(id, sha);
      return sha;
    };
    const good = add('good', Buffer.from('good'), Buffer.from('good'));
    const gone = add('gone', null, null);
    const rotted = add('rotted', Buffer.from('rot!'), Buffer.from('rot?'));
    const exported = await exportEverything({ db, dataDir, outPath: join(dataDir, 'out', 'x.tar'), appVersion: '1.4.0', now: NOW });
    expect(exported).toMatchObject({ media: 1, thumbnails: 0, missingMedia: 1, damagedMedia: 1 });
    expect(exported.leftOut).toEqual(expect.arrayContaining([{ sha256: gone, reason: 'missing' }, { sha256: rotted, reason: 'damaged' }]));
    expect((await readManifest(exported.path)).files.map((f) => f.path)).toEqual(['outpost.db', `media/${good.slice(0, 2)}/${good}`]);
    const laptop = join(tempDir('outpost-archive-laptop-'), 'Outpost');
    expect(await importExport({ archivePath: exported.path, targetDir: laptop, supportedSchema: SUPPORTED, now: NOW })).toMatchObject({ media: 1 });
    expect(readFileSync(join(laptop, 'media', good.slice(0, 2), good), 'utf8')).toBe('good');
  });

  it('an export taken while another connection holds a write transaction open: not blocked, and nothing uncommitted in it', async () => {
    const dataDir = tempDir('outpost-archive-open-tx-');
    const t = openTestBackend(dataDir, new FakeClock(NOW));
    cleanup.push(() => t.backend.close());
    const db = t.backend.services.db;
    const project = addProject(db);
    const other = new Database(join(dataDir, 'outpost.db'));
    cleanup.push(() => other.close());
    other.exec('BEGIN IMMEDIATE');
    other.prepare(`INSERT INTO posts (id, project_id, body, status, timezone, created_at, updated_at) VALUES ('uncommitted', ?, 'not yet', 'draft', 'UTC', 0, 0)`).run(project);
    const exported = await exportEverything({ db, dataDir, outDir: join(dataDir, 'exports'), appVersion: '1.4.0', now: NOW });
    other.exec('COMMIT');
    expect((db.prepare('SELECT COUNT(*) AS n FROM posts').get() as { n: number }).n).toBe(1);

    const laptop = join(tempDir('outpost-archive-laptop-'), 'Outpost');
    await importExport({ archivePath: exported.path, targetDir: laptop, supportedSchema: SUPPORTED, now: NOW });
    withDb(join(laptop, 'outpost.db'), (imported) => {
      expect(imported.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(imported.prepare('SELECT id FROM projects').all()).toEqual([{ id: project }]);
      expect(imported.prepare('SELECT COUNT(*) AS n FROM posts').get()).toEqual({ n: 0 });
    });
  });

  it('an export taken while other connections keep writing is a consistent snapshot that opens cleanly', async () => {
    const dataDir = tempDir('outpost-archive-busy-');
    const t = openTestBackend(dataDir, new FakeClock(NOW));
    cleanup.push(() => t.backend.close());
    const db = t.backend.services.db;
    const project = addProject(db);
    const insert = db.prepare(`INSERT INTO posts (id, project_id, body, status, timezone, created_at, updated_at) VALUES (?, ?, ?, 'draft', 'UTC', 0, 0)`);
    db.transaction(() => {
      for (let i = 0; i < 3000; i++) insert.run(`seed-${i}`, project, `Post ${i} `.padEnd(400, '·'));
    })();

    // Another connection (another process, as far as SQLite knows) writes in a transaction on every turn of the event loop.
    const writer = new Database(join(dataDir, 'outpost.db'));
    cleanup.push(() => writer.close());
    writer.pragma('busy_timeout = 5000');
    const otherInsert = writer.prepare(`INSERT INTO posts (id, project_id, body, status, timezone, created_at, updated_at) VALUES (?, ?, 'late', 'draft', 'UTC', 0, 0)`);
    let written = 0;
    let writing = true;
    const loop = () => {
      if (!writing) return;
      writer.transaction(() => {
        for (let i = 0; i < 5; i++) otherInsert.run(`other-${written++}`, project);
      })();
      insert.run(`own-${written}`, project, 'also late');
      setImmediate(loop);
    };
    setImmediate(loop);
    const exported = await exportEverything({ db, dataDir, outDir: join(dataDir, 'exports'), appVersion: '1.4.0', now: NOW });
    writing = false;
    expect(written).toBeGreaterThan(0);

    const laptop = join(tempDir('outpost-archive-laptop-'), 'Outpost');
    const summary = await importExport({ archivePath: exported.path, targetDir: laptop, supportedSchema: SUPPORTED, now: NOW });
    withDb(join(laptop, 'outpost.db'), (imported) => {
      expect(imported.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(imported.pragma('foreign_key_check')).toEqual([]);
      const posts = (imported.prepare('SELECT COUNT(*) AS n FROM posts').get() as { n: number }).n;
      // The snapshot is one moment: what the manifest counted is exactly what the database holds.
      expect(posts).toBe(summary.counts.posts);
      expect(posts).toBeGreaterThanOrEqual(3000);
      expect((imported.prepare(`SELECT COUNT(*) AS n FROM posts WHERE id LIKE 'seed-%'`).get() as { n: number }).n).toBe(3000);
    });
  });
});
