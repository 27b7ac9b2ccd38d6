import { beforeSending, ConnectorError, type MediaItem } from '../../../core/connector';
import type { MediaRelay, RelayedMedia } from '../../../core/media-relay';

/**
 * What Meta's networks that fetch media by address (Threads, Instagram) share: the files go
 * through the project's MediaRelay (core/media-relay.ts) before the first call and are taken away
 * again once the network has them, whatever happened; a post that needs a relay when none is set up
 * is refused before any call, in the caller's words.
 */

/** Puts every file on the relay and runs `use` with their addresses, in order; removes them after, success or not. */
export async function withRelayedMedia<T>(
  relay: MediaRelay | undefined,
  media: readonly MediaItem[],
  how: { noRelayMessage: string; signal?: AbortSignal | undefined },
  use: (urls: string[]) => Promise<T>,
): Promise<T> {
  if (media.length === 0) return use([]);
  if (!relay) throw new ConnectorError('validation', how.noRelayMessage, { delivery: 'not_sent' });
  const held: RelayedMedia[] = [];
  try {
    await beforeSending(async () => {
      for (const item of media) {
        try {
          held.push(await relay.put(item, how.signal ? { signal: how.signal } : {}));
        } catch (error) {
          if (error instanceof ConnectorError) throw error;
          throw new ConnectorError('transient', `The media relay could not take ${item.fileName}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
        }
      }
    });
    return await use(held.map((h) => h.url));
  } finally {
    // The network has its copy once its container is made; a relay that fails to clean up must not fail the post.
    await Promise.allSettled(held.map((h) => h.remove()));
  }
}

/** How Outpost names a relay to the user: the host its addresses are on (never the address, whose query may be a signature). */
export function relayHostOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return new URL(url).host || undefined;
  } catch {
    return undefined;
  }
}

/** Waits between container status checks; a cancelled job stops waiting, having sent nothing. */
export function pause(ms: number, signal: AbortSignal | undefined, name: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const cancelled = () => new ConnectorError('transient', `The ${name} publish was cancelled.`, { delivery: 'not_sent' });
    if (signal?.aborted) {
      reject(cancelled());
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(cancelled());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
