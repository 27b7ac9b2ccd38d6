import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resultsRequests } from '../../../main/core/contract/results';
import { summarizeResults, type ResultRow } from '../../../main/core/results';
import { recordReading } from '../../../main/services/metrics/metrics-repo';
import { resultsHandlers } from '../../../main/services/results/results-handlers';
import { openDatabase, type Db } from '../../../main/services/store/database';
import { addAccount, addProject } from '../scheduler/support';

const HOUR = 60 * 60_000;
const DAY = 24 * HOUR;
const ZONE = 'Europe/Moscow';
/** Monday 1 March 2027, 00:00 in Moscow (UTC+3). */
const MARCH = Date.UTC(2027, 1, 28, 21, 0);

function row(i: number, publishedAt: number, metrics: ResultRow['metrics'], extra: Partial<ResultRow> = {}): ResultRow {
  return { targetId: `t${i}`, postId: `p${i}`, network: 'mastodon', accountHandle: '@gym', text: `post ${i}`, labels: [], publishedAt, url: null, mediaId: null, metrics, ...extra };
}

describe('a project’s results over a period', () => {
  it('sums the latest numbers by day in the project’s zone, by network and by label, and ranks the top posts', () => {
    const rows = [
      // 23:30 on 28 Feb in UTC is already 1 March in Moscow.
      row(1, MARCH + 30 * 60_000, { likes: 10, reposts: 2, replies: 1 }, { labels: ['promo'] }),
      row(2, MARCH + DAY + 9 * HOUR, { likes: 3, views: 200 }, { network: 'vk', labels: ['promo', 'news'] }),
      row(3, MARCH + DAY + 18 * HOUR, {}, { network: 'telegram' }),
      row(4, MARCH - HOUR, { likes: 99 }), // February in Moscow: outside the period
    ];
    const summary = summarizeResults(rows, { from: MARCH, to: MARCH + 3 * DAY, zone: ZONE });
    expect(summary.posts).toBe(3);
    expect(summary.measured).toBe(2);
    expect(summary.totals).toEqual({ likes: 13, reposts: 2, replies: 1, views: 200 });
    expect(summary.daily).toEqual([
      { day: '2027-03-01', posts: 1, metrics: { likes: 10, reposts: 2, replies: 1 } },
      { day: '2027-03-02', posts: 2, metrics: { likes: 3, views: 200 } },
      { day: '2027-03-03', posts: 0, metrics: {} },
    ]);
    expect(summary.byNetwork.map((g) => [g.key, g.posts])).toEqual([
      ['mastodon', 1],
      ['telegram', 1],
      ['vk', 1],
    ]);
    expect(summary.byLabel).toEqual([
      { key: 'promo', posts: 2, metrics: { likes: 13, reposts: 2, replies: 1, views: 200 } },
      { key: 'news', posts: 1, metrics: { likes: 3, views: 200 } },
    ]);
    // Ranked by what people did (views do not count), and a post without numbers is not "top".
    expect(summary.top.map((t) => [t.targetId, t.engagement])).toEqual([
      ['t1', 13],
      ['t2', 3],
    ]);
  });

  it('learns the best hours from enough posts, not from one lucky one', () => {
    const tuesday9 = MARCH + DAY + 9 * HOUR;
    const friday18 = MARCH + 4 * DAY + 18 * HOUR;
    const rows = [
      ...[0, 7, 14].map((week, i) => row(i, tuesday9 + week * DAY, { likes: 20 + i })),
      ...[0, 7, 14].map((week, i) => row(10 + i, friday18 + week * DAY, { likes: 5 })),
      row(99, MARCH + 2 * DAY + 12 * HOUR, { likes: 500 }), // one viral post on Wednesday noon
    ];
    const summary = summarizeResults(rows, { from: MARCH, to: MARCH + 28 * DAY, zone: ZONE });
    expect(summary.bestHours).toEqual([
      { weekday: 2, hour: 9, posts: 3, engagementPerPost: 21 },
      { weekday: 5, hour: 18, posts: 3, engagementPerPost: 5 },
    ]);
  });
});

