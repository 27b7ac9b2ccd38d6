import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Account } from '../../../../main/core/contract';
import type { OutpostError } from '../../../../main/core/errors';
import { networkIds, type NetworkId } from '../../../../main/core/networks/ids';
import { invoke } from '../../platform/api';
import { unawaited } from '../../platform/unawaited';
import { useErrorText } from '../../ui/useErrorText';
import './accounts.css';

/**
 * Networks planned before their account exists (issue 12 item 9): a freelancer drafts a new
 * client's first month while waiting for access, then hands the drafts to the account once it is
 * connected. Nothing planned is ever published.
 */

/** A select that plans one more network for the project; offers the networks the project has no account of. */
export function PlanNetworkPicker({ projectId, accounts, onPlanned, compact = false }: { projectId: string; accounts: readonly Account[]; onPlanned?(account: Account): void; compact?: boolean }) {
  const { t } = useTranslation();
  const describe = useErrorText();
  const id = useId();
  const [error, setError] = useState<OutpostError | null>(null);
  const [busy, setBusy] = useState(false);
  const taken = new Set(accounts.filter((a) => a.status !== 'disconnected').map((a) => a.network));
  const offered = networkIds.filter((n) => !taken.has(n));
  if (offered.length === 0) return null;

  const plan = async (network: NetworkId) => {
    setBusy(true);
    const result = await invoke('accounts.plan', { projectId, network });
    setBusy(false);
    if (!result.ok) return setError(result.error);
    setError(null);
    onPlanned?.(result.value);
  };

  return (
    <div className={compact ? 'plan-network compact' : 'plan-network'}>
      <label htmlFor={id}>{t('accounts.planned.plan')}</label>
      <select
        id={id}
        value=""
        disabled={busy}
        onChange={(e) => {
          const network = e.target.value as NetworkId;
          if (network) unawaited(plan(network), 'Planning a network');
        }}
      >
        <option value="">{t('accounts.planned.choose')}</option>
        {offered.map((network) => (
          <option key={network} value={network}>
            {t(`networks.${network}`)}
          </option>
        ))}
      </select>
      {error && (
        <p role="alert" className="error">
          {describe(error)}
        </p>
      )}
    </div>
  );
}

/** The project's planned networks: how many drafts wait for each, handing them to a connected account, removing an unused one. */
export function PlannedNetworks({ projectId, accounts }: { projectId: string; accounts: readonly Account[] }) {
  const { t } = useTranslation();
  const headingId = useId();
  const planned = accounts.filter((a) => a.status === 'planned');
  return (
    <section className="accounts-section planned-networks" aria-labelledby={headingId}>
      <h2 id={headingId}>{t('accounts.planned.heading')}</h2>
      <p className="hint">{t('accounts.planned.lead')}</p>
      {planned.length > 0 && (
        <ul className="planned-list">
          {planned.map((account) => (
            <PlannedItem key={account.id} planned={account} connected={accounts.filter((a) => a.network === account.network && a.status !== 'planned' && a.status !== 'disconnected')} />
          ))}
        </ul>
      )}
      <PlanNetworkPicker projectId={projectId} accounts={accounts} />
    </section>
  );
}

function PlannedItem({ planned, connected }: { planned: Account; connected: readonly Account[] }) {
  const { t } = useTranslation();
  const describe = useErrorText();
  const selectId = useId();
  const [choice, setChoice] = useState(connected[0]?.id ?? '');
  const [error, setError] = useState<OutpostError | null>(null);
  const [notice, setNotice] = useState('');
  const [busy, setBusy] = useState(false);
  const count = planned.plannedPosts ?? 0;
  const network = t(`networks.${planned.network}`);
  const chosen = connected.some((a) => a.id === choice) ? choice : (connected[0]?.id ?? '');

  const run = async (action: () => Promise<{ ok: true; value: unknown } | { ok: false; error: OutpostError }>, after: (value: never) => string) => {
    setBusy(true);
    const result = await action();
    setBusy(false);
    if (!result.ok) return setError(result.error);
    setError(null);
    setNotice(after(result.value as never));
  };

  return (
    <li className="planned-item" data-network={planned.network}>
      <span className="network-dot" data-network={planned.network} aria-hidden="true" />
      <span className="planned-name">{network}</span>
      <span className="planned-count">{t('accounts.planned.drafts', { count })}</span>
      {connected.length > 0 ? (
        <span className="planned-adopt">
          <label htmlFor={selectId}>{t('accounts.planned.giveTo')}</label>
          <select id={selectId} value={chosen} onChange={(e) => setChoice(e.target.value)}>
            {connected.map((a) => (
              <option key={a.id} value={a.id}>
                {a.displayName || a.handle}
              </option>
            ))}
          </select>
          <button
            type="button"
            className="button small primary"
            disabled={busy || !chosen}
            onClick={() =>
              unawaited(
                run(
                  () => invoke('accounts.adoptPlanned', { id: planned.id, accountId: chosen }),
                  (value: { moved: number; left: number }) => t('accounts.planned.adopted', { count: value.moved }),
                ),
                'Handing planned drafts to an account',
              )
            }
          >
            {t('accounts.planned.give')}
          </button>
        </span>
      ) : (
        <span className="hint">{t('accounts.planned.connectFirst', { network })}</span>
      )}
      <button
        type="button"
        className="button small subtle"
        disabled={busy || count > 0}
        title={count > 0 ? t('accounts.planned.inUse') : undefined}
        onClick={() => unawaited(run(() => invoke('accounts.unplan', { id: planned.id }), () => ''), 'Removing a planned network')}
      >
        {t('accounts.planned.remove')}
      </button>
      {notice && (
        <p role="status" className="hint">
          {notice}
        </p>
      )}
      {error && (
        <p role="alert" className="error">
          {describe(error)}
        </p>
      )}
    </li>
  );
}
