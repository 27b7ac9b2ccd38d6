import { createHash, randomBytes } from 'node:crypto';
import { fileOf, startFakeServer, type Fault, type FakeRequest, type FakeResponse, type FakeServer, type NetworkAnswers, type UploadedFile } from './fake-server';
import { vkSchema } from './validate/vk-schema';

/**
 * A loopback VK (shared/networks/CONTRACTS.md §5): the method API (`/method/<name>`), the upload
 * servers it hands out, and VK ID's OAuth 2.1 endpoints (`/authorize`, `/oauth2/auth`). Every
 * method call is checked against VK's own schema (specs/vk-api-schema: parameter names, types,
 * ranges, enums, required) and every answer is built to the method's response definition, or to
 * `base_error` — the fake throws on an answer its own schema refuses. On top, it keeps what the
 * schema cannot say: tokens and their expiry, editors of communities, upload → save, `guid`
 * de-duplication (a repeated wall.post / wall.createComment with the same guid answers the first
 * one's id and creates nothing), postponed posts (`publish_date`, listed by wall.get
 * filter=postponed and by wall.getById with post_type "postpone", edited by wall.edit, published
 * when the clock passes them under a new id that names the old one in `postponed_id`), and the
 * PKCE verifier. ⚠ Unconfirmed VK behaviour is switchable (`postponed` options) so the connector is
 * tested against each reading.
 *
 *   const vk = await startVkFake({ now: () => clock });
 *   const user = vk.addUser();                      // user.token works (implicit flow, no expiry)
 *   const group = vk.addGroup({ name: 'Bakery' }); vk.setRole(group, user, 'editor');
 *   vk.failNext({ error: 14 }, { method: 'wall.post' });      // captcha, rate limits, any code
 *   vk.failNext({ lose: true }, { method: 'wall.post' });     // done, then the answer is lost
 *   vk.posts                                       // every wall post, deleted ones flagged
 */

export interface FakeVkUser {
  id: number;
  firstName: string;
  lastName: string;
  token: string;
}

export interface FakeVkGroup {
  id: number;
  name: string;
  screenName: string;
}

export type VkRole = 'admin' | 'editor' | 'moderator' | 'member';

export interface FakeVkPost {
  ownerId: number;
  id: number;
  text: string;
  attachments: string[];
  /** Unix seconds: when it went out, or (postponed) when it will. */
  date: number;
  postponed: boolean;
  deleted: boolean;
  guid: string | undefined;
  /** Set once a postponed post went out: the id it had while it waited. */
  postponedId: number | undefined;
  fromGroup: boolean;
  signed: boolean;
  markedAsAds: boolean;
  closeComments: boolean;
  copyright: string | undefined;
  comments: Array<{ id: number; text: string; fromGroup: number | undefined }>;
  /** What readers did (tests set them): the counters wall.getById answers with. */
  likes?: number;
  reposts?: number;
  views?: number;
}

export interface FakeVkPhoto {
  ownerId: number;
  id: number;
  file: UploadedFile;
  caption: string;
}

export type VkFault =
  /** VK's error body (HTTP 200) with this code; 14 carries a captcha. */
  | { error: number; message?: string }
  /** The work is done, then the connection drops: the client never hears. */
  | { lose: true }
  /** A gateway 5xx page; with afterHandling the work was done first. */
  | { status: 500 | 502 | 503 }
  | { hang: true };

export interface VkFaultOptions {
  method?: string;
  afterHandling?: boolean;
  count?: number;
}

export interface VkFakeOptions {
  now?: () => number;
  postponed?: {
    /** ⚠ A postponed post keeps its id when it goes out (default: it gets a new one, with postponed_id). */
    publishKeepsId?: boolean;
    /** ⚠ wall.getById leaves postponed posts out (default: it returns them with post_type "postpone"). */
    hiddenFromGetById?: boolean;
  };
}

/** ⚠ VK's post form offers dates up to a year ahead; the API's own limit is not documented. */
const MAX_PUBLISH_AHEAD_S = 365 * 24 * 60 * 60;

export interface VkApp {
  appId: string;
  /** Redirect addresses registered in the app (VK ID checks them exactly; loopback ports may vary). */
  redirectUris: string[];
}

