import type { HandlersOf, calendarRequests } from '../../core/contract';
import { expandRecurrence, recurrenceProblem, type Recurrence } from '../../core/calendar/recurrence';
import { DomainError } from '../../core/errors';
import { SCHEDULE_LEAD_MS } from '../../core/posts/readiness';
import { mustGetPost } from '../posts/post-rules';
import { createPostService } from '../posts/post-service';
import { setApproval, setRecurrence, setSeries } from '../posts/posts-repo';
import type { Services } from '../services-types';
import { getEntries, listCalendarAccounts, listEntriesInRange, listLabels, listUnscheduled, pendingSeriesCopies } from './calendar-repo';
import { createPlacement } from './placement';

type CalendarHandlers = Pick<
  HandlersOf<typeof calendarRequests>,
  'calendar.range' | 'calendar.unscheduled' | 'calendar.facets' | 'calendar.move' | 'calendar.setApproval' | 'calendar.repeat'
>;

/** The calendar itself: entries of a range, moves, approval and repeating posts (import, export and the pack are apart). */
export function calendarHandlers(services: Services): CalendarHandlers {
  const { db, clock, emit } = services;
  const posts = createPostService(services);
  const placement = createPlacement(services, posts);

  return {
    'calendar.range': ({ projectId, from, to, search }) => ({ entries: listEntriesInRange(db, { projectId, from, to, search }) }),

    'calendar.unscheduled': ({ projectId, search }) => ({ entries: listUnscheduled(db, projectId, search) }),

    'calendar.facets': ({ projectId }) => ({ accounts: listCalendarAccounts(db, projectId), labels: listLabels(db, projectId) }),

    'calendar.move': ({ id, revision, at, schedule }) => placement.moveTo(id, revision, at, schedule ?? false),

    'calendar.setApproval': ({ ids, approval }) => {
      const updated = db.transaction(() => setApproval(db, ids, approval, clock.now()))();
      const entries = getEntries(db, updated);
      for (const entry of entries) emit('posts.changed', { projectId: entry.projectId, postId: entry.id, revision: entry.revision });
      return { entries };
    },

    'calendar.repeat': ({ id, rule }) => {
      const created = db.transaction(() => {
        const origin = mustGetPost(db, id);
        if (origin.scheduledAt === null || origin.local === null) {
          throw new DomainError('validation', 'Give the post a time before making it repeat.', { reason: 'recurrence_needs_time' });
        }
        // Copies of an earlier rule that have not gone out make way for the new rule's.
        for (const copyId of pendingSeriesCopies(db, id)) posts.remove(copyId);
        if (rule === null) {
          setRecurrence(db, id, null);
          return [];
        }
        const clean: Recurrence = { every: rule.every, unit: rule.unit };
        if (rule.until !== undefined) clean.until = rule.until;
        if (rule.count !== undefined) clean.count = rule.count;
        const problem = recurrenceProblem(clean, origin.local);
        if (problem) throw new DomainError('validation', `The repeat rule cannot be used (${problem}).`, { field: 'rule', reason: problem });
        setRecurrence(db, id, JSON.stringify(clean));
        const earliest = clock.now() + SCHEDULE_LEAD_MS;
        const ids: string[] = [];
        for (const local of expandRecurrence(clean, origin.local).slice(1)) {
          const copy = posts.duplicate(id);
          setSeries(db, copy.id, id);
          const placed = posts.update({ id: copy.id, revision: copy.revision, local, labels: origin.labels, notes: origin.notes, firstComment: origin.firstComment });
          if (placed.scheduledAt !== null && placed.scheduledAt < earliest) {
            posts.remove(copy.id);
            continue;
          }
          if (origin.status === 'scheduled') posts.schedule(copy.id, placed.revision);
          ids.push(copy.id);
        }
        return ids;
      })();
      return { entries: getEntries(db, [id, ...created]) };
    },
  };
}
