import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ReportWords } from '../../../main/core/client-report';
import type { ImportOutcome, Project } from '../../../main/core/contract';
import type { Result } from '../../../main/core/errors';
import { metricNames } from '../../../main/core/metrics';
import { networkIds } from '../../../main/core/networks/ids';
import { fromLocal } from '../../../main/core/posts/time';
import { recordReading } from '../../../main/services/metrics/metrics-repo';
import { clientReportHandlers, saveUnder } from '../../../main/services/results/client-report';
import { makeTempDir, openTestBackend, type TestBackend } from '../support/backend';

/**
 * The monthly client report (issue 14 item 5) from a real store: what went out in the month with
 * its numbers, the change on the month before, the top posts with their pictures, next month's
 * approved plan (and only that), written in the words given, saved beside the user's other
 * reports without replacing one, and opened.
 */

const ZONE = 'Asia/Jerusalem';
const at = (local: string) => fromLocal(local, ZONE) as number;

const words: ReportWords & { fileKind: string } = {
  title: 'Monthly report — Bakery',
  subtitle: 'March 2027',
  generated: 'Made on 2 April 2027',
  glance: 'At a glance',
  postsPublished: 'Posts published',
  engagement: 'Interactions',
  vsPrevious: '{{change}} on the month before',
  measuredNote: 'Numbers for {{measured}} of {{posts}} posts',
  chart: 'Interactions day by day',
  byNetwork: 'By network',
  network: 'Network',
  posts: 'Posts',
  top: 'Top posts',
  wentOut: 'What went out',
  when: 'When',
  post: 'Post',
  noPosts: 'Nothing was published.',
  next: 'Next month',
  noNext: 'Nothing approved yet.',
  open: 'Open',
  fileKind: 'report',
  metrics: Object.fromEntries(metricNames.map((m) => [m, `M:${m}`])) as ReportWords['metrics'],
  networks: Object.fromEntries(networkIds.map((n) => [n, `N:${n}`])) as ReportWords['networks'],
};

let dir: ReturnType<typeof makeTempDir>;
let docs: ReturnType<typeof makeTempDir>;
let t: TestBackend;
let project: Project;
let opened: string[];

async function value<T>(name: string, args: unknown): Promise<T> {
  const result = (await t.backend.dispatch(name, args)) as Result<T>;
  if (!result.ok) throw new Error(`${name} failed: ${JSON.stringify(result.error)}`);
  return result.value;
}

function addAccount(network: string, handle: string): string {
  const id = `acc-${network}`;
  t.backend.services.db
    .prepare(`INSERT INTO accounts (id, project_id, network, handle, display_name, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'connected', 0, 0)`)
    .run(id, project.id, network, handle, handle);
  return id;
}

/** A post that went out at `local` on `accountId`, with its latest numbers (none: not read yet). */
function published(id: string, body: string, local: string, accountId: string, metrics: Record<string, number> | null, mediaId?: string): void {
  const db = t.backend.services.db;
  db.prepare(`INSERT INTO posts (id, project_id, body, labels, status, timezone, created_at, updated_at) VALUES (?, ?, ?, '[]', 'published', ?, 0, 0)`).run(id, project.id, body, ZONE);
  db.prepare(`INSERT INTO post_targets (id, post_id, account_id, state, remote_id, remote_url, published_at) VALUES (?, ?, ?, 'published', ?, ?, ?)`).run(
    `${id}-t`,
    id,
    accountId,
    `r-${id}`,
    `https://social.example/@bakery/${id}`,
    at(local),
  );
  if (mediaId) db.prepare(`INSERT INTO post_media (post_id, media_id, position) VALUES (?, ?, 0)`).run(id, mediaId);
  if (metrics) recordReading(db, `${id}-t`, at(local) + 3_600_000, metrics, null);
}

