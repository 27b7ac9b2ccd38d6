import { fromLocal } from '../posts/time';
import { addDays, addMonths, dayNumber, isDayKey, type DayKey } from './days';

/**
 * A post that repeats: every N days, weeks or months, until a date or N times. Occurrences keep
 * the wall time in the project's zone (09:00 stays 09:00 across a DST change); a monthly post on
 * the 31st falls on the last day of shorter months.
 */

export const recurrenceUnits = ['day', 'week', 'month'] as const;
export type RecurrenceUnit = (typeof recurrenceUnits)[number];

export interface Recurrence {
  every: number;
  unit: RecurrenceUnit;
  /** Last day an occurrence may fall on (in the project's zone), inclusive. */
  until?: DayKey;
  /** How many times in all, the first included. */
  count?: number;
}

/** More would flood the calendar and the scheduler; a longer run can be set up again later. */
export const RECURRENCE_MAX_OCCURRENCES = 200;
export const RECURRENCE_MAX_EVERY = 365;

export type RecurrenceProblem =
  | 'recurrence_every_invalid'
  | 'recurrence_end_missing'
  | 'recurrence_until_invalid'
  | 'recurrence_until_before_start'
  | 'recurrence_count_invalid'
  | 'recurrence_too_many';

/** Why a rule cannot be used from `startLocal`, or null when it can. */
export function recurrenceProblem(rule: Recurrence, startLocal: string): RecurrenceProblem | null {
  if (!Number.isInteger(rule.every) || rule.every < 1 || rule.every > RECURRENCE_MAX_EVERY) return 'recurrence_every_invalid';
  if (rule.until === undefined && rule.count === undefined) return 'recurrence_end_missing';
  if (rule.count !== undefined && (!Number.isInteger(rule.count) || rule.count < 1)) return 'recurrence_count_invalid';
  if (rule.count !== undefined && rule.count > RECURRENCE_MAX_OCCURRENCES) return 'recurrence_too_many';
  if (rule.until !== undefined) {
    if (!isDayKey(rule.until)) return 'recurrence_until_invalid';
    if (dayNumber(rule.until) < dayNumber(startLocal.slice(0, 10))) return 'recurrence_until_before_start';
    if (rule.count === undefined && occurrenceDays(rule, startLocal.slice(0, 10), RECURRENCE_MAX_OCCURRENCES + 1).length > RECURRENCE_MAX_OCCURRENCES) {
      return 'recurrence_too_many';
    }
  }
  return null;
}

function occurrenceDays(rule: Recurrence, start: DayKey, limit: number): DayKey[] {
  const days: DayKey[] = [];
  const startDay = Number(start.slice(8, 10));
  const until = rule.until === undefined ? Infinity : dayNumber(rule.until);
  const count = Math.min(rule.count ?? Infinity, limit);
  for (let i = 0; days.length < count; i++) {
    const day =
      rule.unit === 'day'
        ? addDays(start, i * rule.every)
        : rule.unit === 'week'
          ? addDays(start, i * rule.every * 7)
          : addMonths(start, i * rule.every, startDay);
    if (dayNumber(day) > until) break;
    days.push(day);
  }
  return days;
}

/** The wall times of every occurrence, the first being `startLocal` itself ("2026-03-29T09:30"). */
export function expandRecurrence(rule: Recurrence, startLocal: string): string[] {
  const time = startLocal.slice(10);
  return occurrenceDays(rule, startLocal.slice(0, 10), RECURRENCE_MAX_OCCURRENCES).map((day) => `${day}${time}`);
}

/** The same occurrences as instants in `zone`; a wall time a DST change skips moves forward by the gap. */
export function expandRecurrenceInstants(rule: Recurrence, startLocal: string, zone: string): number[] {
  return expandRecurrence(rule, startLocal).map((local) => fromLocal(local, zone) as number);
}

/** Reads a stored rule (posts.recurrence), or null for anything that is not one. */
export function parseRecurrence(text: string | null): Recurrence | null {
  if (!text) return null;
  try {
    const raw = JSON.parse(text) as Partial<Recurrence>;
    if (typeof raw.every !== 'number' || !recurrenceUnits.includes(raw.unit as RecurrenceUnit)) return null;
    const rule: Recurrence = { every: raw.every, unit: raw.unit as RecurrenceUnit };
    if (typeof raw.until === 'string') rule.until = raw.until;
    if (typeof raw.count === 'number') rule.count = raw.count;
    return rule;
  } catch {
    return null;
  }
}
