import { TZDate } from '@date-fns/tz';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Scheduler } from '../../../main/services/scheduler/engine';
import { openDatabase, type Db } from '../../../main/services/store/database';
import { addAccount, addProject, addScheduledPost, FakeNetwork, FakeTime, jobOf, startEngine } from './support';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

let db: Db;
let scheduler: Scheduler | undefined;

beforeEach(() => {
  db = openDatabase(':memory:');
  scheduler = undefined;
});

afterEach(async () => {
  await scheduler?.stop();
  db.close();
});

/** The wall time an instant shows in a zone, as "HH:MM" plus the offset, to read failures easily. */
function local(instant: number, zone: string): string {
  const d = new TZDate(instant, zone);
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')} ${d.getTimezoneOffset()}`;
}

describe('daylight saving time', () => {
  const transitions = [
    { zone: 'Europe/Berlin', name: 'spring forward', day: [2026, 2, 29] },
    { zone: 'Europe/Berlin', name: 'fall back', day: [2026, 9, 25] },
    { zone: 'America/New_York', name: 'spring forward', day: [2026, 2, 8] },
    { zone: 'America/New_York', name: 'fall back', day: [2026, 10, 1] },
  ] as const;

  for (const { zone, name, day } of transitions) {
    it(`${zone} ${name}: every post fires once, at its instant`, async () => {
      const [y, m, d] = day;
      const start = new TZDate(y, m, d - 1, 23, 0, zone).getTime();
      const time = new FakeTime(start);
      const project = addProject(db, { timezone: zone });
      const account = addAccount(db, project);
      const posts: { postId: string; at: number; label: string }[] = [];
      // Wall times every 15 minutes through the night (02:30 does not exist in spring, comes twice in autumn)…
      for (let minutes = 0; minutes < 6 * 60; minutes += 15) {
        const at = new TZDate(y, m, d, Math.floor(minutes / 60), minutes % 60, zone).getTime();
        posts.push({ ...addScheduledPost(db, time.clock, project, [account], at, { body: `wall ${minutes}` }), at, label: `wall ${minutes}` });
      }
      // …and instants every 15 minutes, which cover both passes through the repeated hour.
      const midnight = new TZDate(y, m, d, 0, 0, zone).getTime();
      for (let i = 0; i < 24; i++) {
        const at = midnight + i * 15 * MINUTE;
        posts.push({ ...addScheduledPost(db, time.clock, project, [account], at, { body: `instant ${i}` }), at, label: `instant ${i}` });
      }
      const net = new FakeNetwork(time.clock.now);
      scheduler = startEngine(db, time, net).scheduler;
      await time.advance(9 * HOUR, scheduler);

      for (const post of posts) {
        const calls = net.calls.filter((c) => c.text === post.label);
        expect(calls.map((c) => local(c.at, zone)), post.label).toEqual([local(post.at, zone)]);
        expect(calls[0]!.at, post.label).toBe(post.at);
      }
      expect(net.posts).toHaveLength(posts.length);
    });
  }
});

describe('wall-clock jumps', () => {
  /** Posts every 10 minutes for three hours from the start. */
  function plan(time: FakeTime, graceMinutes: number): { project: string; account: string; posts: { postId: string; targetId: string; at: number; body: string }[] } {
    const project = addProject(db, { graceMinutes });
    const account = addAccount(db, project);
    const posts = Array.from({ length: 18 }, (_, i) => {
      const at = time.now() + (i + 1) * 10 * MINUTE;
      const body = `every ten ${i}`;
      const { postId, targetIds } = addScheduledPost(db, time.clock, project, [account], at, { body });
      return { postId, targetId: targetIds[0]!, at, body };
    });
    return { project, account, posts };
  }

  it('+2 h within the grace: the skipped posts go out late, once each; the rest on time', async () => {
    const time = new FakeTime();
    const { posts } = plan(time, 180);
    const net = new FakeNetwork(time.clock.now);
    scheduler = startEngine(db, time, net).scheduler;
    await time.advance(35 * MINUTE, scheduler);
    time.jump(2 * HOUR);
    await time.advance(3 * HOUR, scheduler);
    for (const post of posts) expect(net.countOf(post.body), post.body).toBe(1);
    const jumpedTo = posts[0]!.at - 10 * MINUTE + 35 * MINUTE + 2 * HOUR;
    for (const post of posts.filter((p) => p.at > jumpedTo + MINUTE)) {
      expect(net.calls.find((c) => c.text === post.body)!.at, post.body).toBe(post.at);
    }
  });

  it('+2 h beyond the grace: posts later than 30 minutes wait for the user, none is sent twice', async () => {
    const time = new FakeTime();
    const { posts } = plan(time, 30);
    const net = new FakeNetwork(time.clock.now);
    scheduler = startEngine(db, time, net).scheduler;
    await time.advance(35 * MINUTE, scheduler);
    const jumpAt = time.now();
    time.jump(2 * HOUR);
    await time.advance(3 * HOUR, scheduler);
    const now = jumpAt + 2 * HOUR;
    for (const post of posts) {
      const count = net.countOf(post.body);
      const job = jobOf(db, post.targetId);
      expect(count, post.body).toBeLessThanOrEqual(1);
      if (post.at <= jumpAt) expect(job['state'], post.body).toBe('done');
      else if (post.at < now - 30 * MINUTE) expect(job, post.body).toMatchObject({ state: 'needs_attention', reason: 'missed' });
      else expect(job['state'], post.body).toBe('done');
      expect(count === 1 ? 'done' : 'needs_attention', post.body).toBe(job['state']);
    }
  });

  it('−2 h: nothing fires twice, and the rest wait for their own instant', async () => {
    const time = new FakeTime();
    const { posts } = plan(time, 30);
    const net = new FakeNetwork(time.clock.now);
    scheduler = startEngine(db, time, net).scheduler;
    await time.advance(65 * MINUTE, scheduler);
    expect(net.posts).toHaveLength(6);
    time.jump(-2 * HOUR);
    await time.advance(2 * HOUR, scheduler);
    expect(net.posts).toHaveLength(6);
    await time.advance(3 * HOUR, scheduler);
    for (const post of posts) {
      const calls = net.calls.filter((c) => c.text === post.body);
      expect(calls.map((c) => c.at), post.body).toEqual([post.at]);
    }
  });
});
