import type { Db } from './database';

/** Which stored value could not be read: enough to find the row, never the value itself. */
export interface ColumnRef {
  table: string;
  column: string;
  id: string;
}

/** Told where, never what: the parser's message quotes the stored text. */
type Report = (where: ColumnRef) => void;

const reporters = new WeakMap<Db, Report>();

/** Where this database's unreadable JSON values are told (the services' log); a console warning until set. */
export function reportUnreadableColumns(db: Db, report: Report): void {
  reporters.set(db, report);
}

/** A JSON column that did not parse: the caller falls back, and surfaces that it did. */
export const UNREADABLE = Symbol('unreadable JSON column');

/** Parses a JSON column; text that is not JSON is reported (never silently defaulted) and comes back as UNREADABLE. */
export function parseJsonColumn(db: Db, text: string, where: ColumnRef): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    const report = reporters.get(db) ?? ((at: ColumnRef) => console.warn('store: a stored value could not be read', at));
    report(where);
    return UNREADABLE;
  }
}
