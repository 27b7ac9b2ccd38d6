import type { HandlersOf, Settings, settingsRequests } from '../../core/contract';
import type { Services } from '../services-types';
import { readSettings, writeSetting } from './settings-repo';
import { mustGetProject } from '../projects/project-rules';

export function settingsHandlers({ db, emit }: Services): HandlersOf<typeof settingsRequests> {
  return {
    'settings.get': () => readSettings(db),
    'settings.update': (changes) => {
      const next = db.transaction(() => {
        const current = readSettings(db);
        const { notifications, ...rest } = changes;
        const merged: Settings = {
          ...current,
          ...Object.fromEntries(Object.entries(rest).filter(([, value]) => value !== undefined)),
          notifications: { ...current.notifications, ...notifications },
        };
        if (changes.activeProjectId) mustGetProject(db, changes.activeProjectId, 'activeProjectId');
        writeSetting(db, 'app', merged);
        return merged;
      })();
      emit('settings.changed', next);
      return next;
    },
  };
}
