import { deflateSync } from 'node:zlib';

/** Small, valid PNG files made in memory, so image tests need no fixture files. */

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const byte of bytes) c = crcTable[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  Buffer.from(data).copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** An RGB PNG of `width` × `height` whose pixels come from `color(x, y)` → [r, g, b]. */
export function encodePng(width: number, height: number, color: (x: number, y: number) => [number, number, number]): Uint8Array {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // truecolour
  const raw = Buffer.alloc(height * (1 + width * 3));
  for (let y = 0; y < height; y++) {
    const row = y * (1 + width * 3);
    raw[row] = 0; // filter: none
    for (let x = 0; x < width; x++) raw.set(color(x, y), row + 1 + x * 3);
  }
  return new Uint8Array(Buffer.concat([SIGNATURE, chunk('IHDR', header), chunk('IDAT', deflateSync(raw)), chunk('IEND', new Uint8Array())]));
}

/** The same image grown to exactly `size` bytes with a private ancillary chunk before IEND (still valid). */
export function padPng(png: Uint8Array, size: number): Uint8Array {
  const iend = png.length - 12;
  const padding = size - png.length - 12;
  if (padding < 0) throw new Error(`a PNG of ${png.length} bytes cannot be padded to ${size}`);
  const padded = Buffer.concat([png.subarray(0, iend), chunk('ouTp', new Uint8Array(padding)), png.subarray(iend)]);
  return new Uint8Array(padded);
}

/** Width and height read back from a PNG's IHDR. */
export function pngSize(png: Uint8Array): { width: number; height: number } {
  const view = Buffer.from(png.buffer, png.byteOffset, png.byteLength);
  return { width: view.readUInt32BE(16), height: view.readUInt32BE(20) };
}
