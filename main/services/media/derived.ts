import { randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import type { Media } from '../../core/contract';
import { DomainError } from '../../core/errors';
import type { Db } from '../store/database';
import type { MediaLibrary } from './media-library';
import { getDerivedRow, getMedia, inheritFromParent, setDerived } from './media-repo';

/**
 * Images the editor derives from library images: a new content-addressed file, its design JSON
 * and its parent in the same row. The parent's file is only ever read, never written.
 */

export type DerivedSource = { bytes: Buffer } | { uploadId: string };

export interface NewDerived {
  source: DerivedSource;
  fileName: string;
  /** The design, as the JSON saved beside the image. */
  design: string;
  parentMediaId: string | null;
  /** The library a design without a photo joins (null: shared); one with a photo joins the photo's. */
  projectId: string | null;
}

/**
 * Imports the exported bytes through the library (the same checks as any import), then records
 * the design and the parent. Identical bytes already in the library are reused; an image the
 * editor did not make keeps its row untouched, so an original can never turn into a derived one.
 */
export async function saveDerivedImage(library: MediaLibrary, db: Db, input: NewDerived): Promise<{ media: Media; duplicate: boolean }> {
  const parent = input.parentMediaId === null ? undefined : getMedia(db, input.parentMediaId);
  if (input.parentMediaId !== null && !parent) {
    throw new DomainError('not_found', `There is no media with id ${input.parentMediaId}.`, { reason: 'media_missing', field: 'parentMediaId' });
  }
  let uploadId: string;
  if ('bytes' in input.source) {
    uploadId = randomUUID();
    // The library takes an upload by renaming it, so the bytes are written once.
    await writeFile(library.uploadPath(uploadId) as string, input.source.bytes, { flag: 'wx' });
  } else uploadId = input.source.uploadId;
  const outcome = await library.importOne({ uploadId, fileName: input.fileName }, parent ? parent.projectId : input.projectId);
  if (!outcome.ok) {
    throw new DomainError(outcome.reason === 'storage_full' ? 'storage_full' : 'validation', outcome.message, {
      reason: outcome.reason,
      ...(outcome.details ? { details: outcome.details } : {}),
    });
  }
  const existing = getDerivedRow(db, outcome.media.id);
  const isOriginal = outcome.duplicate && existing?.design === null;
  if (!isOriginal && outcome.media.id !== input.parentMediaId) {
    db.transaction(() => {
      setDerived(db, outcome.media.id, input.design, input.parentMediaId);
      // The edited copy describes the same picture: it keeps the original's alt text.
      if (input.parentMediaId !== null) inheritFromParent(db, outcome.media.id, input.parentMediaId);
    })();
  }
  return { media: getMedia(db, outcome.media.id) as Media, duplicate: outcome.duplicate };
}
