import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DesignTemplate, ImportOutcome, Media, Reply } from '../../../main/core/contract';
import { cropDesign } from '../../../main/core/editor/geometry';
import { blankDesign, photoDesign } from '../../../main/core/editor/design';
import type { Result } from '../../../main/core/errors';
import { getDerivedRow, setDerived } from '../../../main/services/media/media-repo';
import { makeTempDir, openTestBackend, type TestBackend } from '../support/backend';
import { writeJpeg } from '../media/fixtures';

let data: ReturnType<typeof makeTempDir>;
let inbox: ReturnType<typeof makeTempDir>;
let t: TestBackend;

beforeEach(() => {
  data = makeTempDir('outpost-editor-');
  inbox = makeTempDir('outpost-editor-inbox-');
  t = openTestBackend(data.path);
});

afterEach(() => {
  t.backend.close();
  data.remove();
  inbox.remove();
});

const call = (name: string, args: unknown) => t.backend.dispatch(name, args) as Promise<Result<unknown>>;

async function value<T>(name: string, args: unknown): Promise<T> {
  const result = await call(name, args);
  if (!result.ok) throw new Error(`${name} failed: ${JSON.stringify(result.error)}`);
  return result.value as T;
}

async function importFile(path: string): Promise<Media> {
  const [outcome] = await value<ImportOutcome[]>('media.import', { files: [{ path }] });
  if (!outcome?.ok) throw new Error(outcome?.message);
  return outcome.media;
}

const fileOf = (m: Media) => t.backend.services.media.resolveFile(m.id, 'file')?.path as string;
const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

async function exportedPng(width: number, height: number): Promise<string> {
  const png = await sharp({ create: { width, height, channels: 3, background: { r: 200, g: 30, b: 60 } } }).png().toBuffer();
  return png.toString('base64');
}

