import { DomainError } from './errors';

export const PROJECT_NAME_MAX = 80;

/** A small palette that reads well on light and dark backgrounds; any #rrggbb is accepted. */
export const projectColors = [
  '#2563eb',
  '#16a34a',
  '#db2777',
  '#ea580c',
  '#7c3aed',
  '#0891b2',
  '#ca8a04',
  '#dc2626',
] as const;

/** Trims and normalises a project name, or throws a validation error naming the rule. */
export function normaliseProjectName(raw: string): string {
  const name = raw.normalize('NFC').trim().replace(/\s+/g, ' ');
  if (name.length === 0) {
    throw new DomainError('validation', 'A project needs a name.', { field: 'name', reason: 'name_empty' });
  }
  if ([...name].length > PROJECT_NAME_MAX) {
    throw new DomainError('validation', `A project name can be at most ${PROJECT_NAME_MAX} characters.`, {
      field: 'name',
      reason: 'name_too_long',
    });
  }
  return name;
}

/** The key two names must not share: case-insensitive, so "ACME" and "acme" collide (accents still count). */
export function projectNameKey(name: string): string {
  return normaliseProjectName(name).toLocaleLowerCase('en-US');
}

export function isValidTimeZone(zone: string): boolean {
  if (zone.length === 0 || zone.length > 64) return false;
  // Since ECMA-402 2024, runtimes accept offsets like "+05:00"; they are not IANA zones and carry no DST rules.
  if (/^[+-]/.test(zone)) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export function assertTimeZone(zone: string): string {
  if (!isValidTimeZone(zone)) {
    throw new DomainError('validation', `"${zone}" is not a known IANA time zone.`, {
      field: 'timezone',
      reason: 'timezone_invalid',
    });
  }
  return zone;
}

/** Every IANA zone the runtime knows, for the timezone picker. */
export function listTimeZones(): string[] {
  const zones = Intl.supportedValuesOf('timeZone');
  return zones.includes('UTC') ? zones : ['UTC', ...zones];
}
