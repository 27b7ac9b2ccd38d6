import { describe, expect, it } from 'vitest';
import { checkPost, type PostIssue } from '../../../main/core/networks/check';
import { countPost, threadsLength, type PostMedia } from '../../../main/core/networks/count';
import { apiDeletes } from '../../../main/core/networks/rules';
import { threadsOptionsIssues, topicTagProblem } from '../../../main/core/networks/threads';
import { readinessProblems, type TargetDraft } from '../../../main/core/posts/readiness';
import type { PostMediaItem } from '../../../main/core/contract';

/**
 * Facebook Pages, Instagram and Threads as the composer and the publish path both check them
 * (shared/networks/CONTRACTS.md §6, §7, §10): counting, caps, shapes and sizes with the crop the
 * editor can apply, carousel limits, and what each network allows at all.
 */

const jpeg = (width = 1080, height = 1080, bytes = 100_000): PostMedia => ({ mime: 'image/jpeg', bytes, width, height });
const mp4 = (width: number | undefined, height: number | undefined, bytes = 1_000_000): PostMedia => ({ mime: 'video/mp4', bytes, ...(width ? { width } : {}), ...(height ? { height } : {}) });
const text = (network: 'facebook' | 'instagram' | 'threads', body: string, media: PostMedia[] = [jpeg()]) => countPost(network, { text: body, media });
const issues = (network: 'facebook' | 'instagram' | 'threads', media: PostMedia[], body = 'hi'): Partial<PostIssue>[] => checkPost(network, { text: body, media }).issues;

describe('counting as each network counts', () => {
  it('Threads: 500, an emoji weighs its UTF-8 bytes, other characters one each', () => {
    expect(threadsLength('👍')).toBe(4);
    expect(threadsLength('héllo')).toBe(5);
    expect(text('threads', 'a'.repeat(496) + '👍', [])[0]).toMatchObject({ used: 500, limit: 500 });
    expect(checkPost('threads', { text: 'a'.repeat(497) + '👍', media: [] }).issues).toEqual([expect.objectContaining({ code: 'text_too_long', limit: 500, actual: 501 })]);
  });

  it('Instagram: a caption of 2,200, at most 30 hashtags and 20 @mentions', () => {
    const counts = text('instagram', `${'#tag '.repeat(30)}${'@friend '.repeat(20)}`);
    expect(counts.map((c) => [c.field, c.used, c.limit])).toEqual([
      ['text', 30 * 5 + 20 * 8, 2200],
      ['hashtags', 30, 30],
      ['mentions', 20, 20],
    ]);
    const over = issues('instagram', [jpeg()], `${'#tag '.repeat(31)}${'@friend '.repeat(21)}`);
    expect(over).toEqual([
      expect.objectContaining({ code: 'too_many_hashtags', limit: 30, actual: 31 }),
      expect.objectContaining({ code: 'too_many_mentions', limit: 20, actual: 21 }),
    ]);
    expect(issues('instagram', [jpeg()], 'a'.repeat(2201))).toEqual([expect.objectContaining({ code: 'text_too_long', limit: 2200, actual: 2201 })]);
  });

  it('Instagram: a link’s # fragment and an e-mail are not hashtags or mentions', () => {
    const [, hashtags, mentions] = text('instagram', 'Menu https://bakery.example/#rye, write to hello@bakery.example #bread');
    expect(hashtags?.used).toBe(1);
    expect(mentions?.used).toBe(0);
  });

  it('Facebook: about 63,206 characters, no hashtag or mention cap', () => {
    expect(text('facebook', '#a '.repeat(100), []).map((c) => c.field)).toEqual(['text']);
    expect(issues('facebook', [], 'a'.repeat(63_207))).toEqual([expect.objectContaining({ code: 'text_too_long', limit: 63_206 })]);
  });
});

