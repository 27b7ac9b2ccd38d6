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
}
