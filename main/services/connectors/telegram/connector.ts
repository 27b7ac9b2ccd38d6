import { ConnectorError, type Connector, type MediaItem, type PublishedComment, type PublishedPost, type PublishRequest } from '../../../core/connector';
import { networkRules } from '../../../core/networks/rules';
import { DEFAULT_CALL_TIMEOUT_MS, DEFAULT_UPLOAD_TIMEOUT_MS, mediaBlob } from '../kit/http';
import { jpegThumbnail } from '../kit/thumbnail';
import { call, channelOf, tokenOf, type Chat, type Message, type TelegramConfig, type TelegramConnectorOptions, type TelegramContext, type TelegramCredentials, type Update } from './api';

/**
 * Telegram channel posts through the Bot API (shared/networks/CONTRACTS.md §2); the connect-time
 * check of the bot and the channel lives beside it in connect-check.ts.
 *
 * - Credentials: the bot token from @BotFather, kept in the keychain. It travels in the URL
 *   path (`/bot<token>/<method>`), so every message that leaves this module is scrubbed of it.
 * - Config: the channel, `@name` (public) or its `-100…` id (private).
 * - Text goes out as plain text (no parse_mode), so what the user typed is what is counted and shown.
 * - One image → sendPhoto, one video → sendVideo, 2–10 → sendMediaGroup (caption on the first item only).
 * - Videos: MP4 of at most 50 MB (a bot's upload limit), with width, height, duration, streaming
 *   and the user's cover as thumbnail (scaled to 320 px, under 200 kB) and as the message's cover.
 * - Text longer than a caption (1,024) with images is refused before any call: sending the
 *   album and then the text as a second message would be two publishes, and a failure between
 *   them could not be retried without posting the album twice.
 * - remoteId lists every message id ("41,42,43") so delete removes a whole album.
 * - No verify(): a bot cannot read its own channel's history, so an attempt whose answer was
 *   lost is left to the scheduler to park as "needs attention".
 * - comment(): a channel post's comments are replies in its linked discussion group (getChat
 *   linked_chat_id) to the copy Telegram forwards there (is_automatic_forward), whose id the bot
 *   learns from getUpdates; the bot must be in that group (an administrator, to see every message).
 *   Updates are left unconfirmed while the copy is on the first page, and copies on pages read
 *   past are remembered, so another post's copy waiting for its own comment is not lost. No verify: a bot cannot read the group's history, so a comment whose answer was
 *   lost is parked for the user rather than sent twice.
 */

export const telegramLimits = {
  /** Code points; Telegram counts after entity parsing, and plain text has no entities. */
  textChars: 4096,
  captionChars: 1024,
  albumPhotos: 10,
  photoBytes: 10 * 1024 * 1024,
  /** Width plus height, in pixels. */
  photoSidesSum: 10_000,
  photoAspectRatio: 20,
  photoTypes: ['image/jpeg', 'image/png', 'image/webp'] as readonly string[],
  deleteWindowMs: 48 * 60 * 60 * 1000,
  /** Bots upload files of at most 50 MB (sendVideo): the composer's rule, so both refuse the same file. */
  videoBytes: networkRules.telegram.media.video?.maxBytes ?? 50_000_000,
  /** sendVideo's thumbnail: JPEG, at most 320 px a side and under 200 kB. */
  thumbnail: { maxSide: 320, maxBytes: 200 * 1024 },
} as const;

const megabytes = (bytes: number) => (bytes / 1_000_000).toFixed(1);

/**
 * Telegram's link preview as the user left the post's card: where it shows (above or below the
 * text), how big its picture is, or none at all; without a card, the account's default.
 * Telegram builds the preview from the page itself, so the card's own words are for the preview only.
 */
export function linkPreviewOptions(post: Pick<PublishRequest, 'card' | 'linkPreview'>): Record<string, unknown> | null {
  const { card } = post;
  if (card && !card.shown) return { is_disabled: true };
  if (card) return { url: card.url, show_above_text: card.above, ...(card.large ? { prefer_large_media: true } : { prefer_small_media: true }) };
  return post.linkPreview === false ? { is_disabled: true } : null;
}

