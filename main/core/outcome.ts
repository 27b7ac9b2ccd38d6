/**
 * Exactly once: the one rule for what a failed call to a network proves. Every connector's
 * failures are read through it, and the scheduler never sends a publish again on its own when
 * the first request may have been acted on.
 *
 * | what came back                                   | failure kind (connector) | sent?  | the scheduler then                     |
 * |--------------------------------------------------|--------------------------|--------|----------------------------------------|
 * | refused before sending (our own checks)          | validation               | no     | fails with the reason                  |
 * | DNS failure, no route, network down (offline)    | offline                  | no     | waits for the network, no attempt spent|
 * | connection refused, connect timeout              | transient                | no     | retries with backoff                   |
 * | 429 Too Many Requests                            | rate_limited             | no     | retries after what the network said    |
 * | 401 / 403                                        | auth                     | no     | holds the account's jobs: reconnect    |
 * | a challenge for a person (VK captcha, error 14)  | validation + challenge   | no     | waits for the user's answer; one retry |
 * | 408 Request Timeout (the server read no request) | transient / permanent    | no     | retries (Mastodon) or fails            |
 * | any other 4xx (the request was refused)          | validation / permanent   | no     | fails with the network's reason        |
 * | 5xx (500, 502 HTML page, 503, 504, …)            | transient                | MAYBE  | verifies with the network, else parks  |
 * | connection reset, socket closed, hang / timeout  | transient                | MAYBE  | verifies with the network, else parks  |
 * | 2xx whose body cannot be read                    | permanent / transient    | MAYBE  | verifies with the network, else parks  |
 * | network changed mid-request (net::ERR_NETWORK_…) | offline                  | MAYBE  | verifies with the network, else parks  |
 * | a step before the post's own request failed      | any                      | no     | by its kind (media upload, sign-in…)   |
 * | anything unexpected (a bug, an unknown throw)    | —                        | MAYBE  | verifies with the network, else parks  |
 *
 * The connector kit (services/connectors/kit) sets `ConnectorError.delivery` for every call:
 * deliveryOfStatus for an HTTP answer, deliveryOfTransport for no answer (and offlineSignOf
 * picks offline over transient); connectors add `beforeSending` for the steps ahead of the
 * post's request and say `maybe_sent` for a 2xx they cannot read. `deliveryOf` falls back to
 * the same rule for an error that does not say.
 *
 * A native handoff (Mastodon `scheduled_at`, VK `publish_date`) that may have arrived is sent again
 * with the same Idempotency-Key (VK: guid), which the server answers with the schedule it already made; a delete may
 * simply retry, since deleting twice is harmless.
 *
 * "Verifies" means the connector's `verify` (Bluesky: the record key derived from the job's
 * idempotency key; Mastodon: the Idempotency-Key and the account's recent statuses); a network
 * that cannot be asked (a Telegram bot cannot read its channel) parks the post as "needs
 * attention" with "I checked: it is published" and "Not there: send it again".
 */

/** Whether the request of a failed call may have been acted on by the network. */
export type Delivery = 'not_sent' | 'maybe_sent';

/** An HTTP answer: 5xx and an unreadable 2xx may hide a done deed; 4xx (429 and 408 included) refused it. */
export function deliveryOfStatus(status: number): Delivery {
  if (status >= 400 && status < 500) return 'not_sent';
  return 'maybe_sent';
}

/** System and client codes of failures that happen before a request can reach the server. */
const NOT_SENT_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETUNREACH',
  'ENETDOWN',
  'EHOSTUNREACH',
  'EADDRNOTAVAIL',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/** Electron's net.fetch names Chromium's errors in the message instead of a code (NETWORK_CHANGED is left out: it can strike mid-request). */
const NOT_SENT_CHROMIUM =
  /net::ERR_(?:INTERNET_DISCONNECTED|NAME_NOT_RESOLVED|NAME_RESOLUTION_FAILED|ADDRESS_UNREACHABLE|CONNECTION_REFUSED|ADDRESS_INVALID)\b/;

/** A transport failure (no HTTP answer): only a failed connect proves nothing left; a reset or timeout may hide a done deed. */
export function deliveryOfTransport(error: unknown): Delivery {
  if (transportCodes(error).some((code) => NOT_SENT_CODES.has(code))) return 'not_sent';
  if (NOT_SENT_CHROMIUM.test(transportText(error))) return 'not_sent';
  return 'maybe_sent';
}

/** DNS and route failures: the computer is offline (a reset or a refusal is the server's side, so transient). */
const OFFLINE_CODES: ReadonlySet<string> = new Set(['ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'ENETDOWN', 'EHOSTUNREACH', 'EADDRNOTAVAIL']);
/** Chromium's offline errors, named in the message by Electron's net.fetch (NETWORK_CHANGED too: the route went away). */
const OFFLINE_CHROMIUM = /net::ERR_(?:INTERNET_DISCONNECTED|NAME_NOT_RESOLVED|NAME_RESOLUTION_FAILED|ADDRESS_UNREACHABLE|NETWORK_CHANGED)/;

/** The code (ENOTFOUND, net::ERR_INTERNET_DISCONNECTED…) that shows a call got no answer because the computer is offline. */
export function offlineSignOf(error: unknown): string | undefined {
  return transportCodes(error).find((code) => OFFLINE_CODES.has(code)) ?? OFFLINE_CHROMIUM.exec(transportText(error))?.[0];
}

/** Every string `code` along an error's chain: its own, an AggregateError's `errors` (happy eyeballs), then `cause` (undici nests the system error). */
export function transportCodes(error: unknown, depth = 0): string[] {
  if (typeof error !== 'object' || error === null || depth > 6) return [];
  const own = (error as { code?: unknown }).code;
  const codes = typeof own === 'string' ? [own] : [];
  for (const inner of (error as { errors?: unknown[] }).errors ?? []) codes.push(...transportCodes(inner, depth + 1));
  codes.push(...transportCodes((error as { cause?: unknown }).cause, depth + 1));
  return codes;
}

/** The messages along an error's cause chain, outermost first ("fetch failed ← connect ECONNREFUSED …"). */
export function transportText(error: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = error, depth = 0; typeof e === 'object' && e !== null && depth <= 6; e = (e as { cause?: unknown }).cause, depth += 1) {
    const message = (e as { message?: unknown }).message;
    if (typeof message === 'string' && message !== '') parts.push(message);
  }
  return parts.join(' ← ');
}

/** The failure kinds a connector uses (mirrors core/connector's FailureKind, kept here to stay import-free). */
type Kind = 'auth' | 'rate_limited' | 'validation' | 'transient' | 'offline' | 'permanent';

/** What a failed call proves, from the connector's reading of it (kind, HTTP status) and its cause. */
export function deliveryOf(failure: { kind: Kind; status?: number | undefined; delivery?: Delivery | undefined; cause?: unknown }): Delivery {
  if (failure.delivery) return failure.delivery;
  if (failure.status !== undefined) return deliveryOfStatus(failure.status);
  // Without an HTTP answer these kinds are only ever decided before or instead of sending.
  if (failure.kind === 'offline' || failure.kind === 'validation' || failure.kind === 'auth' || failure.kind === 'rate_limited') return 'not_sent';
  return deliveryOfTransport(failure.cause);
}
