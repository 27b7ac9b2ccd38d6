import { createHash, randomUUID } from 'node:crypto';
import { startFakeServer, type FakeRequest, type FakeResponse, type FakeServer, type Fault, type NetworkAnswers, type RequestMatcher } from './fake-server';
import { lexiconSet } from './validate/lexicon';

/**
 * A loopback Bluesky video service (video.bsky.app), which the local PDS does not have: built from
 * the official lexicons (specs/atproto-lexicons: app.bsky.video.getUploadLimits, uploadVideo,
 * getJobStatus, defs#jobStatus) and docs.bsky.app/docs/tutorials/video.
 *
 * - Every call is checked against its lexicon (method, parameters, input encoding) and every answer
 *   against its output schema, so a wrong shape fails the test that caused it. uploadVideo's `did`
 *   and `name` parameters are the tutorial's, not the lexicon's.
 * - Service auth: the Bearer token's claims are checked as the service does — iss is the uploader
 *   (and the `did` parameter), exp in the future, lxm and aud as each call needs (getUploadLimits:
 *   this service's DID; uploadVideo: com.atproto.repo.uploadBlob for the user's PDS). The signature
 *   is left to the PDS: with `pdsUrl` the processed video is stored there with the same token
 *   (uploadBlob), exactly as the real service does, and the real PDS verifies it.
 * - Jobs move one state per getJobStatus (CREATED, ENCODING, SCANNING, UPLOADING, COMPLETED with
 *   the blob) unless told to fail; faults: 429/5xx/hang/reset per method, before or after handling.
 */

export interface FakeVideoJob {
  jobId: string;
  did: string;
  name: string | undefined;
  bytes: Buffer;
  state: string;
  /** Steps left before it completes. */
  steps: string[];
  blob: { $type: 'blob'; ref: { $link: string }; mimeType: string; size: number } | undefined;
  failure: { failureCode: string; error: string; message: string } | undefined;
}

export interface UploadLimits {
  canUpload: boolean;
  remainingDailyVideos?: number;
  remainingDailyBytes?: number;
  message?: string;
  error?: string;
}

export type VideoFault = { kind: 'server_error'; status: number } | { kind: 'rate_limited'; retryAfterMs: number } | { kind: 'hang' } | { kind: 'reset' };

export interface BlueskyVideoFake {
  baseUrl: string;
  /** This service's DID, the aud of a getUploadLimits token. */
  did: string;
  server: FakeServer;
  jobs: FakeVideoJob[];
  readonly violations: string[];
  setLimits(limits: UploadLimits): void;
  /** The next job ends in JOB_STATE_FAILED with this code and words. */
  failNextJob(failure: { failureCode: string; error?: string; message: string }): void;
  failNext(fault: VideoFault, options?: { method?: string; afterHandling?: boolean; count?: number }): void;
  close(): Promise<void>;
}

export interface BlueskyVideoFakeOptions {
  /** The DID a token for uploadBlob must be addressed to (the user's PDS, did:web:localhost for the dev PDS). */
  pdsDid: string;
  /** The PDS to store processed videos on with the uploader's token; without it the blob is made up here. */
  pdsUrl?: string;
  did?: string;
  now?: () => number;
  /** States a job shows before it completes (default CREATED, ENCODING, SCANNING, UPLOADING). */
  steps?: string[];
}

const LEXICONS = ['app/bsky/video/defs.json', 'app/bsky/video/getUploadLimits.json', 'app/bsky/video/uploadVideo.json', 'app/bsky/video/getJobStatus.json', 'app/bsky/embed/defs.json', 'app/bsky/embed/video.json'];

/** A raw-codec CIDv1 (sha-256) in base32, as atproto names blobs. */
export function blobCid(bytes: Buffer): string {
  const digest = createHash('sha256').update(bytes).digest();
  const data = Buffer.concat([Buffer.from([0x01, 0x55, 0x12, 0x20]), digest]);
  const alphabet = 'abcdefghijklmnopqrstuvwxyz234567';
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of data) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += alphabet[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += alphabet[(value << (5 - bits)) & 31];
  return `b${out}`;
}

