import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Post, PostProblem, RequestName } from '../../main/core/contract';
import type { Result } from '../../main/core/errors';
import { fromLocal, toLocal } from '../../main/core/posts/time';
import { listPostsInRange } from '../../main/services/posts/posts-repo';
import { createNullLogger } from '../../main/services/log/logger';
import { makeTempDir, openTestBackend, type TestBackend } from './support/backend';

/**
 * The post handlers through the real boundary (dispatch) on a real store: targets across
 * networks with overrides, media, revisions, duplicate, delete and the checks that block
 * scheduling. Accounts and media rows are written directly: connecting and importing are
 * other domains' handlers.
 */

let dir: ReturnType<typeof makeTempDir>;
let t: TestBackend;
let projectId: string;

async function call<T = unknown>(name: RequestName, args: unknown): Promise<Result<T>> {
  return (await t.backend.dispatch(name, args)) as Result<T>;
}

async function value<T>(name: RequestName, args: unknown): Promise<T> {
  const result = await call<T>(name, args);
  if (!result.ok) throw new Error(`${name} failed: ${JSON.stringify(result.error)}`);
  return result.value;
}

function addAccount(network: string, handle: string, project = projectId, status = 'connected'): string {
  const id = `acc-${network}-${handle}`;
  t.backend.services.db
    .prepare(
      `INSERT INTO accounts (id, project_id, network, handle, display_name, status, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, 0, 0)`,
    )
    .run(id, project, network, handle, handle.toUpperCase(), status);
  return id;
}

function addMedia(name: string, mime: string, width: number, height: number, bytes = 200_000): string {
  const id = `media-${name}`;
  t.backend.services.db
    .prepare(
      `INSERT INTO media (id, sha256, mime, bytes, width, height, file_name, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, 0)`,
    )
    .run(id, `sha-${name}`, mime, bytes, width, height, `${name}.jpg`);
  return id;
}

beforeEach(async () => {
  dir = makeTempDir();
  t = openTestBackend(dir.path);
  projectId = (await value<{ id: string }>('projects.create', { name: 'Acme', color: '#2563eb', timezone: 'Europe/Berlin' })).id;
});

afterEach(() => {
  t.backend.close();
  dir.remove();
});

