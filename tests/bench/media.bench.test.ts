import { statSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { MediaLibrary } from '../../main/services/media/media-library';
import { openDatabase, type Db } from '../../main/services/store/database';
import { FakeClock, makeTempDir } from '../unit/support/backend';
import { photoPixels } from '../unit/media/fixtures';
import { recordFigure } from './figures';

// A shoot dropped on the library at once: 50 distinct 12-megapixel JPEGs, each copied, hashed,
// decoded to a 320 px WebP thumbnail and recorded.
const PHOTOS = 50;
const WIDTH = 4000;
const HEIGHT = 3000;

let photos: ReturnType<typeof makeTempDir>;
let data: ReturnType<typeof makeTempDir>;
let db: Db;
const paths: string[] = [];

beforeAll(async () => {
  photos = makeTempDir('outpost-bench-photos-');
  data = makeTempDir('outpost-bench-data-');
  const base = photoPixels(WIDTH, HEIGHT, 11);
  for (let i = 0; i < PHOTOS; i++) {
    // A different band of pixels per photo: every file has its own bytes (no dedupe) at a phone's size.
    const pixels = Buffer.from(base);
    pixels.fill((i * 5) & 255, i * WIDTH * 3 * 40, (i + 1) * WIDTH * 3 * 40);
    const path = join(photos.path, `IMG_${String(i).padStart(4, '0')}.jpg`);
    await sharp(pixels, { raw: { width: WIDTH, height: HEIGHT, channels: 3 } }).jpeg({ quality: 88 }).toFile(path);
    paths.push(path);
  }
  db = openDatabase(join(data.path, 'outpost.db'));
});

afterAll(() => {
  db?.close();
  photos?.remove();
  data?.remove();
});

it('imports 50 photos of 12 megapixels with thumbnails', async () => {
  const library = new MediaLibrary({ db, dataDir: data.path, clock: new FakeClock() });
  const megabytes = paths.reduce((n, p) => n + statSync(p).size, 0) / 1024 ** 2;
  const started = performance.now();
  const outcomes = await library.importMany(paths.map((path) => ({ path })));
  const value = performance.now() - started;
  expect(outcomes.filter((o) => o.ok && !o.duplicate)).toHaveLength(PHOTOS);
  recordFigure({
    name: 'media.import_50_ms',
    value,
    unit: 'ms',
    target: 5000,
    how: `one run, ${PHOTOS} distinct ${WIDTH}×${HEIGHT} JPEGs (${megabytes.toFixed(0)} MB), copy + sha256 + 320 px WebP thumbnail + row, 2 at a time`,
  });
});
