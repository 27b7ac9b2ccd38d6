import { escapeHtml, userTextHtml } from './calendar/approval-pack';
import type { PackPost } from './contract/calendar';
import { metricNames, type MetricName, type PostMetrics } from './metrics';
import type { NetworkId } from './networks/ids';
import { engagementOf, type MetricTotals, type ResultsSummary } from './results';

/**
 * The monthly client report (issue 14 item 5): one self-contained HTML page — styles inline, images
 * as data: URLs, the chart as inline SVG, no script, a CSP that loads nothing — so the same markup
 * is mailed as HTML and printed to PDF. Written in the client's language: the words come from the
 * caller, dates and numbers are formatted here with Intl in `lang`.
 */

/** One post as it went out on one account, with what it did. */
export interface ReportPost {
  targetId: string;
  network: NetworkId;
  account: string;
  text: string;
  publishedAt: number;
  url: string | null;
  metrics: PostMetrics;
  engagement: number;
  /** A thumbnail of its first image (data: URL), for the top posts. */
  image: { dataUrl: string; alt: string } | null;
}

export interface ReportData {
  projectName: string;
  color: string;
  timezone: string;
  /** The month reported, YYYY-MM in the project's zone. */
  month: string;
  summary: ResultsSummary;
  /** The month before, to say what changed; null when nothing went out then. */
  previous: { posts: number; totals: MetricTotals } | null;
  /** Every post that went out in the month, oldest first. */
  wentOut: ReportPost[];
  /** The month's best posts by engagement, with their images. */
  top: ReportPost[];
  /** Next month's posts the client approved, in time order. */
  next: PackPost[];
}

/** The sentences of the report, in the client's language (the renderer fills them with i18next). */
export interface ReportWords {
  title: string;
  subtitle: string;
  generated: string;
  glance: string;
  postsPublished: string;
  engagement: string;
  /** "{{change}} on last month": {{change}} is filled here, from the numbers. */
  vsPrevious: string;
  /** Said when some posts have no numbers: {{measured}} and {{posts}} are filled here. */
  measuredNote: string;
  chart: string;
  byNetwork: string;
  network: string;
  posts: string;
  top: string;
  wentOut: string;
  when: string;
  post: string;
  noPosts: string;
  next: string;
  noNext: string;
  open: string;
  metrics: Record<MetricName, string>;
  networks: Record<NetworkId, string>;
}

export interface ReportInput {
  data: ReportData;
  words: ReportWords;
  lang: string;
  dir: 'ltr' | 'rtl';
}

const style = `
*{box-sizing:border-box}body{margin:0;font:14px/1.5 system-ui,-apple-system,'Segoe UI','Noto Sans','DejaVu Sans',sans-serif;color:#1b1f27;background:#fff}
header{padding:24px 32px;border-block-end:4px solid var(--c)}h1{margin:0 0 4px;font-size:24px}header p{margin:0;color:#5b6472}
main{padding:8px 32px 16px}section{margin-block:20px;break-inside:avoid-page}h2{font-size:17px;margin:0 0 10px;color:#111827}
.tiles{display:grid;grid-template-columns:repeat(auto-fill,minmax(140px,1fr));gap:10px}.tile{border:1px solid #d6dae1;border-radius:8px;padding:10px 12px}
.tile .v{font-size:22px;font-weight:700}.tile .k{color:#5b6472;font-size:12px}.tile .d{font-size:12px;color:#5b6472}.up{color:#15803d}.down{color:#b91c1c}
.note{color:#5b6472;font-size:12px;margin-block-start:6px}svg{display:block;max-inline-size:100%}
table{border-collapse:collapse;inline-size:100%;font-size:13px}th,td{border-block-end:1px solid #e5e7eb;padding:5px 6px;text-align:start;vertical-align:top}
th{color:#5b6472;font-weight:600}td.n,th.n{text-align:end;white-space:nowrap;font-variant-numeric:tabular-nums}
.text{white-space:pre-wrap;overflow-wrap:anywhere;unicode-bidi:plaintext;text-align:start}
.top{display:grid;gap:12px}.card{display:flex;gap:12px;border:1px solid #d6dae1;border-radius:8px;padding:12px;break-inside:avoid}
.card img{inline-size:120px;block-size:120px;object-fit:cover;border-radius:6px;flex:none}.card .body{flex:1;min-inline-size:0}
.meta{color:#5b6472;font-size:12px;margin-block-end:4px}.nums{display:flex;flex-wrap:wrap;gap:4px 12px;font-size:12px;margin-block-start:6px}
.rank{font-weight:700;color:var(--c)}a{color:#1d4ed8}footer{padding:16px 32px;color:#6b7280;font-size:12px}
@media print{header{padding:16px}main{padding:4px 16px}}`;

