import type { BrowserWindowConstructorOptions } from 'electron';

/**
 * The window's security settings and navigation decisions as plain functions, so a unit test
 * proves them without starting Electron.
 */
/** What every window of ours keeps: isolated, sandboxed, no Node, no webviews, no insecure content. */
export const hardenedWebPreferences = {
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  webviewTag: false,
  navigateOnDragDrop: false,
  safeDialogs: true,
} as const satisfies BrowserWindowConstructorOptions['webPreferences'];

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
      ...hardenedWebPreferences,
      spellcheck: true,
    },
  };
}

/**
 * Where the app itself lives: the dev server's origin, or the packaged renderer on its own
 * app:// origin (never file://, where 'self' would be the whole disk).
 */
export type AppLocation = { kind: 'dev'; origin: string } | { kind: 'app'; origin: string };

export function isAppUrl(rawUrl: string, app: AppLocation): boolean {
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    return false;
  }
  const home = new URL(app.origin);
  if (url.username || url.password) return false;
  // A custom scheme's URL has an opaque origin ("null") in the URL standard: compare scheme and host.
  if (app.kind === 'app') return url.protocol === home.protocol && url.host === home.host;
  return url.origin === home.origin;
}

/** Only https links may leave the app, and only to the user's browser; http ones are refused, not opened. */
export function isExternalWebUrl(rawUrl: string): boolean {
  try {
    const url = new URL(rawUrl);
    return url.protocol === 'https:' && url.hostname !== '' && !url.username && !url.password;
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

/**
 * The system-browser port for the services (sign-in pages): https only. Anything else throws, so
 * a sign-in fails with a clear reason instead of handing a file:, smb: or http: URL to the OS.
 */
export async function openHttpsExternally(rawUrl: string, open: (url: string) => Promise<void>): Promise<void> {
  if (!isExternalWebUrl(rawUrl)) {
    let scheme = 'an unreadable';
    try {
      scheme = `a ${new URL(rawUrl).protocol}`;
    } catch {
      // Keep the generic wording: the URL itself is not echoed, it may carry a code or token.
    }
    throw new Error(`Outpost opens only https:// links in the browser; it refused ${scheme} link.`);
  }
  await open(rawUrl);
}

/**
 * The print window's requests: the pack's own page and what it carries inline (data: images,
 * about:blank) load; anything else — http(s), other files, app:, media: — is cancelled, so a pack
 * can never reach the network or the disk whatever its text holds.
 */
export function allowPrintRequest(rawUrl: string, pageUrl: string): boolean {
  if (rawUrl === pageUrl) return true;
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    return false;
  }
  return url.protocol === 'data:' || url.protocol === 'about:';
}
