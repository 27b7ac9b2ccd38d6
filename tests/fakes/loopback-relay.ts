import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { MediaItem } from '../../main/core/connector';
import type { MediaRelay, RelayedMedia } from '../../main/core/media-relay';

/**
 * A media relay on loopback for tests (core/media-relay.ts): put() serves the bytes at
 * http://127.0.0.1:<port>/m/<random> until remove(). `fetches` counts each address's downloads (a
 * network fake that fetches image_url shows up there), `puts` and `removes` count the relay's own
 * calls, `broken` makes it answer 404, as a relay whose addresses do not open from the internet.
 * Another process (the crash test's child) reaches the same relay through `relayClient`: PUT
 * /m/<key> with the bytes holds a file, DELETE takes it away.
 */
export interface LoopbackRelay extends MediaRelay {
  baseUrl: string;
  held: Map<string, MediaItem>;
  fetches: Map<string, number>;
  puts: number;
  removes: number;
  broken: boolean;
  close(): Promise<void>;
}

export async function startLoopbackRelay(): Promise<LoopbackRelay> {
  const held = new Map<string, MediaItem>();
  const fetches = new Map<string, number>();
  const server = createServer((req, res) => {
    const path = req.url ?? '/';
    if (req.method === 'PUT' || req.method === 'DELETE') {
      remote(req.method, path, req, res);
      return;
    }
    fetches.set(path, (fetches.get(path) ?? 0) + 1);
    const item = held.get(path);
    if (!item || relay.broken) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': item.mime, 'content-length': String(item.bytes.byteLength) });
    res.end(Buffer.from(item.bytes));
  });
  /** The client's put and remove: counted as the relay's own. */
  function remote(method: string, path: string, req: IncomingMessage, res: ServerResponse): void {
    if (!/^\/m\/[\w-]+$/.test(path)) {
      res.writeHead(400).end();
      return;
    }
    if (method === 'DELETE') {
      relay.removes += 1;
      held.delete(path);
      res.writeHead(204).end();
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      relay.puts += 1;
      const mime = String(req.headers['content-type'] ?? 'application/octet-stream');
      held.set(path, { fileName: decodeURIComponent(String(req.headers['x-file-name'] ?? 'file')), mime, bytes: Buffer.concat(chunks), alt: '' });
      res.writeHead(201).end();
    });
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const relay: LoopbackRelay = {
    baseUrl,
    held,
    fetches,
    puts: 0,
    removes: 0,
    broken: false,
    async put(item): Promise<RelayedMedia> {
      const path = `/m/${randomBytes(12).toString('base64url')}`;
      relay.puts += 1;
      held.set(path, item);
      return {
        url: `${baseUrl}${path}`,
        remove: async () => {
          relay.removes += 1;
          held.delete(path);
        },
      };
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return relay;
}

/** A MediaRelay in another process that puts its files on a loopback relay over HTTP (PUT, DELETE). */
export function relayClient(baseUrl: string): MediaRelay {
  return {
    async put(item, options = {}): Promise<RelayedMedia> {
      const url = `${baseUrl}/m/${randomBytes(12).toString('base64url')}`;
      const response = await fetch(url, {
        method: 'PUT',
        headers: { 'content-type': item.mime, 'x-file-name': encodeURIComponent(item.fileName) },
        body: Buffer.from(item.bytes),
        ...(options.signal ? { signal: options.signal } : {}),
      });
      if (!response.ok) throw new Error(`the loopback relay answered HTTP ${response.status}`);
      return {
        url,
        remove: async () => {
          await fetch(url, { method: 'DELETE' });
        },
      };
    },
  };
}
