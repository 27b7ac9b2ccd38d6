import type { Connector, ConnectorContext, MediaItem, PublishRequest } from '../../core/connector';
import { hasPoll, takesPolls } from '../../core/networks/polls';
import type { PinterestPostOptions } from '../../core/networks/pinterest';
import type { YouTubePostOptions } from '../../core/networks/youtube';
import type { ThreadsPostOptions } from '../../core/networks/threads';
import type { DiscordPostOptions } from '../../core/networks/discord';
import type { VkPostOptions } from '../../core/networks/vk';
import type { TargetContent } from './jobs-repo';

/** A ready connection to one account: its connector and a call context with its credentials. */
export interface AccountLink {
  connector: Connector;
  ctx: ConnectorContext;
  /** The account's posting defaults, carried into the publish request. */
  defaults?: { linkPreview?: boolean; language?: string | null };
}

/** What a connector takes: the post, plus its network's own options where the post set them (the VK connector reads `vk`, Threads `threads`, Pinterest `pinterest`). */
export type NetworkPublishRequest = PublishRequest & { vk?: VkPostOptions; threads?: ThreadsPostOptions; pinterest?: PinterestPostOptions; youtube?: YouTubePostOptions; discord?: DiscordPostOptions };

/** The bytes of a post's media, in order; throws when one is missing. */
export type MediaLoader = (mediaIds: readonly string[], post: { postId: string; projectId: string }) => Promise<MediaItem[]>;

/** The target's media as the connector takes it; throws (the caller decides what a missing file means). */
export async function mediaOf(load: MediaLoader | undefined, content: TargetContent): Promise<MediaItem[]> {
  if (content.mediaIds.length === 0) return [];
  if (!load) throw new Error('The media library is not available.');
  return load(content.mediaIds, { postId: content.postId, projectId: content.projectId });
}

/** What is sent for a target, published here or handed to the network's scheduler alike. */
export function publishRequest(link: AccountLink, content: TargetContent, idempotencyKey: string, media: MediaItem[]): NetworkPublishRequest {
  const vk = link.connector.network === 'vk' ? content.networkOptions.vk : undefined;
  const threads = link.connector.network === 'threads' ? content.networkOptions.threads : undefined;
  const pinterest = link.connector.network === 'pinterest' ? content.networkOptions.pinterest : undefined;
  const youtube = link.connector.network === 'youtube' ? content.networkOptions.youtube : undefined;
  const discord = link.connector.network === 'discord' ? content.networkOptions.discord : undefined;
  return {
    text: content.text,
    media,
    idempotencyKey,
    ...(link.defaults?.linkPreview !== undefined ? { linkPreview: link.defaults.linkPreview } : {}),
    ...(link.defaults?.language ? { language: link.defaults.language } : {}),
    ...(vk && Object.keys(vk).length > 0 ? { vk } : {}),
    ...(threads && Object.keys(threads).length > 0 ? { threads } : {}),
    ...(pinterest && Object.keys(pinterest).length > 0 ? { pinterest } : {}),
    ...(youtube && Object.keys(youtube).length > 0 ? { youtube } : {}),
    ...(discord?.threadName?.trim() ? { discord } : {}),
    ...(hasPoll(content.networkOptions.poll) && takesPolls(link.connector.network) ? { poll: content.networkOptions.poll } : {}),
    ...(content.card ? { card: { url: content.card.url, title: content.card.title, description: content.card.description, image: content.card.image ? new Uint8Array(content.card.image) : null, shown: !content.card.dropped, above: content.card.above, large: content.card.large } } : {}),
  };
}
