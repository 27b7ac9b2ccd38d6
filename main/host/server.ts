import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';
import type { EventName, EventPayload } from '../core/contract';
import { buildCsp } from '../core/csp';
import type { OutpostError } from '../core/errors';
import type { Dispatch } from '../core/dispatch';
import { handleUpload, serveMedia, type MediaHost } from './media-routes';

/**
 * The browser host's HTTP face: the built renderer and the contract over HTTP (requests) and
 * server-sent events (events), on 127.0.0.1 only, every request carrying the per-run token.
 */
export interface HostServerOptions {
  dispatch: Dispatch;
  rendererDir: string;
  port?: number;
  token?: string;
  /** Largest request body accepted, in bytes. */
  maxBodyBytes?: number;
  /** Uploads (POST /api/upload) and library files (GET /api/media/<id>/<thumb|file>). */
  media?: MediaHost;
}

export interface HostServer {
  url: string;
  port: number;
  /** The API token: only ever accepted in the x-outpost-token header (and as ?token= to open a page). */
  token: string;
  /** `name=value` of the page cookie, a separate random value good only for page, media and event-stream GETs. */
  pageCookie: string;
  broadcast<E extends EventName>(event: E, payload: EventPayload<E>): void;
  close(): Promise<void>;
}

// Not the API token: every server on 127.0.0.1 (any port) is sent the cookies of 127.0.0.1.
const COOKIE = 'outpost_page';
const mimeTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
};

function sameToken(given: string | undefined, token: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

function pageCookieValue(req: IncomingMessage): string | undefined {
  const header = req.headers.cookie ?? '';
  for (const part of header.split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === COOKIE) return rest.join('=');
  }
  return undefined;
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  });
  res.end(text);
}