async function importImage(): Promise<string> {
  const path = join(dir.path, 'loaves.png');
  writeFileSync(path, await sharp({ create: { width: 64, height: 48, channels: 3, background: '#c2410c' } }).png().toBuffer());
  const [outcome] = await value<ImportOutcome[]>('media.import', { files: [{ path }], projectId: project.id });
  if (!outcome?.ok) throw new Error('import failed');
  t.backend.services.db.prepare(`UPDATE media SET alt_text = 'Fresh loaves' WHERE id = ?`).run(outcome.media.id);
  return outcome.media.id;
}

/** The report handler on the test backend, with a documents folder and a viewer that records what it opened. */
function report(platform: { documentsDir?: string; printToPdf?: (html: string) => Promise<Uint8Array>; openFile?: (path: string) => Promise<void> } = {}) {
  const services = t.backend.services;
  return clientReportHandlers({ ...services, platform: { ...services.platform, ...platform } })['results.report'];
}

beforeEach(async () => {
  dir = makeTempDir('outpost-report-');
  docs = makeTempDir('outpost-docs-');
  t = openTestBackend(dir.path);
  project = await value<Project>('projects.create', { name: 'Bakery', color: '#db2777', timezone: ZONE, clientLanguage: 'he' });
  opened = [];
});

afterEach(() => {
  t.backend.close();
  dir.remove();
  docs.remove();
});

