import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Connector, MediaItem } from '../../../main/core/connector';
import { createFacebookConnector, FACEBOOK_VIEWS_METRIC, type FacebookContext } from '../../../main/services/connectors/facebook';
import { createInstagramConnector, instagramHttp, type InstagramContext } from '../../../main/services/connectors/instagram';
import { graphCall } from '../../../main/services/connectors/meta/graph';
import { createThreadsConnector, type ThreadsContext } from '../../../main/services/connectors/threads';
import { createMetricsPoller } from '../../../main/services/metrics/metrics-poller';
import { readingsOf, scheduleOf } from '../../../main/services/metrics/metrics-repo';
import { openDatabase } from '../../../main/services/store/database';
import { startFacebookFake, type FacebookFake, type FakeFbApp, type FakeFbPage } from '../../fakes/facebook-fake';
import { startInstagramFake, type FakeIgAccount, type InstagramFake } from '../../fakes/instagram-fake';
import { startLoopbackRelay, type LoopbackRelay } from '../../fakes/loopback-relay';
import { startThreadsFake, type FakeThreadsApp, type FakeThreadsUser, type ThreadsFake } from '../../fakes/threads-fake';
import { addAccount, addProject } from '../scheduler/support';

/** Results after publishing (issue 14) on Meta's three networks: each connector's `metrics` against its fake, which checks every call against Meta's descriptions. */

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const START = Date.UTC(2026, 11, 5, 9, 0, 0);

