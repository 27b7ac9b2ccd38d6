import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  addDays,
  addMonths,
  buildDayIndex,
  dayStart,
  startOfMonth,
  dayKeyOf,
  instantAt,
  isDayKey,
  snapMinutes,
  today,
  viewDays,
  wallMinutes,
  type CalendarView,
  type DayKey,
} from '../../../../main/core/calendar/days';
import { bucketByDay } from '../../../../main/core/calendar/layout';
import { Page } from '../../ui/Page';
import { Toast } from '../../ui/Toast';
import { useErrorText } from '../../ui/useErrorText';
import { useProjects } from '../projects/projects-store';
import { CalendarSidebar } from './CalendarSidebar';
import { useTimeLocale, useWeekStart } from '../settings/time-preferences';
import { deviceZone, useCalendar } from './calendar-store';
import { FilterBar } from './FilterBar';
import { FirstLaunch } from './FirstLaunch';
import { dayTitle, monthTitle, rangeTitle } from './format';
import { ImportDialog } from './ImportDialog';
import { ListView } from './ListView';
import { MonthView } from './MonthView';
import { PostPanel } from './PostPanel';
import { QueueDialog } from './QueueDialog';
import { ShareDialog } from './ShareDialog';
import { MINUTE_PX, TimeGridView } from './TimeGridView';
import './calendar.css';
import { unawaited } from '../../platform/unawaited';

const views: CalendarView[] = ['month', 'week', 'day', 'list'];
const viewKeys: Record<string, CalendarView> = { m: 'month', w: 'week', d: 'day', l: 'list' };
/** Where a draft dropped on a month day lands: mid-morning, a time most plans start from. */
const DEFAULT_DROP_MINUTES = 10 * 60;
const POST_MIME = 'application/x-outpost-post';
const dismissMessage = () => useCalendar.getState().say(null);

function isTyping(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName));
}

