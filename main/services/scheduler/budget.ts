import type { NetworkId } from '../../core/networks/ids';
import type { JobKind } from './jobs-repo';

/** At most `limit` units in any window of `windowMs`. */
export interface SendLimit {
  limit: number;
  windowMs: number;
  /** The job kinds this limit counts; every kind when left out. */
  kinds?: readonly JobKind[];
}

/** What one account of a network may send; `cost` is the units a job of a kind uses (default 1). */
export interface NetworkBudget {
  limits: readonly SendLimit[];
  cost?: Partial<Record<JobKind, number>>;
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/** Each network's published send rates (shared/networks/CONTRACTS.md), per account. */
export const networkBudgets: Partial<Record<NetworkId, NetworkBudget>> = {
  // Telegram: at most 20 messages a minute to one channel, and about one a second.
  telegram: { limits: [{ limit: 20, windowMs: MINUTE }, { limit: 1, windowMs: SECOND }] },
  // Mastodon: 300 requests per 5 minutes per token; deleting statuses 30 per 30 minutes.
  mastodon: { limits: [{ limit: 300, windowMs: 5 * MINUTE }, { limit: 30, windowMs: 30 * MINUTE, kinds: ['delete'] }] },
  // Bluesky: 5,000 points an hour and 35,000 a day; a create costs 3 points, a delete 1.
  bluesky: {
    limits: [{ limit: 5000, windowMs: HOUR }, { limit: 35_000, windowMs: 24 * HOUR }],
    cost: { publish: 3, first_comment: 3, thread_part: 3, delete: 1 },
  },
};

/** Networks without published rates get one send a second per account. */
export const fallbackBudget: NetworkBudget = { limits: [{ limit: 1, windowMs: SECOND }] };

interface Entry {
  at: number;
  cost: number;
  kind: JobKind;
  jobId: string;
  /** A slot promised to a job that is not due yet; a send once it happened. */
  reserved: boolean;
}

interface Ledger {
  entries: Entry[];
  blockedUntil: number;
}

/**
 * Per-account send budget: a sliding window per limit, which unlike a plain token bucket never
 * lets a full bucket plus its refill exceed "20 a minute" within one minute. Jobs that cannot go
 * now get the earliest slot that fits, after every slot already promised, so fifty posts due at
 * once to one channel line up in order instead of all retrying at the same moment.
 */
export class SendBudget {
  private readonly ledgers = new Map<string, Ledger>();

  constructor(private readonly budgetOf: (network: NetworkId) => NetworkBudget | null) {}

  /**
   * When the job may be sent: `now` means go (the send is counted), a later time is reserved for
   * this job and the caller sleeps until then.
   */
  take(accountId: string, network: NetworkId, kind: JobKind, jobId: string, now: number): number {
    const budget = this.budgetOf(network);
    const ledger = this.ledger(accountId);
    const floor = Math.max(now, ledger.blockedUntil);
    if (!budget) return floor;
    prune(ledger, budget, now);
    const cost = budget.cost?.[kind] ?? 1;
    const ownIndex = ledger.entries.findIndex((e) => e.reserved && e.jobId === jobId);
    let slot: number;
    if (ownIndex >= 0) {
      const [own] = ledger.entries.splice(ownIndex, 1);
      if (own!.at > floor) {
        insert(ledger, own!);
        return own!.at;
      }
      // Its slot has come; only real sends count now, since lag may have bunched them together.
      slot = earliest(ledger.entries.filter((e) => !e.reserved), budget, kind, cost, floor);
    } else {
      const last = ledger.entries.at(-1)?.at ?? floor;
      slot = earliest(ledger.entries, budget, kind, cost, Math.max(floor, last));
    }
    if (slot <= now) {
      insert(ledger, { at: now, cost, kind, jobId, reserved: false });
      return now;
    }
    insert(ledger, { at: slot, cost, kind, jobId, reserved: true });
    return slot;
  }

  /** A send that already happened (read back from the journal after a restart). */
  record(accountId: string, kind: JobKind, jobId: string, at: number, network: NetworkId): void {
    const budget = this.budgetOf(network);
    insert(this.ledger(accountId), { at, cost: budget?.cost?.[kind] ?? 1, kind, jobId, reserved: false });
  }

  /** The network said "too many requests": nothing more for this account before `until`. */
  block(accountId: string, until: number): void {
    const ledger = this.ledger(accountId);
    ledger.blockedUntil = Math.max(ledger.blockedUntil, until);
  }

  blockedUntil(accountId: string): number {
    return this.ledgers.get(accountId)?.blockedUntil ?? 0;
  }

  private ledger(accountId: string): Ledger {
    let ledger = this.ledgers.get(accountId);
    if (!ledger) {
      ledger = { entries: [], blockedUntil: 0 };
      this.ledgers.set(accountId, ledger);
    }
    return ledger;
  }
}

function prune(ledger: Ledger, budget: NetworkBudget, now: number): void {
  const horizon = now - Math.max(...budget.limits.map((l) => l.windowMs));
  const firstKept = ledger.entries.findIndex((e) => e.reserved || e.at > horizon);
  if (firstKept < 0) ledger.entries.length = 0;
  else if (firstKept > 0) ledger.entries.splice(0, firstKept);
}

function insert(ledger: Ledger, entry: Entry): void {
  let i = ledger.entries.length;
  while (i > 0 && ledger.entries[i - 1]!.at > entry.at) i -= 1;
  ledger.entries.splice(i, 0, entry);
}

/** The earliest time at or after `start` when `cost` more units fit every limit; entries are sorted and none is after `start`. */
function earliest(entries: readonly Entry[], budget: NetworkBudget, kind: JobKind, cost: number, start: number): number {
  let t = start;
  for (let moved = true; moved; ) {
    moved = false;
    for (const limit of budget.limits) {
      if (limit.kinds && !limit.kinds.includes(kind)) continue;
      // A job bigger than the whole window can never fit; let the network judge it rather than wait forever.
      if (cost > limit.limit) continue;
      const counted = entries.filter((e) => e.at <= t && e.at > t - limit.windowMs && (!limit.kinds || limit.kinds.includes(e.kind)));
      let used = counted.reduce((sum, e) => sum + e.cost, 0);
      for (const oldest of counted) {
        if (used + cost <= limit.limit) break;
        used -= oldest.cost;
        if (oldest.at + limit.windowMs > t) {
          t = oldest.at + limit.windowMs;
          moved = true;
        }
      }
    }
  }
  return t;
}
