import { create } from 'zustand';
import type { ImportFailure, LibraryShelf, Media } from '../../../../main/core/contract';
import type { OutpostError, Result } from '../../../../main/core/errors';
import { invoke } from '../../platform/api';
import { importFiles } from '../../platform/media';
import { unawaited } from '../../platform/unawaited';
import { useProjects } from '../projects/projects-store';
import { checkVideoFile } from './video-probe';

export type KindFilter = 'all' | 'image' | 'video';

export interface ImportReport {
  added: number;
  duplicates: number;
  /** Files already in another project's library, now shared because this one wants them too. */
  movedToShared: number;
  failures: ImportFailure[];
}

interface MediaState {
  items: Media[];
  query: string;
  kind: KindFilter;
  /** The library shown, and the one imports join: the active project's own, or the shared one. */
  shelf: LibraryShelf;
  loaded: boolean;
  loadError: OutpostError | null;
  /** How many files the running import holds; 0 when none is running. */
  importing: number;
  report: ImportReport | null;
  load(): Promise<void>;
  setQuery(query: string): void;
  setKind(kind: KindFilter): void;
  setShelf(shelf: LibraryShelf): void;
  /** The last move refused (a file another project's post uses cannot go into this project). */
  moveError: OutpostError | null;
  move(id: string, projectId: string | null): Promise<Result<Media>>;
  dismissMoveError(): void;
  importFiles(files: readonly File[]): Promise<void>;
  dismissReport(): void;
  updateAlt(id: string, altText: string): Promise<Result<Media>>;
  remove(id: string, confirmInUse: boolean): Promise<Result<{ id: string; removedFromPosts: number }>>;
}

let searchTimer: ReturnType<typeof setTimeout> | undefined;
let latestLoad = 0;

/** The project whose library the page shows; without one there is only the shared library. */
const activeProject = (): string | null => useProjects.getState().activeId;

/** What the page lists: the chosen shelf of the active project, or the shared library when there is no project. */
function libraryArgs(shelf: LibraryShelf): { projectId?: string; only: LibraryShelf } {
  const projectId = activeProject();
  return projectId && shelf === 'project' ? { projectId, only: 'project' } : { only: 'shared' };
}

export const useMedia = create<MediaState>((set, get) => ({
  items: [],
  query: '',
  kind: 'all',
  shelf: 'project',
  moveError: null,
  loaded: false,
  loadError: null,
  importing: 0,
  report: null,

  load: async () => {
    // Answers can overtake each other while the user types; only the newest one counts.
    const ticket = ++latestLoad;
    const { query, kind, shelf } = get();
    const result = await invoke('media.list', {
      ...(query.trim() ? { query: query.trim() } : {}),
      ...(kind !== 'all' ? { kind } : {}),
      ...libraryArgs(shelf),
    });
    if (ticket !== latestLoad) return;
    if (result.ok) set({ items: result.value, loaded: true, loadError: null });
    else set({ loaded: true, loadError: result.error });
  },

  setQuery: (query) => {
    set({ query });
    clearTimeout(searchTimer);
    searchTimer = setTimeout(() => unawaited(get().load(), 'load'), 150);
  },

  setKind: (kind) => {
    set({ kind });
    unawaited(get().load(), 'load');
  },

  setShelf: (shelf) => {
    set({ shelf, moveError: null });
    unawaited(get().load(), 'load');
  },

  move: async (id, projectId) => {
    const result = await invoke('media.move', { id, projectId });
    // It leaves the shelf shown; the list is read again on media.changed.
    if (result.ok) set((s) => ({ items: s.items.filter((m) => m.id !== id), moveError: null }));
    else set({ moveError: result.error });
    return result;
  },

  dismissMoveError: () => set({ moveError: null }),

  importFiles: async (files) => {
    if (files.length === 0) return;
    set((s) => ({ importing: s.importing + files.length }));
    try {
      // A video this computer cannot decode, or whose frames do not decode, is refused before it is copied.
      const checks = await Promise.all(files.map((file) => checkVideoFile(file).catch(() => null)));
      const passed = files.filter((_, i) => checks[i] === null);
      const imported = await importFiles(passed, libraryArgs(get().shelf).projectId ?? null);
      let next = 0;
      const outcomes = checks.map((refused) => refused ?? (imported[next++] as (typeof imported)[number]));
      const report: ImportReport = { added: 0, duplicates: 0, movedToShared: 0, failures: [] };
      for (const outcome of outcomes) {
        if (!outcome.ok) report.failures.push(outcome);
        else if (outcome.movedToShared) report.movedToShared++;
        else if (outcome.duplicate) report.duplicates++;
        else report.added++;
      }
      set({ report });
      await get().load();
    } finally {
      set((s) => ({ importing: s.importing - files.length }));
    }
  },

  dismissReport: () => set({ report: null }),

  updateAlt: async (id, altText) => {
    const result = await invoke('media.update', { id, altText });
    if (result.ok) set((s) => ({ items: s.items.map((m) => (m.id === id ? result.value : m)) }));
    return result;
  },

  remove: async (id, confirmInUse) => {
    const result = await invoke('media.delete', { id, confirmInUse });
    if (result.ok) set((s) => ({ items: s.items.filter((m) => m.id !== id) }));
    return result;
  },
}));
