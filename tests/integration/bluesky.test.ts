import { randomUUID } from 'node:crypto';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConnectorError, type MediaItem, type PublishRequest } from '../../main/core/connector';
import {
  blueskyRecordKey,
  createBlueskyConnector,
  validateBlueskyPost,
  type BlueskyContext,
  type BlueskyCredentials,
} from '../../main/services/connectors/bluesky';
import {
  createAccount,
  createAppPassword,
  expireAccessToken,
  getRecord,
  revokeAppPassword,
  startBlueskyPeer,
  uniqueHandle,
  xrpc,
  type BlueskyPeer,
  type PeerAccount,
} from '../support/bluesky-pds';
import { encodePng, padPng } from '../support/png';
import type { Connector } from '../../main/core/connector';
import { systemClock } from '../../main/services/ports';
import { createScheduler } from '../../main/services/scheduler/engine';
import { countOpenJobs } from '../../main/services/scheduler/jobs-repo';
import { openDatabase } from '../../main/services/store/database';
import { addAccount, addProject, addScheduledPost } from '../unit/scheduler/support';

/**
 * The Bluesky connector against a real PDS (@atproto/dev-env on Node 22, SQLite, loopback
 * only), with the PDS's own rate limits on. Everything is read back through the PDS's API.
 */

// Bounds per test; a test takes 1–2 s alone, several times that on a busy two-core machine.
const TEST_MS = 30_000;

let peer: BlueskyPeer;

beforeAll(async () => {
  peer = await startBlueskyPeer({ rateLimits: true });
}, 60_000);

afterAll(async () => {
  await peer?.stop();
}, 20_000);

interface Harness {
  ctx: BlueskyContext;
  /** Every URL the connector fetched, in order. */
  calls: string[];
  /** What the connector handed to the keychain port, in order. */
  saved: BlueskyCredentials[];
}

interface Signed {
  account: PeerAccount;
  appPassword: string;
  appPasswordName: string;
}

async function signedUpAccount(): Promise<Signed> {
  const account = await createAccount(peer);
  const appPasswordName = `outpost-${randomUUID().slice(0, 8)}`;
  const appPassword = await createAppPassword(peer, account, appPasswordName);
  return { account, appPassword, appPasswordName };
}

function harness(credentials: BlueskyCredentials, options: { fetch?: typeof fetch } = {}): Harness {
  const calls: string[] = [];
  const saved: BlueskyCredentials[] = [];
  const inner = options.fetch ?? fetch;
  const ctx: BlueskyContext = {
    baseUrl: peer.pdsUrl,
    credentials,
    config: credentials.did ? { did: credentials.did } : {},
    fetch: (input, init) => {
      calls.push(String(input));
      return inner(input, init);
    },
    now: () => Date.now(),
    saveCredentials: async (next) => {
      saved.push(next);
    },
  };
  return { ctx, calls, saved };
}

const xrpcMethod = (url: string) => new URL(url).pathname.replace('/xrpc/', '');

function post(text: string, extra: Partial<PublishRequest> = {}): PublishRequest {
  return { text, media: [], idempotencyKey: randomUUID(), ...extra };
}

function png(name: string, width: number, height: number, alt: string): MediaItem {
  const bytes = encodePng(width, height, (x, y) => [(x * 40) % 256, (y * 60) % 256, 128]);
  return { fileName: name, mime: 'image/png', bytes, alt, width, height };
}

async function failure(promise: Promise<unknown>): Promise<ConnectorError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ConnectorError);
  return error as ConnectorError;
}

interface StoredPost {
  text: string;
  langs?: string[];
  facets?: Array<{ index: { byteStart: number; byteEnd: number }; features: Array<Record<string, string>> }>;
  embed?: {
    $type: string;
    images: Array<{ alt: string; aspectRatio?: { width: number; height: number }; image: { mimeType: string; size: number; ref: { $link: string } } }>;
  };
}

async function storedPost(did: string, remoteId: string): Promise<StoredPost> {
  const rkey = remoteId.split('/').pop()!;
  const reply = await getRecord(peer, did, rkey);
  expect(reply.status).toBe(200);
  return reply.body['value'] as StoredPost;
}

/** The exact UTF-8 bytes a facet selects, decoded. */
function facetText(text: string, index: { byteStart: number; byteEnd: number }): string {
  return Buffer.from(text, 'utf8').subarray(index.byteStart, index.byteEnd).toString('utf8');
}

