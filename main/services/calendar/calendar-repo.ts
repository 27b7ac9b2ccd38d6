import type { Approval, CalendarAccount, CalendarEntry } from '../../core/contract/calendar';
import type { PostStatus } from '../../core/contract/posts';
import type { WeeklySlot } from '../../core/calendar/slots';
import type { NetworkId } from '../../core/networks/ids';
import { prepared, type Db } from '../store/database';
import { parseJsonColumn } from '../store/json-columns';

/** The calendar's SQL: compact entries for a date range, approval, queues and the evergreen pool. */

export const EXCERPT_LENGTH = 140;

interface EntryRow {
  id: string;
  projectId: string;
  excerpt: string;
  status: PostStatus;
  approval: Approval;
  scheduledAt: number | null;
  timezone: string;
  labels: string;
  revision: number;
  repeats: number;
  evergreen: number;
  mediaCount: number;
  thumbnailId: string | null;
  body?: string;
  notes?: string;
}

const entryColumns = /* sql */ `
  p.id, p.project_id AS projectId, substr(p.body, 1, ${EXCERPT_LENGTH}) AS excerpt, p.status, p.approval,
  p.scheduled_at AS scheduledAt, p.timezone, p.labels, p.revision,
  (p.series_id IS NOT NULL OR p.recurrence IS NOT NULL) AS repeats,
  EXISTS (SELECT 1 FROM evergreen_posts e WHERE e.post_id = p.id) AS evergreen,
  (SELECT count(*) FROM post_media m WHERE m.post_id = p.id) AS mediaCount,
  (SELECT m.media_id FROM post_media m JOIN media f ON f.id = m.media_id
    WHERE m.post_id = p.id AND f.mime LIKE 'image/%' ORDER BY m.position LIMIT 1) AS thumbnailId`;

// Two statements rather than `(@projectId IS NULL OR …)`, which would keep the planner off the project index.
// Rows come in index order (by time); ties are ordered by the renderer, which sorts each day anyway,
// so no sort step runs here. The full text and notes are read only when searching.
const forProject = 'p.project_id = @projectId AND p.scheduled_at >= @from AND p.scheduled_at < @to';
const forAll = 'p.scheduled_at >= @from AND p.scheduled_at < @to';

/** One project's entries in [from, to); served by posts_project_scheduled. */
export const ENTRIES_FOR_PROJECT_SQL = /* sql */ `SELECT ${entryColumns} FROM posts p WHERE ${forProject} ORDER BY p.scheduled_at`;

/** Every project's entries in [from, to); served by posts_scheduled. */
export const ENTRIES_SQL = /* sql */ `SELECT ${entryColumns} FROM posts p WHERE ${forAll} ORDER BY p.scheduled_at`;

const SEARCH_FOR_PROJECT_SQL = `SELECT ${entryColumns}, p.body, p.notes FROM posts p WHERE ${forProject} ORDER BY p.scheduled_at`;
const SEARCH_SQL = `SELECT ${entryColumns}, p.body, p.notes FROM posts p WHERE ${forAll} ORDER BY p.scheduled_at`;

const targetsFrom = `SELECT t.post_id AS postId, t.account_id AS accountId, a.network, a.status = 'planned' AS planned FROM posts p
  JOIN post_targets t ON t.post_id = p.id JOIN accounts a ON a.id = t.account_id WHERE`;
const TARGETS_FOR_PROJECT_SQL = `${targetsFrom} ${forProject}`;
const TARGETS_SQL = `${targetsFrom} ${forAll}`;