export function createTelegramConnector(options: TelegramConnectorOptions = {}) {
  const timeouts = {
    call: options.timeoutMs ?? DEFAULT_CALL_TIMEOUT_MS,
    upload: options.uploadTimeoutMs ?? DEFAULT_UPLOAD_TIMEOUT_MS,
  };
  // Copies seen on confirmed pages of updates (group:channel:post → copy id), so a later comment still finds its own; the oldest go first.
  const seenCopies = new Map<string, number>();

  return {
    network: 'telegram',
    deleteWindowMs: telegramLimits.deleteWindowMs,

    async publish(ctx: TelegramContext, post: PublishRequest): Promise<PublishedPost> {
      validateTelegramPost(post);
      const chatId = channelOf(ctx);
      tokenOf(ctx);
      const text = post.text.trim();
      let messages: Message[];
      if (post.poll) {
        // The text is the poll's question; a channel's poll is always anonymous.
        const body = {
          chat_id: chatId,
          question: text,
          options: post.poll.options.map((option) => ({ text: option.trim() })),
          is_anonymous: true,
          allows_multiple_answers: post.poll.multiple,
          open_period: post.poll.durationMinutes * 60,
        };
        messages = [await call<Message>(ctx, 'sendPoll', body, timeouts.call)];
      } else if (post.media.length === 0) {
        const body: Record<string, unknown> = { chat_id: chatId, text };
        const preview = linkPreviewOptions(post);
        if (preview) body['link_preview_options'] = preview;
        messages = [await call<Message>(ctx, 'sendMessage', body, timeouts.call)];
      } else if (post.media.length === 1) {
        const item = post.media[0]!;
        const video = isVideo(item);
        const form = new FormData();
        form.set('chat_id', chatId);
        form.set(video ? 'video' : 'photo', mediaBlob(item), item.fileName);
        if (video) for (const [name, value] of Object.entries(await videoFields(form, item, 0))) form.set(name, String(value));
        if (text !== '') form.set('caption', text);
        messages = [await call<Message>(ctx, video ? 'sendVideo' : 'sendPhoto', form, timeouts.upload)];
      } else {
        const form = new FormData();
        form.set('chat_id', chatId);
        const media = [];
        for (const [i, item] of post.media.entries()) {
          const caption = i === 0 && text !== '' ? { caption: text } : {};
          form.set(`p${i}`, mediaBlob(item), item.fileName);
          if (isVideo(item)) media.push({ type: 'video', media: `attach://p${i}`, ...(await videoFields(form, item, i)), ...caption });
          else media.push({ type: 'photo', media: `attach://p${i}`, ...caption });
        }
        form.set('media', JSON.stringify(media));
        messages = await call<Message[]>(ctx, 'sendMediaGroup', form, timeouts.upload);
      }
      const first = Array.isArray(messages) ? messages[0] : undefined;
      // A 2xx without the message: Telegram may well have posted it.
      if (!first) throw new ConnectorError('permanent', 'Telegram answered without a message.', { delivery: 'maybe_sent' });
      const username = first.chat.username ?? (chatId.startsWith('@') ? chatId.slice(1) : undefined);
      return {
        remoteId: messages.map((m) => m.message_id).join(','),
        url: username ? `https://t.me/${username}/${first.message_id}` : null,
        publishedAt: first.date * 1000,
      };
    },

    async comment(ctx: TelegramContext, remoteId: string, text: string): Promise<PublishedComment> {
      const channelId = channelOf(ctx);
      const postId = Number(remoteId.split(',')[0]);
      if (!Number.isSafeInteger(postId) || postId <= 0) throw new ConnectorError('permanent', `"${remoteId}" is not a Telegram message id.`);
      const channel = await call<Chat>(ctx, 'getChat', { chat_id: channelId }, timeouts.call);
      const group = channel.linked_chat_id;
      if (group === undefined) {
        throw new ConnectorError('permanent', 'This channel has no discussion group, so its posts take no comments; link a group in the channel’s settings, or add the comment by hand.', { delivery: 'not_sent' });
      }
      const copy = await discussionCopy(ctx, seenCopies, channel.id, group, postId, timeouts.call);
      const body = { chat_id: group, text: text.trim(), reply_parameters: { message_id: copy } };
      const sent = await call<Message>(ctx, 'sendMessage', body, timeouts.call);
      const username = channel.username ?? (channelId.startsWith('@') ? channelId.slice(1) : undefined);
      return { remoteId: `${group}:${sent.message_id}`, url: username ? `https://t.me/${username}/${postId}?comment=${sent.message_id}` : null };
    },

    async delete(ctx: TelegramContext, remoteId: string): Promise<void> {
      const chatId = channelOf(ctx);
      const ids = remoteId.split(',').map((id) => Number(id.trim()));
      if (ids.length === 0 || !ids.every((id) => Number.isSafeInteger(id) && id > 0)) {
        throw new ConnectorError('permanent', `"${remoteId}" is not a list of Telegram message ids.`);
      }
      if (ids.length === 1) {
        try {
          await call<boolean>(ctx, 'deleteMessage', { chat_id: chatId, message_id: ids[0] }, timeouts.call);
        } catch (error) {
          // Already gone (deleted by hand, or our earlier attempt's answer was lost): the goal is met.
          if (error instanceof ConnectorError && /message to delete not found/i.test(error.networkSaid ?? '')) return;
          throw error;
        }
        return;
      }
      // deleteMessages skips ids that are already gone, so a repeated delete succeeds too.
      for (let i = 0; i < ids.length; i += 100) {
        await call<boolean>(ctx, 'deleteMessages', { chat_id: chatId, message_ids: ids.slice(i, i + 100) }, timeouts.call);
      }
    },
  } satisfies Connector<TelegramCredentials, TelegramConfig>;
}

