import type { SupportedMime } from '../../core/media';

/** What a file's first bytes say it is, whatever its name claims. */
export type SniffedFormat =
  | { supported: true; mime: SupportedMime }
  | { supported: false; format: string }
  | { supported: false; format: null };

/** How many leading bytes `sniffFormat` needs. */
export const SNIFF_BYTES = 512;

const ascii = (bytes: Uint8Array, start: number, length: number) =>
  String.fromCharCode(...bytes.subarray(start, start + length));

const startsWith = (bytes: Uint8Array, signature: readonly number[], at = 0) =>
  signature.every((byte, i) => bytes[at + i] === byte);

const heicBrands = new Set(['heic', 'heix', 'heim', 'heis', 'hevc', 'hevx', 'mif1', 'msf1']);
const avifBrands = new Set(['avif', 'avis']);

/** Recognises the formats we store and names the common ones we refuse, from magic numbers only. */
export function sniffFormat(head: Uint8Array, fileSize = Infinity): SniffedFormat {
  if (startsWith(head, [0xff, 0xd8, 0xff])) return { supported: true, mime: 'image/jpeg' };
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return { supported: true, mime: 'image/png' };
  if (ascii(head, 0, 6) === 'GIF87a' || ascii(head, 0, 6) === 'GIF89a') return { supported: true, mime: 'image/gif' };
  if (ascii(head, 0, 4) === 'RIFF' && ascii(head, 8, 4) === 'WEBP') return { supported: true, mime: 'image/webp' };
  if (ascii(head, 4, 4) === 'ftyp') {
    const major = ascii(head, 8, 4);
    if (heicBrands.has(major)) return { supported: false, format: 'HEIC' };
    if (avifBrands.has(major)) return { supported: false, format: 'AVIF' };
    if (major === 'qt  ') return { supported: true, mime: 'video/quicktime' };
    if (major.startsWith('3g')) return { supported: false, format: '3GP' };
    return { supported: true, mime: 'video/mp4' };
  }
  // Old QuickTime files may open with moov or mdat instead of ftyp; the size must fit the file, so text is not taken for one.
  const firstBoxSize = head.length >= 8 ? new DataView(head.buffer, head.byteOffset, 8).getUint32(0) : 0;
  if (['moov', 'mdat'].includes(ascii(head, 4, 4)) && firstBoxSize >= 8 && firstBoxSize <= fileSize) {
    return { supported: true, mime: 'video/quicktime' };
  }
  if (ascii(head, 0, 2) === 'BM') return { supported: false, format: 'BMP' };
  if (startsWith(head, [0x49, 0x49, 0x2a, 0x00]) || startsWith(head, [0x4d, 0x4d, 0x00, 0x2a])) return { supported: false, format: 'TIFF' };
  if (ascii(head, 0, 4) === '8BPS') return { supported: false, format: 'PSD' };
  if (ascii(head, 0, 4) === '%PDF') return { supported: false, format: 'PDF' };
  if (startsWith(head, [0x00, 0x00, 0x00, 0x0c, 0x6a, 0x50, 0x20, 0x20])) return { supported: false, format: 'JPEG 2000' };
  if (startsWith(head, [0xff, 0x0a]) || startsWith(head, [0x00, 0x00, 0x00, 0x0c, 0x4a, 0x58, 0x4c, 0x20])) return { supported: false, format: 'JPEG XL' };
  if (startsWith(head, [0x1a, 0x45, 0xdf, 0xa3])) {
    // The EBML header's DocType (element 0x4282) tells WebM from other Matroska files.
    return ascii(head, 0, Math.min(head.length, 64)).includes('webm') ? { supported: true, mime: 'video/webm' } : { supported: false, format: 'MKV' };
  }
  if (ascii(head, 0, 4) === 'RIFF' && ascii(head, 8, 4) === 'AVI ') return { supported: false, format: 'AVI' };
  if (startsWith(head, [0x00, 0x00, 0x01, 0x00])) return { supported: false, format: 'ICO' };
  const text = new TextDecoder('utf-8', { fatal: false }).decode(head).replace(/^\uFEFF/, '').trimStart().toLowerCase();
  if (text.startsWith('<svg') || (text.startsWith('<?xml') && text.includes('<svg'))) return { supported: false, format: 'SVG' };
  return { supported: false, format: null };
}
