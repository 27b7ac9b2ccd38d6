import ICAL from 'ical.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CalendarEntry, RequestName } from '../../../main/core/contract';
import type { Result } from '../../../main/core/errors';
import { fromLocal, toLocal } from '../../../main/core/posts/time';
import type { PackWords } from '../../../main/core/contract/calendar';
import { networkIds } from '../../../main/core/networks/ids';
import { ENTRIES_FOR_PROJECT_SQL, ENTRIES_SQL } from '../../../main/services/calendar/calendar-repo';
import { createHandlers } from '../../../main/services/services';
import { schemaVersion } from '../../../main/services/store/database';
import { FakeClock, makeTempDir, openTestBackend, type TestBackend } from '../support/backend';

/**
 * The calendar's handlers through the real boundary on a real store: range, move (never into the
 * past), approval, queues with spacing, repeating and evergreen posts, CSV import (all or nothing)
 * and export. Posts are made with the composer's posts.* handlers, as the calendar itself does.
 */

const ZONE = 'Europe/Berlin';

const packWords: PackWords = {
  title: 'Approval',
  subtitle: 'Acme Bakery · March 2026',
  generated: 'Made on 2 March 2026',
  empty: 'No posts',
  firstComment: 'First comment',
  notes: 'Notes',
  labels: 'Labels',
  unscheduled: 'No time',
  approvalHeading: 'Approval',
  approval: { draft: 'Draft', in_review: 'In review', approved: 'Approved' },
  networks: Object.fromEntries(networkIds.map((n) => [n, n[0]?.toUpperCase() + n.slice(1)])) as PackWords['networks'],
  signature: 'Approved by',
  date: 'Date',
};
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

function addAccount(network: string, handle: string, project = projectId): string {
  const id = `acc-${network}-${handle}`;
  t.backend.services.db
    .prepare(
      `INSERT INTO accounts (id, project_id, network, handle, display_name, status, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, 'connected', 0, 0)`,
    )
    .run(id, project, network, handle, handle.toUpperCase());
  return id;
}

const at = (local: string) => fromLocal(local, ZONE) as number;

async function createPost(body: string, local: string | null, accounts = [mastodon], schedule = true) {
  const post = await value<{ id: string; revision: number }>('posts.create', {
    projectId,
    body,
    targets: accounts.map((accountId) => ({ accountId })),
    local,
  });
  if (!schedule || local === null) return post;
  const scheduled = await value<{ post: { id: string; revision: number }; scheduled: boolean }>('posts.schedule', { id: post.id, revision: post.revision });
  expect(scheduled.scheduled).toBe(true);
  return scheduled.post;
}

async function range(from: string, to: string, more: object = {}): Promise<CalendarEntry[]> {
  return (await value<{ entries: CalendarEntry[] }>('calendar.range', { projectId, from: at(from), to: at(to), ...more })).entries;
}

beforeEach(async () => {
  dir = makeTempDir();
  // Monday 2 March 2026, 09:00 UTC
  t = openTestBackend(dir.path, new FakeClock(Date.UTC(2026, 2, 2, 9, 0)));
  projectId = (await value<{ id: string }>('projects.create', { name: 'Acme Bakery', color: '#db2777', timezone: ZONE })).id;
  mastodon = addAccount('mastodon', 'acme@mastodon.social');
  telegram = addAccount('telegram', '@acmebakery');
});

afterEach(() => {
  t.backend.close();
  dir.remove();
});

