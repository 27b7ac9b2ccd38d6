import { describe, expect, it } from 'vitest';
import { migrations } from '../../../main/services/store/migrations';
import { migrationDatabases } from '../support/backend';

const open = migrationDatabases('outpost-relay-migration-');

describe('migration 15: each project’s media relay', () => {
  it('adds project_relays to a database of the version before, whose projects start with no relay, and goes with its project', () => {
    const before = open(migrations.filter((m) => m.version < 15));
    before.prepare(`INSERT INTO projects (id, name, name_key, color, timezone, created_at, updated_at) VALUES ('p1', 'Bakery', 'bakery', '#2563eb', 'UTC', 0, 0)`).run();
    before.close();

    const db = open();
    expect(db.prepare('SELECT COUNT(*) FROM project_relays').pluck().get()).toBe(0);
    db.prepare(`INSERT INTO project_relays (project_id, kind, s3_bucket, s3_path_style, updated_at) VALUES ('p1', 's3', 'media', 1, 1)`).run();
    db.prepare(`INSERT INTO projects (id, name, name_key, color, timezone, created_at, updated_at) VALUES ('p2', 'Cafe', 'cafe', '#2563eb', 'UTC', 0, 0)`).run();
    expect(() => db.prepare(`INSERT INTO project_relays (project_id, kind, updated_at) VALUES ('p2', 'ftp', 1)`).run()).toThrow(/CHECK/);
    db.prepare(`DELETE FROM projects WHERE id = 'p1'`).run();
    expect(db.prepare('SELECT COUNT(*) FROM project_relays').pluck().get()).toBe(0);
  });
});
