import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConnectorError } from '../../../main/core/connector';
import { answerFailure, httpCall, type HttpTarget } from '../../../main/services/connectors/kit/http';
import { retryAfterMs } from '../../../main/services/connectors/kit/retry-after';
import { noAnswerWords, rawCodeOf } from '../../../main/services/connectors/kit/transport';
import { hostOf, isLoopbackHost, normalizeServerUrl, trimBaseUrl } from '../../../main/services/connectors/kit/urls';

/** The connector kit on its own: the rules every connector now shares, and its bodies on a real socket. */

const NOW = Date.UTC(2026, 11, 5, 9, 0, 0);

interface Received {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: Buffer;
}

let server: Server;
let baseUrl: string;
const received: Received[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) });
      if (req.url?.startsWith('/html')) {
        res.writeHead(502, { 'content-type': 'text/html' }).end('<html>Bad Gateway</html>');
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: true }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const target = (overrides: Partial<HttpTarget> = {}): HttpTarget => ({ baseUrl, fetch, name: 'Example', timeoutMs: 2_000, ...overrides });
const last = () => received.at(-1)!;

async function failing(promise: Promise<unknown>): Promise<ConnectorError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ConnectorError);
  return error as ConnectorError;
}

const throwing = (error: unknown): typeof fetch => () => Promise.reject(error);
const system = (code: string) => new TypeError('fetch failed', { cause: Object.assign(new Error(`${code} example.org`), { code }) });

