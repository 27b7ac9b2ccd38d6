import type { ParsedArgs, Post, PostProblem, PostSummary, TargetInput } from '../../core/contract';
import { DomainError } from '../../core/errors';
import { isEditable } from '../../core/posts/editable';
import { normaliseLabels } from '../../core/posts/fields';
import { blocksScheduling } from '../../core/posts/readiness';
import { mustGetProject } from '../projects/project-rules';
import { cancelPost, schedulePost, syncNativeContent, translated } from '../scheduler/scheduling';
import type { Services } from '../services-types';
import type { Db } from '../store/database';
import {
  deletePost,
  existingMediaIds,
  getAccounts,
  getPostRow,
  hasNativeScheduledTarget,
  insertPost,
  listPostSummaries,
  readNetworkOptions,
  reopenApproval,
  replacePostMedia,
  replaceTargets,
  setOpenTargetsState,
  updatePostIfRevision,
  type PostChanges,
  type TargetWrite,
} from './posts-repo';
import { deleteWindows, instantOf, mustGetPost, mustReadPost, postProblems, refuseWhilePublishing, staleRevision } from './post-rules';
import { notTakenBack, takeBackBeforeDelete } from './take-back';
import { relayKinds } from '../relay/relay-repo';

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

export interface ScheduleOutcome {
  post: Post;
  problems: PostProblem[];
  scheduled: boolean;
}

/** The composer's changes to a post, synchronous so the calendar can run several in one transaction. */
export interface PostService {
  create(args: ParsedArgs<'posts.create'>): Post;
  list(args: ParsedArgs<'posts.list'>): PostSummary[];
  update(args: ParsedArgs<'posts.update'>): Post;
  duplicate(id: string): Post;
  /** Async only for a post handed to a network's scheduler: its copy is taken back first. */
  remove(id: string): Promise<void>;
  schedule(id: string, revision: number): ScheduleOutcome;
  unschedule(id: string, revision: number): Post;
}

/**
 * The post rules in one place: who may change what, checks against the library and the accounts,
 * and the publish jobs that follow a scheduled post. Each change is announced as posts.changed.
 */
