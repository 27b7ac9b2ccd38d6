import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { RequestValidator, SpecCheck } from './validate/spec';

/**
 * Loopback plumbing shared by the network fakes (Telegram, Mastodon, …).
 *
 *   const server = await startFakeServer(handle, { name: 'Mastodon fake', validator: mastodonSpec(), answers });
 *   server.baseUrl            // http://127.0.0.1:<random port>
 *   server.requests           // every request, body parsed, checked against the spec, in arrival order
 *   server.faults.next(server.fault({ kind: 'rate_limited', retryAfterMs: 7000 }), 2);
 *   server.violations         // what a correct client would never send
 *   await server.close();     // also drops hung and keep-alive connections; throws on unnoticed violations
 *
 * Bodies are parsed before the handler runs (JSON, urlencoded, multipart), and checked against the
 * network's own spec when a validator is given, so a fake keeps only the rules the spec cannot
 * say. Faults are applied before the handler (nothing happens on the "network") or, with
 * `afterHandling`, after it (the post exists but the client never hears so).
 *
 * Violations fail loudly: the fake answers a refused one with the network's error (the connector's
 * call fails), and close() throws for any left in `violations` that no answer told the client
 * about (a field the network would silently ignore, a bad request hidden behind a fault). A test
 * that sends a bad request on purpose asserts on `violations` and then empties it.
 */

export interface UploadedFile {
  fileName: string;
  /** The part's own Content-Type header; undefined when the client sent none. */
  contentType: string | undefined;
  bytes: Buffer;
}

export interface ParsedBody {
  /** 'malformed' when the declared content type could not be parsed (see `error`). */
  type: 'none' | 'json' | 'urlencoded' | 'multipart' | 'other' | 'malformed';
  /** The value of a JSON body; undefined otherwise. */
  json: unknown;
  /** Text fields of urlencoded and multipart bodies; repeated names (`media_ids[]`) stay in order. */
  fields: Array<[name: string, value: string]>;
  /** Multipart parts that carry a filename, by part name, in order. */
  files: Array<[name: string, file: UploadedFile]>;
  raw: Buffer;
  error?: string;
}

export interface FakeRequest {
  method: string;
  /** The path without the query string. */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: ParsedBody;
  /** The fault applied to this request, if any. */
  fault?: Fault;
  /** What the network's spec says of this request (set when the server has a validator). */
  spec?: SpecCheck;
}

export interface FakeResponse {
  status: number;
  /** Sent as application/json. */
  json?: unknown;
  /** Sent as text/plain (an HTML error page from a gateway, say). */
  text?: string;
  headers?: Record<string, string>;
}

export type Fault =
  /** Answer this instead of the handler (429 with the network's own body, 500, 502…). */
  | { kind: 'respond'; response: FakeResponse; afterHandling?: boolean }
  /** Never answer; the client's timeout has to fire. The socket is dropped on close(). */
  | { kind: 'hang'; afterHandling?: boolean }
  /** Destroy the socket once the request body has been read. */
  | { kind: 'reset'; afterHandling?: boolean };

export type RequestMatcher = (req: FakeRequest) => boolean;

/** mulberry32: a tiny seeded RNG, so a "30 % of calls fail" run is the same every time. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rule =
  | { type: 'count'; fault: Fault; remaining: number; match: RequestMatcher }
  | { type: 'ratio'; fault: Fault; ratio: number; random: () => number; match: RequestMatcher };

const everyRequest: RequestMatcher = () => true;

/** Fault switches; rules are tried in the order they were added, the first that fires wins. */
export class FaultPlan {
  private rules: Rule[] = [];

  /** The next `count` requests that match get `fault`. */
  next(fault: Fault, count = 1, match: RequestMatcher = everyRequest): void {
    this.rules.push({ type: 'count', fault, remaining: count, match });
  }

  /** Each matching request gets `fault` with probability `ratio`, drawn from an RNG seeded with `seed`. */
  ratio(fault: Fault, ratio: number, seed: number, match: RequestMatcher = everyRequest): void {
    this.rules.push({ type: 'ratio', fault, ratio, random: seededRandom(seed), match });
  }

  clear(): void {
    this.rules = [];
  }

  /** Used by the server: the fault for this request, if one fires (count rules are spent here). */
  take(req: FakeRequest): Fault | undefined {
    for (const rule of this.rules) {
      if (!rule.match(req)) continue;
      if (rule.type === 'count') {
        if (rule.remaining <= 0) continue;
        rule.remaining -= 1;
        return rule.fault;
      }
      if (rule.random() < rule.ratio) return rule.fault;
    }
    return undefined;
  }
}

/** Faults in a network's own words: each fake says what its 429 and 5xx look like. */
export type NetworkFault =
  | { kind: 'rate_limited'; retryAfterMs: number }
  | { kind: 'server_error'; status: number }
  | { kind: 'hang' }
  | { kind: 'reset' };

