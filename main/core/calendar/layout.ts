import type { Approval, CalendarEntry } from '../contract/calendar';
import type { PostStatus } from '../contract/posts';
import type { NetworkId } from '../networks/ids';
import { dayIndexOf, wallMinutesInDay, type DayIndex } from './days';

/**
 * What the calendar draws, worked out once per data change rather than per cell: which posts pass
 * the filters, which day each falls on, and where each sits in a week or day column.
 */

export interface CalendarFilter {
  /** Empty: no restriction. Within one kind any may match; across kinds all must. */
  projectIds: readonly string[];
  accountIds: readonly string[];
  networks: readonly NetworkId[];
  statuses: readonly PostStatus[];
  approvals: readonly Approval[];
  labels: readonly string[];
}

export const emptyFilter: CalendarFilter = { projectIds: [], accountIds: [], networks: [], statuses: [], approvals: [], labels: [] };

export function filterIsEmpty(filter: CalendarFilter): boolean {
  return Object.values(filter).every((values: readonly unknown[]) => values.length === 0);
}

export function matchesFilter(entry: CalendarEntry, filter: CalendarFilter): boolean {
  if (filter.projectIds.length && !filter.projectIds.includes(entry.projectId)) return false;
  if (filter.statuses.length && !filter.statuses.includes(entry.status)) return false;
  if (filter.approvals.length && !filter.approvals.includes(entry.approval)) return false;
  if (filter.accountIds.length && !entry.accountIds.some((id) => filter.accountIds.includes(id))) return false;
  if (filter.networks.length && !entry.networks.some((n) => filter.networks.includes(n))) return false;
  if (filter.labels.length) {
    const wanted = filter.labels.map((l) => l.toLocaleLowerCase());
    if (!entry.labels.some((label) => wanted.includes(label.toLocaleLowerCase()))) return false;
  }
  return true;
}

export interface PlacedEntry {
  entry: CalendarEntry;
  /** Wall minutes after midnight in the view's zone. */
  minutes: number;
}

/** Posts by day of the view, each day in time order; posts outside the days are left out. */
export function bucketByDay(entries: readonly CalendarEntry[], index: DayIndex, filter: CalendarFilter = emptyFilter): PlacedEntry[][] {
  const days: PlacedEntry[][] = index.days.map(() => []);
  const everything = filterIsEmpty(filter);
  for (const entry of entries) {
    if (entry.scheduledAt === null || (!everything && !matchesFilter(entry, filter))) continue;
    const i = dayIndexOf(index, entry.scheduledAt);
    if (i === -1) continue;
    (days[i] as PlacedEntry[]).push({ entry, minutes: wallMinutesInDay(index, i, entry.scheduledAt) });
  }
  for (const day of days) day.sort((a, b) => (a.entry.scheduledAt as number) - (b.entry.scheduledAt as number) || a.entry.id.localeCompare(b.entry.id));
  return days;
}

export interface ColumnBox {
  entry: CalendarEntry;
  minutes: number;
  /** Which of `columns` side-by-side lanes it takes. */
  column: number;
  columns: number;
}

export interface DayColumnLayout {
  boxes: ColumnBox[];
  /** Posts left out of crowded moments: where to show "+N" and how many. */
  overflow: { minutes: number; count: number }[];
}

/**
 * Lays out one day of a time grid: posts that would overlap (each drawn `blockMinutes` tall) share
 * the width in lanes; a crowded moment shows at most `maxColumns` lanes and counts the rest.
 */
export function layoutDayColumn(day: readonly PlacedEntry[], blockMinutes: number, maxColumns: number): DayColumnLayout {
  const boxes: ColumnBox[] = [];
  const overflow: { minutes: number; count: number }[] = [];
  let cluster: { placed: PlacedEntry; column: number }[] = [];
  let laneEnds: number[] = [];
  let clusterEnd = -Infinity;

  const flush = () => {
    if (cluster.length === 0) return;
    const columns = Math.min(laneEnds.length, maxColumns);
    let hidden = 0;
    let hiddenAt = Infinity;
    for (const { placed, column } of cluster) {
      if (column < maxColumns) boxes.push({ entry: placed.entry, minutes: placed.minutes, column, columns });
      else {
        hidden++;
        hiddenAt = Math.min(hiddenAt, placed.minutes);
      }
    }
    if (hidden > 0) overflow.push({ minutes: hiddenAt, count: hidden });
    cluster = [];
    laneEnds = [];
  };

  for (const placed of day) {
    if (placed.minutes >= clusterEnd) {
      flush();
      clusterEnd = -Infinity;
    }
    let column = laneEnds.findIndex((end) => end <= placed.minutes);
    if (column === -1) {
      column = laneEnds.length;
      laneEnds.push(0);
    }
    laneEnds[column] = placed.minutes + blockMinutes;
    clusterEnd = Math.max(clusterEnd, placed.minutes + blockMinutes);
    cluster.push({ placed, column });
  }
  flush();
  return { boxes, overflow };
}
