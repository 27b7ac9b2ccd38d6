import { describe, expect, it } from 'vitest';
import { checkImport, exportCsv, UTF8_BOM } from '../../../main/core/calendar/csv';
import { exportFileName, exportInstants, exportSpan, readExportChoice, safeFileStem } from '../../../main/core/calendar/export-scope';
import { fromLocal } from '../../../main/core/posts/time';

const view = { first: '2026-11-30', last: '2026-12-06' };
const zone = 'Asia/Jerusalem';

describe('what an export holds', () => {
  it('takes the view’s days, a chosen range in either order, or the whole project', () => {
    expect(exportSpan({ kind: 'view', first: '2026-12-01', last: '2026-12-31' }, view)).toEqual(view);
    expect(exportSpan({ kind: 'range', first: '2026-12-01', last: '2026-12-31' }, view)).toEqual({ first: '2026-12-01', last: '2026-12-31' });
    expect(exportSpan({ kind: 'range', first: '2026-12-31', last: '2026-12-01' }, view)).toEqual({ first: '2026-12-01', last: '2026-12-31' });
    expect(exportSpan({ kind: 'project', first: '2026-12-01', last: '2026-12-31' }, view)).toBeNull();
  });

  it('turns days into the half-open instants of the project’s zone, the last day included', () => {
    expect(exportInstants({ first: '2026-12-01', last: '2026-12-31' }, zone)).toEqual({
      from: fromLocal('2026-12-01T00:00', zone),
      to: fromLocal('2027-01-01T00:00', zone),
    });
    expect(exportInstants(null, zone)).toEqual({});
  });

  it('reads back only a stored choice of the right shape', () => {
    expect(readExportChoice({ kind: 'range', first: '2026-12-01', last: '2026-12-31' })).toEqual({ kind: 'range', first: '2026-12-01', last: '2026-12-31' });
    expect(readExportChoice({ kind: 'month', first: '2026-12-01', last: '2026-12-31' })).toBeNull();
    expect(readExportChoice({ kind: 'range', first: '2026-13-01', last: '2026-12-31' })).toBeNull();
    expect(readExportChoice('view')).toBeNull();
    expect(readExportChoice(null)).toBeNull();
  });
});

describe('export file names', () => {
  it('carry the project and the days, so two exports of other days or projects never share a name', () => {
    expect(exportFileName({ project: 'Acme Bakery', span: { first: '2026-12-01', last: '2026-12-31' }, extension: 'csv' })).toBe('Acme Bakery — 2026-12-01 to 2026-12-31.csv');
    expect(exportFileName({ project: 'Acme Bakery', span: { first: '2026-12-07', last: '2026-12-07' }, extension: 'json' })).toBe('Acme Bakery — 2026-12-07.json');
    expect(exportFileName({ project: 'Acme Bakery', span: null, extension: 'csv' })).toBe('Acme Bakery — whole project.csv');
    expect(exportFileName({ project: null, span: view, extension: 'csv' })).toBe('All projects — 2026-11-30 to 2026-12-06.csv');
    expect(exportFileName({ project: 'Acme Bakery', span: view, extension: 'pdf', kind: 'approval pack' })).toBe('Acme Bakery — approval pack — 2026-11-30 to 2026-12-06.pdf');
    const names = new Set(
      ['Acme Bakery', 'Iron Gym'].flatMap((project) =>
        [view, { first: '2026-12-01', last: '2026-12-31' }, null].map((span) => exportFileName({ project, span, extension: 'csv' })),
      ),
    );
    expect(names.size).toBe(6);
  });

  it('keep Hebrew and Cyrillic names and the user’s words', () => {
    const words = { to: 'עד', wholeProject: 'כל הפרויקט', allProjects: 'כל הפרויקטים' };
    expect(exportFileName({ project: 'מאפיית אקמה', span: { first: '2026-12-01', last: '2026-12-31' }, extension: 'csv', words })).toBe('מאפיית אקמה — 2026-12-01 עד 2026-12-31.csv');
    expect(exportFileName({ project: 'Спортзал «Железо»', span: null, extension: 'csv' })).toBe('Спортзал «Железо» — whole project.csv');
  });

  it('are safe on every file system: no separators, reserved characters, controls, bidi overrides, trailing dots or device names', () => {
    expect(exportFileName({ project: 'A/B: "C" <D>|E?*\\F', span: null, extension: 'csv' })).toBe('A B C D E F — whole project.csv');
    expect(safeFileStem('Bakery\u202Evsc.exe')).toBe('Bakery vsc.exe');
    expect(safeFileStem('Tab\there\nnewline')).toBe('Tab here newline');
    expect(safeFileStem('Acme...')).toBe('Acme');
    expect(safeFileStem('CON')).toBe('Outpost CON');
    expect(safeFileStem('   ')).toBe('Outpost');
  });

  it('cut a long project name, never the days', () => {
    const name = exportFileName({ project: 'מ'.repeat(300), span: { first: '2026-12-01', last: '2026-12-31' }, extension: 'csv' });
    expect(name.endsWith(' — 2026-12-01 to 2026-12-31.csv')).toBe(true);
    expect(Buffer.byteLength(name)).toBeLessThan(255);
  });
});

describe('CSV for spreadsheets', () => {
  const at = fromLocal('2026-12-14T09:00', zone) as number;
  const accounts = [
    { id: 't', network: 'telegram' as const, handle: '@acmebakery' },
    { id: 'v', network: 'vk' as const, handle: 'irongym' },
  ];
  const posts = [
    { body: 'שלום עולם! #מאפייה 🥐', accounts: ['telegram:@acmebakery'], labels: ['מבצע'], notes: 'לבדוק מחיר' },
    { body: 'Привет, мир! Тренировка в 9:00 💪', accounts: ['vk:irongym'], labels: ['зал'], notes: 'цена?' },
  ].map((p, i) => ({ id: `p${i}`, scheduledAt: at, timezone: zone, status: 'scheduled', approval: 'draft', firstComment: '', ...p }));

  it('starts with a UTF-8 byte-order mark, so Excel reads Hebrew and Cyrillic as UTF-8', () => {
    const csv = exportCsv(posts);
    expect(csv.startsWith(UTF8_BOM)).toBe(true);
    expect([...Buffer.from(csv, 'utf8').subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(csv.slice(1).startsWith('date,time,timezone,text')).toBe(true);
  });

  it('imports a file with the mark and one without it the same; Hebrew and Cyrillic posts come back as written', () => {
    const withMark = Buffer.from(exportCsv(posts), 'utf8').toString('utf8');
    const withoutMark = withMark.slice(1);
    const context = { zone, now: Date.UTC(2026, 11, 1), accounts };
    const a = checkImport(withMark, context);
    const b = checkImport(withoutMark, context);
    expect(a.problem).toBeNull();
    expect(a.badRows).toEqual([]);
    expect(b).toEqual(a);
    expect(a.rows.map((r) => [r.body, r.accountIds, r.labels, r.notes, r.local])).toEqual([
      ['שלום עולם! #מאפייה 🥐', ['t'], ['מבצע'], 'לבדוק מחיר', '2026-12-14T09:00'],
      ['Привет, мир! Тренировка в 9:00 💪', ['v'], ['зал'], 'цена?', '2026-12-14T09:00'],
    ]);
  });
});