describe('what each network allows', () => {
  it('Instagram needs an image or video; Facebook and Threads post text alone', () => {
    expect(issues('instagram', [])).toEqual([expect.objectContaining({ code: 'media_required', limit: 1, actual: 0 })]);
    expect(issues('facebook', [])).toEqual([]);
    expect(issues('threads', [])).toEqual([]);
  });

  it('Facebook: several photos in one post (up to Outpost’s 10), a video only alone', () => {
    expect(issues('facebook', Array.from({ length: 10 }, () => jpeg()))).toEqual([]);
    expect(issues('facebook', Array.from({ length: 11 }, () => jpeg()))).toEqual([expect.objectContaining({ code: 'too_many_media', limit: 10, actual: 11 })]);
    expect(issues('facebook', [mp4(1920, 1080), jpeg()])).toEqual([expect.objectContaining({ code: 'media_must_be_alone', mediaIndex: 0 })]);
  });

  it('Instagram carousels hold 2–10 images and videos mixed', () => {
    expect(issues('instagram', [jpeg(), mp4(undefined, undefined), jpeg()])).toEqual([]);
    expect(issues('instagram', Array.from({ length: 11 }, () => jpeg()))).toEqual([expect.objectContaining({ code: 'too_many_media', limit: 10 })]);
  });

  it('Threads carousels hold up to 20; videos up to 1 GB', () => {
    expect(issues('threads', Array.from({ length: 20 }, () => jpeg()))).toEqual([]);
    expect(issues('threads', Array.from({ length: 21 }, () => jpeg()))).toEqual([expect.objectContaining({ code: 'too_many_media', limit: 20, actual: 21 })]);
    expect(issues('threads', [mp4(1080, 1920, 1_000_000_001)])).toEqual([expect.objectContaining({ code: 'video_too_large', limit: 1_000_000_000 })]);
  });
});

describe('shapes and sizes, with the crop the editor can apply', () => {
  it('Instagram feed images 4:5 to 1.91:1: a taller one gets a 4:5 crop of the full width', () => {
    expect(issues('instagram', [jpeg(1080, 1350)])).toEqual([]);
    expect(issues('instagram', [jpeg(1080, 1920)])).toEqual([
      expect.objectContaining({ code: 'aspect_ratio', severity: 'error', fix: { key: 'crop', aspect: { width: 4, height: 5 }, width: 1080, height: 1350 } }),
    ]);
    expect(issues('instagram', [jpeg(1440, 500)])).toEqual([
      expect.objectContaining({ code: 'aspect_ratio', fix: { key: 'crop', aspect: { width: 191, height: 100 }, width: 955, height: 500 } }),
    ]);
  });

  it('Instagram crops a carousel to its first image’s shape: the others are warned with that crop', () => {
    const found = issues('instagram', [jpeg(1080, 1350), jpeg(1080, 1080), jpeg(864, 1080)]);
    expect(found).toEqual([
      expect.objectContaining({ code: 'carousel_cropped', severity: 'warning', mediaIndex: 1, fix: { key: 'crop', aspect: { width: 4, height: 5 }, width: 864, height: 1080 } }),
    ]);
    expect(checkPost('instagram', { text: 'hi', media: [jpeg(1080, 1350), jpeg(1080, 1080)] }).ok).toBe(true);
  });

  it('Instagram shows a lone video as a 9:16 reel: another shape is a warning with a 9:16 crop', () => {
    expect(issues('instagram', [mp4(1080, 1920)])).toEqual([]);
    expect(issues('instagram', [mp4(1920, 1080)])).toEqual([
      expect.objectContaining({ code: 'video_aspect', severity: 'warning', fix: { key: 'crop', aspect: { width: 9, height: 16 }, width: 607, height: 1080 } }),
    ]);
    // In a carousel the video is not a reel.
    expect(issues('instagram', [jpeg(), mp4(1920, 1080)])).toEqual([]);
    expect(issues('instagram', [mp4(1080, 1920, 300_000_001)])).toEqual([expect.objectContaining({ code: 'video_too_large', limit: 300_000_000 })]);
  });

  it('Instagram takes JPEG only, ≤8 MB; Threads JPEG or PNG with sides ≤10:1; Facebook ≤4 MB', () => {
    expect(issues('instagram', [{ ...jpeg(), mime: 'image/png' }])).toEqual([expect.objectContaining({ code: 'format_not_supported', fix: { key: 'convert', mime: 'image/jpeg' } })]);
    expect(issues('threads', [{ ...jpeg(), mime: 'image/png' }])).toEqual([]);
    expect(issues('threads', [jpeg(1100, 100)])).toEqual([expect.objectContaining({ code: 'aspect_ratio', fix: { key: 'crop', aspect: { width: 10, height: 1 }, width: 1000, height: 100 } })]);
    expect(issues('facebook', [jpeg(1000, 1000, 4_000_001)])).toEqual([expect.objectContaining({ code: 'image_too_large', fix: { key: 'compress', maxBytes: 4_000_000 } })]);
  });
});

