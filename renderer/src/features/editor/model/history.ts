/**
 * Undo as a list of snapshots and a cursor (Signal's media editor): each entry is a whole,
 * immutable design, so undo is "show the one before". Unchanged layers are shared between
 * snapshots, which keeps hundreds of steps cheap.
 */
export interface History<T> {
  readonly entries: readonly T[];
  readonly cursor: number;
  readonly limit: number;
  /** Set by a coalescing push: the next push with the same key replaces the top entry instead. */
  readonly openKey: string | null;
}

export const DEFAULT_HISTORY_LIMIT = 200;

export function createHistory<T>(initial: T, limit = DEFAULT_HISTORY_LIMIT): History<T> {
  return { entries: [initial], cursor: 0, limit: Math.max(2, limit), openKey: null };
}

export function current<T>(history: History<T>): T {
  return history.entries[history.cursor] as T;
}

/**
 * Records a new state and drops the redo tail. With `coalesceKey`, repeated pushes with the same
 * key (a slider being dragged, text being typed) make one step, until another push or undo.
 */
export function push<T>(history: History<T>, snapshot: T, coalesceKey?: string): History<T> {
  if (snapshot === current(history)) return history;
  const base = history.entries.slice(0, history.cursor + 1);
  if (coalesceKey !== undefined && coalesceKey === history.openKey && base.length > 1) base[base.length - 1] = snapshot;
  else base.push(snapshot);
  const overflow = Math.max(0, base.length - history.limit);
  const entries = overflow ? base.slice(overflow) : base;
  return { entries, cursor: entries.length - 1, limit: history.limit, openKey: coalesceKey ?? null };
}

export function canUndo(history: History<unknown>): boolean {
  return history.cursor > 0;
}

export function canRedo(history: History<unknown>): boolean {
  return history.cursor < history.entries.length - 1;
}

export function undo<T>(history: History<T>): History<T> {
  return canUndo(history) ? { ...history, cursor: history.cursor - 1, openKey: null } : history;
}

export function redo<T>(history: History<T>): History<T> {
  return canRedo(history) ? { ...history, cursor: history.cursor + 1, openKey: null } : history;
}

/** Ends coalescing, so the next push is a step of its own (a slider was let go). */
export function seal<T>(history: History<T>): History<T> {
  return history.openKey === null ? history : { ...history, openKey: null };
}

/** Forgets the last step as if it never happened (a text box left empty): no redo of it either. */
export function discard<T>(history: History<T>): History<T> {
  if (!canUndo(history)) return history;
  return { entries: history.entries.slice(0, history.cursor), cursor: history.cursor - 1, limit: history.limit, openKey: null };
}
