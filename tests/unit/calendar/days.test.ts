import { describe, expect, it } from 'vitest';
import {
  addDays,
  addMonths,
  buildDayIndex,
  dayIndexOf,
  dayKeyOf,
  dayStart,
  instantAt,
  monthGrid,
  snapMinutes,
  stepAnchor,
  viewDays,
  wallMinutes,
  wallMinutesInDay,
  weekday,
} from '../../../main/core/calendar/days';

/** Calendar days in a zone, across the 2026 DST changes of Berlin, New York and Jerusalem. */

const H = 3_600_000;

const dstDays = [
  // zone, spring day, autumn day, the UTC instant of each change
  { zone: 'Europe/Berlin', spring: '2026-03-29', autumn: '2026-10-25', springAt: Date.UTC(2026, 2, 29, 1), autumnAt: Date.UTC(2026, 9, 25, 1) },
  { zone: 'America/New_York', spring: '2026-03-08', autumn: '2026-11-01', springAt: Date.UTC(2026, 2, 8, 7), autumnAt: Date.UTC(2026, 10, 1, 6) },
  { zone: 'Asia/Jerusalem', spring: '2026-03-27', autumn: '2026-10-25', springAt: Date.UTC(2026, 2, 27, 0), autumnAt: Date.UTC(2026, 9, 24, 23) },
];

describe('civil days', () => {
  it('counts weekdays, months and grids without a zone', () => {
    expect(weekday('2026-03-29')).toBe(7);
    expect(weekday('2026-03-30')).toBe(1);
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2024-01-31', 1)).toBe('2024-02-29');
    expect(addMonths('2026-01-31', 2)).toBe('2026-03-31');
    expect(addMonths('2026-11-15', 3)).toBe('2027-02-15');
    expect(addMonths('2026-01-15', -1)).toBe('2025-12-15');
    const grid = monthGrid('2026-03-17');
    expect(grid).toHaveLength(42);
    expect(grid[0]).toBe('2026-02-23');
    expect(weekday(grid[0] as string)).toBe(1);
    expect(grid).toContain('2026-03-31');
    expect(viewDays('week', '2026-03-29')).toEqual(['2026-03-23', '2026-03-24', '2026-03-25', '2026-03-26', '2026-03-27', '2026-03-28', '2026-03-29']);
    expect(viewDays('week', '2026-03-29', 7)[0]).toBe('2026-03-29');
    expect(viewDays('list', '2026-02-10')).toHaveLength(28);
    expect(stepAnchor('month', '2026-01-31', 1)).toBe('2026-02-01');
    expect(stepAnchor('week', '2026-01-31', -1)).toBe('2026-01-24');
    expect(snapMinutes(9 * 60 + 7)).toBe(9 * 60 + 0);
    expect(snapMinutes(9 * 60 + 8)).toBe(9 * 60 + 15);
    expect(snapMinutes(23 * 60 + 59)).toBe(23 * 60 + 45);
  });
});

describe.each(dstDays)('days in $zone across DST', ({ zone, spring, autumn, springAt, autumnAt }) => {
  it('a spring-forward day lasts 23 hours and an autumn day 25', () => {
    expect(dayStart(addDays(spring, 1), zone) - dayStart(spring, zone)).toBe(23 * H);
    expect(dayStart(addDays(autumn, 1), zone) - dayStart(autumn, zone)).toBe(25 * H);
    expect(dayStart('2026-06-10', zone) - dayStart('2026-06-09', zone)).toBe(24 * H);
  });

  it('keeps wall times on the right day and minute either side of the change', () => {
    for (const [day, at] of [
      [spring, springAt],
      [autumn, autumnAt],
    ] as const) {
      expect(dayKeyOf(at, zone)).toBe(day);
      expect(dayKeyOf(at - 60_000, zone)).toBe(day);
      // 10:00 on the change day is 10:00 on the wall, whatever the offset did overnight.
      const ten = instantAt(day, 600, zone);
      expect(wallMinutes(ten, zone)).toBe(600);
      expect(dayKeyOf(ten, zone)).toBe(day);
    }
    // The same wall time a day apart is 23 hours apart over spring-forward and 25 over fall-back.
    expect(instantAt(spring, 600, zone) - instantAt(addDays(spring, -1), 600, zone)).toBe(23 * H);
    expect(instantAt(autumn, 600, zone) - instantAt(addDays(autumn, -1), 600, zone)).toBe(25 * H);
  });

  it('buckets instants by day with the fast index exactly as the slow look-up does', () => {
    const days = viewDays('month', spring);
    const index = buildDayIndex(days, zone);
    const autumnIndex = buildDayIndex(viewDays('month', autumn), zone);
    for (const idx of [index, autumnIndex]) {
      const from = idx.starts[0] as number;
      const to = idx.starts[idx.starts.length - 1] as number;
      for (let t = from; t < to; t += 37 * 60_000) {
        const i = dayIndexOf(idx, t);
        expect(idx.days[i]).toBe(dayKeyOf(t, zone));
        expect(wallMinutesInDay(idx, i, t)).toBe(wallMinutes(t, zone));
      }
      expect(dayIndexOf(idx, from - 1)).toBe(-1);
      expect(dayIndexOf(idx, to)).toBe(-1);
    }
  });
});

it('a wall time skipped by spring-forward moves forward by the gap', () => {
  // 02:30 does not exist in Berlin on 2026-03-29: it becomes 03:30 CEST.
  expect(instantAt('2026-03-29', 150, 'Europe/Berlin')).toBe(Date.UTC(2026, 2, 29, 1, 30));
  expect(wallMinutes(instantAt('2026-03-29', 150, 'Europe/Berlin'), 'Europe/Berlin')).toBe(210);
  // 01:30 happens twice in New York on 2026-11-01: the first (EDT) is taken.
  expect(instantAt('2026-11-01', 90, 'America/New_York')).toBe(Date.UTC(2026, 10, 1, 5, 30));
});
