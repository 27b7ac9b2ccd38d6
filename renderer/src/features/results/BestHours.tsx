import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { WeeklySlot } from '../../../../main/core/calendar/slots';
import type { ResultsSummary } from '../../../../main/core/results';
import { invoke } from '../../platform/api';
import { unawaited } from '../../platform/unawaited';
import { useErrorText } from '../../ui/useErrorText';
import { timeOfDay } from '../calendar/format';
import { formatAverage, weekdayName } from './results-format';

const slotOf = (hour: { weekday: number; hour: number }): WeeklySlot => ({ weekday: hour.weekday, minute: hour.hour * 60 });
const sameSlot = (a: WeeklySlot, b: WeeklySlot) => a.weekday === b.weekday && a.minute === b.minute;

/** The hours the project's own posts did best, offered as slots of the project's queue. */
export function BestHours({ projectId, hours, lang }: { projectId: string; hours: ResultsSummary['bestHours']; lang: string }) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const [queued, setQueued] = useState<WeeklySlot[] | null>(null);
  const [note, setNote] = useState<{ text: string; error: boolean } | null>(null);
  const [saving, setSaving] = useState(false);

  // Keyed by project in the page, so a new project starts with no note.
  useEffect(() => {
    unawaited(
      invoke('queue.get', { projectId }).then((result) => setQueued(result.ok ? result.value.project.slots : [])),
      'Reading the queue slots',
    );
  }, [projectId]);

  const missing = hours.map(slotOf).filter((slot) => !(queued ?? []).some((q) => sameSlot(q, slot)));

  const add = async () => {
    if (saving || missing.length === 0) return;
    setSaving(true);
    setNote(null);
    try {
      // Read again: the queue dialog may have changed the slots since this page loaded.
      const current = await invoke('queue.get', { projectId });
      if (!current.ok) return setNote({ text: errorText(current.error), error: true });
      const { slots, minSpacingMinutes } = current.value.project;
      const added = hours.map(slotOf).filter((slot) => !slots.some((q) => sameSlot(q, slot)));
      if (added.length === 0) {
        setQueued(slots);
        return setNote({ text: t('results.bestHours.already'), error: false });
      }
      const saved = await invoke('queue.saveProject', { projectId, slots: [...slots, ...added], minSpacingMinutes });
      if (!saved.ok) return setNote({ text: errorText(saved.error), error: true });
      setQueued(saved.value.slots);
      setNote({ text: t('results.bestHours.added', { count: added.length }), error: false });
    } finally {
      setSaving(false);
    }
  };

  return (
    <section className="results-section" aria-labelledby="results-best-hours">
      <h2 id="results-best-hours">{t('results.bestHours.title')}</h2>
      {hours.length === 0 ? (
        <p className="empty">{t('results.bestHours.none')}</p>
      ) : (
        <>
          <p className="hint">{t('results.bestHours.lead')}</p>
          <ul className="results-best-hours">
            {hours.map((hour) => {
              const inQueue = (queued ?? []).some((q) => sameSlot(q, slotOf(hour)));
              return (
                <li key={`${hour.weekday}:${hour.hour}`}>
                  {t('results.bestHours.slot', {
                    when: `${weekdayName(hour.weekday, lang)} ${timeOfDay(hour.hour * 60, lang)}`,
                    perPost: formatAverage(hour.engagementPerPost, lang),
                    count: hour.posts,
                  })}
                  {inQueue && <span className="results-in-queue"> · {t('results.bestHours.inQueue')}</span>}
                </li>
              );
            })}
          </ul>
          <div className="results-actions">
            <button type="button" className="button primary" disabled={saving || queued === null || missing.length === 0} onClick={() => unawaited(add(), 'Adding best hours to the queue')}>
              {t('results.bestHours.add')}
            </button>
            <p className={note?.error ? 'error' : 'hint'} role="status">
              {note?.text ?? (queued !== null && missing.length === 0 ? t('results.bestHours.already') : '')}
            </p>
          </div>
        </>
      )}
    </section>
  );
}
