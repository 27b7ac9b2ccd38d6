import { inspect } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConnectorError, type FailureKind, type MediaItem, type PublishRequest } from '../../../main/core/connector';
import { comparableXText, createXConnector, type XConfig, type XContext, type XCredentials } from '../../../main/services/connectors/x';
import { startXFake, type FakeXUser, type XFake } from '../../fakes/x-fake';

const PNG = Uint8Array.from(Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64'));
const image = (i: number, alt = `photo ${i}`): MediaItem => ({ fileName: `photo-${i}.png`, mime: 'image/png', bytes: PNG, alt, width: 1, height: 1 });
const video = (bytes = 10_000): MediaItem => ({ fileName: 'clip.mp4', mime: 'video/mp4', bytes: new Uint8Array(bytes).fill(7), alt: 'the oven at dawn', width: 1280, height: 720 });
const post = (text: string, media: MediaItem[] = []): PublishRequest => ({ text, media, idempotencyKey: 'job-1' });

let x: XFake;
let user: FakeXUser;
let credentials: XCredentials;
const naps: number[] = [];
const connector = createXConnector({ timeoutMs: 1_500, chunkBytes: 4_000, sleep: async (ms) => void naps.push(ms) });

beforeEach(async () => {
  naps.length = 0;
  x = await startXFake();
  const app = x.addApp();
  user = x.addUser('cornerbakery', 'Corner Bakery');
  x.signInAs(user);
  // A token straight from the fake's token endpoint, as the sign-in would get it.
  const authorize = await fetch(`${x.baseUrl}/i/oauth2/authorize?response_type=code&client_id=${app.clientId}&redirect_uri=${encodeURIComponent('http://127.0.0.1:1/callback')}&scope=tweet.read%20tweet.write%20users.read%20media.write%20offline.access&state=s&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256`, { redirect: 'manual' });
  const code = new URL(authorize.headers.get('location')!).searchParams.get('code')!;
  const token = await fetch(`${x.baseUrl}/2/oauth2/token`, {
    method: 'POST',
    body: new URLSearchParams({ grant_type: 'authorization_code', code, client_id: app.clientId, redirect_uri: 'http://127.0.0.1:1/callback', code_verifier: 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk' }),
  });
  const json = (await token.json()) as { access_token: string; refresh_token: string };
  credentials = { clientId: app.clientId, accessToken: json.access_token, refreshToken: json.refresh_token, accessExpiresAt: Date.now() + 7200_000, issuedAt: Date.now(), userId: user.id };
});

afterEach(async () => {
  const violations = [...x.violations];
  await x.close();
  expect(violations).toEqual([]);
});

function ctx(config: Partial<XConfig> = {}): XContext {
  return { baseUrl: x.baseUrl, credentials, config: { userId: user.id, username: 'cornerbakery', ...config }, fetch, now: Date.now };
}

async function failure(promise: Promise<unknown>, kind: FailureKind): Promise<ConnectorError> {
  const error = await promise.then(
    () => {
      throw new Error(`expected a ${kind} failure`);
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ConnectorError);
  expect((error as ConnectorError).kind).toBe(kind);
  expect(inspect(error, { depth: 8 })).not.toContain(credentials.accessToken);
  return error as ConnectorError;
}

describe('publishing to X', () => {
  it('posts text and answers the post’s id and x.com address', async () => {
    const published = await connector.publish(ctx(), post('Fresh bread at 7 🥖'));
    const [live] = x.live(user);
    expect(live!.text).toBe('Fresh bread at 7 🥖');
    expect(published.remoteId).toBe(live!.id);
    expect(published.url).toBe(`https://x.com/cornerbakery/status/${live!.id}`);
    const sent = x.requests.find((r) => r.path === '/2/tweets')!;
    expect(sent.body.json).toEqual({ text: 'Fresh bread at 7 🥖' });
  });

  it('uploads up to four images, each with its alt text, and attaches them in order', async () => {
    await connector.publish(ctx(), post('Four loaves', [image(1), image(2, ''), image(3), image(4)]));
    const [live] = x.live(user);
    expect(live!.mediaIds).toHaveLength(4);
    const uploaded = live!.mediaIds.map((id) => x.media.find((m) => m.id === id)!);
    expect(uploaded.map((m) => m.category)).toEqual(['tweet_image', 'tweet_image', 'tweet_image', 'tweet_image']);
    expect(uploaded.map((m) => m.alt)).toEqual(['photo 1', undefined, 'photo 3', 'photo 4']);
    // One metadata call per image that has alt text; none for the one without.
    expect(x.requests.filter((r) => r.path === '/2/media/metadata')).toHaveLength(3);
  });

  it('uploads a video in chunks, waits while X processes it, then posts it', async () => {
    x.processing(3);
    await connector.publish(ctx(), post('Behind the counter', [video(10_000)]));
    const [live] = x.live(user);
    const clip = x.media.find((m) => m.id === live!.mediaIds[0])!;
    expect(clip).toMatchObject({ category: 'tweet_video', mime: 'video/mp4', bytes: 10_000, totalBytes: 10_000, segments: [4_000, 4_000, 2_000], alt: 'the oven at dawn' });
    const order = x.requests.filter((r) => r.path.startsWith('/2/media/upload') || r.path === '/2/tweets').map((r) => `${r.method} ${r.path.replace(/\d{6,}/, ':id')}`);
    expect(order).toEqual([
      'POST /2/media/upload/initialize',
      'POST /2/media/upload/:id/append',
      'POST /2/media/upload/:id/append',
      'POST /2/media/upload/:id/append',
      'POST /2/media/upload/:id/finalize',
      'GET /2/media/upload',
      'GET /2/media/upload',
      'GET /2/media/upload',
      'POST /2/tweets',
    ]);
    // It waited as X's check_after_secs said, between status reads.
    expect(naps).toEqual([1000, 1000, 1000]);
  });

  it('refuses a video X could not process, before posting anything', async () => {
    x.processing('fail');
    const error = await failure(connector.publish(ctx(), post('Broken clip', [video()])), 'validation');
    expect(error.networkMessage).toMatch(/could not process clip\.mp4/);
    expect(error.maybeSent).toBe(false);
    expect(x.posts).toEqual([]);
  });

  it('sends the account’s reply settings', async () => {
    await connector.publish(ctx({ replySettings: 'following' }), post('Only people we follow may reply'));
    expect(x.live(user)[0]!.replySettings).toBe('following');
  });

  it('refuses a post over 280 weighted characters before any call', async () => {
    await failure(connector.publish(ctx(), post('é'.repeat(200) + '漢'.repeat(50))), 'validation');
    expect(x.requests.filter((r) => r.path.startsWith('/2/') && r.path !== '/2/oauth2/token')).toEqual([]);
  });

  it('deletes a post, and a post already gone counts as deleted', async () => {
    const published = await connector.publish(ctx(), post('Gone in an hour'));
    await connector.delete(ctx(), published.remoteId);
    expect(x.live(user)).toEqual([]);
    await connector.delete(ctx(), published.remoteId);
  });
});

describe('results on X', () => {
  it('reads a post’s public metrics, and a deleted post is gone', async () => {
    const published = await connector.publish(ctx(), post('How did this do?'));
    const stored = x.posts.find((p) => p.id === published.remoteId)!;
    stored.metrics = { like_count: 12, retweet_count: 3, reply_count: 2, quote_count: 1, impression_count: 480, bookmark_count: 4 };
    expect(await connector.metrics!(ctx(), published.remoteId)).toEqual({ likes: 12, reposts: 3, replies: 2, quotes: 1, views: 480, saves: 4 });
    await connector.delete(ctx(), published.remoteId);
    expect(await connector.metrics!(ctx(), published.remoteId)).toBe('gone');
  });
});

describe('X’s refusals and failures', () => {
  it('refuses duplicate content as a refusal with X’s words, never as a retry', async () => {
    await connector.publish(ctx(), post('Same words'));
    const error = await failure(connector.publish(ctx(), post('Same words')), 'validation');
    expect(error.status).toBe(403);
    expect(error.networkSaid).toBe('You are not allowed to create a Tweet with duplicate content.');
    expect(error.maybeSent).toBe(false);
    expect(x.live(user)).toHaveLength(1);
  });

  it('waits until x-rate-limit-reset after a 429', async () => {
    x.rateLimitNext(90);
    const error = await failure(connector.publish(ctx(), post('Later')), 'rate_limited');
    expect(error.retryAfterMs).toBeGreaterThan(85_000);
    expect(error.retryAfterMs).toBeLessThanOrEqual(91_000);
    expect(error.maybeSent).toBe(false);
  });

  it('asks for a reconnect on 401 when the token cannot be renewed', async () => {
    x.expireAccessTokens();
    x.revokeRefreshTokens();
    const error = await failure(connector.publish(ctx(), post('Nope')), 'auth');
    expect(error.maybeSent).toBe(false);
  });

  it('takes a 500 after X handled the post as maybe sent; verify finds it, so nothing is sent twice', async () => {
    const startedAt = Date.now();
    x.server.faults.next(x.server.fault({ kind: 'server_error', status: 500 }, true), 1, (r) => r.path === '/2/tweets');
    const error = await failure(connector.publish(ctx(), post('Lost & found <3 https://bakery.example/menu')), 'transient');
    expect(error.maybeSent).toBe(true);
    // X shows the text back with t.co links and HTML escapes: still the same post.
    const outcome = await connector.verify!(ctx(), { idempotencyKey: 'job-1', startedAt, text: 'Lost & found <3 https://bakery.example/menu' });
    expect(outcome).toMatchObject({ found: true, post: { remoteId: x.live(user)[0]!.id } });
    expect(x.live(user)).toHaveLength(1);
  });

  it('a reset before X handled the post: verify says not found, so the engine may send it again', async () => {
    const startedAt = Date.now();
    x.server.faults.next({ kind: 'reset' }, 1, (r) => r.path === '/2/tweets');
    const error = await failure(connector.publish(ctx(), post('Try again')), 'transient');
    expect(error.maybeSent).toBe(true);
    expect(await connector.verify!(ctx(), { idempotencyKey: 'job-1', startedAt, text: 'Try again' })).toEqual({ found: false });
  });

  it('a hang after X created the post (timeout) is found by verify', async () => {
    const startedAt = Date.now();
    x.server.faults.next({ kind: 'hang', afterHandling: true }, 1, (r) => r.path === '/2/tweets');
    const error = await failure(connector.publish(ctx(), post('Slow answer', [image(1)])), 'transient');
    expect(error.maybeSent).toBe(true);
    expect(await connector.verify!(ctx(), { idempotencyKey: 'job-1', startedAt, text: 'Slow answer' })).toMatchObject({ found: true });
  });

  it('cannot tell when X cannot list the posts: unknown, never "not found"', async () => {
    x.server.faults.next(x.server.fault({ kind: 'server_error', status: 503 }), 1, (r) => r.path.endsWith('/tweets') && r.method === 'GET');
    expect(await connector.verify!(ctx(), { idempotencyKey: 'job-1', startedAt: Date.now(), text: 'x' })).toEqual({ found: 'unknown' });
  });

  it('a media upload that fails is known not to have sent the post', async () => {
    x.server.faults.next(x.server.fault({ kind: 'server_error', status: 500 }, true), 1, (r) => r.path === '/2/media/upload');
    const error = await failure(connector.publish(ctx(), post('With photo', [image(1)])), 'transient');
    expect(error.maybeSent).toBe(false);
  });
});

describe('the monthly cap', () => {
  it('counts the account’s posts of the last 30 days against the cap the user stated', async () => {
    await connector.publish(ctx(), post('one'));
    await connector.publish(ctx(), post('two'));
    expect(await connector.publishingQuota!(ctx({ monthlyCap: 500 }))).toEqual({ posts: { used: 2, total: 500 }, replies: null, windowMs: 30 * 24 * 3600_000 });
  });

  it('has nothing to show when no cap was stated', async () => {
    await expect(connector.publishingQuota!(ctx())).rejects.toBeInstanceOf(ConnectorError);
  });
});

describe('matching X’s text back', () => {
  it('ignores t.co links, the media link and HTML escapes', () => {
    expect(comparableXText('A & B <3 https://t.co/abc https://t.co/media')).toBe(comparableXText('A &amp; B &lt;3 https://example.com/x'));
  });
});

describe('a thread on X', () => {
  it('posts each part as a reply to the one before (reply.in_reply_to_tweet_id, checked against the OpenAPI document), the account’s reply setting on the first only', async () => {
    const account = ctx({ replySettings: 'following' });
    const first = await connector.publish(account, post('Thread on sourdough 1/3'));
    const second = await connector.publish(account, { ...post('The starter 2/3', [image(1)]), idempotencyKey: 'job-2', replyTo: first.remoteId });
    const third = await connector.publish(account, { ...post('The bake 3/3'), idempotencyKey: 'job-3', replyTo: second.remoteId });
    const byId = (id: string) => x.posts.find((p) => p.id === id)!;
    expect([first, second, third].map((p) => [byId(p.remoteId).inReplyTo, byId(p.remoteId).replySettings])).toEqual([
      [undefined, 'following'],
      [first.remoteId, undefined],
      [second.remoteId, undefined],
    ]);
    expect(byId(second.remoteId).mediaIds).toHaveLength(1);
  });

  it('a reply to a post that is gone is refused with X’s words, never sent twice', async () => {
    const error = await failure(connector.publish(ctx(), { ...post('Orphan part 2/2'), replyTo: '1999' }), 'validation');
    expect(error.networkMessage).toContain('replying to was deleted');
    expect(x.posts).toHaveLength(0);
  });

  it('a part whose answer was lost is found among the account’s posts by verify', async () => {
    const first = await connector.publish(ctx(), post('Thread start 1/2'));
    const startedAt = Date.now();
    x.server.faults.next(x.server.fault({ kind: 'reset' }, true), 1, (req) => req.method === 'POST' && req.path === '/2/tweets');
    expect((await failure(connector.publish(ctx(), { ...post('Thread end 2/2'), idempotencyKey: 'job-2', replyTo: first.remoteId }), 'transient')).maybeSent).toBe(true);
    const made = x.posts.find((p) => p.text === 'Thread end 2/2')!;
    expect(made.inReplyTo).toBe(first.remoteId);
    expect(await connector.verify!(ctx(), { idempotencyKey: 'job-2', startedAt, text: 'Thread end 2/2' })).toMatchObject({ found: true, post: { remoteId: made.id } });
  });
});
