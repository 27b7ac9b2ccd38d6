import { create } from 'zustand';
import type { EventPayload, PostStatus, PostSummary } from '../../../../main/core/contract';
import { invoke, subscribe } from '../../platform/api';
import { unawaited } from '../../platform/unawaited';
import { useOpenPost } from '../post/open-post-store';
import { useInserts } from './inserts-store';

export type ListFilter = 'draft' | 'scheduled' | 'all';
/** Numbers the drafts list's requests, so a late answer never replaces a newer one. */
let listRequest = 0;

const filterStatuses: Record<ListFilter, PostStatus[]> = {
  draft: ['draft'],
  scheduled: ['scheduled'],
  all: ['draft', 'scheduled', 'published', 'failed', 'needs_attention'],
};

interface ComposeState {
  projectId: string | null;
  filter: ListFilter;
  /** The drafts list: the project's posts of the filter's statuses, most recently changed first. */
  posts: PostSummary[];

  loadProject(projectId: string | null): Promise<void>;
  setFilter(filter: ListFilter): Promise<void>;
  refreshList(): Promise<void>;
  /** Opens a post in the composer (the post being edited lives in the post feature). */
  open(postId: string): Promise<void>;
  newPost(): Promise<void>;
  /** A post of some project changed in main: the list shows its excerpt, status and order. */
  postsChanged(change: EventPayload<'posts.changed'>): Promise<void>;
}

/** The compose page: its project, the drafts list, and the way into the post being edited. */
export const useCompose = create<ComposeState>((set, get) => ({
  projectId: null,
  filter: 'draft',
  posts: [],

  loadProject: async (id) => {
    if (id === get().projectId) return;
    set({ projectId: id, posts: [] });
    await Promise.all([useOpenPost.getState().setProject(id), useInserts.getState().load(id), get().refreshList()]);
  },

  setFilter: async (filter) => {
    set({ filter });
    await get().refreshList();
  },

  refreshList: async () => {
    const id = get().projectId;
    if (!id) return;
    // Only the latest request's answer is shown: an earlier one (another filter, say) may arrive after it.
    const request = ++listRequest;
    const result = await invoke('posts.list', { projectId: id, statuses: filterStatuses[get().filter] });
    if (result.ok && get().projectId === id && request === listRequest) set({ posts: result.value });
  },

  open: (postId) => useOpenPost.getState().open(postId),

  newPost: () => useOpenPost.getState().create(),

  postsChanged: async ({ projectId }) => {
    if (projectId === get().projectId) await get().refreshList();
  },
}));

/** Keeps the drafts list fresh while mounted: saves, the calendar and the scheduler all change what it shows. */
export function watchDrafts(): () => void {
  const offPosts = subscribe('posts.changed', (change) => unawaited(useCompose.getState().postsChanged(change), 'Refreshing the drafts list'));
  // A post's status (published, failed, needs attention) moves with the scheduler.
  const offPublishing = subscribe('publishing.changed', () => unawaited(useCompose.getState().refreshList(), 'Refreshing the drafts list'));
  return () => {
    offPosts();
    offPublishing();
  };
}