export interface VkFake {
  baseUrl: string;
  server: FakeServer;
  posts: FakeVkPost[];
  photos: FakeVkPhoto[];
  videos: Array<{ ownerId: number; id: number; file: UploadedFile | undefined; name: string }>;
  /** Polls made by polls.create, for attaching to a post (`poll<owner>_<id>`). */
  polls: Array<{ ownerId: number; id: number; question: string; answers: string[]; multiple: boolean; anonymous: boolean; endDate: number }>;
  addUser(user?: Partial<Omit<FakeVkUser, 'id' | 'token'>>): FakeVkUser;
  addGroup(group?: Partial<Omit<FakeVkGroup, 'id'>>): FakeVkGroup;
  setRole(group: FakeVkGroup, user: FakeVkUser, role: VkRole): void;
  addApp(app?: Partial<VkApp>): VkApp;
  /** What the VK ID login page would do for this user: it approves every request for them. */
  signInAs(user: FakeVkUser): void;
  /** The `blank.html#access_token=…` address the standalone implicit flow ends on. */
  implicitRedirect(user: FakeVkUser, app: VkApp): string;
  /** Every token of this user stops working (error 5). */
  revoke(user: FakeVkUser): void;
  livePosts(group: FakeVkGroup): FakeVkPost[];
  failNext(fault: VkFault, options?: VkFaultOptions): void;
  /** Method names of the calls so far, in order (token-free). */
  methods(): string[];
  readonly violations: string[];
  close(): Promise<void>;
}

const METHODS = ['users.get', 'groups.get', 'groups.getById', 'photos.getWallUploadServer', 'photos.saveWallPhoto', 'video.save', 'polls.create', 'wall.post', 'wall.edit', 'wall.delete', 'wall.get', 'wall.getById', 'wall.createComment'];
const ERROR_TEXT: Record<number, string> = {
  5: 'User authorization failed: invalid access_token (4).',
  6: 'Too many requests per second',
  9: 'Flood control',
  14: 'Captcha needed',
  15: 'Access denied',
  27: 'Group authorization failed: method is unavailable with group auth.',
  29: 'Rate limit reached',
  100: 'One of the parameters specified was missing or invalid',
  214: 'Access to adding post denied',
  222: 'Hyperlinks are forbidden',
};

class VkError extends Error {
  constructor(
    readonly code: number,
    readonly msg: string = ERROR_TEXT[code] ?? `Error ${code}`,
  ) {
    super(msg);
  }
}

interface Token {
  userId: number;
  expiresAt: number | null;
}

interface PendingCode {
  userId: number;
  appId: string;
  challenge: string;
  redirectUri: string;
  deviceId: string;
}

