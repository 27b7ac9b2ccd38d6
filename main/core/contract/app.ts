import { z } from 'zod';
import { noArgs, type RequestSpec } from './common';

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
  /** The log file being written (secrets redacted); null when Outpost logs nowhere. */
  logFile: z.string().nullable(),
  keychain: keychainStatusSchema,
});
export type AppInfo = z.infer<typeof appInfoSchema>;

export const appRequests = {
  'app.info': { args: noArgs, result: appInfoSchema },
} as const satisfies Record<string, RequestSpec>;

export const appEvents = {
  /**
   * The one place the renderer may notice which host it runs in: the browser host has no system
   * browser to hand a sign-in page to, so it asks the page to open `url` in a new tab (see
   * renderer/src/platform/open-url-requests.ts). Electron opens the system browser itself and
   * never sends this.
   */
  'app.openUrl': z.object({ url: z.url({ protocol: /^https?$/ }) }),
} as const satisfies Record<string, z.ZodType>;
