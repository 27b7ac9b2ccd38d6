import { randomBytes } from 'node:crypto';
import {
  startFakeServer,
  type FakeRequest,
  type FakeResponse,
  type FakeServer,
  type Fault,
  type NetworkAnswers,
  type RequestMatcher,
  type UploadedFile,
} from './fake-server';
import { telegramSpec } from './validate/telegram-spec';

/**
 * A loopback Telegram Bot API (shared/networks/CONTRACTS.md §2) for channel posting:
 * getMe, getChat, getChatMember, sendMessage, sendPhoto, sendVideo, sendMediaGroup (photos and
 * videos), deleteMessage(s), and a channel's discussion group: a post in a channel with a linked
 * group is forwarded there automatically (is_automatic_forward), and a bot in the group sees that
 * copy through getUpdates and may reply to it (the post's comments). A video's thumbnail outside Telegram's limits (JPEG, ≤ 320 px a side,
 * < 200 kB) is a violation: Telegram would quietly drop it.
 * Every call's parameters are checked by name, type and required against the Bot API spec
 * (specs/telegram-bot-api.json); on top of that it checks what the spec cannot say (token, chat,
 * admin rights, lengths in code points, album size, photo parts, the 48 h delete window) and
 * answers the documented shapes, so a connector bug fails a test instead of passing against a
 * lenient mock. `violations` lists what a correct client would never send; close() throws when one
 * went unanswered (an unknown parameter Telegram would ignore).
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
  /** A channel's discussion group (getChat linked_chat_id), where its posts are forwarded and commented. */
  linkedChatId?: number;
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
  method: 'sendMessage' | 'sendPhoto' | 'sendVideo' | 'sendMediaGroup' | 'sendPoll';
  text?: string;
  caption?: string;
  photo?: UploadedFile;
  video?: SentVideo;
  mediaGroupId?: string;
  linkPreviewOptions?: Record<string, unknown>;
  poll?: { question: string; options: string[]; multiple: boolean; openPeriod: number | undefined };
  /** In a discussion group: the channel post this message is Telegram's automatic copy of. */
  forwardOf?: { chatId: number; messageId: number };
  /** A reply (a comment, in a discussion group): the message it answers. */
  replyTo?: number;
  deleted: boolean;
}

/** A video as sent: the file, the fields the bot gave, its thumbnail and cover parts. */
export interface SentVideo {
  file: UploadedFile;
  width: number | undefined;
  height: number | undefined;
  duration: number | undefined;
  supportsStreaming: boolean;
  thumbnail: UploadedFile | undefined;
  cover: UploadedFile | undefined;
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
  /** Links a supergroup to a channel as its discussion group: the channel's posts are forwarded there from now on. */
  linkDiscussion(channel: FakeChannel, group: FakeChannel): void;
  /** The bot's updates go to a webhook: getUpdates answers 409, as Telegram does. */
  setWebhook(bot: FakeBot): void;
  /** People talking in a group: `count` plain messages, each an update for the bots in it. */
  chatter(group: FakeChannel, count: number): void;
  /** The token stops working (BotFather "revoke"): every call answers 401. */
  revokeToken(token: string): void;
  failNext(fault: TelegramFault, options?: FaultOptions & { count?: number }): void;
  failRatio(fault: TelegramFault, ratio: number, seed: number, options?: FaultOptions): void;
  /** `<method>: <what>` for every call that broke the Bot API spec or its rules. */
  readonly violations: string[];
  close(): Promise<void>;
}