describe('editor contract', () => {
  it('opens a library image the editor did not make as a plain photo', async () => {
    const photo = await importFile(await writeJpeg(inbox.path, 'beach.jpg', 300, 200));
    const opened = await value<Reply<'editor.open'>>('editor.open', { mediaId: photo.id });
    expect(opened).toMatchObject({ design: null, designProblem: null, migratedFrom: null });
    expect(opened.photo).toEqual({ mediaId: photo.id, mime: 'image/jpeg', width: 300, height: 200, workingCopy: null });
  });

  it('hands out the file itself when it fits, and a smaller upright copy when asked for one', async () => {
    const photo = await importFile(await writeJpeg(inbox.path, 'beach.jpg', 600, 400));
    const whole = await value<Reply<'editor.image'>>('editor.image', { mediaId: photo.id, maxEdge: 2048 });
    expect(whole).toMatchObject({ mime: 'image/jpeg', width: 600, height: 400, downscaled: false });
    expect(Buffer.from(whole.data, 'base64').equals(readFileSync(fileOf(photo)))).toBe(true);
    const small = await value<Reply<'editor.image'>>('editor.image', { mediaId: photo.id, maxEdge: 150 });
    expect(small).toMatchObject({ mime: 'image/jpeg', width: 150, height: 100, downscaled: true });
    const meta = await sharp(Buffer.from(small.data, 'base64')).metadata();
    expect([meta.width, meta.height]).toEqual([150, 100]);
  });

  it('saves an export as a new image with its design and parent; the original file is never touched', async () => {
    const photo = await importFile(await writeJpeg(inbox.path, 'beach.jpg', 300, 200));
    const originalSha = sha(fileOf(photo));
    const design = cropDesign(photoDesign({ mediaId: photo.id, width: 300, height: 200 }), { x: 70, y: 0, width: 160, height: 200 });
    const saved = await value<Reply<'editor.export'>>('editor.export', {
      file: { data: await exportedPng(160, 200) },
      mime: 'image/png',
      fileName: 'beach-edited.png',
      design,
      parentMediaId: photo.id,
    });
    expect(saved.duplicate).toBe(false);
    expect(saved.media).toMatchObject({ mime: 'image/png', width: 160, height: 200, fileName: 'beach-edited.png' });
    expect(saved.media.id).not.toBe(photo.id);
    expect(sha(fileOf(photo))).toBe(originalSha);
    expect(getDerivedRow(t.backend.services.db, saved.media.id)).toEqual({ design: JSON.stringify(design), parentMediaId: photo.id });
    expect(getDerivedRow(t.backend.services.db, photo.id)).toEqual({ design: null, parentMediaId: null });
    expect(t.events.at(-1)).toEqual({ event: 'media.changed', payload: { ids: [saved.media.id] } });

    // Reopening the exported image reopens its design, on the original photo.
    const reopened = await value<Reply<'editor.open'>>('editor.open', { mediaId: saved.media.id });
    expect(reopened.design).toEqual(design);
    expect(reopened.photo.mediaId).toBe(photo.id);
    expect(reopened.media.id).toBe(saved.media.id);
  });

  it('takes the exported bytes from an upload (the browser host’s path)', async () => {
    const upload = await t.backend.services.media.receiveUpload(Readable.from([Buffer.from(await exportedPng(40, 40), 'base64')]));
    if (!upload.ok) throw new Error(upload.message);
    const saved = await value<Reply<'editor.export'>>('editor.export', {
      file: { uploadId: upload.uploadId },
      mime: 'image/png',
      fileName: 'blank.png',
      design: blankDesign(40, 40),
      parentMediaId: null,
    });
    expect(saved.media).toMatchObject({ width: 40, height: 40 });
    expect(getDerivedRow(t.backend.services.db, saved.media.id)?.parentMediaId).toBeNull();
  });

  it('never turns an original into a derived image, even if an export has exactly its bytes', async () => {
    const photo = await importFile(await writeJpeg(inbox.path, 'beach.jpg', 30, 20));
    const saved = await value<Reply<'editor.export'>>('editor.export', {
      file: { data: readFileSync(fileOf(photo)).toString('base64') },
      mime: 'image/jpeg',
      fileName: 'same.jpg',
      design: photoDesign({ mediaId: photo.id, width: 30, height: 20 }),
      parentMediaId: photo.id,
    });
    expect(saved).toMatchObject({ duplicate: true, media: { id: photo.id } });
    expect(getDerivedRow(t.backend.services.db, photo.id)?.design).toBeNull();
  });

  it('opens a design saved by an older Outpost (version 1), brought up to date', async () => {
    const photo = await importFile(await writeJpeg(inbox.path, 'beach.jpg', 300, 200));
    const derived = await importFile(await writeJpeg(inbox.path, 'derived.jpg', 100, 100, 9));
    const v1 = {
      version: 1,
      size: { width: 100, height: 100 },
      image: { mediaId: photo.id, width: 300, height: 200, crop: [100, 50, 100, 100], rotate: 0 },
      objects: [{ kind: 'text', id: 't', text: 'Hi', left: 10, top: 10, width: 80, fontSize: 12 }],
    };
    setDerived(t.backend.services.db, derived.id, JSON.stringify(v1), photo.id);
    const opened = await value<Reply<'editor.open'>>('editor.open', { mediaId: derived.id });
    expect(opened.migratedFrom).toBe(1);
    expect(opened.design).toMatchObject({ version: 2, width: 100, photo: { mediaId: photo.id, crop: { x: 100, y: 50, width: 100, height: 100 } } });
    expect(opened.photo.mediaId).toBe(photo.id);
  });

  it('opens the image itself, saying why, when its design is unreadable or its original is gone', async () => {
    const photo = await importFile(await writeJpeg(inbox.path, 'beach.jpg', 300, 200));
    const derived = await importFile(await writeJpeg(inbox.path, 'derived.jpg', 100, 100, 9));
    const db = t.backend.services.db;
    setDerived(db, derived.id, JSON.stringify({ version: 99 }), photo.id);
    expect(await value<Reply<'editor.open'>>('editor.open', { mediaId: derived.id })).toMatchObject({ design: null, designProblem: 'design_too_new', photo: { mediaId: derived.id } });
    setDerived(db, derived.id, JSON.stringify(photoDesign({ mediaId: photo.id, width: 300, height: 200 })), photo.id);
    await value('media.delete', { id: photo.id });
    expect(await value<Reply<'editor.open'>>('editor.open', { mediaId: derived.id })).toMatchObject({ design: null, designProblem: 'original_missing', photo: { mediaId: derived.id } });
  });

  it('gives a damaged image file a clear reason instead of failing inside', async () => {
    const photo = await importFile(await writeJpeg(inbox.path, 'beach.jpg', 300, 200));
    // The disk damaged the stored file after it was imported.
    const path = fileOf(photo);
    writeFileSync(path, readFileSync(path).subarray(0, 200));
    const result = await call('editor.image', { mediaId: photo.id, maxEdge: 100 });
    expect(result).toMatchObject({ ok: false, error: { code: 'validation', reason: 'image_corrupt' } });
    const missing = await call('editor.open', { mediaId: '00000000-0000-4000-8000-000000000000' });
    expect(missing).toMatchObject({ ok: false, error: { code: 'not_found', reason: 'media_missing' } });
  });

  it('opens an image over 100 megapixels as a smaller working copy', async () => {
    const path = `${inbox.path}/huge.jpg`;
    await sharp({ create: { width: 12_000, height: 9_000, channels: 3, background: { r: 20, g: 120, b: 200 } } }).jpeg({ quality: 70 }).toFile(path);
    const photo = await importFile(path);
    const opened = await value<Reply<'editor.open'>>('editor.open', { mediaId: photo.id });
    expect(opened.photo.width * opened.photo.height).toBe(108_000_000);
    const copy = opened.photo.workingCopy;
    expect(copy).not.toBeNull();
    expect(copy!.width * copy!.height).toBeLessThanOrEqual(48_000_000);
    expect(copy!.width / copy!.height).toBeCloseTo(12 / 9, 2);
    const image = await value<Reply<'editor.image'>>('editor.image', { mediaId: photo.id, maxEdge: 16_384 });
    expect(image).toMatchObject({ width: copy!.width, height: copy!.height, downscaled: true });
  }, 60_000);

  it('keeps templates: save, rename, list newest first, delete', async () => {
    const first = await value<DesignTemplate>('editor.saveTemplate', { name: '  Sale   post ', design: blankDesign(1080, 1350) });
    expect(first.name).toBe('Sale post');
    t.clock.advance(1000);
    const second = await value<DesignTemplate>('editor.saveTemplate', { name: 'Quote', design: blankDesign(1080, 1080) });
    expect((await value<DesignTemplate[]>('editor.templates', {})).map((x) => x.id)).toEqual([second.id, first.id]);
    t.clock.advance(1000);
    await value('editor.saveTemplate', { id: first.id, name: 'Sale', design: blankDesign(1080, 1920) });
    const listed = await value<DesignTemplate[]>('editor.templates', {});
    expect(listed.map((x) => [x.name, x.design.height])).toEqual([
      ['Sale', 1920],
      ['Quote', 1080],
    ]);
    expect(await call('editor.saveTemplate', { name: '   ', design: blankDesign(1, 1) })).toMatchObject({ ok: false, error: { reason: 'template_name_empty' } });
    await value('editor.deleteTemplate', { id: second.id });
    expect(await call('editor.deleteTemplate', { id: second.id })).toMatchObject({ ok: false, error: { code: 'not_found', reason: 'template_missing' } });
    expect(t.events.filter((e) => e.event === 'editor.templatesChanged')).toHaveLength(4);
  });

  it('refuses a design that breaks the schema at the boundary', async () => {
    const result = await call('editor.saveTemplate', { name: 'x', design: { ...blankDesign(10, 10), width: 0 } });
    expect(result).toMatchObject({ ok: false, error: { code: 'bad_request', field: 'design.width' } });
  });

  it('lists templates through their index (migration 6)', () => {
    const plan = t.backend.services.db
      .prepare('EXPLAIN QUERY PLAN SELECT id, name, design, created_at, updated_at FROM design_templates ORDER BY updated_at DESC, id')
      .all() as { detail: string }[];
    expect(plan.map((p) => p.detail).join(' ')).toContain('design_templates_updated');
  });
});
