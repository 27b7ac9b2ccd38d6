import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { connectableNetworks, type Account, type ConnectableNetwork, type Project } from '../../../../main/core/contract';
import { Page } from '../../ui/Page';
import { useErrorText } from '../../ui/useErrorText';
import { useActiveProject } from '../projects/projects-store';
import { AccountItem } from './AccountItem';
import { useAccounts, watchAccounts } from './accounts-store';
import { ConnectDialog } from './ConnectDialog';
import { DefaultsDialog } from './DefaultsDialog';
import { DisconnectDialog } from './DisconnectDialog';
import { PlannedNetworks } from './PlannedNetworks';
import { unawaited } from '../../platform/unawaited';

type OpenDialog =
  | { kind: 'connect'; network: ConnectableNetwork }
  | { kind: 'reconnect'; account: Account }
  | { kind: 'disconnect'; account: Account }
  | { kind: 'defaults'; account: Account };

export function AccountsPage() {
  const { t } = useTranslation();
  const project = useActiveProject();
  return (
    <Page title={t('pages.accounts.title')}>
      {project ? <ProjectAccounts key={project.id} project={project} /> : <p className="lead">{t('pages.noProject')}</p>}
    </Page>
  );
}

function ProjectAccounts({ project }: { project: Project }) {
  const { t } = useTranslation();
  const describe = useErrorText();
  const { accounts: all, loaded, loadError, load, keychain, checkKeychain } = useAccounts();
  // Planned networks have no account to show yet: they get their own section below.
  const accounts = all.filter((a) => a.status !== 'planned');
  const keychainMissing = keychain?.available === false;
  const [dialog, setDialog] = useState<OpenDialog | null>(null);
  const [notice, setNotice] = useState('');
  const focusAccount = useRef<string | null>(null);
  const listRef = useRef<HTMLUListElement>(null);
  const connectId = useId();
  const keychainId = useId();
  const listId = useId();

  useEffect(() => {
    unawaited(load(project.id), 'load');
  }, [load, project.id]);
  useEffect(() => watchAccounts(), []);
  useEffect(() => {
    unawaited(checkKeychain(), 'checkKeychain');
  }, [checkKeychain]);

  // The button that opened a dialog can vanish with it (Disconnect): focus then goes to the account's first action.
  useEffect(() => {
    const id = focusAccount.current;
    if (dialog || !id) return;
    focusAccount.current = null;
    listRef.current?.querySelector<HTMLElement>(`[data-account-id="${CSS.escape(id)}"] .account-actions button`)?.focus();
  }, [dialog]);

  const close = () => setDialog(null);
  const done = (message: string) => {
    if (dialog?.kind === 'disconnect') focusAccount.current = dialog.account.id;
    setDialog(null);
    setNotice(message);
  };

  return (
    <>
      <p className="lead">{t('accounts.lead', { project: project.name })}</p>
      {keychainMissing && <KeychainWarning id={keychainId} detail={keychain.detail} onCheck={checkKeychain} />}
      <section className="accounts-section" aria-labelledby={connectId}>
        <h2 id={connectId}>{t('accounts.connectHeading')}</h2>
        {keychainMissing && <p className="hint">{t('accounts.keychain.buttonsOff')}</p>}
        <div className="connect-buttons">
          {connectableNetworks.map((network) => (
            <button
              key={network}
              type="button"
              className="button network-button"
              disabled={keychainMissing}
              aria-describedby={keychainMissing ? keychainId : undefined}
              onClick={() => setDialog({ kind: 'connect', network })}
            >
              <span className="network-dot" data-network={network} aria-hidden="true" />
              {t(`accounts.connect.${network}`)}
            </button>
          ))}
        </div>
      </section>
      {/* Announces what just happened (connected, disconnected…) to screen readers and sighted users alike. */}
      <p role="status" className="accounts-notice">
        {notice}
      </p>
      <section className="accounts-section" aria-labelledby={listId}>
        <h2 id={listId}>{t('accounts.listHeading', { project: project.name })}</h2>
        {loadError && (
          <p role="alert" className="error">
            {describe(loadError)}
          </p>
        )}
        {loaded && accounts.length === 0 && !loadError && <p className="empty">{t('accounts.empty')}</p>}
        {accounts.length > 0 && (
          <ul ref={listRef} className="account-list" aria-labelledby={listId}>
            {accounts.map((account) => (
              <AccountItem
                key={account.id}
                account={account}
                onReconnect={() => setDialog({ kind: 'reconnect', account })}
                onDisconnect={() => setDialog({ kind: 'disconnect', account })}
                onDefaults={() => setDialog({ kind: 'defaults', account })}
              />
            ))}
          </ul>
        )}
      </section>
      {loaded && !loadError && <PlannedNetworks projectId={project.id} accounts={all} />}
      {dialog?.kind === 'connect' && <ConnectDialog network={dialog.network} projectId={project.id} onClose={close} onDone={done} />}
      {dialog?.kind === 'reconnect' && (
        <ConnectDialog network={dialog.account.network as ConnectableNetwork} projectId={project.id} account={dialog.account} onClose={close} onDone={done} />
      )}
      {dialog?.kind === 'disconnect' && <DisconnectDialog account={dialog.account} onClose={close} onDone={done} />}
      {dialog?.kind === 'defaults' && <DefaultsDialog account={dialog.account} onClose={close} onDone={done} />}
    </>
  );
}

/**
 * Said before any connect: without a working keychain no sign-in can be kept (Outpost never saves
 * one in plain text), with what makes it work on each system and a way to check again.
 */
function KeychainWarning({ id, detail, onCheck }: { id: string; detail: string | undefined; onCheck(): Promise<void> }) {
  const { t } = useTranslation();
  const [checking, setChecking] = useState(false);
  const check = async () => {
    setChecking(true);
    await onCheck();
    setChecking(false);
  };
  return (
    <section className="notice warn keychain-warning" role="alert" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t('accounts.keychain.title')}</h2>
      <p id={id}>{t('accounts.keychain.lead')}</p>
      <ul className="keychain-steps">
        <li>
          <strong>{t('accounts.keychain.linuxName')}</strong> {t('accounts.keychain.linux')}
        </li>
        <li>
          <strong>{t('accounts.keychain.macosName')}</strong> {t('accounts.keychain.macos')}
        </li>
        <li>
          <strong>{t('accounts.keychain.windowsName')}</strong> {t('accounts.keychain.windows')}
        </li>
      </ul>
      {detail && (
        <details className="failure-details">
          <summary>{t('accounts.keychain.details')}</summary>
          <p>
            <code dir="ltr">{detail}</code>
          </p>
        </details>
      )}
      <button type="button" className="button" disabled={checking} onClick={() => unawaited(check(), 'checkKeychain')}>
        {t('accounts.keychain.check')}
      </button>
    </section>
  );
}
