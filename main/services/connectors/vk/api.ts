import { createHash } from 'node:crypto';
import { ConnectorError, type ConnectorChallenge, type ConnectorContext, type FailureKind } from '../../../core/connector';
import { deliveryOfStatus } from '../../../core/outcome';
import { answerFailure, DEFAULT_CALL_TIMEOUT_MS, type HttpAnswer, httpCall, isObject, isSuccess, secretObject } from '../kit/http';
import { trimBaseUrl } from '../kit/urls';

/**
 * VK's method API as the VK connector and the VK sign-in share it (shared/networks/CONTRACTS.md §5):
 * the account's types, one call (`POST /method/<name>`, form body, `v=5.199`) over the connector
 * kit with the token scrubbed from failures, and VK's error bodies (HTTP 200 with
 * `{error:{error_code,error_msg}}`, schema base/objects.json#/definitions/base_error) as failure kinds.
 */

export const VK_API_BASE_URL = 'https://api.vk.com';
/** VK ID's OAuth 2.1 server (id.vk.com/oauth2/auth for code and refresh exchanges). */
export const VK_ID_BASE_URL = 'https://id.vk.com';
/** The API version the copied schema describes (tests/fakes/specs/vk-api-schema, 5.199). */
export const VK_API_VERSION = '5.199';

/** How the user's own VK app signed in: VK ID (1 h access token + refresh) or the standalone implicit flow. */
export type VkCredentials =
  | { flow: 'vkid'; appId: string; accessToken: string; refreshToken: string; deviceId: string; expiresAt: number; userId: number }
  /** expiresAt null: scope `offline` gives a token that does not expire (expires_in=0). */
  | { flow: 'implicit'; appId: string; accessToken: string; expiresAt: number | null; userId: number };

/** Non-secret account settings, kept in SQLite: the community the account publishes to. */
export interface VkConfig {
  groupId: number;
  screenName: string;
  name: string;
  /** Account defaults for the VK-only options (the composer may later set them per post). */
  signed?: boolean;
  closeComments?: boolean;
}

export type VkContext = ConnectorContext<VkCredentials, VkConfig>;

/** Where VK ID lives for an API base: the real one, or the same loopback fake in tests. */
export function vkIdBaseUrl(apiBaseUrl: string): string {
  return trimBaseUrl(apiBaseUrl) === VK_API_BASE_URL ? VK_ID_BASE_URL : trimBaseUrl(apiBaseUrl);
}

/** The wall.post `guid` for a job: the same on every attempt, so VK keeps one post however often it is sent. */
export function vkGuid(idempotencyKey: string, purpose: 'post' | 'comment' = 'post'): string {
  return createHash('sha256').update(`${purpose}:${idempotencyKey}`).digest('hex').slice(0, 32);
}

export function readVkSecret(secret: string): VkCredentials {
  const value = secretObject(secret);
  if (isObject(value) && typeof value.accessToken === 'string' && typeof value.appId === 'string' && typeof value.userId === 'number') {
    if (value.flow === 'vkid' && typeof value.refreshToken === 'string' && typeof value.deviceId === 'string' && typeof value.expiresAt === 'number') {
      return value as unknown as VkCredentials;
    }
    if (value.flow === 'implicit' && (value.expiresAt === null || typeof value.expiresAt === 'number')) return value as unknown as VkCredentials;
  }
  throw new ConnectorError('auth', 'The saved VK sign-in is unreadable; connect the community again.');
}

// ---------------------------------------------------------------------------------------------
// Calls and error bodies

export interface VkHttp {
  baseUrl: string;
  fetch: typeof fetch;
  now(): number;
  signal?: AbortSignal | undefined;
  token: string;
  /** The user's answer to VK's captcha: sent with the next call of the refused method, then dropped. */
  captcha?: VkCaptchaAnswer | undefined;
}

/** VK's retry after error 14: the same call with captcha_sid and captcha_key (dev.vk.com/ru/api/captcha-error). */
export interface VkCaptchaAnswer {
  sid: string;
  key: string;
  /** The method VK refused; undefined sends the answer with the next call of any method. */
  method: string | undefined;
}

/** VK's error object (schema base_error); captcha_* only with code 14. */
export interface VkErrorBody {
  error_code: number;
  error_msg?: string;
  /** A string in VK's examples; taken as a number too. */
  captcha_sid?: string | number;
  captcha_img?: string;
}

/** A failure with VK's error code attached, so a caller can tell 14 (captcha) or 214 apart; a captcha rides as the error's `challenge`. */
export class VkApiError extends ConnectorError {
  readonly code: number;

  constructor(failure: ConnectorError, code: number, challenge?: ConnectorChallenge) {
    super(failure.kind, failure.networkMessage, {
      ...(failure.status !== undefined ? { status: failure.status } : {}),
      ...(failure.retryAfterMs !== undefined ? { retryAfterMs: failure.retryAfterMs } : {}),
      ...(failure.networkSaid !== undefined ? { networkSaid: failure.networkSaid } : {}),
      ...(failure.delivery !== undefined ? { delivery: failure.delivery } : {}),
      ...(challenge !== undefined ? { challenge } : {}),
    });
    this.name = 'VkApiError';
    this.code = code;
  }
}

/** Values on the wire: booleans 1/0, arrays comma-separated (the schema's README). */
export type VkParams = Record<string, string | number | boolean | readonly string[] | undefined>;

export function wireParams(params: VkParams): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(params)) {
    if (value === undefined) continue;
    out[name] = typeof value === 'boolean' ? (value ? '1' : '0') : Array.isArray(value) ? value.join(',') : String(value);
  }
  return out;
}

