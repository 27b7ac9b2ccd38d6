import { create } from 'zustand';
import type { AppInfo, Args, Settings } from '../../../../main/core/contract';
import type { OutpostError } from '../../../../main/core/errors';
import { invoke } from '../../platform/api';

interface SettingsState {
  settings: Settings | null;
  info: AppInfo | null;
  error: OutpostError | null;
  load(): Promise<void>;
  update(changes: Args<'settings.update'>): Promise<void>;
}

export const useSettings = create<SettingsState>((set) => ({
  settings: null,
  info: null,
  error: null,
  load: async () => {
    const [settings, info] = await Promise.all([invoke('settings.get', {}), invoke('app.info', {})]);
    set({
      settings: settings.ok ? settings.value : null,
      info: info.ok ? info.value : null,
      error: !settings.ok ? settings.error : !info.ok ? info.error : null,
    });
  },
  update: async (changes) => {
    const result = await invoke('settings.update', changes);
    if (result.ok) set({ settings: result.value, error: null });
    else set({ error: result.error });
  },
}));