export interface NetworkAnswers {
  /** The network's 429: its body and its headers (Retry-After, X-RateLimit-*). */
  rateLimited(retryAfterMs: number): FakeResponse;
  /** A 5xx as the network's front sends it (the app's JSON or a gateway's HTML page). */
  serverError(status: number): FakeResponse;
  /** The network's error for a request its spec refuses (messages as the adapter words them). */
  refused(messages: string[], req: FakeRequest): FakeResponse;
}

export interface FakeServerOptions {
  /** Names the fake in close()'s error. */
  name?: string;
  /** Checks each request against the network's spec on arrival. */
  validator?: RequestValidator;
  answers?: NetworkAnswers;
  /** How a violation names its request (default `POST /path`); Telegram's paths carry the token. */
  label?: (req: FakeRequest) => string;
}

export interface FakeServer {
  /** http://127.0.0.1:<port>, no trailing slash. */
  baseUrl: string;
  requests: FakeRequest[];
  faults: FaultPlan;
  /** `<request>: <what>` for everything a correct client would never send, spec checks included. */
  violations: string[];
  /** Records a violation the fake found itself; `refused`: its answer tells the client (an error status). */
  violate(req: FakeRequest, what: string, refused: boolean): void;
  /** The network's error when the spec refuses this request; undefined when it is fine. Call it where the real server checks parameters. */
  refusal(req: FakeRequest): FakeResponse | undefined;
  /** A fault in the network's own words (needs `answers` for rate_limited and server_error). */
  fault(fault: NetworkFault, afterHandling?: boolean): Fault;
  close(): Promise<void>;
}

export type FakeHandler = (req: FakeRequest) => FakeResponse | Promise<FakeResponse>;

/** Bigger bodies get 413 without being read to the end; above every network's upload limit. */
const MAX_BODY_BYTES = 64 * 1024 * 1024;

export async function startFakeServer(handle: FakeHandler, options: FakeServerOptions = {}): Promise<FakeServer> {
  const requests: FakeRequest[] = [];
  const faults = new FaultPlan();
  const sockets = new Set<Socket>();
  const violations: string[] = [];
  /** Violations no answer has told the client about yet (a text may repeat). */
  const unnoticed: string[] = [];
  const label = options.label ?? ((req: FakeRequest) => `${req.method} ${req.path}`);

  function violate(req: FakeRequest, what: string, refused: boolean): void {
    const text = `${label(req)}: ${what}`;
    violations.push(text);
    if (!refused) unnoticed.push(text);
  }

  function notice(text: string): void {
    const at = unnoticed.indexOf(text);
    if (at >= 0) unnoticed.splice(at, 1);
  }

  function refusal(req: FakeRequest): FakeResponse | undefined {
    const refused = req.spec?.violations.filter((v) => v.refused) ?? [];
    if (refused.length === 0) return undefined;
    for (const v of refused) notice(`${label(req)}: ${v.message}`);
    if (!options.answers) return { status: 400, text: refused.map((v) => v.message).join('\n') };
    return options.answers.refused(refused.map((v) => v.message), req);
  }

  function fault(networkFault: NetworkFault, afterHandling = false): Fault {
    if (networkFault.kind === 'hang' || networkFault.kind === 'reset') return { kind: networkFault.kind, afterHandling };
    if (!options.answers) throw new Error('fault(): this fake server has no network answers');
    const response =
      networkFault.kind === 'rate_limited' ? options.answers.rateLimited(networkFault.retryAfterMs) : options.answers.serverError(networkFault.status);
    return { kind: 'respond', response, afterHandling };
  }

  const server = createServer((incoming, outgoing) => {
    void serve(incoming, outgoing);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  async function serve(incoming: IncomingMessage, outgoing: ServerResponse): Promise<void> {
    const raw = await readBody(incoming);
    if (raw === 'too-large') {
      send(outgoing, { status: 413, text: 'Request Entity Too Large' });
      return;
    }
    const url = new URL(incoming.url ?? '/', 'http://127.0.0.1');
    const req: FakeRequest = {
      method: incoming.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      headers: incoming.headers,
      body: parseBody(incoming.headers['content-type'], raw),
    };
    if (options.validator) {
      req.spec = options.validator.check(req);
      // Recorded unnoticed on arrival: only the fake's refusal (an error the client sees) notices them.
      for (const v of req.spec.violations) {
        const text = `${label(req)}: ${v.message}`;
        violations.push(text);
        unnoticed.push(text);
      }
    }
    requests.push(req);
    const fault = faults.take(req);
    if (fault) req.fault = fault;

    if (fault && !fault.afterHandling) {
      applyFault(fault, incoming, outgoing);
      return;
    }
    let response: FakeResponse;
    try {
      response = await handle(req);
    } catch (error) {
      response = { status: 500, text: `fake server bug: ${String(error)}` };
    }
    if (fault) applyFault(fault, incoming, outgoing);
    else send(outgoing, response);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    baseUrl: `http://127.0.0.1:${port}`,
    requests,
    faults,
    violations,
    violate,
    refusal,
    fault,
    async close() {
      await new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      });
      const left = violations.filter((v) => unnoticed.includes(v));
      if (left.length > 0) {
        throw new Error(
          `${options.name ?? 'fake server'}: ${left.length} request(s) broke the network's spec and no answer said so (assert on violations and empty it when a test sends them on purpose):\n  ${left.join('\n  ')}`,
        );
      }
    },
  };
}

