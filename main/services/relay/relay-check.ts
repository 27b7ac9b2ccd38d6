import type { RelayTestResult } from '../../core/contract/relay';
import { ConnectorError } from '../../core/connector';
import type { MediaRelay } from '../../core/media-relay';
import { hostOf } from '../connectors/kit/urls';
import { RelayFailure } from './relay-failure';

/**
 * The Settings "Test": what a network does with the relay, on a tiny file. Put it, fetch it back
 * from its address as Instagram or Threads would, remove it, and (where the address is the file's
 * own, as a bucket's is) check it is gone. Every outcome is a result in plain words, never a throw.
 */

/** A 1×1 PNG: the smallest image both networks' relays accept. */
const PIXEL = Uint8Array.from(
  Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64'),
);
const FETCH_TIMEOUT_MS = 30_000;

export async function checkRelay(
  relay: MediaRelay,
  options: { fetch: typeof fetch; now(): number; expectGoneAfterRemove: boolean },
): Promise<RelayTestResult> {
  const started = options.now();
  const done = (ok: boolean, problem: RelayTestResult['problem'], message: string | null, host: string | null): RelayTestResult => ({
    ok,
    problem,
    message,
    host,
    tookMs: Math.max(0, Math.round(options.now() - started)),
  });
  let relayed;
  try {
    relayed = await relay.put({ fileName: 'outpost-relay-test.png', mime: 'image/png', bytes: PIXEL, alt: '' });
  } catch (error) {
    return done(false, problemOf(error), messageOf(error), null);
  }
  // The host only: the address's query is a signature.
  const host = hostOf(relayed.url);
  try {
    const answer = await options.fetch(relayed.url, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS), redirect: 'follow' });
    const bytes = new Uint8Array(await answer.arrayBuffer());
    if (!answer.ok || !sameBytes(bytes, PIXEL)) {
      await relayed.remove().catch(() => undefined);
      return done(false, 'not_readable', `The file went up, but its address answered HTTP ${answer.status}${answer.ok ? ' with other bytes' : ''}; the networks could not fetch it.`, host);
    }
  } catch (error) {
    await relayed.remove().catch(() => undefined);
    return done(false, 'not_readable', `The file went up, but its address could not be fetched (${error instanceof Error ? error.message : String(error)}).`, host);
  }
  try {
    await relayed.remove();
  } catch (error) {
    return done(false, problemOf(error), messageOf(error), host);
  }
  if (options.expectGoneAfterRemove) {
    const after = await options.fetch(relayed.url, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) }).catch(() => undefined);
    if (after?.ok) return done(false, 'not_removed', 'The file could be fetched after it was deleted; check that the keys may delete in the bucket.', host);
  }
  return done(true, null, null, host);
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.byteLength === b.byteLength && a.every((value, i) => value === b[i]);
}

function problemOf(error: unknown): NonNullable<RelayTestResult['problem']> {
  if (error instanceof RelayFailure) return error.reason;
  if (error instanceof ConnectorError && (error.kind === 'offline' || (error.kind === 'transient' && error.status === undefined))) return 'unreachable';
  return 'refused';
}

function messageOf(error: unknown): string {
  return error instanceof ConnectorError ? error.networkMessage : error instanceof Error ? error.message : String(error);
}
