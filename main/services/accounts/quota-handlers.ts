import type { PublishingQuota } from '../../core/connector';
import type { AccountQuota, Handlers } from '../../core/contract';
import type { Services } from '../services-types';
import type { Db } from '../store/database';
import { openAccountConnection } from './account-connection';

// A slow network must not keep the composer's note waiting; the note simply stays away.
const QUOTA_TIMEOUT_MS = 15_000;

/** The account's other posts due in (from, to]: scheduled here, handed to the network, or going out now. */
export function countScheduledBetween(db: Db, accountId: string, from: number, to: number, exceptPostId?: string): number {
  const row = db
    .prepare(
      `SELECT COUNT(*) AS count FROM post_targets t JOIN posts p ON p.id = t.post_id
       WHERE t.account_id = ? AND t.state IN ('scheduled', 'native_scheduled', 'publishing')
         AND p.scheduled_at > ? AND p.scheduled_at <= ? AND p.id != ?`,
    )
    .get(accountId, from, to, exceptPostId ?? '') as { count: number };
  return row.count;
}

/**
 * Whether one more post at `at` would pass the cap: the posts already scheduled in the window that
 * ends at `at`, plus what is used now while `at` is still within a window of now, plus this one.
 */
export function quotaAt(db: Db, accountId: string, quota: PublishingQuota, now: number, at: number | null, postId?: string): AccountQuota {
  const when = at ?? now;
  const scheduled = countScheduledBetween(db, accountId, Math.max(now, when - quota.windowMs), when, postId);
  const usedThen = when - now < quota.windowMs ? quota.posts.used : 0;
  return { quota, scheduled, wouldPass: usedThen + scheduled + 1 > quota.posts.total };
}

type QuotaServices = Pick<Services, 'db' | 'secrets' | 'clock' | 'connectors'>;

/** accounts.quota: the network's own count, read through the account's connector; null when there is none or it cannot be read now. */
export function quotaHandlers(services: QuotaServices, open: typeof openAccountConnection = openAccountConnection): Pick<Handlers, 'accounts.quota'> {
  return {
    'accounts.quota': async ({ id, at, postId }) => {
      let quota: PublishingQuota;
      try {
        const connection = await open(services, id, AbortSignal.timeout(QUOTA_TIMEOUT_MS));
        if (!connection.connector.publishingQuota) return null;
        quota = await connection.connector.publishingQuota(connection.ctx);
      } catch {
        // Offline, signed out or refused: the publish path reports those; here the note just stays away.
        return null;
      }
      return quotaAt(services.db, id, quota, services.clock.now(), at ?? null, postId);
    },
  };
}
