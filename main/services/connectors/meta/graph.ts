import { createHmac } from 'node:crypto';
import { ConnectorError, type FailureKind } from '../../../core/connector';
import { deliveryOfStatus } from '../../../core/outcome';
import { answerFailure, DEFAULT_CALL_TIMEOUT_MS, httpCall, isObject, isSuccess, type HttpAnswer } from '../kit/http';
import { retryAfterMs } from '../kit/retry-after';
import { trimBaseUrl } from '../kit/urls';

/**
 * Meta's Graph API as Facebook Pages, Instagram and Threads (graph.threads.net, its own version) share it: one call over the
 * connector kit with the token scrubbed from failures, and Graph's error bodies mapped to failure
 * kinds by Meta's error code, never by HTTP status (shared/networks/CONTRACTS.md §6; Meta's
 * "Handling Errors", developers.facebook.com/docs/graph-api/guides/error-handling).
 */

export const GRAPH_BASE_URL = 'https://graph.facebook.com';
/** Video uploads go to their own host (developers.facebook.com/docs/video-api/guides/publishing). */
export const GRAPH_VIDEO_BASE_URL = 'https://graph-video.facebook.com';
/** Instagram's resumable video uploads go to their own host (developers.facebook.com/docs/instagram-platform/content-publishing/resumable-uploads). */
export const GRAPH_RUPLOAD_BASE_URL = 'https://rupload.facebook.com';
/** The one pinned Graph version; every path carries it (a version lives about two years at Meta). */
export const GRAPH_API_VERSION = 'v24.0';

/** Where video uploads go for an API base: Meta's video host, or the same loopback fake in tests. */
export function graphVideoBaseUrl(baseUrl: string): string {
  return trimBaseUrl(baseUrl) === GRAPH_BASE_URL ? GRAPH_VIDEO_BASE_URL : trimBaseUrl(baseUrl);
}

/** Where Instagram's resumable uploads go for an API base: Meta's rupload host, or the same loopback fake in tests. */
export function graphRuploadBaseUrl(baseUrl: string): string {
  return trimBaseUrl(baseUrl) === GRAPH_BASE_URL ? GRAPH_RUPLOAD_BASE_URL : trimBaseUrl(baseUrl);
}

export interface GraphHttp {
  baseUrl: string;
  fetch: typeof fetch;
  now(): number;
  signal?: AbortSignal | undefined;
  token: string;
  /**
   * The user's own app secret: with it every call carries appsecret_proof = HMAC-SHA256(token, secret)
   * in hex, which Meta requires when the app has "Require App Secret" on and accepts otherwise
   * (developers.facebook.com/docs/graph-api/guides/secure-requests, "Verifying Graph API Calls with appsecret_proof").
   */
  appSecret?: string | undefined;
  /** "Facebook", "Instagram": names the network in Outpost's messages. */
  name: string;
  /** The path's version segment (default GRAPH_API_VERSION; Threads: v1.0); '' for unversioned paths (Threads' token endpoints). */
  version?: string | undefined;
}

export type GraphParams = Record<string, string | number | boolean | undefined>;

export interface GraphCall {
  method?: 'GET' | 'POST' | 'DELETE';
  /** Below the version: `/123/feed`. */
  path: string;
  params?: GraphParams;
  /** A multipart body (a photo's `source`, a video chunk); params ride in it as fields. */
  files?: Array<{ name: string; blob: Blob; fileName: string }>;
  timeoutMs?: number;
  /** The video host instead of the API's. */
  video?: boolean;
  /** Send no token (the token exchanges, which carry the app's own credentials); `token` is still scrubbed. */
  bare?: boolean;
  /** More to scrub from failures (a sign-in code, a short-lived token). */
  secrets?: Readonly<Record<string, string>>;
  /** An upload's progress, for the post to show. */
  onUploadProgress?: ((sent: number, total: number) => void) | undefined;
}

