import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appSecretProof } from '../../../main/services/connectors/meta/graph';
import { startInstagramFake, type FakeIgAccount, type InstagramFake } from '../../fakes/instagram-fake';
import { startLoopbackRelay, type LoopbackRelay } from '../../fakes/loopback-relay';

/** The Instagram fake checks what it is sent: a connector bug must fail its test, not pass quietly. */

let clock: number;
let ig: InstagramFake;
let relay: LoopbackRelay;
let account: FakeIgAccount;

beforeEach(async () => {
  clock = Date.UTC(2026, 11, 5, 9, 0, 0);
  ig = await startInstagramFake({ now: () => clock, containerLifetimeMs: 60_000, publishLimit: 2 });
  relay = await startLoopbackRelay();
  account = ig.addAccount({ username: 'cornerbakery' });
});

afterEach(async () => {
  await ig.close();
  await relay.close();
});

const JPEG = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4]);

interface Answer {
  id?: string;
  uri?: string;
  error?: { code: number; error_subcode?: number; message: string; error_user_title?: string };
  [key: string]: unknown;
}

/** A Graph call as a client sends it: the token and its proof in the form body (POST) or the query. */
async function graph(method: 'GET' | 'POST' | 'DELETE', path: string, params: Record<string, string> = {}): Promise<{ status: number; json: Answer }> {
  const all = { ...params, access_token: account.pageToken, appsecret_proof: appSecretProof(account.pageToken, account.appSecret) };
  const url = new URL(`${ig.baseUrl}${ig.path(path)}`);
  if (method !== 'POST') for (const [k, v] of Object.entries(all)) url.searchParams.set(k, v);
  const response = await fetch(url, method === 'POST' ? { method, body: new URLSearchParams(all) } : { method });
  return { status: response.status, json: (await response.json()) as Answer };
}

async function imageUrl(bytes: Uint8Array = JPEG): Promise<string> {
  return (await relay.put({ fileName: 'a.jpg', mime: 'image/jpeg', bytes, alt: '' })).url;
}

