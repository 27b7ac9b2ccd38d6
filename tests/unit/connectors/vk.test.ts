import { inspect } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConnectorError, type FailureKind, type MediaItem } from '../../../main/core/connector';
import { createVkConnector, vkQuotaResetAt, type VkContext, type VkCredentials, type VkPublishRequest } from '../../../main/services/connectors/vk';
import { VkApiError } from '../../../main/services/connectors/vk/api';
import { startVkFake, type FakeVkGroup, type FakeVkUser, type VkFake } from '../../fakes/vk-fake';

const connector = createVkConnector({ timeoutMs: 500, uploadTimeoutMs: 500 });

let clock: number;
let vk: VkFake;
let user: FakeVkUser;
let group: FakeVkGroup;

beforeEach(async () => {
  clock = Date.UTC(2026, 11, 5, 9, 0, 0);
  vk = await startVkFake({ now: () => clock });
  user = vk.addUser();
  group = vk.addGroup({ name: 'Bakery on Lenina' });
  vk.setRole(group, user, 'editor');
});

afterEach(async () => {
  await vk.close();
});

function ctx(credentials: Partial<VkCredentials> = {}, saved: VkCredentials[] = []): VkContext {
  return {
    baseUrl: vk.baseUrl,
    credentials: { flow: 'implicit', appId: '51000001', accessToken: user.token, expiresAt: null, userId: user.id, ...credentials } as VkCredentials,
    config: { groupId: group.id, screenName: group.screenName, name: group.name },
    fetch,
    now: () => clock,
    saveCredentials: async (renewed) => {
      saved.push(renewed);
    },
  };
}

function post(text: string, media: MediaItem[] = [], extra: Partial<VkPublishRequest> = {}): VkPublishRequest {
  return { text, media, idempotencyKey: 'job-1', ...extra };
}

