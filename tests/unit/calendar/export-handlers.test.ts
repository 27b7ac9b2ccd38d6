import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RequestName } from '../../../main/core/contract';
import type { PackWords } from '../../../main/core/contract/calendar';
import type { Result } from '../../../main/core/errors';
import { networkIds } from '../../../main/core/networks/ids';
import { fromLocal } from '../../../main/core/posts/time';
import { createHandlers } from '../../../main/services/services';
import { FakeClock, makeTempDir, openTestBackend, type TestBackend } from '../support/backend';

/**
 * Exports of what the user chose, through the real boundary on a real store: a range of days or the
 * whole project (months apart, drafts without a time too), file names with project and days, a
 * CSV that starts with a byte-order mark and brings Hebrew back, and the approval pack of the whole
 * project with its notes and each post's own direction.
 */

const ZONE = 'Asia/Jerusalem';
const words: PackWords = {
  title: 'Approval',
  subtitle: 'All planned posts',
  generated: 'Made',
  empty: 'No posts',
  firstComment: 'First comment',
  notes: 'Notes',
  labels: 'Labels',
  unscheduled: 'No time',
  approvalHeading: 'Approval',
  approval: { draft: 'Draft', in_review: 'In review', approved: 'Approved' },
  networks: Object.fromEntries(networkIds.map((n) => [n, n])) as PackWords['networks'],
  signature: 'Approved by',
  date: 'Date',
};

let dir: ReturnType<typeof makeTempDir>;
let t: TestBackend;
let projectId: string;
let telegram: string;

async function call<T = unknown>(name: RequestName, args: unknown): Promise<Result<T>> {
  return (await t.backend.dispatch(name, args)) as Result<T>;
}

async function value<T>(name: RequestName, args: unknown): Promise<T> {
  const result = await call<T>(name, args);
  if (!result.ok) throw new Error(`${name} failed: ${JSON.stringify(result.error)}`);
  return result.value;
}

const at = (local: string) => fromLocal(local, ZONE) as number;

async function createPost(body: string, local: string | null, more: object = {}): Promise<string> {
  const post = await value<{ id: string; revision: number }>('posts.create', { projectId, body, targets: [{ accountId: telegram }], local });
  const revision = Object.keys(more).length ? (await value<{ revision: number }>('posts.update', { id: post.id, revision: post.revision, ...more })).revision : post.revision;
  if (local !== null) await value('posts.schedule', { id: post.id, revision });
  return post.id;
}

type Exported = { fileName: string; text: string; count: number };

beforeEach(async () => {
  dir = makeTempDir();
  t = openTestBackend(dir.path, new FakeClock(Date.UTC(2026, 10, 20, 9, 0)));
  projectId = (await value<{ id: string }>('projects.create', { name: 'Acme Bakery', color: '#db2777', timezone: ZONE })).id;
  telegram = 'acc-telegram';
  t.backend.services.db
    .prepare(`INSERT INTO accounts (id, project_id, network, handle, display_name, status, created_at, updated_at) VALUES (?, ?, 'telegram', '@acmebakery', 'מאפיית אקמה', 'connected', 0, 0)`)
    .run(telegram, projectId);
  await createPost('שלום עולם! #מאפייה 🥐', '2026-12-14T09:00', { notes: 'לבדוק מחיר!', labels: ['מבצע'] });
  await createPost('Привет, мир! 💪', '2026-12-31T23:30');
  await createPost('Spring menu', '2027-04-02T10:00');
  await createPost('An idea without a time', null);
});

afterEach(() => {
  t.backend.close();
  dir.remove();
});

describe('exports of a chosen range or the whole project', () => {
  it('holds only the chosen days, named for the project and the days; the whole project under another name', async () => {
    const december = await value<Exported>('calendar.export', { projectId, format: 'csv', from: at('2026-12-01T00:00'), to: at('2027-01-01T00:00') });
    expect(december.fileName).toBe('Acme Bakery — 2026-12-01 to 2026-12-31.csv');
    expect(december.count).toBe(2);
    expect(december.text).toContain('Привет, мир!');
    expect(december.text).not.toContain('Spring menu');

    const all = await value<Exported>('calendar.export', { projectId, format: 'csv' });
    expect(all.fileName).toBe('Acme Bakery — whole project.csv');
    expect(all.count).toBe(4);
    expect(all.text).toContain('An idea without a time');

    const json = await value<Exported>('calendar.export', { projectId, format: 'json', from: at('2026-12-01T00:00'), to: at('2027-01-01T00:00') });
    expect(json.fileName).toBe('Acme Bakery — 2026-12-01 to 2026-12-31.json');
    expect(json.text.charCodeAt(0)).not.toBe(0xfeff);
  });

  it('refuses half a range rather than exporting from a day to forever', async () => {
    const refused = await call('calendar.export', { projectId, format: 'csv', from: at('2026-12-01T00:00') });
    expect(refused).toMatchObject({ ok: false, error: { code: 'bad_request' } });
  });

  it('writes CSV with a UTF-8 byte-order mark that imports again, Hebrew and Cyrillic as written', async () => {
    const december = await value<Exported>('calendar.export', { projectId, format: 'csv', from: at('2026-12-01T00:00'), to: at('2027-01-01T00:00') });
    const bytes = Buffer.from(december.text, 'utf8');
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    for (const csv of [bytes.toString('utf8'), bytes.subarray(3).toString('utf8')]) {
      const check = await value<{ badRows: number[]; rows: { body: string; local: string }[] }>('calendar.importCheck', { projectId, csv });
      expect(check.badRows).toEqual([]);
      expect(check.rows.map((r) => [r.body, r.local])).toEqual([
        ['שלום עולם! #מאפייה 🥐', '2026-12-14T09:00'],
        ['Привет, мир! 💪', '2026-12-31T23:30'],
      ]);
    }
  });

  it('gives the approval pack of the whole project every post with a time, with its notes, each in its own direction', async () => {
    const pack = await value<{ posts: { body: string; notes: string }[] }>('calendar.packData', { projectId });
    expect(pack.posts.map((p) => p.body)).toEqual(['שלום עולם! #מאפייה 🥐', 'Привет, мир! 💪', 'Spring menu']);
    expect(pack.posts[0]?.notes).toBe('לבדוק מחיר!');

    let printed = '';
    const handlers = createHandlers({
      ...t.backend.services,
      platform: {
        ...t.backend.services.platform,
        printToPdf: async (html) => {
          printed = html;
          return new Uint8Array([37, 80, 68, 70]);
        },
      },
    });
    await handlers['calendar.pdf']({ projectId, lang: 'he', dir: 'rtl', words });
    expect(printed).toContain('<html lang="he" dir="rtl">');
    expect(printed).toContain('<div class="text" dir="auto">שלום עולם! <bdi class="hashtag">#מאפייה</bdi> 🥐</div>');
    expect(printed).toContain('<div class="text" dir="auto">לבדוק מחיר!</div>');
    expect(printed).toContain('<bdi class="label">מבצע</bdi>');
    expect(printed).toContain('Spring menu');
  });
});
