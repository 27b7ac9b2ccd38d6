import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import { EVENT_CHANNEL, GRANT_FILE_CHANNEL, INVOKE_CHANNEL } from '../main/core/channels';
import type { OutpostApi } from '../main/core/contract';

/** The whole surface the renderer gets, typed by the contract: invoke, on, and a dropped file's path. */
const api: OutpostApi = {
  invoke: (name, args) => ipcRenderer.invoke(INVOKE_CHANNEL, name, args),
  on: (event, listener) => {
    const handler = (_e: IpcRendererEvent, name: unknown, payload: unknown) => {
      if (name === event) listener(payload as Parameters<typeof listener>[0]);
    };
    ipcRenderer.on(EVENT_CHANNEL, handler);
    return () => {
      ipcRenderer.removeListener(EVENT_CHANNEL, handler);
    };
  },
  // Electron removed File.path; main imports by path, so no file's bytes cross IPC. Main imports
  // only paths registered here, on a channel the page cannot reach, for a File the user gave.
  pathForFile: async (file) => {
    const path = webUtils.getPathForFile(file);
    if (!path) return null;
    return (await ipcRenderer.invoke(GRANT_FILE_CHANNEL, path)) === true ? path : null;
  },
};

contextBridge.exposeInMainWorld('outpost', api);
