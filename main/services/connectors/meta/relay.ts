import { beforeSending, ConnectorError, type MediaItem } from '../../../core/connector';
import type { MediaRelay, RelayedMedia } from '../../../core/media-relay';
import { isLoopbackHost } from '../kit/urls';

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

/** 10/8, 172.16/12, 192.168/16 and IPv6 unique-local addresses: reachable from this computer, never from Meta's servers. */
const PRIVATE_HOST = /^(?:10\.|192\.168\.|172\.(?:1[6-9]|2\d|3[01])\.|\[f[cd])/i;

/**
 * After the network said it could not download a file: Outpost opens the same address itself, so
 * the user learns whether the relay is at fault (an error, an expired link, not the file) or the
 * network's reach (a local or private endpoint, a firewall). Called while the file is still up.
 */
export async function checkRelayedAddress(url: string | undefined, how: { fetch: typeof fetch; network: string; signal?: AbortSignal | undefined }): Promise<string> {
  const host = relayHostOf(url);
  if (!url || !host) return '';
  const hostname = new URL(url).hostname;
  try {
    const signal = how.signal ? AbortSignal.any([how.signal, AbortSignal.timeout(10_000)]) : AbortSignal.timeout(10_000);
    const answer = await how.fetch(url, { signal });
    await answer.body?.cancel();
    const type = answer.headers.get('content-type') ?? '';
    if (!answer.ok) return `Outpost opened the relay’s address itself and ${host} answered HTTP ${answer.status} too: check the relay in Settings › Media relay (Test).`;
    if (!/^(?:image|video)\//.test(type)) return `Outpost opened the relay’s address itself and got ${type || 'something without a type'}, not the file: check the relay in Settings › Media relay.`;
    if (isLoopbackHost(hostname) || PRIVATE_HOST.test(hostname)) return `The file is there, but ${host} is a local or private address ${how.network} cannot reach: choose a relay on the internet.`;
    return `Outpost opened the relay’s address itself and the file was there, so ${how.network} could not reach ${host}: check that nothing (a firewall, a bucket policy for some regions) keeps it from the internet.`;
  } catch {
    return `Outpost could not open the relay’s address on ${host} either: check the relay in Settings › Media relay (Test).`;
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