describe('a post with many targets', () => {
  it('creates a draft for three networks with one override, and reads it back whole', async () => {
    const tg = addAccount('telegram', 'acme_channel');
    const masto = addAccount('mastodon', 'acme@mastodon.social');
    const bsky = addAccount('bluesky', 'acme.bsky.social');
    const a = addMedia('a', 'image/jpeg', 1200, 1500);
    const b = addMedia('b', 'image/png', 1600, 900);
    const created = await value<Post>('posts.create', {
      projectId,
      body: 'Fresh bread at 8 🥖 https://acme.example/bread',
      targets: [{ accountId: tg }, { accountId: masto }, { accountId: bsky, bodyOverride: 'Short for Bluesky 🦋' }],
      media: [a, b],
    });
    expect(created.status).toBe('draft');
    expect(created.revision).toBe(1);
    expect(created.timezone).toBe('Europe/Berlin');
    const again = await value<Post>('posts.get', { id: created.id });
    expect(again).toEqual(created);
    expect(again.targets.map((x) => [x.network, x.handle, x.bodyOverride, x.state])).toEqual([
      ['telegram', 'acme_channel', null, 'pending'],
      ['mastodon', 'acme@mastodon.social', null, 'pending'],
      ['bluesky', 'acme.bsky.social', 'Short for Bluesky 🦋', 'pending'],
    ]);
    expect(again.media.map((m) => [m.mediaId, m.width, m.height])).toEqual([
      [a, 1200, 1500],
      [b, 1600, 900],
    ]);
    expect(t.events.filter((e) => e.event === 'posts.changed')).toHaveLength(1);
  });

  it('keeps a target (its id and state) when the list is replaced, with a media override of its own', async () => {
    const tg = addAccount('telegram', 'chan');
    const x = addAccount('x', 'acme');
    const a = addMedia('a', 'image/jpeg', 1000, 1000);
    const b = addMedia('b', 'image/jpeg', 1000, 1000);
    const post = await value<Post>('posts.create', { projectId, body: 'hi', targets: [{ accountId: tg }], media: [a, b] });
    const tgTargetId = post.targets[0]?.id;
    const updated = await value<Post>('posts.update', {
      id: post.id,
      revision: post.revision,
      targets: [{ accountId: tg }, { accountId: x, mediaOverride: [b] }],
    });
    expect(updated.targets[0]?.id).toBe(tgTargetId);
    expect(updated.targets[1]?.mediaOverride?.map((m) => m.mediaId)).toEqual([b]);
    expect(updated.targets[0]?.mediaOverride).toBeNull();
    const fewer = await value<Post>('posts.update', { id: post.id, revision: updated.revision, targets: [{ accountId: x }] });
    expect(fewer.targets.map((x) => x.network)).toEqual(['x']);
  });

  it('reorders and removes media', async () => {
    const [a, b, c] = [addMedia('a', 'image/jpeg', 800, 800), addMedia('b', 'image/jpeg', 800, 800), addMedia('c', 'image/jpeg', 800, 800)];
    const post = await value<Post>('posts.create', { projectId, media: [a, b, c] });
    const reordered = await value<Post>('posts.update', { id: post.id, revision: 1, media: [c, a] });
    expect(reordered.media.map((m) => m.mediaId)).toEqual([c, a]);
  });

  it('refuses an account of another project, a target named twice, and media not in the library', async () => {
    const other = (await value<{ id: string }>('projects.create', { name: 'Other', color: '#2563eb', timezone: 'UTC' })).id;
    const foreign = addAccount('telegram', 'foreign', other);
    const mine = addAccount('telegram', 'mine');
    const foreignResult = await call('posts.create', { projectId, targets: [{ accountId: foreign }] });
    expect(foreignResult).toMatchObject({ ok: false, error: { code: 'validation', reason: 'target_account_missing' } });
    const twice = await call('posts.create', { projectId, targets: [{ accountId: mine }, { accountId: mine }] });
    expect(twice).toMatchObject({ ok: false, error: { reason: 'target_duplicate' } });
    const missing = await call('posts.create', { projectId, media: ['no-such-media'] });
    expect(missing).toMatchObject({ ok: false, error: { reason: 'media_missing' } });
    // Nothing half-made is left behind.
    expect(await value<unknown[]>('posts.list', { projectId })).toEqual([]);
  });

  it('stores labels tidied, notes and the first comment', async () => {
    const post = await value<Post>('posts.create', { projectId, body: 'x' });
    const updated = await value<Post>('posts.update', {
      id: post.id,
      revision: 1,
      labels: ['  Launch ', 'launch', 'Q3   promo', ''],
      notes: 'Client approved on Monday',
      firstComment: 'Link in bio',
    });
    expect(updated.labels).toEqual(['Launch', 'Q3 promo']);
    expect(updated.notes).toBe('Client approved on Monday');
    expect(updated.firstComment).toBe('Link in bio');
  });

  it('lists drafts of the project, most recently changed first', async () => {
    const tg = addAccount('telegram', 'chan');
    const first = await value<Post>('posts.create', { projectId, body: 'first', targets: [{ accountId: tg }] });
    t.clock.advance(1000);
    await value<Post>('posts.create', { projectId, body: 'second' });
    t.clock.advance(1000);
    await value<Post>('posts.update', { id: first.id, revision: 1, body: 'first, edited' });
    const list = await value<{ excerpt: string; networks: string[]; revision: number }[]>('posts.list', { projectId });
    expect(list.map((p) => p.excerpt)).toEqual(['first, edited', 'second']);
    expect(list[0]?.networks).toEqual(['telegram']);
    expect(list[0]?.revision).toBe(2);
  });
});

