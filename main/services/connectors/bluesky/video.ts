import { ConnectorError, type FailureKind, type MediaItem } from '../../../core/connector';
import { answerFailure, isSuccess } from '../kit/http';
import type { FileProgress } from '../kit/progress';
import { expectOk, send, xrpcSaid, type BlueskyContext, type CallInit, type XrpcReply } from './api';

/**
 * Video through Bluesky's video service (docs.bsky.app/docs/tutorials/video, lexicons
 * app.bsky.video.*): the service transcodes the clip and stores it on the user's PDS itself, so
 * the post shows a playable video from its first second.
 *
 * 1. getUploadLimits on the service with a service-auth token (aud: the service's DID, lxm the
 *    method): a daily cap that is used up, or an account the service refuses, stops here in its words.
 * 2. A second token for the service to store the result on the PDS: aud is the PDS's own DID
 *    (pdsDid below), lxm
 *    com.atproto.repo.uploadBlob, valid 30 minutes (processing can be slow).
 * 3. POST uploadVideo?did=&name= with the MP4 as the body; it answers a jobStatus.
 * 4. getJobStatus until JOB_STATE_COMPLETED with a blob, or JOB_STATE_FAILED with its reason.
 *
 * Everything here comes before the post's record is written, so any failure leaves the post unsent.
 */

export interface BlueskyVideoOptions {
  /** The video service; default Bluesky's. */
  serviceUrl?: string;
  serviceDid?: string;
  /** How getJobStatus is repeated while the service works. */
  poll?: { firstDelayMs: number; maxDelayMs: number; maxWaitMs: number };
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export const BLUESKY_VIDEO_SERVICE = { url: 'https://video.bsky.app', did: 'did:web:video.bsky.app' } as const;

export interface BlobRef {
  $type: 'blob';
  ref: { $link: string };
  mimeType: string;
  size: number;
}

/** app.bsky.embed.video */
export interface VideoEmbed {
  $type: 'app.bsky.embed.video';
  video: BlobRef;
  alt?: string;
  aspectRatio?: { width: number; height: number };
}

interface JobStatus {
  jobId: string;
  state: string;
  blob?: BlobRef;
  error?: string;
  failureCode?: string;
  message?: string;
}

/** How the connector makes authenticated calls to the user's PDS (its session, renewed on a token problem). */
export type PdsCall = (method: string, init: () => CallInit) => Promise<XrpcReply>;

const defaultSleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(new ConnectorError('transient', 'The video upload was cancelled.'));
    });
  });

/** Failure codes that say the file itself will not do: sending it again would fail again. */
const FILE_FAILURES = new Set(['validation_failure', 'encoding_failure', 'pds_upload_unsupported_blob_size']);

