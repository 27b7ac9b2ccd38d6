import { metricNames, type PostMetrics } from '../../core/metrics';
import type { NetworkId } from '../../core/networks/ids';
import type { ResultRow } from '../../core/results';
import { prepared, type Db } from '../store/database';
import { parseJsonColumn, UNREADABLE } from '../store/json-columns';

/** A row as the statement gives it, in column order (raw arrays: 10,000 keyed objects cost more than the query). */
type Row = [targetId: string, postId: string, network: NetworkId, labels: string, publishedAt: number, ...metrics: Array<number | null>];
const FIRST_METRIC = 5;

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
 * its latest reading (metric_latest, one primary-key step per post). With `details`,
 * also its account, text, address and first image (only images have library thumbnails); without,
 * those are left empty: a summary of 10,000 posts needs them for its top ten only (`withDetails`).
 */
export function resultRows(db: Db, projectId: string, from: number, to: number, options: { details?: boolean } = {}): ResultRow[] {
  const rows = prepared(
    db,
    `SELECT t.id, t.post_id, a.network, p.labels, t.published_at, ${metricNames.map((name) => `s.${name}`).join(', ')}
       FROM post_targets t
       JOIN posts p ON p.id = t.post_id
       JOIN accounts a ON a.id = t.account_id
       LEFT JOIN metric_latest s ON s.target_id = t.id
       WHERE p.project_id = @projectId AND t.state IN ('published', 'deleted') AND t.published_at >= @from AND t.published_at < @to`,
  )
    .raw(true)
    .all({ projectId, from, to }) as Row[];
  const labels = labelsReader(db);
  const result = rows.map((row): ResultRow => {
    const metrics: PostMetrics = {};
    metricNames.forEach((name, i) => {
      const value = row[FIRST_METRIC + i] as number | null;
      if (value !== null) metrics[name] = value;
    });
    return { targetId: row[0], postId: row[1], network: row[2], accountHandle: '', text: '', labels: labels(row[3], row[1]), publishedAt: row[4], url: null, mediaId: null, metrics };
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

/**
 * Labels as stored, each distinct text parsed once (posts of a client share a few sets; rows with the
 * same text share the array). Unreadable ones are reported by the store and the post counts without labels.
 */
function labelsReader(db: Db): (text: string, postId: string) => string[] {
  const parsed = new Map<string, string[]>([['[]', []]]);
  return (text, postId) => {
    const known = parsed.get(text);
    if (known) return known;
    const value = parseJsonColumn(db, text, { table: 'posts', column: 'labels', id: postId });
    if (value === UNREADABLE || !Array.isArray(value)) return [];
    const labels = value.filter((label): label is string => typeof label === 'string');
    parsed.set(text, labels);
    return labels;
  };
}
