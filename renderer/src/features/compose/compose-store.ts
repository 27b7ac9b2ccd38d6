import { create } from 'zustand';
import type {
  Account,
  Args,
  HashtagSet,
  Media,
  Post,
  PostMediaItem,
  PostProblem,
  PostStatus,
  PostSummary,
  Snippet,
} from '../../../../main/core/contract';
import type { OutpostError } from '../../../../main/core/errors';
import { toLocal } from '../../../../main/core/posts/time';
import { invoke } from '../../platform/api';
import { useProjects } from '../projects/projects-store';
import { Autosaver, type SaveOutcome } from './autosave';

/** A target as the composer edits it. */
export interface DraftTarget {
  accountId: string;
  /** Null: the post's text. */
  bodyOverride: string | null;
  /** Null: the post's media. */
  mediaOverride: string[] | null;
}

/** The fields of a post the user edits; saved as one `posts.update`. */
export interface DraftFields {
  body: string;
  firstComment: string;
  notes: string;
  labels: string[];
  local: string | null;
  targets: DraftTarget[];
  media: string[];
  /** Null: the post stays up. */
  autoDeleteAfterMs: number | null;
}

type FieldName = keyof DraftFields;
const fieldNames: FieldName[] = ['body', 'firstComment', 'notes', 'labels', 'local', 'targets', 'media', 'autoDeleteAfterMs'];

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

export type ListFilter = 'draft' | 'scheduled' | 'all';
/** Numbers the drafts list's requests, so a late answer never replaces a newer one. */
let listRequest = 0;

const filterStatuses: Record<ListFilter, PostStatus[]> = {
  draft: ['draft'],
  scheduled: ['scheduled'],
  all: ['draft', 'scheduled', 'published', 'failed', 'needs_attention'],
};

export const AUTOSAVE_DELAY_MS = 500;
const BACKUP_PREFIX = 'outpost.unsaved.';

/**
 * The post's time as a wall time in the project's zone as it is now: that is the zone the
 * composer shows and main reads a new time in, even if the project moved zones since.
 */
function localIn(post: Post): string | null {
  const zone = useProjects.getState().projects.find((p) => p.id === post.projectId)?.timezone ?? post.timezone;
  if (post.scheduledAt === null || zone === post.timezone) return post.local;
  return toLocal(post.scheduledAt, zone);
}

function fieldsOf(post: Post): DraftFields {
  return {
    body: post.body,
    firstComment: post.firstComment,
    notes: post.notes,
    labels: post.labels,
    local: localIn(post),
    targets: post.targets.map((t) => ({
      accountId: t.accountId,
      bodyOverride: t.bodyOverride,
      mediaOverride: t.mediaOverride?.map((m) => m.mediaId) ?? null,
    })),
    media: post.media.map((m) => m.mediaId),
    autoDeleteAfterMs: post.autoDeleteAfterMs,
  };
}

function same(a: unknown, b: unknown): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}

function changedFields(draft: DraftFields, saved: DraftFields): Partial<DraftFields> {
  const changes: Partial<DraftFields> = {};
  for (const name of fieldNames) {
    if (!same(draft[name], saved[name])) (changes as Record<FieldName, unknown>)[name] = draft[name];
  }
  return changes;
}

/** The known facts with the post's added; the same object when nothing changed, so counts are not redone. */
function withFacts(known: Record<string, PostMediaItem>, post: Post): Record<string, PostMediaItem> {
  const incoming = mediaFacts(post);
  const changed = Object.entries(incoming).some(([id, item]) => !same(known[id], item));
  return changed ? { ...known, ...incoming } : known;
}

function mediaFacts(post: Post): Record<string, PostMediaItem> {
  const facts: Record<string, PostMediaItem> = {};
  for (const item of post.media) facts[item.mediaId] = item;
  for (const target of post.targets) for (const item of target.mediaOverride ?? []) facts[item.mediaId] = item;
  return facts;
}

interface Backup {
  revision: number;
  changes: Partial<DraftFields>;
}

function readBackup(postId: string): Backup | null {
  try {
    const text = window.localStorage.getItem(BACKUP_PREFIX + postId);
    return text ? (JSON.parse(text) as Backup) : null;
  } catch {
    return null;
  }
}

function writeBackup(postId: string, backup: Backup | null): void {
  try {
    if (backup) window.localStorage.setItem(BACKUP_PREFIX + postId, JSON.stringify(backup));
    else window.localStorage.removeItem(BACKUP_PREFIX + postId);
  } catch {
    // A full or disabled storage only loses the second copy; the host still has the text.
  }
}

interface ComposeState {
  projectId: string | null;
  filter: ListFilter;
  posts: PostSummary[];
  accounts: Account[];
  hashtagSets: HashtagSet[];
  snippets: Snippet[];
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
  busy: boolean;
  actionError: OutpostError | null;

