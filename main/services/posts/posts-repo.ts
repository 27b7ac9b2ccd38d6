import type { Post, PostStatus, PostSummary, Target, TargetState } from '../../core/contract/posts';
import { httpsLinkOrNull } from '../../core/links';
import type { NetworkId } from '../../core/networks/ids';
import { toLocal } from '../../core/posts/time';
import { getMediaItems } from '../media/media-repo';
import { prepared, type Db } from '../store/database';

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
  network: NetworkId;
  handle: string;
  display_name: string;
  account_status: Target['accountStatus'];
  config: string;
}


function parseJson<T>(text: string | null, fallback: T): T {
  if (text === null) return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}



const postColumns =
  'id, project_id, body, first_comment, notes, labels, status, scheduled_at, timezone, auto_delete_after_ms, revision, created_at, updated_at';

export function getPostRow(db: Db, id: string): PostRow | undefined {
  return db.prepare(`SELECT ${postColumns} FROM posts WHERE id = ?`).get(id) as PostRow | undefined;
}

export function getPost(db: Db, id: string): Post | undefined {
  const row = getPostRow(db, id);
  if (!row) return undefined;
  const mediaIds = (
    db.prepare('SELECT media_id FROM post_media WHERE post_id = ? ORDER BY position').all(id) as { media_id: string }[]
  ).map((r) => r.media_id);
  const targetRows = db
    .prepare(
      `SELECT t.id, t.account_id, t.body_override, t.media_override, t.state, t.remote_url, t.last_error,
              a.network, a.handle, a.display_name, a.status AS account_status, a.config
       FROM post_targets t JOIN accounts a ON a.id = t.account_id
       WHERE t.post_id = ? ORDER BY t.rowid`,
    )
    .all(id) as TargetRow[];
  const overrides = targetRows.map((t) => parseJson<string[] | null>(t.media_override, null));
  // One query for every media item the post and its overrides use.
  const allIds = [...new Set([...mediaIds, ...overrides.flatMap((ids) => ids ?? [])])];
  const media = new Map(getMediaItems(db, allIds).map((item) => [item.mediaId, item]));
  const pick = (ids: readonly string[]) => ids.flatMap((mediaId) => media.get(mediaId) ?? []);
  return {
    id: row.id,
    projectId: row.project_id,
    body: row.body,
    firstComment: row.first_comment,
    notes: row.notes,
    labels: parseJson<string[]>(row.labels, []),
    status: row.status,
    scheduledAt: row.scheduled_at,
    timezone: row.timezone,
    local: row.scheduled_at === null ? null : toLocal(row.scheduled_at, row.timezone),
    autoDeleteAfterMs: row.auto_delete_after_ms,
    media: pick(mediaIds),
    targets: targetRows.map((t, i) => {
      const override = overrides[i] ?? null;
      return {
        id: t.id,
        accountId: t.account_id,
        network: t.network,
        handle: t.handle,
        displayName: t.display_name,
        accountStatus: t.account_status,
        ruleOptions: parseJson<Record<string, unknown>>(t.config, {}),
        bodyOverride: t.body_override,
        mediaOverride: override === null ? null : pick(override),
        state: t.state,
        // Rows written before links were checked on the way in may hold an http one.
        remoteUrl: httpsLinkOrNull(t.remote_url),
        lastError: t.last_error,
      };
    }),
    revision: row.revision,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
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
  now: number;
}

export function insertPost(db: Db, post: NewPost): void {
  prepared(
    db,
    `INSERT INTO posts (id, project_id, body, first_comment, notes, labels, status, scheduled_at, timezone, auto_delete_after_ms, revision, created_at, updated_at)
     VALUES (@id, @projectId, @body, @firstComment, @notes, @labels, 'draft', @scheduledAt, @timezone, @autoDeleteAfterMs, 1, @now, @now)`,
  ).run({ ...post, labels: JSON.stringify(post.labels), autoDeleteAfterMs: post.autoDeleteAfterMs ?? null });
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
    params[key] = key === 'labels' ? JSON.stringify(value) : value;
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
    networks: parseJson<NetworkId[]>(row.networks, []),
    mediaCount: row.media_count,
    labels: parseJson<string[]>(row.labels, []),
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
  return rows.map((row) => ({ ...row, tags: parseJson<string[]>(row.tags, []) }));
}

export function getHashtagSet(db: Db, id: string): HashtagSetRow | undefined {
  const row = db
    .prepare('SELECT id, project_id AS projectId, name, tags, updated_at AS updatedAt FROM hashtag_sets WHERE id = ?')
    .get(id) as (Omit<HashtagSetRow, 'tags'> & { tags: string }) | undefined;
  return row && { ...row, tags: parseJson<string[]>(row.tags, []) };
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
