import sharp from 'sharp';
import type { MediaCover } from '../../../core/connector';

/** What a network asks of a video's thumbnail (Telegram: JPEG, at most 320 px a side and 200 kB). */
export interface ThumbnailLimits {
  maxSide: number;
  maxBytes: number;
}

/**
 * The cover frame as a JPEG thumbnail within the network's limits: scaled to fit (never up), then
 * saved at lower qualities until small enough. Null when even the lowest quality is too large,
 * so the network makes its own thumbnail rather than refusing the post.
 */
export async function jpegThumbnail(cover: MediaCover, limits: ThumbnailLimits): Promise<Uint8Array | null> {
  const resized = sharp(cover.bytes).rotate().resize({ width: limits.maxSide, height: limits.maxSide, fit: 'inside', withoutEnlargement: true });
  for (const quality of [85, 70, 55, 40]) {
    const jpeg = await resized.clone().jpeg({ quality, mozjpeg: true }).toBuffer();
    if (jpeg.byteLength <= limits.maxBytes) return jpeg;
  }
  return null;
}