export function createPostService(services: Pick<Services, 'db' | 'clock' | 'emit' | 'scheduler' | 'connectors'>): PostService {
  const { db, clock, emit } = services;
  const deleteWindowOf = deleteWindows(services);
  const relayOf = relayKinds(services);
  const changed = (post: { projectId: string; id: string; revision: number }) =>
    emit('posts.changed', { projectId: post.projectId, postId: post.id, revision: post.revision });
  // Every change to a scheduled post's time or targets moves its publish jobs in the same transaction.
  const scheduling = { db, clock, wake: () => services.scheduler.wake() };

  return {
    create(args) {
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
          networkOptions: args.networkOptions ?? {},
          now: clock.now(),
        });
        replaceTargets(db, id, targets, () => crypto.randomUUID());
        replacePostMedia(db, id, media);
      })();
      const post = mustGetPost(db, id);
      changed(post);
      return post;
    },

    list({ projectId, statuses, limit }) {
      mustGetProject(db, projectId);
      return listPostSummaries(db, projectId, statuses ?? ['draft'], limit ?? 200);
    },

    update(args) {
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
          args.autoDeleteAfterMs !== undefined ||
          args.networkOptions !== undefined;
        if (touchesContent && !isEditable(row.status)) {
          throw new DomainError('validation', `A ${row.status} post can no longer be edited; duplicate it instead.`, {
            reason: 'post_not_editable',
          });
        }
        if (touchesContent) refuseWhilePublishing(db, args.id);
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
        if (args.networkOptions !== undefined) changes.networkOptions = args.networkOptions;
        const targets = args.targets === undefined ? undefined : checkedTargets(db, row.project_id, args.targets);
        if (args.media !== undefined) checkMediaList(db, args.media);
        if (!updatePostIfRevision(db, args.id, args.revision, changes, clock.now())) throw staleRevision(args.id);
        if (targets !== undefined) replaceTargets(db, args.id, targets, () => crypto.randomUUID());
        if (args.media !== undefined) replacePostMedia(db, args.id, args.media);
        const wordsOrImagesChanged =
          (args.body !== undefined && args.body !== row.body) ||
          (args.firstComment !== undefined && args.firstComment !== row.first_comment) ||
          args.targets !== undefined ||
          args.media !== undefined ||
          // The ad mark and the source line show under the post as much as its words do.
          (args.networkOptions !== undefined && JSON.stringify(args.networkOptions) !== JSON.stringify(readNetworkOptions(db, row.network_options, row.id)));
        if (wordsOrImagesChanged) reopenApproval(db, args.id);

        // A scheduled post always passes the checks: an edit that breaks them takes it back to draft.
        const { post: updated, unreadable } = mustReadPost(db, args.id);
        // The due time passing while the user edits is the scheduler's business, not a reason to unschedule.
        const problems = postProblems(updated, clock.now(), deleteWindowOf, unreadable, relayOf).filter((p) => args.local !== undefined || p.code !== 'time_in_past');
        if (updated.status === 'scheduled' && blocksScheduling(problems)) {
          cancelPost(scheduling, args.id);
          setOpenTargetsState(db, args.id, 'pending');
          return mustGetPost(db, args.id);
        }
        // A new time or new accounts: the jobs follow (kept jobs keep their idempotency keys).
        if (updated.status === 'scheduled' && (args.local !== undefined || targets !== undefined)) {
          translated(() => schedulePost(scheduling, args.id));
          return mustGetPost(db, args.id);
        }
        // A copy handed to the network is replaced with the new content, VK's options included (wall.edit carries them).
        if (updated.status === 'scheduled' && (args.body !== undefined || args.media !== undefined || args.networkOptions !== undefined)) {
          syncNativeContent(scheduling, args.id);
        }
        return updated;
      })();
      changed(post);
      return post;
    },

    duplicate(id) {
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
          networkOptions: source.networkOptions,
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

    async remove(id) {
      // The network's scheduler would still publish it: its copy is taken back first, and the post kept when that fails.
      if (hasNativeScheduledTarget(db, id)) {
        try {
          await takeBackBeforeDelete(services, id);
        } finally {
          const kept = getPostRow(db, id);
          if (kept) emit('posts.changed', { projectId: kept.project_id, postId: id, revision: kept.revision });
        }
      }
      const post = db.transaction(() => {
        const found = mustGetPost(db, id);
        refuseWhilePublishing(db, id);
        // Handed over again meanwhile (rescheduled in another window): never delete what a network still holds.
        if (hasNativeScheduledTarget(db, id)) throw notTakenBack(db, id);
        deletePost(db, id);
        return found;
      })();
      emit('posts.changed', { projectId: post.projectId, postId: post.id, revision: null });
    },

    schedule(id, revision) {
      const outcome = db.transaction((): ScheduleOutcome => {
        const { post, unreadable } = mustReadPost(db, id);
        if (post.revision !== revision) throw staleRevision(id);
        if (post.status === 'scheduled') return { post, problems: postProblems(post, clock.now(), deleteWindowOf, unreadable, relayOf), scheduled: true };
        if (post.status !== 'draft' && post.status !== 'failed') {
          throw new DomainError('validation', `A ${post.status} post cannot be scheduled again; duplicate it instead.`, {
            reason: 'post_not_editable',
          });
        }
        const problems = postProblems(post, clock.now(), deleteWindowOf, unreadable, relayOf);
        if (blocksScheduling(problems)) return { post, problems, scheduled: false };
        if (!updatePostIfRevision(db, id, revision, { status: 'scheduled' }, clock.now())) throw staleRevision(id);
        setOpenTargetsState(db, id, 'scheduled');
        translated(() => schedulePost(scheduling, id));
        return { post: mustGetPost(db, id), problems, scheduled: true };
      })();
      if (outcome.scheduled) changed(outcome.post);
      return outcome;
    },

    unschedule(id, revision) {
      const post = db.transaction(() => {
        const found = mustGetPost(db, id);
        if (found.revision !== revision) throw staleRevision(id);
        if (found.status !== 'scheduled') return found;
        refuseWhilePublishing(db, id);
        cancelPost(scheduling, id);
        if (!updatePostIfRevision(db, id, revision, { status: 'draft' }, clock.now())) throw staleRevision(id);
        setOpenTargetsState(db, id, 'pending');
        return mustGetPost(db, id);
      })();
      changed(post);
      return post;
    },
  };
}
