import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConnectorError, type MediaItem } from '../../../main/core/connector';
import type { GraphHttp } from '../../../main/services/connectors/meta/graph';
import { createPageRelay } from '../../../main/services/relay/page-relay';
import { RelayFailure } from '../../../main/services/relay/relay-failure';
import { startFacebookFake, type FacebookFake, type FakeFbApp, type FakeFbPage } from '../../fakes/facebook-fake';

let fb: FacebookFake;
let app: FakeFbApp;
let page: FakeFbPage;

beforeEach(async () => {
  fb = await startFacebookFake();
  app = fb.addApp();
  page = fb.addPage({ name: 'Corner Bakery', instagram: true });
});

afterEach(async () => {
  // The fake throws here on any request that broke Meta's own description of the Photo node or the Page's photos edge.
  await fb.close();
});

const http = (): GraphHttp => ({ baseUrl: fb.baseUrl, fetch, now: Date.now, token: page.token, appSecret: app.secret, name: 'Facebook' });
const PNG = Uint8Array.from(Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64'));
const image: MediaItem = { fileName: 'cake.png', mime: 'image/png', bytes: PNG, alt: 'A cake' };

describe('Page relay against the Facebook fake', () => {
  it('uploads the image to the Page unpublished, gives the photo’s own address, and deletes it on remove', async () => {
    const relayed = await createPageRelay(http, page.id).put(image);

    expect(fb.photos).toHaveLength(1);
    const photo = fb.photos[0]!;
    expect(photo).toMatchObject({ pageId: page.id, published: false, deleted: false });
    expect(new Uint8Array(photo.bytes)).toEqual(PNG);
    // Nothing shows on the Page: no post was made of it.
    expect(fb.livePosts(page)).toEqual([]);

    const fetched = await fetch(relayed.url);
    expect(fetched.status).toBe(200);
    expect(fetched.headers.get('content-type')).toBe('image/png');
    expect(new Uint8Array(await fetched.arrayBuffer())).toEqual(PNG);

    await relayed.remove();
    expect(photo.deleted).toBe(true);
    expect((await fetch(relayed.url)).status).toBe(404);
    await relayed.remove();
    expect(fb.requests.filter((r) => r.method === 'DELETE')).toHaveLength(1);
  });

  it('takes a photo already gone from the Page as removed', async () => {
    const relayed = await createPageRelay(http, page.id).put(image);
    fb.photos[0]!.deleted = true;
    await expect(relayed.remove()).resolves.toBeUndefined();
  });

  it('refuses a video before any call: Page photos are images', async () => {
    const failure = await createPageRelay(http, page.id)
      .put({ fileName: 'clip.mp4', mime: 'video/mp4', bytes: new Uint8Array([0, 0, 0, 24]), alt: '' })
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(RelayFailure);
    expect((failure as RelayFailure).networkMessage).toMatch(/takes only images, not clip\.mp4; choose an S3 bucket/);
    expect(fb.requests).toHaveLength(0);
  });

  it('deletes the photo again when its address cannot be read, and says why', async () => {
    fb.failNext({ code: 2, message: 'Service temporarily unavailable', status: 500 }, (r) => r.method === 'GET');
    const failure = (await createPageRelay(http, page.id).put(image).catch((e: unknown) => e)) as ConnectorError;
    expect(failure).toBeInstanceOf(ConnectorError);
    expect(fb.photos[0]?.deleted).toBe(true);
  });

  it('asks for a reconnect when the Page token no longer works', async () => {
    fb.revoke(page.token, 460);
    const failure = (await createPageRelay(http, page.id).put(image).catch((e: unknown) => e)) as ConnectorError;
    expect(failure.kind).toBe('auth');
    expect(failure.networkMessage).toMatch(/reconnect: the Facebook password was changed/);
    expect(fb.photos).toHaveLength(0);
  });
});