/** A compact line for a long post in a table: the first 200 characters, on a word boundary where one is near. */
function excerpt(text: string, max = 200): string {
  const chars = [...text.replace(/\s+/g, ' ').trim()];
  if (chars.length <= max) return chars.join('');
  const cut = chars.slice(0, max).join('');
  const space = cut.lastIndexOf(' ');
  return `${space > max * 0.7 ? cut.slice(0, space) : cut}…`;
}

function formatters(lang: string, zone: string) {
  const number = new Intl.NumberFormat(lang);
  const percent = new Intl.NumberFormat(lang, { style: 'percent', maximumFractionDigits: 0, signDisplay: 'exceptZero' });
  const time = new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short', timeZone: zone });
  const day = new Intl.DateTimeFormat(lang, { day: 'numeric', timeZone: 'UTC' });
  return { number: (n: number) => number.format(n), percent: (n: number) => percent.format(n), time: (at: number) => time.format(at), day: (key: string) => day.format(new Date(`${key}T12:00:00Z`)) };
}

type Format = ReturnType<typeof formatters>;

/** The metrics the month has any number for, in their usual order: a network that gives no views adds no empty column. */
function shownMetrics(totals: MetricTotals): MetricName[] {
  return metricNames.filter((name) => totals[name] !== undefined);
}

/** Puts the report's own numbers into a sentence the caller translated with {{placeholders}} left in. */
function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{\{(\w+)\}\}/g, (whole, name: string) => values[name] ?? whole);
}

function change(now: number, before: number | undefined, words: ReportWords, f: Format): string {
  if (before === undefined || before === 0) return '';
  const ratio = (now - before) / before;
  const cls = ratio > 0 ? 'up' : ratio < 0 ? 'down' : '';
  return `<div class="d"><span class="${cls}">${escapeHtml(fill(words.vsPrevious, { change: f.percent(ratio) }))}</span></div>`;
}

function glance(input: ReportInput, f: Format): string {
  const { data, words } = input;
  const { summary, previous } = data;
  const tile = (label: string, value: number, before: number | undefined) =>
    `<div class="tile"><div class="v">${escapeHtml(f.number(value))}</div><div class="k">${escapeHtml(label)}</div>${change(value, before, words, f)}</div>`;
  const tiles = [
    tile(words.postsPublished, summary.posts, previous?.posts),
    tile(words.engagement, engagementOf(summary.totals), previous ? engagementOf(previous.totals) : undefined),
    ...shownMetrics(summary.totals).map((name) => tile(words.metrics[name], summary.totals[name] ?? 0, previous?.totals[name])),
  ].join('');
  const note = summary.measured < summary.posts ? `<p class="note">${escapeHtml(fill(words.measuredNote, { measured: f.number(summary.measured), posts: f.number(summary.posts) }))}</p>` : '';
  return `<section class="glance"><h2>${escapeHtml(words.glance)}</h2><div class="tiles">${tiles}</div>${note}</section>`;
}

