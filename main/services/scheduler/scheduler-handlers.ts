import type { HandlersOf, Post, publishingRequests } from '../../core/contract';
import { DomainError } from '../../core/errors';
import { blocksScheduling } from '../../core/posts/readiness';
import { fromLocal } from '../../core/posts/time';
import { deleteWindows, postProblems } from '../posts/post-handlers';
import { getPost, isPublishing } from '../posts/posts-repo';
import { getProject } from '../projects/projects-repo';
import type { Services } from '../services-types';
import type { Db } from '../store/database';
import {
  confirmPublished,
  listNeedsAttention,
  postHistory,
  publishPostNow,
  reschedulePost,
  SchedulingError,
  type SchedulingDeps,
} from './scheduling';

/** Problems that do not stop "publish now": it has no time of its own to check. */
const TIME_PROBLEMS = new Set(['no_time', 'time_in_past']);

const EXCERPT_LENGTH = 140;

function mustGetPost(db: Db, id: string): Post {
  const post = getPost(db, id);
  if (!post) throw new DomainError('not_found', `There is no post with id ${id}.`, { reason: 'post_missing' });
  return post;
}

/** The engine's refusals as the boundary's errors; the UI words them by reason (schedule_<code>). */
export function translateSchedulingError(error: unknown): never {
  if (error instanceof SchedulingError) {
    throw new DomainError(error.code === 'not_found' ? 'not_found' : 'conflict', error.message, { reason: `schedule_${error.code}` });
  }
  throw error;
}

function bumpRevision(db: Db, postId: string, now: number): void {
  // A composer open on the post must not save its old time over the new one: its revision goes stale.
  db.prepare(`UPDATE posts SET revision = revision + 1, updated_at = ? WHERE id = ?`).run(now, postId);
}

/** "Publish now", reschedule, "I checked: it is published", a post's history and the needs-attention list. */
export function schedulerHandlers(services: Services): HandlersOf<typeof publishingRequests> {
  const { db, clock, emit } = services;
  const deps: SchedulingDeps = { db, clock, wake: () => services.scheduler.wake() };
  const changed = (post: Post) => emit('posts.changed', { projectId: post.projectId, postId: post.id, revision: post.revision });

  return {
    'publishing.publishNow': ({ id }) => {
      const post = db.transaction(() => {
        const found = mustGetPost(db, id);
        if (found.status === 'published') {
          throw new DomainError('validation', 'Every account of this post already has it.', { reason: 'post_already_published' });
        }
        if (isPublishing(db, id)) {
          throw new DomainError('conflict', 'The post is being published right now.', { reason: 'post_publishing' });
        }
        if (found.status === 'draft') {
          const problems = postProblems(found, clock.now(), deleteWindows(services)).filter((p) => !TIME_PROBLEMS.has(p.code));
          if (blocksScheduling(problems)) {
            throw new DomainError('validation', 'This post cannot be published until its problems are fixed.', {
              reason: 'post_not_ready',
              details: { problems: problems.length },
            });
          }
        }
        try {
          publishPostNow(deps, id);
        } catch (error) {
          translateSchedulingError(error);
        }
        bumpRevision(db, id, clock.now());
        return mustGetPost(db, id);
      })();
      changed(post);
      return post;
    },

    'publishing.history': ({ id }) => {
      mustGetPost(db, id);
      return postHistory(db, id).map((line) => ({
        id: line.id,
        at: line.at,
        event: line.event,
        jobKind: line.jobKind,
        targetId: line.targetId,
        accountId: line.accountId,
        network: line.network,
        handle: line.handle,
        attempt: line.attempt,
        message: line.message,
        reason: line.reason,
        url: line.url,
        nextAt: line.nextAt,
      }));
    },

    'publishing.reschedule': ({ id, local, at }) => {
      const post = db.transaction(() => {
        const found = mustGetPost(db, id);
        if (found.status === 'draft' || found.status === 'published') {
          throw new DomainError('validation', `A ${found.status} post has no schedule to move.`, { reason: 'post_not_scheduled' });
        }
        let instant = at;
        if (local !== undefined) {
          const project = getProject(db, found.projectId);
          instant = fromLocal(local, project?.timezone ?? found.timezone) ?? undefined;
          if (instant === undefined) {
            throw new DomainError('validation', `${local} is not a date and time on the calendar.`, { field: 'local', reason: 'time_invalid' });
          }
        }
        if (instant === undefined || instant < clock.now()) {
          throw new DomainError('validation', 'Choose a time that has not passed yet.', { field: 'local', reason: 'time_in_past' });
        }
        try {
          reschedulePost(deps, id, instant);
        } catch (error) {
          translateSchedulingError(error);
        }
        bumpRevision(db, id, clock.now());
        return mustGetPost(db, id);
      })();
      changed(post);
      return post;
    },

    'publishing.confirmPublished': ({ targetId, url }) => {
      const postId = (db.prepare(`SELECT post_id AS postId FROM post_targets WHERE id = ?`).get(targetId) as { postId: string } | undefined)
        ?.postId;
      if (!postId) throw new DomainError('not_found', `There is no post target with id ${targetId}.`, { reason: 'target_missing' });
      try {
        confirmPublished(deps, targetId, url ?? null);
      } catch (error) {
        translateSchedulingError(error);
      }
      const post = mustGetPost(db, postId);
      changed(post);
      return post;
    },

    'publishing.attention': ({ projectId }) =>
      listNeedsAttention(db, projectId).map(({ body, ...item }) => ({
        ...item,
        excerpt: body.length > EXCERPT_LENGTH ? `${body.slice(0, EXCERPT_LENGTH - 1)}…` : body,
      })),
  };
}
