import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { NetworkId } from '../../../../main/core/networks/ids';
import { useOpenPost } from '../post/open-post-store';

/**
 * Beside "no account yet" when scheduling: which connected account of the network takes this
 * post. Its own text and media for the network go with it, also into a target of that account the
 * post already has (where that one has none of its own).
 */
export function AccountMissingFix({ plannedId, network, editable }: { plannedId: string; network: NetworkId; editable: boolean }) {
  const { t } = useTranslation();
  const id = useId();
  const accounts = useOpenPost((s) => s.accounts);
  const candidates = accounts.filter((a) => a.network === network && (a.status === 'connected' || a.status === 'reconnect_needed'));
  const [choice, setChoice] = useState('');
  const chosen = candidates.some((a) => a.id === choice) ? choice : (candidates[0]?.id ?? '');
  if (candidates.length === 0) {
    return (
      <>
        {' '}
        <a href="#/accounts">{t('compose.planned.connect', { network: t(`networks.${network}`) })}</a>
      </>
    );
  }

  const take = () => {
    const { draft, edit } = useOpenPost.getState();
    if (!draft || !chosen) return;
    const planned = draft.targets.find((x) => x.accountId === plannedId);
    const already = draft.targets.find((x) => x.accountId === chosen);
    edit({
      targets: already
        ? // The post already goes there: the planned target's own text and media carry over where that target has none, so nothing written is lost.
          draft.targets
            .filter((x) => x.accountId !== plannedId)
            .map((x) =>
              x.accountId === chosen
                ? { ...x, bodyOverride: x.bodyOverride ?? planned?.bodyOverride ?? null, mediaOverride: x.mediaOverride ?? planned?.mediaOverride ?? null }
                : x,
            )
        : draft.targets.map((x) => (x.accountId === plannedId ? { ...x, accountId: chosen } : x)),
    });
  };

  return (
    <span className="account-missing-fix">
      <label htmlFor={id}>{t('compose.planned.takesIt')}</label>
      <select id={id} value={chosen} disabled={!editable} onChange={(e) => setChoice(e.target.value)}>
        {candidates.map((a) => (
          <option key={a.id} value={a.id}>
            {a.displayName || a.handle}
          </option>
        ))}
      </select>
      <button type="button" className="button small" disabled={!editable || !chosen} onClick={take}>
        {t('compose.planned.use')}
      </button>
    </span>
  );
}
