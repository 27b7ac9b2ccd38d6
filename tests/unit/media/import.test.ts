import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ImportOutcome } from '../../../main/core/contract';
import { MAX_VIDEO_BYTES } from '../../../main/core/media';
import { MediaLibrary } from '../../../main/services/media/media-library';
import { openDatabase, type Db } from '../../../main/services/store/database';
import { FakeClock, makeTempDir } from '../support/backend';
import {
  mp4Bytes,
  writeImage,
  writeJpeg,
  writeMp4,
  writePngBomb,
  writeSidewaysJpeg,
  writeSparse,
  writeTruncatedJpeg,
} from './fixtures';

let data: ReturnType<typeof makeTempDir>;
let inbox: ReturnType<typeof makeTempDir>;
let db: Db;
let library: MediaLibrary;
let logged: unknown[];

function openLibrary(beforeInsert?: (sha: string) => void): MediaLibrary {
  return new MediaLibrary({ db, dataDir: data.path, clock: new FakeClock(), log: (e) => logged.push(e), ...(beforeInsert ? { beforeInsert } : {}) });
}

beforeEach(() => {
  data = makeTempDir('outpost-media-data-');
  inbox = makeTempDir('outpost-media-inbox-');
  db = openDatabase(join(data.path, 'outpost.db'));
  logged = [];
  library = openLibrary();
});

afterEach(() => {
  db.close();
  data.remove();
  inbox.remove();
});

/** Every file under the media folder, relative, work folders included. */
function filesOnDisk(): string[] {
  const root = join(data.path, 'media');
  const out: string[] = [];
  const walk = (dir: string, prefix: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) walk(join(dir, entry.name), `${prefix}${entry.name}/`);
      else out.push(`${prefix}${entry.name}`);
    }
  };
  walk(root, '');
  return out.sort();
}

const rowCount = () => (db.prepare('SELECT count(*) AS n FROM media').get() as { n: number }).n;

function refused(outcome: ImportOutcome | undefined) {
  if (!outcome || outcome.ok) throw new Error(`expected a refusal, got ${JSON.stringify(outcome)}`);
  return outcome;
}

function accepted(outcome: ImportOutcome | undefined) {
  if (!outcome || !outcome.ok) throw new Error(`expected an import, got ${JSON.stringify(outcome)}`);
  return outcome;
}