describe('revisions: a stale autosave never overwrites newer text', () => {
  it('bumps the revision on every change and refuses an update based on an older one', async () => {
    const post = await value<Post>('posts.create', { projectId, body: 'v1' });
    const v2 = await value<Post>('posts.update', { id: post.id, revision: 1, body: 'v2 from window A' });
    expect(v2.revision).toBe(2);
    const stale = await call('posts.update', { id: post.id, revision: 1, body: 'v2 from window B' });
    expect(stale).toMatchObject({ ok: false, error: { code: 'conflict', reason: 'post_revision_stale', field: 'revision' } });
    const stored = await value<Post>('posts.get', { id: post.id });
    expect(stored.body).toBe('v2 from window A');
    expect(stored.revision).toBe(2);
  });

  it('refuses a stale update of labels alone too, so no field is merged behind the user’s back', async () => {
    const post = await value<Post>('posts.create', { projectId, body: 'v1' });
    await value<Post>('posts.update', { id: post.id, revision: 1, body: 'v2' });
    expect(await call('posts.update', { id: post.id, revision: 1, labels: ['x'] })).toMatchObject({ ok: false });
  });
});

describe('time in the project’s zone', () => {
  it('stores a wall time as the UTC instant plus the zone, and shows it back as chosen', async () => {
    const post = await value<Post>('posts.create', { projectId, body: 'x', local: '2026-07-01T09:30' });
    expect(post.scheduledAt).toBe(Date.UTC(2026, 6, 1, 7, 30));
    expect(post.timezone).toBe('Europe/Berlin');
    expect(post.local).toBe('2026-07-01T09:30');
    // The calendar's query finds it at that instant.
    const inRange = listPostsInRange(t.backend.services.db, { projectId, from: Date.UTC(2026, 6, 1), to: Date.UTC(2026, 6, 2) });
    expect(inRange.map((p) => p.id)).toEqual([post.id]);
  });

  it('moves a time skipped by DST forward and takes the first of a repeated hour', () => {
    expect(toLocal(fromLocal('2026-03-29T02:30', 'Europe/Berlin') as number, 'Europe/Berlin')).toBe('2026-03-29T03:30');
    expect(fromLocal('2026-10-25T02:30', 'Europe/Berlin')).toBe(Date.UTC(2026, 9, 25, 0, 30));
    expect(fromLocal('2026-02-30T10:00', 'UTC')).toBeNull();
  });

  it('refuses a date that is not on the calendar', async () => {
    const post = await value<Post>('posts.create', { projectId });
    expect(await call('posts.update', { id: post.id, revision: 1, local: '2026-02-30T10:00' })).toMatchObject({
      ok: false,
      error: { reason: 'time_invalid' },
    });
  });
});

