import type { Connector } from '../../core/connector';
import { isNetworkId, type NetworkId } from '../../core/networks/ids';
import { createBlueskyConnector } from './bluesky';
import { createDiscordConnector, DISCORD_API_BASE_URL } from './discord';
import { createFacebookConnector, FACEBOOK_API_BASE_URL } from './facebook';
import { createInstagramConnector, INSTAGRAM_API_BASE_URL } from './instagram';
import { createLinkedInConnector, LINKEDIN_API_BASE_URL } from './linkedin';
import { normalizeServerUrl } from './kit/urls';
import { createMastodonConnector } from './mastodon';
import { createOkConnector, OK_API_BASE_URL } from './ok';
import { createPinterestConnector, PINTEREST_API_BASE_URL } from './pinterest';
import { createTelegramConnector, TELEGRAM_API_BASE_URL } from './telegram';
import { createThreadsConnector, THREADS_API_BASE_URL } from './threads';
import { createVkConnector, VK_API_BASE_URL } from './vk';
import { createXConnector, X_API_BASE_URL } from './x';
import { createYouTubeConnector, YOUTUBE_API_BASE_URL } from './youtube';

// The server-address rule lives in the connector kit; account code and its tests read it here too.
export { isLoopbackHost, normalizeServerUrl } from './kit/urls';

/**
 * Which connector serves which network, and where it calls. Telegram has one API; Mastodon
 * and Bluesky accounts live on a server the user names (any instance or PDS), kept per account.
 * Tests point networks at loopback fakes with `baseUrls`; only the browser host reads them
 * (from OUTPOST_NETWORK_BASE_URLS), never the packaged app.
 */

export type NetworkBaseUrls = Partial<Record<NetworkId, string>>;

export interface NetworkEntry {
  network: NetworkId;
  /** null: accounts can be connected, but publishing to the network is not built yet. */
  // The registry hands connectors out by network id; each caller knows its network's types.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  connector: Connector<any, any> | null;
  /** Where calls go when the account names no server of its own; null when the user must name one. */
  defaultBaseUrl: string | null;
  /** The user picks the server (Mastodon instance, Bluesky PDS). */
  userChosenServer: boolean;
  /** Scheduled posts can be handed to the network's own scheduler ahead of time. */
  nativeScheduling: boolean;
}

export interface RegistryOptions {
  /** Per-network base URL overrides (tests); each must be https, or http on a loopback address. */
  baseUrls?: NetworkBaseUrls;
  fetch?: typeof fetch;
  /** How long a browser sign-in may wait for the user (default 5 minutes). */
  signInTimeoutMs?: number;
}

export interface ConnectorRegistry {
  fetch: typeof fetch;
  signInTimeoutMs: number | undefined;
  entry(network: NetworkId): NetworkEntry | undefined;
  /** The base URL for a call: the account's own server if it has one, else the network's. */
  baseUrl(network: NetworkId, accountServer?: string | null): string;
}

export const BLUESKY_DEFAULT_SERVER = 'https://bsky.social';

