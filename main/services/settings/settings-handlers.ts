import type { HandlersOf, Settings, settingsRequests } from '../../core/contract';
import { notificationSettingsSchema, settingsSchema } from '../../core/contract';
import { DomainError } from '../../core/errors';
import { getProject } from '../projects/projects-repo';
import type { Db } from '../store/database';
import type { Services } from '../services-types';
import { readSetting, writeSetting } from './settings-repo';

const defaults: Settings = {
  theme: 'system',
  language: 'en',
  activeProjectId: null,
  runInBackground: true,
  startAtLogin: false,
  notifications: { published: true, failed: true, needsAttention: true },
};

export function readSettings(db: Db): Settings {
  const stored = readSetting(db, 'app');
  // Lenient: settings saved by an older version may lack newer keys.
  const parsed = settingsSchema.extend({ notifications: notificationSettingsSchema.partial() }).partial().safeParse(stored ?? {});
  const saved = parsed.success ? parsed.data : {};
  const settings: Settings = {
    ...defaults,
    ...saved,
    notifications: { ...defaults.notifications, ...saved.notifications },
  };
  // A project deleted since it was chosen must not leave the UI pointing at nothing.
  if (settings.activeProjectId !== null && !getProject(db, settings.activeProjectId)) settings.activeProjectId = null;
  return settings;
}

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
        if (changes.activeProjectId && !getProject(db, changes.activeProjectId)) {
          throw new DomainError('not_found', `There is no project with id ${changes.activeProjectId}.`, {
            field: 'activeProjectId',
            reason: 'project_missing',
          });
        }
        writeSetting(db, 'app', merged);
        return merged;
      })();
      emit('settings.changed', next);
      return next;
    },
  };
}