describe('duplicate and delete', () => {
  it('duplicates content, targets, overrides and media as a new draft without a time', async () => {
    const tg = addAccount('telegram', 'chan');
    const x = addAccount('x', 'acme');
    const a = addMedia('a', 'image/jpeg', 1000, 1000);
    const post = await value<Post>('posts.create', {
      projectId,
      body: 'original',
      targets: [{ accountId: tg }, { accountId: x, bodyOverride: 'for X', mediaOverride: [] }],
      media: [a],
      local: '2026-09-01T10:00',
    });
    await value<Post>('posts.update', { id: post.id, revision: 1, labels: ['Launch'], notes: 'n', firstComment: 'fc' });
    const copy = await value<Post>('posts.duplicate', { id: post.id });
    expect(copy.id).not.toBe(post.id);
    expect(copy).toMatchObject({ body: 'original', labels: ['Launch'], notes: 'n', firstComment: 'fc', status: 'draft', scheduledAt: null, revision: 1 });
    expect(copy.targets.map((x) => [x.accountId, x.bodyOverride, x.mediaOverride])).toEqual([
      [tg, null, null],
      [x, 'for X', []],
    ]);
    expect(copy.targets[0]?.id).not.toBe(post.targets[0]?.id);
    expect(copy.media.map((m) => m.mediaId)).toEqual([a]);
  });

  it('deletes a post with its targets and media links; the media stays in the library', async () => {
    const tg = addAccount('telegram', 'chan');
    const a = addMedia('a', 'image/jpeg', 1000, 1000);
    const post = await value<Post>('posts.create', { projectId, body: 'bye', targets: [{ accountId: tg }], media: [a] });
    expect(await value('posts.delete', { id: post.id })).toEqual({ id: post.id });
    expect(await call('posts.get', { id: post.id })).toMatchObject({ ok: false, error: { code: 'not_found', reason: 'post_missing' } });
    const db = t.backend.services.db;
    expect(db.prepare('SELECT count(*) AS n FROM post_targets').get()).toEqual({ n: 0 });
    expect(db.prepare('SELECT count(*) AS n FROM post_media').get()).toEqual({ n: 0 });
    expect(db.prepare('SELECT count(*) AS n FROM media').get()).toEqual({ n: 1 });
  });

  it('refuses to delete a post while it is being published', async () => {
    const tg = addAccount('telegram', 'chan');
    const post = await value<Post>('posts.create', { projectId, body: 'x', targets: [{ accountId: tg }] });
    t.backend.services.db.prepare(`UPDATE post_targets SET state = 'publishing'`).run();
    expect(await call('posts.delete', { id: post.id })).toMatchObject({ ok: false, error: { code: 'conflict', reason: 'post_publishing' } });
  });
});

