import { z } from 'zod';
import type { ReportWords } from '../client-report';
import { uiLanguages } from '../languages';
import { metricNames, type MetricName } from '../metrics';
import { networkIds, type NetworkId } from '../networks/ids';
import type { ResultsSummary } from '../results';
import { id, instant, type RequestSpec } from './common';

/** Results: what a project's published posts did (issue 14 items 3–4), from the readings the metrics poller keeps. */

const count = z.number().int().min(0);
const totals = z.object(Object.fromEntries(metricNames.map((name) => [name, count.optional()])) as Record<MetricName, z.ZodOptional<typeof count>>).strict();
const group = z.object({ key: z.string(), posts: count, metrics: totals });

export const resultsSummarySchema = z.object({
  posts: count,
  measured: count,
  totals,
  daily: z.array(z.object({ day: z.string(), posts: count, metrics: totals })),
  top: z.array(
    z.object({
      targetId: id,
      postId: id,
      network: z.enum(networkIds),
      accountHandle: z.string(),
      text: z.string(),
      labels: z.array(z.string()),
      publishedAt: instant,
      url: z.string().nullable(),
      mediaId: id.nullable(),
      metrics: totals,
      engagement: count,
    }),
  ),
  byNetwork: z.array(group),
  byLabel: z.array(group),
  bestHours: z.array(z.object({ weekday: z.number().int().min(1).max(7), hour: z.number().int().min(0).max(23), posts: count, engagementPerPost: z.number().min(0) })),
}) satisfies z.ZodType<ResultsSummary>;

/** At most a year and a day per request: a results page or a report never asks for more. */
const MAX_PERIOD_MS = 367 * 24 * 60 * 60_000;
const periodOk = (a: { from: number; to: number }) => a.to > a.from && a.to - a.from <= MAX_PERIOD_MS;
const periodProblem = { message: 'the period must end after it starts and span at most a year' };

const words = z.string().max(2000);
/** The report's sentences in the client's language; `fileKind` names the file ("report"). */
const reportWordsSchema = z
  .object({
    title: words,
    subtitle: words,
    generated: words,
    glance: words,
    postsPublished: words,
    engagement: words,
    vsPrevious: words,
    measuredNote: words,
    chart: words,
    byNetwork: words,
    network: words,
    posts: words,
    top: words,
    wentOut: words,
    when: words,
    post: words,
    noPosts: words,
    next: words,
    noNext: words,
    open: words,
    fileKind: words,
    metrics: z.object(Object.fromEntries(metricNames.map((name) => [name, words])) as Record<MetricName, typeof words>).strict(),
    networks: z.object(Object.fromEntries(networkIds.map((name) => [name, words])) as Record<NetworkId, typeof words>).strict(),
  })
  .strict() satisfies z.ZodType<ReportWords & { fileKind: string }>;

export const resultsRequests = {
  /** The project's published posts in [from, to) summed from their latest readings, by day in the project's zone. */
  'results.summary': {
    args: z
      .object({ projectId: id, from: instant, to: instant })
      .strict()
      .refine(periodOk, periodProblem),
    result: resultsSummarySchema,
  },
  /**
   * The period's published posts with their latest numbers as a file named for the project and days,
   * like calendar.export (the renderer saves the text); CSV starts with a UTF-8 BOM, JSON holds the totals too.
   */
  'results.export': {
    args: z.object({ projectId: id, from: instant, to: instant, format: z.enum(['csv', 'json']) }).strict().refine(periodOk, periodProblem),
    result: z.object({ fileName: z.string(), mime: z.string(), text: z.string(), count: z.number().int() }),
  },
  /**
   * The monthly client report of one project (a YYYY-MM month in its zone): what went out, what it
   * did, the top posts with their images and next month's approved plan, as HTML or PDF in the
   * client's language (`lang`, the words). Main builds it from the store, saves it among the user's
   * documents under a name that never replaces a file and opens it in the system's viewer; where it
   * cannot (the browser host) the bytes come back for the page to download.
   */
  'results.report': {
    args: z
      .object({
        projectId: id,
        month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'a month as YYYY-MM'),
        format: z.enum(['html', 'pdf']),
        lang: z.enum(uiLanguages),
        dir: z.enum(['ltr', 'rtl']),
        words: reportWordsSchema,
      })
      .strict(),
    result: z.object({
      fileName: z.string(),
      mime: z.string(),
      /** Where it was saved; null when the host keeps no documents (then `base64` holds it). */
      path: z.string().nullable(),
      opened: z.boolean(),
      base64: z.string().nullable(),
      posts: count,
    }),
  },
  /** One post's readings over time, oldest first, for its chart. */
  'results.readings': {
    args: z.object({ targetId: id }).strict(),
    result: z.array(totals.extend({ at: instant })),
  },
} as const satisfies Record<string, RequestSpec>;
