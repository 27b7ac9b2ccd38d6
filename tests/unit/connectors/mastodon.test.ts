import { createHash } from 'node:crypto';
import { connect } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConnectorError, type MediaItem, type PublishRequest } from '../../../main/core/connector';
import {
  createMastodonConnector,
  DEFAULT_MASTODON_LIMITS,
  readMastodonLimits,
  readMastodonSecret,
  statusText,
  type MastodonContext,
  type MastodonCredentials,
} from '../../../main/services/connectors/mastodon';
import { normalizeInstanceUrl, revokeMastodonToken, signInToMastodon } from '../../../main/services/connectors/mastodon/sign-in';
import { SignInError } from '../../../main/services/oauth/loopback';
import { seededRandom } from '../../fakes/fake-server';
import { startMastodonFake, type MastodonFake } from '../../fakes/mastodon-fake';

const START = Date.parse('2026-03-02T09:00:00.000Z');
const MINUTE = 60_000;
/** A real 1×1 PNG: the fake sniffs magic bytes as Mastodon does. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

const connector = createMastodonConnector({
  requestTimeoutMs: 400,
  mediaPoll: { firstDelayMs: 5, maxDelayMs: 20, maxWaitMs: 300 },
});

let fake: MastodonFake;
const extraFakes: MastodonFake[] = [];

beforeEach(async () => {
  fake = await startMastodonFake({ startTime: START });
});

afterEach(async () => {
  const violations = [...fake.violations, ...extraFakes.flatMap((f) => f.violations)];
  await Promise.all([fake.close(), ...extraFakes.splice(0).map((f) => f.close())]);
  // Anything a real client would never send fails the test that sent it.
  expect(violations).toEqual([]);
});

function context(credentials: MastodonCredentials = fake.issueToken(), overrides: Partial<MastodonContext> = {}): MastodonContext {
  return {
    baseUrl: fake.baseUrl,
    credentials,
    config: { accountId: fake.accountId, acct: 'outpost_tester@fake.social', url: `${fake.baseUrl}/@outpost_tester`, limits: DEFAULT_MASTODON_LIMITS },
    fetch,
    now: () => fake.now(),
    ...overrides,
  };
}

function post(text: string, extra: Partial<PublishRequest> = {}): PublishRequest {
  return { text, media: [], idempotencyKey: `job-${Math.random().toString(36).slice(2)}`, ...extra };
}

function image(alt: string, name = 'photo.png'): MediaItem {
  return { fileName: name, mime: 'image/png', bytes: new Uint8Array(PNG), alt };
}

/** What the system browser does with the authorize URL: follow the 302 to the loopback listener. */
async function browser(url: string): Promise<void> {
  const page = await fetch(url, { redirect: 'follow' });
  await page.text();
}

function requestsTo(method: string, path: string | RegExp) {
  return fake.requests.filter((r) => r.method === method && (typeof path === 'string' ? r.path === path : path.test(r.path)));
}

/** A fresh TCP connection to the loopback port is refused: nothing listens any more. */
function refused(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname);
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED'));
  });
}

async function failure(promise: Promise<unknown>): Promise<ConnectorError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ConnectorError);
  return error as ConnectorError;
}