describe('Facebook: a Page post’s numbers', () => {
  const connector = createFacebookConnector({ timeoutMs: 2000, uploadTimeoutMs: 2000, resumableFromBytes: 10_000 });
  let clock: number;
  let fb: FacebookFake;
  let app: FakeFbApp;
  let page: FakeFbPage;

  beforeEach(async () => {
    clock = START;
    fb = await startFacebookFake({ now: () => clock });
    app = fb.addApp();
    page = fb.addPage({ name: 'Corner Bakery' });
  });

  afterEach(async () => {
    const violations = [...fb.violations];
    await fb.close();
    expect(violations).toEqual([]);
  });

  const ctx = (): FacebookContext => ({
    baseUrl: fb.baseUrl,
    credentials: { appId: app.id, appSecret: app.secret, pageToken: page.token },
    config: { pageId: page.id, name: page.name },
    fetch,
    now: () => clock,
  });

  it('maps reactions to likes, top-level comments to replies, shares to reposts and unique viewers to views', async () => {
    const { remoteId } = await connector.publish(ctx(), { text: 'Rye today', media: [], idempotencyKey: 'k1' });
    await connector.comment(ctx(), remoteId, 'Open till six');
    fb.react(remoteId, { reactions: 17, shares: 3, views: 420 });

    expect(await connector.metrics(ctx(), remoteId)).toEqual({ likes: 17, replies: 1, reposts: 3, views: 420 });
    const reactions = fb.requests.find((r) => r.path === fb.path(`${remoteId}/reactions`))!;
    expect(Object.fromEntries(reactions.query)).toMatchObject({ summary: 'total_count', limit: '0' });
    expect(reactions.spec?.operation).toBe('PagePost.GET reactions');
    const comments = fb.requests.find((r) => r.method === 'GET' && r.path === fb.path(`${remoteId}/comments`))!;
    expect(Object.fromEntries(comments.query)).toMatchObject({ filter: 'toplevel', summary: 'true', limit: '0' });
    const insights = fb.requests.find((r) => r.path === fb.path(`${remoteId}/insights`))!;
    expect(Object.fromEntries(insights.query)).toMatchObject({ metric: FACEBOOK_VIEWS_METRIC, period: 'lifetime' });
  });

  it('reads a post nobody shared (Graph leaves `shares` out) as 0 reposts', async () => {
    const { remoteId } = await connector.publish(ctx(), { text: 'Quiet day', media: [], idempotencyKey: 'k1' });
    expect(await connector.metrics(ctx(), remoteId)).toEqual({ likes: 0, replies: 0, reposts: 0, views: 0 });
  });

  it('counts a video on the post it made', async () => {
    const clip: MediaItem = { fileName: 'clip.mp4', mime: 'video/mp4', bytes: Uint8Array.from({ length: 600 }, (_, i) => i % 251), alt: '' };
    const { remoteId } = await connector.publish(ctx(), { text: 'Kneading', media: [clip], idempotencyKey: 'k1' });
    const postId = fb.videos.find((v) => v.id === remoteId)!.postId;
    fb.react(postId, { reactions: 5, views: 80 });
    expect(await connector.metrics(ctx(), remoteId)).toEqual({ likes: 5, replies: 0, reposts: 0, views: 80 });
  });

  it('keeps the counts when Meta gives no insights for the post (a Page under 100 likes, a retired metric)', async () => {
    const { remoteId } = await connector.publish(ctx(), { text: 'Small Page', media: [], idempotencyKey: 'k1' });
    fb.react(remoteId, { reactions: 2 });
    fb.failNext({ code: 100, message: '(#100) The value must be a valid insights metric' }, fb.match('GET', /\/insights$/));
    expect(await connector.metrics(ctx(), remoteId)).toEqual({ likes: 2, replies: 0, reposts: 0 });
  });

  it('reads a post deleted on Facebook as gone, and a failed reading as the failure it is', async () => {
    const { remoteId } = await connector.publish(ctx(), { text: 'Oops', media: [], idempotencyKey: 'k1' });
    fb.failNext({ code: 190, subcode: 460 }, fb.match('GET', /_\d+$/));
    await expect(connector.metrics(ctx(), remoteId)).rejects.toMatchObject({ kind: 'auth' });
    await connector.delete(ctx(), remoteId);
    expect(await connector.metrics(ctx(), remoteId)).toBe('gone');
  });

  it('the poller keeps a Facebook post’s readings through the real connector', async () => {
    const db = openDatabase(':memory:');
    try {
      const project = addProject(db);
      const account = addAccount(db, project, { network: 'facebook' });
      db.prepare(`UPDATE accounts SET status = 'connected'`).run();
      const { remoteId } = await connector.publish(ctx(), { text: 'Buns at noon', media: [], idempotencyKey: 'k1' });
      db.prepare(`INSERT INTO posts (id, project_id, body, status, timezone, created_at, updated_at) VALUES ('p1', ?, 'Buns at noon', 'published', 'Europe/Berlin', 0, 0)`).run(project);
      db.prepare(`INSERT INTO post_targets (id, post_id, account_id, state, remote_id, published_at) VALUES ('t1', 'p1', ?, 'published', ?, ?)`).run(account, remoteId, clock);
      const poller = createMetricsPoller({
        db,
        clock: { now: () => clock },
        connectorFor: () => connector as Connector,
        openAccount: async () => ({ connector: connector as Connector, ctx: ctx() }),
        isOnline: () => true,
        sleep: async (ms) => {
          clock += ms;
        },
      });
      clock += HOUR;
      fb.react(remoteId, { reactions: 4, views: 90 });
      expect(await poller.runOnce()).toBe(1);
      clock += HOUR;
      fb.react(remoteId, { reactions: 6, shares: 1, views: 150 });
      expect(await poller.runOnce()).toBe(1);
      expect(readingsOf(db, 't1').map(({ at: _at, ...m }) => m)).toEqual([
        { likes: 4, replies: 0, reposts: 0, views: 90 },
        { likes: 6, replies: 0, reposts: 1, views: 150 },
      ]);
      await connector.delete(ctx(), remoteId);
      clock += DAY;
      await poller.runOnce();
      expect(scheduleOf(db, 't1')).toMatchObject({ nextAt: null, lastError: 'The post is no longer on the network.' });
      expect(readingsOf(db, 't1')).toHaveLength(2);
    } finally {
      db.close();
    }
  });
});