describe('scheduling is blocked with the reasons listed', () => {
  const codes = (problems: PostProblem[]) => problems.filter((p) => p.severity === 'error').map((p) => p.code);

  it('lists every reason at once and leaves the post a draft', async () => {
    const post = await value<Post>('posts.create', { projectId });
    const outcome = await value<{ scheduled: boolean; problems: PostProblem[]; post: Post }>('posts.schedule', { id: post.id, revision: 1 });
    expect(outcome.scheduled).toBe(false);
    expect(codes(outcome.problems)).toEqual(['no_targets', 'no_time']);
    expect(outcome.post.status).toBe('draft');
    expect(outcome.post.revision).toBe(1);
  });

  it('names the target and the rule: X over 280, Instagram without media, a time in the past', async () => {
    const x = addAccount('x', 'acme');
    const ig = addAccount('instagram', 'acme');
    const post = await value<Post>('posts.create', {
      projectId,
      body: 'a'.repeat(300),
      targets: [{ accountId: x }, { accountId: ig }],
      local: '2025-12-01T10:00',
    });
    const { problems, scheduled } = await value<{ scheduled: boolean; problems: PostProblem[] }>('posts.schedule', {
      id: post.id,
      revision: 1,
    });
    expect(scheduled).toBe(false);
    expect(codes(problems)).toEqual(['time_in_past', 'text_too_long', 'media_required']);
    expect(problems.find((p) => p.code === 'text_too_long')).toMatchObject({
      network: 'x',
      accountId: x,
      params: { limit: 280, actual: 300, field: 'text', unit: 'weighted' },
    });
  });

  it('checks each target’s own media: a 3:2 photo on Instagram suggests a 4:5 crop', async () => {
    const ig = addAccount('instagram', 'acme');
    const tg = addAccount('telegram', 'chan');
    // Instagram fetches images by address: the project's Page relay serves them (without one, scheduling is blocked for that too).
    await value('relay.save', { projectId, kind: 'page' });
    const wide = addMedia('wide', 'image/jpeg', 3000, 1000);
    const square = addMedia('square', 'image/jpeg', 1080, 1080);
    const post = await value<Post>('posts.create', {
      projectId,
      body: 'hello',
      targets: [{ accountId: tg }, { accountId: ig }],
      media: [wide],
      local: '2026-09-01T10:00',
    });
    const blocked = await value<{ problems: PostProblem[] }>('posts.schedule', { id: post.id, revision: 1 });
    const ratio = blocked.problems.find((p) => p.code === 'aspect_ratio');
    expect(ratio).toMatchObject({ network: 'instagram', mediaId: wide, params: { position: 1, fix: 'crop', fixAspect: '1.91:1' } });
    // An override with a square photo for Instagram alone clears it.
    const fixed = await value<Post>('posts.update', {
      id: post.id,
      revision: 1,
      targets: [{ accountId: tg }, { accountId: ig, mediaOverride: [square] }],
    });
    const outcome = await value<{ scheduled: boolean; problems: PostProblem[]; post: Post }>('posts.schedule', {
      id: post.id,
      revision: fixed.revision,
    });
    expect(codes(outcome.problems)).toEqual([]);
    expect(outcome.scheduled).toBe(true);
    expect(outcome.post.status).toBe('scheduled');
    expect(outcome.post.targets.map((x) => x.state)).toEqual(['scheduled', 'scheduled']);
  });

  it('refuses an account that must be reconnected', async () => {
    const tg = addAccount('telegram', 'chan', projectId, 'reconnect_needed');
    const post = await value<Post>('posts.create', { projectId, body: 'x', targets: [{ accountId: tg }], local: '2026-09-01T10:00' });
    const outcome = await value<{ problems: PostProblem[] }>('posts.schedule', { id: post.id, revision: 1 });
    expect(codes(outcome.problems)).toEqual(['account_reconnect_needed']);
  });

  it('takes a scheduled post back to draft when an edit breaks the rules, and unschedules on request', async () => {
    const x = addAccount('x', 'acme');
    const post = await value<Post>('posts.create', { projectId, body: 'ok', targets: [{ accountId: x }], local: '2026-09-01T10:00' });
    const { post: scheduled } = await value<{ post: Post }>('posts.schedule', { id: post.id, revision: 1 });
    expect(scheduled.status).toBe('scheduled');
    const fine = await value<Post>('posts.update', { id: post.id, revision: scheduled.revision, body: 'still ok' });
    expect(fine.status).toBe('scheduled');
    const broken = await value<Post>('posts.update', { id: post.id, revision: fine.revision, body: 'x'.repeat(281) });
    expect(broken.status).toBe('draft');
    expect(broken.targets[0]?.state).toBe('pending');
    expect(broken.body).toBe('x'.repeat(281));
    const again = await value<Post>('posts.update', { id: post.id, revision: broken.revision, body: 'ok again' });
    const { post: rescheduled } = await value<{ post: Post }>('posts.schedule', { id: post.id, revision: again.revision });
    const unscheduled = await value<Post>('posts.unschedule', { id: post.id, revision: rescheduled.revision });
    expect(unscheduled.status).toBe('draft');
    expect(unscheduled.scheduledAt).toBe(rescheduled.scheduledAt);
  });

  it('keeps published posts as they went out', async () => {
    const x = addAccount('x', 'acme');
    const post = await value<Post>('posts.create', { projectId, body: 'ok', targets: [{ accountId: x }] });
    t.backend.services.db.prepare(`UPDATE posts SET status = 'published'`).run();
    expect(await call('posts.update', { id: post.id, revision: 1, body: 'changed' })).toMatchObject({
      ok: false,
      error: { reason: 'post_not_editable' },
    });
    // Notes and labels stay editable: they never go out.
    expect((await value<Post>('posts.update', { id: post.id, revision: 1, notes: 'did well' })).notes).toBe('did well');
  });
});

