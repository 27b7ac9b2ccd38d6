import { memo, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DayKey } from '../../../../main/core/calendar/days';
import type { PlacedEntry } from '../../../../main/core/calendar/layout';
import { dayTitle } from './format';
import { PostChip } from './PostChip';
import { useTimeLocale } from '../settings/time-preferences';

/** Every row is this tall, so only the rows in view are drawn however long the month is. */
export const LIST_ROW_PX = 40;
const VIEWPORT_PX = 640;
const OVERSCAN = 8;

type Row = { kind: 'day'; day: DayKey; count: number } | { kind: 'post'; placed: PlacedEntry };

interface ListViewProps {
  days: DayKey[];
  byDay: PlacedEntry[][];
  selectedId: string | null;
  colourOf(projectId: string): string;
}

/** The agenda: days that have posts, each followed by its posts, virtualised. */
export const ListView = memo(function ListView({ days, byDay, selectedId, colourOf }: ListViewProps) {
  const { t } = useTranslation();
  const lang = useTimeLocale();
  const [scrollTop, setScrollTop] = useState(0);
  const rows = useMemo(() => {
    const out: Row[] = [];
    days.forEach((day, i) => {
      const placed = byDay[i] ?? [];
      if (placed.length === 0) return;
      out.push({ kind: 'day', day, count: placed.length });
      for (const p of placed) out.push({ kind: 'post', placed: p });
    });
    return out;
  }, [days, byDay]);

  if (rows.length === 0) return <p className="calendar-empty">{t('calendar.listEmpty')}</p>;
  const first = Math.max(0, Math.floor(scrollTop / LIST_ROW_PX) - OVERSCAN);
  const last = Math.min(rows.length, Math.ceil((scrollTop + VIEWPORT_PX) / LIST_ROW_PX) + OVERSCAN);
  return (
    <div className="agenda" role="list" aria-label={t('calendar.listLabel')} onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)} style={{ blockSize: VIEWPORT_PX }}>
      <div style={{ blockSize: rows.length * LIST_ROW_PX, position: 'relative' }}>
        {rows.slice(first, last).map((row, i) => {
          const top = (first + i) * LIST_ROW_PX;
          if (row.kind === 'day') {
            return (
              <div key={row.day} role="listitem" className="agenda-day" style={{ insetBlockStart: top }}>
                <h3>{dayTitle(row.day, lang)}</h3>
                <span className="hint">{t('calendar.postCount', { count: row.count })}</span>
              </div>
            );
          }
          return (
            <div key={row.placed.entry.id} role="listitem" className="agenda-row" style={{ insetBlockStart: top }}>
              <PostChip
                entry={row.placed.entry}
                minutes={row.placed.minutes}
                colour={colourOf(row.placed.entry.projectId)}
                tabbable
                selected={row.placed.entry.id === selectedId}
                variant="row"
              />
            </div>
          );
        })}
      </div>
    </div>
  );
});
