import { describe, expect, it } from 'vitest';
import { addDays, instantAt } from '../../../main/core/calendar/days';
import { freeSlots, nextEvergreen, nextFreeSlot, normaliseSlots, slotInstants } from '../../../main/core/calendar/slots';
import { toLocal } from '../../../main/core/posts/time';

const BERLIN = 'Europe/Berlin';
// Mon/Wed/Fri at 10:00 and 18:00
const mwf = [1, 3, 5].flatMap((weekday) => [
  { weekday, minute: 600 },
  { weekday, minute: 1080 },
]);
const at = (local: string, zone = BERLIN) => instantAt(local.slice(0, 10), Number(local.slice(11, 13)) * 60 + Number(local.slice(14, 16)), zone);
const local = (instant: number | null, zone = BERLIN) => (instant === null ? null : toLocal(instant, zone));

describe('queue slots', () => {
  it('lists a week of slots in wall time, across the spring change', () => {
    const from = at('2026-03-23T00:00');
    const to = at('2026-03-30T00:00');
    expect(slotInstants(mwf, from, to, BERLIN).map((i) => local(i))).toEqual([
      '2026-03-23T10:00',
      '2026-03-23T18:00',
      '2026-03-25T10:00',
      '2026-03-25T18:00',
      '2026-03-27T10:00',
      '2026-03-27T18:00',
    ]);
    // A Sunday 02:30 slot on the spring-forward night moves to 03:30 rather than vanishing.
    const night = slotInstants([{ weekday: 7, minute: 150 }], from, to + 86_400_000, BERLIN);
    expect(night.map((i) => local(i))).toEqual(['2026-03-29T03:30']);
  });

  it('puts a post in the next free slot, skipping taken ones', () => {
    const queue = { accountId: 'a', slots: mwf, minSpacingMinutes: 0, busy: [at('2026-03-23T10:00')] };
    expect(local(nextFreeSlot({ queues: [queue], zone: BERLIN, after: at('2026-03-23T08:00') }))).toBe('2026-03-23T18:00');
    // Nothing before `after`, even a free slot.
    expect(local(nextFreeSlot({ queues: [queue], zone: BERLIN, after: at('2026-03-23T18:01') }))).toBe('2026-03-25T10:00');
  });

  it('keeps the minimum spacing between posts of one account', () => {
    // A post at 14:00 Monday with 6 h spacing blocks 10:00 (4 h before) and 18:00 (4 h after).
    const queue = { accountId: 'a', slots: mwf, minSpacingMinutes: 360, busy: [at('2026-03-23T14:00')] };
    expect(local(nextFreeSlot({ queues: [queue], zone: BERLIN, after: at('2026-03-23T08:00') }))).toBe('2026-03-25T10:00');
    // Exactly the spacing apart is allowed.
    const exact = { ...queue, busy: [at('2026-03-23T04:00')] };
    expect(local(nextFreeSlot({ queues: [exact], zone: BERLIN, after: at('2026-03-23T08:00') }))).toBe('2026-03-23T10:00');
  });

  it('needs a slot free on every account of the post', () => {
    const a = { accountId: 'a', slots: mwf, minSpacingMinutes: 60, busy: [] };
    const b = { accountId: 'b', slots: [], minSpacingMinutes: 60, busy: [at('2026-03-23T10:30')] };
    expect(local(nextFreeSlot({ queues: [a, b], zone: BERLIN, after: at('2026-03-23T08:00') }))).toBe('2026-03-23T18:00');
  });

  it('says when the queue is full or has no slots', () => {
    expect(nextFreeSlot({ queues: [{ accountId: 'a', slots: [], minSpacingMinutes: 0, busy: [] }], zone: BERLIN, after: 0 })).toBeNull();
    const daily = [{ weekday: 2, minute: 600 }];
    // Every Tuesday 10:00 for 20 weeks is taken (wall time, so the DST change does not shift them).
    const busy = Array.from({ length: 20 }, (_, i) => instantAt(addDays('2026-03-24', 7 * i), 600, BERLIN));
    const full = { accountId: 'a', slots: daily, minSpacingMinutes: 0, busy };
    expect(nextFreeSlot({ queues: [full], zone: BERLIN, after: at('2026-03-23T00:00'), horizonDays: 7 * 19 })).toBeNull();
  });

  it('lists the empty slots of a week per account', () => {
    const a = { accountId: 'a', slots: mwf, minSpacingMinutes: 0, busy: [at('2026-03-25T10:00')] };
    const b = { accountId: 'b', slots: [{ weekday: 2, minute: 540 }], minSpacingMinutes: 0, busy: [] };
    const slots = freeSlots([a, b], at('2026-03-23T00:00'), at('2026-03-30T00:00'), BERLIN);
    expect(slots.map((s) => `${s.accountId} ${local(s.at)}`)).toEqual([
      'a 2026-03-23T10:00',
      'a 2026-03-23T18:00',
      'b 2026-03-24T09:00',
      'a 2026-03-25T18:00',
      'a 2026-03-27T10:00',
      'a 2026-03-27T18:00',
    ]);
  });

  it('keeps slots in order without twins', () => {
    expect(normaliseSlots([{ weekday: 3, minute: 60 }, { weekday: 1, minute: 600 }, { weekday: 3, minute: 60 }])).toEqual([
      { weekday: 1, minute: 600 },
      { weekday: 3, minute: 60 },
    ]);
  });
});

describe('evergreen pool', () => {
  const day = 86_400_000;
  it('takes never-queued posts first in pool order, then the one out longest ago', () => {
    const pool = [
      { postId: 'a', lastQueuedAt: 10 * day, position: 0 },
      { postId: 'b', lastQueuedAt: null, position: 2 },
      { postId: 'c', lastQueuedAt: null, position: 1 },
      { postId: 'd', lastQueuedAt: 5 * day, position: 3 },
    ];
    expect(nextEvergreen(pool, 100 * day, 30)?.postId).toBe('c');
    const used = pool.map((p) => ({ ...p, lastQueuedAt: p.lastQueuedAt ?? 20 * day }));
    expect(nextEvergreen(used, 100 * day, 30)?.postId).toBe('d');
  });

  it('waits out the minimum interval before any post repeats', () => {
    const pool = [
      { postId: 'a', lastQueuedAt: 80 * day, position: 0 },
      { postId: 'b', lastQueuedAt: 90 * day, position: 1 },
    ];
    expect(nextEvergreen(pool, 100 * day, 30)).toBeNull();
    expect(nextEvergreen(pool, 110 * day, 30)?.postId).toBe('a');
    expect(nextEvergreen([], 0, 30)).toBeNull();
  });
});