describe('sign-in (RFC 8252 loopback + PKCE)', () => {
  it('registers the app, authorizes with S256 and state, exchanges the code and reads account and limits', async () => {
    const result = await signInToMastodon({ instance: fake.baseUrl, openExternal: browser, now: () => fake.now() });

    expect(result.pkce).toBe(true);
    expect(result.baseUrl).toBe(fake.baseUrl);
    expect(result.account).toMatchObject({ id: fake.accountId, acct: 'outpost_tester@fake.social', url: `${fake.baseUrl}/@outpost_tester` });
    expect(result.config.limits).toMatchObject({ maxCharacters: 500, maxMediaAttachments: 4, charactersReservedPerUrl: 23, imageSizeLimit: 16 * 1024 * 1024 });

    const [app] = fake.apps;
    expect(app).toMatchObject({ name: 'Outpost', scopes: ['read:accounts', 'read:statuses', 'write:statuses', 'write:media'] });
    const redirectUri = app!.redirectUris[0]!;
    expect(redirectUri).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/);

    const [authorize] = requestsTo('GET', '/oauth/authorize');
    expect(authorize!.query.get('code_challenge_method')).toBe('S256');
    expect(authorize!.query.get('state')).toMatch(/^[\w-]{43}$/);
    const [token] = requestsTo('POST', '/oauth/token');
    const verifier = token!.body.fields.find(([name]) => name === 'code_verifier')![1];
    expect(createHash('sha256').update(verifier).digest('base64url')).toBe(authorize!.query.get('code_challenge'));

    // The secret is the one keychain entry; nothing secret is in the config that goes to SQLite.
    const credentials = readMastodonSecret(result.secret);
    expect(credentials.clientId).toBe(app!.clientId);
    const config = JSON.stringify(result.config);
    expect(config).not.toContain(credentials.accessToken);
    expect(config).not.toContain(credentials.clientSecret);

    // The token works, and the listener is gone.
    const published = await connector.publish({ ...context(credentials), config: result.config }, post('Hello from the sign-in'));
    expect(fake.statuses.map((s) => s.id)).toEqual([published.remoteId]);
    expect(await refused(redirectUri)).toBe(true);
  });

  it('refuses a redirect with the wrong state and completes with the right one', async () => {
    const seen: number[] = [];
    const result = await signInToMastodon({
      instance: fake.baseUrl,
      openExternal: async (url) => {
        const approval = await fetch(url, { redirect: 'manual' });
        const location = new URL(approval.headers.get('location')!);
        const forged = new URL(location);
        forged.searchParams.set('state', 'forged-by-another-page');
        forged.searchParams.set('code', 'stolen');
        const bad = await fetch(forged);
        seen.push(bad.status);
        const good = await fetch(location);
        seen.push(good.status);
        expect(await good.text()).toContain('You can close this tab and return to Outpost');
      },
    });
    expect(seen).toEqual([400, 200]);
    expect(result.account.id).toBe(fake.accountId);
    // Only the real code was exchanged.
    expect(requestsTo('POST', '/oauth/token')).toHaveLength(1);
  });

  it('gives up after the timeout and closes the listener', async () => {
    let authorizeUrl = '';
    const error = await signInToMastodon({
      instance: fake.baseUrl,
      timeoutMs: 150,
      openExternal: async (url) => {
        authorizeUrl = url;
      },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SignInError);
    expect((error as SignInError).code).toBe('timeout');
    expect(await refused(new URL(authorizeUrl).searchParams.get('redirect_uri')!)).toBe(true);
    expect(requestsTo('POST', '/oauth/token')).toHaveLength(0);
  });

  it('reports a declined authorization as "denied" and closes the listener', async () => {
    fake.denyNextAuthorization();
    const error = await signInToMastodon({ instance: fake.baseUrl, openExternal: browser }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SignInError);
    expect(error).toMatchObject({ code: 'denied', serverError: expect.stringContaining('access_denied') });
    expect(await refused(fake.apps[0]!.redirectUris[0]!)).toBe(true);
    expect(requestsTo('POST', '/oauth/token')).toHaveLength(0);
  });

  it('signs in to a server older than 4.3 (no PKCE metadata) with the plain code flow', async () => {
    const old = await startMastodonFake({ pkce: false, startTime: START });
    extraFakes.push(old);
    const result = await signInToMastodon({ instance: old.baseUrl, openExternal: browser });
    expect(result.pkce).toBe(false);
    const authorize = old.requests.find((r) => r.path === '/oauth/authorize')!;
    expect(authorize.query.has('code_challenge')).toBe(false);
  });

  it('revokes the token when the account is removed', async () => {
    const result = await signInToMastodon({ instance: fake.baseUrl, openExternal: browser });
    const ctx = { ...context(readMastodonSecret(result.secret)), config: result.config };
    await revokeMastodonToken(ctx);
    const error = await failure(connector.publish(ctx, post('after revoke')));
    expect(error.kind).toBe('auth');
  });

  it('normalizes what the user types and refuses plain http to a real host', () => {
    expect(normalizeInstanceUrl('mastodon.social')).toBe('https://mastodon.social');
    expect(normalizeInstanceUrl(' https://mastodon.social/about ')).toBe('https://mastodon.social');
    expect(normalizeInstanceUrl('@me@fosstodon.org')).toBe('https://fosstodon.org');
    expect(normalizeInstanceUrl('http://127.0.0.1:8080')).toBe('http://127.0.0.1:8080');
    expect(() => normalizeInstanceUrl('http://mastodon.social')).toThrow(ConnectorError);
  });
});