const DELETE_WINDOW_MS = 48 * 60 * 60 * 1000;
const MAX_TEXT = 4096;
const MAX_CAPTION = 1024;
const MAX_PHOTO_BYTES = 10 * 1024 * 1024;
/** Bots upload at most 50 MB (sendVideo); larger bodies meet the front's 413. */
const MAX_VIDEO_BYTES = 50 * 1024 * 1024;
const MAX_THUMBNAIL_BYTES = 200 * 1024;
const MAX_THUMBNAIL_SIDE = 320;
const TOKEN_SHAPE = /^\d+:[A-Za-z0-9_-]+$/;
const PATH_SHAPE = /^\/bot([^/]+)\/([A-Za-z]+)$/;
const METHODS = ['getMe', 'getChat', 'getChatMember', 'getUpdates', 'sendMessage', 'sendPhoto', 'sendVideo', 'sendMediaGroup', 'sendPoll', 'deleteMessage', 'deleteMessages'];

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
  /** Per bot: the updates it has not confirmed (getUpdates offset), oldest first. */
  const updates = new Map<number, { updateId: number; message: PublishedMessage }[]>();
  const webhooks = new Set<number>();
  let nextUpdateId = 500000;

  const spec = telegramSpec();
  spec.warm(METHODS);
  const server = await startFakeServer(handle, {
    name: 'Telegram fake',
    validator: spec,
    answers: telegramAnswers,
    // The path carries the bot token; a violation names the method only.
    label: (req) => PATH_SHAPE.exec(req.path)?.[2] ?? `${req.method} ${req.path}`,
  });

  function handle(req: FakeRequest): FakeResponse {
    try {
      const path = PATH_SHAPE.exec(req.path);
      if (!path || (req.method !== 'GET' && req.method !== 'POST')) throw new ApiError(404, 'Not Found');
      const token = decodeURIComponent(path[1]!);
      if (!TOKEN_SHAPE.test(token)) throw new ApiError(404, 'Not Found');
      const bot = bots.get(token);
      if (!bot || revoked.has(token)) throw new ApiError(401, 'Unauthorized');
      if (req.body.type === 'malformed' || req.body.type === 'other') throw badRequest('wrong request body format');
      if (req.body.type === 'json' && (typeof req.body.json !== 'object' || req.body.json === null || Array.isArray(req.body.json))) {
        throw badRequest('JSON body must be an object');
      }
      if (req.spec?.operation === undefined) {
        server.violate(req, 'no such Bot API method', true);
        throw new ApiError(404, 'Not Found');
      }
      const refusal = server.refusal(req);
      if (refusal) return refusal;
      const call = new Call(req, bot, req.spec.body ?? {}, Object.fromEntries(req.body.files));
      return { status: 200, json: { ok: true, result: dispatch(path[2]!, call) } };
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      return errorAnswer(error.code, error.description);
    }
  }

  function dispatch(method: string, call: Call): unknown {
    switch (method) {
      case 'getMe':
        return userOf(call.bot);
      case 'getChat':
        return getChat(call);
      case 'getChatMember':
        return getChatMember(call);
      case 'getUpdates':
        return getUpdates(call);
      case 'sendMessage':
        return sendMessage(call);
      case 'sendPhoto':
        return sendPhoto(call);
      case 'sendVideo':
        return sendVideo(call);
      case 'sendPoll':
        return sendPoll(call);
      case 'sendMediaGroup':
        return sendMediaGroup(call);
      case 'deleteMessage':
        return deleteMessages(call, [call.params['message_id'] as number], true);
      case 'deleteMessages':
        return deleteMessages(call, call.params['message_ids'] as number[], false);
      default:
        // In the spec but not in this fake: a test needing it extends the fake.
        throw new ApiError(501, `Not Implemented: the Telegram fake has no ${method}`);
    }
  }

  /** One call's parameters, already typed by the Bot API spec (strings parsed, numbers coerced). */
  class Call {
    constructor(
      readonly req: FakeRequest,
      readonly bot: FakeBot,
      readonly params: Record<string, unknown>,
      readonly files: Record<string, UploadedFile>,
    ) {}

    /** The chat the bot may see; private channels only once the bot is in them. */
    chat(): FakeChannel {
      const id = String(this.params['chat_id']);
      const chat = id.startsWith('@')
        ? channels.find((c) => c.username?.toLowerCase() === id.slice(1).toLowerCase())
        : /^-?\d+$/.test(id)
          ? channels.find((c) => c.id === Number(id))
          : undefined;
      if (!chat) throw badRequest('chat not found');
      if (chat.username === undefined && !isIn(membership(chat, this.bot).status)) throw badRequest('chat not found');
      return chat;
    }

    /** Something Telegram would quietly ignore: the test fails on close. */
    violate(what: string): void {
      server.violate(this.req, what, false);
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

  /** The call's parameters as sent (query, JSON, form and multipart merged), for calls(). */
  function readParams(req: FakeRequest): Record<string, unknown> {
    const params: Record<string, unknown> = Object.fromEntries(req.query);
    if (req.body.type === 'json' && typeof req.body.json === 'object' && req.body.json !== null && !Array.isArray(req.body.json)) {
      Object.assign(params, req.body.json);
    }
    for (const [name, value] of req.body.fields) params[name] = value;
    return params;
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
    return { ...chatOf(chat), ...(chat.linkedChatId !== undefined ? { linked_chat_id: chat.linkedChatId } : {}), accent_color_id: 0, max_reaction_count: 11, accepted_gift_types: {} };
  }

  /** Unconfirmed updates from `offset` on (confirming every earlier one), as the Bot API hands them out. */
  function getUpdates(call: Call) {
    if (webhooks.has(call.bot.id)) throw new ApiError(409, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first");
    const allowed = call.params['allowed_updates'] as string[] | undefined;
    if (allowed !== undefined && !allowed.includes('message')) return [];
    const limit = (call.params['limit'] as number | undefined) ?? 100;
    if (limit < 1 || limit > 100) throw badRequest('limit must be between 1 and 100');
    const offset = call.params['offset'] as number | undefined;
    const queue = (updates.get(call.bot.id) ?? []).filter((u) => offset === undefined || u.updateId >= offset);
    updates.set(call.bot.id, queue);
    return queue.slice(0, limit).map((u) => {
      const group = channels.find((c) => c.id === u.message.chatId)!;
      return { update_id: u.updateId, message: messageOf(group, u.message) };
    });
  }

  /** Telegram's copy of a channel post in its discussion group, seen by every bot in that group. */
  function forwardToDiscussion(channel: FakeChannel, post: PublishedMessage): void {
    const group = channels.find((c) => c.id === channel.linkedChatId);
    if (!group) return;
    const copy = publish(group, post.method, { ...(post.text !== undefined ? { text: post.text } : {}), ...(post.caption ? { caption: post.caption } : {}), forwardOf: { chatId: channel.id, messageId: post.messageId } });
    deliver(group, copy);
  }

  /** A new message in a group becomes an update for every bot in it. */
  function deliver(group: FakeChannel, message: PublishedMessage): void {
    for (const bot of bots.values()) {
      if (!isIn(membership(group, bot).status)) continue;
      const queue = updates.get(bot.id) ?? [];
      queue.push({ updateId: nextUpdateId++, message });
      updates.set(bot.id, queue);
    }
  }

  function getChatMember(call: Call) {
    const chat = call.chat();
    const userId = call.params['user_id'] as number;
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
    if (chat.type === 'channel' && chat.linkedChatId !== undefined) forwardToDiscussion(chat, message);
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
      ...(message.video ? { video: videoOf(message.video) } : {}),
      ...(message.caption ? { caption: message.caption } : {}),
      ...(message.mediaGroupId ? { media_group_id: message.mediaGroupId } : {}),
      ...(message.forwardOf ? forwardFields(message.forwardOf, message.date) : {}),
      ...(message.replyTo !== undefined ? { reply_to_message: { message_id: message.replyTo, chat: chatOf(chat), date: message.date } } : {}),
    };
  }

  /** An automatic forward as a Message carries it (Bot API 7.0: forward_origin of type "channel"). */
  function forwardFields(origin: { chatId: number; messageId: number }, date: number) {
    const channel = channels.find((c) => c.id === origin.chatId)!;
    return { is_automatic_forward: true, forward_origin: { type: 'channel', chat: chatOf(channel), message_id: origin.messageId, date }, sender_chat: chatOf(channel) };
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

  /** The Video object Telegram answers: the sizes the bot gave (Telegram reads them from the file otherwise). */
  function videoOf(video: SentVideo) {
    const fileId = `BAAC${randomBytes(12).toString('base64url')}`;
    fileIds.set(fileId, video.file);
    const thumbnail = video.thumbnail ? { ...photoSizes(video.thumbnail)[1]!, file_size: video.thumbnail.bytes.length } : undefined;
    return {
      file_id: fileId,
      file_unique_id: fileId.slice(4, 12),
      width: video.width ?? 0,
      height: video.height ?? 0,
      duration: video.duration ?? 0,
      ...(thumbnail ? { thumbnail } : {}),
      ...(video.cover ? { cover: photoSizes(video.cover) } : {}),
      mime_type: video.file.contentType ?? 'video/mp4',
      file_size: video.file.bytes.length,
    };
  }

  /** The file an `attach://name` (or a file_id this fake handed out) names. */
  function attached(call: Call, reference: string): UploadedFile {
    if (reference.startsWith('attach://')) {
      const file = call.files[reference.slice('attach://'.length)];
      if (!file) throw badRequest(`can't find attached file "${reference}"`);
      return file;
    }
    if (/^https?:\/\//.test(reference)) throw badRequest('failed to get HTTP URL content');
    const file = fileIds.get(reference);
    if (!file) throw badRequest('wrong remote file identifier specified: Wrong string length');
    return file;
  }

  /** A video (sendVideo or an album's InputMediaVideo) with its fields; a thumbnail Telegram would drop is a violation. */
  function checkVideo(call: Call, fields: Record<string, unknown>): SentVideo {
    const file = attached(call, String(fields['video'] ?? fields['media'] ?? ''));
    if (file.bytes.length === 0) throw badRequest('file must be non-empty');
    if (file.bytes.length > MAX_VIDEO_BYTES) throw new ApiError(413, 'Request Entity Too Large');
    if (!file.contentType?.toLowerCase().startsWith('video/')) throw badRequest('wrong file type: a video is expected');
    let thumbnail: UploadedFile | undefined;
    if (fields['thumbnail'] !== undefined) {
      const reference = String(fields['thumbnail']);
      // "Thumbnails can't be reused and can be only uploaded as a new file" (Bot API).
      if (!reference.startsWith('attach://')) call.violate(`thumbnail "${reference}" is not an uploaded file`);
      else {
        thumbnail = attached(call, reference);
        const size = imageSize(thumbnail.bytes);
        if (!(thumbnail.bytes[0] === 0xff && thumbnail.bytes[1] === 0xd8)) call.violate('thumbnail is not a JPEG');
        if (thumbnail.bytes.length >= MAX_THUMBNAIL_BYTES) call.violate(`thumbnail has ${thumbnail.bytes.length} bytes, over 200 kB`);
        if (size.width > MAX_THUMBNAIL_SIDE || size.height > MAX_THUMBNAIL_SIDE) call.violate(`thumbnail is ${size.width}×${size.height}, over 320 px`);
      }
    }
    const cover = fields['cover'] === undefined ? undefined : checkPhoto(call, String(fields['cover']));
    const number = (name: string) => (typeof fields[name] === 'number' ? (fields[name] as number) : undefined);
    return { file, width: number('width'), height: number('height'), duration: number('duration'), supportsStreaming: fields['supports_streaming'] === true, thumbnail, cover };
  }

  // Lengths are in the spec's descriptions only ("1-4096 characters after entities parsing").
  function checkText(text: unknown): string {
    const trimmed = String(text ?? '').trim();
    if (trimmed === '') throw badRequest('message text is empty');
    if (codePoints(trimmed) > MAX_TEXT) throw badRequest('message is too long');
    return trimmed;
  }

  function checkCaption(caption: unknown): string | undefined {
    const trimmed = caption === undefined ? undefined : String(caption).trim();
    if (trimmed && codePoints(trimmed) > MAX_CAPTION) throw badRequest('message caption is too long');
    return trimmed || undefined;
  }

  /** A photo is a file part with an image content type (`attach://name`), or a file_id this fake handed out. */
  function checkPhoto(call: Call, reference: string): UploadedFile {
    const file = attached(call, reference);
    if (file.bytes.length === 0) throw badRequest('file must be non-empty');
    if (file.bytes.length > MAX_PHOTO_BYTES) throw badRequest('file is too big');
    if (!file.contentType?.toLowerCase().startsWith('image/')) throw badRequest('IMAGE_PROCESS_FAILED');
    return file;
  }

  function sendMessage(call: Call) {
    const chat = call.postableChat();
    const text = checkText(call.params['text']);
    const preview = call.params['link_preview_options'] as Record<string, unknown> | undefined;
    const reply = call.params['reply_parameters'] as { message_id?: number; chat_id?: unknown } | undefined;
    if (reply !== undefined) {
      if (reply.chat_id !== undefined) call.violate('reply_parameters.chat_id names another chat: a comment replies in its own group');
      if (!messages.some((m) => m.chatId === chat.id && m.messageId === reply.message_id && !m.deleted)) throw badRequest('message to be replied not found');
    }
    const message = publish(chat, 'sendMessage', { text, ...(preview ? { linkPreviewOptions: preview } : {}), ...(reply ? { replyTo: reply.message_id as number } : {}) });
    return messageOf(chat, message);
  }

  /** As Telegram checks a poll: 1–300 characters of question, 2–12 options of 1–100, open_period 5–2,628,000 s. */
  function sendPoll(call: Call) {
    const chat = call.postableChat();
    const question = String(call.params['question'] ?? '');
    if ([...question].length < 1 || [...question].length > 300) throw badRequest('poll question length must not exceed 300');
    const options = (call.params['options'] as Array<{ text?: unknown }> | undefined) ?? [];
    if (options.length < 2 || options.length > 12) throw badRequest('poll must have at least 2 option');
    const texts = options.map((o) => String(o.text ?? ''));
    if (texts.some((t) => [...t].length < 1 || [...t].length > 100)) throw badRequest('poll options length must not exceed 100');
    if (call.params['is_anonymous'] === false && chat.username !== undefined) throw badRequest("polls can't be non-anonymous in channels");
    const openPeriod = call.params['open_period'] as number | undefined;
    if (openPeriod !== undefined && (openPeriod < 5 || openPeriod > 2_628_000)) throw badRequest('wrong open period specified');
    const message = publish(chat, 'sendPoll', { poll: { question, options: texts, multiple: call.params['allows_multiple_answers'] === true, openPeriod } });
    const poll = {
      id: `poll-${message.messageId}`,
      question,
      options: texts.map((text) => ({ text, voter_count: 0 })),
      total_voter_count: 0,
      is_closed: false,
      is_anonymous: true,
      type: 'regular',
      allows_multiple_answers: message.poll?.multiple ?? false,
      ...(openPeriod !== undefined ? { open_period: openPeriod } : {}),
    };
    return { ...messageOf(chat, message), poll };
  }

  function sendPhoto(call: Call) {
    const chat = call.postableChat();
    const photo = checkPhoto(call, call.params['photo'] as string);
    const caption = checkCaption(call.params['caption']);
    return messageOf(chat, publish(chat, 'sendPhoto', { photo, ...(caption ? { caption } : {}) }));
  }

  function sendVideo(call: Call) {
    const chat = call.postableChat();
    const video = checkVideo(call, call.params);
    const caption = checkCaption(call.params['caption']);
    return messageOf(chat, publish(chat, 'sendVideo', { video, ...(caption ? { caption } : {}) }));
  }

  function sendMediaGroup(call: Call) {
    const chat = call.postableChat();
    const media = call.params['media'] as Array<Record<string, unknown>>;
    if (media.length < 2 || media.length > 10) throw badRequest('media group must include 2-10 items');
    // Check every item before publishing any: an album goes out whole or not at all.
    const items = media.map((item) => {
      const caption = checkCaption(item['caption']);
      if (item['type'] === 'video') return { video: checkVideo(call, item), caption };
      if (item['type'] !== 'photo') throw badRequest(`unsupported media type "${String(item['type'])}" in the album`);
      return { photo: checkPhoto(call, item['media'] as string), caption };
    });
    const mediaGroupId = String(13000000000000000 + nextGroupId++);
    return items.map(({ caption, ...content }) => messageOf(chat, publish(chat, 'sendMediaGroup', { ...content, mediaGroupId, ...(caption ? { caption } : {}) })));
  }

  function deleteMessages(call: Call, ids: number[], single: boolean) {
    if (!single && (ids.length < 1 || ids.length > 100)) throw badRequest('message_ids must contain 1-100 identifiers');
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
        return server.fault({ kind: 'rate_limited', retryAfterMs: fault.retryAfter * 1000 }, afterHandling);
      case 'server_error':
        return server.fault({ kind: 'server_error', status: fault.status }, afterHandling);
      case 'hang':
      case 'reset':
        return server.fault(fault, afterHandling);
    }
  }

  const methodOf = (req: FakeRequest) => PATH_SHAPE.exec(req.path)?.[2];
  const matcher = (method: string | undefined): RequestMatcher | undefined => (method ? (req) => methodOf(req) === method : undefined);

  return {
    baseUrl: server.baseUrl,
    server,
    messages,
    violations: server.violations,
    calls: () =>
      server.requests.flatMap((req) => {
        const path = PATH_SHAPE.exec(req.path);
        if (!path) return [];
        return [{ method: path[2]!, token: decodeURIComponent(path[1]!), params: readParams(req), files: Object.fromEntries(req.body.files), fault: req.fault }];
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
        ...(channel.linkedChatId !== undefined ? { linkedChatId: channel.linkedChatId } : {}),
      };
      channels.push(created);
      return created;
    },
    setMember(channel, bot, membership) {
      members.set(`${channel.id}/${bot.id}`, membership);
    },
    linkDiscussion(channel, group) {
      channel.linkedChatId = group.id;
    },
    setWebhook(bot) {
      webhooks.add(bot.id);
    },
    chatter(group, count) {
      for (let i = 0; i < count; i++) deliver(group, publish(group, 'sendMessage', { text: `Message ${i + 1} from a member` }));
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

function errorAnswer(code: number, description: string): FakeResponse {
  return { status: code, json: { ok: false, error_code: code, description } };
}

/** Telegram's words for a missing parameter, where they are not "<name> is empty". */
const MISSING: Record<string, string> = {
  text: 'message text is empty',
  photo: 'there is no photo in the request',
  media: 'parameter "media" is required',
  message_ids: 'parameter "message_ids" is required',
};

const telegramAnswers: NetworkAnswers = {
  rateLimited: (retryAfterMs) => {
    const seconds = Math.ceil(retryAfterMs / 1000);
    return { status: 429, json: { ok: false, error_code: 429, description: `Too Many Requests: retry after ${seconds}`, parameters: { retry_after: seconds } } };
  },
  // 500 answers the Bot API's JSON; 502 answers nginx's HTML page, as the real front does.
  serverError: (status) =>
    status === 502
      ? { status: 502, text: '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n', headers: { 'content-type': 'text/html' } }
      : errorAnswer(status, 'Internal Server Error'),
  refused: ([first]) => {
    const [, name = '', problem = ''] = /^\/?([\w]+)[/\s]?(.*)$/.exec(first ?? '') ?? [];
    if (problem === 'is required') return errorAnswer(400, `Bad Request: ${MISSING[name] ?? `${name} is empty`}`);
    if (problem === 'is not JSON') return errorAnswer(400, `Bad Request: can't parse ${name} JSON object`);
    return errorAnswer(400, `Bad Request: invalid ${name} specified`);
  },
};

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
