import type { Handlers, Settings } from '../../core/contract';
import { settingsSchema } from '../../core/contract';
import { DomainError } from '../../core/errors';
import { getProject } from '../projects/projects-repo';
import type { Db } from '../store/database';
import type { Services } from '../services';
import { readSetting, writeSetting } from './settings-repo';

const defaults: Settings = { theme: 'system', language: 'en', activeProjectId: null };

export function readSettings(db: Db): Settings {
  const stored = readSetting(db, 'app');
  const parsed = settingsSchema.partial().safeParse(stored ?? {});
  const settings = { ...defaults, ...(parsed.success ? parsed.data : {}) };
  // A project deleted since it was chosen must not leave the UI pointing at nothing.
  if (settings.activeProjectId !== null && !getProject(db, settings.activeProjectId)) settings.activeProjectId = null;
  return settings;
}

export function settingsHandlers({ db, emit }: Services): Pick<Handlers, 'settings.get' | 'settings.update'> {
  return {
    'settings.get': () => readSettings(db),
    'settings.update': (changes) => {
      const next = db.transaction(() => {
        const merged: Settings = { ...readSettings(db) };
        if (changes.theme !== undefined) merged.theme = changes.theme;
        if (changes.language !== undefined) merged.language = changes.language;
        if (changes.activeProjectId !== undefined) {
          if (changes.activeProjectId !== null && !getProject(db, changes.activeProjectId)) {
            throw new DomainError('not_found', `There is no project with id ${changes.activeProjectId}.`, {
              field: 'activeProjectId',
              reason: 'project_missing',
            });
          }
          merged.activeProjectId = changes.activeProjectId;
        }
        writeSetting(db, 'app', merged);
        return merged;
      })();
      emit('settings.changed', next);
      return next;
    },
  };
}
