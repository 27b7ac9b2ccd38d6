import { create } from 'zustand';
import { dayKeyOf } from '../../../../main/core/calendar/days';
import type { ResultsSummary } from '../../../../main/core/results';
import type { OutpostError } from '../../../../main/core/errors';
import { invoke } from '../../platform/api';
import { defaultChoice, periodSpan, previousSpan, spanInstants, type DaySpan, type PeriodChoice } from './period';

export type ResultsStatus = 'idle' | 'loading' | 'ready' | 'error';

interface ResultsState {
  projectId: string | null;
  zone: string;
  choice: PeriodChoice | null;
  /** The days shown, and the same number of days before them that "change" compares with. */
  span: DaySpan | null;
  summary: ResultsSummary | null;
  previous: ResultsSummary | null;
  status: ResultsStatus;
  error: OutpostError | null;
  /** Opens a project's results; keeps the period chosen when it is the same project. */
  open(projectId: string, zone: string, now?: number): Promise<void>;
  choose(choice: PeriodChoice, now?: number): Promise<void>;
  /** The page was left: its numbers are dropped (kept, they would be drawn once stale before the fresh ones), the period is kept. */
  leave(): void;
}

/** Each load gets a number; an answer to an older one (the user switched periods meanwhile) is dropped. */
let latest = 0;

export const useResults = create<ResultsState>((set, get) => {
  const load = async (now: number) => {
    const { projectId, zone, choice } = get();
    if (!projectId || !choice) return;
    const request = ++latest;
    const span = periodSpan(choice, dayKeyOf(now, zone));
    set({ span, status: 'loading', error: null, previous: null });
    // Both asked at once; the period is shown as soon as it is in, its change on the period before when that follows.
    const current = invoke('results.summary', { projectId, ...spanInstants(span, zone) });
    const before = invoke('results.summary', { projectId, ...spanInstants(previousSpan(span), zone) });
    const shown = await current;
    if (request !== latest) return;
    if (!shown.ok) return set({ status: 'error', error: shown.error, summary: null, previous: null });
    set({ status: 'ready', summary: shown.value });
    const compared = await before;
    if (request === latest && compared.ok) set({ previous: compared.value });
  };

  return {
    projectId: null,
    zone: 'UTC',
    choice: null,
    span: null,
    summary: null,
    previous: null,
    status: 'idle',
    error: null,
    open: async (projectId, zone, now = Date.now()) => {
      const same = get().projectId === projectId && get().zone === zone && get().choice !== null;
      set({ projectId, zone, ...(same ? {} : { choice: defaultChoice(now, zone), summary: null, previous: null }) });
      await load(now);
    },
    choose: async (choice, now = Date.now()) => {
      set({ choice });
      await load(now);
    },
    leave: () => {
      latest++;
      set({ status: 'idle', summary: null, previous: null, error: null });
    },
  };
});
