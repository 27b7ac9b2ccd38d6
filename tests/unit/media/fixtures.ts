import { closeSync, ftruncateSync, openSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import sharp from 'sharp';

/** Test files built on the spot, so the repository carries no binary fixtures. */

/** A photo-like RGB image: gradients plus a little noise, so it compresses like a real photo. */
export function photoPixels(width: number, height: number, seed = 1): Buffer {
  const pixels = Buffer.alloc(width * height * 3);
  let noise = seed;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      noise = (noise * 1103515245 + 12345) & 0x7fffffff;
      const i = (y * width + x) * 3;
      const n = (noise >> 16) & 15;
      pixels[i] = ((x * 255) / width + n) & 255;
      pixels[i + 1] = ((y * 255) / height + n) & 255;
      pixels[i + 2] = ((x + y + seed * 37) & 255) ^ n;
    }
  }
  return pixels;
}

export async function writeJpeg(dir: string, name: string, width = 64, height = 48, seed = 1): Promise<string> {
  const path = join(dir, name);
  await sharp(photoPixels(width, height, seed), { raw: { width, height, channels: 3 } }).jpeg({ quality: 85 }).toFile(path);
  return path;
}

const GPS = { GPSLatitudeRef: 'N', GPSLatitude: '52/1 31/1 1234/100', GPSLongitudeRef: 'E', GPSLongitude: '13/1 24/1 5678/100' };

/** A JPEG carrying EXIF GPS coordinates (Berlin), as a phone writes them. */
export async function writeJpegWithGps(dir: string, name: string): Promise<string> {
  const path = join(dir, name);
  await sharp(photoPixels(80, 60, 7), { raw: { width: 80, height: 60, channels: 3 } })
    .jpeg({ quality: 90 })
    .withExif({ IFD0: { Make: 'Outpost Test', Model: 'Phone' }, IFD3: GPS })
    .toFile(path);
  return path;
}

export async function writeWithGps(dir: string, name: string, format: 'png' | 'webp'): Promise<string> {
  const path = join(dir, name);
  const image = sharp(photoPixels(40, 30, 3), { raw: { width: 40, height: 30, channels: 3 } }).withExif({ IFD0: { Make: 'T' }, IFD3: GPS });
  await (format === 'png' ? image.png() : image.webp({ lossless: true })).toFile(path);
  return path;
}

/**
 * A JPEG stored sideways, as a phone held upright writes it: 400×200 pixels, left half red,
 * right half blue, with EXIF orientation 6 ("rotate 90° clockwise to show"). Upright it is
 * 200×400 with red on top.
 */
export async function writeSidewaysJpeg(dir: string, name: string): Promise<string> {
  const width = 400;
  const height = 200;
  const pixels = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      if (x < width / 2) pixels[i] = 230;
      else pixels[i + 2] = 230;
    }
  }
  const path = join(dir, name);
  await sharp(pixels, { raw: { width, height, channels: 3 } }).jpeg({ quality: 90 }).withMetadata({ orientation: 6 }).toFile(path);
  return path;
}

export async function writeImage(dir: string, name: string, format: 'png' | 'webp' | 'gif' | 'tiff'): Promise<string> {
  const path = join(dir, name);
  await sharp(photoPixels(32, 24, 5), { raw: { width: 32, height: 24, channels: 3 } }).toFormat(format).toFile(path);
  return path;
}

/** The first 60% of a real JPEG: a download or copy that stopped half-way. */
export async function writeTruncatedJpeg(dir: string, name: string): Promise<string> {
  const whole = await sharp(photoPixels(300, 200, 9), { raw: { width: 300, height: 200, channels: 3 } }).jpeg({ quality: 90 }).toBuffer();
  const path = join(dir, name);
  writeFileSync(path, whole.subarray(0, Math.floor(whole.length * 0.6)));
  return path;
}

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

function crc32(bytes: Buffer): number {
  let c = 0xffffffff;
  for (const byte of bytes) {
    c ^= byte;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  }
  return (c ^ 0xffffffff) >>> 0;
}

/**
 * A decompression bomb: a valid, small (~110 KB) PNG that declares 30,000 × 30,000 pixels
 * (900 megapixels) of 1-bit grey, all zeros, which deflate squeezes ~1000:1.
 */