function parseLabels(db: Db, text: string, postId: string): string[] {
  // Most posts carry no labels: skip the parser for them (the month query reads ~1,700 at once).
  if (text === '[]') return [];
  const value = parseJsonColumn(db, text, { table: 'posts', column: 'labels', id: postId });
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** Case-insensitive match of every word of `search` in the text, notes or labels. */
export function matchesSearch(row: { body?: string; notes?: string; labels: string }, search: string): boolean {
  const haystack = `${row.body ?? ''}\n${row.notes ?? ''}\n${row.labels}`.toLocaleLowerCase();
  return search
    .toLocaleLowerCase()
    .split(/\s+/)
    .filter(Boolean)
    .every((word) => haystack.includes(word));
}

interface TargetRow {
  postId: string;
  accountId: string;
  network: NetworkId;
  /** 1 when the target is a network planned before its account exists. */
  planned: number;
}

function toEntries(db: Db, rows: readonly EntryRow[], targets: readonly TargetRow[]): CalendarEntry[] {
  const byPost = new Map<string, TargetRow[]>();
  for (const target of targets) {
    const list = byPost.get(target.postId);
    if (list) list.push(target);
    else byPost.set(target.postId, [target]);
  }
  return rows.map((row) => {
    const list = byPost.get(row.id) ?? [];
    return {
      id: row.id,
      projectId: row.projectId,
      excerpt: row.excerpt,
      status: row.status,
      approval: row.approval,
      scheduledAt: row.scheduledAt,
      timezone: row.timezone,
      accountIds: list.map((t) => t.accountId),
      networks: [...new Set(list.map((t) => t.network))],
      accountMissing: list.some((t) => t.planned === 1),
      labels: parseLabels(db, row.labels, row.id),
      mediaCount: row.mediaCount,
      thumbnailId: row.thumbnailId,
      revision: row.revision,
      repeats: row.repeats === 1,
      evergreen: row.evergreen === 1,
    };
  });
}

export interface EntryRange {
  projectId?: string | undefined;
  from: number;
  to: number;
  search?: string | undefined;
}

/** The calendar's query: entries with a time in [from, to), earliest first. */
export function listEntriesInRange(db: Db, range: EntryRange): CalendarEntry[] {
  const params = range.projectId === undefined ? { from: range.from, to: range.to } : { projectId: range.projectId, from: range.from, to: range.to };
  const search = range.search?.trim();
  const all = range.projectId === undefined;
  // Read as arrays (no row object per post): a month holds ~1,700 posts and this is the calendar's hot path.
  const targets = (prepared(db, all ? TARGETS_SQL : TARGETS_FOR_PROJECT_SQL).raw(true).all(params) as [string, string, NetworkId, number][]).map(
    ([postId, accountId, network, planned]): TargetRow => ({ postId, accountId, network, planned }),
  );
  if (!search) {
    const raw = prepared(db, all ? ENTRIES_SQL : ENTRIES_FOR_PROJECT_SQL).raw(true).all(params) as RawEntryRow[];
    return toEntries(db, raw.map(entryOfRaw), targets);
  }
  const rows = (prepared(db, all ? SEARCH_SQL : SEARCH_FOR_PROJECT_SQL).all(params) as EntryRow[]).filter((row) => matchesSearch(row, search));
  return toEntries(db, rows, targets);
}

/** entryColumns, in order. */
type RawEntryRow = [string, string, string, PostStatus, Approval, number | null, string, string, number, number, number, number, string | null];

function entryOfRaw(r: RawEntryRow): EntryRow {
  return {
    id: r[0],
    projectId: r[1],
    excerpt: r[2],
    status: r[3],
    approval: r[4],
    scheduledAt: r[5],
    timezone: r[6],
    labels: r[7],
    revision: r[8],
    repeats: r[9],
    evergreen: r[10],
    mediaCount: r[11],
    thumbnailId: r[12],
  };
}

function entriesByIds(db: Db, ids: readonly string[], where = ''): CalendarEntry[] {
  if (ids.length === 0) return [];
  const marks = ids.map(() => '?').join(', ');
  const rows = db.prepare(`SELECT ${entryColumns} FROM posts p WHERE p.id IN (${marks}) ${where}`).all(...ids) as EntryRow[];
  const targets = db
    .prepare(
      `SELECT t.post_id AS postId, t.account_id AS accountId, a.network, a.status = 'planned' AS planned FROM post_targets t JOIN accounts a ON a.id = t.account_id
       WHERE t.post_id IN (${marks}) ORDER BY t.rowid`,
    )
    .all(...ids) as TargetRow[];
  const order = new Map(ids.map((id, i) => [id, i]));
  return toEntries(db, rows, targets).sort((a, b) => (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0));
}

export function getEntry(db: Db, id: string): CalendarEntry | undefined {
  return entriesByIds(db, [id])[0];
}

export function getEntries(db: Db, ids: readonly string[]): CalendarEntry[] {
  return entriesByIds(db, ids);
}

/** Drafts with no time: the sidebar's list, newest change first (at most 200). */
export function listUnscheduled(db: Db, projectId: string | undefined, search: string | undefined): CalendarEntry[] {
  const rows = db
    .prepare(
      `SELECT ${entryColumns}, p.body, p.notes FROM posts p
       WHERE p.scheduled_at IS NULL AND p.status = 'draft' ${projectId === undefined ? '' : 'AND p.project_id = @projectId'}
       ORDER BY p.updated_at DESC, p.id LIMIT 500`,
    )
    .all(projectId === undefined ? {} : { projectId }) as EntryRow[];
  const matching = (search?.trim() ? rows.filter((row) => matchesSearch(row, search.trim())) : rows).slice(0, 200);
  return entriesByIds(
    db,
    matching.map((r) => r.id),
  );
}

export function listCalendarAccounts(db: Db, projectId: string | undefined): CalendarAccount[] {
  return db
    .prepare(
      `SELECT id, project_id AS projectId, network, handle, display_name AS displayName FROM accounts
       WHERE status != 'disconnected' ${projectId === undefined ? '' : 'AND project_id = ?'} ORDER BY network, handle`,
    )
    .all(...(projectId === undefined ? [] : [projectId])) as CalendarAccount[];
}

export function listLabels(db: Db, projectId: string | undefined): string[] {
  const rows = db
    .prepare(
      `SELECT DISTINCT j.value AS label FROM posts p, json_each(p.labels) j
       WHERE p.labels != '[]' ${projectId === undefined ? '' : 'AND p.project_id = ?'}`,
    )
    .all(...(projectId === undefined ? [] : [projectId])) as { label: string }[];
  const seen = new Map<string, string>();
  for (const { label } of rows) if (typeof label === 'string' && !seen.has(label.toLocaleLowerCase())) seen.set(label.toLocaleLowerCase(), label);
  return [...seen.values()].sort((a, b) => a.localeCompare(b));
}

// ---- queues ---------------------------------------------------------------------------------

export interface QueueRow {
  accountId: string;
  slots: WeeklySlot[];
  minSpacingMinutes: number;
}

export function getQueues(db: Db, accountIds: readonly string[]): QueueRow[] {
  if (accountIds.length === 0) return [];
  const marks = accountIds.map(() => '?').join(', ');
  const slots = db
    .prepare(`SELECT account_id AS accountId, weekday, minute FROM time_slots WHERE account_id IN (${marks}) ORDER BY weekday, minute`)
    .all(...accountIds) as (WeeklySlot & { accountId: string })[];
  const spacing = db
    .prepare(`SELECT account_id AS accountId, min_spacing_minutes AS minutes FROM queue_settings WHERE account_id IN (${marks})`)
    .all(...accountIds) as { accountId: string; minutes: number }[];
  const spacingOf = new Map(spacing.map((s) => [s.accountId, s.minutes]));
  return accountIds.map((accountId) => ({
    accountId,
    slots: slots.filter((s) => s.accountId === accountId).map(({ weekday, minute }) => ({ weekday, minute })),
    minSpacingMinutes: spacingOf.get(accountId) ?? 0,
  }));
}

export function saveQueue(db: Db, accountId: string, slots: readonly WeeklySlot[], minSpacingMinutes: number): void {
  db.prepare('DELETE FROM time_slots WHERE account_id = ?').run(accountId);
  const insert = db.prepare('INSERT INTO time_slots (account_id, weekday, minute) VALUES (?, ?, ?)');
  for (const slot of slots) insert.run(accountId, slot.weekday, slot.minute);
  db.prepare(
    `INSERT INTO queue_settings (account_id, min_spacing_minutes) VALUES (?, ?)
     ON CONFLICT (account_id) DO UPDATE SET min_spacing_minutes = excluded.min_spacing_minutes`,
  ).run(accountId, minSpacingMinutes);
}

export interface ProjectQueueRow {
  slots: WeeklySlot[];
  minSpacingMinutes: number;
}

export function getProjectQueue(db: Db, projectId: string): ProjectQueueRow {
  const slots = db.prepare('SELECT weekday, minute FROM project_time_slots WHERE project_id = ? ORDER BY weekday, minute').all(projectId) as WeeklySlot[];
  const spacing = db.prepare('SELECT min_spacing_minutes AS minutes FROM project_queue_settings WHERE project_id = ?').get(projectId) as
    | { minutes: number }
    | undefined;
  return { slots, minSpacingMinutes: spacing?.minutes ?? 0 };
}

export function saveProjectQueue(db: Db, projectId: string, slots: readonly WeeklySlot[], minSpacingMinutes: number): void {
  db.prepare('DELETE FROM project_time_slots WHERE project_id = ?').run(projectId);
  const insert = db.prepare('INSERT INTO project_time_slots (project_id, weekday, minute) VALUES (?, ?, ?)');
  for (const slot of slots) insert.run(projectId, slot.weekday, slot.minute);
  db.prepare(
    `INSERT INTO project_queue_settings (project_id, min_spacing_minutes) VALUES (?, ?)
     ON CONFLICT (project_id) DO UPDATE SET min_spacing_minutes = excluded.min_spacing_minutes`,
  ).run(projectId, minSpacingMinutes);
}

/** Each account's queue as the queue uses it: its own slots and spacing, or the project's when it has no slots of its own. */
export function effectiveQueues(db: Db, projectId: string, accountIds: readonly string[]): QueueRow[] {
  const project = getProjectQueue(db, projectId);
  return getQueues(db, accountIds).map((queue) => (queue.slots.length > 0 ? queue : { ...project, accountId: queue.accountId }));
}

/** Times of the account's posts in [from, to), other than `exceptPostId`; published and planned alike. */
export function busyTimes(db: Db, accountId: string, from: number, to: number, exceptPostId = ''): number[] {
  return (
    db
      .prepare(
        `SELECT p.scheduled_at AS at FROM post_targets t JOIN posts p ON p.id = t.post_id
         WHERE t.account_id = ? AND p.id != ? AND p.scheduled_at >= ? AND p.scheduled_at < ? AND t.state != 'deleted'`,
      )
      .all(accountId, exceptPostId, from, to) as { at: number }[]
  ).map((r) => r.at);
}

// ---- evergreen ------------------------------------------------------------------------------

export interface EvergreenRow {
  postId: string;
  excerpt: string;
  lastQueuedAt: number | null;
  position: number;
}

export function listEvergreen(db: Db, projectId: string): EvergreenRow[] {
  return db
    .prepare(
      `SELECT e.post_id AS postId, substr(p.body, 1, ${EXCERPT_LENGTH}) AS excerpt, e.last_queued_at AS lastQueuedAt, e.position
       FROM evergreen_posts e JOIN posts p ON p.id = e.post_id WHERE e.project_id = ? ORDER BY e.position`,
    )
    .all(projectId) as EvergreenRow[];
}

export function addEvergreen(db: Db, postId: string, projectId: string, now: number): void {
  db.prepare(
    `INSERT INTO evergreen_posts (post_id, project_id, position, added_at)
     VALUES (?, ?, (SELECT coalesce(max(position), -1) + 1 FROM evergreen_posts WHERE project_id = ?), ?)
     ON CONFLICT (post_id) DO NOTHING`,
  ).run(postId, projectId, projectId, now);
}

export function removeEvergreen(db: Db, postId: string): void {
  db.prepare('DELETE FROM evergreen_posts WHERE post_id = ?').run(postId);
}

export function markEvergreenQueued(db: Db, postId: string, at: number): void {
  db.prepare('UPDATE evergreen_posts SET last_queued_at = ? WHERE post_id = ?').run(at, postId);
}

export function evergreenInterval(db: Db, projectId: string): number {
  const row = db.prepare('SELECT min_interval_days AS days FROM evergreen_settings WHERE project_id = ?').get(projectId) as
    | { days: number }
    | undefined;
  return row?.days ?? 30;
}

export function setEvergreenInterval(db: Db, projectId: string, days: number): void {
  db.prepare(
    `INSERT INTO evergreen_settings (project_id, min_interval_days) VALUES (?, ?)
     ON CONFLICT (project_id) DO UPDATE SET min_interval_days = excluded.min_interval_days`,
  ).run(projectId, days);
}

// ---- series ---------------------------------------------------------------------------------

/** Copies of a series that have not gone out and could be replaced: drafts, scheduled or failed. */
export function pendingSeriesCopies(db: Db, seriesId: string): string[] {
  return (
    db
      .prepare(
        `SELECT id FROM posts WHERE series_id = ? AND status IN ('draft', 'scheduled', 'failed')
         AND NOT EXISTS (SELECT 1 FROM post_targets t WHERE t.post_id = posts.id AND t.state IN ('publishing', 'published'))`,
      )
      .all(seriesId) as { id: string }[]
  ).map((r) => r.id);
}

// ---- export and the approval pack ------------------------------------------------------------

export interface ExportRow {
  id: string;
  projectId: string;
  projectName: string;
  body: string;
  firstComment: string;
  notes: string;
  labels: string[];
  status: PostStatus;
  approval: Approval;
  scheduledAt: number | null;
  timezone: string;
  revision: number;
  updatedAt: number;
  accounts: { network: NetworkId; handle: string }[];
}

/** Posts of one project or all, with a time in [from, to) when a range is given (else every post), in time order. */
export function listForExport(db: Db, projectId: string | undefined, from: number | undefined, to: number | undefined): ExportRow[] {
  const where: string[] = [];
  const params: Record<string, unknown> = {};
  if (projectId !== undefined) {
    where.push('p.project_id = @projectId');
    params.projectId = projectId;
  }
  if (from !== undefined) {
    where.push('p.scheduled_at >= @from');
    params.from = from;
  }
  if (to !== undefined) {
    where.push('p.scheduled_at < @to');
    params.to = to;
  }
  const rows = db
    .prepare(
      `SELECT p.id, p.project_id AS projectId, pr.name AS projectName, p.body, p.first_comment AS firstComment, p.notes,
              p.labels, p.status, p.approval, p.scheduled_at AS scheduledAt, p.timezone, p.revision, p.updated_at AS updatedAt
       FROM posts p JOIN projects pr ON pr.id = p.project_id
       ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY p.scheduled_at IS NULL, p.scheduled_at, p.id`,
    )
    .all(params) as (Omit<ExportRow, 'labels' | 'accounts'> & { labels: string })[];
  const targets = db
    .prepare(
      `SELECT t.post_id AS postId, a.network, a.handle FROM post_targets t JOIN accounts a ON a.id = t.account_id
       ${projectId === undefined ? '' : 'WHERE a.project_id = ?'} ORDER BY t.rowid`,
    )
    .all(...(projectId === undefined ? [] : [projectId])) as { postId: string; network: NetworkId; handle: string }[];
  const byPost = new Map<string, { network: NetworkId; handle: string }[]>();
  for (const t of targets) {
    const list = byPost.get(t.postId) ?? [];
    list.push({ network: t.network, handle: t.handle });
    byPost.set(t.postId, list);
  }
  return rows.map((row) => ({ ...row, labels: parseLabels(db, row.labels, row.id), accounts: byPost.get(row.id) ?? [] }));
}

export function mediaFiles(db: Db, ids: readonly string[]): { id: string; sha256: string; mime: string; altText: string }[] {
  if (ids.length === 0) return [];
  return db
    .prepare(`SELECT id, sha256, mime, alt_text AS altText FROM media WHERE id IN (${ids.map(() => '?').join(', ')})`)
    .all(...ids) as { id: string; sha256: string; mime: string; altText: string }[];
}
