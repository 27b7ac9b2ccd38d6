import { withRangeReader } from '../files';
import { createHash, randomUUID } from 'node:crypto';
import {
  createReadStream,
  createWriteStream,
  existsSync,
  mkdirSync,
  readdirSync,
  rmSync,
  statSync,
} from 'node:fs';
import { open, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve, isAbsolute } from 'node:path';
import { pipeline } from 'node:stream/promises';
import sharp, { type Metadata } from 'sharp';
import type { ImportFailureReason, ImportOutcome, ImportSource, Media, QuarantineItem } from '../../core/contract';
import {
  kindOfMime,
  MAX_IMAGE_BYTES,
  MAX_IMAGE_PIXELS,
  MAX_VIDEO_BYTES,
  THUMBNAIL_EDGE,
  type MediaVariant,
} from '../../core/media';
import { ensurePrivateDir, makePrivate, PRIVATE_FILE_MODE } from '../data/data-folder';
import type { Clock } from '../ports';
import { Quarantine } from './quarantine';
import type { Db } from '../store/database';
import { allMediaShas, getMedia, getMediaBySha, getVideoCover, insertMedia, prepareMediaRepo, setMediaProject } from './media-repo';
import { readMp4Info, Mp4Error } from './mp4';
import { FilePathSource, Input, WEBM } from 'mediabunny';
import { codecOfSampleEntry, videoCodecs } from '../../core/video';
import { imageForPublish, videoForPublish, type PublishFile } from './publish';
import { SNIFF_BYTES, sniffFormat } from './sniff';

// libvips' operation cache can hold input files open, which blocks renaming and deleting them on Windows.
sharp.cache(false);

const SHA256 = /^[0-9a-f]{64}$/;
const UPLOAD_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A file refused for a reason the user can act on; becomes one entry of the import's outcome list. */
class Refusal extends Error {
  constructor(
    readonly reason: ImportFailureReason,
    message: string,
    readonly details?: Record<string, string | number>,
  ) {
    super(message);
  }
}

export interface MediaLibraryOptions {
  db: Db;
  dataDir: string;
  clock: Clock;
  log?: (error: unknown) => void;
  /** Test seam: runs after the file is in place and before its row is written. */
  beforeInsert?: (sha256: string) => void;
}

export interface ServedFile {
  path: string;
  mime: string;
  size: number;
}

/** Stays inside `root` after resolving `..` and separators; the last check before a path is opened. */
export function isInside(root: string, candidate: string): boolean {
  const rel = relative(resolve(root), resolve(candidate));
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
}

/** A file name safe to show and store: no folders, no control characters, at most 255 characters. */
export function cleanFileName(raw: string): string {
  // eslint-disable-next-line no-control-regex
  const name = basename(raw.replaceAll('\\', '/')).replace(/[\u0000-\u001f\u007f]/g, '').normalize('NFC').trim();
  return [...name].slice(0, 255).join('') || 'untitled';
}

async function fsyncPath(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } catch {
    // Some file systems (and directories on Windows) refuse fsync; the rename is still atomic.
  } finally {
    await handle.close();
  }
}

async function hashFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Copies `from` to a new file `to`, hashing on the way; the copy is on disk when this returns. */
async function copyHashing(from: string, to: string): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  await pipeline(
    createReadStream(from, { highWaterMark: 1 << 20 }),
    async function* (source: AsyncIterable<Buffer>) {
      for await (const chunk of source) {
        hash.update(chunk);
        bytes += chunk.length;
        yield chunk;
      }
    },
    createWriteStream(to, { flags: 'wx', mode: PRIVATE_FILE_MODE }),
  );
  await fsyncPath(to);
  return { sha256: hash.digest('hex'), bytes };
}

