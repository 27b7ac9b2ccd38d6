import { TZDate } from '@date-fns/tz';

/**
 * A post's time is chosen as a wall time in the project's IANA zone ("2026-03-29T09:30") and
 * stored as a UTC instant plus that zone. These helpers are shared by main and the renderer so
 * both turn the same wall time into the same instant.
 */

const LOCAL_PATTERN = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/;

export interface WallTime {
  year: number;
  /** 1–12 */
  month: number;
  day: number;
  hour: number;
  minute: number;
}

export function parseLocal(local: string): WallTime | null {
  const match = LOCAL_PATTERN.exec(local);
  if (!match) return null;
  const [year, month, day, hour, minute] = match.slice(1).map(Number) as [number, number, number, number, number];
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59) return null;
  // Rejects 2026-02-30 and friends: a calendar day must exist.
  if (day > new Date(Date.UTC(year, month, 0)).getUTCDate()) return null;
  return { year, month, day, hour, minute };
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

export function formatLocal(wall: WallTime): string {
  return `${pad(wall.year, 4)}-${pad(wall.month)}-${pad(wall.day)}T${pad(wall.hour)}:${pad(wall.minute)}`;
}

/** The wall time an instant shows in `zone`, to the minute. */
export function toLocal(instant: number, zone: string): string {
  const date = new TZDate(instant, zone);
  return formatLocal({
    year: date.getFullYear(),
    month: date.getMonth() + 1,
    day: date.getDate(),
    hour: date.getHours(),
    minute: date.getMinutes(),
  });
}

/**
 * The instant of a wall time in `zone`. A time skipped by a DST change (02:30 on a spring-forward
 * night) moves forward by the gap, as clocks do; a time that happens twice takes the first.
 */
export function fromLocal(local: string, zone: string): number | null {
  const wall = parseLocal(local);
  if (!wall) return null;
  const instant = new TZDate(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, zone).getTime();
  // TZDate picks the later of two equal wall times; an hour earlier may show the same wall time.
  for (const shift of [3_600_000, 1_800_000]) {
    if (toLocal(instant - shift, zone) === local) return instant - shift;
  }
  return instant;
}
