import type { NetworkId } from './ids';
import type { AudioCodec, VideoCodec } from '../video';

/**
 * Each network's limits as data: the composer's counters and checks read them, previews and
 * the editor's "fit every network" export read them too. Sources are in
 * shared/networks/CONTRACTS.md unless a comment says otherwise: [doc] documented,
 * [src] read in the server's source, [obs] reported or observed, not documented.
 */

/** How a text is measured. */
export type CountUnit =
  /** X: twitter-text v3 weights (most Latin 1, CJK and emoji 2, URL 23). Threads: emoji weigh their UTF-8 bytes. */
  | 'weighted'
  /** User-perceived characters (extended grapheme clusters). */
  | 'graphemes'
  | 'utf8_bytes'
  | 'code_points'
  /** JavaScript string length; used where the unit is not documented, as it never undercounts code points. */
  | 'utf16_units'
  /** Hashtags or mentions. */
  | 'items';

/** What a limit applies to. `caption` is the post text when it goes out with media (Telegram). */
export type CountedField = 'text' | 'caption' | 'title' | 'link' | 'alt' | 'hashtags' | 'mentions';

export interface TextLimit {
  field: CountedField;
  unit: CountUnit;
  max: number;
}

/** Width to height, e.g. 4:5 is { width: 4, height: 5 }; compared exactly with integer products. */
export interface AspectRatio {
  width: number;
  height: number;
}

export interface ImageRules {
  /** Accepted MIME types; "image/*" accepts any image. */
  mimes: readonly string[];
  /** Largest accepted file; undefined when the network documents none (it still checks). */
  maxBytes?: number;
  /** Largest width × height. */
  maxPixels?: number;
  /** Largest width + height (Telegram, VK). */
  maxWidthPlusHeight?: number;
  /** Longest side over shortest side at most this (Telegram, VK 20:1). */
  maxSideRatio?: number;
  /** Narrowest (tallest) accepted shape. */
  minAspect?: AspectRatio;
  /** Widest accepted shape. */
  maxAspect?: AspectRatio;
  /** Narrower images are scaled up by the network: a warning, not an error. */
  scaledBelowWidth?: number;
  /** Wider images are scaled down by the network: a warning, not an error. */
  scaledAboveWidth?: number;
}

export interface AnimatedGifRules {
  maxBytes?: number;
  /** Must be the post's only media. */
  alone: boolean;
}

export interface VideoRules {
  mimes: readonly string[];
  maxBytes?: number;
  /** Must be the post's only media. */
  alone: boolean;
  /** The shape a video posted on its own is shown in (Instagram reels 9:16); another shape is a warning with a crop fix. */
  aloneAspect?: AspectRatio;
  /** Video codecs the network takes; others are re-encoded to H.264. Unset: any the container holds. */
  codecs?: readonly VideoCodec[];
  /** Audio codecs the network takes; others are re-encoded where this computer can (AAC cannot be made in Chromium). */
  audioCodecs?: readonly AudioCodec[];
  minDurationMs?: number;
  maxDurationMs?: number;
  /** Upright frame bounds on the longer and the shorter side, whichever way the video stands; a larger one is scaled down. */
  maxLongSide?: number;
  maxShortSide?: number;
  /** Width / height bounds; a video outside is cropped to the nearest bound. */
  minAspect?: number;
  maxAspect?: number;
  maxFrameRate?: number;
}

export interface MediaRules {
  /** 1 where the network has no text-only posts (Instagram, Pinterest). */
  minItems: number;
  /** Images and videos together (and the link, where `linkIsItem`). */
  maxItems: number;
  /** VK: the link attached to the post is one of its `maxItems` attachments. */
  linkIsItem?: boolean;
  image: ImageRules;
  /** Instagram crops every image of a carousel to the first one's shape: a differing one is a warning with a crop fix. */
  carouselCropsToFirst?: boolean;
  /** When set, GIFs follow these rules instead of `image` (X and Mastodon take one GIF, alone). */
  gif?: AnimatedGifRules;
  /** Null when a video cannot be published there (yet). */
  video: VideoRules | null;
}

