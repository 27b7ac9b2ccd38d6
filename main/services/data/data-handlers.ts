import type { DataStatus, HandlersOf, dataRequests } from '../../core/contract';
import { DomainError } from '../../core/errors';
import type { MediaLibrary } from '../media/media-library';
import { Quarantine } from '../media/quarantine';
import type { Clock, Platform } from '../ports';
import type { Db } from '../store/database';
import { createBackup, listBackups, rotateBackups } from './backups';
import { backupDir, dataFolderPath, ensurePrivateDir } from './data-folder';

export type DataRequestName = keyof typeof dataRequests;
export type DataHandlers = HandlersOf<typeof dataRequests>;

/** What only the process that owns the data folder can do: it closes and reopens the store. */
export interface DataControl {
  status(): DataStatus;
  restore(name: string): Promise<{ keptAside: string | null }>;
  startEmpty(): Promise<{ keptAside: string | null }>;
  exportAll(): Promise<{ path: string; bytes: number; posts: number; media: number }>;
  importArchive(source: { uploadId?: string | undefined }): Promise<{ imported: boolean; keptAside: string | null; posts: number; media: number }>;
}

export interface DataContext {
  dataDir: string;
  clock: Clock;
  platform: Pick<Platform, 'openFolder'>;
  control: DataControl;
  /** Absent while start-up recovery waits for the user: only what needs no database works then. */
  db?: Db | undefined;
  media?: MediaLibrary | undefined;
  onBackup?: (name: string) => void;
}

function unavailable(): DomainError {
  return new DomainError('unavailable', 'Outpost has not opened its data yet; choose how to recover first.', { reason: 'recovery_pending' });
}

export function dataHandlers(ctx: DataContext): DataHandlers {
  return {
    'data.status': () => ctx.control.status(),
    'data.backups': () => ({ backups: listBackups(ctx.dataDir), folder: backupDir(ctx.dataDir) }),
    'data.backupNow': async () => {
      if (!ctx.db) throw unavailable();
      const made = await createBackup(ctx.db, ctx.dataDir, 'manual', ctx.clock.now());
      rotateBackups(ctx.dataDir);
      ctx.onBackup?.(made.name);
      return made;
    },
    'data.restore': ({ name }) => ctx.control.restore(name),
    'data.startEmpty': () => ctx.control.startEmpty(),
    'data.quarantine': () => ({
      items: ctx.media ? ctx.media.listQuarantine() : new Quarantine(dataFolderPath(ctx.dataDir, 'quarantine')).list(),
      folder: dataFolderPath(ctx.dataDir, 'quarantine'),
    }),
    'data.restoreQuarantined': async ({ ids }) => {
      if (!ctx.media) throw unavailable();
      return ctx.media.restoreQuarantined(ids);
    },
    'data.openFolder': async ({ folder }) => {
      const path = dataFolderPath(ctx.dataDir, folder);
      if (!ctx.platform.openFolder) return { opened: false, path };
      ensurePrivateDir(path);
      await ctx.platform.openFolder(path);
      return { opened: true, path };
    },
    'data.export': () => {
      if (!ctx.db) throw unavailable();
      return ctx.control.exportAll();
    },
    'data.import': (args) => ctx.control.importArchive(args),
  };
}
