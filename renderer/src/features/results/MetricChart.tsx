import { useId, useLayoutEffect, useRef, useState } from 'react';
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

interface Palette {
  text: string;
  grid: string;
  accent: string;
}

let palette: { theme: string; colors: Palette } | null = null;

/**
 * The theme's colours as the canvas needs them (CSS variables hold light-dark() pairs only the style
 * engine resolves), read once per theme for every chart: each read makes the browser restyle the page.
 */
function themePalette(host: Element): Palette {
  const root = document.documentElement;
  const dark = typeof window.matchMedia === 'function' && window.matchMedia('(prefers-color-scheme: dark)').matches;
  const theme = `${root.dataset['theme'] ?? ''}|${root.className}|${dark}`;
  if (palette?.theme === theme) return palette.colors;
  const probes = ['--muted', '--border', '--accent'].map((variable) => {
    const probe = document.createElement('span');
    probe.style.color = `var(${variable})`;
    host.append(probe);
    return probe;
  });
  const [text, grid, accent] = probes.map((probe) => getComputedStyle(probe).color || 'currentColor') as [string, string, string];
  for (const probe of probes) probe.remove();
  palette = { theme, colors: { text, grid, accent } };
  return palette.colors;
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

  // Made before the first paint, so the page is never shown without its charts. Every chart reads its
  // width and colours here first and is made in a microtask after the commit: made one by one, each
  // new chart would make the next one's read lay the page out again.
  useLayoutEffect(() => {
    const host = plotRef.current;
    if (asTable || !host) return;
    let colors = themePalette(host);
    const width = (measured: number) => Math.max(240, measured || 480);
    let shownWidth = width(host.clientWidth);
    let plot: uPlot | null = null;
    let live = true;
    const makePlot = () =>
      new uPlot(
        {
          width: shownWidth,
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
              stroke: () => colors.accent,
              fill: () => colors.accent,
              paths: uPlot.paths.bars?.({ size: [0.7, 24] }),
              points: { show: false },
            },
          ],
          axes: [
            {
              stroke: () => colors.text,
              grid: { show: false },
              ticks: { stroke: () => colors.grid },
              incrs: [1, 2, 7, 14, 28, 56, 91],
              values: (_u, splits) => splits.map((i) => (Number.isInteger(i) && days[i] ? shortDate(days[i] as DayKey, lang) : '')),
            },
            {
              stroke: () => colors.text,
              grid: { stroke: () => colors.grid, width: 1 },
              ticks: { show: false },
              size: 48,
              values: (_u, splits) => splits.map((v) => (Number.isInteger(v) ? formatCount(v, lang) : '')),
            },
          ],
        },
        [days.map((_, i) => i), [...values]],
        host,
      );
    queueMicrotask(() => {
      if (live) plot = makePlot();
    });
    // The observer's first call reports the width the chart was made with: redrawing then would draw every chart twice.
    const resize = new ResizeObserver(() => {
      const next = width(host.clientWidth);
      if (next === shownWidth) return;
      shownWidth = next;
      plot?.setSize({ width: next, height: 160 });
    });
    resize.observe(host);
    const stopTheme = onThemeChange(() => {
      colors = themePalette(host);
      plot?.redraw(false, true);
    });
    return () => {
      live = false;
      stopTheme();
      resize.disconnect();
      plot?.destroy();
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
