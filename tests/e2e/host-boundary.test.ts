import Database from 'better-sqlite3';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { request, type IncomingMessage } from 'node:http';
import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { killIfRunning, removeDataDirs, repoRoot, startHost, stopHost, type RunningHost } from './support/host';

/**
 * The browser host is a local web server holding the user's data, so every way a stranger on
 * the same machine (or a web page doing DNS rebinding) could poke at it is tried here.
 */

let host: RunningHost;

beforeAll(async () => {
  host = await startHost();
});

afterAll(() => {
  killIfRunning(host);
  removeDataDirs();
});

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A request with full control of path and headers; fetch would normalise `..` and refuse Host. */
function raw(options: { method?: string; path: string; headers?: Record<string, string>; body?: string | Buffer }): Promise<RawResponse> {
  return new Promise((resolveResponse, reject) => {
    const req = request(
      { host: '127.0.0.1', port: host.port, method: options.method ?? 'GET', path: options.path, headers: options.headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolveResponse({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

/** Opens the page with ?token= and returns its `name=value` cookie, as a browser would keep it. */
async function pageCookie(): Promise<string> {
  const page = await raw({ path: `/?token=${host.token}` });
  const setCookie = String(page.headers['set-cookie']);
  const pair = setCookie.split(';')[0] ?? '';
  expect(pair).toMatch(/^outpost_page=[A-Za-z0-9_-]{32}$/);
  return pair;
}

function invoke(body: unknown, headers: Record<string, string> = { 'x-outpost-token': host.token }): Promise<RawResponse> {
  return raw({
    method: 'POST',
    path: '/api/invoke',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

function errorOf(response: RawResponse): { code: string; field?: string } {
  const parsed = JSON.parse(response.body) as { ok: boolean; error: { code: string; field?: string } };
  expect(parsed.ok).toBe(false);
  return parsed.error;
}

/** Opens a GET and reports the status as soon as the headers arrive (the event stream never ends). */
function statusOf(path: string, headers: Record<string, string> = {}): Promise<{ status: number; type: string | undefined }> {
  return new Promise((resolveStatus, reject) => {
    const req = request({ host: '127.0.0.1', port: host.port, path, headers }, (res) => {
      resolveStatus({ status: res.statusCode ?? 0, type: res.headers['content-type'] });
      res.destroy();
    });
    req.on('error', reject);
    req.end();
  });
}

function canConnect(address: string, port: number): Promise<boolean> {
  return new Promise((resolveConnect) => {
    const socket = connect({ host: address, port, timeout: 2000 });
    socket.once('connect', () => {
      socket.destroy();
      resolveConnect(true);
    });
    socket.once('error', () => resolveConnect(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolveConnect(false);
    });
  });
}

describe('the browser host boundary', () => {
  it('answers a valid request', async () => {
    const response = await invoke({ name: 'app.info', args: {} });
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body)).toMatchObject({ ok: true, value: { host: 'browser', dataDir: host.dataDir } });
  });

  it('answers an unknown request name with unknown_request, as data', async () => {
    const response = await invoke({ name: 'projects.drop', args: {} });
    expect(response.status).toBe(200);
    expect(errorOf(response).code).toBe('unknown_request');
    expect(errorOf(await invoke({ args: {} })).code).toBe('unknown_request');
    expect(errorOf(await invoke({ name: '__proto__', args: {} })).code).toBe('unknown_request');
    expect(errorOf(await invoke({ name: 'toString', args: {} })).code).toBe('unknown_request');
  });

  it('answers arguments of the wrong type with bad_request naming the field', async () => {
    const wrongTypes = await invoke({ name: 'projects.create', args: { name: 42, color: '#2563eb', timezone: 'UTC' } });
    expect(wrongTypes.status).toBe(200);
    expect(errorOf(wrongTypes)).toMatchObject({ code: 'bad_request', field: 'name' });
    expect(errorOf(await invoke({ name: 'projects.create', args: 'Acme' })).code).toBe('bad_request');
    expect(errorOf(await invoke({ name: 'projects.create' })).code).toBe('bad_request');
    expect(errorOf(await invoke({ name: 'projects.list', args: { includeArchived: 'yes' } })).code).toBe('bad_request');
    // Unknown keys are refused rather than silently dropped.
    expect(errorOf(await invoke({ name: 'app.info', args: { admin: true } })).code).toBe('bad_request');
  });

  it('answers a body that is not JSON, or not an object, with 400 bad_request', async () => {
    for (const body of ['{"name": "app.info",', 'not json', '', '[]', 'null', '"app.info"']) {
      const response = await invoke(body);
      expect(response.status, body).toBe(400);
      expect(errorOf(response).code, body).toBe('bad_request');
    }
  });

  it('refuses a body over the size limit with 413', async () => {
    const response = await invoke({ name: 'app.info', args: { padding: 'x'.repeat(11 * 1024 * 1024) } });
    expect(response.status).toBe(413);
    expect(errorOf(response).code).toBe('bad_request');
  });

  it('refuses requests without the right token on the API with 401', async () => {
    const body = { name: 'projects.list', args: {} };
    const cases: Record<string, Record<string, string>> = {
      'no token': {},
      'wrong token': { 'x-outpost-token': `${host.token.slice(0, -1)}${host.token.endsWith('A') ? 'B' : 'A'}` },
      'empty token': { 'x-outpost-token': '' },
      'longer token': { 'x-outpost-token': `${host.token}x` },
      // A cookie is sent by the browser on its own, so it must not be enough for the API.
      'token as a cookie': { cookie: `outpost_token=${host.token}` },
      'token as the page cookie': { cookie: `outpost_page=${host.token}` },
    };
    for (const [label, headers] of Object.entries(cases)) {
      const response = await invoke(body, headers);
      expect(response.status, label).toBe(401);
      expect(errorOf(response).code, label).toBe('unauthorized');
    }
    const queryOnly = await raw({
      method: 'POST',
      path: `/api/invoke?token=${host.token}`,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(queryOnly.status).toBe(401);
  });

  it('keeps the page cookie apart from the API token: the cookie opens pages, never the API', async () => {
    const cookie = await pageCookie();
    const cookieValue = cookie.slice('outpost_page='.length);
    expect(cookieValue).not.toBe(host.token);
    expect(cookie).not.toContain(host.token);
    // Any other server on 127.0.0.1 is sent this cookie; it must not be able to act as the user.
    const cookieOnly = await invoke({ name: 'projects.list', args: {} }, { cookie });
    expect(cookieOnly.status).toBe(401);
    expect(errorOf(cookieOnly).code).toBe('unauthorized');
    const cookieAsToken = await invoke({ name: 'projects.list', args: {} }, { 'x-outpost-token': cookieValue });
    expect(cookieAsToken.status).toBe(401);
    const upload = await raw({ method: 'POST', path: '/api/upload', headers: { cookie, 'content-type': 'application/octet-stream' }, body: 'x' });
    expect(upload.status).toBe(401);
    // Nothing that changes state takes the cookie, whatever the path.
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH']) {
      expect((await raw({ method, path: '/', headers: { cookie } })).status, method).toBe(401);
    }
    // The token itself, as a cookie, opens nothing: only the page cookie does.
    expect((await statusOf('/', { cookie: `outpost_token=${host.token}` })).status).toBe(401);
    expect((await statusOf('/', { cookie })).status).toBe(200);
  });

  it('refuses pages, assets and the event stream without the right token with 401', async () => {
    const html = readFileSync(join(repoRoot, 'out/renderer/index.html'), 'utf8');
    const asset = /src="\.(\/assets\/[^"]+\.js)"/.exec(html)?.[1] as string;
    expect(asset).toBeTruthy();
    for (const path of ['/', '/index.html', asset, '/api/events']) {
      expect((await statusOf(path)).status, `${path} without token`).toBe(401);
      expect((await statusOf(`${path}?token=wrong`)).status, `${path} with a wrong token`).toBe(401);
      expect((await statusOf(path, { cookie: 'outpost_page=wrong' })).status, `${path} with a wrong cookie`).toBe(401);
    }
    const refused = await raw({ path: '/' });
    expect(refused.body).not.toContain('<script');
    expect(refused.headers['set-cookie']).toBeUndefined();
  });

  it('lets the page in with ?token=, then by its HttpOnly, SameSite=Strict cookie', async () => {
    const page = await raw({ path: `/?token=${host.token}` });
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    const cookie = String(page.headers['set-cookie']);
    expect(cookie).toMatch(/^outpost_page=/);
    expect(cookie).not.toContain(host.token);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    // The header carries frame-ancestors, which a <meta> policy cannot.
    expect(page.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(page.headers['content-security-policy']).toContain("default-src 'none'");

    const withCookie = { cookie: cookie.split(';')[0] ?? '' };
    expect((await statusOf('/', withCookie)).status).toBe(200);
    const events = await statusOf('/api/events', withCookie);
    expect(events.status).toBe(200);
    expect(events.type).toMatch(/^text\/event-stream/);
  });

  it('refuses a request addressed to another host name (DNS rebinding)', async () => {
    for (const name of ['evil.example', `evil.example:${host.port}`, '127.0.0.1', `127.0.0.1:${host.port + 1}`, `localhost.evil.example:${host.port}`]) {
      const page = await raw({ path: `/?token=${host.token}`, headers: { host: name } });
      expect(page.status, name).toBe(403);
      expect(page.body, name).not.toContain('<script');
      const api = await invoke({ name: 'app.info', args: {} }, { 'x-outpost-token': host.token, host: name });
      expect(api.status, name).toBe(403);
      expect(errorOf(api).code).toBe('unauthorized');
    }
  });

  it('never serves a file outside the renderer folder, however the path is spelled', async () => {
    const secrets = [
      { marker: '"name": "outpost"', file: 'package.json' },
      { marker: 'Outpost host listening on', file: 'main/host.js' },
      { marker: 'root:x:0:0', file: 'etc/passwd' },
    ];
    const spellings = (file: string) => {
      const up = '../'.repeat(8);
      return [
        `/../${file}`,
        `/../../${file}`,
        `/${up}${file}`,
        `/%2e%2e/${file}`,
        `/%2e%2e/%2e%2e/${file}`,
        `/..%2f..%2f${file.replaceAll('/', '%2f')}`,
        `/%2e%2e%2f%2e%2e%2f${file.replaceAll('/', '%2f')}`,
        `/assets/..%2f..%2f..%2f${file}`,
        `/..%5c..%5c${file.replaceAll('/', '%5c')}`,
        `/%252e%252e/%252e%252e/${file}`,
        `/..;/..;/${file}`,
        `/${up.replaceAll('../', '..%2f')}${file}`,
        `/assets/%2e%2e/%2e%2e/%2e%2e/${file}%00.png`,
        `//${file}`,
      ];
    };
    for (const { marker, file } of secrets) {
      for (const path of spellings(file)) {
        const response = await raw({ path: `${path}${path.includes('?') ? '&' : '?'}token=${host.token}` });
        expect(response.body, path).not.toContain(marker);
        // Paths with an extension either miss (404) or are malformed (400); none is a 200.
        expect(response.status, path).not.toBe(500);
      }
    }
    const malformed = await raw({ path: `/%E0%A4%A?token=${host.token}` });
    expect(malformed.status).toBe(400);
  });

  it('listens on 127.0.0.1 only', async () => {
    expect(host.url.startsWith(`http://127.0.0.1:${host.port}/`)).toBe(true);
    expect(await canConnect('127.0.0.1', host.port)).toBe(true);
    // Bound to 0.0.0.0 the host would accept these too.
    expect(await canConnect('127.0.0.2', host.port)).toBe(false);
    expect(await canConnect('::1', host.port)).toBe(false);
    const external = Object.values(networkInterfaces())
      .flat()
      .filter((address) => address && !address.internal)
      .map((address) => address?.address as string);
    for (const address of external) expect(await canConnect(address, host.port), address).toBe(false);
  });

  it('still serves a valid request after all of that', async () => {
    expect(host.child.exitCode).toBeNull();
    const created = await invoke({ name: 'projects.create', args: { name: 'Still Here', color: '#2563eb', timezone: 'Europe/Berlin' } });
    expect(JSON.parse(created.body)).toMatchObject({ ok: true, value: { name: 'Still Here' } });
  });

  it('closes cleanly on SIGTERM, even with an event stream open, leaving a sound database', async () => {
    const cookie = await pageCookie();
    const stream = await new Promise<IncomingMessage>((resolveStream, reject) => {
      const req = request({ host: '127.0.0.1', port: host.port, path: '/api/events', headers: { cookie } }, resolveStream);
      req.on('error', reject);
      req.end();
    });
    expect(stream.statusCode).toBe(200);
    const streamEnded = new Promise<void>((resolveEnd) => {
      stream.on('close', () => resolveEnd());
      stream.resume();
    });

    await stopHost(host);
    await streamEnded;
    expect(host.output()).toContain('Outpost host stopped (SIGTERM).');

    const file = join(host.dataDir, 'outpost.db');
    // The WAL was checkpointed into the main file before closing.
    const wal = `${file}-wal`;
    expect(!existsSync(wal) || statSync(wal).size === 0).toBe(true);
    const db = new Database(file, { fileMustExist: true });
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(db.pragma('foreign_key_check')).toEqual([]);
      const names = db.prepare('SELECT name FROM projects').pluck().all();
      expect(names).toEqual(['Still Here']);
    } finally {
      db.close();
    }
  });
});
