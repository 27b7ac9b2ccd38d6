import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { uiLanguages } from '../../main/core/languages';

/**
 * Every language has every string (issue 14 item 1): the same keys as English, each plural in the
 * forms its language needs (Intl.PluralRules: Russian one/few/many/other, Hebrew one/two/other), and
 * the same {{placeholders}}, for the window (renderer) and for main's tray and notifications.
 */

const root = resolve(__dirname, '../..');
const folders = { window: 'renderer/src/i18n/locales', main: 'main/electron/locales' } as const;
const PLURAL = /_(zero|one|two|few|many|other)$/;

function flatten(value: unknown, prefix = '', into = new Map<string, string>()): Map<string, string> {
  if (typeof value === 'string') into.set(prefix, value);
  else for (const [key, inner] of Object.entries(value as Record<string, unknown>)) flatten(inner, prefix ? `${prefix}.${key}` : key, into);
  return into;
}

const read = (folder: string, language: string) => flatten(JSON.parse(readFileSync(join(root, folder, `${language}.json`), 'utf8')));
const placeholders = (text: string) => [...text.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]!).sort();

/** A plural form: English has the base's `_one` and `_other` ("recurrence_too_many" alone is a plain key; `_zero` is i18next's own special case, kept as is). */
function isPlural(english: Map<string, string>, key: string): boolean {
  const match = /^(.*)_(one|two|few|many|other)$/.exec(key);
  return match !== null && english.has(`${match[1]}_one`) && english.has(`${match[1]}_other`);
}

/** The keys a language must have: English's, with each plural base in that language's categories. */
function expectedKeys(english: Map<string, string>, language: string): Map<string, string> {
  const categories = new Intl.PluralRules(language).resolvedOptions().pluralCategories;
  const expected = new Map<string, string>();
  for (const [key, text] of english) {
    if (!isPlural(english, key)) expected.set(key, text);
    else if (key.endsWith('_other')) {
      // Each form says what English's form for it says: "one" what English's one says, the rest what its other says.
      for (const category of categories) expected.set(key.replace(PLURAL, `_${category}`), english.get(key.replace(PLURAL, category === 'one' ? '_one' : '_other')) ?? text);
    }
  }
  return expected;
}

describe.each(Object.entries(folders))('the %s strings', (_name, folder) => {
  const english = read(folder, 'en');

  it.each(uiLanguages.filter((l) => l !== 'en'))('in %s: every key, every plural form, the same placeholders, nothing extra', (language) => {
    const own = read(folder, language);
    const expected = expectedKeys(english, language);
    expect([...expected.keys()].filter((key) => !own.has(key)), 'missing').toEqual([]);
    expect([...own.keys()].filter((key) => !expected.has(key)), 'not in English').toEqual([]);
    const wrong = [...expected].filter(([key, text]) => {
      const plural = PLURAL.test(key) && key !== key.replace(PLURAL, '_zero');
      const want = placeholders(text).filter((p) => !(p === 'count' && /_(one|two)$/.test(key)));
      const have = placeholders(own.get(key) ?? '');
      // "one"/"two" forms may spell the number out ("פוסט אחד"); a form may also show {{count}} where English's does not (Russian's "one" covers 21, 31…).
      return want.some((p) => !have.includes(p)) || have.some((p) => !placeholders(text).includes(p) && !(plural && p === 'count'));
    });
    expect(wrong.map(([key]) => key), 'placeholders differ').toEqual([]);
  });

  it.each(uiLanguages.filter((l) => l !== 'en'))('in %s: translated, not English left in place', (language) => {
    const own = read(folder, language);
    const same = [...english].filter(([key, text]) => !isPlural(english, key) && /[a-z]{3}/i.test(text) && own.get(key) === text);
    // Names (Telegram, Outpost…), codes and examples stay as they are; sentences never do.
    expect(same.filter(([, text]) => /\s\w+\s/.test(text)).map(([key]) => key)).toEqual([]);
  });
});
