import { readFileSync } from 'node:fs';
import { wordPost } from '../../core/spintax';
import type { HandlersOf, PackPost, Reply, calendarRequests } from '../../core/contract';
import { packTimeText, renderApprovalPack } from '../../core/calendar/approval-pack';
import { DomainError } from '../../core/errors';
import { getPost } from '../posts/posts-repo';
import { mustGetProject } from '../projects/project-rules';
import type { Services } from '../services-types';
import { listEntriesInRange, mediaFiles } from './calendar-repo';

type ApprovalPackHandlers = Pick<HandlersOf<typeof calendarRequests>, 'calendar.packData' | 'calendar.pdf'>;

/** Thumbnails of library files as data: URLs (WebP, a few dozen KB: a month's pack or report stays small enough to mail); a missing file has none. */
export function thumbnailUrls(services: Pick<Services, 'db' | 'media'>): (mediaId: string) => { dataUrl: string; alt: string } | null {
  const cache = new Map<string, { dataUrl: string; alt: string } | null>();
  return (mediaId) => {
    if (cache.has(mediaId)) return cache.get(mediaId) ?? null;
    const file = mediaFiles(services.db, [mediaId])[0];
    let thumbnail: { dataUrl: string; alt: string } | null = null;
    try {
      if (file) thumbnail = { dataUrl: `data:image/webp;base64,${readFileSync(services.media.thumbnailPath(file.sha256)).toString('base64')}`, alt: file.altText };
    } catch {
      thumbnail = null;
    }
    cache.set(mediaId, thumbnail);
    return thumbnail;
  };
}

/** One project's posts in [from, to) as a client reads them, with their images as thumbnails; `only` picks by approval. */
export function packPosts(services: Pick<Services, 'db' | 'media'>, projectId: string, from: number, to: number, only?: PackPost['approval']): PackPost[] {
  const { db } = services;
  const thumbnail = thumbnailUrls(services);
  return listEntriesInRange(db, { projectId, from, to }).flatMap((entry) => {
    if (only && entry.approval !== only) return [];
    const post = getPost(db, entry.id);
    if (!post) return [];
    // The client approves each account's own wording.
    const words = wordPost(post.id, post.targets.map((t) => ({ accountId: t.accountId, text: t.bodyOverride ?? post.body })), post.networkOptions.unique === true);
    const pictures = post.media.flatMap((m) => {
      const found = thumbnail(m.mediaId);
      return found ? [{ mediaId: m.mediaId, dataUrl: found.dataUrl, alt: m.altText }] : [];
    });
    return [
      {
        id: post.id,
        scheduledAt: post.scheduledAt,
        timezone: post.timezone,
        status: post.status,
        approval: entry.approval,
        body: post.body,
        firstComment: post.firstComment,
        notes: post.notes,
        labels: post.labels,
        targets: post.targets.map((t) => ({ network: t.network, handle: t.handle, displayName: t.displayName, text: words.get(t.accountId) ?? post.body })),
        images: pictures,
      },
    ];
  });
}

/** What the client approval pack shows: one project's posts in [from, to) (no range: all with a time). */
function packData(services: Pick<Services, 'db' | 'media'>, projectId: string, from: number | undefined, to: number | undefined): Reply<'calendar.packData'> {
  const project = mustGetProject(services.db, projectId);
  const posts = packPosts(services, projectId, from ?? 0, to ?? Number.MAX_SAFE_INTEGER);
  return { projectName: project.name, color: project.color, timezone: project.timezone, posts };
}

/** The client approval pack: its data (the renderer saves the HTML itself) and, built here, its PDF. */
export function approvalPackHandlers(services: Services): ApprovalPackHandlers {
  return {
    'calendar.packData': ({ projectId, from, to }) => packData(services, projectId, from, to),

    'calendar.pdf': async ({ projectId, from, to, lang, dir, words }) => {
      const printToPdf = services.platform.printToPdf;
      if (!printToPdf) {
        throw new DomainError('validation', 'Printing to PDF needs the desktop app.', { reason: 'pdf_unavailable' });
      }
      // The page is built here from the store, never taken from the renderer: what is printed is what was planned.
      const data = packData(services, projectId, from, to);
      const html = renderApprovalPack({
        projectName: data.projectName,
        color: data.color,
        posts: data.posts,
        words,
        lang,
        dir,
        formatTime: (at, zone) => packTimeText(at, zone, lang),
      });
      const bytes = await printToPdf(html);
      return { base64: Buffer.from(bytes).toString('base64') };
    },
  };
}
