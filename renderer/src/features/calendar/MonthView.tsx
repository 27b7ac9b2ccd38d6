import { memo, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { PlacedEntry } from '../../../../main/core/calendar/layout';
import { weekday, type DayKey } from '../../../../main/core/calendar/days';
import { dayTitle, weekdayShort } from './format';
import { PostChip } from './PostChip';
import { useTimeLocale } from '../settings/time-preferences';

/** A month cell shows this many (two-line) posts and a "+N" button for the rest: 1,000 posts draw as a few hundred buttons. */
export const MONTH_CELL_POSTS = 3;

interface MonthViewProps {
  days: DayKey[];
  byDay: PlacedEntry[][];
  month: string;
  todayKey: DayKey;
  focusedDay: DayKey;
  selectedId: string | null;
  colourOf(projectId: string): string;
  onOpenDay(day: DayKey): void;
}

export const MonthView = memo(function MonthView({ days, byDay, month, todayKey, focusedDay, selectedId, colourOf, onOpenDay }: MonthViewProps) {
  const { t } = useTranslation();
  const lang = useTimeLocale();
  const weeks = useMemo(() => Array.from({ length: days.length / 7 }, (_, w) => w), [days.length]);
  return (
    <div className="month" role="grid" aria-label={t('calendar.monthGrid')} aria-readonly="false" data-month={month}>
      <div className="month-row month-head" role="row">
        {days.slice(0, 7).map((day) => (
          <div key={weekday(day)} className="month-weekday" role="columnheader">
            {weekdayShort(day, lang)}
          </div>
        ))}
      </div>
      {weeks.map((w) => (
        <div key={w} className="month-row" role="row">
          {days.slice(w * 7, w * 7 + 7).map((day, i) => {
            const placed = byDay[w * 7 + i] ?? [];
            const hidden = placed.length - MONTH_CELL_POSTS;
            const focused = day === focusedDay;
            return (
              <div
                // By place in the grid, not by date: a month switch updates 42 cells instead of remounting them.
                key={i}
                role="gridcell"
                className={`month-cell${day.slice(0, 7) === month ? '' : ' other-month'}${day === todayKey ? ' today' : ''}`}
                data-drop-day={day}
                data-day={day}
                data-count={placed.length}
                tabIndex={focused ? 0 : -1}
                aria-label={t('calendar.dayLabel', { day: dayTitle(day, lang), count: placed.length })}
                aria-current={day === todayKey ? 'date' : undefined}
              >
                <span className="month-date" aria-hidden="true">
                  {Number(day.slice(8))}
                </span>
                {placed.slice(0, hidden > 0 ? MONTH_CELL_POSTS - 1 : MONTH_CELL_POSTS).map((p, n) => (
                  <PostChip
                    key={n}
                    entry={p.entry}
                    minutes={p.minutes}
                    colour={colourOf(p.entry.projectId)}
                    tabbable={focused}
                    selected={p.entry.id === selectedId}
                  />
                ))}
                {hidden > 0 && (
                  <button type="button" className="month-more" dir="auto" tabIndex={focused ? 0 : -1} onClick={() => onOpenDay(day)}>
                    {t('calendar.more', { count: hidden + 1 })}
                  </button>
                )}
              </div>
            );
          })}
        </div>
      ))}
    </div>
  );
});
