import type { Media, NetworkOptions, Post, PostMediaItem } from '../../../../main/core/contract';

/** A target as the composer edits it. */
export interface DraftTarget {
  accountId: string;
  /** Null: the post's text. */
  bodyOverride: string | null;
  /** Null: the post's media. */
  mediaOverride: string[] | null;
}

/** The fields of a post the user edits; saved as one `posts.update`. */
export interface DraftFields {
  body: string;
  firstComment: string;
  notes: string;
  labels: string[];
  local: string | null;
  targets: DraftTarget[];
  media: string[];
  /** Null: the post stays up. */
  autoDeleteAfterMs: number | null;
  /** Each network's own options (VK's ad mark…); saved as a whole. */
  networkOptions: NetworkOptions;
}

type FieldName = keyof DraftFields;
const fieldNames: FieldName[] = ['body', 'firstComment', 'notes', 'labels', 'local', 'targets', 'media', 'autoDeleteAfterMs', 'networkOptions'];

/** The post's editable fields, with its time as `local` (a wall time in the zone the composer shows). */
export function fieldsOf(post: Post, local: string | null): DraftFields {
  return {
    body: post.body,
    firstComment: post.firstComment,
    notes: post.notes,
    labels: post.labels,
    local,
    targets: post.targets.map((t) => ({
      accountId: t.accountId,
      bodyOverride: t.bodyOverride,
      mediaOverride: t.mediaOverride?.map((m) => m.mediaId) ?? null,
    })),
    media: post.media.map((m) => m.mediaId),
    autoDeleteAfterMs: post.autoDeleteAfterMs,
    networkOptions: post.networkOptions,
  };
}

function same(a: unknown, b: unknown): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}

/** The fields of `draft` that differ from `saved`: what a save sends. */
export function changedFields(draft: DraftFields, saved: DraftFields): Partial<DraftFields> {
  const changes: Partial<DraftFields> = {};
  for (const name of fieldNames) {
    if (!same(draft[name], saved[name])) (changes as Record<FieldName, unknown>)[name] = draft[name];
  }
  return changes;
}

export function hasChanges(changes: Partial<DraftFields>): boolean {
  return Object.keys(changes).length > 0;
}

/** After a save: main's tidying (labels) is adopted for the fields not touched since they were `sent`. */
export function mergeSaved(now: DraftFields, sent: DraftFields, saved: DraftFields): DraftFields {
  const merged = { ...now };
  for (const name of fieldNames) {
    if (same(now[name], sent[name])) (merged as Record<FieldName, unknown>)[name] = saved[name];
  }
  return merged;
}

/** The known facts with the post's added; the same object when nothing changed, so counts are not redone. */
export function withFacts(known: Record<string, PostMediaItem>, post: Post): Record<string, PostMediaItem> {
  const incoming = mediaFacts(post);
  const changed = Object.entries(incoming).some(([id, item]) => !same(known[id], item));
  return changed ? { ...known, ...incoming } : known;
}

function mediaFacts(post: Post): Record<string, PostMediaItem> {
  const facts: Record<string, PostMediaItem> = {};
  for (const item of post.media) facts[item.mediaId] = item;
  for (const target of post.targets) for (const item of target.mediaOverride ?? []) facts[item.mediaId] = item;
  for (const item of post.threadMedia ?? []) facts[item.mediaId] = item;
  return facts;
}

export function toPostMedia(item: Media | PostMediaItem): PostMediaItem {
  if ('mediaId' in item) return item;
  return {
    mediaId: item.id,
    mime: item.mime,
    bytes: item.bytes,
    width: item.width,
    height: item.height,
    durationMs: item.durationMs,
    fileName: item.fileName,
    altText: item.altText,
  };
}
