import { create } from 'zustand';
import type { BackupInfo, DataFolderName, DataStatus, QuarantineItem } from '../../../../main/core/contract';
import type { OutpostError } from '../../../../main/core/errors';
import { connectApi, invoke } from '../../platform/api';

/** What the last finished action left to say, as a key of `data.notice.*` and its values. */
export interface DataNotice {
  key: 'backedUp' | 'exported' | 'restoredFiles' | 'folderAt';
  values: Record<string, string | number>;
}

export type DataBusy = 'backup' | 'restore' | 'startEmpty' | 'quarantine' | 'export' | 'import' | 'folder' | null;

interface DataState {
  status: DataStatus | null;
  backups: BackupInfo[];
  quarantine: QuarantineItem[];
  busy: DataBusy;
  error: OutpostError | null;
  notice: DataNotice | null;
  loadStatus(): Promise<DataStatus | null>;
  load(): Promise<void>;
  backupNow(): Promise<void>;
  restore(name: string): Promise<void>;
  startEmpty(): Promise<void>;
  restoreQuarantined(ids: string[]): Promise<void>;
  exportAll(): Promise<void>;
  /** Electron asks main for the file; the browser host uploads the one the user picked first. */
  importArchive(file?: File): Promise<void>;
  openFolder(folder: DataFolderName): Promise<void>;
}

export const useData = create<DataState>((set, get) => {
  /** Runs one action at a time and keeps its error or notice for the page. */
  const act = async (busy: Exclude<DataBusy, null>, work: () => Promise<DataNotice | null | OutpostError>) => {
    if (get().busy) return;
    set({ busy, error: null, notice: null });
    try {
      const outcome = await work();
      if (outcome && 'code' in outcome) set({ error: outcome });
      else set({ notice: outcome });
    } finally {
      set({ busy: null });
    }
  };

  return {
    status: null,
    backups: [],
    quarantine: [],
    busy: null,
    error: null,
    notice: null,
    loadStatus: async () => {
      const result = await invoke('data.status', {});
      if (!result.ok) {
        set({ error: result.error });
        return null;
      }
      set({ status: result.value });
      return result.value;
    },
    load: async () => {
      const [status, backups, quarantine] = await Promise.all([invoke('data.status', {}), invoke('data.backups', {}), invoke('data.quarantine', {})]);
      set({
        ...(status.ok ? { status: status.value } : {}),
        backups: backups.ok ? backups.value.backups : [],
        quarantine: quarantine.ok ? quarantine.value.items : [],
        error: !status.ok ? status.error : !backups.ok ? backups.error : !quarantine.ok ? quarantine.error : null,
      });
    },
    backupNow: () =>
      act('backup', async () => {
        const result = await invoke('data.backupNow', {});
        if (!result.ok) return result.error;
        await get().load();
        return { key: 'backedUp', values: { name: result.value.name } };
      }),
    // A successful restore replaces the data: main says so with data.replaced and the window starts afresh.
    restore: (name) =>
      act('restore', async () => {
        const result = await invoke('data.restore', { name });
        return result.ok ? null : result.error;
      }),
    startEmpty: () =>
      act('startEmpty', async () => {
        const result = await invoke('data.startEmpty', {});
        return result.ok ? null : result.error;
      }),
    restoreQuarantined: (ids) =>
      act('quarantine', async () => {
        const result = await invoke('data.restoreQuarantined', { ids });
        if (!result.ok) return result.error;
        await get().load();
        return { key: 'restoredFiles', values: { count: result.value.restored, failed: result.value.failed.length } };
      }),
    exportAll: () =>
      act('export', async () => {
        const result = await invoke('data.export', {});
        if (!result.ok) return result.error;
        return { key: 'exported', values: { path: result.value.path, posts: result.value.posts, media: result.value.media } };
      }),
    importArchive: (file) =>
      act('import', async () => {
        const api = connectApi();
        let uploadId: string | undefined;
        if (file && api.upload) {
          const uploaded = await api.upload(file);
          if (!uploaded.ok) return uploaded.error;
          uploadId = uploaded.value.uploadId;
        }
        const result = await invoke('data.import', uploadId ? { uploadId } : {});
        return result.ok ? null : result.error;
      }),
    openFolder: (folder) =>
      act('folder', async () => {
        const result = await invoke('data.openFolder', { folder });
        if (!result.ok) return result.error;
        return result.value.opened ? null : { key: 'folderAt', values: { path: result.value.path } };
      }),
  };
});
