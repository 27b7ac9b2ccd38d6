import { describe, expect, it } from 'vitest';
import { checkPost, type PostIssue } from '../../../main/core/networks/check';
import type { PostMedia } from '../../../main/core/networks/count';
import type { NetworkId } from '../../../main/core/networks/ids';
import type { RuleOptions } from '../../../main/core/networks/rules';

const jpeg = (width = 1080, height = 1080, bytes = 100_000): PostMedia => ({ mime: 'image/jpeg', bytes, width, height });
const withMime = (mime: string, bytes = 100_000): PostMedia => ({ mime, bytes, width: 1080, height: 1080 });
const video = (bytes = 1_000_000): PostMedia => ({ mime: 'video/mp4', bytes, width: 1080, height: 1920 });
const gif = (bytes = 100_000): PostMedia => ({ mime: 'image/gif', bytes, width: 480, height: 480 });
const photos = (n: number) => Array.from({ length: n }, () => jpeg());

type Row = [name: string, network: NetworkId, media: PostMedia[], expected: Partial<PostIssue>[], options?: RuleOptions];

/** Expected issues are listed in the order checkPost reports them: post-level first, then per item. */
const rows: Row[] = [
  // Bluesky: 4 images of at most 1,000,000 bytes, or one video alone.
  ['Bluesky 4 images', 'bluesky', photos(4), []],
  ['Bluesky 5 images', 'bluesky', photos(5), [{ code: 'too_many_media', limit: 4, actual: 5, fix: { key: 'remove_media', count: 1 } }]],
  ['Bluesky image at 1,000,000 bytes', 'bluesky', [jpeg(1000, 1000, 1_000_000)], []],
  [
    'Bluesky image at 1,000,001 bytes',
    'bluesky',
    [jpeg(1000, 1000, 1_000_001)],
    [{ code: 'image_too_large', mediaIndex: 0, limit: 1_000_000, actual: 1_000_001, fix: { key: 'compress', maxBytes: 1_000_000 } }],
  ],
  ['Bluesky one video', 'bluesky', [video()], []],
  ['Bluesky video beside an image', 'bluesky', [video(), jpeg()], [{ code: 'media_must_be_alone', mediaIndex: 0 }]],
  ['Bluesky video over 300,000,000 bytes', 'bluesky', [video(300_000_001)], [{ code: 'video_too_large', mediaIndex: 0, limit: 300_000_000, actual: 300_000_001 }]],
  ['OK video', 'ok', [video()], [{ code: 'video_not_supported', mediaIndex: 0, fix: { key: 'remove' } }]],

  // Telegram: albums of up to 10, photos ≤10 MB, width+height ≤10,000, sides ≤20:1.
  ['Telegram album of 10', 'telegram', photos(10), []],
  ['Telegram album of 11', 'telegram', photos(11), [{ code: 'too_many_media', limit: 10, actual: 11 }]],
  ['Telegram photos and videos mix', 'telegram', [jpeg(), video()], []],
  ['Telegram photo at 10,000,000 bytes', 'telegram', [jpeg(1000, 1000, 10_000_000)], []],
  ['Telegram photo over 10 MB', 'telegram', [jpeg(1000, 1000, 10_000_001)], [{ code: 'image_too_large', limit: 10_000_000 }]],
  ['Telegram width+height exactly 10,000', 'telegram', [jpeg(5000, 5000)], []],
  [
    // Scale 10000/10001: 5001 → 5000.49… → 5000, 5000 → 4999.50… → 4999; 5000 + 4999 ≤ 10000.
    'Telegram width+height 10,001',
    'telegram',
    [jpeg(5001, 5000)],
    [{ code: 'image_dimensions_too_large', limit: 10_000, actual: 10_001, fix: { key: 'resize', width: 5000, height: 4999 } }],
  ],
  ['Telegram exactly 20:1', 'telegram', [jpeg(2000, 100)], []],
  [
    // Too wide: keep the height 100, width 100 × 20 = 2000.
    'Telegram wider than 20:1',
    'telegram',
    [jpeg(2001, 100)],
    [{ code: 'aspect_ratio', limit: 20, actual: 20.01, fix: { key: 'crop', aspect: { width: 20, height: 1 }, width: 2000, height: 100 } }],
  ],
  [
    'Telegram taller than 1:20',
    'telegram',
    [jpeg(100, 2001)],
    [{ code: 'aspect_ratio', limit: 0.05, actual: 100 / 2001, fix: { key: 'crop', aspect: { width: 1, height: 20 }, width: 100, height: 2000 } }],
  ],
  [
    'Telegram GIF (albums refuse animations)',
    'telegram',
    [gif()],
    [{ code: 'format_not_supported', actual: 'image/gif', allowed: ['image/jpeg', 'image/png', 'image/webp'], fix: { key: 'convert', mime: 'image/jpeg' } }],
  ],
  ['Telegram video over 50 MB', 'telegram', [video(50_000_001)], [{ code: 'video_too_large', limit: 50_000_000, actual: 50_000_001 }]],
  ['Telegram photo without known size', 'telegram', [{ mime: 'image/jpeg', bytes: 1000 }], []],

  // Mastodon defaults: 4 attachments, 16 MiB, 33,177,600 pixels, one video or GIF alone.
  ['Mastodon 4 images', 'mastodon', photos(4), []],
  ['Mastodon 5 images', 'mastodon', photos(5), [{ code: 'too_many_media', limit: 4, actual: 5 }]],
  ['Mastodon instance allowing 8', 'mastodon', photos(5), [], { mastodon: { maxMediaAttachments: 8 } }],
  ['Mastodon image at 16 MiB', 'mastodon', [jpeg(1000, 1000, 16_777_216)], []],
  ['Mastodon image over 16 MiB', 'mastodon', [jpeg(1000, 1000, 16_777_217)], [{ code: 'image_too_large', limit: 16_777_216 }]],
  ['Mastodon 7680×4320 is exactly the matrix limit', 'mastodon', [jpeg(7680, 4320)], []],
  [
    // 7681×4320 = 33,181,920; scale √(1 − 1/7681) ≈ 0.99993490: 7681 → 7680.49… → 7680, 4320 → 4319.71… → 4319.
    'Mastodon over the matrix limit',
    'mastodon',
    [jpeg(7681, 4320)],
    [{ code: 'image_too_many_pixels', limit: 33_177_600, actual: 33_181_920, fix: { key: 'resize', width: 7680, height: 4319 } }],
  ],
  ['Mastodon GIF alone', 'mastodon', [gif()], []],
  ['Mastodon GIF with a photo', 'mastodon', [jpeg(), gif()], [{ code: 'media_must_be_alone', mediaIndex: 1, limit: 1, actual: 2 }]],
  ['Mastodon video with a photo', 'mastodon', [video(), jpeg()], [{ code: 'media_must_be_alone', mediaIndex: 0, limit: 1, actual: 2 }]],
  ['Mastodon HEIC', 'mastodon', [withMime('image/heic')], []],
  ['Mastodon BMP', 'mastodon', [withMime('image/bmp')], [{ code: 'format_not_supported', actual: 'image/bmp', fix: { key: 'convert', mime: 'image/jpeg' } }]],
  [
    'Mastodon instance without HEIC',
    'mastodon',
    [withMime('image/heic')],
    [{ code: 'format_not_supported', allowed: ['image/jpeg', 'image/png'] }],
    { mastodon: { supportedMimeTypes: ['image/jpeg', 'image/png', 'video/mp4'] } },
  ],

  // X: 4 photos ≤5 MB, or one GIF ≤15 MB, or one video ≤512 MB.
  ['X 4 photos', 'x', photos(4), []],
  ['X 5 photos', 'x', photos(5), [{ code: 'too_many_media', limit: 4, actual: 5 }]],
  ['X photo at 5 MB', 'x', [jpeg(1000, 1000, 5_000_000)], []],
  ['X photo over 5 MB', 'x', [jpeg(1000, 1000, 5_000_001)], [{ code: 'image_too_large', limit: 5_000_000, fix: { key: 'compress', maxBytes: 5_000_000 } }]],
  ['X GIF at 15 MB', 'x', [gif(15_000_000)], []],
  ['X GIF over 15 MB', 'x', [gif(15_000_001)], [{ code: 'image_too_large', limit: 15_000_000 }]],
  ['X GIF with a photo', 'x', [gif(), jpeg()], [{ code: 'media_must_be_alone', mediaIndex: 0 }]],
  ['X video at 512 MB', 'x', [video(512_000_000)], []],
  ['X video over 512 MB', 'x', [video(512_000_001)], [{ code: 'video_too_large', limit: 512_000_000 }]],

  // Instagram: JPEG only, ≤8 MB, 4:5 to 1.91:1, carousel ≤10, rescaled outside 320–1440 px wide.
  ['Instagram without media', 'instagram', [], [{ code: 'media_required', limit: 1, actual: 0 }]],
  ['Instagram exactly 4:5', 'instagram', [jpeg(1080, 1350)], []],
  [
    // Too tall: keep the width 1080, height 1080 × 5/4 = 1350.
    'Instagram taller than 4:5',
    'instagram',
    [jpeg(1080, 1351)],
    [{ code: 'aspect_ratio', limit: 0.8, actual: 1080 / 1351, fix: { key: 'crop', aspect: { width: 4, height: 5 }, width: 1080, height: 1350 } }],
  ],
  // 700 × 1.91 = 1337.
  ['Instagram exactly 1.91:1', 'instagram', [jpeg(1337, 700)], []],
  [
    'Instagram wider than 1.91:1',
    'instagram',
    [jpeg(1338, 700)],
    [{ code: 'aspect_ratio', limit: 1.91, actual: 1338 / 700, fix: { key: 'crop', aspect: { width: 191, height: 100 }, width: 1337, height: 700 } }],
  ],
  ['Instagram PNG', 'instagram', [withMime('image/png')], [{ code: 'format_not_supported', allowed: ['image/jpeg'], fix: { key: 'convert', mime: 'image/jpeg' } }]],
  ['Instagram at 8 MB', 'instagram', [jpeg(1080, 1080, 8_000_000)], []],
  ['Instagram over 8 MB', 'instagram', [jpeg(1080, 1080, 8_000_001)], [{ code: 'image_too_large', limit: 8_000_000 }]],
  ['Instagram carousel of 10', 'instagram', photos(10), []],
  ['Instagram carousel of 11', 'instagram', photos(11), [{ code: 'too_many_media', limit: 10, actual: 11 }]],
  ['Instagram carousel mixing photo and video', 'instagram', [jpeg(), video()], []],
  [
    'Instagram wider than 1440 px (scaled down, a warning)',
    'instagram',
    [jpeg(1441, 1441)],
    [{ code: 'image_will_be_rescaled', severity: 'warning', limit: 1440, actual: 1441, fix: { key: 'resize', width: 1440, height: 1440 } }],
  ],
  [
    'Instagram narrower than 320 px (scaled up, a warning)',
    'instagram',
    [jpeg(300, 300)],
    [{ code: 'image_will_be_rescaled', severity: 'warning', limit: 320, actual: 300, fix: { key: 'resize', width: 320, height: 320 } }],
  ],

  // Pinterest: one image or a carousel of 2–5, JPEG/PNG, video alone.
  ['Pinterest without media', 'pinterest', [], [{ code: 'media_required', limit: 1, actual: 0 }]],
  ['Pinterest carousel of 5', 'pinterest', photos(5), []],
  ['Pinterest carousel of 6', 'pinterest', photos(6), [{ code: 'too_many_media', limit: 5, actual: 6 }]],
  ['Pinterest video with a photo', 'pinterest', [jpeg(), video()], [{ code: 'media_must_be_alone', mediaIndex: 1 }]],
  ['Pinterest WebP', 'pinterest', [withMime('image/webp')], [{ code: 'format_not_supported', allowed: ['image/jpeg', 'image/png'] }]],
  ['Pinterest documents no byte limit', 'pinterest', [jpeg(1000, 1000, 100_000_000)], []],

  // LinkedIn: up to 20 images under 36,152,320 pixels, video alone.
  ['LinkedIn 20 images', 'linkedin', photos(20), []],
  ['LinkedIn 21 images', 'linkedin', photos(21), [{ code: 'too_many_media', limit: 20, actual: 21 }]],
  // 5120 × 7060 = 36,147,200; 5120 × 7061 = 36,152,320, which is not under the limit.
  ['LinkedIn under the pixel limit', 'linkedin', [jpeg(5120, 7060)], []],
  ['LinkedIn at the pixel limit', 'linkedin', [jpeg(5120, 7061)], [{ code: 'image_too_many_pixels', limit: 36_152_319, actual: 36_152_320 }]],
  ['LinkedIn video with a photo', 'linkedin', [video(), jpeg()], [{ code: 'media_must_be_alone', mediaIndex: 0 }]],

  // VK: 10 attachments, ≤50 MB, width+height ≤14,000, sides ≤20:1.
  ['VK 10 attachments', 'vk', photos(10), []],
  ['VK 11 attachments', 'vk', photos(11), [{ code: 'too_many_media', limit: 10, actual: 11 }]],
  ['VK width+height exactly 14,000', 'vk', [jpeg(7000, 7000)], []],
  ['VK width+height 14,001', 'vk', [jpeg(7001, 7000)], [{ code: 'image_dimensions_too_large', limit: 14_000, actual: 14_001 }]],
  ['VK wider than 20:1', 'vk', [jpeg(2001, 100)], [{ code: 'aspect_ratio', limit: 20 }]],
  ['VK over 50 MB', 'vk', [jpeg(1000, 1000, 50_000_001)], [{ code: 'image_too_large', limit: 50_000_000 }]],

  // Discord: 10 files of 10 MiB, any image or video.
  ['Discord 10 files', 'discord', photos(10), []],
  ['Discord 11 files', 'discord', photos(11), [{ code: 'too_many_media', limit: 10, actual: 11 }]],
  ['Discord file at 10 MiB', 'discord', [jpeg(1000, 1000, 10_485_760)], []],
  ['Discord file over 10 MiB', 'discord', [jpeg(1000, 1000, 10_485_761)], [{ code: 'image_too_large', limit: 10_485_760 }]],
  ['Discord takes any image type', 'discord', [withMime('image/bmp')], []],
  ['Discord mixes images and video', 'discord', [jpeg(), video()], []],
  ['Discord video over 10 MiB', 'discord', [video(10_485_761)], [{ code: 'video_too_large', limit: 10_485_760 }]],

  // Threads: carousel ≤20, JPEG/PNG ≤8 MB, sides ≤10:1.
  ['Threads carousel of 20', 'threads', photos(20), []],
  ['Threads carousel of 21', 'threads', photos(21), [{ code: 'too_many_media', limit: 20, actual: 21 }]],
  ['Threads exactly 10:1', 'threads', [jpeg(1000, 100)], []],
  ['Threads wider than 10:1', 'threads', [jpeg(1001, 100)], [{ code: 'aspect_ratio', limit: 10, fix: { key: 'crop', aspect: { width: 10, height: 1 }, width: 1000, height: 100 } }]],
  ['Threads WebP', 'threads', [withMime('image/webp')], [{ code: 'format_not_supported' }]],

  // Facebook: ~4 MB photos, a video is a post of its own.
  ['Facebook photo at 4 MB', 'facebook', [jpeg(1000, 1000, 4_000_000)], []],
  ['Facebook photo over 4 MB', 'facebook', [jpeg(1000, 1000, 4_000_001)], [{ code: 'image_too_large', limit: 4_000_000 }]],
  ['Facebook video with a photo', 'facebook', [jpeg(), video()], [{ code: 'media_must_be_alone', mediaIndex: 1 }]],

  // Anything else is not media a post can carry.
  ['a PDF', 'telegram', [withMime('application/pdf')], [{ code: 'format_not_supported', actual: 'application/pdf', fix: { key: 'remove' } }]],
];

