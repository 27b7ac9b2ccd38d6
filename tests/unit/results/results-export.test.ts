import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseCsv, UTF8_BOM } from '../../../main/core/calendar/csv';
import { resultsRequests } from '../../../main/core/contract/results';
import { recordReading } from '../../../main/services/metrics/metrics-repo';
import { resultsHandlers } from '../../../main/services/results/results-handlers';
import { openDatabase, type Db } from '../../../main/services/store/database';
import { addAccount, addProject } from '../scheduler/support';

const HOUR = 60 * 60_000;
const DAY = 24 * HOUR;
const ZONE = 'Asia/Jerusalem';
/** 1 March 2027, 00:00 in Jerusalem (UTC+2). */
const MARCH = Date.UTC(2027, 1, 28, 22, 0);
/** 1 April 2027, 00:00 in Jerusalem, already on summer time (UTC+3). */
const APRIL = Date.UTC(2027, 2, 31, 21, 0);

describe('results exported as CSV and JSON', () => {
  let db: Db;
  let handlers: ReturnType<typeof resultsHandlers>;
  beforeEach(() => {
    db = openDatabase(':memory:');
    handlers = resultsHandlers({ db, clock: { now: () => APRIL + DAY } });
    const project = addProject(db, { id: 'bakery', timezone: ZONE });
    db.prepare(`UPDATE projects SET name = 'Acme Bakery' WHERE id = ?`).run(project);
    const account = addAccount(db, project, { network: 'mastodon' });
    const publish = (id: string, body: string, at: number, labels: string[]) => {
      db.prepare(`INSERT INTO posts (id, project_id, body, labels, status, timezone, created_at, updated_at) VALUES (?, ?, ?, ?, 'published', ?, 0, 0)`).run(id, project, body, JSON.stringify(labels), ZONE);
      db.prepare(`INSERT INTO post_targets (id, post_id, account_id, state, remote_id, remote_url, published_at) VALUES (?, ?, ?, 'published', ?, ?, ?)`).run(`${id}-t`, id, account, `r-${id}`, `https://mastodon.example/@bakery/${id}`, at);
      return `${id}-t`;
    };
    const hebrew = publish('he', 'שלום עולם! #מאפייה 🥐', MARCH + 2 * DAY + 9 * HOUR, ['מבצע']);
    const russian = publish('ru', 'Привет, мир! "Хлеб", свежий', MARCH + 5 * DAY + 18 * HOUR + 30 * 60_000, ['новости', 'promo']);
    publish('quiet', '=SUM(A1) not a formula', MARCH + 6 * DAY, []);
    publish('april', 'Next month', APRIL + HOUR, []);
    recordReading(db, hebrew, MARCH + 3 * DAY, { likes: 4 }, null);
    recordReading(db, hebrew, MARCH + 4 * DAY, { likes: 12, reposts: 3, replies: 2 }, null);
    recordReading(db, russian, MARCH + 6 * DAY, { likes: 5, views: 300 }, null);
  });
  afterEach(() => db.close());

  it('writes one CSV row per published post with its latest numbers, after a BOM, Hebrew and Cyrillic intact', async () => {
    const file = await handlers['results.export']({ projectId: 'bakery', from: MARCH, to: APRIL, format: 'csv' });
    expect(file.fileName).toBe('Acme Bakery — results — 2027-03-01 to 2027-03-31.csv');
    expect(file.mime).toBe('text/csv');
    expect(file.count).toBe(3);
    expect(file.text.startsWith(UTF8_BOM)).toBe(true);
    // Through UTF-8 bytes and back, as the saved file is read.
    const table = parseCsv(new TextDecoder().decode(new TextEncoder().encode(file.text)));
    const [header, ...rows] = table;
    const column = (row: string[], name: string) => row[(header as string[]).indexOf(name)];
    expect(header?.slice(0, 7)).toEqual(['date', 'time', 'timezone', 'network', 'account', 'text', 'labels']);
    expect(rows.map((r) => column(r, 'text'))).toEqual(['שלום עולם! #מאפייה 🥐', 'Привет, мир! "Хлеб", свежий', "'=SUM(A1) not a formula"]);
    expect(rows[0]?.slice(0, 3)).toEqual(['2027-03-03', '09:00', ZONE]);
    expect(column(rows[0] as string[], 'labels')).toBe('מבצע');
    expect(['likes', 'reposts', 'replies', 'views', 'engagement'].map((name) => column(rows[0] as string[], name))).toEqual(['12', '3', '2', '', '17']);
    expect(['likes', 'views', 'engagement'].map((name) => column(rows[1] as string[], name))).toEqual(['5', '300', '5']);
    // No reading yet: empty, not 0.
    expect(column(rows[2] as string[], 'likes')).toBe('');
    expect(column(rows[0] as string[], 'url')).toBe('https://mastodon.example/@bakery/he');
  });

  it('writes the period’s totals and every post as JSON', async () => {
    const file = await handlers['results.export']({ projectId: 'bakery', from: MARCH, to: APRIL, format: 'json' });
    expect(file.fileName).toBe('Acme Bakery — results — 2027-03-01 to 2027-03-31.json');
    expect(file.mime).toBe('application/json');
    const json = JSON.parse(file.text);
    expect(json).toMatchObject({ format: 'outpost-results', version: 1, project: 'Acme Bakery', timezone: ZONE, from: new Date(MARCH).toISOString(), to: new Date(APRIL).toISOString() });
    expect(json.totals).toEqual({ posts: 3, measured: 2, metrics: { likes: 17, reposts: 3, replies: 2, quotes: null, views: 300, saves: null } });
    expect(json.posts).toHaveLength(3);
    expect(json.posts[1]).toEqual({
      postId: 'ru',
      targetId: 'ru-t',
      network: 'mastodon',
      account: expect.any(String),
      publishedAt: new Date(MARCH + 5 * DAY + 18 * HOUR + 30 * 60_000).toISOString(),
      local: '2027-03-06T18:30',
      text: 'Привет, мир! "Хлеб", свежий',
      labels: ['новости', 'promo'],
      url: 'https://mastodon.example/@bakery/ru',
      metrics: { likes: 5, reposts: null, replies: null, quotes: null, views: 300, saves: null },
      engagement: 5,
    });
    expect(json.posts[0].text).toBe('שלום עולם! #מאפייה 🥐');
  });

  it('refuses an unknown format, a backwards period and an unknown project', async () => {
    const args = resultsRequests['results.export'].args;
    expect(args.safeParse({ projectId: 'bakery', from: MARCH, to: APRIL, format: 'xlsx' }).success).toBe(false);
    expect(args.safeParse({ projectId: 'bakery', from: APRIL, to: MARCH, format: 'csv' }).success).toBe(false);
    await expect(handlers['results.export']({ projectId: 'nope', from: MARCH, to: APRIL, format: 'csv' })).rejects.toMatchObject({ code: 'not_found' });
  });
});
