import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';

/**
 * Fetching a page (or its picture) for a link card: the user pasted the address, so anything could
 * be behind it. Bounded every way — http(s) only, no credentials in the address, a few redirects,
 * a deadline, a size cap — and never to this computer or its network (server-side request
 * forgery): every address a name resolves to must be public unicast, and the connection goes to
 * the address that was checked, so a name that re-resolves to 127.0.0.1 cannot slip through.
 */

export type PageFetchProblem = 'bad_address' | 'private_address' | 'too_many_redirects' | 'timeout' | 'too_large' | 'not_html' | 'not_image' | 'http_error' | 'unreachable';

export class PageFetchError extends Error {
  constructor(
    readonly problem: PageFetchProblem,
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'PageFetchError';
  }
}

export interface FetchedPage {
  /** Where the content came from, after redirects. */
  url: string;
  contentType: string;
  body: Buffer;
  /** True when the body was cut at the size cap (a page's <head> is at its start, so that is fine for HTML). */
  truncated: boolean;
}

export interface PageFetchOptions {
  kind: 'html' | 'image';
  timeoutMs?: number;
  maxBytes?: number;
  maxRedirects?: number;
  /** Which resolved addresses may be connected to; public unicast only unless a test says otherwise. */
  allowAddress?: (address: string) => boolean;
  /** Name resolution (tests map names to their loopback server). */
  lookup?: (hostname: string) => Promise<LookupAddress[]>;
}

/** Public unicast only: not loopback, private, link-local (169.254.169.254), carrier NAT, multicast, reserved, NAT64 of those… */
export function isPublicAddress(address: string): boolean {
  try {
    return ipaddr.process(address).range() === 'unicast';
  } catch {
    return false;
  }
}

const systemLookup = (hostname: string) =>
  new Promise<LookupAddress[]>((resolve, reject) => dnsLookup(hostname, { all: true, verbatim: true }, (error, addresses) => (error ? reject(error) : resolve(addresses))));

const DEFAULTS = { html: { maxBytes: 512 * 1024, accept: 'text/html,application/xhtml+xml;q=0.9,*/*;q=0.1' }, image: { maxBytes: 8 * 1024 * 1024, accept: 'image/*' } } as const;

/** Fetches `address` within the bounds; throws PageFetchError with what went wrong. */
export async function fetchBounded(address: string, options: PageFetchOptions): Promise<FetchedPage> {
  const maxRedirects = options.maxRedirects ?? 3;
  const deadline = Date.now() + (options.timeoutMs ?? 8000);
  let url = checkedUrl(address);
  for (let hop = 0; ; hop++) {
    const response = await get(url, options, deadline);
    const status = response.statusCode ?? 0;
    if (status >= 300 && status < 400 && response.headers.location) {
      response.resume();
      if (hop >= maxRedirects) throw new PageFetchError('too_many_redirects', `${address} redirects more than ${maxRedirects} times.`);
      url = checkedUrl(new URL(response.headers.location, url).href);
      continue;
    }
    if (status < 200 || status >= 300) {
      response.resume();
      throw new PageFetchError('http_error', `${url.host} answered ${status}.`, status);
    }
    const contentType = String(response.headers['content-type'] ?? '').toLowerCase();
    const wanted = options.kind === 'html' ? /^(text\/html|application\/xhtml\+xml)\b/.test(contentType) : contentType.startsWith('image/');
    if (!wanted) {
      response.resume();
      throw new PageFetchError(options.kind === 'html' ? 'not_html' : 'not_image', `${url.href} is ${contentType || 'of no stated type'}, not ${options.kind === 'html' ? 'a web page' : 'a picture'}.`);
    }
    const maxBytes = options.maxBytes ?? DEFAULTS[options.kind].maxBytes;
    const { body, truncated } = await readCapped(response, maxBytes, deadline);
    if (truncated && options.kind === 'image') throw new PageFetchError('too_large', `The picture at ${url.href} is larger than ${Math.round(maxBytes / 1024 / 1024)} MB.`);
    return { url: url.href, contentType, body, truncated };
  }
}

