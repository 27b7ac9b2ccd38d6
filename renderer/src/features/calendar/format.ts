import { dayNumber, type DayKey } from '../../../../main/core/calendar/days';

/**
 * Dates and times in the user's language. Formatters are made once per language and times of
 * day are cached by minute, so a month of 1,000 posts costs a map look-up per post, not an Intl call.
 */

const DAY_MS = 86_400_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(lang: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${lang}|${JSON.stringify(options)}`;
  let made = formatters.get(key);
  if (!made) {
    made = new Intl.DateTimeFormat(lang, { ...options, timeZone: 'UTC' });
    formatters.set(key, made);
  }
  return made;
}

/** A civil date as a UTC Date, so formatting never shifts it by the device's zone. */
function utcDate(day: DayKey): Date {
  return new Date(dayNumber(day) * DAY_MS);
}

const times = new Map<string, string>();

/** "09:30" or "9:30 AM", as the language writes a time of day. */
export function timeOfDay(minutes: number, lang: string): string {
  const key = `${lang}|${minutes}`;
  let text = times.get(key);
  if (text === undefined) {
    text = formatter(lang, { hour: 'numeric', minute: '2-digit' }).format(new Date(minutes * 60_000));
    times.set(key, text);
  }
  return text;
}

export function monthTitle(day: DayKey, lang: string): string {
  return formatter(lang, { month: 'long', year: 'numeric' }).format(utcDate(day));
}

export function dayTitle(day: DayKey, lang: string): string {
  return formatter(lang, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }).format(utcDate(day));
}

export function shortDay(day: DayKey, lang: string): string {
  return formatter(lang, { weekday: 'short', day: 'numeric' }).format(utcDate(day));
}

export function weekdayShort(day: DayKey, lang: string): string {
  return formatter(lang, { weekday: 'short' }).format(utcDate(day));
}

export function rangeTitle(first: DayKey, last: DayKey, lang: string): string {
  return formatter(lang, { day: 'numeric', month: 'short', year: 'numeric' }).formatRange(utcDate(first), utcDate(last));
}

/** An instant in a zone, for sentences and the approval pack: "Monday, 30 March 2026 at 09:00". */
export function instantText(instant: number, zone: string, lang: string): string {
  return new Intl.DateTimeFormat(lang, { dateStyle: 'full', timeStyle: 'short', timeZone: zone }).format(new Date(instant));
}
