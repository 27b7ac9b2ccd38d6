import type { LibraryShelf, Media, PostMediaItem } from '../../core/contract';
import { kindOfMime, type MediaKind, type SupportedMime } from '../../core/media';
import type { Db } from '../store/database';

interface MediaRow {
  id: string;
  sha256: string;
  mime: string;
  bytes: number;
  width: number | null;
  height: number | null;
  duration_ms: number | null;
  file_name: string;
  alt_text: string;
  created_at: number;
  usage_count: number;
  project_id: string | null;
}

// Counted per row through post_media_media; a library page is small enough for that.
const ownColumns = 'id, sha256, mime, bytes, width, height, duration_ms, file_name, alt_text, created_at, project_id';
const columns = `${ownColumns},
  (SELECT count(DISTINCT post_id) FROM post_media WHERE media_id = media.id) AS usage_count`;

function toMedia(row: MediaRow): Media {
  return {
    id: row.id,
    kind: kindOfMime(row.mime),
    mime: row.mime as SupportedMime,
    sha256: row.sha256,
    bytes: row.bytes,
    width: row.width,
    height: row.height,
    durationMs: row.duration_ms,
    fileName: row.file_name,
    altText: row.alt_text,
    createdAt: row.created_at,
    usageCount: row.usage_count,
    projectId: row.project_id,
  };
}

/** Media facts by id as a post carries them, in the order asked; ids no longer in the library are left out. */
export function getMediaItems(db: Db, ids: readonly string[]): PostMediaItem[] {
  if (ids.length === 0) return [];
  // A post does not need the usage count, so its per-row subquery is skipped.
  const rows = db.prepare(`SELECT ${ownColumns}, 0 AS usage_count FROM media WHERE id IN (${ids.map(() => '?').join(', ')})`).all(...ids) as MediaRow[];
  const byId = new Map(rows.map((row) => [row.id, toPostMedia(toMedia(row))]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}

/** A library entry as a post carries it: what the rules and the previews need. */
export function toPostMedia(media: Media): PostMediaItem {
  const { id, mime, bytes, width, height, durationMs, fileName, altText } = media;
  return { mediaId: id, mime, bytes, width, height, durationMs, fileName, altText };
}

/** Case- and accent-insensitive form for search; registered on the connection as `media_fold`. */
export function foldForSearch(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}/gu, '').toLocaleLowerCase('und');
}

/** Registers the SQL functions this repository uses; call once per connection. */
export function prepareMediaRepo(db: Db): void {
  db.function('media_fold', { deterministic: true }, (text: unknown) => foldForSearch(String(text ?? '')));
}

export interface MediaFilter {
  query?: string;
  kind?: MediaKind;
  /** With `only` unset: the project's own files and the shared ones, what its posts are offered. */
  projectId?: string;
  only?: LibraryShelf;
}

/**
 * Newest first, walking media_created. @own is the project whose files count (NULL: none),
 * @shared whether shared files count; both NULL/0 with @all = 1 lists every file.
 */
export const LIST_MEDIA_SQL = /* sql */ `
  SELECT ${columns} FROM media
  WHERE (@kind IS NULL OR substr(mime, 1, 6) = @kind)
    AND (@query IS NULL OR instr(media_fold(file_name || char(10) || alt_text), @query) > 0)
    AND (@all = 1 OR project_id = @own OR (@shared = 1 AND project_id IS NULL))
  ORDER BY created_at DESC, id`;

export function listMedia(db: Db, filter: MediaFilter = {}): Media[] {
  const query = filter.query?.trim() ? foldForSearch(filter.query.trim()) : null;
  const kind = filter.kind ? `${filter.kind}/` : null;
  const scoped = filter.projectId !== undefined || filter.only !== undefined;
  const own = filter.only === 'shared' ? null : (filter.projectId ?? null);
  const shared = filter.only === 'project' ? 0 : 1;
  const rows = db.prepare(LIST_MEDIA_SQL).all({ query, kind, all: scoped ? 0 : 1, own, shared }) as MediaRow[];
  return rows.map(toMedia);
}

export function getMedia(db: Db, id: string): Media | undefined {
  const row = db.prepare(`SELECT ${columns} FROM media WHERE id = ?`).get(id) as MediaRow | undefined;
  return row && toMedia(row);
}

export function getMediaBySha(db: Db, sha256: string): Media | undefined {
  const row = db.prepare(`SELECT ${columns} FROM media WHERE sha256 = ?`).get(sha256) as MediaRow | undefined;
  return row && toMedia(row);
}

export function allMediaShas(db: Db): Set<string> {
  return new Set((db.prepare('SELECT sha256 FROM media').all() as { sha256: string }[]).map((r) => r.sha256));
}

export interface NewMedia {
  id: string;
  sha256: string;
  mime: SupportedMime;
  bytes: number;
  width: number | null;
  height: number | null;
  durationMs: number | null;
  fileName: string;
  now: number;
  /** null: the shared library. */
  projectId: string | null;
}