const isVideo = (item: MediaItem) => item.mime.toLowerCase().startsWith('video/');

/** Pages of updates looked through for a post's copy before the comment waits for a later try. */
const UPDATE_PAGES = 5;
const SEEN_COPIES_MAX = 5000;

/**
 * The id of Telegram's copy of a channel post in its discussion group, from the bot's updates.
 * Updates stay unconfirmed (Telegram keeps them a day), so each comment can find its post's copy;
 * only a full page without it is confirmed to reach the next, its copies remembered for their own
 * comments (for as long as Outpost runs: comments usually go within a minute of their post).
 */
async function discussionCopy(ctx: TelegramContext, seenCopies: Map<string, number>, channelId: number, group: number, postId: number, timeoutMs: number): Promise<number> {
  const key = (post: number) => `${group}:${channelId}:${post}`;
  const known = seenCopies.get(key(postId));
  if (known !== undefined) return known;
  let offset: number | undefined;
  for (let page = 0; page < UPDATE_PAGES; page++) {
    let batch: Update[];
    try {
      batch = await call<Update[]>(ctx, 'getUpdates', { ...(offset !== undefined ? { offset } : {}), limit: 100, timeout: 0, allowed_updates: ['message'] }, timeoutMs);
    } catch (error) {
      // A webhook takes the bot's updates: Outpost cannot see the copy, and must not remove the user's webhook.
      if (error instanceof ConnectorError && error.status === 409) {
        throw new ConnectorError('permanent', 'This bot sends its updates to a webhook, so Outpost cannot find the post in the discussion group; add the comment by hand.', { delivery: 'not_sent' });
      }
      throw error;
    }
    for (const update of batch) {
      const message = update.message;
      const origin = message?.forward_origin;
      if (!message?.is_automatic_forward || message.chat.id !== group || origin?.chat?.id !== channelId || origin.message_id === undefined) continue;
      seenCopies.delete(key(origin.message_id));
      seenCopies.set(key(origin.message_id), message.message_id);
      if (seenCopies.size > SEEN_COPIES_MAX) seenCopies.delete(seenCopies.keys().next().value as string);
    }
    const found = seenCopies.get(key(postId));
    if (found !== undefined) return found;
    if (batch.length < 100) break;
    offset = batch[batch.length - 1]!.update_id + 1;
  }
  // Telegram forwards within seconds; a bot outside the group never sees the copy at all.
  throw new ConnectorError('transient', 'The post has not appeared in the channel’s discussion group yet; the bot must be a member (best an administrator) of that group to comment.', { delivery: 'not_sent' });
}

