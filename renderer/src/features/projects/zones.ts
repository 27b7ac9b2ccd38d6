import { listTimeZones } from '../../../../main/core/projects';

/** A time zone as the picker shows it: its city, and its offset from UTC today ("Jerusalem (UTC+2)"). */
export interface ZoneOption {
  id: string;
  city: string;
  /** The area the zone id starts with ("Asia"), or empty for UTC. */
  region: string;
  /** "UTC+2", "UTC+5:30", "UTC-3", "UTC+0". */
  offset: string;
  offsetMinutes: number;
  /** The runtime's name for the zone ("Israel Time"), so a country or a zone name finds it too. */
  name: string;
  label: string;
  haystack: string;
}

/** Lower case, no accents, underscores as spaces, any minus as '-': "São_Paulo" and "sao paulo" meet. */
export function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replaceAll('_', ' ')
    .replace(/[\u2212\u2013]/g, '-');
}

function offsetMinutesOf(shortOffset: string): number {
  const match = /([+-])(\d{1,2})(?::(\d{2}))?/.exec(shortOffset);
  if (!match) return 0;
  return (match[1] === '-' ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3] ?? 0));
}

export function offsetText(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  const rest = abs % 60;
  return `UTC${sign}${Math.floor(abs / 60)}${rest ? `:${String(rest).padStart(2, '0')}` : ''}`;
}

function part(zone: string, lang: string, style: 'shortOffset' | 'longGeneric', at: number): string {
  try {
    return new Intl.DateTimeFormat(lang, { timeZone: zone, timeZoneName: style }).formatToParts(at).find((p) => p.type === 'timeZoneName')?.value ?? '';
  } catch {
    return '';
  }
}

export function zoneOption(id: string, lang: string, at: number): ZoneOption {
  const segments = id.split('/');
  const city = (segments[segments.length - 1] ?? id).replaceAll('_', ' ');
  const region = segments.length > 1 ? (segments[0] ?? '') : '';
  const offsetMinutes = offsetMinutesOf(part(id, 'en-US', 'shortOffset', at));
  const offset = offsetText(offsetMinutes);
  const name = part(id, lang, 'longGeneric', at);
  const hours = Math.floor(Math.abs(offsetMinutes) / 60);
  const sign = offsetMinutes < 0 ? '-' : '+';
  // The offset also as "gmt+2" and "+02:00", the ways people write it.
  const offsets = `${offset} gmt${offset.slice(3)} ${sign}${String(hours).padStart(2, '0')}:${String(Math.abs(offsetMinutes) % 60).padStart(2, '0')}`;
  return {
    id,
    city,
    region,
    offset,
    offsetMinutes,
    name,
    label: `${city} (${offset})`,
    haystack: fold(`${id} ${city} ${region} ${name} ${offsets}`),
  };
}

const made = new Map<string, ZoneOption[]>();

/** Every zone the runtime knows, by offset and then city: the order a world clock reads. Made once per language and hour. */
export function zoneOptions(lang: string, at = Date.now()): ZoneOption[] {
  // Offsets change only at DST switches, which happen on the hour.
  const key = `${lang}|${Math.floor(at / 3_600_000)}`;
  let options = made.get(key);
  if (!options) {
    options = listTimeZones()
      .map((id) => zoneOption(id, lang, at))
      .sort((a, b) => a.offsetMinutes - b.offsetMinutes || a.city.localeCompare(b.city, lang));
    made.clear();
    made.set(key, options);
  }
  return options;
}

const OFFSET_QUERY = /^(?:utc|gmt)?\s*([+-])\s*(\d{1,2})(?::?(\d{2}))?$/;

/**
 * Zones matching what the user typed: every word somewhere in the city, area, zone id or zone name,
 * or an offset ("+2", "UTC-3", "+5:30"); an offset without minutes also finds its half and
 * quarter hours (+5 finds Kolkata's +5:30).
 */
export function searchZones(options: readonly ZoneOption[], query: string): ZoneOption[] {
  const folded = fold(query).trim();
  if (!folded) return [...options];
  const offset = OFFSET_QUERY.exec(folded.replace(/\s+/g, ''));
  if (offset) {
    const sign = offset[1] === '-' ? -1 : 1;
    const hours = Number(offset[2]);
    if (offset[3] !== undefined) {
      const wanted = sign * (hours * 60 + Number(offset[3]));
      return options.filter((o) => o.offsetMinutes === wanted);
    }
    return options.filter((o) => Math.sign(o.offsetMinutes || sign) === sign && Math.floor(Math.abs(o.offsetMinutes) / 60) === hours);
  }
  const words = folded.split(/\s+/);
  const found = options.filter((o) => words.every((w) => o.haystack.includes(w)));
  // A city starting with what was typed comes before one that merely contains it.
  const first = words[0] ?? '';
  return [...found.filter((o) => fold(o.city).startsWith(first)), ...found.filter((o) => !fold(o.city).startsWith(first))];
}
