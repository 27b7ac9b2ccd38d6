import { createHash, randomBytes } from 'node:crypto';
import { startFakeServer, type FakeRequest, type FakeResponse, type FakeServer, type NetworkAnswers } from './fake-server';
import { youtubeDiscoverySpec } from './validate/youtube-discovery';

/**
 * A loopback YouTube Data API v3 with Google's OAuth endpoints. Every API request is checked against
 * Google's Discovery document (specs/youtube-v3-discovery.json, through validate/youtube-discovery);
 * the rest by the pages that document it:
 * - OAuth for installed apps (developers.google.com/identity/protocols/oauth2/native-app): the consent
 *   page redirects to any http://127.0.0.1:<port> of a Desktop client, PKCE S256, the token endpoint
 *   takes client_id + client_secret + code_verifier, refresh tokens do not rotate, tokens last 3599 s.
 * - Resumable uploads (youtube/v3/guides/using_resumable_upload_protocol): POST with
 *   X-Upload-Content-Length/-Type → 200 + Location session URI; PUT chunks with Content-Range (all but
 *   the last a multiple of 256 KiB); 308 Resume Incomplete with Range; `bytes * /total` asks the
 *   status; the finished upload answers 201 with the video resource, also to a later status query.
 * - Field rules of videos#resource: title 1–100 characters, description ≤5000 bytes, no < or > in
 *   either, tags ≤500 characters together, publishAt only on a private video and in the future.
 * - Quota (youtube/v3/determine_quota_cost): videos.insert from its own bucket of 100 a day, the
 *   rest in units of the 10,000 a day; over it → 403 quotaExceeded.
 * Scheduled videos (private + publishAt) turn public once the fake's clock passes publishAt.
 */

export interface FakeGoogleApp {
  clientId: string;
  clientSecret: string;
}

export interface FakeChannel {
  id: string;
  title: string;
  uploadsPlaylistId: string;
}

export interface FakeVideo {
  id: string;
  channelId: string;
  snippet: { title: string; description: string; tags?: string[]; categoryId: string };
  status: { privacyStatus: string; publishAt?: string; selfDeclaredMadeForKids?: boolean };
  bytes: number;
  uploadedAt: number;
  thumbnail?: { type: string; bytes: number };
  deleted: boolean;
}

/** One resumable session: what arrived, in which PUTs, from which offsets. */
export interface FakeUpload {
  uploadId: string;
  channelId: string;
  total: number;
  received: number;
  /** Offset each data PUT started at, in order: a restart from 0 after bytes arrived shows here. */
  chunkStarts: number[];
  statusQueries: number;
  videoId?: string;
  /** The title asked for, to tell uploads apart in a test. */
  title: string;
}

export interface YouTubeFake {
  baseUrl: string;
  server: FakeServer;
  violations: string[];
  requests: FakeRequest[];
  videos: FakeVideo[];
  uploads: FakeUpload[];
  /** Quota used today: upload calls (of 100) and units of everything else (of 10,000). */
  quota: { uploads: number; units: number };
  addApp(): FakeGoogleApp;
  addChannel(title: string): FakeChannel;
  /** The Google account that consents in the next authorization window; 'decline' refuses. */
  signInAs(channel: FakeChannel | 'decline'): void;
  tokensFor(app: FakeGoogleApp, channel: FakeChannel): { accessToken: string; refreshToken: string; expiresAt: number };
  expireAccessTokens(): void;
  revokeRefreshTokens(): void;
  /** Every call answers 403 quotaExceeded until switched off. */
  quotaExceeded(on: boolean): void;
  /** Each data PUT keeps at most this many bytes (a multiple of 256 KiB) and answers 308: a connection cut mid-upload. */
  acceptAtMost(bytes: number | undefined): void;
  /** Each data PUT waits this long before it is taken: a slow uplink, so a crash can fall mid-upload. */
  slowPuts(ms: number): void;
  live(channel: FakeChannel): FakeVideo[];
  close(): Promise<void>;
}

