import { createHash } from 'node:crypto';
import {
  beforeSending,
  ConnectorError,
  type CommentVerifyOutcome,
  type Connector,
  type MediaItem,
  type PublishedComment,
  type PublishedPost,
  type PublishRequest,
  type VerifyOutcome,
} from '../../../core/connector';
import { cleanMetrics, type PostMetrics } from '../../../core/metrics';
import { findEntities, withByteRanges } from '../../../core/networks/entities';
import { networkRules, type TextLimit } from '../../../core/networks/rules';
import { countGraphemes, utf8Length } from '../../../core/networks/unicode';
import { DEFAULT_CALL_TIMEOUT_MS, DEFAULT_UPLOAD_TIMEOUT_MS, isObject } from '../kit/http';
import { mediaProgress, type FileProgress } from '../kit/progress';
import { blueskyVideo, type BlueskyVideoOptions, type VideoEmbed } from './video';
import {
  accountKey,
  bareHandle,
  createSession,
  expectOk,
  isTokenProblem,
  persist,
  refreshSession,
  send,
  type BlueskyConfig,
  type BlueskyContext,
  type BlueskyCredentials,
  type BlueskySession,
  type CallInit,
  type XrpcReply,
} from './api';

/**
 * Bluesky through any PDS's XRPC API (shared/networks/CONTRACTS.md §4), signed in with an
 * app password. Sign-in is the connector's own createSession (the call that also renews a dead
 * session), so it stays a method here; XRPC and sessions live in api.ts.
 *
 * - Credentials (keychain only): the handle and app password, plus the session's access and
 *   refresh tokens, which are secrets too. A new or rotated session goes back to the keychain
 *   through `ctx.saveCredentials` and is kept in memory for the connector's later calls.
 *   createSession is limited to 30 per 5 minutes, so it runs only when there is no session or
 *   the refresh token is dead; an answer of 400 ExpiredToken/InvalidToken or 401 refreshes the
 *   session and repeats the call once.
 * - The record key is computed from the job's idempotency key alone (blueskyRecordKey), so
 *   every attempt of one job writes the same key. The write is putRecord with swapRecord null
 *   ("only if absent"): a retry after a lost answer cannot post twice, it finds the record
 *   instead; and verify after a crash needs nothing stored but the key: getRecord says for sure.
 * - Links, mentions and hashtags become facets with UTF-8 byte ranges (entities from
 *   core/networks). A mention gets a facet only when its handle resolves to a DID.
 * - Link cards: app.bsky.embed.external with the card the user kept (Bluesky's app builds none
 *   itself); a post with pictures shows those instead, as one post holds one embed.
 * - Video: one MP4 alone in its post, through Bluesky's video service (video.ts), embedded as
 *   app.bsky.embed.video with its alt text and aspect ratio once processing gave its blob.
 */

export interface BlueskySignIn {
  /** Signs in with the app password (createSession), saves the session and says whose it is. */
  signIn(ctx: BlueskyContext): Promise<{ did: string; handle: string }>;
}

export interface BlueskyConnectorOptions {
  /** Per call, for calls without uploads (default 30 s). */
  timeoutMs?: number;
  /** Per image upload (default 120 s). */
  uploadTimeoutMs?: number;
  /** Where videos go (Bluesky's video service unless a test points elsewhere). */
  video?: BlueskyVideoOptions;
}

export const BLUESKY_POST_COLLECTION = 'app.bsky.feed.post';

const rules = networkRules.bluesky;
const textMax = (unit: TextLimit['unit'], fallback: number) => rules.text.find((limit) => limit.unit === unit)?.max ?? fallback;

export const blueskyLimits = {
  textGraphemes: textMax('graphemes', 300),
  textBytes: textMax('utf8_bytes', 3000),
  images: rules.media.maxItems,
  imageBytes: rules.media.image.maxBytes ?? 1_000_000,
  imageTypes: rules.media.image.mimes,
  /** app.bsky.richtext.facet#tag: longer tags are left as plain text. */
  tagGraphemes: 64,
  videoBytes: rules.media.video?.maxBytes ?? 300_000_000,
  /** Three minutes [doc Bluesky's announcement of longer videos, 2025; the lexicon states none]. */
  videoMs: 3 * 60_000,
} as const;

const isVideo = (item: MediaItem) => item.mime.toLowerCase().startsWith('video/');

