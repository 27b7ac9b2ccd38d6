import type { HandlersOf, Post, PostProblem, PostStatus, TargetInput, postRequests, hashtagRequests, snippetRequests } from '../../core/contract';
import { DomainError } from '../../core/errors';
import type { NetworkId } from '../../core/networks/ids';
import { normaliseLabels, normaliseSetName, normaliseTags } from '../../core/posts/fields';
import { blocksScheduling, readinessProblems, ruleOptionsFor } from '../../core/posts/readiness';
import { fromLocal } from '../../core/posts/time';
import { getProject } from '../projects/projects-repo';
import { cancelPost, schedulePost, SchedulingError, syncNativeContent } from '../scheduler/scheduling';
import type { Services } from '../services-types';
import type { Db } from '../store/database';
import {
  deleteHashtagSet,
  deletePost,
  deleteSnippet,
  existingMediaIds,
  getAccounts,
  getHashtagSet,
  getPost,
  getPostRow,
  getSnippet,
  insertPost,
  isPublishing,
  listHashtagSets,
  listPostSummaries,
  listSnippets,
  replacePostMedia,
  replaceTargets,
  setOpenTargetsState,
  updatePostIfRevision,
  upsertHashtagSet,
  upsertSnippet,
  type PostChanges,
  type TargetWrite,
  reopenApproval,
} from './posts-repo';

/** Text, media, targets, time and auto-delete can change only before anything went out. */
const CONTENT_EDITABLE: readonly PostStatus[] = ['draft', 'scheduled', 'failed'];

function mustGetProject(db: Db, projectId: string) {
  const project = getProject(db, projectId);
  if (!project) throw new DomainError('not_found', `There is no project with id ${projectId}.`, { reason: 'project_missing' });
  return project;
}

function mustGetPost(db: Db, id: string): Post {
  const post = getPost(db, id);
  if (!post) throw new DomainError('not_found', `There is no post with id ${id}.`, { reason: 'post_missing' });
  return post;
}

function staleRevision(id: string): DomainError {
  return new DomainError('conflict', `Post ${id} was changed since this edit began; nothing was written.`, {
    field: 'revision',
    reason: 'post_revision_stale',
  });
}

function instantOf(local: string | null, zone: string): number | null {
  if (local === null) return null;
  const instant = fromLocal(local, zone);
  if (instant === null) {
    throw new DomainError('validation', `${local} is not a date and time on the calendar.`, { field: 'local', reason: 'time_invalid' });
  }
  return instant;
}

/** Checks the accounts (of this project, once each) and media (in the library) the targets name. */
function checkedTargets(db: Db, projectId: string, targets: readonly TargetInput[]): TargetWrite[] {
  const ids = targets.map((t) => t.accountId);
  if (new Set(ids).size !== ids.length) {
    throw new DomainError('validation', 'An account can be a target of a post only once.', {
      field: 'targets',
      reason: 'target_duplicate',
    });
  }
  const accounts = new Map(getAccounts(db, ids).map((a) => [a.id, a]));
  for (const id of ids) {
    if (accounts.get(id)?.projectId !== projectId) {
      throw new DomainError('validation', `Account ${id} is not an account of this project.`, {
        field: 'targets',
        reason: 'target_account_missing',
      });
    }
  }
  const writes = targets.map((t) => ({
    accountId: t.accountId,
    // An empty override is kept as written: it is the user's choice to send nothing but media.
    bodyOverride: t.bodyOverride ?? null,
    mediaOverride: t.mediaOverride ?? null,
  }));
  checkMedia(db, writes.flatMap((t) => t.mediaOverride ?? []));
  return writes;
}

function checkMedia(db: Db, mediaIds: readonly string[]): void {
  const found = existingMediaIds(db, mediaIds);
  const missing = mediaIds.find((id) => !found.has(id));
  if (missing !== undefined) {
    throw new DomainError('validation', `Media ${missing} is not in the library.`, { field: 'media', reason: 'media_missing' });
  }
}

function checkMediaList(db: Db, mediaIds: readonly string[]): void {
  if (new Set(mediaIds).size !== mediaIds.length) {
    throw new DomainError('validation', 'The same media item is attached twice.', { field: 'media', reason: 'media_duplicate' });
  }
  checkMedia(db, mediaIds);
}

