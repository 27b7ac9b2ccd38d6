import { z } from 'zod';
import { languageSettings } from '../languages';
import { id, noArgs, type RequestSpec } from './common';

export const themeSchema = z.enum(['system', 'light', 'dark']);
export type ThemePreference = z.infer<typeof themeSchema>;
/** How times of day read: the system locale's way, or always 24-hour (h23) or 12-hour (h12). */
export const hourCycleSchema = z.enum(['system', 'h23', 'h12']);
export type HourCyclePreference = z.infer<typeof hourCycleSchema>;
/** The day a week starts on in the calendar and the queue dialog. */
export const weekStartSchema = z.enum(['system', 'monday', 'sunday', 'saturday']);
export type WeekStartPreference = z.infer<typeof weekStartSchema>;

export const notificationSettingsSchema = z.object({
  published: z.boolean(),
  failed: z.boolean(),
  needsAttention: z.boolean(),
});

export const settingsSchema = z.object({
  theme: themeSchema,
  language: z.string(),
  hourCycle: hourCycleSchema,
  weekStart: weekStartSchema,
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
        /** 'system' follows the operating system's languages; otherwise one Outpost speaks. */
        language: z.enum(languageSettings).optional(),
        hourCycle: hourCycleSchema.optional(),
        weekStart: weekStartSchema.optional(),
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
