import { describe, expect, it } from 'vitest';
import { parseTimes, timeOfDay, timesText } from '../../renderer/src/features/calendar/format';
import { localeHourCycle, localeWeekStart, resolveHourCycle, resolveWeekStart, timeLocale } from '../../renderer/src/features/settings/time-preferences';

/** The clock and the week as the user reads them, and times typed in either clock. */

describe('the system locale’s clock and week', () => {
  it('reads 24 or 12 hours from the locale, and an explicit choice wins', () => {
    expect(localeHourCycle('en-US')).toBe('h12');
    expect(localeHourCycle('en-GB')).toBe('h23');
    expect(localeHourCycle('he-IL')).toBe('h23');
    expect(localeHourCycle('ru-RU')).toBe('h23');
    expect(resolveHourCycle('h12', 'de-DE')).toBe('h12');
    expect(resolveHourCycle('system', 'de-DE')).toBe('h23');
  });

  it('starts the week on Sunday in the US and Israel, Saturday in Egypt, Monday in Russia and Germany', () => {
    expect(localeWeekStart('en-US')).toBe(7);
    expect(localeWeekStart('he-IL')).toBe(7);
    expect(localeWeekStart('ar-EG')).toBe(6);
    expect(localeWeekStart('ru-RU')).toBe(1);
    expect(localeWeekStart('de')).toBe(1);
    expect(resolveWeekStart('saturday', 'en-US')).toBe(6);
    expect(resolveWeekStart('system', 'en-US')).toBe(7);
  });

  it('formats every time with the chosen clock through the locale tag', () => {
    expect(timeOfDay(18 * 60 + 30, timeLocale('en', 'h23'))).toBe('18:30');
    expect(timeOfDay(18 * 60 + 30, timeLocale('en', 'h12')).replace(/\s/g, ' ')).toBe('6:30 PM');
    expect(timesText([540, 1110], timeLocale('en', 'h23'))).toBe('09:00, 18:30');
  });
});

describe('times typed in the queue dialog', () => {
  const en = timeLocale('en', 'h12');
  it('takes either clock, with or without minutes, separated by commas or spaces', () => {
    expect(parseTimes('9:00 AM, 6:30 PM', en)).toEqual([540, 1110]);
    expect(parseTimes('09:00 18:30', en)).toEqual([540, 1110]);
    expect(parseTimes('10, 2pm; 12 am, 12:15 pm', en)).toEqual([600, 840, 0, 735]);
    expect(parseTimes(timesText([540, 1110], en), en)).toEqual([540, 1110]);
    expect(parseTimes('', en)).toEqual([]);
  });

  it('refuses what is not a time', () => {
    for (const bad of ['25:00', '9:75', '13 pm', 'pm', 'noon', '0:30 am', '9:00 xm']) expect(parseTimes(bad, en), bad).toBeNull();
  });
});
