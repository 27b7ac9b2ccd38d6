import { attachedLink } from './attached-link';
import type { PostDraft, PostMedia, TextCount } from './count';
import { countWithRules } from './count';
import type { NetworkId } from './ids';
import type { AspectRatio, CountedField, CountUnit, ImageRules, NetworkRules, RuleOptions, VideoRules } from './rules';
import { rulesFor } from './rules';
import type { AudioCodec, VideoCodec } from '../video';

/**
 * One entry point for the composer (on every keystroke) and the publish path (once more
 * before sending): counts and issues of a draft on one network. Issues carry stable codes
 * and numbers; the UI words them. `message` is English for logs and tests, never shown.
 */

/** A change to one media item that would make it fit; the editor can apply it. */
export type MediaFix =
  /** Re-encode (and shrink if needed) under `maxBytes`. */
  | { key: 'compress'; maxBytes: number }
  /** Scale to exactly this size; the aspect ratio is kept. */
  | { key: 'resize'; width: number; height: number }
  /** Crop to `aspect`; width × height is the largest such crop of the image. */
  | { key: 'crop'; aspect: AspectRatio; width: number; height: number }
  | { key: 'convert'; mime: string }
  /** Videos: keep the first `maxDurationMs`. */
  | { key: 'trim'; maxDurationMs: number }
  /** Videos: re-encode the picture to `codec` (and at most `frameRate`). */
  | { key: 'reencode'; codec: VideoCodec; frameRate?: number }
  /** Videos: re-encode the sound to `codec` (the window says when this computer has no such encoder: AAC in Chromium). */
  | { key: 'reencode_audio'; codec: AudioCodec }
  | { key: 'remove' };

export type IssueSeverity =
  /** The network would refuse the post. */
  | 'error'
  /** The network takes it but changes it (rescales an image). */
  | 'warning';

interface Issue {
  severity: IssueSeverity;
  message: string;
}

interface MediaIssue extends Issue {
  mediaIndex: number;
}

export type PostIssue =
  | (Issue & { code: 'text_too_long'; field: CountedField; unit: CountUnit; limit: number; actual: number; mediaIndex?: number })
  | (Issue & { code: 'too_many_hashtags' | 'too_many_mentions'; limit: number; actual: number })
  /** No text and no media. */
  | (Issue & { code: 'post_empty' })
  /** The network has no text-only posts (Instagram, Pinterest). */
  | (Issue & { code: 'media_required'; limit: number; actual: number })
  | (Issue & { code: 'too_many_media'; limit: number; actual: number; fix: { key: 'remove_media'; count: number } })
  /** VK: media and the attached link together over the limit; actual counts the link. */
  | (Issue & { code: 'too_many_attachments'; limit: number; actual: number; fix: { key: 'remove_media'; count: number } })
  | (MediaIssue & { code: 'format_not_supported'; actual: string; allowed: readonly string[]; fix: MediaFix })
  | (MediaIssue & { code: 'video_not_supported'; fix: MediaFix })
  /** A video or GIF that must be the post's only media. */
  | (MediaIssue & { code: 'media_must_be_alone'; limit: 1; actual: number; fix: MediaFix })
  | (MediaIssue & { code: 'image_too_large' | 'video_too_large'; limit: number; actual: number; fix: MediaFix })
  /** width × height over the limit. */
  | (MediaIssue & { code: 'image_too_many_pixels'; limit: number; actual: number; fix: MediaFix })
  /** width + height over the limit (Telegram, VK). */
  | (MediaIssue & { code: 'image_dimensions_too_large'; limit: number; actual: number; fix: MediaFix })
  /** Shape out of range; limit and actual are width / height. */
  | (MediaIssue & { code: 'aspect_ratio'; limit: number; actual: number; fix: MediaFix })
  /** A lone video not in the shape the network shows it (Instagram reels 9:16): bars or a crop (a warning). */
  | (MediaIssue & { code: 'video_aspect'; limit: number; actual: number; fix: MediaFix })
  /** Milliseconds over the network's longest video, or under its shortest. */
  | (MediaIssue & { code: 'video_too_long' | 'video_too_short'; limit: number; actual: number; fix: MediaFix })
  /** Upright width or height over the network's; limit and actual are the side that is over. */
  | (MediaIssue & { code: 'video_dimensions_too_large'; limit: number; actual: number; fix: MediaFix })
  /** Width / height outside the network's range; limit is the bound crossed. */
  | (MediaIssue & { code: 'video_aspect_range'; limit: number; actual: number; fix: MediaFix })
  | (MediaIssue & { code: 'video_frame_rate'; limit: number; actual: number; fix: MediaFix })
  | (MediaIssue & { code: 'video_codec' | 'audio_codec'; actual: string; allowed: readonly string[]; fix: MediaFix })
  /** A carousel item the network will crop to the first item's shape (Instagram; a warning). */
  | (MediaIssue & { code: 'carousel_cropped'; limit: number; actual: number; fix: MediaFix })
  /** Width outside what the network keeps; it will rescale the image (a warning). */
  | (MediaIssue & { code: 'image_will_be_rescaled'; limit: number; actual: number; fix: MediaFix });

