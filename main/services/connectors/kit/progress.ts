import type { ConnectorContext, MediaItem } from '../../../core/connector';

/** Reports one file's upload as it moves (bytes of its call's body, of all). */
export type FileProgress = (sent: number, total: number) => void;

/**
 * One figure for all of a post's uploads: each file's call reports its own body (form fields and
 * chunks included), counted here as that file's share of the post's media bytes, so the post's
 * progress only ever grows from 0 to the sum of its files. Undefined for each file when nobody listens.
 */
export function mediaProgress(ctx: Pick<ConnectorContext, 'onUploadProgress'>, media: readonly MediaItem[]): (item: MediaItem) => FileProgress | undefined {
  const report = ctx.onUploadProgress?.bind(ctx);
  const total = media.reduce((sum, item) => sum + item.bytes.byteLength, 0);
  return (item) => {
    if (!report) return undefined;
    const index = media.indexOf(item);
    const before = media.slice(0, Math.max(index, 0)).reduce((sum, other) => sum + other.bytes.byteLength, 0);
    return (sent, of) => report(Math.min(total, before + Math.round((item.bytes.byteLength * sent) / Math.max(of, 1))), total);
  };
}
