import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConnectorError, type Connector } from '../../../main/core/connector';
import { firstMetricsAt, metricsRetryAt, nextMetricsAt } from '../../../main/core/metrics';
import type { NetworkId } from '../../../main/core/networks/ids';
import { createMastodonConnector, DEFAULT_MASTODON_LIMITS } from '../../../main/services/connectors/mastodon';
import { createVkConnector } from '../../../main/services/connectors/vk';
import { createMetricsPoller, type MetricsPoller } from '../../../main/services/metrics/metrics-poller';
import { readingsOf, scheduleOf } from '../../../main/services/metrics/metrics-repo';
import { openDatabase, type Db } from '../../../main/services/store/database';
import { startMastodonFake, type MastodonFake } from '../../fakes/mastodon-fake';
import { startVkFake, type FakeVkGroup, type FakeVkUser, type VkFake } from '../../fakes/vk-fake';
import { addAccount, addProject } from '../scheduler/support';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const START = Date.UTC(2027, 2, 1, 9, 0);

describe('the reading schedule', () => {
  it('reads hourly for the first day, daily to a month, then stops', () => {
    const published = START;
    expect(firstMetricsAt(published)).toBe(published + HOUR);
    expect(nextMetricsAt(published, published + HOUR)).toBe(published + 2 * HOUR);
    expect(nextMetricsAt(published, published + 23 * HOUR)).toBe(published + 24 * HOUR);
    expect(nextMetricsAt(published, published + 25 * HOUR)).toBe(published + 49 * HOUR);
    expect(nextMetricsAt(published, published + 29 * DAY)).toBe(published + 30 * DAY);
    expect(nextMetricsAt(published, published + 30 * DAY)).toBeNull();
  });

  it('backs off after failures and gives up', () => {
    expect(metricsRetryAt(START, 1)).toBe(START + HOUR);
    expect(metricsRetryAt(START, 3)).toBe(START + 4 * HOUR);
    expect(metricsRetryAt(START, 9)).toBe(START + DAY);
    expect(metricsRetryAt(START, 10)).toBeNull();
  });
});

