import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { CommunityChoice, PendingSignIn } from '../../../../main/core/contract';
import './accounts.css';

interface CommunityPickerProps {
  pending: PendingSignIn;
  picked: ReadonlySet<string>;
  onToggle(id: string, on: boolean): void;
}

/** Up to two letters standing in for the community's picture (Outpost loads no images from the network here). */
export function initialsOf(name: string): string {
  const words = name.split(/[\s\-–—_.,:;!?"'«»()]+/u).filter((w) => /\p{L}|\p{N}/u.test(w));
  const letters = words.slice(0, 2).map((w) => Array.from(w)[0] ?? '');
  return letters.join('').toLocaleUpperCase() || '?';
}

/**
 * The communities a finished sign-in may publish to, each a checkbox; ones the project already has
 * are shown, not offered. A choice on another network than the sign-in's (a Page's Instagram
 * account) is listed under the choice it belongs to and names its network.
 */
export function CommunityPicker({ pending, picked, onToggle }: CommunityPickerProps) {
  const { t } = useTranslation();
  const network = pending.network;
  const legendId = useId();
  const under = (parent: CommunityChoice) => pending.communities.filter((c) => c.under === parent.id);
  const row = (choice: CommunityChoice) => {
    const connected = choice.accountId !== null;
    const children = under(choice);
    return (
      <li key={choice.id} className="community" data-connected={connected} data-network={choice.network}>
        <label className="community-label">
          <input
            type="checkbox"
            data-community={choice.id}
            checked={connected || picked.has(choice.id)}
            disabled={connected}
            onChange={(e) => onToggle(choice.id, e.target.checked)}
          />
          <span className="community-initials" aria-hidden="true">
            {initialsOf(choice.name)}
          </span>
          <span className="community-text">
            <span className="community-name">{choice.name}</span>
            <span className="community-meta">
              {choice.network && choice.network !== network && <span className="community-network">{t(`networks.${choice.network}`)} · </span>}
              <span dir="ltr">{choice.handle}</span> · {t(`accounts.role.${choice.role}`)}
              {connected && <span className="community-connected"> · {t('accounts.pick.alreadyConnected')}</span>}
            </span>
          </span>
        </label>
        {children.length > 0 && <ul className="community-list community-children">{children.map(row)}</ul>}
      </li>
    );
  };
  const top = pending.communities.filter((c) => c.under === undefined || !pending.communities.some((p) => p.id === c.under));
  return (
    <>
      <p className="notice">{t('accounts.pick.signedInAs', { network: t(`networks.${network}`), who: pending.who })}</p>
      {pending.communities.length === 0 ? (
        <p className="notice">{t(`accounts.${network}.pickNone`)}</p>
      ) : (
        <fieldset className="community-fieldset" aria-labelledby={legendId}>
          <legend id={legendId}>{t(`accounts.${network}.pickLegend`)}</legend>
          <ul className="community-list">{top.map(row)}</ul>
        </fieldset>
      )}
    </>
  );
}
