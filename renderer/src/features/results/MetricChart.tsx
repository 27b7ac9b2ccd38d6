import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { DayKey } from '../../../../main/core/calendar/days';
import type { MetricName } from '../../../../main/core/metrics';
import { shortDate, formatCount } from './results-format';

interface MetricChartProps {
  metric: MetricName;
  days: readonly DayKey[];
  values: readonly number[];
  lang: string;
}

/** A theme colour as the canvas needs it: CSS variables hold light-dark() pairs only the style engine resolves. */
function cssColor(host: Element, variable: string): string {
  const probe = document.createElement('span');
  probe.style.color = `var(${variable})`;
  host.append(probe);
  const color = getComputedStyle(probe).color;
  probe.remove();
  return color || 'currentColor';
}

/** Redraws when the theme changes (the setting, or the system's when following it). */
function onThemeChange(redraw: () => void): () => void {
  const observer = new MutationObserver(redraw);
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme', 'class'] });
  const media = typeof window.matchMedia === 'function' ? window.matchMedia('(prefers-color-scheme: dark)') : null;
  media?.addEventListener('change', redraw);
  return () => {
    observer.disconnect();
    media?.removeEventListener('change', redraw);
  };
}

/** Day by day numbers of one metric: a uPlot bar chart (hidden from screen readers, summed up in a sentence) or the same numbers as a table. */
export function MetricChart({ metric, days, values, lang }: MetricChartProps) {
  const { t } = useTranslation();
  const [asTable, setAsTable] = useState(false);
  const plotRef = useRef<HTMLDivElement>(null);
  const headingId = useId();
  const name = t(`results.metric.${metric}`);
  const total = values.reduce((sum, v) => sum + v, 0);
  let best = 0;
  values.forEach((v, i) => {
    if (v > (values[best] ?? 0)) best = i;
  });
  const summary =
    total === 0
      ? t('results.chart.summaryNone', { metric: name, days: days.length })
      : t('results.chart.summary', { metric: name, total: formatCount(total, lang), days: days.length, best: shortDate(days[best] as DayKey, lang), bestValue: formatCount(values[best] ?? 0, lang) });

  useEffect(() => {
    const host = plotRef.current;
    if (asTable || !host) return;
    const colors = () => ({ text: cssColor(host, '--muted'), grid: cssColor(host, '--border'), accent: cssColor(host, '--accent') });
    let palette = colors();
    const width = () => Math.max(240, host.clientWidth || 480);
    const plot = new uPlot(
      {
        width: width(),
        height: 160,
        legend: { show: false },
        cursor: { show: false },
        scales: { x: { time: false } },
        // Marks the plot drawn, for the benchmark and the e2e test that wait for it.
        hooks: { draw: [() => (host.dataset.painted = 'true')] },
        series: [
          {},
          {
            label: name,
            stroke: () => palette.accent,
            fill: () => palette.accent,
            paths: uPlot.paths.bars?.({ size: [0.7, 24] }),
            points: { show: false },
          },
        ],
        axes: [
          {
            stroke: () => palette.text,
            grid: { show: false },
            ticks: { stroke: () => palette.grid },
            incrs: [1, 2, 7, 14, 28, 56, 91],
            values: (_u, splits) => splits.map((i) => (Number.isInteger(i) && days[i] ? shortDate(days[i] as DayKey, lang) : '')),
          },
          {
            stroke: () => palette.text,
            grid: { stroke: () => palette.grid, width: 1 },
            ticks: { show: false },
            size: 48,
            values: (_u, splits) => splits.map((v) => (Number.isInteger(v) ? formatCount(v, lang) : '')),
          },
        ],
      },
      [days.map((_, i) => i), [...values]],
      host,
    );
    const resize = new ResizeObserver(() => plot.setSize({ width: width(), height: 160 }));
    resize.observe(host);
    const stopTheme = onThemeChange(() => {
      palette = colors();
      plot.redraw(false, true);
    });
    return () => {
      stopTheme();
      resize.disconnect();
      plot.destroy();
    };
  }, [asTable, days, values, lang, name]);

  return (
    <figure className="results-chart" aria-labelledby={headingId} data-metric={metric}>
      <div className="results-chart-head">
        <h3 id={headingId}>{name}</h3>
        <button type="button" className="button subtle" aria-pressed={asTable} onClick={() => setAsTable((v) => !v)}>
          {t('results.chart.table')}
        </button>
      </div>
      <p className="hint results-chart-summary">{summary}</p>
      {asTable ? (
        <div className="results-table-wrap">
          <table role="table" className="results-table">
            <caption>{t('results.chart.caption', { metric: name })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('results.table.day')}</th>
                <th scope="col">{name}</th>
              </tr>
            </thead>
            <tbody>
              {days.map((day, i) => (
                <tr key={day}>
                  <th scope="row">{shortDate(day, lang)}</th>
                  <td>{formatCount(values[i] ?? 0, lang)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <div ref={plotRef} className="results-plot" aria-hidden="true" data-painted="false" />
      )}
    </figure>
  );
}
