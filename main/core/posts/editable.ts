import type { PostStatus } from '../contract/posts';

/** Statuses whose text, media, targets and time may still change: nothing of them has gone out. */
export const EDITABLE_STATUSES: readonly PostStatus[] = ['draft', 'scheduled', 'failed'];

export function isEditable(status: PostStatus): boolean {
  return EDITABLE_STATUSES.includes(status);
}
