import type { NetworkId } from '../networks/ids';
import { isNetworkId } from '../networks/ids';
import { checkTarget, SCHEDULE_LEAD_MS } from '../posts/readiness';
import type { RuleOptions } from '../networks/rules';
import { fromLocal, parseLocal, toLocal } from '../posts/time';

/**
 * The content plan as CSV (RFC 4180): reading a file the way spreadsheets write it, checking each
 * row against the project's accounts and each network's rules before anything is stored, and
 * writing the plan back out in the same columns so an export can be edited and imported again.
 */

/** Excel and Numbers read a CSV without it in the system's legacy code page: Hebrew and Cyrillic turn to mojibake. */
export const UTF8_BOM = '\ufeff';

/** Parses RFC 4180 CSV: quoted fields with "" for a quote, CRLF or LF, an optional BOM; `;` files from European Excel too. */
export function parseCsv(text: string): string[][] {
  const source = text.startsWith(UTF8_BOM) ? text.slice(1) : text;
  const delimiter = detectDelimiter(source);
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let i = 0;
  const endField = () => {
    row.push(field);
    field = '';
  };
  const endRow = () => {
    endField();
    rows.push(row);
    row = [];
  };
  while (i < source.length) {
    const ch = source[i] as string;
    if (quoted) {
      if (ch === '"') {
        if (source[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i++;
        continue;
      }
      field += ch;
      i++;
      continue;
    }
    if (ch === '"' && field === '') {
      quoted = true;
      i++;
    } else if (ch === delimiter) {
      endField();
      i++;
    } else if (ch === '\r' || ch === '\n') {
      endRow();
      i += ch === '\r' && source[i + 1] === '\n' ? 2 : 1;
    } else {
      field += ch;
      i++;
    }
  }
  if (field !== '' || row.length > 0 || quoted) endRow();
  // Blank lines (often a trailing one) are not rows.
  return rows.filter((r) => r.length > 1 || (r[0] ?? '').trim() !== '');
}

function detectDelimiter(text: string): ',' | ';' {
  const firstLine = text.slice(0, text.search(/\r?\n|$/));
  const commas = (firstLine.match(/,/g) ?? []).length;
  const semicolons = (firstLine.match(/;/g) ?? []).length;
  return semicolons > commas ? ';' : ',';
}

/** A cell a spreadsheet would run as a formula gets a leading apostrophe (OWASP CSV injection). */
const FORMULA_START = /^[=+\-@\t\r]/;

function csvCell(value: string): string {
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n;]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** Takes back the apostrophe `csvCell` put before a formula-like cell. */
function uncell(value: string): string {
  return value.startsWith("'") && FORMULA_START.test(value.slice(1)) ? value.slice(1) : value;
}

export function toCsv(rows: readonly (readonly string[])[]): string {
  return rows.map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

// ---- export -----------------------------------------------------------------------------------

export const CSV_COLUMNS = ['date', 'time', 'timezone', 'text', 'accounts', 'labels', 'status', 'approval', 'first_comment', 'notes', 'id'] as const;

export interface ExportPost {
  id: string;
  scheduledAt: number | null;
  timezone: string;
  body: string;
  /** "network:handle" of each target. */
  accounts: readonly string[];
  labels: readonly string[];
  status: string;
  approval: string;
  firstComment: string;
  notes: string;
}

/** The plan in the import's own columns, after a UTF-8 byte-order mark; dates and times are wall times in each post's zone. */
export function exportCsv(posts: readonly ExportPost[]): string {
  const rows: string[][] = [[...CSV_COLUMNS]];
  for (const post of posts) {
    const local = post.scheduledAt === null ? '' : toLocal(post.scheduledAt, post.timezone);
    rows.push([
      local.slice(0, 10),
      local.slice(11, 16),
      post.timezone,
      post.body,
      post.accounts.join('; '),
      post.labels.join('; '),
      post.status,
      post.approval,
      post.firstComment,
      post.notes,
      post.id,
    ]);
  }
  return UTF8_BOM + toCsv(rows);
}

// ---- import -----------------------------------------------------------------------------------

export interface ImportAccount {
  id: string;
  network: NetworkId;
  handle: string;
  ruleOptions?: RuleOptions;
}

export interface ImportContext {
  /** The project's IANA zone: dates without an offset are wall times there. */
  zone: string;
  now: number;
  accounts: readonly ImportAccount[];
}

export type ImportErrorCode =
  | 'date_missing'
  | 'date_invalid'
  | 'date_in_past'
  | 'text_empty'
  | 'accounts_missing'
  | 'account_unknown'
  | 'account_ambiguous'
  | 'status_invalid'
  | 'text_too_long'
  | 'network_rule';

export interface ImportError {
  code: ImportErrorCode;
  column: string;
  /** Values the UI's sentence needs: the account, network, limit, actual length, rule code. */
  params: Record<string, string | number>;
}

export interface ImportRow {
  /** The row as a spreadsheet numbers it: the header is row 1. */
  row: number;
  local: string | null;
  scheduledAt: number | null;
  body: string;
  accountIds: string[];
  labels: string[];
  status: 'draft' | 'scheduled';
  firstComment: string;
  notes: string;
  errors: ImportError[];
}

export type ImportFileProblem = 'empty' | 'missing_columns' | 'too_many_rows';

export interface ImportCheck {
  /** Something wrong with the file as a whole (no header, a required column missing). */
  problem: ImportFileProblem | null;
  missingColumns: string[];
  rows: ImportRow[];
  /** Rows with at least one error. */
  badRows: number[];
}

export const IMPORT_MAX_ROWS = 5_000;
const REQUIRED_COLUMNS = ['date', 'text', 'accounts'] as const;

const headerAliases: Record<string, string> = {
  datetime: 'date',
  scheduled_at: 'date',
  when: 'date',
  body: 'text',
  post: 'text',
  account: 'accounts',
  label: 'labels',
  'first comment': 'first_comment',
  firstcomment: 'first_comment',
};

function headerName(raw: string): string {
  const name = raw.trim().toLowerCase().replace(/\s+/g, ' ');
  return headerAliases[name] ?? name.replace(/ /g, '_');
}

/** Splits a list cell ("a; b, c | d"). */
function listCell(value: string): string[] {
  return value
    .split(/[;,|\n]/)
    .map((part) => part.trim())
    .filter(Boolean);
}

const OFFSET_TIME = /^(\d{4}-\d{2}-\d{2})[T ](\d{1,2}):(\d{2})(?::\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i;
const WALL_TIME = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{1,2}):(\d{2}))?$/;
const TIME_ONLY = /^(\d{1,2}):(\d{2})$/;

/** The instant and wall time of a date cell (with an optional time cell); null when it is not a time. */
function readWhen(dateCell: string, timeCell: string, zone: string): { at: number; local: string } | null {
  const date = dateCell.trim();
  const offset = OFFSET_TIME.exec(date);
  if (offset) {
    const at = Date.parse(date.replace(' ', 'T').replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
    if (!Number.isFinite(at) || parseLocal(`${offset[1]}T${(offset[2] as string).padStart(2, '0')}:${offset[3]}`) === null) return null;
    return { at, local: toLocal(at, zone) };
  }
  const wall = WALL_TIME.exec(date);
  if (!wall) return null;
  let hour = wall[2];
  let minute = wall[3];
  if (hour === undefined) {
    const time = TIME_ONLY.exec(timeCell.trim());
    if (!time) return null;
    hour = time[1];
    minute = time[2];
  }
  const local = `${wall[1]}T${(hour as string).padStart(2, '0')}:${minute}`;
  const at = fromLocal(local, zone);
  return at === null ? null : { at, local: toLocal(at, zone) };
}

function matchAccounts(cell: string, accounts: readonly ImportAccount[], errors: ImportError[]): string[] {
  const ids: string[] = [];
  const entries = listCell(cell);
  if (entries.length === 0) {
    errors.push({ code: 'accounts_missing', column: 'accounts', params: {} });
    return ids;
  }
  for (const entry of entries) {
    const colon = entry.indexOf(':');
    const maybeNetwork = colon > 0 ? entry.slice(0, colon).trim().toLowerCase() : '';
    const network = isNetworkId(maybeNetwork) ? maybeNetwork : null;
    const handle = (network ? entry.slice(colon + 1) : entry).trim().replace(/^@/, '').toLowerCase();
    const found = accounts.filter(
      (a) => a.handle.replace(/^@/, '').toLowerCase() === handle && (network === null || a.network === network),
    );
    if (found.length === 1) {
      const id = (found[0] as ImportAccount).id;
      if (!ids.includes(id)) ids.push(id);
    } else if (found.length === 0) {
      errors.push({ code: 'account_unknown', column: 'accounts', params: { account: entry } });
    } else {
      errors.push({ code: 'account_ambiguous', column: 'accounts', params: { account: entry } });
    }
  }
  return ids;
}

/** Reads and checks every row; nothing is stored unless `badRows` is empty. */
export function checkImport(text: string, context: ImportContext): ImportCheck {
  const table = parseCsv(text);
  const header = table[0];
  if (!header) return { problem: 'empty', missingColumns: [], rows: [], badRows: [] };
  const names = header.map(headerName);
  const missing = REQUIRED_COLUMNS.filter((column) => !names.includes(column));
  if (missing.length > 0) return { problem: 'missing_columns', missingColumns: missing, rows: [], badRows: [] };
  if (table.length - 1 > IMPORT_MAX_ROWS) return { problem: 'too_many_rows', missingColumns: [], rows: [], badRows: [] };

  const byId = new Map(context.accounts.map((a) => [a.id, a]));
  const rows = table.slice(1).map((cells, index): ImportRow => {
    const cell = (name: string) => {
      const at = names.indexOf(name);
      return at === -1 ? '' : uncell(cells[at] ?? '');
    };
    const errors: ImportError[] = [];
    const body = cell('text').replace(/\r\n/g, '\n');

    let when: { at: number; local: string } | null = null;
    if (cell('date').trim() === '') errors.push({ code: 'date_missing', column: 'date', params: {} });
    else {
      when = readWhen(cell('date'), cell('time'), context.zone);
      if (!when) errors.push({ code: 'date_invalid', column: 'date', params: { value: `${cell('date')} ${cell('time')}`.trim() } });
      else if (when.at < context.now + SCHEDULE_LEAD_MS) errors.push({ code: 'date_in_past', column: 'date', params: { value: when.local.replace('T', ' ') } });
    }

    const statusCell = cell('status').trim().toLowerCase();
    let status: 'draft' | 'scheduled' = 'scheduled';
    if (statusCell === 'draft') status = 'draft';
    else if (statusCell !== '' && statusCell !== 'scheduled') errors.push({ code: 'status_invalid', column: 'status', params: { value: statusCell } });

    if (body.trim() === '') errors.push({ code: 'text_empty', column: 'text', params: {} });
    const accountIds = matchAccounts(cell('accounts'), context.accounts, errors);

    if (body.trim() !== '') {
      for (const id of accountIds) {
        const account = byId.get(id) as ImportAccount;
        const check = checkTarget({ network: account.network, text: body, media: [], ...(account.ruleOptions ? { ruleOptions: account.ruleOptions } : {}) });
        for (const issue of check.issues) {
          if (issue.severity !== 'error') continue;
          if (issue.code === 'text_too_long') {
            errors.push({
              code: 'text_too_long',
              column: 'text',
              params: { network: account.network, account: account.handle, limit: issue.limit, actual: issue.actual },
            });
          } else {
            errors.push({ code: 'network_rule', column: 'text', params: { network: account.network, account: account.handle, rule: issue.code } });
          }
        }
      }
    }

    return {
      row: index + 2,
      local: when?.local ?? null,
      scheduledAt: when?.at ?? null,
      body,
      accountIds,
      labels: listCell(cell('labels')),
      status,
      firstComment: cell('first_comment'),
      notes: cell('notes'),
      errors,
    };
  });
  return { problem: null, missingColumns: [], rows, badRows: rows.filter((r) => r.errors.length > 0).map((r) => r.row) };
}
