import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tar from 'tar';
import { afterEach, describe, expect, it } from 'vitest';
import type { Result } from '../../../main/core/errors';
import { listBackups } from '../../../main/services/data/backups';
import { openOutpost, type Outpost } from '../../../main/services/runtime';
import { openDatabase } from '../../../main/services/store/database';
import { writeJpeg } from '../../unit/media/fixtures';
import { FakeClock, makeTempDir, MemorySecretStore } from '../../unit/support/backend';

/**
 * Leave with everything: an export of a real data folder, imported into an empty one on
 * "another laptop", gives back every post, target, media file and design byte for byte; sign-ins
 * stay behind (accounts need reconnecting, their posts wait). A newer export, a damaged file, a
 * random file and a path that climbs out are refused with a reason, and nothing is replaced.
 */

const open: Outpost[] = [];
const dirs: { remove(): void }[] = [];
afterEach(async () => {
  for (const o of open.splice(0)) await o.shutdown();
  for (const d of dirs.splice(0)) d.remove();
});

function tempDir(prefix: string): string {
  const dir = makeTempDir(prefix);
  dirs.push(dir);
  return dir.path;
}

function start(dataDir: string, chooseExportFile?: () => Promise<string | null>): Outpost {
  const outpost = openOutpost({
    dataDir,
    clock: new FakeClock(Date.UTC(2026, 11, 5, 9)),
    emit: () => {},
    secrets: new MemorySecretStore(),
    platform: { host: 'electron', version: '0.2.0-test', openExternal: async () => {}, ...(chooseExportFile ? { chooseExportFile } : {}) },
    log: () => {},
    dailyBackup: false,
  });
  open.push(outpost);
  return outpost;
}

async function call<T>(outpost: Outpost, name: string, args: unknown = {}): Promise<T> {
  const result = (await outpost.dispatch(name, args)) as Result<T>;
  if (!result.ok) throw new Error(`${name}: ${JSON.stringify(result.error)}`);
  return result.value;
}

/** A data folder with a project, two accounts, scheduled posts, media (one with a design) and a template. */
async function workedFolder(): Promise<{ dataDir: string; outpost: Outpost }> {
  const dataDir = tempDir('outpost-export-src-');
  const inbox = tempDir('outpost-export-inbox-');
  const outpost = start(dataDir);
  const project = await call<{ id: string }>(outpost, 'projects.create', { name: 'Bakery', color: '#db2777', timezone: 'Asia/Jerusalem' });
  const imported = await call<{ media: { id: string } }[]>(outpost, 'media.import', {
    files: [{ path: await writeJpeg(inbox, 'challah.jpg', 90, 60, 5) }, { path: await writeJpeg(inbox, 'rye.jpg', 80, 60, 6) }],
  });
  const db = outpost.backend()!.services.db;
  const now = Date.now();
  const accounts = ['telegram', 'mastodon'].map((network) => {
    const id = randomUUID();
    db.prepare(
      `INSERT INTO accounts (id, project_id, network, handle, secret_ref, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'connected', ?, ?)`,
    ).run(id, project.id, network, `@bakery_${network}`, `account:${id}`, now, now);
    return id;
  });
  db.prepare(`UPDATE media SET design = ?, alt_text = 'Challah on a board' WHERE id = ?`).run(
    JSON.stringify({ version: 2, width: 1080, height: 1080, layers: [{ kind: 'text', text: 'שבת שלום' }] }),
    imported[0]!.media.id,
  );
  db.prepare(`INSERT INTO design_templates (id, name, design, created_at, updated_at) VALUES (?, 'Weekly offer', ?, ?, ?)`).run(
    randomUUID(),
    JSON.stringify({ version: 2, width: 1080, height: 1350, layers: [] }),
    now,
    now,
  );
  for (let i = 0; i < 5; i++) {
    const post = await call<{ id: string; revision: number }>(outpost, 'posts.create', {
      projectId: project.id,
      body: `Shabbat bake #${i} 🍞`,
      targets: accounts.map((accountId) => ({ accountId })),
      media: i === 0 ? imported.map((m) => m.media.id) : [],
      local: `2027-01-0${i + 1}T09:00`,
    });
    await call(outpost, 'posts.schedule', { id: post.id, revision: post.revision });
  }
  return { dataDir, outpost };
}

function table(dbPath: string, sql: string): unknown[] {
  const db = openDatabase(dbPath);
  try {
    return db.prepare(sql).all();
  } finally {
    db.close();
  }
}

const COMPARED = {
  projects: 'SELECT * FROM projects ORDER BY id',
  posts: 'SELECT * FROM posts ORDER BY id',
  targets: 'SELECT * FROM post_targets ORDER BY id',
  media: 'SELECT * FROM media ORDER BY id',
  postMedia: 'SELECT * FROM post_media ORDER BY post_id, position',
  templates: 'SELECT * FROM design_templates ORDER BY id',
  accounts: 'SELECT id, project_id, network, handle, display_name, config, remote_key, base_url, profile_url, defaults FROM accounts ORDER BY id',
  jobs: 'SELECT id, kind, target_id, due_at, idempotency_key FROM jobs ORDER BY id',
};

