import i18next, { type i18n } from 'i18next';
import { initReactI18next } from 'react-i18next';
import type { OutpostError } from '../../../main/core/errors';
import { resolveUiLanguage, type UiLanguage } from '../../../main/core/languages';
import en from './locales/en.json';
import he from './locales/he.json';
import ru from './locales/ru.json';

// Each language's file has its own plural keys (Russian's few and many, Hebrew's two), so they are not typed as one shape.
const resources: Record<UiLanguage, { translation: object }> = { en: { translation: en }, ru: { translation: ru }, he: { translation: he } };

/** The language a setting means in this window: itself, or the system's (navigator.languages) when it is 'system'. */
export function windowLanguage(setting: string | undefined): UiLanguage {
  return resolveUiLanguage(setting ?? 'system', typeof navigator === 'undefined' ? [] : navigator.languages);
}

/** Every user-facing string goes through here; a new language is one more JSON file. */
export async function initI18n(language: string = windowLanguage('system')): Promise<i18n> {
  const instance = i18next.createInstance();
  await instance.use(initReactI18next).init({
    resources,
    lng: language,
    fallbackLng: 'en',
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  applyDirection(instance);
  instance.on('languageChanged', () => applyDirection(instance));
  return instance;
}

function applyDirection(instance: i18n): void {
  document.documentElement.lang = instance.language;
  document.documentElement.dir = instance.dir(instance.language);
}

/** The sentence to show for an error: its specific reason if we have words for it, else its code. */
export function errorText(t: (key: string) => string, error: OutpostError, exists: (key: string) => boolean): string {
  if (error.reason && exists(`errors.reason.${error.reason}`)) return t(`errors.reason.${error.reason}`);
  return t(`errors.code.${error.code}`);
}
