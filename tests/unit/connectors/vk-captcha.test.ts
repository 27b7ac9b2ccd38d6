import { afterEach, beforeEach, expect, it } from 'vitest';
import { ConnectorError, type ChallengeAnswer, type MediaItem } from '../../../main/core/connector';
import { createVkConnector, type VkContext, type VkPublishRequest } from '../../../main/services/connectors/vk';
import { VkApiError, vkCall, type VkHttp } from '../../../main/services/connectors/vk/api';
import { encodePng } from '../../support/png';
import type { FakeRequest } from '../../fakes/fake-server';
import { startVkFake, type FakeVkGroup, type FakeVkUser, type VkFake } from '../../fakes/vk-fake';

/**
 * VK's captcha (error 14, dev.vk.com/ru/api/captcha-error) in the connector: the refusal carries the
 * captcha (sid, picture, refused method) as a network-neutral challenge and proves nothing was sent;
 * an answer in the context goes as captcha_sid/captcha_key with the refused method's next call only.
 */

const connector = createVkConnector({ timeoutMs: 2_000, uploadTimeoutMs: 2_000 });

let vk: VkFake;
let user: FakeVkUser;
let group: FakeVkGroup;

beforeEach(async () => {
  vk = await startVkFake();
  user = vk.addUser();
  group = vk.addGroup({ name: 'Bakery' });
  vk.setRole(group, user, 'editor');
});

afterEach(async () => {
  await vk.close();
});

function ctx(challengeAnswer?: ChallengeAnswer): VkContext {
  return {
    baseUrl: vk.baseUrl,
    credentials: { flow: 'implicit', appId: '51000001', accessToken: user.token, expiresAt: null, userId: user.id },
    config: { groupId: group.id, screenName: group.screenName, name: group.name },
    fetch,
    now: Date.now,
    ...(challengeAnswer ? { challengeAnswer } : {}),
  };
}

const post = (text: string, media: MediaItem[] = []): VkPublishRequest => ({ text, media, idempotencyKey: 'job-1' });
const photo: MediaItem = { fileName: 'bread.png', mime: 'image/png', bytes: encodePng(4, 4, () => [200, 150, 90]), alt: '', width: 4, height: 4 };
const field = (req: FakeRequest, name: string) => req.body.fields.find(([n]) => n === name)?.[1];
const sent = () => vk.server.requests.filter((r) => r.path.startsWith('/method/')).map((r) => ({ method: r.path.slice('/method/'.length), sid: field(r, 'captcha_sid'), key: field(r, 'captcha_key') }));

async function refusal(promise: Promise<unknown>): Promise<ConnectorError> {
  const error = await promise.then(
    () => {
      throw new Error('expected VK to refuse');
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ConnectorError);
  return error as ConnectorError;
}

it('maps 14 to a refusal carrying the captcha (sid, picture, refused method), not an auth failure, and not sent', async () => {
  vk.failNext({ error: 14 }, { method: 'wall.post' });
  const error = await refusal(connector.publish(ctx(), post('Fresh bread')));
  expect(error).toBeInstanceOf(VkApiError);
  expect((error as VkApiError).code).toBe(14);
  expect(error.kind).toBe('validation');
  expect(error.maybeSent).toBe(false);
  expect(error.networkSaid).toBe('Captcha needed');
  expect(error.challenge).toEqual({ kind: 'captcha', id: expect.any(String) as string, imageUrl: expect.stringMatching(/\/captcha\.php\?sid=\d+$/) as string, call: 'wall.post' });
  expect(error.challenge!.imageUrl).toContain(`sid=${error.challenge!.id}`);
  expect(vk.posts).toEqual([]);
});

it('a captcha on an upload step keeps its challenge (and is not sent) through beforeSending', async () => {
  vk.failNext({ error: 14 }, { method: 'photos.getWallUploadServer' });
  const error = await refusal(connector.publish(ctx(), post('With a photo', [photo])));
  expect(error.challenge).toMatchObject({ kind: 'captcha', call: 'photos.getWallUploadServer' });
  expect(error.maybeSent).toBe(false);
  expect(sent().map((s) => s.method)).toEqual(['photos.getWallUploadServer']);
});

it('sends the answer as captcha_sid/captcha_key with the refused method only, once: the uploads before it carry none', async () => {
  const answer: ChallengeAnswer = { challenge: { kind: 'captcha', id: '777', imageUrl: `${vk.baseUrl}/captcha.php?sid=777`, call: 'wall.post' }, answer: 'x7kq2' };
  await connector.publish(ctx(answer), post('With a photo', [photo]));
  expect(sent()).toEqual([
    { method: 'photos.getWallUploadServer', sid: undefined, key: undefined },
    { method: 'photos.saveWallPhoto', sid: undefined, key: undefined },
    { method: 'wall.post', sid: '777', key: 'x7kq2' },
  ]);
  expect(vk.livePosts(group)).toHaveLength(1);
  expect(vk.violations).toEqual([]);
});

it('an answer is used for one call: the same method called twice sends it with the first only', async () => {
  const http: VkHttp = { baseUrl: vk.baseUrl, fetch, now: Date.now, token: user.token, captcha: { sid: '9', key: 'abc', method: 'groups.getById' } };
  await vkCall(http, 'groups.getById', { group_id: group.id });
  await vkCall(http, 'groups.getById', { group_id: group.id });
  expect(sent()).toEqual([
    { method: 'groups.getById', sid: '9', key: 'abc' },
    { method: 'groups.getById', sid: undefined, key: undefined },
  ]);
});

it('a 14 without a picture (VK ID Captcha’s redirect_uri) cannot be answered here: a refusal with advice, no challenge', async () => {
  const fetchCaptcha = (async () =>
    Response.json({ error: { error_code: 14, error_msg: 'Captcha needed', redirect_uri: 'https://id.vk.com/not_robot_captcha?session_token=x' } })) as typeof fetch;
  const error = await refusal(connector.publish({ ...ctx(), fetch: fetchCaptcha }, post('Fresh bread')));
  expect(error.kind).toBe('validation');
  expect(error.challenge).toBeUndefined();
  expect(error.networkMessage).toMatch(/publish again/);
});