describe('ties', () => {
  it('ranks equal posts and equal hours the same whatever order the store gives the rows in', () => {
    const monday = MARCH;
    // Two hours with the same posts and interactions each, and two top posts with the same numbers at the same minute.
    const rows = [
      ...[0, 7, 14].map((week, i) => row(i, monday + 9 * HOUR + week * DAY, { likes: 4 })),
      ...[0, 7, 14].map((week, i) => row(10 + i, monday + DAY + 18 * HOUR + week * DAY, { likes: 4 })),
      row(20, monday + 2 * DAY, { likes: 9 }, { targetId: 'b' }),
      row(21, monday + 2 * DAY, { likes: 9 }, { targetId: 'a' }),
    ];
    const period = { from: MARCH, to: MARCH + 28 * DAY, zone: ZONE };
    const forward = summarizeResults(rows, period, 3);
    expect(summarizeResults([...rows].reverse(), period, 3)).toEqual(forward);
    expect(forward.top.map((t) => t.targetId)).toEqual(['a', 'b', 't12']);
    expect(forward.bestHours.map((h) => [h.weekday, h.hour])).toEqual([
      [1, 9],
      [2, 18],
    ]);
  });
});

describe('days and hours on the night the clocks change', () => {
  it('puts each post on its local day and hour in Jerusalem as summer time starts (26 March 2027, 02:00 → 03:00)', () => {
    const zone = 'Asia/Jerusalem';
    const rows = [
      row(1, Date.UTC(2027, 2, 25, 21, 59), { likes: 1 }), // 23:59 on the 25th (UTC+2)
      row(2, Date.UTC(2027, 2, 25, 23, 30), { likes: 2 }), // 01:30 on the 26th, still UTC+2
      row(3, Date.UTC(2027, 2, 26, 0, 30), { likes: 4 }), // 03:30 on the 26th, already UTC+3
      row(4, Date.UTC(2027, 2, 26, 6, 0), { likes: 8 }), // 09:00 on the 26th
    ];
    const summary = summarizeResults(rows, { from: Date.UTC(2027, 2, 24, 22, 0), to: Date.UTC(2027, 2, 26, 21, 0), zone });
    expect(summary.daily.map((d) => [d.day, d.metrics.likes])).toEqual([
      ['2027-03-25', 1],
      ['2027-03-26', 14],
    ]);
    const hours = summarizeResults([0, 7, 14].map((week, i) => row(i, Date.UTC(2027, 2, 26, 0, 30) + week * DAY, { likes: 1 })), {
      from: Date.UTC(2027, 2, 24, 22, 0),
      to: Date.UTC(2027, 3, 20, 21, 0),
      zone,
    }).bestHours;
    expect(hours).toEqual([{ weekday: 5, hour: 3, posts: 3, engagementPerPost: 1 }]);
  });
});

describe('days and hours in zones off the whole hour', () => {
  it('puts posts on Kathmandu’s day and hour (UTC+5:45) and on Lord Howe’s as its half-hour summer time ends (4 April 2027)', () => {
    // 18:20 UTC on Sunday 7 March is 00:05 on Monday 8 March in Kathmandu.
    const kathmandu = summarizeResults([0, 7, 14].map((week, i) => row(i, Date.UTC(2027, 2, 7, 18, 20) + week * DAY, { likes: 2 })), {
      from: Date.UTC(2027, 2, 1),
      to: Date.UTC(2027, 2, 28),
      zone: 'Asia/Kathmandu',
    });
    expect(kathmandu.daily.filter((d) => d.posts > 0).map((d) => d.day)).toEqual(['2027-03-08', '2027-03-15', '2027-03-22']);
    expect(kathmandu.bestHours).toEqual([{ weekday: 1, hour: 0, posts: 3, engagementPerPost: 2 }]);
    // Lord Howe goes from UTC+11 to UTC+10:30 at 02:00 local on 4 April 2027: 14:45 UTC the day before is 01:45, then 15:15 UTC is 01:45 again.
    const lordHowe = summarizeResults([row(1, Date.UTC(2027, 3, 3, 14, 45), { likes: 1 }), row(2, Date.UTC(2027, 3, 3, 15, 15), { likes: 4 }), row(3, Date.UTC(2027, 3, 3, 13, 30), { likes: 16 })], {
      from: Date.UTC(2027, 3, 2, 13, 0),
      to: Date.UTC(2027, 3, 4, 13, 30),
      zone: 'Australia/Lord_Howe',
    });
    expect(lordHowe.daily.map((d) => [d.day, d.metrics.likes])).toEqual([
      ['2027-04-03', undefined],
      ['2027-04-04', 21],
    ]);
  });
});

