import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CalendarEntry, Post, RequestName } from '../../../main/core/contract';
import type { Result } from '../../../main/core/errors';
import { fromLocal, toLocal } from '../../../main/core/posts/time';
import { FakeClock, makeTempDir, openTestBackend, type TestBackend } from '../support/backend';

/**
 * Queue slots for the whole project (migration 13): accounts without slots of their own use them,
 * "Add to queue" and the free slots follow them, and queue.restore undoes a queueing.
 */

const ZONE = 'Asia/Jerusalem';

let dir: ReturnType<typeof makeTempDir>;
let t: TestBackend;
let projectId: string;
let mastodon: string;
let telegram: string;

async function call<T = unknown>(name: RequestName, args: unknown): Promise<Result<T>> {
  return (await t.backend.dispatch(name, args)) as Result<T>;
}

async function value<T>(name: RequestName, args: unknown): Promise<T> {
  const result = await call<T>(name, args);
  if (!result.ok) throw new Error(`${name} failed: ${JSON.stringify(result.error)}`);
  return result.value;
}

function addAccount(network: string, handle: string): string {
  const id = `acc-${network}-${handle}`;
  t.backend.services.db
    .prepare(
      `INSERT INTO accounts (id, project_id, network, handle, display_name, status, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, 'connected', 0, 0)`,
    )
    .run(id, projectId, network, handle, handle.toUpperCase());
  return id;
}

const at = (local: string) => fromLocal(local, ZONE) as number;
const local = (instant: number | null) => (instant === null ? null : toLocal(instant, ZONE));

async function draft(body: string, time: string | null, accounts: string[]): Promise<Post> {
  return value<Post>('posts.create', { projectId, body, targets: accounts.map((accountId) => ({ accountId })), local: time });
}

beforeEach(async () => {
  dir = makeTempDir();
  // Saturday 5 December 2026, 10:00 UTC (12:00 in Jerusalem)
  t = openTestBackend(dir.path, new FakeClock(Date.UTC(2026, 11, 5, 10, 0)));
  projectId = (await value<{ id: string }>('projects.create', { name: 'Bakery', color: '#db2777', timezone: ZONE })).id;
  mastodon = addAccount('mastodon', 'bakery@mastodon.social');
  telegram = addAccount('telegram', '@bakery');
});

afterEach(() => {
  t.backend.close();
  dir.remove();
});

describe('project-wide queue slots', () => {
  it('are stored by migration 13 and go with the project', async () => {
    const saved = await value('queue.saveProject', { projectId, slots: [{ weekday: 1, minute: 540 }, { weekday: 1, minute: 540 }], minSpacingMinutes: 60 });
    expect(saved).toEqual({ slots: [{ weekday: 1, minute: 540 }], minSpacingMinutes: 60 });
    expect(t.events).toContainEqual({ event: 'queue.changed', payload: { projectId, accountId: null } });
    const got = await value<{ project: unknown; queues: { accountId: string; slots: unknown[] }[] }>('queue.get', { projectId });
    expect(got.project).toEqual({ slots: [{ weekday: 1, minute: 540 }], minSpacingMinutes: 60 });
    // Accounts keep their own (empty) lists: the project's slots are not copied into them.
    expect(got.queues.every((q) => q.slots.length === 0)).toBe(true);
  });

  it('place a post of accounts without their own slots, and an account’s own slots win for that account', async () => {
    // Mondays and Wednesdays at 09:00, the whole project.
    await value('queue.saveProject', { projectId, slots: [{ weekday: 1, minute: 540 }, { weekday: 3, minute: 540 }], minSpacingMinutes: 0 });
    const first = await draft('Challah Friday', null, [mastodon, telegram]);
    const queued = await value<{ entry: CalendarEntry; scheduled: boolean }>('queue.add', { id: first.id, revision: first.revision });
    expect(local(queued.entry.scheduledAt)).toBe('2026-12-07T09:00');
    expect(queued.scheduled).toBe(true);

    // The Monday slot is taken: the next post gets Wednesday.
    const second = await draft('Sufganiyot', null, [telegram]);
    const next = await value<{ entry: CalendarEntry }>('queue.add', { id: second.id, revision: second.revision });
    expect(local(next.entry.scheduledAt)).toBe('2026-12-09T09:00');

    // Mastodon's own slot (Tuesday 18:00) replaces the project's for Mastodon only.
    await value('queue.save', { accountId: mastodon, slots: [{ weekday: 2, minute: 1080 }], minSpacingMinutes: 0 });
    const third = await draft('Evening post', null, [mastodon]);
    const own = await value<{ entry: CalendarEntry }>('queue.add', { id: third.id, revision: third.revision });
    expect(local(own.entry.scheduledAt)).toBe('2026-12-08T18:00');

    // Free slots: Mastodon's own Tuesdays; Telegram's project Mondays/Wednesdays minus its two posts.
    const free = await value<{ slots: { accountId: string; at: number }[] }>('queue.free', { projectId, from: at('2026-12-06T00:00'), to: at('2026-12-13T00:00') });
    expect(free.slots.map((s) => [s.accountId, local(s.at)])).toEqual([]);
    const later = await value<{ slots: { accountId: string; at: number }[] }>('queue.free', { projectId, from: at('2026-12-13T00:00'), to: at('2026-12-20T00:00') });
    expect(later.slots.map((s) => [s.accountId === mastodon ? 'mastodon' : 'telegram', local(s.at)])).toEqual([
      ['telegram', '2026-12-14T09:00'],
      ['mastodon', '2026-12-15T18:00'],
      ['telegram', '2026-12-16T09:00'],
    ]);
  });

  it('say so when neither the project nor the accounts have slots', async () => {
    const post = await draft('Nowhere', null, [telegram]);
    expect(await call('queue.add', { id: post.id, revision: post.revision })).toMatchObject({ ok: false, error: { reason: 'queue_no_slots' } });
  });
});