describe('a stored value that cannot be read', () => {
  it('is logged by table, column and row and blocks scheduling instead of being guessed', async () => {
    const warnings: { message: string; fields: Record<string, unknown> | undefined }[] = [];
    const logger = { ...createNullLogger(), warn: (message: string, fields?: Record<string, unknown>) => void warnings.push({ message, fields }) };
    t.backend.close();
    t = openTestBackend(dir.path, t.clock, logger);
    const tg = addAccount('telegram', 'acme_channel');
    const post = await value<Post>('posts.create', { projectId, body: 'Bread', targets: [{ accountId: tg }], local: '2030-01-01T09:00' });
    t.backend.services.db.prepare(`UPDATE post_targets SET media_override = '[not json' WHERE post_id = ?`).run(post.id);
    const outcome = await value<{ scheduled: boolean; problems: PostProblem[]; post: Post }>('posts.schedule', { id: post.id, revision: post.revision });
    expect(outcome.scheduled).toBe(false);
    expect(outcome.problems).toContainEqual({ code: 'stored_data_unreadable', severity: 'error', params: { field: 'post_targets.media_override' } });
    const target = outcome.post.targets[0]?.id;
    expect(warnings).toContainEqual({ message: 'store: a stored value could not be read', fields: { table: 'post_targets', column: 'media_override', id: target } });
    // Where, never what: the stored text is not in the log.
    expect(JSON.stringify(warnings)).not.toContain('not json');
  });
});

describe('hashtag sets and snippets', () => {
  it('saves, lists, edits and deletes hashtag sets of a project, tidying the tags', async () => {
    const set = await value<{ id: string; tags: string[] }>('hashtags.save', {
      projectId,
      name: 'Bakery',
      tags: ['#bread', 'Bread', 'sourdough #baking', ''],
    });
    expect(set.tags).toEqual(['bread', 'sourdough', 'baking']);
    await value('hashtags.save', { projectId, id: set.id, name: 'Bakery basics', tags: ['bread'] });
    expect(await value<{ name: string; tags: string[] }[]>('hashtags.list', { projectId })).toMatchObject([
      { name: 'Bakery basics', tags: ['bread'] },
    ]);
    expect(await call('hashtags.save', { projectId, name: 'bad', tags: ['no-dashes'] })).toMatchObject({
      ok: false,
      error: { reason: 'hashtag_invalid' },
    });
    await value('hashtags.delete', { id: set.id });
    expect(await value('hashtags.list', { projectId })).toEqual([]);
  });

  it('saves snippets per project', async () => {
    const other = (await value<{ id: string }>('projects.create', { name: 'Other', color: '#2563eb', timezone: 'UTC' })).id;
    const s = await value<{ id: string }>('snippets.save', { projectId, name: 'Signature', body: '— The Acme team' });
    expect(await value<{ body: string }[]>('snippets.list', { projectId })).toMatchObject([{ body: '— The Acme team' }]);
    expect(await value('snippets.list', { projectId: other })).toEqual([]);
    expect(await call('snippets.save', { projectId: other, id: s.id, name: 'x', body: 'y' })).toMatchObject({
      ok: false,
      error: { reason: 'snippet_missing' },
    });
    expect(await call('snippets.save', { projectId, name: ' ', body: 'y' })).toMatchObject({ ok: false, error: { reason: 'set_name_empty' } });
  });
});

describe('migration 4', () => {
  it('serves the drafts list from its index', () => {
    const plan = t.backend.services.db
      .prepare(
        `EXPLAIN QUERY PLAN SELECT id FROM posts WHERE project_id = ? AND status IN ('draft') ORDER BY updated_at DESC LIMIT 50`,
      )
      .all('p') as { detail: string }[];
    expect(plan.map((row) => row.detail).join('\n')).toMatch(/USING (COVERING )?INDEX posts_project_status_updated/);
  });
});

