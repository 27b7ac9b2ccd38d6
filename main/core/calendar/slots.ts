import { addDays, dayKeyOf, instantAt, weekday } from './days';

/**
 * Queues: each account has weekly time slots (Mon/Wed/Fri 10:00 and 18:00) in its project's zone,
 * and a minimum spacing between two of its posts. "Add to queue" takes the earliest slot that is
 * free on every account the post goes to; a slot is free on an account when no other post of that
 * account is closer to it than the spacing (or, with no spacing, at the very same minute).
 */

export interface WeeklySlot {
  /** 1 = Monday … 7 = Sunday. */
  weekday: number;
  /** Minutes after midnight, wall time in the project's zone. */
  minute: number;
}

export interface AccountQueue {
  accountId: string;
  slots: readonly WeeklySlot[];
  /** Smallest gap between two posts of this account, in minutes; 0 allows back-to-back slots. */
  minSpacingMinutes: number;
  /** Instants of the account's other posts (UTC ms), any order. */
  busy: readonly number[];
}

/** How far ahead "Add to queue" looks before it says the queue is full. */
export const QUEUE_HORIZON_DAYS = 92;

/** Every slot instant of `slots` in [from, to), in order; a slot a DST change skips moves forward by the gap. */
export function slotInstants(slots: readonly WeeklySlot[], from: number, to: number, zone: string): number[] {
  if (slots.length === 0 || to <= from) return [];
  const out = new Set<number>();
  // A day either side, so a slot near midnight on the edge of the zone's day is not missed.
  const first = addDays(dayKeyOf(from, zone), -1);
  const last = addDays(dayKeyOf(to, zone), 1);
  for (let day = first; day <= last; day = addDays(day, 1)) {
    const dow = weekday(day);
    for (const slot of slots) {
      if (slot.weekday !== dow) continue;
      const at = instantAt(day, slot.minute, zone);
      if (at >= from && at < to) out.add(at);
    }
  }
  return [...out].sort((a, b) => a - b);
}

function sortedCopy(values: readonly number[]): number[] {
  return [...values].sort((a, b) => a - b);
}

/** True when no busy instant lies within `spacingMs` of `at` (strictly closer; equal counts as taken at 0). */
function freeOn(sortedBusy: readonly number[], at: number, spacingMs: number): boolean {
  let lo = 0;
  let hi = sortedBusy.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((sortedBusy[mid] as number) < at) lo = mid + 1;
    else hi = mid;
  }
  const after = sortedBusy[lo];
  const before = sortedBusy[lo - 1];
  if (after !== undefined && (after === at || after - at < spacingMs)) return false;
  if (before !== undefined && at - before < spacingMs) return false;
  return true;
}

export interface QueueRequest {
  queues: readonly AccountQueue[];
  zone: string;
  /** The earliest acceptable instant (now plus the scheduling lead). */
  after: number;
  horizonDays?: number;
}

/** The earliest slot (of any of the accounts) free on all of them, or null when none is within the horizon. */
export function nextFreeSlot(request: QueueRequest): number | null {
  const until = request.after + (request.horizonDays ?? QUEUE_HORIZON_DAYS) * 86_400_000;
  const candidates = new Set<number>();
  for (const queue of request.queues) for (const at of slotInstants(queue.slots, request.after, until, request.zone)) candidates.add(at);
  const busy = request.queues.map((queue) => ({ sorted: sortedCopy(queue.busy), spacing: queue.minSpacingMinutes * 60_000 }));
  for (const at of [...candidates].sort((a, b) => a - b)) {
    if (busy.every((q) => freeOn(q.sorted, at, q.spacing))) return at;
  }
  return null;
}

export interface FreeSlot {
  accountId: string;
  at: number;
}

/** Every slot of each account in [from, to) that is still free: the "empty slots this week" view. */
export function freeSlots(queues: readonly AccountQueue[], from: number, to: number, zone: string): FreeSlot[] {
  const out: FreeSlot[] = [];
  for (const queue of queues) {
    const sorted = sortedCopy(queue.busy);
    const spacing = queue.minSpacingMinutes * 60_000;
    for (const at of slotInstants(queue.slots, from, to, zone)) {
      if (freeOn(sorted, at, spacing)) out.push({ accountId: queue.accountId, at });
    }
  }
  return out.sort((a, b) => a.at - b.at || a.accountId.localeCompare(b.accountId));
}

/** Slots in a stable order without twins; minutes outside the day are refused by the caller's schema. */
export function normaliseSlots(slots: readonly WeeklySlot[]): WeeklySlot[] {
  const seen = new Set<string>();
  return [...slots]
    .filter((slot) => {
      const key = `${slot.weekday}:${slot.minute}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .sort((a, b) => a.weekday - b.weekday || a.minute - b.minute);
}

// ---- evergreen ----------------------------------------------------------------------------------

export interface EvergreenEntry {
  postId: string;
  /** When its latest queued copy goes out (UTC ms), or null if it was never queued. */
  lastQueuedAt: number | null;
  /** Its place in the pool: the order posts were added. */
  position: number;
}

/**
 * The pool's next post for a slot at `at`, in turn: never-queued posts first in pool order, then the
 * one that went out longest ago; none when even that one would repeat within the minimum interval.
 */
export function nextEvergreen(pool: readonly EvergreenEntry[], at: number, minIntervalDays: number): EvergreenEntry | null {
  const ordered = [...pool].sort(
    (a, b) =>
      (a.lastQueuedAt ?? -Infinity) - (b.lastQueuedAt ?? -Infinity) || a.position - b.position || a.postId.localeCompare(b.postId),
  );
  const first = ordered[0];
  if (!first) return null;
  if (first.lastQueuedAt !== null && at - first.lastQueuedAt < minIntervalDays * 86_400_000) return null;
  return first;
}