const xrpcError = (status: number, error: string, message: string): FakeResponse => ({ status, json: { error, message } });

const answers: NetworkAnswers = {
  rateLimited: (retryAfterMs) => ({ status: 429, json: { error: 'RateLimitExceeded', message: 'Rate Limit Exceeded' }, headers: { 'ratelimit-reset': String(Math.ceil((Date.now() + retryAfterMs) / 1000)) } }),
  serverError: (status) => xrpcError(status, 'InternalServerError', 'Internal Server Error'),
  refused: (messages) => xrpcError(400, 'InvalidRequest', messages.join('; ')),
};

export async function startBlueskyVideoFake(options: BlueskyVideoFakeOptions): Promise<BlueskyVideoFake> {
  const did = options.did ?? 'did:web:video.outpost.test';
  const now = options.now ?? Date.now;
  const steps = options.steps ?? ['JOB_STATE_CREATED', 'JOB_STATE_ENCODING', 'JOB_STATE_SCANNING', 'JOB_STATE_UPLOADING'];
  const lexicons = lexiconSet(LEXICONS, { extraParams: { 'app.bsky.video.uploadVideo': ['did', 'name'] } });
  const jobs: FakeVideoJob[] = [];
  let limits: UploadLimits = { canUpload: true, remainingDailyVideos: 25, remainingDailyBytes: 10 * 1024 * 1024 * 1024 };
  const failures: Array<FakeVideoJob['failure']> = [];

  const server = await startFakeServer(handle, { name: 'Bluesky video fake', validator: lexicons, answers });

  /** The answer, after checking it against the method's output schema (a wrong one is this fake's bug). */
  function answer(req: FakeRequest, nsid: string, body: Record<string, unknown>): FakeResponse {
    for (const problem of lexicons.checkOutput(nsid, body)) server.violate(req, `the fake answered badly: ${problem}`, false);
    return { status: 200, json: body };
  }

  /** The service-auth token's claims, or the refusal the service gives. */
  function serviceAuth(req: FakeRequest, aud: string, lxm: string): { iss: string } | FakeResponse {
    const header = String(req.headers['authorization'] ?? '');
    const token = /^Bearer (\S+)$/.exec(header)?.[1];
    if (!token) return xrpcError(401, 'AuthMissing', 'Authentication Required');
    let claims: Record<string, unknown>;
    try {
      const [, payload] = token.split('.');
      claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
    } catch {
      return xrpcError(401, 'BadJwt', 'poorly formatted jwt');
    }
    const refuse = (what: string) => {
      server.violate(req, what, true);
      return xrpcError(401, 'BadJwt', what);
    };
    if (typeof claims['iss'] !== 'string' || !claims['iss'].startsWith('did:')) return refuse('jwt has no issuer');
    if (typeof claims['exp'] !== 'number' || claims['exp'] * 1000 <= now()) return refuse('jwt expired');
    if (claims['aud'] !== aud) return refuse(`jwt audience ${String(claims['aud'])} is not ${aud}`);
    if (claims['lxm'] !== lxm) return refuse(`jwt lxm ${String(claims['lxm'])} is not ${lxm}`);
    return { iss: claims['iss'] };
  }

  function statusOf(job: FakeVideoJob): Record<string, unknown> {
    return {
      jobId: job.jobId,
      did: job.did,
      state: job.state,
      ...(job.state === 'JOB_STATE_COMPLETED' && job.blob ? { blob: job.blob } : {}),
      ...(job.state === 'JOB_STATE_FAILED' && job.failure ? job.failure : {}),
      ...(job.state !== 'JOB_STATE_COMPLETED' && job.state !== 'JOB_STATE_FAILED' ? { progress: Math.round((100 * (steps.length - job.steps.length)) / (steps.length + 1)) } : {}),
    };
  }

  /** Stores the processed video on the user's PDS with the uploader's own token, as the real service does. */
  async function store(job: FakeVideoJob, token: string): Promise<void> {
    if (!options.pdsUrl) {
      job.blob = { $type: 'blob', ref: { $link: blobCid(job.bytes) }, mimeType: 'video/mp4', size: job.bytes.length };
      return;
    }
    const reply = await fetch(`${options.pdsUrl}/xrpc/com.atproto.repo.uploadBlob`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'video/mp4' }, body: job.bytes });
    const body = (await reply.json()) as { blob?: FakeVideoJob['blob']; error?: string; message?: string };
    if (reply.ok && body.blob) job.blob = body.blob;
    else job.failure = { failureCode: 'pds_upload_failure', error: body.error ?? 'pds_upload_failure', message: `The PDS refused the video: ${body.message ?? reply.status}` };
  }

  async function handle(req: FakeRequest): Promise<FakeResponse> {
    const refusal = server.refusal(req);
    if (refusal) return refusal;
    const nsid = req.spec?.operation;
    if (nsid === 'app.bsky.video.getUploadLimits') {
      const auth = serviceAuth(req, did, nsid);
      if ('status' in auth) return auth;
      return answer(req, nsid, { ...limits });
    }
    if (nsid === 'app.bsky.video.uploadVideo') {
      const auth = serviceAuth(req, options.pdsDid, 'com.atproto.repo.uploadBlob');
      if ('status' in auth) return auth;
      const uploader = req.query.get('did');
      if (uploader !== auth.iss) {
        server.violate(req, `did ${String(uploader)} is not the token's issuer ${auth.iss}`, true);
        return xrpcError(400, 'InvalidRequest', 'did does not match the token');
      }
      const bytes = req.body.raw;
      if (bytes.length === 0) return xrpcError(400, 'InvalidRequest', 'empty body');
      const failure = failures.shift();
      const job: FakeVideoJob = { jobId: randomUUID(), did: auth.iss, name: req.query.get('name') ?? undefined, bytes, state: steps[0] ?? 'JOB_STATE_CREATED', steps: steps.slice(1), blob: undefined, failure };
      if (bytes.subarray(4, 8).toString('latin1') !== 'ftyp') job.failure = { failureCode: 'validation_failure', error: 'invalid_video', message: 'The file is not an MP4 video.' };
      if (!job.failure) await store(job, /^Bearer (\S+)$/.exec(String(req.headers['authorization']))![1]!);
      jobs.push(job);
      return answer(req, nsid, { jobStatus: statusOf(job) });
    }
    if (nsid === 'app.bsky.video.getJobStatus') {
      const job = jobs.find((j) => j.jobId === req.query.get('jobId'));
      if (!job) return xrpcError(404, 'NotFound', 'job not found');
      if (job.state !== 'JOB_STATE_COMPLETED' && job.state !== 'JOB_STATE_FAILED') {
        const next = job.steps.shift();
        job.state = next ?? (job.failure ? 'JOB_STATE_FAILED' : 'JOB_STATE_COMPLETED');
      }
      return answer(req, nsid, { jobStatus: statusOf(job) });
    }
    server.violate(req, 'no such method on the video service', true);
    return xrpcError(501, 'MethodNotImplemented', 'Method Not Implemented');
  }

  const matcher = (method: string | undefined): RequestMatcher | undefined => (method ? (req) => req.path === `/xrpc/${method}` : undefined);

  return {
    baseUrl: server.baseUrl,
    did,
    server,
    jobs,
    violations: server.violations,
    setLimits(next) {
      limits = next;
    },
    failNextJob(failure) {
      failures.push({ failureCode: failure.failureCode, error: failure.error ?? failure.failureCode, message: failure.message });
    },
    failNext(fault, { method, afterHandling = false, count = 1 } = {}) {
      const made: Fault = server.fault(fault, afterHandling);
      server.faults.next(made, count, matcher(method));
    },
    close: () => server.close(),
  };
}
