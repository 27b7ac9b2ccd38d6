import type { HandlersOf, mediaRequests } from '../../core/contract';
import { DomainError } from '../../core/errors';
import type { Services } from '../services-types';
import { saveDerivedImage } from './derived';
import {
  countUsage,
  countUseOutside,
  deleteMediaRow,
  getMedia,
  getVideoCover,
  listMedia,
  projectExists,
  replaceVideoCover,
  setAltText,
  setMediaProject,
} from './media-repo';

type MediaHandlers = HandlersOf<typeof mediaRequests>;

export function mediaHandlers({ db, emit, media, clock }: Services): MediaHandlers {
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

    'media.videoCover': ({ id }) => {
      if (mustGet(id).kind !== 'video') throw new DomainError('validation', 'Only a video has a cover frame.', { reason: 'not_video', field: 'id' });
      return getVideoCover(db, id) ?? null;
    },

    'media.setVideoCover': async ({ id, atMs, file }) => {
      const video = mustGet(id);
      if (video.kind !== 'video') throw new DomainError('validation', 'Only a video has a cover frame.', { reason: 'not_video', field: 'id' });
      const bytes = 'data' in file ? Buffer.from(file.data, 'base64') : null;
      if (bytes?.length === 0) throw new DomainError('validation', 'The cover frame is empty.', { reason: 'export_empty', field: 'file' });
      const source = bytes ? { bytes } : { uploadId: (file as { uploadId: string }).uploadId };
      const stem = video.fileName.replace(/\.[^.]+$/, '');
      const saved = await saveDerivedImage(media, db, {
        source,
        fileName: `${stem} cover.jpg`,
        design: JSON.stringify({ kind: 'video-cover', atMs }),
        parentMediaId: id,
        projectId: video.projectId,
      });
      // The new cover is the newest; earlier covers no post uses are dropped so the library does not fill with them.
      const dropped = db.transaction(() => replaceVideoCover(db, id, saved.media.id, clock.now()))();
      for (const sha of dropped) media.removeUnclaimed(sha);
      emit('media.changed', { ids: [saved.media.id, id] });
      return getVideoCover(db, id) ?? { media: saved.media, atMs };
    },

    'media.saveFittedVideo': async ({ parentMediaId, file, network, changes }) => {
      const original = mustGet(parentMediaId);
      if (original.kind !== 'video') throw new DomainError('validation', 'Only a video can be fitted.', { reason: 'not_video', field: 'parentMediaId' });
      const bytes = 'data' in file ? Buffer.from(file.data, 'base64') : null;
      if (bytes?.length === 0) throw new DomainError('validation', 'The converted video is empty.', { reason: 'export_empty', field: 'file' });
      const source = bytes ? { bytes } : { uploadId: (file as { uploadId: string }).uploadId };
      const stem = original.fileName.replace(/\.[^.]+$/, '');
      const saved = await saveDerivedImage(media, db, {
        source,
        fileName: `${stem} (${network}).mp4`,
        design: JSON.stringify({ kind: 'video-fit', network, changes }),
        parentMediaId,
        projectId: original.projectId,
      });
      emit('media.changed', { ids: [saved.media.id] });
      return { media: saved.media };
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
