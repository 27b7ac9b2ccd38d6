import { ConnectorError } from '../../../core/connector';
import { deliveryOfTransport, offlineSignOf, transportCodes, transportText } from '../../../core/outcome';

/**
 * A call that got no HTTP answer, as a failure kind: DNS and route failures (ENOTFOUND,
 * EAI_AGAIN, ENETUNREACH…, Chromium's net::ERR_INTERNET_DISCONNECTED…) are offline; a refused or
 * reset connection, a timeout and a cancelled call are transient. Whether the request may have
 * arrived is core/outcome's rule, judged on the original error.
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
  const codes = transportCodes(error);
  const code = codes.find((c) => /^E[A-Z_]+$/.test(c)) ?? codes[0];
  const details = { cause: redactedCause(error, code, how.redact), delivery: deliveryOfTransport(error) };
  if (how.cancelled) return new ConnectorError('transient', `The call to ${how.name} was cancelled before it answered.`, details);
  if (how.timedOut) return new ConnectorError('transient', `${how.name} did not answer within ${Math.round(how.timeoutMs / 1000)} s.`, details);
  const offline = offlineSignOf(error);
  if (offline) return new ConnectorError('offline', `${how.name} cannot be reached (${offline}); the computer seems to be offline.`, details);
  return new ConnectorError('transient', `The connection to ${how.name} failed${code ? ` (${code})` : ''}.`, details);
}

/** The error chain flattened into one message, scrubbed, keeping its first code: what the log may keep of it. */
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
