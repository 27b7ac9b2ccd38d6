import type { Connector, ConnectorContext, MediaItem, PublishRequest } from '../../core/connector';
import type { TargetContent } from './jobs-repo';

/** A ready connection to one account: its connector and a call context with its credentials. */
export interface AccountLink {
  connector: Connector;
  ctx: ConnectorContext;
  /** The account's posting defaults, carried into the publish request. */
  defaults?: { linkPreview?: boolean; language?: string | null };
}

/** The bytes of a post's media, in order; throws when one is missing. */
export type MediaLoader = (mediaIds: readonly string[], post: { postId: string; projectId: string }) => Promise<MediaItem[]>;

/** The target's media as the connector takes it; throws (the caller decides what a missing file means). */
export async function mediaOf(load: MediaLoader | undefined, content: TargetContent): Promise<MediaItem[]> {
  if (content.mediaIds.length === 0) return [];
  if (!load) throw new Error('The media library is not available.');
  return load(content.mediaIds, { postId: content.postId, projectId: content.projectId });
}

/** What is sent for a target, published here or handed to the network's scheduler alike. */
export function publishRequest(link: AccountLink, content: TargetContent, idempotencyKey: string, media: MediaItem[]): PublishRequest {
  return {
    text: content.text,
    media,
    idempotencyKey,
    ...(link.defaults?.linkPreview !== undefined ? { linkPreview: link.defaults.linkPreview } : {}),
    ...(link.defaults?.language ? { language: link.defaults.language } : {}),
  };
}
