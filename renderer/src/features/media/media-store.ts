import { create } from 'zustand';
import type { ImportFailure, Media } from '../../../../main/core/contract';
import type { OutpostError, Result } from '../../../../main/core/errors';
import { invoke } from '../../platform/api';
import { importFiles } from '../../platform/media';
import { unawaited } from '../../platform/unawaited';

export type KindFilter = 'all' | 'image' | 'video';

export interface ImportReport {
  added: number;
  duplicates: number;
  failures: ImportFailure[];
}

interface MediaState {
  items: Media[];
  query: string;
  kind: KindFilter;
  loaded: boolean;
  loadError: OutpostError | null;
  /** How many files the running import holds; 0 when none is running. */
  importing: number;
  report: ImportReport | null;
  load(): Promise<void>;
  setQuery(query: string): void;
  setKind(kind: KindFilter): void;
  importFiles(files: readonly File[]): Promise<void>;
  dismissReport(): void;
  updateAlt(id: string, altText: string): Promise<Result<Media>>;
  remove(id: string, confirmInUse: boolean): Promise<Result<{ id: string; removedFromPosts: number }>>;
}

let searchTimer: ReturnType<typeof setTimeout> | undefined;
let latestLoad = 0;

export const useMedia = create<MediaState>((set, get) => ({
  items: [],
  query: '',
  kind: 'all',
  loaded: false,
  loadError: null,
  importing: 0,
  report: null,

  load: async () => {
    // Answers can overtake each other while the user types; only the newest one counts.
    const ticket = ++latestLoad;
    const { query, kind } = get();
    const result = await invoke('media.list', { ...(query.trim() ? { query: query.trim() } : {}), ...(kind !== 'all' ? { kind } : {}) });
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

  importFiles: async (files) => {
    if (files.length === 0) return;
    set((s) => ({ importing: s.importing + files.length }));
    try {
      const outcomes = await importFiles(files);
      const report: ImportReport = { added: 0, duplicates: 0, failures: [] };
      for (const outcome of outcomes) {
        if (!outcome.ok) report.failures.push(outcome);
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
