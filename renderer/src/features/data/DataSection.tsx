import { useEffect, useRef, useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { connectApi } from '../../platform/api';
import { Dialog } from '../../ui/Dialog';
import { formatBytes } from '../media/format';
import { useSettings } from '../settings/settings-store';
import { BackupList } from './BackupList';
import { DataMessages } from './DataNoticeText';
import { formatWhen } from './format';
import { useData } from './data-store';
import './data.css';
import { unawaited } from '../../platform/unawaited';

/** Settings › Data: where the data lives, its backups, the quarantine, and leaving with everything. */
export function DataSection() {
  const { t, i18n } = useTranslation();
  const { status, backups, quarantine, busy } = useData();
  const logFile = useSettings((s) => s.info?.logFile ?? null);
  const [askImport, setAskImport] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);
  // The browser host uploads the export the user picks; Electron asks for it in main's own dialog.
  const uploads = connectApi().upload !== undefined;

  useEffect(() => {
    unawaited(useData.getState().load(), 'load');
  }, []);

  return (
    <section className="card data-section" aria-labelledby="settings-data">
      <h2 id="settings-data">{t('data.title')}</h2>
      {status && (
        <p>
          <Trans t={t} i18nKey="settings.dataDir" values={{ dir: status.dataDir }} components={{ path: <bdi className="mono" dir="ltr" /> }} />{' '}
          <button type="button" className="button subtle" disabled={busy !== null} onClick={() => unawaited(useData.getState().openFolder('data'), 'openFolder')}>
            {t('data.openFolder')}
          </button>
        </p>
      )}
      {logFile && (
        <p>
          <Trans t={t} i18nKey="data.logFile" values={{ file: logFile }} components={{ path: <bdi className="mono" dir="ltr" /> }} />{' '}
          <button type="button" className="button subtle" disabled={busy !== null} onClick={() => unawaited(useData.getState().openFolder('logs'), 'openFolder')}>
            {t('data.openLogs')}
          </button>
        </p>
      )}
      <DataMessages />

      <h3>{t('data.backups.title')}</h3>
      <p className="hint">{t('data.backups.explain')}</p>
      <div className="data-actions">
        <button type="button" className="button" disabled={busy !== null} onClick={() => unawaited(useData.getState().backupNow(), 'backupNow')}>
          {busy === 'backup' ? t('data.backups.working') : t('data.backups.now')}
        </button>
        <button type="button" className="button subtle" disabled={busy !== null} onClick={() => unawaited(useData.getState().openFolder('backups'), 'openFolder')}>
          {t('data.backups.openFolder')}
        </button>
      </div>
      <BackupList backups={backups} />

      {quarantine.length > 0 && (
        <>
          <h3>{t('data.quarantine.title')}</h3>
          <p className="hint">{t('data.quarantine.explain', { count: quarantine.length })}</p>
          <ul className="data-quarantine" aria-label={t('data.quarantine.title')}>
            {quarantine.map((item) => (
              <li key={item.id}>
                <span>{t(`data.quarantine.kind.${item.kind}`)}</span> · <span>{formatBytes(item.bytes, i18n.language)}</span> ·{' '}
                <span className="hint">{t('data.quarantine.until', { when: formatWhen(item.expiresAt, i18n.language) })}</span>
              </li>
            ))}
          </ul>
          <button
            type="button"
            className="button"
            disabled={busy !== null}
            onClick={() => unawaited(useData.getState().restoreQuarantined(quarantine.filter((q) => q.kind !== 'other').map((q) => q.id)), 'restoreQuarantined')}
          >
            {t('data.quarantine.restoreAll')}
          </button>
        </>
      )}

      <h3>{t('data.move.title')}</h3>
      <p className="hint">{t('data.move.explain')}</p>
      <div className="data-actions">
        <button type="button" className="button" disabled={busy !== null} onClick={() => unawaited(useData.getState().exportAll(), 'exportAll')}>
          {busy === 'export' ? t('data.move.exporting') : t('data.move.export')}
        </button>
        <button type="button" className="button" disabled={busy !== null} onClick={() => setAskImport(true)}>
          {busy === 'import' ? t('data.move.importing') : t('data.move.import')}
        </button>
      </div>
      {askImport && (
        <Dialog title={t('data.importDialog.title')} onClose={() => setAskImport(false)}>
          <p>{t('data.importDialog.body')}</p>
          <p className="hint">{t('data.importDialog.signIns')}</p>
          {uploads && (
            <input
              ref={fileInput}
              type="file"
              accept=".tar,.tgz,.gz,application/x-tar,application/gzip"
              aria-label={t('data.importDialog.file')}
            />
          )}
          <div className="dialog-actions">
            <button type="button" className="button" onClick={() => setAskImport(false)}>
              {t('data.importDialog.cancel')}
            </button>
            <button
              type="button"
              className="button primary"
              onClick={() => {
                const file = fileInput.current?.files?.[0];
                if (uploads && !file) return;
                setAskImport(false);
                unawaited(useData.getState().importArchive(file), 'importArchive');
              }}
            >
              {t('data.importDialog.confirm')}
            </button>
          </div>
        </Dialog>
      )}
    </section>
  );
}