/** The home screen: a project's plan (or every project's) as a month, week, day or list. */
export function CalendarPage() {
  const { t } = useTranslation();
  const lang = useTimeLocale();
  const weekStart = useWeekStart();
  const errorText = useErrorText();
  const projects = useProjects((s) => s.projects);
  const activeId = useProjects((s) => s.activeId);
  const [allProjects, setAllProjects] = useState(false);
  const project = projects.find((p) => p.id === activeId);

  const view = useCalendar((s) => s.view);
  const anchor = useCalendar((s) => s.anchor);
  const weekStartsOn = useCalendar((s) => s.weekStartsOn);
  const entries = useCalendar((s) => s.entries);
  const filter = useCalendar((s) => s.filter);
  const loadedKey = useCalendar((s) => s.loadedKey);
  const loading = useCalendar((s) => s.loading);
  const selectedId = useCalendar((s) => s.selectedId);
  const message = useCalendar((s) => s.message);
  const saving = useCalendar((s) => s.saving);
  const canUndo = useCalendar((s) => s.undoStack.length > 0);
  const [dialog, setDialog] = useState<'import' | 'share' | 'queue' | null>(null);
  const [focusedChoice, setFocusedDay] = useState<DayKey>(anchor);
  const [now, setNow] = useState(() => Date.now());
  const body = useRef<HTMLDivElement>(null);

  const zone = allProjects || !project ? deviceZone() : project.timezone;
  const projectId = allProjects ? null : (project?.id ?? null);

  // Changes made here or elsewhere (the composer, an import, the queue, the scheduler) redraw the plan and its panels.
  useEffect(() => useCalendar.getState().watch(), []);

  useEffect(() => {
    useCalendar.getState().setWeekStart(weekStart);
  }, [weekStart]);

  useEffect(() => {
    if (!allProjects && !project) return;
    useCalendar.getState().setContext({ projectId, zone });
  }, [allProjects, project, projectId, zone]);

  useEffect(() => {
    // "Today" moves at midnight without a reload.
    const timer = setInterval(() => setNow(Date.now()), 60_000);
    return () => clearInterval(timer);
  }, []);

  const colours = useMemo(() => new Map(projects.map((p) => [p.id, p.color])), [projects]);
  const colourOf = useCallback((id: string) => colours.get(id) ?? '#6b7280', [colours]);
  const days = useMemo(() => viewDays(view, anchor, weekStartsOn), [view, anchor, weekStartsOn]);
  const index = useMemo(() => buildDayIndex(days, zone), [days, zone]);
  const byDay = useMemo(() => bucketByDay(entries, index, filter), [entries, index, filter]);
  const todayKey = today(now, zone);
  // The focused day follows navigation: a day outside the view gives way to the view's anchor.
  const focusedDay = days.includes(focusedChoice) ? focusedChoice : anchor;

  const openDay = useCallback((day: DayKey) => {
    useCalendar.setState({ view: 'day' });
    useCalendar.getState().setAnchor(day);
  }, []);

  const entryById = (id: string) => {
    const state = useCalendar.getState();
    return state.entries.find((e) => e.id === id) ?? state.drafts.find((e) => e.id === id);
  };

  /** Where a drop lands: a month day keeps the post's time of day; a time column takes the pointer's 15-minute step. */
  const dropTarget = (target: HTMLElement, clientY: number, postId: string): number | null => {
    const column = target.closest<HTMLElement>('[data-drop-col]');
    if (column) {
      const minutes = snapMinutes((clientY - column.getBoundingClientRect().top) / MINUTE_PX);
      return instantAt(column.dataset.dropCol as DayKey, minutes, zone);
    }
    const cell = target.closest<HTMLElement>('[data-drop-day]');
    if (!cell) return null;
    const entry = entryById(postId);
    const minutes = entry?.scheduledAt != null ? wallMinutes(entry.scheduledAt, zone) : DEFAULT_DROP_MINUTES;
    return instantAt(cell.dataset.dropDay as DayKey, minutes, zone);
  };

  const highlighted = useRef<HTMLElement | null>(null);
  const highlight = (element: HTMLElement | null) => {
    if (highlighted.current === element) return;
    highlighted.current?.classList.remove('drop-over');
    element?.classList.add('drop-over');
    highlighted.current = element;
  };

  const onDragStart = (event: React.DragEvent) => {
    const chip = (event.target as HTMLElement).closest<HTMLElement>('[data-post-id]');
    if (!chip?.dataset.postId) return;
    event.dataTransfer.setData(POST_MIME, chip.dataset.postId);
    event.dataTransfer.effectAllowed = 'move';
  };
  const onDragOver = (event: React.DragEvent) => {
    if (!event.dataTransfer.types.includes(POST_MIME)) return;
    const target = (event.target as HTMLElement).closest<HTMLElement>('[data-drop-col], [data-drop-day]');
    highlight(target);
    if (target) {
      event.preventDefault();
      event.dataTransfer.dropEffect = 'move';
    }
  };
  const onDrop = (event: React.DragEvent) => {
    highlight(null);
    const id = event.dataTransfer.getData(POST_MIME);
    if (!id) return;
    event.preventDefault();
    const at = dropTarget(event.target as HTMLElement, event.clientY, id);
    if (at === null) return;
    const fromSidebar = entryById(id)?.scheduledAt == null;
    unawaited(useCalendar.getState().move(id, at, { fromSidebar }), 'Moving the post');
  };

  const onClick = (event: React.MouseEvent) => {
    const chip = (event.target as HTMLElement).closest<HTMLElement>('[data-post-id]');
    if (chip?.dataset.postId) useCalendar.getState().select(chip.dataset.postId);
  };

  const focusDay = (day: DayKey) => {
    const visible = viewDays(view, anchor, weekStartsOn);
    if (!visible.includes(day)) useCalendar.getState().setAnchor(day);
    setFocusedDay(day);
    requestAnimationFrame(() => body.current?.querySelector<HTMLElement>(`[data-day="${day}"]`)?.focus());
  };

  /** Keys: arrows walk the days; Alt+arrows move the focused post; Enter opens a day. */
  const onGridKeyDown = (event: React.KeyboardEvent) => {
    const target = event.target as HTMLElement;
    const chipId = target.closest<HTMLElement>('[data-post-id]')?.dataset.postId;
    const timeGrid = view === 'week' || view === 'day';
    const steps: Record<string, number> = timeGrid
      ? { ArrowLeft: -1, ArrowRight: 1, ArrowUp: -1, ArrowDown: 1 }
      : { ArrowLeft: -1, ArrowRight: 1, ArrowUp: -7, ArrowDown: 7 };
    const rtl = document.documentElement.dir === 'rtl';
    let step = steps[event.key];
    if (step === undefined) {
      if (event.key === 'Enter' && !chipId && target.dataset.day && view !== 'day') openDay(target.dataset.day);
      return;
    }
    if ((event.key === 'ArrowLeft' || event.key === 'ArrowRight') && rtl) step = -step;
    event.preventDefault();
    if (event.altKey && chipId) {
      const entry = entryById(chipId);
      if (!entry?.scheduledAt) return;
      const vertical = event.key === 'ArrowUp' || event.key === 'ArrowDown';
      const at = timeGrid && vertical ? entry.scheduledAt + step * 15 * 60_000 : instantAt(addDays(dayKeyOf(entry.scheduledAt, zone), step), wallMinutes(entry.scheduledAt, zone), zone);
      unawaited(
        useCalendar
          .getState()
          .move(chipId, at)
          .then(() => requestAnimationFrame(() => body.current?.querySelector<HTMLElement>(`[data-post-id="${chipId}"]`)?.focus())),
        'Moving the post from the keyboard',
      );
      return;
    }
    if (timeGrid && (event.key === 'ArrowUp' || event.key === 'ArrowDown')) return;
    focusDay(addDays(focusedDay, step));
  };

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (isTyping(event.target) || document.querySelector('[role="dialog"]')) return;
      const state = useCalendar.getState();
      if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 'z') {
        event.preventDefault();
        unawaited(state.undo(), 'Undoing the last move');
      } else if (event.key === 'PageDown' || event.key === 'PageUp') {
        event.preventDefault();
        state.step(event.key === 'PageDown' ? 1 : -1);
      } else if (!event.ctrlKey && !event.metaKey && !event.altKey) {
        const key = event.key.toLowerCase();
        if (key === 't') state.goToday();
        else if (viewKeys[key]) state.setView(viewKeys[key]);
        else if (key === 'escape') state.select(null);
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);

  if (!project && !allProjects) return <FirstLaunch />;

  const first = days[0] as DayKey;
  const last = days[days.length - 1] as DayKey;
  const title =
    view === 'month' || view === 'list' ? monthTitle(anchor, lang) : view === 'week' ? rangeTitle(first, last, lang) : dayTitle(anchor, lang);
  const ready = loadedKey !== null && !loading;
  const selected = selectedId ? entryById(selectedId) : undefined;

  return (
    <Page title={t('pages.calendar.title')}>
      <div className="calendar" data-view={view} data-state={ready ? 'ready' : 'loading'} data-saving={saving > 0 ? 'true' : 'false'}>
        <div className="calendar-toolbar" role="toolbar" aria-label={t('calendar.toolbar')}>
          <div className="toolbar-group">
            <button type="button" className="button" onClick={() => useCalendar.getState().step(-1)} aria-label={t(`calendar.previous.${view}`)}>
              <span aria-hidden="true" className="flip">‹</span>
            </button>
            <button type="button" className="button" onClick={() => useCalendar.getState().goToday()}>
              {t('calendar.today')}
            </button>
            <button type="button" className="button" onClick={() => useCalendar.getState().step(1)} aria-label={t(`calendar.next.${view}`)}>
              <span aria-hidden="true" className="flip">›</span>
            </button>
          </div>
          <h2 className="calendar-title" aria-live="polite">
            {title}
          </h2>
          <label className="jump">
            <span className="visually-hidden">{t('calendar.jump')}</span>
            <input
              type="date"
              value={anchor}
              aria-label={t('calendar.jump')}
              onChange={(e) => {
                if (isDayKey(e.target.value)) useCalendar.getState().setAnchor(e.target.value);
              }}
            />
          </label>
          <div className="segmented" role="radiogroup" aria-label={t('calendar.viewLabel')}>
            {views.map((v) => (
              <button key={v} type="button" role="radio" aria-checked={view === v} className="segment" onClick={() => useCalendar.getState().setView(v)}>
                {t(`calendar.views.${v}`)}
              </button>
            ))}
          </div>
          <label className="checkbox">
            <input type="checkbox" checked={allProjects} onChange={(e) => setAllProjects(e.target.checked)} />
            {t('calendar.allProjects')}
          </label>
        </div>
        <div className="calendar-toolbar">
          <FilterBar allProjects={allProjects} />
          <span className="spacer" />
          <button type="button" className="button" disabled={!canUndo} onClick={() => void useCalendar.getState().undo()}>
            {t('calendar.undo')}
          </button>
          {projectId && (
            <>
              <button type="button" className="button" onClick={() => setDialog('queue')}>
                {t('calendar.queue.open')}
              </button>
              <button type="button" className="button" onClick={() => setDialog('import')}>
                {t('calendar.import.open')}
              </button>
            </>
          )}
          <button type="button" className="button" onClick={() => setDialog('share')}>
            {t('calendar.share.open')}
          </button>
        </div>
        <p className="calendar-zone hint">
          {t('calendar.zoneNote', { zone })} {t('calendar.keysHint')}
        </p>
        <Toast
          messageKey={message}
          tone={message?.tone ?? 'info'}
          // What blocks a draft is a list to act on, not a passing note.
          persistent={Boolean(message?.problems?.length)}
          onDismiss={dismissMessage}
          dismissLabel={t('calendar.dismiss')}
        >
          {message && (
            <>
              <span>
                {message.error
                  ? errorText(message.error)
                  : t(`calendar.messages.${message.key ?? 'moved'}`, message.params ?? {})}
                {message.problems?.length ? ` ${message.problems.map((p) => t(`compose.problems.${p.code}`, { defaultValue: p.code, ...p.params })).join(' ')}` : ''}
              </span>
              {message.undo && canUndo && (
                <button type="button" className="button subtle" onClick={() => void useCalendar.getState().undo()}>
                  {t('calendar.undo')}
                </button>
              )}
            </>
          )}
        </Toast>
        <div className={`calendar-layout${selected ? ' with-panel' : ''}`}>
          <div
            className="calendar-body"
            ref={body}
            onDragStart={onDragStart}
            onDragOver={onDragOver}
            onDragLeave={(e) => {
              if (!(e.relatedTarget instanceof Node) || !e.currentTarget.contains(e.relatedTarget)) highlight(null);
            }}
            onDrop={onDrop}
            onDragEnd={() => highlight(null)}
            onClick={onClick}
            onKeyDown={onGridKeyDown}
            onFocus={(e) => {
              const day = (e.target as HTMLElement).closest<HTMLElement>('[data-day]')?.dataset.day;
              if (day && day !== focusedDay) setFocusedDay(day);
            }}
          >
            {view === 'month' && (
              <MonthView
                days={days}
                byDay={byDay}
                month={anchor.slice(0, 7)}
                todayKey={todayKey}
                focusedDay={focusedDay}
                selectedId={selectedId}
                colourOf={colourOf}
                onOpenDay={openDay}
              />
            )}
            {(view === 'week' || view === 'day') && (
              <TimeGridView
                key={view}
                days={days}
                byDay={byDay}
                todayKey={todayKey}
                focusedDay={focusedDay}
                selectedId={selectedId}
                colourOf={colourOf}
                onOpenDay={openDay}
              />
            )}
            {view === 'list' && <ListView days={days} byDay={byDay} selectedId={selectedId} colourOf={colourOf} />}
            <CalendarSidebar projectId={projectId} zone={zone} colourOf={colourOf} />
          </div>
          {selected && <PostPanel entry={selected} zone={zone} onClose={() => useCalendar.getState().select(null)} />}
        </div>
      </div>
      {dialog === 'import' && projectId && <ImportDialog projectId={projectId} onClose={() => setDialog(null)} />}
      {dialog === 'queue' && projectId && <QueueDialog projectId={projectId} onClose={() => setDialog(null)} />}
      {dialog === 'share' && (
        // A month view shares its month, not the neighbouring days the grid also shows.
        <ShareDialog
          projectId={projectId}
          zone={zone}
          from={view === 'month' ? dayStart(startOfMonth(anchor), zone) : (index.starts[0] as number)}
          to={view === 'month' ? dayStart(addMonths(startOfMonth(anchor), 1), zone) : (index.starts[index.starts.length - 1] as number)}
          onClose={() => setDialog(null)}
        />
      )}
    </Page>
  );
}
