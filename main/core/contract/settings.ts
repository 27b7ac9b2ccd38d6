import { z } from 'zod';
import { id, noArgs, type RequestSpec } from './common';

export const themeSchema = z.enum(['system', 'light', 'dark']);
export type ThemePreference = z.infer<typeof themeSchema>;

export const settingsSchema = z.object({
  theme: themeSchema,
  language: z.string(),
  activeProjectId: id.nullable(),
});
export type Settings = z.infer<typeof settingsSchema>;

export const settingsRequests = {
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
} as const satisfies Record<string, RequestSpec>;

export const settingsEvents = {
  'settings.changed': settingsSchema,
} as const satisfies Record<string, z.ZodType>;
