import { describe, expect, it } from 'vitest';
import { checkImport, exportCsv, parseCsv, toCsv } from '../../../main/core/calendar/csv';
import { fromLocal } from '../../../main/core/posts/time';

const zone = 'Europe/Berlin';
const now = Date.UTC(2026, 2, 1, 9);
const accounts = [
  { id: 'm', network: 'mastodon' as const, handle: 'acme@mastodon.social' },
  { id: 't', network: 'telegram' as const, handle: '@acmebakery' },
  { id: 'x', network: 'x' as const, handle: 'acme' },
  { id: 'b', network: 'bluesky' as const, handle: 'acme' },
];
const context = { zone, now, accounts };

describe('CSV', () => {
  it('reads quotes, doubled quotes, newlines in cells, CRLF, a BOM and semicolon files', () => {
    expect(parseCsv('\ufeffa,b,c\r\n1,"two, ""2""",3\n"multi\nline",,\n\n')).toEqual([
      ['a', 'b', 'c'],
      ['1', 'two, "2"', '3'],
      ['multi\nline', '', ''],
    ]);
    expect(parseCsv('date;text\n2026-04-01 10:00;"a;b"')).toEqual([
      ['date', 'text'],
      ['2026-04-01 10:00', 'a;b'],
    ]);
  });

  it('writes what it reads back, and defuses formulas', () => {
    const rows = [
      ['text', 'n'],
      ['He said "hi", then\nleft', '=1+1'],
    ];
    const csv = toCsv(rows);
    expect(csv).toContain(",'=1+1\r\n");
    expect(parseCsv(csv)).toEqual([
      ['text', 'n'],
      ['He said "hi", then\nleft', "'=1+1"],
    ]);
  });

  it('exports the import’s columns in each post’s wall time, and imports that file again', () => {
    const at = fromLocal('2026-03-29T09:30', zone) as number;
    const csv = exportCsv([
      {
        id: 'p1',
        scheduledAt: at,
        timezone: zone,
        body: '-10% on bread, today only',
        accounts: ['mastodon:acme@mastodon.social', 'telegram:@acmebakery'],
        labels: ['promo', 'bread'],
        status: 'scheduled',
        approval: 'approved',
        firstComment: '',
        notes: 'ok by Anna',
      },
    ]);
    expect(csv.split('\r\n')[1]).toMatch(/^2026-03-29,09:30,Europe\/Berlin,"'-10% on bread, today only",/);
    const check = checkImport(csv, context);
    expect(check.badRows).toEqual([]);
    expect(check.rows[0]).toMatchObject({
      row: 2,
      local: '2026-03-29T09:30',
      scheduledAt: at,
      body: '-10% on bread, today only',
      accountIds: ['m', 't'],
      labels: ['promo', 'bread'],
      status: 'scheduled',
      notes: 'ok by Anna',
    });
  });
});

describe('CSV import checks', () => {
  it('names every bad row by its spreadsheet row number, with what is wrong', () => {
    const long = 'x'.repeat(600);
    const csv = [
      'date,time,text,accounts,labels',
      '2026-04-01,10:00,Fine,acme@mastodon.social,',
      '2026-04-31,10:00,Bad date,acme@mastodon.social,',
      '2026-04-02,10:00,Who?,@nobody,',
      `2026-04-03,10:00,${long},mastodon:acme@mastodon.social,`,
      '2026-02-01,10:00,Past,telegram:@acmebakery,',
      '2026-04-04 09:15,,Both in one cell,x:acme,',
      '2026-04-05T09:15:00+02:00,,With offset,telegram:acmebakery,',
      '2026-04-06,10:00,Ambiguous,acme,',
      '2026-04-06,10:00,,acme@mastodon.social,',
    ].join('\n');
    const check = checkImport(csv, context);
    expect(check.problem).toBeNull();
    expect(check.badRows).toEqual([3, 4, 5, 6, 9, 10]);
    const errors = Object.fromEntries(check.rows.map((r) => [r.row, r.errors.map((e) => e.code)]));
    expect(errors[3]).toEqual(['date_invalid']);
    expect(errors[4]).toEqual(['account_unknown']);
    expect(errors[5]).toEqual(['text_too_long']);
    expect(check.rows[3]?.errors[0]?.params).toMatchObject({ network: 'mastodon', limit: 500, actual: 600 });
    expect(errors[6]).toEqual(['date_in_past']);
    expect(errors[9]).toEqual(['account_ambiguous']);
    expect(errors[10]).toEqual(['text_empty']);
    expect(check.rows[5]?.local).toBe('2026-04-04T09:15');
    expect(check.rows[6]?.scheduledAt).toBe(Date.UTC(2026, 3, 5, 7, 15));
  });

  it('refuses a file without the columns it needs', () => {
    expect(checkImport('', context).problem).toBe('empty');
    expect(checkImport('when,body\n2026-04-01 10:00,hi', context).problem).toBe('missing_columns');
    expect(checkImport('when,body\n2026-04-01 10:00,hi', context).missingColumns).toEqual(['accounts']);
  });

  it('reads a wall time skipped by DST as the clocks do, and refuses an unknown status', () => {
    const check = checkImport('date,text,accounts,status\n2026-03-29 02:30,Night,x:acme,maybe', context);
    expect(check.rows[0]?.local).toBe('2026-03-29T03:30');
    expect(check.rows[0]?.errors.map((e) => e.code)).toEqual(['status_invalid']);
  });
});
