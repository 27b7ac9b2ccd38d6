import { inspect } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConnectorError, type FailureKind, type MediaItem, type PublishRequest } from '../../../main/core/connector';
import { createFacebookConnector, type FacebookContext } from '../../../main/services/connectors/facebook';
import { GRAPH_DEFAULT_RATE_WAIT_MS, graphCall, type GraphHttp } from '../../../main/services/connectors/meta/graph';
import { startFacebookFake, type FacebookFake, type FakeFbApp, type FakeFbPage } from '../../fakes/facebook-fake';

const connector = createFacebookConnector({ timeoutMs: 2000, uploadTimeoutMs: 2000, resumableFromBytes: 1000 });

let clock: number;
let fb: FacebookFake;
let app: FakeFbApp;
let page: FakeFbPage;

beforeEach(async () => {
  clock = Date.UTC(2026, 11, 5, 9, 0, 0);
  fb = await startFacebookFake({ now: () => clock, chunkBytes: 400 });
  app = fb.addApp();
  page = fb.addPage({ name: 'Corner Bakery' });
});

afterEach(async () => {
  await fb.close();
});

function ctx(): FacebookContext {
  return {
    baseUrl: fb.baseUrl,
    credentials: { appId: app.id, appSecret: app.secret, pageToken: page.token },
    config: { pageId: page.id, name: page.name },
    fetch,
    now: () => clock,
  };
}

function post(text: string, media: MediaItem[] = [], extra: Partial<PublishRequest> = {}): PublishRequest {
  return { text, media, idempotencyKey: 'job-1', ...extra };
}

