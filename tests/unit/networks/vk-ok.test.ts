import { describe, expect, it } from 'vitest';
import type { MediaItem, PublishRequest } from '../../../main/core/connector';
import { attachedLink } from '../../../main/core/networks/attached-link';
import { checkPost } from '../../../main/core/networks/check';
import { countPost, type PostMedia } from '../../../main/core/networks/count';
import { okPhotoRows } from '../../../main/core/networks/ok';
import { requestRefusal } from '../../../main/core/networks/request-check';
import { networkRules } from '../../../main/core/networks/rules';
import { vkPhotoRows } from '../../../main/core/networks/vk';
import { validateOkPost } from '../../../main/services/connectors/ok/connector';
import { validateVkPost } from '../../../main/services/connectors/vk/connector';

const jpeg = (width = 1200, height = 800): PostMedia => ({ mime: 'image/jpeg', bytes: 200_000, width, height });
const photos = (n: number) => Array.from({ length: n }, () => jpeg());
const codes = (network: 'vk' | 'ok', text: string, media: PostMedia[], linkPreview?: boolean) =>
  checkPost(network, { text, media, ...(linkPreview === undefined ? {} : { linkPreview }) }).issues.map((issue) => issue.code);

const item = (name: string, mime = 'image/jpeg', bytes = 1000, width = 1200, height = 800): MediaItem => ({
  fileName: name,
  mime,
  bytes: new Uint8Array(bytes),
  alt: '',
  width,
  height,
});
const request = (text: string, media: MediaItem[] = [], extra: Partial<PublishRequest> = {}): PublishRequest => ({ text, media, idempotencyKey: 'k', ...extra });

describe('VK rules', () => {
  it('counts the text against 16,384 characters', () => {
    expect(countPost('vk', { text: 'x'.repeat(16_384), media: [] })).toEqual([{ field: 'text', unit: 'utf16_units', used: 16_384, limit: 16_384 }]);
    expect(codes('vk', 'x'.repeat(16_385), [])).toEqual(['text_too_long']);
  });

  it('counts the attached link as one of the ten attachments', () => {
    expect(codes('vk', 'Menu', photos(10))).toEqual([]);
    expect(codes('vk', 'Menu https://bakery.example/menu', photos(9))).toEqual([]);
    const over = checkPost('vk', { text: 'Menu https://bakery.example/menu', media: photos(10) }).issues;
    expect(over).toMatchObject([{ code: 'too_many_attachments', limit: 10, actual: 11, fix: { key: 'remove_media', count: 1 } }]);
    // A link without its scheme stays text; with link previews off VK attaches nothing.
    expect(codes('vk', 'Menu bakery.example/menu', photos(10))).toEqual([]);
    expect(codes('vk', 'Menu https://bakery.example/menu', photos(10), false)).toEqual([]);
    expect(codes('vk', 'Menu', photos(11))).toEqual(['too_many_media']);
    // The composer's counter reads the same numbers; networks without the rule carry none.
    expect(checkPost('vk', { text: 'Menu https://bakery.example/menu', media: photos(3) }).attachments).toEqual({ used: 4, limit: 10, link: true });
    expect(checkPost('ok', { text: 'Menu', media: photos(3) }).attachments).toBeUndefined();
  });

  it('takes JPEG, PNG and GIF photos and the videos VK converts', () => {
    expect(codes('vk', '', [{ mime: 'image/webp', bytes: 1, width: 10, height: 10 }])).toEqual(['format_not_supported']);
    expect(codes('vk', '', [{ mime: 'image/gif', bytes: 1, width: 10, height: 10 }])).toEqual([]);
    expect(codes('vk', '', [{ mime: 'video/x-matroska', bytes: 1 }])).toEqual([]);
    expect(codes('vk', '', [jpeg(1000, 1000), { mime: 'video/mp4', bytes: 1 }])).toEqual([]);
  });

  it('OK keeps its own bounds: the link is not an attachment there', () => {
    expect(networkRules.ok.media.linkIsItem).toBeUndefined();
    expect(codes('ok', 'Menu https://bakery.example/menu', photos(10))).toEqual([]);
    expect(codes('ok', 'Menu', photos(11))).toEqual(['too_many_media']);
    expect(codes('ok', 'Our oven', [{ mime: 'video/mp4', bytes: 1 }])).toEqual(['video_not_supported']);
    expect(codes('ok', 'x'.repeat(16_385), [])).toEqual(['text_too_long']);
  });

  it('finds the link VK and OK attach: the first with a scheme, without trailing punctuation', () => {
    expect(attachedLink('See https://bakery.example/menu. And https://two.example')).toBe('https://bakery.example/menu');
    expect(attachedLink('See bakery.example')).toBeUndefined();
  });
});

