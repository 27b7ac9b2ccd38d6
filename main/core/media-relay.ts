import type { MediaItem } from './connector';

/**
 * A port for networks that fetch media from a web address instead of taking the bytes (Threads
 * and Instagram: "Threads retrieves your image from the URL provided, so it must be on a public
 * server", developers.facebook.com/documentation/threads/posts). An implementation (the user's S3
 * bucket, a Facebook Page's unpublished photo…) puts the file where the network can reach it over
 * https, and takes it away again once the network has it. Tests give a loopback relay.
 */

export interface RelayedMedia {
  /** Where the network fetches the file: https on a public host (loopback http only in tests). */
  url: string;
  /** Takes the file away; safe to call twice, and after a failed publish. */
  remove(): Promise<void>;
}

export interface MediaRelay {
  put(media: MediaItem, options?: { signal?: AbortSignal }): Promise<RelayedMedia>;
}
