import { parseMediaUrl } from '../core/media';
import { isInside, type MediaLibrary, type ServedFile } from '../services/media/media-library';

/**
 * Which library file an `outpost-media://media/<id>/<thumb|file>` request may read: found by id
 * in the database, never by a path taken from the URL, and refused unless it lies inside the
 * media folder. Kept free of Electron so a unit test can prove it.
 */
export function mediaFileForUrl(url: string, media: Pick<MediaLibrary, 'resolveFile' | 'root'>): ServedFile | null {
  const parsed = parseMediaUrl(url);
  if (!parsed) return null;
  const file = media.resolveFile(parsed.id, parsed.variant);
  return file && isInside(media.root, file.path) ? file : null;
}
