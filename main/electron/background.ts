import i18next, { type TFunction } from 'i18next';
import type { Settings } from '../core/contract';
import type { NotificationPlan } from '../services/notifications/notification-plan';
import { resolveUiLanguage, type UiLanguage } from '../core/languages';
import en from './locales/en.json';
import he from './locales/he.json';
import ru from './locales/ru.json';

/**
 * Decisions for running in the background — whether closing the window quits, what the tray
 * and the notifications say — as plain functions a unit test can check without Electron.
 */
export interface MainTranslator {
  t: TFunction;
  /** Follows the language setting ('system' resolved against the system's preferred languages). */
  use(setting: string): Promise<void>;
  readonly language: UiLanguage;
}

/** The tray's and notifications' words, in the interface's language. */
export async function createMainTranslator(setting: string, systemLanguages: readonly string[]): Promise<MainTranslator> {
  const instance = i18next.createInstance();
  await instance.init({
    resources: { en: { translation: en }, ru: { translation: ru }, he: { translation: he } },
    lng: resolveUiLanguage(setting, systemLanguages),
    fallbackLng: 'en',
    interpolation: { escapeValue: false },
  });
  return {
    t: instance.t.bind(instance),
    use: async (next) => {
      const language = resolveUiLanguage(next, systemLanguages);
      if (language !== instance.language) await instance.changeLanguage(language);
    },
    get language() {
      return instance.language as UiLanguage;
    },
  };
}

/** Closing the last window quits unless the user keeps Outpost publishing in the tray (macOS keeps apps alive anyway). */
export function quitsWhenWindowsClose(settings: Pick<Settings, 'runInBackground'>, platform: NodeJS.Platform): boolean {
  if (platform === 'darwin') return false;
  return !settings.runInBackground;
}

export interface NotificationText {
  title: string;
  body: string;
}

export function notificationText(plan: NotificationPlan, t: TFunction): NotificationText {
  const network = t(`networks.${plan.network}`, { defaultValue: plan.network });
  const title = t(`notification.${plan.kind}`, { network, project: plan.projectName });
  const body =
    plan.kind === 'published' || !plan.message
      ? plan.excerpt
      : t('notification.failedBody', { excerpt: plan.excerpt, message: plan.message });
  return { title, body };
}

export interface TrayLabels {
  tooltip: string;
  open: string;
  quit: string;
}

export function trayLabels(t: TFunction): TrayLabels {
  return { tooltip: t('tray.tooltip'), open: t('tray.open'), quit: t('tray.quit') };
}
