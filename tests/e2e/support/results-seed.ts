import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { instantAt, addDays, dayKeyOf } from '../../../main/core/calendar/days';
import type { MetricName } from '../../../main/core/metrics';
import { openDatabase } from '../../../main/services/store/database';
import type { SeededProject } from './calendar-seed';

/**
 * Published posts with their readings, written straight into a data folder before the host starts,
 * for the Results page's e2e test and benchmark: the poller's work, done ahead of time.
 */

const HOUR = 3_600_000;
/** What each seeded network gives (as their connectors read it); Telegram gives views only. */
const given: Record<string, readonly MetricName[]> = {
  mastodon: ['likes', 'reposts', 'replies'],
  bluesky: ['likes', 'reposts', 'replies', 'quotes'],
  telegram: ['views'],
};

const texts = [
  'שלום עולם! חלות טריות כל יום שישי #מאפייה 🥐',
  'Свежий хлеб каждое утро — приходите! 💪',
  'Weekend offer: two loaves for one',
  'Behind the scenes: shaping croissants',
  'Recipe: cinnamon rolls at home',
];

/** Hours the posts go out at; 09:00 does best, so it leads the best hours. */
const hours = [9, 12, 18];

export interface SeededResults {
  targets: string[];
  /** The first post's id (it gets the image in the e2e test). */
  firstPostId: string;
}

/**
 * `count` published posts over the `days` days up to yesterday in the project's zone, one target each in turn over the project's accounts, each with exactly `readings`
 * readings that grow to its final numbers (the newest posts' last ones lie ahead: the query only takes the latest).
 */
export function seedPublished(dataDir: string, project: SeededProject, options: { count: number; days: number; readings: number; now?: number }): SeededResults {
  const db = openDatabase(join(dataDir, 'outpost.db'));
  const now = options.now ?? Date.now();
  const today = dayKeyOf(now, project.zone);
  const targets: string[] = [];
  let firstPostId = '';
  try {
    const insertPost = db.prepare(
      `INSERT INTO posts (id, project_id, body, labels, status, timezone, created_at, updated_at) VALUES (?, ?, ?, ?, 'published', ?, ?, ?)`,
    );
    const insertTarget = db.prepare(
      `INSERT INTO post_targets (id, post_id, account_id, state, remote_id, remote_url, published_at) VALUES (?, ?, ?, 'published', ?, ?, ?)`,
    );
    const insertSample = db.prepare(`INSERT INTO metric_samples (target_id, at, likes, reposts, replies, quotes, views, saves) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`);
    db.transaction(() => {
      for (let i = 0; i < options.count; i++) {
        const hour = hours[i % hours.length] as number;
        // Yesterday and before: every post is out and inside "the last `days` days".
        const day = addDays(today, -(1 + (Math.floor(i / hours.length) % (options.days - 1))));
        const at = instantAt(day, hour * 60 + (i % 50), project.zone);
        // Every account posts at every hour, so no network owns the best one.
        const account = project.accounts[(i + Math.floor(i / hours.length)) % project.accounts.length] as SeededProject['accounts'][number];
        const postId = randomUUID();
        if (i === 0) firstPostId = postId;
        const labels = JSON.stringify(i % 4 === 0 ? ['promo'] : i % 4 === 1 ? ['מתכון'] : []);
        insertPost.run(postId, project.projectId, `${texts[i % texts.length]} #${i + 1}`, labels, project.zone, at, at);
        const targetId = randomUUID();
        insertTarget.run(targetId, postId, account.id, `r${i}`, `https://${account.network}.example/${account.handle}/${i}`, at);
        targets.push(targetId);
        const metrics = given[account.network] ?? [];
        const final = 10 + ((i * 7) % 40) + (hour === 9 ? 25 : 0);
        for (let k = 1; k <= options.readings; k++) {
          const readAt = at + (k <= 24 ? k : 24 + (k - 24) * 24) * HOUR;
          const share = k / options.readings;
          const value = (name: MetricName, scale: number) => (metrics.includes(name) ? Math.round(final * scale * share) : null);
          insertSample.run(targetId, readAt, value('likes', 1), value('reposts', 0.3), value('replies', 0.2), value('quotes', 0.1), value('views', 20), null);
        }
      }
    })();
    return { targets, firstPostId };
  } finally {
    db.close();
  }
}