describe('limits', () => {
  it('reads the instance configuration into the account config', async () => {
    const big = await startMastodonFake({ maxCharacters: 5000, maxMediaAttachments: 6, imageSizeLimit: 8 * 1024 * 1024 });
    extraFakes.push(big);
    const limits = await readMastodonLimits({ baseUrl: big.baseUrl, fetch, now: () => big.now() });
    expect(limits).toMatchObject({ maxCharacters: 5000, maxMediaAttachments: 6, charactersReservedPerUrl: 23, imageSizeLimit: 8 * 1024 * 1024 });
    expect(limits.supportedMimeTypes).toContain('image/png');
  });

  it('refuses too many or unsupported media before uploading anything', async () => {
    const ctx = context();
    const five = Array.from({ length: 5 }, (_, i) => image(`alt ${i}`));
    expect((await failure(connector.publish(ctx, post('five', { media: five })))).kind).toBe('validation');
    const tiff: MediaItem = { fileName: 'a.tiff', mime: 'image/tiff', bytes: new Uint8Array(4), alt: '' };
    expect((await failure(connector.publish(ctx, post('tiff', { media: [tiff] })))).kind).toBe('validation');
    expect(requestsTo('POST', '/api/v2/media')).toHaveLength(0);
  });
});

describe('publish', () => {
  it('posts text with visibility, language and the Idempotency-Key', async () => {
    const request = post('Hello #fediverse, see https://example.com/a/rather/long/path/to/something', { language: 'en' });
    const published = await connector.publish(context(), request);

    const [status] = fake.statuses;
    expect(published).toEqual({ remoteId: status!.id, url: `${fake.baseUrl}/@outpost_tester/${status!.id}`, publishedAt: START });
    const [sent] = requestsTo('POST', '/api/v1/statuses');
    expect(sent!.headers['idempotency-key']).toBe(request.idempotencyKey);
    expect(sent!.headers.authorization).toMatch(/^Bearer /);
    expect(sent!.body.json).toEqual({ status: request.text, visibility: 'public', language: 'en' });
  });

  it('uploads two images with alt text, polls the one still processing, and attaches both in order', async () => {
    fake.queueMediaProcessing(0, 2);
    const published = await connector.publish(context(), post('Two pictures', { media: [image('A red door'), image('A blue window', 'window.png')] }));

    const uploads = requestsTo('POST', '/api/v2/media');
    expect(uploads.map((u) => u.body.fields)).toEqual([[['description', 'A red door']], [['description', 'A blue window']]]);
    expect(uploads.map((u) => u.body.files[0]![1].contentType)).toEqual(['image/png', 'image/png']);
    // 202 from the upload, then 206, 206, 200 while polling.
    expect(requestsTo('GET', /^\/api\/v1\/media\//)).toHaveLength(3);
    const status = fake.statuses.find((s) => s.id === published.remoteId)!;
    expect(status.mediaIds).toHaveLength(2);
    expect((requestsTo('POST', '/api/v1/statuses')[0]!.body.json as { media_ids: string[] }).media_ids).toEqual(status.mediaIds);
  });

  it('gives up on media that never finishes processing with a transient error', async () => {
    fake.queueMediaProcessing(1_000);
    const error = await failure(connector.publish(context(), post('stuck', { media: [image('slow')] })));
    expect(error.kind).toBe('transient');
    expect(fake.publishedCount).toBe(0);
  });

  it('does not double-post when the same Idempotency-Key is sent again within the hour', async () => {
    const ctx = context();
    const request = post('Only once');
    const first = await connector.publish(ctx, request);
    const again = await connector.publish(ctx, request);
    expect(again.remoteId).toBe(first.remoteId);
    expect(fake.publishedCount).toBe(1);

    await connector.publish(ctx, post('Only once'));
    expect(fake.publishedCount).toBe(2);

    // The server forgets the key after an hour, which is why verify never relies on re-sending.
    fake.advance(61 * MINUTE);
    await connector.publish(ctx, request);
    expect(fake.publishedCount).toBe(3);
  });

  it('counts the 500-character limit in graphemes and maps 422 to validation with the server text', async () => {
    const ctx = context();
    const family = '👨‍👩‍👧‍👦';
    await connector.publish(ctx, post(family.repeat(500)));
    const error = await failure(connector.publish(ctx, post(family.repeat(501))));
    expect(error).toMatchObject({ kind: 'validation', status: 422, networkMessage: 'Validation failed: Text character limit of 500 exceeded' });
    const blank = await failure(connector.publish(ctx, post('   ')));
    expect(blank.networkMessage).toBe("Validation failed: Text can't be blank");
    expect(fake.publishedCount).toBe(1);
  });
});

describe('native scheduling', () => {
  it('hands a post over with scheduled_at and the Idempotency-Key', async () => {
    const ctx = context();
    const at = START + 60 * MINUTE;
    const request = post('Later', { media: [image('later')] });
    const native = await connector.scheduleNative(ctx, request, at);
    expect(native.scheduledAt).toBe(at);
    expect(fake.scheduled).toMatchObject([{ id: native.nativeId, scheduledAt: at, text: 'Later' }]);
    const [sent] = requestsTo('POST', '/api/v1/statuses');
    expect((sent!.body.json as { scheduled_at: string }).scheduled_at).toBe('2026-03-02T10:00:00.000Z');
    expect(sent!.headers['idempotency-key']).toBe(request.idempotencyKey);
    expect(fake.publishedCount).toBe(0);

    // A retry of the same hand-over is deduplicated too.
    expect((await connector.scheduleNative(ctx, request, at)).nativeId).toBe(native.nativeId);
    expect(fake.scheduled).toHaveLength(1);
  });

  it('refuses a time closer than Mastodon\'s 5 minutes (plus margin) without asking the server', async () => {
    const error = await failure(connector.scheduleNative(context(), post('too soon'), START + 5 * MINUTE));
    expect(error.kind).toBe('validation');
    expect(requestsTo('POST', '/api/v1/statuses')).toHaveLength(0);
  });

  it('moves the time with PUT when only the time changed, and replaces the post when the text changed', async () => {
    const ctx = context();
    const request = post('Move me');
    const native = await connector.scheduleNative(ctx, request, START + 60 * MINUTE);

    const moved = await connector.updateNative(ctx, native.nativeId, request, START + 90 * MINUTE);
    expect(moved).toEqual({ nativeId: native.nativeId, scheduledAt: START + 90 * MINUTE });
    expect((requestsTo('PUT', `/api/v1/scheduled_statuses/${native.nativeId}`)[0]!.body.json as object)).toEqual({ scheduled_at: '2026-03-02T10:30:00.000Z' });

    const rewritten = await connector.updateNative(ctx, native.nativeId, { ...request, text: 'Moved and rewritten' }, START + 120 * MINUTE);
    expect(rewritten.nativeId).not.toBe(native.nativeId);
    expect(fake.scheduled).toMatchObject([{ id: rewritten.nativeId, text: 'Moved and rewritten', scheduledAt: START + 120 * MINUTE }]);

    const rescheduled = await connector.rescheduleNative(ctx, rewritten.nativeId, START + 150 * MINUTE);
    expect(rescheduled.scheduledAt).toBe(START + 150 * MINUTE);
    expect(fake.publishedCount).toBe(0);
  });

  it('cancels a scheduled post; cancelling it again says it is no longer scheduled', async () => {
    const ctx = context();
    const native = await connector.scheduleNative(ctx, post('Never mind'), START + 60 * MINUTE);
    await connector.cancelNative(ctx, native.nativeId);
    expect(fake.scheduled).toHaveLength(0);
    expect(await failure(connector.cancelNative(ctx, native.nativeId))).toMatchObject({ kind: 'permanent', status: 404 });
    expect(await connector.checkNative(ctx, native.nativeId, { text: 'Never mind', scheduledAt: START + 60 * MINUTE })).toEqual({ state: 'missing' });
    fake.advance(2 * 60 * MINUTE);
    expect(fake.publishedCount).toBe(0);
  });

  it('goes out while the laptop is closed, and is found afterwards', async () => {
    const ctx = context();
    const at = START + 60 * MINUTE;
    const text = 'Scheduled on the server\n\nwith a link https://example.com/some/very/long/path?x=1&y=2 and @friend@other.example';
    const native = await connector.scheduleNative(ctx, post(text), at);
    expect(await connector.checkNative(ctx, native.nativeId, { text, scheduledAt: at })).toMatchObject({ state: 'scheduled' });

    // Lid closed: no requests from Outpost, the server's clock moves on.
    const before = fake.requests.length;
    fake.advance(3 * 60 * MINUTE);
    expect(fake.requests.length).toBe(before);
    expect(fake.publishedCount).toBe(1);
    const [status] = fake.statuses;
    expect(status).toMatchObject({ fromScheduled: native.nativeId, createdAt: at });

    const state = await connector.checkNative(ctx, native.nativeId, { text, scheduledAt: at });
    expect(state).toEqual({ state: 'published', post: { remoteId: status!.id, url: `${fake.baseUrl}/@outpost_tester/${status!.id}`, publishedAt: at } });
  });
});

describe('delete', () => {
  it('deletes a status; deleting it again counts as done', async () => {
    const ctx = context();
    const published = await connector.publish(ctx, post('Short-lived'));
    await connector.delete(ctx, published.remoteId);
    expect(fake.statuses).toHaveLength(0);
    expect(fake.deletedCount).toBe(1);
    expect(requestsTo('DELETE', `/api/v1/statuses/${published.remoteId}`)[0]!.query.get('delete_media')).toBe('true');
    await connector.delete(ctx, published.remoteId);
    expect(fake.deletedCount).toBe(1);
  });
});

describe('first comment', () => {
  const createStatus = (match: MastodonFake) => match.route('POST', '/api/v1/statuses');

  it('replies to the post from the same account, as public as the post, once however often the key is sent', async () => {
    const ctx = context(fake.issueToken(), { config: { ...context().config, visibility: 'unlisted' } });
    const published = await connector.publish(ctx, post('New loaves today'));
    const comment = await connector.comment(ctx, published.remoteId, 'Order at bakery.example', 'job-comment');
    const again = await connector.comment(ctx, published.remoteId, 'Order at bakery.example', 'job-comment');
    expect(again).toEqual(comment);
    const replies = fake.statuses.filter((s) => s.inReplyToId === published.remoteId);
    expect(replies).toEqual([expect.objectContaining({ text: 'Order at bakery.example', visibility: 'unlisted', idempotencyKey: 'job-comment' })]);
    expect(comment).toEqual({ remoteId: replies[0]!.id, url: `${fake.baseUrl}/@outpost_tester/${replies[0]!.id}` });
  });

  it('a reply to a post that is gone is refused with the server words, not sent again', async () => {
    const error = await failure(connector.comment(context(), '999', 'Order at bakery.example', 'job-comment'));
    expect(error).toMatchObject({ status: 404, maybeSent: false });
    expect(error.networkMessage).toContain('The post you are trying to reply to does not appear to exist.');
  });

  it('a lost answer is found among the post’s replies; one that never arrived is not', async () => {
    const ctx = context();
    const published = await connector.publish(ctx, post('New loaves today'));
    const startedAt = fake.now();
    fake.resetNext(createStatus(fake), true);
    expect(await failure(connector.comment(ctx, published.remoteId, 'Order at bakery.example', 'job-lost'))).toMatchObject({ kind: 'transient', maybeSent: true });
    fake.advance(MINUTE);
    const reply = fake.statuses.find((s) => s.inReplyToId === published.remoteId)!;
    const attempt = { remoteId: published.remoteId, idempotencyKey: 'job-lost', text: 'Order at bakery.example', startedAt };
    expect(await connector.verifyComment(ctx, attempt)).toEqual({ found: true, comment: { remoteId: reply.id, url: `${fake.baseUrl}/@outpost_tester/${reply.id}` } });

    const other = await connector.publish(ctx, post('Another post'));
    expect(await connector.verifyComment(ctx, { ...attempt, remoteId: other.remoteId })).toEqual({ found: false });
    expect(fake.publishedCount).toBe(3);
  });

});

describe('verify after a crash', () => {
  const createStatus = (match: MastodonFake) => match.route('POST', '/api/v1/statuses');

  it('finds a post whose answer was lost, without posting again', async () => {
    const ctx = context();
    // Older posts with the same text (yesterday's, and one a few minutes ago) must not be taken for this attempt.
    await connector.publish(ctx, post('Daily hello'));
    fake.advance(24 * 60 * MINUTE);
    await connector.publish(ctx, post('Daily hello'));
    fake.advance(3 * MINUTE);
    await connector.publish(ctx, post('Something else'));

    const startedAt = fake.now();
    const request = post('Daily hello');
    fake.resetNext(createStatus(fake), true);
    expect((await failure(connector.publish(ctx, request))).kind).toBe('transient');
    expect(fake.publishedCount).toBe(4);

    fake.advance(2 * MINUTE);
    const posts = requestsTo('POST', '/api/v1/statuses').length;
    const outcome = await connector.verify(ctx, { idempotencyKey: request.idempotencyKey, startedAt, text: request.text });
    const newest = fake.statuses.at(-1)!;
    expect(outcome).toEqual({ found: true, post: { remoteId: newest.id, url: `${fake.baseUrl}/@outpost_tester/${newest.id}`, publishedAt: startedAt } });
    expect(requestsTo('POST', '/api/v1/statuses')).toHaveLength(posts);
    expect(fake.publishedCount).toBe(4);
  });

  it('reports not found for an attempt that never reached the server', async () => {
    const ctx = context();
    await connector.publish(ctx, post('Unrelated'));
    const startedAt = fake.now();
    const request = post('Lost on the way');
    fake.resetNext(createStatus(fake), false);
    expect((await failure(connector.publish(ctx, request))).kind).toBe('transient');
    fake.advance(MINUTE);
    expect(await connector.verify(ctx, { idempotencyKey: request.idempotencyKey, startedAt, text: request.text })).toEqual({ found: false });
  });

  it('reads the posted text back out of Mastodon\'s HTML', () => {
    expect(statusText('<p>a &amp; b<br />c</p><p><a href="https://x.example/p"><span class="invisible">https://</span><span class="">x.example/p</span><span class="invisible"></span></a></p>')).toBe(
      'a & b\nc\n\nhttps://x.example/p',
    );
  });
});

describe('failures mapped to kinds', () => {
  it('401 (revoked token) → auth with the server text', async () => {
    const credentials = fake.issueToken();
    fake.revokeToken(credentials.accessToken);
    expect(await failure(connector.publish(context(credentials), post('x')))).toMatchObject({ kind: 'auth', status: 401, networkMessage: 'The access token is invalid' });
  });

  it('403 (scope missing) → auth', async () => {
    const credentials = fake.issueToken('read:accounts write:statuses');
    expect(await failure(connector.publish(context(credentials), post('x', { media: [image('a')] })))).toMatchObject({ kind: 'auth', status: 403 });
  });

  it('429 → rate_limited with retryAfterMs from the ISO X-RateLimit-Reset', async () => {
    fake.rateLimitNext(fake.route('POST', '/api/v1/statuses'), 90_000);
    expect(await failure(connector.publish(context(), post('x')))).toMatchObject({ kind: 'rate_limited', status: 429, retryAfterMs: 90_000, networkMessage: 'Too many requests' });
    expect(fake.publishedCount).toBe(0);
  });

  it('a real 429 after the per-token limit carries the window end', async () => {
    const small = await startMastodonFake({ rateLimit: 2, startTime: START + 60_000 });
    extraFakes.push(small);
    const ctx: MastodonContext = { ...context(small.issueToken()), baseUrl: small.baseUrl, config: { ...context().config, accountId: small.accountId }, now: () => small.now() };
    await connector.publish(ctx, post('one'));
    await connector.publish(ctx, post('two'));
    // Windows are 5 minutes from the clock's 5-minute mark: START + 1 min → reset at START + 5 min.
    expect(await failure(connector.publish(ctx, post('three')))).toMatchObject({ kind: 'rate_limited', retryAfterMs: 4 * MINUTE });
  });

  it('5xx → transient', async () => {
    fake.serverErrorNext(fake.route('POST', '/api/v1/statuses'), 503);
    expect(await failure(connector.publish(context(), post('x')))).toMatchObject({ kind: 'transient', status: 503 });
  });

  it('a hung server → transient after the configured timeout', async () => {
    fake.hangNext(fake.route('POST', '/api/v1/statuses'));
    const started = Date.now();
    const error = await failure(connector.publish(context(), post('x')));
    expect(error.kind).toBe('transient');
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it('a reset connection → transient', async () => {
    fake.resetNext(fake.route('POST', '/api/v1/statuses'));
    expect((await failure(connector.publish(context(), post('x')))).kind).toBe('transient');
  });

  it('DNS failure or unreachable network → offline; refused → transient', async () => {
    const dnsDown: typeof fetch = () =>
      Promise.reject(new TypeError('fetch failed', { cause: Object.assign(new Error('getaddrinfo ENOTFOUND fake.social'), { code: 'ENOTFOUND' }) }));
    expect((await failure(connector.publish(context(undefined, { fetch: dnsDown }), post('x')))).kind).toBe('offline');
    const unreachable: typeof fetch = () =>
      Promise.reject(new TypeError('fetch failed', { cause: new AggregateError([Object.assign(new Error('connect ENETUNREACH'), { code: 'ENETUNREACH' })]) }));
    expect((await failure(connector.publish(context(undefined, { fetch: unreachable }), post('x')))).kind).toBe('offline');

    const closed = await startMastodonFake();
    const deadUrl = closed.baseUrl;
    await closed.close();
    expect((await failure(connector.publish(context(undefined, { baseUrl: deadUrl }), post('x')))).kind).toBe('transient');
  });

  it('ratio faults with a seeded RNG fail the same requests every run, all as transient', async () => {
    const ctx = context();
    const isPost = fake.route('POST', '/api/v1/statuses');
    fake.faultRatio({ kind: 'respond', response: { status: 502, text: 'Bad Gateway' } }, 0.4, 7, isPost);
    const kinds: string[] = [];
    for (let i = 0; i < 20; i++) {
      kinds.push(await connector.publish(ctx, post(`post ${i}`)).then(() => 'ok', (e: ConnectorError) => e.kind));
    }
    const random = seededRandom(7);
    const expected = kinds.map(() => (random() < 0.4 ? 'transient' : 'ok'));
    expect(kinds).toEqual(expected);
    expect(fake.publishedCount).toBe(expected.filter((k) => k === 'ok').length);
  });
});

describe('the fake refuses malformed requests', () => {
  it('a connector that sent the wrong field name, no token or a wrong PKCE verifier would fail its test', async () => {
    const credentials = fake.issueToken();
    // A bug that renames `status` to `text`: Mastodon says the text is blank, the fake also names the field.
    const renaming: typeof fetch = (input, init) =>
      fetch(input, typeof init?.body === 'string' ? { ...init, body: init.body.replace('"status":', '"text":') } : init);
    const error = await failure(connector.publish(context(credentials, { fetch: renaming }), post('hello')));
    expect(error.kind).toBe('validation');
    expect(fake.violations).toContainEqual(expect.stringContaining('unexpected field "text"'));

    const anonymous = await fetch(`${fake.baseUrl}/api/v1/statuses`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"status":"x"}' });
    expect(anonymous.status).toBe(401);
    expect(fake.violations).toContainEqual(expect.stringContaining('no Authorization header'));

    // PKCE: a code exchanged with a verifier that does not hash to the challenge.
    const app = (await (
      await fetch(`${fake.baseUrl}/api/v1/apps`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ client_name: 'Outpost', redirect_uris: 'http://127.0.0.1:1/callback', scopes: 'write:statuses' }) })
    ).json()) as { client_id: string; client_secret: string };
    const challenge = createHash('sha256').update('a'.repeat(43)).digest('base64url');
    const authorize = await fetch(
      `${fake.baseUrl}/oauth/authorize?response_type=code&client_id=${app.client_id}&redirect_uri=${encodeURIComponent('http://127.0.0.1:1/callback')}&scope=write:statuses&state=s&code_challenge=${challenge}&code_challenge_method=S256`,
      { redirect: 'manual' },
    );
    const code = new URL(authorize.headers.get('location')!).searchParams.get('code')!;
    const token = await fetch(`${fake.baseUrl}/oauth/token`, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'authorization_code', code, client_id: app.client_id, client_secret: app.client_secret, redirect_uri: 'http://127.0.0.1:1/callback', code_verifier: 'b'.repeat(43) }),
    });
    expect(token.status).toBe(400);
    expect(await token.json()).toMatchObject({ error: 'invalid_grant' });
    expect(fake.violations).toContainEqual(expect.stringContaining('sha256(code_verifier) does not match'));

    fake.violations.splice(0);
  });
});

