import { z } from 'zod';
import { metricNames, type MetricName } from '../metrics';
import { networkIds } from '../networks/ids';
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
  /** One post's readings over time, oldest first, for its chart. */
  'results.readings': {
    args: z.object({ targetId: id }).strict(),
    result: z.array(totals.extend({ at: instant })),
  },
} as const satisfies Record<string, RequestSpec>;