export function appSecretProof(token: string, appSecret: string): string {
  return createHmac('sha256', appSecret).update(token).digest('hex');
}

function wire(params: GraphParams): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(params)) if (value !== undefined) out[name] = String(value);
  return out;
}

/**
 * One Graph call. The token rides in the form body for POST (never the URL) and in the query for
 * GET and DELETE, which have no body; either way it is scrubbed from every failure.
 */
export async function graphCall<T = Record<string, unknown>>(http: GraphHttp, call: GraphCall): Promise<T> {
  const method = call.method ?? 'POST';
  const auth: Record<string, string> = call.bare
    ? {}
    : { access_token: http.token, ...(http.appSecret ? { appsecret_proof: appSecretProof(http.token, http.appSecret) } : {}) };
  const params = { ...wire(call.params ?? {}), ...auth };
  const version = http.version ?? GRAPH_API_VERSION;
  const baseUrl = `${call.video ? graphVideoBaseUrl(http.baseUrl) : trimBaseUrl(http.baseUrl)}${version ? `/${version}` : ''}`;
  let body: { form?: Record<string, string>; multipart?: FormData; query?: Record<string, string> };
  if (method !== 'POST') body = { query: params };
  else if (call.files?.length) {
    const form = new FormData();
    for (const [name, value] of Object.entries(params)) form.set(name, value);
    for (const file of call.files) form.set(file.name, file.blob, file.fileName);
    body = { multipart: form };
  } else body = { form: params };
  const answer = await httpCall(
    { baseUrl, fetch: http.fetch, name: http.name, timeoutMs: call.timeoutMs ?? DEFAULT_CALL_TIMEOUT_MS, signal: http.signal, secrets: { ...call.secrets, 'access-token': http.token, ...(http.appSecret ? { 'app-secret': http.appSecret } : {}) } },
    { method, path: call.path, ...body, ...(call.timeoutMs !== undefined ? { timeoutMs: call.timeoutMs } : {}), ...(call.onUploadProgress ? { onUploadProgress: call.onUploadProgress } : {}) },
  );
  const json = answer.json;
  if (isObject(json) && isObject(json.error)) throw graphFailure(answer, json.error as unknown as GraphErrorBody, http.now(), http.name);
  if (isSuccess(answer.status) && isObject(json)) return json as T;
  if (answer.status >= 500 || isSuccess(answer.status)) {
    // A 5xx, or a 2xx we cannot read, may hide a done deed: never resend it blindly.
    throw new ConnectorError('transient', `${http.name} answered HTTP ${answer.status} without a Graph reply.`, { status: answer.status, delivery: 'maybe_sent' });
  }
  throw new ConnectorError('permanent', `${http.name} answered HTTP ${answer.status} without a Graph reply.`, { status: answer.status, delivery: deliveryOfStatus(answer.status) });
}

/**
 * Sends a video's bytes to an Instagram container made with upload_type=resumable: POST
 * rupload.facebook.com/ig-api-upload/<version>/<container-id> with the token as
 * `Authorization: OAuth <token>`, `offset: 0` and `file_size` headers and the file as the body; Meta
 * answers `{"success":true,"message":"Upload successful."}` (resumable-uploads guide). The
 * container's answer names the same address in `uri`; Outpost builds it from the API base so the
 * token goes to Meta's upload host only. Resuming from a later offset after a broken upload is
 * not done: the attempt fails before anything is published and the next one starts over.
 */