function mediaFiles(dataDir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const root = join(dataDir, 'media');
  for (const shard of readdirSync(root).filter((n) => /^[0-9a-f]{2}$/.test(n))) {
    for (const name of readdirSync(join(root, shard))) out[name] = readFileSync(join(root, shard, name)).toString('base64');
  }
  return out;
}

describe('export everything, import on another laptop', () => {
  it('round trip into an empty folder: every post, target, media file and design identical; sign-ins stay behind', async () => {
    const { dataDir, outpost } = await workedFolder();
    const exported = await call<{ path: string; posts: number; media: number }>(outpost, 'data.export');
    expect(exported).toMatchObject({ posts: 5, media: 2 });
    expect(exported.path.startsWith(join(dataDir, 'exports'))).toBe(true);
    const before = Object.fromEntries(Object.entries(COMPARED).map(([k, sql]) => [k, table(join(dataDir, 'outpost.db'), sql)]));
    const files = mediaFiles(dataDir);
    // The archive carries no keychain reference.
    expect(readFileSync(exported.path).includes(Buffer.from('account:'))).toBe(false);

    const laptop = tempDir('outpost-export-dst-');
    const other = start(laptop, async () => exported.path);
    const result = await call<{ imported: boolean; posts: number; media: number; keptAside: string | null }>(other, 'data.import', {});
    expect(result).toEqual({ imported: true, posts: 5, media: 2, keptAside: expect.stringMatching(/^outpost-pre-import-/) });
    await other.shutdown();
    open.splice(open.indexOf(other), 1);

    const after = Object.fromEntries(Object.entries(COMPARED).map(([k, sql]) => [k, table(join(laptop, 'outpost.db'), sql)]));
    expect(after).toEqual(before);
    expect(mediaFiles(laptop)).toEqual(files);
    const accounts = table(join(laptop, 'outpost.db'), 'SELECT status, secret_ref, status_reason FROM accounts') as Record<string, unknown>[];
    expect(accounts.every((a) => a['status'] === 'reconnect_needed' && a['secret_ref'] === null && String(a['status_reason']).includes('Reconnect'))).toBe(true);
    const jobs = table(join(laptop, 'outpost.db'), `SELECT DISTINCT state, reason FROM jobs WHERE kind = 'publish'`);
    expect(jobs).toEqual([{ state: 'held', reason: 'auth' }]);
    // The laptop's own (empty) database was kept aside first.
    expect(listBackups(laptop).map((b) => b.kind)).toContain('pre_import');
  });

  it('refuses a newer export, a damaged one, a random file and a path that climbs out — and replaces nothing', async () => {
    const { outpost } = await workedFolder();
    const exported = await call<{ path: string }>(outpost, 'data.export');
    const work = tempDir('outpost-export-bad-');
    const laptop = tempDir('outpost-export-dst-');
    let choose = '';
    const other = start(laptop, async () => choose);
    await call(other, 'projects.create', { name: 'Already here', color: '#2563eb', timezone: 'UTC' });
    const refusal = async (path: string) => {
      choose = path;
      const result = (await other.dispatch('data.import', {})) as Result<unknown>;
      expect(result.ok).toBe(false);
      return (result as { error: { reason?: string } }).error.reason;
    };

    // A newer version: the manifest says so.
    const newer = join(work, 'newer');
    await tar.extract({ file: exported.path, cwd: mkdir(newer) });
    const manifest = JSON.parse(readFileSync(join(newer, 'manifest.json'), 'utf8')) as { schemaVersion: number };
    manifest.schemaVersion = 999;
    writeFileSync(join(newer, 'manifest.json'), JSON.stringify(manifest));
    await tar.create({ file: join(work, 'newer.tar'), cwd: newer }, readdirSync(newer));
    expect(await refusal(join(work, 'newer.tar'))).toBe('import_newer_version');

    // One flipped byte in a photo: its checksum no longer matches.
    const bytes = readFileSync(exported.path);
    const photo = bytes.indexOf(Buffer.from([0xff, 0xd8, 0xff]));
    bytes[photo + 200] = bytes[photo + 200]! ^ 0xff;
    writeFileSync(join(work, 'flipped.tar'), bytes);
    expect(await refusal(join(work, 'flipped.tar'))).toBe('import_checksum_mismatch');

    writeFileSync(join(work, 'random.tar'), Buffer.from('this is a shopping list, not an export'));
    expect(await refusal(join(work, 'random.tar'))).toBe('import_not_an_export');

    // An entry that climbs out of the folder.
    const evil = join(work, 'evil');
    mkdir(evil);
    writeFileSync(join(evil, 'manifest.json'), JSON.stringify({ ...manifest, schemaVersion: 1, files: [{ path: '../evil', bytes: 4, sha256: 'x' }] }));
    await tar.create({ file: join(work, 'evil.tar'), cwd: evil }, ['manifest.json']);
    expect(await refusal(join(work, 'evil.tar'))).toBe('import_damaged');

    // Nothing was replaced, and nothing half-imported is left behind.
    expect(JSON.stringify(await call(other, 'projects.list', {}))).toContain('Already here');
    expect(readdirSync(laptop).filter((n) => n.startsWith('.import-'))).toEqual([]);
    expect(existsSync(join(laptop, '..', 'evil'))).toBe(false);
  });
});

function mkdir(path: string): string {
  rmSync(path, { recursive: true, force: true });
  mkdirSync(path, { recursive: true });
  return path;
}
