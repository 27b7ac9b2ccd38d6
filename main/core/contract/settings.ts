import { z } from 'zod';
import { id, noArgs, type RequestSpec } from './common';

export const themeSchema = z.enum(['system', 'light', 'dark']);
export type ThemePreference = z.infer<typeof themeSchema>;

export const notificationSettingsSchema = z.object({
  published: z.boolean(),
  failed: z.boolean(),
  needsAttention: z.boolean(),
});

export const settingsSchema = z.object({
  theme: themeSchema,
  language: z.string(),
  activeProjectId: id.nullable(),
  /** Closing the window keeps Outpost in the tray so scheduled posts still go out. */
  runInBackground: z.boolean(),
  startAtLogin: z.boolean(),
  notifications: notificationSettingsSchema,
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
        runInBackground: z.boolean().optional(),
        startAtLogin: z.boolean().optional(),
        notifications: notificationSettingsSchema.partial().strict().optional(),
      })
      .strict(),
    result: settingsSchema,
  },
} as const satisfies Record<string, RequestSpec>;

export const settingsEvents = {
  'settings.changed': settingsSchema,
} as const satisfies Record<string, z.ZodType>;
