import { inspect } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConnectorError, type FailureKind, type MediaItem, type PublishRequest } from '../../../main/core/connector';
import { createOkConnector, md5, okSignature, type OkContext, type OkCredentials } from '../../../main/services/connectors/ok';
import { startOkFake, type FakeOkApp, type FakeOkGroup, type FakeOkUser, type OkFake } from '../../fakes/ok-fake';

const MINUTE = 60_000;
// Short timeouts so a hung fake costs a fraction of a second.
const connector = createOkConnector({ timeoutMs: 300, uploadTimeoutMs: 300 });

let clock: number;
let ok: OkFake;
let app: FakeOkApp;
let user: FakeOkUser;
let group: FakeOkGroup;
let credentials: OkCredentials;

beforeEach(async () => {
  clock = Date.UTC(2026, 11, 5, 9, 0, 0);
  ok = await startOkFake({ now: () => clock });
  app = ok.addApp();
  user = ok.addUser();
  group = ok.addGroup({ name: 'Bakery Club' });
  ok.setRole(group, user, 'ADMIN');
  const tokens = ok.issueTokens(app, user);
  credentials = {
    applicationId: app.id,
    applicationKey: app.publicKey,
    applicationSecretKey: app.secretKey,
    accessToken: tokens.accessToken,
    refreshToken: tokens.refreshToken,
    accessExpiresAt: tokens.expiresAt,
  };
});

afterEach(async () => {
  await ok.close();
});

function ctx(overrides: Partial<OkCredentials> = {}, saved: OkCredentials[] = []): OkContext {
  return {
    baseUrl: ok.baseUrl,
    credentials: { ...credentials, ...overrides },
    config: { groupId: group.id, groupName: group.name, userId: user.uid },
    fetch,
    now: () => clock,
    saveCredentials: async (renewed) => {
      saved.push(renewed);
    },
  };
}

function post(text: string, media: MediaItem[] = [], extra: Partial<PublishRequest> = {}): PublishRequest {
  return { text, media, idempotencyKey: 'job-1', ...extra };
}

