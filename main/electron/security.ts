import type { BrowserWindowConstructorOptions } from 'electron';

/**
 * The window's security settings and navigation decisions as plain functions, so a unit test
 * proves them without starting Electron.
 */
export function windowOptions(preloadPath: string): BrowserWindowConstructorOptions {
  return {
    width: 1280,
    height: 820,
    minWidth: 900,
    minHeight: 600,
    show: false,
    title: 'Outpost',
    autoHideMenuBar: true,
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: true,
      safeDialogs: true,
    },
  };
}

/** Where the app itself lives: the dev server's origin, or the packaged index.html file. */
export type AppLocation = { kind: 'dev'; origin: string } | { kind: 'file'; indexUrl: string };

export function isAppUrl(rawUrl: string, app: AppLocation): boolean {
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    return false;
  }
  if (app.kind === 'dev') return url.origin === new URL(app.origin).origin;
  const index = new URL(app.indexUrl);
  return url.protocol === 'file:' && url.pathname === index.pathname;
}

/** Only web links may leave the app, and only to the user's browser. */
export function isExternalWebUrl(rawUrl: string): boolean {
  try {
    const { protocol } = new URL(rawUrl);
    return protocol === 'https:' || protocol === 'http:';
  } catch {
    return false;
  }
}

export type NavigationDecision = { allow: true } | { allow: false; openExternally: boolean };

/** In-app navigation never leaves the app; a web link opens in the system browser instead. */
export function decideNavigation(url: string, app: AppLocation): NavigationDecision {
  if (isAppUrl(url, app)) return { allow: true };
  return { allow: false, openExternally: isExternalWebUrl(url) };
}

/** window.open never makes a window; web links go to the system browser. */
export function decideWindowOpen(url: string): { action: 'deny'; openExternally: boolean } {
  return { action: 'deny', openExternally: isExternalWebUrl(url) };
}

/** IPC is answered only for the app's own top frame. */
export function isTrustedSender(frameUrl: string | undefined, app: AppLocation): boolean {
  return frameUrl !== undefined && isAppUrl(frameUrl, app);
}