const ACCESS_TTL_S = 3599;
const CHUNK_GRANULE = 256 * 1024;
const DAILY_UNITS = 10_000;
const DAILY_UPLOADS = 100;
/** Units per call [doc determine_quota_cost]; videos.insert counts in its own bucket. */
const UNITS: Record<string, number> = {
  'youtube.videos.list': 1,
  'youtube.channels.list': 1,
  'youtube.playlistItems.list': 1,
  'youtube.videos.update': 50,
  'youtube.videos.delete': 50,
  'youtube.thumbnails.set': 50,
};
const CATEGORIES = new Set(['1', '2', '10', '15', '17', '19', '20', '22', '23', '24', '25', '26', '27', '28', '29']);
const SCOPE_UPLOAD = 'https://www.googleapis.com/auth/youtube.upload';
const SCOPE_READ = 'https://www.googleapis.com/auth/youtube.readonly';
const SCOPE_FULL = 'https://www.googleapis.com/auth/youtube';

/** Google's JSON error ({error:{code, message, errors:[{domain, reason, message}], status}}). */
export function googleError(code: number, reason: string, message: string, domain = 'youtube.video'): FakeResponse {
  const status = code === 401 ? 'UNAUTHENTICATED' : code === 403 ? 'PERMISSION_DENIED' : code === 404 ? 'NOT_FOUND' : code >= 500 ? 'INTERNAL' : 'INVALID_ARGUMENT';
  return { status: code, json: { error: { code, message, errors: [{ message, domain, reason }], status } } };
}

const quotaError = () =>
  googleError(403, 'quotaExceeded', 'The request cannot be completed because you have exceeded your <a href="/youtube/v3/getting-started#quota">quota</a>.', 'youtube.quota');

