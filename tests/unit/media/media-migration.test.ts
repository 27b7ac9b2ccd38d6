import { describe, expect, it } from 'vitest';
import { LIST_MEDIA_SQL, prepareMediaRepo } from '../../../main/services/media/media-repo';
import { schemaVersion } from '../../../main/services/store/database';
import { migrations } from '../../../main/services/store/migrations';
import { migrationDatabases } from '../support/backend';

const open = migrationDatabases('outpost-media-migration-');

describe('migration 2: media library order', () => {
  it('adds the index to a version-1 database and keeps its media', () => {
    const v1 = open(migrations.filter((m) => m.version === 1));
    v1.prepare(`INSERT INTO media (id, sha256, mime, bytes, file_name, created_at) VALUES ('m1', 'aa', 'image/png', 3, 'a.png', 1)`).run();
    v1.close();

    const db = open();
    expect(schemaVersion(db)).toBeGreaterThanOrEqual(2);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND name = 'media_created'").get()).toBeTruthy();
    expect(db.prepare('SELECT id, file_name FROM media').all()).toEqual([{ id: 'm1', file_name: 'a.png' }]);
  });

  it('serves the library list, newest first, from the index rather than a sort', () => {
    const db = open();
    prepareMediaRepo(db);
    const plan = (db.prepare(`EXPLAIN QUERY PLAN ${LIST_MEDIA_SQL}`).all({ query: 'cat', kind: 'image/', all: 1, own: null, shared: 1 }) as { detail: string }[])
      .map((row) => row.detail)
      .join('\n');
    expect(plan).toContain('media_created');
    expect(plan).not.toContain('TEMP B-TREE FOR ORDER BY');
  });
});
