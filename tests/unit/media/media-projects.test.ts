import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ImportOutcome, Media, Project, Reply } from '../../../main/core/contract';
import { blankDesign, photoDesign } from '../../../main/core/editor/design';
import { dispatcher, makeTempDir, openTestBackend, type TestBackend } from '../support/backend';
import { writeJpeg } from './fixtures';

/**
 * Each client's media stay with the client: a project's posts are offered its own files and the
 * shared ones, never another client's; files move between a project and the shared library.
 */

let data: ReturnType<typeof makeTempDir>;
let inbox: ReturnType<typeof makeTempDir>;
let t: TestBackend;
const { call, ok } = dispatcher(() => t.backend);

beforeEach(() => {
  data = makeTempDir('outpost-media-projects-');
  inbox = makeTempDir('outpost-media-projects-inbox-');
  t = openTestBackend(data.path);
});

afterEach(() => {
  t.backend.close();
  data.remove();
  inbox.remove();
});

const project = (name: string) => ok<Project>('projects.create', { name, color: '#2563eb', timezone: 'UTC' });

async function importInto(projectId: string | null, name: string, seed: number): Promise<ImportOutcome & { ok: true }> {
  const [outcome] = await ok<ImportOutcome[]>('media.import', { files: [{ path: await writeJpeg(inbox.path, name, 64, 48, seed) }], projectId });
  if (!outcome?.ok) throw new Error(JSON.stringify(outcome));
  t.clock.advance(1000);
  return outcome;
}

const names = async (args: object) => (await ok<Media[]>('media.list', args)).map((m) => m.fileName).sort();

describe('per-project media libraries', () => {
  it("offers a project's posts its own files and the shared ones, never another project's", async () => {
    const bakery = await project('Bakery');
    const gym = await project('Gym');
    await importInto(bakery.id, 'challah.jpg', 1);
    await importInto(gym.id, 'dumbbells.jpg', 2);
    const logo = await importInto(null, 'my-logo.jpg', 3);
    expect(logo.media.projectId).toBeNull();

    expect(await names({ projectId: bakery.id })).toEqual(['challah.jpg', 'my-logo.jpg']);
    expect(await names({ projectId: gym.id })).toEqual(['dumbbells.jpg', 'my-logo.jpg']);
    expect(await names({ projectId: gym.id, only: 'project' })).toEqual(['dumbbells.jpg']);
    expect(await names({ only: 'shared' })).toEqual(['my-logo.jpg']);
    expect(await names({ projectId: gym.id, query: 'challah' })).toEqual([]);
    expect(await names({})).toEqual(['challah.jpg', 'dumbbells.jpg', 'my-logo.jpg']);
  });

  it('refuses a project-only list without a project, and an import into a project that does not exist', async () => {
    expect(await call('media.list', { only: 'project' })).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    expect(await call('media.import', { files: [{ path: await writeJpeg(inbox.path, 'x.jpg') }], projectId: 'gone' })).toMatchObject({
      ok: false,
      error: { code: 'not_found', reason: 'project_missing' },
    });
  });

  it('moves a file to the shared library and back, and tells the UI', async () => {
    const bakery = await project('Bakery');
    const gym = await project('Gym');
    const { media } = await importInto(bakery.id, 'challah.jpg', 1);
    expect(await ok<Media>('media.move', { id: media.id, projectId: null })).toMatchObject({ projectId: null });
    expect(await names({ projectId: gym.id })).toEqual(['challah.jpg']);
    expect(await ok<Media>('media.move', { id: media.id, projectId: bakery.id })).toMatchObject({ projectId: bakery.id });
    expect(await names({ projectId: gym.id })).toEqual([]);
    expect(t.events.filter((e) => e.event === 'media.changed').slice(-2)).toEqual([
      { event: 'media.changed', payload: { ids: [media.id] } },
      { event: 'media.changed', payload: { ids: [media.id] } },
    ]);
  });

  it("keeps a shared file shared while another project's post uses it", async () => {
    const bakery = await project('Bakery');
    const gym = await project('Gym');
    const { media } = await importInto(null, 'my-logo.jpg', 3);
    await ok('posts.create', { projectId: gym.id, body: 'Leg day', media: [media.id] });
    expect(await call('media.move', { id: media.id, projectId: bakery.id })).toMatchObject({
      ok: false,
      error: { code: 'conflict', reason: 'media_used_elsewhere', details: { posts: 1 } },
    });
    expect(await ok<Media>('media.move', { id: media.id, projectId: gym.id })).toMatchObject({ projectId: gym.id });
  });

  it('makes a file imported into a second project shared, since both want it', async () => {
    const bakery = await project('Bakery');
    const gym = await project('Gym');
    const first = await importInto(bakery.id, 'logo.jpg', 7);
    const again = await importInto(gym.id, 'logo copy.jpg', 7);
    expect(again).toMatchObject({ duplicate: true, movedToShared: true, media: { id: first.media.id, projectId: null } });
    expect(await names({ projectId: bakery.id })).toEqual(['logo.jpg']);
    const same = await importInto(bakery.id, 'logo.jpg', 7);
    expect(same.movedToShared).toBeUndefined();
  });
});

describe('an edited copy', () => {
  async function exportOf(parentMediaId: string | null, projectId?: string | null) {
    const png = await sharp({ create: { width: 40, height: 30, channels: 3, background: { r: 200, g: 30, b: 60 } } }).png().toBuffer();
    const design = parentMediaId ? photoDesign({ mediaId: parentMediaId, width: 64, height: 48 }) : blankDesign(40, 30);
    return ok<Reply<'editor.export'>>('editor.export', {
      file: { data: png.toString('base64') },
      mime: 'image/png',
      fileName: 'edited.png',
      design,
      parentMediaId,
      ...(projectId !== undefined ? { projectId } : {}),
    });
  }

  it("keeps the original's alt text and project", async () => {
    const bakery = await project('Bakery');
    const { media } = await importInto(bakery.id, 'challah.jpg', 1);
    await ok('media.update', { id: media.id, altText: 'A braided challah on a wooden board' });
    const saved = await exportOf(media.id);
    expect(saved.media).toMatchObject({ altText: 'A braided challah on a wooden board', projectId: bakery.id });
    expect(saved.media.id).not.toBe(media.id);
  });

  it('puts a design without a photo in the project it was made for, or the shared library', async () => {
    const gym = await project('Gym');
    expect((await exportOf(null, gym.id)).media.projectId).toBe(gym.id);
  });
});