export type PostIssueCode = PostIssue['code'];

export interface PostCheck {
  network: NetworkId;
  counts: TextCount[];
  issues: PostIssue[];
  /** VK: media and the attached link against the attachment limit, for the composer's counter. */
  attachments?: { used: number; limit: number; link: boolean };
  /** No issue of severity "error". */
  ok: boolean;
}

type MediaKind = 'image' | 'gif' | 'video' | 'other';

function mediaKind(mime: string): MediaKind {
  if (mime === 'image/gif') return 'gif';
  if (mime.startsWith('image/')) return 'image';
  if (mime.startsWith('video/')) return 'video';
  return 'other';
}

function mimeAllowed(mime: string, allowed: readonly string[]): boolean {
  return allowed.some((entry) => entry === mime || (entry.endsWith('/*') && mime.startsWith(entry.slice(0, -1))));
}

/** The format to convert to: JPEG where allowed (photos), else the first concrete one. */
function conversionTarget(allowed: readonly string[], preferred: string): string {
  if (mimeAllowed(preferred, allowed)) return preferred;
  return allowed.find((mime) => !mime.endsWith('/*')) ?? preferred;
}

/** The file is not a format the network takes: convert it (to JPEG or MP4 where allowed). */
function convertIssue(mime: string, mediaIndex: number, allowed: readonly string[], preferred: string): PostIssue {
  return {
    code: 'format_not_supported',
    severity: 'error',
    mediaIndex,
    actual: mime,
    allowed,
    fix: { key: 'convert', mime: conversionTarget(allowed, preferred) },
    message: `${mime} is not one of ${allowed.join(', ')}`,
  };
}

/** Largest size with the same aspect ratio that meets every bound given. */
function scaledDown(width: number, height: number, bounds: { maxPixels?: number; maxSum?: number; maxWidth?: number }) {
  let scale = 1;
  if (bounds.maxPixels !== undefined) scale = Math.min(scale, Math.sqrt(bounds.maxPixels / (width * height)));
  if (bounds.maxSum !== undefined) scale = Math.min(scale, bounds.maxSum / (width + height));
  if (bounds.maxWidth !== undefined) scale = Math.min(scale, bounds.maxWidth / width);
  const fits = (w: number, h: number) =>
    (bounds.maxPixels === undefined || w * h <= bounds.maxPixels) &&
    (bounds.maxSum === undefined || w + h <= bounds.maxSum) &&
    (bounds.maxWidth === undefined || w <= bounds.maxWidth);
  // Rounding can land one pixel over a bound; step down until it fits.
  for (;;) {
    const w = Math.max(1, Math.floor(width * scale + 1e-9));
    const h = Math.max(1, Math.floor(height * scale + 1e-9));
    if (fits(w, h) || (w === 1 && h === 1)) return { width: w, height: h };
    scale *= 0.999;
  }
}