describe('importing good files', () => {
  it('stores a JPEG under its sha256 with a WebP thumbnail and its metadata', async () => {
    const path = await writeJpeg(inbox.path, 'Beach day.jpg', 640, 480);
    const outcome = accepted(await library.importOne({ path }));
    const { media } = outcome;
    expect(outcome).toMatchObject({ fileName: 'Beach day.jpg', duplicate: false });
    expect(media).toMatchObject({ kind: 'image', mime: 'image/jpeg', width: 640, height: 480, durationMs: null, altText: '', usageCount: 0 });
    expect(media.bytes).toBe(readFileSync(path).length);
    const stored = library.contentPath(media.sha256);
    expect(readFileSync(stored).equals(readFileSync(path))).toBe(true);
    const thumb = await sharp(library.thumbnailPath(media.sha256)).metadata();
    expect(thumb).toMatchObject({ format: 'webp', width: 320, height: 240 });
    expect(filesOnDisk()).toEqual([`${media.sha256.slice(0, 2)}/${media.sha256}`, `thumbs/${media.sha256}.webp`]);
  });

  it('stores the same file once and reports the second import as already in the library', async () => {
    const first = await writeJpeg(inbox.path, 'one.jpg');
    const copy = join(inbox.path, 'copy of one.jpg');
    writeFileSync(copy, readFileSync(first));
    const a = accepted(await library.importOne({ path: first }));
    const b = accepted(await library.importOne({ path: copy }));
    expect(b.duplicate).toBe(true);
    expect(b.media.id).toBe(a.media.id);
    expect(b.fileName).toBe('copy of one.jpg');
    expect(rowCount()).toBe(1);
    expect(filesOnDisk()).toHaveLength(2);
  });

  it('two imports of the same bytes at once still make one row', async () => {
    const path = await writeJpeg(inbox.path, 'same.jpg');
    const [a, b] = await library.importMany([{ path }, { path, fileName: 'again.jpg' }], 2);
    expect([accepted(a).duplicate, accepted(b).duplicate].sort()).toEqual([false, true]);
    expect(rowCount()).toBe(1);
  });

  it('honours EXIF orientation: a sideways JPEG reports upright size and gets an upright thumbnail', async () => {
    const path = await writeSidewaysJpeg(inbox.path, 'portrait.jpg');
    expect(await sharp(path).metadata()).toMatchObject({ width: 400, height: 200, orientation: 6 });
    const { media } = accepted(await library.importOne({ path }));
    expect([media.width, media.height]).toEqual([200, 400]);
    const { data: pixels, info } = await sharp(library.thumbnailPath(media.sha256)).raw().toBuffer({ resolveWithObject: true });
    expect([info.width, info.height]).toEqual([160, 320]);
    const at = (x: number, y: number) => [...pixels.subarray((y * info.width + x) * info.channels, (y * info.width + x) * info.channels + 3)];
    const [topR, , topB] = at(80, 20);
    const [bottomR, , bottomB] = at(80, 300);
    // Rotated 90° clockwise, the red left half is on top and the blue right half below.
    expect(topR).toBeGreaterThan(180);
    expect(topB).toBeLessThan(60);
    expect(bottomB).toBeGreaterThan(180);
    expect(bottomR).toBeLessThan(60);
  });

  it.each(['png', 'webp', 'gif'] as const)('imports a %s image', async (format) => {
    const path = await writeImage(inbox.path, `picture.${format}`, format);
    const { media } = accepted(await library.importOne({ path }));
    expect(media).toMatchObject({ mime: `image/${format}`, width: 32, height: 24 });
    expect(existsSync(library.thumbnailPath(media.sha256))).toBe(true);
  });

  it('imports an MP4 with its duration and size, upright, and makes no thumbnail', async () => {
    const path = writeMp4(inbox.path, 'clip.mp4', { width: 1920, height: 1080, durationMs: 12_500, rotate90: true, moovLast: true });
    const { media } = accepted(await library.importOne({ path }));
    expect(media).toMatchObject({ kind: 'video', mime: 'video/mp4', width: 1080, height: 1920, durationMs: 12_500 });
    expect(existsSync(library.thumbnailPath(media.sha256))).toBe(false);
  });

  it('imports a MOV (QuickTime brand)', async () => {
    const bytes = mp4Bytes({ width: 1280, height: 720, durationMs: 3000 });
    bytes.write('qt  ', 8, 'latin1');
    const path = join(inbox.path, 'clip.MOV');
    writeFileSync(path, bytes);
    expect(accepted(await library.importOne({ path })).media).toMatchObject({ mime: 'video/quicktime', width: 1280, height: 720, durationMs: 3000 });
  });

  it('takes an upload by id and moves it into the library', async () => {
    const jpeg = readFileSync(await writeJpeg(inbox.path, 'up.jpg'));
    const upload = await library.receiveUpload(Readable.from([jpeg.subarray(0, 100), jpeg.subarray(100)]), jpeg.length);
    if (!upload.ok) throw new Error(upload.message);
    const outcome = accepted(await library.importOne({ uploadId: upload.uploadId, fileName: 'up.jpg' }));
    expect(outcome.media.fileName).toBe('up.jpg');
    expect(readdirSync(join(data.path, 'media', '.uploads'))).toEqual([]);
    const again = refused(await library.importOne({ uploadId: upload.uploadId, fileName: 'up.jpg' }));
    expect(again.reason).toBe('upload_missing');
  });

  it('refuses an upload larger than the limit from its declared length, before reading it', async () => {
    const never = new Readable({
      read() {
        throw new Error('the body must not be read');
      },
    });
    expect(await library.receiveUpload(never, MAX_VIDEO_BYTES + 1)).toMatchObject({ ok: false, reason: 'too_large' });
  });
});