/** Engagement per day as bars, drawn left to right whatever the page's direction (a time axis reads that way in print). */
function chart(input: ReportInput, f: Format): string {
  const { daily } = input.data.summary;
  if (daily.length === 0) return '';
  const values = daily.map((day) => engagementOf(day.metrics));
  const max = Math.max(1, ...values);
  const width = 720;
  const height = 170;
  const left = 44;
  const bottom = 22;
  const slot = (width - left) / daily.length;
  const bar = Math.max(2, slot * 0.7);
  const y = (v: number) => height - bottom - ((height - bottom - 8) * v) / max;
  const bars = values
    .map((v, i) => {
      const x = left + i * slot + (slot - bar) / 2;
      const day = daily[i] as (typeof daily)[number];
      return `<rect x="${x.toFixed(1)}" y="${y(v).toFixed(1)}" width="${bar.toFixed(1)}" height="${(height - bottom - y(v)).toFixed(1)}" rx="2" fill="var(--c)"><title>${escapeHtml(`${f.day(day.day)}: ${f.number(v)}`)}</title></rect>`;
    })
    .join('');
  // Every fifth day is labelled (and the first), enough to find a date without crowding.
  const labels = daily
    .map((day, i) => (i === 0 || (i + 1) % 5 === 0 ? `<text x="${(left + i * slot + slot / 2).toFixed(1)}" y="${height - 6}" text-anchor="middle">${escapeHtml(f.day(day.day))}</text>` : ''))
    .join('');
  const axis = `<line x1="${left}" y1="${height - bottom}" x2="${width}" y2="${height - bottom}" stroke="#9ca3af"/><text x="${left - 6}" y="${y(max) + 4}" text-anchor="end">${escapeHtml(f.number(max))}</text><text x="${left - 6}" y="${height - bottom}" text-anchor="end">0</text>`;
  return `<section class="chart"><h2>${escapeHtml(input.words.chart)}</h2><div dir="ltr"><svg viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${escapeHtml(input.words.chart)}" font-size="11" fill="#5b6472">${axis}${bars}${labels}</svg></div></section>`;
}

function byNetwork(input: ReportInput, f: Format): string {
  const { summary } = input.data;
  const { words } = input;
  if (summary.byNetwork.length === 0) return '';
  const shown = shownMetrics(summary.totals);
  const head = `<tr><th>${escapeHtml(words.network)}</th><th class="n">${escapeHtml(words.posts)}</th>${shown.map((m) => `<th class="n">${escapeHtml(words.metrics[m])}</th>`).join('')}</tr>`;
  const rows = summary.byNetwork
    .map(
      (group) =>
        `<tr><td>${escapeHtml(words.networks[group.key as NetworkId] ?? group.key)}</td><td class="n">${escapeHtml(f.number(group.posts))}</td>${shown
          .map((m) => `<td class="n">${group.metrics[m] === undefined ? '–' : escapeHtml(f.number(group.metrics[m]))}</td>`)
          .join('')}</tr>`,
    )
    .join('');
  return `<section class="networks"><h2>${escapeHtml(words.byNetwork)}</h2><table><thead>${head}</thead><tbody>${rows}</tbody></table></section>`;
}

function numbers(post: ReportPost, words: ReportWords, f: Format): string {
  return metricNames
    .filter((name) => post.metrics[name] !== undefined)
    .map((name) => `<span>${escapeHtml(words.metrics[name])}: <b>${escapeHtml(f.number(post.metrics[name] as number))}</b></span>`)
    .join('');
}

function account(post: { network: NetworkId; account: string }, words: ReportWords): string {
  return `${escapeHtml(words.networks[post.network])} · <bdi>${escapeHtml(post.account)}</bdi>`;
}

function openLink(url: string | null, words: ReportWords): string {
  // Only web addresses become links: a report is opened by the client, who should never be sent elsewhere.
  return url && /^https?:\/\//i.test(url) ? ` · <a href="${escapeHtml(url)}">${escapeHtml(words.open)}</a>` : '';
}

