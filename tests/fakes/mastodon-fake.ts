import { createHash, randomBytes } from 'node:crypto';
import { fileOf, startFakeServer, type FakeRequest, type FakeResponse, type FakeServer, type Fault, type NetworkAnswers, type RequestMatcher, type UploadedFile } from './fake-server';
import { mastodonSpec } from './validate/mastodon-spec';

/**
 * A Mastodon instance on 127.0.0.1 that checks what it is sent and answers with the documented
 * shapes (shared/networks/CONTRACTS.md §3, mastodon/documentation). Every request is checked
 * against the Mastodon OpenAPI (specs/mastodon-openapi.json: operation, parameters, body fields and
 * their types and enums); on top of that it checks what the spec cannot say (Bearer and scopes,
 * PKCE, media parts and processing, lengths, the 5-minute scheduling rule, idempotency). Anything a
 * real server would refuse is refused the same way; anything a correct client would never send
 * (wrong method, unknown field, missing Bearer, a PKCE verifier that does not match) is also written
 * to `violations`, so a test can demand that list stays empty; close() throws on one no answer told.
 *
 *   const fake = await startMastodonFake();
 *   const creds = fake.issueToken();               // or sign in through /oauth/authorize
 *   fake.advance(10 * 60_000);                     // scheduled statuses due by then are published
 *   fake.rateLimitNext(fake.route('POST', '/api/v1/statuses'));
 *   fake.publishedCount                            // statuses created (direct + fired)
 */

export interface MastodonFakeOptions {
  domain?: string;
  username?: string;
  maxCharacters?: number;
  maxMediaAttachments?: number;
  imageSizeLimit?: number;
  /** Advertise and require PKCE S256 (Mastodon 4.3+); false = an older server (404 on the metadata). */
  pkce?: boolean;
  /** Start of the fake clock (default: the real time). */
  startTime?: number;
  /** Requests per token per 5 minutes before a real 429 (default 300, as Mastodon). */
  rateLimit?: number;
  /**
   * Origin of the public links in answers (account and status `url`), as a real instance reports
   * its https address; default the fake's own http loopback address. Outpost keeps only https links.
   */
  publicOrigin?: string;
}

interface App {
  clientId: string;
  clientSecret: string;
  name: string;
  redirectUris: string[];
  scopes: string[];
}

interface Grant {
  clientId: string;
  redirectUri: string;
  scopes: string[];
  challenge: string | undefined;
  expiresAt: number;
  used: boolean;
}

interface Token {
  clientId: string;
  scopes: string[];
  revoked: boolean;
}

export interface FakeMedia {
  id: string;
  mime: string;
  bytes: Buffer;
  fileName: string;
  description: string | null;
  /** The custom thumbnail sent with an audio or video file (`thumbnail`). */
  thumbnail: UploadedFile | null;
  /** GETs that still answer "processing". */
  pollsLeft: number;
  attachedTo: string | null;
}

export interface FakeStatus {
  id: string;
  createdAt: number;
  text: string;
  visibility: string;
  language: string | null;
  mediaIds: string[];
  idempotencyKey: string | null;
  /** Set when the status was published by a scheduled status firing. */
  fromScheduled: string | null;
  /** The status this one replies to (a first comment), if any. */
  inReplyToId: string | null;
  /** Its poll, as sent (options, expires_in seconds, multiple). */
  poll?: { options: string[]; expiresIn: number; multiple: boolean };
  /** What other people did with it, as its counts show (set by `react`). */
  favourites?: number;
  reblogs?: number;
  quotes?: number;
}

export interface FakeScheduled {
  id: string;
  scheduledAt: number;
  text: string;
  visibility: string;
  language: string | null;
  mediaIds: string[];
  poll?: FakeStatus['poll'];
}