const RESOLVE_TIMEOUT_MS = 10_000;
interface BlobRef {
  $type: 'blob';
  ref: { $link: string };
  mimeType: string;
  size: number;
}

interface Facet {
  index: { byteStart: number; byteEnd: number };
  features: Array<
    | { $type: 'app.bsky.richtext.facet#link'; uri: string }
    | { $type: 'app.bsky.richtext.facet#mention'; did: string }
    | { $type: 'app.bsky.richtext.facet#tag'; tag: string }
  >;
}

interface EmbeddedImage {
  image: BlobRef;
  alt: string;
  aspectRatio?: { width: number; height: number };
}

/** com.atproto.repo.strongRef: a record by address and content hash. */
interface StrongRef {
  uri: string;
  cid: string;
}

interface PostRecord {
  $type: typeof BLUESKY_POST_COLLECTION;
  text: string;
  createdAt: string;
  reply?: { root: StrongRef; parent: StrongRef };
  langs?: string[];
  facets?: Facet[];
  embed?: { $type: 'app.bsky.embed.images'; images: EmbeddedImage[] } | ExternalEmbed | VideoEmbed;
}

/** app.bsky.embed.external: a link card, its picture uploaded as a blob (at most 1,000,000 bytes by the lexicon). */
interface ExternalEmbed {
  $type: 'app.bsky.embed.external';
  external: { uri: string; title: string; description: string; thumb?: BlobRef };
}

