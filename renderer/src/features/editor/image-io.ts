/**
 * Pixels in and out of the editor, with the memory checks that keep a huge image from taking
 * the window down: every canvas is checked before it is allocated and after, and every decode
 * failure becomes an EditorError the UI words.
 */

export type EditorErrorReason =
  /** The file's bytes do not decode as an image. */
  | 'image_corrupt'
  /** A canvas or bitmap of this size could not be allocated. */
  | 'out_of_memory'
  /** Bigger than the editor will try to hold at all. */
  | 'too_many_pixels'
  /** The encoder produced nothing. */
  | 'encode_failed';

export class EditorError extends Error {
  constructor(
    readonly reason: EditorErrorReason,
    message: string,
    readonly details: Record<string, number | string> = {},
  ) {
    super(message);
    this.name = 'EditorError';
  }
}

/** Chromium's limits: 32,767 px a side; beyond ~268 MP a canvas silently fails. We stop well before. */
export const MAX_CANVAS_SIDE = 16_384;
export const MAX_CANVAS_PIXELS = 100_000_000;

export function checkCanvasSize(width: number, height: number): void {
  if (!Number.isFinite(width) || !Number.isFinite(height) || width < 1 || height < 1) {
    throw new EditorError('too_many_pixels', `A ${width} × ${height} canvas is not possible.`, { width, height });
  }
  if (width > MAX_CANVAS_SIDE || height > MAX_CANVAS_SIDE || width * height > MAX_CANVAS_PIXELS) {
    throw new EditorError('too_many_pixels', `${Math.round(width)} × ${Math.round(height)} is more than the editor can hold.`, {
      width: Math.round(width),
      height: Math.round(height),
      megapixels: Math.round(MAX_CANVAS_PIXELS / 1e6),
    });
  }
}

/** A 2D canvas of this size, or an EditorError: Chromium returns no context (or throws) when memory runs short. */
export function createCanvas(width: number, height: number): { canvas: HTMLCanvasElement; ctx: CanvasRenderingContext2D } {
  const w = Math.round(width);
  const h = Math.round(height);
  checkCanvasSize(w, h);
  let ctx: CanvasRenderingContext2D | null = null;
  const canvas = document.createElement('canvas');
  try {
    canvas.width = w;
    canvas.height = h;
    ctx = canvas.getContext('2d');
  } catch {
    ctx = null;
  }
  if (!ctx || canvas.width !== w || canvas.height !== h) {
    releaseCanvas(canvas);
    throw new EditorError('out_of_memory', `There is not enough memory for a ${w} × ${h} canvas.`, { width: w, height: h });
  }
  return { canvas, ctx };
}

/** Gives a canvas's pixels back at once instead of waiting for garbage collection. */
export function releaseCanvas(canvas: HTMLCanvasElement): void {
  canvas.width = 0;
  canvas.height = 0;
}

export function base64ToBytes(data: string): Uint8Array<ArrayBuffer> {
  const binary = atob(data);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

export async function blobToBase64(blob: Blob): Promise<string> {
  const bytes = new Uint8Array(await blob.arrayBuffer());
  let binary = '';
  const chunk = 0x8000;
  for (let i = 0; i < bytes.length; i += chunk) binary += String.fromCharCode(...bytes.subarray(i, i + chunk));
  return btoa(binary);
}

/** Decodes an encoded image (upright, EXIF applied) off the main thread. */
export async function decodeImage(bytes: Uint8Array<ArrayBuffer>, mime: string, expected?: { width: number; height: number }): Promise<ImageBitmap> {
  if (expected) checkCanvasSize(expected.width, expected.height);
  try {
    return await createImageBitmap(new Blob([bytes], { type: mime }), { imageOrientation: 'from-image' });
  } catch (error) {
    // A decode that fails for a large image is most likely memory; for a small one, the file.
    const big = expected !== undefined && expected.width * expected.height > 20_000_000;
    throw big
      ? new EditorError('out_of_memory', `The ${expected.width} × ${expected.height} image could not be decoded: ${(error as Error).message}`, expected)
      : new EditorError('image_corrupt', `The image could not be decoded: ${(error as Error).message}`);
  }
}

export type ExportMime = 'image/jpeg' | 'image/png' | 'image/webp';

/** Encodes a canvas; `quality` (0–1) applies to JPEG and WebP. */
export function encodeCanvas(canvas: HTMLCanvasElement, mime: ExportMime, quality: number): Promise<Blob> {
  return new Promise((resolve, reject) => {
    try {
      canvas.toBlob(
        (blob) => {
          if (blob && blob.size > 0) resolve(blob);
          else reject(new EditorError('encode_failed', `The ${canvas.width} × ${canvas.height} image could not be encoded (not enough memory?).`));
        },
        mime,
        quality,
      );
    } catch (error) {
      reject(new EditorError('encode_failed', `The image could not be encoded: ${(error as Error).message}`));
    }
  });
}
