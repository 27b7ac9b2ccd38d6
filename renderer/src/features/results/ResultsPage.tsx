import { useEffect, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { DayKey } from '../../../../main/core/calendar/days';
import { metricNames, type MetricName } from '../../../../main/core/metrics';
import { unawaited } from '../../platform/unawaited';
import { Page } from '../../ui/Page';
import { useErrorText } from '../../ui/useErrorText';
import { rangeTitle } from '../calendar/format';
import { useActiveProject } from '../projects/projects-store';
import { useTimeLocale } from '../settings/time-preferences';
import { BestHours } from './BestHours';
import { ExportButtons } from './ExportButtons';
import { MetricChart } from './MetricChart';
import { ReportButton } from './ReportDialog';
import { periodKinds, dayOrNull, changePercent, type PeriodChoice } from './period';
import { GroupTable, TopPosts } from './ResultsTables';
import { formatChange, formatCount } from './results-format';
import { useResults } from './results-store';
import './results.css';

/** This month, last month, the last 30 days or a range of days, in the project's zone. */
function PeriodPicker({ choice, onChoose }: { choice: PeriodChoice; onChoose(choice: PeriodChoice): void }) {
  const { t } = useTranslation();
  const setDay = (end: 'first' | 'last', value: string) => {
    const day = dayOrNull(value);
    if (day) onChoose({ ...choice, kind: 'custom', [end]: day });
  };
  return (
    <div className="results-period">
      <label className="field">
        {t('results.period.label')}
        <select value={choice.kind} onChange={(e) => onChoose({ ...choice, kind: e.target.value as PeriodChoice['kind'] })}>
          {periodKinds.map((kind) => (
            <option key={kind} value={kind}>
              {t(`results.period.${kind}`)}
            </option>
          ))}
        </select>
      </label>
      {choice.kind === 'custom' && (
        <>
          <label className="field">
            {t('results.period.from')}
            <input type="date" value={choice.first} onChange={(e) => setDay('first', e.target.value)} />
          </label>
          <label className="field">
            {t('results.period.to')}
            <input type="date" value={choice.last} onChange={(e) => setDay('last', e.target.value)} />
          </label>
        </>
      )}
    </div>
  );
}

export function ResultsPage() {
  const { t } = useTranslation();
  const lang = useTimeLocale();
  const errorText = useErrorText();
  const project = useActiveProject();
  const { choice, span, summary, previous, status, error } = useResults();
  const projectId = project?.id ?? null;
  const zone = project?.timezone ?? 'UTC';

  useEffect(() => {
    if (projectId) unawaited(useResults.getState().open(projectId, zone), 'Loading the results');
  }, [projectId, zone]);
  useEffect(() => () => useResults.getState().leave(), []);

  // The charts' data is made once per answer, so a re-render never rebuilds a chart.
  const series = useMemo(() => {
    if (!summary) return null;
    const days: DayKey[] = summary.daily.map((d) => d.day);
    const metrics = metricNames.filter((m) => summary.totals[m] !== undefined);
    return { days, metrics, values: Object.fromEntries(metrics.map((m) => [m, summary.daily.map((d) => d.metrics[m] ?? 0)])) as Record<MetricName, number[]> };
  }, [summary]);

  if (!project || !projectId) {
    return (
      <Page title={t('results.title')}>
        <p className="empty">{t('results.noProject')}</p>
      </Page>
    );
  }

  const ready = status === 'ready' && summary && series;
  return (
    <Page title={t('results.title')}>
      <div className="results" data-state={status}>
        <div className="results-toolbar">
          {choice && <PeriodPicker choice={choice} onChoose={(next) => unawaited(useResults.getState().choose(next), 'Loading the results')} />}
          {span && <p className="results-range">{rangeTitle(span.first, span.last, lang)}</p>}
          <span className="spacer" />
          {span && <ExportButtons projectId={projectId} projectName={project.name} zone={zone} span={span} />}
          <ReportButton project={project} />
        </div>
        {status === 'loading' && !summary && (
          <p className="loading" role="status">
            {t('app.loading')}
          </p>
        )}
        {status === 'error' && error && <p className="error">{errorText(error)}</p>}
        {ready && summary.posts === 0 && <p className="empty results-empty">{t('results.empty.noPosts')}</p>}
        {ready && summary.posts > 0 && (
          <>
            <ul className="results-totals" aria-label={t('results.totals')}>
              <li className="results-total">
                <span className="results-total-label">{t('results.posts')}</span>
                <strong className="results-total-value">{formatCount(summary.posts, lang)}</strong>
                <Change now={summary.posts} before={previous ? previous.posts : null} lang={lang} />
              </li>
              {series.metrics.map((m) => (
                <li key={m} className="results-total" data-metric={m}>
                  <span className="results-total-label">{t(`results.metric.${m}`)}</span>
                  <strong className="results-total-value">{formatCount(summary.totals[m] ?? 0, lang)}</strong>
                  <Change now={summary.totals[m] ?? 0} before={previous ? previous.totals[m] : null} lang={lang} />
                </li>
              ))}
            </ul>
            {summary.measured === 0 ? (
              <p className="empty results-empty">{t('results.empty.noReadings', { count: summary.posts })}</p>
            ) : (
              <>
                <section className="results-section" aria-labelledby="results-charts">
                  <h2 id="results-charts">{t('results.charts')}</h2>
                  <div className="results-charts">
                    {series.metrics.map((m) => (
                      <MetricChart key={m} metric={m} days={series.days} values={series.values[m]} lang={lang} />
                    ))}
                  </div>
                </section>
                <TopPosts posts={summary.top} metrics={series.metrics} zone={zone} lang={lang} />
                <BestHours key={projectId} projectId={projectId} hours={summary.bestHours} lang={lang} />
              </>
            )}
            <div className="results-groups">
              <GroupTable kind="network" groups={summary.byNetwork} metrics={series.metrics} lang={lang} />
              <GroupTable kind="label" groups={summary.byLabel} metrics={series.metrics} lang={lang} />
            </div>
          </>
        )}
      </div>
    </Page>
  );
}

/** "+12% on the previous period", or nothing to compare with; empty until the previous period is in (`before` null). */
function Change({ now, before, lang }: { now: number; before: number | undefined | null; lang: string }) {
  const { t } = useTranslation();
  if (before === null) return <span className="results-change" />;
  const percent = changePercent(now, before);
  if (percent === null) return <span className="results-change">{t('results.change.none')}</span>;
  return (
    <span className="results-change" data-trend={percent > 0 ? 'up' : percent < 0 ? 'down' : 'flat'}>
      {t('results.change.vsPrevious', { change: formatChange(percent, lang) })}
    </span>
  );
}
