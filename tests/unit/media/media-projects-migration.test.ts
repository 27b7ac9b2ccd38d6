import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LIST_MEDIA_SQL, prepareMediaRepo } from '../../../main/services/media/media-repo';
import { openDatabase, type Db } from '../../../main/services/store/database';
import { migrations, type Migration } from '../../../main/services/store/migrations';
import { makeTempDir } from '../support/backend';

let dir: ReturnType<typeof makeTempDir>;
let opened: Db[];

beforeEach(() => {
  dir = makeTempDir('outpost-media-projects-migration-');
  opened = [];
});

afterEach(() => {
  for (const db of opened) if (db.open) db.close();
  dir.remove();
});

/** Migrations numbered in another branch may not be here yet; an empty stand-in keeps the numbering whole. */
function whole(list: readonly Migration[]): Migration[] {
  const top = Math.max(...list.map((m) => m.version));
  return Array.from({ length: top }, (_, i) => list.find((m) => m.version === i + 1) ?? { version: i + 1, name: 'not in this checkout', sql: '' });
}

function open(list: readonly Migration[]): Db {
  const db = openDatabase(join(dir.path, 'outpost.db'), { migrations: whole(list) });
  opened.push(db);
  return db;
}

const perProject = migrations.find((m) => m.name === 'media: each project its own library, and a shared one') as Migration;
const before = migrations.filter((m) => m.version < perProject.version);

/** Two clients' projects and files used every way a post can use one. */
function seedMixedUsage(db: Db): void {
  const project = db.prepare(`INSERT INTO projects (id, name, name_key, color, timezone, created_at, updated_at) VALUES (?, ?, ?, '#2563eb', 'UTC', 0, 0)`);
  project.run('bakery', 'Bakery', 'bakery');
  project.run('gym', 'Gym', 'gym');
  const account = db.prepare(`INSERT INTO accounts (id, project_id, network, handle, created_at, updated_at) VALUES (?, ?, 'mastodon', ?, 0, 0)`);
  account.run('acc-bakery', 'bakery', '@bakery');
  account.run('acc-gym', 'gym', '@gym');
  const post = db.prepare(`INSERT INTO posts (id, project_id, timezone, created_at, updated_at) VALUES (?, ?, 'UTC', 0, 0)`);
  for (const [id, projectId] of [['b1', 'bakery'], ['b2', 'bakery'], ['g1', 'gym'], ['g2', 'gym']]) post.run(id, projectId);
  const media = db.prepare(`INSERT INTO media (id, sha256, mime, bytes, file_name, alt_text, created_at) VALUES (?, ?, 'image/png', 3, ?, ?, ?)`);
  const files = ['challah', 'twice-bakery', 'logo', 'unused', 'gym-only-override', 'both-override', 'gym-broken'];
  files.forEach((id, i) => media.run(id, id.padEnd(64, '0'), `${id}.png`, `alt of ${id}`, i));
  const attach = db.prepare('INSERT INTO post_media (post_id, media_id, position) VALUES (?, ?, ?)');
  attach.run('b1', 'challah', 0);
  attach.run('b1', 'twice-bakery', 1);
  attach.run('b2', 'twice-bakery', 0);
  attach.run('b1', 'logo', 2);
  attach.run('g1', 'logo', 0);
  attach.run('b2', 'both-override', 1);
  attach.run('g2', 'gym-broken', 0);
  const target = db.prepare('INSERT INTO post_targets (id, post_id, account_id, media_override) VALUES (?, ?, ?, ?)');
  target.run('t-g1', 'g1', 'acc-gym', JSON.stringify(['gym-only-override', 'both-override']));
  target.run('t-b1', 'b1', 'acc-bakery', null);
  // A damaged override must not stop the migration (the posts repository reads such a row as unreadable).
  target.run('t-g2', 'g2', 'acc-gym', '["gym-broken", ');
}

describe('migration 14: each project its own media library', () => {
  it('gives a file used by one project to that project and leaves the rest shared, deleting nothing', () => {
    const old = open(before);
    seedMixedUsage(old);
    const files = old.prepare('SELECT id, sha256, file_name, alt_text FROM media ORDER BY id').all();
    old.close();

    const db = open(migrations);
    const owner = Object.fromEntries(
      (db.prepare('SELECT id, project_id FROM media').all() as { id: string; project_id: string | null }[]).map((r) => [r.id, r.project_id]),
    );
    expect(owner).toEqual({
      challah: 'bakery',
      'twice-bakery': 'bakery',
      logo: null,
      unused: null,
      'gym-only-override': 'gym',
      'both-override': null,
      'gym-broken': 'gym',
    });
    expect(db.prepare('SELECT id, sha256, file_name, alt_text FROM media ORDER BY id').all()).toEqual(files);
    expect(db.prepare('SELECT count(*) AS n FROM post_media').get()).toEqual({ n: 7 });
  });

  it("sends a removed project's files to the shared library instead of deleting them", () => {
    const old = open(before);
    seedMixedUsage(old);
    old.close();
    const db = open(migrations);
    db.prepare("DELETE FROM projects WHERE id = 'bakery'").run();
    expect(db.prepare("SELECT id, project_id FROM media WHERE id IN ('challah', 'twice-bakery') ORDER BY id").all()).toEqual([
      { id: 'challah', project_id: null },
      { id: 'twice-bakery', project_id: null },
    ]);
  });

  it('still serves every library list newest first from media_created, without a sort', () => {
    const db = open(migrations);
    prepareMediaRepo(db);
    for (const args of [
      { all: 1, own: null, shared: 1 },
      { all: 0, own: 'bakery', shared: 1 },
      { all: 0, own: 'bakery', shared: 0 },
      { all: 0, own: null, shared: 1 },
    ]) {
      const plan = (db.prepare(`EXPLAIN QUERY PLAN ${LIST_MEDIA_SQL}`).all({ query: null, kind: null, ...args }) as { detail: string }[])
        .map((row) => row.detail)
        .join('\n');
      expect(plan).toContain('media_created');
      expect(plan).not.toContain('TEMP B-TREE FOR ORDER BY');
    }
  });
});
