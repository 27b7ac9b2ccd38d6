import type { MediaCover, MediaItem } from '../core/connector';
import type { PublishImage } from './media/publish';
import { getAccountRow, markAccountReconnectNeeded } from './accounts/accounts-repo';
import { openAccountConnection } from './accounts/account-connection';
import { getVideoCover } from './media/media-repo';
import { projectStripsLocation } from './projects/projects-repo';
import { createScheduler, type Scheduler, type SchedulerOptions } from './scheduler/engine';
import type { Services } from './services-types';

/** The most a video may weigh to be held in memory for upload until uploads stream. */
const MAX_VIDEO_IN_MEMORY = 200 * 1024 * 1024;

function coverOf(cover: PublishImage, atMs: number | undefined): MediaCover {
  return {
    bytes: cover.data,
    mime: cover.mime,
    ...(cover.media.width ? { width: cover.media.width } : {}),
    ...(cover.media.height ? { height: cover.media.height } : {}),
    ...(atMs !== undefined ? { atMs } : {}),
  };
}

/** The media of a post as the connectors take it: bytes in order, location stripped per the project's setting. */
export async function loadPublishMedia(
  services: Pick<Services, 'db' | 'media'>,
  mediaIds: readonly string[],
  post: { projectId: string },
): Promise<MediaItem[]> {
  const stripLocation = projectStripsLocation(services.db, post.projectId);
  const items: MediaItem[] = [];
  for (const id of mediaIds) {
    const file = await services.media.mediaForPublish(id, { stripLocation });
    let bytes: Uint8Array;
    if (file.kind === 'image') bytes = file.data;
    else {
      if (file.size > MAX_VIDEO_IN_MEMORY) throw new Error(`${file.media.fileName} is too large to publish from Outpost yet.`);
      const chunks: Buffer[] = [];
      for await (const chunk of file.open()) chunks.push(chunk as Buffer);
      bytes = Buffer.concat(chunks);
    }
    items.push({
      fileName: file.media.fileName,
      mime: file.mime,
      bytes,
      alt: file.media.altText,
      ...(file.media.width ? { width: file.media.width } : {}),
      ...(file.media.height ? { height: file.media.height } : {}),
      ...(file.kind === 'video' && file.media.durationMs ? { durationMs: file.media.durationMs } : {}),
      ...(file.kind === 'video' && file.cover ? { cover: coverOf(file.cover, getVideoCover(services.db, id)?.atMs) } : {}),
    });
  }
  return items;
}

/** The scheduler wired to the app's accounts, connectors, media and events. */
export function createPublishing(
  services: Omit<Services, 'scheduler'>,
  options: Pick<SchedulerOptions, 'timers' | 'retry' | 'budgets' | 'log' | 'logger'> = {},
): Scheduler {
  return createScheduler({
    db: services.db,
    clock: services.clock,
    emit: services.emit,
    logger: services.logger,
    connectorFor: (network) => services.connectors.entry(network)?.connector ?? undefined,
    openAccount: (accountId) => openAccountConnection(services, accountId),
    loadMedia: (ids, post) => loadPublishMedia(services, ids, post),
    // Posts due more than 10 minutes ahead go to the network's own scheduler (Mastodon, VK), so they go out with the laptop closed.
    nativeHandoff: {},
    onReconnectNeeded: (accountId, message) => {
      services.logger.warn('scheduler: account needs reconnecting', { accountId, message });
      markAccountReconnectNeeded(services.db, accountId, message, services.clock.now());
      const account = getAccountRow(services.db, accountId);
      if (account) services.emit('accounts.changed', { projectId: account.projectId, accountId });
    },
    ...options,
  });
}
