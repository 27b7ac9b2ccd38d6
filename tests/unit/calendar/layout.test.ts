import { describe, expect, it } from 'vitest';
import { approvalStates, type CalendarEntry } from '../../../main/core/contract/calendar';
import { buildDayIndex, instantAt, viewDays } from '../../../main/core/calendar/days';
import { bucketByDay, emptyFilter, layoutDayColumn, matchesFilter } from '../../../main/core/calendar/layout';
import { escapeHtml, renderApprovalPack } from '../../../main/core/calendar/approval-pack';

const zone = 'America/New_York';

function entry(id: string, scheduledAt: number | null, more: Partial<CalendarEntry> = {}): CalendarEntry {
  return {
    id,
    projectId: 'p1',
    excerpt: id,
    status: 'scheduled',
    approval: 'draft',
    scheduledAt,
    timezone: zone,
    accountIds: ['a1'],
    networks: ['mastodon'],
    labels: ['Promo'],
    mediaCount: 0,
    revision: 1,
    repeats: false,
    evergreen: false,
    thumbnailId: null,
    ...more,
  };
}

describe('calendar layout', () => {
  it('buckets posts by day in the view’s zone, in time order, across DST', () => {
    const days = viewDays('week', '2026-03-08');
    const index = buildDayIndex(days, zone);
    const entries = [
      entry('late', instantAt('2026-03-08', 23 * 60 + 30, zone)),
      entry('early', instantAt('2026-03-08', 60, zone)),
      entry('after-gap', instantAt('2026-03-08', 3 * 60, zone)),
      entry('none', null),
      entry('outside', instantAt('2026-03-20', 600, zone)),
    ];
    const byDay = bucketByDay(entries, index);
    const sunday = byDay[days.indexOf('2026-03-08')] ?? [];
    expect(sunday.map((p) => [p.entry.id, p.minutes])).toEqual([
      ['early', 60],
      ['after-gap', 180],
      ['late', 1410],
    ]);
    expect(byDay.flat()).toHaveLength(3);
  });

  it('filters by project, account, network, status, approval and label (any within a kind, all across)', () => {
    const e = entry('e', 0, { projectId: 'p2', accountIds: ['a2', 'a3'], networks: ['telegram'], approval: 'approved' });
    expect(matchesFilter(e, emptyFilter)).toBe(true);
    expect(matchesFilter(e, { ...emptyFilter, projectIds: ['p1', 'p2'] })).toBe(true);
    expect(matchesFilter(e, { ...emptyFilter, projectIds: ['p1'] })).toBe(false);
    expect(matchesFilter(e, { ...emptyFilter, accountIds: ['a3'], networks: ['telegram'] })).toBe(true);
    expect(matchesFilter(e, { ...emptyFilter, accountIds: ['a3'], networks: ['x'] })).toBe(false);
    expect(matchesFilter(e, { ...emptyFilter, labels: ['promo'] })).toBe(true);
    expect(matchesFilter(e, { ...emptyFilter, statuses: ['draft'] })).toBe(false);
    expect(matchesFilter(e, { ...emptyFilter, approvals: [...approvalStates] })).toBe(true);
  });

  it('lays overlapping posts side by side and counts what does not fit', () => {
    const at = (m: number) => ({ entry: entry(`m${m}`, m), minutes: m });
    const day = [at(600), at(600), at(610), at(615), at(700), at(900)];
    const { boxes, overflow } = layoutDayColumn(day, 30, 3);
    expect(boxes.map((b) => [b.entry.id, b.column, b.columns])).toEqual([
      ['m600', 0, 3],
      ['m600', 1, 3],
      ['m610', 2, 3],
      ['m700', 0, 1],
      ['m900', 0, 1],
    ]);
    expect(overflow).toEqual([{ minutes: 615, count: 1 }]);
  });
});

describe('approval pack', () => {
  it('is one file with nothing to fetch, every text escaped', () => {
    const html = renderApprovalPack({
      projectName: 'Acme <Bakery>',
      color: '#db2777',
      lang: 'en',
      dir: 'ltr',
      formatTime: () => 'Mon 30 Mar, 09:00',
      posts: [
        {
          id: 'p1',
          scheduledAt: 1,
          timezone: zone,
          status: 'scheduled',
          approval: 'in_review',
          body: '<script>alert(1)</script>',
          firstComment: '',
          notes: '',
          labels: [],
          targets: [{ network: 'mastodon', handle: 'acme', displayName: 'Acme', text: '<b>hi</b>' }],
          images: [{ mediaId: 'm1', dataUrl: 'data:image/png;base64,AAAA', alt: 'A "loaf"' }],
        },
      ],
      words: {
        title: 'Approval pack',
        subtitle: 'Acme',
        generated: 'Made by Outpost',
        empty: 'Nothing',
        firstComment: 'First comment',
        notes: 'Notes',
        labels: 'Labels',
        unscheduled: 'No time',
        approvalHeading: 'Approval',
        approval: { draft: 'Draft', in_review: 'In review', approved: 'Approved' },
        networks: Object.fromEntries(['telegram', 'mastodon', 'bluesky', 'vk', 'linkedin', 'x', 'discord', 'facebook', 'instagram', 'threads', 'pinterest'].map((n) => [n, n])) as never,
        signature: 'Approved by',
        date: 'Date',
      },
    });
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;b&gt;hi&lt;/b&gt;');
    expect(html).toContain('Acme &lt;Bakery&gt;');
    expect(html).toContain(`default-src 'none'; img-src data:`);
    expect(html).toContain('src="data:image/png;base64,AAAA" alt="A &quot;loaf&quot;"');
    expect(html).not.toMatch(/(src|href)="(https?:|\/)/);
    expect(escapeHtml(`'`)).toBe('&#39;');
  });
});
