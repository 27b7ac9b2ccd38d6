/**
 * The media library's limits and formats, shared by main (which enforces them) and the
 * renderer (which checks sizes before uploading and words the errors).
 */

/**
 * Largest video accepted: 2 GiB, Pinterest's limit and above X (512 MB), Threads and
 * Instagram (1 GB); only Facebook's resumable upload (10 GB) takes more, which we do not build.
 * It is also the cap for every file, checked before a byte is read.
 */
export const MAX_VIDEO_BYTES = 2 * 1024 ** 3;

/** Largest image file: 50 MB, VK's wall-photo limit and the most any supported network accepts. */
export const MAX_IMAGE_BYTES = 50 * 1024 ** 2;

/**
 * Most pixels an image may declare: 200 megapixels covers today's 200 MP phone sensors; a
 * decompression bomb declares far more than it stores and is refused before decoding.
 */
export const MAX_IMAGE_PIXELS = 200_000_000;

/** Longest edge of a thumbnail, in pixels: sharp on a 2× screen in the library's grid. */
export const THUMBNAIL_EDGE = 320;

/** Alt text up to Mastodon's 1,500 characters; the composer warns where a network takes less. */
export const MAX_ALT_TEXT = 1500;

/**
 * What the library stores, chosen from what the networks accept (HEIC needs a decoder sharp's prebuilt libvips lacks).
 * WebM is kept for the library and the editor's conversions; the networks' rules say where it may go as it is.
 */
export const supportedMimes = ['image/jpeg', 'image/png', 'image/webp', 'image/gif', 'video/mp4', 'video/quicktime', 'video/webm'] as const;
export type SupportedMime = (typeof supportedMimes)[number];

export type MediaKind = 'image' | 'video';

export function kindOfMime(mime: string): MediaKind {
  return mime.startsWith('video/') ? 'video' : 'image';
}

/** The `accept` list for a file picker: by type, so the system dialog offers the right files. */
export const pickerAccept = [...supportedMimes, '.jpg', '.jpeg', '.png', '.webp', '.gif', '.mp4', '.mov', '.m4v', '.webm'].join(',');

/** Custom URL scheme the Electron app serves media from; the browser host uses /api/media instead. */
export const MEDIA_SCHEME = 'outpost-media';

export type MediaVariant = 'thumb' | 'file';

/** Ids are UUIDs: checking the shape keeps anything path-like out of a media URL. */
const MEDIA_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function isMediaId(value: string): boolean {
  return MEDIA_ID.test(value);
}

/** `outpost-media://media/<id>/<thumb|file>` → the id and variant, or null for anything else. */
export function parseMediaUrl(raw: string): { id: string; variant: MediaVariant } | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  if (url.protocol !== `${MEDIA_SCHEME}:` || url.hostname !== 'media' || url.port || url.username || url.search) return null;
  const match = /^\/([^/]+)\/(thumb|file)$/.exec(url.pathname);
  if (!match || !isMediaId(match[1] ?? '')) return null;
  return { id: match[1] as string, variant: match[2] as MediaVariant };
}

export function mediaSchemeUrl(id: string, variant: MediaVariant): string {
  return `${MEDIA_SCHEME}://media/${id}/${variant}`;
}
