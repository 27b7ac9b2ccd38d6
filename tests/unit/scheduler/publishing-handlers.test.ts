import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AttentionEntry, HistoryLine, Post, RequestName } from '../../../main/core/contract';
import type { Result } from '../../../main/core/errors';
import { getJob, liveJobOfTarget, recordStop } from '../../../main/services/scheduler/jobs-repo';
import { makeTempDir, openTestBackend, type TestBackend } from '../support/backend';

/**
 * "Publish now", reschedule, "I checked: it is published", history and the needs-attention list
 * through the real boundary on a real store. The loop is not started: the tests put jobs into the
 * states the engine would (missed, unknown outcome) and check what the user's actions do to them.
 */

let dir: ReturnType<typeof makeTempDir>;
let t: TestBackend;
let projectId: string;
let accountId: string;

async function call<T = unknown>(name: RequestName, args: unknown): Promise<Result<T>> {
  return (await t.backend.dispatch(name, args)) as Result<T>;
}

async function value<T>(name: RequestName, args: unknown): Promise<T> {
  const result = await call<T>(name, args);
  if (!result.ok) throw new Error(`${name} failed: ${JSON.stringify(result.error)}`);
  return result.value;
}

function addAccount(id: string, project = projectId): string {
  t.backend.services.db
    .prepare(
      `INSERT INTO accounts (id, project_id, network, handle, display_name, status, created_at, updated_at)
       VALUES (?, ?, 'mastodon', ?, ?, 'connected', 0, 0)`,
    )
    .run(id, project, `${id}@example.social`, id);
  return id;
}

/** A scheduled post due in an hour (the fake clock stands still unless a test moves it). */
async function scheduledPost(body = 'Hello from Outpost', account = accountId, project = projectId): Promise<Post> {
  const draft = await value<Post>('posts.create', { projectId: project, body, targets: [{ accountId: account }], local: '2026-01-05T11:00' });
  const scheduled = await value<{ post: Post; scheduled: boolean }>('posts.schedule', { id: draft.id, revision: draft.revision });
  expect(scheduled.scheduled).toBe(true);
  return scheduled.post;
}

/** Puts the target's publish job where the engine would after a missed window or a lost answer. */
function park(post: Post, reason: 'missed' | 'unknown_outcome', message: string | null = null): string {
  const db = t.backend.services.db;
  const targetId = post.targets[0]!.id;
  const job = liveJobOfTarget(db, targetId);
  if (!job) throw new Error('no job');
  recordStop(db, job, { state: 'needs_attention', reason, message }, t.clock.now());
  return targetId;
}

beforeEach(async () => {
  dir = makeTempDir();
  t = openTestBackend(dir.path);
  // Europe/Berlin: 2026-01-05T11:00 local is 10:00 UTC, an hour after the fake clock's 09:00 UTC.
  projectId = (await value<{ id: string }>('projects.create', { name: 'Acme', color: '#2563eb', timezone: 'Europe/Berlin' })).id;
  accountId = addAccount('acc-masto');
});

afterEach(() => {
  t.backend.close();
  dir.remove();
});

