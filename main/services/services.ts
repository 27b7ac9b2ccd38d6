import type { Handlers } from '../core/contract';
import { createDispatch, type Dispatch } from '../core/dispatch';
import { DomainError, type OutpostError } from '../core/errors';
import { openAccountConnection } from './accounts/account-connection';
import { accountHandlers } from './accounts/account-handlers';
import { quotaHandlers } from './accounts/quota-handlers';
import { approvalPackHandlers } from './calendar/approval-pack-handlers';
import { calendarHandlers } from './calendar/calendar-handlers';
import { evergreenHandlers } from './calendar/evergreen-handlers';
import { importExportHandlers } from './calendar/import-export-handlers';
import { queueHandlers } from './calendar/queue-handlers';
import { createConnectorRegistry, type RegistryOptions } from './connectors/registry';
import { editorHandlers } from './editor/editor-handlers';
import { mediaHandlers } from './media/media-handlers';
import { MediaLibrary } from './media/media-library';
import { insertHandlers } from './posts/insert-handlers';
import { postHandlers } from './posts/post-handlers';
import { projectHandlers } from './projects/project-handlers';
import { join } from 'node:path';
import type { Clock, EmitEvent, Platform } from './ports';
import { createPublishing } from './publishing';
import { publishingHandlers } from './scheduler/publishing-handlers';
import { linkCardHandlers } from './links/link-cards';
import { clientReportHandlers } from './results/client-report';
import { resultsHandlers } from './results/results-handlers';
import { relayHandlers } from './relay/relay-handlers';
import type { SecretStore } from './secrets/secret-store';
import { settingsHandlers } from './settings/settings-handlers';
import { createBackupSync, listBackups } from './data/backups';
import { countMediaFiles, databasePath, ensurePrivateDir, makePrivate } from './data/data-folder';
import { dataHandlers, type DataControl } from './data/data-handlers';
import { createFileLogger, type LogFields, type Logger } from './log/logger';
import type { Services } from './services-types';
import { redactingSecretStore } from './log/redacting-secrets';
import { createMetricsPoller, type MetricsPoller } from './metrics/metrics-poller';
import { openDatabase, schemaVersion, type Db } from './store/database';
import { reportUnreadableColumns } from './store/json-columns';

export interface Backend {
  services: Services;
  handlers: Handlers;
  dispatch: Dispatch;
  /** Reads published posts' numbers in the background; started with the scheduler. */
  metrics: MetricsPoller;
  /** Stops publishing, waits for calls in flight to be recorded, then closes the store. */
  shutdown(): Promise<void>;
  /** Closes the store at once; a call still in flight is verified at the next start. */
  close(): void;
}

export { databasePath };
export type { Services };

export function createHandlers(services: Services, control: DataControl = standaloneControl(services)): Handlers {
  return {
    ...dataHandlers({
      dataDir: services.platform.dataDir,
      clock: services.clock,
      platform: services.platform,
      control,
      db: services.db,
      media: services.media,
    }),
    'app.info': async () => ({
      version: services.platform.version,
      host: services.platform.host,
      dataDir: services.platform.dataDir,
      logFile: services.logger.file,
      keychain: await services.secrets.status(),
    }),
    ...accountHandlers(services),
    ...quotaHandlers(services),
    ...calendarHandlers(services),
    ...queueHandlers(services),
    ...evergreenHandlers(services),
    ...importExportHandlers(services),
    ...approvalPackHandlers(services),
    ...mediaHandlers(services),
    ...editorHandlers(services),
    ...postHandlers(services),
    ...insertHandlers(services),
    ...linkCardHandlers(services),
    ...projectHandlers(services),
    ...publishingHandlers(services),
    ...resultsHandlers(services),
    ...clientReportHandlers(services),
    ...settingsHandlers(services),
    ...relayHandlers(services),
  } satisfies Handlers;
}

/** Storage errors the user can act on get their own code; anything else stays `internal`. */
export function mapUnexpectedError(error: unknown, log: (error: unknown) => void = console.error): OutpostError {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'SQLITE_FULL') {
    return { code: 'storage_full', message: 'The disk is full, so the change was not saved. Free some space and try again.' };
  }
  log(error);
  return { code: 'internal', message: 'Something went wrong inside Outpost; the change was not saved.' };
}

export interface BackendOptions {
  dataDir: string;
  clock: Clock;
  emit: EmitEvent;
  secrets: SecretStore;
  platform: Omit<Platform, 'dataDir'>;
  /** Connector settings; base URL overrides come only from the browser host (tests). */
  networks?: RegistryOptions;
  log?: (error: unknown) => void;
  /** Restore, start-empty and import close and reopen the store: the runtime that owns the folder does them. */
  dataControl?: (services: Services) => DataControl;
  /** The log; a rotating file in `<dataDir>/logs` when left out (closed with the backend). */
  logger?: Logger;
}

