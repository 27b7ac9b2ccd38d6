import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { EventName, EventPayload } from '../core/contract';
import { parseNetworkBaseUrls, type NetworkBaseUrls } from '../services/connectors/registry';
import { DataFolderInUseError } from '../services/data/data-folder';
import type { MediaLibrary } from '../services/media/media-library';
import { systemClock, type Clock, type EmitEvent } from '../services/ports';
import { openOutpost, type Outpost } from '../services/runtime';
import { hostSecretStore } from './secrets';
import { startHostServer, type HostServer } from './server';

/**
 * `npm run host -- --data-dir DIR [--port N]`: the same services and handlers as the app, in
 * plain Node, serving the built renderer to a browser. For tests and development only.
 */
function readVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(join(__dirname, '../../package.json'), 'utf8')) as { version?: string };
    return pkg.version ?? 'dev';
  } catch {
    return 'dev';
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'data-dir': { type: 'string' },
      port: { type: 'string' },
      'renderer-dir': { type: 'string' },
    },
    strict: true,
  });
  const dataDir = values['data-dir'];
  if (!dataDir) {
    console.error('Usage: npm run host -- --data-dir DIR [--port N]');
    process.exit(2);
  }
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`--port must be a number from 0 to 65535, not ${values.port}.`);
    process.exit(2);
  }

  // Events raised before the server listens have no one to go to.
  const outlet: { broadcast?: HostServer['broadcast'] } = {};
  const emit = <E extends EventName>(event: E, payload: EventPayload<E>) => outlet.broadcast?.(event, payload);
  // Files the host writes (database, media, backups, logs) are the user's alone.
  process.umask(0o077);
  const outpost = openData(resolve(dataDir), emit, readBaseUrls());
  // The store can be replaced under the server (restore, import): media go to whichever is open.
  const media = (): MediaLibrary | undefined => outpost.backend()?.services.media;
  const server = await startHostServer({
    dispatch: outpost.dispatch,
    rendererDir: values['renderer-dir'] ?? join(__dirname, '../renderer'),
    port,
    media: {
      receiveUpload: (body, length) =>
        media()?.receiveUpload(body, length) ??
        Promise.resolve({ ok: false, reason: 'not_saved', message: 'Outpost has not opened its data yet.' } as const),
      resolveFile: (id, variant) => media()?.resolveFile(id, variant),
    },
  });
  outlet.broadcast = server.broadcast;
  outpost.onOpen((backend) => {
    backend.services.scheduler.start();
    backend.metrics.start();
  });
  const status = outpost.status();
  if (status.state === 'recovery') console.warn(`Outpost did not open its data (${status.problem}); the page offers how to recover.`);
  console.log(`Outpost host listening on ${server.url}`);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    void server
      .close()
      .then(() => outpost.shutdown())
      .then(() => {
        console.log(`Outpost host stopped (${signal}).`);
        process.exit(0);
      })
      .catch((error: unknown) => {
        console.error(error);
        process.exit(1);
      });
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

/** Points networks at loopback fakes for tests; read here only, so the packaged app never honours it. */
function readBaseUrls(): NetworkBaseUrls {
  const raw = process.env.OUTPOST_NETWORK_BASE_URLS;
  if (!raw) return {};
  try {
    const baseUrls = parseNetworkBaseUrls(raw);
    console.log(`Network base URLs overridden: ${Object.entries(baseUrls).map(([n, u]) => `${n} → ${u}`).join(', ')}`);
    return baseUrls;
  } catch (error) {
    console.error((error as Error).message);
    process.exit(2);
  }
}

/**
 * Tests reopen the host "an hour later" (auto-delete, a post missed while the laptop slept) with
 * OUTPOST_CLOCK_OFFSET_MS; read here only, like the base URLs, so the packaged app never honours it.
 */
function readClock(): Clock {
  const raw = process.env.OUTPOST_CLOCK_OFFSET_MS;
  if (!raw) return systemClock;
  const offset = Number(raw);
  if (!Number.isSafeInteger(offset)) {
    console.error(`OUTPOST_CLOCK_OFFSET_MS must be a whole number of milliseconds, not "${raw}".`);
    process.exit(2);
  }
  console.log(`Clock moved ${offset} ms ahead of the system's.`);
  return { now: () => systemClock.now() + offset };
}

function openData(dataDir: string, emit: EmitEvent, baseUrls: NetworkBaseUrls): Outpost {
  try {
    return openOutpost({
      dataDir,
      clock: readClock(),
      emit,
      secrets: hostSecretStore(),
      networks: { baseUrls },
      platform: {
        host: 'browser',
        version: readVersion(),
        // There is no system browser to hand a sign-in page to: the open page opens it in a new
        // tab (the app.openUrl hook), so a sign-in can be driven end to end in Chromium.
        openExternal: async (url) => {
          console.log(`Asking the page to open ${new URL(url).origin}${new URL(url).pathname} in a new tab.`);
          emit('app.openUrl', { url });
        },
      },
    });
  } catch (error) {
    if (error instanceof DataFolderInUseError) {
      console.error(error.message);
      process.exit(3);
    }
    throw error;
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