describe('publishing.publishNow', () => {
  it('sends a missed post at once and the history shows why it waited', async () => {
    const post = await scheduledPost();
    const targetId = park(post, 'missed');
    expect((await value<Post>('posts.get', { id: post.id })).status).toBe('needs_attention');

    t.clock.advance(5_000);
    const after = await value<Post>('publishing.publishNow', { id: post.id });
    expect(after.status).toBe('scheduled');
    expect(after.targets[0]!.state).toBe('scheduled');
    expect(after.revision).toBeGreaterThan(post.revision);
    const job = liveJobOfTarget(t.backend.services.db, targetId)!;
    expect(job.state).toBe('pending');
    expect(job.nextAttemptAt).toBe(t.clock.now());

    const history = await value<HistoryLine[]>('publishing.history', { id: post.id });
    expect(history.map((h) => h.event)).toEqual(['scheduled', 'needs_attention', 'publish_now']);
    expect(history[1]).toMatchObject({ reason: 'missed', handle: 'acc-masto@example.social', network: 'mastodon' });
    expect(history[0]).not.toHaveProperty('idempotencyKey');
    expect(t.events.some((e) => e.event === 'posts.changed')).toBe(true);
  });

  it('publishes a ready draft without a time, but refuses a draft with problems and a published post', async () => {
    const draft = await value<Post>('posts.create', { projectId, body: 'No time yet', targets: [{ accountId }] });
    const sent = await value<Post>('publishing.publishNow', { id: draft.id });
    expect(sent.status).toBe('scheduled');

    const empty = await value<Post>('posts.create', { projectId, body: 'Nowhere to go' });
    const refused = await call('publishing.publishNow', { id: empty.id });
    expect(refused).toMatchObject({ ok: false, error: { code: 'validation', reason: 'post_not_ready' } });

    const post = await scheduledPost('Out already');
    const targetId = park(post, 'unknown_outcome');
    await value('publishing.confirmPublished', { targetId });
    const again = await call('publishing.publishNow', { id: post.id });
    expect(again).toMatchObject({ ok: false, error: { code: 'validation', reason: 'post_already_published' } });
  });

  it('answers not_found for a post that does not exist', async () => {
    expect(await call('publishing.publishNow', { id: 'nope' })).toMatchObject({ ok: false, error: { code: 'not_found', reason: 'post_missing' } });
  });
});

describe('publishing.reschedule', () => {
  it('moves a missed post to an exact instant or a wall time, keeping its job and idempotency key', async () => {
    const post = await scheduledPost();
    const targetId = park(post, 'missed');
    const before = liveJobOfTarget(t.backend.services.db, targetId)!;

    const at = t.clock.now() + 2_000;
    const moved = await value<Post>('publishing.reschedule', { id: post.id, at });
    expect(moved.scheduledAt).toBe(at);
    expect(moved.status).toBe('scheduled');
    const job = getJob(t.backend.services.db, before.id)!;
    expect(job).toMatchObject({ state: 'pending', dueAt: at, nextAttemptAt: at, idempotencyKey: before.idempotencyKey });

    const byWallTime = await value<Post>('publishing.reschedule', { id: post.id, local: '2026-01-06T08:15' });
    expect(byWallTime.scheduledAt).toBe(Date.UTC(2026, 0, 6, 7, 15));
    expect(byWallTime.local).toBe('2026-01-06T08:15');
  });

  it('refuses a time that has passed, a draft, and both or neither of local and at', async () => {
    const post = await scheduledPost();
    expect(await call('publishing.reschedule', { id: post.id, at: t.clock.now() - 1 })).toMatchObject({
      ok: false,
      error: { code: 'validation', reason: 'time_in_past' },
    });
    const draft = await value<Post>('posts.create', { projectId, body: 'Draft', targets: [{ accountId }] });
    expect(await call('publishing.reschedule', { id: draft.id, at: t.clock.now() + 60_000 })).toMatchObject({
      ok: false,
      error: { reason: 'post_not_scheduled' },
    });
    expect(await call('publishing.reschedule', { id: post.id })).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    expect(await call('publishing.reschedule', { id: post.id, at: t.clock.now() + 60_000, local: '2026-01-06T08:15' })).toMatchObject({
      ok: false,
      error: { code: 'bad_request' },
    });
  });
});

