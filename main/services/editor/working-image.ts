import { readFile } from 'node:fs/promises';
import sharp from 'sharp';
import { MAX_IMAGE_PIXELS } from '../../core/media';
import { DomainError } from '../../core/errors';

/** Formats Chromium decodes that the library stores as still images; GIF shows its first frame. */
const passThrough = new Set(['image/jpeg', 'image/png', 'image/webp']);

export interface WorkingImage {
  mime: string;
  width: number;
  height: number;
  data: Buffer;
  downscaled: boolean;
}

export interface ImageFacts {
  /** Upright size. */
  width: number;
  height: number;
  /** EXIF orientation other than 1: the browser and sharp must agree on turning it. */
  turned: boolean;
  hasAlpha: boolean;
}

function unreadable(error: unknown): DomainError {
  return new DomainError('validation', `The image cannot be read: ${(error as Error).message}`, { reason: 'image_corrupt' });
}

/** The image's upright size from its header; decodes no pixels, so any size is safe to ask. */
export async function imageFacts(path: string): Promise<ImageFacts> {
  try {
    const meta = await sharp(path, { limitInputPixels: false }).metadata();
    return {
      width: meta.autoOrient.width,
      height: meta.autoOrient.height,
      turned: (meta.orientation ?? 1) !== 1,
      hasAlpha: meta.hasAlpha,
    };
  } catch (error) {
    throw unreadable(error);
  }
}

/**
 * An upright copy of a library image no larger than `maxEdge` on its longest side and
 * `maxPixels` in all, for the editor to decode: the file itself when it already fits (no
 * re-encoding), otherwise a high-quality JPEG (WebP where there is transparency). sharp shrinks
 * JPEGs while decoding, so a 24-megapixel photo costs a fraction of a full decode.
 */
export async function workingImage(path: string, mime: string, maxEdge: number, maxPixels?: number): Promise<WorkingImage> {
  const facts = await imageFacts(path);
  const { width, height } = facts;
  let scale = Math.min(1, maxEdge / Math.max(width, height));
  if (maxPixels !== undefined) scale = Math.min(scale, Math.sqrt(maxPixels / (width * height)));
  if (scale >= 1 && !facts.turned && passThrough.has(mime)) {
    return { mime, width, height, data: await readFile(path), downscaled: false };
  }
  const w = Math.max(1, Math.round(width * Math.min(1, scale)));
  const h = Math.max(1, Math.round(height * Math.min(1, scale)));
  try {
    const image = sharp(path, { limitInputPixels: MAX_IMAGE_PIXELS, failOn: 'error' }).rotate().resize(w, h, { fit: 'fill' });
    const data = facts.hasAlpha
      ? await image.webp({ quality: 92, alphaQuality: 100, effort: 1 }).toBuffer()
      : await image.jpeg({ quality: 92, chromaSubsampling: '4:4:4' }).toBuffer();
    return { mime: facts.hasAlpha ? 'image/webp' : 'image/jpeg', width: w, height: h, data, downscaled: scale < 1 };
  } catch (error) {
    throw unreadable(error);
  }
}
