import { readFileSync } from 'node:fs';
import type { CalendarEntry, HandlersOf, PackPost, Post, PostProblem, Reply, calendarRequests, queueRequests, evergreenRequests } from '../../core/contract';
import { checkImport, exportCsv } from '../../core/calendar/csv';
import { buildIcs } from '../../core/calendar/ics';
import { expandRecurrence, recurrenceProblem, type Recurrence } from '../../core/calendar/recurrence';
import { nextEvergreen, nextFreeSlot, freeSlots, normaliseSlots, type AccountQueue } from '../../core/calendar/slots';
import { DomainError } from '../../core/errors';
import type { NetworkId } from '../../core/networks/ids';
import { ruleOptionsFor, SCHEDULE_LEAD_MS } from '../../core/posts/readiness';
import { toLocal } from '../../core/posts/time';
import { deleteWindows, postHandlers, postProblems } from '../posts/post-handlers';
import { getPost, getPostRow } from '../posts/posts-repo';
import { getProject } from '../projects/projects-repo';
import type { Services } from '../services-types';
import type { Db } from '../store/database';
import {
  addEvergreen,
  busyTimes,
  evergreenInterval,
  getEntries,
  getEntry,
  getQueues,
  listCalendarAccounts,
  listEntriesInRange,
  listEvergreen,
  listForExport,
  listLabels,
  listUnscheduled,
  markEvergreenQueued,
  mediaFiles,
  pendingSeriesCopies,
  removeEvergreen,
  saveQueue,
  setApproval,
  setEvergreenInterval,
  setRecurrence,
  setSeries,
} from './calendar-repo';

const networkNames: Record<NetworkId, string> = {
  telegram: 'Telegram',
  mastodon: 'Mastodon',
  bluesky: 'Bluesky',
  vk: 'VK',
  linkedin: 'LinkedIn',
  x: 'X',
  discord: 'Discord',
  facebook: 'Facebook',
  instagram: 'Instagram',
  threads: 'Threads',
  pinterest: 'Pinterest',
};

/** Statuses whose time may still change: nothing of them has gone out. */
const MOVABLE = new Set(['draft', 'scheduled', 'failed']);

function mustGetProject(db: Db, projectId: string) {
  const project = getProject(db, projectId);
  if (!project) throw new DomainError('not_found', `There is no project with id ${projectId}.`, { reason: 'project_missing' });
  return project;
}

function mustGetEntry(db: Db, id: string): CalendarEntry {
  const entry = getEntry(db, id);
  if (!entry) throw new DomainError('not_found', `There is no post with id ${id}.`, { reason: 'post_missing' });
  return entry;
}

/**
 * The composer's handlers are synchronous today; the calendar calls them inside its own
 * transactions (import, series), so a handler turning async must fail loudly here, not half-write.
 */
function now<T>(value: T | Promise<T>): T {
  if (value instanceof Promise) throw new Error('A posts.* handler returned a promise inside a calendar transaction.');
  return value;
}

function fileStamp(at: number): string {
  return new Date(at).toISOString().slice(0, 10);
}