export function insertMedia(db: Db, m: NewMedia): void {
  db.prepare(
    `INSERT INTO media (id, sha256, mime, bytes, width, height, duration_ms, file_name, created_at, project_id)
     VALUES (@id, @sha256, @mime, @bytes, @width, @height, @durationMs, @fileName, @now, @projectId)`,
  ).run(m);
}

/** Puts the file in a project's library, or (null) in the shared one. */
export function setMediaProject(db: Db, id: string, projectId: string | null): boolean {
  return db.prepare('UPDATE media SET project_id = ? WHERE id = ?').run(projectId, id).changes > 0;
}

export function projectExists(db: Db, projectId: string): boolean {
  return db.prepare('SELECT 1 FROM projects WHERE id = ?').get(projectId) !== undefined;
}

/**
 * Posts of projects other than `projectId` that use the file, on the post or on one network's
 * own list (a target's media override).
 */
export function countUseOutside(db: Db, id: string, projectId: string): number {
  const row = db
    .prepare(
      `SELECT count(*) AS n FROM posts p
       WHERE p.project_id <> @projectId
         AND (EXISTS (SELECT 1 FROM post_media pm WHERE pm.post_id = p.id AND pm.media_id = @id)
              OR EXISTS (SELECT 1 FROM post_targets t, json_each(CASE WHEN json_valid(t.media_override) THEN t.media_override ELSE '[]' END) j
                         WHERE t.post_id = p.id AND t.media_override IS NOT NULL AND j.value = @id))`,
    )
    .get({ id, projectId }) as { n: number };
  return row.n;
}

export function setAltText(db: Db, id: string, altText: string): boolean {
  return db.prepare('UPDATE media SET alt_text = ? WHERE id = ?').run(altText, id).changes > 0;
}

/** How many posts use the file. */
export function countUsage(db: Db, id: string): number {
  return (db.prepare('SELECT count(DISTINCT post_id) AS n FROM post_media WHERE media_id = ?').get(id) as { n: number }).n;
}

/** Deletes the row and takes the file out of every post using it; returns how many posts that was. Call in a transaction. */
export function deleteMediaRow(db: Db, id: string): number {
  const posts = countUsage(db, id);
  db.prepare('DELETE FROM post_media WHERE media_id = ?').run(id);
  db.prepare('DELETE FROM media WHERE id = ?').run(id);
  return posts;
}

/** What the editor keeps beside an image it made: its design JSON and the library image it started from. */
export interface DerivedRow {
  design: string | null;
  parentMediaId: string | null;
}

export function getDerivedRow(db: Db, mediaId: string): DerivedRow | undefined {
  const row = db.prepare('SELECT design, parent_media_id FROM media WHERE id = ?').get(mediaId) as
    | { design: string | null; parent_media_id: string | null }
    | undefined;
  return row && { design: row.design, parentMediaId: row.parent_media_id };
}

export function setDerived(db: Db, mediaId: string, design: string, parentMediaId: string | null): void {
  db.prepare('UPDATE media SET design = ?, parent_media_id = ? WHERE id = ?').run(design, parentMediaId, mediaId);
}

/** An edited copy takes its original's description; a description already written stays. */
export function inheritFromParent(db: Db, mediaId: string, parentMediaId: string): void {
  db.prepare(
    `UPDATE media SET alt_text = (SELECT alt_text FROM media parent WHERE parent.id = @parentMediaId)
     WHERE id = @mediaId AND alt_text = ''`,
  ).run({ mediaId, parentMediaId });
}

/** The cover frame the user picked for a video: the newest library image derived from it with a video-cover design. */
export function getVideoCover(db: Db, videoMediaId: string): { media: Media; atMs: number } | undefined {
  const row = db
    .prepare(
      `SELECT ${columns}, json_extract(design, '$.atMs') AS at_ms FROM media
       WHERE parent_media_id = ? AND json_valid(design) AND json_extract(design, '$.kind') = 'video-cover'
       ORDER BY created_at DESC, rowid DESC LIMIT 1`,
    )
    .get(videoMediaId) as (MediaRow & { at_ms: number | null }) | undefined;
  return row && { media: toMedia(row), atMs: Number(row.at_ms ?? 0) };
}

/**
 * Makes `coverId` the video's cover (newest), and deletes the video's earlier covers that no post
 * uses; returns their sha256s so the caller removes their files. Call in a transaction.
 */
export function replaceVideoCover(db: Db, videoMediaId: string, coverId: string, now: number): string[] {
  db.prepare('UPDATE media SET created_at = max(created_at, ?) WHERE id = ?').run(now, coverId);
  const old = db
    .prepare(
      `SELECT id, sha256 FROM media
       WHERE parent_media_id = ? AND id <> ? AND json_valid(design) AND json_extract(design, '$.kind') = 'video-cover'
         AND NOT EXISTS (SELECT 1 FROM post_media WHERE media_id = media.id)`,
    )
    .all(videoMediaId, coverId) as { id: string; sha256: string }[];
  for (const row of old) deleteMediaRow(db, row.id);
  return old.map((row) => row.sha256);
}
