import { describe, expect, it } from 'vitest';
import { expandRecurrence, expandRecurrenceInstants, parseRecurrence, recurrenceProblem } from '../../../main/core/calendar/recurrence';
import { toLocal } from '../../../main/core/posts/time';

describe('recurring posts', () => {
  it('repeats every N days, weeks or months, N times', () => {
    expect(expandRecurrence({ every: 2, unit: 'day', count: 3 }, '2026-03-30T09:00')).toEqual([
      '2026-03-30T09:00',
      '2026-04-01T09:00',
      '2026-04-03T09:00',
    ]);
    expect(expandRecurrence({ every: 1, unit: 'week', count: 3 }, '2026-03-30T09:00')).toEqual([
      '2026-03-30T09:00',
      '2026-04-06T09:00',
      '2026-04-13T09:00',
    ]);
    // The 31st falls on each shorter month's last day, and comes back to the 31st when it can.
    expect(expandRecurrence({ every: 1, unit: 'month', count: 4 }, '2026-01-31T18:30')).toEqual([
      '2026-01-31T18:30',
      '2026-02-28T18:30',
      '2026-03-31T18:30',
      '2026-04-30T18:30',
    ]);
  });

  it('stops on the until day, inclusive', () => {
    expect(expandRecurrence({ every: 1, unit: 'week', until: '2026-04-13' }, '2026-03-30T09:00')).toHaveLength(3);
    expect(expandRecurrence({ every: 1, unit: 'week', until: '2026-04-12' }, '2026-03-30T09:00')).toHaveLength(2);
    expect(expandRecurrence({ every: 3, unit: 'month', until: '2027-01-01', count: 2 }, '2026-01-15T09:00')).toHaveLength(2);
  });

  it.each([
    ['Europe/Berlin', '2026-03-23T09:00'],
    ['America/New_York', '2026-03-02T09:00'],
    ['Asia/Jerusalem', '2026-03-20T09:00'],
  ])('keeps 09:00 on the wall in %s across the spring change', (zone, start) => {
    const instants = expandRecurrenceInstants({ every: 1, unit: 'week', count: 3 }, start, zone);
    expect(instants.map((at) => toLocal(at, zone).slice(11))).toEqual(['09:00', '09:00', '09:00']);
    // One week over the change is an hour short of 7 × 24 hours.
    expect((instants[1] as number) - (instants[0] as number)).toBe(7 * 86_400_000 - 3_600_000);
  });

  it('refuses rules it cannot honour', () => {
    expect(recurrenceProblem({ every: 1, unit: 'day' }, '2026-03-30T09:00')).toBe('recurrence_end_missing');
    expect(recurrenceProblem({ every: 0, unit: 'day', count: 2 }, '2026-03-30T09:00')).toBe('recurrence_every_invalid');
    expect(recurrenceProblem({ every: 1, unit: 'day', until: '2026-03-29' }, '2026-03-30T09:00')).toBe('recurrence_until_before_start');
    expect(recurrenceProblem({ every: 1, unit: 'day', until: '2026-02-30' }, '2026-01-30T09:00')).toBe('recurrence_until_invalid');
    expect(recurrenceProblem({ every: 1, unit: 'day', until: '2027-12-31' }, '2026-03-30T09:00')).toBe('recurrence_too_many');
    expect(recurrenceProblem({ every: 1, unit: 'day', count: 201 }, '2026-03-30T09:00')).toBe('recurrence_too_many');
    expect(recurrenceProblem({ every: 1, unit: 'week', until: '2026-06-30' }, '2026-03-30T09:00')).toBeNull();
  });

  it('reads a stored rule and nothing else', () => {
    expect(parseRecurrence('{"every":2,"unit":"week","count":5}')).toEqual({ every: 2, unit: 'week', count: 5 });
    expect(parseRecurrence('{"every":2,"unit":"year"}')).toBeNull();
    expect(parseRecurrence('nope')).toBeNull();
    expect(parseRecurrence(null)).toBeNull();
  });
});
