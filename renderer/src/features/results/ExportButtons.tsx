import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { exportFileName } from '../../../../main/core/calendar/export-scope';
import type { OutpostError } from '../../../../main/core/errors';
import { invoke } from '../../platform/api';
import { unawaited } from '../../platform/unawaited';
import { useErrorText } from '../../ui/useErrorText';
import { download } from '../calendar/ShareDialog';
import { spanInstants, type DaySpan } from './period';

/** The period's results as CSV or JSON, saved the way the calendar's export saves its files. */
export function ExportButtons({ projectId, projectName, zone, span }: { projectId: string; projectName: string; zone: string; span: DaySpan }) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const [error, setError] = useState<OutpostError | null>(null);
  const [done, setDone] = useState<string | null>(null);

  const exportAs = async (format: 'csv' | 'json') => {
    setError(null);
    setDone(null);
    const result = await invoke('results.export', { projectId, ...spanInstants(span, zone), format });
    if (!result.ok) return setError(result.error);
    if (result.value.count === 0) return setDone(t('results.export.nothing'));
    // Named in the user's language, as the calendar's exports are.
    const name = exportFileName({
      project: projectName,
      span,
      extension: format,
      kind: t('results.export.fileKind'),
      words: { to: t('calendar.share.file.to'), wholeProject: t('calendar.share.file.wholeProject'), allProjects: t('calendar.share.file.allProjects') },
    });
    download(name, result.value.mime, result.value.text);
    setDone(t('results.export.saved', { file: name, count: result.value.count }));
  };

  return (
    <div className="results-export">
      <button type="button" className="button" onClick={() => unawaited(exportAs('csv'), 'Exporting the results')}>
        {t('results.export.csv')}
      </button>
      <button type="button" className="button" onClick={() => unawaited(exportAs('json'), 'Exporting the results')}>
        {t('results.export.json')}
      </button>
      <p className={error ? 'error' : 'hint'} role="status">
        {error ? errorText(error) : (done ?? '')}
      </p>
    </div>
  );
}
