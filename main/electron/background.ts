import i18next, { type TFunction } from 'i18next';
import type { Settings } from '../core/contract';
import type { NotificationPlan } from '../services/notifications/notification-plan';
import en from './locales/en.json';

/**
 * Decisions for running in the background — whether closing the window quits, what the tray
 * and the notifications say — as plain functions a unit test can check without Electron.
 */
export async function createMainTranslator(language: string): Promise<TFunction> {
  const instance = i18next.createInstance();
  await instance.init({
    resources: { en: { translation: en } },
    lng: language,
    fallbackLng: 'en',
    interpolation: { escapeValue: false },
  });
  return instance.t.bind(instance);
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
