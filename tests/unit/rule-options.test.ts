import { describe, expect, it } from 'vitest';
import { checkPost } from '../../main/core/networks';
import { ruleOptionsFor } from '../../main/core/posts/readiness';

// The config a Mastodon sign-in stores for the account (main/services/connectors/mastodon.ts MastodonConfig).
const storedConfig = {
  accountId: '1',
  acct: 'acme@example.social',
  url: 'https://example.social/@acme',
  limits: {
    maxCharacters: 1000,
    maxMediaAttachments: 4,
    charactersReservedPerUrl: 23,
    imageSizeLimit: 16777216,
    videoSizeLimit: 103809024,
    supportedMimeTypes: ['image/jpeg', 'image/png'],
  },
};

describe('an account’s own limits', () => {
  it('lets a Mastodon instance with a 1,000-character limit take a 700-character post', () => {
    const text = 'a'.repeat(700);
    expect(checkPost('mastodon', { text, media: [] }).ok).toBe(false);
    expect(checkPost('mastodon', { text, media: [] }, ruleOptionsFor('mastodon', storedConfig)).ok).toBe(true);
    expect(checkPost('mastodon', { text: 'a'.repeat(1001), media: [] }, ruleOptionsFor('mastodon', storedConfig)).ok).toBe(false);
  });

  it('ignores limits stored on other networks’ accounts', () => {
    expect(ruleOptionsFor('telegram', storedConfig)).toEqual({});
  });
});
