/**
 * Removes location from image files without touching their pixels: the EXIF GPS directory
 * (JPEG APP1, PNG eXIf, WebP EXIF) and any XMP packet that mentions GPS. Pure functions over
 * bytes; each returns null when the file's structure is not what it should be, so the caller
 * can fall back to re-encoding rather than publish a location it could not remove.
 */

const TYPE_SIZES: Record<number, number> = { 1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 2, 9: 4, 10: 8, 11: 4, 12: 8, 13: 4 };
const GPS_IFD_TAG = 0x8825;

interface TiffReader {
  little: boolean;
  u16(at: number): number;
  u32(at: number): number;
}

function tiffReader(tiff: Uint8Array): TiffReader | null {
  if (tiff.length < 8) return null;
  const order = String.fromCharCode(tiff[0] ?? 0, tiff[1] ?? 0);
  if (order !== 'II' && order !== 'MM') return null;
  const little = order === 'II';
  const dv = new DataView(tiff.buffer, tiff.byteOffset, tiff.byteLength);
  const reader = { little, u16: (at: number) => dv.getUint16(at, little), u32: (at: number) => dv.getUint32(at, little) };
  return reader.u16(2) === 42 ? reader : null;
}

/** Where IFD0's GPS pointer entry sits and the GPS IFD's offset, or null when there is none. */
export function findGpsIfd(tiff: Uint8Array): { entryAt: number; ifdAt: number } | null {
  const r = tiffReader(tiff);
  if (!r) return null;
  const ifd0 = r.u32(4);
  if (ifd0 + 2 > tiff.length) return null;
  const count = r.u16(ifd0);
  for (let i = 0; i < count; i++) {
    const entryAt = ifd0 + 2 + i * 12;
    if (entryAt + 12 > tiff.length) return null;
    if (r.u16(entryAt) === GPS_IFD_TAG) return { entryAt, ifdAt: r.u32(entryAt + 8) };
  }
  return null;
}

/**
 * Blanks the GPS directory and its values and drops IFD0's pointer to it, in place; sizes and
 * every other offset stay as they were. False if the structure is broken.
 */
export function removeGpsFromTiff(tiff: Uint8Array): boolean {
  const r = tiffReader(tiff);
  if (!r) return false;
  const gps = findGpsIfd(tiff);
  if (!gps) return true;
  const { ifdAt, entryAt } = gps;
  if (ifdAt + 2 <= tiff.length) {
    const count = r.u16(ifdAt);
    if (ifdAt + 2 + count * 12 > tiff.length) return false;
    for (let i = 0; i < count; i++) {
      const at = ifdAt + 2 + i * 12;
      const size = (TYPE_SIZES[r.u16(at + 2)] ?? 1) * r.u32(at + 4);
      if (size > 4) {
        const valueAt = r.u32(at + 8);
        if (valueAt + size <= tiff.length) tiff.fill(0, valueAt, valueAt + size);
      }
    }
    tiff.fill(0, ifdAt, ifdAt + 2 + count * 12);
  }
  // Shift IFD0's later entries and its next-IFD pointer over the GPS entry.
  const ifd0 = r.u32(4);
  const count0 = r.u16(ifd0);
  const endOfIfd = ifd0 + 2 + count0 * 12 + 4;
  if (endOfIfd > tiff.length) return false;
  tiff.copyWithin(entryAt, entryAt + 12, endOfIfd);
  tiff.fill(0, endOfIfd - 12, endOfIfd);
  const dv = new DataView(tiff.buffer, tiff.byteOffset, tiff.byteLength);
  dv.setUint16(ifd0, count0 - 1, r.little);
  return true;
}

const ascii = (bytes: Uint8Array, from: number, length: number) => String.fromCharCode(...bytes.subarray(from, from + length));
const latin1 = (bytes: Uint8Array) => new TextDecoder('latin1').decode(bytes);
const EXIF_HEADER = 'Exif\0\0';
const XMP_HEADERS = ['http://ns.adobe.com/xap/1.0/\0', 'http://ns.adobe.com/xmp/extension/\0'];
const mentionsGps = (bytes: Uint8Array) => /GPS(Latitude|Longitude|Altitude|Coordinates)|exif:GPS|Iptc4xmpExt:LocationCreated/.test(latin1(bytes));

