import type { HandlersOf, calendarRequests } from '../../core/contract';
import { checkImport, exportCsv } from '../../core/calendar/csv';
import { dayKeyOf } from '../../core/calendar/days';
import { exportFileName, type ExportSpan } from '../../core/calendar/export-scope';
import { buildIcs } from '../../core/calendar/ics';
import { DomainError } from '../../core/errors';
import { networkNames } from '../../core/networks/names';
import { ruleOptionsFor } from '../../core/posts/readiness';
import { toLocal } from '../../core/posts/time';
import { accountConfig, listActiveAccountConfigs } from '../accounts/accounts-repo';
import { createPostService } from '../posts/post-service';
import { mustGetProject } from '../projects/project-rules';
import type { Services } from '../services-types';
import type { Db } from '../store/database';
import { listForExport } from './calendar-repo';

type ImportExportHandlers = Pick<HandlersOf<typeof calendarRequests>, 'calendar.importCheck' | 'calendar.importCommit' | 'calendar.export'>;

/** The days [from, to) covers in the zone, for the file name; null: no range, the whole plan. */
function spanOf(from: number | undefined, to: number | undefined, zone: string): ExportSpan | null {
  if (from === undefined || to === undefined) return null;
  return { first: dayKeyOf(from, zone), last: dayKeyOf(to - 1, zone) };
}

/** The accounts a CSV row may name, with the limits its checks use (an unreadable config: the network's own). */
function importAccounts(db: Db, projectId: string) {
  return listActiveAccountConfigs(db, projectId).map((row) => ({
    id: row.id,
    network: row.network,
    handle: row.handle,
    ruleOptions: ruleOptionsFor(row.network, accountConfig(db, row)),
  }));
}

/** The plan in and out: a CSV plan checked and imported, the plan exported as CSV, JSON or ICS. */
export function importExportHandlers(services: Services): ImportExportHandlers {
  const { db, clock } = services;
  const posts = createPostService(services);

  return {
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
          const post = posts.create({ projectId, body: row.body, targets: row.accountIds.map((accountId) => ({ accountId })), local: row.local });
          let revision = post.revision;
          if (row.labels.length || row.notes || row.firstComment) {
            revision = posts.update({ id: post.id, revision, labels: row.labels, notes: row.notes, firstComment: row.firstComment }).revision;
          }
          if (row.status === 'scheduled' && posts.schedule(post.id, revision).scheduled) scheduled++;
        }
        return { created: check.rows.length, scheduled };
      })();
    },

    'calendar.export': ({ projectId, from, to, format }) => {
      const project = projectId === undefined ? undefined : mustGetProject(db, projectId);
      const rows = listForExport(db, projectId, from, to);
      const span = spanOf(from, to, project?.timezone ?? 'UTC');
      const fileName = (extension: string) => exportFileName({ project: project?.name ?? null, span, extension });
      if (format === 'csv') {
        const text = exportCsv(
          rows.map((r) => ({ ...r, accounts: r.accounts.map((a) => `${a.network}:${a.handle}`) })),
        );
        return { fileName: fileName('csv'), mime: 'text/csv', text, count: rows.length };
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
        return { fileName: fileName('json'), mime: 'application/json', text, count: rows.length };
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
      return { fileName: fileName('ics'), mime: 'text/calendar', text, count: timed.length };
    },
  };
}
