import type { Reply } from '../../core/contract';
import type { PostProblem } from '../../core/contract/posts';
import { nextFreeSlot, type AccountQueue } from '../../core/calendar/slots';
import { DomainError } from '../../core/errors';
import { isEditable } from '../../core/posts/editable';
import { SCHEDULE_LEAD_MS } from '../../core/posts/readiness';
import { toLocal } from '../../core/posts/time';
import { deleteWindows, postProblems } from '../posts/post-rules';
import type { PostService } from '../posts/post-service';
import { getPostRow } from '../posts/posts-repo';
import { mustGetProject } from '../projects/project-rules';
import type { Services } from '../services-types';
import { busyTimes, effectiveQueues, getEntry } from './calendar-repo';
import { relayKinds } from '../relay/relay-repo';

/** How far ahead a queue looks for a free slot. */
const HORIZON_MS = 92 * 86_400_000;

export interface Placement {
  /** Sets the post's time through the composer's rules, then schedules it when asked. */
  moveTo(id: string, revision: number, at: number, schedule: boolean): Reply<'calendar.move'>;
  /** The earliest free queue slot for a post of `project` going to `accountIds`, or a refusal saying why there is none. */
  slotFor(accountIds: readonly string[], project: { id: string; timezone: string }, exceptPostId: string): number;
}

/** Putting posts in time: calendar moves, the queue's next free slot, evergreen refills. */
export function createPlacement(services: Pick<Services, 'db' | 'clock' | 'connectors'>, posts: PostService): Placement {
  const { db, clock } = services;

  const guardMove = (id: string, at: number) => {
    if (at % 60_000 !== 0) throw new DomainError('validation', 'A post’s time is a whole minute.', { field: 'at', reason: 'time_not_minute' });
    if (at < clock.now() + SCHEDULE_LEAD_MS) {
      throw new DomainError('validation', 'A post cannot be moved into the past.', { field: 'at', reason: 'move_into_past' });
    }
    const row = getPostRow(db, id);
    if (!row) throw new DomainError('not_found', `There is no post with id ${id}.`, { reason: 'post_missing' });
    if (!isEditable(row.status)) {
      throw new DomainError('validation', `A ${row.status} post keeps its time.`, { reason: 'post_not_movable' });
    }
    return row;
  };

  const queuesFor = (projectId: string, accountIds: readonly string[], after: number, exceptPostId: string): AccountQueue[] =>
    effectiveQueues(db, projectId, accountIds).map((queue) => {
      const spacing = queue.minSpacingMinutes * 60_000;
      return { ...queue, busy: busyTimes(db, queue.accountId, after - spacing - 1, after + HORIZON_MS + spacing + 1, exceptPostId) };
    });

  return {
    moveTo(id, revision, at, schedule) {
      const row = guardMove(id, at);
      const zone = mustGetProject(db, row.project_id).timezone;
      let post = posts.update({ id, revision, local: toLocal(at, zone) });
      // The composer takes a scheduled post back to draft when the new time breaks a check: say which.
      let problems: PostProblem[] =
        row.status === 'scheduled' && post.status === 'draft' ? postProblems(post, clock.now(), deleteWindows(services), [], relayKinds(services)).filter((p) => p.severity === 'error') : [];
      if (schedule && (post.status === 'draft' || post.status === 'failed')) {
        const outcome = posts.schedule(id, post.revision);
        post = outcome.post;
        problems = outcome.problems;
      }
      const entry = getEntry(db, id);
      if (!entry) throw new DomainError('not_found', `There is no post with id ${id}.`, { reason: 'post_missing' });
      return { entry, problems, scheduled: post.status === 'scheduled' };
    },

    slotFor(accountIds, project, exceptPostId) {
      const after = clock.now() + SCHEDULE_LEAD_MS;
      const queues = queuesFor(project.id, accountIds, after, exceptPostId);
      if (queues.every((q) => q.slots.length === 0)) {
        throw new DomainError('validation', 'Neither the project nor the post’s accounts have queue slots yet.', { reason: 'queue_no_slots' });
      }
      const at = nextFreeSlot({ queues, zone: project.timezone, after });
      if (at === null) throw new DomainError('conflict', 'Every queue slot of the next three months is taken.', { reason: 'queue_full' });
      return at;
    },
  };
}