describe('migration 7', () => {
  it('adds approval (draft by default), series, queue and evergreen tables', async () => {
    const db = t.backend.services.db;
    expect(schemaVersion(db)).toBeGreaterThanOrEqual(7);
    const post = await createPost('hi', '2026-03-10T10:00');
    expect((db.prepare('SELECT approval FROM posts WHERE id = ?').get(post.id) as { approval: string }).approval).toBe('draft');
    expect(() => db.prepare(`UPDATE posts SET approval = 'maybe' WHERE id = ?`).run(post.id)).toThrow(/CHECK/);
    for (const table of ['time_slots', 'queue_settings', 'evergreen_posts', 'evergreen_settings']) {
      expect(db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name = ?`).get(table)).toBeDefined();
    }
  });

  it('serves the range queries from the scheduled-time indexes', () => {
    const db = t.backend.services.db;
    const plan = (sql: string, params: object) =>
      (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(params) as { detail: string }[]).map((r) => r.detail).join('\n');
    expect(plan(ENTRIES_FOR_PROJECT_SQL, { projectId, from: 0, to: 1 })).toMatch(/USING INDEX posts_project_scheduled/);
    expect(plan(ENTRIES_SQL, { from: 0, to: 1 })).toMatch(/USING INDEX posts_scheduled/);
  });
});

describe('range, facets and search', () => {
  it('gives each entry its first image for a thumbnail: a video before it is skipped, no image gives null', async () => {
    const db = t.backend.services.db;
    const media = (id: string, mime: string) =>
      db.prepare(`INSERT INTO media (id, sha256, mime, bytes, created_at) VALUES (?, ?, ?, 1, 0)`).run(id, `sha-${id}`, mime);
    media('m-video', 'video/mp4');
    media('m-photo', 'image/jpeg');
    const withImage = await createPost('Photo post', '2026-03-10T10:00');
    await createPost('Text post', '2026-03-10T11:00');
    const attach = db.prepare('INSERT INTO post_media (post_id, media_id, position) VALUES (?, ?, ?)');
    attach.run(withImage.id, 'm-video', 0);
    attach.run(withImage.id, 'm-photo', 1);
    const entries = await range('2026-03-01T00:00', '2026-04-01T00:00');
    expect(entries.map((e) => [e.excerpt, e.mediaCount, e.thumbnailId])).toEqual([
      ['Photo post', 2, 'm-photo'],
      ['Text post', 0, null],
    ]);
    expect((await value<{ entries: CalendarEntry[] }>('calendar.range', { from: at('2026-03-01T00:00'), to: at('2026-04-01T00:00'), search: 'photo' })).entries[0]?.thumbnailId).toBe('m-photo');
  });

  it('lists the posts of a range with their accounts, networks and labels; all projects too', async () => {
    const a = await createPost('Fresh bread', '2026-03-10T10:00', [mastodon, telegram]);
    await value('posts.update', { id: a.id, revision: a.revision, labels: ['Promo'], notes: 'ask Anna' });
    await createPost('Croissants', '2026-03-11T08:30');
    await createPost('Out of range', '2026-04-11T08:30');
    const other = (await value<{ id: string }>('projects.create', { name: 'Other', color: '#2563eb', timezone: 'America/New_York' })).id;
    await value('posts.create', { projectId: other, body: 'Elsewhere', local: '2026-03-12T09:00' });

    const entries = await range('2026-03-01T00:00', '2026-04-01T00:00');
    expect(entries.map((e) => e.excerpt)).toEqual(['Fresh bread', 'Croissants']);
    expect(entries[0]).toMatchObject({ accountIds: [mastodon, telegram], networks: ['mastodon', 'telegram'], labels: ['Promo'], approval: 'draft', status: 'scheduled' });
    const all = await value<{ entries: CalendarEntry[] }>('calendar.range', { from: at('2026-03-01T00:00'), to: at('2026-04-01T00:00') });
    expect(all.entries.map((e) => e.excerpt)).toEqual(['Fresh bread', 'Croissants', 'Elsewhere']);
    expect((await range('2026-03-01T00:00', '2026-04-01T00:00', { search: 'ANNA' })).map((e) => e.excerpt)).toEqual(['Fresh bread']);
    expect((await range('2026-03-01T00:00', '2026-04-01T00:00', { search: 'promo bread' })).map((e) => e.excerpt)).toEqual(['Fresh bread']);
    const facets = await value<{ accounts: { id: string }[]; labels: string[] }>('calendar.facets', { projectId });
    expect(facets.accounts.map((x) => x.id).sort()).toEqual([mastodon, telegram].sort());
    expect(facets.labels).toEqual(['Promo']);
  });

  it('refuses a range longer than 100 days', async () => {
    const result = await call('calendar.range', { projectId, from: 0, to: 101 * 86_400_000 });
    expect(result.ok).toBe(false);
  });
});

describe('moving posts', () => {
  it('moves a post through the composer’s update and keeps it scheduled', async () => {
    const post = await createPost('Move me', '2026-03-10T10:00');
    const moved = await value<{ entry: CalendarEntry; scheduled: boolean }>('calendar.move', { id: post.id, revision: post.revision, at: at('2026-03-12T14:15') });
    expect(moved.scheduled).toBe(true);
    expect(toLocal(moved.entry.scheduledAt as number, ZONE)).toBe('2026-03-12T14:15');
    expect(moved.entry.revision).toBe(post.revision + 1);
    expect(t.events.some((e) => e.event === 'posts.changed')).toBe(true);
  });

  it('says why a moved post went back to draft', async () => {
    const post = await createPost('Held', '2026-03-10T10:00');
    t.backend.services.db.prepare(`UPDATE accounts SET status = 'reconnect_needed' WHERE id = ?`).run(mastodon);
    const moved = await value<{ entry: CalendarEntry; scheduled: boolean; problems: { code: string }[] }>('calendar.move', {
      id: post.id,
      revision: post.revision,
      at: at('2026-03-11T10:00'),
    });
    expect(moved.scheduled).toBe(false);
    expect(moved.entry.status).toBe('draft');
    expect(moved.problems.map((p) => p.code)).toEqual(['account_reconnect_needed']);
  });

  it('refuses a move into the past, and a stale revision', async () => {
    const post = await createPost('Stay', '2026-03-10T10:00');
    const past = await call('calendar.move', { id: post.id, revision: post.revision, at: at('2026-03-01T10:00') });
    expect(past).toMatchObject({ ok: false, error: { code: 'validation', reason: 'move_into_past' } });
    const stale = await call('calendar.move', { id: post.id, revision: post.revision - 1, at: at('2026-03-11T10:00') });
    expect(stale).toMatchObject({ ok: false, error: { code: 'conflict' } });
  });

  it('schedules a draft dropped from the sidebar, or says what blocks it', async () => {
    const ready = await createPost('Ready', null);
    const placed = await value<{ scheduled: boolean; entry: CalendarEntry }>('calendar.move', { id: ready.id, revision: ready.revision, at: at('2026-03-20T09:00'), schedule: true });
    expect(placed.scheduled).toBe(true);
    const empty = await value<{ id: string; revision: number }>('posts.create', { projectId, body: 'No accounts' });
    const blocked = await value<{ scheduled: boolean; problems: { code: string }[]; entry: CalendarEntry }>('calendar.move', {
      id: empty.id,
      revision: empty.revision,
      at: at('2026-03-20T10:00'),
      schedule: true,
    });
    expect(blocked.scheduled).toBe(false);
    expect(blocked.problems.map((p) => p.code)).toContain('no_targets');
    expect(blocked.entry.scheduledAt).toBe(at('2026-03-20T10:00'));
    expect((await value<{ entries: CalendarEntry[] }>('calendar.unscheduled', { projectId })).entries).toEqual([]);
  });

  it('sets the approval of many posts without touching their revision', async () => {
    const a = await createPost('A', '2026-03-10T10:00');
    const b = await createPost('B', '2026-03-10T11:00');
    const { entries } = await value<{ entries: CalendarEntry[] }>('calendar.setApproval', { ids: [a.id, b.id], approval: 'in_review' });
    expect(entries.map((e) => [e.approval, e.revision])).toEqual([
      ['in_review', a.revision],
      ['in_review', b.revision],
    ]);
  });

  it('sends an approved post back to review when its words change, but not when it only moves', async () => {
    const post = await createPost('Fresh bread at eight', '2026-03-10T10:00');
    await value('calendar.setApproval', { ids: [post.id], approval: 'approved' });
    const approval = async () => (await range('2026-03-01T00:00', '2026-04-01T00:00')).find((e) => e.id === post.id)?.approval;

    const moved = await value<{ entry: CalendarEntry }>('calendar.move', { id: post.id, revision: post.revision, at: at('2026-03-11T10:00') });
    expect(await approval()).toBe('approved');

    // The same words again (an autosave with nothing new) keep the client's approval.
    const same = await value<{ revision: number }>('posts.update', { id: post.id, revision: moved.entry.revision, body: 'Fresh bread at eight' });
    expect(await approval()).toBe('approved');

    await value('posts.update', { id: post.id, revision: same.revision, body: 'Fresh bread at nine' });
    expect(await approval()).toBe('in_review');
  });
});

describe('queues', () => {
  it('puts a post in the next free slot, keeping the account’s spacing, and lists the empty slots', async () => {
    // Mon/Wed/Fri 10:00 and 18:00, at least 4 hours between two posts of the account.
    const slots = [1, 3, 5].flatMap((weekday) => [
      { weekday, minute: 600 },
      { weekday, minute: 1080 },
    ]);
    await value('queue.save', { accountId: mastodon, slots, minSpacingMinutes: 240 });
    // The calendar's side panel lists free slots: it hears of the change without asking.
    expect(t.events).toContainEqual({ event: 'queue.changed', payload: { projectId, accountId: mastodon } });
    await createPost('Taken at 15:00 Monday', '2026-03-02T15:00');
    const post = await createPost('Queue me', null);
    const queued = await value<{ entry: CalendarEntry; scheduled: boolean }>('queue.add', { id: post.id, revision: post.revision });
    // 10:00 Monday is past at 09:00 UTC (10:00 Berlin) plus the lead; 18:00 is 3 h after 15:00.
    expect(toLocal(queued.entry.scheduledAt as number, ZONE)).toBe('2026-03-04T10:00');
    expect(queued.scheduled).toBe(true);
    const free = await value<{ slots: { accountId: string; at: number }[] }>('queue.free', { projectId, from: at('2026-03-02T00:00'), to: at('2026-03-09T00:00') });
    expect(free.slots.map((s) => toLocal(s.at, ZONE))).toEqual(['2026-03-04T18:00', '2026-03-06T10:00', '2026-03-06T18:00']);
    const none = await createPost('Nowhere', null, [telegram], false);
    expect(await call('queue.add', { id: none.id, revision: none.revision })).toMatchObject({ ok: false, error: { reason: 'queue_no_slots' } });
  });
});

describe('repeating and evergreen posts', () => {
  it('makes copies at each occurrence, keeping the wall time over DST, and replaces them on a new rule', async () => {
    const post = await createPost('Weekly tip', '2026-03-23T09:00');
    const made = await value<{ entries: CalendarEntry[] }>('calendar.repeat', { id: post.id, rule: { every: 1, unit: 'week', count: 3 } });
    expect(made.entries.map((e) => toLocal(e.scheduledAt as number, ZONE))).toEqual(['2026-03-23T09:00', '2026-03-30T09:00', '2026-04-06T09:00']);
    expect(made.entries.every((e) => e.repeats && e.status === 'scheduled')).toBe(true);
    const again = await value<{ entries: CalendarEntry[] }>('calendar.repeat', { id: post.id, rule: { every: 2, unit: 'day', until: '2026-03-27' } });
    expect(again.entries).toHaveLength(3);
    expect((await range('2026-03-23T00:00', '2026-04-30T00:00')).length).toBe(3);
    await value('calendar.repeat', { id: post.id, rule: null });
    expect((await range('2026-03-23T00:00', '2026-04-30T00:00')).map((e) => e.id)).toEqual([post.id]);
    expect(await call('calendar.repeat', { id: post.id, rule: { every: 1, unit: 'day' } })).toMatchObject({ ok: false, error: { reason: 'recurrence_end_missing' } });
  });

  it('re-queues pool posts in turn and waits out the minimum interval', async () => {
    await value('queue.save', { accountId: mastodon, slots: [1, 2, 3, 4, 5].map((weekday) => ({ weekday, minute: 720 })), minSpacingMinutes: 0 });
    const a = await createPost('Evergreen A', null, [mastodon], false);
    const b = await createPost('Evergreen B', null, [mastodon], false);
    await value('evergreen.set', { id: a.id, evergreen: true });
    await value('evergreen.set', { id: b.id, evergreen: true });
    await value('evergreen.configure', { projectId, minIntervalDays: 3 });
    const first = await value<{ entries: CalendarEntry[]; stoppedBy: string }>('evergreen.queue', { projectId, count: 5 });
    // A, B, then A again only 3 days after its first run.
    expect(first.entries.map((e) => [e.excerpt, toLocal(e.scheduledAt as number, ZONE)])).toEqual([
      ['Evergreen A', '2026-03-02T12:00'],
      ['Evergreen B', '2026-03-03T12:00'],
    ]);
    expect(first.stoppedBy).toBe('interval');
    const pool = await value<{ posts: { postId: string; lastQueuedAt: number | null }[] }>('evergreen.get', { projectId });
    expect(pool.posts.map((p) => p.lastQueuedAt)).toEqual([at('2026-03-02T12:00'), at('2026-03-03T12:00')]);
  });
});

describe('CSV import and export', () => {
  const header = 'date,time,text,accounts,labels';
  it('refuses a file with bad rows by their numbers and imports nothing; then imports all of it', async () => {
    const rows = Array.from({ length: 20 }, (_, i) => `2026-04-${String(1 + (i % 28)).padStart(2, '0')},10:${String(i).padStart(2, '0')},Post ${i},mastodon:acme@mastodon.social,plan`);
    rows[4] = '2026-04-31,10:00,Bad date,mastodon:acme@mastodon.social,';
    rows[9] = '2026-04-10,10:00,Unknown,mastodon:nobody@x.y,';
    rows[14] = `2026-04-15,10:00,${'z'.repeat(501)},mastodon:acme@mastodon.social,`;
    const csv = [header, ...rows].join('\n');
    const check = await value<{ badRows: number[] }>('calendar.importCheck', { projectId, csv });
    expect(check.badRows).toEqual([6, 11, 16]);
    const refused = await call('calendar.importCommit', { projectId, csv });
    expect(refused).toMatchObject({ ok: false, error: { code: 'validation', reason: 'import_has_errors', details: { rows: 3, first: 6 } } });
    expect(await range('2026-04-01T00:00', '2026-05-01T00:00')).toEqual([]);

    rows[4] = '2026-04-30,10:00,Good date,mastodon:acme@mastodon.social,';
    rows[9] = '2026-04-10,10:00,Known,telegram:@acmebakery,';
    rows[14] = '2026-04-15,10:00,Short,mastodon:acme@mastodon.social,';
    const imported = await value<{ created: number; scheduled: number }>('calendar.importCommit', { projectId, csv: [header, ...rows].join('\n') });
    expect(imported).toEqual({ created: 20, scheduled: 20 });
    const entries = await range('2026-04-01T00:00', '2026-05-01T00:00');
    expect(entries).toHaveLength(20);
    expect(entries[0]?.labels).toEqual(['plan']);
  });

  it('exports CSV that imports again, JSON, and an ICS feed', async () => {
    const post = await createPost('Bread, fresh; "warm"', '2026-03-10T10:00', [mastodon, telegram]);
    await value('posts.update', { id: post.id, revision: post.revision, labels: ['promo'] });
    const csv = await value<{ text: string; fileName: string; count: number }>('calendar.export', { projectId, format: 'csv' });
    expect(csv.fileName).toBe('Acme Bakery — whole project.csv');
    expect(csv.count).toBe(1);
    const check = await value<{ badRows: number[]; rows: { body: string; accountIds: string[]; local: string }[] }>('calendar.importCheck', { projectId, csv: csv.text });
    expect(check.badRows).toEqual([]);
    expect(check.rows[0]).toMatchObject({ body: 'Bread, fresh; "warm"', local: '2026-03-10T10:00' });
    expect(check.rows[0]?.accountIds.sort()).toEqual([mastodon, telegram].sort());
    const json = JSON.parse((await value<{ text: string }>('calendar.export', { projectId, format: 'json' })).text) as { posts: { local: string; labels: string[] }[] };
    expect(json.posts[0]).toMatchObject({ local: '2026-03-10T10:00', labels: ['promo'] });
    const ics = await value<{ text: string }>('calendar.export', { projectId, format: 'ics' });
    const events = new ICAL.Component(ICAL.parse(ics.text)).getAllSubcomponents('vevent');
    expect(events).toHaveLength(1);
    expect(new ICAL.Event(events[0]).startDate.toJSDate().getTime()).toBe(at('2026-03-10T10:00'));
  });

  it('gives the approval pack each post’s previews per account', async () => {
    const post = await createPost('Pack me', '2026-03-10T10:00', [mastodon, telegram]);
    await value('calendar.setApproval', { ids: [post.id], approval: 'approved' });
    const pack = await value<{ projectName: string; posts: { approval: string; targets: { network: string; text: string }[] }[] }>('calendar.packData', {
      projectId,
      from: at('2026-03-01T00:00'),
      to: at('2026-04-01T00:00'),
    });
    expect(pack.projectName).toBe('Acme Bakery');
    expect(pack.posts[0]?.approval).toBe('approved');
    expect(pack.posts[0]?.targets.map((x) => x.network)).toEqual(['mastodon', 'telegram']);
    const range = { projectId, from: at('2026-03-01T00:00'), to: at('2026-04-01T00:00') };
    expect(await call('calendar.pdf', { ...range, lang: 'en', dir: 'ltr', words: packWords })).toMatchObject({ ok: false, error: { reason: 'pdf_unavailable' } });
  });

  it('builds the pack’s PDF page in main from the store, with the renderer’s words only', async () => {
    const post = await createPost('Pack <b>me</b>', '2026-03-10T10:00', [mastodon]);
    await value('calendar.setApproval', { ids: [post.id], approval: 'in_review' });
    let printed = '';
    const services = t.backend.services;
    const handlers = createHandlers({
      ...services,
      platform: {
        ...services.platform,
        printToPdf: async (html) => {
          printed = html;
          return new Uint8Array([37, 80, 68, 70]);
        },
      },
    });
    const pdf = await handlers['calendar.pdf']({ projectId, from: at('2026-03-01T00:00'), to: at('2026-04-01T00:00'), lang: 'en', dir: 'ltr', words: packWords });
    expect(Buffer.from(pdf.base64, 'base64').toString('latin1')).toBe('%PDF');
    expect(printed).toContain('<title>Approval — Acme Bakery</title>');
    expect(printed).toContain('Pack &lt;b&gt;me&lt;/b&gt;');
    expect(printed).toContain('In review');
    expect(printed).toContain('Mastodon · <bdi>ACME@MASTODON.SOCIAL</bdi>');
    expect(printed).toContain("default-src 'none'");
  });
});
