import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ImportOutcome, Media } from '../../../main/core/contract';
import type { Result } from '../../../main/core/errors';
import { makeTempDir, openTestBackend, type TestBackend } from '../support/backend';
import { writeJpeg, writeMp4 } from './fixtures';

let data: ReturnType<typeof makeTempDir>;
let inbox: ReturnType<typeof makeTempDir>;
let t: TestBackend;

beforeEach(() => {
  data = makeTempDir('outpost-media-handlers-');
  inbox = makeTempDir('outpost-media-inbox-');
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

async function importFiles(...paths: string[]): Promise<Media[]> {
  const outcomes = await value<ImportOutcome[]>('media.import', { files: paths.map((path) => ({ path })) });
  return outcomes.map((o) => {
    if (!o.ok) throw new Error(o.message);
    return o.media;
  });
}

function usePostsOf(mediaId: string, posts: number): void {
  const db = t.backend.services.db;
  db.prepare(`INSERT OR IGNORE INTO projects (id, name, name_key, color, timezone, created_at, updated_at) VALUES ('p', 'P', 'p', '#2563eb', 'UTC', 0, 0)`).run();
  for (let i = 0; i < posts; i++) {
    db.prepare(`INSERT INTO posts (id, project_id, timezone, created_at, updated_at) VALUES (?, 'p', 'UTC', 0, 0)`).run(`post-${mediaId}-${i}`);
    db.prepare('INSERT INTO post_media (post_id, media_id, position) VALUES (?, ?, 0)').run(`post-${mediaId}-${i}`, mediaId);
  }
}

describe('media contract', () => {
  it('imports, lists newest first, and tells the UI the library changed', async () => {
    const [a] = await importFiles(await writeJpeg(inbox.path, 'Sunrise.jpg'));
    t.clock.advance(1000);
    const [b] = await importFiles(writeMp4(inbox.path, 'Team intro.mp4'));
    expect((await value<Media[]>('media.list', {})).map((m) => m.id)).toEqual([b?.id, a?.id]);
    expect(t.events.filter((e) => e.event === 'media.changed').map((e) => e.payload)).toEqual([{ ids: [a?.id] }, { ids: [b?.id] }]);
  });

  it('reports a per-file refusal as data, not as a failed request', async () => {
    const bad = join(inbox.path, 'bad.jpg');
    writeFileSync(bad, 'nope');
    const outcomes = await value<ImportOutcome[]>('media.import', { files: [{ path: bad }] });
    expect(outcomes).toMatchObject([{ ok: false, fileName: 'bad.jpg', reason: 'not_media' }]);
    expect(t.events).toEqual([]);
  });

  it('validates import arguments at the boundary', async () => {
    expect(await call('media.import', { files: [] })).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    expect(await call('media.import', { files: [{ uploadId: '../../etc/passwd', fileName: 'x' }] })).toMatchObject({
      ok: false,
      error: { code: 'bad_request' },
    });
  });

  it('searches file names and alt text, ignoring case and accents, and filters by kind', async () => {
    const [photo] = await importFiles(await writeJpeg(inbox.path, 'Café opening.jpg'));
    const [, video] = await importFiles(await writeJpeg(inbox.path, 'Menu board.jpg', 64, 48, 2), writeMp4(inbox.path, 'Kitchen tour.mp4'));
    await value('media.update', { id: photo?.id, altText: 'Our barista pours a flat white' });

    const names = async (args: object) => (await value<Media[]>('media.list', args)).map((m) => m.fileName).sort();
    expect(await names({ query: 'CAFE' })).toEqual(['Café opening.jpg']);
    expect(await names({ query: 'barista' })).toEqual(['Café opening.jpg']);
    expect(await names({ query: 'tour' })).toEqual(['Kitchen tour.mp4']);
    expect(await names({ kind: 'video' })).toEqual(['Kitchen tour.mp4']);
    expect(await names({ kind: 'image' })).toEqual(['Café opening.jpg', 'Menu board.jpg']);
    expect(await names({ query: 'o', kind: 'image' })).toEqual(['Café opening.jpg', 'Menu board.jpg']);
    expect(await names({ query: '100%_' })).toEqual([]);
    expect(video?.kind).toBe('video');
  });

  it('updates alt text (trimmed), and says when the file is gone', async () => {
    const [m] = await importFiles(await writeJpeg(inbox.path, 'a.jpg'));
    expect(await value<Media>('media.update', { id: m?.id, altText: '  A red bicycle  ' })).toMatchObject({ altText: 'A red bicycle' });
    expect(await call('media.update', { id: 'nope', altText: 'x' })).toMatchObject({ ok: false, error: { code: 'not_found', reason: 'media_missing' } });
    expect(await call('media.update', { id: m?.id, altText: 'x'.repeat(1501) })).toMatchObject({ ok: false, error: { code: 'bad_request' } });
  });

  it('deletes an unused file and its files on disk', async () => {
    const [m] = await importFiles(await writeJpeg(inbox.path, 'a.jpg'));
    const media = t.backend.services.media;
    expect(await value('media.delete', { id: m?.id })).toEqual({ id: m?.id, removedFromPosts: 0 });
    expect(existsSync(media.contentPath(m?.sha256 ?? ''))).toBe(false);
    expect(existsSync(media.thumbnailPath(m?.sha256 ?? ''))).toBe(false);
    expect(await value('media.list', {})).toEqual([]);
  });

  it('refuses to delete a file used by posts unless confirmed, saying how many', async () => {
    const [m] = await importFiles(await writeJpeg(inbox.path, 'a.jpg'));
    usePostsOf(m?.id ?? '', 3);
    expect(await value('media.usage', { id: m?.id })).toEqual({ id: m?.id, posts: 3 });
    expect((await value<Media[]>('media.list', {}))[0]?.usageCount).toBe(3);

    expect(await call('media.delete', { id: m?.id })).toMatchObject({
      ok: false,
      error: { code: 'conflict', reason: 'media_in_use', details: { posts: 3 } },
    });
    expect(await value<Media[]>('media.list', {})).toHaveLength(1);

    expect(await value('media.delete', { id: m?.id, confirmInUse: true })).toEqual({ id: m?.id, removedFromPosts: 3 });
    expect(t.backend.services.db.prepare('SELECT count(*) AS n FROM post_media').get()).toEqual({ n: 0 });
    expect(t.backend.services.db.prepare('SELECT count(*) AS n FROM posts').get()).toEqual({ n: 3 });
  });

  it('finds its files again after a restart', async () => {
    const [m] = await importFiles(await writeJpeg(inbox.path, 'keep.jpg'));
    t.backend.close();
    t = openTestBackend(data.path);
    expect(await value<Media[]>('media.list', {})).toMatchObject([{ id: m?.id, fileName: 'keep.jpg' }]);
    expect(t.backend.services.media.resolveFile(m?.id ?? '', 'thumb')?.mime).toBe('image/webp');
  });
});
