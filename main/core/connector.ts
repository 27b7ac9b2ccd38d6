import type { NetworkId } from './networks/ids';
import { deliveryOf, type Delivery } from './outcome';
import type { MediaRelay } from './media-relay';
import type { PostMetrics } from './metrics';
import type { PollOptions } from './networks/polls';

/**
 * What every network connector does, whatever the network. Implementations live in
 * main/services/connectors/<network>.ts and declare `satisfies Connector`.
 */

/** How a failed call should be handled; the network's own words are kept for the user, apart from ours. */
export type FailureKind = 'auth' | 'rate_limited' | 'validation' | 'transient' | 'offline' | 'permanent';

/**
 * A question only a person can answer before the network accepts the call again (VK's captcha,
 * error 14). Network-neutral: the scheduler stores it, the user answers, and the answer rides on
 * the next attempt's ConnectorContext (`challengeAnswer`) for that one attempt only.
 */
export interface ConnectorChallenge {
  kind: 'captcha';
  /** The network's id of this challenge (VK: captcha_sid). */
  id: string;
  /** The picture to show (VK: captcha_img); main fetches it, the renderer never loads a remote address. */
  imageUrl: string;
  /** Which call the network refused (VK: the method name), so the answer goes with that call only. */
  call?: string;
}

/** The user's answer to a challenge, handed to the connector for the next attempt. */
export interface ChallengeAnswer {
  challenge: ConnectorChallenge;
  answer: string;
}

export class ConnectorError extends Error {
  readonly kind: FailureKind;
  /**
   * The failure's whole text for the user and the log: the network's own words when it sent any,
   * followed by Outpost's advice ("Bad Request: chat not found: check the @name…"), or only
   * Outpost's explanation ("Telegram did not answer within 30 s."). Never present it as the
   * network's words: that is `networkSaid`.
   */
  readonly networkMessage: string;
  /** Only the network's own words, verbatim ("Bad Request: chat not found"); undefined when the text is all Outpost's. */
  readonly networkSaid: string | undefined;
  readonly status: number | undefined;
  /** For rate_limited (and transient when the network says): wait at least this long. */
  readonly retryAfterMs: number | undefined;

  /** Whether the request may have been acted on (core/outcome.ts): set by a connector that knows better than the rule. */
  readonly delivery: Delivery | undefined;
  /**
   * Set when the network waits for a person (a captcha): the call was refused and the job waits for
   * the user's answer. Its kind stays a refusal ('validation') so code that knows no challenges fails
   * it with the network's words instead of retrying or asking for a reconnect.
   */
  readonly challenge: ConnectorChallenge | undefined;

