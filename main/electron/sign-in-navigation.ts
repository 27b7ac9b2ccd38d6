import type { BrowserWindowConstructorOptions } from 'electron';
import { hardenedWebPreferences } from './security';

/**
 * The in-app sign-in window's rules as plain functions (tested without Electron): it runs the
 * network's own login pages in a separate, in-memory session with no preload and no Node, may go
 * only to https pages, and ends on the first address the sign-in says is final (VK's
 * oauth.vk.com/blank.html#access_token=…), which it never loads.
 */

/** Not persisted: cookies of the network's login die with the window's session at quit. */
export const SIGN_IN_PARTITION = 'outpost-sign-in';

export function signInWindowOptions(title: string): BrowserWindowConstructorOptions {
  return {
    width: 720,
    height: 760,
    title,
    autoHideMenuBar: true,
    webPreferences: {
      ...hardenedWebPreferences,
      partition: SIGN_IN_PARTITION,
    },
  };
}

export type SignInNavigation = 'finish' | 'allow' | 'deny';

/** What the window does with an address it is about to open or is redirected to. */
export function decideSignInNavigation(address: string, isFinal: (address: string) => boolean): SignInNavigation {
  if (isFinal(address)) return 'finish';
  try {
    const url = new URL(address);
    return url.protocol === 'https:' && !url.username && !url.password ? 'allow' : 'deny';
  } catch {
    return 'deny';
  }
}
