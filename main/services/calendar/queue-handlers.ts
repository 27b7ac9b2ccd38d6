import type { HandlersOf, queueRequests } from '../../core/contract';
import { freeSlots, normaliseSlots } from '../../core/calendar/slots';
import { DomainError } from '../../core/errors';
import { SCHEDULE_LEAD_MS } from '../../core/posts/readiness';
import { toLocal } from '../../core/posts/time';
import { mustGetPost } from '../posts/post-rules';
import { createPostService } from '../posts/post-service';
import { mustGetProject } from '../projects/project-rules';
import type { Services } from '../services-types';
import { busyTimes, effectiveQueues, getProjectQueue, getQueues, listCalendarAccounts, saveProjectQueue, saveQueue } from './calendar-repo';
import { createPlacement } from './placement';

/** The posting queue: weekly slots for the project and per account, and a post placed in the next free one. */
export function queueHandlers(services: Services): HandlersOf<typeof queueRequests> {
  const { db, clock, emit } = services;
  const posts = createPostService(services);
  const placement = createPlacement(services, posts);

  return {
    'queue.get': ({ projectId }) => {
      mustGetProject(db, projectId);
      const accounts = listCalendarAccounts(db, projectId);
      return { project: getProjectQueue(db, projectId), queues: getQueues(db, accounts.map((a) => a.id)) };
    },

    'queue.save': ({ accountId, slots, minSpacingMinutes }) => {
      const account = listCalendarAccounts(db, undefined).find((a) => a.id === accountId);
      if (!account) throw new DomainError('not_found', `There is no account with id ${accountId}.`, { reason: 'account_missing' });
      const clean = normaliseSlots(slots);
      db.transaction(() => saveQueue(db, accountId, clean, minSpacingMinutes))();
      emit('queue.changed', { projectId: account.projectId, accountId });
      return { accountId, slots: clean, minSpacingMinutes };
    },

    'queue.saveProject': ({ projectId, slots, minSpacingMinutes }) => {
      mustGetProject(db, projectId);
      const clean = normaliseSlots(slots);
      db.transaction(() => saveProjectQueue(db, projectId, clean, minSpacingMinutes))();
      emit('queue.changed', { projectId, accountId: null });
      return { slots: clean, minSpacingMinutes };
    },

    'queue.add': ({ id, revision }) => {
      const post = mustGetPost(db, id);
      if (post.targets.length === 0) {
        throw new DomainError('validation', 'Choose the accounts this post goes to first.', { reason: 'queue_no_targets' });
      }
      const project = mustGetProject(db, post.projectId);
      const at = placement.slotFor(
        post.targets.map((t) => t.accountId),
        project,
        id,
      );
      return placement.moveTo(id, revision, at, true);
    },

    'queue.restore': ({ id, revision, at, scheduled }) =>
      db.transaction(() => {
        let post = mustGetPost(db, id);
        const zone = mustGetProject(db, post.projectId).timezone;
        // Unscheduled first, so the time change below moves no jobs it would then cancel.
        if (post.status === 'scheduled' && (!scheduled || at === null)) post = posts.unschedule(id, revision);
        post = posts.update({ id, revision: post.revision, local: at === null ? null : toLocal(at, zone) });
        if (scheduled && at !== null && post.status !== 'scheduled') post = posts.schedule(id, post.revision).post;
        return post;
      })(),

    'queue.free': ({ projectId, from, to }) => {
      const project = mustGetProject(db, projectId);
      const accounts = listCalendarAccounts(db, projectId);
      const start = Math.max(from, clock.now() + SCHEDULE_LEAD_MS);
      if (start >= to) return { slots: [] };
      const queues = effectiveQueues(
        db,
        projectId,
        accounts.map((a) => a.id),
      ).map((q) => ({ ...q, busy: busyTimes(db, q.accountId, start - q.minSpacingMinutes * 60_000, to + q.minSpacingMinutes * 60_000) }));
      return { slots: freeSlots(queues, start, to, project.timezone) };
    },
  };
}
