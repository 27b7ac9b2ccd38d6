import { ConnectorError, type FailureKind, type MediaItem } from '../../../core/connector';
import { deliveryOfStatus, type Delivery } from '../../../core/outcome';
import { retryAfterMs } from './retry-after';
import { noAnswerFailure, redactor } from './transport';
import { trimBaseUrl } from './urls';

/**
 * The one HTTP layer under every connector. A call either comes back with the network's answer,
 * whatever its status (each connector reads its own error shapes), or throws the kit's
 * ConnectorError for no answer at all (transport.ts). Bodies: JSON, form, multipart or raw bytes.
 * Tests point a network at a loopback fake through the base URL (registry.ts checks it).
 */

/** Default per call without uploads, and per upload: every connector's unless its options say otherwise. */
export const DEFAULT_CALL_TIMEOUT_MS = 30_000;
export const DEFAULT_UPLOAD_TIMEOUT_MS = 120_000;

export interface HttpTarget {
  /** Where paths are appended (trailing slashes are trimmed): the network's API, the user's server, or a loopback fake. */
  baseUrl: string;
  fetch: typeof fetch;
  /** Names the other side in Outpost's messages: "Telegram", or the server's host. */
  name: string;
  /** Per call, unless the call says otherwise (uploads). */
  timeoutMs: number;
  /** The caller's cancel; a cancelled call fails as transient. */
  signal?: AbortSignal | undefined;
  /** Secrets that may show up in a URL or an error (`{ 'bot-token': token }`): scrubbed from every failure as `<bot-token>`. */
  secrets?: Readonly<Record<string, string>>;
  /** Default 'follow'. */
  redirect?: RequestInit['redirect'];
}

export interface HttpCall {
  /** Default: POST with a body, GET without. */
  method?: string;
  /** Appended to the base URL as is (it may carry its own ?query). */
  path: string;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  /** Sent as `authorization: Bearer …`. */
  bearer?: string | undefined;
  json?: unknown;
  form?: Record<string, string>;
  multipart?: FormData;
  bytes?: { data: Uint8Array; type: string };
  timeoutMs?: number;
  /** Bytes handed to the connection so far, of all; with it the body is streamed (only for uploads worth watching). */
  onUploadProgress?: (sent: number, total: number) => void;
}

export interface HttpAnswer {
  status: number;
  headers: Headers;
  text: string;
  /** The body read as JSON; undefined when empty or not JSON (a proxy's HTML page). */
  json: unknown;
}

export async function httpCall(target: HttpTarget, call: HttpCall): Promise<HttpAnswer> {
  const url = new URL(`${trimBaseUrl(target.baseUrl)}${call.path}`);
  for (const [key, value] of Object.entries(call.query ?? {})) url.searchParams.set(key, value);
  const headers: Record<string, string> = { accept: 'application/json', ...call.headers };
  if (call.bearer) headers['authorization'] = `Bearer ${call.bearer}`;
  let body = bodyOf(call, headers);
  const timeoutMs = call.timeoutMs ?? target.timeoutMs;
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = target.signal ? AbortSignal.any([target.signal, timeout]) : timeout;
  const redact = redactor(target.secrets ?? {});
  try {
    const streaming = body !== undefined && call.onUploadProgress ? await progressBody(body, headers, call.onUploadProgress) : undefined;
    if (streaming) body = streaming;
    const init: RequestInit & { duplex?: 'half' } = {
      method: call.method ?? (body !== undefined ? 'POST' : 'GET'),
      headers,
      signal,
      redirect: target.redirect ?? 'follow',
      ...(body !== undefined ? { body } : {}),
      // Node's fetch sends a stream body only when told it is half duplex.
      ...(streaming ? { duplex: 'half' as const } : {}),
    };
    const response = await target.fetch(url.toString(), init);
    const text = await response.text();
    return { status: response.status, headers: response.headers, text, json: jsonOf(text) };
  } catch (error) {
    throw noAnswerFailure(error, { name: target.name, timedOut: timeout.aborted, cancelled: target.signal?.aborted === true, timeoutMs, redact });
  }
}

