import { z } from 'zod';
import { noArgs, type RequestSpec } from './common';

/** The data folder: start-up recovery, backups, quarantine, the whole-data export. */

export const backupKindSchema = z.enum(['daily', 'manual', 'pre_migration', 'kept_aside', 'pre_import']);
export type BackupKind = z.infer<typeof backupKindSchema>;

const backupName = z.string().min(1).max(200);

export const backupInfoSchema = z.object({
  name: backupName,
  kind: backupKindSchema,
  createdAt: z.number(),
  bytes: z.number(),
  schemaVersion: z.number(),
});
export type BackupInfo = z.infer<typeof backupInfoSchema>;

/** Why Outpost did not open its data at start; the UI picks its words from this code. */
export const startupProblemSchema = z.enum([
  /** No database, but the folder holds media or backups. */
  'database_missing',
  /** An emptied database (0 bytes, or its WAL lost before anything reached the file) beside media or backups. */
  'database_empty',
  /** SQLite reports the database damaged, or it is not a database at all. */
  'database_corrupt',
  /** Written by a newer Outpost. */
  'database_newer',
]);
export type StartupProblem = z.infer<typeof startupProblemSchema>;

export const dataStatusSchema = z.object({
  state: z.enum(['ready', 'recovery']),
  problem: startupProblemSchema.nullable(),
  /** SQLite's own words for a damaged file, for a details line; never shown alone. */
  detail: z.string().nullable(),
  /** Library files on disk (originals), whatever the database says. */
  mediaFiles: z.number(),
  /** The newest backup that checks out, offered first in recovery. */
  newestBackup: backupInfoSchema.nullable(),
  dataDir: z.string(),
});
export type DataStatus = z.infer<typeof dataStatusSchema>;

export const quarantineItemSchema = z.object({
  id: z.string(),
  /** What the library file looks like: image, video, or something Outpost cannot read. */
  kind: z.enum(['image', 'video', 'other']),
  bytes: z.number(),
  quarantinedAt: z.number(),
  /** Removed for good after this (30 days). */
  expiresAt: z.number(),
});
export type QuarantineItem = z.infer<typeof quarantineItemSchema>;

export const dataFolderSchema = z.enum(['data', 'backups', 'logs', 'exports', 'quarantine']);
export type DataFolderName = z.infer<typeof dataFolderSchema>;

export const exportSummarySchema = z.object({
  path: z.string(),
  bytes: z.number(),
  posts: z.number(),
  media: z.number(),
});

export const dataRequests = {
  'data.status': { args: noArgs, result: dataStatusSchema },
  'data.backups': { args: noArgs, result: z.object({ backups: z.array(backupInfoSchema), folder: z.string() }) },
  'data.backupNow': { args: noArgs, result: backupInfoSchema },
  /** Replaces the database with a backup; the current one is kept aside among the backups first. */
  'data.restore': { args: z.object({ name: backupName }).strict(), result: z.object({ keptAside: z.string().nullable() }) },
  /** Recovery only: opens a new, empty database and keeps every file (unclaimed media go to the quarantine). */
  'data.startEmpty': { args: noArgs, result: z.object({ keptAside: z.string().nullable() }) },
  'data.quarantine': { args: noArgs, result: z.object({ items: z.array(quarantineItemSchema), folder: z.string() }) },
  'data.restoreQuarantined': {
    args: z.object({ ids: z.array(z.string().min(1).max(200)).min(1).max(1000) }).strict(),
    result: z.object({ restored: z.number(), failed: z.array(z.object({ id: z.string(), message: z.string() })) }),
  },
  /** Opens a folder in the system's file manager where the host can; otherwise says where it is. */
  'data.openFolder': { args: z.object({ folder: dataFolderSchema }).strict(), result: z.object({ opened: z.boolean(), path: z.string() }) },
  /** One archive of everything (database snapshot, media, designs, templates) in the exports folder. */
  'data.export': { args: noArgs, result: exportSummarySchema },
  /**
   * Replaces all data with an export (the current database is kept aside first). Electron asks
   * for the file in a dialog of main's own; the browser host first uploads it (`uploadId`).
   */
  'data.import': {
    args: z.object({ uploadId: z.string().min(1).max(64).optional() }).strict(),
    result: z.object({ imported: z.boolean(), keptAside: z.string().nullable(), posts: z.number(), media: z.number() }),
  },
} as const satisfies Record<string, RequestSpec>;

export const dataEvents = {
  /** The database was replaced (restored, started empty, imported): the window starts afresh. */
  'data.replaced': z.object({ reason: z.enum(['restored', 'started_empty', 'imported']) }),
} as const satisfies Record<string, z.ZodType>;
