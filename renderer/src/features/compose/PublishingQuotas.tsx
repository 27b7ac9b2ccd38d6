import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AccountQuota } from '../../../../main/core/contract';
import type { NetworkId } from '../../../../main/core/networks/ids';
import { invoke } from '../../platform/api';

interface QuotaTarget {
  accountId: string;
  network: NetworkId;
  handle: string;
}

const HOUR_MS = 3_600_000;

/**
 * The networks' own publishing caps (Instagram 100, Threads 250 a day) for the ticked accounts, read
 * from the network before scheduling; a warning where the posts already scheduled in the window
 * would pass it. Accounts whose network has no cap, or cannot be asked now, show nothing.
 */
export function PublishingQuotas({ targets, scheduledAt, postId }: { targets: readonly QuotaTarget[]; scheduledAt: number | null; postId: string | undefined }) {
  const { t } = useTranslation();
  const [quotas, setQuotas] = useState<Record<string, AccountQuota>>({});
  const ids = targets.map((target) => target.accountId).join(',');

  useEffect(() => {
    let live = true;
    const accountIds = ids === '' ? [] : ids.split(',');
    void Promise.all(
      accountIds.map(async (id) => {
        const result = await invoke('accounts.quota', { id, at: scheduledAt, ...(postId ? { postId } : {}) });
        return [id, result.ok ? result.value : null] as const;
      }),
    ).then((answers) => {
      if (!live) return;
      const next: Record<string, AccountQuota> = {};
      for (const [id, quota] of answers) if (quota) next[id] = quota;
      setQuotas(next);
    });
    return () => {
      live = false;
    };
  }, [ids, scheduledAt, postId]);

  const shown = targets.filter((target) => quotas[target.accountId]);
  if (shown.length === 0) return null;
  return (
    <ul className="quotas" aria-label={t('compose.quota.title')}>
      {shown.map((target) => {
        const { quota, scheduled, wouldPass } = quotas[target.accountId] as AccountQuota;
        const params = { network: t(`networks.${target.network}`), handle: target.handle, used: quota.posts.used, total: quota.posts.total, hours: Math.round(quota.windowMs / HOUR_MS), count: scheduled };
        return (
          <li key={target.accountId} className={wouldPass ? 'warn' : undefined}>
            {t('compose.quota.used', params)}
            {wouldPass && ` ${t('compose.quota.wouldPass', params)}`}
          </li>
        );
      })}
    </ul>
  );
}
