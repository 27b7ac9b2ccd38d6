import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { buildIcs, foldLine } from '../../../main/core/calendar/ics';

const encoder = new TextEncoder();

const post = (id: string, scheduledAt: number, body: string) => ({
  id,
  scheduledAt,
  body,
  networks: ['Mastodon', 'Telegram'],
  labels: ['promo', 'a,b'],
  status: 'scheduled',
  approval: 'approved',
  revision: 3,
  updatedAt: Date.UTC(2026, 2, 1),
  projectName: 'Acme',
});

describe('ICS feed', () => {
  const long = `Frische Brötchen 🥐 — ${'sehr lange Zeile mit Umlauten äöü; Kommas, und Backslash \\ '.repeat(4)}\nZweite Zeile`;
  const ics = buildIcs({
    name: 'Acme plan',
    timezone: 'Europe/Berlin',
    now: Date.UTC(2026, 2, 2, 12),
    posts: [post('p1', Date.UTC(2026, 2, 29, 7, 30), long), post('p2', Date.UTC(2026, 3, 1, 8), 'Short')],
  });

  it('is valid RFC 5545 as a maintained parser reads it, with the text intact', () => {
    const calendar = new ICAL.Component(ICAL.parse(ics));
    expect(calendar.getFirstPropertyValue('version')).toBe('2.0');
    expect(calendar.getFirstPropertyValue('x-wr-calname')).toBe('Acme plan');
    const events = calendar.getAllSubcomponents('vevent').map((e) => new ICAL.Event(e));
    expect(events).toHaveLength(2);
    const first = events[0] as ICAL.Event;
    expect(first.uid).toBe('p1@outpost.app');
    expect(first.startDate.toJSDate().getTime()).toBe(Date.UTC(2026, 2, 29, 7, 30));
    expect(first.endDate.toJSDate().getTime()).toBe(Date.UTC(2026, 2, 29, 7, 45));
    expect(first.description).toBe(long);
    expect(first.summary.startsWith('[Mastodon, Telegram] Frische Brötchen 🥐')).toBe(true);
    expect(first.sequence).toBe(2);
    expect(first.component.getFirstProperty('categories')?.getValues()).toEqual(['promo', 'a,b']);
  });

  it('ends lines with CRLF and folds them at 75 octets without splitting a character', () => {
    expect(ics.endsWith('\r\n')).toBe(true);
    expect(ics.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    for (const line of ics.split('\r\n')) expect(encoder.encode(line).length).toBeLessThanOrEqual(75);
    const folded = foldLine(`SUMMARY:${'🥐'.repeat(40)}`);
    expect(folded.split('\r\n ').join('')).toBe(`SUMMARY:${'🥐'.repeat(40)}`);
    expect(folded).not.toMatch(/\uFFFD/);
  });

  it('keeps each post’s UID across exports, so a subscription updates instead of duplicating', () => {
    const again = buildIcs({ name: 'Acme', timezone: 'Europe/Berlin', now: Date.UTC(2026, 2, 3), posts: [post('p1', Date.UTC(2026, 2, 30, 7), 'moved')] });
    expect(again).toContain('UID:p1@outpost.app');
    expect(again).toContain('REFRESH-INTERVAL;VALUE=DURATION:PT1H');
  });
});