export async function startYouTubeFake(options: { now?: () => number } = {}): Promise<YouTubeFake> {
  const now = options.now ?? Date.now;
  const apps: FakeGoogleApp[] = [];
  const channels: FakeChannel[] = [];
  const videos: FakeVideo[] = [];
  const uploads: FakeUpload[] = [];
  const quota = { uploads: 0, units: 0 };
  const codes = new Map<string, { clientId: string; channelId: string; redirectUri: string; challenge: string; scopes: string; at: number }>();
  const tokens = new Map<string, { channelId: string; clientId: string; expiresAt: number }>();
  const refreshTokens = new Map<string, { channelId: string; clientId: string; scopes: string; revoked: boolean }>();
  let consenting: FakeChannel | 'decline' | undefined;
  let overQuota = false;
  let acceptAtMost: number | undefined;
  let putDelayMs = 0;

  const answers: NetworkAnswers = {
    // YouTube answers a burst with 403 rateLimitExceeded (errors#youtube.quota), not 429.
    rateLimited: () => googleError(403, 'rateLimitExceeded', 'The request cannot be completed because you have exceeded your quota.', 'youtube.quota'),
    serverError: (status) =>
      status === 502 || status === 503
        ? { status, text: '<html><title>Error 503 (Service Unavailable)!!1</title></html>', headers: { 'content-type': 'text/html' } }
        : googleError(status, 'backendError', 'Backend Error', 'global'),
    refused: (messages) => googleError(400, 'invalidParameter', messages.join('; '), 'global'),
  };

  const spec = youtubeDiscoverySpec();
  spec.warm(['youtube.videos.insert', 'youtube.videos.update']);
  const server = await startFakeServer(handle, { name: 'YouTube fake', validator: spec, answers });

  function publishScheduled(): void {
    for (const video of videos) {
      if (video.status.publishAt && Date.parse(video.status.publishAt) <= now()) {
        video.status = { ...video.status, privacyStatus: 'public' };
        delete video.status.publishAt;
      }
    }
  }

  function handle(req: FakeRequest): FakeResponse | Promise<FakeResponse> {
    publishScheduled();
    if (req.method === 'GET' && req.path === '/o/oauth2/v2/auth') return authorize(req);
    if (req.method === 'POST' && req.path === '/token') return token(req);
    // The session URI is the capability: its PUTs carry no token (using_resumable_upload_protocol).
    if (req.method === 'PUT' && req.path === '/upload/youtube/v3/videos' && req.query.has('upload_id')) {
      if (putDelayMs > 0 && req.body.raw.length > 0) return new Promise((resolve) => setTimeout(() => resolve(sessionPut(req)), putDelayMs));
      return sessionPut(req);
    }
    const refusal = server.refusal(req);
    if (refusal) return refusal;
    const bearer = /^Bearer (.+)$/.exec(String(req.headers.authorization ?? ''))?.[1];
    const session = bearer ? tokens.get(bearer) : undefined;
    if (!session || session.expiresAt <= now()) {
      return { ...googleError(401, 'authError', 'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.', 'global') };
    }
    if (overQuota) return quotaError();
    const operation = req.spec?.operation;
    if (operation === 'youtube.videos.insert') {
      if (quota.uploads >= DAILY_UPLOADS) return quotaError();
      quota.uploads += 1;
    } else if (operation) {
      if (quota.units + (UNITS[operation] ?? 1) > DAILY_UNITS) return quotaError();
      quota.units += UNITS[operation] ?? 1;
    }
    const channel = channels.find((c) => c.id === session.channelId)!;
    switch (operation) {
      case 'youtube.videos.insert':
        return startUpload(req, channel);
      case 'youtube.videos.list':
        return listVideos(req, channel);
      case 'youtube.videos.update':
        return updateVideo(req, channel);
      case 'youtube.videos.delete':
        return deleteVideo(req, channel);
      case 'youtube.thumbnails.set':
        return setThumbnail(req, channel);
      case 'youtube.channels.list':
        return listChannels(req, channel);
      default:
        return googleError(404, 'notFound', `No route for ${req.method} ${req.path}`, 'global');
    }
  }

  function authorize(req: FakeRequest): FakeResponse {
    const q = req.query;
    const app = apps.find((a) => a.clientId === q.get('client_id'));
    const redirect = q.get('redirect_uri') ?? '';
    if (!app) {
      server.violate(req, 'the consent page needs a known client_id', true);
      return { status: 401, text: 'Error 401: invalid_client — The OAuth client was not found.' };
    }
    // Desktop clients may redirect to the loopback address on any port (native-app#redirect-uri_loopback).
    if (!/^http:\/\/127\.0\.0\.1:\d+(\/[\w/]*)?$/.test(redirect)) {
      server.violate(req, `redirect_uri ${redirect} is not a loopback address`, true);
      return { status: 400, text: 'Error 400: redirect_uri_mismatch' };
    }
    if (q.get('response_type') !== 'code') server.violate(req, 'response_type must be code', false);
    if (q.get('code_challenge_method') !== 'S256') server.violate(req, 'code_challenge_method must be S256', false);
    if (!/^[A-Za-z0-9_-]{43}$/.test(q.get('code_challenge') ?? '')) server.violate(req, 'code_challenge must be base64url(sha256(verifier))', false);
    if (!q.get('state')) server.violate(req, 'opened without state', false);
    const scopes = q.get('scope') ?? '';
    if (!scopes.split(' ').includes(SCOPE_UPLOAD) && !scopes.split(' ').includes(SCOPE_FULL)) server.violate(req, `scope lacks ${SCOPE_UPLOAD}`, false);
    if (q.get('access_type') !== 'offline') server.violate(req, 'access_type=offline is needed for a refresh token', false);
    const target = new URL(redirect);
    target.searchParams.set('state', q.get('state') ?? '');
    if (consenting === undefined || consenting === 'decline') {
      target.searchParams.set('error', 'access_denied');
      return { status: 302, headers: { location: target.toString() } };
    }
    const code = `4/${randomBytes(24).toString('base64url')}`;
    codes.set(code, { clientId: app.clientId, channelId: consenting.id, redirectUri: redirect, challenge: q.get('code_challenge') ?? '', scopes, at: now() });
    target.searchParams.set('code', code);
    target.searchParams.set('scope', scopes);
    return { status: 302, headers: { location: target.toString() } };
  }

  const oauthError = (error: string, description: string, status = 400): FakeResponse => ({ status, json: { error, error_description: description } });

  function issue(channelId: string, clientId: string, scopes: string, withRefresh: boolean): Record<string, unknown> {
    const access = `ya29.${randomBytes(30).toString('base64url')}`;
    tokens.set(access, { channelId, clientId, expiresAt: now() + ACCESS_TTL_S * 1000 });
    const answer: Record<string, unknown> = { access_token: access, expires_in: ACCESS_TTL_S, scope: scopes, token_type: 'Bearer' };
    if (withRefresh) {
      const refresh = `1//${randomBytes(30).toString('base64url')}`;
      refreshTokens.set(refresh, { channelId, clientId, scopes, revoked: false });
      answer['refresh_token'] = refresh;
    }
    return answer;
  }

  function token(req: FakeRequest): FakeResponse {
    if (req.body.type !== 'urlencoded') {
      server.violate(req, 'the token request must be application/x-www-form-urlencoded', true);
      return oauthError('invalid_request', 'Invalid request.');
    }
    const form = Object.fromEntries(req.body.fields);
    const app = apps.find((a) => a.clientId === form['client_id']);
    // Desktop clients still send their (non-confidential) secret; Google refuses the exchange without it.
    if (!app || app.clientSecret !== form['client_secret']) return oauthError('invalid_client', 'Unauthorized', 401);
    if (form['grant_type'] === 'authorization_code') {
      const pending = codes.get(form['code'] ?? '');
      codes.delete(form['code'] ?? '');
      if (!pending || pending.clientId !== app.clientId || now() - pending.at > 10 * 60_000) return oauthError('invalid_grant', 'Bad Request');
      if (pending.redirectUri !== form['redirect_uri']) return oauthError('redirect_uri_mismatch', 'Bad Request');
      if (createHash('sha256').update(form['code_verifier'] ?? '').digest('base64url') !== pending.challenge) return oauthError('invalid_grant', 'Bad Request');
      return { status: 200, json: issue(pending.channelId, app.clientId, pending.scopes, true) };
    }
    if (form['grant_type'] === 'refresh_token') {
      const known = refreshTokens.get(form['refresh_token'] ?? '');
      if (!known || known.revoked || known.clientId !== app.clientId) return oauthError('invalid_grant', 'Token has been expired or revoked.');
      // Google keeps the refresh token: the answer has none.
      return { status: 200, json: issue(known.channelId, known.clientId, known.scopes, false) };
    }
    return oauthError('unsupported_grant_type', 'Invalid grant_type: ' + (form['grant_type'] ?? ''));
  }

  function resourceOf(video: FakeVideo, parts: string[]): Record<string, unknown> {
    const out: Record<string, unknown> = { kind: 'youtube#video', etag: createHash('md5').update(JSON.stringify(video)).digest('base64url'), id: video.id };
    if (parts.includes('snippet')) {
      out['snippet'] = {
        publishedAt: new Date(video.uploadedAt).toISOString(),
        channelId: video.channelId,
        title: video.snippet.title,
        description: video.snippet.description,
        thumbnails: { default: { url: `https://i.ytimg.com/vi/${video.id}/default.jpg`, width: 120, height: 90 } },
        channelTitle: channels.find((c) => c.id === video.channelId)?.title ?? '',
        ...(video.snippet.tags ? { tags: video.snippet.tags } : {}),
        categoryId: video.snippet.categoryId,
        liveBroadcastContent: 'none',
        localized: { title: video.snippet.title, description: video.snippet.description },
      };
    }
    if (parts.includes('status')) {
      out['status'] = {
        uploadStatus: 'uploaded',
        privacyStatus: video.status.privacyStatus,
        ...(video.status.publishAt ? { publishAt: video.status.publishAt } : {}),
        license: 'youtube',
        embeddable: true,
        publicStatsViewable: true,
        madeForKids: video.status.selfDeclaredMadeForKids ?? false,
        ...(video.status.selfDeclaredMadeForKids !== undefined ? { selfDeclaredMadeForKids: video.status.selfDeclaredMadeForKids } : {}),
      };
    }
    return out;
  }

  /** What YouTube refuses in a snippet/status it is given; undefined when it takes it. */
  function resourceProblem(body: Record<string, unknown>, needsSnippet: boolean): FakeResponse | undefined {
    const snippet = (body['snippet'] ?? undefined) as Record<string, unknown> | undefined;
    const status = (body['status'] ?? undefined) as Record<string, unknown> | undefined;
    if (needsSnippet || snippet) {
      const title = typeof snippet?.['title'] === 'string' ? snippet['title'] : '';
      if (title.trim() === '') return googleError(400, 'invalidTitle', 'The request metadata specifies an invalid or empty video title.');
      if ([...title].length > 100 || /[<>]/.test(title)) return googleError(400, 'invalidTitle', 'The request metadata specifies an invalid video title.');
      const description = typeof snippet?.['description'] === 'string' ? snippet['description'] : '';
      if (Buffer.byteLength(description, 'utf8') > 5000 || /[<>]/.test(description)) return googleError(400, 'invalidDescription', 'The request metadata specifies an invalid video description.');
      const tags = Array.isArray(snippet?.['tags']) ? (snippet['tags'] as string[]) : [];
      // Tags with a space count with their quotes [doc videos#snippet.tags].
      if (tags.reduce((sum, tag) => sum + [...tag].length + (tag.includes(' ') ? 2 : 0), 0) + Math.max(0, tags.length - 1) > 500) {
        return googleError(400, 'invalidTags', 'The request metadata specifies invalid video keywords.');
      }
      const category = snippet?.['categoryId'];
      if (category !== undefined && !CATEGORIES.has(String(category))) return googleError(400, 'invalidCategoryId', 'The snippet.categoryId property specifies an invalid category ID.');
    }
    if (status?.['publishAt'] !== undefined) {
      if (status['privacyStatus'] !== 'private') return googleError(400, 'invalidPublishAt', 'The request metadata specifies an invalid scheduled publishing time: the video must be private.');
      if (Date.parse(String(status['publishAt'])) <= now()) return googleError(400, 'invalidPublishAt', 'The request metadata specifies an invalid scheduled publishing time.');
    }
    return undefined;
  }

  function startUpload(req: FakeRequest, channel: FakeChannel): FakeResponse {
    if (req.query.get('uploadType') !== 'resumable') {
      server.violate(req, 'Outpost uploads videos resumably (uploadType=resumable)', true);
      return googleError(400, 'badRequest', 'Use uploadType=resumable.', 'global');
    }
    const total = Number(req.headers['x-upload-content-length']);
    const type = String(req.headers['x-upload-content-type'] ?? '');
    if (!Number.isSafeInteger(total) || total <= 0) {
      server.violate(req, 'X-Upload-Content-Length must give the video’s size', true);
      return googleError(400, 'badRequest', 'Missing X-Upload-Content-Length.', 'global');
    }
    if (!type.startsWith('video/') && type !== 'application/octet-stream') {
      server.violate(req, `X-Upload-Content-Type ${type} is not video/* or application/octet-stream`, true);
      return googleError(400, 'mediaBodyRequired', 'The request does not include the video content.');
    }
    const body = req.body.json as Record<string, unknown>;
    const problem = resourceProblem(body, true);
    if (problem) return problem;
    const uploadId = randomBytes(18).toString('base64url');
    const snippet = body['snippet'] as Record<string, unknown>;
    uploads.push({ uploadId, channelId: channel.id, total, received: 0, chunkStarts: [], statusQueries: 0, title: String(snippet['title']) });
    pendingResources.set(uploadId, body);
    const location = `${server.baseUrl}/upload/youtube/v3/videos?uploadType=resumable&part=${encodeURIComponent(req.query.get('part') ?? '')}&upload_id=${uploadId}`;
    return { status: 200, headers: { location, 'x-guploader-uploadid': uploadId } };
  }

  const pendingResources = new Map<string, Record<string, unknown>>();

  function finished(upload: FakeUpload): FakeResponse {
    const video = videos.find((v) => v.id === upload.videoId)!;
    return { status: 201, json: resourceOf(video, ['snippet', 'status']) };
  }

  function incomplete(upload: FakeUpload): FakeResponse {
    // No Range header until a byte has arrived (using_resumable_upload_protocol, step 4).
    return { status: 308, headers: upload.received > 0 ? { range: `bytes=0-${upload.received - 1}` } : {} };
  }

  function sessionPut(req: FakeRequest): FakeResponse {
    const upload = uploads.find((u) => u.uploadId === req.query.get('upload_id'));
    if (!upload) return googleError(404, 'notFound', 'The upload session was not found or has expired.', 'global');
    const range = String(req.headers['content-range'] ?? '');
    const query = /^bytes \*\/(\d+)$/.exec(range);
    if (query) {
      upload.statusQueries += 1;
      if (Number(query[1]) !== upload.total) server.violate(req, `status query names ${query[1]} bytes, the session has ${upload.total}`, false);
      if (req.body.raw.length > 0) server.violate(req, 'a status query has an empty body', false);
      return upload.videoId ? finished(upload) : incomplete(upload);
    }
    if (upload.videoId) return finished(upload);
    const chunk = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(range);
    const data = req.body.raw;
    let start = 0;
    if (chunk) {
      start = Number(chunk[1]);
      const end = Number(chunk[2]);
      if (Number(chunk[3]) !== upload.total) server.violate(req, `Content-Range total ${chunk[3]} is not the session's ${upload.total}`, true);
      if (end - start + 1 !== data.length) server.violate(req, `Content-Range ${range} does not match the ${data.length} bytes sent`, true);
      if (end + 1 < upload.total && data.length % CHUNK_GRANULE !== 0) server.violate(req, 'every chunk but the last must be a multiple of 256 KiB', true);
    } else if (range !== '') {
      server.violate(req, `Content-Range ${range} is malformed`, true);
      return { status: 400, text: 'Failed to parse Content-Range header.' };
    } else if (data.length !== upload.total) {
      server.violate(req, 'a PUT without Content-Range must carry the whole video', true);
    }
    if (start > upload.received) {
      server.violate(req, `chunk starts at ${start} but only ${upload.received} bytes arrived`, true);
      return incomplete(upload);
    }
    upload.chunkStarts.push(start);
    let kept = data.subarray(upload.received - start);
    if (acceptAtMost !== undefined && kept.length > acceptAtMost) kept = kept.subarray(0, acceptAtMost);
    upload.received += kept.length;
    if (upload.received < upload.total) return incomplete(upload);
    const body = pendingResources.get(upload.uploadId) ?? {};
    const snippet = body['snippet'] as Record<string, unknown>;
    const status = (body['status'] ?? {}) as Record<string, unknown>;
    const video: FakeVideo = {
      id: randomBytes(8).toString('base64url').slice(0, 11),
      channelId: upload.channelId,
      snippet: {
        title: String(snippet['title']),
        description: typeof snippet['description'] === 'string' ? snippet['description'] : '',
        ...(Array.isArray(snippet['tags']) ? { tags: snippet['tags'] as string[] } : {}),
        categoryId: typeof snippet['categoryId'] === 'string' ? snippet['categoryId'] : '22',
      },
      status: {
        privacyStatus: typeof status['privacyStatus'] === 'string' ? status['privacyStatus'] : 'public',
        ...(typeof status['publishAt'] === 'string' ? { publishAt: new Date(Date.parse(status['publishAt'])).toISOString() } : {}),
        ...(typeof status['selfDeclaredMadeForKids'] === 'boolean' ? { selfDeclaredMadeForKids: status['selfDeclaredMadeForKids'] } : {}),
      },
      bytes: upload.total,
      uploadedAt: now(),
      deleted: false,
    };
    videos.push(video);
    upload.videoId = video.id;
    return finished(upload);
  }

  const partsOf = (req: FakeRequest) => (req.query.get('part') ?? '').split(',');

  function listVideos(req: FakeRequest, channel: FakeChannel): FakeResponse {
    const ids = (req.query.get('id') ?? '').split(',').filter(Boolean);
    // Private and scheduled videos are listed to their owner only.
    const items = ids
      .map((id) => videos.find((v) => v.id === id && !v.deleted))
      .filter((v): v is FakeVideo => v !== undefined && (v.status.privacyStatus !== 'private' || v.channelId === channel.id))
      .map((v) => resourceOf(v, partsOf(req)));
    return { status: 200, json: { kind: 'youtube#videoListResponse', etag: randomBytes(8).toString('base64url'), items, pageInfo: { totalResults: items.length, resultsPerPage: items.length } } };
  }

  function updateVideo(req: FakeRequest, channel: FakeChannel): FakeResponse {
    const body = req.body.json as Record<string, unknown>;
    const video = videos.find((v) => v.id === body['id'] && !v.deleted);
    if (!video) return googleError(404, 'videoNotFound', 'The video that you are trying to update cannot be found.');
    if (video.channelId !== channel.id) return googleError(403, 'forbidden', 'The video that you are trying to update is not yours.');
    const parts = partsOf(req);
    const problem = resourceProblem(body, parts.includes('snippet'));
    if (problem) return problem;
    // part=status replaces the whole status part: a publishAt left out is cleared.
    if (parts.includes('status')) {
      const status = (body['status'] ?? {}) as Record<string, unknown>;
      video.status = {
        privacyStatus: typeof status['privacyStatus'] === 'string' ? status['privacyStatus'] : video.status.privacyStatus,
        ...(typeof status['publishAt'] === 'string' ? { publishAt: new Date(Date.parse(status['publishAt'])).toISOString() } : {}),
        ...(typeof status['selfDeclaredMadeForKids'] === 'boolean' ? { selfDeclaredMadeForKids: status['selfDeclaredMadeForKids'] } : {}),
      };
    }
    if (parts.includes('snippet')) {
      const snippet = body['snippet'] as Record<string, unknown>;
      video.snippet = {
        title: String(snippet['title']),
        description: typeof snippet['description'] === 'string' ? snippet['description'] : '',
        ...(Array.isArray(snippet['tags']) ? { tags: snippet['tags'] as string[] } : {}),
        categoryId: String(snippet['categoryId']),
      };
    }
    return { status: 200, json: resourceOf(video, parts) };
  }

  function deleteVideo(req: FakeRequest, channel: FakeChannel): FakeResponse {
    const video = videos.find((v) => v.id === req.query.get('id') && !v.deleted);
    if (!video) return googleError(404, 'videoNotFound', 'The video that you are trying to delete cannot be found.');
    if (video.channelId !== channel.id) return googleError(403, 'forbidden', 'The video that you are trying to delete cannot be deleted.');
    video.deleted = true;
    return { status: 204 };
  }

  function setThumbnail(req: FakeRequest, channel: FakeChannel): FakeResponse {
    const video = videos.find((v) => v.id === req.query.get('videoId') && !v.deleted);
    if (!video || video.channelId !== channel.id) return googleError(404, 'videoNotFound', 'The video that you are trying to insert a thumbnail image for cannot be found.');
    if (req.body.raw.length === 0) return googleError(400, 'mediaBodyRequired', 'The request does not include the image content.');
    video.thumbnail = { type: String(req.headers['content-type']), bytes: req.body.raw.length };
    const url = `https://i.ytimg.com/vi/${video.id}/default.jpg`;
    return { status: 200, json: { kind: 'youtube#thumbnailSetResponse', etag: randomBytes(8).toString('base64url'), items: [{ default: { url, width: 120, height: 90 } }] } };
  }

  function listChannels(req: FakeRequest, channel: FakeChannel): FakeResponse {
    if (req.query.get('mine') !== 'true') {
      server.violate(req, 'Outpost lists the signed-in channel (mine=true)', true);
      return googleError(400, 'invalidFilters', 'No filter selected.', 'youtube.parameter');
    }
    const parts = partsOf(req);
    const item: Record<string, unknown> = { kind: 'youtube#channel', etag: randomBytes(8).toString('base64url'), id: channel.id };
    if (parts.includes('snippet')) {
      item['snippet'] = { title: channel.title, description: '', customUrl: `@${channel.title.toLowerCase().replace(/\W+/g, '')}`, publishedAt: '2020-01-01T00:00:00Z', thumbnails: { default: { url: `https://yt3.ggpht.com/${channel.id}=s88`, width: 88, height: 88 } } };
    }
    if (parts.includes('contentDetails')) item['contentDetails'] = { relatedPlaylists: { likes: '', uploads: channel.uploadsPlaylistId } };
    return { status: 200, json: { kind: 'youtube#channelListResponse', etag: randomBytes(8).toString('base64url'), pageInfo: { totalResults: 1, resultsPerPage: 5 }, items: [item] } };
  }

  return {
    baseUrl: server.baseUrl,
    server,
    violations: server.violations,
    requests: server.requests,
    videos,
    uploads,
    quota,
    addApp() {
      const app = { clientId: `${100_000 + apps.length}-${randomBytes(6).toString('hex')}.apps.googleusercontent.com`, clientSecret: `GOCSPX-${randomBytes(14).toString('base64url')}` };
      apps.push(app);
      return app;
    },
    addChannel(title) {
      const id = `UC${randomBytes(16).toString('base64url').slice(0, 22)}`;
      const channel = { id, title, uploadsPlaylistId: `UU${id.slice(2)}` };
      channels.push(channel);
      return channel;
    },
    signInAs(channel) {
      consenting = channel;
    },
    tokensFor(app, channel) {
      const answer = issue(channel.id, app.clientId, `${SCOPE_UPLOAD} ${SCOPE_READ}`, true);
      return { accessToken: String(answer['access_token']), refreshToken: String(answer['refresh_token']), expiresAt: now() + ACCESS_TTL_S * 1000 };
    },
    expireAccessTokens() {
      for (const t of tokens.values()) t.expiresAt = now();
    },
    revokeRefreshTokens() {
      for (const t of refreshTokens.values()) t.revoked = true;
    },
    quotaExceeded(on) {
      overQuota = on;
    },
    acceptAtMost(bytes) {
      acceptAtMost = bytes;
    },
    slowPuts(ms) {
      putDelayMs = ms;
    },
    live: (channel) => {
      publishScheduled();
      return videos.filter((v) => v.channelId === channel.id && !v.deleted);
    },
    close: () => server.close(),
  };
}
