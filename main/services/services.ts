import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Handlers } from '../core/contract';
import { createDispatch, type Dispatch } from '../core/dispatch';
import type { OutpostError } from '../core/errors';
import { accountHandlers } from './accounts/account-handlers';
import { calendarHandlers } from './calendar/calendar-handlers';
import { createConnectorRegistry, type ConnectorRegistry, type RegistryOptions } from './connectors/registry';
import { editorHandlers } from './editor/editor-handlers';
import { mediaHandlers } from './media/media-handlers';
import { MediaLibrary } from './media/media-library';
import { postHandlers } from './posts/post-handlers';
import { projectHandlers } from './projects/project-handlers';
import type { Clock, EmitEvent, Platform } from './ports';
import { createPublishing } from './publishing';
import type { Scheduler } from './scheduler/engine';
import { schedulerHandlers } from './scheduler/scheduler-handlers';
import type { SecretStore } from './secrets/secret-store';
import { settingsHandlers } from './settings/settings-handlers';
import { openDatabase, type Db } from './store/database';

/** Everything a handler may use; built once per process by the Electron glue or the browser host. */
export interface Services {
  db: Db;
  clock: Clock;
  emit: EmitEvent;
  secrets: SecretStore;
  platform: Platform;
  /** The publishing loop; started by the host process, not by tests that only need handlers. */
  scheduler: Scheduler;
  /** Which connector serves which network, and where it calls. */
  connectors: ConnectorRegistry;
  /** Content-addressed media files; `mediaForPublish` gives the scheduler the bytes to upload. */
  media: MediaLibrary;
}

export interface Backend {
  services: Services;
  handlers: Handlers;
  dispatch: Dispatch;
  /** Stops publishing, waits for calls in flight to be recorded, then closes the store. */
  shutdown(): Promise<void>;
  /** Closes the store at once; a call still in flight is verified at the next start. */
  close(): void;
}

export function databasePath(dataDir: string): string {
  return join(dataDir, 'outpost.db');
}

export function createHandlers(services: Services): Handlers {
  return {
    'app.info': async () => ({
      version: services.platform.version,
      host: services.platform.host,
      dataDir: services.platform.dataDir,
      keychain: await services.secrets.status(),
    }),
    ...accountHandlers(services),
    ...calendarHandlers(services),
    ...mediaHandlers(services),
    ...editorHandlers(services),
    ...postHandlers(services),
    ...projectHandlers(services),
    ...schedulerHandlers(services),
    ...settingsHandlers(services),
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
}

export function createBackend(options: BackendOptions): Backend {
  mkdirSync(options.dataDir, { recursive: true });
  const db = openDatabase(databasePath(options.dataDir), {
    onSlowQuery: (sql, ms) => console.warn(`slow query (${ms.toFixed(1)} ms): ${sql.trim().slice(0, 200)}`),
  });
  const base: Omit<Services, 'scheduler'> = {
    db,
    clock: options.clock,
    emit: options.emit,
    secrets: options.secrets,
    platform: { ...options.platform, dataDir: options.dataDir },
    connectors: createConnectorRegistry(options.networks),
    media: new MediaLibrary({ db, dataDir: options.dataDir, clock: options.clock, ...(options.log ? { log: options.log } : {}) }),
  };
  const log = options.log;
  const services: Services = { ...base, scheduler: createPublishing(base, log ? { log: (message, error) => log(error ?? new Error(message)) } : {}) };
  // Nothing imports yet, so whatever a crash left half-done in the media folder can go now.
  const swept = services.media.sweep();
  if (swept.missing > 0) console.warn(`${swept.missing} media file(s) are missing from ${services.media.root}.`);
  const handlers = createHandlers(services);
  const dispatch = createDispatch(handlers, { mapUnexpected: (e) => mapUnexpectedError(e, options.log) });
  return {
    services,
    handlers,
    dispatch,
    shutdown: async () => {
      await services.scheduler.stop();
      close();
    },
    close,
  };

  function close(): void {
    void services.scheduler.stop();
    if (db.open) {
      db.pragma('wal_checkpoint(TRUNCATE)');
      db.close();
    }
  }
}
