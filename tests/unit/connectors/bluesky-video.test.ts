import { describe, expect, it } from 'vitest';
import { ConnectorError, type MediaItem, type PublishRequest } from '../../../main/core/connector';
import { validateBlueskyPost } from '../../../main/services/connectors/bluesky';

/** Bluesky video checks before any call; the upload itself runs against the real PDS in tests/integration/bluesky-video.test.ts. */

const clip = (extra: Partial<MediaItem> = {}): MediaItem => ({ fileName: 'clip.mp4', mime: 'video/mp4', bytes: new Uint8Array(1000), alt: '', width: 1280, height: 720, durationMs: 30_000, ...extra });
const photo: MediaItem = { fileName: 'photo.jpg', mime: 'image/jpeg', bytes: new Uint8Array(100), alt: '' };
const post = (media: MediaItem[]): PublishRequest => ({ text: 'A clip', media, idempotencyKey: 'job-1' });

function refusal(media: MediaItem[]): string {
  try {
    validateBlueskyPost(post(media));
  } catch (error) {
    expect(error).toBeInstanceOf(ConnectorError);
    expect((error as ConnectorError).kind).toBe('validation');
    return (error as ConnectorError).networkMessage;
  }
  throw new Error('expected a refusal');
}

describe('Bluesky video rules', () => {
  it('takes one MP4 of up to three minutes', () => {
    expect(() => validateBlueskyPost(post([clip({ durationMs: 180_000 })]))).not.toThrow();
  });

  it('refuses a video beside anything else, a WebM, a clip over three minutes and one over 300 MB, naming the file', () => {
    expect(refusal([clip(), photo])).toMatch(/one video and nothing else/);
    expect(refusal([clip({ fileName: 'talk.webm', mime: 'video/webm' })])).toMatch(/talk\.webm is video\/webm; Bluesky takes videos as MP4/);
    expect(refusal([clip({ fileName: 'long.mp4', durationMs: 181_000 })])).toMatch(/long\.mp4 lasts 181 s; Bluesky takes videos of at most 3 minutes/);
    expect(refusal([clip({ fileName: 'big.mp4', bytes: { byteLength: 300_000_001 } as Uint8Array })])).toMatch(/big\.mp4 is 300,000,001 bytes; Bluesky takes videos of at most 300,000,000 bytes/);
  });
});