const SCOPES = new Set([
  'read', 'write', 'push', 'follow', 'profile',
  'read:accounts', 'read:blocks', 'read:bookmarks', 'read:favourites', 'read:filters', 'read:follows', 'read:lists', 'read:mutes', 'read:notifications', 'read:search', 'read:statuses',
  'write:accounts', 'write:blocks', 'write:bookmarks', 'write:conversations', 'write:favourites', 'write:filters', 'write:follows', 'write:lists', 'write:media', 'write:mutes', 'write:notifications', 'write:reports', 'write:statuses',
]);
const SUPPORTED_MIME = ['image/jpeg', 'image/png', 'image/gif', 'image/heic', 'image/heif', 'image/webp', 'image/avif', 'video/webm', 'video/mp4', 'video/quicktime'];
/** Magic bytes Mastodon's content-type check would see (it sniffs the file, not the declared type). */
const MAGIC: Record<string, (b: Buffer) => boolean> = {
  'image/png': (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
  'image/jpeg': (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff,
  'image/gif': (b) => b.subarray(0, 4).toString('latin1') === 'GIF8',
  'image/webp': (b) => b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP',
};
const MIN_SCHEDULE_OFFSET_MS = 5 * 60_000;
const IDEMPOTENCY_TTL_MS = 60 * 60_000;
const RATE_WINDOW_MS = 5 * 60_000;
/** The operations this fake serves, compiled before the first request. */
const OPERATIONS = [
  'POST /api/v1/apps', 'GET /oauth/authorize', 'POST /oauth/token', 'POST /oauth/revoke', 'GET /api/v2/instance', 'GET /api/v1/accounts/verify_credentials',
  'POST /api/v2/media', 'GET /api/v1/media/{id}', 'POST /api/v1/statuses', 'GET /api/v1/statuses/{id}', 'DELETE /api/v1/statuses/{id}', 'GET /api/v1/statuses/{id}/context',
  'GET /api/v1/accounts/{id}/statuses', 'GET /api/v1/scheduled_statuses', 'GET /.well-known/oauth-authorization-server', 'GET /api/v1/scheduled_statuses/{id}', 'PUT /api/v1/scheduled_statuses/{id}', 'DELETE /api/v1/scheduled_statuses/{id}',
];

const INVALID_TOKEN: FakeResponse = { status: 401, json: { error: 'The access token is invalid' } };
const NOT_FOUND: FakeResponse = { status: 404, json: { error: 'Record not found' } };

/** Mastodon counts grapheme clusters, every URL as 23, and a remote mention as its local part. */
export function mastodonLength(text: string, urlLength = 23): number {
  const replaced = text.replace(/https?:\/\/[^\s<>"]+/g, 'x'.repeat(urlLength)).replace(/(^|[^\w])@(\w+)@[\w.-]+\w/g, '$1@$2');
  return [...new Intl.Segmenter('en', { granularity: 'grapheme' }).segment(replaced)].length;
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

export interface MastodonFake {
  /** http://127.0.0.1:<port> */
  baseUrl: string;
  server: FakeServer;
  /** Every request, body parsed, faults included. */
  readonly requests: FakeRequest[];
  /** What a correct client would never send; a test asserts this stays empty. */
  readonly violations: string[];
  readonly apps: App[];
  /** Live statuses, oldest first. */
  readonly statuses: FakeStatus[];
  readonly scheduled: FakeScheduled[];
  /** Statuses ever created (direct posts and fired schedules): the duplicate counter. */
  readonly publishedCount: number;
  readonly deletedCount: number;
  readonly accountId: string;

  now(): number;
  /** Moves the clock; scheduled statuses whose time has come are published. */
  advance(ms: number): void;
  setTime(ms: number): void;
  /** Other people favourite, boost or quote a status: its counts grow. */
  react(statusId: string, counts: { favourites?: number; reblogs?: number; quotes?: number }): void;

  /** A registered app and a token for it, as if the user had signed in. */
  issueToken(scopes?: string): { clientId: string; clientSecret: string; accessToken: string };
  revokeToken(accessToken: string): void;
  denyNextAuthorization(): void;
  /** The next uploads stay "processing" for this many GETs each (0 = ready at once, 200 from upload). */
  queueMediaProcessing(...polls: number[]): void;
  /** Every uploaded media file by id (thumbnails included). */
  readonly media: ReadonlyMap<string, FakeMedia>;

  route(method: string, path: string | RegExp): RequestMatcher;
  rateLimitNext(match?: RequestMatcher, resetInMs?: number, count?: number): void;
  serverErrorNext(match?: RequestMatcher, status?: number, count?: number): void;
  hangNext(match?: RequestMatcher, afterHandling?: boolean): void;
  resetNext(match?: RequestMatcher, afterHandling?: boolean): void;
  /** Each matching request fails with `fault` with probability `ratio`, from an RNG seeded with `seed`. */
  faultRatio(fault: Fault, ratio: number, seed: number, match?: RequestMatcher): void;
  close(): Promise<void>;
}

export async function startMastodonFake(options: MastodonFakeOptions = {}): Promise<MastodonFake> {
  const domain = options.domain ?? 'fake.social';
  const username = options.username ?? 'outpost_tester';
  const maxCharacters = options.maxCharacters ?? 500;
  const maxMedia = options.maxMediaAttachments ?? 4;
  const imageSizeLimit = options.imageSizeLimit ?? 16 * 1024 * 1024;
  const pkce = options.pkce ?? true;
  const rateLimit = options.rateLimit ?? 300;
  const accountId = '109348811201';
  let time = options.startTime ?? Date.now();
  let sequence = 0;
  let scheduledSequence = 0;
  let base = '';

  const apps = new Map<string, App>();
  const grants = new Map<string, Grant>();
  const tokens = new Map<string, Token>();
  const media = new Map<string, FakeMedia>();
  const statuses = new Map<string, FakeStatus>();
  const scheduled = new Map<string, FakeScheduled>();
  const idempotency = new Map<string, { id: string; expiresAt: number }>();
  const rateWindows = new Map<string, { start: number; count: number }>();
  const processingQueue: number[] = [];
  let denyNext = false;
  let published = 0;
  let deleted = 0;

  /** Snowflake-like: ordered by time, as Mastodon's ids are (max_id paging relies on it). */
  const nextId = (at = time) => (BigInt(Math.floor(at)) * 65536n + BigInt(sequence++ % 65536)).toString();
  /** `refused`: the answer tells the client (an error); false when Mastodon would let it pass. */
  const violate = (req: FakeRequest, what: string, refused = true) => server.violate(req, what, refused);
  /** The request's body as the spec types it (form fields folded to JSON, strings coerced). */
  const bodyOf = (req: FakeRequest): Record<string, unknown> => req.spec?.body ?? {};
  const iso = (ms: number) => new Date(ms).toISOString();

  // --- entities ---------------------------------------------------------------------------

  const accountJson = () => ({
    id: accountId,
    username,
    acct: username,
    display_name: 'Outpost Tester',
    locked: false,
    bot: false,
    created_at: '2024-01-01T00:00:00.000Z',
    note: '',
    url: `${options.publicOrigin ?? base}/@${username}`,
    avatar: `${base}/avatars/original/missing.png`,
    header: `${base}/headers/original/missing.png`,
    followers_count: 0,
    following_count: 0,
    statuses_count: statuses.size,
    emojis: [],
    fields: [],
  });

  const mediaJson = (m: FakeMedia) => {
    const ready = m.pollsLeft <= 0;
    return {
      id: m.id,
      type: m.mime.startsWith('video/') ? 'video' : m.mime === 'image/gif' ? 'gifv' : 'image',
      url: ready ? `${base}/system/media_attachments/files/${m.id}/original/${m.fileName}` : null,
      preview_url: m.thumbnail ? `${base}/system/media_attachments/thumbnails/${m.id}/original/${m.thumbnail.fileName}` : `${base}/system/media_attachments/files/${m.id}/small/${m.fileName}`,
      remote_url: null,
      text_url: null,
      meta: { original: { width: 1, height: 1, size: '1x1', aspect: 1 } },
      description: m.description,
      blurhash: 'UFBWY:8_0Jxv%MofM{t7~qRjD%t7-;Rj%MR*',
    };
  };

  function contentHtml(text: string): string {
    const inline = (line: string) =>
      escapeHtml(line)
        .replace(/https?:\/\/[^\s<>"]+/g, (url) => {
          const [, scheme, rest] = /^(https?:\/\/)(.*)$/.exec(url)!;
          const shown = rest!.slice(0, 30);
          const hidden = rest!.slice(30);
          return `<a href="${url}" target="_blank" rel="nofollow noopener" translate="no"><span class="invisible">${scheme}</span><span class="${hidden ? 'ellipsis' : ''}">${shown}</span><span class="invisible">${hidden}</span></a>`;
        })
        .replace(/(^|[^\w/])@(\w+)(?:@([\w.-]+\w))?/g, (_m, pre: string, user: string, host?: string) =>
          `${pre}<span class="h-card" translate="no"><a href="https://${host ?? domain}/@${user}" class="u-url mention">@<span>${user}</span></a></span>`,
        )
        .replace(/(^|[^\w&/])#(\w+)/g, (_m, pre: string, tag: string) => `${pre}<a href="${base}/tags/${tag}" class="mention hashtag" rel="tag">#<span>${tag}</span></a>`);
    return text
      .trim()
      .split(/\n{2,}/)
      .map((paragraph) => `<p>${paragraph.split('\n').map(inline).join('<br />')}</p>`)
      .join('');
  }

  const statusJson = (s: FakeStatus) => ({
    id: s.id,
    created_at: iso(s.createdAt),
    in_reply_to_id: s.inReplyToId,
    // Outpost replies only to its own account's posts.
    in_reply_to_account_id: s.inReplyToId === null ? null : accountId,
    sensitive: false,
    spoiler_text: '',
    visibility: s.visibility,
    language: s.language,
    uri: `${base}/users/${username}/statuses/${s.id}`,
    url: `${options.publicOrigin ?? base}/@${username}/${s.id}`,
    replies_count: [...statuses.values()].filter((r) => r.inReplyToId === s.id).length,
    reblogs_count: s.reblogs ?? 0,
    favourites_count: s.favourites ?? 0,
    quotes_count: s.quotes ?? 0,
    edited_at: null,
    content: contentHtml(s.text),
    reblog: null,
    application: { name: 'Outpost', website: null },
    account: accountJson(),
    media_attachments: s.mediaIds.map((id) => mediaJson(media.get(id)!)),
    mentions: [],
    tags: [],
    emojis: [],
    card: null,
    poll: s.poll
      ? {
          id: `poll-${s.id}`,
          expires_at: iso(s.createdAt + s.poll.expiresIn * 1000),
          expired: false,
          multiple: s.poll.multiple,
          votes_count: 0,
          voters_count: 0,
          options: s.poll.options.map((title) => ({ title, votes_count: 0 })),
          emojis: [],
        }
      : null,
  });

  const scheduledJson = (s: FakeScheduled) => ({
    id: s.id,
    scheduled_at: iso(s.scheduledAt),
    params: {
      text: s.text,
      poll: s.poll ? { options: s.poll.options, expires_in: String(s.poll.expiresIn), multiple: s.poll.multiple, hide_totals: false } : null,
      media_ids: s.mediaIds.length ? s.mediaIds : null,
      sensitive: null,
      visibility: s.visibility,
      idempotency: null,
      scheduled_at: null,
      spoiler_text: null,
      application_id: 1,
      in_reply_to_id: null,
      language: s.language,
      with_rate_limit: false,
    },
    media_attachments: s.mediaIds.map((id) => mediaJson(media.get(id)!)),
  });

  const instanceJson = () => ({
    domain,
    title: 'Fake Social',
    version: pkce ? '4.3.0' : '4.2.10',
    source_url: 'https://github.com/mastodon/mastodon',
    description: 'A fake Mastodon instance for Outpost tests.',
    usage: { users: { active_month: 1 } },
    thumbnail: { url: `${base}/packs/media/images/preview.png` },
    languages: ['en'],
    configuration: {
      urls: { streaming: `ws://127.0.0.1`, status: null },
      accounts: { max_featured_tags: 10, max_pinned_statuses: 5 },
      statuses: { max_characters: maxCharacters, max_media_attachments: maxMedia, characters_reserved_per_url: 23 },
      media_attachments: {
        supported_mime_types: SUPPORTED_MIME,
        image_size_limit: imageSizeLimit,
        image_matrix_limit: 33177600,
        video_size_limit: 103809024,
        video_frame_rate_limit: 120,
        video_matrix_limit: 8294400,
      },
      polls: { max_options: 4, max_characters_per_option: 50, min_expiration: 300, max_expiration: 2629746 },
      translation: { enabled: false },
    },
    registrations: { enabled: false, approval_required: false, message: null },
    contact: { email: `admin@${domain}`, account: null },
    rules: [],
  });

  // --- clock ----------------------------------------------------------------------------

  function createStatus(fields: Omit<FakeStatus, 'id'>): FakeStatus {
    const status: FakeStatus = { id: nextId(fields.createdAt), ...fields };
    statuses.set(status.id, status);
    for (const id of status.mediaIds) media.get(id)!.attachedTo = status.id;
    published += 1;
    return status;
  }

  /** Mastodon's scheduler publishes due statuses whether or not the client is around. */
  function fireDue(): void {
    const due = [...scheduled.values()].filter((s) => s.scheduledAt <= time).sort((a, b) => a.scheduledAt - b.scheduledAt);
    for (const s of due) {
      scheduled.delete(s.id);
      createStatus({
        createdAt: s.scheduledAt,
        text: s.text,
        visibility: s.visibility,
        language: s.language,
        mediaIds: s.mediaIds,
        idempotencyKey: null,
        fromScheduled: s.id,
        inReplyToId: null,
        ...(s.poll ? { poll: s.poll } : {}),
      });
    }
  }

  // --- auth -----------------------------------------------------------------------------

  /** Checks the Bearer token and its scope; the answer to send back when it is not good enough. */
  function denied(req: FakeRequest, scope: string, optional = false): FakeResponse | undefined {
    const header = req.headers.authorization;
    if (header === undefined) {
      if (optional) return undefined;
      violate(req, 'no Authorization header');
      return INVALID_TOKEN;
    }
    const match = /^Bearer (\S+)$/.exec(header);
    if (!match) {
      violate(req, `Authorization is not "Bearer <token>": ${header.slice(0, 12)}…`);
      return INVALID_TOKEN;
    }
    const token = tokens.get(match[1]!);
    if (!token || token.revoked) return INVALID_TOKEN;
    const [family] = scope.split(':');
    if (!token.scopes.includes(scope) && !token.scopes.includes(family!)) {
      return { status: 403, json: { error: 'This action is outside the authorized scopes' } };
    }
    return undefined;
  }

  function limitHeaders(req: FakeRequest): Record<string, string> | FakeResponse {
    const key = req.headers.authorization ?? 'anonymous';
    let window = rateWindows.get(key);
    if (!window || time >= window.start + RATE_WINDOW_MS) {
      window = { start: time - (time % RATE_WINDOW_MS), count: 0 };
      rateWindows.set(key, window);
    }
    window.count += 1;
    const headers = {
      'x-ratelimit-limit': String(rateLimit),
      'x-ratelimit-remaining': String(Math.max(0, rateLimit - window.count)),
      'x-ratelimit-reset': iso(window.start + RATE_WINDOW_MS),
    };
    if (window.count > rateLimit) return { status: 429, json: { error: 'Too many requests' }, headers };
    return headers;
  }

  // --- routes ---------------------------------------------------------------------------

  type Handler = (req: FakeRequest, match: RegExpExecArray) => FakeResponse;
  /** `api`: rate limited, as /api is; `scope`: the Bearer token needs it (`optional`: or none at all). */
  interface Access {
    api?: boolean;
    scope?: string;
    optional?: boolean;
  }
  const routes: Array<{ method: string; pattern: RegExp; handler: Handler; access: Access }> = [];
  const on = (method: string, pattern: RegExp, handler: Handler, access: Access = {}) => routes.push({ method, pattern, handler, access });
  const open: Access = { api: false };

  on('GET', /^\/\.well-known\/oauth-authorization-server$/, () => {
    if (!pkce) return { status: 404, text: 'Not Found' };
    return {
      status: 200,
      json: {
        issuer: `${base}/`,
        service_documentation: 'https://docs.joinmastodon.org/',
        authorization_endpoint: `${base}/oauth/authorize`,
        token_endpoint: `${base}/oauth/token`,
        app_registration_endpoint: `${base}/api/v1/apps`,
        revocation_endpoint: `${base}/oauth/revoke`,
        scopes_supported: [...SCOPES],
        response_types_supported: ['code'],
        response_modes_supported: ['query', 'fragment', 'form_post'],
        code_challenge_methods_supported: ['S256'],
        grant_types_supported: ['authorization_code', 'client_credentials'],
        token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
      },
    };
  }, open);

  on('POST', /^\/api\/v1\/apps$/, (req) => {
    const params = bodyOf(req);
    const name = String(params['client_name']);
    if (!name.trim()) return { status: 422, json: { error: "Validation failed: Application name can't be blank" } };
    const rawUris = params['redirect_uris'];
    const uris = (Array.isArray(rawUris) ? rawUris : String(rawUris).split(/\s+/)).filter((u) => typeof u === 'string' && u);
    if (!uris.length) return { status: 422, json: { error: "Validation failed: Redirect URI can't be blank" } };
    for (const uri of uris as string[]) {
      if (!/^[a-z][a-z0-9+.-]*:/i.test(uri) || /^(data|javascript|vbscript):/i.test(uri)) {
        return { status: 422, json: { error: 'Validation failed: Redirect URI must be an absolute URI.' } };
      }
    }
    const scopesParam = params['scopes'];
    const scopes = typeof scopesParam === 'string' && scopesParam.trim() ? scopesParam.trim().split(/\s+/) : ['read'];
    if (scopes.some((s) => !SCOPES.has(s))) return { status: 422, json: { error: 'Validation failed: Scopes must only contain valid scopes' } };
    const app: App = {
      clientId: randomBytes(32).toString('base64url'),
      clientSecret: randomBytes(32).toString('base64url'),
      name,
      redirectUris: uris as string[],
      scopes,
    };
    apps.set(app.clientId, app);
    return {
      status: 200,
      json: {
        id: String(apps.size),
        name,
        website: params['website'] ?? null,
        scopes,
        redirect_uris: app.redirectUris,
        redirect_uri: app.redirectUris.join('\n'),
        vapid_key: 'BCk-QqERU0q-CfYZjcuB6lnyyOYfJ2AifKqfeGIm7Z-HiTU5T9eTG5GxVA0_OH5mMlI4UkkDTpaZwozy0TzdZ2M=',
        client_id: app.clientId,
        client_secret: app.clientSecret,
        client_secret_expires_at: 0,
      },
    };
  }, open);

  on('GET', /^\/oauth\/authorize$/, (req) => {
    const q = req.query;
    const app = apps.get(q.get('client_id') ?? '');
    const redirectUri = q.get('redirect_uri') ?? '';
    // Doorkeeper shows an error page (no redirect) when it cannot trust the redirect target.
    if (!app) {
      violate(req, 'unknown client_id');
      return { status: 401, text: 'Client authentication failed due to unknown client.' };
    }
    if (!app.redirectUris.includes(redirectUri)) {
      violate(req, `redirect_uri ${redirectUri} is not registered`);
      return { status: 400, text: 'The redirect uri included is not valid.' };
    }
    const back = (params: Record<string, string>): FakeResponse => {
      const target = new URL(redirectUri);
      for (const [k, v] of Object.entries(params)) target.searchParams.set(k, v);
      const state = q.get('state');
      if (state !== null) target.searchParams.set('state', state);
      return { status: 302, headers: { location: target.toString() }, text: '' };
    };
    const invalid = (what: string, error = 'invalid_request') => {
      violate(req, what);
      return back({ error, error_description: what });
    };
    if (q.get('response_type') !== 'code') return invalid('response_type must be code', 'unsupported_response_type');
    const scopes = (q.get('scope') ?? 'read').split(/\s+/).filter(Boolean);
    if (scopes.some((s) => !app.scopes.includes(s))) return invalid('scope is not a subset of the app scopes', 'invalid_scope');
    if (!q.get('state')) violate(req, 'no state parameter (RFC 8252 §8.9)', false);
    const challenge = q.get('code_challenge') ?? undefined;
    if (pkce && challenge === undefined) return invalid('no code_challenge');
    if (challenge !== undefined) {
      if (q.get('code_challenge_method') !== 'S256') return invalid('code_challenge_method must be S256');
      if (!/^[A-Za-z0-9_-]{43}$/.test(challenge)) return invalid('code_challenge is not a base64url SHA-256');
    }
    if (denyNext) {
      denyNext = false;
      return back({ error: 'access_denied', error_description: 'The resource owner or authorization server denied the request.' });
    }
    const code = randomBytes(24).toString('base64url');
    grants.set(code, { clientId: app.clientId, redirectUri, scopes, challenge, expiresAt: time + 10 * 60_000, used: false });
    return back({ code });
  }, open);

  on('POST', /^\/oauth\/token$/, (req) => {
    const params = bodyOf(req);
    const invalidClient: FakeResponse = {
      status: 401,
      json: { error: 'invalid_client', error_description: 'Client authentication failed due to unknown client, no client authentication included, or unsupported authentication method.' },
    };
    const invalidGrant = (why: string): FakeResponse => {
      violate(req, why);
      return {
        status: 400,
        json: {
          error: 'invalid_grant',
          error_description: 'The provided authorization grant is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client.',
        },
      };
    };
    if (params['grant_type'] !== 'authorization_code') {
      violate(req, `grant_type ${String(params['grant_type'])}`);
      return { status: 400, json: { error: 'unsupported_grant_type', error_description: 'The authorization grant type is not supported by the authorization server.' } };
    }
    const app = apps.get(String(params['client_id'] ?? ''));
    if (!app || params['client_secret'] !== app.clientSecret) {
      violate(req, 'client_id/client_secret do not match a registered app');
      return invalidClient;
    }
    const code = String(params['code'] ?? '');
    const grant = grants.get(code);
    if (!grant || grant.used || grant.expiresAt < time || grant.clientId !== app.clientId) return invalidGrant('unknown, used, expired or foreign code');
    if (params['redirect_uri'] !== grant.redirectUri) return invalidGrant('redirect_uri differs from the one authorized');
    if (grant.challenge !== undefined) {
      const verifier = params['code_verifier'];
      if (typeof verifier !== 'string' || !/^[A-Za-z0-9._~-]{43,128}$/.test(verifier)) return invalidGrant('code_verifier missing or not 43–128 unreserved characters');
      if (createHash('sha256').update(verifier, 'ascii').digest('base64url') !== grant.challenge) return invalidGrant('sha256(code_verifier) does not match code_challenge');
    }
    const scopeParam = params['scope'];
    if (typeof scopeParam === 'string' && scopeParam.split(/\s+/).some((s) => !grant.scopes.includes(s))) return invalidGrant('scope wider than authorized');
    grant.used = true;
    const accessToken = randomBytes(32).toString('base64url');
    tokens.set(accessToken, { clientId: app.clientId, scopes: grant.scopes, revoked: false });
    return { status: 200, json: { access_token: accessToken, token_type: 'Bearer', scope: grant.scopes.join(' '), created_at: Math.floor(time / 1000) } };
  }, open);

  on('POST', /^\/oauth\/revoke$/, (req) => {
    const params = bodyOf(req);
    const app = apps.get(String(params['client_id'] ?? ''));
    if (!app || params['client_secret'] !== app.clientSecret) {
      violate(req, 'revoke without the app credentials');
      return { status: 403, json: { error: 'unauthorized_client', error_description: 'You are not authorized to revoke this token' } };
    }
    const token = tokens.get(String(params['token'] ?? ''));
    if (token && token.clientId === app.clientId) token.revoked = true;
    return { status: 200, json: {} };
  }, open);

  on('GET', /^\/api\/v2\/instance$/, () => ({ status: 200, json: instanceJson() }));

  on('GET', /^\/api\/v1\/accounts\/verify_credentials$/, () => {
    return { status: 200, json: { ...accountJson(), source: { privacy: 'public', sensitive: false, language: 'en', note: '', fields: [] } } };
  }, { scope: 'read:accounts' });

  on('POST', /^\/api\/v2\/media$/, (req) => {
    const params = bodyOf(req);
    // The spec requires `file` as a field; that it is a file part with a sniffable type is Mastodon's rule.
    const file = fileOf(req.body, 'file');
    if (!file) return { status: 422, json: { error: "Validation failed: File can't be blank" } };
    const declared = (file.contentType ?? '').toLowerCase();
    if (!SUPPORTED_MIME.includes(declared) || (MAGIC[declared] && !MAGIC[declared](file.bytes))) {
      return { status: 422, json: { error: 'Validation failed: File content type is invalid, File is invalid' } };
    }
    if (declared.startsWith('image/') && file.bytes.length > imageSizeLimit) {
      return { status: 422, json: { error: `Validation failed: File file size must be less than ${Math.round(imageSizeLimit / 1024 / 1024)} MB` } };
    }
    const description = params['description'];
    if (typeof description === 'string' && description.length > 1500) {
      return { status: 422, json: { error: 'Validation failed: Description is too long (maximum is 1500 characters)' } };
    }
    // As MediaAttachment: a custom thumbnail only for audio and video, an image of at most 10 MB.
    const thumbnail = fileOf(req.body, 'thumbnail') ?? null;
    if (thumbnail) {
      const type = (thumbnail.contentType ?? '').toLowerCase();
      if (!/^(video|audio)\//.test(declared)) return { status: 422, json: { error: 'Validation failed: Thumbnail must be blank' } };
      if (!['image/jpeg', 'image/png', 'image/gif', 'image/webp', 'image/heic', 'image/heif', 'image/avif'].includes(type) || (MAGIC[type] && !MAGIC[type](thumbnail.bytes))) {
        return { status: 422, json: { error: 'Validation failed: Thumbnail content type is invalid' } };
      }
      if (thumbnail.bytes.length > imageSizeLimit) return { status: 422, json: { error: 'Validation failed: Thumbnail file size must be less than 10 MB' } };
    }
    const m: FakeMedia = {
      id: nextId(),
      mime: declared,
      bytes: file.bytes,
      fileName: file.fileName,
      description: typeof description === 'string' ? description : null,
      thumbnail,
      pollsLeft: processingQueue.shift() ?? 0,
      attachedTo: null,
    };
    media.set(m.id, m);
    return { status: m.pollsLeft > 0 ? 202 : 200, json: mediaJson(m) };
  }, { scope: 'write:media' });

  on('GET', /^\/api\/v1\/media\/(\w+)$/, (_req, match) => {
    const m = media.get(match[1]!);
    if (!m) return NOT_FOUND;
    if (m.pollsLeft > 0) {
      m.pollsLeft -= 1;
      // Mastodon answers 206 Partial Content while the file is still being processed.
      return { status: 206, json: { ...mediaJson({ ...m, pollsLeft: 1 }) } };
    }
    return { status: 200, json: mediaJson(m) };
  }, { scope: 'write:media' });

  on('POST', /^\/api\/v1\/statuses$/, (req) => {
    // Types, the visibility enum and the date-time format were checked against the spec already.
    const params = bodyOf(req);
    const text = (params['status'] as string | undefined) ?? '';
    const ids = (params['media_ids'] as string[] | undefined) ?? [];
    const visibility = (params['visibility'] as string | undefined) ?? 'public';
    const language = params['language'] as string | undefined;
    // The spec says only "ISO 639-1"; Mastodon drops a code it does not know, so this cannot be refused.
    if (language !== undefined && !/^[a-z]{2,3}(-[A-Za-z]{2,4})?$/.test(language)) violate(req, `language ${language}`, false);
    const rawKey = req.headers['idempotency-key'];
    const key = typeof rawKey === 'string' ? rawKey : undefined;
    if (key !== undefined && !key.trim()) violate(req, 'empty Idempotency-Key', false);

    const scheduledParam = params['scheduled_at'] as string | undefined;
    // As PostStatusService: a time already past means "publish now".
    let scheduledAt = scheduledParam ? Date.parse(scheduledParam) : undefined;
    if (scheduledAt !== undefined && scheduledAt <= time) scheduledAt = undefined;

    // Same account + key within the hour: the first result again, nothing new is created.
    const idemKey = key ? `${accountId}:${key}` : undefined;
    const seen = idemKey ? idempotency.get(idemKey) : undefined;
    if (seen && seen.expiresAt > time) {
      if (scheduledAt !== undefined) {
        const s = scheduled.get(seen.id);
        return s ? { status: 200, json: scheduledJson(s) } : NOT_FOUND;
      }
      const s = statuses.get(seen.id);
      return s ? { status: 200, json: statusJson(s) } : NOT_FOUND;
    }

    if (ids.length > maxMedia) return { status: 422, json: { error: `Cannot attach more than ${maxMedia} files` } };
    const missing = ids.filter((id) => media.get(id)?.attachedTo !== null);
    if (missing.length) {
      violate(req, `media ${missing.join(', ')} unknown or already attached`);
      return { status: 422, json: { error: `Media ${missing.join(', ')} not found or already attached to another post` } };
    }
    if (ids.some((id) => media.get(id)!.pollsLeft > 0)) {
      return { status: 422, json: { error: 'Cannot attach files that have not finished processing. Try again in a moment!' } };
    }
    if (!text.trim() && ids.length === 0) return { status: 422, json: { error: "Validation failed: Text can't be blank" } };
    // As PollValidator with the default configuration.polls: 2–4 options of at most 50 characters, 5 minutes to a month, no media beside it.
    const pollParam = params['poll'] as { options?: string[]; expires_in?: number; multiple?: boolean } | undefined;
    let poll: FakeStatus['poll'];
    if (pollParam) {
      const options = pollParam.options ?? [];
      if (ids.length > 0) return { status: 422, json: { error: 'Validation failed: Media attachments cannot be combined with a poll' } };
      if (options.length < 2 || options.length > 4) return { status: 422, json: { error: 'Validation failed: Poll must have between 2 and 4 options' } };
      if (options.some((o) => [...o].length > 50 || o.trim() === '')) return { status: 422, json: { error: 'Validation failed: Poll options must be 1 to 50 characters' } };
      if (new Set(options).size !== options.length) return { status: 422, json: { error: 'Validation failed: Poll options must be unique' } };
      const expiresIn = pollParam.expires_in;
      if (expiresIn === undefined || expiresIn < 300 || expiresIn > 2_629_746) return { status: 422, json: { error: 'Validation failed: Poll duration is out of range' } };
      poll = { options, expiresIn, multiple: pollParam.multiple === true };
    }
    if (mastodonLength(text) > maxCharacters) {
      return { status: 422, json: { error: `Validation failed: Text character limit of ${maxCharacters} exceeded` } };
    }
    const lang = language ?? null;
    const inReplyToId = (params['in_reply_to_id'] as string | undefined) ?? null;
    // As StatusesController#set_thread: a reply to a status that does not exist is refused.
    if (inReplyToId !== null && !statuses.has(inReplyToId)) {
      return { status: 404, json: { error: 'The post you are trying to reply to does not appear to exist.' } };
    }

    if (scheduledAt !== undefined) {
      if (scheduledAt <= time + MIN_SCHEDULE_OFFSET_MS) {
        return { status: 422, json: { error: 'Validation failed: Scheduled at The scheduled date must be in the future' } };
      }
      const s: FakeScheduled = { id: String(++scheduledSequence), scheduledAt, text, visibility, language: lang, mediaIds: ids, ...(poll ? { poll } : {}) };
      scheduled.set(s.id, s);
      for (const id of ids) media.get(id)!.attachedTo = `scheduled:${s.id}`;
      if (idemKey) idempotency.set(idemKey, { id: s.id, expiresAt: time + IDEMPOTENCY_TTL_MS });
      return { status: 200, json: scheduledJson(s) };
    }
    const status = createStatus({ createdAt: time, text, visibility, language: lang, mediaIds: ids, idempotencyKey: key ?? null, fromScheduled: null, inReplyToId, ...(poll ? { poll } : {}) });
    if (idemKey) idempotency.set(idemKey, { id: status.id, expiresAt: time + IDEMPOTENCY_TTL_MS });
    return { status: 200, json: statusJson(status) };
  }, { scope: 'write:statuses' });

  on('GET', /^\/api\/v1\/statuses\/(\d+)$/, (_req, match) => {
    const s = statuses.get(match[1]!);
    return s ? { status: 200, json: statusJson(s) } : NOT_FOUND;
  }, { scope: 'read:statuses', optional: true });

  // The thread around a status: its ancestors and every reply below it, oldest first.
  on('GET', /^\/api\/v1\/statuses\/(\d+)\/context$/, (_req, match) => {
    const s = statuses.get(match[1]!);
    if (!s) return NOT_FOUND;
    const ancestors: FakeStatus[] = [];
    for (let up = s.inReplyToId; up !== null && statuses.has(up); up = statuses.get(up)!.inReplyToId) ancestors.unshift(statuses.get(up)!);
    const descendants: FakeStatus[] = [];
    const below = (id: string) => {
      for (const reply of [...statuses.values()].filter((r) => r.inReplyToId === id)) {
        descendants.push(reply);
        below(reply.id);
      }
    };
    below(s.id);
    return { status: 200, json: { ancestors: ancestors.map(statusJson), descendants: descendants.map(statusJson) } };
  }, { scope: 'read:statuses', optional: true });

  // The status's public page: where the post's link (status.url) takes a browser.
  on('GET', /^\/@([\w.]+)\/(\d+)$/, (_req, match) => {
    const s = statuses.get(match[2]!);
    return s && match[1] === username ? { status: 200, text: s.text } : NOT_FOUND;
  }, open);
  // A browser opening that page asks for the icon too.
  on('GET', /^\/favicon\.ico$/, () => ({ status: 204 }), open);

  on('DELETE', /^\/api\/v1\/statuses\/(\d+)$/, (req, match) => {
    const s = statuses.get(match[1]!);
    if (!s) return NOT_FOUND;
    const json = { ...statusJson(s), text: s.text };
    statuses.delete(s.id);
    deleted += 1;
    if (req.query.get('delete_media') === 'true') for (const id of s.mediaIds) media.delete(id);
    return { status: 200, json };
  }, { scope: 'write:statuses' });

  on('GET', /^\/api\/v1\/accounts\/(\d+)\/statuses$/, (req, match) => {
    if (match[1] !== accountId) return NOT_FOUND;
    const limit = Math.min(40, Math.max(1, Number(req.query.get('limit') ?? 20) || 20));
    const maxId = req.query.get('max_id');
    const sinceId = req.query.get('since_id');
    const minId = req.query.get('min_id');
    let list = [...statuses.values()].sort((a, b) => (BigInt(b.id) > BigInt(a.id) ? 1 : -1));
    if (maxId) list = list.filter((s) => BigInt(s.id) < BigInt(maxId));
    if (sinceId) list = list.filter((s) => BigInt(s.id) > BigInt(sinceId));
    if (minId) list = list.filter((s) => BigInt(s.id) > BigInt(minId)).reverse().slice(0, limit).reverse();
    return { status: 200, json: list.slice(0, limit).map(statusJson) };
  }, { scope: 'read:statuses', optional: true });

  on('GET', /^\/api\/v1\/scheduled_statuses$/, () => {
    return { status: 200, json: [...scheduled.values()].map(scheduledJson) };
  }, { scope: 'read:statuses' });

  on('GET', /^\/api\/v1\/scheduled_statuses\/(\w+)$/, (_req, match) => {
    const s = scheduled.get(match[1]!);
    return s ? { status: 200, json: scheduledJson(s) } : NOT_FOUND;
  }, { scope: 'read:statuses' });

  on('PUT', /^\/api\/v1\/scheduled_statuses\/(\w+)$/, (req, match) => {
    const s = scheduled.get(match[1]!);
    if (!s) return NOT_FOUND;
    // The spec lets the body be empty; a PUT that moves nothing is a client bug all the same.
    const at = Date.parse(String(bodyOf(req)['scheduled_at']));
    if (!Number.isFinite(at)) {
      violate(req, 'scheduled_at missing');
      return { status: 422, json: { error: 'Validation failed: Scheduled at is invalid' } };
    }
    if (at <= time + MIN_SCHEDULE_OFFSET_MS) return { status: 422, json: { error: 'Validation failed: Scheduled at The scheduled date must be in the future' } };
    s.scheduledAt = at;
    return { status: 200, json: scheduledJson(s) };
  }, { scope: 'write:statuses' });

  on('DELETE', /^\/api\/v1\/scheduled_statuses\/(\w+)$/, (_req, match) => {
    const s = scheduled.get(match[1]!);
    if (!s) return NOT_FOUND;
    scheduled.delete(s.id);
    for (const id of s.mediaIds) media.delete(id);
    return { status: 200, json: {} };
  }, { scope: 'write:statuses' });

  function handle(req: FakeRequest): FakeResponse {
    fireDue();
    const candidates = routes.filter((r) => r.pattern.test(req.path));
    if (!candidates.length) {
      violate(req, 'no such endpoint');
      return { status: 404, json: { error: 'Not Found' } };
    }
    const route = candidates.find((r) => r.method === req.method);
    if (!route) {
      violate(req, 'wrong method');
      return { status: 404, json: { error: 'Not Found' } };
    }
    let headers: Record<string, string> = {};
    if (route.access.api !== false) {
      const limited = limitHeaders(req);
      if ('status' in limited) return limited as FakeResponse;
      headers = limited as Record<string, string>;
    }
    // Doorkeeper checks the token before the controller reads a parameter.
    const response =
      (route.access.scope ? denied(req, route.access.scope, route.access.optional) : undefined) ??
      server.refusal(req) ??
      route.handler(req, route.pattern.exec(req.path)!);
    return { ...response, headers: { ...headers, ...response.headers } };
  }

  const answers: NetworkAnswers = {
    rateLimited: (retryAfterMs) => ({
      status: 429,
      json: { error: 'Too many requests' },
      headers: { 'x-ratelimit-limit': '300', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': iso(time + retryAfterMs) },
    }),
    serverError: (status) => ({ status, text: '<html><body><h1>We are sorry, something went wrong</h1></body></html>', headers: { 'content-type': 'text/html' } }),
    // Rails answers a parameter it cannot use with 422 and the model's words; Doorkeeper with an OAuth error.
    refused: (messages, req) =>
      req.path.startsWith('/oauth/')
        ? { status: 400, json: { error: 'invalid_request', error_description: messages.join('; ') } }
        : { status: 422, json: { error: `Validation failed: ${messages.join('; ')}` } },
  };

  const spec = mastodonSpec();
  spec.warm(OPERATIONS);
  const server: FakeServer = await startFakeServer(handle, { name: 'Mastodon fake', validator: spec, answers });
  base = server.baseUrl;

  const fake: MastodonFake = {
    baseUrl: server.baseUrl,
    server,
    requests: server.requests,
    violations: server.violations,
    get apps() {
      return [...apps.values()];
    },
    get statuses() {
      return [...statuses.values()];
    },
    get scheduled() {
      return [...scheduled.values()];
    },
    get publishedCount() {
      return published;
    },
    get deletedCount() {
      return deleted;
    },
    accountId,
    now: () => time,
    advance(ms) {
      time += ms;
      fireDue();
    },
    react(statusId, counts) {
      const status = statuses.get(statusId);
      if (!status) throw new Error(`no status ${statusId}`);
      Object.assign(status, counts);
    },
    setTime(ms) {
      time = ms;
      fireDue();
    },
    issueToken(scope = 'read:accounts read:statuses write:statuses write:media') {
      const scopes = scope.split(/\s+/);
      const app: App = { clientId: randomBytes(16).toString('hex'), clientSecret: randomBytes(16).toString('hex'), name: 'Outpost', redirectUris: ['urn:ietf:wg:oauth:2.0:oob'], scopes };
      apps.set(app.clientId, app);
      const accessToken = randomBytes(32).toString('base64url');
      tokens.set(accessToken, { clientId: app.clientId, scopes, revoked: false });
      return { clientId: app.clientId, clientSecret: app.clientSecret, accessToken };
    },
    revokeToken(accessToken) {
      const token = tokens.get(accessToken);
      if (token) token.revoked = true;
    },
    denyNextAuthorization() {
      denyNext = true;
    },
    media,
    queueMediaProcessing(...polls) {
      processingQueue.push(...polls);
    },
    route(method, path) {
      return (req) => req.method === method && (typeof path === 'string' ? req.path === path : path.test(req.path));
    },
    rateLimitNext(match, resetInMs = 60_000, count = 1) {
      server.faults.next(server.fault({ kind: 'rate_limited', retryAfterMs: resetInMs }), count, match);
    },
    serverErrorNext(match, status = 503, count = 1) {
      server.faults.next(server.fault({ kind: 'server_error', status }), count, match);
    },
    hangNext(match, afterHandling = false) {
      server.faults.next(server.fault({ kind: 'hang' }, afterHandling), 1, match);
    },
    resetNext(match, afterHandling = false) {
      server.faults.next(server.fault({ kind: 'reset' }, afterHandling), 1, match);
    },
    faultRatio(fault, ratio, seed, match) {
      server.faults.ratio(fault, ratio, seed, match);
    },
    close: () => server.close(),
  };
  return fake;
}
