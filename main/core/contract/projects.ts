import { z } from 'zod';
import { uiLanguages } from '../languages';
import { hexColor, id, type RequestSpec } from './common';

/** Up to a week late; beyond that the user is always asked. */
export const MAX_LATE_GRACE_MINUTES = 7 * 24 * 60;
const lateGrace = z.number().int().min(0).max(MAX_LATE_GRACE_MINUTES);

export const projectSchema = z.object({
  id,
  name: z.string(),
  color: hexColor,
  timezone: z.string(),
  archived: z.boolean(),
  /** Overdue posts (laptop asleep or closed) go out if at most this late; later ones wait for the user. */
  lateGraceMinutes: z.number().int(),
  /** Location metadata is removed from photos before they are published. */
  stripLocation: z.boolean(),
  /** The language the client reads: the approval pack and the monthly report are written in it; null follows the app's. */
  clientLanguage: z.enum(uiLanguages).nullable(),
  createdAt: z.number(),
  updatedAt: z.number(),
});
export type Project = z.infer<typeof projectSchema>;

export const projectRequests = {
  'projects.list': {
    args: z.object({ includeArchived: z.boolean().optional() }).strict(),
    result: z.array(projectSchema),
  },
  'projects.create': {
    args: z
      .object({
        name: z.string().max(1000),
        color: hexColor,
        timezone: z.string().max(64),
        lateGraceMinutes: lateGrace.optional(),
        stripLocation: z.boolean().optional(),
        clientLanguage: z.enum(uiLanguages).nullable().optional(),
      })
      .strict(),
    result: projectSchema,
  },
  'projects.update': {
    args: z
      .object({
        id,
        name: z.string().max(1000).optional(),
        color: hexColor.optional(),
        timezone: z.string().max(64).optional(),
        lateGraceMinutes: lateGrace.optional(),
        stripLocation: z.boolean().optional(),
        clientLanguage: z.enum(uiLanguages).nullable().optional(),
      })
      .strict(),
    result: projectSchema,
  },
  'projects.archive': {
    args: z.object({ id, archived: z.boolean() }).strict(),
    result: projectSchema,
  },
} as const satisfies Record<string, RequestSpec>;

export const projectEvents = {
  'projects.changed': z.object({ projectId: id }),
} as const satisfies Record<string, z.ZodType>;
