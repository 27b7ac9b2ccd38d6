import { metricNames, type PostMetrics } from '../../core/metrics';
import type { NetworkId } from '../../core/networks/ids';
import type { ResultRow } from '../../core/results';
import { prepared, type Db } from '../store/database';
import { parseJsonColumn, UNREADABLE } from '../store/json-columns';

interface Row {
  targetId: string;
  postId: string;
  network: NetworkId;
  labels: string;
  publishedAt: number;
  likes: number | null;
  reposts: number | null;
  replies: number | null;
  quotes: number | null;
  views: number | null;
  saves: number | null;
}

interface Details {
  targetId: string;
  accountHandle: string;
  text: string;
  url: string | null;
  mediaId: string | null;
}

/** What a row says about its post beyond the numbers: read for every post by an export, for the top ten by the page. */
const DETAILS = `t.id AS targetId, a.handle AS accountHandle, COALESCE(t.body_override, p.body) AS text, t.remote_url AS url,
  (SELECT pm.media_id FROM post_media pm JOIN media m ON m.id = pm.media_id WHERE pm.post_id = p.id AND m.mime LIKE 'image/%' ORDER BY pm.position LIMIT 1) AS mediaId`;

/**
 * The project's posts published in [from, to) — auto-deleted ones too, they went out — each with
 * its latest reading (found through the samples' primary key, one step per post). With `details`,
 * also its account, text, address and first image (only images have library thumbnails); without,
 * those are left empty: a summary of 10,000 posts needs them for its top ten only (`withDetails`).
 */
export function resultRows(db: Db, projectId: string, from: number, to: number, options: { details?: boolean } = {}): ResultRow[] {
  const rows = prepared(
    db,
    `SELECT t.id AS targetId, t.post_id AS postId, a.network, p.labels, t.published_at AS publishedAt,
              ${metricNames.map((name) => `s.${name}`).join(', ')}
       FROM post_targets t
       JOIN posts p ON p.id = t.post_id
       JOIN accounts a ON a.id = t.account_id
       LEFT JOIN metric_samples s ON s.target_id = t.id AND s.at = (SELECT MAX(at) FROM metric_samples WHERE target_id = t.id)
       WHERE p.project_id = @projectId AND t.state IN ('published', 'deleted') AND t.published_at >= @from AND t.published_at < @to`,
  ).all({ projectId, from, to }) as Row[];
  const result = rows.map((row): ResultRow => {
    const metrics: PostMetrics = {};
    for (const name of metricNames) if (row[name] !== null) metrics[name] = row[name];
    return {
      targetId: row.targetId,
      postId: row.postId,
      network: row.network,
      accountHandle: '',
      text: '',
      labels: labelsOf(db, row),
      publishedAt: row.publishedAt,
      url: null,
      mediaId: null,
      metrics,
    };
  });
  return options.details ? withDetails(db, result) : result;
}

/** The rows with their account, text, address and first image filled in from the store. */
export function withDetails<T extends ResultRow>(db: Db, rows: readonly T[]): T[] {
  const details = new Map<string, Details>();
  const read = prepared(
    db,
    `SELECT ${DETAILS} FROM post_targets t JOIN posts p ON p.id = t.post_id JOIN accounts a ON a.id = t.account_id WHERE t.id IN (SELECT value FROM json_each(?))`,
  );
  // One statement per thousand ids keeps the JSON argument small and the look-ups on the primary key.
  for (let start = 0; start < rows.length; start += 1000) {
    for (const found of read.all(JSON.stringify(rows.slice(start, start + 1000).map((row) => row.targetId))) as Details[]) details.set(found.targetId, found);
  }
  return rows.map((row) => {
    const found = details.get(row.targetId);
    return found ? { ...row, accountHandle: found.accountHandle, text: found.text, url: found.url, mediaId: found.mediaId } : row;
  });
}

/** Labels as stored; unreadable ones are reported by the store and the post counts without labels. */
function labelsOf(db: Db, row: Row): string[] {
  if (row.labels === '[]') return [];
  const value = parseJsonColumn(db, row.labels, { table: 'posts', column: 'labels', id: row.postId });
  return value !== UNREADABLE && Array.isArray(value) ? value.filter((label): label is string => typeof label === 'string') : [];
}
