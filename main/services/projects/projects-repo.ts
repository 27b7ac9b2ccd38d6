import type { Project } from '../../core/contract';
import type { UiLanguage } from '../../core/languages';
import type { Db } from '../store/database';

interface ProjectRow {
  id: string;
  name: string;
  color: string;
  timezone: string;
  archived_at: number | null;
  late_grace_minutes: number;
  strip_location: number;
  client_language: UiLanguage | null;
  created_at: number;
  updated_at: number;
}

const columns = 'id, name, color, timezone, archived_at, late_grace_minutes, strip_location, client_language, created_at, updated_at';

function toProject(row: ProjectRow): Project {
  return {
    id: row.id,
    name: row.name,
    color: row.color,
    timezone: row.timezone,
    archived: row.archived_at !== null,
    lateGraceMinutes: row.late_grace_minutes,
    stripLocation: row.strip_location === 1,
    clientLanguage: row.client_language,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function listProjects(db: Db, includeArchived: boolean): Project[] {
  const where = includeArchived ? '' : 'WHERE archived_at IS NULL';
  const rows = db.prepare(`SELECT ${columns} FROM projects ${where} ORDER BY name COLLATE NOCASE, created_at`).all() as ProjectRow[];
  return rows.map(toProject);
}

export function getProject(db: Db, id: string): Project | undefined {
  const row = db.prepare(`SELECT ${columns} FROM projects WHERE id = ?`).get(id) as ProjectRow | undefined;
  return row && toProject(row);
}

/** The id of the project already using this name key, other than `exceptId`. */
export function findProjectIdByNameKey(db: Db, nameKey: string, exceptId?: string): string | undefined {
  const row = db
    .prepare('SELECT id FROM projects WHERE name_key = ? AND id IS NOT ?')
    .get(nameKey, exceptId ?? null) as { id: string } | undefined;
  return row?.id;
}

export interface NewProject {
  id: string;
  name: string;
  nameKey: string;
  color: string;
  timezone: string;
  lateGraceMinutes: number;
  stripLocation: boolean;
  clientLanguage: UiLanguage | null;
  now: number;
}

export function insertProject(db: Db, p: NewProject): void {
  db.prepare(
    `INSERT INTO projects (id, name, name_key, color, timezone, late_grace_minutes, strip_location, client_language, created_at, updated_at)
     VALUES (@id, @name, @nameKey, @color, @timezone, @lateGraceMinutes, @stripLocation, @clientLanguage, @now, @now)`,
  ).run({ ...p, stripLocation: p.stripLocation ? 1 : 0 });
}

export interface ProjectChanges {
  name?: { name: string; nameKey: string };
  color?: string;
  timezone?: string;
  archivedAt?: number | null;
  lateGraceMinutes?: number;
  stripLocation?: boolean;
  clientLanguage?: UiLanguage | null;
}

export function updateProject(db: Db, id: string, changes: ProjectChanges, now: number): void {
  const sets: string[] = ['updated_at = @now'];
  const params: Record<string, unknown> = { id, now };
  if (changes.name) {
    sets.push('name = @name', 'name_key = @nameKey');
    params.name = changes.name.name;
    params.nameKey = changes.name.nameKey;
  }
  if (changes.color !== undefined) {
    sets.push('color = @color');
    params.color = changes.color;
  }
  if (changes.timezone !== undefined) {
    sets.push('timezone = @timezone');
    params.timezone = changes.timezone;
  }
  if (changes.lateGraceMinutes !== undefined) {
    sets.push('late_grace_minutes = @lateGraceMinutes');
    params.lateGraceMinutes = changes.lateGraceMinutes;
  }
  if (changes.stripLocation !== undefined) {
    sets.push('strip_location = @stripLocation');
    params.stripLocation = changes.stripLocation ? 1 : 0;
  }
  if (changes.clientLanguage !== undefined) {
    sets.push('client_language = @clientLanguage');
    params.clientLanguage = changes.clientLanguage;
  }
  if (changes.archivedAt !== undefined) {
    sets.push('archived_at = @archivedAt');
    params.archivedAt = changes.archivedAt;
  }
  db.prepare(`UPDATE projects SET ${sets.join(', ')} WHERE id = @id`).run(params);
}

/** Whether location metadata is stripped from what a project publishes (on unless the user turned it off). */
export function projectStripsLocation(db: Db, id: string): boolean {
  const row = db.prepare('SELECT strip_location FROM projects WHERE id = ?').get(id) as { strip_location: number } | undefined;
  return row ? row.strip_location === 1 : true;
}
