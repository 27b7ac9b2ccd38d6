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
  /** Shows a folder in the system's file manager; absent in the browser host (the UI shows the path instead). */
  openFolder?(path: string): Promise<void>;
  /** Asks the user for an Outpost export with main's own file dialog (the path never comes from the page); null when cancelled. */
  chooseExportFile?(): Promise<string | null>;
}