/** How long after publishing a network lets posts be deleted; undefined: no limit. */
export type DeleteWindowOf = (network: NetworkId) => number | undefined;

/** The delete windows of the networks' connectors (Telegram bots: 48 hours). */
export function deleteWindows(services: Pick<Services, 'connectors'>): DeleteWindowOf {
  return (network) => services.connectors.entry(network)?.connector?.deleteWindowMs;
}

/** The problems main finds with the post as stored, with the same rules the composer uses. */
export function postProblems(post: Post, now: number, deleteWindowOf?: DeleteWindowOf): PostProblem[] {
  return readinessProblems({
    scheduledAt: post.scheduledAt,
    now,
    autoDeleteAfterMs: post.autoDeleteAfterMs,
    targets: post.targets.map((t) => ({
      accountId: t.accountId,
      network: t.network,
      accountStatus: t.accountStatus,
      ruleOptions: ruleOptionsFor(t.network, t.ruleOptions),
      deleteWindowMs: deleteWindowOf?.(t.network) ?? null,
      text: t.bodyOverride ?? post.body,
      media: t.mediaOverride ?? post.media,
    })),
  });
}

export function postHandlers(services: Services): HandlersOf<typeof postRequests & typeof hashtagRequests & typeof snippetRequests> {
  const { db, clock, emit } = services;
  const deleteWindowOf = deleteWindows(services);
  const changed = (post: { projectId: string; id: string; revision: number }) =>
    emit('posts.changed', { projectId: post.projectId, postId: post.id, revision: post.revision });
  // Every change to a scheduled post's time or targets moves its publish jobs in the same transaction.
  const scheduling = { db, clock, wake: () => services.scheduler.wake() };
  const translate = (error: unknown): never => {
    if (error instanceof SchedulingError) {
      throw new DomainError(error.code === 'not_found' ? 'not_found' : 'conflict', error.message, { reason: `schedule_${error.code}` });
    }
    throw error;
  };

  return {
    'posts.create': (args) => {
      const id = crypto.randomUUID();
      db.transaction(() => {
        const project = mustGetProject(db, args.projectId);
        const targets = checkedTargets(db, project.id, args.targets ?? []);
        const media = args.media ?? [];
        checkMediaList(db, media);
        insertPost(db, {
          id,
          projectId: project.id,
          body: args.body ?? '',
          firstComment: '',
          notes: '',
          labels: [],
          scheduledAt: instantOf(args.local ?? null, project.timezone),
          timezone: project.timezone,
          autoDeleteAfterMs: args.autoDeleteAfterMs ?? null,
          now: clock.now(),
        });
        replaceTargets(db, id, targets, () => crypto.randomUUID());
        replacePostMedia(db, id, media);
      })();
      const post = mustGetPost(db, id);
      changed(post);
      return post;
    },

    'posts.get': ({ id }) => mustGetPost(db, id),

    'posts.list': ({ projectId, statuses, limit }) => {
      mustGetProject(db, projectId);
      return listPostSummaries(db, projectId, statuses ?? ['draft'], limit ?? 200);
    },

    'posts.update': (args) => {
      const post = db.transaction(() => {
        const row = getPostRow(db, args.id);
        if (!row) throw new DomainError('not_found', `There is no post with id ${args.id}.`, { reason: 'post_missing' });
        if (row.revision !== args.revision) throw staleRevision(args.id);
        const touchesContent =
          args.body !== undefined ||
          args.firstComment !== undefined ||
          args.local !== undefined ||
          args.targets !== undefined ||
          args.media !== undefined ||
          args.autoDeleteAfterMs !== undefined;
        if (touchesContent && !CONTENT_EDITABLE.includes(row.status)) {
          throw new DomainError('validation', `A ${row.status} post can no longer be edited; duplicate it instead.`, {
            reason: 'post_not_editable',
          });
        }
        // The network is being called with the current content: changing it now would leave no telling what went out.
        if (touchesContent && isPublishing(db, args.id)) {
          throw new DomainError('conflict', 'The post is being published right now; try again in a moment.', {
            reason: 'post_publishing',
          });
        }
        const changes: PostChanges = {};
        if (args.body !== undefined) changes.body = args.body;
        if (args.firstComment !== undefined) changes.firstComment = args.firstComment;
        if (args.notes !== undefined) changes.notes = args.notes;
        if (args.labels !== undefined) changes.labels = normaliseLabels(args.labels);
        if (args.local !== undefined) {
          // A time is always chosen in the project's zone as it is now.
          const zone = mustGetProject(db, row.project_id).timezone;
          changes.scheduledAt = instantOf(args.local, zone);
          changes.timezone = zone;
        }
        if (args.autoDeleteAfterMs !== undefined) changes.autoDeleteAfterMs = args.autoDeleteAfterMs;
        const targets = args.targets === undefined ? undefined : checkedTargets(db, row.project_id, args.targets);
        if (args.media !== undefined) checkMediaList(db, args.media);
        if (!updatePostIfRevision(db, args.id, args.revision, changes, clock.now())) throw staleRevision(args.id);
        if (targets !== undefined) replaceTargets(db, args.id, targets, () => crypto.randomUUID());
        if (args.media !== undefined) replacePostMedia(db, args.id, args.media);
        const wordsOrImagesChanged =
          (args.body !== undefined && args.body !== row.body) ||
          (args.firstComment !== undefined && args.firstComment !== row.first_comment) ||
          args.targets !== undefined ||
          args.media !== undefined;
        if (wordsOrImagesChanged) reopenApproval(db, args.id);

        // A scheduled post always passes the checks: an edit that breaks them takes it back to draft.
        const updated = mustGetPost(db, args.id);
        // The due time passing while the user edits is the scheduler's business, not a reason to unschedule.
        const problems = postProblems(updated, clock.now(), deleteWindowOf).filter((p) => args.local !== undefined || p.code !== 'time_in_past');
        if (updated.status === 'scheduled' && blocksScheduling(problems)) {
          cancelPost(scheduling, args.id);
          db.prepare(`UPDATE posts SET status = 'draft' WHERE id = ?`).run(args.id);
          setOpenTargetsState(db, args.id, 'pending');
          return mustGetPost(db, args.id);
        }
        // A new time or new accounts: the jobs follow (kept jobs keep their idempotency keys).
        if (updated.status === 'scheduled' && (args.local !== undefined || targets !== undefined)) {
          try {
            schedulePost(scheduling, args.id);
          } catch (error) {
            translate(error);
          }
          return mustGetPost(db, args.id);
        }
        if (updated.status === 'scheduled' && (args.body !== undefined || args.media !== undefined)) syncNativeContent(scheduling, args.id);
        return updated;
      })();
      changed(post);
      return post;
    },

    'posts.duplicate': ({ id }) => {
      const copyId = crypto.randomUUID();
      db.transaction(() => {
        const source = mustGetPost(db, id);
        const project = mustGetProject(db, source.projectId);
        insertPost(db, {
          id: copyId,
          projectId: source.projectId,
          body: source.body,
          firstComment: source.firstComment,
          notes: source.notes,
          labels: source.labels,
          // A copy is a new draft: it must not go out at the same moment as the original.
          scheduledAt: null,
          timezone: project.timezone,
          autoDeleteAfterMs: source.autoDeleteAfterMs,
          now: clock.now(),
        });
        replaceTargets(
          db,
          copyId,
          source.targets.map((t) => ({
            accountId: t.accountId,
            bodyOverride: t.bodyOverride,
            mediaOverride: t.mediaOverride?.map((m) => m.mediaId) ?? null,
          })),
          () => crypto.randomUUID(),
        );
        replacePostMedia(
          db,
          copyId,
          source.media.map((m) => m.mediaId),
        );
      })();
      const copy = mustGetPost(db, copyId);
      changed(copy);
      return copy;
    },

    'posts.delete': ({ id }) => {
      const post = db.transaction(() => {
        const found = mustGetPost(db, id);
        if (isPublishing(db, id)) {
          throw new DomainError('conflict', 'The post is being published right now; try again in a moment.', {
            reason: 'post_publishing',
          });
        }
        // The network's scheduler would still publish it: it must be taken back (unscheduled) first.
        if (db.prepare(`SELECT 1 FROM post_targets WHERE post_id = ? AND state = 'native_scheduled'`).get(id)) {
          throw new DomainError('conflict', 'The post is scheduled on the network; unschedule it first.', { reason: 'post_native_scheduled' });
        }
        deletePost(db, id);
        return found;
      })();
      emit('posts.changed', { projectId: post.projectId, postId: post.id, revision: null });
      return { id };
    },

    'posts.schedule': ({ id, revision }) => {
      const outcome = db.transaction(() => {
        const post = mustGetPost(db, id);
        if (post.revision !== revision) throw staleRevision(id);
        if (post.status === 'scheduled') return { post, problems: postProblems(post, clock.now(), deleteWindowOf), scheduled: true };
        if (post.status !== 'draft' && post.status !== 'failed') {
          throw new DomainError('validation', `A ${post.status} post cannot be scheduled again; duplicate it instead.`, {
            reason: 'post_not_editable',
          });
        }
        const problems = postProblems(post, clock.now(), deleteWindowOf);
        if (blocksScheduling(problems)) return { post, problems, scheduled: false };
        if (!updatePostIfRevision(db, id, revision, { status: 'scheduled' }, clock.now())) throw staleRevision(id);
        setOpenTargetsState(db, id, 'scheduled');
        try {
          schedulePost(scheduling, id);
        } catch (error) {
          translate(error);
        }
        return { post: mustGetPost(db, id), problems, scheduled: true };
      })();
      if (outcome.scheduled) changed(outcome.post);
      return outcome;
    },

    'posts.unschedule': ({ id, revision }) => {
      const post = db.transaction(() => {
        const found = mustGetPost(db, id);
        if (found.revision !== revision) throw staleRevision(id);
        if (found.status !== 'scheduled') return found;
        if (isPublishing(db, id)) {
          throw new DomainError('conflict', 'The post is being published right now; try again in a moment.', {
            reason: 'post_publishing',
          });
        }
        cancelPost(scheduling, id);
        if (!updatePostIfRevision(db, id, revision, { status: 'draft' }, clock.now())) throw staleRevision(id);
        setOpenTargetsState(db, id, 'pending');
        return mustGetPost(db, id);
      })();
      changed(post);
      return post;
    },

    'hashtags.list': ({ projectId }) => {
      mustGetProject(db, projectId);
      return listHashtagSets(db, projectId);
    },

    'hashtags.save': (args) => {
      mustGetProject(db, args.projectId);
      const id = args.id ?? crypto.randomUUID();
      if (args.id !== undefined && getHashtagSet(db, args.id)?.projectId !== args.projectId) {
        throw new DomainError('not_found', `There is no hashtag set with id ${args.id}.`, { reason: 'hashtag_set_missing' });
      }
      upsertHashtagSet(db, { id, projectId: args.projectId, name: normaliseSetName(args.name), tags: normaliseTags(args.tags) }, clock.now());
      return getHashtagSet(db, id) as NonNullable<ReturnType<typeof getHashtagSet>>;
    },

    'hashtags.delete': ({ id }) => {
      if (!deleteHashtagSet(db, id)) {
        throw new DomainError('not_found', `There is no hashtag set with id ${id}.`, { reason: 'hashtag_set_missing' });
      }
      return { id };
    },

    'snippets.list': ({ projectId }) => {
      mustGetProject(db, projectId);
      return listSnippets(db, projectId);
    },

    'snippets.save': (args) => {
      mustGetProject(db, args.projectId);
      const id = args.id ?? crypto.randomUUID();
      if (args.id !== undefined && getSnippet(db, args.id)?.projectId !== args.projectId) {
        throw new DomainError('not_found', `There is no snippet with id ${args.id}.`, { reason: 'snippet_missing' });
      }
      if (args.body.trim() === '') {
        throw new DomainError('validation', 'A snippet needs some text.', { field: 'body', reason: 'snippet_empty' });
      }
      upsertSnippet(db, { id, projectId: args.projectId, name: normaliseSetName(args.name), body: args.body }, clock.now());
      return getSnippet(db, id) as NonNullable<ReturnType<typeof getSnippet>>;
    },

    'snippets.delete': ({ id }) => {
      if (!deleteSnippet(db, id)) throw new DomainError('not_found', `There is no snippet with id ${id}.`, { reason: 'snippet_missing' });
      return { id };
    },
  };
}
