import { create } from 'zustand';
import type { Approval, CalendarAccount, CalendarEntry, PostProblem } from '../../../../main/core/contract';
import type { OutpostError } from '../../../../main/core/errors';
import { dayStart, addDays, startOfWeek, stepAnchor, today, viewDays, type CalendarView, type DayKey } from '../../../../main/core/calendar/days';
import { emptyFilter, type CalendarFilter } from '../../../../main/core/calendar/layout';
import { invoke, subscribe } from '../../platform/api';
import { resolveWeekStart, type WeekStartDay } from '../settings/time-preferences';
import { unawaited } from '../../platform/unawaited';

/**
 * The calendar's state, the one source of what the calendar shows: what is shown (view, day, scope,
 * filters, first day of the week), the posts of the visible range (with the neighbouring ranges
 * prefetched, so next/previous draw at once), the drafts without a time, the free queue slots of
 * the week on screen, moves with undo, and the one message the page is showing. `watch` keeps it
 * in step with main's change events.
 */

export interface CalendarMessage {
  tone: 'info' | 'error';
  /** An i18n key under calendar.messages, or an error to word with the shared error texts. */
  key?: string;
  params?: Record<string, string | number>;
  error?: OutpostError;
  /** Problems that kept a dropped draft from being scheduled. */
  problems?: PostProblem[];
  undo?: boolean;
}

export interface Move {
  id: string;
  from: number | null;
  to: number;
}

interface Context {
  /** Null: every project. */
  projectId: string | null;
  zone: string;
}

interface Range {
  key: string;
  from: number;
  to: number;
}

export interface FreeSlot {
  accountId: string;
  at: number;
}

/** The week whose free slots the side panel lists: the one holding the view's anchor. */
export interface SlotWeek {
  key: string;
  first: DayKey;
  last: DayKey;
}

interface CalendarState {
  view: CalendarView;
  anchor: DayKey;
  context: Context | null;
  filter: CalendarFilter;
  search: string;
  entries: CalendarEntry[];
  /** The range `entries` belong to; equal to the wanted one once loaded. */
  loadedKey: string | null;
  loading: boolean;
  drafts: CalendarEntry[];
  /** Free queue slots of `slotWeek`, for a single project's calendar. */
  slots: FreeSlot[];
  slotWeek: SlotWeek | null;
  /** ISO weekday weeks start on (settings: system, Monday, Sunday or Saturday). */
  weekStartsOn: WeekStartDay;
  accounts: CalendarAccount[];
  labels: string[];
  selectedId: string | null;
  message: CalendarMessage | null;
  undoStack: Move[];
  /** Moves sent and not yet confirmed. */
  saving: number;
  /** Goes up when posts change (a move, an import, a change elsewhere), not when the view moves. */
  changes: number;

  setContext(context: Context): void;
  setWeekStart(day: WeekStartDay): void;
  setView(view: CalendarView): void;
  setAnchor(anchor: DayKey): void;
  step(direction: 1 | -1): void;
  goToday(): void;
  setFilter(filter: CalendarFilter): void;
  setSearch(search: string): void;
  select(id: string | null): void;
  say(message: CalendarMessage | null): void;
  load(force?: boolean): Promise<void>;
  refreshAll(): Promise<void>;
  loadSlots(force?: boolean): Promise<void>;
  /** Follows main's change events while the calendar is on screen; catches up on what it missed while it was not. */
  watch(): () => void;
  move(id: string, at: number, options?: { fromSidebar?: boolean; undoing?: boolean }): Promise<boolean>;
  undo(): Promise<void>;
  setApproval(ids: string[], approval: Approval): Promise<void>;
  replace(entries: CalendarEntry[]): void;
}

const CACHE_SIZE = 8;
/** Events arrive in bursts (an import, a queue fill): one refresh per burst. */
const REFRESH_DELAY_MS = 150;

export function deviceZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

function rangeOf(view: CalendarView, anchor: DayKey, context: Context, search: string, weekStartsOn: number): Range {
  const days = viewDays(view, anchor, weekStartsOn);
  const first = days[0] as DayKey;
  const last = days[days.length - 1] as DayKey;
  const from = dayStart(first, context.zone);
  const to = dayStart(addDays(last, 1), context.zone);
  return { key: `${context.projectId ?? '*'}|${context.zone}|${from}|${to}|${search}`, from, to };
}

function slotWeekOf(anchor: DayKey, context: Context, weekStartsOn: number): SlotWeek {
  const first = startOfWeek(anchor, weekStartsOn);
  return { key: `${context.projectId ?? '*'}|${context.zone}|${first}`, first, last: addDays(first, 6) };
}

