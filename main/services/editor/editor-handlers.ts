import { randomUUID } from 'node:crypto';
import {
  EDITOR_MAX_SOURCE_PIXELS,
  EDITOR_WORKING_COPY_EDGE,
  EDITOR_WORKING_COPY_PIXELS,
  TEMPLATE_NAME_MAX,
  type EditorPhoto,
  type HandlersOf,
  type Media,
  type editorRequests,
} from '../../core/contract';
import { readDesign } from '../../core/editor/design-migrations';
import { DomainError } from '../../core/errors';
import { saveDerivedImage } from '../media/derived';
import { getDerivedRow } from '../media/media-repo';
import { getMedia } from '../media/media-repo';
import type { Services } from '../services-types';
import { deleteTemplate, getTemplate, insertTemplate, listTemplates, updateTemplate } from './templates-repo';
import { imageFacts, workingImage } from './working-image';

type EditorHandlers = HandlersOf<typeof editorRequests>;

/** The size the editor may decode a photo at: the file's own, or a working copy of a huge one. */
function workingLimit(width: number, height: number): { maxEdge: number; maxPixels: number } | null {
  if (width * height <= EDITOR_MAX_SOURCE_PIXELS) return null;
  return { maxEdge: EDITOR_WORKING_COPY_EDGE, maxPixels: EDITOR_WORKING_COPY_PIXELS };
}

export function editorHandlers({ db, emit, media, clock }: Services): EditorHandlers {
  const mustGet = (id: string, field = 'mediaId'): Media => {
    const item = getMedia(db, id);
    if (!item) throw new DomainError('not_found', `There is no media with id ${id}.`, { reason: 'media_missing', field });
    return item;
  };

  const imagePath = (item: Media): string => {
    if (item.kind !== 'image') throw new DomainError('validation', 'Only images can be edited.', { reason: 'not_an_image', field: 'mediaId' });
    const file = media.resolveFile(item.id, 'file');
    if (!file) throw new DomainError('not_found', `The file of media ${item.id} is missing.`, { reason: 'media_file_missing' });
    return file.path;
  };

  const describePhoto = async (item: Media): Promise<EditorPhoto> => {
    const facts = await imageFacts(imagePath(item));
    const limit = workingLimit(facts.width, facts.height);
    let workingCopy: EditorPhoto['workingCopy'] = null;
    if (limit) {
      const scale = Math.min(limit.maxEdge / Math.max(facts.width, facts.height), Math.sqrt(limit.maxPixels / (facts.width * facts.height)));
      workingCopy = { width: Math.max(1, Math.round(facts.width * scale)), height: Math.max(1, Math.round(facts.height * scale)) };
    }
    return { mediaId: item.id, mime: item.mime, width: facts.width, height: facts.height, workingCopy };
  };

  const mustName = (raw: string): string => {
    const name = raw.normalize('NFC').replace(/\s+/g, ' ').trim();
    if (!name) throw new DomainError('validation', 'Give the template a name.', { reason: 'template_name_empty', field: 'name' });
    if ([...name].length > TEMPLATE_NAME_MAX) {
      throw new DomainError('validation', `A template name can be at most ${TEMPLATE_NAME_MAX} characters.`, { reason: 'template_name_too_long', field: 'name' });
    }
    return name;
  };

  return {
    'editor.open': async ({ mediaId }) => {
      const item = mustGet(mediaId);
      const derived = getDerivedRow(db, mediaId);
      if (derived?.design) {
        const read = readDesign(derived.design);
        if (!read.ok) {
          return { media: item, design: null, migratedFrom: null, designProblem: read.reason, photo: await describePhoto(item) };
        }
        const photoId = read.design.photo?.mediaId;
        const original = photoId ? getMedia(db, photoId) : undefined;
        if (photoId && (!original || !media.resolveFile(photoId, 'file'))) {
          // The original was deleted: the exported image is the best photo left.
          return { media: item, design: null, migratedFrom: null, designProblem: 'original_missing', photo: await describePhoto(item) };
        }
        return {
          media: item,
          design: read.design,
          migratedFrom: read.migratedFrom,
          designProblem: null,
          photo: await describePhoto(original ?? item),
        };
      }
      return { media: item, design: null, migratedFrom: null, designProblem: null, photo: await describePhoto(item) };
    },

    'editor.image': async ({ mediaId, maxEdge, maxPixels }) => {
      const item = mustGet(mediaId);
      const path = imagePath(item);
      const facts = await imageFacts(path);
      const limit = workingLimit(facts.width, facts.height);
      const edge = Math.min(maxEdge, limit?.maxEdge ?? Infinity);
      const pixels = Math.min(maxPixels ?? EDITOR_MAX_SOURCE_PIXELS, limit?.maxPixels ?? Infinity);
      const image = await workingImage(path, item.mime, edge, pixels);
      return { mime: image.mime, width: image.width, height: image.height, data: image.data.toString('base64'), downscaled: image.downscaled };
    },

    'editor.export': async ({ file, fileName, design, parentMediaId, projectId }) => {
      const bytes = 'data' in file ? Buffer.from(file.data, 'base64') : null;
      if (bytes?.length === 0) throw new DomainError('validation', 'The exported image is empty.', { reason: 'export_empty', field: 'file' });
      const source = bytes ? { bytes } : { uploadId: (file as { uploadId: string }).uploadId };
      const saved = await saveDerivedImage(media, db, { source, fileName, design: JSON.stringify(design), parentMediaId, projectId: projectId ?? null });
      emit('media.changed', { ids: [saved.media.id] });
      return saved;
    },

    'editor.templates': () => listTemplates(db),

    'editor.saveTemplate': ({ id, name, design }) => {
      const clean = mustName(name);
      const now = clock.now();
      const json = JSON.stringify(design);
      const templateId = id ?? randomUUID();
      if (id) {
        if (!updateTemplate(db, { id, name: clean, design: json, now })) {
          throw new DomainError('not_found', `There is no template with id ${id}.`, { reason: 'template_missing', field: 'id' });
        }
      } else insertTemplate(db, { id: templateId, name: clean, design: json, now });
      emit('editor.templatesChanged', { ids: [templateId] });
      return getTemplate(db, templateId) as NonNullable<ReturnType<typeof getTemplate>>;
    },

    'editor.deleteTemplate': ({ id }) => {
      if (!deleteTemplate(db, id)) throw new DomainError('not_found', `There is no template with id ${id}.`, { reason: 'template_missing', field: 'id' });
      emit('editor.templatesChanged', { ids: [id] });
      return { id };
    },
  };
}