type Body = NonNullable<RequestInit['body']>;

function bodyOf(call: HttpCall, headers: Record<string, string>): Body | undefined {
  if (call.json !== undefined) {
    headers['content-type'] = 'application/json';
    return JSON.stringify(call.json);
  }
  if (call.form) return new URLSearchParams(call.form);
  if (call.multipart) return call.multipart;
  if (call.bytes) {
    headers['content-type'] = call.bytes.type;
    return new Blob([asBlobPart(call.bytes.data)], { type: call.bytes.type });
  }
  return undefined;
}

const PROGRESS_CHUNK = 64 * 1024;

/** The body as a stream that reports what was read from it, with the length and type fetch would have sent. */
async function progressBody(body: Body, headers: Record<string, string>, onProgress: (sent: number, total: number) => void): Promise<ReadableStream<Uint8Array>> {
  // A Request serializes any body (a multipart boundary included) exactly as fetch would.
  const encoded = new Request('http://localhost/', { method: 'POST', body });
  const bytes = new Uint8Array(await encoded.arrayBuffer());
  const type = encoded.headers.get('content-type');
  if (type && headers['content-type'] === undefined) headers['content-type'] = type;
  headers['content-length'] = String(bytes.byteLength);
  let sent = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent >= bytes.byteLength) {
        controller.close();
        return;
      }
      const chunk = bytes.subarray(sent, sent + PROGRESS_CHUNK);
      sent += chunk.byteLength;
      controller.enqueue(chunk);
      onProgress(sent, bytes.byteLength);
    },
  });
}

/** A media file as a multipart part's content. */
export function mediaBlob(item: MediaItem): Blob {
  return new Blob([asBlobPart(item.bytes)], { type: item.mime });
}

/** Media bytes are never in a SharedArrayBuffer; the DOM lib's Blob wants that said (no copy of a large video). */
function asBlobPart(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return bytes as Uint8Array<ArrayBuffer>;
}

function jsonOf(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A keychain secret's JSON object, or undefined when it is not one (each connector then checks its fields). */
export function secretObject(secret: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(secret);
    return isObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

export function isSuccess(status: number): boolean {
  return status >= 200 && status < 300;
}

export interface AnswerWords {
  /** The network's own words from the answer ("Bad Request: chat not found"), verbatim. */
  said?: string | undefined;
  /** Outpost's explanation or advice: after the network's words, or alone when it said nothing usable. */
  ours?: string | undefined;
}

/**
 * A network's refusal or failure as a ConnectorError: its status, what the status proves
 * (core/outcome), the wait it asks for (retry-after.ts, for rate_limited and transient), and
 * the network's words kept apart from Outpost's.
 */
export function answerFailure(
  kind: FailureKind,
  answer: Pick<HttpAnswer, 'status' | 'headers'>,
  now: number,
  words: AnswerWords,
  overrides: { status?: number; delivery?: Delivery; retryAfterMs?: number | undefined } = {},
): ConnectorError {
  const waits = kind === 'rate_limited' || kind === 'transient';
  const retryAfter = overrides.retryAfterMs ?? (waits ? retryAfterMs(answer.headers, now) : undefined);
  return new ConnectorError(kind, wordsText(words, `The server answered HTTP ${answer.status}.`), {
    status: overrides.status ?? answer.status,
    delivery: overrides.delivery ?? deliveryOfStatus(answer.status),
    ...(retryAfter !== undefined ? { retryAfterMs: retryAfter } : {}),
    ...(words.said ? { networkSaid: words.said } : {}),
  });
}

/** The network's words, then ours after a colon; ours alone; or the fallback. */
export function wordsText(words: AnswerWords, fallback: string): string {
  if (words.said && words.ours) return `${words.said}: ${words.ours}`;
  return words.said || words.ours || fallback;
}
