import { inspect } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConnectorError, type FailureKind, type MediaItem } from '../../../main/core/connector';
import { createThreadsConnector, NO_RELAY_MESSAGE, type ThreadsContext, type ThreadsPublishRequest } from '../../../main/services/connectors/threads';
import { startLoopbackRelay, startThreadsFake, type FakeThreadsApp, type FakeThreadsUser, type LoopbackRelay, type ThreadsFake } from '../../fakes/threads-fake';

const connector = createThreadsConnector({ timeoutMs: 2000, pollIntervalMs: 5, pollTimeoutMs: 2000 });

const DAY = 24 * 3600_000;
let clock: number;
let th: ThreadsFake;
let relay: LoopbackRelay;
let app: FakeThreadsApp;
let user: FakeThreadsUser;
let token: string;

beforeEach(async () => {
  clock = Date.UTC(2026, 11, 5, 9, 0, 0);
  th = await startThreadsFake({ now: () => clock });
  relay = await startLoopbackRelay();
  app = th.addApp();
  user = th.addUser('cornerbakery');
  token = th.issueToken(user, app, { ageMs: DAY * 2 });
});

afterEach(async () => {
  await th.close();
  await relay.close();
});

function ctx(extra: Partial<ThreadsContext> = {}): ThreadsContext {
  return {
    baseUrl: th.baseUrl,
    credentials: { appId: app.id, accessToken: token, expiresAt: clock + 50 * DAY, issuedAt: clock - 2 * DAY, userId: user.id },
    config: { userId: user.id, username: user.username },
    fetch,
    now: () => clock,
    relay,
    ...extra,
  };
}

function post(text: string, media: MediaItem[] = [], extra: Partial<ThreadsPublishRequest> = {}): ThreadsPublishRequest {
  return { text, media, idempotencyKey: 'job-1', ...extra };
}

