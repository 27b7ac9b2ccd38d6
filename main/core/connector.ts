import type { NetworkId } from './networks/ids';
import { deliveryOf, type Delivery } from './outcome';

/**
 * What every network connector does, whatever the network. Implementations live in
 * main/services/connectors/<network>.ts and declare `satisfies Connector`.
 */

/** How a failed call should be handled; the network's own words are kept for the user, apart from ours. */
export type FailureKind = 'auth' | 'rate_limited' | 'validation' | 'transient' | 'offline' | 'permanent';

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

  constructor(
    kind: FailureKind,
    networkMessage: string,
    details: { status?: number; retryAfterMs?: number; cause?: unknown; delivery?: Delivery; networkSaid?: string } = {},
  ) {
    super(`${kind}: ${networkMessage}`, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'ConnectorError';
    this.kind = kind;
    this.networkMessage = networkMessage;
    this.networkSaid = details.networkSaid;
    this.status = details.status;
    this.retryAfterMs = details.retryAfterMs;
    this.delivery = details.delivery;
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
}

export interface PublishRequest {
  text: string;
  media: MediaItem[];
  /** Stable for every attempt of one publish job: lets the network (or we) spot a repeat. */
  idempotencyKey: string;
  /** Ask for a link preview where the network makes one. */
  linkPreview?: boolean;
  language?: string;
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
}

export interface Connector<Credentials = unknown, Config = unknown> {
  network: NetworkId;
  publish(ctx: ConnectorContext<Credentials, Config>, post: PublishRequest): Promise<PublishedPost>;
  delete(ctx: ConnectorContext<Credentials, Config>, remoteId: string): Promise<void>;
  /** How long after publishing a post can still be deleted (Telegram bots: 48 h); undefined = no limit. */
  deleteWindowMs?: number;
  /** Hand the post to the network's own scheduler, so it goes out with the laptop closed. */
  scheduleNative?(ctx: ConnectorContext<Credentials, Config>, post: PublishRequest, at: number): Promise<NativeSchedule>;
  updateNative?(ctx: ConnectorContext<Credentials, Config>, nativeId: string, post: PublishRequest, at: number): Promise<NativeSchedule>;
  cancelNative?(ctx: ConnectorContext<Credentials, Config>, nativeId: string): Promise<void>;
  /** After the scheduled time: did the handed-over post go out? */
  checkNative?(ctx: ConnectorContext<Credentials, Config>, nativeId: string, expected: { text: string; scheduledAt: number }): Promise<NativeState>;
  /** After a crash: did the attempt with this key reach the network? */
  verify?(
    ctx: ConnectorContext<Credentials, Config>,
    attempt: { idempotencyKey: string; startedAt: number; text: string },
  ): Promise<VerifyOutcome>;
}