describe('Bluesky connector on a real PDS', () => {
  it('signs in with an app password and hands the session to the keychain port', { timeout: TEST_MS }, async () => {
    const { account, appPassword } = await signedUpAccount();
    const { ctx, saved, calls } = harness({ handle: `@${account.handle}`, appPassword });

    const who = await createBlueskyConnector().signIn(ctx);

    expect(who).toEqual({ did: account.did, handle: account.handle });
    expect(calls.map(xrpcMethod)).toEqual(['com.atproto.server.createSession']);
    expect(saved).toHaveLength(1);
    expect(saved[0]).toMatchObject({ did: account.did, handle: account.handle, appPassword });
    // An app-password session, not a full-account one.
    const claims = JSON.parse(Buffer.from(saved[0]!.accessJwt!.split('.')[1]!, 'base64url').toString()) as { scope: string };
    expect(claims.scope).toBe('com.atproto.appPass');
  });

  it('a wrong app password is an auth failure, before anything is posted', { timeout: TEST_MS }, async () => {
    const { account } = await signedUpAccount();
    const connector = createBlueskyConnector();
    const { ctx, calls } = harness({ handle: account.handle, appPassword: 'aaaa-bbbb-cccc-dddd' });

    const signIn = await failure(connector.signIn(ctx));
    expect(signIn.kind).toBe('auth');
    expect(signIn.status).toBe(401);
    expect(signIn.networkMessage).toMatch(/Invalid identifier or password/);

    const publish = await failure(connector.publish(ctx, post('never posted')));
    expect(publish.kind).toBe('auth');
    expect(calls.map(xrpcMethod).filter((m) => m !== 'com.atproto.server.createSession')).toEqual([]);
  });

  it('Hebrew and emoji text: link and tag facets select exactly their bytes', { timeout: TEST_MS }, async () => {
    const { account, appPassword } = await signedUpAccount();
    const { ctx } = harness({ handle: account.handle, appPassword });
    const url = 'https://example.com/עמוד?q=1&lang=he';
    const text = `שלום 👋🏽 עולם! 👨‍👩‍👧 קראו ${url} ועוד bsky.app/about, 🇮🇱 #חדשות_טובות 🎉`;

    const published = await createBlueskyConnector().publish(ctx, post(text, { language: 'he' }));

    const rkey = published.remoteId.split('/').pop()!;
    expect(published.remoteId).toBe(`at://${account.did}/app.bsky.feed.post/${rkey}`);
    expect(published.url).toBe(`https://bsky.app/profile/${account.handle}/post/${rkey}`);
    const record = await storedPost(account.did, published.remoteId);
    expect(record.text).toBe(text);
    expect(record.langs).toEqual(['he']);
    const facets = record.facets ?? [];
    expect(facets.map((f) => f.features[0])).toEqual([
      { $type: 'app.bsky.richtext.facet#link', uri: url },
      { $type: 'app.bsky.richtext.facet#link', uri: 'https://bsky.app/about' },
      { $type: 'app.bsky.richtext.facet#tag', tag: 'חדשות_טובות' },
    ]);
    // The ranges are UTF-8 byte offsets: checked against Node's own encoder, not our code.
    const bytes = Buffer.from(text, 'utf8');
    expect(facets[0]!.index.byteStart).toBe(bytes.indexOf(Buffer.from(url, 'utf8')));
    expect(facets.map((f) => facetText(text, f.index))).toEqual([url, 'bsky.app/about', '#חדשות_טובות']);
  });

  it('a mention of an existing handle gets a mention facet with its DID; an unknown one stays text', { timeout: TEST_MS }, async () => {
    const { account, appPassword } = await signedUpAccount();
    const friend = await createAccount(peer, uniqueHandle(peer, 'f'));
    const { ctx } = harness({ handle: account.handle, appPassword });
    const unknown = uniqueHandle(peer, 'x');
    const text = `תודה @${friend.handle} 🙏 וגם @${unknown} ו-@plainname`;

    const published = await createBlueskyConnector().publish(ctx, post(text));

    const record = await storedPost(account.did, published.remoteId);
    expect(record.facets).toHaveLength(1);
    const [mention] = record.facets!;
    expect(mention!.features).toEqual([{ $type: 'app.bsky.richtext.facet#mention', did: friend.did }]);
    expect(facetText(text, mention!.index)).toBe(`@${friend.handle}`);
  });

  it('posts four images with alt text and aspect ratios, and the PDS holds their bytes', { timeout: TEST_MS }, async () => {
    const { account, appPassword } = await signedUpAccount();
    const { ctx, calls } = harness({ handle: account.handle, appPassword });
    const images = [png('a.png', 30, 20, 'Wide'), png('b.png', 16, 16, 'ריבוע'), png('c.png', 10, 25, 'Tall 🌲'), png('d.png', 64, 8, '')];

    const published = await createBlueskyConnector().publish(ctx, post('ארבע תמונות', { media: images }));

    expect(calls.map(xrpcMethod).filter((m) => m === 'com.atproto.repo.uploadBlob')).toHaveLength(4);
    const record = await storedPost(account.did, published.remoteId);
    expect(record.embed?.$type).toBe('app.bsky.embed.images');
    expect(record.embed?.images.map((i) => ({ alt: i.alt, aspectRatio: i.aspectRatio, mimeType: i.image.mimeType, size: i.image.size }))).toEqual(
      images.map((i) => ({ alt: i.alt, aspectRatio: { width: i.width, height: i.height }, mimeType: 'image/png', size: i.bytes.length })),
    );
    for (const [n, image] of record.embed!.images.entries()) {
      const blob = await fetch(`${peer.pdsUrl}/xrpc/com.atproto.sync.getBlob?did=${account.did}&cid=${image.image.ref.$link}`);
      expect(blob.status).toBe(200);
      expect(new Uint8Array(await blob.arrayBuffer())).toEqual(images[n]!.bytes);
    }
  });

  it('a link card goes out as an external embed with its picture as a blob, checked by the PDS against the lexicon; pictures take its place', { timeout: TEST_MS }, async () => {
    const { account, appPassword } = await signedUpAccount();
    const { ctx } = harness({ handle: account.handle, appPassword });
    const thumb = new Uint8Array(await sharp({ create: { width: 40, height: 21, channels: 3, background: '#c2410c' } }).jpeg().toBuffer());
    const card = { url: 'https://acme.example/menu', title: 'Menu — לחם', description: 'Fresh every Friday', image: thumb, shown: true, above: false, large: true };
    const published = await createBlueskyConnector().publish(ctx, post('New menu https://acme.example/menu', { card }));
    const record = (await storedPost(account.did, published.remoteId)) as unknown as { embed: { $type: string; external: { uri: string; title: string; description: string; thumb: { mimeType: string; size: number; ref: { $link: string } } } } };
    expect(record.embed.$type).toBe('app.bsky.embed.external');
    expect(record.embed.external).toMatchObject({ uri: card.url, title: card.title, description: card.description, thumb: { mimeType: 'image/jpeg', size: thumb.length } });
    const blob = await fetch(`${peer.pdsUrl}/xrpc/com.atproto.sync.getBlob?did=${account.did}&cid=${record.embed.external.thumb.ref.$link}`);
    expect(new Uint8Array(await blob.arrayBuffer())).toEqual(thumb);

    const withPicture = await createBlueskyConnector().publish(ctx, post('Menu and a photo https://acme.example/menu', { card, media: [png('a.png', 8, 8, 'Loaf')] }));
    expect((await storedPost(account.did, withPicture.remoteId)).embed?.$type).toBe('app.bsky.embed.images');
    const removed = await createBlueskyConnector().publish(ctx, post('No card https://acme.example/menu', { card: { ...card, shown: false } }));
    expect((await storedPost(account.did, removed.remoteId)).embed).toBeUndefined();
  });

  it('refuses a fifth image or a 1,000,001-byte image before any call', { timeout: TEST_MS }, async () => {
    const { account, appPassword } = await signedUpAccount();
    const connector = createBlueskyConnector();
    const { ctx, calls } = harness({ handle: account.handle, appPassword });
    const five = [1, 2, 3, 4, 5].map((n) => png(`${n}.png`, 4, 4, ''));

    const tooMany = await failure(connector.publish(ctx, post('five', { media: five })));
    expect(tooMany.kind).toBe('validation');
    expect(tooMany.networkMessage).toMatch(/at most 4 images/);

    const big = padPng(encodePng(8, 8, () => [200, 10, 10]), 1_000_001);
    expect(big.length).toBe(1_000_001);
    const tooBig = await failure(connector.publish(ctx, post('big', { media: [{ fileName: 'big.png', mime: 'image/png', bytes: big, alt: '' }] })));
    expect(tooBig.kind).toBe('validation');
    expect(tooBig.networkMessage).toMatch(/big\.png is 1,000,001 bytes; Bluesky takes images of at most 1,000,000 bytes/);

    expect(calls).toEqual([]);
    // Exactly at the limit passes the check.
    const atLimit = { fileName: 'max.png', mime: 'image/png', bytes: padPng(encodePng(8, 8, () => [0, 0, 0]), 1_000_000), alt: '' };
    expect(() => validateBlueskyPost(post('max', { media: [atLimit] }))).not.toThrow();
  });

  it('deletes a post: getRecord then finds nothing, and deleting again is still done', { timeout: TEST_MS }, async () => {
    const { account, appPassword } = await signedUpAccount();
    const connector = createBlueskyConnector();
    const { ctx } = harness({ handle: account.handle, appPassword });
    const published = await connector.publish(ctx, post('to be deleted 🗑️'));
    const rkey = published.remoteId.split('/').pop()!;
    expect((await getRecord(peer, account.did, rkey)).status).toBe(200);

    await connector.delete(ctx, published.remoteId);

    const gone = await getRecord(peer, account.did, rkey);
    // XRPC has no 404 for this: a missing record is 400 RecordNotFound.
    expect(gone.status).toBe(400);
    expect(gone.body['error']).toBe('RecordNotFound');
    await expect(connector.delete(ctx, published.remoteId)).resolves.toBeUndefined();
  });

  it('an expired access token is refreshed once, transparently, and the rotated tokens are persisted', { timeout: TEST_MS }, async () => {
    const { account, appPassword } = await signedUpAccount();
    const first = harness({ handle: account.handle, appPassword });
    await createBlueskyConnector().signIn(first.ctx);
    const session = first.saved[0]!;
    const expired = expireAccessToken(peer, session.accessJwt!);
    // The PDS itself judges the forged token: right signature, past expiry.
    const probe = await xrpc(peer, 'com.atproto.server.getSession', { bearer: expired });
    expect(probe.status).toBe(400);
    expect(probe.body['error']).toBe('ExpiredToken');

    const stale: BlueskyCredentials = { ...session, accessJwt: expired };
    const { ctx, calls, saved } = harness(stale);
    const published = await createBlueskyConnector().publish(ctx, post('after a refresh ♻️'));

    expect(calls.map(xrpcMethod)).toEqual([
      'com.atproto.repo.putRecord',
      'com.atproto.server.refreshSession',
      'com.atproto.repo.putRecord',
    ]);
    expect(saved).toHaveLength(1);
    expect(saved[0]!.refreshJwt).not.toBe(session.refreshJwt);
    expect(saved[0]!.accessJwt).not.toBe(expired);
    expect(saved[0]).toMatchObject({ did: account.did, handle: account.handle, appPassword });
    expect((await storedPost(account.did, published.remoteId)).text).toBe('after a refresh ♻️');

    // What was persisted works on its own (a new process): no refresh, no sign-in.
    const later = harness(saved[0]!);
    await createBlueskyConnector().publish(later.ctx, post('with the saved session'));
    expect(later.calls.map(xrpcMethod)).toEqual(['com.atproto.repo.putRecord']);
    expect(later.saved).toEqual([]);
  });

  it('a revoked app password ends in an auth failure, without a loop', { timeout: TEST_MS }, async () => {
    const { account, appPassword, appPasswordName } = await signedUpAccount();
    const first = harness({ handle: account.handle, appPassword });
    await createBlueskyConnector().signIn(first.ctx);
    await revokeAppPassword(peer, account, appPasswordName);

    const { ctx, calls } = harness({ ...first.saved[0]!, accessJwt: expireAccessToken(peer, first.saved[0]!.accessJwt!) });
    const error = await failure(createBlueskyConnector().publish(ctx, post('never')));

    expect(error.kind).toBe('auth');
    expect(calls.map(xrpcMethod)).toEqual([
      'com.atproto.repo.putRecord',
      'com.atproto.server.refreshSession',
      'com.atproto.server.createSession',
    ]);
  });

  it('verify after a crash: a post whose answer was lost is found; one that never left is not', { timeout: TEST_MS }, async () => {
    const { account, appPassword } = await signedUpAccount();
    const signedIn = harness({ handle: account.handle, appPassword });
    await createBlueskyConnector().signIn(signedIn.ctx);
    const credentials = signedIn.saved[0]!;

    // The write reaches the PDS, then the app dies before it reads the answer.
    const reached = post('sent, answer lost 💥');
    const lostAnswer = harness(credentials, {
      fetch: async (input, init) => {
        const response = await fetch(input, init);
        if (xrpcMethod(String(input)) === 'com.atproto.repo.putRecord') throw new TypeError('fetch failed (crash)');
        return response;
      },
    });
    await failure(createBlueskyConnector().publish(lostAnswer.ctx, reached));

    // The write never leaves the computer.
    const neverSent = post('never sent');
    const noNetwork = harness(credentials, {
      fetch: async (input, init) => {
        if (xrpcMethod(String(input)) === 'com.atproto.repo.putRecord') throw new TypeError('fetch failed (crash)');
        return fetch(input, init);
      },
    });
    await failure(createBlueskyConnector().publish(noNetwork.ctx, neverSent));

    // After the restart: a new connector, the same keychain entry.
    const restarted = createBlueskyConnector();
    const { ctx } = harness(credentials);
    const found = await restarted.verify(ctx, { idempotencyKey: reached.idempotencyKey, startedAt: Date.now() - 1000, text: reached.text });
    const rkey = blueskyRecordKey(reached.idempotencyKey);
    expect(found).toEqual({
      found: true,
      post: { remoteId: `at://${account.did}/app.bsky.feed.post/${rkey}`, url: `https://bsky.app/profile/${account.handle}/post/${rkey}`, publishedAt: expect.any(Number) },
    });
    expect(await restarted.verify(ctx, { idempotencyKey: neverSent.idempotencyKey, startedAt: Date.now() - 1000, text: neverSent.text })).toEqual({ found: false });

    // Publishing the lost attempt again does not post twice: the same record comes back.
    const again = await restarted.publish(ctx, reached);
    expect(again.remoteId).toBe(`at://${account.did}/app.bsky.feed.post/${rkey}`);
    const list = await xrpc(peer, 'com.atproto.repo.listRecords', { query: { repo: account.did, collection: 'app.bsky.feed.post' } });
    expect((list.body['records'] as Array<{ value: { text: string } }>).map((r) => r.value.text)).toEqual(['sent, answer lost 💥']);
  });

  it('the first comment is a reply under the post (root and parent strong refs), written once however often it is sent', { timeout: TEST_MS }, async () => {
    const { account, appPassword } = await signedUpAccount();
    const { ctx } = harness({ handle: account.handle, appPassword });
    const connector = createBlueskyConnector();
    const published = await connector.publish(ctx, post('New loaves today'));
    const postRecord = await getRecord(peer, account.did, published.remoteId.split('/').pop()!);

    const key = randomUUID();
    // The write reaches the PDS and its answer is lost: the comment may be there.
    const lostAnswer = harness({ handle: account.handle, appPassword }, {
      fetch: async (input, init) => {
        const response = await fetch(input, init);
        if (xrpcMethod(String(input)) === 'com.atproto.repo.putRecord') throw new TypeError('fetch failed (socket closed)');
        return response;
      },
    });
    expect((await failure(connector.comment(lostAnswer.ctx, published.remoteId, 'Order at https://bakery.example', key))).maybeSent).toBe(true);

    const rkey = blueskyRecordKey(key);
    const expected = { remoteId: `at://${account.did}/app.bsky.feed.post/${rkey}`, url: `https://bsky.app/profile/${account.handle}/post/${rkey}` };
    expect(await connector.verifyComment(ctx, { remoteId: published.remoteId, idempotencyKey: key })).toEqual({ found: true, comment: expected });
    expect(await connector.verifyComment(ctx, { remoteId: published.remoteId, idempotencyKey: randomUUID() })).toEqual({ found: false });
    // Sent again with the same key, it finds its own record instead of writing a second one.
    expect(await connector.comment(ctx, published.remoteId, 'Order at https://bakery.example', key)).toEqual(expected);

    const list = await xrpc(peer, 'com.atproto.repo.listRecords', { query: { repo: account.did, collection: 'app.bsky.feed.post' } });
    expect((list.body['records'] as Array<{ value: { text: string } }>).map((r) => r.value.text).sort()).toEqual(['New loaves today', 'Order at https://bakery.example']);
    const stored = (await getRecord(peer, account.did, rkey)).body['value'] as { reply: unknown; facets: unknown[] };
    const ref = { uri: published.remoteId, cid: postRecord.body['cid'] };
    expect(stored.reply).toEqual({ root: ref, parent: ref });
    expect(stored.facets).toHaveLength(1);
  });

  it('a thread: each part a reply to the one before, rooted at the first, checked by the PDS against the lexicon; a part whose answer was lost is written once', { timeout: TEST_MS }, async () => {
    const { account, appPassword } = await signedUpAccount();
    const { ctx } = harness({ handle: account.handle, appPassword });
    const connector = createBlueskyConnector();
    const first = await connector.publish(ctx, post('Thread on sourdough 1/3'));
    const second = await connector.publish(ctx, post('The starter 2/3', { replyTo: first.remoteId, media: [png('jar.png', 40, 30, 'a jar of starter')] }));
    const key = randomUUID();
    const lostAnswer = harness({ handle: account.handle, appPassword }, {
      fetch: async (input, init) => {
        const response = await fetch(input, init);
        if (xrpcMethod(String(input)) === 'com.atproto.repo.putRecord') throw new TypeError('fetch failed (socket closed)');
        return response;
      },
    });
    expect((await failure(connector.publish(lostAnswer.ctx, post('The bake 3/3', { idempotencyKey: key, replyTo: second.remoteId })))).maybeSent).toBe(true);
    // Sent again with the same key (the part's record key), it finds its own record instead of writing a second one.
    const third = await connector.publish(ctx, post('The bake 3/3', { idempotencyKey: key, replyTo: second.remoteId }));

    const refOf = async (remoteId: string) => ({ uri: remoteId, cid: (await getRecord(peer, account.did, remoteId.split('/').pop()!)).body['cid'] });
    const replyOf = async (remoteId: string) => ((await getRecord(peer, account.did, remoteId.split('/').pop()!)).body['value'] as { reply?: unknown }).reply;
    const [ref1, ref2] = [await refOf(first.remoteId), await refOf(second.remoteId)];
    expect(await replyOf(first.remoteId)).toBeUndefined();
    expect(await replyOf(second.remoteId)).toEqual({ root: ref1, parent: ref1 });
    expect(await replyOf(third.remoteId)).toEqual({ root: ref1, parent: ref2 });
    expect((await storedPost(account.did, second.remoteId)).embed?.images[0]?.alt).toBe('a jar of starter');
    const list = await xrpc(peer, 'com.atproto.repo.listRecords', { query: { repo: account.did, collection: 'app.bsky.feed.post' } });
    expect((list.body['records'] as Array<{ value: { text: string } }>).map((r) => r.value.text).sort()).toEqual(['The bake 3/3', 'The starter 2/3', 'Thread on sourdough 1/3']);
  });

  it('a first comment under a post that is gone is refused before anything is written', { timeout: TEST_MS }, async () => {
    const { account, appPassword } = await signedUpAccount();
    const { ctx } = harness({ handle: account.handle, appPassword });
    const connector = createBlueskyConnector();
    const published = await connector.publish(ctx, post('Short-lived'));
    await connector.delete(ctx, published.remoteId);
    const error = await failure(connector.comment(ctx, published.remoteId, 'Too late', randomUUID()));
    expect(error).toMatchObject({ kind: 'permanent', maybeSent: false });
  });

  it("the PDS's createSession limit (30 per 5 minutes) comes back as rate_limited with its reset time", { timeout: 90_000 }, async () => {
    const { account, appPassword } = await signedUpAccount();
    const connector = createBlueskyConnector();
    const { ctx } = harness({ handle: account.handle, appPassword });
    let error: ConnectorError | undefined;
    for (let i = 0; i < 31 && !error; i++) {
      error = await connector.signIn(ctx).then(
        () => undefined,
        (e: unknown) => e as ConnectorError,
      );
    }
    expect(error).toBeInstanceOf(ConnectorError);
    expect(error!.kind).toBe('rate_limited');
    expect(error!.status).toBe(429);
    expect(error!.retryAfterMs).toBeGreaterThan(0);
    expect(error!.retryAfterMs).toBeLessThanOrEqual(5 * 60_000 + 1000);
  });
});

