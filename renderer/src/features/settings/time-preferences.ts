import { useTranslation } from 'react-i18next';
import type { HourCyclePreference, WeekStartPreference } from '../../../../main/core/contract';
import { useSettings } from './settings-store';

/**
 * How the user reads time: 24- or 12-hour clock and the first day of the week. "System" follows the
 * operating system's locale (not Outpost's language: an English UI on a German system keeps 24 hours).
 */

export type HourCycle = 'h23' | 'h12';
/** ISO weekday the week starts on: 1 Monday, 6 Saturday, 7 Sunday. */
export type WeekStartDay = 1 | 6 | 7;

// CLDR's firstDay, for runtimes whose Intl.Locale has no week info (Firefox, older V8).
const SUNDAY_REGIONS = new Set(
  'AG AS BD BR BS BT BW BZ CA CN CO DM DO ET GT GU HK HN ID IL IN JM JP KE KH KR LA MH MM MO MT MX MZ NI NP PA PE PH PK PR PT PY SA SG SV TH TT TW UM US VE VI WS YE ZA ZW'.split(' '),
);
const SATURDAY_REGIONS = new Set('AE AF BH DJ DZ EG IQ IR JO KW LY OM QA SD SY'.split(' '));

interface LocaleInfo {
  getHourCycles?(): string[];
  hourCycles?: string[];
  getWeekInfo?(): { firstDay: number };
  weekInfo?: { firstDay: number };
}

/** The operating system's locale as the renderer sees it (Electron passes the OS locale to Chromium). */
export function systemLocale(): string {
  return (typeof navigator !== 'undefined' && (navigator.languages?.[0] ?? navigator.language)) || Intl.DateTimeFormat().resolvedOptions().locale;
}

function localeOf(tag: string): Intl.Locale {
  try {
    return new Intl.Locale(tag);
  } catch {
    return new Intl.Locale('en-US');
  }
}

const cycles = new Map<string, HourCycle>();

export function localeHourCycle(tag: string): HourCycle {
  let cycle = cycles.get(tag);
  if (cycle === undefined) {
    cycle = readHourCycle(tag);
    cycles.set(tag, cycle);
  }
  return cycle;
}

function readHourCycle(tag: string): HourCycle {
  const locale = localeOf(tag);
  const info = locale as unknown as LocaleInfo;
  const cycles = info.getHourCycles?.() ?? info.hourCycles;
  const cycle = locale.hourCycle ?? cycles?.[0] ?? new Intl.DateTimeFormat(locale.toString(), { hour: 'numeric' }).resolvedOptions().hourCycle;
  return cycle === 'h11' || cycle === 'h12' ? 'h12' : 'h23';
}

export function localeWeekStart(tag: string): WeekStartDay {
  const locale = localeOf(tag);
  const info = locale as unknown as LocaleInfo;
  const firstDay = info.getWeekInfo?.().firstDay ?? info.weekInfo?.firstDay;
  if (firstDay === 6 || firstDay === 7 || firstDay === 1) return firstDay;
  const region = locale.region ?? locale.maximize().region ?? '';
  return SUNDAY_REGIONS.has(region) ? 7 : SATURDAY_REGIONS.has(region) ? 6 : 1;
}

export function resolveHourCycle(preference: HourCyclePreference | undefined, tag = systemLocale()): HourCycle {
  return preference === 'h23' || preference === 'h12' ? preference : localeHourCycle(tag);
}

const weekStarts = { monday: 1, saturday: 6, sunday: 7 } as const;

export function resolveWeekStart(preference: WeekStartPreference | undefined, tag = systemLocale()): WeekStartDay {
  return preference && preference !== 'system' ? weekStarts[preference] : localeWeekStart(tag);
}

const made = new Map<string, string>();

/** The UI language with the hour cycle as a Unicode extension ("en-u-hc-h23"): every Intl formatter then agrees. */
export function timeLocale(language: string, hourCycle: HourCycle): string {
  const key = `${language}|${hourCycle}`;
  let tag = made.get(key);
  if (tag === undefined) {
    try {
      tag = new Intl.Locale(language, { hourCycle }).toString();
    } catch {
      tag = `en-u-hc-${hourCycle}`;
    }
    made.set(key, tag);
  }
  return tag;
}

/** The locale every date and time on screen is formatted with. */
export function useTimeLocale(): string {
  const { i18n } = useTranslation();
  const preference = useSettings((s) => s.settings?.hourCycle);
  return timeLocale(i18n.language, resolveHourCycle(preference));
}

export function useWeekStart(): WeekStartDay {
  return resolveWeekStart(useSettings((s) => s.settings?.weekStart));
}
