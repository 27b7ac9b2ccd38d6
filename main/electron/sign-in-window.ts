import { BrowserWindow, session, type WebContents } from 'electron';
import { decideSignInNavigation, SIGN_IN_PARTITION, signInWindowOptions } from './sign-in-navigation';

/**
 * The Platform port `catchSignInRedirect` in Electron: a window on the network's login page that
 * resolves with the final address (VK's implicit flow) and closes. The app-wide guard
 * (app.ts guardContents) leaves this window's contents to the rules set here.
 */

/** True for the sign-in window's contents (its own session), which the app-wide guard must leave alone. */
export function isSignInContents(contents: WebContents): boolean {
  return contents.session === session.fromPartition(SIGN_IN_PARTITION);
}

export function catchSignInRedirect(startUrl: string, isFinal: (address: string) => boolean): Promise<string | null> {
  // The login pages need no camera, microphone, location or notifications either.
  session.fromPartition(SIGN_IN_PARTITION).setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  return new Promise((resolve) => {
    const window = new BrowserWindow(signInWindowOptions('Sign in'));
    const contents = window.webContents;
    let done = false;
    const finish = (address: string | null) => {
      if (done) return;
      done = true;
      resolve(address);
      if (!window.isDestroyed()) window.close();
    };
    const onAddress = (event: { preventDefault(): void }, address: string) => {
      const decision = decideSignInNavigation(address, isFinal);
      if (decision === 'allow') return;
      // The final address carries the token: it is read here and never loaded.
      event.preventDefault();
      if (decision === 'finish') finish(address);
    };
    contents.on('will-navigate', onAddress);
    contents.on('will-redirect', onAddress);
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
    window.on('closed', () => finish(null));
    window.loadURL(startUrl).catch(() => undefined);
  });
}
