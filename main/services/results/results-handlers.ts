import type { Handlers } from '../../core/contract';
import { dayKeyOf } from '../../core/calendar/days';
import { exportFileName } from '../../core/calendar/export-scope';
import { DomainError } from '../../core/errors';
import { engagementOf, summarizeResults } from '../../core/results';
import { resultsCsv, resultsJson } from '../../core/results-export';
import { readingsOf } from '../metrics/metrics-repo';
import { mustGetProject } from '../projects/project-rules';
import type { Services } from '../services-types';
import { resultRows, withDetails } from './results-repo';

export function resultsHandlers(services: Pick<Services, 'db' | 'clock'>): Pick<Handlers, 'results.summary' | 'results.readings' | 'results.export'> {
  const { db, clock } = services;
  return {
    'results.summary': async ({ projectId, from, to }) => {
      const project = db.prepare('SELECT timezone FROM projects WHERE id = ?').get(projectId) as { timezone: string } | undefined;
      if (!project) throw new DomainError('not_found', `No project ${projectId}.`);
      const summary = summarizeResults(resultRows(db, projectId, from, to), { from, to, zone: project.timezone });
      return { ...summary, top: withDetails(db, summary.top) };
    },
    'results.readings': async ({ targetId }) => readingsOf(db, targetId),
    'results.export': async ({ projectId, from, to, format }) => {
      const project = mustGetProject(db, projectId);
      const zone = project.timezone;
      const rows = resultRows(db, projectId, from, to, { details: true }).map((row) => ({ ...row, engagement: engagementOf(row.metrics) }));
      const fileName = exportFileName({ project: project.name, span: { first: dayKeyOf(from, zone), last: dayKeyOf(to - 1, zone) }, kind: 'results', extension: format });
      if (format === 'csv') return { fileName, mime: 'text/csv', text: resultsCsv(rows, zone), count: rows.length };
      const summary = summarizeResults(rows, { from, to, zone }, 0);
      const text = resultsJson({ project: project.name, zone, from, to, exportedAt: clock.now(), summary, rows });
      return { fileName, mime: 'application/json', text, count: rows.length };
    },
  };
}
