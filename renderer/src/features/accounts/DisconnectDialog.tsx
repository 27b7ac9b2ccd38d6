import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Account } from '../../../../main/core/contract';
import type { OutpostError } from '../../../../main/core/errors';
import { Dialog } from '../../ui/Dialog';
import { useErrorText } from '../../ui/useErrorText';
import { useAccounts } from './accounts-store';
import { unawaited } from '../../platform/unawaited';

interface DisconnectDialogProps {
  account: Account;
  onClose(): void;
  onDone(message: string): void;
}

export function DisconnectDialog({ account, onClose, onDone }: DisconnectDialogProps) {
  const { t } = useTranslation();
  const describe = useErrorText();
  const disconnect = useAccounts((s) => s.disconnect);
  const [error, setError] = useState<OutpostError | null>(null);
  const [busy, setBusy] = useState(false);
  const name = account.displayName || account.handle;
  const network = t(`networks.${account.network}`);

  const confirm = async () => {
    setBusy(true);
    const result = await disconnect(account.id);
    setBusy(false);
    if (result.ok) onDone(t('accounts.disconnected', { name }));
    else setError(result.error);
  };

  return (
    <Dialog title={t('accounts.disconnectTitle', { name })} onClose={onClose}>
      <div className="form">
        <p className="dialog-text">{t('accounts.disconnectBody', { network })}</p>
        {account.network === 'mastodon' && account.server && <p className="hint">{t('accounts.disconnectRevoke', { server: account.server })}</p>}
        {error && (
          <p role="alert" className="error">
            {describe(error)}
          </p>
        )}
        <div className="dialog-actions">
          <span className="spacer" />
          {/* Cancel comes first, so the dialog opens with focus on the harmless choice. */}
          <button type="button" className="button" onClick={onClose}>
            {t('accounts.cancel')}
          </button>
          <button type="button" className="button danger-fill" onClick={() => unawaited(confirm(), 'confirm')} disabled={busy}>
            {t('accounts.disconnect')}
          </button>
        </div>
      </div>
    </Dialog>
  );
}