describe('reading published posts from the networks', () => {
  let now = START;
  let db: Db;
  let mastodon: MastodonFake;
  let vk: VkFake;
  let vkUser: FakeVkUser;
  let vkGroup: FakeVkGroup;
  let project: string;
  let online = true;
  const sleeps: number[] = [];
  const mastodonConnector = createMastodonConnector({ requestTimeoutMs: 2_000 });
  const vkConnector = createVkConnector({ timeoutMs: 2_000 });
  const connectors: Partial<Record<NetworkId, Connector>> = { mastodon: mastodonConnector as Connector, vk: vkConnector as Connector };
  let token: ReturnType<MastodonFake['issueToken']>;

  beforeEach(async () => {
    now = START;
    online = true;
    sleeps.length = 0;
    mastodon = await startMastodonFake({ startTime: START });
    vk = await startVkFake({ now: () => now });
    vkUser = vk.addUser();
    vkGroup = vk.addGroup({ name: 'Bakery on Lenina' });
    vk.setRole(vkGroup, vkUser, 'editor');
    token = mastodon.issueToken();
    db = openDatabase(':memory:');
    project = addProject(db);
  });

  afterEach(async () => {
    db.close();
    const violations = [...mastodon.violations, ...vk.violations];
    await Promise.all([mastodon.close(), vk.close()]);
    expect(violations).toEqual([]);
  });

  function ctxFor(network: NetworkId) {
    if (network === 'vk') {
      return {
        baseUrl: vk.baseUrl,
        credentials: { flow: 'implicit', appId: '51000001', accessToken: vkUser.token, expiresAt: null, userId: vkUser.id },
        config: { groupId: vkGroup.id, screenName: vkGroup.screenName, name: vkGroup.name },
        fetch,
        now: () => now,
      };
    }
    return {
      baseUrl: mastodon.baseUrl,
      credentials: token,
      config: { accountId: mastodon.accountId, acct: 'outpost_tester@fake.social', url: mastodon.baseUrl, limits: DEFAULT_MASTODON_LIMITS },
      fetch,
      now: () => now,
    };
  }

  function poller(overrides: Partial<Record<NetworkId, Connector>> = {}): MetricsPoller {
    const all = { ...connectors, ...overrides };
    return createMetricsPoller({
      db,
      clock: { now: () => now },
      connectorFor: (network) => all[network],
      openAccount: async (accountId) => {
        const network = (db.prepare('SELECT network FROM accounts WHERE id = ?').get(accountId) as { network: NetworkId }).network;
        return { connector: all[network]!, ctx: ctxFor(network) };
      },
      isOnline: () => online,
      sleep: async (ms) => {
        sleeps.push(ms);
        now += ms;
      },
    });
  }

  /** A post published through the real connector at `now`, recorded as Outpost records it. */
  async function published(network: 'mastodon' | 'vk', text: string, accountId: string): Promise<{ targetId: string; remoteId: string }> {
    const connector = connectors[network]!;
    const post = await connector.publish(ctxFor(network) as never, { text, media: [], idempotencyKey: `key-${text}` });
    const postId = `post-${text.replace(/\W/g, '')}`;
    db.prepare(`INSERT INTO posts (id, project_id, body, status, timezone, created_at, updated_at) VALUES (?, ?, ?, 'published', 'Europe/Moscow', 0, 0)`).run(postId, project, text);
    const targetId = `${postId}-t`;
    db.prepare(`INSERT INTO post_targets (id, post_id, account_id, state, remote_id, published_at) VALUES (?, ?, ?, 'published', ?, ?)`).run(
      targetId,
      postId,
      accountId,
      post.remoteId,
      now,
    );
    return { targetId, remoteId: post.remoteId };
  }

  it('keeps each post’s likes, boosts, replies and views over time, hourly on its first day', async () => {
    const masto = addAccount(db, project, { network: 'mastodon' });
    const community = addAccount(db, project, { network: 'vk' });
    db.prepare(`UPDATE accounts SET status = 'connected'`).run();
    const toot = await published('mastodon', 'Fresh bread at nine', masto);
    const wall = await published('vk', 'Свежий хлеб в девять', community);
    const metrics = poller();

    expect(await metrics.runOnce()).toBe(0); // nothing to count in the first hour
    now += HOUR;
    mastodon.react(toot.remoteId, { favourites: 4, reblogs: 2 });
    await mastodonConnector.comment!(ctxFor('mastodon') as never, toot.remoteId, 'Thanks!', 'c1');
    const vkPost = vk.posts.find((p) => p.text === 'Свежий хлеб в девять')!;
    Object.assign(vkPost, { likes: 12, reposts: 1, views: 340 });
    expect(await metrics.runOnce()).toBe(2);
    now += HOUR;
    mastodon.react(toot.remoteId, { favourites: 9 });
    vkPost.views = 512;
    expect(await metrics.runOnce()).toBe(2);

    expect(readingsOf(db, toot.targetId).map(({ at: _at, ...m }) => m)).toEqual([
      { likes: 4, reposts: 2, replies: 1, quotes: 0 },
      { likes: 9, reposts: 2, replies: 1, quotes: 0 },
    ]);
    expect(readingsOf(db, wall.targetId).map(({ at: _at, ...m }) => m)).toEqual([
      { likes: 12, reposts: 1, replies: 0, views: 340 },
      { likes: 12, reposts: 1, replies: 0, views: 512 },
    ]);
    // Not due again before the next hour.
    expect(await metrics.runOnce()).toBe(0);
    expect(scheduleOf(db, toot.targetId)?.nextAt).toBe(readingsOf(db, toot.targetId)[1]!.at + HOUR);
  });

  it('spaces the readings of one account inside its network’s limit', async () => {
    const masto = addAccount(db, project, { network: 'mastodon' });
    db.prepare(`UPDATE accounts SET status = 'connected'`).run();
    for (const text of ['one', 'two', 'three']) await published('mastodon', text, masto);
    now += HOUR;
    expect(await poller().runOnce()).toBe(3);
    expect(sleeps.length).toBe(2);
    for (const ms of sleeps) expect(ms).toBeGreaterThanOrEqual(1_900);
  });

  it('stops reading a post that is gone, and one a month old', async () => {
    const masto = addAccount(db, project, { network: 'mastodon' });
    db.prepare(`UPDATE accounts SET status = 'connected'`).run();
    const gone = await published('mastodon', 'Deleted by hand', masto);
    const old = await published('mastodon', 'Last month', masto);
    await mastodonConnector.delete(ctxFor('mastodon') as never, gone.remoteId);
    db.prepare(`UPDATE post_targets SET published_at = ? WHERE id = ?`).run(now - 29 * DAY - 12 * HOUR, old.targetId);
    now += HOUR;
    const metrics = poller();
    expect(await metrics.runOnce()).toBe(1);
    expect(scheduleOf(db, gone.targetId)).toMatchObject({ nextAt: null, lastError: 'The post is no longer on the network.' });
    expect(scheduleOf(db, old.targetId)?.nextAt).toBeNull();
    now += 2 * DAY;
    expect(await metrics.runOnce()).toBe(0);
  });

  it('reads nothing while offline, and a rate limit pauses the account without counting a failure', async () => {
    const masto = addAccount(db, project, { network: 'mastodon' });
    db.prepare(`UPDATE accounts SET status = 'connected'`).run();
    const post = await published('mastodon', 'Busy day', masto);
    now += HOUR;
    online = false;
    expect(await poller().runOnce()).toBe(0);
    expect(scheduleOf(db, post.targetId)).toBeUndefined();

    online = true;
    const limited: Connector = {
      ...(mastodonConnector as Connector),
      metrics: async () => {
        throw new ConnectorError('rate_limited', 'Too many requests', { status: 429, retryAfterMs: 10 * MINUTE });
      },
    };
    expect(await poller({ mastodon: limited }).runOnce()).toBe(0);
    expect(scheduleOf(db, post.targetId)).toMatchObject({ failures: 0, nextAt: now + 10 * MINUTE });
  });

  it('a failing reading backs off; a disconnected account is not read at all', async () => {
    const masto = addAccount(db, project, { network: 'mastodon' });
    db.prepare(`UPDATE accounts SET status = 'connected'`).run();
    const post = await published('mastodon', 'Flaky', masto);
    now += HOUR;
    const broken: Connector = {
      ...(mastodonConnector as Connector),
      metrics: async () => {
        throw new ConnectorError('transient', 'Bad gateway', { status: 502 });
      },
    };
    expect(await poller({ mastodon: broken }).runOnce()).toBe(0);
    expect(scheduleOf(db, post.targetId)).toMatchObject({ failures: 1, nextAt: now + HOUR, lastError: 'transient: Bad gateway' });

    db.prepare(`UPDATE accounts SET status = 'disconnected'`).run();
    now += 2 * HOUR;
    expect(await poller().runOnce()).toBe(0);
    expect(readingsOf(db, post.targetId)).toEqual([]);
  });
});
