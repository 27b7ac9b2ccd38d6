import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findGpsIfd, stripJpegLocation } from '../../../main/services/media/location';
import { MediaLibrary } from '../../../main/services/media/media-library';
import { Mp4Error, parseMoov, readMp4Info } from '../../../main/services/media/mp4';
import type { PublishFile } from '../../../main/services/media/publish';
import { openDatabase, type Db } from '../../../main/services/store/database';
import { FakeClock, makeTempDir } from '../support/backend';
import { mp4Bytes, writeJpegWithGps, writeMp4, writeWithGps } from './fixtures';

let data: ReturnType<typeof makeTempDir>;
let inbox: ReturnType<typeof makeTempDir>;
let db: Db;
let library: MediaLibrary;

beforeEach(() => {
  data = makeTempDir('outpost-publish-data-');
  inbox = makeTempDir('outpost-publish-inbox-');
  db = openDatabase(join(data.path, 'outpost.db'));
  library = new MediaLibrary({ db, dataDir: data.path, clock: new FakeClock() });
});

afterEach(() => {
  db.close();
  data.remove();
  inbox.remove();
});

async function importPath(path: string): Promise<string> {
  const outcome = await library.importOne({ path });
  if (!outcome.ok) throw new Error(outcome.message);
  return outcome.media.id;
}

async function gpsIn(bytes: Buffer): Promise<boolean> {
  const { exif } = await sharp(bytes).metadata();
  if (!exif) return false;
  return findGpsIfd(exif.toString('latin1', 0, 6) === 'Exif\0\0' ? exif.subarray(6) : exif) !== null;
}

const rawPixels = (bytes: Buffer) => sharp(bytes).raw().toBuffer();

function image(file: PublishFile) {
  if (file.kind !== 'image') throw new Error('expected an image');
  return file;
}

async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

