import type { Handlers } from '../../core/contract';
import { DomainError } from '../../core/errors';
import { summarizeResults } from '../../core/results';
import { readingsOf } from '../metrics/metrics-repo';
import type { Services } from '../services-types';
import { resultRows } from './results-repo';

export function resultsHandlers(services: Pick<Services, 'db'>): Pick<Handlers, 'results.summary' | 'results.readings'> {
  const { db } = services;
  return {
    'results.summary': async ({ projectId, from, to }) => {
      const project = db.prepare('SELECT timezone FROM projects WHERE id = ?').get(projectId) as { timezone: string } | undefined;
      if (!project) throw new DomainError('not_found', `No project ${projectId}.`);
      return summarizeResults(resultRows(db, projectId, from, to), { from, to, zone: project.timezone });
    },
    'results.readings': async ({ targetId }) => readingsOf(db, targetId),
  };
}
