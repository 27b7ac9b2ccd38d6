import { fromLocal, toLocal } from '../posts/time';

/**
 * Calendar days in a project's zone. A day is a civil date ("2026-03-29"): grids, weeks and months
 * are counted on those with plain UTC arithmetic, and a zone is consulted only to turn a day into
 * the instants it spans (a DST day lasts 23 or 25 hours), through core/posts/time, so the calendar
 * and the composer always agree on what a wall time means.
 */

export type DayKey = string;
export type CalendarView = 'month' | 'week' | 'day' | 'list';

const DAY_MS = 86_400_000;
const KEY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Days since 1970-01-01 of a civil date. */
export function dayNumber(key: DayKey): number {
  const match = KEY.exec(key);
  if (!match) throw new Error(`not a day: ${key}`);
  return Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) / DAY_MS;
}

export function isDayKey(value: string): boolean {
  const match = KEY.exec(value);
  if (!match) return false;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return date.getUTCMonth() === Number(match[2]) - 1 && date.getUTCDate() === Number(match[3]);
}

export function dayKeyOfNumber(days: number): DayKey {
  return new Date(days * DAY_MS).toISOString().slice(0, 10);
}

export function addDays(key: DayKey, days: number): DayKey {
  return dayKeyOfNumber(dayNumber(key) + days);
}

/** 1 = Monday … 7 = Sunday (ISO 8601). */
export function weekday(key: DayKey): number {
  const day = new Date(dayNumber(key) * DAY_MS).getUTCDay();
  return day === 0 ? 7 : day;
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** The same day of the month `months` later, or that month's last day when it is shorter (Jan 31 → Feb 28). */
export function addMonths(key: DayKey, months: number, dayOfMonth = Number(key.slice(8, 10))): DayKey {
  const total = Number(key.slice(0, 4)) * 12 + Number(key.slice(5, 7)) - 1 + months;
  const year = Math.floor(total / 12);
  const month = (total % 12) + 1;
  const day = Math.min(dayOfMonth, daysInMonth(year, month));
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

export function startOfMonth(key: DayKey): DayKey {
  return `${key.slice(0, 7)}-01`;
}

/** The first day of the week holding `key`; weeks start on Monday (1) unless told otherwise. */
export function startOfWeek(key: DayKey, weekStartsOn = 1): DayKey {
  return addDays(key, -((weekday(key) - weekStartsOn + 7) % 7));
}

/** The six weeks (42 days) a month grid shows: a fixed height, so switching months never jumps. */
export function monthGrid(anchor: DayKey, weekStartsOn = 1): DayKey[] {
  const first = startOfWeek(startOfMonth(anchor), weekStartsOn);
  return Array.from({ length: 42 }, (_, i) => addDays(first, i));
}

export function weekDays(anchor: DayKey, weekStartsOn = 1): DayKey[] {
  const first = startOfWeek(anchor, weekStartsOn);
  return Array.from({ length: 7 }, (_, i) => addDays(first, i));
}

/** The days a view shows around `anchor`; the list view shows the anchor's month. */
export function viewDays(view: CalendarView, anchor: DayKey, weekStartsOn = 1): DayKey[] {
  if (view === 'month') return monthGrid(anchor, weekStartsOn);
  if (view === 'week') return weekDays(anchor, weekStartsOn);
  if (view === 'day') return [anchor];
  const first = startOfMonth(anchor);
  const count = daysInMonth(Number(first.slice(0, 4)), Number(first.slice(5, 7)));
  return Array.from({ length: count }, (_, i) => addDays(first, i));
}

/** Where "next" and "previous" lead from `anchor` in a view. */
export function stepAnchor(view: CalendarView, anchor: DayKey, direction: 1 | -1): DayKey {
  if (view === 'month' || view === 'list') return addMonths(startOfMonth(anchor), direction);
  if (view === 'week') return addDays(anchor, 7 * direction);
  return addDays(anchor, direction);
}

/** The instant a day begins in `zone` (its first existing minute, should midnight be skipped). */
export function dayStart(key: DayKey, zone: string): number {
  return fromLocal(`${key}T00:00`, zone) as number;
}

/** The civil date an instant falls on in `zone`. */
export function dayKeyOf(instant: number, zone: string): DayKey {
  return toLocal(instant, zone).slice(0, 10);
}

/** The instant of a wall time (`minutes` after midnight) on a day in `zone`. */
export function instantAt(key: DayKey, minutes: number, zone: string): number {
  const hh = String(Math.floor(minutes / 60)).padStart(2, '0');
  const mm = String(minutes % 60).padStart(2, '0');
  return fromLocal(`${key}T${hh}:${mm}`, zone) as number;
}

/** Minutes after midnight the wall clock shows at `instant` in `zone`. */
export function wallMinutes(instant: number, zone: string): number {
  const local = toLocal(instant, zone);
  return Number(local.slice(11, 13)) * 60 + Number(local.slice(14, 16));
}

/** Today's civil date in `zone`. */
export function today(now: number, zone: string): DayKey {
  return dayKeyOf(now, zone);
}

/**
 * The days of a view as instants, for bucketing many posts without a zone look-up each: `starts[i]`
 * is when `days[i]` begins and `starts[days.length]` when the last one ends. A day whose length is
 * not 24 hours holds a DST change; only posts on such a day need the slow, exact wall-time look-up.
 */
export interface DayIndex {
  zone: string;
  days: DayKey[];
  starts: number[];
}

export function buildDayIndex(days: readonly DayKey[], zone: string): DayIndex {
  const starts = days.map((day) => dayStart(day, zone));
  const last = days[days.length - 1];
  starts.push(last === undefined ? 0 : dayStart(addDays(last, 1), zone));
  return { zone, days: [...days], starts };
}

/** The index of the day holding `instant`, or -1 outside the range. */
export function dayIndexOf(index: DayIndex, instant: number): number {
  const { starts } = index;
  if (starts.length < 2 || instant < (starts[0] as number) || instant >= (starts[starts.length - 1] as number)) return -1;
  let lo = 0;
  let hi = starts.length - 2;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((starts[mid] as number) <= instant) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Wall minutes of an instant known to lie on day `i` of the index: exact, and cheap off DST days. */
export function wallMinutesInDay(index: DayIndex, i: number, instant: number): number {
  const start = index.starts[i] as number;
  const end = index.starts[i + 1] as number;
  // A 24-hour day has no DST change inside, so wall minutes are plain elapsed minutes.
  if (end - start === DAY_MS) return Math.floor((instant - start) / 60_000);
  return wallMinutes(instant, index.zone);
}

/** "09:05" for minutes after midnight. */
export function formatMinutes(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

/** Rounds minutes after midnight to the nearest `step` (15 for the week and day views' drops). */
export function snapMinutes(minutes: number, step = 15): number {
  return Math.min(24 * 60 - step, Math.max(0, Math.round(minutes / step) * step));
}