const PNG = Uint8Array.from(Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64'));

function image(i = 0): MediaItem {
  return { fileName: `photo-${i}.png`, mime: 'image/png', bytes: PNG, alt: `photo ${i}`, width: 1, height: 1 };
}

/** Awaits a failure of the given kind and proves no secret is anywhere in it. */
async function failure(promise: Promise<unknown>, kind: FailureKind): Promise<ConnectorError> {
  const error = await promise.then(
    () => {
      throw new Error(`expected a ${kind} failure, but the call succeeded`);
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ConnectorError);
  const failed = error as ConnectorError;
  expect(failed.kind).toBe(kind);
  const text = `${failed.message} ${inspect(failed, { depth: 5 })}`;
  for (const secret of [credentials.accessToken, credentials.applicationSecretKey, credentials.refreshToken!]) expect(text).not.toContain(secret);
  return failed;
}

describe('signing', () => {
  it('signs as apiok.ru documents: md5 of the sorted name=value pairs and md5(access_token + secret), lowercase', () => {
    const params = { method: 'users.getCurrentUser', format: 'json', application_key: 'CBAKEY', access_token: 'tkn1' };
    const secret = md5('tkn1' + 'SECRET');
    expect(okSignature(params, secret)).toBe(md5(`application_key=CBAKEYformat=jsonmethod=users.getCurrentUser${secret}`));
    expect(okSignature(params, secret)).toMatch(/^[0-9a-f]{32}$/);
  });

  it('a request signed with the wrong secret key is refused by the fake (104) and needs a reconnect', async () => {
    const error = await failure(connector.publish(ctx({ applicationSecretKey: 'NOT-THE-SECRET' }), post('Fresh bread at 9')), 'auth');
    expect(error.status).toBe(104);
    expect(error.networkSaid).toMatch(/^PARAM_SIGNATURE/);
    expect(error.maybeSent).toBe(false);
    expect(ok.topics).toHaveLength(0);
    expect(ok.violations).toEqual(['mediatopic.post: wrong signature']);
    ok.violations.length = 0;
  });
});

describe('publishing group topics', () => {
  it('publishes text as the group (GROUP_THEME, a text block, onBehalfOfGroup)', async () => {
    const published = await connector.publish(ctx(), post('Fresh bread at 9'));
    const [topic] = ok.liveTopics(group);
    expect(topic?.attachment).toEqual({ media: [{ type: 'text', text: 'Fresh bread at 9' }], onBehalfOfGroup: 'true' });
    expect(published).toEqual({ remoteId: topic!.id, url: `https://ok.ru/group/${group.id}/topic/${topic!.id}`, publishedAt: clock });
    expect(ok.methods()).toEqual(['mediatopic.post']);
  });

  it('uploads photos (getUploadUrl → multipart, no commit) and sends their tokens in one photo block', async () => {
    await connector.publish(ctx(), post('Two loaves https://bakery.example/', [image(0), image(1)]));
    const [topic] = ok.liveTopics(group);
    expect(topic?.photos.map((p) => p.fileName)).toEqual(['photo-0.png', 'photo-1.png']);
    const media = topic?.attachment.media as Array<Record<string, unknown>>;
    expect(media.map((m) => m.type)).toEqual(['text', 'photo']);
    expect((media[1]!.list as unknown[]).length).toBe(2);
    expect(ok.methods()).toEqual(['photosV2.getUploadUrl', 'mediatopic.post']);
  });

  it('adds a link block for a link in the text, unless previews are off', async () => {
    await connector.publish(ctx(), post('Menu: https://bakery.example/menu.'));
    await connector.publish(ctx(), post('No card https://bakery.example/', [], { linkPreview: false }));
    const [withLink, without] = ok.liveTopics(group);
    expect(withLink?.attachment.media).toContainEqual({ type: 'link', url: 'https://bakery.example/menu' });
    expect((without?.attachment.media as Array<{ type: string }>).map((m) => m.type)).toEqual(['text']);
  });

  it('refuses before any call what OK cannot take', async () => {
    await failure(connector.publish(ctx(), post('   ')), 'validation');
    await failure(connector.publish(ctx(), post('x', [{ ...image(), mime: 'image/webp' }])), 'validation');
    expect(ok.server.requests).toHaveLength(0);
  });

  it('deletes a topic, and counts one already gone as deleted', async () => {
    const { remoteId } = await connector.publish(ctx(), post('Gone soon'));
    await connector.delete(ctx(), remoteId);
    expect(ok.liveTopics(group)).toHaveLength(0);
    await connector.delete(ctx(), remoteId);
  });

  it('refreshes an expired access token with the refresh token and saves it', async () => {
    const saved: OkCredentials[] = [];
    clock += 31 * MINUTE;
    await connector.publish(ctx({}, saved), post('After a coffee break'));
    expect(saved).toHaveLength(1);
    expect(saved[0]!.accessToken).not.toBe(credentials.accessToken);
    expect(saved[0]!.refreshToken).toBe(credentials.refreshToken);
    expect(ok.liveTopics(group)).toHaveLength(1);
  });

  it('refreshes once when OK says the session expired (102) although our clock did not', async () => {
    ok.expireAccessTokens();
    const saved: OkCredentials[] = [];
    await connector.publish(ctx({}, saved), post('Still works'));
    expect(saved).toHaveLength(1);
    expect(ok.liveTopics(group)).toHaveLength(1);
  });
});

describe("OK's errors", () => {
  it('a session that cannot be renewed needs a reconnect', async () => {
    ok.expireAccessTokens();
    const error = await failure(connector.publish(ctx({ refreshToken: 'rfr-unknown' }), post('x')), 'auth');
    expect(error.networkSaid).toMatch(/invalid_grant/);
  });

  it('an unknown session key (103) needs a reconnect', async () => {
    const error = await failure(connector.publish(ctx({ accessToken: 'tkn-unknown', accessExpiresAt: clock + 10 * MINUTE }), post('x')), 'auth');
    expect(error.status).toBe(103);
  });

  it('FLOOD_BLOCKED (8) is rate limited and proves nothing was posted', async () => {
    ok.failNext({ kind: 'rate_limited' }, { method: 'mediatopic.post' });
    const error = await failure(connector.publish(ctx(), post('x')), 'rate_limited');
    expect(error.networkSaid).toMatch(/^FLOOD_BLOCKED/);
    expect(error.maybeSent).toBe(false);
  });

  it('no rights in the group stops with OK\'s words', async () => {
    ok.setRole(group, user, 'ANALYST');
    const error = await failure(connector.publish(ctx(), post('x')), 'permanent');
    expect(error.networkSaid).toBe('PERMISSION_DENIED : You are not allowed to post in this group');
    expect(error.networkMessage).toContain(error.networkSaid);
    expect(error.maybeSent).toBe(false);
  });

  it('a failed photo upload step leaves the post unsent', async () => {
    ok.failNext({ kind: 'server_error', status: 502 }, { method: 'photosV2.getUploadUrl' });
    const error = await failure(connector.publish(ctx(), post('x', [image()])), 'transient');
    expect(error.maybeSent).toBe(false);
    expect(ok.topics).toHaveLength(0);
  });

  it('a 5xx or OK\'s SERVICE error on mediatopic.post may have posted', async () => {
    ok.failNext({ kind: 'server_error', status: 500 }, { method: 'mediatopic.post', afterHandling: true });
    expect((await failure(connector.publish(ctx(), post('one')), 'transient')).maybeSent).toBe(true);
    ok.failNext({ kind: 'service' }, { method: 'mediatopic.post' });
    expect((await failure(connector.publish(ctx(), post('two')), 'transient')).maybeSent).toBe(true);
  });
});

describe('exactly once', () => {
  it('a lost answer is unknown; verify finds the topic and nothing is sent twice', async () => {
    const startedAt = clock;
    ok.failNext({ kind: 'reset' }, { method: 'mediatopic.post', afterHandling: true });
    const lost = await failure(connector.publish(ctx(), post('Sourdough Saturday')), 'transient');
    expect(lost.maybeSent).toBe(true);
    clock += MINUTE;
    const outcome = await connector.verify(ctx(), { idempotencyKey: 'job-1', startedAt, text: 'Sourdough Saturday' });
    const [topic] = ok.liveTopics(group);
    expect(outcome).toEqual({ found: true, post: { remoteId: topic!.id, url: `https://ok.ru/group/${group.id}/topic/${topic!.id}`, publishedAt: startedAt } });
    expect(ok.topics).toHaveLength(1);
    expect(ok.methods().filter((m) => m === 'mediatopic.post')).toHaveLength(1);
  });

  it('a topic the statistics do not list yet is unknown, never "not found"', async () => {
    const startedAt = clock;
    ok.failNext({ kind: 'hang' }, { method: 'mediatopic.post', afterHandling: true });
    await failure(connector.publish(ctx(), post('Quiet topic')), 'transient');
    ok.topics[0]!.hasStats = false;
    expect(await connector.verify(ctx(), { idempotencyKey: 'job-1', startedAt, text: 'Quiet topic' })).toEqual({ found: 'unknown' });
  });

  it('an attempt that never reached OK is not mistaken for another topic', async () => {
    await connector.publish(ctx(), post('Another post'));
    expect(await connector.verify(ctx(), { idempotencyKey: 'job-2', startedAt: clock, text: 'Lost one' })).toEqual({ found: 'unknown' });
  });
});