describe('a thread on Mastodon', () => {
  it('posts each part as a reply to the one before (in_reply_to_id, checked against the OpenAPI document), and a lost part is found among the replies', async () => {
    const ctx = context();
    const first = await connector.publish(ctx, post('Thread on sourdough 1/3'));
    const second = await connector.publish(ctx, post('The starter 2/3', { idempotencyKey: 'job-2', replyTo: first.remoteId, media: [image('a jar of starter')] }));
    const startedAt = fake.now();
    fake.resetNext(fake.route('POST', '/api/v1/statuses'), true);
    await failure(connector.publish(ctx, post('The bake 3/3', { idempotencyKey: 'job-3', replyTo: second.remoteId })));
    fake.advance(MINUTE);
    const byText = (text: string) => fake.statuses.find((s) => s.text === text)!;
    expect(['Thread on sourdough 1/3', 'The starter 2/3', 'The bake 3/3'].map((text) => byText(text).inReplyToId)).toEqual([null, first.remoteId, second.remoteId]);
    expect(byText('The starter 2/3').mediaIds).toHaveLength(1);
    // The part is looked for under the part before it: found, so it is never sent again.
    expect(await connector.verifyComment(ctx, { remoteId: second.remoteId, idempotencyKey: 'job-3', text: 'The bake 3/3', startedAt })).toMatchObject({ found: true, comment: { remoteId: byText('The bake 3/3').id } });
    expect(fake.statuses.filter((s) => s.text === 'The bake 3/3')).toHaveLength(1);
    expect(fake.violations).toEqual([]);
  });
});
