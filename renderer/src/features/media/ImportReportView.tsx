import { useTranslation } from 'react-i18next';
import type { ImportFailure } from '../../../../main/core/contract';
import { formatBytes } from './format';
import { codecLabel } from './video-probe';
import type { ImportReport } from './media-store';

/** The sentence for one refused file; the numbers it needs come with the refusal. */
export function useFailureText(): (failure: ImportFailure) => string {
  const { t, i18n } = useTranslation();
  return (failure) => {
    const d = failure.details ?? {};
    const num = (key: string) => (typeof d[key] === 'number' ? (d[key] as number) : 0);
    if (failure.reason === 'video_codec_unsupported' && d.here === 1) {
      return t('media.failure.video_codec_unsupported_here', { codec: codecLabel(String(d.codec ?? '')) });
    }
    return t(`media.failure.${failure.reason}`, {
      format: d.format ?? '',
      codec: codecLabel(String(d.codec ?? '')),
      size: formatBytes(num('bytes'), i18n.language),
      limit: failure.reason === 'too_many_pixels' ? num('limit') : formatBytes(num('limit'), i18n.language),
      width: num('width'),
      height: num('height'),
    });
  };
}

interface ImportReportViewProps {
  report: ImportReport;
  onDismiss(): void;
}

/** What the last import did: a status line for the files that landed, an alert listing the ones refused. */
export function ImportReportView({ report, onDismiss }: ImportReportViewProps) {
  const { t } = useTranslation();
  const failureText = useFailureText();
  const { added, duplicates, movedToShared, failures } = report;
  return (
    <div className="import-report">
      {(added > 0 || duplicates > 0 || movedToShared > 0) && (
        <p className="status ok" role="status">
          {[
            added > 0 ? t('media.imported', { count: added }) : null,
            duplicates > 0 ? t('media.duplicates', { count: duplicates }) : null,
            movedToShared > 0 ? t('media.movedToShared', { count: movedToShared }) : null,
          ]
            .filter(Boolean)
            .join(' ')}
        </p>
      )}
      {failures.length > 0 && (
        <section className="import-failures" role="alert" aria-labelledby="import-failures-title">
          <h2 id="import-failures-title">{t('media.notImported', { count: failures.length })}</h2>
          <ul>
            {failures.map((failure, i) => (
              <li key={`${failure.fileName}-${i}`}>
                <strong>
                  <bdi>{failure.fileName}</bdi>
                </strong>
                {t('media.failureSeparator')}
                {failureText(failure)}
              </li>
            ))}
          </ul>
        </section>
      )}
      <button type="button" className="button subtle" onClick={onDismiss}>
        {t('media.dismissReport')}
      </button>
    </div>
  );
}