export const useCalendar = create<CalendarState>((set, get) => {
  const cache = new Map<string, CalendarEntry[]>();
  const inflight = new Map<string, Promise<CalendarEntry[] | null>>();

  const remember = (key: string, entries: CalendarEntry[]) => {
    cache.delete(key);
    cache.set(key, entries);
    while (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value as string);
  };

  const fetchRange = (range: Range, context: Context, search: string): Promise<CalendarEntry[] | null> => {
    const pending = inflight.get(range.key);
    if (pending) return pending;
    const args = { from: range.from, to: range.to, ...(context.projectId ? { projectId: context.projectId } : {}), ...(search ? { search } : {}) };
    const request = invoke('calendar.range', args).then((result) => {
      inflight.delete(range.key);
      if (!result.ok) {
        get().say({ tone: 'error', error: result.error });
        return null;
      }
      remember(range.key, result.value.entries);
      return result.value.entries;
    });
    inflight.set(range.key, request);
    return request;
  };

  let prefetchTimer: ReturnType<typeof setTimeout> | undefined;
  /** Next and previous ranges load in the background, so switching draws from memory. */
  const prefetch = () => {
    // After the shown range has painted: on two cores the host's work would otherwise slow that paint.
    clearTimeout(prefetchTimer);
    prefetchTimer = setTimeout(prefetchNow, 250);
  };
  const prefetchNow = () => {
    const { view, anchor, context, search, weekStartsOn } = get();
    if (!context) return;
    for (const direction of [1, -1] as const) {
      const range = rangeOf(view, stepAnchor(view, anchor, direction), context, search, weekStartsOn);
      if (!cache.has(range.key)) unawaited(fetchRange(range, context, search), 'Loading a calendar range');
    }
  };

  const patch = (updated: CalendarEntry) => {
    const replaceIn = (list: CalendarEntry[]) => list.map((e) => (e.id === updated.id ? updated : e));
    for (const [key, list] of cache) if (list.some((e) => e.id === updated.id)) cache.set(key, replaceIn(list));
    set((s) => ({ entries: s.entries.some((e) => e.id === updated.id) ? replaceIn(s.entries) : s.entries }));
  };

  return {
    view: 'month',
    anchor: today(Date.now(), deviceZone()),
    context: null,
    filter: emptyFilter,
    search: '',
    entries: [],
    loadedKey: null,
    loading: false,
    drafts: [],
    slots: [],
    slotWeek: null,
    weekStartsOn: resolveWeekStart('system'),
    accounts: [],
    labels: [],
    selectedId: null,
    message: null,
    undoStack: [],
    saving: 0,
    changes: 0,

    setContext: (context) => {
      const current = get().context;
      if (current && current.projectId === context.projectId && current.zone === context.zone) return;
      const wasNull = current === null;
      set({ context, selectedId: null, undoStack: [], ...(wasNull ? { anchor: today(Date.now(), context.zone) } : {}) });
      unawaited(get().load(), 'Loading the calendar');
      unawaited(get().refreshAll(), 'Refreshing the calendar');
    },
    setWeekStart: (weekStartsOn) => {
      if (get().weekStartsOn === weekStartsOn) return;
      set({ weekStartsOn });
      unawaited(get().load(), 'Loading the calendar');
    },
    setView: (view) => {
      set({ view });
      unawaited(get().load(), 'Loading the calendar');
    },
    setAnchor: (anchor) => {
      set({ anchor });
      unawaited(get().load(), 'Loading the calendar');
    },
    step: (direction) => {
      const { view, anchor } = get();
      get().setAnchor(stepAnchor(view, anchor, direction));
    },
    goToday: () => {
      const zone = get().context?.zone ?? deviceZone();
      get().setAnchor(today(Date.now(), zone));
    },
    setFilter: (filter) => set({ filter }),
    setSearch: (search) => {
      set({ search });
      unawaited(get().load(), 'Loading the calendar');
      unawaited(get().refreshAll(), 'Refreshing the calendar');
    },
    select: (selectedId) => set({ selectedId }),
    say: (message) => set({ message }),

    load: async (force = false) => {
      const { view, anchor, context, search, weekStartsOn } = get();
      if (!context) return;
      unawaited(get().loadSlots(force), 'Loading the free queue slots');
      const range = rangeOf(view, anchor, context, search, weekStartsOn);
      const cached = force ? undefined : cache.get(range.key);
      if (cached) {
        set({ entries: cached, loadedKey: range.key, loading: false });
        prefetch();
        return;
      }
      set({ loading: true });
      if (force) cache.delete(range.key);
      const entries = await fetchRange(range, context, search);
      // A later navigation wins over this answer.
      const now = get();
      if (!now.context || rangeOf(now.view, now.anchor, now.context, now.search, now.weekStartsOn).key !== range.key) return;
      set({ entries: entries ?? [], loadedKey: range.key, loading: false });
      prefetch();
    },

    /** After a change elsewhere (composer, import, another window): forget every cached range and reload. */
    refreshAll: async () => {
      cache.clear();
      const { context, search } = get();
      if (!context) return;
      const scope = context.projectId ? { projectId: context.projectId } : {};
      const [, drafts, facets] = await Promise.all([
        get().load(true),
        invoke('calendar.unscheduled', { ...scope, ...(search ? { search } : {}) }),
        invoke('calendar.facets', scope),
      ]);
      set((s) => ({ changes: s.changes + 1 }));
      if (drafts.ok) set({ drafts: drafts.value.entries });
      if (facets.ok) set({ accounts: facets.value.accounts, labels: facets.value.labels });
    },

    loadSlots: async (force = false) => {
      const { anchor, context, weekStartsOn, slotWeek } = get();
      if (!context?.projectId) {
        set({ slots: [], slotWeek: null });
        return;
      }
      const week = slotWeekOf(anchor, context, weekStartsOn);
      if (!force && slotWeek?.key === week.key) return;
      const result = await invoke('queue.free', {
        projectId: context.projectId,
        from: dayStart(week.first, context.zone),
        to: dayStart(addDays(week.last, 1), context.zone),
      });
      // The week on screen may have changed while main answered: only its own answer is kept.
      const now = get();
      if (!now.context || slotWeekOf(now.anchor, now.context, now.weekStartsOn).key !== week.key) return;
      if (result.ok) set({ slots: result.value.slots, slotWeek: week });
      else set({ slots: [], slotWeek: week, message: { tone: 'error', error: result.error } });
    },

    watch: () => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      let slotsOnly = true;
      const refresh = (everything: boolean) => {
        slotsOnly &&= !everything;
        clearTimeout(timer);
        timer = setTimeout(() => {
          const state = get();
          unawaited(slotsOnly ? state.loadSlots(true) : state.refreshAll(), 'Refreshing the calendar');
          slotsOnly = true;
        }, REFRESH_DELAY_MS);
      };
      const offs = [
        subscribe('posts.changed', () => refresh(true)),
        subscribe('publishing.changed', () => refresh(true)),
        subscribe('queue.changed', ({ projectId }) => {
          if (get().context?.projectId === projectId) refresh(false);
        }),
      ];
      // Nothing listened while the calendar was off screen (the composer may have made a draft): catch up.
      if (get().context) unawaited(get().refreshAll(), 'Refreshing the calendar');
      return () => {
        clearTimeout(timer);
        for (const off of offs) off();
      };
    },

    move: async (id, at, options = {}) => {
      const entry = get().entries.find((e) => e.id === id) ?? get().drafts.find((e) => e.id === id);
      if (!entry) return false;
      if (entry.scheduledAt === at) return true;
      if (at < Date.now() + 60_000) {
        set({ message: { tone: 'error', key: 'pastRefused' } });
        return false;
      }
      const before = entry.scheduledAt;
      // Drawn in its new place at once; main confirms (or the move is taken back).
      const moved = { ...entry, scheduledAt: at };
      if (before === null) {
        set((s) => ({ drafts: s.drafts.filter((d) => d.id !== id), entries: [...s.entries, moved] }));
      } else {
        patch(moved);
      }
      set((s) => ({ saving: s.saving + 1 }));
      const result = await invoke('calendar.move', { id, revision: entry.revision, at, ...(options.fromSidebar ? { schedule: true } : {}) });
      set((s) => ({ saving: s.saving - 1 }));
      if (!result.ok) {
        if (before === null) set((s) => ({ drafts: [entry, ...s.drafts], entries: s.entries.filter((e) => e.id !== id) }));
        else patch(entry);
        set({ message: { tone: 'error', error: result.error } });
        return false;
      }
      patch(result.value.entry);
      set((s) => ({ changes: s.changes + 1 }));
      if (!options.undoing) set((s) => ({ undoStack: [...s.undoStack.slice(-49), { id, from: before, to: at }] }));
      const blocked = options.fromSidebar && !result.value.scheduled;
      const unscheduled = entry.status === 'scheduled' && !result.value.scheduled;
      const problems = result.value.problems.filter((p) => p.severity === 'error');
      set({
        message: blocked
          ? { tone: 'info', key: 'placedNotScheduled', problems }
          : unscheduled
            ? { tone: 'error', key: 'movedUnscheduled', problems, undo: !options.undoing }
            : { tone: 'info', key: options.undoing ? 'moveUndone' : 'moved', undo: !options.undoing },
      });
      return true;
    },

    undo: async () => {
      const last = get().undoStack[get().undoStack.length - 1];
      if (!last) return;
      set((s) => ({ undoStack: s.undoStack.slice(0, -1) }));
      if (last.from === null) {
        set({ message: { tone: 'error', key: 'undoUnavailable' } });
        return;
      }
      const ok = await get().move(last.id, last.from, { undoing: true });
      if (!ok) set((s) => ({ undoStack: [...s.undoStack, last] }));
    },

    setApproval: async (ids, approval) => {
      // Shown at once, like a move; taken back if main refuses.
      const before = get().entries.filter((e) => ids.includes(e.id));
      for (const entry of before) patch({ ...entry, approval });
      const result = await invoke('calendar.setApproval', { ids, approval });
      if (!result.ok) {
        for (const entry of before) patch(entry);
        set({ message: { tone: 'error', error: result.error } });
        return;
      }
      get().replace(result.value.entries);
    },

    replace: (entries) => {
      for (const entry of entries) patch(entry);
    },
  };
});
