import { create } from 'zustand';
import { subscribe } from './api';

/**
 * The one documented place where the hosts differ for the renderer. The browser host (tests and
 * development) has no system browser to show a sign-in page in, so it sends `app.openUrl` and
 * the page opens the URL in a new tab. Electron opens the system browser itself and never sends
 * the event, so in the app this listener simply never fires.
 */

interface BlockedUrlState {
  /** A page the browser refused to open without a click (popup blocker); the UI offers a link. */
  url: string | null;
  clear(): void;
}

export const useBlockedUrl = create<BlockedUrlState>((set) => ({
  url: null,
  clear: () => set({ url: null }),
}));

function isWebUrl(url: string): boolean {
  try {
    const { protocol } = new URL(url);
    return protocol === 'https:' || protocol === 'http:';
  } catch {
    return false;
  }
}

export function listenForOpenUrlRequests(): () => void {
  return subscribe('app.openUrl', ({ url }) => {
    if (!isWebUrl(url)) return;
    const opened = window.open(url, '_blank');
    // The sign-in page must not be able to script or navigate this one.
    if (opened) opened.opener = null;
    else useBlockedUrl.setState({ url });
  });
}
