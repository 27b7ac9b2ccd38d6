import { orientedSize, type Design, type Photo } from '../../../../main/core/editor/design';
import { cssFilter, photoMatrix } from '../../../../main/core/editor/geometry';
import { createCanvas } from './image-io';

/** Decoded pixels of a photo: the whole upright image at `scale` of its full size. */
export interface PhotoPixels {
  image: ImageBitmap;
  /** Bitmap pixels per source pixel (1 for the full file, less for a preview or working copy). */
  scale: number;
}

/**
 * Draws the photo's crop, turned, mirrored and filtered, onto a new canvas of `width` × `height`:
 * one drawImage under one transform, with the filters as a CSS filter, so the live view and
 * every export go through the same arithmetic (core/editor/geometry.ts).
 */
export function renderPhoto(photo: Photo, pixels: PhotoPixels, width: number, height: number): HTMLCanvasElement {
  const { canvas, ctx } = createCanvas(width, height);
  ctx.imageSmoothingEnabled = true;
  ctx.imageSmoothingQuality = 'high';
  ctx.filter = cssFilter(photo.filters, Math.min(width, height));
  ctx.setTransform(...photoMatrix(photo, { width: canvas.width, height: canvas.height }, pixels.scale));
  ctx.drawImage(pixels.image, 0, 0);
  return canvas;
}

/** The photo uncropped: what the crop tool shows around the box. */
export function wholePhoto(photo: Photo): Photo {
  const o = orientedSize(photo);
  return { ...photo, crop: { x: 0, y: 0, width: o.width, height: o.height } };
}

/**
 * How many pixels to render the photo at for the screen: the canvas size, but no more than the
 * decoded pixels hold and no more than `cap` on the longest side.
 */
export function displaySize(design: Design, photo: Photo, pixels: PhotoPixels, cap: number): { width: number; height: number } {
  const available = photo.crop.width * pixels.scale;
  const s = Math.min(1, available / design.width, cap / Math.max(design.width, design.height));
  return { width: Math.max(1, Math.round(design.width * s)), height: Math.max(1, Math.round(design.height * s)) };
}

/** Source pixels per output pixel needed for an export this wide: the photo's decoded scale must reach it. */
export function neededScale(design: Design, exportWidth: number): number {
  if (!design.photo) return 0;
  return exportWidth / design.photo.crop.width;
}
