import { addDays, addMonths, dayNumber, dayStart, dayKeyOf, isDayKey, startOfMonth, type DayKey } from '../../../../main/core/calendar/days';

/** The periods the Results page offers, as whole days in the project's zone. */
export const periodKinds = ['thisMonth', 'lastMonth', 'last30', 'custom'] as const;
export type PeriodKind = (typeof periodKinds)[number];

export interface PeriodChoice {
  kind: PeriodKind;
  /** The custom range's days; kept while another kind is chosen, so switching back finds them. */
  first: DayKey;
  last: DayKey;
}

export interface DaySpan {
  first: DayKey;
  last: DayKey;
}

/** The server answers at most a year and a day; a longer custom range is cut to its last 366 days. */
const MAX_DAYS = 366;

/** The days a choice covers on `today` (in the project's zone), `last` included. */
export function periodSpan(choice: PeriodChoice, today: DayKey): DaySpan {
  if (choice.kind === 'thisMonth') return { first: startOfMonth(today), last: today };
  if (choice.kind === 'lastMonth') {
    const first = addMonths(startOfMonth(today), -1, 1);
    return { first, last: addDays(startOfMonth(today), -1) };
  }
  if (choice.kind === 'last30') return { first: addDays(today, -29), last: today };
  const [first, last] = choice.first <= choice.last ? [choice.first, choice.last] : [choice.last, choice.first];
  return { first: dayNumber(last) - dayNumber(first) >= MAX_DAYS ? addDays(last, -(MAX_DAYS - 1)) : first, last };
}

/** The same number of days just before: what "change" is measured against. */
export function previousSpan(span: DaySpan): DaySpan {
  const length = dayNumber(span.last) - dayNumber(span.first) + 1;
  return { first: addDays(span.first, -length), last: addDays(span.first, -1) };
}

/** The half-open instants [from, to) of whole days in a zone, as results.summary asks. */
export function spanInstants(span: DaySpan, zone: string): { from: number; to: number } {
  return { from: dayStart(span.first, zone), to: dayStart(addDays(span.last, 1), zone) };
}

export function defaultChoice(now: number, zone: string): PeriodChoice {
  const today = dayKeyOf(now, zone);
  return { kind: 'thisMonth', first: addDays(today, -29), last: today };
}

/** A typed date, or null when it is not one (a half-typed field). */
export function dayOrNull(value: string): DayKey | null {
  return isDayKey(value) ? value : null;
}

/** Change from `before` to `now` in percent; null when there is nothing to compare with. */
export function changePercent(now: number, before: number | undefined): number | null {
  if (before === undefined || before === 0) return null;
  return ((now - before) / before) * 100;
}
