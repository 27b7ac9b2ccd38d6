import type { OutpostApi } from '../../main/core/contract';

declare global {
  interface Window {
    /** Set by the preload in Electron; by the HTTP bridge when served by the browser host. */
    outpost?: OutpostApi;
  }
}