describe('bodies, query, token and base URL', () => {
  it('sends JSON, a form, multipart and raw bytes as each network expects, with the bearer token', async () => {
    await httpCall(target(), { path: '/json', query: { a: '1 2' }, bearer: 'tok', json: { text: 'hi' } });
    expect(last()).toMatchObject({ method: 'POST', url: '/json?a=1+2', headers: { 'content-type': 'application/json', authorization: 'Bearer tok', accept: 'application/json' } });
    expect(JSON.parse(last().body.toString())).toEqual({ text: 'hi' });

    await httpCall(target(), { path: '/form', form: { grant_type: 'code', code: 'x y' } });
    expect(last().headers['content-type']).toMatch(/^application\/x-www-form-urlencoded/);
    expect(last().body.toString()).toBe('grant_type=code&code=x+y');

    const form = new FormData();
    form.set('chat_id', '@outpost');
    form.set('photo', new Blob([new Uint8Array([1, 2, 3])], { type: 'image/png' }), 'a.png');
    await httpCall(target(), { path: '/multipart', multipart: form });
    expect(last().headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    expect(last().body.toString('latin1')).toContain('filename="a.png"');

    await httpCall(target(), { path: '/bytes', bytes: { data: new Uint8Array([9, 8, 7]), type: 'image/jpeg' } });
    expect(last()).toMatchObject({ method: 'POST', headers: { 'content-type': 'image/jpeg' } });
    expect([...last().body]).toEqual([9, 8, 7]);

    await httpCall(target(), { path: '/get' });
    expect(last().method).toBe('GET');
    await httpCall(target(), { method: 'POST', path: '/empty-post' });
    expect(last()).toMatchObject({ method: 'POST', body: Buffer.alloc(0) });
  });

  it('reports upload progress up to the whole body, which arrives whole and with its length', async () => {
    const bytes = new Uint8Array(300 * 1024).map((_, i) => i % 251);
    const form = new FormData();
    form.set('file', new Blob([bytes], { type: 'image/png' }), 'big.png');
    const progress: Array<[number, number]> = [];
    await httpCall(target(), { path: '/upload', multipart: form, onUploadProgress: (sent, total) => progress.push([sent, total]) });
    const total = progress.at(-1)![1];
    expect(progress.length).toBeGreaterThan(1);
    expect(progress.at(-1)![0]).toBe(total);
    expect(progress.every(([sent], i) => i === 0 || sent > progress[i - 1]![0])).toBe(true);
    expect(last().headers['content-length']).toBe(String(total));
    expect(last().body.length).toBe(total);
    expect(last().headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    expect(last().body.includes(Buffer.from(bytes))).toBe(true);
  });

  it('hands back any status with its text; a page that is not JSON has no json', async () => {
    const answer = await httpCall(target(), { path: '/html' });
    expect(answer).toMatchObject({ status: 502, text: '<html>Bad Gateway</html>', json: undefined });
    expect((await httpCall(target(), { path: '/ok' })).json).toEqual({ ok: true });
  });
});

describe('no answer: the failure kinds', () => {
  it('DNS and route failures are offline and sent nothing, Chromium’s offline codes included', async () => {
    for (const code of ['ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH']) {
      const error = await failing(httpCall(target({ fetch: throwing(system(code)) }), { path: '/x' }));
      expect([code, error.kind, error.maybeSent]).toEqual([code, 'offline', false]);
      expect(error.networkMessage).not.toContain(code);
      expect(error.networkSaid).toBeUndefined();
    }
    const disconnected = await failing(httpCall(target({ fetch: throwing(new Error('net::ERR_INTERNET_DISCONNECTED')) }), { path: '/x' }));
    expect([disconnected.kind, disconnected.maybeSent]).toEqual(['offline', false]);
    // The route changed while the request was out: offline, but it may have arrived.
    const changed = await failing(httpCall(target({ fetch: throwing(new Error('net::ERR_NETWORK_CHANGED')) }), { path: '/x' }));
    expect([changed.kind, changed.maybeSent]).toEqual(['offline', true]);
  });

  it('a refused connection is transient and sent nothing; a reset is transient and may have arrived', async () => {
    const refused = await failing(httpCall(target({ fetch: throwing(system('ECONNREFUSED')) }), { path: '/x' }));
    expect([refused.kind, refused.maybeSent, refused.networkMessage]).toEqual(['transient', false, 'Outpost could not reach Example: the connection was refused.']);
    const reset = await failing(httpCall(target({ fetch: throwing(system('ECONNRESET')) }), { path: '/x' }));
    expect([reset.kind, reset.maybeSent]).toEqual(['transient', true]);
    // Happy eyeballs: the system error sits inside an AggregateError.
    const aggregate = new TypeError('fetch failed', { cause: new AggregateError([Object.assign(new Error('connect ENETUNREACH'), { code: 'ENETUNREACH' })]) });
    expect((await failing(httpCall(target({ fetch: throwing(aggregate) }), { path: '/x' }))).kind).toBe('offline');
  });

  it('a hang ends at the timeout, transient and maybe sent; a cancelled call is transient too', async () => {
    const hang: typeof fetch = (_input, init) => new Promise((_resolve, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal?.reason)));
    const timedOut = await failing(httpCall(target({ fetch: hang, timeoutMs: 50 }), { path: '/x' }));
    expect([timedOut.kind, timedOut.maybeSent, timedOut.networkMessage]).toEqual(['transient', true, 'Outpost could not reach Example: it did not answer within 0 s.']);

    const controller = new AbortController();
    const pending = httpCall(target({ fetch: hang, signal: controller.signal }), { path: '/x' });
    controller.abort();
    expect((await failing(pending)).networkMessage).toBe('The call to Example was cancelled before it answered.');
  });

  it('keeps the cause by its code, with every secret scrubbed from its text', async () => {
    const token = '123456:AAsecretsecretsecretsecret';
    const leaky: typeof fetch = (input) => Promise.reject(new TypeError(`Failed to fetch ${String(input)}`, { cause: Object.assign(new Error(`read ECONNRESET ${encodeURIComponent(token)}`), { code: 'ECONNRESET' }) }));
    const error = await failing(httpCall(target({ fetch: leaky, secrets: { 'bot-token': token } }), { path: `/bot${token}/sendMessage` }));
    expect(error.cause).toMatchObject({ code: 'ECONNRESET' });
    expect(inspect(error, { depth: 10 })).toContain('/bot<bot-token>/sendMessage');
    expect(inspect(error, { depth: 10 })).not.toContain('AAsecret');
  });
});

describe('no answer: the words the user reads', () => {
  const cases: [cause: Error, words: string, code: string][] = [
    [Object.assign(new Error('connect ECONNREFUSED 1.2.3.4:443'), { code: 'ECONNREFUSED' }), 'the connection was refused', 'ECONNREFUSED'],
    [Object.assign(new Error('getaddrinfo ENOTFOUND mastodon.social'), { code: 'ENOTFOUND' }), 'the server’s name could not be found', 'ENOTFOUND'],
    [Object.assign(new Error('getaddrinfo EAI_AGAIN mastodon.social'), { code: 'EAI_AGAIN' }), 'the server’s name could not be found', 'EAI_AGAIN'],
    [Object.assign(new Error('connect ETIMEDOUT'), { code: 'ETIMEDOUT' }), 'it did not answer in time', 'ETIMEDOUT'],
    [Object.assign(new Error('Connect Timeout Error'), { code: 'UND_ERR_CONNECT_TIMEOUT' }), 'it did not answer in time', 'UND_ERR_CONNECT_TIMEOUT'],
    [Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }), 'the connection was cut', 'ECONNRESET'],
    [Object.assign(new Error('certificate has expired'), { code: 'CERT_HAS_EXPIRED' }), 'its security certificate was not accepted', 'CERT_HAS_EXPIRED'],
    [Object.assign(new Error('self-signed certificate'), { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' }), 'its security certificate was not accepted', 'DEPTH_ZERO_SELF_SIGNED_CERT'],
    [new Error('net::ERR_CONNECTION_REFUSED'), 'the connection was refused', 'net::ERR_CONNECTION_REFUSED'],
    [new Error('net::ERR_NAME_NOT_RESOLVED'), 'the server’s name could not be found', 'net::ERR_NAME_NOT_RESOLVED'],
    [new Error('net::ERR_CERT_AUTHORITY_INVALID'), 'its security certificate was not accepted', 'net::ERR_CERT_AUTHORITY_INVALID'],
    [new Error('net::ERR_CONNECTION_RESET'), 'the connection was cut', 'net::ERR_CONNECTION_RESET'],
    [Object.assign(new Error('something odd'), { code: 'EWHATEVER' }), 'the connection failed', 'EWHATEVER'],
  ];

  it('says each code in words with the host, and keeps the raw code only in the cause (the log and Details)', async () => {
    for (const [cause, words, code] of cases) {
      const error = await failing(httpCall(target({ name: 'mastodon.social', fetch: throwing(new TypeError('fetch failed', { cause })) }), { path: '/x' }));
      expect([code, error.networkMessage]).toEqual([code, `Outpost could not reach mastodon.social: ${words}.`]);
      expect(error.networkMessage).not.toContain(code);
      expect(error.networkSaid).toBeUndefined();
      expect([code, error.causeCode]).toEqual([code, code]);
    }
  });

  it('names the words once per code and falls back to plain words for an unknown one', () => {
    expect(noAnswerWords('ECONNREFUSED')).toBe('the connection was refused');
    expect(noAnswerWords(undefined)).toBe('the connection failed');
    // The AggregateError of happy eyeballs: the code with words wins over a bare wrapper.
    const aggregate = new TypeError('fetch failed', { cause: new AggregateError([Object.assign(new Error('connect ECONNREFUSED ::1'), { code: 'ECONNREFUSED' })]) });
    expect(rawCodeOf(aggregate)).toBe('ECONNREFUSED');
  });
});

describe('an answer that refused or failed', () => {
  it('keeps the network’s words apart from Outpost’s, and says what the status proves', () => {
    const answer = { status: 403, headers: new Headers() };
    const withAdvice = answerFailure('auth', answer, NOW, { said: 'Forbidden: bot was kicked', ours: 'add the bot again.' });
    expect(withAdvice).toMatchObject({ kind: 'auth', status: 403, networkSaid: 'Forbidden: bot was kicked', networkMessage: 'Forbidden: bot was kicked: add the bot again.', maybeSent: false });
    const oursOnly = answerFailure('transient', { status: 502, headers: new Headers() }, NOW, { ours: 'The server answered 502' });
    expect(oursOnly).toMatchObject({ networkSaid: undefined, networkMessage: 'The server answered 502', maybeSent: true });
    expect(answerFailure('permanent', { status: 404, headers: new Headers() }, NOW, {}).networkMessage).toBe('The server answered HTTP 404.');
  });

  it('reads the wait only for rate limits and transient failures, unless the network said it in the body', () => {
    const headers = new Headers({ 'retry-after': '30' });
    expect(answerFailure('rate_limited', { status: 429, headers }, NOW, {}).retryAfterMs).toBe(30_000);
    expect(answerFailure('transient', { status: 503, headers }, NOW, {}).retryAfterMs).toBe(30_000);
    expect(answerFailure('validation', { status: 400, headers }, NOW, {}).retryAfterMs).toBeUndefined();
    expect(answerFailure('rate_limited', { status: 429, headers }, NOW, {}, { retryAfterMs: 7_000 }).retryAfterMs).toBe(7_000);
  });
});

describe('one Retry-After / X-RateLimit rule', () => {
  it('reads seconds, dates, ISO instants and epoch seconds, and waits for the latest', () => {
    expect(retryAfterMs(new Headers({ 'retry-after': '12' }), NOW)).toBe(12_000);
    expect(retryAfterMs(new Headers({ 'retry-after': new Date(NOW + 5_000).toUTCString() }), NOW)).toBe(5_000);
    expect(retryAfterMs(new Headers({ 'x-ratelimit-reset': new Date(NOW + 90_000).toISOString() }), NOW)).toBe(90_000);
    expect(retryAfterMs(new Headers({ 'x-ratelimit-reset': String(NOW / 1000 + 60) }), NOW)).toBe(60_000);
    expect(retryAfterMs(new Headers({ 'ratelimit-reset': '45' }), NOW)).toBe(45_000);
    expect(retryAfterMs(new Headers({ 'retry-after': '12', 'ratelimit-reset': String(NOW / 1000 + 60) }), NOW)).toBe(60_000);
    expect(retryAfterMs(new Headers({ 'retry-after': '120', 'x-ratelimit-reset': new Date(NOW + 60_000).toISOString() }), NOW)).toBe(120_000);
  });

  it('a time already past is no wait; no header or an unreadable one is no answer', () => {
    expect(retryAfterMs(new Headers({ 'ratelimit-reset': String(NOW / 1000 - 10) }), NOW)).toBe(0);
    expect(retryAfterMs(new Headers(), NOW)).toBeUndefined();
    expect(retryAfterMs(new Headers({ 'retry-after': 'soon' }), NOW)).toBeUndefined();
  });
});

describe('server addresses', () => {
  it('https, or plain http only on this computer; a trailing slash goes', () => {
    expect(normalizeServerUrl('bsky.social')).toBe('https://bsky.social');
    expect(normalizeServerUrl(' https://pds.example/base/ ')).toBe('https://pds.example/base');
    expect(normalizeServerUrl('http://127.0.0.1:4000/')).toBe('http://127.0.0.1:4000');
    expect(normalizeServerUrl('http://localhost:4000')).toBe('http://localhost:4000');
    expect(() => normalizeServerUrl('http://pds.example')).toThrow(/only over https/);
    expect(() => normalizeServerUrl('https://user:pw@pds.example')).toThrow(/not a plain server address/);
    expect(() => normalizeServerUrl('https://pds.example/?x=1')).toThrow(/not a plain server address/);
    expect(() => normalizeServerUrl('https://')).toThrow(ConnectorError);
  });

  it('keeps only the origin where the API sits at the root', () => {
    expect(normalizeServerUrl('https://mastodon.social/about?x=1#top', { originOnly: true })).toBe('https://mastodon.social');
    expect(() => normalizeServerUrl('https://me:pw@mastodon.social', { originOnly: true })).toThrow(/not a plain server address/);
  });

  it('knows loopback hosts, trims base URLs and names hosts', () => {
    expect(['127.0.0.1', '127.8.0.1', '[::1]', 'localhost', 'LOCALHOST'].every(isLoopbackHost)).toBe(true);
    expect(['10.0.0.1', '128.0.0.1', 'localhost.example'].some(isLoopbackHost)).toBe(false);
    expect(trimBaseUrl('https://a.example//')).toBe('https://a.example');
    expect(hostOf('http://127.0.0.1:8080/x')).toBe('127.0.0.1:8080');
  });
});
