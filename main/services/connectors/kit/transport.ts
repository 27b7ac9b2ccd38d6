import { ConnectorError } from '../../../core/connector';
import { deliveryOfTransport, offlineSignOf, transportCodes, transportText } from '../../../core/outcome';

/**
 * A call that got no HTTP answer, as a failure kind: DNS and route failures (ENOTFOUND,
 * EAI_AGAIN, ENETUNREACH…, Chromium's net::ERR_INTERNET_DISCONNECTED…) are offline; a refused or
 * reset connection, a timeout and a cancelled call are transient. Whether the request may have
 * arrived is core/outcome's rule, judged on the original error. The one place these failures
 * get words ("Outpost could not reach mastodon.social: the connection was refused."); the raw
 * code rides in the cause, for the log and the UI's Details.
 */

export interface NoAnswer {
  /** Names the other side in the message: "Telegram", or the server's host. */
  name: string;
  timedOut: boolean;
  cancelled: boolean;
  timeoutMs: number;
  /** Scrubs secrets (a token in the URL path) out of any text kept from the error. */
  redact(text: string): string;
}

export function noAnswerFailure(error: unknown, how: NoAnswer): ConnectorError {
  const code = rawCodeOf(error);
  const details = { cause: redactedCause(error, code, how.redact), delivery: deliveryOfTransport(error) };
  if (how.cancelled) return new ConnectorError('transient', `The call to ${how.name} was cancelled before it answered.`, details);
  const words = how.timedOut ? `it did not answer within ${Math.round(how.timeoutMs / 1000)} s` : noAnswerWords(code);
  // The raw code stays in the cause (the log, the Details disclosure); the user reads words.
  const kind = !how.timedOut && offlineSignOf(error) ? 'offline' : 'transient';
  return new ConnectorError(kind, `Outpost could not reach ${how.name}: ${words}.`, details);
}

/** What each system or Chromium code means, said after "Outpost could not reach <host>: ". */
const WORDS: readonly (readonly [RegExp, string])[] = [
  [/^(?:ECONNREFUSED|net::ERR_CONNECTION_REFUSED)$/, 'the connection was refused'],
  [/^(?:ENOTFOUND|EAI_AGAIN|EAI_NONAME|EAI_NODATA|net::ERR_NAME_NOT_RESOLVED|net::ERR_NAME_RESOLUTION_FAILED)$/, 'the server’s name could not be found'],
  [
    /^(?:ETIMEDOUT|UND_ERR_CONNECT_TIMEOUT|UND_ERR_HEADERS_TIMEOUT|UND_ERR_BODY_TIMEOUT|net::ERR_TIMED_OUT|net::ERR_CONNECTION_TIMED_OUT)$/,
    'it did not answer in time',
  ],
  [/^(?:ECONNRESET|ECONNABORTED|EPIPE|UND_ERR_SOCKET|UND_ERR_CLOSED|net::ERR_CONNECTION_(?:RESET|CLOSED|ABORTED)|net::ERR_EMPTY_RESPONSE)$/, 'the connection was cut'],
  [/CERT|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER|^net::ERR_CERT_/, 'its security certificate was not accepted'],
  [/^(?:ERR_SSL_|EPROTO$|net::ERR_SSL_)/, 'the secure connection could not be set up'],
  [/^(?:ENETUNREACH|ENETDOWN|EADDRNOTAVAIL|net::ERR_INTERNET_DISCONNECTED)$/, 'this computer seems to be offline'],
  [/^(?:EHOSTUNREACH|EHOSTDOWN|net::ERR_ADDRESS_UNREACHABLE)$/, 'no route leads to it from this network'],
  [/^net::ERR_NETWORK_CHANGED$/, 'the network changed while the call was under way'],
];

/** A raw code in words; a code without words (or none) is "the connection failed", the code itself kept for Details. */
export function noAnswerWords(code: string | undefined): string {
  return (code !== undefined && WORDS.find(([pattern]) => pattern.test(code))?.[1]) || 'the connection failed';
}

/** The one code that names a no-answer failure: the first with words, else a system code, else any; Chromium's sits in the message. */
export function rawCodeOf(error: unknown): string | undefined {
  const codes = [...transportCodes(error), ...(transportText(error).match(/net::ERR_[A-Z_]+/g) ?? [])];
  return codes.find((c) => WORDS.some(([pattern]) => pattern.test(c))) ?? codes.find((c) => /^E[A-Z_]+$/.test(c)) ?? codes[0];
}

/** The error chain flattened into one message, scrubbed, keeping its code: what the log and the Details disclosure may show. */
function redactedCause(error: unknown, code: string | undefined, redact: (text: string) => string): Error {
  const cause = new Error(redact(transportText(error) || String(error)));
  return code ? Object.assign(cause, { code }) : cause;
}

/** A scrubber that puts `<name>` where a secret stood, raw or URL-encoded (`{ 'bot-token': token }`). */
export function redactor(secrets: Readonly<Record<string, string>>): (text: string) => string {
  const forms = Object.entries(secrets)
    .filter(([, secret]) => secret !== '')
    .flatMap(([name, secret]) => [...new Set([secret, encodeURIComponent(secret)])].map((form) => ({ form, label: `<${name}>` })))
    .sort((a, b) => b.form.length - a.form.length);
  return (text) => forms.reduce((out, { form, label }) => out.split(form).join(label), text);
}
