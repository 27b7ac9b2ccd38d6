import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { addDays, dayKeyOf, dayStart, startOfWeek, wallMinutes } from '../../../../main/core/calendar/days';
import { invoke } from '../../platform/api';
import { useCalendar } from './calendar-store';
import { instantText, timeOfDay } from './format';
import { PostChip } from './PostChip';
import { unawaited } from '../../platform/unawaited';

interface CalendarSidebarProps {
  projectId: string | null;
  zone: string;
  colourOf(projectId: string): string;
}

/** Drafts with no time (drag one onto a day to schedule it) and this week's empty queue slots. */
export function CalendarSidebar({ projectId, zone, colourOf }: CalendarSidebarProps) {
  const { t, i18n } = useTranslation();
  const drafts = useCalendar((s) => s.drafts);
  const accounts = useCalendar((s) => s.accounts);
  const changes = useCalendar((s) => s.changes);
  const selectedId = useCalendar((s) => s.selectedId);
  const [slots, setSlots] = useState<{ accountId: string; at: number }[]>([]);

  useEffect(() => {
    if (!projectId) return;
    const monday = startOfWeek(dayKeyOf(Date.now(), zone));
    let live = true;
    unawaited(
      invoke('queue.free', { projectId, from: dayStart(monday, zone), to: dayStart(addDays(monday, 7), zone) }).then((result) => {
        if (live && result.ok) setSlots(result.value.slots);
      }),
      'Loading the free queue slots',
    );
    return () => {
      live = false;
    };
    // Posts changing may fill or free a slot; paging through months does not.
  }, [projectId, zone, changes]);

  const accountName = (id: string) => {
    const account = accounts.find((a) => a.id === id);
    return account ? `${t(`networks.${account.network}`)} · ${account.displayName || account.handle}` : id;
  };

  return (
    <section className="calendar-aside" aria-label={t('calendar.sidebar')}>
      <section>
        <h3>{t('calendar.drafts.title')}</h3>
        <p className="hint">{t('calendar.drafts.hint')}</p>
        {drafts.length === 0 ? (
          <p className="hint">{t('calendar.drafts.empty')}</p>
        ) : (
          <ul className="draft-list">
            {drafts.map((entry) => (
              <li key={entry.id}>
                <PostChip entry={entry} minutes={null} colour={colourOf(entry.projectId)} tabbable selected={entry.id === selectedId} />
              </li>
            ))}
          </ul>
        )}
      </section>
      {projectId && (
        <section>
          <h3>{t('calendar.slots.title')}</h3>
          {slots.length === 0 ? (
            <p className="hint">{t('calendar.slots.empty')}</p>
          ) : (
            <ul className="slot-list">
              {slots.slice(0, 30).map((slot) => (
                <li key={`${slot.accountId}-${slot.at}`} title={instantText(slot.at, zone, i18n.language)}>
                  <span className="slot-when">
                    {new Intl.DateTimeFormat(i18n.language, { weekday: 'short', timeZone: zone }).format(slot.at)}{' '}
                    {timeOfDay(wallMinutes(slot.at, zone), i18n.language)}
                  </span>
                  <span className="slot-account">{accountName(slot.accountId)}</span>
                </li>
              ))}
            </ul>
          )}
        </section>
      )}
    </section>
  );
}
