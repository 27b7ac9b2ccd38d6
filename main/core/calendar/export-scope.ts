import { addDays, dayStart, isDayKey, type DayKey } from './days';

/**
 * What an export holds, chosen by the user rather than taken from whatever the calendar happens to
 * show (a reload falls back to the week view): the view's days, a range of days, or the whole
 * project; and a file name that says which project and which days, so two exports never collide.
 */

export type ExportScopeKind = 'view' | 'range' | 'project';

/** Whole civil days in the project's zone, `last` included; null: the whole project. */
export interface ExportSpan {
  first: DayKey;
  last: DayKey;
}

export interface ExportChoice {
  kind: ExportScopeKind;
  /** The days of kind 'range'; kept while another kind is chosen, so switching back finds them. */
  first: DayKey;
  last: DayKey;
}

/** The days a choice covers: the view's own, the chosen range (in either order), or null for the whole project. */
export function exportSpan(choice: ExportChoice, view: ExportSpan): ExportSpan | null {
  if (choice.kind === 'project') return null;
  if (choice.kind === 'view') return view;
  return choice.first <= choice.last ? { first: choice.first, last: choice.last } : { first: choice.last, last: choice.first };
}

/** The half-open instants [from, to) of a span in a zone; none for the whole project. */
export function exportInstants(span: ExportSpan | null, zone: string): { from?: number; to?: number } {
  if (!span) return {};
  return { from: dayStart(span.first, zone), to: dayStart(addDays(span.last, 1), zone) };
}

/** A stored choice read back, or null when it is not one (an older shape, a hand-edited value). */
export function readExportChoice(value: unknown): ExportChoice | null {
  if (typeof value !== 'object' || value === null) return null;
  const { kind, first, last } = value as Record<string, unknown>;
  if (kind !== 'view' && kind !== 'range' && kind !== 'project') return null;
  if (typeof first !== 'string' || typeof last !== 'string' || !isDayKey(first) || !isDayKey(last)) return null;
  return { kind, first, last };
}

export interface FileNameWords {
  /** "to", between the first and last day. */
  to: string;
  /** Stands for the range when the whole project is exported. */
  wholeProject: string;
  /** Stands for the project when every project is exported. */
  allProjects: string;
}

export const englishFileNameWords: FileNameWords = { to: 'to', wholeProject: 'whole project', allProjects: 'All projects' };

// Characters Windows, macOS or Linux refuse in a name, controls, and bidi controls (which can disguise an extension).
const FORBIDDEN = /[<>:"/\\|?*\p{Cc}\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu;
const WINDOWS_RESERVED = /^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$/i;
/** A long project name is cut, never the days: 60 characters (up to 240 UTF-8 bytes) keep the name within 255 bytes. */
const MAX_PROJECT = 60;

/** A name every file system accepts: forbidden characters become spaces, no trailing dot or space, not a device name. */
export function safeFileStem(stem: string): string {
  let safe = stem.normalize('NFC').replace(FORBIDDEN, ' ').replace(/\s+/g, ' ').trim();
  safe = safe.replace(/[. ]+$/, '');
  if (safe === '' || WINDOWS_RESERVED.test(safe)) safe = `Outpost ${safe}`.trim();
  return safe;
}

/**
 * "Acme Bakery — 2026-12-01 to 2026-12-31.csv"; `kind` ("approval pack") sits between project and
 * days. ISO dates sort and read the same in every language.
 */
export function exportFileName(input: {
  project: string | null;
  span: ExportSpan | null;
  extension: string;
  kind?: string;
  words?: FileNameWords;
}): string {
  const words = input.words ?? englishFileNameWords;
  const days = input.span
    ? input.span.first === input.span.last
      ? input.span.first
      : `${input.span.first} ${words.to} ${input.span.last}`
    : words.wholeProject;
  const project = [...(input.project?.trim() || words.allProjects)].slice(0, MAX_PROJECT).join('');
  const parts = [project, input.kind, days].filter((part): part is string => Boolean(part));
  return `${safeFileStem(parts.join(' — '))}.${input.extension}`;
}
