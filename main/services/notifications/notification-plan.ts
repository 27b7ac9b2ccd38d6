import type { SchedulerChange, Settings } from '../../core/contract';
import type { Db } from '../store/database';

/** What the OS notification should say, as data; the Electron glue puts it into words. */
export interface NotificationPlan {
  kind: 'published' | 'failed' | 'needsAttention';
  postId: string;
  projectName: string;
  network: string;
  /** The post's opening words, so the user knows which post without opening the app. */
  excerpt: string;
  url: string | null;
  /** The network's own message for failures. */
  message: string | null;
}

const EXCERPT_GRAPHEMES = 60;
const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

function excerptOf(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const graphemes = [...segmenter.segment(flat)].map((s) => s.segment);
  return graphemes.length <= EXCERPT_GRAPHEMES ? flat : `${graphemes.slice(0, EXCERPT_GRAPHEMES).join('').trimEnd()}…`;
}

const kindOf: Partial<Record<SchedulerChange['state'], NotificationPlan['kind']>> = {
  published: 'published',
  failed: 'failed',
  needs_attention: 'needsAttention',
};

/** Decides whether a scheduler outcome deserves an OS notification under the user's settings. */
export function planNotification(db: Db, settings: Settings, change: SchedulerChange): NotificationPlan | null {
  if (change.job !== 'publish') return null;
  const kind = kindOf[change.state];
  if (!kind || !settings.notifications[kind]) return null;
  const row = readTargetSummary(db, change.targetId);
  if (!row) return null;
  return {
    kind,
    postId: change.postId,
    projectName: row.projectName,
    network: row.network,
    excerpt: excerptOf(row.override ?? row.body),
    url: change.url,
    message: change.message,
  };
}

interface TargetSummary {
  body: string;
  override: string | null;
  network: string;
  projectName: string;
}

function readTargetSummary(db: Db, targetId: string): TargetSummary | undefined {
  return db
    .prepare(
      `SELECT p.body AS body, t.body_override AS override, a.network AS network, pr.name AS projectName
         FROM post_targets t
         JOIN posts p ON p.id = t.post_id
         JOIN accounts a ON a.id = t.account_id
         JOIN projects pr ON pr.id = p.project_id
        WHERE t.id = ?`,
    )
    .get(targetId) as TargetSummary | undefined;
}