describe('results.summary from the store', () => {
  let db: Db;
  beforeEach(() => {
    db = openDatabase(':memory:');
  });
  afterEach(() => db.close());

  function publish(projectId: string, accountId: string, id: string, at: number, state = 'published', labels: string[] = []): string {
    db.prepare(`INSERT INTO posts (id, project_id, body, labels, status, timezone, created_at, updated_at) VALUES (?, ?, ?, ?, 'published', ?, 0, 0)`).run(
      id,
      projectId,
      `Text of ${id}`,
      JSON.stringify(labels),
      ZONE,
    );
    db.prepare(`INSERT INTO post_targets (id, post_id, account_id, state, remote_id, published_at) VALUES (?, ?, ?, ?, ?, ?)`).run(`${id}-t`, id, accountId, state, `r-${id}`, at);
    return `${id}-t`;
  }

  it('uses each post’s latest reading, counts auto-deleted posts, and keeps other clients out', async () => {
    const gym = addProject(db, { id: 'gym', timezone: ZONE });
    const bakery = addProject(db, { id: 'bakery', timezone: 'Asia/Jerusalem' });
    const gymAccount = addAccount(db, gym, { network: 'vk' });
    const bakeryAccount = addAccount(db, bakery, { network: 'mastodon' });
    const first = publish(gym, gymAccount, 'a', MARCH + 10 * HOUR, 'published', ['promo']);
    const deleted = publish(gym, gymAccount, 'b', MARCH + 11 * HOUR, 'deleted');
    const other = publish(bakery, bakeryAccount, 'c', MARCH + 10 * HOUR);
    recordReading(db, first, MARCH + 11 * HOUR, { likes: 2 }, null);
    recordReading(db, first, MARCH + 12 * HOUR, { likes: 7, views: 90 }, null);
    recordReading(db, deleted, MARCH + 12 * HOUR, { likes: 1 }, null);
    recordReading(db, other, MARCH + 12 * HOUR, { likes: 1000 }, null);

    const handlers = resultsHandlers({ db, clock: { now: () => MARCH + 40 * DAY } });
    const summary = await handlers['results.summary']({ projectId: gym, from: MARCH, to: MARCH + DAY });
    expect(summary.posts).toBe(2);
    expect(summary.totals).toEqual({ likes: 8, views: 90 });
    expect(summary.byLabel).toEqual([{ key: 'promo', posts: 1, metrics: { likes: 7, views: 90 } }]);
    expect(resultsRequests['results.summary'].result.parse(summary)).toEqual(summary);
    expect((await handlers['results.readings']({ targetId: first })).map((r) => r.likes)).toEqual([2, 7]);
    await expect(handlers['results.summary']({ projectId: 'nope', from: MARCH, to: MARCH + DAY })).rejects.toMatchObject({ code: 'not_found' });
  });

  it('gives the top posts their text, address and first image, never a video (which has no thumbnail)', async () => {
    const gym = addProject(db, { id: 'gym', timezone: ZONE });
    const account = addAccount(db, gym, { network: 'mastodon' });
    const target = publish(gym, account, 'a', MARCH + 10 * HOUR);
    db.prepare(`UPDATE post_targets SET remote_url = 'https://mastodon.example/@gym/1' WHERE id = ?`).run(target);
    const media = db.prepare(`INSERT INTO media (id, sha256, mime, bytes, created_at) VALUES (?, ?, ?, 1, 0)`);
    media.run('clip', 'sha-clip', 'video/mp4');
    media.run('photo', 'sha-photo', 'image/jpeg');
    db.prepare(`INSERT INTO post_media (post_id, media_id, position) VALUES ('a', 'clip', 0), ('a', 'photo', 1)`).run();
    recordReading(db, target, MARCH + 11 * HOUR, { likes: 3 }, null);

    const summary = await resultsHandlers({ db, clock: { now: () => MARCH + 40 * DAY } })['results.summary']({ projectId: gym, from: MARCH, to: MARCH + DAY });
    expect(summary.top).toEqual([
      expect.objectContaining({ targetId: target, text: 'Text of a', url: 'https://mastodon.example/@gym/1', mediaId: 'photo', accountHandle: expect.stringMatching(/^@account-/), engagement: 3 }),
    ]);
  });

  it('refuses a period that ends before it starts or spans more than a year', () => {
    const args = resultsRequests['results.summary'].args;
    expect(args.safeParse({ projectId: 'gym', from: MARCH, to: MARCH }).success).toBe(false);
    expect(args.safeParse({ projectId: 'gym', from: MARCH, to: MARCH + 400 * DAY }).success).toBe(false);
    expect(args.safeParse({ projectId: 'gym', from: MARCH, to: MARCH + 31 * DAY }).success).toBe(true);
  });
});