const PNG = Uint8Array.from(Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64'));
const image = (i = 0): MediaItem => ({ fileName: `photo-${i}.png`, mime: 'image/png', bytes: PNG, alt: `photo ${i}`, width: 1, height: 1 });
const video = (size: number): MediaItem => ({ fileName: 'clip.mp4', mime: 'video/mp4', bytes: Uint8Array.from({ length: size }, (_, i) => i % 251), alt: '' });

async function failure(promise: Promise<unknown>, kind: FailureKind): Promise<ConnectorError> {
  const error = await promise.then(
    () => {
      throw new Error(`expected a ${kind} failure, but the call succeeded`);
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ConnectorError);
  expect((error as ConnectorError).kind).toBe(kind);
  // Neither the Page token nor the app secret shows up in what the log or the user may see.
  const seen = inspect(error, { depth: 8 });
  expect(seen).not.toContain(page.token);
  expect(seen).not.toContain(app.secret);
  return error as ConnectorError;
}

const HOUR = 3600_000;

describe('Facebook connector: publishing to a Page', () => {
  it('posts text with its first link to /feed, with appsecret_proof and the token never in the URL', async () => {
    const published = await connector.publish(ctx(), post('New sourdough today https://bakery.example/menu'));
    const [made] = fb.livePosts(page);
    expect(made).toMatchObject({ message: 'New sourdough today https://bakery.example/menu', link: 'https://bakery.example/menu', photos: [] });
    expect(published).toEqual({ remoteId: made!.id, url: `https://www.facebook.com/${made!.id}`, publishedAt: clock });
    const call = fb.requests.find((r) => r.path.endsWith('/feed'))!;
    expect(call.query.get('access_token')).toBeNull();
    expect(call.spec?.operation).toBe('Page.POST feed');
    expect(fb.violations).toEqual([]);
  });

  it('leaves the link out when previews are off', async () => {
    await connector.publish(ctx(), post('Read https://bakery.example', [], { linkPreview: false }));
    expect(fb.livePosts(page)[0]!.link).toBeUndefined();
  });

  it('sends one photo as multipart source with its caption and alt text; the post is post_id', async () => {
    const published = await connector.publish(ctx(), post('Rye loaf', [image(1)]));
    const [made] = fb.livePosts(page);
    expect(made!.message).toBe('Rye loaf');
    const [photo] = fb.photos;
    expect(photo).toMatchObject({ fileName: 'photo-1.png', contentType: 'image/png', alt: 'photo 1', published: true, postId: made!.id });
    expect(Buffer.compare(photo!.bytes, Buffer.from(PNG))).toBe(0);
    expect(published.remoteId).toBe(made!.id);
  });

  it('uploads several photos unpublished, then attaches them in order to one feed post', async () => {
    await connector.publish(ctx(), post('Three cakes', [image(1), image(2), image(3)]));
    const [made] = fb.livePosts(page);
    expect(fb.livePosts(page)).toHaveLength(1);
    expect(made!.photos).toEqual(fb.photos.map((p) => p.id));
    expect(fb.photos.every((p) => !p.published && p.postId === made!.id)).toBe(true);
    const feed = fb.requests.find((r) => r.path.endsWith('/feed'))!;
    expect(JSON.parse(feed.body.fields.find(([n]) => n === 'attached_media')![1])).toEqual(fb.photos.map((p) => ({ media_fbid: p.id })));
  });

  it('a photo upload that fails leaves nothing posted and says so (not sent)', async () => {
    fb.failNext({ code: 100, message: '(#100) Invalid image' }, (r) => r.path.endsWith('/photos'));
    const error = await failure(connector.publish(ctx(), post('Cakes', [image(1), image(2)])), 'validation');
    expect(error.maybeSent).toBe(false);
    expect(fb.posts).toEqual([]);
  });

  it('sends a small video in one upload to /videos with its description', async () => {
    const published = await connector.publish(ctx(), post('Kneading', [video(500)]));
    const [v] = fb.videos;
    expect(v).toMatchObject({ description: 'Kneading', chunks: 1, published: true });
    expect(published.remoteId).toBe(v!.id);
  });

  it('sends a large video with the resumable upload: start, transfer in Meta’s chunks, finish', async () => {
    const clip = video(1100);
    const published = await connector.publish(ctx(), post('Oven tour', [clip]));
    const [v] = fb.videos;
    expect(v).toMatchObject({ description: 'Oven tour', chunks: 3, published: true });
    expect(Buffer.compare(v!.bytes, Buffer.from(clip.bytes))).toBe(0);
    expect(published.remoteId).toBe(v!.id);
    const phases = fb.requests.filter((r) => r.path.endsWith('/videos')).map((r) => r.body.fields.find(([n]) => n === 'upload_phase')?.[1]);
    expect(phases).toEqual(['start', 'transfer', 'transfer', 'transfer', 'finish']);
  });

  it('refuses a video with photos before any call (a video is its own post)', async () => {
    await failure(connector.publish(ctx(), post('Mixed', [image(1), video(10)])), 'validation');
    expect(fb.requests).toEqual([]);
  });

  it('adds the first comment as the Page, and deletes the post', async () => {
    const published = await connector.publish(ctx(), post('Open today'));
    const comment = await connector.comment(ctx(), published.remoteId, 'Menu in the photos ↑');
    expect(fb.comments).toEqual([expect.objectContaining({ objectId: published.remoteId, message: 'Menu in the photos ↑', fromId: page.id })]);
    expect(comment.url).toContain(published.remoteId);
    await connector.delete(ctx(), published.remoteId);
    expect(fb.livePosts(page)).toEqual([]);
    // A second delete (our earlier one's answer lost) finds it gone: done.
    await connector.delete(ctx(), published.remoteId);
  });

  it('finds a comment whose answer was lost among the post’s comments', async () => {
    const published = await connector.publish(ctx(), post('Open today'));
    fb.faults.next(fb.fault({ kind: 'reset' }, true), 1, fb.match('POST', /\/comments$/));
    const lost = await failure(connector.comment(ctx(), published.remoteId, 'Come early'), 'transient');
    expect(lost.maybeSent).toBe(true);
    const found = await connector.verifyComment(ctx(), { remoteId: published.remoteId, idempotencyKey: 'c-1', text: 'Come early', startedAt: clock });
    expect(found).toEqual({ found: true, comment: { remoteId: fb.comments[0]!.id, url: expect.any(String) } });
    expect(await connector.verifyComment(ctx(), { remoteId: published.remoteId, idempotencyKey: 'c-2', text: 'Never sent', startedAt: clock })).toEqual({ found: false });
  });
});

describe('Facebook connector: Graph errors by code, not HTTP status', () => {
  const feed = () => fb.match('POST', /\/feed$/);

  it.each([
    [458, 'the Meta app was removed'],
    [460, 'password was changed'],
    [463, 'expired'],
    [467, 'no longer valid'],
  ])('190 with subcode %i asks to reconnect, saying why', async (subcode, why) => {
    fb.failNext({ code: 190, subcode, message: 'Error validating access token' }, feed());
    const error = await failure(connector.publish(ctx(), post('Hi')), 'auth');
    expect(error.networkMessage).toContain(why);
    expect(error.networkSaid).toBe('Error validating access token');
    expect(error.maybeSent).toBe(false);
  });

  it('a revoked Page token is auth as well', async () => {
    fb.revoke(page.token, 460);
    await failure(connector.publish(ctx(), post('Hi')), 'auth');
  });

  it('80001 waits as X-Business-Use-Case-Usage estimates', async () => {
    fb.faults.next(fb.fault({ kind: 'rate_limited', retryAfterMs: 17 * 60_000 }), 1, feed());
    const error = await failure(connector.publish(ctx(), post('Hi')), 'rate_limited');
    expect(error.retryAfterMs).toBe(17 * 60_000);
    expect(error.maybeSent).toBe(false);
  });

  it.each([4, 17, 32, 613, 80002])('%i without a usage estimate waits Outpost’s default', async (code) => {
    fb.failNext({ code, message: 'Application request limit reached' }, feed());
    const error = await failure(connector.publish(ctx(), post('Hi')), 'rate_limited');
    expect(error.retryAfterMs).toBe(GRAPH_DEFAULT_RATE_WAIT_MS);
  });

  it('X-App-Usage and X-Page-Usage estimates count too; the longest wins', async () => {
    fb.failNext({ code: 32, headers: { 'x-page-usage': JSON.stringify({ call_count: 100, estimated_time_to_regain_access: 5 }), 'x-app-usage': JSON.stringify({ call_count: 96 }) } }, feed());
    expect((await failure(connector.publish(ctx(), post('Hi')), 'rate_limited')).retryAfterMs).toBe(5 * 60_000);
  });

  it('368 stops: blocked by Meta', async () => {
    fb.failNext({ code: 368, message: 'It looks like you were misusing this feature by going too fast.' }, feed());
    const error = await failure(connector.publish(ctx(), post('Hi')), 'permanent');
    expect(error.networkMessage).toContain('Blocked by Meta');
  });

  it.each([
    [100, undefined],
    [506, undefined],
    [2207026, undefined],
  ])('%i is a refusal with Meta’s own words', async (code) => {
    fb.failNext({ code, message: `(#${code}) Meta says no` }, feed());
    const error = await failure(connector.publish(ctx(), post('Hi')), 'validation');
    expect(error.networkSaid).toBe(`(#${code}) Meta says no`);
  });

  it('9004: Meta could not download the media', async () => {
    fb.failNext({ code: 9004, message: 'Failed to fetch the media' }, feed());
    expect((await failure(connector.publish(ctx(), post('Hi')), 'validation')).networkMessage).toContain('Meta could not download the media');
  });

  it.each([1, 2])('%i is transient and may have been sent', async (code) => {
    fb.failNext({ code, message: 'An unknown error occurred' }, feed());
    expect((await failure(connector.publish(ctx(), post('Hi')), 'transient')).maybeSent).toBe(true);
  });

  it('a 5xx after Meta made the post is maybe-sent; verify then finds it, so nothing is sent twice', async () => {
    fb.faults.next(fb.fault({ kind: 'server_error', status: 502 }, true), 1, feed());
    const startedAt = clock;
    expect((await failure(connector.publish(ctx(), post('Lost answer')), 'transient')).maybeSent).toBe(true);
    clock += 5 * 60_000;
    const verified = await connector.verify(ctx(), { idempotencyKey: 'job-1', startedAt, text: 'Lost answer' });
    expect(verified).toEqual({ found: true, post: { remoteId: fb.posts[0]!.id, url: `https://www.facebook.com/${fb.posts[0]!.id}`, publishedAt: startedAt } });
    expect(fb.posts).toHaveLength(1);
  });

  it('verify says not found when the lost request never arrived, and reads past the first page', async () => {
    for (let i = 0; i < 120; i += 1) await connector.publish(ctx(), post(`Filler ${i}`));
    fb.faults.next(fb.fault({ kind: 'reset' }), 1, feed());
    await failure(connector.publish(ctx(), post('Never arrived')), 'transient');
    expect(await connector.verify(ctx(), { idempotencyKey: 'job-1', startedAt: clock, text: 'Never arrived' })).toEqual({ found: false });
    expect(await connector.verify(ctx(), { idempotencyKey: 'job-1', startedAt: clock, text: 'Filler 3' })).toMatchObject({ found: true });
  });
});

describe('Facebook connector: native handoff (scheduled_publish_time)', () => {
  it('hands a post to Meta for tomorrow, moves and edits it, sees it go out, and cancels another', async () => {
    const at = clock + 24 * HOUR;
    const handed = await connector.scheduleNative(ctx(), post('Tomorrow at nine'), at);
    const [scheduled] = fb.scheduledPosts(page);
    expect(scheduled).toMatchObject({ message: 'Tomorrow at nine', published: false, scheduledAt: at / 1000 });
    expect(handed).toEqual({ nativeId: scheduled!.id, scheduledAt: at });

    const later = at + 2 * HOUR;
    expect(await connector.updateNative(ctx(), handed.nativeId, post('Tomorrow at eleven'), later)).toEqual({ nativeId: handed.nativeId, scheduledAt: later });
    expect(fb.scheduledPosts(page)[0]).toMatchObject({ message: 'Tomorrow at eleven', scheduledAt: later / 1000 });
    expect(await connector.checkNative(ctx(), handed.nativeId, { text: 'Tomorrow at eleven', scheduledAt: later })).toEqual({ state: 'scheduled', schedule: { nativeId: handed.nativeId, scheduledAt: later } });

    clock = later + 60_000;
    expect(await connector.checkNative(ctx(), handed.nativeId, { text: 'Tomorrow at eleven', scheduledAt: later })).toEqual({
      state: 'published',
      post: { remoteId: handed.nativeId, url: `https://www.facebook.com/${handed.nativeId}`, publishedAt: later },
    });
    // Out already: never edited or taken back.
    await failure(connector.updateNative(ctx(), handed.nativeId, post('Too late'), clock + 24 * HOUR), 'permanent');
    await failure(connector.cancelNative(ctx(), handed.nativeId), 'permanent');

    const other = await connector.scheduleNative(ctx(), post('Cancel me'), clock + 48 * HOUR);
    await connector.cancelNative(ctx(), other.nativeId);
    expect(fb.scheduledPosts(page)).toEqual([]);
    expect(await connector.checkNative(ctx(), other.nativeId, { text: 'Cancel me', scheduledAt: clock + 48 * HOUR })).toEqual({ state: 'missing' });
    // A cancel whose answer was lost: gone is done.
    await connector.cancelNative(ctx(), other.nativeId);
    expect(fb.violations).toEqual([]);
  });

  it('hands several photos over as temporary unpublished uploads attached to a scheduled post', async () => {
    const at = clock + 3 * HOUR;
    await connector.scheduleNative(ctx(), post('Weekend cakes', [image(1), image(2)]), at);
    const [scheduled] = fb.scheduledPosts(page);
    expect(scheduled!.photos).toHaveLength(2);
    expect(fb.photos.every((p) => p.temporary && !p.published)).toBe(true);
    expect(fb.livePosts(page)).toEqual([]);
  });

  it('hands a video over with the same schedule and moves it through the video node', async () => {
    const at = clock + 5 * HOUR;
    const handed = await connector.scheduleNative(ctx(), post('Video later', [video(300)]), at);
    expect(fb.videos[0]).toMatchObject({ id: handed.nativeId, published: false, scheduledAt: at / 1000 });
    await connector.updateNative(ctx(), handed.nativeId, post('Video later, moved'), at + HOUR);
    expect(fb.videos[0]).toMatchObject({ description: 'Video later, moved', scheduledAt: (at + HOUR) / 1000 });
  });

  it('a handoff whose answer was lost is found among the scheduled posts, not made twice', async () => {
    const at = clock + 24 * HOUR;
    fb.faults.next(fb.fault({ kind: 'reset' }, true), 1, fb.match('POST', /\/feed$/));
    expect((await failure(connector.scheduleNative(ctx(), post('Once only'), at), 'transient')).maybeSent).toBe(true);
    const again = await connector.scheduleNative(ctx(), post('Once only'), at);
    expect(fb.scheduledPosts(page)).toHaveLength(1);
    expect(again.nativeId).toBe(fb.scheduledPosts(page)[0]!.id);
  });

  it('a lost handoff retried for a new time (the post moved meanwhile) finds the copy and moves it: still one', async () => {
    const at = clock + 24 * HOUR;
    fb.faults.next(fb.fault({ kind: 'reset' }, true), 1, fb.match('POST', /\/feed$/));
    await failure(connector.scheduleNative(ctx(), post('Moved while lost'), at), 'transient');
    const moved = await connector.scheduleNative(ctx(), post('Moved while lost'), at + 3 * HOUR);
    expect(fb.scheduledPosts(page)).toEqual([expect.objectContaining({ id: moved.nativeId, scheduledAt: (at + 3 * HOUR) / 1000 })]);
    expect(moved.scheduledAt).toBe(at + 3 * HOUR);
  });

  it.each([
    ['5 minutes', 5 * 60_000],
    ['31 days', 31 * 24 * HOUR],
  ])('refuses %i ahead as validation before any call, so the local scheduler keeps the post', async (_label, ahead) => {
    const error = await failure(connector.scheduleNative(ctx(), post('Out of window'), clock + ahead), 'validation');
    expect(error.maybeSent).toBe(false);
    expect(fb.requests).toEqual([]);
  });
});

describe('the Facebook fake checks requests against Meta’s Graph description', () => {
  const http = (): GraphHttp => ({ baseUrl: fb.baseUrl, fetch, now: () => clock, token: page.token, appSecret: app.secret, name: 'Facebook' });
  const feedPath = () => fb.path(`${page.id}/feed`);

  it('refuses a wrong type as Graph does, so the connector’s call fails with (#100)', async () => {
    const error = await failure(graphCall(http(), { path: `/${page.id}/feed`, params: { message: 'Hi', published: 'maybe' } }), 'validation');
    expect(error.networkSaid).toBe('(#100) published is not a valid bool');
    expect(fb.violations).toEqual([`POST ${feedPath()}: published is not a valid bool`]);
    fb.violations.length = 0;
    expect(fb.posts).toEqual([]);
  });

  it('refuses a field the returned node does not have', async () => {
    await failure(graphCall(http(), { method: 'GET', path: `/${page.id}/published_posts`, params: { fields: 'id,mesage' } }), 'validation');
    expect(fb.violations).toEqual([`GET ${fb.path(`${page.id}/published_posts`)}: PagePost has no field "mesage"`]);
    fb.violations.length = 0;
  });

  it('records a parameter Graph would silently ignore, and close() fails the test that sent it', async () => {
    await graphCall(http(), { path: `/${page.id}/feed`, params: { message: 'Hi', mesage_typo: 'x' } });
    expect(fb.violations).toEqual([`POST ${feedPath()}: unexpected parameter "mesage_typo"`]);
    await expect(fb.close()).rejects.toThrow(/mesage_typo/);
    // The afterEach closes again; a second close must not throw for what this test already saw.
    fb.violations.length = 0;
  });
});
