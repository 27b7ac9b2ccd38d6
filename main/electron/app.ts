import { app, BrowserWindow, dialog, ipcMain, net, session, shell, type WebContents } from 'electron';
import { join } from 'node:path';
import { EVENT_CHANNEL, GRANT_FILE_CHANNEL, INVOKE_CHANNEL } from '../core/channels';
import type { EventName, EventPayload } from '../core/contract';
import { buildCsp } from '../core/csp';
import { fail } from '../core/errors';
import { systemClock } from '../services/ports';
import { KeytarSecretStore } from '../services/secrets/keytar-store';
import { DataFolderInUseError } from '../services/data/data-folder';
import { openOutpost, type Outpost } from '../services/runtime';
import { readSettings } from '../services/settings/settings-repo';
import { createMainTranslator } from './background';
import { HIDDEN_FLAG, startBackground, type BackgroundGlue } from './background-glue';
import { createFileGrants } from './file-grants';
import { APP_INDEX_URL, APP_ORIGIN } from './app-files';
import { handleAppScheme, registerSchemes } from './app-protocol';
import { handleMediaScheme } from './media-protocol';
import { printHtmlToPdf } from './pdf';
import { decideNavigation, decideWindowOpen, isTrustedSender, openHttpsExternally, windowOptions, type AppLocation } from './security';
import { catchSignInRedirect, isSignInContents } from './sign-in-window';

let mainWindow: BrowserWindow | undefined;

function appLocation(): AppLocation {
  const devUrl = process.env.ELECTRON_RENDERER_URL;
  if (!app.isPackaged && devUrl) return { kind: 'dev', origin: devUrl };
  return { kind: 'app', origin: APP_ORIGIN };
}

function openExternal(url: string): void {
  openHttpsExternally(url, (https) => shell.openExternal(https)).catch((error: unknown) => console.warn(String(error)));
}

function guardContents(contents: WebContents, location: AppLocation): void {
  contents.on('will-navigate', (event, url) => {
    const decision = decideNavigation(url, location);
    if (decision.allow) return;
    event.preventDefault();
    if (decision.openExternally) openExternal(url);
  });
  contents.on('will-redirect', (event, url) => {
    if (!decideNavigation(url, location).allow) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    const decision = decideWindowOpen(url);
    if (decision.openExternally) openExternal(url);
    return { action: decision.action };
  });
}

/** A file or folder in the system's own app (shell.openPath answers with a problem instead of throwing). */
async function openPath(path: string): Promise<void> {
  const problem = await shell.openPath(path);
  if (problem) throw new Error(problem);
}

function iconPath(): string {
  return join(__dirname, '../../resources/icon.png');
}

function createWindow(location: AppLocation): BrowserWindow {
  const window = new BrowserWindow({
    ...windowOptions(join(__dirname, '../preload/index.js')),
    // macOS and Windows take the icon from the bundle; Linux needs it on the window.
    ...(process.platform === 'linux' ? { icon: iconPath() } : {}),
  });
  window.once('ready-to-show', () => window.show());
  // A page that does not load leaves an empty window; the reason goes to the console the developer reads.
  window.loadURL(location.kind === 'dev' ? location.origin : APP_INDEX_URL).catch((error: unknown) => console.error('window: the app page did not load', error));
  return window;
}

function showFatal(title: string, message: string): void {
  dialog.showErrorBox(title, message);
  app.exit(1);
}