/** A JPEG with its EXIF GPS directory blanked and GPS-bearing XMP segments dropped; pixels untouched. */
export function stripJpegLocation(input: Uint8Array): Uint8Array | null {
  if (input[0] !== 0xff || input[1] !== 0xd8) return null;
  const bytes = Uint8Array.from(input);
  const keep: Array<[number, number]> = [[0, 2]];
  let at = 2;
  while (at < bytes.length) {
    if (bytes[at] !== 0xff) return null;
    const marker = bytes[at + 1] ?? 0;
    if (marker === 0xff) {
      at += 1; // fill byte
      continue;
    }
    if (marker === 0xda || marker === 0xd9) {
      // Start of scan (or an image with no scan): the rest is entropy-coded data, copied as is.
      keep.push([at, bytes.length]);
      break;
    }
    if (at + 4 > bytes.length) return null;
    const length = ((bytes[at + 2] ?? 0) << 8) | (bytes[at + 3] ?? 0);
    const end = at + 2 + length;
    if (length < 2 || end > bytes.length) return null;
    const payload = bytes.subarray(at + 4, end);
    let drop = false;
    if (marker === 0xe1 && ascii(payload, 0, 6) === EXIF_HEADER) {
      if (!removeGpsFromTiff(payload.subarray(6))) return null;
    } else if (marker === 0xe1 && XMP_HEADERS.some((h) => ascii(payload, 0, h.length) === h)) {
      drop = mentionsGps(payload);
    }
    if (!drop) keep.push([at, end]);
    at = end;
  }
  const out = new Uint8Array(keep.reduce((n, [from, to]) => n + to - from, 0));
  let written = 0;
  for (const [from, to] of keep) {
    out.set(bytes.subarray(from, to), written);
    written += to - from;
  }
  return out;
}

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const byte of bytes) c = (CRC_TABLE[(c ^ byte) & 0xff] ?? 0) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** A PNG with GPS removed from its eXIf chunk (CRC recomputed) and GPS-bearing XMP text chunks dropped. */
export function stripPngLocation(input: Uint8Array): Uint8Array | null {
  if (input.length < 8 || input[0] !== 0x89 || ascii(input, 1, 3) !== 'PNG') return null;
  const bytes = Uint8Array.from(input);
  const dv = new DataView(bytes.buffer);
  const parts: Uint8Array[] = [bytes.subarray(0, 8)];
  let at = 8;
  while (at + 12 <= bytes.length) {
    const length = dv.getUint32(at);
    const type = ascii(bytes, at + 4, 4);
    const end = at + 12 + length;
    if (end > bytes.length) return null;
    const data = bytes.subarray(at + 8, at + 8 + length);
    let drop = false;
    if (type === 'eXIf') {
      const tiff = ascii(data, 0, 6) === EXIF_HEADER ? data.subarray(6) : data;
      if (!removeGpsFromTiff(tiff)) return null;
      dv.setUint32(at + 8 + length, crc32(bytes.subarray(at + 4, at + 8 + length)));
    } else if ((type === 'iTXt' || type === 'tEXt' || type === 'zTXt') && ascii(data, 0, 17) === 'XML:com.adobe.xmp') {
      drop = mentionsGps(data);
    }
    if (!drop) parts.push(bytes.subarray(at, end));
    at = end;
    if (type === 'IEND') break;
  }
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let written = 0;
  for (const part of parts) {
    out.set(part, written);
    written += part.length;
  }
  return out;
}

/** A WebP with GPS removed from its EXIF chunk and a GPS-bearing XMP chunk dropped (RIFF size and VP8X flag fixed). */
export function stripWebpLocation(input: Uint8Array): Uint8Array | null {
  if (ascii(input, 0, 4) !== 'RIFF' || ascii(input, 8, 4) !== 'WEBP') return null;
  const bytes = Uint8Array.from(input);
  const dv = new DataView(bytes.buffer);
  const parts: Uint8Array[] = [];
  let droppedXmp = false;
  let at = 12;
  while (at + 8 <= bytes.length) {
    const type = ascii(bytes, at, 4);
    const size = dv.getUint32(at + 4, true);
    const end = at + 8 + size + (size % 2);
    if (at + 8 + size > bytes.length) return null;
    const data = bytes.subarray(at + 8, at + 8 + size);
    let drop = false;
    if (type === 'EXIF') {
      const tiff = ascii(data, 0, 6) === EXIF_HEADER ? data.subarray(6) : data;
      if (!removeGpsFromTiff(tiff)) return null;
    } else if (type === 'XMP ' && mentionsGps(data)) {
      drop = true;
      droppedXmp = true;
    }
    if (!drop) parts.push(bytes.subarray(at, Math.min(end, bytes.length)));
    at = end;
  }
  const bodyLength = parts.reduce((n, p) => n + p.length, 0);
  const out = new Uint8Array(12 + bodyLength);
  out.set(bytes.subarray(0, 12));
  let written = 12;
  for (const part of parts) {
    out.set(part, written);
    written += part.length;
  }
  const outView = new DataView(out.buffer);
  outView.setUint32(4, 4 + bodyLength, true);
  // VP8X flag bit 2 says "has XMP"; it must not promise a chunk we removed.
  if (droppedXmp && ascii(out, 12, 4) === 'VP8X') out[20] = (out[20] ?? 0) & ~0x04;
  return out;
}
