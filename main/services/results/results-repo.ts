import { metricNames, type PostMetrics } from '../../core/metrics';
import type { NetworkId } from '../../core/networks/ids';
import type { ResultRow } from '../../core/results';
import type { Db } from '../store/database';
import { parseJsonColumn, UNREADABLE } from '../store/json-columns';

interface Row {
  targetId: string;
  postId: string;
  network: NetworkId;
  accountHandle: string;
  text: string;
  labels: string;
  publishedAt: number;
  url: string | null;
  mediaId: string | null;
  likes: number | null;
  reposts: number | null;
  replies: number | null;
  quotes: number | null;
  views: number | null;
  saves: number | null;
}

/**
 * The project's posts published in [from, to) — auto-deleted ones too, they went out — each with
 * its latest reading (found through the samples' primary key, one step per post), and its first
 * image (only images have library thumbnails; a video-only post shows none).
 */
export function resultRows(db: Db, projectId: string, from: number, to: number): ResultRow[] {
  const rows = db
    .prepare(
      `SELECT t.id AS targetId, t.post_id AS postId, a.network, a.handle AS accountHandle,
              COALESCE(t.body_override, p.body) AS text, p.labels, t.published_at AS publishedAt, t.remote_url AS url,
              (SELECT pm.media_id FROM post_media pm JOIN media m ON m.id = pm.media_id WHERE pm.post_id = p.id AND m.mime LIKE 'image/%' ORDER BY pm.position LIMIT 1) AS mediaId,
              ${metricNames.map((name) => `s.${name}`).join(', ')}
       FROM post_targets t
       JOIN posts p ON p.id = t.post_id
       JOIN accounts a ON a.id = t.account_id
       LEFT JOIN metric_samples s ON s.target_id = t.id AND s.at = (SELECT MAX(at) FROM metric_samples WHERE target_id = t.id)
       WHERE p.project_id = @projectId AND t.state IN ('published', 'deleted') AND t.published_at >= @from AND t.published_at < @to`,
    )
    .all({ projectId, from, to }) as Row[];
  return rows.map((row) => {
    const metrics: PostMetrics = {};
    for (const name of metricNames) if (row[name] !== null) metrics[name] = row[name];
    return {
      targetId: row.targetId,
      postId: row.postId,
      network: row.network,
      accountHandle: row.accountHandle,
      text: row.text,
      labels: labelsOf(db, row),
      publishedAt: row.publishedAt,
      url: row.url,
      mediaId: row.mediaId,
      metrics,
    };
  });
}

/** Labels as stored; unreadable ones are reported by the store and the post counts without labels. */
function labelsOf(db: Db, row: Row): string[] {
  const value = parseJsonColumn(db, row.labels, { table: 'posts', column: 'labels', id: row.postId });
  return value !== UNREADABLE && Array.isArray(value) ? value.filter((label): label is string => typeof label === 'string') : [];
}