  loadProject(projectId: string | null): Promise<void>;
  setFilter(filter: ListFilter): Promise<void>;
  refreshList(): Promise<void>;
  refreshAccounts(): Promise<void>;
  open(postId: string): Promise<void>;
  close(): Promise<void>;
  newPost(): Promise<void>;
  edit(change: Partial<DraftFields>): void;
  rememberMedia(items: readonly (Media | PostMediaItem)[]): void;
  flush(): Promise<void>;
  keepMine(): Promise<void>;
  takeTheirs(): Promise<void>;
  schedule(): Promise<boolean>;
  unschedule(): Promise<void>;
  /** The open post changed in main (published, missed, rescheduled): show it, unless edits are waiting. */
  reload(postId: string): Promise<void>;
  /** A publishing action answered with the post: adopt it, and refresh the list. */
  adopt(post: Post): Promise<void>;
  duplicate(): Promise<void>;
  remove(): Promise<boolean>;
  saveHashtagSet(input: Omit<Args<'hashtags.save'>, 'projectId'>): Promise<OutpostError | null>;
  deleteHashtagSet(id: string): Promise<void>;
  saveSnippet(input: Omit<Args<'snippets.save'>, 'projectId'>): Promise<OutpostError | null>;
  deleteSnippet(id: string): Promise<void>;
}

function toPostMedia(item: Media | PostMediaItem): PostMediaItem {
  if ('mediaId' in item) return item;
  return {
    mediaId: item.id,
    mime: item.mime,
    bytes: item.bytes,
    width: item.width,
    height: item.height,
    durationMs: item.durationMs,
    fileName: item.fileName,
    altText: item.altText,
  };
}

