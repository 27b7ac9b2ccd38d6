import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { BackupInfo } from '../../../../main/core/contract';
import { Dialog } from '../../ui/Dialog';
import { formatBytes } from '../media/format';
import { formatWhen } from './format';
import { useData } from './data-store';
import { unawaited } from '../../platform/unawaited';

/** The backups with their dates, kinds and sizes; restoring one asks first and says what happens to today's data. */
export function BackupList({ backups }: { backups: BackupInfo[] }) {
  const { t, i18n } = useTranslation();
  const busy = useData((s) => s.busy);
  const restore = useData((s) => s.restore);
  const [asking, setAsking] = useState<BackupInfo | null>(null);

  if (backups.length === 0) return <p className="hint">{t('data.backups.none')}</p>;
  return (
    <>
      <table className="data-table">
        <thead>
          <tr>
            <th scope="col">{t('data.backups.when')}</th>
            <th scope="col">{t('data.backups.kindColumn')}</th>
            <th scope="col">{t('data.backups.size')}</th>
            <th scope="col">
              <span className="visually-hidden">{t('data.backups.actions')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {backups.map((backup) => (
            <tr key={backup.name}>
              <td>{formatWhen(backup.createdAt, i18n.language)}</td>
              <td>{t(`data.backups.kind.${backup.kind}`)}</td>
              <td>{formatBytes(backup.bytes, i18n.language)}</td>
              <td>
                <button
                  type="button"
                  className="button"
                  disabled={busy !== null}
                  aria-label={t('data.backups.restoreNamed', { when: formatWhen(backup.createdAt, i18n.language) })}
                  onClick={() => setAsking(backup)}
                >
                  {t('data.backups.restore')}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {asking && (
        <Dialog title={t('data.restoreDialog.title')} onClose={() => setAsking(null)}>
          <p>{t('data.restoreDialog.body', { when: formatWhen(asking.createdAt, i18n.language) })}</p>
          <p className="hint">{t('data.restoreDialog.keptAside')}</p>
          <div className="dialog-actions">
            <button type="button" className="button" onClick={() => setAsking(null)}>
              {t('data.restoreDialog.cancel')}
            </button>
            <button
              type="button"
              className="button primary"
              disabled={busy !== null}
              onClick={() => {
                const name = asking.name;
                setAsking(null);
                unawaited(restore(name), 'restore');
              }}
            >
              {t('data.restoreDialog.confirm')}
            </button>
          </div>
        </Dialog>
      )}
    </>
  );
}
