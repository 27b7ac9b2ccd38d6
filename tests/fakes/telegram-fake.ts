import { randomBytes } from 'node:crypto';
import {
  startFakeServer,
  type FakeRequest,
  type FakeResponse,
  type FakeServer,
  type Fault,
  type RequestMatcher,
  type UploadedFile,
} from './fake-server';

/**
 * A loopback Telegram Bot API (shared/networks/CONTRACTS.md §2) for channel posting:
 * getMe, getChat, getChatMember, sendMessage, sendPhoto, sendMediaGroup, deleteMessage(s).
 * It checks what the real server checks (token, required fields, chat, admin rights, lengths in
 * code points, album size, photo parts, the 48 h delete window) and answers the documented
 * shapes, so a connector bug fails a test instead of passing against a lenient mock.
 *
 *   const tg = await startTelegramFake({ now: () => clock });
 *   const bot = tg.addBot();                        // bot.token is valid until tg.revokeToken()
 *   const channel = tg.addChannel({ username: 'outpost_news' });
 *   tg.setMember(channel, bot, { status: 'administrator', canPostMessages: true });
 *   tg.failNext({ kind: 'rate_limited', retryAfter: 7 }, { method: 'sendMessage' });
 *   tg.messages                                     // everything "published", deleted ones flagged
 */

export interface FakeBot {
  token: string;
  id: number;
  username: string;
  firstName: string;
}

export interface FakeChannel {
  id: number;
  title: string;
  /** Public channels have one; private ones are reached by id only. */
  username: string | undefined;
  type: 'channel' | 'supergroup' | 'group';
}

export type MemberStatus = 'creator' | 'administrator' | 'member' | 'left' | 'kicked';

export interface FakeMembership {
  status: MemberStatus;
  canPostMessages?: boolean;
  canDeleteMessages?: boolean;
}

export interface PublishedMessage {
  chatId: number;
  messageId: number;
  /** Unix seconds, as in the Message object. */
  date: number;
  /** The fake clock's ms at sending; the delete window is measured from here. */
  sentAt: number;
  method: 'sendMessage' | 'sendPhoto' | 'sendMediaGroup';
  text?: string;
  caption?: string;
  photo?: UploadedFile;
  mediaGroupId?: string;
  linkPreviewOptions?: Record<string, unknown>;
  deleted: boolean;
}

/** One request as the fake understood it (fields from the query, JSON, form or multipart merged). */
export interface TelegramCall {
  method: string;
  token: string;
  params: Record<string, unknown>;
  files: Record<string, UploadedFile>;
  fault: Fault | undefined;
}

export type TelegramFault =
  | { kind: 'rate_limited'; retryAfter: number }
  /** 500 answers the Bot API's JSON; 502 answers nginx's HTML page, as the real front does. */
  | { kind: 'server_error'; status: 500 | 502 }
  | { kind: 'hang' }
  | { kind: 'reset' };

export interface FaultOptions {
  /** Only calls of this Bot API method (default: every call). */
  method?: string;
  /** Do the work (publish) first, then fail: the client never learns it succeeded. */
  afterHandling?: boolean;
}

export interface TelegramFakeOptions {
  /** The clock for message dates and the 48 h delete window (default Date.now). */
  now?: () => number;
}

export interface TelegramFake {
  baseUrl: string;
  /** The underlying server (raw requests, generic faults). */
  server: FakeServer;
  calls(): TelegramCall[];
  messages: PublishedMessage[];
  /** Messages not deleted, in a chat. */
  liveMessages(chat: FakeChannel): PublishedMessage[];
  addBot(bot?: Partial<Omit<FakeBot, 'id'>>): FakeBot;
  addChannel(channel?: Partial<Omit<FakeChannel, 'id'>> & { id?: number }): FakeChannel;
  setMember(channel: FakeChannel, bot: FakeBot, membership: FakeMembership): void;
  /** The token stops working (BotFather "revoke"): every call answers 401. */
  revokeToken(token: string): void;
  failNext(fault: TelegramFault, options?: FaultOptions & { count?: number }): void;
  failRatio(fault: TelegramFault, ratio: number, seed: number, options?: FaultOptions): void;
  close(): Promise<void>;
}

const DELETE_WINDOW_MS = 48 * 60 * 60 * 1000;
const MAX_TEXT = 4096;
const MAX_CAPTION = 1024;
const MAX_PHOTO_BYTES = 10 * 1024 * 1024;
const TOKEN_SHAPE = /^\d+:[A-Za-z0-9_-]+$/;
const PATH_SHAPE = /^\/bot([^/]+)\/([A-Za-z]+)$/;

