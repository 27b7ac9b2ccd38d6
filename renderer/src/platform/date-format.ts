/** One Intl.DateTimeFormat per language, zone and options: making one costs far more than using it. */
const formatters = new Map<string, Intl.DateTimeFormat>();

export function dateFormat(lang: string, options: Intl.DateTimeFormatOptions, zone = 'UTC'): Intl.DateTimeFormat {
  const key = `${lang}|${zone}|${JSON.stringify(options)}`;
  let made = formatters.get(key);
  if (!made) {
    made = new Intl.DateTimeFormat(lang, { ...options, timeZone: zone });
    formatters.set(key, made);
  }
  return made;
}
