import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ConnectorError, type FailureKind, type PublishRequest } from '../../../main/core/connector';
import {
  blueskyRecordKey,
  createBlueskyConnector,
  type BlueskyContext,
  type BlueskyCredentials,
} from '../../../main/services/connectors/bluesky';
import { retryAfterMs as retryAfterOf } from '../../../main/services/connectors/kit/retry-after';

/**
 * What the real PDS (tests/integration/bluesky.test.ts) cannot be made to do on demand:
 * 5xx answers, dropped connections, DNS failures, Retry-After, a keychain that fails, and
 * two calls renewing one session at the same time. Answers come from a scripted fetch.
 */

const NOW = Date.UTC(2026, 10, 26, 9, 0, 0);
const APP_PASSWORD = 'abcd-efgh-ijkl-mnop';
const SESSION = { did: 'did:plc:alice', handle: 'alice.test', accessJwt: 'access-1', refreshJwt: 'refresh-1' };

type Answer = { status: number; body?: unknown; headers?: Record<string, string> } | Error;
type Script = (method: string, init: RequestInit | undefined) => Answer | Promise<Answer>;

function scripted(script: Script): { fetch: typeof fetch; methods: string[] } {
  const methods: string[] = [];
  const stub = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const method = new URL(String(input)).pathname.replace('/xrpc/', '');
    methods.push(method);
    const answer = await script(method, init);
    if (answer instanceof Error) throw answer;
    return new Response(answer.body === undefined ? null : JSON.stringify(answer.body), {
      status: answer.status,
      headers: { 'content-type': 'application/json', ...answer.headers },
    });
  };
  return { fetch: stub as typeof fetch, methods };
}

function context(fetchStub: typeof fetch, credentials: Partial<BlueskyCredentials> = {}, save?: (c: BlueskyCredentials) => Promise<void>): BlueskyContext {
  return {
    baseUrl: 'https://pds.example',
    credentials: { appPassword: APP_PASSWORD, ...SESSION, ...credentials },
    config: { did: SESSION.did },
    fetch: fetchStub,
    now: () => NOW,
    ...(save ? { saveCredentials: save } : {}),
  };
}

const post = (text: string, extra: Partial<PublishRequest> = {}): PublishRequest => ({ text, media: [], idempotencyKey: 'job-1', ...extra });
const created = { status: 200, body: { uri: 'at://did:plc:alice/app.bsky.feed.post/x', cid: 'bafy' } };

async function failure(promise: Promise<unknown>, kind: FailureKind): Promise<ConnectorError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ConnectorError);
  const failed = error as ConnectorError;
  expect(failed.kind).toBe(kind);
  // No secret ever rides along in an error, however it is printed.
  for (const secret of [APP_PASSWORD, SESSION.accessJwt, SESSION.refreshJwt]) expect(inspect(failed, { depth: 5 })).not.toContain(secret);
  return failed;
}

const connector = createBlueskyConnector({ timeoutMs: 300, uploadTimeoutMs: 300 });

describe('Bluesky error mapping', () => {
  it('5xx is transient, with Retry-After when the server sends one', async () => {
    const { fetch } = scripted(() => ({ status: 503, body: { error: 'InternalServerError', message: 'busy' }, headers: { 'retry-after': '30' } }));
    const error = await failure(connector.publish(context(fetch), post('hi')), 'transient');
    expect(error.status).toBe(503);
    expect(error.retryAfterMs).toBe(30_000);
    expect(error.networkMessage).toBe('InternalServerError: busy');
  });

  it('429 is rate_limited until RateLimit-Reset (epoch seconds)', async () => {
    const reset = String(NOW / 1000 + 90);
    const { fetch } = scripted(() => ({ status: 429, body: { error: 'RateLimitExceeded', message: 'Rate Limit Exceeded' }, headers: { 'ratelimit-reset': reset } }));
    const error = await failure(connector.publish(context(fetch), post('hi')), 'rate_limited');
    expect(error.retryAfterMs).toBe(90_000);
  });

  it('reads Retry-After as seconds or as a date, and takes the later of the two headers', () => {
    expect(retryAfterOf(new Headers({ 'retry-after': '12' }), NOW)).toBe(12_000);
    expect(retryAfterOf(new Headers({ 'retry-after': new Date(NOW + 5000).toUTCString() }), NOW)).toBe(5000);
    expect(retryAfterOf(new Headers({ 'retry-after': '12', 'ratelimit-reset': String(NOW / 1000 + 60) }), NOW)).toBe(60_000);
    expect(retryAfterOf(new Headers({ 'ratelimit-reset': String(NOW / 1000 - 10) }), NOW)).toBe(0);
    expect(retryAfterOf(new Headers(), NOW)).toBeUndefined();
  });

  it('400 InvalidRequest is validation and keeps the network message', async () => {
    const message = 'Invalid app.bsky.feed.post record: Record/langs/0 must be a valid language code';
    const { fetch } = scripted(() => ({ status: 400, body: { error: 'InvalidRequest', message } }));
    const error = await failure(connector.publish(context(fetch), post('hi', { language: 'not a language' })), 'validation');
    expect(error.networkMessage).toBe(`InvalidRequest: ${message}`);
  });

  it('a DNS failure is offline; a refused or reset connection and a timeout are transient', async () => {
    const dns = Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error('getaddrinfo ENOTFOUND pds.example'), { code: 'ENOTFOUND' }) });
    await failure(connector.publish(context(scripted(() => dns).fetch), post('hi')), 'offline');
    const refused = Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) });
    await failure(connector.publish(context(scripted(() => refused).fetch), post('hi')), 'transient');
    const hang: Script = (_method, init) =>
      new Promise((_resolve, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal?.reason as Error)));
    const timedOut = await failure(connector.publish(context(scripted(hang).fetch), post('hi')), 'transient');
    expect(timedOut.networkMessage).toMatch(/did not answer within/);
  });

  it('a non-JSON error page is judged by its status', async () => {
    const { fetch } = scripted(() => ({ status: 502, body: undefined }));
    await failure(connector.delete(context(fetch), 'at://did:plc:alice/app.bsky.feed.post/3kabc'), 'transient');
  });

  it('an address that is not a post is refused before any call', async () => {
    const { fetch, methods } = scripted(() => created);
    await failure(connector.delete(context(fetch), '42'), 'permanent');
    expect(methods).toEqual([]);
  });
});