function applyFault(fault: Fault, incoming: IncomingMessage, outgoing: ServerResponse): void {
  if (fault.kind === 'respond') send(outgoing, fault.response);
  else if (fault.kind === 'reset') incoming.socket.destroy();
  // 'hang': answer nothing; close() destroys the socket.
}

function send(outgoing: ServerResponse, response: FakeResponse): void {
  if (outgoing.destroyed) return;
  const headers: Record<string, string> = { ...response.headers };
  let payload = '';
  if (response.json !== undefined) {
    payload = JSON.stringify(response.json);
    headers['content-type'] ??= 'application/json';
  } else if (response.text !== undefined) {
    payload = response.text;
    headers['content-type'] ??= 'text/plain; charset=utf-8';
  }
  outgoing.writeHead(response.status, headers);
  outgoing.end(payload);
}

function readBody(incoming: IncomingMessage): Promise<Buffer | 'too-large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    incoming.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        incoming.removeAllListeners('data');
        incoming.resume();
        resolve('too-large');
        return;
      }
      chunks.push(chunk);
    });
    incoming.on('end', () => resolve(Buffer.concat(chunks)));
    incoming.on('error', reject);
  });
}

/** Parses a request body by its Content-Type; never throws (a bad body is `type: 'malformed'`). */
export function parseBody(contentType: string | undefined, raw: Buffer): ParsedBody {
  const body: ParsedBody = { type: 'none', json: undefined, fields: [], files: [], raw };
  if (raw.length === 0) return body;
  const mime = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  try {
    if (mime === 'application/json') {
      body.type = 'json';
      body.json = JSON.parse(raw.toString('utf8'));
    } else if (mime === 'application/x-www-form-urlencoded') {
      body.type = 'urlencoded';
      body.fields = [...new URLSearchParams(raw.toString('utf8'))];
    } else if (mime === 'multipart/form-data') {
      body.type = 'multipart';
      const boundary = headerParams(contentType ?? '').get('boundary');
      if (!boundary) throw new Error('multipart body without a boundary');
      parseMultipart(raw, boundary, body);
    } else {
      body.type = 'other';
    }
  } catch (error) {
    body.type = 'malformed';
    body.error = error instanceof Error ? error.message : String(error);
  }
  return body;
}

/** The first text field with this name (urlencoded or multipart). */
export function fieldOf(body: ParsedBody, name: string): string | undefined {
  return body.fields.find(([n]) => n === name)?.[1];
}

/** The first uploaded file in the part with this name. */
export function fileOf(body: ParsedBody, name: string): UploadedFile | undefined {
  return body.files.find(([n]) => n === name)?.[1];
}

/** `form-data; name="photo"; filename="a.jpg"` → name, filename (quoted or bare values). */
function headerParams(value: string): Map<string, string> {
  const params = new Map<string, string>();
  const pattern = /;\s*([^=;\s]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;]*))/g;
  for (const m of value.matchAll(pattern)) {
    const quoted = m[2]?.replace(/\\(.)/g, '$1');
    params.set(m[1]!.toLowerCase(), quoted ?? m[3]!.trim());
  }
  return params;
}

/** RFC 7578 multipart/form-data, whole body in memory (fine for test uploads). */
function parseMultipart(raw: Buffer, boundary: string, body: ParsedBody): void {
  const delimiter = Buffer.from(`--${boundary}`);
  const nextDelimiter = Buffer.from(`\r\n--${boundary}`);
  let pos = raw.indexOf(delimiter);
  if (pos < 0) throw new Error('multipart body has no boundary line');
  pos += delimiter.length;
  for (;;) {
    if (raw.subarray(pos, pos + 2).toString('latin1') === '--') return;
    if (raw.subarray(pos, pos + 2).toString('latin1') !== '\r\n') throw new Error('multipart boundary not followed by CRLF');
    pos += 2;
    const headerEnd = raw.indexOf('\r\n\r\n', pos);
    if (headerEnd < 0) throw new Error('multipart part without a header end');
    const headers = new Map<string, string>();
    for (const line of raw.subarray(pos, headerEnd).toString('utf8').split('\r\n')) {
      const colon = line.indexOf(':');
      if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
    }
    const contentStart = headerEnd + 4;
    const contentEnd = raw.indexOf(nextDelimiter, contentStart);
    if (contentEnd < 0) throw new Error('multipart body is not terminated');
    const disposition = headers.get('content-disposition');
    if (!disposition?.toLowerCase().startsWith('form-data')) throw new Error('multipart part without form-data disposition');
    const params = headerParams(disposition);
    const name = params.get('name');
    if (name === undefined) throw new Error('multipart part without a name');
    const content = raw.subarray(contentStart, contentEnd);
    const fileName = params.get('filename');
    if (fileName === undefined) {
      body.fields.push([name, content.toString('utf8')]);
    } else {
      body.files.push([name, { fileName, contentType: headers.get('content-type'), bytes: Buffer.from(content) }]);
    }
    pos = contentEnd + nextDelimiter.length;
  }
}
