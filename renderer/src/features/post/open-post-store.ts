import { create } from 'zustand';
import type { Account, EventPayload, Media, Post, PostMediaItem, PostProblem } from '../../../../main/core/contract';
import type { OutpostError, Result } from '../../../../main/core/errors';
import { toLocal } from '../../../../main/core/posts/time';
import { invoke, subscribe } from '../../platform/api';
import { unawaited } from '../../platform/unawaited';
import { useProjects } from '../projects/projects-store';
import { Autosaver, type SaveOutcome } from './autosave';
import { readBackup, writeBackup } from './backup';
import { changedFields, fieldsOf, hasChanges, mergeSaved, toPostMedia, withFacts, type DraftFields } from './draft';

/**
 * The post being edited, one home for the features that work on it: the composer edits it, the
 * publishing panel acts on it, the editor attaches exports to it. None of them reaches into another.
 */

export type SaveState =
  /** Everything typed is stored. */
  | 'saved'
  /** Edits wait for the pause after typing. */
  | 'pending'
  | 'saving'
  /** The host did not answer; retrying, and the text stays here meanwhile. */
  | 'offline'
  /** Changed elsewhere since this edit began: the user chooses. */
  | 'conflict'
  /** Refused for a reason the user must fix (shown with it). */
  | 'refused';

export const AUTOSAVE_DELAY_MS = 500;

/** The slot "Add to queue" took, and how the post was before, so the confirmation can name it and undo it. */
export interface QueuedNote {
  postId: string;
  at: number;
  /** False when a check kept it from being scheduled there: the time is set, the post stays a draft. */
  scheduled: boolean;
  before: { at: number | null; scheduled: boolean };
}

interface OpenPostState {
  /** The project posts are composed in: new posts go there, its accounts are the targets to choose from. */
  projectId: string | null;
  accounts: Account[];
  /** The open post as last stored. */
  post: Post | null;
  /** The open post as on screen. */
  draft: DraftFields | null;
  /** What the UI knows about each media id the draft uses. */
  media: Record<string, PostMediaItem>;
  saveState: SaveState;
  saveError: OutpostError | null;
  /** When the last save landed (ms), for "Saved at 10:42". */
  savedAt: number | null;
  /** Main's answer the last time scheduling was tried and refused. */
  scheduleProblems: PostProblem[] | null;
  /** The post went back to draft because an edit broke a rule while it was scheduled. */
  unscheduledByEdit: boolean;
  /** This computer's copy of unsaved edits for the post could not be read (it was set aside). */
  backupUnreadable: boolean;
  /** Counts news from the scheduler and publishing actions about the open post, so its history reloads once per change. */
  publishingChanges: number;
  busy: boolean;
  actionError: OutpostError | null;
  /** The last "Add to queue" of the open post, until it is undone, dismissed or another post opens. */
  queued: QueuedNote | null;

  setProject(projectId: string | null): Promise<void>;
  refreshAccounts(): Promise<void>;
  open(postId: string): Promise<void>;
  close(): Promise<void>;
  create(): Promise<void>;
  edit(change: Partial<DraftFields>): void;
  rememberMedia(items: readonly (Media | PostMediaItem)[]): void;
  flush(): Promise<void>;
  keepMine(): Promise<void>;
  takeTheirs(): Promise<void>;
  schedule(): Promise<boolean>;
  unschedule(): Promise<void>;
  /** Puts the post in the project's next free queue slot (saving what is typed first). */
  queue(): Promise<boolean>;
  /** Puts the queued post back as it was before "Add to queue". */
  undoQueue(): Promise<void>;
  dismissQueued(): void;
  /** A post changed in main: fetch the open one again, unless it is the answer to our own write. */
  changed(change: EventPayload<'posts.changed'>): Promise<void>;
  /** The scheduler moved a post (published, missed, retrying): show the open one's new states. */
  published(postId: string): Promise<void>;
  /** A post as main answered it: adopt it if it is the open one. */
  adopt(post: Post): void;
  /** A publishing action (publish now, reschedule, confirm): its echo is not fetched back, its answer is adopted. */
  apply(request: () => Promise<Result<Post>>): Promise<Result<Post>>;
  duplicate(): Promise<void>;
  remove(): Promise<boolean>;
}