describe('undoing "Add to queue"', () => {
  beforeEach(async () => {
    await value('queue.saveProject', { projectId, slots: [{ weekday: 1, minute: 540 }], minSpacingMinutes: 0 });
  });

  it('takes a draft without a time back to a draft without a time', async () => {
    const post = await draft('Undo me', null, [mastodon]);
    const queued = await value<{ entry: CalendarEntry; scheduled: boolean }>('queue.add', { id: post.id, revision: post.revision });
    expect(queued.scheduled).toBe(true);
    const back = await value<Post>('queue.restore', { id: post.id, revision: queued.entry.revision, at: null, scheduled: false });
    expect(back.status).toBe('draft');
    expect(back.scheduledAt).toBeNull();
    const jobs = t.backend.services.db.prepare("SELECT count(*) AS n FROM jobs j JOIN post_targets t ON t.id = j.target_id WHERE t.post_id = ? AND j.state IN ('pending', 'running')").get(post.id) as { n: number } | undefined;
    expect(jobs?.n ?? 0).toBe(0);
  });

  it('gives a scheduled post its previous time back, still scheduled', async () => {
    const post = await draft('Was Thursday', '2026-12-10T12:00', [mastodon]);
    const scheduled = await value<{ post: Post; scheduled: boolean }>('posts.schedule', { id: post.id, revision: post.revision });
    expect(scheduled.scheduled).toBe(true);
    const queued = await value<{ entry: CalendarEntry }>('queue.add', { id: post.id, revision: scheduled.post.revision });
    expect(local(queued.entry.scheduledAt)).toBe('2026-12-07T09:00');
    const back = await value<Post>('queue.restore', { id: post.id, revision: queued.entry.revision, at: at('2026-12-10T12:00'), scheduled: true });
    expect(back.status).toBe('scheduled');
    expect(local(back.scheduledAt)).toBe('2026-12-10T12:00');
  });

  it('refuses when the post changed since it was queued', async () => {
    const post = await draft('Edited since', null, [mastodon]);
    const queued = await value<{ entry: CalendarEntry }>('queue.add', { id: post.id, revision: post.revision });
    await value('posts.update', { id: post.id, revision: queued.entry.revision, body: 'Edited since, again' });
    expect(await call('queue.restore', { id: post.id, revision: queued.entry.revision, at: null, scheduled: false })).toMatchObject({
      ok: false,
      error: { code: 'conflict' },
    });
  });
});