describe('the Instagram fake', () => {
  it('refuses requests that break Meta’s description of the node, and records what Instagram would ignore', async () => {
    const badBool = await graph('POST', `${account.igUserId}/media`, { image_url: await imageUrl(), is_carousel_item: 'maybe' });
    expect(badBool.status).toBe(400);
    expect(badBool.json.error).toMatchObject({ code: 100, message: expect.stringContaining('is_carousel_item is not a valid bool') as string });
    const noCreation = await graph('POST', `${account.igUserId}/media_publish`);
    expect(noCreation.json.error!.message).toContain('creation_id is required');
    const badField = await graph('GET', `${account.igUserId}/media`, { fields: 'id,likes_of_everyone' });
    expect(badField.json.error!.message).toContain('IGMedia has no field "likes_of_everyone"');
    const unknownEdge = await graph('POST', `${account.igUserId}/schedule`);
    expect(unknownEdge.json.error!.message).toContain('IGUser has no POST schedule');
    // An unknown parameter Instagram would ignore is a violation the test must notice.
    const ok = await graph('POST', `${account.igUserId}/media`, { image_url: await imageUrl(), scheduled_publish_time: '1790000000' });
    expect(ok.status).toBe(200);
    expect(ig.violations).toEqual([
      `POST ${ig.path(`${account.igUserId}/media`)}: is_carousel_item is not a valid bool`,
      `POST ${ig.path(`${account.igUserId}/media_publish`)}: creation_id is required`,
      `GET ${ig.path(`${account.igUserId}/media`)}: IGMedia has no field "likes_of_everyone"`,
      `POST ${ig.path(`${account.igUserId}/schedule`)}: IGUser has no POST schedule`,
      `POST ${ig.path(`${account.igUserId}/media`)}: unexpected parameter "scheduled_publish_time"`,
    ]);
    await expect(ig.close()).rejects.toThrow(/unexpected parameter "scheduled_publish_time"/);
    ig = await startInstagramFake({ now: () => clock });
  });

  it('refuses a call without the Page token or with a wrong appsecret_proof, and an IG user the token does not act for', async () => {
    const response = await fetch(`${ig.baseUrl}${ig.path(`${account.igUserId}/media`)}?fields=id`);
    expect(((await response.json()) as { error: { code: number } }).error.code).toBe(190);
    const other = ig.addAccount();
    const url = `${ig.baseUrl}${ig.path(`${other.igUserId}/media`)}?access_token=${account.pageToken}&appsecret_proof=${appSecretProof(account.pageToken, account.appSecret)}`;
    expect(((await (await fetch(url)).json()) as { error: { code: number } }).error.code).toBe(10);
    const proof = `${ig.baseUrl}${ig.path(`${account.igUserId}/media`)}?access_token=${account.pageToken}&appsecret_proof=${'0'.repeat(64)}`;
    expect(((await (await fetch(proof)).json()) as { error: { message: string } }).error.message).toContain('appsecret_proof');
  });

  it('fetches image_url over HTTP as Instagram does: a relay that does not serve the file is 9004 / 2207052, a non-JPEG too', async () => {
    const url = await imageUrl();
    const made = await graph('POST', `${account.igUserId}/media`, { image_url: url, caption: 'Rye' });
    expect(made.json).toEqual({ id: expect.any(String) as string });
    expect(relay.fetches.get(new URL(url).pathname)).toBe(1);
    relay.broken = true;
    const broken = await graph('POST', `${account.igUserId}/media`, { image_url: await imageUrl() });
    expect(broken.json.error).toMatchObject({ code: 9004, error_subcode: 2207052, error_user_title: expect.stringContaining('Media download has failed') as string });
    relay.broken = false;
    const png = await graph('POST', `${account.igUserId}/media`, { image_url: await imageUrl(Uint8Array.from([0x89, 0x50, 0x4e, 0x47])) });
    expect(png.json.error!.code).toBe(9004);
  });

  it('processes containers: IN_PROGRESS for a read, then FINISHED; EXPIRED after its lifetime, refused at publish with 2207020', async () => {
    const { json } = await graph('POST', `${account.igUserId}/media`, { image_url: await imageUrl() });
    const read = async () => (await graph('GET', json.id as string, { fields: 'status_code,status' })).json;
    const early = await graph('POST', `${account.igUserId}/media_publish`, { creation_id: json.id as string });
    expect(early.json.error).toMatchObject({ code: 9007, error_subcode: 2207027 });
    expect(await read()).toMatchObject({ status_code: 'IN_PROGRESS' });
    expect(await read()).toMatchObject({ status_code: 'FINISHED', status: expect.stringContaining('Finished') as string });
    clock += 61_000;
    expect(await read()).toMatchObject({ status_code: 'EXPIRED' });
    const late = await graph('POST', `${account.igUserId}/media_publish`, { creation_id: json.id as string });
    expect(late.json.error).toMatchObject({ error_subcode: 2207020 });
  });

  it('publishes a container once: a second media_publish is a violation; the publishing limit answers code 9 / 2207042', async () => {
    const publishOne = async () => {
      const { json } = await graph('POST', `${account.igUserId}/media`, { image_url: await imageUrl() });
      await graph('GET', json.id as string, { fields: 'status_code' });
      await graph('GET', json.id as string, { fields: 'status_code' });
      return { creation: json.id as string, answer: await graph('POST', `${account.igUserId}/media_publish`, { creation_id: json.id as string }) };
    };
    const first = await publishOne();
    expect(first.answer.json).toEqual({ id: ig.media[0]!.id });
    await graph('POST', `${account.igUserId}/media_publish`, { creation_id: first.creation });
    expect(ig.violations).toEqual([`POST ${ig.path(`${account.igUserId}/media_publish`)}: container ${first.creation} published a second time`]);
    ig.violations.splice(0);
    await publishOne();
    const third = await publishOne();
    expect(third.answer.json.error).toMatchObject({ code: 9, error_subcode: 2207042 });
    expect((await graph('GET', `${account.igUserId}/content_publishing_limit`, { fields: 'config,quota_usage' })).json).toEqual({
      data: [{ quota_usage: 2, config: { quota_total: 2, quota_duration: 86_400 } }],
    });
  });

  it('takes a reel’s bytes on the rupload host with the OAuth header, offset and file_size, in one piece or resumed', async () => {
    const { json } = await graph('POST', `${account.igUserId}/media`, { media_type: 'REELS', upload_type: 'resumable', caption: 'Reel' });
    expect(json.uri).toBe(`${ig.baseUrl}/ig-api-upload/v24.0/${json.id as string}`);
    const send = (headers: Record<string, string>, body: Uint8Array) => fetch(json.uri as string, { method: 'POST', headers, body });
    const unauthorised = await send({ offset: '0', file_size: '6' }, Uint8Array.from([1, 2, 3]));
    expect(unauthorised.status).toBe(401);
    expect(ig.violations.splice(0)).toEqual([`POST /ig-api-upload/v24.0/${json.id as string}: no valid "Authorization: OAuth <token>" header`]);
    const auth = { authorization: `OAuth ${account.pageToken}`, 'content-type': 'application/octet-stream' };
    expect((await send({ ...auth, offset: '0', file_size: '6' }, Uint8Array.from([1, 2, 3]))).status).toBe(200);
    expect((await (await send({ ...auth, offset: '0', file_size: '6' }, Uint8Array.from([4, 5, 6]))).json()) as unknown).toMatchObject({ debug_info: { message: 'Expected offset 3.' } });
    expect((await (await send({ ...auth, offset: '3', file_size: '6' }, Uint8Array.from([4, 5, 6]))).json()) as unknown).toEqual({ success: true, message: 'Upload successful.' });
    expect(ig.containers[0]!.media).toMatchObject({ bytes: Buffer.from([1, 2, 3, 4, 5, 6]), from: 'upload' });
  });

  it('takes carousel children comma-separated (as the guide writes them), only ready items, and refuses DELETE of IG media', async () => {
    const items: string[] = [];
    for (let i = 0; i < 2; i += 1) {
      const { json } = await graph('POST', `${account.igUserId}/media`, { image_url: await imageUrl(), is_carousel_item: 'true' });
      items.push(json.id as string);
    }
    const unready = await graph('POST', `${account.igUserId}/media`, { media_type: 'CAROUSEL', children: items.join(','), caption: 'Two' });
    expect(unready.json.error!.message).toContain('is not ready (IN_PROGRESS)');
    for (const id of items) for (let r = 0; r < 2; r += 1) await graph('GET', id, { fields: 'status_code' });
    const carousel = await graph('POST', `${account.igUserId}/media`, { media_type: 'CAROUSEL', children: items.join(','), caption: 'Two' });
    expect(carousel.status).toBe(200);
    await graph('GET', carousel.json.id as string, { fields: 'status_code' });
    await graph('GET', carousel.json.id as string, { fields: 'status_code' });
    const { json } = await graph('POST', `${account.igUserId}/media_publish`, { creation_id: carousel.json.id as string });
    expect(ig.media[0]).toMatchObject({ id: json.id, mediaType: 'CAROUSEL_ALBUM', caption: 'Two' });
    const deleted = await graph('DELETE', json.id as string);
    expect(deleted.json.error!.code).toBe(100);
    expect(ig.violations.splice(0)).toEqual([`DELETE ${ig.path(json.id as string)}: DELETE of IG media: Outpost must not send it (unconfirmed, CONTRACTS.md §7)`]);
  });
});
