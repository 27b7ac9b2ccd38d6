import { existsSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { requests, type BackupInfo, type DataStatus, type Handlers, type RequestName, type StartupProblem } from '../core/contract';
import { createDispatch, type Dispatch } from '../core/dispatch';
import { DomainError } from '../core/errors';
import { ArchiveError, exportEverything, stageImport } from './data/archive';
import { checkBackup, createBackup, installDatabase, keepCurrentAside, listBackups, newestGoodBackup, backupPath, rotateBackups } from './data/backups';
import { countMediaFiles, databasePath, ensurePrivateDir, inspectDataFolder, lockDataFolder, type DataFolderLock } from './data/data-folder';
import { dataFolderPath } from './data/data-folder';
import { dataHandlers, type DataControl } from './data/data-handlers';
import { createFileLogger } from './log/logger';
import { createBackend, mapUnexpectedError, type Backend, type BackendOptions } from './services';
import { DatabaseCorruptError, DatabaseNewerError } from './store/database';
import { migrations } from './store/migrations';

/**
 * The data folder as the app and the browser host own it: one process at a time (a lock held
 * for the process's life), a start that never mistakes a lost database for a new one, daily
 * backups, and the operations that close and reopen the store (restore, start empty, import).
 *
 * `dispatch` always answers: while start-up recovery waits for the user only `data.*` and
 * `app.info` work; every other request gets `unavailable`. Each time a store opens (at start
 * and after a restore) the `onOpen` listeners run, e.g. to start the scheduler.
 */
export interface Outpost {
  readonly dataDir: string;
  readonly dispatch: Dispatch;
  /** The open store and its services; undefined while recovery waits for the user. */
  backend(): Backend | undefined;
  status(): DataStatus;
  onOpen(listener: (backend: Backend) => void): () => void;
  /** Makes today's backup if the newest daily one is older than a day; run hourly by a timer. */
  checkDailyBackup(): Promise<BackupInfo | null>;
  /** Stops publishing, records what is in flight, closes the store and releases the folder. */
  shutdown(): Promise<void>;
}

export interface OutpostOptions extends Omit<BackendOptions, 'dataControl'> {
  /** Daily backups: checked this long after each open, then every `intervalMs`. False: only on request (tests). */
  dailyBackup?: { firstCheckMs: number; intervalMs: number } | false;
  /** Where "Export everything" archives go (default `<dataDir>/exports`). */
  exportDir?: string;
}

const DAY_MS = 24 * 60 * 60 * 1000;

function unavailable(): DomainError {
  return new DomainError('unavailable', 'Outpost has not opened its data yet; choose how to recover first.', { reason: 'recovery_pending' });
}
const SUPPORTED_SCHEMA = migrations.reduce((max, m) => Math.max(max, m.version), 0);

export function openOutpost(options: OutpostOptions): Outpost {
  const dataDir = options.dataDir;
  ensurePrivateDir(dataDir);
  const lock: DataFolderLock = lockDataFolder(dataDir);
  // One log for the folder's life: it outlives every store a restore or import opens.
  const logger = options.logger ?? createFileLogger({ dir: dataFolderPath(dataDir, 'logs') });
  const log = options.log ?? ((error: unknown) => logger.error('unexpected', { err: error }));
  logger.info('start-up: Outpost starting', { version: options.platform.version, host: options.platform.host, dataDir, node: process.versions.node });
  // Without a keychain nothing can be signed in; the log should say so before anything fails for it.
  void options.secrets.status().then(
    (keychain) => logger[keychain.available ? 'info' : 'warn']('start-up: keychain', keychain),
    (error: unknown) => logger.warn('start-up: keychain status failed', { err: error }),
  );
  const listeners = new Set<(backend: Backend) => void>();
  let backend: Backend | undefined;
  let problem: { code: StartupProblem; detail: string | null } | null = null;
  let busy: Promise<unknown> = Promise.resolve();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let closed = false;

  const status = (): DataStatus => ({
    state: backend ? 'ready' : 'recovery',
    problem: problem?.code ?? null,
    detail: problem?.detail ?? null,
    mediaFiles: countMediaFiles(dataDir),
    // Checking backups reads them whole: only recovery needs to know the newest one is sound.
    newestBackup: (backend ? listBackups(dataDir)[0] : newestGoodBackup(dataDir, SUPPORTED_SCHEMA)) ?? null,
    dataDir,
  });

  /** One replacement at a time: a second restore waits for the first to finish. */
  const serial = <T>(work: () => Promise<T>): Promise<T> => {
    const next = busy.then(work, work);
    busy = next.catch(() => undefined);
    return next;
  };

  const control: DataControl = {
    status,
    restore: (name) =>
      serial(async () => {
        const path = backupPath(dataDir, name);
        if (!path) throw new DomainError('not_found', 'That backup is no longer in the backups folder.', { reason: 'backup_missing' });
        const check = checkBackup(path, SUPPORTED_SCHEMA);
        if (!check.ok) {
          throw new DomainError('validation', `That backup cannot be restored (${check.detail}).`, {
            reason: check.reason === 'newer' ? 'backup_newer' : 'backup_damaged',
          });
        }
        await closeStore();
        const keptAside = keepCurrentAside(dataDir, options.clock.now());
        await installDatabase(dataDir, path);
        logger.info('restored a backup', { backup: name, keptAside });
        open();
        options.emit('data.replaced', { reason: 'restored' });
        return { keptAside };
      }),
    startEmpty: () =>
      serial(async () => {
        if (backend) throw new DomainError('conflict', 'Outpost’s data is open; there is nothing to start afresh.', { reason: 'not_in_recovery' });
        if (problem?.code === 'database_newer') {
          throw new DomainError('validation', 'This data belongs to a newer Outpost; update Outpost instead.', { reason: 'database_newer' });
        }
        const keptAside = keepCurrentAside(dataDir, options.clock.now());
        open({ allowEmpty: true });
        options.emit('data.replaced', { reason: 'started_empty' });
        return { keptAside };
      }),
    exportAll: async () => {
      const current = backend;
      if (!current) throw unavailable();
      const summary = await exportEverything({
        db: current.services.db,
        dataDir,
        outDir: options.exportDir ?? dataFolderPath(dataDir, 'exports'),
        appVersion: options.platform.version,
        now: options.clock.now(),
      });
      logger.info('exported everything', { path: summary.path, bytes: summary.bytes, posts: summary.posts, media: summary.media, missingMedia: summary.missingMedia });
      return { path: summary.path, bytes: summary.bytes, posts: summary.posts, media: summary.media };
    },
    importArchive: async ({ uploadId }) => {
      let archive: string | undefined;
      if (uploadId !== undefined) {
        archive = backend?.services.media.uploadPath(uploadId);
        if (!archive || !existsSync(archive)) {
          throw new DomainError('not_found', 'The uploaded export is no longer waiting; choose it again.', { reason: 'upload_missing' });
        }
      } else {
        // Electron: main asks with its own dialog, so the path never comes from the page.
        const chosen = await options.platform.chooseExportFile?.();
        if (chosen === undefined) throw new DomainError('bad_request', 'Choose the export to import.', { reason: 'upload_missing' });
        if (chosen === null) return { imported: false, keptAside: null, posts: 0, media: 0 };
        archive = chosen;
      }
      const from = archive;
      return serial(async () => {
        const staging = join(dataDir, `.import-${options.clock.now()}`);
        let staged;
        try {
          staged = await stageImport({ archivePath: from, stagingDir: staging, supportedSchema: SUPPORTED_SCHEMA });
        } catch (error) {
          if (error instanceof ArchiveError) {
            throw new DomainError('validation', error.message, { reason: `import_${error.reason}` });
          }
          throw error;
        }
        await closeStore();
        const keptAside = keepCurrentAside(dataDir, options.clock.now(), 'pre_import');
        renameSync(staged.database, databasePath(dataDir));
        const media = moveInto(staged.media, join(dataDir, 'media'));
        rmSync(staging, { recursive: true, force: true });
        logger.info('imported an export', { posts: staged.manifest.counts.posts, media, keptAside, from: staged.manifest.appVersion });
        open();
        options.emit('data.replaced', { reason: 'imported' });
        return { imported: true, keptAside, posts: staged.manifest.counts.posts, media: staged.manifest.counts.media };
      });
    },
  };

  const recoveryHandlers = dataHandlers({ dataDir, clock: options.clock, platform: options.platform, control });

  function open(opts: { allowEmpty?: boolean } = {}): void {
    problem = null;
    if (!opts.allowEmpty) {
      const inspection = inspectDataFolder(dataDir);
      if (inspection.database === 'missing' || inspection.database === 'empty' || inspection.database === 'corrupt') {
        problem = { code: `database_${inspection.database}`, detail: inspection.detail ?? null };
        logger.warn('start-up: the database was not opened; recovery waits for the user', { path: databasePath(dataDir), ...problem, mediaFiles: inspection.mediaFiles, backups: inspection.backups });
        return;
      }
    }
    try {
      backend = createBackend({ ...options, logger, dataControl: () => control });
    } catch (error) {
      if (error instanceof DatabaseNewerError) problem = { code: 'database_newer', detail: error.message };
      else if (error instanceof DatabaseCorruptError) problem = { code: 'database_corrupt', detail: error.detail };
      else throw error;
      logger.warn('start-up: the database was not opened; recovery waits for the user', { path: databasePath(dataDir), ...problem });
      return;
    }
    for (const listener of listeners) listener(backend);
    armDailyBackup();
  }

  async function closeStore(): Promise<void> {
    if (timer) clearTimeout(timer);
    timer = undefined;
    const current = backend;
    backend = undefined;
    await current?.shutdown();
  }

  function armDailyBackup(): void {
    const schedule = options.dailyBackup ?? { firstCheckMs: 30_000, intervalMs: 60 * 60_000 };
    if (schedule === false) return;
    const run = (delay: number) => {
      timer = setTimeout(() => {
        void checkDailyBackup()
          .catch((error: unknown) => log(error))
          .finally(() => {
            if (!closed && backend) run(schedule.intervalMs);
          });
      }, delay);
      // A pending backup check must not keep a quitting process alive.
      timer.unref?.();
    };
    run(schedule.firstCheckMs);
  }

  async function checkDailyBackup(): Promise<BackupInfo | null> {
    const current = backend;
    if (!current) return null;
    const now = options.clock.now();
    const newest = listBackups(dataDir).find((b) => b.kind === 'daily');
    if (newest && now - newest.createdAt < DAY_MS && new Date(newest.createdAt).toDateString() === new Date(now).toDateString()) return null;
    const made = await createBackup(current.services.db, dataDir, 'daily', now);
    const removed = rotateBackups(dataDir);
    logger.info('daily backup made', { backup: made.name, bytes: made.bytes, rotatedOut: removed.length });
    return made;
  }

  open();

  const route = (name: RequestName): ((args: unknown) => unknown) => {
    const live = backend;
    if (live) return live.handlers[name] as (args: unknown) => unknown;
    if (name.startsWith('data.')) return recoveryHandlers[name as keyof typeof recoveryHandlers] as (args: unknown) => unknown;
    if (name === 'app.info') {
      return async () => ({
        version: options.platform.version,
        host: options.platform.host,
        dataDir,
        logFile: logger.file,
        keychain: await options.secrets.status(),
      });
    }
    return () => {
      throw new DomainError('unavailable', 'Outpost has not opened its data yet; choose how to recover first.', { reason: 'recovery_pending' });
    };
  };
  const handlers = Object.fromEntries(
    (Object.keys(requests) as RequestName[]).map((name) => [name, (args: unknown) => route(name)(args)]),
  ) as unknown as Handlers;
  const dispatch = createDispatch(handlers, { mapUnexpected: (error) => mapUnexpectedError(error, log) });

  return {
    dataDir,
    dispatch,
    backend: () => backend,
    status,
    onOpen(listener) {
      listeners.add(listener);
      if (backend) listener(backend);
      return () => listeners.delete(listener);
    },
    checkDailyBackup,
    async shutdown() {
      closed = true;
      await busy.catch(() => undefined);
      await closeStore();
      lock.release();
      if (!options.logger) await logger.close();
    },
  };
}

/** Moves the files of an imported or restored folder into place without overwriting anything. */
export function moveInto(from: string, to: string): number {
  let moved = 0;
  if (!existsSync(from)) return 0;
  ensurePrivateDir(to);
  for (const name of readdirSync(from)) {
    const source = join(from, name);
    const target = join(to, name);
    if (statSync(source).isDirectory()) moved += moveInto(source, target);
    else if (!existsSync(target)) {
      renameSync(source, target);
      moved++;
    }
  }
  rmSync(from, { recursive: true, force: true });
  return moved;
}

export { dataFolderPath };
