import { toCsv, UTF8_BOM } from './calendar/csv';
import { metricNames } from './metrics';
import { toLocal } from './posts/time';
import type { MetricTotals, ResultRow, ResultsSummary } from './results';

/**
 * A project's results as files beside the calendar's exports (issue 14 item 6): one row per
 * published post with its latest numbers. A number the network does not give stays empty (CSV) or
 * null (JSON), never 0, as on the page.
 */

export const RESULTS_CSV_COLUMNS = ['date', 'time', 'timezone', 'network', 'account', 'text', 'labels', ...metricNames, 'engagement', 'url', 'post_id', 'target_id'] as const;

/** Posts oldest first, so the file reads like the month went. */
function byTime(rows: readonly (ResultRow & { engagement: number })[]): (ResultRow & { engagement: number })[] {
  return [...rows].sort((a, b) => a.publishedAt - b.publishedAt || a.targetId.localeCompare(b.targetId));
}

/** The posts as CSV after a UTF-8 byte-order mark (so spreadsheets read Hebrew and Cyrillic); dates and times are wall times in the project's zone. */
export function resultsCsv(rows: readonly (ResultRow & { engagement: number })[], zone: string): string {
  const table: string[][] = [[...RESULTS_CSV_COLUMNS]];
  for (const row of byTime(rows)) {
    const local = toLocal(row.publishedAt, zone);
    table.push([
      local.slice(0, 10),
      local.slice(11, 16),
      zone,
      row.network,
      row.accountHandle,
      row.text,
      row.labels.join('; '),
      ...metricNames.map((name) => (row.metrics[name] === undefined ? '' : String(row.metrics[name]))),
      String(row.engagement),
      row.url ?? '',
      row.postId,
      row.targetId,
    ]);
  }
  return UTF8_BOM + toCsv(table);
}

export interface ResultsJsonInput {
  project: string;
  zone: string;
  from: number;
  to: number;
  exportedAt: number;
  summary: Pick<ResultsSummary, 'posts' | 'measured' | 'totals'>;
  rows: readonly (ResultRow & { engagement: number })[];
}

const numbers = (metrics: MetricTotals) => Object.fromEntries(metricNames.map((name) => [name, metrics[name] ?? null]));

/** The period's totals and every post, in a versioned shape like the calendar's JSON export. */
export function resultsJson(input: ResultsJsonInput): string {
  const posts = byTime(input.rows).map((row) => ({
    postId: row.postId,
    targetId: row.targetId,
    network: row.network,
    account: row.accountHandle,
    publishedAt: new Date(row.publishedAt).toISOString(),
    local: toLocal(row.publishedAt, input.zone),
    text: row.text,
    labels: row.labels,
    url: row.url,
    metrics: numbers(row.metrics),
    engagement: row.engagement,
  }));
  const body = {
    format: 'outpost-results',
    version: 1,
    project: input.project,
    timezone: input.zone,
    from: new Date(input.from).toISOString(),
    to: new Date(input.to).toISOString(),
    exportedAt: new Date(input.exportedAt).toISOString(),
    totals: { posts: input.summary.posts, measured: input.summary.measured, metrics: numbers(input.summary.totals) },
    posts,
  };
  return `${JSON.stringify(body, null, 2)}\n`;
}
