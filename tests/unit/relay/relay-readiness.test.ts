import { describe, expect, it } from 'vitest';
import type { Post, PostMediaItem, RelayKind } from '../../../main/core/contract';
import type { NetworkId } from '../../../main/core/networks/ids';
import { blocksScheduling, readinessProblems, type TargetDraft } from '../../../main/core/posts/readiness';
import { postProblems } from '../../../main/services/posts/post-rules';

const photo: PostMediaItem = { mediaId: 'm1', mime: 'image/jpeg', bytes: 1000, width: 1080, height: 1080, durationMs: null, fileName: 'rye.jpg', altText: 'Rye loaf' };
const clip: PostMediaItem = { mediaId: 'm2', mime: 'video/mp4', bytes: 100_000, width: 1080, height: 1920, durationMs: 10_000, fileName: 'oven.mp4', altText: '' };
const NOW = Date.UTC(2026, 11, 5, 9, 0);

const target = (network: NetworkId, media: PostMediaItem[]): TargetDraft => ({ accountId: `a-${network}`, network, accountStatus: 'connected', text: 'Fresh bread', media });
const relayProblems = (network: NetworkId, media: PostMediaItem[], mediaRelay: RelayKind | undefined) =>
  readinessProblems({ targets: [target(network, media)], scheduledAt: NOW + 3_600_000, now: NOW, ...(mediaRelay ? { mediaRelay } : {}) }).filter((p) => p.code.startsWith('media_relay'));

describe('a post that needs a media relay', () => {
  it('cannot be scheduled for Threads or Instagram with images when the project has none', () => {
    for (const network of ['threads', 'instagram'] as const) {
      const problems = relayProblems(network, [photo], 'none');
      expect(problems).toEqual([{ code: 'media_relay_missing', severity: 'error', accountId: `a-${network}`, network, params: {} }]);
      expect(blocksScheduling(problems)).toBe(true);
    }
  });

  it('cannot go to Threads through the Page relay, which only Instagram can use', () => {
    expect(relayProblems('threads', [photo], 'page').map((p) => p.code)).toEqual(['media_relay_page_threads']);
    expect(relayProblems('instagram', [photo], 'page')).toEqual([]);
  });

  it('is fine with a bucket, with no media, and for Instagram videos (they go up as bytes)', () => {
    expect(relayProblems('threads', [photo, clip], 's3')).toEqual([]);
    expect(relayProblems('instagram', [photo], 's3')).toEqual([]);
    expect(relayProblems('threads', [], 'none')).toEqual([]);
    expect(relayProblems('instagram', [clip], 'none')).toEqual([]);
    expect(relayProblems('threads', [clip], 'none').map((p) => p.code)).toEqual(['media_relay_missing']);
    expect(relayProblems('mastodon', [photo], 'none')).toEqual([]);
  });

  it('is not judged where the project’s relay is not known', () => {
    expect(relayProblems('threads', [photo], undefined)).toEqual([]);
  });

  it('is refused by main too, with the project’s relay read as the post is scheduled', () => {
    const post = {
      id: 'p1',
      projectId: 'proj',
      body: 'Fresh bread',
      media: [photo],
      scheduledAt: NOW + 3_600_000,
      autoDeleteAfterMs: null,
      firstComment: '',
      networkOptions: {},
      targets: [{ accountId: 'a-threads', network: 'threads', accountStatus: 'connected', ruleOptions: {}, bodyOverride: null, mediaOverride: null }],
    } as unknown as Post;
    const asked: string[] = [];
    const problems = postProblems(post, NOW, undefined, [], (projectId) => {
      asked.push(projectId);
      return 'none';
    });
    expect(asked).toEqual(['proj']);
    expect(problems.map((p) => p.code)).toContain('media_relay_missing');
    expect(postProblems(post, NOW, undefined, [], () => 's3').map((p) => p.code)).not.toContain('media_relay_missing');
  });
});