/** A backend opened on its own (tests): its data is open, and nothing can replace the store under it. */
function standaloneControl(services: Services): DataControl {
  const refuse = async (): Promise<never> => {
    throw new DomainError('unavailable', 'Only the running app can replace its data.', { reason: 'not_owner' });
  };
  return {
    status: () => ({
      state: 'ready',
      problem: null,
      detail: null,
      mediaFiles: countMediaFiles(services.platform.dataDir),
      newestBackup: listBackups(services.platform.dataDir)[0] ?? null,
      dataDir: services.platform.dataDir,
    }),
    restore: refuse,
    startEmpty: refuse,
    exportAll: refuse,
    importArchive: refuse,
  };
}

export function createBackend(options: BackendOptions): Backend {
  ensurePrivateDir(options.dataDir);
  const ownLogger = options.logger === undefined;
  const logger = options.logger ?? createFileLogger({ dir: join(options.dataDir, 'logs') });
  const dbPath = databasePath(options.dataDir);
  let db: Db;
  try {
    db = openDatabase(dbPath, {
      checkIntegrity: true,
      // An upgrade that goes wrong can always be undone: the database as it was, before the first change.
      beforeMigrate: (opened, from, to) => {
        const backup = createBackupSync(opened, options.dataDir, 'pre_migration', options.clock.now());
        logger.info('start-up: backed up before updating the database', { from, to, backup: backup.name });
      },
      onSlowQuery: (sql, ms) => logger.warn('slow query', { ms: Math.round(ms * 10) / 10, sql: sql.trim().slice(0, 200) }),
    });
  } catch (error) {
    logger.error('start-up: the database did not open', { err: error, path: dbPath });
    if (ownLogger) closeLogger(logger);
    throw error;
  }
  for (const file of [dbPath, `${dbPath}-wal`, `${dbPath}-shm`]) makePrivate(file);
  // A stored value that does not parse is never defaulted silently: the log says which row, and the caller surfaces it.
  reportUnreadableColumns(db, (where) => logger.warn('store: a stored value could not be read', { ...where }));
  logger.info('start-up: database open, integrity checked', { path: dbPath, schema: schemaVersion(db) });
  // Every scheduler decision (published, retrying, parked, held…) goes to the log as it is announced.
  const emit: EmitEvent = (event, payload) => {
    if (event === 'publishing.changed') logger.info('scheduler', payload as LogFields);
    options.emit(event, payload);
  };
  const base: Omit<Services, 'scheduler'> = {
    db,
    clock: options.clock,
    emit,
    logger,
    secrets: redactingSecretStore(options.secrets, logger),
    platform: { ...options.platform, dataDir: options.dataDir },
    connectors: createConnectorRegistry(options.networks),
    media: new MediaLibrary({ db, dataDir: options.dataDir, clock: options.clock, log: (error) => { logger.error('media: unexpected', { err: error }); options.log?.(error); } }),
  };
  const log = options.log;
  const services: Services = {
    ...base,
    scheduler: createPublishing(base, {
      log: (message, error) => {
        logger.warn(`scheduler: ${message}`, error === undefined ? {} : { err: error });
        log?.(error ?? new Error(message));
      },
    }),
  };
  // Nothing imports yet, so whatever a crash left half-done in the media folder can go now.
  const swept = services.media.sweep();
  logger.info('start-up: media folder checked', swept);
  if (swept.quarantined > 0) logger.warn('start-up: library files without an entry were moved to the quarantine', { count: swept.quarantined });
  if (swept.missing > 0) logger.warn('start-up: library files are missing from the media folder', { count: swept.missing, root: services.media.root });
  const metrics = createMetricsPoller({
    db,
    clock: options.clock,
    logger,
    connectorFor: (network) => services.connectors.entry(network)?.connector ?? undefined,
    openAccount: (accountId) => openAccountConnection(services, accountId),
    isOnline: () => services.scheduler.online,
  });
  const handlers = createHandlers(services, options.dataControl?.(services));
  const dispatch = createDispatch(handlers, {
    mapUnexpected: (e) =>
      mapUnexpectedError(e, (error) => {
        logger.error('a request failed unexpectedly', { err: error });
        (options.log ?? console.error)(error);
      }),
  });
  return {
    services,
    handlers,
    dispatch,
    metrics,
    shutdown: async () => {
      await Promise.all([services.scheduler.stop(), metrics.stop()]);
      close();
    },
    close,
  };

  function close(): void {
    services.scheduler.stop().catch((error: unknown) => logger.warn('shutdown: the scheduler did not stop cleanly', { err: error }));
    void metrics.stop();
    if (db.open) {
      db.pragma('wal_checkpoint(TRUNCATE)');
      db.close();
    }
    if (ownLogger) closeLogger(logger);
  }
}

/** The log's last flush; a failure can only go to the console, the log being what failed. */
function closeLogger(logger: Logger): void {
  logger.close().catch((error: unknown) => console.error('log: could not be closed', error));
}
