import type { Approval } from '../../core/contract/calendar';
import { networkOptionsSchema, type NetworkOptions, type Post, type PostStatus, type PostSummary, type Target, type TargetState } from '../../core/contract/posts';
import { httpsLinkOrNull } from '../../core/links';
import type { NetworkId } from '../../core/networks/ids';
import { toLocal } from '../../core/posts/time';
import { getMediaItems } from '../media/media-repo';
import { prepared, type Db } from '../store/database';
import { parseJsonColumn, UNREADABLE, type ColumnRef } from '../store/json-columns';
import { threadProgress } from './thread-progress';

export type { PostStatus } from '../../core/contract/posts';

/** What the calendar needs to draw one post. */
export interface CalendarPost {
  id: string;
  projectId: string;
  body: string;
  status: PostStatus;
  /** The instant in UTC milliseconds. */
  scheduledAt: number;
  /** The IANA zone the post was planned in. */
  timezone: string;
}

export interface PostRange {
  /** One project, or every project when left out. */
  projectId?: string;
  /** Inclusive start, UTC ms. */
  from: number;
  /** Exclusive end, UTC ms. */
  to: number;
}

const calendarColumns = `id, project_id AS projectId, body, status, scheduled_at AS scheduledAt, timezone`;

// Two statements rather than `(@projectId IS NULL OR …)`, which would keep the planner off the project index.
/** Posts of one project in [from, to); served by posts_project_scheduled. */
export const POSTS_IN_RANGE_FOR_PROJECT_SQL = /* sql */ `
  SELECT ${calendarColumns} FROM posts
  WHERE project_id = @projectId AND scheduled_at >= @from AND scheduled_at < @to
  ORDER BY scheduled_at, id`;

/** Posts of every project in [from, to); served by posts_scheduled. */
export const POSTS_IN_RANGE_SQL = /* sql */ `
  SELECT ${calendarColumns} FROM posts
  WHERE scheduled_at >= @from AND scheduled_at < @to
  ORDER BY scheduled_at, id`;

/** The calendar's query: posts scheduled in [from, to), earliest first. */
export function listPostsInRange(db: Db, range: PostRange): CalendarPost[] {
  const { projectId, from, to } = range;
  if (projectId === undefined) return db.prepare(POSTS_IN_RANGE_SQL).all({ from, to }) as CalendarPost[];
  return db.prepare(POSTS_IN_RANGE_FOR_PROJECT_SQL).all({ projectId, from, to }) as CalendarPost[];
}

// ---- the composer's posts -------------------------------------------------------------------

interface PostRow {
  id: string;
  project_id: string;
  body: string;
  first_comment: string;
  notes: string;
  labels: string;
  status: PostStatus;
  scheduled_at: number | null;
  timezone: string;
  auto_delete_after_ms: number | null;
  network_options: string;
  revision: number;
  created_at: number;
  updated_at: number;
}

interface TargetRow {
  id: string;
  account_id: string;
  body_override: string | null;
  media_override: string | null;
  state: TargetState;
  remote_url: string | null;
  last_error: string | null;
  network_said: string | null;
  network: NetworkId;
  handle: string;
  display_name: string;
  account_status: Target['accountStatus'];
  config: string;
}


/** A JSON column of a post, its targets or its project's sets; unreadable text is reported and named in `unreadable`. */
function jsonColumn<T>(db: Db, text: string, fallback: T, where: ColumnRef, unreadable?: string[]): T {
  const value = parseJsonColumn(db, text, where);
  if (value !== UNREADABLE) return value as T;
  unreadable?.push(`${where.table}.${where.column}`);
  return fallback;
}

const postColumns =
  'id, project_id, body, first_comment, notes, labels, status, scheduled_at, timezone, auto_delete_after_ms, network_options, revision, created_at, updated_at';

