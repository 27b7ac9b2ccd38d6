import type { Media, PostMediaItem } from '../../core/contract';
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
}

// Counted per row through post_media_media; a library page is small enough for that.
const ownColumns = 'id, sha256, mime, bytes, width, height, duration_ms, file_name, alt_text, created_at';
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
}

/** Newest first, walking media_created. */
export const LIST_MEDIA_SQL = /* sql */ `
  SELECT ${columns} FROM media
  WHERE (@kind IS NULL OR substr(mime, 1, 6) = @kind)
    AND (@query IS NULL OR instr(media_fold(file_name || char(10) || alt_text), @query) > 0)
  ORDER BY created_at DESC, id`;

export function listMedia(db: Db, filter: MediaFilter = {}): Media[] {
  const query = filter.query?.trim() ? foldForSearch(filter.query.trim()) : null;
  const kind = filter.kind ? `${filter.kind}/` : null;
  const rows = db.prepare(LIST_MEDIA_SQL).all({ query, kind }) as MediaRow[];
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
}

export function insertMedia(db: Db, m: NewMedia): void {
  db.prepare(
    `INSERT INTO media (id, sha256, mime, bytes, width, height, duration_ms, file_name, created_at)
     VALUES (@id, @sha256, @mime, @bytes, @width, @height, @durationMs, @fileName, @now)`,
  ).run(m);
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