describe('media rules', () => {
  it.each(rows)('%s', (_name, network, media, expected, options) => {
    const { issues } = checkPost(network, { text: 'hi', media }, options);
    expect(issues).toEqual(expected.map((issue) => expect.objectContaining(issue)));
  });
});

describe('the check result', () => {
  it('is ok with warnings only, not with errors', () => {
    expect(checkPost('instagram', { text: 'hi', media: [jpeg(1441, 1441)] }).ok).toBe(true);
    expect(checkPost('instagram', { text: 'hi', media: [jpeg(1080, 1351)] }).ok).toBe(false);
  });

  it('reports an empty post (blank text, no media)', () => {
    const check = checkPost('telegram', { text: ' \n ', media: [] });
    expect(check.issues).toEqual([expect.objectContaining({ code: 'post_empty', severity: 'error' })]);
    expect(check.ok).toBe(false);
  });

  it('takes a post with media and no text', () => {
    expect(checkPost('mastodon', { text: '', media: [jpeg()] }).issues).toEqual([]);
  });

  it('suggests a resize that meets the limit it names', () => {
    const [issue] = checkPost('linkedin', { text: 'hi', media: [jpeg(5120, 7061)] }).issues;
    if (issue?.code !== 'image_too_many_pixels' || issue.fix.key !== 'resize') throw new Error('expected a resize');
    expect(issue.fix.width * issue.fix.height).toBeLessThanOrEqual(36_152_319);
    // Same shape: the ratio moves by less than one pixel's worth.
    expect(Math.abs(issue.fix.width / issue.fix.height - 5120 / 7061)).toBeLessThan(1 / 7000);
  });

  it('gives every issue an English message for logs, and a severity', () => {
    const { issues } = checkPost('x', { text: 'a'.repeat(300), media: [...photos(5), gif(20_000_000)] });
    expect(issues.length).toBeGreaterThan(2);
    for (const issue of issues) {
      expect(issue.message.length).toBeGreaterThan(0);
      expect(['error', 'warning']).toContain(issue.severity);
    }
  });
});
