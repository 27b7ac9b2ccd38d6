import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createBlueskyConnector, type BlueskyContext } from '../../main/services/connectors/bluesky';
import { startBlueskyAppViewFake, type BlueskyAppViewFake } from '../fakes/bluesky-appview-fake';
import { createAccount, createAppPassword, startBlueskyPeer, type BlueskyPeer } from '../support/bluesky-pds';

/**
 * A Bluesky post's numbers (issue 14 item 3) through the real PDS: the connector asks its PDS for
 * app.bsky.feed.getPosts, the PDS forwards it with its service-auth token to the AppView (here a
 * fake that checks the call and its answer against Bluesky's lexicons), and the counts come back.
 */

let peer: BlueskyPeer;
let appView: BlueskyAppViewFake;
const connector = createBlueskyConnector();

beforeAll(async () => {
  let pdsUrl = '';
  appView = await startBlueskyAppViewFake(() => pdsUrl);
  peer = await startBlueskyPeer({ appView: { url: appView.url, did: appView.did } });
  pdsUrl = peer.pdsUrl;
}, 60_000);

afterAll(async () => {
  await peer?.stop();
  await appView?.close();
}, 20_000);

it('reads likes, reposts, replies and quotes through the PDS, and a deleted post as gone', async () => {
  const account = await createAccount(peer);
  const appPassword = await createAppPassword(peer, account);
  const ctx: BlueskyContext = { baseUrl: peer.pdsUrl, credentials: { handle: account.handle, appPassword }, config: {}, fetch, now: () => Date.now() };
  const published = await connector.publish(ctx, { text: 'Bread is out of the oven', media: [], idempotencyKey: randomUUID() });
  appView.setCounts(published.remoteId, { likeCount: 14, repostCount: 3, replyCount: 2, quoteCount: 1 });

  expect(await connector.metrics!(ctx, published.remoteId)).toEqual({ likes: 14, reposts: 3, replies: 2, quotes: 1 });
  // The PDS forwarded it as the user, for our AppView and this method only.
  expect(appView.calls.at(-1)).toEqual({ method: 'app.bsky.feed.getPosts', issuer: account.did, audienceOk: true, methodOk: true });

  await connector.delete(ctx, published.remoteId);
  expect(await connector.metrics!(ctx, published.remoteId)).toBe('gone');
  expect(appView.violations).toEqual([]);
}, 30_000);