export function createConnectorRegistry(options: RegistryOptions = {}): ConnectorRegistry {
  const overrides = checkBaseUrls(options.baseUrls ?? {});
  const entries = new Map<NetworkId, NetworkEntry>();
  const add = (entry: NetworkEntry) => entries.set(entry.network, { ...entry, defaultBaseUrl: overrides[entry.network] ?? entry.defaultBaseUrl });
  add({ network: 'telegram', connector: createTelegramConnector(), defaultBaseUrl: TELEGRAM_API_BASE_URL, userChosenServer: false, nativeScheduling: false });
  add({ network: 'mastodon', connector: createMastodonConnector(), defaultBaseUrl: null, userChosenServer: true, nativeScheduling: true });
  add({ network: 'bluesky', connector: createBlueskyConnector(), defaultBaseUrl: BLUESKY_DEFAULT_SERVER, userChosenServer: true, nativeScheduling: false });
  add({ network: 'ok', connector: createOkConnector(), defaultBaseUrl: OK_API_BASE_URL, userChosenServer: false, nativeScheduling: false });
  // VK schedules server-side: postponed posts (wall.post publish_date), kept in line with wall.edit and wall.delete.
  add({ network: 'vk', connector: createVkConnector(), defaultBaseUrl: VK_API_BASE_URL, userChosenServer: false, nativeScheduling: true });
  // Facebook Pages schedule server-side too (scheduled_publish_time); accounts cannot be connected until the accounts contract offers Facebook.
  add({ network: 'facebook', connector: createFacebookConnector(), defaultBaseUrl: FACEBOOK_API_BASE_URL, userChosenServer: false, nativeScheduling: true });
  // Instagram has no server-side schedule either (the media edge takes no time; CONTRACTS.md §7): the local scheduler publishes.
  add({ network: 'instagram', connector: createInstagramConnector(), defaultBaseUrl: INSTAGRAM_API_BASE_URL, userChosenServer: false, nativeScheduling: false });
  // Threads has no server-side schedule (the container → threads_publish flow takes no time; CONTRACTS.md §10); accounts cannot be connected until the accounts contract offers Threads.
  add({ network: 'threads', connector: createThreadsConnector(), defaultBaseUrl: THREADS_API_BASE_URL, userChosenServer: false, nativeScheduling: false });
  // Discord webhooks post at once; there is no message scheduling to hand posts to (CONTRACTS.md §12).
  add({ network: 'discord', connector: createDiscordConnector(), defaultBaseUrl: DISCORD_API_BASE_URL, userChosenServer: false, nativeScheduling: false });
  // X API v2 has no scheduled posts (CONTRACTS.md §9): the laptop publishes at the time.
  add({ network: 'x', connector: createXConnector(), defaultBaseUrl: X_API_BASE_URL, userChosenServer: false, nativeScheduling: false });
  // Organic pins have no publish time (PinCreate takes none; CONTRACTS.md §11): the local scheduler publishes.
  add({ network: 'pinterest', connector: createPinterestConnector(), defaultBaseUrl: PINTEREST_API_BASE_URL, userChosenServer: false, nativeScheduling: false });
  // YouTube holds a private video until status.publishAt and makes it public then (videos#status.publishAt): handed over ahead of time.
  add({ network: 'youtube', connector: createYouTubeConnector(), defaultBaseUrl: YOUTUBE_API_BASE_URL, userChosenServer: false, nativeScheduling: true });
  // POST /rest/posts publishes at once; LinkedIn has no publish time (CONTRACTS.md §8): the local scheduler publishes.
  add({ network: 'linkedin', connector: createLinkedInConnector(), defaultBaseUrl: LINKEDIN_API_BASE_URL, userChosenServer: false, nativeScheduling: false });

  return {
    fetch: options.fetch ?? ((input, init) => fetch(input, init)),
    signInTimeoutMs: options.signInTimeoutMs,
    entry: (network) => entries.get(network),
    baseUrl(network, accountServer) {
      if (accountServer) return accountServer;
      const base = entries.get(network)?.defaultBaseUrl;
      if (!base) throw new Error(`No server is known for ${network}.`);
      return base;
    },
  };
}

function checkBaseUrls(baseUrls: NetworkBaseUrls): NetworkBaseUrls {
  const checked: NetworkBaseUrls = {};
  for (const [network, value] of Object.entries(baseUrls)) {
    if (!isNetworkId(network)) throw new Error(`"${network}" is not a network Outpost knows.`);
    if (typeof value !== 'string') throw new Error(`The base URL for ${network} must be a string.`);
    try {
      checked[network] = normalizeServerUrl(value);
    } catch (error) {
      throw new Error(`The base URL for ${network} is not usable: ${(error as Error).message}`, { cause: error });
    }
  }
  return checked;
}

/** Reads OUTPOST_NETWORK_BASE_URLS (`{"telegram":"http://127.0.0.1:1234"}`); throws a readable Error. */
export function parseNetworkBaseUrls(json: string): NetworkBaseUrls {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw new Error('OUTPOST_NETWORK_BASE_URLS must be JSON like {"telegram":"http://127.0.0.1:1234"}.');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error('OUTPOST_NETWORK_BASE_URLS must be a JSON object of network → base URL.');
  }
  return checkBaseUrls(value as NetworkBaseUrls);
}
