import type { HandlersOf, Reply, evergreenRequests } from '../../core/contract';
import { nextEvergreen } from '../../core/calendar/slots';
import { DomainError } from '../../core/errors';
import { toLocal } from '../../core/posts/time';
import { createPostService } from '../posts/post-service';
import { getPost, getPostRow } from '../posts/posts-repo';
import { mustGetProject } from '../projects/project-rules';
import type { Services } from '../services-types';
import { addEvergreen, evergreenInterval, getEntries, listEvergreen, markEvergreenQueued, removeEvergreen, setEvergreenInterval } from './calendar-repo';
import { createPlacement } from './placement';

/** Evergreen posts: a project's pool of posts worth repeating, copied into free queue slots. */
export function evergreenHandlers(services: Services): HandlersOf<typeof evergreenRequests> {
  const { db, clock, emit } = services;
  const posts = createPostService(services);
  const placement = createPlacement(services, posts);

  return {
    'evergreen.get': ({ projectId }) => {
      mustGetProject(db, projectId);
      return { minIntervalDays: evergreenInterval(db, projectId), posts: listEvergreen(db, projectId) };
    },

    'evergreen.set': ({ id, evergreen }) => {
      const row = getPostRow(db, id);
      if (!row) throw new DomainError('not_found', `There is no post with id ${id}.`, { reason: 'post_missing' });
      if (evergreen) addEvergreen(db, id, row.project_id, clock.now());
      else removeEvergreen(db, id);
      emit('posts.changed', { projectId: row.project_id, postId: id, revision: null });
      return { id, evergreen };
    },

    'evergreen.configure': ({ projectId, minIntervalDays }) => {
      mustGetProject(db, projectId);
      setEvergreenInterval(db, projectId, minIntervalDays);
      return { minIntervalDays };
    },

    'evergreen.queue': ({ projectId, count }) => {
      const project = mustGetProject(db, projectId);
      const interval = evergreenInterval(db, projectId);
      const queued: string[] = [];
      let stoppedBy: Reply<'evergreen.queue'>['stoppedBy'] = 'done';
      db.transaction(() => {
        for (let i = 0; i < count; i++) {
          const pool = listEvergreen(db, projectId);
          if (pool.length === 0) {
            stoppedBy = 'pool_empty';
            return;
          }
          // Which post is next does not depend on the slot; whether it may repeat there does.
          const candidate = nextEvergreen(pool, Number.MAX_SAFE_INTEGER, interval);
          const source = candidate && getPost(db, candidate.postId);
          if (!candidate || !source || source.targets.length === 0) {
            stoppedBy = 'pool_empty';
            return;
          }
          let at: number;
          try {
            at = placement.slotFor(
              source.targets.map((t) => t.accountId),
              project,
              '',
            );
          } catch (error) {
            if (error instanceof DomainError) {
              stoppedBy = 'no_slot';
              return;
            }
            throw error;
          }
          if (nextEvergreen([candidate], at, interval) === null) {
            stoppedBy = 'interval';
            return;
          }
          const copy = posts.duplicate(source.id);
          const placed = posts.update({ id: copy.id, revision: copy.revision, local: toLocal(at, project.timezone), labels: source.labels });
          posts.schedule(copy.id, placed.revision);
          markEvergreenQueued(db, source.id, at);
          queued.push(copy.id);
        }
      })();
      return { entries: getEntries(db, queued), stoppedBy };
    },
  };
}
