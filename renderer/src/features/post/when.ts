/** The post's time in words, for the composer's list and the queue's confirmation. */

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(lang: string, zone: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${lang}|${zone}|${JSON.stringify(options)}`;
  let made = formatters.get(key);
  if (!made) {
    made = new Intl.DateTimeFormat(lang, { ...options, timeZone: zone });
    formatters.set(key, made);
  }
  return made;
}

/**
 * "Mon 7 Dec, 09:00": the date in the language's order, the time on the user's clock (`lang` is a time
 * locale from settings/time-preferences), both in the project's zone.
 */
export function slotText(instant: number, zone: string, lang: string): string {
  const date = new Date(instant);
  const day = formatter(lang, zone, { weekday: 'short', day: 'numeric', month: 'short' }).format(date);
  return `${day}, ${formatter(lang, zone, { hour: 'numeric', minute: '2-digit' }).format(date)}`;
}
