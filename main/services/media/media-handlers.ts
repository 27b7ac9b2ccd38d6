import type { HandlersOf, mediaRequests } from '../../core/contract';
import { DomainError } from '../../core/errors';
import type { Services } from '../services-types';
import { countUsage, countUseOutside, deleteMediaRow, getMedia, listMedia, projectExists, setAltText, setMediaProject } from './media-repo';

type MediaHandlers = HandlersOf<typeof mediaRequests>;

export function mediaHandlers({ db, emit, media }: Services): MediaHandlers {
  const mustGet = (id: string) => {
    const item = getMedia(db, id);
    if (!item) throw new DomainError('not_found', `There is no media with id ${id}.`, { reason: 'media_missing' });
    return item;
  };

  const mustHaveProject = (projectId: string) => {
    if (!projectExists(db, projectId)) {
      throw new DomainError('not_found', `There is no project with id ${projectId}.`, { reason: 'project_missing', field: 'projectId' });
    }
  };

  return {
    'media.list': ({ query, kind, projectId, only }) =>
      listMedia(db, { ...(query !== undefined ? { query } : {}), ...(kind ? { kind } : {}), ...(projectId ? { projectId } : {}), ...(only ? { only } : {}) }),

    'media.get': ({ id }) => mustGet(id),

    'media.import': async ({ files, projectId }) => {
      if (projectId) mustHaveProject(projectId);
      const outcomes = await media.importMany(files, undefined, projectId ?? null);
      const added = outcomes.flatMap((o) => (o.ok && (!o.duplicate || o.movedToShared) ? [o.media.id] : []));
      if (added.length > 0) emit('media.changed', { ids: added });
      return outcomes;
    },

    'media.update': ({ id, altText }) => {
      mustGet(id);
      setAltText(db, id, altText.normalize('NFC').trim());
      emit('media.changed', { ids: [id] });
      return mustGet(id);
    },

    'media.move': ({ id, projectId }) => {
      db.transaction(() => {
        mustGet(id);
        if (projectId !== null) {
          mustHaveProject(projectId);
          const posts = countUseOutside(db, id, projectId);
          if (posts > 0) {
            throw new DomainError('conflict', `Posts of other projects use the file (${posts}); it stays where it is.`, {
              reason: 'media_used_elsewhere',
              details: { posts },
            });
          }
        }
        setMediaProject(db, id, projectId);
      })();
      emit('media.changed', { ids: [id] });
      return mustGet(id);
    },

    'media.usage': ({ id }) => {
      mustGet(id);
      return { id, posts: countUsage(db, id) };
    },

    'media.delete': ({ id, confirmInUse }) => {
      const item = mustGet(id);
      const removedFromPosts = db.transaction(() => {
        mustGet(id);
        const posts = countUsage(db, id);
        if (posts > 0 && !confirmInUse) {
          throw new DomainError('conflict', `The file is used by ${posts} post(s); confirm to delete it from them too.`, {
            reason: 'media_in_use',
            details: { posts },
          });
        }
        deleteMediaRow(db, item.id);
        return posts;
      })();
      // The row is gone first: a crash before the files go leaves orphans the next start sweeps.
      media.removeUnclaimed(item.sha256);
      emit('media.changed', { ids: [id] });
      return { id, removedFromPosts };
    },
  };
}