  constructor(
    kind: FailureKind,
    networkMessage: string,
    details: { status?: number; retryAfterMs?: number; cause?: unknown; delivery?: Delivery; networkSaid?: string; challenge?: ConnectorChallenge } = {},
  ) {
    super(`${kind}: ${networkMessage}`, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'ConnectorError';
    this.kind = kind;
    this.networkMessage = networkMessage;
    this.networkSaid = details.networkSaid;
    this.status = details.status;
    this.retryAfterMs = details.retryAfterMs;
    this.delivery = details.delivery;
    this.challenge = details.challenge;
  }

  /** The raw code of a call that got no answer (ECONNREFUSED, net::ERR_NAME_NOT_RESOLVED): for the log and the UI's Details, never its words. */
  get causeCode(): string | undefined {
    const code = (this.cause as { code?: unknown } | undefined)?.code;
    return typeof code === 'string' ? code : undefined;
  }

  /** True when the request may have reached the network and been acted on: never resend it blindly. */
  get maybeSent(): boolean {
    return deliveryOf({ kind: this.kind, status: this.status, delivery: this.delivery, cause: this.cause }) === 'maybe_sent';
  }

  /** The same failure, known to have happened before the post's own request left (a media upload, a sign-in). */
  notSent(): ConnectorError {
    return new ConnectorError(this.kind, this.networkMessage, {
      ...(this.status !== undefined ? { status: this.status } : {}),
      ...(this.retryAfterMs !== undefined ? { retryAfterMs: this.retryAfterMs } : {}),
      ...(this.cause !== undefined ? { cause: this.cause } : {}),
      ...(this.networkSaid !== undefined ? { networkSaid: this.networkSaid } : {}),
      ...(this.challenge !== undefined ? { challenge: this.challenge } : {}),
      delivery: 'not_sent',
    });
  }
}

/** Runs the steps ahead of the post's own request: whatever fails there left the post unsent. */
export async function beforeSending<T>(steps: () => Promise<T>): Promise<T> {
  try {
    return await steps();
  } catch (error) {
    throw error instanceof ConnectorError ? error.notSent() : error;
  }
}

export interface MediaItem {
  fileName: string;
  mime: string;
  bytes: Uint8Array;
  alt: string;
  width?: number;
  height?: number;
  /** Videos: the clip's length, for networks that are told it (Telegram's duration). */
  durationMs?: number;
  /** Videos: the cover frame the user picked, sent as the video's thumbnail where the network takes one. */
  cover?: MediaCover;
}

/** A video's cover frame: a JPEG from the library. */
export interface MediaCover {
  bytes: Uint8Array;
  mime: string;
  width?: number;
  height?: number;
  /** Where in the video the frame was taken, for networks that pick the frame themselves (Instagram's thumb_offset). */
  atMs?: number;
}

/** A post's link card as the user kept it (issue 12 item 4): words and picture fetched ahead, so publishing needs no page. */
export interface PublishCard {
  url: string;
  title: string;
  description: string;
  /** A JPEG of at most 1000 px; null when the page had none. */
  image: Uint8Array | null;
  /** False when the user removed the card: the post goes out without one. */
  shown: boolean;
  /** Telegram: the preview above the text, with its picture large. */
  above: boolean;
  large: boolean;
}

export interface PublishRequest {
  text: string;
  media: MediaItem[];
  /** Stable for every attempt of one publish job: lets the network (or we) spot a repeat. */
  idempotencyKey: string;
  /** Ask for a link preview where the network makes one. */
  linkPreview?: boolean;
  language?: string;
  /** The link card, where the post has one for a link still in its text. */
  card?: PublishCard;
  /** A poll whose question is the text, on networks that take one (checked before scheduling). */
  poll?: PollOptions;
  /**
   * The network's id of the post this one answers: a thread's part goes out as a reply to the part
   * before it (core/posts/thread). Only connectors of networks that take chains read it.
   */
  replyTo?: string;
}

export interface PublishedPost {
  /** The id needed to delete or verify the post later (for albums, every message id, comma-separated). */
  remoteId: string;
  /** A link the user can open, when the network has one. */
  url: string | null;
  publishedAt: number;
}

export interface NativeSchedule {
  nativeId: string;
  scheduledAt: number;
}

/** Where a post handed to the network's scheduler is now. */
export type NativeState =
  | { state: 'scheduled'; schedule: NativeSchedule }
  | { state: 'published'; post: PublishedPost }
  /** Neither scheduled nor found among the account's statuses: cancelled, or deleted after it went out. */
  | { state: 'missing' };

/** What verify-after-crash found out about an attempt whose outcome was lost. */
export type VerifyOutcome = { found: true; post: PublishedPost } | { found: false } | { found: 'unknown' };

/** The post's first comment as the network holds it: its own id and, where there is one, a link to it. */
export interface PublishedComment {
  remoteId: string;
  url: string | null;
}

/** What a look for a first comment whose answer was lost found. */
export type CommentVerifyOutcome = { found: true; comment: PublishedComment } | { found: false } | { found: 'unknown' };

/** Whether a first comment whose answer was lost can be settled without asking the user: looked up, or safely sent again. */
export function canSettleLostComment(connector: Pick<Connector, 'verifyComment' | 'commentResendSafe'> | undefined): boolean {
  return Boolean(connector?.verifyComment) || connector?.commentResendSafe === true;
}

/** Everything a connector needs for one call; credentials come from the keychain, never SQLite. */
export interface ConnectorContext<Credentials = unknown, Config = unknown> {
  baseUrl: string;
  credentials: Credentials;
  /** Non-secret account settings (channel id, handle, instance limits…). */
  config: Config;
  fetch: typeof fetch;
  now(): number;
  signal?: AbortSignal;
  /**
   * Stores credentials the connector renewed (a refreshed or rotated token) back in the
   * keychain, replacing the account's secret. Connectors whose tokens rotate call it before
   * they go on; without it the renewed tokens live only as long as the process.
   */
  saveCredentials?(credentials: Credentials): Promise<void>;
  /** The user's answer to the challenge that stopped the last attempt; present for one attempt only. */
  challengeAnswer?: ChallengeAnswer;
  /** Puts media where a network that fetches by address (Instagram, Threads) can reach it: the project's chosen relay; absent when none is set up. */
  relay?: MediaRelay;
  /** Told as a media upload moves on (bytes of the post's media handed to the network, of all), so the post can show it. */
  onUploadProgress?(sent: number, total: number): void;
}

/** A network's own cap on publishing (Threads' threads_publishing_limit, Instagram's content_publishing_limit): used of a rolling window. */
export interface PublishingQuota {
  posts: { used: number; total: number };
  /** Replies (first comments) where the network counts them apart; null where it does not. */
  replies: { used: number; total: number } | null;
  windowMs: number;
}

export interface Connector<Credentials = unknown, Config = unknown> {
  network: NetworkId;
  publish(ctx: ConnectorContext<Credentials, Config>, post: PublishRequest): Promise<PublishedPost>;
  delete(ctx: ConnectorContext<Credentials, Config>, remoteId: string): Promise<void>;
  /** Replaces the text of a published post in place (Discord's webhook message edit); left out where Outpost cannot edit. */
  edit?(ctx: ConnectorContext<Credentials, Config>, remoteId: string, text: string): Promise<void>;
  /** How long after publishing a post can still be deleted (Telegram bots: 48 h); undefined = no limit. */
  deleteWindowMs?: number;
  /** Hand the post to the network's own scheduler, so it goes out with the laptop closed. */
  scheduleNative?(ctx: ConnectorContext<Credentials, Config>, post: PublishRequest, at: number): Promise<NativeSchedule>;
  updateNative?(ctx: ConnectorContext<Credentials, Config>, nativeId: string, post: PublishRequest, at: number): Promise<NativeSchedule>;
  cancelNative?(ctx: ConnectorContext<Credentials, Config>, nativeId: string): Promise<void>;
  /** After the scheduled time: did the handed-over post go out? */
  checkNative?(ctx: ConnectorContext<Credentials, Config>, nativeId: string, expected: { text: string; scheduledAt: number }): Promise<NativeState>;
  /**
   * Adds the post's first comment (a comment or a reply from the same account, right under it);
   * left out where the network, or what Outpost can do there, has none (Telegram bots).
   */
  comment?(ctx: ConnectorContext<Credentials, Config>, remoteId: string, text: string, idempotencyKey: string): Promise<PublishedComment>;
  /**
   * The post's public numbers now (likes, reposts, replies…), as far as the network gives them to
   * its author; 'gone' when the post is no longer there. Left out where the API gives none (Telegram bots).
   */
  metrics?(ctx: ConnectorContext<Credentials, Config>, remoteId: string): Promise<PostMetrics | 'gone'>;
  /** Reads how much of the network's publishing cap the account has used, to show before scheduling; left out where there is none to read. */
  publishingQuota?(ctx: ConnectorContext<Credentials, Config>): Promise<PublishingQuota>;
  /** True when sending a comment again with the same key can never make a second one (VK guid, a Bluesky record key). */
  commentResendSafe?: boolean;
  /** After a lost answer: is the comment sent with this key under the post? */
  verifyComment?(
    ctx: ConnectorContext<Credentials, Config>,
    attempt: { remoteId: string; idempotencyKey: string; text: string; startedAt: number },
  ): Promise<CommentVerifyOutcome>;
  /** After a crash: did the attempt with this key reach the network? */
  verify?(
    ctx: ConnectorContext<Credentials, Config>,
    attempt: { idempotencyKey: string; startedAt: number; text: string },
  ): Promise<VerifyOutcome>;
}