describe('the monthly client report', () => {
  it('shows what went out in the month with its numbers, the change on the month before and the top posts with their pictures', async () => {
    const mastodon = addAccount('mastodon', '@bakery@social.example');
    const bluesky = addAccount('bluesky', 'bakery.bsky.social');
    const image = await importImage();
    published('feb', 'February post', '2027-02-20T09:00', mastodon, { likes: 10, reposts: 0, replies: 0 });
    published('m1', 'לחם טרי #מאפייה every morning', '2027-03-03T09:00', mastodon, { likes: 40, reposts: 5, replies: 3 }, image);
    published('m2', 'Croissants on Friday', '2027-03-10T18:30', bluesky, { likes: 2, reposts: 1, replies: 0, quotes: 0 });
    published('m3', 'Not read yet', '2027-03-31T23:30', bluesky, null);
    published('apr', 'April is another report', '2027-04-01T00:30', mastodon, { likes: 999 });

    const saved = await report({ documentsDir: docs.path, openFile: async (path) => void opened.push(path) })({ projectId: project.id, month: '2027-03', format: 'html', lang: 'he', dir: 'rtl', words });
    expect(saved).toMatchObject({ fileName: 'Bakery — report — 2027-03-01 to 2027-03-31.html', mime: 'text/html', opened: true, base64: null, posts: 3 });
    expect(opened).toEqual([saved.path]);
    const html = readFileSync(saved.path as string, 'utf8');

    expect(html).toContain('<html lang="he" dir="rtl">');
    expect(html).toContain("default-src 'none'; img-src data:");
    // The month's three posts, in time order, and nothing from February or April.
    const wentOut = html.slice(html.indexOf('class="went-out"'), html.indexOf('class="next"'));
    expect([...wentOut.matchAll(/data-target-id="([^"]+)"/g)].map((m) => m[1])).toEqual(['m1-t', 'm2-t', 'm3-t']);
    expect(html).not.toContain('April is another report');
    expect(html).not.toContain('February post');
    // Totals in Hebrew numerals' conventions (Intl he), the change on February's 10 interactions: 51 → +410%.
    expect(html).toContain('<div class="v">3</div><div class="k">Posts published</div>');
    expect(html).toContain('<div class="v">51</div><div class="k">Interactions</div>');
    expect(html).toMatch(/\+410%|410%\+|‎\+410%/);
    // One post has no numbers yet: said, with the numbers filled in.
    expect(html).toContain('Numbers for 2 of 3 posts');
    // The top post first, with its picture as a data: URL and its own alt text from the library.
    const top = html.slice(html.indexOf('Top posts'));
    expect(top.indexOf('data-target-id="m1-t"')).toBeLessThan(top.indexOf('data-target-id="m2-t"'));
    expect(top).toMatch(/<img src="data:image\/webp;base64,[A-Za-z0-9+/=]{40,}" alt="Fresh loaves">/);
    // Hashtags and links keep their direction inside Hebrew text.
    expect(html).toContain('<bdi class="hashtag">#מאפייה</bdi>');
    expect(html).toContain('href="https://social.example/@bakery/m1"');
  });

  it('lists only next month’s approved posts as the plan ahead', async () => {
    const mastodon = addAccount('mastodon', '@bakery@social.example');
    const plan = async (body: string, local: string) => {
      const post = await value<{ id: string; revision: number }>('posts.create', { projectId: project.id, body, targets: [{ accountId: mastodon }], local });
      await value('posts.schedule', { id: post.id, revision: post.revision });
      return post.id;
    };
    t.clock.advance(at('2027-03-30T10:00') - t.clock.now());
    const approved = await plan('Approved for April', '2027-04-05T09:00');
    await plan('Still in review', '2027-04-06T09:00');
    const may = await plan('Approved for May', '2027-05-02T09:00');
    await value('calendar.setApproval', { ids: [approved, may], approval: 'approved' });

    const saved = await report({ documentsDir: docs.path })({ projectId: project.id, month: '2027-03', format: 'html', lang: 'en', dir: 'ltr', words });
    const html = readFileSync(saved.path as string, 'utf8');
    const next = html.slice(html.indexOf('class="next"'));
    expect(next).toContain('Approved for April');
    expect(next).not.toContain('Still in review');
    expect(next).not.toContain('Approved for May');
    expect(html).toContain('Nothing was published.');
    expect(saved.opened).toBe(false);
  });

  it('never replaces a report already saved, prints PDFs in main, and hands the file back where no documents folder exists', async () => {
    const args = { projectId: project.id, month: '2027-03', format: 'pdf' as const, lang: 'en' as const, dir: 'ltr' as const, words };
    let printed = '';
    const printToPdf = async (html: string) => {
      printed = html;
      return new Uint8Array(Buffer.from('%PDF-1.7 report'));
    };
    const first = await report({ documentsDir: docs.path, printToPdf })(args);
    const second = await report({ documentsDir: docs.path, printToPdf })(args);
    expect(first.path).toBe(join(docs.path, 'Bakery — report — 2027-03-01 to 2027-03-31.pdf'));
    expect(second.path).toBe(join(docs.path, 'Bakery — report — 2027-03-01 to 2027-03-31 (2).pdf'));
    expect(readdirSync(docs.path)).toHaveLength(2);
    expect(readFileSync(first.path as string, 'latin1')).toBe('%PDF-1.7 report');
    expect(printed).toContain('<title>Monthly report — Bakery</title>');

    // The browser host: no printer, no documents folder.
    await expect(report()(args)).rejects.toMatchObject({ code: 'validation', reason: 'report_pdf_unavailable' });
    const html = await report()({ ...args, format: 'html' });
    expect(html.path).toBeNull();
    expect(Buffer.from(html.base64 as string, 'base64').toString('utf8')).toContain('<!doctype html>');
  });

  it('says so when the disk is full, and leaves no half-written file behind', () => {
    const written: string[] = [];
    const full = (path: unknown) => {
      written.push(String(path));
      throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
    };
    expect(() => saveUnder(docs.path, 'Bakery — report.html', Buffer.from('x'), full as never)).toThrow(expect.objectContaining({ code: 'storage_full', reason: 'report_storage_full' }));
    expect(written).toEqual([join(docs.path, 'Bakery — report.html')]);
    expect(readdirSync(docs.path)).toEqual([]);
  });

  it('refuses a month that is not YYYY-MM and a language Outpost does not speak at the boundary', async () => {
    const result = (await t.backend.dispatch('results.report', { projectId: project.id, month: '2027-13', format: 'html', lang: 'de', dir: 'ltr', words })) as Result<unknown>;
    expect(result).toMatchObject({ ok: false, error: { code: 'bad_request' } });
  });
});
