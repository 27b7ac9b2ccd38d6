import { httpsLinkOrNull } from '../../core/links';
import type { NetworkId } from '../../core/networks/ids';
import type { Db } from '../store/database';
import { jobRowJoins, readChallenge, type JobKind, type JournalEvent, type StopReason } from './jobs-repo';

/** What the user reads of the jobs: a post's history and the needs-attention list. */

export interface HistoryEntry {
  id: number;
  at: number;
  event: JournalEvent;
  jobId: string;
  jobKind: JobKind;
  targetId: string;
  accountId: string;
  network: NetworkId;
  handle: string;
  idempotencyKey: string;
  /** Which try this was (attempt lines). */
  attempt: number | null;
  /** The network's words, or ours, for a failure. */
  message: string | null;
  networkSaid: string | null;
  /** The raw code of a call without an answer (ECONNREFUSED…), for the Details disclosure. */
  cause: string | null;
  reason: StopReason | null;
  /** The published post's link (published, verified and confirmed lines). */
  url: string | null;
  /** When a retry or a delete is due. */
  nextAt: number | null;
  /** A thread part's job: which part, and (when the line says) of how many. */
  part?: number;
  parts?: number;
}

/** Every attempt and outcome of one post, oldest first: the post's history panel. */
export function postHistory(db: Db, postId: string): HistoryEntry[] {
  const rows = db
    .prepare(
      `SELECT l.id, l.at, l.event, l.detail, l.idempotency_key AS idempotencyKey, j.id AS jobId, j.kind AS jobKind, j.part,
              t.id AS targetId, a.id AS accountId, a.network, a.handle
       FROM post_targets t
       JOIN jobs j ON j.target_id = t.id
       JOIN job_log l ON l.job_id = j.id
       JOIN accounts a ON a.id = t.account_id
       WHERE t.post_id = ?
       ORDER BY l.id`,
    )
    .all(postId) as (Omit<HistoryEntry, 'attempt' | 'message' | 'networkSaid' | 'cause' | 'reason' | 'url' | 'nextAt' | 'part' | 'parts'> & { detail: string; part: number | null })[];
  return rows.map(({ detail, part, ...row }) => {
    const d = JSON.parse(detail) as Record<string, unknown>;
    const str = (v: unknown) => (typeof v === 'string' ? v : null);
    const num = (v: unknown) => (typeof v === 'number' ? v : null);
    return {
      ...row,
      attempt: num(d['attempt']),
      message: str(d['message']),
      networkSaid: str(d['networkSaid']),
      cause: str(d['cause']),
      reason: str(d['reason']) as StopReason | null,
      // Rows written before links were checked on the way in may hold an http one.
      url: httpsLinkOrNull(str(d['url'])),
      nextAt: num(d['retryAt']) ?? num(d['deleteAt']) ?? num(d['dueAt']),
      ...(part !== null ? { part } : {}),
      ...(num(d['total']) !== null ? { parts: num(d['total']) as number } : {}),
    };
  });
}

export interface AttentionItem {
  jobId: string;
  kind: JobKind;
  reason: StopReason;
  message: string | null;
  networkSaid: string | null;
  /** The raw code behind the message, if the last failure had one (from the journal). */
  cause: string | null;
  dueAt: number;
  postId: string;
  projectId: string;
  targetId: string;
  accountId: string;
  network: NetworkId;
  handle: string;
  body: string;
  /** The captcha the job waits on (reason 'captcha'); its picture is fetched apart. */
  captcha?: { id: string };
}

/** Jobs waiting for the user ("needs attention"), earliest due first. */
export function listNeedsAttention(db: Db, projectId?: string): AttentionItem[] {
  const rows = db
    .prepare(
      `SELECT j.id AS jobId, j.kind, j.reason, j.last_error AS message, j.network_said AS networkSaid, j.due_at AS dueAt, t.post_id AS postId,
              p.project_id AS projectId, t.id AS targetId, a.id AS accountId, a.network, a.handle,
              COALESCE(t.body_override, p.body) AS body, j.challenge,
              (SELECT json_extract(l.detail, '$.cause') FROM job_log l WHERE l.job_id = j.id ORDER BY l.id DESC LIMIT 1) AS cause
       FROM jobs j ${jobRowJoins}
       WHERE j.state = 'needs_attention' AND (@projectId IS NULL OR p.project_id = @projectId)
       ORDER BY j.due_at`,
    )
    .all({ projectId: projectId ?? null }) as (Omit<AttentionItem, 'captcha'> & { challenge: string | null })[];
  return rows.map(({ challenge, ...item }) => {
    const stored = item.reason === 'captcha' && challenge ? readChallenge(challenge) : undefined;
    return stored ? { ...item, captcha: { id: stored.id } } : item;
  });
}