export async function graphRupload(http: GraphHttp, containerId: string, bytes: Uint8Array, timeoutMs: number, onUploadProgress?: (sent: number, total: number) => void): Promise<void> {
  const answer = await httpCall(
    { baseUrl: graphRuploadBaseUrl(http.baseUrl), fetch: http.fetch, name: http.name, timeoutMs, signal: http.signal, secrets: { 'access-token': http.token } },
    {
      method: 'POST',
      path: `/ig-api-upload/${http.version ?? GRAPH_API_VERSION}/${encodeURIComponent(containerId)}`,
      headers: { authorization: `OAuth ${http.token}`, offset: '0', file_size: String(bytes.byteLength) },
      bytes: { data: bytes, type: 'application/octet-stream' },
      timeoutMs,
      ...(onUploadProgress ? { onUploadProgress } : {}),
    },
  );
  const json = answer.json;
  if (isObject(json) && isObject(json.error)) throw graphFailure(answer, json.error as unknown as GraphErrorBody, http.now(), http.name);
  if (isSuccess(answer.status) && isObject(json) && json.success === true) return;
  // ⚠ The upload host's own failures read {"debug_info":{"retriable":…,"type":…,"message":…}} (seen in reports, not in Meta's guide).
  const debug = isObject(json) && isObject(json.debug_info) ? json.debug_info : undefined;
  const said = typeof debug?.message === 'string' && debug.message !== '' ? debug.message : undefined;
  const kind: FailureKind = debug?.retriable === true || answer.status >= 500 ? 'transient' : 'permanent';
  throw new ConnectorError(kind, `${said ? `${said}: ` : ''}${http.name} did not take the video upload (HTTP ${answer.status}).`, {
    status: answer.status,
    delivery: deliveryOfStatus(answer.status),
    ...(said ? { networkSaid: said } : {}),
  });
}

/** Graph's error object (error-handling guide, "Error Responses"). */
export interface GraphErrorBody {
  message?: string;
  type?: string;
  code?: number;
  error_subcode?: number;
  error_user_title?: string;
  error_user_msg?: string;
  is_transient?: boolean;
  fbtrace_id?: string;
}

/** A failure with Graph's code and subcode attached, so callers can tell 100 ("does not exist") apart. */
export class GraphApiError extends ConnectorError {
  readonly code: number | undefined;
  readonly subcode: number | undefined;

  constructor(failure: ConnectorError, code: number | undefined, subcode: number | undefined) {
    super(failure.kind, failure.networkMessage, {
      ...(failure.status !== undefined ? { status: failure.status } : {}),
      ...(failure.retryAfterMs !== undefined ? { retryAfterMs: failure.retryAfterMs } : {}),
      ...(failure.networkSaid !== undefined ? { networkSaid: failure.networkSaid } : {}),
      ...(failure.delivery !== undefined ? { delivery: failure.delivery } : {}),
    });
    this.name = 'GraphApiError';
    this.code = code;
    this.subcode = subcode;
  }
}

const MINUTE = 60_000;
/** When a rate limit comes with no usage header that says how long: ⚠ Outpost's own guess, not Meta's. */
export const GRAPH_DEFAULT_RATE_WAIT_MS = 10 * MINUTE;

/** Why Meta no longer takes the token: the error-handling guide's "Authentication Error Subcodes". */
const REASONS: Record<number, string> = {
  458: 'the Meta app was removed from the account',
  459: 'Facebook wants the user to sign in at facebook.com to clear a checkpoint first',
  460: 'the Facebook password was changed',
  463: 'the sign-in has expired',
  464: 'the Facebook account is not confirmed',
  467: 'the sign-in is no longer valid (signed out, or revoked)',
  // ⚠ Not in the guide's table; Meta answers it when the user lost their role on the Page.
  492: 'the user no longer has a role on this Page',
};

/** Rate-limit codes: 4 app, 17 user, 32 Page, 613 custom, 80001 Pages BUC, 80002 Instagram BUC, 341 app limit (rate-limiting guide). */
const RATE_CODES = new Set([4, 17, 32, 341, 613, 80001, 80002]);

/**
 * Instagram's publishing subcodes (`error_subcode` 2207xxx, under codes 9, 100, 9004, 9007…). ⚠ Meta's
 * content-publishing guide lists no table; these meanings are read in Meta's error texts and
 * third-party reports (CONTRACTS.md §7 "2207xxx publishing subcodes ⚠ verify").
 */