describe('scheduling hands the post to the scheduler', () => {
  type JobLine = { targetId: string; state: string; dueAt: number; key: string };
  const jobs = (postId: string): JobLine[] =>
    t.backend.services.db
      .prepare(
        `SELECT j.target_id AS targetId, j.state, j.due_at AS dueAt, j.idempotency_key AS key
           FROM jobs j JOIN post_targets pt ON pt.id = j.target_id
          WHERE pt.post_id = ? AND j.kind = 'publish' ORDER BY j.created_at, j.target_id`,
      )
      .all(postId) as JobLine[];

  async function scheduled(): Promise<Post> {
    const tg = addAccount('telegram', 'chan');
    const masto = addAccount('mastodon', 'acme@example.social');
    const post = await value<Post>('posts.create', {
      projectId,
      body: 'Doors open at nine',
      targets: [{ accountId: tg }, { accountId: masto }],
      local: '2026-09-01T09:00',
    });
    const outcome = await value<{ scheduled: boolean; post: Post }>('posts.schedule', { id: post.id, revision: post.revision });
    expect(outcome.scheduled).toBe(true);
    return outcome.post;
  }

  it('queues one publish job per account at the chosen instant', async () => {
    const post = await scheduled();
    const nine = fromLocal('2026-09-01T09:00', 'Europe/Berlin');
    expect(jobs(post.id).map((j) => [j.state, j.dueAt])).toEqual([
      ['pending', nine],
      ['pending', nine],
    ]);
  });

  it('moves the jobs with a new time, keeping each job’s idempotency key', async () => {
    const post = await scheduled();
    const keys = jobs(post.id).map((j) => j.key);
    const moved = await value<Post>('posts.update', { id: post.id, revision: post.revision, local: '2026-09-02T18:30' });
    expect(moved.status).toBe('scheduled');
    expect(jobs(post.id).map((j) => [j.state, j.dueAt, j.key])).toEqual(
      keys.map((key) => ['pending', fromLocal('2026-09-02T18:30', 'Europe/Berlin'), key]),
    );
  });

  it('gives an account added later its own job, and takes the jobs back when unscheduled', async () => {
    const post = await scheduled();
    const bsky = addAccount('bluesky', 'acme.bsky.social');
    const withBsky = await value<Post>('posts.update', {
      id: post.id,
      revision: post.revision,
      targets: [...post.targets.map((x) => ({ accountId: x.accountId })), { accountId: bsky }],
    });
    expect(jobs(post.id).filter((j) => j.state === 'pending')).toHaveLength(3);

    const draft = await value<Post>('posts.unschedule', { id: post.id, revision: withBsky.revision });
    expect(draft.status).toBe('draft');
    expect(jobs(post.id).every((j) => j.state === 'cancelled')).toBe(true);
  });

  it('cancels the jobs when an edit breaks a rule and the post falls back to draft', async () => {
    const post = await scheduled();
    const edited = await value<Post>('posts.update', { id: post.id, revision: post.revision, body: 'x'.repeat(5000) });
    expect(edited.status).toBe('draft');
    expect(jobs(post.id).every((j) => j.state === 'cancelled')).toBe(true);
  });
});