describe('the connectors refuse with the same rules', () => {
  it('VK: the composer and validateVkPost agree on the eleventh attachment and on formats', () => {
    const ten = Array.from({ length: 10 }, (_, i) => item(`p${i}.jpg`));
    expect(() => validateVkPost(request('Menu', ten))).not.toThrow();
    expect(() => validateVkPost(request('Menu https://bakery.example', ten))).toThrow('VK posts hold 10 attachments (the link counts as one); this one has 11.');
    expect(() => validateVkPost(request('Menu https://bakery.example', ten, { linkPreview: false }))).not.toThrow();
    expect(() => validateVkPost(request('', [item('a.webp', 'image/webp')]))).toThrow('a.webp is image/webp; VK takes JPEG, PNG, GIF.');
    expect(() => validateVkPost(request('', [item('wide.jpg', 'image/jpeg', 10, 7001, 7000)]))).toThrow('wide.jpg is too large: VK needs width plus height at most 14000 pixels.');
    expect(() => validateVkPost(request('   '))).toThrow('VK needs text or an attachment to post.');
    expect(() => validateVkPost(request('x'.repeat(16_385)))).toThrow('VK posts hold 16384 characters; this one has 16385.');
  });

  it('OK: photos only, ten at most', () => {
    expect(() => validateOkPost(request('Menu', [item('a.png', 'image/png')]))).not.toThrow();
    expect(() => validateOkPost(request('Menu', [item('clip.mp4', 'video/mp4')]))).toThrow('clip.mp4 is a video; Outpost does not send video to OK yet.');
    expect(requestRefusal(networkRules.ok, 'OK', request('Menu', Array.from({ length: 11 }, (_, i) => item(`p${i}.jpg`))))).toBe(
      'OK posts hold 10 attachments; this one has 11.',
    );
  });
});

describe('photo layouts', () => {
  it('VK: one photo alone, then rows with the fewest on top, ten at most', () => {
    const sizes = (n: number) => vkPhotoRows(photos(n)).map((row) => row.items.length);
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map(sizes)).toEqual([[1], [2], [1, 2], [1, 3], [2, 3], [3, 3], [3, 4], [2, 3, 3], [3, 3, 3], [3, 3, 4]]);
    expect(vkPhotoRows(photos(12)).flatMap((row) => row.items)).toHaveLength(10);
  });

  it('a row shares one height: its ratio is its photos’ ratios summed, each clamped', () => {
    const [row] = vkPhotoRows([jpeg(1200, 800), jpeg(100, 1000)]);
    expect(row!.items.map((i) => i.ratio)).toEqual([1.5, 2 / 3]);
    expect(row!.ratio).toBeCloseTo(1.5 + 2 / 3);
    // A lone tall photo is cropped to 3:4, an unknown size is square.
    expect(vkPhotoRows([jpeg(100, 1000)])[0]!.ratio).toBe(0.75);
    expect(vkPhotoRows([{ width: null, height: null }])[0]!.ratio).toBe(1);
  });

  it('OK: a collage of pairs and threes', () => {
    expect(okPhotoRows(photos(4)).map((row) => row.items.length)).toEqual([2, 2]);
    expect(okPhotoRows(photos(10)).map((row) => row.items.length)).toEqual([2, 2, 3, 3]);
  });
});
