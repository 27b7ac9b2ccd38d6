import { create } from 'zustand';
import type { Args, LinkCard } from '../../../../main/core/contract';
import type { OutpostError } from '../../../../main/core/errors';
import { invoke } from '../../platform/api';

/**
 * The open post's link card (issue 12 item 4): read from the store when the post opens, fetched
 * from the page while online, changed by the user. Previews read it from here.
 */
interface LinkCardState {
  postId: string | null;
  card: LinkCard | null;
  /** The link being fetched right now, if any. */
  fetching: string | null;
  /** The last fetch's failure, with the link it was for. */
  failed: { url: string; error: OutpostError } | null;
  load(postId: string): Promise<void>;
  fetch(postId: string, url: string): Promise<void>;
  update(changes: Omit<Args<'links.updateCard'>, 'postId'>): Promise<void>;
}

export const useLinkCard = create<LinkCardState>((set, get) => ({
  postId: null,
  card: null,
  fetching: null,
  failed: null,

  load: async (postId) => {
    set({ postId, card: null, fetching: null, failed: null });
    const result = await invoke('links.card', { postId });
    if (get().postId === postId && result.ok) set({ card: result.value });
  },

  fetch: async (postId, url) => {
    set({ fetching: url, failed: null });
    const result = await invoke('links.fetchCard', { postId, url });
    // Another post opened meanwhile: its card is not this one.
    if (get().postId !== postId) return;
    set(result.ok ? { card: result.value, fetching: null } : { fetching: null, failed: { url, error: result.error } });
  },

  update: async (changes) => {
    const { postId, card } = get();
    if (!postId || !card) return;
    // Shown at once (a checkbox must follow the click); main's answer then replaces it, a refusal puts it back.
    set({ card: { ...card, ...changes } });
    const result = await invoke('links.updateCard', { postId, ...changes });
    if (get().postId === postId) set({ card: result.ok ? result.value : card });
  },
}));
