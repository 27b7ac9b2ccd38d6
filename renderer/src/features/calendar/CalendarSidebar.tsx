import { useTranslation } from 'react-i18next';
import { useTimeLocale } from '../settings/time-preferences';
import { useCalendar } from './calendar-store';
import { instantText, rangeTitle, weekdayTime } from './format';
import { PostChip } from './PostChip';

interface CalendarSidebarProps {
  projectId: string | null;
  zone: string;
  colourOf(projectId: string): string;
}

/** Drafts with no time (drag one onto a day to schedule it) and the free queue slots of the week on screen, both from the calendar store. */
export function CalendarSidebar({ projectId, zone, colourOf }: CalendarSidebarProps) {
  const { t } = useTranslation();
  const lang = useTimeLocale();
  const drafts = useCalendar((s) => s.drafts);
  const accounts = useCalendar((s) => s.accounts);
  const slots = useCalendar((s) => s.slots);
  const slotWeek = useCalendar((s) => s.slotWeek);
  const selectedId = useCalendar((s) => s.selectedId);

  const accountName = (id: string) => {
    const account = accounts.find((a) => a.id === id);
    return account ? `${t(`networks.${account.network}`)} · ${account.displayName || account.handle}` : id;
  };

  return (
    <section className="calendar-aside" aria-label={t('calendar.sidebar')}>
      <section aria-labelledby="calendar-drafts-title">
        <h3 id="calendar-drafts-title">{t('calendar.drafts.title')}</h3>
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
        <section aria-labelledby="calendar-slots-title" data-week={slotWeek?.first}>
          <h3 id="calendar-slots-title">{t('calendar.slots.title')}</h3>
          {slotWeek && <p className="hint slot-week">
              <bdi>{rangeTitle(slotWeek.first, slotWeek.last, lang)}</bdi>
            </p>}
          {slots.length === 0 ? (
            <p className="hint">{t('calendar.slots.empty')}</p>
          ) : (
            <ul className="slot-list">
              {slots.slice(0, 30).map((slot) => (
                <li key={`${slot.accountId}-${slot.at}`} title={instantText(slot.at, zone, lang)}>
                  <span className="slot-when">
                    <bdi>{weekdayTime(slot.at, zone, lang)}</bdi>
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
