import type { HandlersOf, queueRequests } from '../../core/contract';
import { freeSlots, normaliseSlots } from '../../core/calendar/slots';
import { DomainError } from '../../core/errors';
import { SCHEDULE_LEAD_MS } from '../../core/posts/readiness';
import { mustGetPost } from '../posts/post-rules';
import { createPostService } from '../posts/post-service';
import { mustGetProject } from '../projects/project-rules';
import type { Services } from '../services-types';
import { busyTimes, getQueues, listCalendarAccounts, saveQueue } from './calendar-repo';
import { createPlacement } from './placement';

/** The posting queue: weekly slots per account, and a post placed in the next free one. */
export function queueHandlers(services: Services): HandlersOf<typeof queueRequests> {
  const { db, clock, emit } = services;
  const placement = createPlacement(services, createPostService(services));

  return {
    'queue.get': ({ projectId }) => {
      mustGetProject(db, projectId);
      const accounts = listCalendarAccounts(db, projectId);
      return { queues: getQueues(db, accounts.map((a) => a.id)) };
    },

    'queue.save': ({ accountId, slots, minSpacingMinutes }) => {
      const account = listCalendarAccounts(db, undefined).find((a) => a.id === accountId);
      if (!account) throw new DomainError('not_found', `There is no account with id ${accountId}.`, { reason: 'account_missing' });
      const clean = normaliseSlots(slots);
      db.transaction(() => saveQueue(db, accountId, clean, minSpacingMinutes))();
      emit('queue.changed', { projectId: account.projectId, accountId });
      return { accountId, slots: clean, minSpacingMinutes };
    },

    'queue.add': ({ id, revision }) => {
      const post = mustGetPost(db, id);
      if (post.targets.length === 0) {
        throw new DomainError('validation', 'Choose the accounts this post goes to first.', { reason: 'queue_no_targets' });
      }
      const zone = mustGetProject(db, post.projectId).timezone;
      const at = placement.slotFor(
        post.targets.map((t) => t.accountId),
        zone,
        id,
      );
      return placement.moveTo(id, revision, at, true);
    },

    'queue.free': ({ projectId, from, to }) => {
      const project = mustGetProject(db, projectId);
      const accounts = listCalendarAccounts(db, projectId);
      const start = Math.max(from, clock.now() + SCHEDULE_LEAD_MS);
      if (start >= to) return { slots: [] };
      const queues = getQueues(
        db,
        accounts.map((a) => a.id),
      ).map((q) => ({ ...q, busy: busyTimes(db, q.accountId, start - q.minSpacingMinutes * 60_000, to + q.minSpacingMinutes * 60_000) }));
      return { slots: freeSlots(queues, start, to, project.timezone) };
    },
  };
}