export function createBlueskyConnector(options: BlueskyConnectorOptions = {}) {
  const timeouts = {
    call: options.timeoutMs ?? DEFAULT_CALL_TIMEOUT_MS,
    upload: options.uploadTimeoutMs ?? DEFAULT_UPLOAD_TIMEOUT_MS,
  };
  /** The newest session this process knows per account; never written anywhere but the keychain. */
  const sessions = new Map<string, BlueskySession>();
  /** One renewal at a time per account: parallel calls that all see ExpiredToken share it. */
  const renewals = new Map<string, Promise<BlueskySession>>();
  const video = blueskyVideo(options.video ?? {}, timeouts);

  function storedSession(ctx: BlueskyContext): BlueskySession | null {
    const cached = sessions.get(accountKey(ctx));
    if (cached) return cached;
    const { accessJwt, refreshJwt, handle } = ctx.credentials;
    const did = ctx.credentials.did ?? ctx.config.did;
    return accessJwt && refreshJwt && did ? { did, handle: bareHandle(handle), accessJwt, refreshJwt } : null;
  }

  async function currentSession(ctx: BlueskyContext): Promise<BlueskySession> {
    return storedSession(ctx) ?? (await renew(ctx, null));
  }

  /** A fresh session: refresh the stale one, or sign in again when its refresh token is dead. */
  function renew(ctx: BlueskyContext, stale: BlueskySession | null): Promise<BlueskySession> {
    const key = accountKey(ctx);
    const pending = renewals.get(key);
    if (pending) return pending;
    const renewal = (async () => {
      const known = sessions.get(key);
      // Another call renewed it since this one started: use that session.
      if (known && stale && known.accessJwt !== stale.accessJwt) return known;
      const next = (stale ? await refreshSession(ctx, stale, timeouts.call) : null) ?? (await createSession(ctx, timeouts.call));
      sessions.set(key, next);
      await persist(ctx, next);
      return next;
    })().finally(() => renewals.delete(key));
    renewals.set(key, renewal);
    return renewal;
  }

  /** One authenticated call; on a token problem it renews the session and repeats the call once. */
  async function authed(ctx: BlueskyContext, method: string, init: (session: BlueskySession) => CallInit): Promise<{ reply: XrpcReply; session: BlueskySession }> {
    let session = await currentSession(ctx);
    let reply = await send(ctx, method, { ...init(session), bearer: session.accessJwt });
    if (isTokenProblem(reply)) {
      session = await renew(ctx, session);
      reply = await send(ctx, method, { ...init(session), bearer: session.accessJwt });
    }
    return { reply, session };
  }

  async function uploadImage(ctx: BlueskyContext, item: MediaItem, onUploadProgress?: FileProgress): Promise<EmbeddedImage> {
    const { reply } = await authed(ctx, 'com.atproto.repo.uploadBlob', () => ({
      bytes: { data: item.bytes, type: item.mime },
      timeoutMs: timeouts.upload,
      onUploadProgress,
    }));
    const blob = expectOk(reply, ctx)['blob'] as BlobRef | undefined;
    if (!blob?.ref?.$link) throw new ConnectorError('permanent', `Bluesky answered the upload of ${item.fileName} without a blob.`);
    const { width, height } = item;
    const known = (n: number | undefined): n is number => n !== undefined && Number.isInteger(n) && n > 0;
    return { image: blob, alt: item.alt ?? '', ...(known(width) && known(height) ? { aspectRatio: { width, height } } : {}) };
  }

  async function resolveHandle(ctx: BlueskyContext, handle: string): Promise<string | null> {
    try {
      const reply = await send(ctx, 'com.atproto.identity.resolveHandle', { query: { handle }, timeoutMs: RESOLVE_TIMEOUT_MS });
      const did = reply.body['did'];
      return reply.status === 200 && typeof did === 'string' && did.startsWith('did:') ? did : null;
    } catch {
      // An unresolved mention stays plain text; it is not worth failing the post.
      return null;
    }
  }

  /** Facets for the links, resolvable mentions and hashtags in `text`, with UTF-8 byte ranges. */
  async function facetsFor(ctx: BlueskyContext, text: string): Promise<Facet[]> {
    const entities = withByteRanges(text, findEntities(text));
    const handles = new Set(entities.flatMap((e) => (e.type === 'mention' && isHandleMention(e.username, e.domain) ? [e.username.toLowerCase()] : [])));
    const dids = new Map(await Promise.all([...handles].map(async (h) => [h, await resolveHandle(ctx, h)] as const)));
    const facets: Facet[] = [];
    for (const entity of entities) {
      const index = { byteStart: entity.byteStart, byteEnd: entity.byteEnd };
      if (entity.type === 'link') {
        facets.push({ index, features: [{ $type: 'app.bsky.richtext.facet#link', uri: entity.url }] });
      } else if (entity.type === 'hashtag') {
        if (countGraphemes(entity.tag) <= blueskyLimits.tagGraphemes) facets.push({ index, features: [{ $type: 'app.bsky.richtext.facet#tag', tag: entity.tag }] });
      } else {
        const did = dids.get(entity.username.toLowerCase());
        if (did) facets.push({ index, features: [{ $type: 'app.bsky.richtext.facet#mention', did }] });
      }
    }
    return facets;
  }

  async function readPost(ctx: BlueskyContext, did: string, rkey: string): Promise<PublishedPost | null> {
    const reply = await send(ctx, 'com.atproto.repo.getRecord', {
      query: { repo: did, collection: BLUESKY_POST_COLLECTION, rkey },
      timeoutMs: timeouts.call,
    });
    if (reply.body['error'] === 'RecordNotFound') return null;
    const body = expectOk(reply, ctx);
    const value = body['value'] as { createdAt?: unknown } | undefined;
    const createdAt = typeof value?.createdAt === 'string' ? Date.parse(value.createdAt) : NaN;
    const uri = typeof body['uri'] === 'string' ? body['uri'] : atUri(did, rkey);
    return { remoteId: uri, url: postUrl(handleFor(ctx), did, rkey), publishedAt: Number.isFinite(createdAt) ? createdAt : ctx.now() };
  }

  /** The post a first comment replies to, and its thread's root (the post itself, unless it is a reply). */
  async function replyRefs(ctx: BlueskyContext, remoteId: string): Promise<{ root: StrongRef; parent: StrongRef }> {
    const { did, collection, rkey } = parseAtUri(remoteId);
    const reply = await send(ctx, 'com.atproto.repo.getRecord', { query: { repo: did, collection, rkey }, timeoutMs: timeouts.call });
    if (reply.body['error'] === 'RecordNotFound') throw new ConnectorError('permanent', 'The post is no longer on Bluesky, so no reply (a first comment, a thread’s next part) can go under it.');
    const body = expectOk(reply, ctx);
    const cid = body['cid'];
    if (typeof cid !== 'string') throw new ConnectorError('transient', 'Bluesky answered without the post’s content hash.');
    const parent = { uri: typeof body['uri'] === 'string' ? body['uri'] : remoteId, cid };
    const root = (body['value'] as { reply?: { root?: Partial<StrongRef> } } | undefined)?.reply?.root;
    return { root: typeof root?.uri === 'string' && typeof root.cid === 'string' ? { uri: root.uri, cid: root.cid } : parent, parent };
  }

  function handleFor(ctx: BlueskyContext): string {
    return sessions.get(accountKey(ctx))?.handle ?? bareHandle(ctx.credentials.handle);
  }

  return {
    network: 'bluesky',

    async signIn(ctx: BlueskyContext): Promise<{ did: string; handle: string }> {
      const session = await createSession(ctx, timeouts.call);
      sessions.set(accountKey(ctx), session);
      await persist(ctx, session);
      return { did: session.did, handle: session.handle };
    },

    async publish(ctx: BlueskyContext, post: PublishRequest): Promise<PublishedPost> {
      validateBlueskyPost(post);
      const rkey = blueskyRecordKey(post.idempotencyKey);
      const progress = mediaProgress(ctx, post.media);
      // A video (alone in its post) goes through the video service before anything else.
      const clip = post.media.find(isVideo);
      const videoEmbed = clip
        ? await beforeSending(async () => video.upload(ctx, (method, init) => authed(ctx, method, init).then((r) => r.reply), (await currentSession(ctx)).did, clip, progress(clip)))
        : null;
      const { facets, images, external, refs } = await beforeSending(async () => {
        await currentSession(ctx);
        const found = await facetsFor(ctx, post.text);
        const uploaded: EmbeddedImage[] = [];
        for (const item of post.media) if (!isVideo(item)) uploaded.push(await uploadImage(ctx, item, progress(item)));
        const card = post.card?.shown && uploaded.length === 0 && !clip ? post.card : null;
        const thumb = card?.image ? (await uploadImage(ctx, { fileName: 'card.jpg', mime: 'image/jpeg', bytes: card.image, alt: '' })).image : undefined;
        const embed: ExternalEmbed | null = card ? { $type: 'app.bsky.embed.external', external: { uri: card.url, title: card.title, description: card.description, ...(thumb ? { thumb } : {}) } } : null;
        // A thread's part: a reply to the part before it, rooted where that part's thread begins.
        const refs = post.replyTo ? await replyRefs(ctx, post.replyTo) : null;
        return { facets: found, images: uploaded, external: embed, refs };
      });
      const language = post.language?.trim();
      const record: PostRecord = {
        $type: BLUESKY_POST_COLLECTION,
        text: post.text,
        createdAt: new Date(ctx.now()).toISOString(),
        ...(language ? { langs: [language] } : {}),
        ...(facets.length > 0 ? { facets } : {}),
        ...(videoEmbed ? { embed: videoEmbed } : images.length > 0 ? { embed: { $type: 'app.bsky.embed.images', images } } : external ? { embed: external } : {}),
        ...(refs ? { reply: refs } : {}),
      };
      const { reply, session } = await authed(ctx, 'com.atproto.repo.putRecord', (s) => ({
        // swapRecord null: write only if no record has this key yet.
        json: { repo: s.did, collection: BLUESKY_POST_COLLECTION, rkey, record, swapRecord: null },
        timeoutMs: timeouts.call,
      }));
      if (reply.status === 400 && reply.body['error'] === 'InvalidSwap') {
        // This job's record is already there: an earlier attempt wrote it and its answer was lost.
        const existing = await readPost(ctx, session.did, rkey);
        if (existing) return existing;
      }
      const body = expectOk(reply, ctx);
      if (typeof body['uri'] !== 'string') {
        // A 2xx that is not XRPC's answer (a proxy's page): the record may be there; getRecord on its key will tell.
        throw new ConnectorError('transient', `Bluesky answered HTTP ${reply.status} without the post's address.`, { status: reply.status, delivery: 'maybe_sent' });
      }
      return { remoteId: body['uri'], url: postUrl(session.handle, session.did, rkey), publishedAt: Date.parse(record.createdAt) };
    },

    async delete(ctx: BlueskyContext, remoteId: string): Promise<void> {
      const { did, collection, rkey } = parseAtUri(remoteId);
      // Deleting a record that is already gone succeeds, so a repeated delete is done too.
      const { reply } = await authed(ctx, 'com.atproto.repo.deleteRecord', () => ({
        json: { repo: did, collection, rkey },
        timeoutMs: timeouts.call,
      }));
      expectOk(reply, ctx);
    },

    /**
     * Counts live in the AppView, not the PDS: app.bsky.feed.getPosts goes through the account's PDS,
     * which forwards it to its AppView (docs.bsky.app "API Hosts and Auth"); a post no longer indexed is left out.
     */
    async metrics(ctx: BlueskyContext, remoteId: string): Promise<PostMetrics | 'gone'> {
      const { reply } = await authed(ctx, 'app.bsky.feed.getPosts', () => ({ query: { uris: remoteId }, timeoutMs: timeouts.call }));
      const posts = expectOk(reply, ctx)['posts'];
      const view = Array.isArray(posts) ? (posts as unknown[]).find((p) => isObject(p) && p['uri'] === remoteId) : undefined;
      if (!isObject(view)) return 'gone';
      return cleanMetrics({ likes: view['likeCount'], reposts: view['repostCount'], replies: view['replyCount'], quotes: view['quoteCount'] });
    },

    /**
     * The first comment is a reply record (root and parent strong refs). Its record key comes from
     * the comment job's key and is written only if absent, as a post's is: sending it again is safe.
     */
    commentResendSafe: true,

    async comment(ctx: BlueskyContext, remoteId: string, text: string, idempotencyKey: string): Promise<PublishedComment> {
      validateBlueskyPost({ text, media: [], idempotencyKey });
      const rkey = blueskyRecordKey(idempotencyKey);
      const { refs, facets } = await beforeSending(async () => {
        await currentSession(ctx);
        return { refs: await replyRefs(ctx, remoteId), facets: await facetsFor(ctx, text) };
      });
      const record: PostRecord = {
        $type: BLUESKY_POST_COLLECTION,
        text,
        createdAt: new Date(ctx.now()).toISOString(),
        reply: refs,
        ...(facets.length > 0 ? { facets } : {}),
      };
      const { reply, session } = await authed(ctx, 'com.atproto.repo.putRecord', (s) => ({
        json: { repo: s.did, collection: BLUESKY_POST_COLLECTION, rkey, record, swapRecord: null },
        timeoutMs: timeouts.call,
      }));
      if (reply.status === 400 && reply.body['error'] === 'InvalidSwap') {
        // An earlier attempt wrote this comment and its answer was lost.
        const existing = await readPost(ctx, session.did, rkey);
        if (existing) return { remoteId: existing.remoteId, url: existing.url };
      }
      const body = expectOk(reply, ctx);
      if (typeof body['uri'] !== 'string') {
        throw new ConnectorError('transient', `Bluesky answered HTTP ${reply.status} without the comment's address.`, { status: reply.status, delivery: 'maybe_sent' });
      }
      return { remoteId: body['uri'], url: postUrl(session.handle, session.did, rkey) };
    },

    async verifyComment(ctx: BlueskyContext, attempt: { remoteId: string; idempotencyKey: string }): Promise<CommentVerifyOutcome> {
      const did = ctx.config.did ?? ctx.credentials.did ?? (await currentSession(ctx)).did;
      const found = await readPost(ctx, did, blueskyRecordKey(attempt.idempotencyKey));
      return found ? { found: true, comment: { remoteId: found.remoteId, url: found.url } } : { found: false };
    },

    async verify(ctx: BlueskyContext, attempt: { idempotencyKey: string; startedAt: number; text: string }): Promise<VerifyOutcome> {
      const rkey = blueskyRecordKey(attempt.idempotencyKey);
      const did = ctx.config.did ?? ctx.credentials.did ?? (await currentSession(ctx)).did;
      const post = await readPost(ctx, did, rkey);
      return post ? { found: true, post } : { found: false };
    },
  } satisfies Connector<BlueskyCredentials, BlueskyConfig> & BlueskySignIn;
}