export function blueskyVideo(options: BlueskyVideoOptions, timeouts: { call: number; upload: number }) {
  const serviceUrl = options.serviceUrl ?? BLUESKY_VIDEO_SERVICE.url;
  const serviceDid = options.serviceDid ?? BLUESKY_VIDEO_SERVICE.did;
  const poll = options.poll ?? { firstDelayMs: 1_000, maxDelayMs: 5_000, maxWaitMs: 5 * 60_000 };
  const sleep = options.sleep ?? defaultSleep;
  const service = (ctx: BlueskyContext) => ({ baseUrl: serviceUrl, fetch: ctx.fetch, ...(ctx.signal ? { signal: ctx.signal } : {}) });

  /** The video service's answer, or a failure in its words; its 401 is no reason to reconnect the account. */
  function serviceOk(ctx: BlueskyContext, reply: XrpcReply, what: string): Record<string, unknown> {
    if (isSuccess(reply.status)) return reply.body;
    const said = xrpcSaid(reply);
    const kind: FailureKind = reply.status === 429 ? 'rate_limited' : reply.status >= 500 || reply.status === 401 ? 'transient' : reply.status === 400 || reply.status === 413 ? 'validation' : 'permanent';
    throw answerFailure(kind, reply, ctx.now(), { said, ours: `Bluesky's video service refused ${what}.` });
  }

  async function serviceToken(ctx: BlueskyContext, pds: PdsCall, aud: string, lxm: string, expSeconds?: number): Promise<string> {
    const reply = await pds('com.atproto.server.getServiceAuth', () => ({ query: { aud, lxm, ...(expSeconds ? { exp: String(expSeconds) } : {}) }, timeoutMs: timeouts.call }));
    const token = isSuccess(reply.status) ? reply.body['token'] : undefined;
    if (typeof token !== 'string') {
      const said = xrpcSaid(reply);
      throw answerFailure(reply.status >= 500 ? 'transient' : reply.status === 429 ? 'rate_limited' : 'permanent', reply, ctx.now(), { said, ours: 'Your Bluesky server gave no token for the video service.' });
    }
    return token;
  }

  /**
   * The PDS's own DID, which the service's token for uploadBlob must name: did:web of the host of
   * the #atproto_pds endpoint in the session's DID document (as Bluesky's app does); a PDS that
   * sends no document with the session names its DID in describeServer.
   */
  async function pdsDid(ctx: BlueskyContext, pds: PdsCall): Promise<string> {
    const reply = await pds('com.atproto.server.getSession', () => ({ timeoutMs: timeouts.call }));
    const services = (reply.body['didDoc'] as { service?: Array<{ id?: unknown; serviceEndpoint?: unknown }> } | undefined)?.service;
    const endpoint = Array.isArray(services) ? services.find((s) => typeof s.id === 'string' && s.id.endsWith('#atproto_pds'))?.serviceEndpoint : undefined;
    if (typeof endpoint === 'string') return `did:web:${new URL(endpoint).hostname}`;
    const described = await send(ctx, 'com.atproto.server.describeServer', { timeoutMs: timeouts.call });
    const did = expectOk(described, ctx)['did'];
    if (typeof did !== 'string' || !did.startsWith('did:')) throw new ConnectorError('permanent', 'Your Bluesky server does not say its own identity (describeServer), so no video can be stored on it.');
    return did;
  }

  async function checkLimits(ctx: BlueskyContext, pds: PdsCall, item: MediaItem): Promise<void> {
    const token = await serviceToken(ctx, pds, serviceDid, 'app.bsky.video.getUploadLimits');
    const reply = await send(service(ctx), 'app.bsky.video.getUploadLimits', { bearer: token, timeoutMs: timeouts.call });
    const limits = serviceOk(ctx, reply, 'to say how much video this account may upload');
    const words = [limits['error'], limits['message']].filter((w): w is string => typeof w === 'string' && w !== '').join(': ');
    if (limits['canUpload'] !== true) {
      throw new ConnectorError('validation', `Bluesky will not take a video from this account now${words ? ` (${words})` : ''}; Bluesky asks for a verified email and allows a number of videos a day.`, { ...(words ? { networkSaid: words } : {}) });
    }
    const bytesLeft = limits['remainingDailyBytes'];
    if (typeof bytesLeft === 'number' && bytesLeft < item.bytes.byteLength) {
      throw new ConnectorError('rate_limited', `${item.fileName} is larger than what Bluesky lets this account upload for the rest of today; it will go out when the daily allowance renews.`, { retryAfterMs: 6 * 60 * 60_000 });
    }
    if (limits['remainingDailyVideos'] === 0) {
      throw new ConnectorError('rate_limited', 'This account has posted as many videos as Bluesky allows today; it will go out when the daily allowance renews.', { retryAfterMs: 6 * 60 * 60_000 });
    }
  }

  function jobOf(body: Record<string, unknown>): JobStatus {
    const job = body['jobStatus'] as JobStatus | undefined;
    if (!job || typeof job.jobId !== 'string' || typeof job.state !== 'string') {
      throw new ConnectorError('transient', 'Bluesky’s video service answered without a processing job.');
    }
    return job;
  }

  function failed(item: MediaItem, job: JobStatus): ConnectorError {
    const said = [job.error, job.message].filter((w): w is string => typeof w === 'string' && w !== '').join(': ') || undefined;
    const fileAtFault = job.failureCode !== undefined && FILE_FAILURES.has(job.failureCode);
    const ours = fileAtFault
      ? `Bluesky could not process ${item.fileName}; export it again as MP4 (H.264) within Bluesky's limits.`
      : `Bluesky's video service failed to process ${item.fileName}; Outpost will try again.`;
    return new ConnectorError(fileAtFault ? 'validation' : 'transient', said ? `${said}: ${ours}` : ours, { ...(said ? { networkSaid: said } : {}) });
  }

  return {
    /** Uploads one video through the service and waits for its blob on the PDS; the embed for the post. */
    async upload(ctx: BlueskyContext, pds: PdsCall, did: string, item: MediaItem, onUploadProgress?: FileProgress): Promise<VideoEmbed> {
      await checkLimits(ctx, pds, item);
      const aud = await pdsDid(ctx, pds);
      const token = await serviceToken(ctx, pds, aud, 'com.atproto.repo.uploadBlob', Math.floor(ctx.now() / 1000) + 30 * 60);
      const uploaded = await send(service(ctx), 'app.bsky.video.uploadVideo', {
        query: { did, name: item.fileName },
        bytes: { data: item.bytes, type: 'video/mp4' },
        bearer: token,
        timeoutMs: timeouts.upload,
        onUploadProgress,
      });
      let job = jobOf(serviceOk(ctx, uploaded, `the upload of ${item.fileName}`));
      let waited = 0;
      let delay = poll.firstDelayMs;
      while (job.state !== 'JOB_STATE_COMPLETED' || !job.blob) {
        if (job.state === 'JOB_STATE_FAILED') throw failed(item, job);
        if (waited >= poll.maxWaitMs) throw new ConnectorError('transient', `Bluesky is still processing ${item.fileName}; Outpost will try again.`);
        await sleep(delay, ctx.signal);
        waited += delay;
        delay = Math.min(delay * 2, poll.maxDelayMs);
        const reply = await send(service(ctx), 'app.bsky.video.getJobStatus', { query: { jobId: job.jobId }, timeoutMs: timeouts.call });
        job = jobOf(serviceOk(ctx, reply, `to say how ${item.fileName} is processing`));
      }
      const known = (n: number | undefined): n is number => n !== undefined && Number.isInteger(n) && n > 0;
      return {
        $type: 'app.bsky.embed.video',
        video: job.blob,
        ...(item.alt ? { alt: item.alt } : {}),
        ...(known(item.width) && known(item.height) ? { aspectRatio: { width: item.width, height: item.height } } : {}),
      };
    },
  };
}
