import { randomBytes } from 'node:crypto';
import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { MediaItem } from '../../core/connector';
import type { MediaRelay, RelayedMedia } from '../../core/media-relay';
import { noAnswerFailure } from '../connectors/kit/transport';
import { hostOf } from '../connectors/kit/urls';
import { RelayFailure } from './relay-failure';

/**
 * The user's own S3-compatible bucket as a media relay (AWS S3, Cloudflare R2, Backblaze B2,
 * MinIO…), through the official AWS SDK: each file goes under a random key, the network gets a
 * presigned GET, and the object is deleted once the network has its copy.
 */

export interface S3RelaySettings {
  /** The service's address, https (plain http only on a loopback address, for a local server). */
  endpoint: string;
  /** AWS region, or what the provider asks for (R2: "auto"). */
  region: string;
  bucket: string;
  /** Address objects as endpoint/bucket/key instead of bucket.endpoint/key (MinIO and most self-hosted servers need it). */
  pathStyle: boolean;
  accessKeyId: string;
}

/**
 * How long a presigned address works: 15 minutes. Instagram and Threads fetch the file while the
 * container is being made, seconds after the address is given, and the object is deleted right
 * after; a short life keeps a leaked address (a log, a proxy) useless soon, while leaving room
 * for a slow container call and its retries.
 */
export const PRESIGN_EXPIRES_S = 15 * 60;
/** One call to the bucket; an unreachable endpoint fails in this time rather than the SDK's minutes. */
const CALL_TIMEOUT_MS = 30_000;

/** Random, unguessable object keys (128 bits) in one folder, so a lifecycle rule can sweep what a crash left. */
export const RELAY_KEY_PREFIX = 'outpost-relay/';

export function relayObjectKey(media: Pick<MediaItem, 'fileName' | 'mime'>): string {
  const ext = /\.([a-z0-9]{1,5})$/i.exec(media.fileName)?.[1]?.toLowerCase() ?? media.mime.split('/')[1]?.replace(/[^a-z0-9]/gi, '') ?? 'bin';
  return `${RELAY_KEY_PREFIX}${randomBytes(16).toString('hex')}.${ext}`;
}

export function createS3Client(settings: S3RelaySettings, secretAccessKey: string): S3Client {
  return new S3Client({
    endpoint: settings.endpoint,
    region: settings.region,
    forcePathStyle: settings.pathStyle,
    credentials: { accessKeyId: settings.accessKeyId, secretAccessKey },
    // The SDK's newer default checksums (CRC32 headers) are refused by several S3-compatible services (B2, older MinIO, R2 at times).
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    // One retry: the job's own retry policy decides about the rest.
    maxAttempts: 2,
    requestHandler: { connectionTimeout: CALL_TIMEOUT_MS, requestTimeout: CALL_TIMEOUT_MS },
  });
}

export function createS3Relay(settings: S3RelaySettings, secretAccessKey: string, options: { expiresInS?: number } = {}): MediaRelay {
  const client = createS3Client(settings, secretAccessKey);
  const expiresIn = options.expiresInS ?? PRESIGN_EXPIRES_S;
  const where = `${hostOf(settings.endpoint)}/${settings.bucket}`;
  return {
    async put(media, { signal } = {}) {
      const Key = relayObjectKey(media);
      const Bucket = settings.bucket;
      try {
        await client.send(new PutObjectCommand({ Bucket, Key, Body: media.bytes, ContentType: media.mime, ContentLength: media.bytes.byteLength }), signal ? { abortSignal: signal } : {});
      } catch (error) {
        throw s3Failure(error, settings, 'put');
      }
      let url: string;
      try {
        url = await getSignedUrl(client, new GetObjectCommand({ Bucket, Key }), { expiresIn });
      } catch (error) {
        // The object is there but cannot be handed out: take it away again.
        await client.send(new DeleteObjectCommand({ Bucket, Key })).catch(() => undefined);
        throw s3Failure(error, settings, 'put');
      }
      let removing: Promise<void> | undefined;
      const relayed: RelayedMedia = {
        url,
        remove() {
          // Deleting a missing key is a success in S3; the second call waits for the first.
          removing ??= client.send(new DeleteObjectCommand({ Bucket, Key })).then(
            () => undefined,
            (error: unknown) => {
              removing = undefined;
              throw s3Failure(error, settings, 'remove');
            },
          );
          return removing;
        },
      };
      return relayed;
    },
  };

  function s3Failure(error: unknown, s: S3RelaySettings, step: 'put' | 'remove'): RelayFailure {
    const doing = step === 'put' ? `put the file in ${where}` : `delete the file from ${where}`;
    return describeS3Error(error, s, doing);
  }
}

/** What went wrong with a bucket call, in the user's words, with the reason the settings page shows. */
export function describeS3Error(error: unknown, settings: Pick<S3RelaySettings, 'endpoint' | 'bucket'>, doing: string): RelayFailure {
  if (error instanceof RelayFailure) return error;
  if (error instanceof S3ServiceException) {
    const code = error.name;
    const status = error.$metadata.httpStatusCode;
    const said = error.message && error.message !== 'UnknownError' ? error.message : undefined;
    const details = { ...(status !== undefined ? { status } : {}), ...(said ? { networkSaid: said } : {}), cause: error };
    if (code === 'NoSuchBucket') {
      return new RelayFailure('bucket', 'validation', `The media relay could not ${doing}: there is no bucket named “${settings.bucket}” at ${hostOf(settings.endpoint)}; check the bucket name and region.`, details);
    }
    if (['InvalidAccessKeyId', 'SignatureDoesNotMatch', 'InvalidToken', 'ExpiredToken', 'AuthorizationHeaderMalformed'].includes(code)) {
      return new RelayFailure('keys', 'validation', `The media relay could not ${doing}: the bucket refused the access key id or secret key (${code}); check both in Settings.`, details);
    }
    if (code === 'AccessDenied' || status === 403) {
      return new RelayFailure('access', 'validation', `The media relay could not ${doing}: the keys are not allowed to write and delete in “${settings.bucket}” (${code}); give them that permission.`, details);
    }
    if (status !== undefined && status >= 500) {
      return new RelayFailure('unavailable', 'transient', `The media relay could not ${doing}: the storage service had a problem (${code}, HTTP ${status}); Outpost tries again.`, details);
    }
    return new RelayFailure('refused', 'validation', `The media relay could not ${doing}: the storage service refused (${code}${status ? `, HTTP ${status}` : ''}).`, details);
  }
  const name = (error as { name?: unknown } | undefined)?.name;
  const timedOut = name === 'TimeoutError' || name === 'RequestTimeout';
  const cancelled = name === 'AbortError';
  const failure = noAnswerFailure(error, { name: hostOf(settings.endpoint), timedOut, cancelled, timeoutMs: CALL_TIMEOUT_MS, redact: (t) => t });
  // Unreachable is worth retrying (a train's Wi-Fi), but never "wait for the network" forever: a wrong endpoint would never end.
  return new RelayFailure('unreachable', 'transient', `The media relay could not ${doing}: ${failure.networkMessage.replace(/\.$/, '')}; check the endpoint address.`, {
    cause: failure.cause ?? error,
  });
}