describe('Bluesky sessions', () => {
  it('two calls that meet an expired token share one refresh', async () => {
    let refreshes = 0;
    const { fetch, methods } = scripted(async (method, init) => {
      const bearer = new Headers(init?.headers).get('authorization');
      if (method === 'com.atproto.server.refreshSession') {
        refreshes += 1;
        await new Promise((resolve) => setTimeout(resolve, 20));
        return { status: 200, body: { ...SESSION, accessJwt: 'access-2', refreshJwt: 'refresh-2' } };
      }
      if (bearer === 'Bearer access-1') return { status: 400, body: { error: 'ExpiredToken', message: 'Token has expired' } };
      return created;
    });
    const saved: BlueskyCredentials[] = [];
    const ctx = context(fetch, {}, async (c) => {
      saved.push(c);
    });
    const shared = createBlueskyConnector();
    await Promise.all([shared.publish(ctx, post('one', { idempotencyKey: 'a' })), shared.publish(ctx, post('two', { idempotencyKey: 'b' }))]);
    expect(refreshes).toBe(1);
    expect(methods.filter((m) => m === 'com.atproto.repo.putRecord')).toHaveLength(4);
    expect(saved.map((c) => c.refreshJwt)).toEqual(['refresh-2']);
  });

  it('a keychain that fails to save does not fail the post; the new session is kept in memory', async () => {
    const { fetch, methods } = scripted((method, init) => {
      if (method === 'com.atproto.server.createSession') return { status: 200, body: SESSION };
      return new Headers(init?.headers).get('authorization') === 'Bearer access-1' ? created : { status: 401, body: { error: 'AuthMissing' } };
    });
    const shared = createBlueskyConnector();
    const ctx = context(fetch, { accessJwt: undefined, refreshJwt: undefined }, async () => {
      throw new Error('keychain locked');
    });
    await shared.publish(ctx, post('one', { idempotencyKey: 'a' }));
    await shared.publish(ctx, post('two', { idempotencyKey: 'b' }));
    expect(methods).toEqual(['com.atproto.server.createSession', 'com.atproto.repo.putRecord', 'com.atproto.repo.putRecord']);
  });

  it('a token problem after a fresh session is an auth failure, not a loop', async () => {
    const { fetch, methods } = scripted((method) => {
      if (method === 'com.atproto.server.refreshSession') return { status: 200, body: { ...SESSION, accessJwt: 'access-2', refreshJwt: 'refresh-2' } };
      return { status: 400, body: { error: 'InvalidToken', message: 'Token could not be verified' } };
    });
    await failure(createBlueskyConnector().publish(context(fetch), post('hi')), 'auth');
    expect(methods).toEqual(['com.atproto.repo.putRecord', 'com.atproto.server.refreshSession', 'com.atproto.repo.putRecord']);
  });
});

describe('Bluesky record keys', () => {
  const TID = /^[234567abcdefghij][234567abcdefghijklmnopqrstuvwxyz]{12}$/;
  const S32 = '234567abcdefghijklmnopqrstuvwxyz';

  it('are TIDs, the same for every attempt of a job and different between jobs', () => {
    const keys = Array.from({ length: 200 }, (_, i) => blueskyRecordKey(`job-${i}`));
    for (const key of keys) expect(key).toMatch(TID);
    expect(new Set(keys).size).toBe(keys.length);
    expect(blueskyRecordKey('job-7')).toBe(keys[7]);
  });

  it('carry no real time: their timestamp part falls before 2006', () => {
    for (const key of ['a', 'b', 'c', '0f8e7c1e-6a0b-4a7e-9a4f-2c1d3e5f7a9b'].map(blueskyRecordKey)) {
      const value = [...key].reduce((n, ch) => n * 32n + BigInt(S32.indexOf(ch)), 0n);
      const micros = Number(value >> 10n);
      expect(micros / 1000).toBeLessThan(Date.UTC(2006, 0, 1));
    }
  });
});
