import { describe, expect, it } from 'vitest';
import { ConnectorError } from '../../../main/core/connector';
import { deliveryOf, deliveryOfStatus, deliveryOfTransport } from '../../../main/core/outcome';
import { createBlueskyConnector, type BlueskyContext } from '../../../main/services/connectors/bluesky';

/**
 * The one rule of core/outcome.ts, and Bluesky's failures read through it (Telegram and
 * Mastodon are driven through their loopback fakes in tests/integration/scheduler/unknown-outcome.test.ts;
 * Bluesky's real PDS cannot be made to fail on demand, so its answers come from a scripted fetch).
 */

const refused = () => new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:443'), { code: 'ECONNREFUSED' }) });
const reset = () => new TypeError('fetch failed', { cause: Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }) });

describe('what a failed call proves', () => {
  it('an HTTP answer: 4xx (429 and 408 too) refused the request; 5xx and an unreadable 2xx may hide a done deed', () => {
    for (const status of [400, 401, 403, 404, 408, 409, 413, 422, 429]) expect([status, deliveryOfStatus(status)]).toEqual([status, 'not_sent']);
    for (const status of [200, 201, 500, 502, 503, 504, 520]) expect([status, deliveryOfStatus(status)]).toEqual([status, 'maybe_sent']);
  });

  it('no answer: only a failed connect or lookup proves nothing left; a reset, timeout or unknown throw may not', () => {
    expect(deliveryOfTransport(refused())).toBe('not_sent');
    expect(deliveryOfTransport({ cause: { errors: [{ code: 'EHOSTUNREACH' }] } })).toBe('not_sent');
    expect(deliveryOfTransport(new Error('net::ERR_CONNECTION_REFUSED'))).toBe('not_sent');
    expect(deliveryOfTransport(new Error('net::ERR_NAME_NOT_RESOLVED'))).toBe('not_sent');
    expect(deliveryOfTransport(reset())).toBe('maybe_sent');
    expect(deliveryOfTransport(Object.assign(new Error('The operation was aborted due to timeout'), { name: 'TimeoutError', code: 23 }))).toBe('maybe_sent');
    expect(deliveryOfTransport(new Error('net::ERR_CONNECTION_RESET'))).toBe('maybe_sent');
    expect(deliveryOfTransport(undefined)).toBe('maybe_sent');
  });

  it('a connector error: its status decides, then its kind, then its cause; a connector may say better', () => {
    expect(new ConnectorError('transient', 'Bad Gateway', { status: 502 }).maybeSent).toBe(true);
    expect(new ConnectorError('rate_limited', 'slow down', { status: 429 }).maybeSent).toBe(false);
    expect(new ConnectorError('validation', 'too long').maybeSent).toBe(false);
    expect(new ConnectorError('offline', 'no network').maybeSent).toBe(false);
    expect(new ConnectorError('transient', 'failed', { cause: refused() }).maybeSent).toBe(false);
    expect(new ConnectorError('transient', 'failed', { cause: reset() }).maybeSent).toBe(true);
    expect(new ConnectorError('permanent', 'answered without a message').maybeSent).toBe(true);
    expect(new ConnectorError('transient', 'still processing', { delivery: 'not_sent' }).maybeSent).toBe(false);
    expect(deliveryOf({ kind: 'auth' })).toBe('not_sent');
  });
});

describe('Bluesky’s failures through the rule', () => {
  const SESSION = { did: 'did:plc:alice', handle: 'alice.test', accessJwt: 'access-1', refreshJwt: 'refresh-1' };
  const publishAnswering = async (answer: (init?: RequestInit) => Response | Promise<Response>): Promise<ConnectorError> => {
    const stub = (async (input: string | URL | Request, init?: RequestInit) => {
      const method = new URL(String(input)).pathname.replace('/xrpc/', '');
      if (method === 'com.atproto.repo.putRecord') return answer(init);
      return new Response(JSON.stringify({}), { status: 200, headers: { 'content-type': 'application/json' } });
    }) as typeof fetch;
    const ctx: BlueskyContext = {
      baseUrl: 'https://pds.example',
      credentials: { appPassword: 'abcd-efgh-ijkl-mnop', ...SESSION },
      config: { did: SESSION.did },
      fetch: stub,
      now: () => Date.UTC(2026, 11, 5, 9),
    };
    const error = await createBlueskyConnector({ timeoutMs: 200 }).publish(ctx, { text: 'Challah Friday', media: [], idempotencyKey: 'job-1' }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ConnectorError);
    return error as ConnectorError;
  };
  const page = (status: number, text: string, type = 'text/html') => () => new Response(text, { status, headers: { 'content-type': type } });

  it.each([
    ['500', page(500, JSON.stringify({ error: 'InternalServerError' }), 'application/json')],
    ['502 HTML page', page(502, '<html><body>Bad Gateway</body></html>')],
    ['503', page(503, 'Service Unavailable', 'text/plain')],
    ['504', page(504, '<html>Gateway Timeout</html>')],
    ['reset', () => Promise.reject(reset())],
    // Like fetch, a hung call ends only when the connector's timeout aborts it.
    ['hang', (init?: RequestInit) => new Promise<Response>((_, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal?.reason)))],
  ])('%s may have reached Bluesky: unknown, to be verified by the record key', async (_name, answer) => {
    expect((await publishAnswering(answer)).maybeSent).toBe(true);
  });

  it.each([
    ['refused', () => Promise.reject(refused())],
    ['429', page(429, JSON.stringify({ error: 'RateLimitExceeded' }), 'application/json')],
    ['400', page(400, JSON.stringify({ error: 'InvalidRequest', message: 'Record/text must not be longer than 300 graphemes' }), 'application/json')],
  ])('%s proves nothing was written', async (_name, answer) => {
    expect((await publishAnswering(answer)).maybeSent).toBe(false);
  });
});
