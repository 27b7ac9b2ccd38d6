import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Reply } from '../../../../main/core/contract';
import type { OutpostError } from '../../../../main/core/errors';
import { invoke } from '../../platform/api';
import { Dialog } from '../../ui/Dialog';
import { useErrorText } from '../../ui/useErrorText';
import { useCalendar } from './calendar-store';
import { unawaited } from '../../platform/unawaited';

type Check = Reply<'calendar.importCheck'>;

/** CSV import: read the file, show every row and every problem, import only when all rows are right. */
export function ImportDialog({ projectId, onClose }: { projectId: string; onClose(): void }) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const [csv, setCsv] = useState<string | null>(null);
  const [fileName, setFileName] = useState('');
  const [check, setCheck] = useState<Check | null>(null);
  const [error, setError] = useState<OutpostError | null>(null);
  const [busy, setBusy] = useState(false);

  const read = async (file: File) => {
    const text = await file.text();
    setCsv(text);
    setFileName(file.name);
    setError(null);
    setBusy(true);
    const result = await invoke('calendar.importCheck', { projectId, csv: text });
    setBusy(false);
    if (result.ok) setCheck(result.value);
    else setError(result.error);
  };

  const commit = async () => {
    if (csv === null) return;
    setBusy(true);
    const result = await invoke('calendar.importCommit', { projectId, csv });
    setBusy(false);
    if (!result.ok) {
      setError(result.error);
      return;
    }
    const { created, scheduled } = result.value;
    useCalendar.getState().say({ tone: 'info', key: scheduled < created ? 'importedSomeDrafts' : 'imported', params: { count: created, scheduled } });
    unawaited(useCalendar.getState().refreshAll(), 'Refreshing the calendar');
    onClose();
  };

  const bad = check?.badRows ?? [];
  const canImport = check !== null && check.problem === null && bad.length === 0 && check.rows.length > 0;
  const errorLine = (e: { code: string; params: Record<string, string | number> }) =>
    t(`calendar.import.errors.${e.code}`, { defaultValue: t('calendar.import.errors.other', e.params), ...e.params, network: e.params.network ? t(`networks.${e.params.network}`) : '' });

  return (
    <Dialog title={t('calendar.import.title')} onClose={onClose}>
      <div className="form import-dialog">
        <p className="hint">{t('calendar.import.hint')}</p>
        <label className="field">
          {t('calendar.import.file')}
          <input
            type="file"
            accept=".csv,text/csv"
            onChange={(e) => {
              const file = e.target.files?.[0];
              // Cleared so the same file, fixed and chosen again, is read again (no change event otherwise).
              e.target.value = '';
              if (file) unawaited(read(file), 'Reading the CSV file');
            }}
          />
        </label>
        {busy && <p role="status">{t('calendar.import.checking')}</p>}
        {error && (
          <p className="error" role="alert">
            {error.reason === 'import_has_errors' ? t('calendar.import.refused', { count: Number(error.details?.rows ?? 0) }) : errorText(error)}
          </p>
        )}
        {check?.problem && (
          <p className="error" role="alert">
            {t(`calendar.import.problem.${check.problem}`, { columns: check.missingColumns.join(', ') })}
          </p>
        )}
        {check && !check.problem && (
          <>
            <p className={bad.length ? 'error' : 'status ok'} role={bad.length ? 'alert' : 'status'}>
              {bad.length
                ? t('calendar.import.badRows', { count: bad.length, rows: bad.join(', '), file: fileName })
                : t('calendar.import.allGood', { count: check.rows.length, file: fileName })}
            </p>
            <div className="import-preview" role="region" aria-label={t('calendar.import.preview')} tabIndex={0}>
              <table>
                <thead>
                  <tr>
                    <th scope="col">{t('calendar.import.row')}</th>
                    <th scope="col">{t('calendar.import.when')}</th>
                    <th scope="col">{t('calendar.import.text')}</th>
                    <th scope="col">{t('calendar.import.problems')}</th>
                  </tr>
                </thead>
                <tbody>
                  {[...check.rows.filter((r) => r.errors.length), ...check.rows.filter((r) => !r.errors.length)].slice(0, 300).map((row) => (
                    <tr key={row.row} className={row.errors.length ? 'bad' : ''} data-row={row.row}>
                      <td>{row.row}</td>
                      <td>{row.local?.replace('T', ' ') ?? '—'}</td>
                      <td className="import-text">{row.body.slice(0, 80)}</td>
                      <td>{row.errors.length ? row.errors.map(errorLine).join(' ') : t('calendar.import.ok')}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </>
        )}
        <div className="dialog-actions">
          <span className="spacer" />
          <button type="button" className="button" onClick={onClose}>
            {t('calendar.cancel')}
          </button>
          <button type="button" className="button primary" disabled={!canImport || busy} onClick={() => void commit()}>
            {t('calendar.import.commit', { count: check?.rows.length ?? 0 })}
          </button>
        </div>
      </div>
    </Dialog>
  );
}