/**
 * A video's fields for sendVideo or an album's InputMediaVideo: its size and length as known, the
 * cover scaled to Telegram's thumbnail limits (attached as `t<i>`) and as the message's cover
 * (`c<i>`), and streaming on, so the channel plays it before it is fully loaded.
 */
async function videoFields(form: FormData, item: MediaItem, i: number): Promise<Record<string, string | number | boolean>> {
  const fields: Record<string, string | number | boolean> = { supports_streaming: true };
  if (item.width) fields['width'] = item.width;
  if (item.height) fields['height'] = item.height;
  if (item.durationMs) fields['duration'] = Math.max(1, Math.round(item.durationMs / 1000));
  if (item.cover) {
    // An unreadable cover leaves the thumbnail to Telegram rather than losing the post over it.
    const thumbnail = await jpegThumbnail(item.cover, telegramLimits.thumbnail).catch(() => null);
    if (thumbnail) {
      form.set(`t${i}`, new Blob([thumbnail as Uint8Array<ArrayBuffer>], { type: 'image/jpeg' }), `thumbnail-${i}.jpg`);
      fields['thumbnail'] = `attach://t${i}`;
    }
    if (item.cover.bytes.byteLength <= telegramLimits.photoBytes) {
      form.set(`c${i}`, new Blob([item.cover.bytes as Uint8Array<ArrayBuffer>], { type: item.cover.mime }), `cover-${i}.jpg`);
      fields['cover'] = `attach://c${i}`;
    }
  }
  return fields;
}

/** Refuses, before any call, what Telegram would refuse (or what we choose not to send). */
export function validateTelegramPost(post: PublishRequest): void {
  const text = post.text.trim();
  const length = [...text].length;
  const refuse = (message: string) => {
    throw new ConnectorError('validation', message);
  };
  if (post.media.length === 0) {
    if (text === '') refuse('Telegram needs text or an image to post.');
    if (length > telegramLimits.textChars) refuse(`Telegram messages hold ${telegramLimits.textChars} characters; this one has ${length}.`);
    return;
  }
  if (post.media.length > telegramLimits.albumPhotos) {
    refuse(`Telegram albums hold at most ${telegramLimits.albumPhotos} images or videos; this post has ${post.media.length}.`);
  }
  if (length > telegramLimits.captionChars) {
    refuse(`Text under Telegram images holds ${telegramLimits.captionChars} characters; this one has ${length}. Shorten it or post it without images.`);
  }
  for (const item of post.media) {
    if (isVideo(item)) {
      if (item.mime.toLowerCase() !== 'video/mp4') refuse(`${item.fileName} is ${item.mime}; Telegram plays videos sent as MP4 only. Convert it to MP4 (H.264).`);
      if (item.bytes.byteLength > telegramLimits.videoBytes) {
        refuse(`${item.fileName} is ${megabytes(item.bytes.byteLength)} MB; a Telegram bot can upload videos of at most 50 MB. Compress or trim it first.`);
      }
      continue;
    }
    if (!telegramLimits.photoTypes.includes(item.mime.toLowerCase())) {
      refuse(`${item.fileName} is ${item.mime}; Telegram photos must be JPEG, PNG or WebP.`);
    }
    if (item.bytes.byteLength > telegramLimits.photoBytes) refuse(`${item.fileName} is larger than Telegram's 10 MB photo limit.`);
    if (item.width !== undefined && item.height !== undefined) {
      const { width, height } = item;
      if (width + height > telegramLimits.photoSidesSum) refuse(`${item.fileName} is too large: Telegram needs width plus height at most 10,000 pixels.`);
      if (Math.max(width, height) > telegramLimits.photoAspectRatio * Math.min(width, height)) {
        refuse(`${item.fileName} is too narrow: Telegram photos need an aspect ratio of at most 20:1.`);
      }
    }
  }
}

