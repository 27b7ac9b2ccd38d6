import type { Handlers, Settings } from '../../core/contract';
import { settingsSchema } from '../../core/contract';
import type { Db } from '../store/database';
import type { Services } from '../services';
import { readSetting, writeSetting } from './settings-repo';

const defaults: Settings = { theme: 'system', language: 'en', activeProjectId: null };

export function readSettings(db: Db): Settings {
  const stored = readSetting(db, 'app');
  const parsed = settingsSchema.partial().safeParse(stored ?? {});
  return { ...defaults, ...(parsed.success ? parsed.data : {}) };
}

export function settingsHandlers({ db, emit }: Services): Pick<Handlers, 'settings.get' | 'settings.update'> {
  return {
    'settings.get': () => readSettings(db),
    'settings.update': (changes) => {
      const next = db.transaction(() => {
        const merged: Settings = { ...readSettings(db) };
        if (changes.theme !== undefined) merged.theme = changes.theme;
        if (changes.language !== undefined) merged.language = changes.language;
        if (changes.activeProjectId !== undefined) merged.activeProjectId = changes.activeProjectId;
        writeSetting(db, 'app', merged);
        return merged;
      })();
      emit('settings.changed', next);
      return next;
    },
  };
}
