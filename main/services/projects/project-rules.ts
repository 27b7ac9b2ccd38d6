import type { Project } from '../../core/contract';
import { DomainError } from '../../core/errors';
import type { Db } from '../store/database';
import { getProject } from './projects-repo';

/** The project, or the boundary's not-found error (on `field` when the id came in one). */
export function mustGetProject(db: Db, projectId: string, field?: string): Project {
  const project = getProject(db, projectId);
  if (!project) {
    throw new DomainError('not_found', `There is no project with id ${projectId}.`, { reason: 'project_missing', ...(field ? { field } : {}) });
  }
  return project;
}
