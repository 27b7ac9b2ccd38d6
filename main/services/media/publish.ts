import { withRangeReader } from '../files';
import { createReadStream, readFileSync } from 'node:fs';
import { Transform, type Readable } from 'node:stream';
import sharp from 'sharp';
import type { Media } from '../../core/contract';
import type { SupportedMime } from '../../core/media';
import { findGpsIfd, stripJpegLocation, stripPngLocation, stripWebpLocation } from './location';
import { readMp4Info } from './mp4';

/** An image ready to upload: small enough (≤ 50 MB) to hold in memory. */
export interface PublishImage {
  kind: 'image';
  media: Media;
  mime: SupportedMime;
  data: Buffer;
  /** True when the pixels had to be re-encoded because the metadata could not be edited in place. */
  reencoded: boolean;
}

/** A video ready to upload: streamed from disk, never loaded whole. */
export interface PublishVideo {
  kind: 'video';
  media: Media;
  mime: SupportedMime;
  size: number;
  /** A fresh stream of the bytes to upload (location boxes renamed to `free` when asked). */
  open(): Readable;
  /** The cover frame the user picked (a JPEG in the library), sent as the video's thumbnail where the network takes one. */
  cover?: PublishImage | null;
}

export type PublishFile = PublishImage | PublishVideo;

const strippers: Partial<Record<SupportedMime, (bytes: Uint8Array) => Uint8Array | null>> = {
  'image/jpeg': stripJpegLocation,
  'image/png': stripPngLocation,
  'image/webp': stripWebpLocation,
};

async function stillHasGps(data: Buffer): Promise<boolean> {
  const { exif } = await sharp(data).metadata();
  if (!exif) return false;
  const tiff = exif.subarray(0, 6).toString('latin1') === 'Exif\0\0' ? exif.subarray(6) : exif;
  return findGpsIfd(tiff) !== null;
}

/** Last resort: new pixels, upright, and no metadata at all (sharp writes none unless asked). */
async function reencodeWithoutMetadata(data: Buffer, mime: SupportedMime): Promise<Buffer> {
  const image = sharp(data, { animated: mime === 'image/gif' || mime === 'image/webp' }).rotate();
  if (mime === 'image/png') return image.png().toBuffer();
  if (mime === 'image/webp') return image.webp({ quality: 92 }).toBuffer();
  if (mime === 'image/gif') return image.gif().toBuffer();
  return image.jpeg({ quality: 92, mozjpeg: true }).toBuffer();
}

export async function imageForPublish(media: Media, path: string, stripLocation: boolean): Promise<PublishImage> {
  const original = readFileSync(path);
  if (!stripLocation || media.mime === 'image/gif') return { kind: 'image', media, mime: media.mime, data: original, reencoded: false };
  const stripped = strippers[media.mime]?.(original);
  if (stripped) {
    const data = Buffer.from(stripped.buffer, stripped.byteOffset, stripped.byteLength);
    if (!(await stillHasGps(data))) return { kind: 'image', media, mime: media.mime, data, reencoded: false };
  }
  return { kind: 'image', media, mime: media.mime, data: await reencodeWithoutMetadata(original, media.mime), reencoded: true };
}

/** Overwrites the given 4-byte box types with `free` as the bytes stream past. */
function renameBoxes(offsets: readonly number[]): Transform {
  const free = Buffer.from('free', 'latin1');
  let position = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      const start = position;
      position += chunk.length;
      let out = chunk;
      for (const offset of offsets) {
        for (let i = 0; i < 4; i++) {
          const at = offset + i - start;
          if (at >= 0 && at < chunk.length) {
            if (out === chunk) out = Buffer.from(chunk);
            out[at] = free[i] as number;
          }
        }
      }
      done(null, out);
    },
  });
}

export function videoForPublish(media: Media, path: string, size: number, stripLocation: boolean): PublishVideo {
  let offsets: number[] = [];
  // WebM has no MP4 boxes to hide; its muxers write no location element.
  if (stripLocation && media.mime !== 'video/webm') {
    offsets = withRangeReader(path, size, (read) => readMp4Info(read, size).locationBoxTypeOffsets);
  }
  return {
    kind: 'video',
    media,
    mime: media.mime,
    size,
    open: () => {
      const stream = createReadStream(path, { highWaterMark: 1 << 20 });
      return offsets.length ? stream.pipe(renameBoxes(offsets)) : stream;
    },
  };
}