export const INSTAGRAM_SUBCODES = {
  /** "Instagram server error": may have run. */
  serverError: 2207001,
  /** The container was not published within 24 hours ("The media you are trying to access has expired"). */
  expired: 2207020,
  /** "The media is not ready for publishing, please wait for a moment." */
  notReady: 2207027,
  /** The account reached its API publishing limit (code 9): 100 posts a rolling 24 h. */
  publishLimit: 2207042,
  /** "Media download has failed. The media URI doesn't meet our requirements." (code 9004). */
  downloadFailed: 2207052,
} as const;

/** When Instagram's publishing limit is reached and no header says how long: ⚠ Outpost's guess (the window rolls, a slot frees when a post of 24 h ago ages out). */
export const INSTAGRAM_LIMIT_WAIT_MS = 60 * MINUTE;

/**
 * Graph error codes → failure kinds (developers.facebook.com/docs/graph-api/guides/error-handling):
 * 190/102 → auth "reconnect" with the subcode's reason; 10 and 200–299 (permission) → auth;
 * 4/17/32/341/613/80001/80002 → rate_limited, waiting as the usage headers estimate;
 * 368 (blocked for policy) → permanent; 100, 506 (duplicate), 1609005 (link), 2207xxx (Instagram
 * publishing, as code or subcode) → validation with Meta's words, except Instagram's 2207042
 * (publishing limit) → rate_limited, 2207027 (not ready) → transient, 2207001 (server error) →
 * transient that may have run; 9004 → validation, Meta could not fetch the media (the Instagram
 * connector names the relay); 1/2 (unknown / service) or `is_transient` → transient, may have run.
 * An error body is Meta's refusal: nothing was done, except for 1/2 and 2207001 where Meta cannot say.
 */
export function graphFailure(answer: HttpAnswer, body: GraphErrorBody, now: number, name = 'Meta'): GraphApiError {
  const code = typeof body.code === 'number' ? body.code : undefined;
  const subcode = typeof body.error_subcode === 'number' ? body.error_subcode : undefined;
  // error_user_msg is written for people (localized); message is for developers.
  const said = [body.error_user_title, body.error_user_msg ?? body.message].filter((s) => typeof s === 'string' && s !== '').join(': ') || undefined;
  const fail = (kind: FailureKind, ours: string | undefined, extra: { retryAfterMs?: number; maybe?: boolean } = {}) =>
    new GraphApiError(
      answerFailure(kind, answer, now, { said, ours }, { status: answer.status, delivery: extra.maybe ? 'maybe_sent' : 'not_sent', retryAfterMs: extra.retryAfterMs }),
      code,
      subcode,
    );
  if (code === 190 || code === 102) {
    const reason = subcode !== undefined ? REASONS[subcode] : undefined;
    return fail('auth', `${name} needs you to reconnect${reason ? `: ${reason}` : ''}.`);
  }
  if (code === 10 || (code !== undefined && code >= 200 && code <= 299)) {
    return fail('auth', `${name} refused a permission Outpost needs; reconnect and allow every permission asked.`);
  }
  if (code !== undefined && RATE_CODES.has(code)) {
    const wait = graphUsageWaitMs(answer.headers, now) ?? GRAPH_DEFAULT_RATE_WAIT_MS;
    return fail('rate_limited', `${name} is limiting calls for now; Outpost tries again in about ${Math.max(1, Math.round(wait / MINUTE))} min.`, { retryAfterMs: wait });
  }
  if (subcode === INSTAGRAM_SUBCODES.publishLimit) {
    const wait = graphUsageWaitMs(answer.headers, now) ?? INSTAGRAM_LIMIT_WAIT_MS;
    return fail('rate_limited', `This account has reached ${name}’s limit of posts a day through its API; Outpost tries again in about ${Math.max(1, Math.round(wait / MINUTE))} min.`, { retryAfterMs: wait });
  }
  if (subcode === INSTAGRAM_SUBCODES.notReady) return fail('transient', `${name} was not ready to publish the media yet; Outpost tries again.`);
  if (subcode === INSTAGRAM_SUBCODES.serverError) return fail('transient', undefined, { maybe: true });
  if (code === 368) return fail('permanent', `Blocked by Meta: ${name} has temporarily stopped this account from posting for a policy reason.`);
  if (code === 9004) return fail('validation', `Meta could not download the media; check that its address works from the internet.`);
  if (code === 100 || code === 506 || code === 1609005 || isPublishingCode(code) || isPublishingCode(subcode)) return fail('validation', undefined);
  if (code === 1 || code === 2 || body.is_transient === true) return fail('transient', undefined, { maybe: true });
  return fail(answer.status >= 500 ? 'transient' : 'permanent', undefined, { maybe: answer.status >= 500 });
}

