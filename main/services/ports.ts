import type { EventName, EventPayload } from '../core/contract';

/** Platform things the services need, implemented by the Electron glue and by the browser host. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

export type EmitEvent = <E extends EventName>(event: E, payload: EventPayload<E>) => void;

export interface Platform {
  host: 'electron' | 'browser';
  version: string;
  dataDir: string;
  /** Opens an http(s) URL in the user's browser (OAuth sign-in, links to published posts). */
  openExternal(url: string): Promise<void>;
  /** Prints a self-contained HTML page to PDF with Chromium (Electron's printToPDF); absent in the browser host. */
  printToPdf?(html: string): Promise<Uint8Array>;
  /**
   * Where documents the user keeps (client reports) are saved, e.g. ~/Documents/Outpost reports;
   * absent in the browser host, where the page downloads them instead.
   */
  documentsDir?: string;
  /** Opens a saved file in the system's own viewer (a PDF reader, the browser for HTML); absent in the browser host. */
  openFile?(path: string): Promise<void>;
  /** Shows a folder in the system's file manager; absent in the browser host (the UI shows the path instead). */
  openFolder?(path: string): Promise<void>;
  /**
   * Opens `startUrl` in a sign-in window inside the app and resolves with the first address that
   * `isFinal` accepts (VK's implicit flow ends on oauth.vk.com/blank.html#access_token=…, which no
   * system browser can hand back); null when the user closes the window. Absent in the browser
   * host, where the user pastes the final address instead.
   */
  catchSignInRedirect?(startUrl: string, isFinal: (address: string) => boolean): Promise<string | null>;
  /** Asks the user for an Outpost export with main's own file dialog (the path never comes from the page); null when cancelled. */
  chooseExportFile?(): Promise<string | null>;
}
