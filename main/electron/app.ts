import { app, BrowserWindow, dialog, ipcMain, session, shell, type WebContents } from 'electron';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { EVENT_CHANNEL, INVOKE_CHANNEL } from '../core/channels';
import type { EventName, EventPayload } from '../core/contract';
import { buildCsp } from '../core/csp';
import { fail } from '../core/errors';
import { systemClock } from '../services/ports';
import { KeytarSecretStore } from '../services/secrets/keytar-store';
import { createBackend, type Backend } from '../services/services';
import { DatabaseNewerError } from '../services/store/database';
import { handleMediaScheme, registerMediaScheme } from './media-protocol';
import { decideNavigation, decideWindowOpen, isTrustedSender, windowOptions, type AppLocation } from './security';

let mainWindow: BrowserWindow | undefined;

function appLocation(): AppLocation {
  const devUrl = process.env.ELECTRON_RENDERER_URL;
  if (!app.isPackaged && devUrl) return { kind: 'dev', origin: devUrl };
  return { kind: 'file', indexUrl: pathToFileURL(join(__dirname, '../renderer/index.html')).href };
}

function openExternal(url: string): void {
  void shell.openExternal(url);
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

function createWindow(location: AppLocation): BrowserWindow {
  const window = new BrowserWindow({
    ...windowOptions(join(__dirname, '../preload/index.js')),
    // macOS and Windows take the icon from the bundle; Linux needs it on the window.
    ...(process.platform === 'linux' ? { icon: join(__dirname, '../../resources/icon.png') } : {}),
  });
  window.once('ready-to-show', () => window.show());
  if (location.kind === 'dev') void window.loadURL(location.origin);
  else void window.loadFile(join(__dirname, '../renderer/index.html'));
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
  registerMediaScheme();
  const location = appLocation();
  let backend: Backend | undefined;

  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });

  app.on('web-contents-created', (_event, contents) => guardContents(contents, location));

  void app.whenReady().then(() => {
    const csp = buildCsp(location.kind === 'dev' ? { devServerOrigin: location.origin } : {});
    session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
      callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [csp] } });
    });
    // The renderer needs no camera, microphone, geolocation or notification permission.
    session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));

    const emit = <E extends EventName>(event: E, payload: EventPayload<E>) => {
      for (const window of BrowserWindow.getAllWindows()) window.webContents.send(EVENT_CHANNEL, event, payload);
    };
    try {
      backend = createBackend({
        dataDir: join(app.getPath('userData'), 'data'),
        clock: systemClock,
        emit,
        secrets: new KeytarSecretStore(),
        platform: {
          host: 'electron',
          version: app.getVersion(),
          openExternal: (url) => shell.openExternal(url),
        },
      });
    } catch (error) {
      if (error instanceof DatabaseNewerError) showFatal('Outpost needs an update', error.message);
      else showFatal('Outpost could not open its data', String((error as Error).message ?? error));
      return;
    }
    handleMediaScheme(backend.services.media);
    const dispatch = backend.dispatch;
    ipcMain.handle(INVOKE_CHANNEL, (event, name: unknown, args: unknown) => {
      if (!isTrustedSender(event.senderFrame?.url, location)) {
        return fail({ code: 'unauthorized', message: 'Requests are accepted only from Outpost’s own window.' });
      }
      return dispatch(name, args);
    });
    mainWindow = createWindow(location);
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) mainWindow = createWindow(location);
    });
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('will-quit', () => backend?.close());
}