export function startApp(): void {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  app.enableSandbox();
  registerSchemes();
  const location = appLocation();
  // Files main writes (database, media, backups, logs) are the user's alone.
  process.umask(0o077);
  let outpost: Outpost | undefined;
  let background: BackgroundGlue | undefined;
  let shutDown = false;

  const showWindow = () => {
    if (!mainWindow || mainWindow.isDestroyed()) mainWindow = createWindow(location);
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.show();
    mainWindow.focus();
  };

  app.on('second-instance', showWindow);

  // Paths of files the user picked or dropped, per window: media.import reads no other.
  const fileGrants = createFileGrants();

  app.on('web-contents-created', (_event, contents) => {
    // The sign-in window shows the network's own login pages under its own rules (sign-in-window.ts).
    if (!isSignInContents(contents)) guardContents(contents, location);
    const id = contents.id;
    contents.once('destroyed', () => fileGrants.forget(id));
  });

  const started = app.whenReady().then(async () => {
    const csp = buildCsp(location.kind === 'dev' ? { devServerOrigin: location.origin } : {});
    if (location.kind === 'app') handleAppScheme(join(__dirname, '../renderer'), csp);
    session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
      callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [csp] } });
    });
    // The renderer needs no camera, microphone, geolocation or notification permission.
    session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));

    const emit = <E extends EventName>(event: E, payload: EventPayload<E>) => {
      for (const window of BrowserWindow.getAllWindows()) window.webContents.send(EVENT_CHANNEL, event, payload);
      if (event === 'publishing.changed') background?.notify(payload as EventPayload<'publishing.changed'>);
      if (event === 'settings.changed') background?.applySettings(payload as EventPayload<'settings.changed'>);
    };
    try {
      outpost = openOutpost({
        dataDir: join(app.getPath('userData'), 'data'),
        clock: systemClock,
        emit,
        secrets: new KeytarSecretStore(),
        platform: {
          host: 'electron',
          version: app.getVersion(),
          openExternal: (url) => openHttpsExternally(url, (https) => shell.openExternal(https)),
          printToPdf: printHtmlToPdf,
          catchSignInRedirect,
          openFolder: openPath,
          openFile: openPath,
          documentsDir: join(app.getPath('documents'), 'Outpost reports'),
          // Main's own dialog: the path of an export to import never comes from the page.
          chooseExportFile: async () => {
            const picked = await dialog.showOpenDialog({
              properties: ['openFile'],
              filters: [{ name: 'Outpost export', extensions: ['tar', 'gz', 'tgz'] }],
            });
            return picked.canceled ? null : (picked.filePaths[0] ?? null);
          },
        },
      });
    } catch (error) {
      // A lost or damaged database is not fatal: the window offers recovery. Only these are.
      if (error instanceof DataFolderInUseError) showFatal('Outpost is already open', error.message);
      else showFatal('Outpost could not open its data folder', String((error as Error).message ?? error));
      return;
    }
    const data = outpost;
    // The store can be replaced under the window (restore, import): every use asks for the open one.
    const current = () => data.backend();
    handleMediaScheme({
      get root() {
        return current()?.services.media.root ?? join(data.dataDir, 'media');
      },
      resolveFile: (id, variant) => current()?.services.media.resolveFile(id, variant),
    });
    const dispatch = data.dispatch;
    ipcMain.handle(GRANT_FILE_CHANNEL, (event, path: unknown) => isTrustedSender(event.senderFrame?.url, location) && fileGrants.grant(event.sender.id, path));
    ipcMain.handle(INVOKE_CHANNEL, (event, name: unknown, args: unknown) => {
      if (!isTrustedSender(event.senderFrame?.url, location)) {
        return fail({ code: 'unauthorized', message: 'Requests are accepted only from Outpost’s own window.' });
      }
      const refused = fileGrants.authorize(event.sender.id, name, args);
      return refused ? fail(refused) : dispatch(name, args);
    });
    const opened = current();
    const settings = opened ? readSettings(opened.services.db) : null;
    background = startBackground({
      backend: current,
      translator: await createMainTranslator(settings?.language ?? 'system', app.getPreferredSystemLanguages()),
      iconPath: iconPath(),
      showWindow,
    });
    if (settings) background.applySettings(settings);
    // Each store that opens (at start, after a restore or import) publishes from here on.
    data.onOpen((backend) => {
      backend.services.scheduler.setOnline(net.isOnline());
      backend.services.scheduler.start();
      backend.metrics.start();
    });
    // Started at login: publish from the tray; the window opens from the tray or a second launch.
    if (!process.argv.includes(HIDDEN_FLAG)) mainWindow = createWindow(location);
    app.on('activate', showWindow);
  });
  // Anything start-up did not expect is said in a dialog, not lost as an unhandled rejection.
  started.catch((error: unknown) => showFatal('Outpost could not start', String((error as Error | undefined)?.message ?? error)));

  app.on('window-all-closed', () => {
    if (!background || background.quitsWhenWindowsClose()) app.quit();
  });
  app.on('before-quit', (event) => {
    if (shutDown || !outpost) return;
    // Let calls in flight be recorded before the store closes, so none is left "unknown".
    event.preventDefault();
    shutDown = true;
    background?.dispose();
    outpost
      .shutdown()
      .catch((error: unknown) => console.error('shutdown: the data did not close cleanly', error))
      .finally(() => app.quit());
  });
}