describe('publishing.confirmPublished', () => {
  it('marks a target whose answer was lost as published with the link the user gives, once', async () => {
    const post = await scheduledPost();
    const targetId = park(post, 'unknown_outcome', 'The connection was reset.');
    const url = 'https://example.social/@acc-masto/1';

    const confirmed = await value<Post>('publishing.confirmPublished', { targetId, url });
    expect(confirmed.status).toBe('published');
    expect(confirmed.targets[0]).toMatchObject({ state: 'published', remoteUrl: url });
    const history = await value<HistoryLine[]>('publishing.history', { id: post.id });
    expect(history.at(-1)).toMatchObject({ event: 'confirmed', url });
    expect(history.find((h) => h.event === 'needs_attention')).toMatchObject({ reason: 'unknown_outcome', message: 'The connection was reset.' });

    expect(await call('publishing.confirmPublished', { targetId })).toMatchObject({
      ok: false,
      error: { code: 'conflict', reason: 'schedule_not_waiting' },
    });
    expect(await call('publishing.confirmPublished', { targetId: 'nope' })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await call('publishing.confirmPublished', { targetId, url: 'javascript:alert(1)' })).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    // The link is opened in the browser later: https only.
    expect(await call('publishing.confirmPublished', { targetId, url: 'http://example.social/@acc/1' })).toMatchObject({ ok: false, error: { code: 'bad_request' } });
  });
});

describe('publishing.attention', () => {
  it('lists waiting targets earliest first, per project or all, with a short excerpt', async () => {
    const other = (await value<{ id: string }>('projects.create', { name: 'Other', color: '#16a34a', timezone: 'UTC' })).id;
    const otherAccount = addAccount('acc-other', other);
    const long = 'x'.repeat(500);
    const a = await scheduledPost(long);
    const b = await value<Post>('posts.create', { projectId: other, body: 'Other project', targets: [{ accountId: otherAccount }], local: '2026-01-05T09:30' });
    const bScheduled = (await value<{ post: Post }>('posts.schedule', { id: b.id, revision: b.revision })).post;
    park(a, 'missed');
    park(bScheduled, 'unknown_outcome');

    const all = await value<AttentionEntry[]>('publishing.attention', {});
    expect(all.map((i) => i.postId)).toEqual([bScheduled.id, a.id]);
    expect(all[1]).toMatchObject({ reason: 'missed', network: 'mastodon', projectId });
    expect(all[1]!.excerpt.length).toBeLessThanOrEqual(140);
    expect(all[1]).not.toHaveProperty('body');

    const mine = await value<AttentionEntry[]>('publishing.attention', { projectId });
    expect(mine.map((i) => i.postId)).toEqual([a.id]);

    await value('publishing.publishNow', { id: a.id });
    expect(await value<AttentionEntry[]>('publishing.attention', { projectId })).toEqual([]);
  });
});

describe('posts.delete of a post handed to the network', () => {
  it('takes the copy back first; while that cannot happen (the loop is not running here) the post is kept, off the schedule, and the error says why', async () => {
    const post = await scheduledPost();
    const db = t.backend.services.db;
    const targetId = post.targets[0]!.id;
    db.prepare(`UPDATE post_targets SET native_schedule_id = 'n1', state = 'native_scheduled' WHERE id = ?`).run(targetId);
    expect(await call('posts.delete', { id: post.id })).toMatchObject({ ok: false, error: { code: 'conflict', reason: 'post_native_take_back_failed' } });
    // Never lost: the post and its network copy's id stay; it will not be published from here, and the take-back is queued.
    expect((await value<Post>('posts.get', { id: post.id })).targets[0]).toMatchObject({ state: 'native_scheduled' });
    expect(db.prepare(`SELECT kind, state FROM jobs WHERE target_id = ? ORDER BY kind`).all(targetId)).toEqual([
      { kind: 'native_schedule', state: 'pending' },
      { kind: 'publish', state: 'cancelled' },
    ]);
  });

  it('a post whose copy was taken back earlier is deleted at once', async () => {
    const post = await scheduledPost();
    t.backend.services.db.prepare(`UPDATE post_targets SET native_schedule_id = NULL, state = 'pending' WHERE id = ?`).run(post.targets[0]!.id);
    expect(await call('posts.delete', { id: post.id })).toMatchObject({ ok: true, value: { id: post.id } });
    expect(await call('posts.get', { id: post.id })).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });
});
