import { FabricImage, StaticCanvas } from 'fabric';
import type { Design } from '../../../../main/core/editor/design';
import { fitToLimits, type ExportMime, type FitLimits } from '../../../../main/core/editor/fit';
import { createObject, type ImageSource } from './scene/objects';
import { ensureFonts, fontSamples } from './fonts';
import { checkCanvasSize, createCanvas, encodeCanvas, releaseCanvas } from './image-io';
import { renderPhoto, type PhotoPixels } from './photo-render';
import { loadStickers } from './stickers';

/**
 * Renders a design at any pixel size off screen, with the same fabric objects the live canvas
 * uses and the photo drawn straight from its decoded pixels at the export's own resolution.
 */
export async function renderDesign(
  design: Design,
  width: number,
  height: number,
  pixels: PhotoPixels | null,
  images: ReadonlyMap<string, ImageSource>,
): Promise<HTMLCanvasElement> {
  checkCanvasSize(width, height);
  await Promise.all([ensureFonts(fontSamples(design)), loadStickers()]);
  const { canvas: element } = createCanvas(width, height);
  let photo: HTMLCanvasElement | null = null;
  const stage = new StaticCanvas(element, {
    width,
    height,
    enableRetinaScaling: false,
    renderOnAddRemove: false,
    backgroundColor: design.background,
  });
  try {
    // Layers are placed in design pixels; the viewport scales them to the export's.
    stage.setViewportTransform([width / design.width, 0, 0, height / design.height, 0, 0]);
    if (design.photo && pixels) {
      photo = renderPhoto(design.photo, pixels, width, height);
      stage.add(
        new FabricImage(photo, {
          left: design.width / 2,
          top: design.height / 2,
          scaleX: design.width / width,
          scaleY: design.height / height,
          objectCaching: false,
        }),
      );
    }
    for (const layer of design.layers) {
      if (layer.hidden) continue;
      stage.add(createObject(layer, layer.type === 'image' ? (images.get(layer.mediaId) ?? null) : null));
    }
    stage.renderAll();
    return element;
  } catch (error) {
    releaseCanvas(element);
    throw error;
  } finally {
    // The stage is left to the garbage collector: disposing it would empty the element the caller encodes.
    if (photo) releaseCanvas(photo);
  }
}

export interface ExportRequest {
  design: Design;
  width: number;
  height: number;
  mime: ExportMime;
  quality: number;
  /** Fit every network's limits: the size and quality are searched, `width` × `height` is the most. */
  limits: FitLimits | null;
  pixels: PhotoPixels | null;
  images: ReadonlyMap<string, ImageSource>;
}

export interface ExportOutcome {
  blob: Blob;
  width: number;
  height: number;
  quality: number;
  tries: number;
}

/** Renders and encodes; with limits, searches size and quality so the file meets all of them. */
export async function exportDesign(request: ExportRequest): Promise<ExportOutcome> {
  const { design, mime, pixels, images } = request;
  const width = Math.round(request.width);
  const height = Math.round(request.height);
  if (!request.limits) {
    const canvas = await renderDesign(design, width, height, pixels, images);
    try {
      const blob = await encodeCanvas(canvas, mime, request.quality);
      return { blob, width, height, quality: request.quality, tries: 1 };
    } finally {
      releaseCanvas(canvas);
    }
  }
  // Quality steps reuse one rendering; only a new size renders again.
  let rendered: { width: number; height: number; canvas: HTMLCanvasElement } | null = null;
  try {
    const result = await fitToLimits<Blob>({
      width,
      height,
      limits: request.limits,
      lossless: mime === 'image/png',
      encode: async (w, h, q) => {
        if (!rendered || rendered.width !== w || rendered.height !== h) {
          if (rendered) releaseCanvas(rendered.canvas);
          rendered = null;
          rendered = { width: w, height: h, canvas: await renderDesign(design, w, h, pixels, images) };
        }
        const blob = await encodeCanvas(rendered.canvas, mime, q);
        return { bytes: blob.size, data: blob };
      },
    });
    return { blob: result.data, width: result.width, height: result.height, quality: result.quality, tries: result.tries.length };
  } finally {
    if (rendered) releaseCanvas((rendered as { canvas: HTMLCanvasElement }).canvas);
  }
}
