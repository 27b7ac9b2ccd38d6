/**
 * Duration, size and location boxes of an MP4/MOV file, from its boxes alone (ISO/IEC 14496-12
 * and QuickTime): moov/mvhd for the duration, the video trak's tkhd for size and rotation.
 * No decoder and no I/O here: the caller hands in a reader, so a multi-GB file is never loaded.
 */

export interface Mp4Info {
  durationMs: number | null;
  /** Upright size: the track matrix's 90°/270° rotation already applied. */
  width: number | null;
  height: number | null;
  /** The video track's sample entry type (avc1, hvc1, mp4v…), which names its codec; null without one. */
  videoCodec: string | null;
  /**
   * Absolute offsets of the type field of boxes holding location (udta with ©xyz, meta with
   * an ISO 6709 key); writing `free` there hides them without moving a byte.
   */
  locationBoxTypeOffsets: number[];
}

export class Mp4Error extends Error {
  override name = 'Mp4Error';
}

/** Reads `length` bytes at `offset`; may return fewer at the end of the file. */
export type ReadAt = (offset: number, length: number) => Uint8Array;

/** A moov larger than this is not a phone or camera file; refusing it keeps memory bounded. */
export const MAX_MOOV_BYTES = 64 * 1024 * 1024;

interface Box {
  type: string;
  /** Offset of the box's first byte, relative to the buffer it was read from. */
  start: number;
  /** Offset of its payload. */
  body: number;
  /** Offset just past its end. */
  end: number;
}

const fourcc = (bytes: Uint8Array, at: number) => String.fromCharCode(bytes[at] ?? 0, bytes[at + 1] ?? 0, bytes[at + 2] ?? 0, bytes[at + 3] ?? 0);

