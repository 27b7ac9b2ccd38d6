import { afterEach, describe, expect, it } from 'vitest';
import { beforeSending, ConnectorError, type MediaItem } from '../../../main/core/connector';
import { deliveryOf, deliveryOfStatus, deliveryOfTransport } from '../../../main/core/outcome';
import { createBlueskyConnector, type BlueskyContext } from '../../../main/services/connectors/bluesky';
import { createMastodonConnector, DEFAULT_MASTODON_LIMITS, type MastodonContext } from '../../../main/services/connectors/mastodon';
import { startMastodonFake, type MastodonFake } from '../../fakes/mastodon-fake';

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
    // The network can change while the request is out: not a proof that nothing left.
    expect(deliveryOfTransport(new Error('net::ERR_NETWORK_CHANGED'))).toBe('maybe_sent');
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

  it('a failure in the steps ahead of the post’s own request left the post unsent, whatever it was', async () => {
    const lost = new ConnectorError('transient', 'Bad Gateway', { status: 502, retryAfterMs: 5_000 });
    const error = await beforeSending(() => Promise.reject(lost)).catch((e: unknown) => e as ConnectorError);
    expect(error).toMatchObject({ kind: 'transient', networkMessage: 'Bad Gateway', status: 502, retryAfterMs: 5_000, maybeSent: false });
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

  it('a 2xx that is not XRPC’s answer may have written the record: unknown, not a post without an address', async () => {
    const error = await publishAnswering(page(200, '<html><body>Welcome to the hotel Wi-Fi</body></html>'));
    expect(error.maybeSent).toBe(true);
    expect(error.status).toBe(200);
  });

  it.each([
    ['refused', () => Promise.reject(refused())],
    ['429', page(429, JSON.stringify({ error: 'RateLimitExceeded' }), 'application/json')],
    ['400', page(400, JSON.stringify({ error: 'InvalidRequest', message: 'Record/text must not be longer than 300 graphemes' }), 'application/json')],
  ])('%s proves nothing was written', async (_name, answer) => {
    expect((await publishAnswering(answer)).maybeSent).toBe(false);
  });
});

describe('Bluesky: an image upload failing leaves the post unsent', () => {
  it('a 502 to uploadBlob, even after the PDS stored the blob, proves the post was not written', async () => {
    const calls: string[] = [];
    const stub = (async (input: string | URL | Request) => {
      const method = new URL(String(input)).pathname.replace('/xrpc/', '');
      calls.push(method);
      if (method === 'com.atproto.repo.uploadBlob') return new Response('<html>Bad Gateway</html>', { status: 502, headers: { 'content-type': 'text/html' } });
      return new Response(JSON.stringify({}), { status: 200, headers: { 'content-type': 'application/json' } });
    }) as typeof fetch;
    const ctx: BlueskyContext = {
      baseUrl: 'https://pds.example',
      credentials: { appPassword: 'abcd-efgh-ijkl-mnop', did: 'did:plc:alice', handle: 'alice.test', accessJwt: 'a', refreshJwt: 'r' },
      config: { did: 'did:plc:alice' },
      fetch: stub,
      now: () => Date.UTC(2026, 11, 5, 9),
    };
    const image: MediaItem = { fileName: 'a.png', mime: 'image/png', bytes: new Uint8Array(PNG), alt: 'a dot' };
    const error = (await createBlueskyConnector({ timeoutMs: 200 })
      .publish(ctx, { text: 'Rye', media: [image], idempotencyKey: 'job-2' })
      .catch((e: unknown) => e)) as ConnectorError;
    expect(error).toBeInstanceOf(ConnectorError);
    expect(error.maybeSent).toBe(false);
    expect(calls).not.toContain('com.atproto.repo.putRecord');
  });
});

/** A real 1×1 PNG: the Mastodon fake sniffs magic bytes. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

describe('Mastodon’s failures through the rule, on its fake', () => {
  let fake: MastodonFake | undefined;
  afterEach(async () => {
    const violations = fake?.violations ?? [];
    await fake?.close();
    fake = undefined;
    expect(violations).toEqual([]);
  });

  async function publishWith(fault: Parameters<MastodonFake['server']['faults']['next']>[0], path: string, media: MediaItem[]) {
    fake = await startMastodonFake({});
    fake.server.faults.next(fault, 1, fake.route('POST', path));
    const ctx: MastodonContext = {
      baseUrl: fake.baseUrl,
      credentials: fake.issueToken(),
      config: { accountId: fake.accountId, acct: 'outpost_tester@fake.social', url: `${fake.baseUrl}/@outpost_tester`, limits: DEFAULT_MASTODON_LIMITS },
      fetch,
      now: () => fake!.now(),
    };
    const connector = createMastodonConnector({ requestTimeoutMs: 400, mediaPoll: { firstDelayMs: 5, maxDelayMs: 20, maxWaitMs: 300 } });
    const error = (await connector.publish(ctx, { text: 'Poppy seed rolls', media, idempotencyKey: 'job-3' }).catch((e: unknown) => e)) as ConnectorError;
    expect(error).toBeInstanceOf(ConnectorError);
    return { error, statuses: fake.statuses.length };
  }

  it('a media upload answered 502 after the server stored it: the status was never sent, so it may go again as is', async () => {
    const image: MediaItem = { fileName: 'a.png', mime: 'image/png', bytes: new Uint8Array(PNG), alt: 'a dot' };
    const { error, statuses } = await publishWith(
      { kind: 'respond', response: { status: 502, text: '<html>Bad Gateway</html>', headers: { 'content-type': 'text/html' } }, afterHandling: true },
      '/api/v2/media',
      [image],
    );
    expect({ maybeSent: error.maybeSent, statuses }).toEqual({ maybeSent: false, statuses: 0 });
  });

  it('a 2xx to the status POST that cannot be read may hide the status: unknown', async () => {
    const { error, statuses } = await publishWith(
      { kind: 'respond', response: { status: 200, text: '<html>Welcome</html>', headers: { 'content-type': 'text/html' } }, afterHandling: true },
      '/api/v1/statuses',
      [],
    );
    expect({ maybeSent: error.maybeSent, statuses }).toEqual({ maybeSent: true, statuses: 1 });
  });
});
