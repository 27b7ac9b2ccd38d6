import type { HandlersOf, projectRequests } from '../../core/contract';
import { DomainError } from '../../core/errors';
import { assertTimeZone, normaliseProjectName, projectNameKey } from '../../core/projects';
import type { Services } from '../services-types';
import { findProjectIdByNameKey, getProject, insertProject, listProjects, updateProject } from './projects-repo';

type ProjectHandlers = HandlersOf<typeof projectRequests>;

/** Matches the schema's default: half an hour late is still worth publishing; later, ask. */
export const DEFAULT_LATE_GRACE_MINUTES = 30;

function duplicateName(name: string): DomainError {
  return new DomainError('conflict', `A project named "${name}" already exists.`, { field: 'name', reason: 'name_duplicate' });
}

export function projectHandlers({ db, clock, emit }: Services): ProjectHandlers {
  const mustGet = (id: string) => {
    const project = getProject(db, id);
    if (!project) throw new DomainError('not_found', `There is no project with id ${id}.`, { reason: 'project_missing' });
    return project;
  };

  return {
    'projects.list': ({ includeArchived }) => listProjects(db, includeArchived ?? false),

    'projects.create': ({ name: rawName, color, timezone, lateGraceMinutes, stripLocation, clientLanguage }) => {
      const name = normaliseProjectName(rawName);
      const nameKey = projectNameKey(name);
      assertTimeZone(timezone);
      const id = crypto.randomUUID();
      db.transaction(() => {
        if (findProjectIdByNameKey(db, nameKey)) throw duplicateName(name);
        insertProject(db, {
          id,
          name,
          nameKey,
          color,
          timezone,
          lateGraceMinutes: lateGraceMinutes ?? DEFAULT_LATE_GRACE_MINUTES,
          stripLocation: stripLocation ?? true,
          clientLanguage: clientLanguage ?? null,
          now: clock.now(),
        });
      })();
      emit('projects.changed', { projectId: id });
      return mustGet(id);
    },

    'projects.update': ({ id, name: rawName, color, timezone, lateGraceMinutes, stripLocation, clientLanguage }) => {
      db.transaction(() => {
        mustGet(id);
        const name = rawName === undefined ? undefined : normaliseProjectName(rawName);
        const nameKey = name === undefined ? undefined : projectNameKey(name);
        if (name !== undefined && nameKey !== undefined && findProjectIdByNameKey(db, nameKey, id)) throw duplicateName(name);
        if (timezone !== undefined) assertTimeZone(timezone);
        updateProject(
          db,
          id,
          {
            ...(name !== undefined && nameKey !== undefined ? { name: { name, nameKey } } : {}),
            ...(color !== undefined ? { color } : {}),
            ...(timezone !== undefined ? { timezone } : {}),
            ...(lateGraceMinutes !== undefined ? { lateGraceMinutes } : {}),
            ...(stripLocation !== undefined ? { stripLocation } : {}),
            ...(clientLanguage !== undefined ? { clientLanguage } : {}),
          },
          clock.now(),
        );
      })();
      emit('projects.changed', { projectId: id });
      return mustGet(id);
    },

    'projects.archive': ({ id, archived }) => {
      mustGet(id);
      const now = clock.now();
      updateProject(db, id, { archivedAt: archived ? now : null }, now);
      emit('projects.changed', { projectId: id });
      return mustGet(id);
    },
  };
}
