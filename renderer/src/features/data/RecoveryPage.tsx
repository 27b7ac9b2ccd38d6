import { useEffect } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import type { DataStatus } from '../../../../main/core/contract';
import { formatBytes } from '../media/format';
import { BackupList } from './BackupList';
import { DataMessages } from './DataNoticeText';
import { formatWhen } from './format';
import { useData } from './data-store';
import './data.css';
import { unawaited } from '../../platform/unawaited';

/**
 * Shown instead of the app when start-up did not open the data: it says what happened, that
 * nothing was deleted, and offers the newest good backup or a fresh start that keeps every file.
 */
export function RecoveryPage({ status }: { status: DataStatus }) {
  const { t, i18n } = useTranslation();
  const { backups, busy } = useData();
  const problem = status.problem ?? 'database_missing';
  const newest = status.newestBackup;
  const canStartEmpty = problem !== 'database_newer';

  useEffect(() => {
    unawaited(useData.getState().load(), 'load');
  }, []);

  return (
    <main className="recovery" aria-labelledby="recovery-title">
      <section className="card recovery-card">
        <h1 id="recovery-title">{t(`data.recovery.title.${problem}`)}</h1>
        <p>{t(`data.recovery.body.${problem}`, { count: status.mediaFiles })}</p>
        <p className="hint">{t('data.recovery.nothingDeleted')}</p>
        {status.detail && problem === 'database_corrupt' && (
          <details>
            <summary>{t('data.recovery.details')}</summary>
            <p className="mono" dir="ltr">
              {status.detail}
            </p>
          </details>
        )}
        <DataMessages />

        {problem !== 'database_newer' && newest && (
          <div className="recovery-option">
            <h2>{t('data.recovery.newestTitle')}</h2>
            <p>{t('data.recovery.newestBody', { when: formatWhen(newest.createdAt, i18n.language), size: formatBytes(newest.bytes, i18n.language) })}</p>
            <button type="button" className="button primary" disabled={busy !== null} onClick={() => unawaited(useData.getState().restore(newest.name), 'restore')}>
              {busy === 'restore' ? t('data.recovery.restoring') : t('data.recovery.restoreNewest')}
            </button>
          </div>
        )}
        {problem !== 'database_newer' && !newest && <p className="notice">{t('data.recovery.noBackup')}</p>}

        {canStartEmpty && (
          <div className="recovery-option">
            <h2>{t('data.recovery.emptyTitle')}</h2>
            <p>{t('data.recovery.emptyBody', { count: status.mediaFiles })}</p>
            <button type="button" className={newest ? 'button' : 'button primary'} disabled={busy !== null} onClick={() => unawaited(useData.getState().startEmpty(), 'startEmpty')}>
              {t('data.recovery.startEmpty')}
            </button>
          </div>
        )}

        {problem !== 'database_newer' && backups.length > 1 && (
          <details className="recovery-option">
            <summary>{t('data.recovery.otherBackups', { count: backups.length })}</summary>
            <BackupList backups={backups} />
          </details>
        )}

        <p className="hint">
          <Trans t={t} i18nKey="settings.dataDir" values={{ dir: status.dataDir }} components={{ path: <bdi className="mono" dir="ltr" /> }} />{' '}
          <button type="button" className="button subtle" disabled={busy !== null} onClick={() => unawaited(useData.getState().openFolder('data'), 'openFolder')}>
            {t('data.openFolder')}
          </button>
        </p>
      </section>
    </main>
  );
}
