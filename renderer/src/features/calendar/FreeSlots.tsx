import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { dayKeyOf, wallMinutes, type DayKey } from '../../../../main/core/calendar/days';
import { useTimeLocale } from '../settings/time-preferences';
import { useCalendar } from './calendar-store';
import { timeOfDay } from './format';
import './free-slots.css';

/** The week's free queue slots drawn in one day column of the week or day grid: one mark per time, naming its accounts. */
export function FreeSlots({ day, minutePx, blockMinutes }: { day: DayKey; minutePx: number; blockMinutes: number }) {
  const { t } = useTranslation();
  const lang = useTimeLocale();
  const slots = useCalendar((s) => s.slots);
  const zone = useCalendar((s) => s.context?.zone);
  const accounts = useCalendar((s) => s.accounts);
  const marks = useMemo(() => {
    if (!zone) return [];
    const byTime = new Map<number, string[]>();
    for (const slot of slots) {
      if (dayKeyOf(slot.at, zone) !== day) continue;
      const account = accounts.find((a) => a.id === slot.accountId);
      const names = byTime.get(slot.at) ?? [];
      names.push(account ? account.displayName || account.handle : slot.accountId);
      byTime.set(slot.at, names);
    }
    return [...byTime].map(([at, names]) => ({ at, minutes: wallMinutes(at, zone), names }));
  }, [slots, zone, accounts, day]);

  return marks.map((mark) => (
    <div
      key={mark.at}
      className="free-slot"
      data-free-slot={mark.at}
      title={t('calendar.queue.freeSlot', { time: timeOfDay(mark.minutes, lang), accounts: mark.names.join(', ') })}
      style={{ insetBlockStart: mark.minutes * minutePx, blockSize: blockMinutes * minutePx - 2 }}
    >
      <bdi>{timeOfDay(mark.minutes, lang)}</bdi>
    </div>
  ));
}