const PNG = Uint8Array.from(Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64'));
const image = (i = 0): MediaItem => ({ fileName: `photo-${i}.png`, mime: 'image/png', bytes: PNG, alt: `photo ${i}`, width: 1, height: 1 });
const video = (): MediaItem => ({ fileName: 'clip.mp4', mime: 'video/mp4', bytes: new Uint8Array([0, 0, 0, 24, 102, 116, 121, 112]), alt: '' });

async function failure(promise: Promise<unknown>, kind: FailureKind): Promise<ConnectorError> {
  const error = await promise.then(
    () => {
      throw new Error(`expected a ${kind} failure, but the call succeeded`);
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ConnectorError);
  expect((error as ConnectorError).kind).toBe(kind);
  // The token never shows up in what the log or the user may see.
  expect(inspect(error, { depth: 8 })).not.toContain(user.token);
  return error as ConnectorError;
}

describe('VK connector: publishing to a community wall', () => {
  it('posts text from the community with a guid, and the link to the post', async () => {
    const published = await connector.publish(ctx(), post('Fresh bread at 9'));
    const [wallPost] = vk.livePosts(group);
    expect(wallPost).toMatchObject({ text: 'Fresh bread at 9', fromGroup: true, postponed: false });
    expect(wallPost!.guid).toMatch(/^[0-9a-f]{32}$/);
    expect(published.remoteId).toBe(`-${group.id}_${wallPost!.id}`);
    expect(published.url).toBe(`https://vk.com/wall-${group.id}_${wallPost!.id}`);
    expect(vk.violations).toEqual([]);
  });

  it('uploads ten photos through the wall upload server and attaches them in order', async () => {
    const photos = Array.from({ length: 10 }, (_, i) => image(i));
    await connector.publish(ctx(), post('Menu', photos));
    const [wallPost] = vk.livePosts(group);
    expect(wallPost!.attachments).toEqual(vk.photos.map((p) => `photo${p.ownerId}_${p.id}`));
    expect(vk.photos.map((p) => p.caption)).toEqual(photos.map((p) => p.alt));
    expect(vk.methods().filter((m) => m === 'photos.getWallUploadServer')).toHaveLength(10);
  });

  it('refuses an eleventh attachment before any call', async () => {
    const error = await failure(connector.publish(ctx(), post('Too many', Array.from({ length: 11 }, (_, i) => image(i)))), 'validation');
    expect(error.maybeSent).toBe(false);
    expect(vk.methods()).toEqual([]);
  });

  it('uploads a video with video.save and attaches it, with the link from the text', async () => {
    await connector.publish(ctx(), post('Our oven at work https://bakery.example/oven', [video()]));
    const [wallPost] = vk.livePosts(group);
    expect(wallPost!.attachments).toEqual([`video-${group.id}_${vk.videos[0]!.id}`, 'https://bakery.example/oven']);
    expect(vk.videos[0]!.file?.bytes.length).toBe(8);
  });

  it('sends signed, the ad mark, the copyright source and closed comments', async () => {
    await connector.publish(ctx(), post('Sponsored', [], { vk: { signed: true, markAsAds: true, copyright: 'https://source.example', closeComments: true } }));
    expect(vk.livePosts(group)[0]).toMatchObject({ signed: true, markedAsAds: true, copyright: 'https://source.example', closeComments: true });
  });

  it('adds the first comment from the community, once however often it is sent', async () => {
    const published = await connector.publish(ctx(), post('With a comment'));
    const first = await connector.comment(ctx(), published.remoteId, 'Order at bakery.example', 'job-2');
    // A repeat after a lost answer carries the same guid: VK answers with the first comment, so the engine may resend.
    expect(await connector.comment(ctx(), published.remoteId, 'Order at bakery.example', 'job-2')).toEqual(first);
    expect(connector.commentResendSafe).toBe(true);
    const [comment] = vk.livePosts(group)[0]!.comments;
    expect(vk.livePosts(group)[0]!.comments).toEqual([expect.objectContaining({ text: 'Order at bakery.example', fromGroup: group.id })]);
    const [owner, postId] = published.remoteId.split('_');
    expect(first).toEqual({ remoteId: `${owner}_${comment!.id}`, url: `https://vk.com/wall${owner}_${postId}?reply=${comment!.id}` });
  });

  it('deletes the post (auto-delete)', async () => {
    const published = await connector.publish(ctx(), post('Gone in an hour'));
    await connector.delete(ctx(), published.remoteId);
    expect(vk.livePosts(group)).toEqual([]);
    // Again (a retry after a lost answer): already gone is done.
    await connector.delete(ctx(), published.remoteId);
  });

  it('a delete VK refuses for a post that is still there fails with VK’s words', async () => {
    const published = await connector.publish(ctx(), post('Stays'));
    vk.failNext({ error: 100, message: 'One of the parameters specified was missing or invalid: post_id' }, { method: 'wall.delete' });
    const error = await failure(connector.delete(ctx(), published.remoteId), 'validation');
    expect(error.networkSaid).toBe('One of the parameters specified was missing or invalid: post_id');
    expect(vk.livePosts(group)).toHaveLength(1);
  });
});

describe('VK connector: exactly once', () => {
  it('a retry after a lost answer reuses the guid, so VK keeps one post', async () => {
    vk.failNext({ lose: true }, { method: 'wall.post' });
    const lost = await failure(connector.publish(ctx(), post('Only once', [image()])), 'transient');
    expect(lost.maybeSent).toBe(true);
    expect(vk.livePosts(group)).toHaveLength(1);
    const retried = await connector.publish(ctx(), post('Only once', [image()]));
    expect(vk.livePosts(group)).toHaveLength(1);
    expect(retried.remoteId).toBe(`-${group.id}_${vk.livePosts(group)[0]!.id}`);
  });

  it('a 5xx after VK handled the post is "maybe sent"', async () => {
    vk.failNext({ status: 502 }, { method: 'wall.post', afterHandling: true });
    const error = await failure(connector.publish(ctx(), post('Behind a gateway')), 'transient');
    expect(error.maybeSent).toBe(true);
  });

  it('a failed photo upload leaves nothing posted and says so', async () => {
    vk.failNext({ error: 6 }, { method: 'photos.saveWallPhoto' });
    const error = await failure(connector.publish(ctx(), post('Photo', [image()])), 'rate_limited');
    expect(error.maybeSent).toBe(false);
    expect(vk.livePosts(group)).toEqual([]);
  });

  it('verify after a crash finds the post VK made, and says when it is not there', async () => {
    const startedAt = clock;
    expect(await connector.verify(ctx(), { idempotencyKey: 'job-1', startedAt, text: 'After the crash' })).toEqual({ found: false });
    vk.failNext({ lose: true }, { method: 'wall.post' });
    await failure(connector.publish(ctx(), post('After the crash')), 'transient');
    const found = await connector.verify(ctx(), { idempotencyKey: 'job-1', startedAt, text: 'After the crash' });
    expect(found).toMatchObject({ found: true, post: { remoteId: `-${group.id}_${vk.livePosts(group)[0]!.id}` } });
  });

  it('a verify that cannot reach VK fails as transient, so the scheduler asks again instead of guessing', async () => {
    vk.failNext({ status: 503 }, { method: 'wall.get' });
    await failure(connector.verify(ctx(), { idempotencyKey: 'job-1', startedAt: clock, text: 'x' }), 'transient');
  });

  it('verify pages back through a busy wall, and says unknown only past 500 newer posts', async () => {
    vk.failNext({ lose: true }, { method: 'wall.post' });
    await failure(connector.publish(ctx(), post('Deep in the wall')), 'transient');
    for (let i = 0; i < 150; i++) await connector.publish(ctx(), post(`busy wall ${i}`, [], { idempotencyKey: `job-busy-${i}` }));
    expect(await connector.verify(ctx(), { idempotencyKey: 'job-1', startedAt: clock, text: 'Deep in the wall' })).toMatchObject({ found: true });
    for (let i = 150; i < 500; i++) await connector.publish(ctx(), post(`busy wall ${i}`, [], { idempotencyKey: `job-busy-${i}` }));
    expect(await connector.verify(ctx(), { idempotencyKey: 'job-1', startedAt: clock, text: 'not among them' })).toEqual({ found: 'unknown' });
  }, 60_000);
});

describe("VK connector: VK's error codes", () => {
  it('5: the sign-in is gone → auth, with VK\'s words kept apart', async () => {
    vk.revoke(user);
    const error = await failure(connector.publish(ctx(), post('Hi')), 'auth');
    expect(error.networkSaid).toBe('User authorization failed: invalid access_token (4).');
    expect(error.maybeSent).toBe(false);
  });

  it('6 and 9 → rate limited with a wait; 29 waits for the daily reset', async () => {
    vk.failNext({ error: 6 }, { method: 'wall.post' });
    expect((await failure(connector.publish(ctx(), post('a')), 'rate_limited')).retryAfterMs).toBe(1000);
    vk.failNext({ error: 9 }, { method: 'wall.post' });
    expect((await failure(connector.publish(ctx(), post('b')), 'rate_limited')).retryAfterMs).toBeGreaterThanOrEqual(60_000);
    vk.failNext({ error: 29 }, { method: 'wall.post' });
    const quota = await failure(connector.publish(ctx(), post('c')), 'rate_limited');
    // 09:00 UTC is 12:00 in Moscow: VK's day turns at 21:00 UTC.
    expect(quota.retryAfterMs).toBe(12 * 3600_000);
    expect(vkQuotaResetAt(Date.UTC(2026, 11, 5, 21, 30))).toBe(Date.UTC(2026, 11, 6, 21, 0));
    expect(vk.livePosts(group)).toEqual([]);
  });

  it('14: a captcha stops the job with the image to show; it is not sent again by the connector', async () => {
    // The answer's round trip is in vk-captcha.test.ts.
    vk.failNext({ error: 14 }, { method: 'wall.post' });
    const error = await failure(connector.publish(ctx(), post('Captcha')), 'validation');
    expect(error).toBeInstanceOf(VkApiError);
    expect(error.challenge?.imageUrl).toMatch(/captcha\.php\?sid=/);
    expect(vk.methods().filter((m) => m === 'wall.post')).toHaveLength(1);
  });

  it('214: not an editor → validation with VK\'s message', async () => {
    vk.setRole(group, user, 'member');
    const error = await failure(connector.publish(ctx(), post('Not mine')), 'validation');
    expect(error.networkSaid).toBe('Access to adding post denied');
  });

  it('27 and 15 → auth', async () => {
    vk.failNext({ error: 27 }, { method: 'wall.post' });
    await failure(connector.publish(ctx(), post('a')), 'auth');
    vk.failNext({ error: 15 }, { method: 'wall.post' });
    await failure(connector.publish(ctx(), post('b')), 'auth');
  });

  it('a request off the schema is refused by the fake as VK would (100), so a shape bug fails a test', async () => {
    const res = await fetch(`${vk.baseUrl}/method/wall.post`, {
      method: 'POST',
      body: new URLSearchParams({ owner_id: `-${group.id}`, message: 'x', close_comments: 'yes', access_token: user.token, v: '5.199' }),
    });
    expect(await res.json()).toMatchObject({ error: { error_code: 100 } });
    expect(vk.violations).toEqual(['wall.post: /close_comments must be boolean']);
    vk.violations.length = 0;
  });
});

describe('VK connector: VK ID tokens', () => {
  it('refreshes a token about to expire before posting and hands the new pair to the keychain', async () => {
    const app = vk.addApp();
    const saved: VkCredentials[] = [];
    // A real VK ID pair from the fake's token endpoint, through a sign-in.
    vk.signInAs(user);
    const { signInWithVkId } = await import('../../../main/services/connectors/vk/sign-in');
    const signed = await signInWithVkId({
      appId: app.appId,
      apiBaseUrl: vk.baseUrl,
      openExternal: async (url) => {
        await fetch(url);
      },
      now: () => clock,
    });
    clock += 58 * 60_000;
    await connector.publish(ctx(signed.credentials, saved), post('Fresh token'));
    expect(saved).toHaveLength(1);
    expect(saved[0]!.accessToken).not.toBe(signed.credentials.accessToken);
    expect(vk.livePosts(group)).toHaveLength(1);
  });

  it('two posts of one community that refresh at once share one exchange (refresh tokens are single-use)', async () => {
    const app = vk.addApp();
    vk.signInAs(user);
    const { signInWithVkId } = await import('../../../main/services/connectors/vk/sign-in');
    const signed = await signInWithVkId({ appId: app.appId, apiBaseUrl: vk.baseUrl, openExternal: async (url) => void (await fetch(url)), now: () => clock });
    clock += 59 * 60_000;
    const saved: VkCredentials[] = [];
    await Promise.all([connector.publish(ctx(signed.credentials, saved), post('one', [], { idempotencyKey: 'a' })), connector.publish(ctx(signed.credentials, saved), post('two', [], { idempotencyKey: 'b' }))]);
    expect(vk.livePosts(group)).toHaveLength(2);
    expect(vk.server.requests.filter((r) => r.path === '/oauth2/auth')).toHaveLength(2);
    expect(new Set(saved.map((c) => c.accessToken)).size).toBe(1);
  });
});