describe('Instagram: a media’s numbers', () => {
  const connector = createInstagramConnector({ timeoutMs: 2000, uploadTimeoutMs: 2000, pollIntervalMs: 5, pollTimeoutMs: 2000 });
  let ig: InstagramFake;
  let relay: LoopbackRelay;
  let account: FakeIgAccount;

  beforeEach(async () => {
    ig = await startInstagramFake({ now: () => START });
    relay = await startLoopbackRelay();
    account = ig.addAccount({ username: 'cornerbakery' });
  });

  afterEach(async () => {
    const violations = [...ig.violations];
    await ig.close();
    await relay.close();
    expect(violations).toEqual([]);
  });

  const ctx = (): InstagramContext => ({
    baseUrl: ig.baseUrl,
    credentials: { appId: account.appId, appSecret: account.appSecret, pageToken: account.pageToken },
    config: { instagramAccountId: account.igUserId, pageId: account.pageId, username: account.username },
    fetch,
    now: () => START,
    relay,
  });
  const jpeg = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, ...Array.from({ length: 64 }, (_, k) => k)]);
  const publish = () => connector.publish(ctx(), { text: 'Our rye', media: [{ fileName: 'rye.jpg', mime: 'image/jpeg', bytes: jpeg, alt: 'rye', width: 1080, height: 1080 }], idempotencyKey: 'k1' });

  it('maps like_count, comments_count and the views, saved and shares insights', async () => {
    const { remoteId } = await publish();
    await connector.comment(ctx(), remoteId, 'Open till six');
    ig.react(remoteId, { likes: 31, views: 900, saved: 7, shares: 4, reach: 600 });

    expect(await connector.metrics(ctx(), remoteId)).toEqual({ likes: 31, replies: 1, views: 900, saves: 7, reposts: 4 });
    const insights = ig.requests.find((r) => r.path === ig.path(`${remoteId}/insights`))!;
    expect(insights.query.get('metric')).toBe('views,saved,shares');
    expect(insights.spec?.operation).toBe('IGMedia.GET insights');
  });

  it('keeps the counts when Instagram has too few viewers to give insights ((#10))', async () => {
    const { remoteId } = await publish();
    ig.react(remoteId, { likes: 2 });
    ig.failNext({ code: 10, message: '(#10) Not enough viewers for the media to show insights' }, ig.match('GET', /\/insights$/));
    expect(await connector.metrics(ctx(), remoteId)).toEqual({ likes: 2, replies: 0 });
  });

  it('the fake refuses what Meta’s descriptions do not allow: a metric outside the enum, a summary Graph does not take', async () => {
    const { remoteId } = await publish();
    const api = instagramHttp(ctx());
    await expect(graphCall(api, { method: 'GET', path: `/${remoteId}/insights`, params: { metric: 'views,bogus' } })).rejects.toMatchObject({ kind: 'validation' });
    await expect(graphCall(api, { method: 'GET', path: `/${remoteId}/comments`, params: { summary: 'everything' } })).rejects.toMatchObject({ kind: 'validation' });
    expect(ig.violations).toEqual([
      expect.stringContaining('metric: "bogus" is not a valid shadowigmediainsights_metric_enum_param'),
      expect.stringContaining('summary must be a bool or total_count/viewer_reaction'),
    ]);
    ig.violations.length = 0;
  });

  it('reads a media deleted in the app as gone', async () => {
    const { remoteId } = await publish();
    ig.removeMedia(remoteId);
    expect(await connector.metrics(ctx(), remoteId)).toBe('gone');
  });
});

describe('Threads: a post’s numbers', () => {
  const connector = createThreadsConnector({ timeoutMs: 2000, pollIntervalMs: 5, pollTimeoutMs: 2000 });
  let th: ThreadsFake;
  let app: FakeThreadsApp;
  let user: FakeThreadsUser;
  let token: string;

  beforeEach(async () => {
    th = await startThreadsFake({ now: () => START });
    app = th.addApp();
    user = th.addUser('cornerbakery');
    token = th.issueToken(user, app, { ageMs: 2 * DAY });
  });

  afterEach(async () => {
    const violations = [...th.violations];
    await th.close();
    expect(violations).toEqual([]);
  });

  const ctx = (): ThreadsContext => ({
    baseUrl: th.baseUrl,
    credentials: { appId: app.id, accessToken: token, expiresAt: START + 50 * DAY, issuedAt: START - 2 * DAY, userId: user.id },
    config: { userId: user.id, username: user.username },
    fetch,
    now: () => START,
  });

  it('maps the media insights views, likes, replies, reposts and quotes', async () => {
    const { remoteId } = await connector.publish(ctx(), { text: 'Rye today', media: [], idempotencyKey: 'k1' });
    await connector.comment(ctx(), remoteId, 'Open till six', 'c1');
    th.react(remoteId, { views: 250, likes: 12, reposts: 2, quotes: 1, shares: 5 });

    expect(await connector.metrics(ctx(), remoteId)).toEqual({ views: 250, likes: 12, replies: 1, reposts: 2, quotes: 1 });
    const insights = th.requests.find((r) => r.path.endsWith(`/${remoteId}/insights`))!;
    expect(insights.query.get('metric')).toBe('views,likes,replies,reposts,quotes');
    expect(insights.spec?.operation).toBe('GET /{id}/insights');
  });

  it('reads a deleted post as gone', async () => {
    const { remoteId } = await connector.publish(ctx(), { text: 'Oops', media: [], idempotencyKey: 'k1' });
    await connector.delete(ctx(), remoteId);
    expect(await connector.metrics(ctx(), remoteId)).toBe('gone');
  });
});
