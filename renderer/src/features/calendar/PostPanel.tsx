import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { approvalStates, type CalendarEntry } from '../../../../main/core/contract';
import { fromLocal, toLocal } from '../../../../main/core/posts/time';
import { invoke } from '../../platform/api';
import { useCompose } from '../compose/compose-store';
import { useNavigation } from '../navigation/navigation-store';
import { useProjects } from '../projects/projects-store';
import { useCalendar } from './calendar-store';
import { instantText } from './format';
import { unawaited } from '../../platform/unawaited';
import { useTimeLocale } from '../settings/time-preferences';
import { postWords } from '../../ui/post-words';

interface PostPanelProps {
  entry: CalendarEntry;
  zone: string;
  onClose(): void;
}

/** The selected post: approval, a time typed instead of dragged, queue, repeat, evergreen, and the way to the composer. */
export function PostPanel({ entry, zone, onClose }: PostPanelProps) {
  const { t } = useTranslation();
  const lang = useTimeLocale();
  const [local, setLocal] = useState(entry.scheduledAt === null ? '' : toLocal(entry.scheduledAt, zone));
  // The time moved elsewhere (queued, dragged, another window): the field shows it instead of what it held.
  const [shownAt, setShownAt] = useState(entry.scheduledAt);
  if (shownAt !== entry.scheduledAt) {
    setShownAt(entry.scheduledAt);
    setLocal(entry.scheduledAt === null ? '' : toLocal(entry.scheduledAt, zone));
  }
  const [every, setEvery] = useState(1);
  const [unit, setUnit] = useState<'day' | 'week' | 'month'>('week');
  const [count, setCount] = useState(4);
  const [until, setUntil] = useState('');
  const movable = entry.status === 'draft' || entry.status === 'scheduled' || entry.status === 'failed';
  const say = useCalendar.getState().say;

  const report = (result: { ok: boolean; error?: unknown }, key: string) => {
    if (result.ok) say({ tone: 'info', key });
    else say({ tone: 'error', error: result.error as never });
  };

  const openInComposer = async () => {
    await useProjects.getState().select(entry.projectId);
    await useCompose.getState().loadProject(entry.projectId);
    await useCompose.getState().open(entry.id);
    useNavigation.getState().go('compose');
  };

  return (
    <section className="post-panel" aria-label={t('calendar.panel.title')}>
      <div className="panel-head">
        <h3>{t('calendar.panel.title')}</h3>
        <button type="button" className="button subtle" aria-label={t('calendar.panel.close')} onClick={onClose}>
          ×
        </button>
      </div>
      <p className="panel-text" dir="auto">
        {entry.excerpt ? postWords(entry.excerpt) : t('calendar.emptyText')}
      </p>
      <p className="hint">
        {entry.scheduledAt === null ? t('calendar.noTime') : <bdi>{instantText(entry.scheduledAt, zone, lang)}</bdi>} ·{' '}
        {t(`calendar.status.${entry.status}`)}
      </p>
      <fieldset className="field">
        <legend>{t('calendar.panel.approval')}</legend>
        {approvalStates.map((state) => (
          <label key={state} className="radio">
            <input
              type="radio"
              name={`approval-${entry.id}`}
              checked={entry.approval === state}
              onChange={() => void useCalendar.getState().setApproval([entry.id], state)}
            />
            {t(`calendar.approval.${state}`)}
          </label>
        ))}
      </fieldset>
      {movable && (
        <form
          className="field"
          onSubmit={(e) => {
            e.preventDefault();
            const at = fromLocal(local, zone);
            if (at !== null) unawaited(useCalendar.getState().move(entry.id, at, { fromSidebar: entry.scheduledAt === null }), 'Moving the post');
          }}
        >
          <label htmlFor={`when-${entry.id}`}>{t('calendar.panel.time')}</label>
          <div className="inline">
            <input id={`when-${entry.id}`} type="datetime-local" step={900} value={local} onChange={(e) => setLocal(e.target.value)} />
            <button type="submit" className="button">
              {t('calendar.panel.move')}
            </button>
          </div>
        </form>
      )}
      <div className="panel-actions">
        <button type="button" className="button primary" onClick={() => void openInComposer()}>
          {t('calendar.panel.open')}
        </button>
        {movable && (
          <button
            type="button"
            className="button"
            onClick={async () => {
              const result = await invoke('queue.add', { id: entry.id, revision: entry.revision });
              if (result.ok) {
                useCalendar.getState().replace([result.value.entry]);
                await useCalendar.getState().refreshAll();
              }
              report(result, 'queued');
            }}
          >
            {t('calendar.panel.queue')}
          </button>
        )}
        <button
          type="button"
          className="button"
          aria-pressed={entry.evergreen}
          onClick={async () => {
            const result = await invoke('evergreen.set', { id: entry.id, evergreen: !entry.evergreen });
            report(result, entry.evergreen ? 'evergreenOff' : 'evergreenOn');
          }}
        >
          {t('calendar.panel.evergreen')}
        </button>
      </div>
      {entry.scheduledAt !== null && movable && (
        <form
          className="field repeat"
          onSubmit={async (e) => {
            e.preventDefault();
            // An end date, when given, wins over the number of times.
            const rule = until ? { every, unit, until } : { every, unit, count };
            const result = await invoke('calendar.repeat', { id: entry.id, rule });
            report(result, 'repeated');
          }}
        >
          <fieldset className="field">
            <legend>{t('calendar.panel.repeat')}</legend>
            <div className="inline">
              <label>
                {t('calendar.panel.every')}
                <input type="number" min={1} max={365} value={every} onChange={(e) => setEvery(Number(e.target.value))} />
              </label>
              <label>
                <span className="visually-hidden">{t('calendar.panel.unit')}</span>
                <select value={unit} aria-label={t('calendar.panel.unit')} onChange={(e) => setUnit(e.target.value as typeof unit)}>
                  <option value="day">{t('calendar.panel.units.day')}</option>
                  <option value="week">{t('calendar.panel.units.week')}</option>
                  <option value="month">{t('calendar.panel.units.month')}</option>
                </select>
              </label>
              <label>
                {t('calendar.panel.times')}
                <input type="number" min={1} max={200} value={count} disabled={until !== ''} onChange={(e) => setCount(Number(e.target.value))} />
              </label>
            </div>
            <label className="inline">
              {t('calendar.panel.until')}
              <input type="date" value={until} onChange={(e) => setUntil(e.target.value)} />
            </label>
            <div className="inline">
              <button type="submit" className="button">
                {t('calendar.panel.repeatApply')}
              </button>
              {entry.repeats && (
                <button
                  type="button"
                  className="button subtle"
                  onClick={async () => report(await invoke('calendar.repeat', { id: entry.id, rule: null }), 'repeatStopped')}
                >
                  {t('calendar.panel.repeatStop')}
                </button>
              )}
            </div>
          </fieldset>
        </form>
      )}
    </section>
  );
}