function sendError(res: ServerResponse, status: number, error: OutpostError): void {
  sendJson(res, status, { ok: false, error });
}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer | 'too_large'> {
  return new Promise((resolveBody, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('end', () => resolveBody(tooLarge ? 'too_large' : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export async function startHostServer(options: HostServerOptions): Promise<HostServer> {
  const token = options.token ?? randomBytes(24).toString('base64url');
  const pageKey = randomBytes(24).toString('base64url');
  const rendererDir = resolve(options.rendererDir);
  const maxBody = options.maxBodyBytes ?? 10 * 1024 * 1024;
  const csp = buildCsp();
  const streams = new Set<ServerResponse>();
  let port = 0;

  const allowedHost = (req: IncomingMessage) => {
    // A page on another site must not reach us through DNS rebinding.
    const host = req.headers.host ?? '';
    return host === `127.0.0.1:${port}` || host === `localhost:${port}`;
  };

  const serveFile = (req: IncomingMessage, res: ServerResponse, pathname: string, setCookie: boolean) => {
    let decoded: string;
    try {
      decoded = decodeURIComponent(pathname);
    } catch {
      sendError(res, 400, { code: 'bad_request', message: 'The path is not valid percent-encoding.' });
      return;
    }
    const relative = normalize(decoded).replace(/^([/\\])+/, '');
    let file = resolve(rendererDir, relative);
    if (file !== rendererDir && !file.startsWith(rendererDir + sep)) {
      sendError(res, 404, { code: 'not_found', message: 'Not found.' });
      return;
    }
    if (!existsSync(file) || !statSync(file).isFile()) {
      // Unknown paths get the app, which routes on the client.
      if (extname(relative)) {
        sendError(res, 404, { code: 'not_found', message: `No file ${pathname}.` });
        return;
      }
      file = join(rendererDir, 'index.html');
    }
    const headers: Record<string, string> = {
      'content-type': mimeTypes[extname(file)] ?? 'application/octet-stream',
      'content-security-policy': csp,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cache-control': 'no-cache',
    };
    if (setCookie) headers['set-cookie'] = `${COOKIE}=${pageKey}; HttpOnly; SameSite=Strict; Path=/`;
    res.writeHead(200, headers);
    if (req.method === 'HEAD') res.end();
    // A file that vanishes or cannot be read must end this response, not the host.
    else createReadStream(file).on('error', () => res.destroy()).pipe(res);
  };

  const handleInvoke = async (req: IncomingMessage, res: ServerResponse) => {
    const body = await readBody(req, maxBody);
    if (body === 'too_large') {
      sendError(res, 413, { code: 'bad_request', message: `The request is larger than ${maxBody} bytes.` });
      return;
    }
    let message: unknown;
    try {
      message = JSON.parse(body.toString('utf8'));
    } catch {
      sendError(res, 400, { code: 'bad_request', message: 'The request body is not valid JSON.' });
      return;
    }
    if (typeof message !== 'object' || message === null || Array.isArray(message)) {
      sendError(res, 400, { code: 'bad_request', message: 'The request must be an object with "name" and "args".' });
      return;
    }
    const { name, args } = message as { name?: unknown; args?: unknown };
    sendJson(res, 200, await options.dispatch(name, args));
  };

  const handleEvents = (req: IncomingMessage, res: ServerResponse) => {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
    });
    res.write(': connected\n\n');
    streams.add(res);
    req.on('close', () => streams.delete(res));
  };

  const server: Server = createServer((req, res) => {
    try {
      route(req, res);
    } catch (error) {
      // One odd request must never take the host (and the user's open page) down.
      console.error(error);
      if (!res.headersSent) sendError(res, 500, { code: 'internal', message: 'The host failed to answer.' });
      else res.destroy();
    }
  });

  const route = (req: IncomingMessage, res: ServerResponse) => {
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://127.0.0.1');
    } catch {
      sendError(res, 400, { code: 'bad_request', message: 'The request target is not a valid path.' });
      return;
    }
    if (!allowedHost(req)) {
      sendError(res, 403, { code: 'unauthorized', message: 'Requests must be addressed to 127.0.0.1.' });
      return;
    }
    const queryToken = url.searchParams.get('token') ?? undefined;
    const headerToken = req.headers['x-outpost-token'];
    const byHeader = sameToken(typeof headerToken === 'string' ? headerToken : undefined, token);
    const isApi = url.pathname.startsWith('/api/');
    const isRead = req.method === 'GET' || req.method === 'HEAD';
    // The API and anything that is not a read take the token from a header only (a cross-site form
    // cannot set one, and a cookie may have leaked to another local server). Pages, the event
    // stream and media files (<img> sends no header) may use ?token= or the separate page cookie.
    const headerOnly = !isRead || url.pathname === '/api/invoke' || url.pathname === '/api/upload';
    const authorised = headerOnly
      ? byHeader
      : byHeader || sameToken(queryToken, token) || sameToken(pageCookieValue(req), pageKey);
    if (!authorised) {
      sendError(res, 401, { code: 'unauthorized', message: 'A valid Outpost host token is required.' });
      return;
    }
    if (url.pathname === '/api/invoke' && req.method === 'POST') {
      handleInvoke(req, res).catch((error: unknown) => {
        console.error(error);
        if (!res.headersSent) sendError(res, 500, { code: 'internal', message: 'The host failed to answer.' });
      });
      return;
    }
    if (url.pathname === '/api/events' && req.method === 'GET') {
      handleEvents(req, res);
      return;
    }
    const media = options.media;
    if (media && url.pathname === '/api/upload' && req.method === 'POST') {
      handleUpload(req, res, media).catch((error: unknown) => {
        console.error(error);
        if (!res.headersSent) sendError(res, 500, { code: 'internal', message: 'The host failed to take the upload.' });
      });
      return;
    }
    if (media && url.pathname.startsWith('/api/media/') && (req.method === 'GET' || req.method === 'HEAD')) {
      serveMedia(req, res, media, url.pathname);
      return;
    }
    if (isApi) {
      sendError(res, 404, { code: 'unknown_request', message: `No API at ${req.method} ${url.pathname}.` });
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      sendError(res, 405, { code: 'bad_request', message: 'Only GET is served here.' });
      return;
    }
    serveFile(req, res, url.pathname, sameToken(queryToken, token));
  };

  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolveListen());
  });
  port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    pageCookie: `${COOKIE}=${pageKey}`,
    broadcast: (event, payload) => {
      const frame = `data: ${JSON.stringify({ event, payload })}\n\n`;
      for (const stream of streams) stream.write(frame);
    },
    close: () =>
      new Promise<void>((resolveClose) => {
        for (const stream of streams) stream.end();
        streams.clear();
        server.close(() => resolveClose());
        server.closeAllConnections();
      }),
  };
}
