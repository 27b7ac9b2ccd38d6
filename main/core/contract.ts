import { z } from 'zod';
import type { Result } from './errors';

/**
 * The one contract between the UI and main: every request (name → args → result) and every
 * event. Handlers, the preload bridge, the browser host and the renderer client are all typed
 * from these maps, and every request's args are validated against them at the boundary.
 */

const id = z.string().min(1).max(64);
const hexColor = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'a colour like #2563eb');

export const projectSchema = z.object({
  id,
  name: z.string(),
  color: hexColor,
  timezone: z.string(),
  archived: z.boolean(),
  createdAt: z.number(),
  updatedAt: z.number(),
});
export type Project = z.infer<typeof projectSchema>;

export const themeSchema = z.enum(['system', 'light', 'dark']);
export type ThemePreference = z.infer<typeof themeSchema>;

export const settingsSchema = z.object({
  theme: themeSchema,
  language: z.string(),
  activeProjectId: id.nullable(),
});
export type Settings = z.infer<typeof settingsSchema>;

export const keychainStatusSchema = z.object({
  available: z.boolean(),
  /** Why it is unavailable, in English, for the Settings page's details. */
  detail: z.string().optional(),
});
export type KeychainStatus = z.infer<typeof keychainStatusSchema>;

export const appInfoSchema = z.object({
  version: z.string(),
  host: z.enum(['electron', 'browser']),
  dataDir: z.string(),
  keychain: keychainStatusSchema,
});
export type AppInfo = z.infer<typeof appInfoSchema>;

const noArgs = z.object({}).strict();

export const requests = {
  'app.info': { args: noArgs, result: appInfoSchema },

  'projects.list': {
    args: z.object({ includeArchived: z.boolean().optional() }).strict(),
    result: z.array(projectSchema),
  },
  'projects.create': {
    args: z.object({ name: z.string().max(1000), color: hexColor, timezone: z.string().max(64) }).strict(),
    result: projectSchema,
  },
  'projects.update': {
    args: z
      .object({
        id,
        name: z.string().max(1000).optional(),
        color: hexColor.optional(),
        timezone: z.string().max(64).optional(),
      })
      .strict(),
    result: projectSchema,
  },
  'projects.archive': {
    args: z.object({ id, archived: z.boolean() }).strict(),
    result: projectSchema,
  },

  'settings.get': { args: noArgs, result: settingsSchema },
  'settings.update': {
    args: z
      .object({
        theme: themeSchema.optional(),
        language: z.string().min(2).max(16).optional(),
        activeProjectId: id.nullable().optional(),
      })
      .strict(),
    result: settingsSchema,
  },
} as const satisfies Record<string, { args: z.ZodType; result: z.ZodType }>;

export const events = {
  'projects.changed': z.object({ projectId: id }),
  'settings.changed': settingsSchema,
} as const satisfies Record<string, z.ZodType>;

export type RequestName = keyof typeof requests;
export type EventName = keyof typeof events;
/** What a caller passes (optional fields may be left out). */
export type Args<N extends RequestName> = z.input<(typeof requests)[N]['args']>;
/** What a handler receives after validation. */
export type ParsedArgs<N extends RequestName> = z.output<(typeof requests)[N]['args']>;
export type Reply<N extends RequestName> = z.output<(typeof requests)[N]['result']>;
export type EventPayload<E extends EventName> = z.output<(typeof events)[E]>;

export type Handlers = {
  [N in RequestName]: (args: ParsedArgs<N>) => Reply<N> | Promise<Reply<N>>;
};

/** `window.outpost`: the only thing the renderer may use to reach main. */
export interface OutpostApi {
  invoke<N extends RequestName>(name: N, args: Args<N>): Promise<Result<Reply<N>>>;
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
}

export function isRequestName(name: unknown): name is RequestName {
  return typeof name === 'string' && Object.hasOwn(requests, name);
}

export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && Object.hasOwn(events, name);
}
