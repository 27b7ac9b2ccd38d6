/**
 * The languages Outpost's interface speaks (issue 14): English, Russian and Hebrew. The setting is
 * one of them or 'system', which follows the operating system's preferred languages; both the
 * window (navigator.languages) and main (Electron's preferred system languages) resolve it here.
 */

export const uiLanguages = ['en', 'ru', 'he'] as const;
export type UiLanguage = (typeof uiLanguages)[number];

/** What the Settings page offers: the system's choice first. */
export const languageSettings = ['system', ...uiLanguages] as const;
export type LanguageSetting = (typeof languageSettings)[number];

export function isUiLanguage(value: string): value is UiLanguage {
  return (uiLanguages as readonly string[]).includes(value);
}

/** The language to show for a setting: itself, or the first of the system's preferred ones Outpost speaks (English otherwise). */
export function resolveUiLanguage(setting: string, preferred: readonly string[]): UiLanguage {
  if (isUiLanguage(setting)) return setting;
  for (const tag of preferred) {
    // "he-IL" → "he"; the old code "iw" is Hebrew too.
    const base = tag.toLowerCase().split(/[-_]/)[0] ?? '';
    const normal = base === 'iw' ? 'he' : base;
    if (isUiLanguage(normal)) return normal;
  }
  return 'en';
}

/** Right to left for Hebrew: the whole window mirrors. */
export function directionOf(language: UiLanguage): 'ltr' | 'rtl' {
  return language === 'he' ? 'rtl' : 'ltr';
}