export interface NetworkRules {
  network: NetworkId;
  /** Limits on the post's text fields; for Telegram `caption` replaces `text` when the post has media. */
  text: readonly TextLimit[];
  /** Mastodon: every URL with a scheme counts as this many characters, whatever its length. */
  urlLength?: number;
  /** Mastodon: "@user@domain" counts as "@user". */
  mentionDomainsFree?: boolean;
  media: MediaRules;
  /** False where the network's API does not let apps delete a post (Instagram, CONTRACTS.md §7): no auto-delete there. */
  apiDeletes?: false;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

const MB = 1_000_000;
const MiB = 1024 * 1024;

const jpegPng = ['image/jpeg', 'image/png'] as const;
const commonImages = ['image/jpeg', 'image/png', 'image/webp', 'image/gif'] as const;

/** What a Mastodon instance reports in GET /api/v2/instance (configuration.*); per account. */
export interface MastodonInstanceLimits {
  maxCharacters: number;
  charactersReservedPerUrl: number;
  maxMediaAttachments: number;
  imageSizeLimit: number;
  imageMatrixLimit: number;
  videoSizeLimit: number;
  supportedMimeTypes: readonly string[];
}

/** Mastodon's defaults [doc entities/Instance.md, user/posting.md]; instances may change them. */
export const mastodonDefaults: Readonly<MastodonInstanceLimits> = deepFreeze({
  maxCharacters: 500,
  charactersReservedPerUrl: 23,
  maxMediaAttachments: 4,
  imageSizeLimit: 16_777_216,
  imageMatrixLimit: 33_177_600,
  // Default video_size_limit in the Instance example (99 MiB); not in CONTRACTS.md.
  videoSizeLimit: 103_809_024,
  supportedMimeTypes: [
    'image/jpeg',
    'image/png',
    'image/gif',
    'image/heic',
    'image/heif',
    'image/webp',
    'image/avif',
    'video/webm',
    'video/mp4',
    'video/quicktime',
  ],
});

function mastodonRules(limits: MastodonInstanceLimits): NetworkRules {
  const images = limits.supportedMimeTypes.filter((mime) => mime.startsWith('image/') && mime !== 'image/gif');
  const videos = limits.supportedMimeTypes.filter((mime) => mime.startsWith('video/'));
  return {
    network: 'mastodon',
    // [src status_length_validator.rb] grapheme clusters, spoiler text included.
    text: [{ field: 'text', unit: 'graphemes', max: limits.maxCharacters }],
    urlLength: limits.charactersReservedPerUrl,
    mentionDomainsFree: true,
    media: {
      minItems: 0,
      maxItems: limits.maxMediaAttachments,
      image: { mimes: images, maxBytes: limits.imageSizeLimit, maxPixels: limits.imageMatrixLimit },
      // "One video or GIF per post" [doc user/posting.md]; a GIF is an image upload.
      gif: limits.supportedMimeTypes.includes('image/gif')
        ? { maxBytes: limits.imageSizeLimit, alone: true }
        : undefined,
      video: videos.length > 0 ? { mimes: videos, maxBytes: limits.videoSizeLimit, alone: true } : null,
    },
  };
}

/** Every network's rules with default account settings; frozen, as many readers share them. */
export const networkRules: Readonly<Record<NetworkId, NetworkRules>> = deepFreeze({
  telegram: {
    network: 'telegram',
    // [doc] 1–4096 characters, caption 0–1024; [src tdlib] counted in code points.
    text: [
      { field: 'text', unit: 'code_points', max: 4096 },
      { field: 'caption', unit: 'code_points', max: 1024 },
    ],
    media: {
      minItems: 0,
      // sendPhoto for one, sendMediaGroup for 2–10 [doc].
      maxItems: 10,
      image: {
        // sendPhoto takes these as photos; a GIF would be an animation, which albums refuse.
        mimes: ['image/jpeg', 'image/png', 'image/webp'],
        // "10 MB" [doc]; read as decimal, the stricter reading.
        maxBytes: 10 * MB,
        maxWidthPlusHeight: 10_000,
        maxSideRatio: 20,
      },
      // Bot API uploads ≤50 MB, MP4 [doc CONTRACTS.md §Telegram]; sendVideo: "Telegram clients support MPEG4 videos" (H.264 with AAC plays everywhere).
      video: { mimes: ['video/mp4'], maxBytes: 50 * MB, alone: false, codecs: ['avc'] },
    },
  },
  mastodon: mastodonRules(mastodonDefaults),
  bluesky: {
    network: 'bluesky',
    // [doc lexicon app.bsky.feed.post] maxGraphemes 300 and maxLength 3000 (UTF-8 bytes).
    text: [
      { field: 'text', unit: 'graphemes', max: 300 },
      { field: 'text', unit: 'utf8_bytes', max: 3000 },
    ],
    media: {
      minItems: 0,
      maxItems: 4,
      // The lexicon accepts image/*; these are the ones the app renders. A GIF shows as a still.
      image: { mimes: commonImages, maxBytes: 1_000_000 },
      // One MP4 alone, through Bluesky's video service; the blob's maxSize in app.bsky.embed.video [doc lexicon].
      video: { mimes: ['video/mp4'], maxBytes: 300_000_000, alone: true },
    },
  },
  vk: {
    network: 'vk',
    // [obs] 16,384 characters is the commonly reported wall post limit; VK does not document one.
    text: [{ field: 'text', unit: 'utf16_units', max: 16_384 }],
    media: {
      minItems: 0,
      // [obs ⚠] up to 10 attachments, the link included (VK's web composer stops there too).
      maxItems: 10,
      linkIsItem: true,
      // [doc upload/wall-photo] JPG/PNG/GIF, ≤50 MB, width+height ≤14,000, aspect at least 1:20.
      image: {
        mimes: ['image/jpeg', 'image/png', 'image/gif'],
        maxBytes: 50 * MB,
        maxWidthPlusHeight: 14_000,
        maxSideRatio: 20,
      },
      // The containers the VK connector uploads through video.save (MP4, MOV, WebM, MKV, AVI).
      video: { mimes: ['video/mp4', 'video/quicktime', 'video/webm', 'video/x-matroska', 'video/avi'], alone: false },
    },
  },
  ok: {
    network: 'ok',
    // ⚠ apiok.ru documents no text limit for mediatopic.post; Outpost holds OK to VK's bound until it is measured.
    text: [{ field: 'text', unit: 'utf16_units', max: 16_384 }],
    media: {
      minItems: 0,
      // ⚠ Not documented either (photosV2.getUploadUrl takes any `count`); 10 keeps OK with its neighbour VK.
      maxItems: 10,
      // apiok.ru/dev/methods/rest/photosV2/photosV2.getUploadUrl names no formats; these are what OK's uploader accepts on the site.
      image: { mimes: ['image/jpeg', 'image/png', 'image/gif'] },
      // Video goes through video.getUploadUrl: the OK connector does not do it yet.
      video: null,
    },
  },
  linkedin: {
    network: 'linkedin',
    // [doc posts-api] commentary ≤3000; unit undocumented (Java strings count UTF-16 units).
    text: [{ field: 'text', unit: 'utf16_units', max: 3000 }],
    media: {
      minItems: 0,
      // One image, or multiImage 2–20 [doc].
      maxItems: 20,
      // JPG/PNG/GIF [doc images-api]; under 36,152,320 pixels [obs].
      image: { mimes: ['image/jpeg', 'image/png', 'image/gif'], maxPixels: 36_152_319 },
      // A post carries one video and nothing else: MP4, 75 KB to 500 MB, 3 s to 30 min [doc videos-api, Video Specifications].
      video: { mimes: ['video/mp4'], maxBytes: 500 * MB, alone: true, minDurationMs: 3_000, maxDurationMs: 30 * 60_000 },
    },
  },
  x: {
    network: 'x',
    // [doc counting-characters] 280 weighted, twitter-text v3.
    text: [{ field: 'text', unit: 'weighted', max: 280 }],
    media: {
      minItems: 0,
      // 4 photos, or 1 GIF, or 1 video [doc].
      maxItems: 4,
      // "5 MB" [doc]; read as decimal, the stricter reading.
      image: { mimes: ['image/jpeg', 'image/png', 'image/webp'], maxBytes: 5 * MB },
      gif: { maxBytes: 15 * MB, alone: true },
      // ≤512 MB, 0.5–140 s [doc CONTRACTS.md §X]; H.264 with AAC LC, ≤60 fps, at most 1920×1200 (or 1200×1920 standing), 1:3 to 3:1 [doc X media best practices, async upload].
      video: {
        mimes: ['video/mp4', 'video/quicktime'],
        maxBytes: 512 * MB,
        alone: true,
        codecs: ['avc'],
        audioCodecs: ['aac'],
        minDurationMs: 500,
        maxDurationMs: 140_000,
        maxLongSide: 1920,
        maxShortSide: 1200,
        minAspect: 1 / 3,
        maxAspect: 3,
        maxFrameRate: 60,
      },
    },
  },
  discord: {
    network: 'discord',
    // [doc webhook.mdx] content ≤2000; its OpenAPI maxLength counts code points (JSON Schema).
    text: [{ field: 'text', unit: 'code_points', max: 2000 }],
    media: {
      minItems: 0,
      // [obs ⚠] about 10 files a message.
      maxItems: 10,
      // Any file goes; 10 MiB each by default [doc].
      image: { mimes: ['image/*'], maxBytes: 10 * MiB },
      video: { mimes: ['video/*'], maxBytes: 10 * MiB, alone: false },
    },
  },
  facebook: {
    network: 'facebook',
    // [obs ⚠] about 63,206 characters; not documented.
    text: [{ field: 'text', unit: 'utf16_units', max: 63_206 }],
    media: {
      minItems: 0,
      // Several photos go as unpublished uploads + attached_media, which has no documented cap; 10 is Outpost's own until verified ⚠.
      maxItems: 10,
      // "~4 MB" [doc ⚠, may be a recommendation]; held as a limit so nothing is sent that may be refused.
      image: { mimes: ['image/jpeg', 'image/png', 'image/gif'], maxBytes: 4 * MB },
      // A video is its own post (/videos).
      video: { mimes: ['video/mp4', 'video/quicktime'], alone: true },
    },
  },
  instagram: {
    network: 'instagram',
    // [doc] caption 2200 characters, at most 30 hashtags and 20 @-mentions. The unit is not documented:
    // UTF-16 units never count fewer than Instagram's app does, so nothing Instagram would refuse passes.
    text: [
      { field: 'text', unit: 'utf16_units', max: 2200 },
      { field: 'hashtags', unit: 'items', max: 30 },
      { field: 'mentions', unit: 'items', max: 20 },
    ],
    // [doc ⚠] Ayrshare: "Instagram does not support deletes through an API"; treated as unsupported until verified.
    apiDeletes: false,
    media: {
      // Instagram has no text-only posts; a carousel holds up to 10 items [doc].
      minItems: 1,
      maxItems: 10,
      // [doc content-publishing] "All carousel images are cropped based on the first image in the carousel".
      carouselCropsToFirst: true,
      // [doc/obs ⚠] JPEG only, ≤8 MB, aspect 4:5 to 1.91:1; widths outside 320–1440 are rescaled.
      image: {
        mimes: ['image/jpeg'],
        maxBytes: 8 * MB,
        minAspect: { width: 4, height: 5 },
        maxAspect: { width: 191, height: 100 },
        scaledBelowWidth: 320,
        scaledAboveWidth: 1440,
      },
      // Carousels may mix images and videos; a lone video goes out as a reel, ≤300 MB and shown 9:16
      // [doc ig-user/media "Reel specifications" ⚠ not in CONTRACTS.md].
      video: { mimes: ['video/mp4', 'video/quicktime'], maxBytes: 300 * MB, alone: false, aloneAspect: { width: 9, height: 16 } },
    },
  },
  threads: {
    network: 'threads',
    // [doc] 500 characters; "Emojis are counted as the number of UTF-8 bytes".
    text: [{ field: 'text', unit: 'weighted', max: 500 }],
    media: {
      minItems: 0,
      // Carousel up to 20 [doc ⚠ older docs said 10].
      maxItems: 20,
      // Threads media specs [doc, not in CONTRACTS.md ⚠]: JPEG/PNG, ≤8 MB, ratio ≤10:1, widths 320–1440 rescaled.
      image: {
        mimes: jpegPng,
        maxBytes: 8 * MB,
        maxSideRatio: 10,
        scaledBelowWidth: 320,
        scaledAboveWidth: 1440,
      },
      // ≤1 GB [doc Threads media specifications ⚠ not in CONTRACTS.md]; carousels mix images and videos.
      video: { mimes: ['video/mp4', 'video/quicktime'], maxBytes: 1000 * MB, alone: false },
    },
  },
  pinterest: {
    network: 'pinterest',
    // [doc openapi PinCreate] maxLength in JSON Schema counts code points.
    text: [
      { field: 'title', unit: 'code_points', max: 100 },
      { field: 'text', unit: 'code_points', max: 800 },
      { field: 'link', unit: 'code_points', max: 2048 },
      { field: 'alt', unit: 'code_points', max: 500 },
    ],
    media: {
      // A pin always has media: one image, or a carousel of 2–5 [doc].
      minItems: 1,
      maxItems: 5,
      image: { mimes: jpegPng },
      video: { mimes: ['video/mp4', 'video/quicktime'], alone: true },
    },
  },
  youtube: {
    network: 'youtube',
    // [doc youtube/v3/docs/videos#snippet] title ≤100 characters, description ≤5000 bytes (UTF-8);
    // tags (≤500 characters together) are checked in core/networks/youtube.ts.
    text: [
      { field: 'title', unit: 'code_points', max: 100 },
      { field: 'text', unit: 'utf8_bytes', max: 5000 },
    ],
    media: {
      // A YouTube upload is one video and nothing else; the thumbnail goes separately (thumbnails.set).
      minItems: 1,
      maxItems: 1,
      image: { mimes: [] },
      // [doc support.google.com/youtube/answer/4934046] ≤256 GB; the containers YouTube lists that browsers name.
      video: {
        mimes: ['video/mp4', 'video/quicktime', 'video/webm', 'video/x-matroska', 'video/avi', 'video/x-msvideo', 'video/mpeg', 'video/3gpp'],
        maxBytes: 256 * 1000 * MB,
        alone: true,
      },
    },
  },
});

/** Per-account settings that change a network's rules. */
export interface RuleOptions {
  /** The account's Mastodon instance limits (from GET /api/v2/instance); defaults otherwise. */
  mastodon?: Partial<MastodonInstanceLimits>;
}

/** The rules for one network, with the account's own limits applied where a network has them. */
export function rulesFor(network: NetworkId, options: RuleOptions = {}): NetworkRules {
  if (network === 'mastodon' && options.mastodon) {
    return mastodonRules({ ...mastodonDefaults, ...options.mastodon });
  }
  return networkRules[network];
}

/** The limit on one field, if the network has one. */
export function textLimit(rules: NetworkRules, field: CountedField, unit?: CountUnit): TextLimit | undefined {
  return rules.text.find((limit) => limit.field === field && (unit === undefined || limit.unit === unit));
}

/** Whether apps may delete this network's posts through its API, so auto-delete can be offered there. */
export function apiDeletes(network: NetworkId): boolean {
  return networkRules[network].apiDeletes !== false;
}