function checkedUrl(address: string): URL {
  let url: URL;
  try {
    url = new URL(address);
  } catch {
    throw new PageFetchError('bad_address', `"${address}" is not a web address.`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new PageFetchError('bad_address', `Only http and https addresses get a card, not ${url.protocol}.`);
  if (url.username || url.password) throw new PageFetchError('bad_address', 'An address with a user name or password in it gets no card.');
  return url;
}

function get(url: URL, options: PageFetchOptions, deadline: number): Promise<IncomingMessage> {
  const allow = options.allowAddress ?? isPublicAddress;
  const resolve = options.lookup ?? systemLookup;
  // Every address of the name is checked, and the connection uses the one checked.
  const lookup: LookupFunction = (hostname, opts, callback) => {
    resolve(hostname).then(
      (addresses) => {
        const refused = addresses.find((a) => !allow(a.address));
        if (addresses.length === 0 || refused) {
          callback(new PageFetchError('private_address', `${hostname} leads to ${refused?.address ?? 'no address'}, which is not on the public internet: no card is fetched from there.`), '', 4);
          return;
        }
        // Node's happy-eyeballs connect asks for every address ({ all: true }); a plain connect for one.
        if (opts.all) {
          callback(null, addresses);
          return;
        }
        const chosen = addresses[0] as LookupAddress;
        callback(null, chosen.address, chosen.family);
      },
      (error: Error) => callback(Object.assign(error, { code: (error as { code?: string }).code ?? 'ENOTFOUND' }), '', 4),
    );
  };
  // Node connects to an address written as such without asking `lookup`: checked here instead.
  const literal = url.hostname.replace(/^\[|\]$/g, '');
  if (ipaddr.isValid(literal) && !allow(literal)) {
    return Promise.reject(new PageFetchError('private_address', `${literal} is not on the public internet: no card is fetched from there.`));
  }
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolvePromise, reject) => {
    const remaining = deadline - Date.now();
    if (remaining <= 0) return reject(new PageFetchError('timeout', `${url.host} did not answer in time.`));
    const request = send(
      url,
      {
        method: 'GET',
        lookup,
        // A fresh connection each time: a pooled one was checked for another fetch, and may have gone stale.
        agent: false,
        timeout: remaining,
        headers: { accept: DEFAULTS[options.kind].accept, 'user-agent': 'Outpost link preview (+https://outpost.app)', 'accept-encoding': 'identity' },
      },
      resolvePromise,
    );
    const timer = setTimeout(() => request.destroy(new PageFetchError('timeout', `${url.host} did not answer in time.`)), remaining);
    request.on('close', () => clearTimeout(timer));
    request.on('timeout', () => request.destroy(new PageFetchError('timeout', `${url.host} did not answer in time.`)));
    request.on('error', (error) => reject(error instanceof PageFetchError ? error : new PageFetchError('unreachable', `${url.host} could not be reached (${(error as { code?: string }).code ?? error.message}).`)));
    request.end();
  });
}

function readCapped(response: IncomingMessage, maxBytes: number, deadline: number): Promise<{ body: Buffer; truncated: boolean }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const timer = setTimeout(() => response.destroy(new PageFetchError('timeout', 'The page took too long to arrive.')), Math.max(0, deadline - Date.now()));
    const finish = (truncated: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ body: Buffer.concat(chunks).subarray(0, maxBytes), truncated });
    };
    response.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      size += chunk.length;
      // Enough read: a cap is a cap, the rest is never downloaded.
      if (size > maxBytes) {
        response.destroy();
        finish(true);
      }
    });
    response.on('end', () => finish(false));
    response.on('error', (error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      reject(error instanceof PageFetchError ? error : new PageFetchError('unreachable', `The page stopped arriving (${error.message}).`));
    });
  });
}

/** The page's text in its own encoding (header charset, else <meta charset>, else UTF-8): Russian sites still use windows-1251. */
export function decodeHtml(body: Buffer, contentType: string): string {
  const declared = /charset=["']?([\w-]+)/i.exec(contentType)?.[1] ?? /<meta[^>]+charset=["']?([\w-]+)/i.exec(body.subarray(0, 2048).toString('latin1'))?.[1];
  try {
    return new TextDecoder(declared ?? 'utf-8').decode(body);
  } catch {
    return new TextDecoder('utf-8').decode(body);
  }
}
