import { notificationSettingsSchema, settingsSchema, type Settings } from '../../core/contract';
import { getProject } from '../projects/projects-repo';
import type { Db } from '../store/database';
import { parseJsonColumn, UNREADABLE } from '../store/json-columns';

/** Settings are small JSON values under string keys. */
export function readSetting(db: Db, key: string): unknown {
  const row = db.prepare('SELECT value FROM settings WHERE key = ?').get(key) as { value: string } | undefined;
  if (!row) return undefined;
  const value = parseJsonColumn(db, row.value, { table: 'settings', column: 'value', id: key });
  return value === UNREADABLE ? undefined : value;
}

export function writeSetting(db: Db, key: string, value: unknown): void {
  db.prepare(
    'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
  ).run(key, JSON.stringify(value));
}

const defaults: Settings = {
  theme: 'system',
  language: 'system',
  hourCycle: 'system',
  weekStart: 'system',
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
