import type { DesignTemplate } from '../../core/contract';
import { readDesign } from '../../core/editor/design-migrations';
import type { Db } from '../store/database';

interface TemplateRow {
  id: string;
  name: string;
  design: string;
  created_at: number;
  updated_at: number;
}

/** A stored template, its design brought up to date; a damaged one is left out (and logged). */
function toTemplate(row: TemplateRow, log: (message: string) => void): DesignTemplate | null {
  const read = readDesign(row.design);
  if (!read.ok) {
    log(`Template ${row.id} skipped: ${read.message}`);
    return null;
  }
  return { id: row.id, name: row.name, design: read.design, createdAt: row.created_at, updatedAt: row.updated_at };
}

/** Most recently changed first, walking design_templates_updated. */
export function listTemplates(db: Db, log: (message: string) => void = console.warn): DesignTemplate[] {
  const rows = db.prepare('SELECT id, name, design, created_at, updated_at FROM design_templates ORDER BY updated_at DESC, id').all() as TemplateRow[];
  return rows.flatMap((row) => toTemplate(row, log) ?? []);
}

export function getTemplate(db: Db, id: string): DesignTemplate | undefined {
  const row = db.prepare('SELECT id, name, design, created_at, updated_at FROM design_templates WHERE id = ?').get(id) as TemplateRow | undefined;
  return (row && toTemplate(row, console.warn)) ?? undefined;
}

export function insertTemplate(db: Db, t: { id: string; name: string; design: string; now: number }): void {
  db.prepare('INSERT INTO design_templates (id, name, design, created_at, updated_at) VALUES (@id, @name, @design, @now, @now)').run(t);
}

export function updateTemplate(db: Db, t: { id: string; name: string; design: string; now: number }): boolean {
  return db.prepare('UPDATE design_templates SET name = @name, design = @design, updated_at = @now WHERE id = @id').run(t).changes > 0;
}

export function deleteTemplate(db: Db, id: string): boolean {
  return db.prepare('DELETE FROM design_templates WHERE id = ?').run(id).changes > 0;
}