/**
 * The PDS writes the record, then the answer goes wrong on the way back (a fetch in front of the
 * PDS plays the proxy). The scheduler must read it as unknown, ask the PDS for the record key, and
 * find it: one record, one putRecord, never a second write.
 */
describe('Bluesky: the PDS wrote the post, then the answer went wrong', () => {
  const page = (status: number, body: string, type = 'text/html') => new Response(body, { status, headers: { 'content-type': type } });
  const afterWrite: Record<string, (init: RequestInit | undefined) => Promise<Response>> = {
    '500': async () => page(500, JSON.stringify({ error: 'InternalServerError', message: 'Internal Server Error' }), 'application/json'),
    '502 HTML page': async () => page(502, '<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>'),
    '503': async () => page(503, 'Service Unavailable', 'text/plain'),
    '504': async () => page(504, '<html>Gateway Timeout</html>'),
    reset: async () => {
      throw new TypeError('fetch failed', { cause: Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }) });
    },
    // Like fetch, a hung call ends only when the connector's timeout aborts it.
    hang: (init) => new Promise<Response>((_, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal?.reason))),
    '200 with a body that is not JSON': async () => page(200, '<html><body>Welcome to the hotel Wi-Fi</body></html>'),
  };
  let credentials: BlueskyCredentials;

  beforeAll(async () => {
    const { account, appPassword } = await signedUpAccount();
    const signedIn = harness({ handle: account.handle, appPassword });
    await createBlueskyConnector().signIn(signedIn.ctx);
    credentials = signedIn.saved[0]!;
  }, TEST_MS);

  it.each(Object.keys(afterWrite))('%s after the write: verified by getRecord on its key, exactly one record', { timeout: TEST_MS }, async (name) => {
    const text = `after-write ${name} ${randomUUID().slice(0, 6)}`;
    let puts = 0;
    const { ctx } = harness(credentials, {
      fetch: async (input, init) => {
        const response = await fetch(input, init);
        if (xrpcMethod(String(input)) !== 'com.atproto.repo.putRecord') return response;
        puts += 1;
        if (puts > 1) return response;
        await response.arrayBuffer();
        return afterWrite[name]!(init);
      },
    });
    const db = openDatabase(':memory:');
    const project = addProject(db, { graceMinutes: 60 });
    const account = addAccount(db, project, { network: 'bluesky', config: { did: credentials.did } });
    addScheduledPost(db, systemClock, project, [account], Date.now(), { body: text });
    const connector = createBlueskyConnector({ timeoutMs: 2_000 }) as Connector;
    const scheduler = createScheduler({
      db,
      clock: systemClock,
      connectorFor: () => connector,
      openAccount: async () => ({ connector, ctx }),
      budgets: { bluesky: null },
      retry: { baseMs: 50, capMs: 200, maxAttempts: 5, verifySettleMs: 500 },
      log: () => {},
    });
    try {
      scheduler.start();
      const started = Date.now();
      for (;;) {
        const open = countOpenJobs(db);
        if (open.pending + open.running === 0) break;
        if (Date.now() - started > TEST_MS - 5_000) throw new Error(`still open: ${JSON.stringify(open)}`);
        await new Promise((r) => setTimeout(r, 25));
      }
      const records = await xrpc(peer, 'com.atproto.repo.listRecords', { query: { repo: credentials.did!, collection: 'app.bsky.feed.post', limit: '100' } });
      const same = (records.body['records'] as Array<{ value: { text: string } }>).filter((r) => r.value.text === text);
      expect({ records: same.length, puts }).toEqual({ records: 1, puts: 1 });
      expect(db.prepare(`SELECT state, reason FROM jobs WHERE kind = 'publish'`).get()).toEqual({ state: 'done', reason: null });
      expect(db.prepare(`SELECT COUNT(*) AS n FROM job_log WHERE event = 'verified'`).get()).toEqual({ n: 1 });
    } finally {
      await scheduler.stop();
      db.close();
    }
  });
});