describe('Threads options', () => {
  it('a topic tag: 1–50 characters without "." or "&"', () => {
    expect(topicTagProblem('#Bread')).toBeUndefined();
    expect(threadsOptionsIssues({ topicTag: '  ' }, 0)).toEqual([{ code: 'threads_topic_tag', reason: 'empty' }]);
    expect(threadsOptionsIssues({ topicTag: 'x'.repeat(51) }, 0)).toEqual([{ code: 'threads_topic_tag', reason: 'too_long' }]);
    expect(threadsOptionsIssues({ topicTag: 'Bread & Butter' }, 0)).toEqual([{ code: 'threads_topic_tag', reason: 'forbidden_character' }]);
    expect(topicTagProblem('a.b')).toBe('A Threads topic cannot contain "." or "&".');
  });

  it('a link card only on a post without images or video', () => {
    expect(threadsOptionsIssues({ linkAttachment: 'https://bakery.example' }, 0)).toEqual([]);
    expect(threadsOptionsIssues({ linkAttachment: 'https://bakery.example' }, 1)).toEqual([{ code: 'threads_link_with_media' }]);
    expect(threadsOptionsIssues({ linkAttachment: 'bakery.example' }, 0)).toEqual([{ code: 'threads_link_invalid' }]);
  });
});

describe('readiness for Meta targets', () => {
  const photo: PostMediaItem = { mediaId: 'm1', mime: 'image/jpeg', bytes: 1000, width: 1080, height: 1080, durationMs: null, fileName: 'rye.jpg', altText: '' };
  const target = (network: TargetDraft['network'], media: PostMediaItem[] = [photo]): TargetDraft => ({ accountId: `acc-${network}`, network, accountStatus: 'connected', text: 'Fresh rye', media });
  const now = Date.UTC(2026, 11, 5, 9);
  const codes = (input: Partial<Parameters<typeof readinessProblems>[0]>) =>
    readinessProblems({ targets: [], scheduledAt: now + 3_600_000, now, ...input }).map((p) => [p.code, p.network]);

  it('refuses auto-delete with an Instagram target, and only there', () => {
    expect(apiDeletes('instagram')).toBe(false);
    expect(apiDeletes('facebook')).toBe(true);
    expect(codes({ targets: [target('instagram'), target('facebook')], autoDeleteAfterMs: 24 * 3_600_000 })).toEqual([['auto_delete_not_supported', 'instagram']]);
    expect(codes({ targets: [target('instagram')], autoDeleteAfterMs: null })).toEqual([]);
  });

  it('blocks a Threads link card beside media and a bad topic, on the Threads target', () => {
    const networkOptions = { threads: { linkAttachment: 'https://bakery.example', topicTag: 'a.b' } };
    expect(codes({ targets: [target('threads'), target('facebook')], networkOptions })).toEqual([
      ['threads_topic_tag', 'threads'],
      ['threads_link_with_media', 'threads'],
    ]);
    expect(codes({ targets: [target('threads', [])], networkOptions: { threads: { linkAttachment: 'https://bakery.example' } } })).toEqual([]);
  });
});