/** Two shapes a viewer cannot tell apart (within 1%), so no crop is suggested for rounding. */
function sameShape(a: number, b: number): boolean {
  return Math.abs(a - b) <= 0.01 * b;
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/** The shape every carousel item is cropped to: the first image's, within the network's bounds. */
function firstItemShape(image: ImageRules, first: PostMedia | undefined): AspectRatio | undefined {
  if (!first || mediaKind(first.mime) === 'video' || !first.width || !first.height) return undefined;
  const { width, height } = first;
  if (image.minAspect && width * image.minAspect.height < height * image.minAspect.width) return image.minAspect;
  if (image.maxAspect && width * image.maxAspect.height > height * image.maxAspect.width) return image.maxAspect;
  const divisor = gcd(width, height);
  return { width: width / divisor, height: height / divisor };
}

/** Instagram crops the carousel's other images to the first one's shape: say which, and offer that crop. */
function checkCarouselShapes(issues: PostIssue[], rules: NetworkRules, post: PostDraft): void {
  const shape = firstItemShape(rules.media.image, post.media[0]);
  if (!shape || post.media.length < 2) return;
  const target = shape.width / shape.height;
  post.media.forEach((item, mediaIndex) => {
    if (mediaIndex === 0 || mediaKind(item.mime) === 'video' || !item.width || !item.height) return;
    if (sameShape(item.width / item.height, target)) return;
    issues.push({
      code: 'carousel_cropped',
      severity: 'warning',
      mediaIndex,
      limit: target,
      actual: item.width / item.height,
      fix: cropTo(item.width, item.height, shape),
      message: `image ${mediaIndex} is ${item.width}:${item.height}; ${rules.network} crops it to the first image's ${shape.width}:${shape.height}`,
    });
  });
}

/** The largest crop of width × height with the given aspect ratio. */
function cropTo(width: number, height: number, aspect: AspectRatio) {
  // Too wide: keep the height. Too tall: keep the width.
  if (width * aspect.height > height * aspect.width) {
    return { key: 'crop' as const, aspect, width: Math.floor((height * aspect.width) / aspect.height), height };
  }
  return { key: 'crop' as const, aspect, width, height: Math.floor((width * aspect.height) / aspect.width) };
}

function checkPixels(issues: PostIssue[], image: ImageRules, item: PostMedia, mediaIndex: number): void {
  const { width, height } = item;
  if (width === undefined || height === undefined || width <= 0 || height <= 0) return;
  if (image.maxPixels !== undefined && width * height > image.maxPixels) {
    issues.push({
      code: 'image_too_many_pixels',
      severity: 'error',
      mediaIndex,
      limit: image.maxPixels,
      actual: width * height,
      fix: { key: 'resize', ...scaledDown(width, height, { maxPixels: image.maxPixels }) },
      message: `image ${mediaIndex} has ${width * height} pixels, over ${image.maxPixels}`,
    });
  }
  if (image.maxWidthPlusHeight !== undefined && width + height > image.maxWidthPlusHeight) {
    issues.push({
      code: 'image_dimensions_too_large',
      severity: 'error',
      mediaIndex,
      limit: image.maxWidthPlusHeight,
      actual: width + height,
      fix: { key: 'resize', ...scaledDown(width, height, { maxSum: image.maxWidthPlusHeight }) },
      message: `image ${mediaIndex} width+height ${width + height} over ${image.maxWidthPlusHeight}`,
    });
  }
  const ratio = width / height;
  const aspectIssue = (bound: AspectRatio) =>
    issues.push({
      code: 'aspect_ratio',
      severity: 'error',
      mediaIndex,
      limit: bound.width / bound.height,
      actual: ratio,
      fix: cropTo(width, height, bound),
      message: `image ${mediaIndex} aspect ${width}:${height} outside the limit ${bound.width}:${bound.height}`,
    });
  if (image.maxSideRatio !== undefined) {
    if (width > height * image.maxSideRatio) aspectIssue({ width: image.maxSideRatio, height: 1 });
    else if (height > width * image.maxSideRatio) aspectIssue({ width: 1, height: image.maxSideRatio });
  }
  if (image.minAspect && width * image.minAspect.height < height * image.minAspect.width) aspectIssue(image.minAspect);
  if (image.maxAspect && width * image.maxAspect.height > height * image.maxAspect.width) aspectIssue(image.maxAspect);
  if (image.scaledAboveWidth !== undefined && width > image.scaledAboveWidth) {
    issues.push({
      code: 'image_will_be_rescaled',
      severity: 'warning',
      mediaIndex,
      limit: image.scaledAboveWidth,
      actual: width,
      fix: { key: 'resize', ...scaledDown(width, height, { maxWidth: image.scaledAboveWidth }) },
      message: `image ${mediaIndex} is ${width} px wide; the network scales it to ${image.scaledAboveWidth}`,
    });
  }
  if (image.scaledBelowWidth !== undefined && width < image.scaledBelowWidth) {
    issues.push({
      code: 'image_will_be_rescaled',
      severity: 'warning',
      mediaIndex,
      limit: image.scaledBelowWidth,
      actual: width,
      fix: {
        key: 'resize',
        width: image.scaledBelowWidth,
        height: Math.ceil((height * image.scaledBelowWidth) / width),
      },
      message: `image ${mediaIndex} is ${width} px wide; the network scales it up to ${image.scaledBelowWidth}`,
    });
  }
}

/** A video's duration, frame size, shape, frame rate and codecs against the network's; what is not known is not checked. */
function checkVideoStream(issues: PostIssue[], video: VideoRules, item: PostMedia, mediaIndex: number, network: NetworkId): void {
  const { durationMs, width, height, frameRate } = item;
  if (durationMs !== undefined && video.maxDurationMs !== undefined && durationMs > video.maxDurationMs) {
    issues.push({
      code: 'video_too_long',
      severity: 'error',
      mediaIndex,
      limit: video.maxDurationMs,
      actual: durationMs,
      fix: { key: 'trim', maxDurationMs: video.maxDurationMs },
      message: `video ${mediaIndex} lasts ${durationMs} ms, over ${network}'s ${video.maxDurationMs}`,
    });
  }
  if (durationMs !== undefined && video.minDurationMs !== undefined && durationMs < video.minDurationMs) {
    issues.push({
      code: 'video_too_short',
      severity: 'error',
      mediaIndex,
      limit: video.minDurationMs,
      actual: durationMs,
      fix: { key: 'remove' },
      message: `video ${mediaIndex} lasts ${durationMs} ms, under ${network}'s ${video.minDurationMs}`,
    });
  }
  if (width && height) {
    const ratio = width / height;
    const bound = video.minAspect !== undefined && ratio < video.minAspect ? video.minAspect : video.maxAspect !== undefined && ratio > video.maxAspect ? video.maxAspect : undefined;
    let fitted = { width, height };
    if (bound !== undefined) {
      // The largest crop at the bound: full height for a too-wide video, full width for a too-tall one.
      fitted = ratio > bound ? { width: Math.floor(height * bound), height } : { width, height: Math.floor(width / bound) };
      const aspect = bound >= 1 ? { width: Math.round(bound), height: 1 } : { width: 1, height: Math.round(1 / bound) };
      issues.push({
        code: 'video_aspect_range',
        severity: 'error',
        mediaIndex,
        limit: bound,
        actual: ratio,
        fix: { key: 'crop', aspect, ...fitted },
        message: `video ${mediaIndex} is ${width}:${height}, outside ${network}'s ${video.minAspect}–${video.maxAspect}`,
      });
    }
    const long = Math.max(fitted.width, fitted.height);
    const short = Math.min(fitted.width, fitted.height);
    const overLong = video.maxLongSide !== undefined && long > video.maxLongSide;
    const overShort = video.maxShortSide !== undefined && short > video.maxShortSide;
    if (overLong || overShort) {
      const longScale = overLong ? (video.maxLongSide as number) / long : 1;
      const shortScale = overShort ? (video.maxShortSide as number) / short : 1;
      // The side that needs the larger shrink is the one named.
      const byLong = longScale <= shortScale;
      const scale = Math.min(longScale, shortScale);
      // Encoders want even sides.
      const even = (n: number) => Math.max(2, Math.floor((n * scale) / 2) * 2);
      issues.push({
        code: 'video_dimensions_too_large',
        severity: 'error',
        mediaIndex,
        limit: byLong ? (video.maxLongSide as number) : (video.maxShortSide as number),
        actual: byLong ? long : short,
        fix: { key: 'resize', width: even(fitted.width), height: even(fitted.height) },
        message: `video ${mediaIndex} is ${fitted.width}×${fitted.height}, over ${network}'s ${video.maxLongSide}×${video.maxShortSide}`,
      });
    }
  }
  const overRate = frameRate !== undefined && video.maxFrameRate !== undefined && frameRate > video.maxFrameRate + 0.01;
  if (overRate) {
    issues.push({
      code: 'video_frame_rate',
      severity: 'error',
      mediaIndex,
      limit: video.maxFrameRate as number,
      actual: frameRate,
      fix: { key: 'reencode', codec: 'avc', frameRate: video.maxFrameRate as number },
      message: `video ${mediaIndex} runs at ${frameRate} fps, over ${network}'s ${video.maxFrameRate}`,
    });
  }
  if (item.videoCodec !== undefined && video.codecs && !video.codecs.includes(item.videoCodec as VideoCodec)) {
    issues.push({
      code: 'video_codec',
      severity: 'error',
      mediaIndex,
      actual: item.videoCodec ?? 'unknown',
      allowed: video.codecs,
      fix: { key: 'reencode', codec: video.codecs[0] as VideoCodec },
      message: `video ${mediaIndex} is ${item.videoCodec}; ${network} takes ${video.codecs.join(', ')}`,
    });
  }
  if (item.audioCodec && video.audioCodecs && !video.audioCodecs.includes(item.audioCodec as AudioCodec)) {
    issues.push({
      code: 'audio_codec',
      severity: 'error',
      mediaIndex,
      actual: item.audioCodec,
      allowed: video.audioCodecs,
      fix: { key: 'reencode_audio', codec: video.audioCodecs[0] as AudioCodec },
      message: `video ${mediaIndex}'s sound is ${item.audioCodec}; ${network} takes ${video.audioCodecs.join(', ')}`,
    });
  }
}

function checkMediaItem(issues: PostIssue[], rules: NetworkRules, post: PostDraft, mediaIndex: number): void {
  const item = post.media[mediaIndex] as PostMedia;
  const media = rules.media;
  const kind = mediaKind(item.mime);
  const alone = () =>
    issues.push({
      code: 'media_must_be_alone',
      severity: 'error',
      mediaIndex,
      limit: 1,
      actual: post.media.length,
      fix: { key: 'remove' },
      message: `${item.mime} must be the only media of the post; it has ${post.media.length}`,
    });

  if (kind === 'video') {
    if (media.video === null) {
      issues.push({
        code: 'video_not_supported',
        severity: 'error',
        mediaIndex,
        fix: { key: 'remove' },
        message: `${rules.network} posts cannot carry video`,
      });
      return;
    }
    if (!mimeAllowed(item.mime, media.video.mimes)) issues.push(convertIssue(item.mime, mediaIndex, media.video.mimes, 'video/mp4'));
    if (media.video.maxBytes !== undefined && item.bytes > media.video.maxBytes) {
      issues.push({
        code: 'video_too_large',
        severity: 'error',
        mediaIndex,
        limit: media.video.maxBytes,
        actual: item.bytes,
        fix: { key: 'compress', maxBytes: media.video.maxBytes },
        message: `video ${mediaIndex} has ${item.bytes} bytes, over ${media.video.maxBytes}`,
      });
    }
    if (media.video.alone && post.media.length > 1) alone();
    checkVideoStream(issues, media.video, item, mediaIndex, rules.network);
    const shape = media.video.aloneAspect;
    if (shape && post.media.length === 1 && item.width && item.height && !sameShape(item.width / item.height, shape.width / shape.height)) {
      issues.push({
        code: 'video_aspect',
        severity: 'warning',
        mediaIndex,
        limit: shape.width / shape.height,
        actual: item.width / item.height,
        fix: cropTo(item.width, item.height, shape),
        message: `video ${mediaIndex} is ${item.width}:${item.height}; ${rules.network} shows it ${shape.width}:${shape.height}`,
      });
    }
    return;
  }

  if (kind === 'other') {
    const allowed = media.video ? [...media.image.mimes, ...media.video.mimes] : media.image.mimes;
    issues.push({
      code: 'format_not_supported',
      severity: 'error',
      mediaIndex,
      actual: item.mime,
      allowed,
      fix: { key: 'remove' },
      message: `${item.mime} is neither an image nor a video`,
    });
    return;
  }

  const gif = kind === 'gif' ? media.gif : undefined;
  if (gif === undefined && !mimeAllowed(item.mime, media.image.mimes)) issues.push(convertIssue(item.mime, mediaIndex, media.image.mimes, 'image/jpeg'));
  const maxBytes = gif ? gif.maxBytes : media.image.maxBytes;
  if (maxBytes !== undefined && item.bytes > maxBytes) {
    issues.push({
      code: 'image_too_large',
      severity: 'error',
      mediaIndex,
      limit: maxBytes,
      actual: item.bytes,
      fix: { key: 'compress', maxBytes },
      message: `image ${mediaIndex} has ${item.bytes} bytes, over ${maxBytes}`,
    });
  }
  if (gif?.alone && post.media.length > 1) alone();
  checkPixels(issues, media.image, item, mediaIndex);
}

function textIssue(count: TextCount): PostIssue {
  if (count.field === 'hashtags' || count.field === 'mentions') {
    return {
      code: count.field === 'hashtags' ? 'too_many_hashtags' : 'too_many_mentions',
      severity: 'error',
      limit: count.limit,
      actual: count.used,
      message: `${count.used} ${count.field}, over ${count.limit}`,
    };
  }
  return {
    code: 'text_too_long',
    severity: 'error',
    field: count.field,
    unit: count.unit,
    limit: count.limit,
    actual: count.used,
    ...(count.mediaIndex === undefined ? {} : { mediaIndex: count.mediaIndex }),
    message: `${count.field} is ${count.used} ${count.unit}, over ${count.limit}`,
  };
}

/** Checks a draft against one network's rules, with the given rules (see rulesFor). */
export function checkWithRules(rules: NetworkRules, post: PostDraft): PostCheck {
  const counts = countWithRules(rules, post);
  const issues: PostIssue[] = [];
  for (const count of counts) if (count.used > count.limit) issues.push(textIssue(count));

  const media = rules.media;
  if (post.media.length < media.minItems) {
    issues.push({
      code: 'media_required',
      severity: 'error',
      limit: media.minItems,
      actual: post.media.length,
      message: `${rules.network} needs at least ${media.minItems} media item(s)`,
    });
  } else if (post.media.length === 0 && post.text.trim() === '') {
    issues.push({ code: 'post_empty', severity: 'error', message: 'the post has neither text nor media' });
  }
  const linkItems = media.linkIsItem && post.linkPreview !== false && attachedLink(post.text) !== undefined ? 1 : 0;
  const items = post.media.length + linkItems;
  if (items > media.maxItems) {
    issues.push({
      code: linkItems > 0 ? 'too_many_attachments' : 'too_many_media',
      severity: 'error',
      limit: media.maxItems,
      actual: items,
      fix: { key: 'remove_media', count: Math.min(post.media.length, items - media.maxItems) },
      message: linkItems > 0 ? `${items} attachments (the link counts as one), over ${media.maxItems}` : `${items} media items, over ${media.maxItems}`,
    });
  }
  for (let index = 0; index < post.media.length; index++) checkMediaItem(issues, rules, post, index);
  if (media.carouselCropsToFirst) checkCarouselShapes(issues, rules, post);

  const ok = issues.every((issue) => issue.severity !== 'error');
  if (media.linkIsItem) return { network: rules.network, counts, issues, attachments: { used: items, limit: media.maxItems, link: linkItems > 0 }, ok };
  return { network: rules.network, counts, issues, ok };
}

/**
 * Counts and checks a draft for one network. `options` carries per-account limits (a
 * Mastodon instance's own). Pure and fast enough to run on every keystroke.
 */
export function checkPost(network: NetworkId, post: PostDraft, options: RuleOptions = {}): PostCheck {
  return checkWithRules(rulesFor(network, options), post);
}
