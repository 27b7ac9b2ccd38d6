import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Account } from '../../../../main/core/contract';
import { useLanguageName } from './languages';

/** How long before a sign-in ends the account says so (the connector renews Threads' token in its last 7 days). */
export const SIGN_IN_REMINDER_MS = 7 * 24 * 60 * 60_000;

interface AccountItemProps {
  account: Account;
  onReconnect(): void;
  onDisconnect(): void;
  onDefaults(): void;
}

export function AccountItem({ account, onReconnect, onDisconnect, onDefaults }: AccountItemProps) {
  const { t, i18n } = useTranslation();
  const languageName = useLanguageName();
  const nameId = useId();
  const name = account.displayName || account.handle;
  const networkName = t(`networks.${account.network}`);
  const disconnected = account.status === 'disconnected';
  const { defaults } = account;
  // Read once per showing of the page: the reminder counts in days.
  const [now] = useState(() => Date.now());
  // Still not renewed in its last week: publishing (which renews it) has not happened since.
  const endsAt = account.status === 'connected' ? account.signInEndsAt : undefined;
  const endsSoon = endsAt !== undefined && endsAt - now < SIGN_IN_REMINDER_MS;

  const defaultsSummary = [
    defaults.linkPreview !== undefined && (defaults.linkPreview ? t('accounts.summary.previewOn') : t('accounts.summary.previewOff')),
    defaults.visibility !== undefined && t(`accounts.visibility.${defaults.visibility}`),
    defaults.language !== undefined &&
      (defaults.language ? t('accounts.summary.language', { language: languageName(defaults.language) }) : t('accounts.summary.languageAuto')),
  ].filter((part): part is string => typeof part === 'string');

  return (
    <li className="account" data-status={account.status} data-account-id={account.id} aria-labelledby={nameId}>
      <div className="account-head">
        <span className="network-tag">
          <span className="network-dot" data-network={account.network} aria-hidden="true" />
          {networkName}
        </span>
        <p className="account-status" data-status={account.status}>
          <span className="status-dot" aria-hidden="true" />
          {t(`accounts.status.${account.status}`)}
        </p>
      </div>
      <h3 id={nameId} className="account-name">
        <bdi>{name}</bdi>
      </h3>
      <p className="account-handle">
        {account.url && !disconnected ? (
          <a href={account.url} target="_blank" rel="noopener noreferrer">
            <bdi dir="ltr">{account.handle}</bdi>
          </a>
        ) : (
          <bdi dir="ltr">{account.handle}</bdi>
        )}
      </p>
      {account.status === 'reconnect_needed' && (
        <>
          <p className="account-problem">{t('accounts.reconnectNoReason')}</p>
          {/* The stored reason mixes the network's words with Outpost's advice, so it is never quoted as the network's. */}
          {account.statusReason && (
            <p className="hint">
              {t('publishing.outpostSaid')} <bdi dir="auto">{account.statusReason}</bdi>
            </p>
          )}
        </>
      )}
      {endsSoon && (
        <p className="account-problem account-reminder">
          {endsAt <= now
            ? t('accounts.signInEnded', { network: networkName })
            : // LinkedIn gives most apps no refresh token: publishing cannot renew it, only a reconnect can.
              t(account.network === 'linkedin' ? 'accounts.linkedin.signInEnds' : 'accounts.signInEnds', { network: networkName, date: new Intl.DateTimeFormat(i18n.language, { dateStyle: 'long' }).format(endsAt) })}
        </p>
      )}
      {!disconnected && (
        <ul className="account-facts">
          <li>{account.nativeScheduler ? t('accounts.scheduledOn', { server: account.nativeScheduler }) : t('accounts.scheduledHere')}</li>
          {account.deleteWindowHours !== null && <li>{t('accounts.deleteWindow', { hours: account.deleteWindowHours })}</li>}
          {defaultsSummary.length > 0 && <li>{t('accounts.summary.label', { defaults: defaultsSummary.join(' · ') })}</li>}
        </ul>
      )}
      {disconnected && <p className="hint">{t('accounts.disconnectedHint')}</p>}
      <div className="account-actions">
        {!disconnected && (
          <button type="button" className="button" onClick={onDefaults} aria-label={t('accounts.defaultsNamed', { name })}>
            {t('accounts.defaults')}
          </button>
        )}
        <button
          type="button"
          className={account.status === 'reconnect_needed' ? 'button primary' : 'button'}
          onClick={onReconnect}
          aria-label={t('accounts.reconnectNamed', { name })}
        >
          {t('accounts.reconnect')}
        </button>
        {!disconnected && (
          <button type="button" className="button danger" onClick={onDisconnect} aria-label={t('accounts.disconnectNamed', { name })}>
            {t('accounts.disconnect')}
          </button>
        )}
      </div>
    </li>
  );
}
