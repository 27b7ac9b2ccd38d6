import { memo } from 'react';
import { useTranslation } from 'react-i18next';
import { tightestTextCount, type TextCount } from '../../../../main/core/networks/count';
import type { PostCheck } from '../../../../main/core/networks/check';
import type { NetworkId } from '../../../../main/core/networks/ids';

interface CounterProps {
  network: NetworkId;
  handle: string;
  check: PostCheck;
}

/** The count that matters most for this target's text, and any item count (hashtags) in use. */
export function countsToShow(check: PostCheck): TextCount[] {
  const text = tightestTextCount(check.counts);
  const items = check.counts.filter((c) => (c.field === 'hashtags' || c.field === 'mentions') && c.used > 0);
  return text ? [text, ...items] : items;
}

/**
 * "212 / 280" for one target; past the limit it turns red and says which rule: the network's
 * limit and the way it counts (X weighs links as 23, Bluesky also counts bytes…).
 */
export const Counter = memo(function Counter({ network, handle, check }: CounterProps) {
  const { t } = useTranslation();
  const counts = countsToShow(check);
  const over = counts.filter((c) => c.used > c.limit);
  const name = t(`networks.${network}`);
  return (
    <div
      className={`counter${over.length ? ' over' : ''}`}
      role="group"
      aria-label={t('compose.counter.label', { network: name, handle })}
      data-network={network}
    >
      <span className="counter-name">
        <span className={`net-dot net-${network}`} aria-hidden="true" />
        {name}
      </span>
      {counts.map((c) => (
        <span key={`${c.field}-${c.unit}`} className="counter-value">
          {t(`compose.counter.${c.field === 'hashtags' || c.field === 'mentions' ? c.field : 'text'}`, {
            used: c.used.toLocaleString(),
            limit: c.limit.toLocaleString(),
          })}
        </span>
      ))}
      {check.attachments && check.attachments.used > 0 && (
        <span className={check.attachments.used > check.attachments.limit ? 'counter-attachments over' : 'counter-attachments'}>
          {t(check.attachments.link ? 'compose.counter.attachmentsWithLink' : 'compose.counter.attachments', {
            used: check.attachments.used,
            limit: check.attachments.limit,
          })}
        </span>
      )}
      {over.map((c) => (
        <p key={`${c.field}-${c.unit}`} className="counter-message">
          {t('compose.counter.over', {
            over: (c.used - c.limit).toLocaleString(),
            rule: t(`compose.rule.${ruleKey(network, c)}`, { limit: c.limit.toLocaleString() }),
          })}
        </p>
      ))}
    </div>
  );
});

/** Which sentence names the rule: by network where it counts its own way, else by unit. */
export function ruleKey(network: NetworkId, count: TextCount): string {
  if (count.field === 'hashtags' || count.field === 'mentions') return count.field;
  if (count.field === 'caption') return 'caption';
  if (network === 'x' || network === 'threads' || network === 'mastodon') return network;
  if (network === 'bluesky') return count.unit === 'utf8_bytes' ? 'bluesky_bytes' : 'bluesky';
  return count.unit;
}
