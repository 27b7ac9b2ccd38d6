import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AccountQueueSettings, CalendarAccount, ProjectQueueSettings, Reply } from '../../../../main/core/contract';
import { weekDays } from '../../../../main/core/calendar/days';
import { invoke } from '../../platform/api';
import { Dialog } from '../../ui/Dialog';
import { useErrorText } from '../../ui/useErrorText';
import { useTimeLocale } from '../settings/time-preferences';
import { useCalendar } from './calendar-store';
import { parseTimes, timesText, weekdayShort } from './format';
import { unawaited } from '../../platform/unawaited';

// Any Monday: only its week's weekday names are read.
const aWeek = weekDays('2026-03-02');
const exampleTimes = [10 * 60, 18 * 60 + 30];

/** Queue settings for the whole project or one account ('' picks the project): weekdays and times of slots, and the least spacing between posts. */
export function QueueDialog({ projectId, onClose }: { projectId: string; onClose(): void }) {
  const { t } = useTranslation();
  const lang = useTimeLocale();
  const weekStartsOn = useCalendar((s) => s.weekStartsOn);
  // ISO weekdays (1 Monday … 7 Sunday) in the order the user's week runs.
  const weekdays = Array.from({ length: 7 }, (_, i) => ((weekStartsOn - 1 + i) % 7) + 1);
  const errorText = useErrorText();
  const [accounts, setAccounts] = useState<CalendarAccount[]>([]);
  const [queues, setQueues] = useState<AccountQueueSettings[]>([]);
  const [projectQueue, setProjectQueue] = useState<ProjectQueueSettings>({ slots: [], minSpacingMinutes: 0 });
  const [accountId, setAccountId] = useState('');
  const [days, setDays] = useState<number[]>([]);
  const [times, setTimes] = useState('');
  const [spacing, setSpacing] = useState(0);
  const [note, setNote] = useState<string | null>(null);
  const [pool, setPool] = useState<Reply<'evergreen.get'> | null>(null);
  const [intervalDays, setIntervalDays] = useState(30);

  /** Shows one account's slots in the form. */
  const pick = (id: string, list: AccountQueueSettings[], project = projectQueue) => {
    const queue = id === '' ? project : list.find((q) => q.accountId === id);
    setAccountId(id);
    setDays([...new Set(queue?.slots.map((s) => s.weekday) ?? [])]);
    setTimes(timesText([...new Set(queue?.slots.map((s) => s.minute) ?? [])].sort((a, b) => a - b), lang));
    setSpacing(queue?.minSpacingMinutes ?? 0);
  };

  useEffect(() => {
    const load = Promise.all([invoke('calendar.facets', { projectId }), invoke('queue.get', { projectId }), invoke('evergreen.get', { projectId })]).then(([facets, queue, evergreen]) => {
      const list = queue.ok ? queue.value.queues : [];
      const project = queue.ok ? queue.value.project : projectQueue;
      setProjectQueue(project);
      if (evergreen.ok) {
        setPool(evergreen.value);
        setIntervalDays(evergreen.value.minIntervalDays);
      }
      setQueues(list);
      if (facets.ok) {
        setAccounts(facets.value.accounts);
        // Opens on what is in use: the first account with slots of its own, else the project's, else the first account.
        const own = facets.value.accounts.find((a) => list.some((q) => q.accountId === a.id && q.slots.length > 0));
        pick(own?.id ?? (project.slots.length > 0 ? '' : (facets.value.accounts[0]?.id ?? '')), list, project);
      }
    });
    unawaited(load, 'Loading the queue settings');
    // Loads once per project: the clock changing while the dialog is open must not throw away what is being typed.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [projectId]);

  const save = async () => {
    const minutes = parseTimes(times, lang);
    if (minutes === null) {
      setNote(t('calendar.queue.badTimes', { example: timesText(exampleTimes, lang) }));
      return;
    }
    const slots = days.flatMap((weekday) => minutes.map((minute) => ({ weekday, minute })));
    let saved: ProjectQueueSettings;
    if (accountId === '') {
      const result = await invoke('queue.saveProject', { projectId, slots, minSpacingMinutes: spacing });
      if (!result.ok) return setNote(errorText(result.error));
      saved = result.value;
      setProjectQueue(saved);
    } else {
      const result = await invoke('queue.save', { accountId, slots, minSpacingMinutes: spacing });
      if (!result.ok) return setNote(errorText(result.error));
      saved = result.value;
      setQueues((list) => [...list.filter((q) => q.accountId !== accountId), result.value]);
    }
    // Written back as the calendar writes times, so "18:00" typed on a 12-hour clock reads "6:00 PM".
    setTimes(timesText([...new Set(saved.slots.map((s) => s.minute))].sort((a, b) => a - b), lang));
    setNote(t('calendar.queue.saved'));
  };

  /** Copies of pool posts into the next free slots, in turn, as long as none repeats too soon. */
  const fillFromPool = async () => {
    const saved = await invoke('evergreen.configure', { projectId, minIntervalDays: intervalDays });
    if (!saved.ok) return setNote(errorText(saved.error));
    const result = await invoke('evergreen.queue', { projectId, count: 7 });
    if (!result.ok) return setNote(errorText(result.error));
    setNote(t(`calendar.evergreen.stopped.${result.value.stoppedBy}`, { count: result.value.entries.length }));
    const fresh = await invoke('evergreen.get', { projectId });
    if (fresh.ok) setPool(fresh.value);
    unawaited(useCalendar.getState().refreshAll(), 'Refreshing the calendar');
  };

  if (accounts.length === 0) {
    return (
      <Dialog title={t('calendar.queue.title')} onClose={onClose}>
        <p className="hint">{t('calendar.queue.noAccounts')}</p>
        <div className="dialog-actions">
          <span className="spacer" />
          <button type="button" className="button" onClick={onClose}>
            {t('calendar.close')}
          </button>
        </div>
      </Dialog>
    );
  }

  return (
    <Dialog title={t('calendar.queue.title')} onClose={onClose}>
      <form
        className="form"
        onSubmit={(e) => {
          e.preventDefault();
          unawaited(save(), 'Saving the queue');
        }}
      >
        <label className="field">
          {t('calendar.queue.account')}
          <select value={accountId} onChange={(e) => pick(e.target.value, queues)}>
            <option value="">{t('calendar.queue.wholeProject')}</option>
            {accounts.map((a) => (
              <option key={a.id} value={a.id}>
                {t(`networks.${a.network}`)} · {a.displayName || a.handle}
              </option>
            ))}
          </select>
        </label>
        <fieldset className="field">
          <legend>{t('calendar.queue.days')}</legend>
          <div className="inline">
            {weekdays.map((d) => (
              <label key={d} className="checkbox">
                <input type="checkbox" checked={days.includes(d)} onChange={() => setDays(days.includes(d) ? days.filter((x) => x !== d) : [...days, d])} />
                {weekdayShort(aWeek[d - 1] as string, lang)}
              </label>
            ))}
          </div>
        </fieldset>
        <label className="field">
          {t('calendar.queue.times')}
          <input value={times} dir="auto" onChange={(e) => setTimes(e.target.value)} placeholder={timesText(exampleTimes, lang)} />
        </label>
        <label className="field">
          {t(accountId === '' ? 'calendar.queue.projectSpacing' : 'calendar.queue.spacing')}
          <input type="number" min={0} max={10080} step={15} value={spacing} onChange={(e) => setSpacing(Number(e.target.value))} />
        </label>
        <div className="dialog-actions">
          <span className="spacer" />
          <button type="submit" className="button primary">
            {t('calendar.queue.save')}
          </button>
        </div>
        <fieldset className="field">
          <legend>{t('calendar.evergreen.title')}</legend>
          <p className="hint">{pool && pool.posts.length ? t('calendar.evergreen.count', { count: pool.posts.length }) : t('calendar.evergreen.empty')}</p>
          <label className="inline">
            {t('calendar.evergreen.interval')}
            <input type="number" min={1} max={3650} value={intervalDays} onChange={(e) => setIntervalDays(Number(e.target.value))} />
          </label>
          <div className="inline">
            <button type="button" className="button" disabled={!pool?.posts.length} onClick={() => void fillFromPool()}>
              {t('calendar.evergreen.fill')}
            </button>
          </div>
        </fieldset>
        {note && (
          <p className="notice" role="status">
            {note}
          </p>
        )}
        <div className="dialog-actions">
          <span className="spacer" />
          <button type="button" className="button" onClick={onClose}>
            {t('calendar.close')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