const PNG = Uint8Array.from(Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64'));
const image = (i = 0): MediaItem => ({ fileName: `photo-${i}.png`, mime: 'image/png', bytes: PNG, alt: `photo ${i}`, width: 400, height: 400 });
const video = (): MediaItem => ({ fileName: 'clip.mp4', mime: 'video/mp4', bytes: Uint8Array.from({ length: 900 }, (_, i) => i % 251), alt: 'a clip' });

async function failure(promise: Promise<unknown>, kind: FailureKind): Promise<ConnectorError> {
  const error = await promise.then(
    () => {
      throw new Error(`expected a ${kind} failure, but the call succeeded`);
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ConnectorError);
  expect((error as ConnectorError).kind).toBe(kind);
  expect(inspect(error, { depth: 8 })).not.toContain(token);
  return error as ConnectorError;
}

const creations = () => th.requests.filter((r) => r.method === 'POST' && r.path === th.path('me/threads'));
const publishes = () => th.requests.filter((r) => r.method === 'POST' && r.path === th.path('me/threads_publish'));

describe('Threads connector: publishing', () => {
  it('posts text with its link card, reply control and topic tag: one container, one publish, every call in the collection', async () => {
    const published = await connector.publish(ctx(), post('Fresh rye today https://bakery.example/menu', [], { threads: { replyControl: 'accounts_you_follow', topicTag: '#Bread' } }));
    const [made] = th.livePosts(user);
    expect(made).toMatchObject({ mediaType: 'TEXT', text: 'Fresh rye today https://bakery.example/menu', linkAttachment: 'https://bakery.example/menu', replyControl: 'accounts_you_follow', topicTag: 'Bread' });
    expect(published).toEqual({ remoteId: made!.id, url: `https://www.threads.net/@cornerbakery/post/${made!.id}`, publishedAt: clock });
    expect(creations()).toHaveLength(1);
    expect(publishes()).toHaveLength(1);
    // The token rides in the form body of POSTs, never their URL; every request matched a collection endpoint.
    expect(creations()[0]!.query.get('access_token')).toBeNull();
    expect(th.requests.every((r) => r.spec?.operation !== undefined)).toBe(true);
    expect(th.violations).toEqual([]);
  });

  it('takes an explicit link card and the account’s default reply control; no card when the post asks for no preview', async () => {
    await connector.publish(ctx({ config: { userId: user.id, username: user.username, replyControl: 'mentioned_only' } }), post('Menu', [], { threads: { linkAttachment: 'https://bakery.example/' } }));
    await connector.publish(ctx(), post('See https://bakery.example/x', [], { linkPreview: false, idempotencyKey: 'job-2' }));
    const [second, first] = th.livePosts(user).sort((a, b) => Number(b.id) - Number(a.id));
    expect(first).toMatchObject({ linkAttachment: 'https://bakery.example/', replyControl: 'mentioned_only' });
    expect(second!.linkAttachment).toBeUndefined();
  });

  it('publishes an image through the relay: Threads fetches the address, the relay is emptied after', async () => {
    await connector.publish(ctx(), post('Our new loaf', [image()]));
    const [made] = th.livePosts(user);
    expect(made).toMatchObject({ mediaType: 'IMAGE', text: 'Our new loaf', altTexts: ['photo 0'] });
    expect(Buffer.compare(made!.media[0]!, Buffer.from(PNG))).toBe(0);
    expect([...relay.fetches.values()]).toEqual([1]);
    expect(relay.held.size).toBe(0);
  });

  it('publishes a carousel: an item container each, then CAROUSEL with the children, published once', async () => {
    await connector.publish(ctx(), post('Three loaves', [image(0), image(1), image(2)], { threads: { topicTag: 'Bread' } }));
    const [made] = th.livePosts(user);
    expect(made).toMatchObject({ mediaType: 'CAROUSEL', text: 'Three loaves', topicTag: 'Bread', altTexts: ['photo 0', 'photo 1', 'photo 2'] });
    expect(creations().map((r) => r.body.fields.find(([n]) => n === 'media_type')?.[1])).toEqual(['IMAGE', 'IMAGE', 'IMAGE', 'CAROUSEL']);
    expect(publishes()).toHaveLength(1);
    expect(relay.held.size).toBe(0);
  });

  it('publishes a video once its container, polled, says FINISHED', async () => {
    await connector.publish(ctx(), post('Kneading', [video()]));
    const [made] = th.livePosts(user);
    expect(made).toMatchObject({ mediaType: 'VIDEO', text: 'Kneading' });
    const container = th.containers.find((c) => c.mediaType === 'VIDEO')!;
    const reads = th.requests.filter((r) => r.method === 'GET' && r.path === th.path(container.id));
    // Two reads IN_PROGRESS, the third FINISHED, then the publish.
    expect(reads).toHaveLength(3);
    expect(reads[0]!.query.get('fields')).toBe('id,status,error_message');
  });

  it('makes an expired container again, and publishes only the new one', async () => {
    th.nextContainers('EXPIRED');
    await connector.publish(ctx(), post('Late batch', [image()]));
    expect(th.containers.map((c) => c.status)).toEqual(['EXPIRED', 'PUBLISHED']);
    expect(th.livePosts(user)).toHaveLength(1);
    expect(publishes()).toHaveLength(1);
  });

  it('refuses a media post before any call when there is no relay, in plain words', async () => {
    const error = await failure(connector.publish(ctx({ relay: undefined }), post('Photo', [image()])), 'validation');
    expect(error.networkMessage).toBe(NO_RELAY_MESSAGE);
    expect(error.maybeSent).toBe(false);
    expect(th.requests).toHaveLength(0);
  });

  it('a relay Threads cannot download from fails as validation naming the relay; nothing is published', async () => {
    relay.broken = true;
    const error = await failure(connector.publish(ctx(), post('Photo', [image()])), 'validation');
    expect(error.networkSaid).toBe('FAILED_DOWNLOADING_IMAGE');
    expect(error.networkMessage).toContain('media relay');
    // Outpost opened the address itself and the relay answered 404 to it too.
    expect(error.networkMessage).toContain('answered HTTP 404 too');
    expect(error.maybeSent).toBe(false);
    expect(publishes()).toHaveLength(0);
  });

  it('refuses what the composer’s rules refuse, before any call: too long (emoji as UTF-8 bytes), a bad topic tag', async () => {
    // 120 four-byte emoji weigh 480, plus 21 letters: over 500.
    await failure(connector.publish(ctx(), post(`${'🍞'.repeat(120)}abcdefghijklmnopqrstu`)), 'validation');
    await failure(connector.publish(ctx(), post('Hi', [], { threads: { topicTag: 'Bread & butter' } })), 'validation');
    expect(th.requests).toHaveLength(0);
  });
});

describe('Threads connector: errors by Graph code', () => {
  it('maps 190 to auth, 4 and 32 to rate limits, 100 to validation with Threads’ words', async () => {
    th.failNext({ code: 190, subcode: 463, message: 'Session has expired' });
    const auth = await failure(connector.publish(ctx(), post('a')), 'auth');
    expect(auth.maybeSent).toBe(false);
    th.failNext({ code: 4, message: 'Application request limit reached', headers: { 'retry-after': '120' } });
    const rate = await failure(connector.publish(ctx(), post('b')), 'rate_limited');
    expect(rate.retryAfterMs).toBe(120_000);
    th.failNext({ code: 32, message: 'User request limit reached' }, th.match('POST', /threads_publish$/));
    await failure(connector.publish(ctx(), post('c')), 'rate_limited');
    th.failNext({ code: 100, message: 'Invalid parameter' });
    const invalid = await failure(connector.publish(ctx(), post('d')), 'validation');
    expect(invalid.networkSaid).toBe('Invalid parameter');
    expect(th.livePosts(user)).toHaveLength(0);
  });

  it('a 5xx after the publish ran is maybe-sent; verify then finds the post by its text, and it is never published again', async () => {
    th.faults.next(th.fault({ kind: 'server_error', status: 500 }, true), 1, th.match('POST', /threads_publish$/));
    const error = await failure(connector.publish(ctx(), post('Only once')), 'transient');
    expect(error.maybeSent).toBe(true);
    const found = await connector.verify(ctx(), { idempotencyKey: 'job-1', startedAt: clock, text: 'Only once' });
    expect(found).toMatchObject({ found: true, post: { remoteId: th.livePosts(user)[0]!.id } });
    expect(publishes()).toHaveLength(1);
  });

  it('verify cannot tell a post without text from another media post: the user decides', async () => {
    await connector.publish(ctx(), post('', [image()]));
    expect(await connector.verify(ctx(), { idempotencyKey: 'job-1', startedAt: clock, text: '' })).toEqual({ found: 'unknown' });
  });

  it('a refresh Threads refuses for a passing reason keeps the old token, which still works', async () => {
    const saved: string[] = [];
    const near = ctx({ credentials: { appId: app.id, accessToken: token, expiresAt: clock + 3 * DAY, issuedAt: clock - 57 * DAY, userId: user.id }, saveCredentials: async (c) => void saved.push(c.accessToken) });
    th.failNext({ code: 2, message: 'Service temporarily unavailable' }, th.match('GET', /refresh_access_token$/));
    await connector.publish(near, post('Still posting'));
    expect(saved).toEqual([]);
    expect(near.credentials.accessToken).toBe(token);
    expect(th.livePosts(user)).toHaveLength(1);
  });

  it('a lost answer (reset after handling) is maybe-sent; verify finds nothing when nothing went out', async () => {
    th.faults.next({ kind: 'reset', afterHandling: true }, 1, th.match('POST', /threads_publish$/));
    const error = await failure(connector.publish(ctx(), post('Lost')), 'transient');
    expect(error.maybeSent).toBe(true);
    expect(await connector.verify(ctx(), { idempotencyKey: 'job-1', startedAt: clock, text: 'Lost' })).toMatchObject({ found: true });
    expect(await connector.verify(ctx(), { idempotencyKey: 'job-2', startedAt: clock, text: 'Never sent' })).toEqual({ found: false });
  });
});

describe('Threads connector: delete, reply, quota, token refresh', () => {
  it('deletes a post, and deleting it again is done already', async () => {
    const published = await connector.publish(ctx(), post('Short-lived'));
    await connector.delete(ctx(), published.remoteId);
    expect(th.livePosts(user)).toHaveLength(0);
    await connector.delete(ctx(), published.remoteId);
    expect(th.requests.filter((r) => r.method === 'DELETE')).toHaveLength(2);
  });

  it('adds the first comment as a reply, and verifyComment finds it after a lost answer', async () => {
    const account = ctx({ config: { userId: user.id, username: user.username, replyControl: 'mentioned_only' } });
    const published = await connector.publish(account, post('Main post'));
    const reply = await connector.comment(account, published.remoteId, 'Recipe in the bio', 'job-1:comment');
    const made = th.posts.find((x) => x.id === reply.remoteId)!;
    expect(made.replyToId).toBe(published.remoteId);
    expect(made.replyControl).toBeUndefined();
    expect(th.replies(published.remoteId)).toEqual([expect.objectContaining({ id: reply.remoteId, text: 'Recipe in the bio' })]);
    expect(await connector.verifyComment(ctx(), { remoteId: published.remoteId, idempotencyKey: 'job-1:comment', text: 'Recipe in the bio', startedAt: clock })).toEqual({
      found: true,
      comment: { remoteId: reply.remoteId, url: expect.stringContaining(reply.remoteId) as string },
    });
    expect(await connector.verifyComment(ctx(), { remoteId: published.remoteId, idempotencyKey: 'x', text: 'Other', startedAt: clock })).toEqual({ found: false });
  });

  it('reads the publishing quota', async () => {
    await connector.publish(ctx(), post('One'));
    expect(await connector.publishingQuota(ctx())).toEqual({ posts: { used: 1, total: 250 }, replies: { used: 0, total: 1000 }, windowMs: 86_400_000 });
  });

  it('refreshes a token with under 7 days left before the call and saves it; a fresh one is left alone', async () => {
    const saved: string[] = [];
    const near = ctx({ credentials: { appId: app.id, accessToken: token, expiresAt: clock + 3 * DAY, issuedAt: clock - 57 * DAY, userId: user.id }, saveCredentials: async (c) => void saved.push(c.accessToken) });
    await connector.publish(near, post('After refresh'));
    expect(saved).toHaveLength(1);
    expect(saved[0]).not.toBe(token);
    expect(near.credentials).toMatchObject({ accessToken: saved[0], expiresAt: clock + 5_184_000_000, issuedAt: clock });
    expect(th.requests[0]!.path).toBe('/refresh_access_token');
    await connector.publish(near, post('Again', [], { idempotencyKey: 'job-2' }));
    expect(saved).toHaveLength(1);
  });
});

describe('a thread on Threads', () => {
  it('posts each part as a reply container (reply_to_id) to the one before, and a lost part is found among the replies', async () => {
    const account = ctx({ config: { userId: user.id, username: user.username, replyControl: 'mentioned_only' } });
    const first = await connector.publish(account, post('Thread on sourdough 1/3'));
    const second = await connector.publish(account, post('The starter 2/3', [], { idempotencyKey: 'job-2', replyTo: first.remoteId }));
    const third = await connector.publish(account, post('The bake 3/3', [], { idempotencyKey: 'job-3', replyTo: second.remoteId }));
    const byId = (id: string) => th.posts.find((x) => x.id === id)!;
    expect([first, second, third].map((p) => byId(p.remoteId).replyToId)).toEqual([undefined, first.remoteId, second.remoteId]);
    // Who may reply is the thread's first post's setting; the parts keep Threads' own.
    expect([first, second].map((p) => byId(p.remoteId).replyControl)).toEqual(['mentioned_only', undefined]);
    expect(await connector.verifyComment(ctx(), { remoteId: second.remoteId, idempotencyKey: 'job-3', text: 'The bake 3/3', startedAt: clock })).toMatchObject({ found: true, comment: { remoteId: third.remoteId } });
    expect(th.violations).toEqual([]);
  });
});