describe('mediaForPublish: location removed when the project asks', () => {
  it('removes GPS from a JPEG losslessly: same pixels, other EXIF kept, original untouched', async () => {
    const path = await writeJpegWithGps(inbox.path, 'phone.jpg');
    const original = readFileSync(path);
    expect(await gpsIn(original)).toBe(true);
    const id = await importPath(path);

    const file = image(await library.mediaForPublish(id, { stripLocation: true }));
    expect(file.reencoded).toBe(false);
    expect(file.mime).toBe('image/jpeg');
    expect(await gpsIn(file.data)).toBe(false);
    expect((await rawPixels(file.data)).equals(await rawPixels(original))).toBe(true);
    expect((await sharp(file.data).metadata()).exif?.includes(Buffer.from('Outpost Test'))).toBe(true);
    // The library's copy still has it: the setting may change, and it is the user's file.
    const media = (await library.mediaForPublish(id, { stripLocation: false })) as { data: Buffer; media: { sha256: string } };
    expect(media.data.equals(original)).toBe(true);
    expect(await gpsIn(readFileSync(library.contentPath(media.media.sha256)))).toBe(true);
  });

  it.each(['png', 'webp'] as const)('removes GPS from a %s without re-encoding', async (format) => {
    const path = await writeWithGps(inbox.path, `pic.${format}`, format);
    expect(await gpsIn(readFileSync(path))).toBe(true);
    const file = image(await library.mediaForPublish(await importPath(path), { stripLocation: true }));
    expect(file.reencoded).toBe(false);
    expect(await gpsIn(file.data)).toBe(false);
    expect((await rawPixels(file.data)).equals(await rawPixels(readFileSync(path)))).toBe(true);
  });

  it('drops an XMP packet that carries GPS', () => {
    const xmp = Buffer.from('http://ns.adobe.com/xap/1.0/\0<x:xmpmeta><rdf:Description exif:GPSLatitude="52,31.2N"/></x:xmpmeta>', 'latin1');
    const segment = Buffer.concat([Buffer.from([0xff, 0xe1, (xmp.length + 2) >> 8, (xmp.length + 2) & 255]), xmp]);
    const jpeg = Buffer.concat([Buffer.from([0xff, 0xd8]), segment, Buffer.from([0xff, 0xda, 0, 2, 1, 2, 3, 0xff, 0xd9])]);
    const out = Buffer.from(stripJpegLocation(jpeg) as Uint8Array);
    expect(out.includes(Buffer.from('GPSLatitude'))).toBe(false);
    expect(out.equals(Buffer.from([0xff, 0xd8, 0xff, 0xda, 0, 2, 1, 2, 3, 0xff, 0xd9]))).toBe(true);
  });

  it('re-encodes (and says so) when the EXIF cannot be edited in place', async () => {
    const path = await writeJpegWithGps(inbox.path, 'odd.jpg');
    const bytes = readFileSync(path);
    // Break IFD0's entry count so the in-place edit gives up; the GPS must still not go out.
    const tiff = bytes.indexOf(Buffer.from('Exif\0\0')) + 6;
    const little = bytes.toString('latin1', tiff, tiff + 2) === 'II';
    const ifd0 = tiff + (little ? bytes.readUInt32LE(tiff + 4) : bytes.readUInt32BE(tiff + 4));
    if (little) bytes.writeUInt16LE(0xfff0, ifd0);
    else bytes.writeUInt16BE(0xfff0, ifd0);
    writeFileSync(path, bytes);
    const id = await importPath(path);
    const file = image(await library.mediaForPublish(id, { stripLocation: true }));
    expect(file.reencoded).toBe(true);
    expect((await sharp(file.data).metadata()).exif).toBeUndefined();
  });

  it('hides a video’s location boxes as it streams, keeping every offset', async () => {
    const path = writeMp4(inbox.path, 'walk.mp4', { location: true });
    const id = await importPath(path);
    const stripped = await library.mediaForPublish(id, { stripLocation: true });
    if (stripped.kind !== 'video') throw new Error('expected a video');
    const bytes = await readAll(stripped.open());
    const original = readFileSync(path);
    expect(bytes.length).toBe(original.length);
    expect(original.includes(Buffer.from('udta'))).toBe(true);
    expect(bytes.includes(Buffer.from('udta'))).toBe(false);
    expect(readMp4Info((o, n) => bytes.subarray(o, o + n), bytes.length)).toMatchObject({ durationMs: 12_500, locationBoxTypeOffsets: [] });
    const kept = await library.mediaForPublish(id, { stripLocation: false });
    if (kept.kind !== 'video') throw new Error('expected a video');
    expect((await readAll(kept.open())).equals(original)).toBe(true);
  });
});

describe('MP4 boxes', () => {
  const info = (bytes: Buffer) => readMp4Info((offset, length) => bytes.subarray(offset, offset + length), bytes.length);

  it('reads duration and size with moov first or last', () => {
    expect(info(mp4Bytes({ width: 1280, height: 720, durationMs: 61_000 }))).toMatchObject({ width: 1280, height: 720, durationMs: 61_000 });
    expect(info(mp4Bytes({ moovLast: true, durationMs: 5 }))).toMatchObject({ width: 1920, height: 1080, durationMs: 5 });
  });

  it('swaps width and height for a track turned 90°', () => {
    expect(info(mp4Bytes({ rotate90: true }))).toMatchObject({ width: 1080, height: 1920 });
  });

  it('finds location boxes by their absolute offset', () => {
    const bytes = mp4Bytes({ location: true, moovLast: true });
    const [offset] = info(bytes).locationBoxTypeOffsets;
    expect(bytes.toString('latin1', offset, (offset ?? 0) + 4)).toBe('udta');
  });

  it('refuses a cut-off file, a file without moov and a moov without a video track', () => {
    const whole = mp4Bytes();
    expect(() => info(whole.subarray(0, whole.length - 10))).toThrow(Mp4Error);
    expect(() => info(Buffer.concat([whole.subarray(0, 32), Buffer.from([0, 0, 0, 8, 0x6d, 0x64, 0x61, 0x74])]))).toThrow(/moov/);
    const noTrack = Buffer.from([0, 0, 0, 8, 0x6d, 0x6f, 0x6f, 0x76]);
    expect(parseMoov(noTrack)).toMatchObject({ width: null, height: null, durationMs: null });
  });
});