export const useCompose = create<ComposeState>((set, get) => {
  let autosaver: Autosaver | null = null;
  // The fields as sent in the save now in flight; edits made meanwhile stay dirty.
  let saved: DraftFields | null = null;

  const reloadHashtagSets = async (id: string) => {
    const list = await invoke('hashtags.list', { projectId: id });
    if (list.ok && projectId() === id) set({ hashtagSets: list.value });
  };
  const reloadSnippets = async (id: string) => {
    const list = await invoke('snippets.list', { projectId: id });
    if (list.ok && projectId() === id) set({ snippets: list.value });
  };

  const save = async (): Promise<SaveOutcome> => {
    const { post, draft } = get();
    if (!post || !draft || !saved) return 'saved';
    const changes = changedFields(draft, saved);
    if (Object.keys(changes).length === 0) {
      set({ saveState: 'saved' });
      return 'saved';
    }
    set({ saveState: 'saving' });
    const sent = { ...draft };
    const result = await invoke('posts.update', { id: post.id, revision: post.revision, ...changes });
    if (get().post?.id !== post.id) return 'saved';
    if (result.ok) {
      const stored = result.value;
      saved = fieldsOf(stored);
      const now = get().draft as DraftFields;
      // Adopt main's tidying (labels) for fields not touched since they were sent.
      const merged = { ...now };
      for (const name of fieldNames) {
        if (same(now[name], sent[name])) (merged as Record<FieldName, unknown>)[name] = saved[name];
      }
      const dirty = Object.keys(changedFields(merged, saved)).length > 0;
      writeBackup(post.id, dirty ? { revision: stored.revision, changes: changedFields(merged, saved) } : null);
      set({
        post: stored,
        draft: merged,
        media: withFacts(get().media, stored),
        saveState: dirty ? 'pending' : 'saved',
        saveError: null,
        savedAt: Date.now(),
        unscheduledByEdit: post.status === 'scheduled' && stored.status === 'draft',
      });
      void get().refreshList();
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

  const openPost = (post: Post) => {
    autosaver?.dispose();
    saved = fieldsOf(post);
    let draft = fieldsOf(post);
    // Edits the host never confirmed (it was down, or the window closed first) come back.
    const backup = readBackup(post.id);
    let restored = false;
    if (backup && backup.revision === post.revision && Object.keys(backup.changes).length > 0) {
      draft = { ...draft, ...backup.changes };
      restored = true;
    } else if (backup) {
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
      actionError: null,
    });
    if (restored) autosaver.touch();
  };

  const projectId = () => get().projectId;

  return {
    projectId: null,
    filter: 'draft',
    posts: [],
    accounts: [],
    hashtagSets: [],
    snippets: [],
    post: null,
    draft: null,
    media: {},
    saveState: 'saved',
    saveError: null,
    savedAt: null,
    scheduleProblems: null,
    unscheduledByEdit: false,
    busy: false,
    actionError: null,

    loadProject: async (id) => {
      if (id === get().projectId) return;
      await get().flush();
      autosaver?.dispose();
      autosaver = null;
      saved = null;
      set({ projectId: id, posts: [], accounts: [], hashtagSets: [], snippets: [], post: null, draft: null });
      if (!id) return;
      await Promise.all([reloadHashtagSets(id), reloadSnippets(id), get().refreshList(), get().refreshAccounts()]);
    },

    setFilter: async (filter) => {
      set({ filter });
      await get().refreshList();
    },

    refreshList: async () => {
      const id = projectId();
      if (!id) return;
      // Only the latest request's answer is shown: an earlier one (another filter, say) may arrive after it.
      const request = ++listRequest;
      const result = await invoke('posts.list', { projectId: id, statuses: filterStatuses[get().filter] });
      if (result.ok && projectId() === id && request === listRequest) set({ posts: result.value });
    },

    refreshAccounts: async () => {
      const id = projectId();
      if (!id) return;
      const result = await invoke('accounts.list', { projectId: id });
      if (result.ok && projectId() === id) set({ accounts: result.value });
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
      autosaver?.dispose();
      autosaver = null;
      saved = null;
      set({ post: null, draft: null });
    },

    newPost: async () => {
      const id = projectId();
      if (!id) return;
      await get().flush();
      set({ busy: true });
      const result = await invoke('posts.create', { projectId: id });
      set({ busy: false });
      if (!result.ok) {
        set({ actionError: result.error });
        return;
      }
      openPost(result.value);
      await get().refreshList();
    },

    edit: (change) => {
      const draft = get().draft;
      if (!draft) return;
      set({
        draft: { ...draft, ...change },
        saveState: get().saveState === 'saved' ? 'pending' : get().saveState,
        // Main's refusal was about the text it saw; from here the live list speaks.
        scheduleProblems: null,
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
        if (Object.keys(changes).length > 0) writeBackup(post.id, { revision: post.revision, changes });
      }
      await autosaver?.flush();
    },

    keepMine: async () => {
      const { post } = get();
      if (!post) return;
      const latest = await invoke('posts.get', { id: post.id });
      if (!latest.ok) {
        set({ saveError: latest.error });
        return;
      }
      // Mine goes on top of theirs: saved becomes theirs, so every field that differs is sent.
      saved = fieldsOf(latest.value);
      set({ post: latest.value, saveState: 'pending', saveError: null });
      autosaver?.resume();
      await autosaver?.flush();
    },

    takeTheirs: async () => {
      const { post } = get();
      if (!post) return;
      const latest = await invoke('posts.get', { id: post.id });
      if (!latest.ok) {
        set({ saveError: latest.error });
        return;
      }
      writeBackup(post.id, null);
      openPost(latest.value);
    },

    schedule: async () => {
      await get().flush();
      const { post } = get();
      if (!post || get().saveState !== 'saved') return false;
      set({ busy: true, actionError: null });
      const result = await invoke('posts.schedule', { id: post.id, revision: post.revision });
      set({ busy: false });
      if (!result.ok) {
        set({ actionError: result.error });
        return false;
      }
      saved = fieldsOf(result.value.post);
      set({
        post: result.value.post,
        scheduleProblems: result.value.scheduled ? null : result.value.problems,
        unscheduledByEdit: false,
      });
      await get().refreshList();
      return result.value.scheduled;
    },

    unschedule: async () => {
      await get().flush();
      const { post } = get();
      if (!post) return;
      const result = await invoke('posts.unschedule', { id: post.id, revision: post.revision });
      if (!result.ok) {
        set({ actionError: result.error });
        return;
      }
      saved = fieldsOf(result.value);
      set({ post: result.value });
      await get().refreshList();
    },

    reload: async (postId) => {
      if (get().post?.id !== postId) {
        await get().refreshList();
        return;
      }
      const latest = await invoke('posts.get', { id: postId });
      if (latest.ok) await get().adopt(latest.value);
    },

    adopt: async (post) => {
      const current = get().post;
      if (current?.id === post.id) {
        // Same revision: only publishing states moved (or it is our own save echoing back); the draft and notices stay.
        if (current.revision === post.revision) set({ post });
        // Typed edits win over a refresh: their save meets the new revision and the user chooses.
        else if (get().saveState === 'saved') openPost(post);
        else set({ post: { ...post, revision: current.revision } });
      }
      await get().refreshList();
    },

    duplicate: async () => {
      await get().flush();
      const { post } = get();
      if (!post) return;
      const result = await invoke('posts.duplicate', { id: post.id });
      if (!result.ok) {
        set({ actionError: result.error });
        return;
      }
      openPost(result.value);
      await get().refreshList();
    },

    remove: async () => {
      const { post } = get();
      if (!post) return false;
      const result = await invoke('posts.delete', { id: post.id });
      if (!result.ok) {
        set({ actionError: result.error });
        return false;
      }
      autosaver?.dispose();
      autosaver = null;
      saved = null;
      writeBackup(post.id, null);
      set({ post: null, draft: null });
      await get().refreshList();
      return true;
    },

    saveHashtagSet: async (input) => {
      const id = projectId();
      if (!id) return null;
      const result = await invoke('hashtags.save', { projectId: id, ...input });
      if (!result.ok) return result.error;
      await reloadHashtagSets(id);
      return null;
    },

    deleteHashtagSet: async (setId) => {
      const id = projectId();
      if (!id) return;
      await invoke('hashtags.delete', { id: setId });
      await reloadHashtagSets(id);
    },

    saveSnippet: async (input) => {
      const id = projectId();
      if (!id) return null;
      const result = await invoke('snippets.save', { projectId: id, ...input });
      if (!result.ok) return result.error;
      await reloadSnippets(id);
      return null;
    },

    deleteSnippet: async (snippetId) => {
      const id = projectId();
      if (!id) return;
      await invoke('snippets.delete', { id: snippetId });
      await reloadSnippets(id);
    },
  };
});