export async function startVkFake(options: VkFakeOptions = {}): Promise<VkFake> {
  const now = options.now ?? Date.now;
  const users: FakeVkUser[] = [];
  const groups: FakeVkGroup[] = [];
  const roles = new Map<string, VkRole>();
  const tokens = new Map<string, Token>();
  const refreshTokens = new Map<string, { userId: number; appId: string; deviceId: string }>();
  const apps: VkApp[] = [];
  const codes = new Map<string, PendingCode>();
  const uploads = new Map<string, { kind: 'photo' | 'video'; ownerId: number; videoId?: number }>();
  const posts: FakeVkPost[] = [];
  const photos: FakeVkPhoto[] = [];
  const videos: VkFake['videos'] = [];
  const polls: VkFake['polls'] = [];
  const pendingUploads = new Map<string, UploadedFile>();
  let signedIn: FakeVkUser | undefined;
  let nextId = 1000;

  const spec = vkSchema();
  spec.warm(METHODS);
  // Compiles the response validators now too (wall.get's is large), so a client's first call does not time out.
  for (const method of METHODS) for (const extended of [false, true]) spec.checkResponse(method, {}, extended);
  const answers: NetworkAnswers = {
    rateLimited: () => ({ status: 200, json: errorBody(new VkError(6), 'unknown', {}) }),
    serverError: (status) => ({ status, text: `<html><body><center><h1>${status}</h1></center><hr><center>nginx</center></body></html>` }),
    refused: (messages, req) => ({ status: 200, json: errorBody(new VkError(100, `${ERROR_TEXT[100]}: ${messages.join('; ')}`), methodOf(req) ?? 'unknown', {}) }),
  };
  const server = await startFakeServer(handle, { name: 'VK fake', validator: spec, answers, label: (req) => methodOf(req) ?? `${req.method} ${req.path}` });

  function methodOf(req: FakeRequest): string | undefined {
    return /^\/method\/([\w.]+)$/.exec(req.path)?.[1];
  }

  function paramsOf(req: FakeRequest): Record<string, string> {
    const params: Record<string, string> = Object.fromEntries(req.query);
    for (const [name, value] of req.body.fields) params[name] = value;
    return params;
  }

  function errorBody(error: VkError, method: string, params: Record<string, string>) {
    const body: Record<string, unknown> = {
      error_code: error.code,
      error_msg: error.msg,
      request_params: [{ key: 'method', value: method }, ...Object.entries(params).filter(([k]) => k !== 'access_token').map(([key, value]) => ({ key, value }))],
    };
    if (error.code === 14) {
      const sid = String(nextId++);
      Object.assign(body, { captcha_sid: sid, captcha_img: `${server.baseUrl}/captcha.php?sid=${sid}` });
    }
    return { error: body };
  }

  function checked(method: string, body: unknown, extended = false): FakeResponse {
    const wrong = spec.checkResponse(method, body, extended);
    // The fake's own answer breaking VK's schema is a fake bug: fail loudly.
    if (wrong.length > 0) throw new Error(`VK fake answered ${method} off-schema: ${wrong.join('; ')}`);
    return { status: 200, json: body };
  }

  async function handle(req: FakeRequest): Promise<FakeResponse> {
    if (req.path === '/authorize') return authorize(req);
    if (req.path === '/oauth2/auth') return tokenEndpoint(req);
    const upload = /^\/upload\/([\w-]+)$/.exec(req.path);
    if (upload) return receiveUpload(upload[1]!, req);
    const method = methodOf(req);
    if (!method) return { status: 404, text: 'Not Found' };
    const params = paramsOf(req);
    try {
      if (req.spec?.operation === undefined) {
        server.violate(req, 'not a VK method in the schema', true);
        throw new VkError(3, 'Unknown method passed');
      }
      const refusal = server.refusal(req);
      if (refusal) return refusal;
      if (params['v'] !== '5.199') server.violate(req, `v=${params['v'] ?? '(none)'}; Outpost speaks 5.199`, false);
      const user = userOf(params['access_token']);
      publishDue();
      const p = req.spec.body ?? {};
      return checked(method, { response: dispatch(method, p, user, req) }, p['extended'] === true);
    } catch (error) {
      if (!(error instanceof VkError)) throw error;
      return checked(method, errorBody(error, method, params));
    }
  }

  function userOf(token: string | undefined): FakeVkUser {
    const entry = token ? tokens.get(token) : undefined;
    if (!entry || (entry.expiresAt !== null && entry.expiresAt <= now())) throw new VkError(5);
    return users.find((u) => u.id === entry.userId)!;
  }

  function groupOf(id: unknown): FakeVkGroup {
    // An id, or a community's short address (groups.getById takes either).
    const group = groups.find((g) => g.id === Math.abs(Number(id)) || g.screenName === String(id));
    if (!group) throw new VkError(100, `${ERROR_TEXT[100]}: group_id is undefined`);
    return group;
  }

  function canPost(group: FakeVkGroup, user: FakeVkUser): void {
    const role = roles.get(`${group.id}/${user.id}`);
    if (role !== 'admin' && role !== 'editor') throw new VkError(214);
  }

  /** What VK's own clock does: postponed posts whose time has come go out (checked on every call). */
  function publishDue(): void {
    const seconds = Math.floor(now() / 1000);
    for (const post of posts) {
      if (!post.postponed || post.deleted || post.date > seconds) continue;
      post.postponed = false;
      if (options.postponed?.publishKeepsId) continue;
      post.postponedId = post.id;
      post.id = nextId++;
    }
  }

  /** publish_date must lie ahead (⚠ VK's docs say only "delayed until the set time"), at most a year. */
  function checkPublishDate(value: unknown): number | undefined {
    if (value === undefined) return undefined;
    const date = Number(value);
    const seconds = Math.floor(now() / 1000);
    if (date <= seconds || date > seconds + MAX_PUBLISH_AHEAD_S) throw new VkError(100, `${ERROR_TEXT[100]}: publish_date is invalid`);
    return date;
  }

  /** The attachments wall.post and wall.edit accept: uploaded photos and videos of this fake, and at most one link. */
  function checkAttachments(message: string, attachments: string[]): void {
    if (message === '' && attachments.length === 0) throw new VkError(100, `${ERROR_TEXT[100]}: message is empty or invalid`);
    if (attachments.filter((a) => /^https?:/.test(a)).length > 1) throw new VkError(100, `${ERROR_TEXT[100]}: more than one link`);
    for (const attachment of attachments) {
      if (/^https?:/.test(attachment)) continue;
      const m = /^(photo|video|poll)(-?\d+)_(\d+)$/.exec(attachment);
      const known = m && (m[1] === 'photo' ? photos : m[1] === 'video' ? videos : polls).some((x) => x.ownerId === Number(m[2]) && x.id === Number(m[3]));
      if (!known) throw new VkError(100, `${ERROR_TEXT[100]}: attachments is invalid`);
    }
  }

  function dispatch(method: string, p: Record<string, unknown>, user: FakeVkUser, req: FakeRequest): unknown {
    switch (method) {
      case 'users.get':
        return [{ id: user.id, first_name: user.firstName, last_name: user.lastName, can_access_closed: true, is_closed: false }];
      case 'groups.get': {
        const filter = (p['filter'] as string[] | undefined) ?? [];
        const mine = groups.filter((g) => {
          const role = roles.get(`${g.id}/${user.id}`);
          if (!role) return false;
          if (filter.includes('admin')) return role === 'admin';
          if (filter.includes('editor')) return role === 'admin' || role === 'editor';
          if (filter.includes('moder')) return role !== 'member';
          return true;
        });
        if (p['extended'] === true) return { count: mine.length, items: mine.map((g) => groupJson(g, user)) };
        return { count: mine.length, items: mine.map((g) => g.id) };
      }
      case 'groups.getById': {
        const ids = [...((p['group_ids'] as string[] | undefined) ?? []), ...(p['group_id'] !== undefined ? [String(p['group_id'])] : [])];
        return { groups: ids.map((id) => groupJson(groupOf(id), user)), profiles: [] };
      }
      case 'photos.getWallUploadServer': {
        const group = groupOf(p['group_id']);
        canPost(group, user);
        const key = randomBytes(8).toString('hex');
        uploads.set(key, { kind: 'photo', ownerId: -group.id });
        return { album_id: -14, upload_url: `${server.baseUrl}/upload/${key}`, user_id: user.id, group_id: group.id };
      }
      case 'photos.saveWallPhoto': {
        const group = groupOf(p['group_id']);
        canPost(group, user);
        const file = pendingUploads.get(String(p['photo']));
        if (!file || String(p['hash']) !== hashOf(String(p['photo']))) throw new VkError(100, `${ERROR_TEXT[100]}: photos_list is invalid`);
        pendingUploads.delete(String(p['photo']));
        const photo: FakeVkPhoto = { ownerId: -group.id, id: nextId++, file, caption: (p['caption'] as string | undefined) ?? '' };
        photos.push(photo);
        return [{ album_id: -14, date: Math.floor(now() / 1000), id: photo.id, owner_id: photo.ownerId, has_tags: false, text: photo.caption }];
      }
      case 'video.save': {
        const group = groupOf(p['group_id']);
        canPost(group, user);
        const key = randomBytes(8).toString('hex');
        const videoId = nextId++;
        uploads.set(key, { kind: 'video', ownerId: -group.id, videoId });
        videos.push({ ownerId: -group.id, id: videoId, file: undefined, name: String(p['name'] ?? '') });
        return { upload_url: `${server.baseUrl}/upload/${key}`, video_id: videoId, owner_id: -group.id, title: String(p['name'] ?? ''), access_key: 'k' };
      }
      case 'polls.create': {
        // A community's poll: owner_id is the group's negative id, and the user must be able to post there.
        const ownerId = Number(p['owner_id'] ?? user.id);
        if (ownerId < 0) canPost(groupOf(-ownerId), user);
        const question = String(p['question'] ?? '').trim();
        if (question === '') throw new VkError(100, `${ERROR_TEXT[100]}: question is undefined`);
        let answers: unknown;
        try {
          answers = JSON.parse(String(p['add_answers'] ?? ''));
        } catch {
          answers = undefined;
        }
        // "There can be from 1 to 10 answers" (polls.create, add_answers).
        if (!Array.isArray(answers) || answers.length < 1 || answers.length > 10 || !answers.every((a) => typeof a === 'string' && a.trim() !== '')) {
          throw new VkError(100, `${ERROR_TEXT[100]}: add_answers is invalid`);
        }
        const endDate = p['end_date'] === undefined ? 0 : Number(p['end_date']);
        if (endDate !== 0 && endDate <= Math.floor(now() / 1000)) throw new VkError(100, `${ERROR_TEXT[100]}: end_date is invalid`);
        const poll = { ownerId, id: nextId++, question, answers: answers as string[], multiple: p['is_multiple'] === true, anonymous: p['is_anonymous'] === true, endDate };
        polls.push(poll);
        return {
          id: poll.id, owner_id: ownerId, created: Math.floor(now() / 1000), question, votes: 0,
          answers: poll.answers.map((text, i) => ({ id: poll.id * 100 + i, rate: 0, text, votes: 0 })),
          anonymous: poll.anonymous, multiple: poll.multiple, end_date: endDate, closed: false, is_board: false,
          can_edit: true, can_vote: true, can_report: false, can_share: true, disable_unvote: false, author_id: user.id,
        };
      }
      case 'wall.post':
        return { post_id: wallPost(p, user) };
      case 'wall.edit': {
        const post = postOf(Number(p['owner_id']), Number(p['post_id']));
        canPost(groupOf(post.ownerId), user);
        // ⚠ wall.edit replaces the post: what is left out (text, attachments, options) is removed.
        const message = (p['message'] as string | undefined) ?? '';
        const attachments = (p['attachments'] as string[] | undefined) ?? [];
        checkAttachments(message, attachments);
        // publish_date counts only for a postponed post (dev.vk.com/method/wall.edit).
        const date = post.postponed ? checkPublishDate(p['publish_date']) : undefined;
        Object.assign(post, {
          text: message,
          attachments,
          signed: p['signed'] === true,
          markedAsAds: p['mark_as_ads'] === true,
          closeComments: p['close_comments'] === true,
          copyright: p['copyright'] as string | undefined,
          ...(date !== undefined ? { date } : {}),
        });
        return { post_id: post.id };
      }
      case 'wall.delete': {
        const post = postOf(Number(p['owner_id']), Number(p['post_id']));
        canPost(groupOf(post.ownerId), user);
        post.deleted = true;
        return 1;
      }
      case 'wall.get': {
        const domain = String(p['domain'] ?? '');
        const group = groups.find((g) => domain === `club${g.id}` || domain === g.screenName);
        if (!group) throw new VkError(100, `${ERROR_TEXT[100]}: domain is invalid`);
        const filter = (p['filter'] as string | undefined) ?? 'all';
        if (filter === 'postponed') canPost(group, user);
        const items = posts
          .filter((x) => x.ownerId === -group.id && !x.deleted && x.postponed === (filter === 'postponed'))
          .sort((a, b) => b.date - a.date);
        const offset = Number(p['offset'] ?? 0);
        // VK serves at most 100 per call.
        const count = Math.min(Number(p['count'] ?? 20), 100);
        return { count: items.length, items: items.slice(offset, offset + count).map(postJson) };
      }
      case 'wall.getById': {
        const wanted = (p['posts'] as Array<{ owner_id: number; post_id: number } | string>).map((x) => (typeof x === 'string' ? x : `${x.owner_id}_${x.post_id}`));
        const hidden = options.postponed?.hiddenFromGetById === true;
        return { items: posts.filter((x) => !x.deleted && !(hidden && x.postponed) && wanted.includes(`${x.ownerId}_${x.id}`)).map(postJson) };
      }
      case 'wall.createComment': {
        const post = postOf(Number(p['owner_id']), Number(p['post_id']));
        if (post.closeComments) throw new VkError(213, 'Access to status replies denied');
        const guid = p['guid'] as string | undefined;
        const fromGroup = p['from_group'] !== undefined ? Number(p['from_group']) : undefined;
        if (fromGroup !== undefined) canPost(groupOf(fromGroup), user);
        const key = guid ? `comment:${guid}` : undefined;
        const earlier = key ? post.comments.find((c) => (c as { guid?: string }).guid === key) : undefined;
        if (earlier) return { comment_id: earlier.id };
        const comment = { id: nextId++, text: String(p['message'] ?? ''), fromGroup, guid: key };
        post.comments.push(comment);
        return { comment_id: comment.id };
      }
      default:
        server.violate(req, `the VK fake has no ${method}`, true);
        throw new VkError(3, 'Unknown method passed');
    }
  }

  function wallPost(p: Record<string, unknown>, user: FakeVkUser): number {
    const ownerId = Number(p['owner_id'] ?? user.id);
    if (ownerId >= 0) throw new VkError(214);
    const group = groupOf(ownerId);
    canPost(group, user);
    const message = (p['message'] as string | undefined) ?? '';
    const attachments = (p['attachments'] as string[] | undefined) ?? [];
    checkAttachments(message, attachments);
    const guid = p['guid'] as string | undefined;
    // VK keeps one post per guid on a wall: a repeat answers the post it already made (postponed, or out by now).
    const earlier = guid ? posts.find((x) => x.ownerId === ownerId && x.guid === guid) : undefined;
    if (earlier) return earlier.id;
    const publishDate = checkPublishDate(p['publish_date']);
    const post: FakeVkPost = {
      ownerId,
      id: nextId++,
      text: message,
      attachments,
      date: publishDate ?? Math.floor(now() / 1000),
      postponed: publishDate !== undefined,
      deleted: false,
      guid,
      postponedId: undefined,
      fromGroup: p['from_group'] === true,
      signed: p['signed'] === true,
      markedAsAds: p['mark_as_ads'] === true,
      closeComments: p['close_comments'] === true,
      copyright: p['copyright'] as string | undefined,
      comments: [],
    };
    posts.push(post);
    return post.id;
  }

  function postOf(ownerId: number, id: number): FakeVkPost {
    const post = posts.find((x) => x.ownerId === ownerId && x.id === id && !x.deleted);
    if (!post) throw new VkError(100, `${ERROR_TEXT[100]}: post_id is undefined`);
    return post;
  }

  function postJson(post: FakeVkPost) {
    return {
      id: post.id,
      owner_id: post.ownerId,
      from_id: post.fromGroup ? post.ownerId : users[0]?.id ?? 0,
      date: post.date,
      text: post.text,
      post_type: post.postponed ? 'postpone' : 'post',
      marked_as_ads: post.markedAsAds ? 1 : 0,
      // The counters a published post carries (wall_wallpost: base_likes_info, base_reposts_info, base_comments_info, wall_views).
      ...(post.postponed
        ? {}
        : {
            likes: { can_like: 1, count: post.likes ?? 0, user_likes: 0 },
            reposts: { count: post.reposts ?? 0 },
            comments: { count: post.comments.length, can_post: post.closeComments ? 0 : 1 },
            views: { count: post.views ?? 0 },
          }),
      // ⚠ Not in the copied schema (objects allow more): VK's post object and Callback API carry it.
      ...(post.postponedId !== undefined ? { postponed_id: post.postponedId } : {}),
    };
  }

  function groupJson(group: FakeVkGroup, user: FakeVkUser) {
    const role = roles.get(`${group.id}/${user.id}`);
    const level = role === 'admin' ? 3 : role === 'editor' ? 2 : role === 'moderator' ? 1 : 0;
    // VK sends admin_level only to a community's managers (the schema's enum is 1–3).
    return { id: group.id, name: group.name, screen_name: group.screenName, type: 'page', is_closed: 0, is_admin: level > 0 ? 1 : 0, ...(level > 0 ? { admin_level: level } : {}), photo_100: `${server.baseUrl}/g${group.id}.png` };
  }

  function hashOf(photo: string): string {
    return createHash('md5').update(photo).digest('hex');
  }

  function receiveUpload(key: string, req: FakeRequest): FakeResponse {
    const upload = uploads.get(key);
    if (!upload) return { status: 404, text: 'Not Found' };
    uploads.delete(key);
    if (upload.kind === 'photo') {
      const file = fileOf(req.body, 'photo');
      // The real upload server answers an empty list for a missing or unreadable file.
      if (!file || !file.contentType?.startsWith('image/')) return { status: 200, json: { server: 1, photo: '[]', hash: '' } };
      const photo = JSON.stringify([{ photo: randomBytes(6).toString('hex'), sizes: [] }]);
      pendingUploads.set(photo, file);
      return { status: 200, json: { server: 856312, photo, hash: hashOf(photo) } };
    }
    const file = fileOf(req.body, 'video_file');
    if (!file) return { status: 200, json: { error: 'no file' } };
    const video = videos.find((v) => v.id === upload.videoId)!;
    video.file = file;
    return { status: 200, json: { size: file.bytes.length, owner_id: upload.ownerId, video_id: video.id, video_hash: 'h' } };
  }

  // ---- VK ID (OAuth 2.1 with PKCE) ------------------------------------------------------------

  function authorize(req: FakeRequest): FakeResponse {
    const q = req.query;
    const app = apps.find((a) => a.appId === q.get('client_id'));
    const redirectUri = q.get('redirect_uri') ?? '';
    if (!app || !redirectAllowed(app, redirectUri)) return { status: 400, text: 'invalid client_id or redirect_uri' };
    if (q.get('response_type') !== 'code' || q.get('code_challenge_method') !== 's256' || !q.get('code_challenge') || !q.get('state')) {
      server.violate(req, 'VK ID needs response_type=code, state, code_challenge and code_challenge_method=s256', true);
      return { status: 400, text: 'invalid request' };
    }
    const target = new URL(redirectUri);
    target.searchParams.set('state', q.get('state')!);
    if (!signedIn) {
      target.searchParams.set('error', 'access_denied');
      return { status: 302, headers: { location: target.toString() } };
    }
    const code = randomBytes(16).toString('hex');
    const deviceId = randomBytes(8).toString('hex');
    codes.set(code, { userId: signedIn.id, appId: app.appId, challenge: q.get('code_challenge')!, redirectUri, deviceId });
    target.searchParams.set('code', code);
    target.searchParams.set('device_id', deviceId);
    target.searchParams.set('type', 'code_v2');
    return { status: 302, headers: { location: target.toString() } };
  }

  function redirectAllowed(app: VkApp, uri: string): boolean {
    return app.redirectUris.some((registered) => registered === uri || (registered.startsWith('http://127.0.0.1') && /^http:\/\/127\.0\.0\.1:\d+\/callback$/.test(uri)));
  }

  function tokenEndpoint(req: FakeRequest): FakeResponse {
    const f = Object.fromEntries(req.body.fields);
    const refuse = (error: string, description: string) => ({ status: 400, json: { error, error_description: description, state: f['state'] } });
    if (req.method !== 'POST' || req.body.type !== 'urlencoded') return refuse('invalid_request', 'POST form expected');
    if (!f['state'] || !f['device_id'] || !f['client_id']) return refuse('invalid_request', 'state, device_id and client_id are required');
    let userId: number;
    if (f['grant_type'] === 'authorization_code') {
      const pending = codes.get(f['code'] ?? '');
      codes.delete(f['code'] ?? '');
      if (!pending || pending.appId !== f['client_id'] || pending.deviceId !== f['device_id']) return refuse('invalid_grant', 'code is invalid or expired');
      if (pending.redirectUri !== f['redirect_uri']) return refuse('invalid_grant', 'redirect_uri mismatch');
      const challenge = createHash('sha256').update(f['code_verifier'] ?? '').digest('base64url');
      if (challenge !== pending.challenge) {
        server.violate(req, 'the PKCE verifier does not match the challenge', true);
        return refuse('invalid_grant', 'code_verifier is invalid');
      }
      userId = pending.userId;
    } else if (f['grant_type'] === 'refresh_token') {
      const refresh = refreshTokens.get(f['refresh_token'] ?? '');
      if (!refresh || refresh.appId !== f['client_id'] || refresh.deviceId !== f['device_id']) return refuse('invalid_grant', 'refresh_token is invalid');
      // Refresh tokens rotate: the old one is spent.
      refreshTokens.delete(f['refresh_token']!);
      userId = refresh.userId;
    } else {
      return refuse('unsupported_grant_type', 'grant_type is not supported');
    }
    const accessToken = `vk2.a.${randomBytes(24).toString('base64url')}`;
    const refreshToken = `vk2.r.${randomBytes(24).toString('base64url')}`;
    tokens.set(accessToken, { userId, expiresAt: now() + 3600_000 });
    refreshTokens.set(refreshToken, { userId, appId: f['client_id'], deviceId: f['device_id'] });
    return {
      status: 200,
      json: { access_token: accessToken, refresh_token: refreshToken, token_type: 'Bearer', expires_in: 3600, user_id: userId, state: f['state'], scope: 'wall photos video groups' },
    };
  }

  return {
    baseUrl: server.baseUrl,
    server,
    posts,
    photos,
    videos,
    polls,
    addUser(user = {}) {
      const created: FakeVkUser = { id: nextId++, firstName: user.firstName ?? 'Anna', lastName: user.lastName ?? 'Petrova', token: `vk1.a.${randomBytes(24).toString('base64url')}` };
      users.push(created);
      tokens.set(created.token, { userId: created.id, expiresAt: null });
      return created;
    },
    addGroup(group = {}) {
      const id = nextId++;
      const created: FakeVkGroup = { id, name: group.name ?? `Community ${id}`, screenName: group.screenName ?? `club${id}` };
      groups.push(created);
      return created;
    },
    setRole(group, user, role) {
      roles.set(`${group.id}/${user.id}`, role);
    },
    addApp(app = {}) {
      const created: VkApp = { appId: app.appId ?? String(51000000 + nextId++), redirectUris: app.redirectUris ?? ['http://127.0.0.1/callback'] };
      apps.push(created);
      return created;
    },
    signInAs(user) {
      signedIn = user;
    },
    implicitRedirect(user, app) {
      const token = `vk1.a.${randomBytes(24).toString('base64url')}`;
      tokens.set(token, { userId: user.id, expiresAt: null });
      return `https://oauth.vk.com/blank.html#access_token=${token}&expires_in=0&user_id=${user.id}&client_id=${app.appId}`;
    },
    revoke(user) {
      for (const [token, entry] of tokens) if (entry.userId === user.id) tokens.delete(token);
    },
    livePosts(group) {
      publishDue();
      return posts.filter((p) => p.ownerId === -group.id && !p.deleted);
    },
    failNext(fault, opts = {}) {
      const match = (req: FakeRequest) => opts.method === undefined || methodOf(req) === opts.method;
      const after = opts.afterHandling ?? false;
      const kitFault: Fault =
        'error' in fault
          ? { kind: 'respond', response: checked(opts.method ?? 'wall.post', errorBody(new VkError(fault.error, fault.message), opts.method ?? 'unknown', {})), afterHandling: after }
          : 'lose' in fault
            ? { kind: 'reset', afterHandling: true }
            : 'status' in fault
              ? server.fault({ kind: 'server_error', status: fault.status }, after)
              : { kind: 'hang', afterHandling: after };
      server.faults.next(kitFault, opts.count ?? 1, match);
    },
    methods: () => server.requests.map((r) => methodOf(r)).filter((m): m is string => m !== undefined),
    get violations() {
      return server.violations;
    },
    close: () => server.close(),
  };
}