/** The post's network options as stored; text that is not JSON, or not options, falls back to none and is named in `unreadable`. */
export function readNetworkOptions(db: Db, text: string, postId: string, unreadable?: string[]): NetworkOptions {
  const where = { table: 'posts', column: 'network_options', id: postId };
  const parsed = networkOptionsSchema.safeParse(jsonColumn<unknown>(db, text, {}, where, unreadable));
  if (parsed.success) return parsed.data;
  unreadable?.push('posts.network_options');
  return {};
}

export function getPostRow(db: Db, id: string): PostRow | undefined {
  return db.prepare(`SELECT ${postColumns} FROM posts WHERE id = ?`).get(id) as PostRow | undefined;
}

export function getPost(db: Db, id: string): Post | undefined {
  return readPost(db, id)?.post;
}

/** A post as stored, with the JSON columns that could not be read (the post then falls back and must not go out as is). */
export function readPost(db: Db, id: string): { post: Post; unreadable: string[] } | undefined {
  const row = getPostRow(db, id);
  if (!row) return undefined;
  const unreadable: string[] = [];
  const mediaIds = (
    db.prepare('SELECT media_id FROM post_media WHERE post_id = ? ORDER BY position').all(id) as { media_id: string }[]
  ).map((r) => r.media_id);
  const targetRows = db
    .prepare(
      `SELECT t.id, t.account_id, t.body_override, t.media_override, t.state, t.remote_url, t.last_error, t.network_said,
              a.network, a.handle, a.display_name, a.status AS account_status, a.config
       FROM post_targets t JOIN accounts a ON a.id = t.account_id
       WHERE t.post_id = ? ORDER BY t.rowid`,
    )
    .all(id) as TargetRow[];
  const overrides = targetRows.map((t) =>
    t.media_override === null ? null : jsonColumn<string[] | null>(db, t.media_override, null, { table: 'post_targets', column: 'media_override', id: t.id }, unreadable),
  );
  const networkOptions = readNetworkOptions(db, row.network_options, row.id, unreadable);
  const threadIds = (networkOptions.thread?.parts ?? []).flatMap((part) => part.media);
  // One query for every media item the post, its overrides and its thread's parts use.
  const allIds = [...new Set([...mediaIds, ...overrides.flatMap((ids) => ids ?? []), ...threadIds])];
  const media = new Map(getMediaItems(db, allIds).map((item) => [item.mediaId, item]));
  const pick = (ids: readonly string[]) => ids.flatMap((mediaId) => media.get(mediaId) ?? []);
  const threadOf = (targetId: string) => {
    const progress = networkOptions.thread?.parts.length ? threadProgress(db, targetId, networkOptions.thread.parts.length + 1) : null;
    return progress ? { thread: progress } : {};
  };
  const post: Post = {
    id: row.id,
    projectId: row.project_id,
    body: row.body,
    firstComment: row.first_comment,
    notes: row.notes,
    labels: jsonColumn<string[]>(db, row.labels, [], { table: 'posts', column: 'labels', id: row.id }, unreadable),
    status: row.status,
    scheduledAt: row.scheduled_at,
    timezone: row.timezone,
    local: row.scheduled_at === null ? null : toLocal(row.scheduled_at, row.timezone),
    autoDeleteAfterMs: row.auto_delete_after_ms,
    networkOptions,
    media: pick(mediaIds),
    ...(threadIds.length > 0 ? { threadMedia: pick([...new Set(threadIds)]) } : {}),
    targets: targetRows.map((t, i) => {
      const override = overrides[i] ?? null;
      return {
        id: t.id,
        accountId: t.account_id,
        network: t.network,
        handle: t.handle,
        displayName: t.display_name,
        accountStatus: t.account_status,
        ruleOptions: jsonColumn<Record<string, unknown>>(db, t.config, {}, { table: 'accounts', column: 'config', id: t.account_id }, unreadable),
        bodyOverride: t.body_override,
        mediaOverride: override === null ? null : pick(override),
        state: t.state,
        // Rows written before links were checked on the way in may hold an http one.
        remoteUrl: httpsLinkOrNull(t.remote_url),
        lastError: t.last_error,
        networkSaid: t.network_said,
        ...threadOf(t.id),
      };
    }),
    revision: row.revision,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
  return { post, unreadable };
}

export interface NewPost {
  id: string;
  projectId: string;
  body: string;
  firstComment: string;
  notes: string;
  labels: string[];
  scheduledAt: number | null;
  timezone: string;
  /** Null or left out: the post stays up. */
  autoDeleteAfterMs?: number | null;
  /** Left out: every account's defaults. */
  networkOptions?: NetworkOptions;
  now: number;
}

export function insertPost(db: Db, post: NewPost): void {
  prepared(
    db,
    `INSERT INTO posts (id, project_id, body, first_comment, notes, labels, status, scheduled_at, timezone, auto_delete_after_ms, network_options,
                        revision, created_at, updated_at)
     VALUES (@id, @projectId, @body, @firstComment, @notes, @labels, 'draft', @scheduledAt, @timezone, @autoDeleteAfterMs, @networkOptions, 1, @now, @now)`,
  ).run({ ...post, labels: JSON.stringify(post.labels), autoDeleteAfterMs: post.autoDeleteAfterMs ?? null, networkOptions: JSON.stringify(post.networkOptions ?? {}) });
}

export interface PostChanges {
  body?: string;
  firstComment?: string;
  notes?: string;
  labels?: string[];
  status?: PostStatus;
  scheduledAt?: number | null;
  timezone?: string;
  autoDeleteAfterMs?: number | null;
  networkOptions?: NetworkOptions;
}

const changeColumns: Record<keyof PostChanges, string> = {
  body: 'body',
  firstComment: 'first_comment',
  notes: 'notes',
  labels: 'labels',
  status: 'status',
  scheduledAt: 'scheduled_at',
  timezone: 'timezone',
  autoDeleteAfterMs: 'auto_delete_after_ms',
  networkOptions: 'network_options',
};

/**
 * Writes the changes and bumps the revision, but only if the post is still at `revision`.
 * Returns false (and writes nothing) when someone else changed it first.
 */
export function updatePostIfRevision(db: Db, id: string, revision: number, changes: PostChanges, now: number): boolean {
  const sets = ['revision = revision + 1', 'updated_at = @now'];
  const params: Record<string, unknown> = { id, revision, now };
  for (const [key, column] of Object.entries(changeColumns) as [keyof PostChanges, string][]) {
    const value = changes[key];
    if (value === undefined) continue;
    sets.push(`${column} = @${key}`);
    params[key] = key === 'labels' || key === 'networkOptions' ? JSON.stringify(value) : value;
  }
  const result = db.prepare(`UPDATE posts SET ${sets.join(', ')} WHERE id = @id AND revision = @revision`).run(params);
  return result.changes === 1;
}

export function replacePostMedia(db: Db, postId: string, mediaIds: readonly string[]): void {
  db.prepare('DELETE FROM post_media WHERE post_id = ?').run(postId);
  const insert = db.prepare('INSERT INTO post_media (post_id, media_id, position) VALUES (?, ?, ?)');
  mediaIds.forEach((mediaId, position) => insert.run(postId, mediaId, position));
}

export interface TargetWrite {
  accountId: string;
  bodyOverride: string | null;
  mediaOverride: readonly string[] | null;
}

/**
 * Makes the post's targets exactly `targets`: a target that stays keeps its id and state (the
 * scheduler's jobs point at it), new ones start pending, the rest are removed.
 */
export function replaceTargets(db: Db, postId: string, targets: readonly TargetWrite[], newId: () => string): void {
  const existing = new Map(
    (prepared(db, 'SELECT id, account_id FROM post_targets WHERE post_id = ?').all(postId) as { id: string; account_id: string }[]).map(
      (row) => [row.account_id, row.id],
    ),
  );
  const keep = new Set(targets.map((t) => t.accountId));
  const remove = prepared(db, 'DELETE FROM post_targets WHERE id = ?');
  for (const [accountId, targetId] of existing) if (!keep.has(accountId)) remove.run(targetId);
  const update = prepared(db, 'UPDATE post_targets SET body_override = ?, media_override = ? WHERE id = ?');
  const insert = prepared(db, 'INSERT INTO post_targets (id, post_id, account_id, body_override, media_override) VALUES (?, ?, ?, ?, ?)');
  for (const target of targets) {
    const media = target.mediaOverride === null ? null : JSON.stringify(target.mediaOverride);
    const targetId = existing.get(target.accountId);
    if (targetId) update.run(target.bodyOverride, media, targetId);
    else insert.run(newId(), postId, target.accountId, target.bodyOverride, media);
  }
}

/** Sets every target of the post that is not done to `state` (pending ⇄ scheduled). */
export function setOpenTargetsState(db: Db, postId: string, state: 'pending' | 'scheduled'): void {
  db.prepare(
    `UPDATE post_targets SET state = ? WHERE post_id = ? AND state IN ('pending', 'scheduled', 'failed')`,
  ).run(state, postId);
}

export interface AccountFacts {
  id: string;
  projectId: string;
  network: NetworkId;
  status: Target['accountStatus'];
}

export function getAccounts(db: Db, ids: readonly string[]): AccountFacts[] {
  if (ids.length === 0) return [];
  return db
    .prepare(
      `SELECT id, project_id AS projectId, network, status FROM accounts WHERE id IN (${ids.map(() => '?').join(', ')})`,
    )
    .all(...ids) as AccountFacts[];
}

/** Ids of the given media that exist in the library. */
export function existingMediaIds(db: Db, ids: readonly string[]): Set<string> {
  if (ids.length === 0) return new Set();
  const rows = db.prepare(`SELECT id FROM media WHERE id IN (${ids.map(() => '?').join(', ')})`).all(...ids) as {
    id: string;
  }[];
  return new Set(rows.map((r) => r.id));
}

/** Served by posts_project_status_updated: one project's posts of some statuses, newest change first. */
export function listPostSummaries(db: Db, projectId: string, statuses: readonly PostStatus[], limit: number): PostSummary[] {
  const rows = db
    .prepare(
      `SELECT p.id, p.project_id, substr(p.body, 1, 200) AS excerpt, p.status, p.scheduled_at, p.timezone, p.labels,
              p.revision, p.updated_at,
              (SELECT json_group_array(network) FROM (
                 SELECT DISTINCT a.network FROM post_targets t JOIN accounts a ON a.id = t.account_id
                 WHERE t.post_id = p.id)) AS networks,
              (SELECT count(*) FROM post_media m WHERE m.post_id = p.id) AS media_count
       FROM posts p
       WHERE p.project_id = ? AND p.status IN (${statuses.map(() => '?').join(', ')})
       ORDER BY p.updated_at DESC, p.id
       LIMIT ?`,
    )
    .all(projectId, ...statuses, limit) as (Omit<PostRow, 'body' | 'first_comment' | 'notes' | 'created_at'> & {
    excerpt: string;
    networks: string;
    media_count: number;
  })[];
  return rows.map((row) => ({
    id: row.id,
    projectId: row.project_id,
    excerpt: row.excerpt,
    status: row.status,
    scheduledAt: row.scheduled_at,
    timezone: row.timezone,
    networks: jsonColumn<NetworkId[]>(db, row.networks, [], { table: 'post_targets', column: 'network', id: row.id }),
    mediaCount: row.media_count,
    labels: jsonColumn<string[]>(db, row.labels, [], { table: 'posts', column: 'labels', id: row.id }),
    revision: row.revision,
    updatedAt: row.updated_at,
  }));
}

/** True when a target of the post is being sent right now (deleting it then would orphan a publish). */
export function isPublishing(db: Db, postId: string): boolean {
  return db.prepare(`SELECT 1 FROM post_targets WHERE post_id = ? AND state = 'publishing' LIMIT 1`).get(postId) !== undefined;
}

export function deletePost(db: Db, id: string): void {
  db.prepare('DELETE FROM posts WHERE id = ?').run(id);
}

// ---- hashtag sets and snippets ----------------------------------------------------------------

export interface HashtagSetRow {
  id: string;
  projectId: string;
  name: string;
  tags: string[];
  updatedAt: number;
}

export function listHashtagSets(db: Db, projectId: string): HashtagSetRow[] {
  const rows = db
    .prepare(
      `SELECT id, project_id AS projectId, name, tags, updated_at AS updatedAt FROM hashtag_sets
       WHERE project_id = ? ORDER BY name COLLATE NOCASE, id`,
    )
    .all(projectId) as (Omit<HashtagSetRow, 'tags'> & { tags: string })[];
  return rows.map((row) => ({ ...row, tags: jsonColumn<string[]>(db, row.tags, [], { table: 'hashtag_sets', column: 'tags', id: row.id }) }));
}

export function getHashtagSet(db: Db, id: string): HashtagSetRow | undefined {
  const row = db
    .prepare('SELECT id, project_id AS projectId, name, tags, updated_at AS updatedAt FROM hashtag_sets WHERE id = ?')
    .get(id) as (Omit<HashtagSetRow, 'tags'> & { tags: string }) | undefined;
  return row && { ...row, tags: jsonColumn<string[]>(db, row.tags, [], { table: 'hashtag_sets', column: 'tags', id: row.id }) };
}

export function upsertHashtagSet(db: Db, set: Omit<HashtagSetRow, 'updatedAt'>, now: number): void {
  db.prepare(
    `INSERT INTO hashtag_sets (id, project_id, name, tags, created_at, updated_at) VALUES (@id, @projectId, @name, @tags, @now, @now)
     ON CONFLICT (id) DO UPDATE SET name = excluded.name, tags = excluded.tags, updated_at = excluded.updated_at`,
  ).run({ ...set, tags: JSON.stringify(set.tags), now });
}

export function deleteHashtagSet(db: Db, id: string): boolean {
  return db.prepare('DELETE FROM hashtag_sets WHERE id = ?').run(id).changes === 1;
}

export interface SnippetRow {
  id: string;
  projectId: string;
  name: string;
  body: string;
  updatedAt: number;
}

export function listSnippets(db: Db, projectId: string): SnippetRow[] {
  return db
    .prepare(
      `SELECT id, project_id AS projectId, name, body, updated_at AS updatedAt FROM snippets
       WHERE project_id = ? ORDER BY name COLLATE NOCASE, id`,
    )
    .all(projectId) as SnippetRow[];
}

export function getSnippet(db: Db, id: string): SnippetRow | undefined {
  return db
    .prepare('SELECT id, project_id AS projectId, name, body, updated_at AS updatedAt FROM snippets WHERE id = ?')
    .get(id) as SnippetRow | undefined;
}

export function upsertSnippet(db: Db, snippet: Omit<SnippetRow, 'updatedAt'>, now: number): void {
  db.prepare(
    `INSERT INTO snippets (id, project_id, name, body, created_at, updated_at) VALUES (@id, @projectId, @name, @body, @now, @now)
     ON CONFLICT (id) DO UPDATE SET name = excluded.name, body = excluded.body, updated_at = excluded.updated_at`,
  ).run({ ...snippet, now });
}

export function deleteSnippet(db: Db, id: string): boolean {
  return db.prepare('DELETE FROM snippets WHERE id = ?').run(id).changes === 1;
}

/** An approved post whose words or images changed goes back to "in review": the client approved what they saw. */
export function reopenApproval(db: Db, id: string): void {
  db.prepare(`UPDATE posts SET approval = 'in_review' WHERE id = ? AND approval = 'approved'`).run(id);
}

// ---- the posts table's other writes: status, schedule, approval, series ---------------------------

/** The post shows the worst of its targets: needs attention, then failed; published once every target is; a draft stays one. */
export function refreshPostStatus(db: Db, postId: string): void {
  db.prepare(
    `UPDATE posts SET status = (
       SELECT CASE
         WHEN SUM(state = 'needs_attention') > 0 THEN 'needs_attention'
         WHEN SUM(state = 'failed') > 0 THEN 'failed'
         WHEN SUM(state IN ('published', 'deleted')) = COUNT(*) THEN 'published'
         WHEN SUM(state IN ('scheduled', 'native_scheduled', 'publishing')) > 0 THEN 'scheduled'
         ELSE posts.status END
       FROM post_targets WHERE post_id = @postId)
     WHERE id = @postId AND EXISTS (SELECT 1 FROM post_targets WHERE post_id = @postId)`,
  ).run({ postId });
}

/** Off the schedule: a draft again, unless every target already went out. */
export function returnPostToDraft(db: Db, postId: string): void {
  db.prepare(`UPDATE posts SET status = 'draft' WHERE id = ? AND status <> 'published'`).run(postId);
}

export function setPostSchedule(db: Db, postId: string, at: number, now: number): void {
  db.prepare(`UPDATE posts SET scheduled_at = ?, updated_at = ? WHERE id = ?`).run(at, now, postId);
}

/** The post's time: a number, null when it has none, undefined when there is no such post. */
export function getPostSchedule(db: Db, postId: string): number | null | undefined {
  const row = db.prepare(`SELECT scheduled_at AS at FROM posts WHERE id = ?`).get(postId) as { at: number | null } | undefined;
  return row ? row.at : undefined;
}

/** A composer open on the post must not save its old state over a change made elsewhere: its revision goes stale. */
export function bumpRevision(db: Db, postId: string, now: number): void {
  db.prepare(`UPDATE posts SET revision = revision + 1, updated_at = ? WHERE id = ?`).run(now, postId);
}

/** Sets the approval of the posts that exist; returns their ids. Not a content change, so the revision stays. */
export function setApproval(db: Db, ids: readonly string[], approval: Approval, now: number): string[] {
  const update = db.prepare('UPDATE posts SET approval = ?, updated_at = ? WHERE id = ?');
  return ids.filter((id) => update.run(approval, now, id).changes === 1);
}

export function setRecurrence(db: Db, postId: string, rule: string | null): void {
  db.prepare('UPDATE posts SET recurrence = ? WHERE id = ?').run(rule, postId);
}

export function setSeries(db: Db, postId: string, seriesId: string): void {
  db.prepare('UPDATE posts SET series_id = ? WHERE id = ?').run(seriesId, postId);
}

/** True when a target of the post is held by the network's own scheduler (native handoff), still being taken back, or may be held after a lost answer. */
export function hasNativeScheduledTarget(db: Db, postId: string): boolean {
  return nativeHeldTargetIds(db, postId).length > 0 || lostHandoffTargetIds(db, postId).length > 0;
}
/** Targets whose handoff's answer was lost and not yet settled: the network may hold a copy we have no id for. */
export function lostHandoffTargetIds(db: Db, postId: string): string[] {
  return (
    db
      .prepare(
        `SELECT DISTINCT t.id FROM jobs j JOIN post_targets t ON t.id = j.target_id
         WHERE t.post_id = ? AND j.kind = 'native_schedule' AND j.verify_first = 1 AND j.state IN ('pending', 'running', 'held', 'needs_attention')`,
      )
      .all(postId) as { id: string }[]
  ).map((r) => r.id);
}

/** The post's targets whose copy a network's scheduler holds; one that went out from there is the network's post, not a copy. */
export function nativeHeldTargetIds(db: Db, postId: string): string[] {
  return (
    db.prepare(`SELECT id FROM post_targets WHERE post_id = ? AND native_schedule_id IS NOT NULL AND state NOT IN ('published', 'deleted')`).all(postId) as {
      id: string;
    }[]
  ).map((r) => r.id);
}

/** The post a target belongs to, if the target exists. */
export function postIdOfTarget(db: Db, targetId: string): string | undefined {
  return (db.prepare(`SELECT post_id AS postId FROM post_targets WHERE id = ?`).get(targetId) as { postId: string } | undefined)?.postId;
}