// ---------------------------------------------------------------------------------------------
// Rules checked before any call

/** Refuses, before any call, what Bluesky would refuse (or what this connector cannot send). */
export function validateBlueskyPost(post: PublishRequest): void {
  const refuse = (message: string): never => {
    throw new ConnectorError('validation', message);
  };
  if (post.text.trim() === '' && post.media.length === 0) refuse('Bluesky needs text or an image to post.');
  const graphemes = countGraphemes(post.text);
  if (graphemes > blueskyLimits.textGraphemes) {
    refuse(`Bluesky posts hold ${blueskyLimits.textGraphemes} characters; this one has ${graphemes}.`);
  }
  const bytes = utf8Length(post.text);
  if (bytes > blueskyLimits.textBytes) {
    refuse(`Bluesky posts hold ${number(blueskyLimits.textBytes)} bytes of text; this one has ${number(bytes)}.`);
  }
  if (post.media.length > blueskyLimits.images) {
    refuse(`Bluesky posts hold at most ${blueskyLimits.images} images; this one has ${post.media.length}.`);
  }
  const videos = post.media.filter(isVideo);
  if (videos.length > 0 && post.media.length > 1) refuse('A Bluesky post holds one video and nothing else beside it; post the video on its own.');
  for (const item of videos) {
    if (item.mime.toLowerCase() !== 'video/mp4') refuse(`${item.fileName} is ${item.mime}; Bluesky takes videos as MP4. Convert it to MP4 (H.264) first.`);
    if (item.bytes.byteLength > blueskyLimits.videoBytes) {
      refuse(`${item.fileName} is ${number(item.bytes.byteLength)} bytes; Bluesky takes videos of at most ${number(blueskyLimits.videoBytes)} bytes.`);
    }
    if (item.durationMs !== undefined && item.durationMs > blueskyLimits.videoMs) refuse(`${item.fileName} lasts ${Math.round(item.durationMs / 1000)} s; Bluesky takes videos of at most 3 minutes. Trim it first.`);
  }
  for (const item of post.media) {
    if (isVideo(item)) continue;
    const mime = item.mime.toLowerCase();
    if (!blueskyLimits.imageTypes.includes(mime)) refuse(`${item.fileName} is ${item.mime}; Bluesky images must be JPEG, PNG, WebP or GIF.`);
    if (item.bytes.byteLength > blueskyLimits.imageBytes) {
      refuse(`${item.fileName} is ${number(item.bytes.byteLength)} bytes; Bluesky takes images of at most ${number(blueskyLimits.imageBytes)} bytes.`);
    }
  }
}