export function writePngBomb(dir: string, name: string, side = 30_000): string {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(side, 0);
  ihdr.writeUInt32BE(side, 4);
  ihdr[8] = 1; // bit depth
  ihdr[9] = 0; // greyscale
  const row = 1 + Math.ceil(side / 8); // filter byte + packed bits
  const raw = Buffer.alloc(row * side);
  const path = join(dir, name);
  writeFileSync(
    path,
    Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      pngChunk('IHDR', ihdr),
      pngChunk('IDAT', deflateSync(raw, { level: 9 })),
      pngChunk('IEND', Buffer.alloc(0)),
    ]),
  );
  return path;
}

/** A sparse file: `bytes` long on paper, no disk used, and slow to read if anyone tried. */
export function writeSparse(dir: string, name: string, bytes: number, head: Uint8Array = new Uint8Array()): string {
  const path = join(dir, name);
  writeFileSync(path, head);
  const fd = openSync(path, 'r+');
  try {
    ftruncateSync(fd, bytes);
  } finally {
    closeSync(fd);
  }
  return path;
}

function box(type: string, ...parts: Buffer[]): Buffer {
  const body = Buffer.concat(parts);
  const header = Buffer.alloc(8);
  header.writeUInt32BE(8 + body.length);
  header.write(type, 4, 'latin1');
  return Buffer.concat([header, body]);
}

function fixed(value: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeInt32BE(Math.round(value * 65536));
  return b;
}

function u32(value: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(value);
  return b;
}

function matrix(rotate90: boolean): Buffer {
  // a b u / c d v / x y w, with u, v, w in 2.30 fixed point (w = 1).
  const [a, b, c, d] = rotate90 ? [0, 1, -1, 0] : [1, 0, 0, 1];
  const w = Buffer.alloc(4);
  w.writeInt32BE(0x40000000);
  return Buffer.concat([fixed(a), fixed(b), u32(0), fixed(c), fixed(d), u32(0), u32(0), u32(0), w]);
}

export interface Mp4Options {
  width?: number;
  height?: number;
  durationMs?: number;
  /** The phone was held upright: the track matrix turns a landscape frame 90°. */
  rotate90?: boolean;
  /** Adds moov/udta/©xyz with an ISO 6709 position, as an iPhone does. */
  location?: boolean;
  /** moov after mdat (as cameras write it) instead of before (faststart). */
  moovLast?: boolean;
  mdatBytes?: number;
}

/** A structurally valid MP4 (ftyp, moov with mvhd and one video trak, mdat); the samples are zeros. */
export function mp4Bytes(options: Mp4Options = {}): Buffer {
  const { width = 1920, height = 1080, durationMs = 12_500, rotate90 = false, location = false, moovLast = false, mdatBytes = 4096 } = options;
  const timescale = 1000;
  const mvhd = box(
    'mvhd',
    u32(0),
    u32(0),
    u32(0),
    u32(timescale),
    u32(durationMs),
    fixed(1),
    Buffer.from([1, 0]),
    Buffer.alloc(10),
    matrix(false),
    Buffer.alloc(24),
    u32(2),
  );
  const tkhd = box(
    'tkhd',
    u32(3), // version 0, flags enabled|in movie
    u32(0),
    u32(0),
    u32(1),
    u32(0),
    u32(durationMs),
    Buffer.alloc(8),
    Buffer.alloc(2),
    Buffer.alloc(2),
    Buffer.alloc(2),
    Buffer.alloc(2),
    matrix(rotate90),
    fixed(width),
    fixed(height),
  );
  const hdlr = box('hdlr', u32(0), u32(0), Buffer.from('vide', 'latin1'), Buffer.alloc(12), Buffer.from('VideoHandler\0', 'latin1'));
  const trak = box('trak', tkhd, box('mdia', hdlr));
  const udta = location ? box('udta', box('\u00a9xyz', Buffer.from([0, 17, 0x15, 0xc7]), Buffer.from('+52.5200+013.4050/', 'latin1'))) : Buffer.alloc(0);
  const moov = box('moov', mvhd, trak, udta);
  const ftyp = box('ftyp', Buffer.from('isom', 'latin1'), u32(512), Buffer.from('isomiso2avc1mp41', 'latin1'));
  const mdat = box('mdat', Buffer.alloc(mdatBytes));
  return moovLast ? Buffer.concat([ftyp, mdat, moov]) : Buffer.concat([ftyp, moov, mdat]);
}

export function writeMp4(dir: string, name: string, options: Mp4Options = {}): string {
  const path = join(dir, name);
  writeFileSync(path, mp4Bytes(options));
  return path;
}
