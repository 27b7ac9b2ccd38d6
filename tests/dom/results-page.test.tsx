import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import type { i18n } from 'i18next';
import { I18nextProvider } from 'react-i18next';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Args } from '../../main/core/contract';
import { dayStart } from '../../main/core/calendar/days';
import type { ResultsSummary } from '../../main/core/results';
import { useProjects } from '../../renderer/src/features/projects/projects-store';
import { ResultsPage } from '../../renderer/src/features/results/ResultsPage';
import { useResults } from '../../renderer/src/features/results/results-store';
import { useSettings } from '../../renderer/src/features/settings/settings-store';
import { initI18n } from '../../renderer/src/i18n/i18n';
import en from '../../renderer/src/i18n/locales/en.json';
import { setApiForTests } from '../../renderer/src/platform/api';
import { createFakeApi, project, type FakeApi } from './fake-api';

/** What each chart was given: jsdom draws no canvas, so the test compares the chart's data with its table. */
const plots = vi.hoisted(() => [] as { series: string; data: number[][] }[]);
vi.mock('uplot', () => {
  class FakePlot {
    static paths = { bars: () => () => null };
    constructor(options: { series: { label?: string }[]; hooks?: { draw?: (() => void)[] } }, data: number[][]) {
      plots.push({ series: options.series[1]?.label ?? '', data });
      options.hooks?.draw?.forEach((draw) => draw());
    }
    setSize() {}
    redraw() {}
    destroy() {}
  }
  return { default: FakePlot };
});

const ZONE = 'Europe/Lisbon';
// Thursday 18 March 2027, noon in Lisbon: "this month" is 1–18 March, the previous period 11–28 February.
const NOW = Date.UTC(2027, 2, 18, 12, 0);
let i18n: i18n;

beforeAll(async () => {
  i18n = await initI18n('en');
  vi.useFakeTimers({ toFake: ['Date'], now: NOW });
});

beforeEach(() => {
  plots.length = 0;
  useProjects.setState({ projects: [project({ timezone: ZONE })], activeId: 'p1', loaded: true });
  // A 24-hour clock, whatever the test machine's locale.
  useSettings.setState({ settings: { hourCycle: 'h23', weekStart: 'system' } as never });
  useResults.setState({ projectId: null, choice: null, span: null, summary: null, previous: null, status: 'idle', error: null });
  globalThis.ResizeObserver ??= class {
    observe() {}
    disconnect() {}
    unobserve() {}
  } as unknown as typeof ResizeObserver;
});

afterEach(cleanup);

const empty: ResultsSummary = { posts: 0, measured: 0, totals: {}, daily: [], top: [], byNetwork: [], byLabel: [], bestHours: [] };

function days(first: string, count: number, metrics: (i: number) => ResultsSummary['daily'][number]['metrics']): ResultsSummary['daily'] {
  return Array.from({ length: count }, (_, i) => {
    const day = new Date(Date.parse(`${first}T00:00:00Z`) + i * 86_400_000).toISOString().slice(0, 10);
    return { day, posts: i % 2, metrics: metrics(i) };
  });
}

const march: ResultsSummary = {
  posts: 9,
  measured: 9,
  totals: { likes: 120, reposts: 30 },
  daily: days('2027-03-01', 18, (i) => ({ likes: i === 2 ? 40 : i % 4, reposts: i % 3 })),
  top: [
    {
      targetId: 't1', postId: 'p-1', network: 'mastodon', accountHandle: '@bakery', text: 'שלום עולם! Challah Friday', labels: [], publishedAt: Date.UTC(2027, 2, 3, 9, 0),
      url: 'https://mastodon.example/@bakery/1', mediaId: 'm1', metrics: { likes: 40, reposts: 5 }, engagement: 45,
    },
  ],
  byNetwork: [{ key: 'mastodon', posts: 6, metrics: { likes: 100, reposts: 30 } }, { key: 'bluesky', posts: 3, metrics: { likes: 20 } }],
  byLabel: [{ key: 'promo', posts: 4, metrics: { likes: 70 } }],
  bestHours: [
    { weekday: 2, hour: 9, posts: 3, engagementPerPost: 21 },
    { weekday: 5, hour: 18, posts: 4, engagementPerPost: 7.5 },
  ],
};

function answerSummaries(api: FakeApi, byFrom: (from: number) => ResultsSummary) {
  api.answer('results.summary', ({ from }) => ({ ok: true, value: byFrom(from) }));
}

