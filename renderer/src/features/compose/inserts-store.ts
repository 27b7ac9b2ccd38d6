import { create } from 'zustand';
import type { Args, HashtagSet, Snippet } from '../../../../main/core/contract';
import type { OutpostError } from '../../../../main/core/errors';
import { invoke } from '../../platform/api';

interface InsertsState {
  projectId: string | null;
  hashtagSets: HashtagSet[];
  snippets: Snippet[];
  load(projectId: string | null): Promise<void>;
  /** Each action answers with main's refusal, for the menu to show, or null when done. */
  saveHashtagSet(input: Omit<Args<'hashtags.save'>, 'projectId'>): Promise<OutpostError | null>;
  deleteHashtagSet(id: string): Promise<OutpostError | null>;
  saveSnippet(input: Omit<Args<'snippets.save'>, 'projectId'>): Promise<OutpostError | null>;
  deleteSnippet(id: string): Promise<OutpostError | null>;
}

/** The project's hashtag sets and snippets, inserted into a post's text from the composer's menus. */
export const useInserts = create<InsertsState>((set, get) => {
  const reloadHashtagSets = async (id: string) => {
    const list = await invoke('hashtags.list', { projectId: id });
    if (list.ok && get().projectId === id) set({ hashtagSets: list.value });
  };
  const reloadSnippets = async (id: string) => {
    const list = await invoke('snippets.list', { projectId: id });
    if (list.ok && get().projectId === id) set({ snippets: list.value });
  };

  /**
   * Runs a change for the current project and reloads its list (after a refused delete too: the item
   * may be gone already); main's refusal is handed back.
   */
  const change = async (
    run: (projectId: string) => Promise<{ ok: true } | { ok: false; error: OutpostError }>,
    reload: (projectId: string) => Promise<void>,
    reloadWhenRefused = false,
  ): Promise<OutpostError | null> => {
    const id = get().projectId;
    if (!id) return null;
    const result = await run(id);
    if (result.ok || reloadWhenRefused) await reload(id);
    return result.ok ? null : result.error;
  };

  return {
    projectId: null,
    hashtagSets: [],
    snippets: [],

    load: async (id) => {
      set({ projectId: id, hashtagSets: [], snippets: [] });
      if (id) await Promise.all([reloadHashtagSets(id), reloadSnippets(id)]);
    },

    saveHashtagSet: (input) => change((projectId) => invoke('hashtags.save', { projectId, ...input }), reloadHashtagSets),
    deleteHashtagSet: (setId) => change(() => invoke('hashtags.delete', { id: setId }), reloadHashtagSets, true),
    saveSnippet: (input) => change((projectId) => invoke('snippets.save', { projectId, ...input }), reloadSnippets),
    deleteSnippet: (snippetId) => change(() => invoke('snippets.delete', { id: snippetId }), reloadSnippets, true),
  };
});