async function readHead(path: string, length: number): Promise<Uint8Array> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await handle.read(buffer, 0, length, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

function describeBytes(bytes: number): string {
  return bytes >= 1024 ** 3 ? `${(bytes / 1024 ** 3).toFixed(1)} GB` : `${(bytes / 1024 ** 2).toFixed(1)} MB`;
}

/**
 * The media library on disk: content-addressed originals under `<dataDir>/media/ab/<sha256>`,
 * WebP thumbnails under `media/thumbs/`, work files under `media/.tmp` and `media/.uploads`.
 * A file is complete on disk before its row exists; a row is deleted before its file, and the
 * startup sweep removes whatever a crash left without a row.
 */
export class MediaLibrary {
  readonly root: string;
  private readonly tmpDir: string;
  private readonly uploadDir: string;
  private readonly thumbDir: string;
  private readonly quarantine: Quarantine;
  private readonly db: Db;
  private readonly clock: Clock;
  private readonly log: (error: unknown) => void;
  private readonly beforeInsert: ((sha256: string) => void) | undefined;
  /** Imports past hashing, by content: the same bytes arriving twice at once wait for each other. */
  private readonly inFlight = new Map<string, Promise<unknown>>();

  constructor(options: MediaLibraryOptions) {
    this.db = options.db;
    this.clock = options.clock;
    this.log = options.log ?? console.error;
    this.beforeInsert = options.beforeInsert;
    this.root = join(resolve(options.dataDir), 'media');
    this.tmpDir = join(this.root, '.tmp');
    this.uploadDir = join(this.root, '.uploads');
    this.thumbDir = join(this.root, 'thumbs');
    for (const dir of [this.root, this.tmpDir, this.uploadDir, this.thumbDir]) ensurePrivateDir(dir);
    this.quarantine = new Quarantine(join(resolve(options.dataDir), 'quarantine'));
    prepareMediaRepo(this.db);
  }

  contentPath(sha256: string): string {
    return join(this.root, sha256.slice(0, 2), sha256);
  }

  thumbnailPath(sha256: string): string {
    return join(this.thumbDir, `${sha256}.webp`);
  }

  uploadPath(uploadId: string): string | undefined {
    return UPLOAD_ID.test(uploadId) ? join(this.uploadDir, uploadId) : undefined;
  }

  /**
   * Start-up tidying, run once before any import. Only the app's own work files (`.tmp`,
   * `.uploads`) and thumbnails without a row are removed; an original no row points to (a
   * crash mid-import, or a database lost or restored) is never deleted: it is moved to the
   * quarantine folder, kept 30 days, and can be restored into the library from Settings › Data.
   */
  sweep(): { removed: number; quarantined: number; expired: number; missing: number } {
    let removed = 0;
    const remove = (path: string) => {
      rmSync(path, { recursive: true, force: true });
      removed++;
    };
    for (const dir of [this.tmpDir, this.uploadDir]) for (const name of readdirSync(dir)) remove(join(dir, name));
    const known = allMediaShas(this.db);
    let quarantined = 0;
    for (const shard of readdirSync(this.root)) {
      if (!/^[0-9a-f]{2}$/.test(shard)) continue;
      const shardDir = join(this.root, shard);
      if (!statSync(shardDir).isDirectory()) continue;
      for (const name of readdirSync(shardDir)) {
        if (SHA256.test(name) && name.startsWith(shard) && known.has(name)) continue;
        this.quarantine.add(join(shardDir, name), name, this.clock.now());
        quarantined++;
      }
    }
    for (const name of readdirSync(this.thumbDir)) {
      const sha = name.replace(/\.webp$/, '');
      if (!name.endsWith('.webp') || !known.has(sha)) remove(join(this.thumbDir, name));
    }
    const expired = this.quarantine.purgeExpired(this.clock.now());
    let missing = 0;
    for (const sha of known) if (!existsSync(this.contentPath(sha))) missing++;
    return { removed, quarantined, expired, missing };
  }

  /** Files in the quarantine, newest first. */
  listQuarantine(): QuarantineItem[] {
    return this.quarantine.list();
  }

  /**
   * Imports quarantined files back into the library (as new library entries; their old names
   * and alt texts went with the lost rows) and takes them out of the quarantine.
   */
  async restoreQuarantined(ids: readonly string[]): Promise<{ restored: number; failed: { id: string; message: string }[] }> {
    let restored = 0;
    const failed: { id: string; message: string }[] = [];
    for (const id of ids) {
      const path = this.quarantine.pathOf(id);
      if (!path) {
        failed.push({ id, message: 'This file is no longer in the quarantine.' });
        continue;
      }
      const outcome = await this.importOne({ path, fileName: `recovered-${id.slice(0, 12)}` });
      if (outcome.ok) {
        this.quarantine.remove(id);
        restored++;
      } else {
        failed.push({ id, message: outcome.message });
      }
    }
    return { restored, failed };
  }

  /** Imports each file on its own, `concurrency` at a time, into `projectId`'s library (null: shared); the outcomes keep the order given. */
  async importMany(sources: readonly ImportSource[], concurrency = 2, projectId: string | null = null): Promise<ImportOutcome[]> {
    const outcomes: ImportOutcome[] = new Array(sources.length);
    let next = 0;
    const worker = async () => {
      while (next < sources.length) {
        const index = next++;
        outcomes[index] = await this.importOne(sources[index] as ImportSource, projectId);
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, sources.length) }, worker));
    return outcomes;
  }

  /**
   * Imports one file into `projectId`'s library (null: the shared one); never throws: a refusal or
   * failure comes back as an outcome naming the reason.
   */
  async importOne(source: ImportSource, projectId: string | null = null): Promise<ImportOutcome> {
    const fileName = cleanFileName(source.fileName ?? ('path' in source ? source.path : 'untitled'));
    const owned = 'uploadId' in source ? this.uploadPath(source.uploadId) : undefined;
    const work: string[] = [];
    let placed: string | undefined;
    let finish = () => {};
    try {
      if ('uploadId' in source && (!owned || !existsSync(owned))) {
        throw new Refusal('upload_missing', 'The uploaded file is no longer waiting to be imported; upload it again.');
      }
      const path = owned ?? ('path' in source ? source.path : '');
      const size = await this.checkSize(path);
      const head = await readHead(path, SNIFF_BYTES);
      const format = sniffFormat(head, size);
      if (!format.supported) {
        if (format.format) throw new Refusal('unsupported_format', `${format.format} files are not supported.`, { format: format.format });
        throw new Refusal('not_media', 'The file is not an image or video Outpost can read, whatever its name says.');
      }
      const mime = format.mime;
      if (kindOfMime(mime) === 'image' && size > MAX_IMAGE_BYTES) {
        throw new Refusal('too_large', `The image is ${describeBytes(size)}; images can be at most ${describeBytes(MAX_IMAGE_BYTES)}.`, {
          bytes: size,
          limit: MAX_IMAGE_BYTES,
        });
      }

      // Stage a private copy first, so what we inspect is exactly what we store.
      let staged: string;
      let sha256: string;
      let bytes: number;
      if (owned) {
        staged = owned;
        work.push(owned);
        sha256 = await hashFile(owned);
        bytes = size;
      } else {
        staged = join(this.tmpDir, randomUUID());
        work.push(staged);
        ({ sha256, bytes } = await copyHashing(path, staged));
      }

      for (let other = this.inFlight.get(sha256); other; other = this.inFlight.get(sha256)) await other.catch(() => {});
      const existing = getMediaBySha(this.db, sha256);
      if (existing) return this.duplicateOf(existing, fileName, projectId);
      let release = () => {};
      this.inFlight.set(sha256, new Promise<void>((done) => (release = done)));
      finish = () => {
        this.inFlight.delete(sha256);
        release();
      };

      let width: number | null;
      let height: number | null;
      let durationMs: number | null = null;
      let thumbnail: string | undefined;
      if (kindOfMime(mime) === 'image') {
        thumbnail = join(this.tmpDir, `${randomUUID()}.webp`);
        work.push(thumbnail);
        ({ width, height } = await this.inspectImage(staged, thumbnail));
      } else {
        ({ width, height, durationMs } = mime === 'video/webm' ? await inspectWebm(staged) : this.inspectVideo(staged, bytes));
      }

      const target = this.contentPath(sha256);
      mkdirSync(dirname(target), { recursive: true, mode: 0o700 });
      placed = sha256;
      if (thumbnail) {
        makePrivate(thumbnail);
        await fsyncPath(thumbnail);
        await rename(thumbnail, this.thumbnailPath(sha256));
      }
      await rename(staged, target);
      await fsyncPath(dirname(target));

      this.beforeInsert?.(sha256);
      const id = randomUUID();
      insertMedia(this.db, { id, sha256, mime, bytes, width, height, durationMs, fileName, now: this.clock.now(), projectId });
      placed = undefined;
      return { ok: true, fileName, media: getMedia(this.db, id) as Media, duplicate: false };
    } catch (error) {
      if (placed) this.removeUnclaimed(placed);
      if (error instanceof Refusal) {
        return { ok: false, fileName, reason: error.reason, message: error.message, ...(error.details ? { details: error.details } : {}) };
      }
      // Two imports of the same bytes at once: the other one's row won, which makes this one a duplicate.
      const winner = placed && isUniqueViolation(error) ? getMediaBySha(this.db, placed) : undefined;
      if (winner) return this.duplicateOf(winner, fileName, projectId);
      return this.unexpected(fileName, error);
    } finally {
      for (const path of work) await rm(path, { force: true });
      finish();
    }
  }

  /** The library keeps one copy of each file: one wanted by a second project (or for everyone) becomes shared. */
  private duplicateOf(existing: Media, fileName: string, projectId: string | null): ImportOutcome {
    if (existing.projectId === null || existing.projectId === projectId) return { ok: true, fileName, media: existing, duplicate: true };
    setMediaProject(this.db, existing.id, null);
    return { ok: true, fileName, media: { ...existing, projectId: null }, duplicate: true, movedToShared: true };
  }

  private unexpected(fileName: string, error: unknown): ImportOutcome {
    const code = (error as { code?: unknown } | null)?.code;
    if (code === 'ENOSPC' || code === 'SQLITE_FULL') {
      return { ok: false, fileName, reason: 'storage_full', message: 'The disk is full, so the file was not imported.' };
    }
    this.log(error);
    return { ok: false, fileName, reason: 'not_saved', message: `The file could not be saved: ${String((error as Error)?.message ?? error)}` };
  }

  /** Deletes the original and thumbnail of `sha256` unless a row points to them. */
  removeUnclaimed(sha256: string): void {
    if (getMediaBySha(this.db, sha256)) return;
    rmSync(this.contentPath(sha256), { force: true });
    rmSync(this.thumbnailPath(sha256), { force: true });
  }

  /** Stat only: a multi-GB file is refused before a byte of it is read. */
  private async checkSize(path: string): Promise<number> {
    let info;
    try {
      info = await stat(path);
    } catch (error) {
      const code = (error as { code?: string }).code;
      throw new Refusal(
        'file_unreadable',
        code === 'ENOENT' ? 'The file no longer exists at that place.' : `The file cannot be read (${code ?? 'unknown error'}).`,
        code ? { code } : undefined,
      );
    }
    if (!info.isFile()) throw new Refusal('file_unreadable', 'That is a folder or a device, not a file.');
    if (info.size === 0) throw new Refusal('empty_file', 'The file is empty (0 bytes).');
    if (info.size > MAX_VIDEO_BYTES) {
      throw new Refusal('too_large', `The file is ${describeBytes(info.size)}; files can be at most ${describeBytes(MAX_VIDEO_BYTES)}.`, {
        bytes: info.size,
        limit: MAX_VIDEO_BYTES,
      });
    }
    return info.size;
  }

  /** Upright size (EXIF orientation applied) and a WebP thumbnail; decodes every pixel, so a truncated file is caught here. */
  private async inspectImage(path: string, thumbnail: string): Promise<{ width: number; height: number }> {
    const options = { limitInputPixels: MAX_IMAGE_PIXELS, failOn: 'error' } as const;
    let metadata: Metadata;
    try {
      // Reading the header decodes no pixels, so it may look at any size; the limit guards decoding below.
      metadata = await sharp(path, { ...options, limitInputPixels: false }).metadata();
    } catch (error) {
      throw new Refusal('image_corrupt', `The image cannot be read: ${(error as Error).message}`);
    }
    const pixels = metadata.width * (metadata.pageHeight ?? metadata.height);
    if (pixels > MAX_IMAGE_PIXELS) {
      throw new Refusal(
        'too_many_pixels',
        `The image declares ${metadata.width} × ${metadata.height} pixels; at most ${MAX_IMAGE_PIXELS / 1e6} megapixels are accepted.`,
        { width: metadata.width, height: metadata.height, limit: MAX_IMAGE_PIXELS / 1e6 },
      );
    }
    try {
      await sharp(path, options)
        .rotate()
        .resize(THUMBNAIL_EDGE, THUMBNAIL_EDGE, { fit: 'inside', withoutEnlargement: true })
        .webp({ quality: 78, effort: 2 })
        .toFile(thumbnail);
    } catch (error) {
      const message = (error as Error).message;
      if (/pixel limit/i.test(message)) throw new Refusal('too_many_pixels', message, { width: metadata.width, height: metadata.height, limit: MAX_IMAGE_PIXELS / 1e6 });
      throw new Refusal('image_corrupt', `The image is damaged or cut short: ${message}`);
    }
    return { width: metadata.autoOrient.width, height: metadata.autoOrient.height };
  }

  private inspectVideo(path: string, size: number): { width: number; height: number; durationMs: number | null } {
    try {
      // Box headers are read a few bytes at a time; only moov is read whole, and it is capped.
      const info = withRangeReader(path, size, (read) => readMp4Info(read, size));
      if (info.videoCodec !== null && codecOfSampleEntry(info.videoCodec) === null) {
        throw new Refusal('video_codec_unsupported', `The video is encoded as ${info.videoCodec}, which no supported player decodes.`, {
          codec: info.videoCodec,
        });
      }
      return { width: info.width ?? 0, height: info.height ?? 0, durationMs: info.durationMs };
    } catch (error) {
      if (error instanceof Mp4Error) throw new Refusal('video_unreadable', `The video cannot be read: ${error.message}`);
      throw error;
    }
  }

  /**
   * Streams an upload (the browser host's POST /api/upload) into `.uploads/<id>`, never holding
   * it in memory; refused past the largest file the library takes. `media.import` picks it up by id.
   */
  async receiveUpload(
    body: AsyncIterable<Buffer>,
    declaredLength?: number,
  ): Promise<{ ok: true; uploadId: string } | { ok: false; reason: 'too_large' | 'storage_full' | 'not_saved'; message: string }> {
    const tooLarge = { ok: false, reason: 'too_large', message: `Files can be at most ${describeBytes(MAX_VIDEO_BYTES)}.` } as const;
    if (declaredLength !== undefined && declaredLength > MAX_VIDEO_BYTES) return tooLarge;
    const uploadId = randomUUID();
    const path = join(this.uploadDir, uploadId);
    let bytes = 0;
    try {
      await pipeline(
        body,
        async function* (source: AsyncIterable<Buffer>) {
          for await (const chunk of source) {
            bytes += chunk.length;
            if (bytes > MAX_VIDEO_BYTES) throw new Refusal('too_large', tooLarge.message);
            yield chunk;
          }
        },
        createWriteStream(path, { flags: 'wx', mode: PRIVATE_FILE_MODE }),
      );
      await fsyncPath(path);
      return { ok: true, uploadId };
    } catch (error) {
      await rm(path, { force: true });
      if (error instanceof Refusal) return tooLarge;
      const code = (error as { code?: unknown } | null)?.code;
      if (code === 'ENOSPC') return { ok: false, reason: 'storage_full', message: 'The disk is full, so the upload was not kept.' };
      return { ok: false, reason: 'not_saved', message: `The upload was not kept: ${String((error as Error)?.message ?? error)}` };
    }
  }

  /**
   * The bytes to upload for one file, for the scheduler: with `stripLocation` (the project's
   * setting) GPS is removed from image EXIF/XMP in place, or by re-encoding when that fails,
   * and video location boxes are hidden. The stored original is never changed.
   */
  async mediaForPublish(id: string, options: { stripLocation: boolean }): Promise<PublishFile> {
    const media = getMedia(this.db, id);
    const file = media && this.resolveFile(id, 'file');
    if (!media || !file) throw new Error(`Media ${id} is not in the library (or its file is missing).`);
    if (media.kind === 'image') return imageForPublish(media, file.path, options.stripLocation);
    const video = videoForPublish(media, file.path, file.size, options.stripLocation);
    // The picked cover goes along as the thumbnail; a cover whose file is gone is simply not sent.
    const cover = getVideoCover(this.db, id);
    const coverFile = cover && this.resolveFile(cover.media.id, 'file');
    video.cover = cover && coverFile ? await imageForPublish(cover.media, coverFile.path, options.stripLocation) : null;
    return video;
  }

  /** Where to serve a file from, or undefined when there is no such media (or no thumbnail for it). */
  resolveFile(id: string, variant: MediaVariant): ServedFile | undefined {
    const media = getMedia(this.db, id);
    if (!media || !SHA256.test(media.sha256)) return undefined;
    const path = variant === 'thumb' ? this.thumbnailPath(media.sha256) : this.contentPath(media.sha256);
    // A video has no thumbnail file: the window shows its cover image's (media.videoCover) or draws a frame.
    if (variant === 'thumb' && media.kind !== 'image') return undefined;
    if (!isInside(this.root, path) || !existsSync(path)) return undefined;
    return { path, mime: variant === 'thumb' ? 'image/webp' : media.mime, size: statSync(path).size };
  }
}

/** Size and duration of a WebM file from its headers (mediabunny's Matroska reader; no decoder needed in main). */
async function inspectWebm(path: string): Promise<{ width: number; height: number; durationMs: number | null }> {
  const input = new Input({ formats: [WEBM], source: new FilePathSource(path) });
  try {
    const track = await input.getPrimaryVideoTrack();
    if (!track) throw new Refusal('video_unreadable', 'The file has no video track.');
    const codec = await track.getCodec();
    if (codec === null || !(videoCodecs as readonly string[]).includes(codec)) {
      throw new Refusal('video_codec_unsupported', 'The WebM video is in a codec no supported player decodes.', { codec: codec ?? 'unknown' });
    }
    const seconds = (await input.getDurationFromMetadata()) ?? (await input.computeDuration());
    return { width: await track.getDisplayWidth(), height: await track.getDisplayHeight(), durationMs: Number.isFinite(seconds) ? Math.round(seconds * 1000) : null };
  } catch (error) {
    if (error instanceof Refusal) throw error;
    throw new Refusal('video_unreadable', `The video cannot be read: ${(error as Error).message}`);
  } finally {
    input.dispose();
  }
}

function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === 'SQLITE_CONSTRAINT_UNIQUE';
}