function isPublishingCode(value: number | undefined): boolean {
  return value !== undefined && value >= 2207000 && value <= 2207999;
}

/**
 * How long Meta's usage headers say to wait: `estimated_time_to_regain_access` (minutes) in
 * X-Business-Use-Case-Usage (`{"<id>":[{type, call_count, total_cputime, total_time,
 * estimated_time_to_regain_access}]}`), X-Page-Usage and X-App-Usage ⚠ (the last two usually carry
 * only percentages), and the kit's Retry-After family; the longest wins
 * (developers.facebook.com/docs/graph-api/overview/rate-limiting). undefined when none says.
 */
export function graphUsageWaitMs(headers: Headers, now: number): number | undefined {
  const minutes: number[] = [];
  const collect = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(collect);
    else if (isObject(value)) {
      const eta = value.estimated_time_to_regain_access;
      if (typeof eta === 'number' && Number.isFinite(eta) && eta > 0) minutes.push(eta);
      for (const [key, inner] of Object.entries(value)) if (key !== 'estimated_time_to_regain_access') collect(inner);
    }
  };
  for (const header of ['x-business-use-case-usage', 'x-page-usage', 'x-app-usage', 'x-ad-account-usage']) {
    const text = headers.get(header);
    if (!text) continue;
    try {
      collect(JSON.parse(text));
    } catch {
      // An unreadable header says nothing.
    }
  }
  const waits = minutes.map((m) => m * MINUTE);
  const kit = retryAfterMs(headers, now);
  if (kit !== undefined) waits.push(kit);
  return waits.length > 0 ? Math.max(...waits) : undefined;
}

/** Graph's times read "2026-12-05T09:00:00+0000"; Date.parse wants the offset's colon. NaN when absent. */
export function graphTimeOf(value: string | undefined): number {
  if (!value) return Number.NaN;
  return Date.parse(value.replace(/([+-]\d\d)(\d\d)$/, '$1:$2'));
}

/** Graph's "does not exist" (code 100, subcode 33, or its words): the object was deleted or never was, not a bad parameter. */
export function isGraphGone(error: unknown): boolean {
  if (!(error instanceof GraphApiError) || error.code !== 100) return false;
  return error.subcode === 33 || /does not exist/i.test(`${error.networkSaid ?? ''} ${error.networkMessage}`);
}

/**
 * The numbers of an insights answer, by metric name: `{data:[{name, period, values:[{value}], title, id}]}`
 * as Facebook Page posts, Instagram media and Threads posts all answer it (the newest value wins);
 * a metric Meta left out, or whose value is not a count, is absent.
 */
export function insightNumbers(answer: unknown): Record<string, number> {
  const out: Record<string, number> = {};
  const data = isObject(answer) && Array.isArray(answer.data) ? answer.data : [];
  for (const item of data) {
    if (!isObject(item) || typeof item.name !== 'string' || !Array.isArray(item.values)) continue;
    const last: unknown = item.values.at(-1);
    const value = isObject(last) ? last.value : undefined;
    if (typeof value === 'number') out[item.name] = value;
  }
  return out;
}
