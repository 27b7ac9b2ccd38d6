import { memo, useEffect, useMemo, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { DayKey } from '../../../../main/core/calendar/days';
import { layoutDayColumn, type PlacedEntry } from '../../../../main/core/calendar/layout';
import { shortDay, timeOfDay, dayTitle } from './format';
import { FreeSlots } from './FreeSlots';
import { PostChip } from './PostChip';
import { useTimeLocale } from '../settings/time-preferences';

/** Pixels per hour of the time grid; drops snap to 15 minutes (10 px). */
export const HOUR_PX = 40;
export const MINUTE_PX = HOUR_PX / 60;
const BLOCK_MINUTES = 30;

interface TimeGridViewProps {
  days: DayKey[];
  byDay: PlacedEntry[][];
  todayKey: DayKey;
  focusedDay: DayKey;
  selectedId: string | null;
  colourOf(projectId: string): string;
  onOpenDay(day: DayKey): void;
}

const hours = Array.from({ length: 24 }, (_, h) => h);

export const TimeGridView = memo(function TimeGridView({ days, byDay, todayKey, focusedDay, selectedId, colourOf, onOpenDay }: TimeGridViewProps) {
  const { t } = useTranslation();
  const lang = useTimeLocale();
  const scroller = useRef<HTMLDivElement>(null);
  const maxColumns = days.length === 1 ? 8 : 3;
  const layouts = useMemo(() => byDay.map((day) => layoutDayColumn(day, BLOCK_MINUTES, maxColumns)), [byDay, maxColumns]);

  useEffect(() => {
    // Opens on the working day, not on midnight.
    if (scroller.current) scroller.current.scrollTop = 7 * HOUR_PX - 12;
  }, []);

  return (
    <div className={`timegrid${days.length === 1 ? ' single' : ''}`} style={{ '--days': days.length } as React.CSSProperties}>
      <div className="timegrid-head">
        <div className="timegrid-corner" />
        {days.map((day) => (
          <div key={day} className={`timegrid-day${day === todayKey ? ' today' : ''}`}>
            <button type="button" className="link-button" onClick={() => onOpenDay(day)} aria-label={dayTitle(day, lang)}>
              <bdi>{shortDay(day, lang)}</bdi>
            </button>
          </div>
        ))}
      </div>
      <div className="timegrid-scroll" ref={scroller}>
        <div className="timegrid-body" role="grid" aria-label={t('calendar.timeGrid')}>
          <div role="row" className="contents">
          <div className="timegrid-hours" aria-hidden="true">
            {hours.map((h) => (
              <div key={h} className="timegrid-hour">
                {/* Isolated: "7:00 AM" keeps its order on a right-to-left page, a Hebrew time reads right to left. */}
                {h === 0 ? '' : <bdi>{timeOfDay(h * 60, lang)}</bdi>}
              </div>
            ))}
          </div>
          {days.map((day, i) => {
            const layout = layouts[i] ?? { boxes: [], overflow: [] };
            const focused = day === focusedDay;
            return (
              <div
                key={day}
                role="gridcell"
                className={`timegrid-col${day === todayKey ? ' today' : ''}`}
                data-drop-col={day}
                data-day={day}
                tabIndex={focused ? 0 : -1}
                aria-label={t('calendar.dayLabel', { day: dayTitle(day, lang), count: byDay[i]?.length ?? 0 })}
              >
                <FreeSlots day={day} minutePx={MINUTE_PX} blockMinutes={BLOCK_MINUTES} />
                {layout.boxes.map((box) => (
                  <PostChip
                    key={box.entry.id}
                    variant="block"
                    entry={box.entry}
                    minutes={box.minutes}
                    colour={colourOf(box.entry.projectId)}
                    tabbable={focused}
                    selected={box.entry.id === selectedId}
                    style={{
                      insetBlockStart: box.minutes * MINUTE_PX,
                      blockSize: BLOCK_MINUTES * MINUTE_PX - 2,
                      insetInlineStart: `${(box.column / box.columns) * 100}%`,
                      inlineSize: `calc(${100 / box.columns}% - 2px)`,
                    }}
                  />
                ))}
                {layout.overflow.map((o) => (
                  <button
                    key={o.minutes}
                    type="button"
                    className="timegrid-more"
                    tabIndex={focused ? 0 : -1}
                    style={{ insetBlockStart: o.minutes * MINUTE_PX + BLOCK_MINUTES * MINUTE_PX }}
                    onClick={() => onOpenDay(day)}
                  >
                    {t('calendar.more', { count: o.count })}
                  </button>
                ))}
              </div>
            );
          })}
          </div>
        </div>
      </div>
    </div>
  );
});
