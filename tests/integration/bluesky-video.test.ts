import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ConnectorError, type MediaItem, type PublishRequest } from '../../main/core/connector';
import { blueskyRecordKey, createBlueskyConnector, type BlueskyContext } from '../../main/services/connectors/bluesky';
import { startBlueskyVideoFake, type BlueskyVideoFake } from '../fakes/bluesky-video-fake';
import { lexiconSet } from '../fakes/validate/lexicon';
import { createAccount, createAppPassword, getRecord, startBlueskyPeer, type BlueskyPeer } from '../support/bluesky-pds';
import { makeClip } from '../support/video-fixtures';

/**
 * Bluesky video (issue 12 item 3) against the real PDS (@atproto/dev-env) and a fake video
 * service built from the official lexicons: the service's token comes from the PDS, the processed
 * video is stored on the PDS with that token (the PDS checks its signature and audience), and the
 * post's record with its app.bsky.embed.video is written to and read back from the PDS.
 */

const TEST_MS = 30_000;
const embedLexicon = lexiconSet(['app/bsky/embed/defs.json', 'app/bsky/embed/video.json']);

let peer: BlueskyPeer;
let dir: string;
let clip: Uint8Array;
let video: BlueskyVideoFake;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'outpost-bsky-video-'));
  clip = readFileSync(makeClip(dir, 'clip.mp4', { seconds: 1, width: 320, height: 180 }));
  peer = await startBlueskyPeer();
}, 60_000);

afterAll(async () => {
  await peer?.stop();
  rmSync(dir, { recursive: true, force: true });
}, 20_000);

beforeEach(async () => {
  // The dev PDS is did:web:localhost: the service's uploadBlob token must be addressed to it.
  video = await startBlueskyVideoFake({ pdsDid: 'did:web:localhost', pdsUrl: peer.pdsUrl });
});

afterEach(async () => {
  const violations = [...video.violations];
  await video.close();
  expect(violations).toEqual([]);
});

const connector = () => createBlueskyConnector({ timeoutMs: 10_000, uploadTimeoutMs: 10_000, video: { serviceUrl: video.baseUrl, serviceDid: video.did, poll: { firstDelayMs: 5, maxDelayMs: 20, maxWaitMs: 2_000 } } });

async function account(fetcher: typeof fetch = fetch): Promise<{ ctx: BlueskyContext; did: string }> {
  const created = await createAccount(peer);
  const appPassword = await createAppPassword(peer, created);
  const ctx: BlueskyContext = { baseUrl: peer.pdsUrl, credentials: { handle: created.handle, appPassword }, config: { did: created.did }, fetch: fetcher, now: () => Date.now() };
  return { ctx, did: created.did };
}

function clipItem(extra: Partial<MediaItem> = {}): MediaItem {
  return { fileName: 'clip.mp4', mime: 'video/mp4', bytes: clip, alt: 'A test pattern with a clock', width: 320, height: 180, durationMs: 1000, ...extra };
}

function post(media: MediaItem[]): PublishRequest {
  return { text: 'Our first clip', media, idempotencyKey: randomUUID() };
}

interface VideoRecord {
  text: string;
  embed: { $type: string; video: { $type: string; mimeType: string; size: number; ref: { $link: string } }; alt?: string; aspectRatio?: { width: number; height: number } };
}

async function stored(did: string, remoteId: string): Promise<VideoRecord> {
  const reply = await getRecord(peer, did, remoteId.split('/').pop()!);
  expect(reply.status).toBe(200);
  return reply.body['value'] as VideoRecord;
}

async function failure(promise: Promise<unknown>): Promise<ConnectorError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ConnectorError);
  return error as ConnectorError;
}