/** One method call; the token goes in the form body (never the URL), and is scrubbed from any failure. */
export async function vkCall<T>(http: VkHttp, method: string, params: VkParams, timeoutMs = DEFAULT_CALL_TIMEOUT_MS): Promise<T> {
  const captcha = http.captcha !== undefined && (http.captcha.method === undefined || http.captcha.method === method) ? http.captcha : undefined;
  // An answer is good for one call: a second captcha must come back to the user, never be answered again.
  if (captcha) http.captcha = undefined;
  const answer = await httpCall(
    { baseUrl: http.baseUrl, fetch: http.fetch, name: 'VK', timeoutMs, signal: http.signal, secrets: { 'access-token': http.token } },
    // POST form: VK advises POST for bodies over a few KB (dev.vk.com/api/api-requests).
    {
      path: `/method/${method}`,
      form: { ...wireParams(params), ...(captcha ? { captcha_sid: captcha.sid, captcha_key: captcha.key } : {}), access_token: http.token, v: VK_API_VERSION },
    },
  );
  const json = answer.json;
  if (isObject(json) && isObject(json.error) && typeof json.error.error_code === 'number') {
    throw vkFailure(answer, json.error as unknown as VkErrorBody, http.now(), method);
  }
  if (isSuccess(answer.status) && isObject(json) && 'response' in json) return json.response as T;
  if (answer.status >= 500) throw new ConnectorError('transient', `VK answered HTTP ${answer.status}.`, { status: answer.status, delivery: 'maybe_sent' });
  // A 2xx we cannot read may hide a done deed; a 4xx page was a refusal.
  throw new ConnectorError(isSuccess(answer.status) ? 'transient' : 'permanent', `VK answered HTTP ${answer.status} without an API reply.`, {
    status: answer.status,
    delivery: isSuccess(answer.status) ? 'maybe_sent' : deliveryOfStatus(answer.status),
  });
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;

/**
 * When VK's daily method quota (error 29) opens again. VK does not say in the error; its limits
 * page counts per day, so we wait until the next midnight in Moscow (UTC+3, no DST), where VK's
 * day turns (dev.vk.com/ru/reference/roadmap, "Ограничения и рекомендации" — ⚠ not stated as exact).
 */
export function vkQuotaResetAt(now: number): number {
  const moscow = 3 * 60 * MINUTE;
  const day = 24 * 60 * MINUTE;
  return Math.floor((now + moscow) / day) * day + day - moscow;
}

/**
 * VK's error codes (tests/fakes/specs/vk-api-schema/errors.json, dev.vk.com/ru/reference/errors):
 * 5 token invalid → auth (reconnect); 27 group token used / 15 access denied → auth (the account
 * needs the user); 6 too many per second, 9 flood control, 29 daily quota → rate_limited; 14 captcha
 * → a refusal carrying the captcha as its `challenge` (sid, image, the refused method): the job waits
 * for the user's answer and is never sent again on its own; 100, 214, 219–224 → validation with VK's
 * words; 1, 10 (unknown / internal server error) → transient, may have run.
 */
export function vkFailure(answer: HttpAnswer, body: VkErrorBody, now: number, method?: string): VkApiError {
  const code = body.error_code;
  const said = typeof body.error_msg === 'string' && body.error_msg !== '' ? body.error_msg : undefined;
  const fail = (kind: FailureKind, ours: string | undefined, extra: { retryAfterMs?: number; maybe?: boolean } = {}) =>
    new VkApiError(
      answerFailure(kind, answer, now, { said, ours }, {
        status: answer.status,
        // An error body is VK's refusal: the method did not run (except 1/10, where VK cannot say).
        delivery: extra.maybe ? 'maybe_sent' : 'not_sent',
        retryAfterMs: extra.retryAfterMs,
      }),
      code,
      code === 14 ? captchaOf(body, method) : undefined,
    );
  switch (code) {
    case 5:
      return fail('auth', 'VK no longer accepts this sign-in; reconnect the community.');
    case 27:
      return fail('auth', 'VK refused a community key here; reconnect with your own VK account.');
    case 15:
      return fail('auth', 'VK denied access; check that you are still an editor of the community, then reconnect.');
    case 6:
      return fail('rate_limited', undefined, { retryAfterMs: 1 * SECOND });
    case 9:
      // Flood control names no wait; identical actions are blocked for a while.
      return fail('rate_limited', undefined, { retryAfterMs: 10 * MINUTE });
    case 29:
      return fail('rate_limited', 'VK’s daily limit for this action is used up; Outpost tries again when it resets.', { retryAfterMs: vkQuotaResetAt(now) - now });
    case 14:
      // VK refused the call until a person answers (dev.vk.com/ru/api/captcha-error); without a picture there is nothing to answer here.
      return captchaOf(body, method)
        ? fail('validation', 'VK wants to make sure a person is posting: type the characters in the picture.')
        : fail('validation', 'VK wants to make sure a person is posting, with a check Outpost cannot show; post something on VK in the browser, then publish again.');
    case 100:
    case 214:
    case 219:
    case 220:
    case 221:
    case 222:
    case 223:
    case 224:
      return fail('validation', undefined);
    case 1:
    case 10:
      return fail('transient', undefined, { maybe: true });
    default:
      return fail('permanent', undefined);
  }
}

/** VK's classic captcha (captcha_sid + captcha_img); the newer VK ID Captcha (redirect_uri) cannot be answered here. */
function captchaOf(body: VkErrorBody, method: string | undefined): ConnectorChallenge | undefined {
  const sid = typeof body.captcha_sid === 'number' ? String(body.captcha_sid) : body.captcha_sid;
  if (typeof sid !== 'string' || sid === '' || typeof body.captcha_img !== 'string' || body.captcha_img === '') return undefined;
  return { kind: 'captcha', id: sid, imageUrl: body.captcha_img, ...(method ? { call: method } : {}) };
}