describe('auto-delete after a paid period', () => {
  const HOUR = 3_600_000;
  type Outcome = { scheduled: boolean; problems: PostProblem[]; post: Post };

  it('is set on create and update, read back, copied by duplicate and turned off with null', async () => {
    const tg = addAccount('telegram', 'chan');
    const post = await value<Post>('posts.create', { projectId, body: 'Promo', targets: [{ accountId: tg }], autoDeleteAfterMs: 24 * HOUR });
    expect(post.autoDeleteAfterMs).toBe(24 * HOUR);
    const row = t.backend.services.db.prepare('SELECT auto_delete_after_ms AS ms FROM posts WHERE id = ?').get(post.id);
    expect(row).toEqual({ ms: 24 * HOUR });

    const updated = await value<Post>('posts.update', { id: post.id, revision: post.revision, autoDeleteAfterMs: 6 * HOUR });
    expect(updated).toMatchObject({ autoDeleteAfterMs: 6 * HOUR, revision: post.revision + 1 });
    expect((await value<Post>('posts.get', { id: post.id })).autoDeleteAfterMs).toBe(6 * HOUR);
    expect((await value<Post>('posts.duplicate', { id: post.id })).autoDeleteAfterMs).toBe(6 * HOUR);

    const off = await value<Post>('posts.update', { id: post.id, revision: updated.revision, autoDeleteAfterMs: null });
    expect(off.autoDeleteAfterMs).toBeNull();
    expect((await value<Post>('posts.create', { projectId })).autoDeleteAfterMs).toBeNull();
  });

  it('refuses a delay under an hour, over 365 days or not a whole number of milliseconds', async () => {
    const post = await value<Post>('posts.create', { projectId });
    for (const bad of [0, -HOUR, HOUR - 1, 365 * 24 * HOUR + 1, 1.5 * HOUR + 0.5, '24h']) {
      expect(await call('posts.update', { id: post.id, revision: 1, autoDeleteAfterMs: bad }), String(bad)).toMatchObject({ ok: false });
      expect(await call('posts.create', { projectId, autoDeleteAfterMs: bad }), String(bad)).toMatchObject({ ok: false });
    }
    expect(await call('posts.update', { id: post.id, revision: 1, autoDeleteAfterMs: 365 * 24 * HOUR })).toMatchObject({ ok: true });
  });

  it('cannot change once the post went out or while it is publishing', async () => {
    const tg = addAccount('telegram', 'chan');
    const post = await value<Post>('posts.create', { projectId, body: 'x', targets: [{ accountId: tg }] });
    const db = t.backend.services.db;
    db.prepare(`UPDATE post_targets SET state = 'publishing'`).run();
    expect(await call('posts.update', { id: post.id, revision: 1, autoDeleteAfterMs: HOUR })).toMatchObject({
      ok: false,
      error: { code: 'conflict', reason: 'post_publishing' },
    });
    db.prepare(`UPDATE posts SET status = 'published' WHERE id = ?`).run(post.id);
    expect(await call('posts.update', { id: post.id, revision: 1, autoDeleteAfterMs: HOUR })).toMatchObject({
      ok: false,
      error: { code: 'validation', reason: 'post_not_editable' },
    });
  });

  it('blocks scheduling on Telegram beyond its 48-hour delete window, naming the network and the limit', async () => {
    const tg = addAccount('telegram', 'chan');
    const masto = addAccount('mastodon', 'acme@example.social');
    const post = await value<Post>('posts.create', {
      projectId,
      body: 'Promo for a week',
      targets: [{ accountId: tg }, { accountId: masto }],
      local: '2026-09-01T09:00',
      autoDeleteAfterMs: 7 * 24 * HOUR,
    });
    const blocked = await value<Outcome>('posts.schedule', { id: post.id, revision: post.revision });
    expect(blocked.scheduled).toBe(false);
    // Only the Telegram target: Mastodon can delete at any time.
    expect(blocked.problems.filter((p) => p.code === 'auto_delete_beyond_window')).toEqual([
      { code: 'auto_delete_beyond_window', severity: 'error', accountId: tg, network: 'telegram', params: { limitHours: 48 } },
    ]);

    const within = await value<Post>('posts.update', { id: post.id, revision: post.revision, autoDeleteAfterMs: 48 * HOUR });
    const outcome = await value<Outcome>('posts.schedule', { id: post.id, revision: within.revision });
    expect(outcome.scheduled).toBe(true);

    // Lengthening it on a scheduled post takes the post back to draft, as any edit that breaks a rule does.
    const back = await value<Post>('posts.update', { id: post.id, revision: outcome.post.revision, autoDeleteAfterMs: 49 * HOUR });
    expect(back.status).toBe('draft');
  });
});