describe('refusing bad files, each with its own reason', () => {
  it('a truncated JPEG', async () => {
    const outcome = refused(await library.importOne({ path: await writeTruncatedJpeg(inbox.path, 'half.jpg') }));
    expect(outcome).toMatchObject({ fileName: 'half.jpg', reason: 'image_corrupt' });
    expect(outcome.message).toMatch(/premature end|truncat|damaged/i);
  });

  it('a text file renamed to .jpg', async () => {
    const path = join(inbox.path, 'notes.jpg');
    writeFileSync(path, 'Shopping list: eggs, flour, sugar\n');
    expect(refused(await library.importOne({ path }))).toMatchObject({ fileName: 'notes.jpg', reason: 'not_media' });
  });

  it('a 0-byte file', async () => {
    const path = join(inbox.path, 'empty.png');
    writeFileSync(path, '');
    expect(refused(await library.importOne({ path }))).toMatchObject({ fileName: 'empty.png', reason: 'empty_file' });
  });

  it.each([
    ['BMP', 'scan.bmp', () => Buffer.concat([Buffer.from('BM'), Buffer.alloc(60)])],
    ['PSD', 'layers.psd', () => Buffer.concat([Buffer.from('8BPS'), Buffer.alloc(60)])],
    ['SVG', 'logo.svg', () => Buffer.from('<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>')],
    ['HEIC', 'IMG_0001.HEIC', () => Buffer.concat([Buffer.from([0, 0, 0, 24]), Buffer.from('ftypheic'), Buffer.alloc(60)])],
  ])('an unsupported format: %s', async (format, name, bytes) => {
    const path = join(inbox.path, name);
    writeFileSync(path, bytes());
    expect(refused(await library.importOne({ path }))).toMatchObject({ fileName: name, reason: 'unsupported_format', details: { format } });
  });

  it('an unsupported format: TIFF (a real one)', async () => {
    const path = await writeImage(inbox.path, 'print.tif', 'tiff');
    expect(refused(await library.importOne({ path }))).toMatchObject({ reason: 'unsupported_format', details: { format: 'TIFF' } });
  });

  it('a decompression bomb: a small PNG declaring 30,000 × 30,000 pixels', async () => {
    const path = writePngBomb(inbox.path, 'bomb.png');
    expect(readFileSync(path).length).toBeLessThan(200_000);
    const started = performance.now();
    const outcome = refused(await library.importOne({ path }));
    expect(outcome).toMatchObject({ fileName: 'bomb.png', reason: 'too_many_pixels', details: { width: 30_000, height: 30_000, limit: 200 } });
    // Refused from the header: decoding 900 megapixels would take far longer.
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('a multi-gigabyte video, by its size alone, before reading a byte', async () => {
    const head = mp4Bytes().subarray(0, 64);
    const path = writeSparse(inbox.path, 'holiday 4K.mp4', 3 * 1024 ** 3, head);
    const started = performance.now();
    const outcome = refused(await library.importOne({ path }));
    expect(outcome).toMatchObject({ fileName: 'holiday 4K.mp4', reason: 'too_large', details: { bytes: 3 * 1024 ** 3, limit: MAX_VIDEO_BYTES } });
    // Hashing 3 GB takes seconds; a stat takes microseconds.
    expect(performance.now() - started).toBeLessThan(300);
    expect(readdirSync(join(data.path, 'media', '.tmp'))).toEqual([]);
  });

  it('a video whose movie header is missing (recording cut off)', async () => {
    const whole = mp4Bytes({ moovLast: true });
    const path = join(inbox.path, 'cut.mp4');
    writeFileSync(path, whole.subarray(0, whole.length - 200));
    expect(refused(await library.importOne({ path }))).toMatchObject({ reason: 'video_unreadable' });
  });

  it('a file that is not there', async () => {
    expect(refused(await library.importOne({ path: join(inbox.path, 'gone.jpg') }))).toMatchObject({ fileName: 'gone.jpg', reason: 'file_unreadable' });
  });

  it('leaves nothing behind for any refused file', async () => {
    await library.importOne({ path: await writeTruncatedJpeg(inbox.path, 'half.jpg') });
    await library.importOne({ path: writePngBomb(inbox.path, 'bomb.png', 20_000) });
    expect(filesOnDisk()).toEqual([]);
    expect(rowCount()).toBe(0);
    expect(logged).toEqual([]);
  });
});

describe('many files at once', () => {
  it('imports each on its own: good ones land, bad ones are listed, in the order given', async () => {
    const good1 = await writeJpeg(inbox.path, 'a.jpg', 64, 48, 1);
    const bad1 = join(inbox.path, 'b.jpg');
    writeFileSync(bad1, 'not an image');
    const good2 = await writeImage(inbox.path, 'c.png', 'png');
    const bad2 = await writeTruncatedJpeg(inbox.path, 'd.jpg');
    const good3 = writeMp4(inbox.path, 'e.mp4');
    const outcomes = await library.importMany([good1, bad1, good2, bad2, good3].map((path) => ({ path })));
    expect(outcomes.map((o) => [o.fileName, o.ok ? 'ok' : o.reason])).toEqual([
      ['a.jpg', 'ok'],
      ['b.jpg', 'not_media'],
      ['c.png', 'ok'],
      ['d.jpg', 'image_corrupt'],
      ['e.mp4', 'ok'],
    ]);
    expect(rowCount()).toBe(3);
  });
});

describe('crash safety', () => {
  it('a failure between writing the file and inserting its row leaves neither', async () => {
    library = openLibrary(() => {
      throw new Error('simulated crash before the row');
    });
    const outcome = refused(await library.importOne({ path: await writeJpeg(inbox.path, 'x.jpg') }));
    expect(outcome.reason).toBe('not_saved');
    expect(rowCount()).toBe(0);
    expect(filesOnDisk()).toEqual([]);
  });

  it('a failing insert (the database refuses the row) leaves no file either', async () => {
    db.exec("CREATE TEMP TRIGGER refuse_media BEFORE INSERT ON media BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END;");
    refused(await library.importOne({ path: await writeJpeg(inbox.path, 'y.jpg') }));
    expect(rowCount()).toBe(0);
    expect(filesOnDisk()).toEqual([]);
  });

  it('the start-up sweep removes the app\'s own work files and moves an original without a row to the quarantine', async () => {
    const kept = accepted(await library.importOne({ path: await writeJpeg(inbox.path, 'kept.jpg') })).media;
    const orphan = 'ab'.padEnd(64, '0');
    mkdirSync(join(data.path, 'media', 'ab'), { recursive: true });
    writeFileSync(join(data.path, 'media', 'ab', orphan), 'half-imported');
    writeFileSync(join(data.path, 'media', 'thumbs', `${orphan}.webp`), 'thumb');
    writeFileSync(join(data.path, 'media', '.tmp', 'partial'), 'partial copy');
    writeFileSync(join(data.path, 'media', '.uploads', '0b8f3a51-1111-4222-8333-944455556666'), 'unclaimed upload');

    const reopened = openLibrary();
    const result = reopened.sweep();
    expect(result).toEqual({ removed: 3, quarantined: 1, expired: 0, missing: 0 });
    expect(filesOnDisk()).toEqual([`${kept.sha256.slice(0, 2)}/${kept.sha256}`, `thumbs/${kept.sha256}.webp`]);
    expect(readFileSync(join(data.path, 'quarantine', orphan), 'utf8')).toBe('half-imported');
    expect(reopened.listQuarantine().map((q) => q.id)).toEqual([orphan]);
  });
});