function view(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** The header at `at`, sizes resolved (64-bit largesize, 0 = to the end); null if it does not fit. */
function boxAt(bytes: Uint8Array, at: number, limit: number): Box | null {
  if (at + 8 > limit) return null;
  const dv = view(bytes);
  let size = dv.getUint32(at);
  let body = at + 8;
  if (size === 1) {
    if (at + 16 > limit) return null;
    size = Number(dv.getBigUint64(at + 8));
    body = at + 16;
  } else if (size === 0) {
    size = limit - at;
  }
  if (size < body - at || at + size > limit) return null;
  return { type: fourcc(bytes, at + 4), start: at, body, end: at + size };
}

function children(bytes: Uint8Array, from: number, to: number): Box[] {
  const boxes: Box[] = [];
  let at = from;
  while (at + 8 <= to) {
    const box = boxAt(bytes, at, to);
    if (!box) break;
    boxes.push(box);
    at = box.end;
  }
  return boxes;
}

const child = (bytes: Uint8Array, parent: Box, type: string) => children(bytes, parent.body, parent.end).find((b) => b.type === type);

function fixed16(dv: DataView, at: number): number {
  return dv.getInt32(at) / 65536;
}

interface Track {
  handler: string;
  width: number;
  height: number;
  rotated: boolean;
  codec: string | null;
}

function readTrack(bytes: Uint8Array, trak: Box): Track | null {
  const dv = view(bytes);
  const tkhd = child(bytes, trak, 'tkhd');
  const mdia = child(bytes, trak, 'mdia');
  const hdlr = mdia && child(bytes, mdia, 'hdlr');
  if (!tkhd || !hdlr || hdlr.body + 12 > hdlr.end) return null;
  const handler = fourcc(bytes, hdlr.body + 8);
  const version = bytes[tkhd.body] ?? 0;
  // version/flags, times, track id, reserved, duration; then reserved, layer, group, volume, reserved.
  const matrixAt = tkhd.body + 4 + (version === 1 ? 32 : 20) + 16;
  if (matrixAt + 44 > tkhd.end) return null;
  const a = fixed16(dv, matrixAt);
  const b = fixed16(dv, matrixAt + 4);
  let width = Math.round(fixed16(dv, matrixAt + 36));
  let height = Math.round(fixed16(dv, matrixAt + 40));
  const stsd = ['minf', 'stbl', 'stsd'].reduce<Box | undefined>((box, type) => box && child(bytes, box, type), mdia);
  const entry = stsd && stsd.body + 8 + 36 <= stsd.end ? stsd.body + 8 : undefined;
  if (handler === 'vide' && (width === 0 || height === 0) && entry !== undefined) {
    // Some muxers leave tkhd's size at 0; the sample description has the coded size.
    width = dv.getUint16(entry + 32);
    height = dv.getUint16(entry + 34);
  }
  const codec = entry !== undefined ? fourcc(bytes, entry + 4) : null;
  return { handler, width, height, codec, rotated: Math.abs(a) < 0.01 && Math.abs(Math.abs(b) - 1) < 0.01 };
}

function readDurationMs(bytes: Uint8Array, mvhd: Box | undefined): number | null {
  if (!mvhd) return null;
  const dv = view(bytes);
  const version = bytes[mvhd.body] ?? 0;
  const at = mvhd.body + 4 + (version === 1 ? 16 : 8);
  if (at + (version === 1 ? 12 : 8) > mvhd.end) return null;
  const timescale = dv.getUint32(at);
  const duration = version === 1 ? Number(dv.getBigUint64(at + 4)) : dv.getUint32(at + 4);
  // All-ones means "unknown" (fragmented files); 0 means the same in practice.
  if (timescale === 0 || duration === 0 || duration === 0xffffffff) return null;
  return Math.round((duration / timescale) * 1000);
}

function containsBytes(bytes: Uint8Array, from: number, to: number, needle: Uint8Array): boolean {
  outer: for (let i = from; i + needle.length <= to; i++) {
    for (let j = 0; j < needle.length; j++) if (bytes[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}

const XYZ = new Uint8Array([0xa9, 0x78, 0x79, 0x7a]); // ©xyz
const ISO6709 = new TextEncoder().encode('location.ISO6709');

function holdsLocation(bytes: Uint8Array, box: Box): boolean {
  return containsBytes(bytes, box.body, box.end, XYZ) || containsBytes(bytes, box.body, box.end, ISO6709);
}

/** Reads the moov box's content; `moovStart` is its absolute offset in the file. */
export function parseMoov(moov: Uint8Array, moovStart = 0): Mp4Info {
  const root = boxAt(moov, 0, moov.length);
  if (!root || root.type !== 'moov') throw new Mp4Error('The movie header (moov) is malformed.');
  const top = children(moov, root.body, root.end);
  const tracks = top.filter((b) => b.type === 'trak');
  const video = tracks.map((t) => readTrack(moov, t)).find((t) => t?.handler === 'vide');
  const locationOffsets: number[] = [];
  for (const box of [...top, ...tracks.flatMap((t) => children(moov, t.body, t.end))]) {
    if ((box.type === 'udta' || box.type === 'meta') && holdsLocation(moov, box)) locationOffsets.push(moovStart + box.start + 4);
  }
  const width = video && video.width > 0 ? video.width : null;
  const height = video && video.height > 0 ? video.height : null;
  return {
    durationMs: readDurationMs(moov, top.find((b) => b.type === 'mvhd')),
    width: video?.rotated ? height : width,
    height: video?.rotated ? width : height,
    videoCodec: video?.codec ?? null,
    locationBoxTypeOffsets: locationOffsets,
  };
}

/**
 * Walks every top-level box with `read` (headers only, so a cut-off mdat is noticed wherever
 * moov sits), loads only moov, and parses it.
 */
export function readMp4Info(read: ReadAt, fileSize: number): Mp4Info {
  let at = 0;
  let sawMedia = false;
  let info: Mp4Info | undefined;
  while (at + 8 <= fileSize) {
    const head = read(at, 16);
    if (head.length < 8) break;
    const dv = view(head);
    let size = dv.getUint32(0);
    if (size === 1 && head.length >= 16) size = Number(dv.getBigUint64(8));
    else if (size === 0) size = fileSize - at;
    const type = fourcc(head, 4);
    if (size < 8 || at + size > fileSize) {
      throw new Mp4Error(`The ${JSON.stringify(type)} box at byte ${at} runs past the end of the file: it is truncated or not a video.`);
    }
    if (type === 'mdat') sawMedia = true;
    if (type === 'moov') {
      if (size > MAX_MOOV_BYTES) throw new Mp4Error(`The movie header is ${size} bytes, more than ${MAX_MOOV_BYTES}.`);
      const moov = read(at, size);
      if (moov.length < size) throw new Mp4Error('The movie header (moov) is cut short.');
      info = parseMoov(moov, at);
      if (info.width === null || info.height === null) throw new Mp4Error('The file has no video track.');
    }
    at += size;
  }
  if (info) {
    if (!sawMedia) throw new Mp4Error('The file has a movie header but no video data (mdat).');
    return info;
  }
  throw new Mp4Error(
    sawMedia
      ? 'The file has video data but no movie header (moov): it was cut short while recording or copying.'
      : 'No movie header (moov) was found.',
  );
}
