import { create } from 'zustand';
import type { AttentionEntry, HistoryLine } from '../../../../main/core/contract';
import { invoke } from '../../platform/api';

interface AttentionState {
  projectId: string | null;
  items: AttentionEntry[];
  load(projectId: string | null): Promise<void>;
  refresh(): Promise<void>;
}

/** The active project's targets waiting for the user; refreshed on every scheduler or post change. */
export const useAttention = create<AttentionState>((set, get) => ({
  projectId: null,
  items: [],
  load: async (projectId) => {
    set({ projectId, items: projectId === get().projectId ? get().items : [] });
    await get().refresh();
  },
  refresh: async () => {
    const projectId = get().projectId;
    if (!projectId) return;
    const result = await invoke('publishing.attention', { projectId });
    // An older host without the request just shows nothing waiting.
    if (result.ok && get().projectId === projectId) set({ items: result.value });
  },
}));

interface HistoryState {
  postId: string | null;
  lines: HistoryLine[];
  load(postId: string): Promise<void>;
}

/** The open post's history of attempts and outcomes. */
export const usePostHistory = create<HistoryState>((set, get) => ({
  postId: null,
  lines: [],
  load: async (postId) => {
    if (get().postId !== postId) set({ postId, lines: [] });
    const result = await invoke('publishing.history', { id: postId });
    if (result.ok && get().postId === postId) set({ lines: result.value });
  },
}));