describe('Bluesky video through the video service', () => {
  it('checks the limits, uploads with a PDS token, waits for the job, then posts app.bsky.embed.video', { timeout: TEST_MS }, async () => {
    const { ctx, did } = await account();
    const seen: number[] = [];
    const published = await connector().publish({ ...ctx, onUploadProgress: (sent) => seen.push(sent) }, post([clipItem()]));

    const record = await stored(did, published.remoteId);
    expect(record.text).toBe('Our first clip');
    expect(embedLexicon.checkValue('app.bsky.embed.video', record.embed)).toEqual([]);
    expect(record.embed).toMatchObject({ $type: 'app.bsky.embed.video', alt: 'A test pattern with a clock', aspectRatio: { width: 320, height: 180 } });
    expect(record.embed.video).toMatchObject({ mimeType: 'video/mp4', size: clip.byteLength });
    // The PDS holds the blob the service stored for this account.
    const blob = await fetch(`${peer.pdsUrl}/xrpc/com.atproto.sync.getBlob?did=${did}&cid=${record.embed.video.ref.$link}`);
    expect(Buffer.from(await blob.arrayBuffer()).equals(Buffer.from(clip))).toBe(true);

    const [job] = video.jobs;
    expect(job).toMatchObject({ did, name: 'clip.mp4', state: 'JOB_STATE_COMPLETED' });
    const polls = video.server.requests.filter((r) => r.path === '/xrpc/app.bsky.video.getJobStatus');
    expect(polls.length).toBe(4);
    expect(seen.at(-1)).toBe(clip.byteLength);
  });

  it('says why when the service will not take video from the account, before uploading anything', { timeout: TEST_MS }, async () => {
    const { ctx } = await account();
    video.setLimits({ canUpload: false, error: 'unconfirmed_email', message: 'Please confirm your email address' });
    const error = await failure(connector().publish(ctx, post([clipItem()])));
    expect(error.kind).toBe('validation');
    expect(error.maybeSent).toBe(false);
    expect(error.networkMessage).toMatch(/unconfirmed_email: Please confirm your email address.*verified email/);
    expect(video.jobs).toEqual([]);
  });

  it('a failed processing job names the file and the reason, and posts nothing', { timeout: TEST_MS }, async () => {
    const { ctx, did } = await account();
    video.failNextJob({ failureCode: 'encoding_failure', error: 'encoding_failed', message: 'The video could not be encoded' });
    const request = post([clipItem({ fileName: 'holiday.mp4' })]);
    const error = await failure(connector().publish(ctx, request));
    expect(error.kind).toBe('validation');
    expect(error.maybeSent).toBe(false);
    expect(error.networkMessage).toMatch(/The video could not be encoded.*Bluesky could not process holiday\.mp4/);
    expect((await getRecord(peer, did, blueskyRecordKey(request.idempotencyKey))).status).toBe(400);
  });

  it('a 5xx from the service is a retry that cannot have posted; the retry posts once', { timeout: TEST_MS }, async () => {
    const { ctx, did } = await account();
    video.failNext({ kind: 'server_error', status: 503 }, { method: 'app.bsky.video.uploadVideo' });
    const request = post([clipItem()]);
    const error = await failure(connector().publish(ctx, request));
    expect(error.kind).toBe('transient');
    expect(error.maybeSent).toBe(false);
    const published = await connector().publish(ctx, request);
    expect((await stored(did, published.remoteId)).embed.$type).toBe('app.bsky.embed.video');
  });

  it('a lost answer to the post is found by verify, with its video, and a resend makes no second post', { timeout: TEST_MS }, async () => {
    let dropPutRecord = true;
    const dropping: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      if (dropPutRecord && String(input).includes('com.atproto.repo.putRecord')) {
        dropPutRecord = false;
        await response.arrayBuffer();
        throw Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }) });
      }
      return response;
    };
    const { ctx, did } = await account(dropping);
    const request = post([clipItem()]);
    const error = await failure(connector().publish(ctx, request));
    expect(error.maybeSent).toBe(true);

    const found = await connector().verify(ctx, { idempotencyKey: request.idempotencyKey, startedAt: Date.now() - 60_000, text: request.text });
    expect(found.found).toBe(true);
    const remoteId = (found as { post: { remoteId: string } }).post.remoteId;
    expect((await stored(did, remoteId)).embed.$type).toBe('app.bsky.embed.video');
    // Sent again anyway (the same job): the record key is taken, so it is the same post.
    const again = await connector().publish(ctx, request);
    expect(again.remoteId).toBe(remoteId);
    const list = await fetch(`${peer.pdsUrl}/xrpc/com.atproto.repo.listRecords?repo=${did}&collection=app.bsky.feed.post`);
    expect(((await list.json()) as { records: unknown[] }).records).toHaveLength(1);
  });
});