class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly description: string,
  ) {
    super(description);
  }
}

const badRequest = (what: string) => new ApiError(400, `Bad Request: ${what}`);
const codePoints = (text: string) => [...text].length;

export async function startTelegramFake(options: TelegramFakeOptions = {}): Promise<TelegramFake> {
  const now = options.now ?? Date.now;
  const bots = new Map<string, FakeBot>();
  const revoked = new Set<string>();
  const channels: FakeChannel[] = [];
  const members = new Map<string, FakeMembership>();
  const messages: PublishedMessage[] = [];
  const fileIds = new Map<string, UploadedFile>();
  const nextMessageId = new Map<number, number>();
  let nextBotId = 7000001;
  let nextChannelId = 1001;
  let nextGroupId = 1;

  const server = await startFakeServer(handle);

  function handle(req: FakeRequest): FakeResponse {
    try {
      return { status: 200, json: { ok: true, result: dispatch(req) } };
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      return { status: error.code, json: { ok: false, error_code: error.code, description: error.description } };
    }
  }

  function dispatch(req: FakeRequest): unknown {
    const path = PATH_SHAPE.exec(req.path);
    if (!path || (req.method !== 'GET' && req.method !== 'POST')) throw new ApiError(404, 'Not Found');
    const token = decodeURIComponent(path[1]!);
    if (!TOKEN_SHAPE.test(token)) throw new ApiError(404, 'Not Found');
    const bot = bots.get(token);
    if (!bot || revoked.has(token)) throw new ApiError(401, 'Unauthorized');
    if (req.body.type === 'malformed' || req.body.type === 'other') throw badRequest('wrong request body format');
    const call = new Call(bot, readParams(req), readFiles(req));
    switch (path[2]) {
      case 'getMe':
        return userOf(bot);
      case 'getChat':
        return getChat(call);
      case 'getChatMember':
        return getChatMember(call);
      case 'sendMessage':
        return sendMessage(call);
      case 'sendPhoto':
        return sendPhoto(call);
      case 'sendMediaGroup':
        return sendMediaGroup(call);
      case 'deleteMessage':
        return deleteMessages(call, [call.integer('message_id')], true);
      case 'deleteMessages':
        return deleteMessages(call, call.integerArray('message_ids', 1, 100), false);
      default:
        throw new ApiError(404, 'Not Found');
    }
  }

  /** Parameters of one call, read the way the Bot API reads them (strings or JSON values). */
  class Call {
    constructor(
      readonly bot: FakeBot,
      readonly params: Record<string, unknown>,
      readonly files: Record<string, UploadedFile>,
    ) {}

    has(name: string): boolean {
      return this.params[name] !== undefined && this.params[name] !== '';
    }

    string(name: string, required: true): string;
    string(name: string, required?: false): string | undefined;
    string(name: string, required = false): string | undefined {
      const value = this.params[name];
      if (value === undefined || value === '') {
        if (required) throw badRequest(`${name} is empty`);
        return undefined;
      }
      if (typeof value === 'object') throw badRequest(`can't parse ${name} as a string`);
      return String(value);
    }

    integer(name: string): number {
      const value = this.string(name, true);
      if (!/^-?\d+$/.test(value)) throw badRequest(`invalid ${name} specified`);
      return Number(value);
    }

    json(name: string): unknown {
      const value = this.params[name];
      if (typeof value !== 'string') return value;
      try {
        return JSON.parse(value);
      } catch {
        throw badRequest(`can't parse ${name} JSON object`);
      }
    }

    integerArray(name: string, min: number, max: number): number[] {
      if (!this.has(name)) throw badRequest(`parameter "${name}" is required`);
      const value = this.json(name);
      if (!Array.isArray(value) || !value.every((v) => Number.isInteger(v))) throw badRequest(`expected an Array of ${name}`);
      if (value.length < min || value.length > max) throw badRequest(`${name} must contain ${min}-${max} identifiers`);
      return value as number[];
    }

    /** The chat the bot may see; private channels only once the bot is in them. */
    chat(): FakeChannel {
      const id = this.string('chat_id', true);
      const chat = id.startsWith('@')
        ? channels.find((c) => c.username?.toLowerCase() === id.slice(1).toLowerCase())
        : /^-?\d+$/.test(id)
          ? channels.find((c) => c.id === Number(id))
          : undefined;
      if (!chat) throw badRequest('chat not found');
      if (chat.username === undefined && !isIn(membership(chat, this.bot).status)) throw badRequest('chat not found');
      return chat;
    }

    /** A chat the bot may post to, or the error Telegram gives. */
    postableChat(): FakeChannel {
      const chat = this.chat();
      const member = membership(chat, this.bot);
      if (member.status === 'kicked') throw new ApiError(403, `Forbidden: bot was kicked from the ${chat.type} chat`);
      if (!isIn(member.status)) throw new ApiError(403, `Forbidden: bot is not a member of the ${chat.type} chat`);
      if (chat.type === 'channel' && member.status === 'administrator' && !member.canPostMessages) {
        throw badRequest('need administrator rights in the channel chat');
      }
      if (chat.type === 'channel' && member.status === 'member') {
        throw badRequest('need administrator rights in the channel chat');
      }
      return chat;
    }
  }

  function readParams(req: FakeRequest): Record<string, unknown> {
    const params: Record<string, unknown> = Object.fromEntries(req.query);
    if (req.body.type === 'json') {
      if (typeof req.body.json !== 'object' || req.body.json === null || Array.isArray(req.body.json)) {
        throw badRequest('JSON body must be an object');
      }
      Object.assign(params, req.body.json);
    }
    for (const [name, value] of req.body.fields) params[name] = value;
    return params;
  }

  function readFiles(req: FakeRequest): Record<string, UploadedFile> {
    return Object.fromEntries(req.body.files);
  }

  function membership(chat: FakeChannel, bot: FakeBot): FakeMembership {
    return members.get(`${chat.id}/${bot.id}`) ?? { status: 'left' };
  }

  function isIn(status: MemberStatus): boolean {
    return status === 'creator' || status === 'administrator' || status === 'member';
  }

  function userOf(bot: FakeBot) {
    return { id: bot.id, is_bot: true, first_name: bot.firstName, username: bot.username };
  }

  function chatOf(chat: FakeChannel) {
    return { id: chat.id, type: chat.type, title: chat.title, ...(chat.username ? { username: chat.username } : {}) };
  }

  function getChat(call: Call) {
    const chat = call.chat();
    return { ...chatOf(chat), accent_color_id: 0, max_reaction_count: 11, accepted_gift_types: {} };
  }

  function getChatMember(call: Call) {
    const chat = call.chat();
    const userId = call.integer('user_id');
    const bot = [...bots.values()].find((b) => b.id === userId);
    if (!bot) throw badRequest('user not found');
    const member = membership(chat, bot);
    const user = userOf(bot);
    if (member.status !== 'administrator') return { status: member.status, user, ...(member.status === 'creator' ? { is_anonymous: false } : {}) };
    return {
      status: 'administrator',
      user,
      can_be_edited: false,
      is_anonymous: false,
      can_manage_chat: true,
      can_delete_messages: member.canDeleteMessages ?? false,
      can_manage_video_chats: false,
      can_restrict_members: false,
      can_promote_members: false,
      can_change_info: false,
      can_invite_users: false,
      can_post_stories: false,
      can_edit_stories: false,
      can_delete_stories: false,
      can_post_messages: member.canPostMessages ?? false,
      can_edit_messages: false,
    };
  }

  function publish(chat: FakeChannel, method: PublishedMessage['method'], content: Partial<PublishedMessage>): PublishedMessage {
    const messageId = nextMessageId.get(chat.id) ?? 1;
    nextMessageId.set(chat.id, messageId + 1);
    const sentAt = now();
    const message: PublishedMessage = { chatId: chat.id, messageId, date: Math.floor(sentAt / 1000), sentAt, method, deleted: false, ...content };
    messages.push(message);
    return message;
  }

  function messageOf(chat: FakeChannel, message: PublishedMessage) {
    const photo = message.photo ? photoSizes(message.photo) : undefined;
    return {
      message_id: message.messageId,
      sender_chat: chatOf(chat),
      chat: chatOf(chat),
      date: message.date,
      ...(message.text !== undefined ? { text: message.text } : {}),
      ...(message.linkPreviewOptions ? { link_preview_options: message.linkPreviewOptions } : {}),
      ...(photo ? { photo } : {}),
      ...(message.caption ? { caption: message.caption } : {}),
      ...(message.mediaGroupId ? { media_group_id: message.mediaGroupId } : {}),
    };
  }

  function photoSizes(file: UploadedFile) {
    const fileId = `AgAC${randomBytes(12).toString('base64url')}`;
    fileIds.set(fileId, file);
    const { width, height } = imageSize(file.bytes);
    const thumbScale = Math.min(1, 90 / Math.max(width, height));
    return [
      { file_id: `${fileId}_s`, file_unique_id: `${fileId.slice(4, 12)}s`, width: Math.round(width * thumbScale), height: Math.round(height * thumbScale), file_size: Math.min(file.bytes.length, 2048) },
      { file_id: fileId, file_unique_id: fileId.slice(4, 12), width, height, file_size: file.bytes.length },
    ];
  }

  function checkText(text: string | undefined): string {
    const trimmed = (text ?? '').trim();
    if (trimmed === '') throw badRequest('message text is empty');
    if (codePoints(trimmed) > MAX_TEXT) throw badRequest('message is too long');
    return trimmed;
  }

  function checkCaption(caption: string | undefined): string | undefined {
    const trimmed = caption?.trim();
    if (trimmed && codePoints(trimmed) > MAX_CAPTION) throw badRequest('message caption is too long');
    return trimmed || undefined;
  }

  /** A photo is a file part with an image content type, or a file_id this fake handed out. */
  function checkPhoto(call: Call, reference: unknown, partName?: string): UploadedFile {
    let file: UploadedFile | undefined;
    if (reference !== undefined && typeof reference !== 'string') {
      throw badRequest('wrong file identifier/HTTP URL specified');
    } else if (typeof reference === 'string' && reference.startsWith('attach://')) {
      file = call.files[reference.slice('attach://'.length)];
      if (!file) throw badRequest(`can't find attached file "${reference}"`);
    } else if (typeof reference === 'string' && reference !== '') {
      if (/^https?:\/\//.test(reference)) throw badRequest('failed to get HTTP URL content');
      file = fileIds.get(reference);
      if (!file) throw badRequest('wrong remote file identifier specified: Wrong string length');
    } else {
      file = partName === undefined ? undefined : call.files[partName];
      if (!file) throw badRequest(`there is no ${partName ?? 'media'} in the request`);
    }
    if (file.bytes.length === 0) throw badRequest('file must be non-empty');
    if (file.bytes.length > MAX_PHOTO_BYTES) throw badRequest('file is too big');
    if (!file.contentType?.toLowerCase().startsWith('image/')) throw badRequest('IMAGE_PROCESS_FAILED');
    return file;
  }

  function sendMessage(call: Call) {
    const chat = call.postableChat();
    const text = checkText(call.string('text'));
    const preview = call.has('link_preview_options') ? call.json('link_preview_options') : undefined;
    if (preview !== undefined && (typeof preview !== 'object' || preview === null || Array.isArray(preview))) {
      throw badRequest("can't parse link preview options JSON object");
    }
    const message = publish(chat, 'sendMessage', { text, ...(preview ? { linkPreviewOptions: preview as Record<string, unknown> } : {}) });
    return messageOf(chat, message);
  }

  function sendPhoto(call: Call) {
    const chat = call.postableChat();
    const photo = checkPhoto(call, call.params['photo'], 'photo');
    const caption = checkCaption(call.string('caption'));
    return messageOf(chat, publish(chat, 'sendPhoto', { photo, ...(caption ? { caption } : {}) }));
  }

  function sendMediaGroup(call: Call) {
    const chat = call.postableChat();
    if (!call.has('media')) throw badRequest('parameter "media" is required');
    const media = call.json('media');
    if (!Array.isArray(media)) throw badRequest('media is not an array');
    if (media.length < 2 || media.length > 10) throw badRequest('media group must include 2-10 items');
    // Check every item before publishing any: an album goes out whole or not at all.
    const items = media.map((raw: unknown) => {
      if (typeof raw !== 'object' || raw === null) throw badRequest('InputMedia must be an Object');
      const item = raw as Record<string, unknown>;
      if (item['type'] !== 'photo') throw badRequest(`unsupported media type "${String(item['type'])}" in the album`);
      if (item['caption'] !== undefined && typeof item['caption'] !== 'string') throw badRequest("can't parse caption");
      const photo = checkPhoto(call, item['media']);
      return { photo, caption: checkCaption(item['caption'] as string | undefined) };
    });
    const mediaGroupId = String(13000000000000000 + nextGroupId++);
    return items.map(({ photo, caption }) => messageOf(chat, publish(chat, 'sendMediaGroup', { photo, mediaGroupId, ...(caption ? { caption } : {}) })));
  }

  function deleteMessages(call: Call, ids: number[], single: boolean) {
    const chat = call.chat();
    const member = membership(chat, call.bot);
    if (!isIn(member.status)) throw new ApiError(403, `Forbidden: bot is not a member of the ${chat.type} chat`);
    const found = ids.map((id) => messages.find((m) => m.chatId === chat.id && m.messageId === id && !m.deleted));
    if (single && !found[0]) throw badRequest('message to delete not found');
    const canDelete = (m: PublishedMessage) =>
      now() - m.sentAt < DELETE_WINDOW_MS &&
      (member.status === 'creator' || (member.status === 'administrator' && (member.canPostMessages || member.canDeleteMessages)));
    // Missing ids are skipped (documented for deleteMessages); one undeletable message refuses the whole call.
    const present = found.filter((m): m is PublishedMessage => m !== undefined);
    if (present.some((m) => !canDelete(m))) throw badRequest("message can't be deleted");
    for (const m of present) m.deleted = true;
    return true;
  }

  function telegramFault(fault: TelegramFault, afterHandling: boolean): Fault {
    switch (fault.kind) {
      case 'rate_limited':
        return {
          kind: 'respond',
          afterHandling,
          response: {
            status: 429,
            json: { ok: false, error_code: 429, description: `Too Many Requests: retry after ${fault.retryAfter}`, parameters: { retry_after: fault.retryAfter } },
          },
        };
      case 'server_error':
        return fault.status === 500
          ? { kind: 'respond', afterHandling, response: { status: 500, json: { ok: false, error_code: 500, description: 'Internal Server Error' } } }
          : { kind: 'respond', afterHandling, response: { status: 502, text: '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n', headers: { 'content-type': 'text/html' } } };
      case 'hang':
      case 'reset':
        return { kind: fault.kind, afterHandling };
    }
  }

  const methodOf = (req: FakeRequest) => PATH_SHAPE.exec(req.path)?.[2];
  const matcher = (method: string | undefined): RequestMatcher | undefined => (method ? (req) => methodOf(req) === method : undefined);

  return {
    baseUrl: server.baseUrl,
    server,
    messages,
    calls: () =>
      server.requests.flatMap((req) => {
        const path = PATH_SHAPE.exec(req.path);
        if (!path) return [];
        let params: Record<string, unknown>;
        try {
          params = readParams(req);
        } catch {
          params = {};
        }
        return [{ method: path[2]!, token: decodeURIComponent(path[1]!), params, files: readFiles(req), fault: req.fault }];
      }),
    liveMessages: (chat) => messages.filter((m) => m.chatId === chat.id && !m.deleted),
    addBot(bot = {}) {
      const id = nextBotId++;
      const created: FakeBot = {
        token: bot.token ?? `${id}:AA${randomBytes(24).toString('base64url')}`,
        id,
        username: bot.username ?? `outpost_test_${id}_bot`,
        firstName: bot.firstName ?? 'Outpost test bot',
      };
      bots.set(created.token, created);
      return created;
    },
    addChannel(channel = {}) {
      const created: FakeChannel = {
        id: channel.id ?? -(1000000000000 + nextChannelId++),
        title: channel.title ?? 'Test channel',
        username: channel.username,
        type: channel.type ?? 'channel',
      };
      channels.push(created);
      return created;
    },
    setMember(channel, bot, membership) {
      members.set(`${channel.id}/${bot.id}`, membership);
    },
    revokeToken(token) {
      revoked.add(token);
    },
    failNext(fault, { count = 1, method, afterHandling = false } = {}) {
      server.faults.next(telegramFault(fault, afterHandling), count, matcher(method));
    },
    failRatio(fault, ratio, seed, { method, afterHandling = false } = {}) {
      server.faults.ratio(telegramFault(fault, afterHandling), ratio, seed, matcher(method));
    },
    close: () => server.close(),
  };
}

/** Width and height from a PNG or JPEG header; anything else is reported as 1280×1280. */
function imageSize(bytes: Buffer): { width: number; height: number } {
  if (bytes.length >= 24 && bytes.readUInt32BE(0) === 0x89504e47) {
    return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
  }
  if (bytes.length > 4 && bytes[0] === 0xff && bytes[1] === 0xd8) {
    let offset = 2;
    while (offset + 9 < bytes.length && bytes[offset] === 0xff) {
      const marker = bytes[offset + 1]!;
      const length = bytes.readUInt16BE(offset + 2);
      if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
        return { width: bytes.readUInt16BE(offset + 7), height: bytes.readUInt16BE(offset + 5) };
      }
      offset += 2 + length;
    }
  }
  return { width: 1280, height: 1280 };
}