/**
 * The post's time as a wall time in the project's zone as it is now: that is the zone the
 * composer shows and main reads a new time in, even if the project moved zones since.
 */
function localIn(post: Post): string | null {
  const zone = useProjects.getState().projects.find((p) => p.id === post.projectId)?.timezone ?? post.timezone;
  if (post.scheduledAt === null || zone === post.timezone) return post.local;
  return toLocal(post.scheduledAt, zone);
}

const fieldsOfPost = (post: Post) => fieldsOf(post, localIn(post));

/**
 * Our own writes in flight. Main tells every window that a post changed before it answers the one
 * that asked, so an event waits for these to land before it is compared with what we hold.
 */
const writes = new Set<Promise<void>>();

function tracked<T>(start: () => Promise<T>): Promise<T> {
  let settle = () => {};
  const landed = new Promise<void>((resolve) => (settle = resolve));
  writes.add(landed);
  const request = start();
  const done = () => {
    writes.delete(landed);
    settle();
  };
  request.then(done, done);
  // The request itself, not a wrapper: its callers' state updates run before `landed` resolves.
  return request;
}

async function writesLanded(): Promise<void> {
  while (writes.size > 0) await Promise.allSettled([...writes]);
}

export const useOpenPost = create<OpenPostState>((set, get) => {
  let autosaver: Autosaver | null = null;
  // The fields as sent in the save now in flight; edits made meanwhile stay dirty.
  let saved: DraftFields | null = null;

  const save = async (): Promise<SaveOutcome> => {
    const { post, draft } = get();
    if (!post || !draft || !saved) return 'saved';
    const changes = changedFields(draft, saved);
    if (!hasChanges(changes)) {
      set({ saveState: 'saved' });
      return 'saved';
    }
    set({ saveState: 'saving' });
    const sent = { ...draft };
    const result = await tracked(() => invoke('posts.update', { id: post.id, revision: post.revision, ...changes }));
    if (get().post?.id !== post.id) return 'saved';
    if (result.ok) {
      const stored = result.value;
      saved = fieldsOfPost(stored);
      const merged = mergeSaved(get().draft as DraftFields, sent, saved);
      const left = changedFields(merged, saved);
      const dirty = hasChanges(left);
      writeBackup(post.id, dirty ? { revision: stored.revision, changes: left } : null);
      set({
        post: stored,
        draft: merged,
        media: withFacts(get().media, stored),
        saveState: dirty ? 'pending' : 'saved',
        saveError: null,
        savedAt: Date.now(),
        unscheduledByEdit: post.status === 'scheduled' && stored.status === 'draft',
      });
      return 'saved';
    }
    const error = result.error;
    writeBackup(post.id, { revision: post.revision, changes });
    if (error.code === 'conflict') {
      set({ saveState: 'conflict', saveError: error });
      return 'stop';
    }
    if (error.code === 'validation' || error.code === 'bad_request' || error.code === 'not_found') {
      set({ saveState: 'refused', saveError: error });
      return 'stop';
    }
    set({ saveState: 'offline', saveError: error });
    return 'retry';
  };

  const openPost = (post: Post, extra: Partial<OpenPostState> = {}) => {
    autosaver?.dispose();
    saved = fieldsOfPost(post);
    let draft = fieldsOfPost(post);
    // Edits the host never confirmed (it was down, or the window closed first) come back.
    const copy = readBackup(post.id);
    let restored = false;
    if (copy.kind === 'found' && copy.backup.revision === post.revision && hasChanges(copy.backup.changes)) {
      draft = { ...draft, ...copy.backup.changes };
      restored = true;
    } else if (copy.kind !== 'none') {
      writeBackup(post.id, null);
    }
    autosaver = new Autosaver({ delayMs: AUTOSAVE_DELAY_MS, save });
    set({
      post,
      draft,
      media: withFacts(get().media, post),
      saveState: restored ? 'pending' : 'saved',
      saveError: null,
      savedAt: null,
      scheduleProblems: null,
      unscheduledByEdit: false,
      backupUnreadable: copy.kind === 'unreadable',
      actionError: null,
      queued: get().queued?.postId === post.id ? get().queued : null,
      ...extra,
    });
    if (restored) autosaver.touch();
  };

  const forget = () => {
    autosaver?.dispose();
    autosaver = null;
    saved = null;
    set({ post: null, draft: null, backupUnreadable: false, queued: null });
  };

  const adoptPost = (post: Post, extra: Partial<OpenPostState> = {}) => {
    const current = get().post;
    if (current?.id !== post.id) {
      if (Object.keys(extra).length > 0) set(extra);
      return;
    }
    // Same revision: only publishing states moved (or it is our own save echoing back); the draft and notices stay.
    if (current.revision === post.revision) set({ post, ...extra });
    // Typed edits win over a refresh: their save meets the new revision and the user chooses.
    else if (get().saveState === 'saved') openPost(post, extra);
    else set({ post: { ...post, revision: current.revision }, ...extra });
  };

  /** After a conflict: the open post as stored now, or null (the reason shown where the save state is). */
  const theirs = async (): Promise<Post | null> => {
    const { post } = get();
    if (!post) return null;
    const latest = await invoke('posts.get', { id: post.id });
    if (latest.ok) return latest.value;
    set({ saveError: latest.error });
    return null;
  };

  /** Runs an action that answers with the post and makes it the open one; its error is the user's to see. */
  const replaceWith = async (request: () => Promise<Result<Post>>): Promise<boolean> => {
    const result = await tracked(request);
    if (!result.ok) {
      set({ actionError: result.error });
      return false;
    }
    openPost(result.value);
    return true;
  };

  return {
    projectId: null,
    accounts: [],
    post: null,
    draft: null,
    media: {},
    saveState: 'saved',
    saveError: null,
    savedAt: null,
    scheduleProblems: null,
    unscheduledByEdit: false,
    backupUnreadable: false,
    publishingChanges: 0,
    busy: false,
    actionError: null,
    queued: null,

    setProject: async (id) => {
      if (id === get().projectId) return;
      await get().flush();
      forget();
      set({ projectId: id, accounts: [] });
      await get().refreshAccounts();
    },

    refreshAccounts: async () => {
      const id = get().projectId;
      if (!id) return;
      const result = await invoke('accounts.list', { projectId: id });
      if (result.ok && get().projectId === id) set({ accounts: result.value });
    },

    open: async (postId) => {
      if (get().post?.id === postId) return;
      await get().flush();
      const result = await invoke('posts.get', { id: postId });
      if (result.ok) openPost(result.value);
      else set({ actionError: result.error });
    },

    close: async () => {
      await get().flush();
      forget();
    },

    create: async () => {
      const projectId = get().projectId;
      if (!projectId) return;
      await get().flush();
      set({ busy: true });
      await replaceWith(() => invoke('posts.create', { projectId }));
      set({ busy: false });
    },

    edit: (change) => {
      const draft = get().draft;
      if (!draft) return;
      set({
        draft: { ...draft, ...change },
        saveState: get().saveState === 'saved' ? 'pending' : get().saveState,
        // Main's refusal was about the text it saw; from here the live list speaks.
        scheduleProblems: null,
        // A time chosen by hand replaces the queue's: undoing the queue would now undo the user's choice.
        ...(change.local !== undefined ? { queued: null } : {}),
      });
      autosaver?.touch();
    },

    rememberMedia: (items) => {
      const media = { ...get().media };
      for (const item of items) {
        const facts = toPostMedia(item);
        media[facts.mediaId] = facts;
      }
      set({ media });
    },

    flush: async () => {
      const { post, draft } = get();
      // A copy first, so even a page closing mid-save leaves the text on this computer.
      if (post && draft && saved) {
        const changes = changedFields(draft, saved);
        if (hasChanges(changes)) writeBackup(post.id, { revision: post.revision, changes });
      }
      await autosaver?.flush();
    },

    keepMine: async () => {
      const latest = await theirs();
      if (!latest) return;
      // Mine goes on top of theirs: saved becomes theirs, so every field that differs is sent.
      saved = fieldsOfPost(latest);
      set({ post: latest, saveState: 'pending', saveError: null });
      autosaver?.resume();
      await autosaver?.flush();
    },

    takeTheirs: async () => {
      const latest = await theirs();
      if (!latest) return;
      writeBackup(latest.id, null);
      openPost(latest);
    },

    schedule: async () => {
      await get().flush();
      const { post } = get();
      if (!post || get().saveState !== 'saved') return false;
      set({ busy: true, actionError: null });
      const result = await tracked(() => invoke('posts.schedule', { id: post.id, revision: post.revision }));
      set({ busy: false });
      if (!result.ok) {
        set({ actionError: result.error });
        return false;
      }
      saved = fieldsOfPost(result.value.post);
      set({
        post: result.value.post,
        scheduleProblems: result.value.scheduled ? null : result.value.problems,
        unscheduledByEdit: false,
      });
      return result.value.scheduled;
    },

    unschedule: async () => {
      await get().flush();
      const { post } = get();
      if (!post) return;
      const result = await tracked(() => invoke('posts.unschedule', { id: post.id, revision: post.revision }));
      if (!result.ok) {
        set({ actionError: result.error });
        return;
      }
      saved = fieldsOfPost(result.value);
      set({ post: result.value });
    },

    queue: async () => {
      await get().flush();
      const { post } = get();
      if (!post || get().saveState !== 'saved') return false;
      const before = { at: post.scheduledAt, scheduled: post.status === 'scheduled' };
      set({ busy: true, actionError: null, queued: null });
      let problems: PostProblem[] | null = null;
      const done = await replaceWith(async () => {
        const result = await invoke('queue.add', { id: post.id, revision: post.revision });
        if (!result.ok) return result;
        set({ queued: { postId: post.id, at: result.value.entry.scheduledAt as number, scheduled: result.value.scheduled, before } });
        if (!result.value.scheduled) problems = result.value.problems;
        // The post as stored now, so the time field and the status show where it went.
        return invoke('posts.get', { id: post.id });
      });
      set({ busy: false, scheduleProblems: problems });
      return done;
    },

    undoQueue: async () => {
      const { post, queued } = get();
      if (!post || queued?.postId !== post.id) return;
      await get().flush();
      set({ busy: true, actionError: null });
      const done = await replaceWith(() =>
        invoke('queue.restore', { id: post.id, revision: get().post?.revision ?? post.revision, at: queued.before.at, scheduled: queued.before.scheduled }),
      );
      set({ busy: false, ...(done ? { queued: null } : {}) });
    },

    dismissQueued: () => set({ queued: null }),

    changed: async ({ postId, revision }) => {
      // A deleted post has nothing to fetch: a later save meets "not found" and says so.
      if (get().post?.id !== postId || revision === null) return;
      await writesLanded();
      const held = get().post;
      if (held?.id !== postId || revision <= held.revision) return;
      const latest = await invoke('posts.get', { id: postId });
      if (latest.ok) adoptPost(latest.value);
    },

    published: async (postId) => {
      if (get().post?.id !== postId) return;
      const latest = await invoke('posts.get', { id: postId });
      const changes = get().publishingChanges + 1;
      if (latest.ok) adoptPost(latest.value, { publishingChanges: changes });
      else set({ publishingChanges: changes });
    },

    adopt: (post) => adoptPost(post),

    apply: async (request) => {
      const result = await tracked(request);
      const changes = get().publishingChanges + 1;
      if (result.ok) adoptPost(result.value, { publishingChanges: changes });
      else set({ publishingChanges: changes });
      return result;
    },

    duplicate: async () => {
      await get().flush();
      const { post } = get();
      if (!post) return;
      await replaceWith(() => invoke('posts.duplicate', { id: post.id }));
    },

    remove: async () => {
      const { post } = get();
      if (!post) return false;
      const result = await invoke('posts.delete', { id: post.id });
      if (!result.ok) {
        set({ actionError: result.error });
        return false;
      }
      writeBackup(post.id, null);
      forget();
      return true;
    },
  };
});

/** Keeps the open post in step with main while mounted: another window, the calendar or the scheduler may change it. */
export function watchOpenPost(): () => void {
  const offPosts = subscribe('posts.changed', (change) => unawaited(useOpenPost.getState().changed(change), 'Refreshing the open post'));
  const offPublishing = subscribe('publishing.changed', ({ postId }) => unawaited(useOpenPost.getState().published(postId), 'Refreshing the open post'));
  const offAccounts = subscribe('accounts.changed', () => unawaited(useOpenPost.getState().refreshAccounts(), 'Refreshing the accounts'));
  return () => {
    offPosts();
    offPublishing();
    offAccounts();
  };
}
