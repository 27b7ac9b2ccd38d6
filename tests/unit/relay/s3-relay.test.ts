import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConnectorError } from '../../../main/core/connector';
import { RelayFailure } from '../../../main/services/relay/relay-failure';
import { createS3Relay, PRESIGN_EXPIRES_S, RELAY_KEY_PREFIX, type S3RelaySettings } from '../../../main/services/relay/s3-relay';
import { startLocalS3, type LocalS3 } from './local-s3';

let s3: LocalS3;
let settings: S3RelaySettings;

beforeAll(async () => {
  s3 = await startLocalS3();
  settings = { endpoint: s3.endpoint, region: 'us-east-1', bucket: s3.bucket, pathStyle: true, accessKeyId: s3.accessKeyId };
});
afterAll(async () => {
  await s3.close();
});

const image = { fileName: 'Launch day.JPG', mime: 'image/jpeg', bytes: new Uint8Array([0xff, 0xd8, 0xff, 1, 2, 3, 0xff, 0xd9]), alt: 'A cake' };

describe('S3 media relay against a local S3-compatible server', () => {
  it('puts the file under an unguessable key, gives a working presigned address, and deletes it on remove', async () => {
    const relay = createS3Relay(settings, s3.secretAccessKey);
    const relayed = await relay.put(image);

    const keys = await s3.keys();
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatch(new RegExp(`^${RELAY_KEY_PREFIX}[0-9a-f]{32}\\.jpg$`));
    // The file's own name (a client's launch plans) never shows in the address.
    expect(relayed.url).not.toContain('Launch');

    const url = new URL(relayed.url);
    expect(url.searchParams.get('X-Amz-Expires')).toBe(String(PRESIGN_EXPIRES_S));
    expect(PRESIGN_EXPIRES_S).toBeLessThanOrEqual(3600);
    const fetched = await fetch(relayed.url);
    expect(fetched.status).toBe(200);
    expect(fetched.headers.get('content-type')).toBe('image/jpeg');
    expect(new Uint8Array(await fetched.arrayBuffer())).toEqual(image.bytes);

    await relayed.remove();
    expect(await s3.keys()).toEqual([]);
    expect((await fetch(relayed.url)).status).toBe(404);
    // Twice (a retry's cleanup after the first): still fine, still gone.
    await relayed.remove();
    expect(await s3.keys()).toEqual([]);
  });

  it('gives addresses that stop working once they expire', async () => {
    const relay = createS3Relay(settings, s3.secretAccessKey, { expiresInS: 1 });
    const relayed = await relay.put({ ...image, fileName: 'a.png', mime: 'image/png' });
    expect((await fetch(relayed.url)).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    const late = await fetch(relayed.url);
    expect(late.status).toBe(403);
    expect(await late.text()).toMatch(/expired/i);
    await relayed.remove();
  });

  it('says the keys are wrong when the secret is, and leaves nothing behind', async () => {
    const relay = createS3Relay(settings, 'not-the-secret');
    const failure = await relay.put(image).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(RelayFailure);
    expect((failure as RelayFailure).reason).toBe('keys');
    expect((failure as ConnectorError).kind).toBe('validation');
    expect((failure as ConnectorError).networkMessage).toMatch(/refused the access key id or secret key \(SignatureDoesNotMatch\); check both in Settings/);
    expect((failure as ConnectorError).maybeSent).toBe(false);
    expect(await s3.keys()).toEqual([]);
  });

  it('says the access key id is unknown', async () => {
    const failure = (await createS3Relay({ ...settings, accessKeyId: 'NOBODY' }, s3.secretAccessKey).put(image).catch((e: unknown) => e)) as RelayFailure;
    expect(failure.reason).toBe('keys');
  });

  it('names a bucket that does not exist', async () => {
    const failure = (await createS3Relay({ ...settings, bucket: 'no-such-bucket' }, s3.secretAccessKey).put(image).catch((e: unknown) => e)) as RelayFailure;
    expect(failure.reason).toBe('bucket');
    expect(failure.networkMessage).toMatch(/no bucket named “no-such-bucket” at 127\.0\.0\.1:\d+/);
  });

  it('says the endpoint cannot be reached, as a failure worth retrying', async () => {
    const failure = (await createS3Relay({ ...settings, endpoint: 'http://127.0.0.1:9' }, s3.secretAccessKey).put(image).catch((e: unknown) => e)) as RelayFailure;
    expect(failure.reason).toBe('unreachable');
    expect(failure.kind).toBe('transient');
    expect(failure.networkMessage).toMatch(/could not reach 127\.0\.0\.1:9: the connection was refused; check the endpoint address/);
  });
});
