import { dayNumber, type DayKey } from '../../../../main/core/calendar/days';
import { dateFormat } from '../../platform/date-format';

/**
 * Dates and times in the user's language and clock: `lang` is a time locale (settings/time-preferences,
 * "en-u-hc-h23"), so the calendar, the queue dialog and the post panel read the same. Formatters are
 * made once per locale and times of day are cached by minute, so a month of 1,000 posts costs a map
 * look-up per post, not an Intl call.
 */

const DAY_MS = 86_400_000;

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
    text = dateFormat(lang, { hour: 'numeric', minute: '2-digit' }).format(new Date(minutes * 60_000));
    times.set(key, text);
  }
  return text;
}

export function monthTitle(day: DayKey, lang: string): string {
  return dateFormat(lang, { month: 'long', year: 'numeric' }).format(utcDate(day));
}

export function dayTitle(day: DayKey, lang: string): string {
  return dateFormat(lang, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }).format(utcDate(day));
}

export function shortDay(day: DayKey, lang: string): string {
  return dateFormat(lang, { weekday: 'short', day: 'numeric' }).format(utcDate(day));
}

export function weekdayShort(day: DayKey, lang: string): string {
  return dateFormat(lang, { weekday: 'short' }).format(utcDate(day));
}

export function rangeTitle(first: DayKey, last: DayKey, lang: string): string {
  return dateFormat(lang, { day: 'numeric', month: 'short', year: 'numeric' }).formatRange(utcDate(first), utcDate(last));
}

/** An instant in a zone, for sentences: "Monday, 30 March 2026 at 09:00". */
export function instantText(instant: number, zone: string, lang: string): string {
  return dateFormat(lang, { dateStyle: 'full', timeStyle: 'short' }, zone).format(new Date(instant));
}

/** A slot in the week: "Mon 09:00" or "Mon 9:00 AM". */
export function weekdayTime(instant: number, zone: string, lang: string): string {
  return dateFormat(lang, { weekday: 'short', hour: 'numeric', minute: '2-digit' }, zone).format(new Date(instant));
}

/** Times of day as the queue dialog's field shows them: "9:00 AM, 6:30 PM". */
export function timesText(minutes: readonly number[], lang: string): string {
  return minutes.map((m) => timeOfDay(m, lang)).join(', ');
}

/** What a locale writes after a 12-hour time ("AM", "PM", "לפנה״צ"…), lower-cased, morning first. */
function dayPeriods(lang: string): [string[], string[]] {
  const period = (hour: number) =>
    dateFormat(lang, { hour: 'numeric', hourCycle: 'h12' })
      .formatToParts(new Date(hour * 3_600_000))
      .find((p) => p.type === 'dayPeriod')
      ?.value.toLowerCase();
  const am = ['am', 'a', 'a.m.', period(9)].filter((p): p is string => Boolean(p));
  const pm = ['pm', 'p', 'p.m.', period(21)].filter((p): p is string => Boolean(p));
  return [am, pm];
}

/**
 * Times of day typed in either clock, separated by commas or spaces ("9:30 am, 18:00", "10, 2 pm"),
 * as minutes after midnight; null when a part is not a time.
 */
export function parseTimes(text: string, lang: string): number[] | null {
  const [am, pm] = dayPeriods(lang);
  const tokens = text.toLowerCase().replace(/\u202f|\u00a0/g, ' ').split(/[\s,;]+/).filter(Boolean);
  const minutes: number[] = [];
  for (const token of tokens) {
    const marker = am.includes(token) ? 'am' : pm.includes(token) ? 'pm' : null;
    if (marker) {
      // "9:30 pm": the marker belongs to the time before it.
      const last = minutes.pop();
      if (last === undefined || last >= 13 * 60 || last < 60) return null;
      minutes.push(marker === 'pm' ? (last % 720) + 720 : last % 720);
      continue;
    }
    const match = /^(\d{1,2})(?:[:.](\d{2}))?(\D*)$/.exec(token);
    if (!match) return null;
    const hour = Number(match[1]);
    const minute = Number(match[2] ?? 0);
    if (hour > 23 || minute > 59) return null;
    const suffix = match[3] ?? '';
    if (suffix === '') {
      minutes.push(hour * 60 + minute);
      continue;
    }
    const isAm = am.includes(suffix);
    if ((!isAm && !pm.includes(suffix)) || hour < 1 || hour > 12) return null;
    minutes.push(((hour % 12) + (isAm ? 0 : 12)) * 60 + minute);
  }
  return minutes;
}