function number(n: number): string {
  return n.toLocaleString('en-US');
}

// ---------------------------------------------------------------------------------------------
// Record keys and addresses

const BASE32_SORTABLE = '234567abcdefghijklmnopqrstuvwxyz';

/**
 * The record key of the post for one publish job: a TID (13 base32-sortable characters) made
 * from a hash of the idempotency key. Only 60 bits are used, so its timestamp part falls before
 * 2006 and can never pass for a real (or a future) time; Bluesky orders posts by createdAt.
 */
export function blueskyRecordKey(idempotencyKey: string): string {
  if (idempotencyKey.trim() === '') throw new ConnectorError('permanent', 'A Bluesky post needs an idempotency key for its record key.');
  const digest = createHash('sha256').update(`outpost:bluesky:rkey:${idempotencyKey}`).digest();
  let value = digest.readBigUInt64BE(0) & ((1n << 60n) - 1n);
  let key = '';
  for (let i = 0; i < 13; i++) {
    key = BASE32_SORTABLE[Number(value & 31n)] + key;
    value >>= 5n;
  }
  return key;
}

function atUri(did: string, rkey: string): string {
  return `at://${did}/${BLUESKY_POST_COLLECTION}/${rkey}`;
}

function parseAtUri(remoteId: string): { did: string; collection: string; rkey: string } {
  const match = /^at:\/\/(did:[a-z]+:[A-Za-z0-9._:%-]+)\/([A-Za-z0-9.-]+)\/([A-Za-z0-9._:~-]{1,512})$/.exec(remoteId.trim());
  if (!match) throw new ConnectorError('permanent', `"${remoteId}" is not the address of a Bluesky post (at://did/collection/key).`);
  return { did: match[1]!, collection: match[2]!, rkey: match[3]! };
}

/** The post's page on bsky.app; the DID stands in when the handle is not usable. */
function postUrl(handle: string, did: string, rkey: string): string {
  const who = handle && handle !== 'handle.invalid' ? handle : did;
  return `https://bsky.app/profile/${encodeURIComponent(who)}/post/${rkey}`;
}


/** "@alice.bsky.social" is a Bluesky handle; "@alice" and "@alice@mastodon.social" are not. */
function isHandleMention(username: string, domain: string | null): boolean {
  return domain === null && /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+$/i.test(username) && !/\.\d+$/.test(username);
}

