import { mkdirSync, writeFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import type { Handlers } from '../../core/contract';
import { addDays, dayStart } from '../../core/calendar/days';
import { exportFileName } from '../../core/calendar/export-scope';
import { monthDays, renderClientReport, type ReportData, type ReportPost } from '../../core/client-report';
import { DomainError } from '../../core/errors';
import { engagementOf, summarizeResults } from '../../core/results';
import { packPosts, thumbnailUrls } from '../calendar/approval-pack-handlers';
import { mustGetProject } from '../projects/project-rules';
import type { Services } from '../services-types';
import { resultRows } from './results-repo';

/** The month's best posts a report shows with their pictures. */
const TOP_POSTS = 5;

/** Everything the report of `month` (YYYY-MM in the project's zone) shows, read from the store. */
export function reportData(services: Pick<Services, 'db' | 'media'>, projectId: string, month: string): ReportData {
  const { db } = services;
  const project = mustGetProject(db, projectId);
  const zone = project.timezone;
  const days = monthDays(month);
  const [previousFrom, from, to, nextTo] = [days.previous, days.first, days.next, days.following].map((day) => dayStart(day, zone)) as [number, number, number, number];
  const rows = resultRows(db, projectId, from, to, { details: true }).sort((a, b) => a.publishedAt - b.publishedAt);
  const summary = summarizeResults(rows, { from, to, zone }, TOP_POSTS);
  const before = summarizeResults(resultRows(db, projectId, previousFrom, from), { from: previousFrom, to: from, zone }, 0);
  const thumbnail = thumbnailUrls(services);
  const post = (row: (typeof rows)[number], withImage: boolean): ReportPost => {
    const image = withImage && row.mediaId ? thumbnail(row.mediaId) : null;
    return {
      targetId: row.targetId,
      network: row.network,
      account: row.accountHandle,
      text: row.text,
      publishedAt: row.publishedAt,
      url: row.url,
      metrics: row.metrics,
      engagement: engagementOf(row.metrics),
      image,
    };
  };
  return {
    projectName: project.name,
    color: project.color,
    timezone: zone,
    month,
    summary,
    previous: before.posts ? { posts: before.posts, totals: before.totals } : null,
    wentOut: rows.map((row) => post(row, false)),
    top: summary.top.map((row) => post(row, true)),
    next: packPosts(services, projectId, to, nextTo, 'approved'),
  };
}

/** `name`, or "name (2)", "name (3)"… — the first that is not taken: a report never replaces a file the user keeps. */
export function saveUnder(dir: string, fileName: string, bytes: Buffer, write: typeof writeFileSync = writeFileSync): string {
  mkdirSync(dir, { recursive: true });
  const ext = extname(fileName);
  const stem = fileName.slice(0, fileName.length - ext.length);
  for (let n = 1; ; n++) {
    const path = join(dir, n === 1 ? fileName : `${stem} (${n})${ext}`);
    try {
      write(path, bytes, { flag: 'wx' });
      return path;
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (code === 'EEXIST') continue;
      if (code === 'ENOSPC') throw new DomainError('storage_full', 'The disk is full, so the report was not saved. Free some space and try again.', { reason: 'report_storage_full' });
      throw new DomainError('internal', `The report could not be saved in ${dir}: ${String((error as Error).message ?? error)}`, { reason: 'report_not_saved' });
    }
  }
}

export function clientReportHandlers(services: Pick<Services, 'db' | 'media' | 'platform'>): Pick<Handlers, 'results.report'> {
  const { platform } = services;
  return {
    'results.report': async ({ projectId, month, format, lang, dir, words }) => {
      if (format === 'pdf' && !platform.printToPdf) {
        throw new DomainError('validation', 'Printing to PDF needs the desktop app.', { reason: 'report_pdf_unavailable' });
      }
      // Built here from the store, never taken from the renderer: what the client reads is what went out.
      const data = reportData(services, projectId, month);
      const html = renderClientReport({ data, words, lang, dir });
      const bytes = format === 'pdf' && platform.printToPdf ? Buffer.from(await platform.printToPdf(html)) : Buffer.from(html, 'utf8');
      const days = monthDays(month);
      const fileName = exportFileName({ project: data.projectName, span: { first: days.first, last: addDays(days.next, -1) }, kind: words.fileKind, extension: format });
      const mime = format === 'pdf' ? 'application/pdf' : 'text/html';
      const posts = data.summary.posts;
      if (!platform.documentsDir) return { fileName, mime, path: null, opened: false, base64: bytes.toString('base64'), posts };
      const path = saveUnder(platform.documentsDir, fileName, bytes);
      let opened = false;
      if (platform.openFile) {
        // Saved is what matters; a viewer that does not open leaves the file where the reply says.
        opened = await platform.openFile(path).then(
          () => true,
          () => false,
        );
      }
      return { fileName, mime, path, opened, base64: null, posts };
    },
  };
}
