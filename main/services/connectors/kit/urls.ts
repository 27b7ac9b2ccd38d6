import { ConnectorError } from '../../../core/connector';

/**
 * Server addresses: what the user types for a Mastodon instance or a Bluesky PDS, and the base
 * URLs tests point networks at. One rule for all: https, or plain http on a loopback address.
 */

const LOOPBACK_NAMES = new Set(['localhost', '[::1]']);

/** 127.0.0.0/8, ::1 and localhost: the only hosts plain http may reach. */
export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK_NAMES.has(hostname.toLowerCase()) || /^127(?:\.\d{1,3}){3}$/.test(hostname);
}

export interface ServerUrlOptions {
  /** Keep only scheme, host and port (the API lives at the root, as on Mastodon): a path, ?query or #part is dropped, not refused. */
  originOnly?: boolean;
}

/**
 * A server address the user typed ("bsky.social", "https://pds.example/") as a base URL without
 * a trailing slash. https only; plain http is accepted for loopback addresses (local test servers).
 */
export function normalizeServerUrl(input: string, options: ServerUrlOptions = {}): string {
  const typed = input.trim();
  const text = /^[a-z][a-z0-9+.-]*:\/\//i.test(typed) ? typed : `https://${typed}`;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ConnectorError('validation', `"${typed}" is not a server address.`);
  }
  if (url.username || url.password || (!options.originOnly && (url.search || url.hash))) {
    throw new ConnectorError('validation', `"${typed}" is not a plain server address; leave out names, passwords and ?queries.`);
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopbackHost(url.hostname))) {
    throw new ConnectorError('validation', 'Outpost connects to servers only over https (plain http only on this computer).');
  }
  return options.originOnly ? url.origin : `${url.origin}${trimBaseUrl(url.pathname)}`;
}

/** A base URL as calls append paths to it: without trailing slashes. */
export function trimBaseUrl(baseUrl: string): string {
  return baseUrl.replace(/\/+$/, '');
}

/** host[:port] of a base URL, for messages ("mastodon.social did not answer"). */
export function hostOf(baseUrl: string): string {
  try {
    return new URL(baseUrl).host;
  } catch {
    return baseUrl;
  }
}
