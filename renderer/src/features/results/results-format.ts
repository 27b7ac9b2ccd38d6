import { addDays, dayNumber, type DayKey } from '../../../../main/core/calendar/days';
import { dateFormat } from '../../platform/date-format';

/** Numbers and dates of the Results page through Intl, one formatter per language and kind. */

const numberFormats = new Map<string, Intl.NumberFormat>();

function numberFormat(lang: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `${lang}|${JSON.stringify(options)}`;
  let made = numberFormats.get(key);
  if (!made) {
    made = new Intl.NumberFormat(lang, options);
    numberFormats.set(key, made);
  }
  return made;
}

export function formatCount(value: number, lang: string): string {
  return numberFormat(lang, { maximumFractionDigits: 0 }).format(value);
}

/** "21" or "4.5": an average per post. */
export function formatAverage(value: number, lang: string): string {
  return numberFormat(lang, { maximumFractionDigits: 1 }).format(value);
}

/** "+12%" or "−5%", signed always. */
export function formatChange(percent: number, lang: string): string {
  return numberFormat(lang, { style: 'percent', maximumFractionDigits: 0, signDisplay: 'exceptZero' }).format(percent / 100);
}

/** A civil date as a UTC Date, so formatting never shifts it by the device's zone. */
const utcDate = (day: DayKey) => new Date(dayNumber(day) * 86_400_000);

/** "3 Mar", as axes and tables show a day. */
export function shortDate(day: DayKey, lang: string): string {
  return dateFormat(lang, { day: 'numeric', month: 'short' }).format(utcDate(day));
}

// Any Monday: only its week's weekday names are read.
const A_MONDAY = '2026-03-02';

/** "Tuesday" for ISO weekday 2. */
export function weekdayName(weekday: number, lang: string): string {
  return dateFormat(lang, { weekday: 'long' }).format(utcDate(addDays(A_MONDAY, weekday - 1)));
}