async function renderPage(api: FakeApi) {
  setApiForTests(api);
  await act(async () => {
    render(
      <I18nextProvider i18n={i18n}>
        <ResultsPage />
      </I18nextProvider>,
    );
  });
  await waitFor(() => expect(document.querySelector('.results')?.getAttribute('data-state')).toBe('ready'));
}

const summaryCalls = (api: FakeApi) => api.calls.filter((c) => c.name === 'results.summary').map((c) => c.args as Args<'results.summary'>);

describe('the Results page', () => {
  it('shows totals with their change, a chart per metric the networks gave, and switches periods', async () => {
    const api = createFakeApi();
    const march1 = dayStart('2027-03-01', ZONE);
    answerSummaries(api, (from) => (from === march1 ? march : { ...empty, posts: 6, measured: 6, totals: { likes: 100, reposts: 40 } }));
    api.answer('queue.get', () => ({ ok: true, value: { project: { slots: [], minSpacingMinutes: 0 }, queues: [] } }));
    await renderPage(api);

    // This month so far and the same 18 days before it.
    expect(summaryCalls(api)).toEqual([
      { projectId: 'p1', from: march1, to: dayStart('2027-03-19', ZONE) },
      { projectId: 'p1', from: dayStart('2027-02-11', ZONE), to: march1 },
    ]);
    const totals = screen.getByRole('list', { name: en.results.totals });
    const likes = within(totals).getByText(en.results.metric.likes).closest('li') as HTMLElement;
    expect(likes.textContent).toContain('120');
    // The change follows once the period before is in.
    await waitFor(() => expect(likes.textContent).toContain('+20% on the previous period'));
    expect((within(totals).getByText(en.results.metric.reposts).closest('li') as HTMLElement).textContent).toContain('-25%');
    // Only the metrics these networks gave: no views, quotes or saves charts.
    expect(plots.map((p) => p.series)).toEqual([en.results.metric.likes, en.results.metric.reposts]);
    expect(screen.queryByRole('heading', { name: en.results.metric.views })).toBeNull();

    fireEvent.change(screen.getByRole('combobox', { name: en.results.period.label }), { target: { value: 'lastMonth' } });
    await waitFor(() => expect(summaryCalls(api)).toHaveLength(4));
    expect(summaryCalls(api).slice(2)).toEqual([
      { projectId: 'p1', from: dayStart('2027-02-01', ZONE), to: march1 },
      { projectId: 'p1', from: dayStart('2027-01-04', ZONE), to: dayStart('2027-02-01', ZONE) },
    ]);

    fireEvent.change(screen.getByRole('combobox', { name: en.results.period.label }), { target: { value: 'custom' } });
    await waitFor(() => expect(screen.getByLabelText(en.results.period.from)).toBeTruthy());
    fireEvent.change(screen.getByLabelText(en.results.period.from), { target: { value: '2027-03-10' } });
    fireEvent.change(screen.getByLabelText(en.results.period.to), { target: { value: '2027-03-12' } });
    await waitFor(() => expect(summaryCalls(api).at(-2)).toEqual({ projectId: 'p1', from: dayStart('2027-03-10', ZONE), to: dayStart('2027-03-13', ZONE) }));
    expect(summaryCalls(api).at(-1)).toEqual({ projectId: 'p1', from: dayStart('2027-03-07', ZONE), to: dayStart('2027-03-10', ZONE) });
  });

  it('shows each chart’s numbers as an accessible table, the same numbers the chart drew', async () => {
    const api = createFakeApi();
    answerSummaries(api, () => march);
    api.answer('queue.get', () => ({ ok: true, value: { project: { slots: [], minSpacingMinutes: 0 }, queues: [] } }));
    await renderPage(api);
    const chart = screen.getByRole('figure', { name: en.results.metric.likes });
    // The canvas is hidden from screen readers; a sentence says what it shows.
    expect(chart.querySelector('.results-plot')?.getAttribute('aria-hidden')).toBe('true');
    expect(within(chart).getByText('Likes: 63 over 18 days, most on Mar 3 (40).')).toBeTruthy();
    const drawn = plots.find((p) => p.series === en.results.metric.likes)?.data[1];

    fireEvent.click(within(chart).getByRole('button', { name: en.results.chart.table }));
    const table = within(chart).getByRole('table', { name: 'Likes per day' });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows).toHaveLength(18);
    expect(rows.map((row) => Number(within(row).getByRole('cell').textContent))).toEqual(drawn);
    expect(within(rows[2] as HTMLElement).getByRole('rowheader').textContent).toBe('Mar 3');
    expect(within(chart).getByRole('button', { name: en.results.chart.table }).getAttribute('aria-pressed')).toBe('true');

    // Posts by network and by label are tables too, and the top post links to itself.
    const byNetwork = screen.getByRole('table', { name: en.results.byNetwork });
    expect(within(byNetwork).getAllByRole('row').map((r) => r.textContent)).toEqual(['NetworkPostsLikesReposts', 'MMastodon610030', 'BBluesky320—']);
    expect(screen.getByRole('table', { name: en.results.byLabel })).toBeTruthy();
    expect(screen.getByRole('link', { name: en.results.top.open }).getAttribute('href')).toBe('https://mastodon.example/@bakery/1');
  });

  it('adds the best hours to the project’s queue once, beside the slots already there', async () => {
    const api = createFakeApi();
    answerSummaries(api, () => march);
    let slots = [{ weekday: 1, minute: 600 }, { weekday: 5, minute: 18 * 60 }];
    api.answer('queue.get', () => ({ ok: true, value: { project: { slots, minSpacingMinutes: 45 }, queues: [] } }));
    api.answer('queue.saveProject', (args) => {
      slots = args.slots;
      return { ok: true, value: { slots: args.slots, minSpacingMinutes: args.minSpacingMinutes } };
    });
    await renderPage(api);
    const section = screen.getByRole('region', { name: en.results.bestHours.title });
    expect(within(section).getByText(/Tuesday 09:00 — 21 interactions per post over 3 posts/)).toBeTruthy();
    // Friday 18:00 is a slot already.
    await waitFor(() => expect(within(section).getByText(/Friday 18:00 — 7.5 interactions per post over 4 posts/).textContent).toContain(en.results.bestHours.inQueue));

    const add = within(section).getByRole('button', { name: en.results.bestHours.add });
    await act(async () => {
      fireEvent.click(add);
    });
    const saves = api.calls.filter((c) => c.name === 'queue.saveProject');
    expect(saves.map((c) => c.args)).toEqual([
      { projectId: 'p1', slots: [{ weekday: 1, minute: 600 }, { weekday: 5, minute: 1080 }, { weekday: 2, minute: 540 }], minSpacingMinutes: 45 },
    ]);
    expect(within(section).getByRole('status').textContent).toBe('Added 1 slot to the project’s queue.'.replace('’', "'"));
    // Everything is in the queue now: nothing more to add.
    expect((add as HTMLButtonElement).disabled).toBe(true);
    fireEvent.click(add);
    expect(api.calls.filter((c) => c.name === 'queue.saveProject')).toHaveLength(1);
  });

  it('exports the period as CSV, named for the project and its days', async () => {
    const api = createFakeApi();
    answerSummaries(api, () => march);
    api.answer('queue.get', () => ({ ok: true, value: { project: { slots: [], minSpacingMinutes: 0 }, queues: [] } }));
    api.answer('results.export', () => ({ ok: true, value: { fileName: 'x.csv', mime: 'text/csv', text: '\ufeffdate\r\n', count: 9 } }));
    const saved: string[] = [];
    URL.createObjectURL = () => 'blob:results';
    URL.revokeObjectURL = () => {};
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      saved.push(this.download);
    });
    await renderPage(api);
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: en.results.export.csv }));
    });
    click.mockRestore();
    expect(api.calls.find((c) => c.name === 'results.export')?.args).toEqual({ projectId: 'p1', from: dayStart('2027-03-01', ZONE), to: dayStart('2027-03-19', ZONE), format: 'csv' });
    expect(saved).toEqual(['Acme Bakery — results — 2027-03-01 to 2027-03-18.csv']);
    expect(screen.getByText('Saved Acme Bakery — results — 2027-03-01 to 2027-03-18.csv (9 posts).')).toBeTruthy();
  });

  it('says when nothing went out yet, and when posts went out but no numbers came in', async () => {
    const api = createFakeApi();
    let current: ResultsSummary = empty;
    answerSummaries(api, () => current);
    await renderPage(api);
    expect(screen.getByText(en.results.empty.noPosts)).toBeTruthy();
    expect(plots).toHaveLength(0);

    current = { ...empty, posts: 2, measured: 0, byNetwork: [{ key: 'telegram', posts: 2, metrics: {} }] };
    fireEvent.change(screen.getByRole('combobox', { name: en.results.period.label }), { target: { value: 'last30' } });
    await screen.findByText('2 posts went out, but no numbers have come in yet: numbers arrive an hour after publishing.');
    expect(plots).toHaveLength(0);
    expect(screen.queryByRole('region', { name: en.results.bestHours.title })).toBeNull();
  });
});
