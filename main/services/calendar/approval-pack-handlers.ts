import { readFileSync } from 'node:fs';
import type { HandlersOf, PackPost, Reply, calendarRequests } from '../../core/contract';
import { packTimeText, renderApprovalPack } from '../../core/calendar/approval-pack';
import { DomainError } from '../../core/errors';
import { getPost } from '../posts/posts-repo';
import { mustGetProject } from '../projects/project-rules';
import type { Services } from '../services-types';
import { listEntriesInRange, mediaFiles } from './calendar-repo';

type ApprovalPackHandlers = Pick<HandlersOf<typeof calendarRequests>, 'calendar.packData' | 'calendar.pdf'>;

/** What the client approval pack shows: one project's posts in [from, to) (no range: all with a time), with their images as thumbnails. */
function packData(services: Pick<Services, 'db' | 'media'>, projectId: string, from: number | undefined, to: number | undefined): Reply<'calendar.packData'> {
  const { db } = services;
  const project = mustGetProject(db, projectId);
  const entries = listEntriesInRange(db, { projectId, from: from ?? 0, to: to ?? Number.MAX_SAFE_INTEGER });
  const images = new Map<string, string>();
  // Thumbnails (WebP, a few dozen KB) keep a month's pack small enough to mail.
  const imageOf = (mediaId: string, sha256: string): string | null => {
    const cached = images.get(mediaId);
    if (cached) return cached;
    try {
      const url = `data:image/webp;base64,${readFileSync(services.media.thumbnailPath(sha256)).toString('base64')}`;
      images.set(mediaId, url);
      return url;
    } catch {
      return null;
    }
  };
  const packPosts: PackPost[] = entries.flatMap((entry) => {
    const post = getPost(db, entry.id);
    if (!post) return [];
    const mediaIds = [...new Set([...post.media, ...post.targets.flatMap((t) => t.mediaOverride ?? [])].map((m) => m.mediaId))];
    const files = new Map(mediaFiles(db, mediaIds).map((f) => [f.id, f]));
    const pictures = post.media.flatMap((m) => {
      const file = files.get(m.mediaId);
      const url = file && imageOf(m.mediaId, file.sha256);
      return url ? [{ mediaId: m.mediaId, dataUrl: url, alt: m.altText }] : [];
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
        targets: post.targets.map((t) => ({ network: t.network, handle: t.handle, displayName: t.displayName, text: t.bodyOverride ?? post.body })),
        images: pictures,
      },
    ];
  });
  return { projectName: project.name, color: project.color, timezone: project.timezone, posts: packPosts };
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