function topPosts(input: ReportInput, f: Format): string {
  const { words } = input;
  if (input.data.top.length === 0) return '';
  const cards = input.data.top
    .map(
      (post, i) => `<article class="card" data-target-id="${escapeHtml(post.targetId)}">${post.image ? `<img src="${escapeHtml(post.image.dataUrl)}" alt="${escapeHtml(post.image.alt)}">` : ''}
<div class="body"><div class="meta"><span class="rank">${escapeHtml(f.number(i + 1))}.</span> ${escapeHtml(f.time(post.publishedAt))} · ${account(post, words)}${openLink(post.url, words)}</div>
<div class="text" dir="auto">${userTextHtml(excerpt(post.text, 500))}</div><div class="nums">${numbers(post, words, f)}</div></div></article>`,
    )
    .join('');
  return `<section><h2>${escapeHtml(words.top)}</h2><div class="top">${cards}</div></section>`;
}

function wentOut(input: ReportInput, f: Format): string {
  const { words } = input;
  const posts = input.data.wentOut;
  const body = posts.length
    ? `<table><thead><tr><th>${escapeHtml(words.when)}</th><th>${escapeHtml(words.network)}</th><th>${escapeHtml(words.post)}</th><th class="n">${escapeHtml(words.engagement)}</th></tr></thead><tbody>${posts
        .map(
          (post) =>
            `<tr data-target-id="${escapeHtml(post.targetId)}"><td>${escapeHtml(f.time(post.publishedAt))}</td><td>${account(post, words)}</td><td><div class="text" dir="auto">${userTextHtml(excerpt(post.text))}</div></td><td class="n">${Object.keys(post.metrics).length ? escapeHtml(f.number(post.engagement)) : '–'}</td></tr>`,
        )
        .join('')}</tbody></table>`
    : `<p>${escapeHtml(words.noPosts)}</p>`;
  return `<section class="went-out"><h2>${escapeHtml(words.wentOut)}</h2>${body}</section>`;
}

function nextMonth(input: ReportInput, f: Format): string {
  const { words } = input;
  const posts = input.data.next;
  const body = posts.length
    ? `<div class="top">${posts
        .map((post) => {
          const image = post.images[0];
          const where = post.targets.map((target) => account({ network: target.network, account: target.displayName || target.handle }, words)).join(', ');
          return `<article class="card" data-post-id="${escapeHtml(post.id)}">${image ? `<img src="${escapeHtml(image.dataUrl)}" alt="${escapeHtml(image.alt)}">` : ''}
<div class="body"><div class="meta">${post.scheduledAt === null ? '' : escapeHtml(f.time(post.scheduledAt))}${where ? ` · ${where}` : ''}</div><div class="text" dir="auto">${userTextHtml(excerpt(post.body, 500))}</div></div></article>`;
        })
        .join('')}</div>`
    : `<p>${escapeHtml(words.noNext)}</p>`;
  return `<section class="next"><h2>${escapeHtml(words.next)}</h2>${body}</section>`;
}

export function renderClientReport(input: ReportInput): string {
  const { data, words } = input;
  const colour = /^#[0-9a-fA-F]{6}$/.test(data.color) ? data.color : '#2563eb';
  const f = formatters(input.lang, data.timezone);
  const results = data.summary.posts ? [glance(input, f), chart(input, f), byNetwork(input, f), topPosts(input, f)].join('\n') : '';
  return `<!doctype html>
<html lang="${escapeHtml(input.lang)}" dir="${input.dir}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(words.title)}</title>
<style>${style}</style>
</head>
<body style="--c:${colour}">
<header><h1>${escapeHtml(words.title)}</h1><p>${escapeHtml(words.subtitle)}</p></header>
<main>
${results}
${wentOut(input, f)}
${nextMonth(input, f)}
</main>
<footer>${escapeHtml(words.generated)}</footer>
</body>
</html>
`;
}

/** The first instant of a YYYY-MM month and of the month after, as calendar days (zone applied by the caller). */
export function monthDays(month: string): { first: string; next: string; previous: string; following: string } {
  const [year, mon] = month.split('-').map(Number) as [number, number];
  const key = (y: number, m: number) => `${String(y + Math.floor((m - 1) / 12)).padStart(4, '0')}-${String((((m - 1) % 12) + 12) % 12 + 1).padStart(2, '0')}-01`;
  return { first: key(year, mon), next: key(year, mon + 1), previous: key(year, mon - 1), following: key(year, mon + 2) };
}
