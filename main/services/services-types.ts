import type { ConnectorRegistry } from './connectors/registry';
import type { Logger } from './log/logger';
import type { MediaLibrary } from './media/media-library';
import type { Clock, EmitEvent, Platform } from './ports';
import type { Scheduler } from './scheduler/engine';
import type { SecretStore } from './secrets/secret-store';
import type { Db } from './store/database';

/**
 * Everything a handler may use; built once per process by the Electron glue or the browser host.
 * A leaf of its own so handler modules can name it without importing services.ts, which imports them.
 */
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
  /** The main process's log (secrets redacted). */
  logger: Logger;
}