function slug(name: string): string {
  return (
    name
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .replace(/[^A-Za-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .toLowerCase() || 'plan'
  );
}

export function calendarHandlers(services: Services): HandlersOf<typeof calendarRequests & typeof queueRequests & typeof evergreenRequests> {
  const { db, clock, emit } = services;
  const posts = postHandlers(services);
  const changed = (entry: { projectId: string; id: string; revision?: number }) =>
    emit('posts.changed', { projectId: entry.projectId, postId: entry.id, revision: entry.revision ?? null });

  const guardMove = (id: string, at: number) => {
    if (at % 60_000 !== 0) throw new DomainError('validation', 'A post’s time is a whole minute.', { field: 'at', reason: 'time_not_minute' });
    if (at < clock.now() + SCHEDULE_LEAD_MS) {
      throw new DomainError('validation', 'A post cannot be moved into the past.', { field: 'at', reason: 'move_into_past' });
    }
    const row = getPostRow(db, id);
    if (!row) throw new DomainError('not_found', `There is no post with id ${id}.`, { reason: 'post_missing' });
    if (!MOVABLE.has(row.status)) {
      throw new DomainError('validation', `A ${row.status} post keeps its time.`, { reason: 'post_not_movable' });
    }
    return row;
  };

  /** Sets the time through the composer's update, then schedules through its schedule when asked. */
  const moveTo = (id: string, revision: number, at: number, schedule: boolean): Reply<'calendar.move'> => {
    const row = guardMove(id, at);
    const zone = mustGetProject(db, row.project_id).timezone;
    let post: Post = now(posts['posts.update']({ id, revision, local: toLocal(at, zone) }));
    // The composer takes a scheduled post back to draft when the new time breaks a check: say which.
    let problems: PostProblem[] = row.status === 'scheduled' && post.status === 'draft' ? postProblems(post, clock.now(), deleteWindows(services)).filter((p) => p.severity === 'error') : [];
    if (schedule && (post.status === 'draft' || post.status === 'failed')) {
      const outcome = now(posts['posts.schedule']({ id, revision: post.revision }));
      post = outcome.post;
      problems = outcome.problems;
    }
    return { entry: mustGetEntry(db, id), problems, scheduled: post.status === 'scheduled' };
  };

  const queuesFor = (accountIds: readonly string[], after: number, horizonMs: number, exceptPostId: string): AccountQueue[] =>
    getQueues(db, accountIds).map((queue) => {
      const spacing = queue.minSpacingMinutes * 60_000;
      return { ...queue, busy: busyTimes(db, queue.accountId, after - spacing - 1, after + horizonMs + spacing + 1, exceptPostId) };
    });

  const HORIZON_MS = 92 * 86_400_000;

  /** The earliest free slot for a post going to `accountIds`, or a refusal saying why there is none. */
  const slotFor = (accountIds: readonly string[], zone: string, exceptPostId: string): number => {
    const after = clock.now() + SCHEDULE_LEAD_MS;
    const queues = queuesFor(accountIds, after, HORIZON_MS, exceptPostId);
    if (queues.every((q) => q.slots.length === 0)) {
      throw new DomainError('validation', 'None of the post’s accounts has queue slots yet.', { reason: 'queue_no_slots' });
    }
    const at = nextFreeSlot({ queues, zone, after });
    if (at === null) throw new DomainError('conflict', 'Every queue slot of the next three months is taken.', { reason: 'queue_full' });
    return at;
  };

  return {
    'calendar.range': ({ projectId, from, to, search }) => ({ entries: listEntriesInRange(db, { projectId, from, to, search }) }),

    'calendar.unscheduled': ({ projectId, search }) => ({ entries: listUnscheduled(db, projectId, search) }),

    'calendar.facets': ({ projectId }) => ({ accounts: listCalendarAccounts(db, projectId), labels: listLabels(db, projectId) }),

    'calendar.move': ({ id, revision, at, schedule }) => moveTo(id, revision, at, schedule ?? false),

    'calendar.setApproval': ({ ids, approval }) => {
      const updated = db.transaction(() => setApproval(db, ids, approval, clock.now()))();
      const entries = getEntries(db, updated);
      for (const entry of entries) changed(entry);
      return { entries };
    },

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
      return { accountId, slots: clean, minSpacingMinutes };
    },

    'queue.add': ({ id, revision }) => {
      const post = getPost(db, id);
      if (!post) throw new DomainError('not_found', `There is no post with id ${id}.`, { reason: 'post_missing' });
      if (post.targets.length === 0) {
        throw new DomainError('validation', 'Choose the accounts this post goes to first.', { reason: 'queue_no_targets' });
      }
      const zone = mustGetProject(db, post.projectId).timezone;
      const at = slotFor(
        post.targets.map((t) => t.accountId),
        zone,
        id,
      );
      return moveTo(id, revision, at, true);
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

    'calendar.repeat': ({ id, rule }) => {
      const created = db.transaction(() => {
        const origin = getPost(db, id);
        if (!origin) throw new DomainError('not_found', `There is no post with id ${id}.`, { reason: 'post_missing' });
        if (origin.scheduledAt === null || origin.local === null) {
          throw new DomainError('validation', 'Give the post a time before making it repeat.', { reason: 'recurrence_needs_time' });
        }
        // Copies of an earlier rule that have not gone out make way for the new rule's.
        for (const copyId of pendingSeriesCopies(db, id)) now(posts['posts.delete']({ id: copyId }));
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
          const copy = now(posts['posts.duplicate']({ id }));
          setSeries(db, copy.id, id);
          const placed = now(posts['posts.update']({ id: copy.id, revision: copy.revision, local, labels: origin.labels, notes: origin.notes, firstComment: origin.firstComment }));
          if (placed.scheduledAt !== null && placed.scheduledAt < earliest) {
            now(posts['posts.delete']({ id: copy.id }));
            continue;
          }
          if (origin.status === 'scheduled') now(posts['posts.schedule']({ id: copy.id, revision: placed.revision }));
          ids.push(copy.id);
        }
        return ids;
      })();
      const entries = getEntries(db, [id, ...created]);
      return { entries };
    },

    'evergreen.get': ({ projectId }) => {
      mustGetProject(db, projectId);
      return { minIntervalDays: evergreenInterval(db, projectId), posts: listEvergreen(db, projectId) };
    },

    'evergreen.set': ({ id, evergreen }) => {
      const row = getPostRow(db, id);
      if (!row) throw new DomainError('not_found', `There is no post with id ${id}.`, { reason: 'post_missing' });
      if (evergreen) addEvergreen(db, id, row.project_id, clock.now());
      else removeEvergreen(db, id);
      changed({ projectId: row.project_id, id });
      return { id, evergreen };
    },

    'evergreen.configure': ({ projectId, minIntervalDays }) => {
      mustGetProject(db, projectId);
      setEvergreenInterval(db, projectId, minIntervalDays);
      return { minIntervalDays };
    },

    'evergreen.queue': ({ projectId, count }) => {
      const project = mustGetProject(db, projectId);
      const interval = evergreenInterval(db, projectId);
      const queued: string[] = [];
      let stoppedBy: Reply<'evergreen.queue'>['stoppedBy'] = 'done';
      db.transaction(() => {
        for (let i = 0; i < count; i++) {
          const pool = listEvergreen(db, projectId);
          if (pool.length === 0) {
            stoppedBy = 'pool_empty';
            return;
          }
          // Which post is next does not depend on the slot; whether it may repeat there does.
          const candidate = nextEvergreen(pool, Number.MAX_SAFE_INTEGER, interval);
          const source = candidate && getPost(db, candidate.postId);
          if (!candidate || !source || source.targets.length === 0) {
            stoppedBy = 'pool_empty';
            return;
          }
          let at: number;
          try {
            at = slotFor(
              source.targets.map((t) => t.accountId),
              project.timezone,
              '',
            );
          } catch (error) {
            if (error instanceof DomainError) {
              stoppedBy = 'no_slot';
              return;
            }
            throw error;
          }
          if (nextEvergreen([candidate], at, interval) === null) {
            stoppedBy = 'interval';
            return;
          }
          const copy = now(posts['posts.duplicate']({ id: source.id }));
          const placed = now(posts['posts.update']({ id: copy.id, revision: copy.revision, local: toLocal(at, project.timezone), labels: source.labels }));
          now(posts['posts.schedule']({ id: copy.id, revision: placed.revision }));
          markEvergreenQueued(db, source.id, at);
          queued.push(copy.id);
        }
      })();
      return { entries: getEntries(db, queued), stoppedBy };
    },

    'calendar.importCheck': ({ projectId, csv }) => {
      const project = mustGetProject(db, projectId);
      const check = checkImport(csv, { zone: project.timezone, now: clock.now(), accounts: importAccounts(db, projectId) });
      return {
        problem: check.problem,
        missingColumns: check.missingColumns,
        badRows: check.badRows,
        rows: check.rows.map((r) => ({ row: r.row, local: r.local, body: r.body, accountIds: r.accountIds, labels: r.labels, status: r.status, errors: r.errors })),
      };
    },

    'calendar.importCommit': ({ projectId, csv }) => {
      const project = mustGetProject(db, projectId);
      const check = checkImport(csv, { zone: project.timezone, now: clock.now(), accounts: importAccounts(db, projectId) });
      if (check.problem) {
        throw new DomainError('validation', `The file cannot be imported (${check.problem}).`, { reason: `import_${check.problem}` });
      }
      if (check.badRows.length > 0) {
        throw new DomainError('validation', `${check.badRows.length} row(s) have errors; nothing was imported.`, {
          reason: 'import_has_errors',
          details: { rows: check.badRows.length, first: check.badRows[0] as number },
        });
      }
      // One transaction: every row lands, or (should anything throw) none does.
      return db.transaction(() => {
        let scheduled = 0;
        for (const row of check.rows) {
          const post = now(
            posts['posts.create']({ projectId, body: row.body, targets: row.accountIds.map((accountId) => ({ accountId })), local: row.local }),
          );
          let revision = post.revision;
          if (row.labels.length || row.notes || row.firstComment) {
            revision = now(
              posts['posts.update']({ id: post.id, revision, labels: row.labels, notes: row.notes, firstComment: row.firstComment }),
            ).revision;
          }
          if (row.status === 'scheduled' && now(posts['posts.schedule']({ id: post.id, revision })).scheduled) scheduled++;
        }
        return { created: check.rows.length, scheduled };
      })();
    },

    'calendar.export': ({ projectId, from, to, format }) => {
      const project = projectId === undefined ? undefined : mustGetProject(db, projectId);
      const rows = listForExport(db, projectId, from, to);
      const base = `outpost-${slug(project?.name ?? 'all-projects')}-${fileStamp(clock.now())}`;
      if (format === 'csv') {
        const text = exportCsv(
          rows.map((r) => ({ ...r, accounts: r.accounts.map((a) => `${a.network}:${a.handle}`) })),
        );
        return { fileName: `${base}.csv`, mime: 'text/csv', text, count: rows.length };
      }
      if (format === 'json') {
        const posts = rows.map((r) => ({
          id: r.id,
          project: r.projectName,
          scheduledAt: r.scheduledAt === null ? null : new Date(r.scheduledAt).toISOString(),
          local: r.scheduledAt === null ? null : toLocal(r.scheduledAt, r.timezone),
          timezone: r.timezone,
          status: r.status,
          approval: r.approval,
          text: r.body,
          firstComment: r.firstComment,
          notes: r.notes,
          labels: r.labels,
          accounts: r.accounts,
        }));
        const text = `${JSON.stringify({ format: 'outpost-plan', version: 1, exportedAt: new Date(clock.now()).toISOString(), posts }, null, 2)}\n`;
        return { fileName: `${base}.json`, mime: 'application/json', text, count: rows.length };
      }
      const timed = rows.filter((r) => r.scheduledAt !== null);
      const text = buildIcs({
        name: project ? project.name : 'Outpost',
        timezone: project?.timezone ?? 'UTC',
        now: clock.now(),
        posts: timed.map((r) => ({
          id: r.id,
          scheduledAt: r.scheduledAt as number,
          body: r.body,
          networks: [...new Set(r.accounts.map((a) => networkNames[a.network]))],
          labels: r.labels,
          status: r.status,
          approval: r.approval,
          revision: r.revision,
          updatedAt: r.updatedAt,
          projectName: r.projectName,
        })),
      });
      return { fileName: `${base}.ics`, mime: 'text/calendar', text, count: timed.length };
    },

    'calendar.packData': ({ projectId, from, to }) => {
      const project = mustGetProject(db, projectId);
      const entries = listEntriesInRange(db, { projectId, from, to });
      const images = new Map<string, string>();
      // Thumbnails (WebP, a few dozen KB) keep a month's pack small enough to mail.
      const imageOf = (mediaId: string, sha256: string): string | null => {
        const cached = images.get(mediaId);
        if (cached) return cached;
        try {
          const url = `data:image/webp;base64,${readFileSync(services.media.thumbnailPath(sha256)).toString('base64')}`;
          images.set(mediaId, url);
          return url;
        } catch {
          return null;
        }
      };
      const packPosts: PackPost[] = entries.flatMap((entry) => {
        const post = getPost(db, entry.id);
        if (!post) return [];
        const mediaIds = [...new Set([...post.media, ...post.targets.flatMap((t) => t.mediaOverride ?? [])].map((m) => m.mediaId))];
        const files = new Map(mediaFiles(db, mediaIds).map((f) => [f.id, f]));
        const pictures = post.media.flatMap((m) => {
          const file = files.get(m.mediaId);
          const url = file && imageOf(m.mediaId, file.sha256);
          return url ? [{ mediaId: m.mediaId, dataUrl: url, alt: m.altText }] : [];
        });
        return [
          {
            id: post.id,
            scheduledAt: post.scheduledAt,
            timezone: post.timezone,
            status: post.status,
            approval: entry.approval,
            body: post.body,
            firstComment: post.firstComment,
            labels: post.labels,
            targets: post.targets.map((t) => ({ network: t.network, handle: t.handle, displayName: t.displayName, text: t.bodyOverride ?? post.body })),
            images: pictures,
          },
        ];
      });
      return { projectName: project.name, color: project.color, timezone: project.timezone, posts: packPosts };
    },

    'calendar.pdf': async ({ html }) => {
      const printToPdf = services.platform.printToPdf;
      if (!printToPdf) {
        throw new DomainError('validation', 'Printing to PDF needs the desktop app.', { reason: 'pdf_unavailable' });
      }
      const bytes = await printToPdf(html);
      return { base64: Buffer.from(bytes).toString('base64') };
    },
  };
}

function importAccounts(db: Db, projectId: string) {
  const rows = db
    .prepare(`SELECT id, network, handle, config FROM accounts WHERE project_id = ? AND status != 'disconnected'`)
    .all(projectId) as { id: string; network: NetworkId; handle: string; config: string }[];
  return rows.map((row) => {
    let config: Record<string, unknown> = {};
    try {
      config = JSON.parse(row.config) as Record<string, unknown>;
    } catch {
      // An unreadable config means the network's own limits apply.
    }
    return { id: row.id, network: row.network, handle: row.handle, ruleOptions: ruleOptionsFor(row.network, config) };
  });
}
