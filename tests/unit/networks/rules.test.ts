import { describe, expect, it } from 'vitest';
import { networkIds } from '../../../main/core/networks/ids';
import { mastodonDefaults, networkRules, rulesFor } from '../../../main/core/networks/rules';

describe('network rules as data', () => {
  it('has rules for every network, each naming its network', () => {
    for (const id of networkIds) expect(networkRules[id].network).toBe(id);
    expect(Object.keys(networkRules).sort()).toEqual([...networkIds].sort());
  });

  it('is frozen, so no reader can change the limits for the others', () => {
    expect(Object.isFrozen(networkRules)).toBe(true);
    expect(Object.isFrozen(networkRules.bluesky.media.image)).toBe(true);
    expect(Object.isFrozen(networkRules.telegram.text)).toBe(true);
    expect(Object.isFrozen(mastodonDefaults.supportedMimeTypes)).toBe(true);
  });

  it('keeps the headline numbers of CONTRACTS.md', () => {
    const textMax = (id: (typeof networkIds)[number], field = 'text') =>
      networkRules[id].text.filter((limit) => limit.field === field).map((limit) => `${limit.max} ${limit.unit}`);
    expect(textMax('x')).toEqual(['280 weighted']);
    expect(textMax('bluesky')).toEqual(['300 graphemes', '3000 utf8_bytes']);
    expect(textMax('mastodon')).toEqual(['500 graphemes']);
    expect(textMax('telegram')).toEqual(['4096 code_points']);
    expect(textMax('telegram', 'caption')).toEqual(['1024 code_points']);
    expect(textMax('threads')).toEqual(['500 weighted']);
    expect(textMax('instagram', 'hashtags')).toEqual(['30 items']);
    expect(textMax('pinterest', 'title')).toEqual(['100 code_points']);
    expect(networkRules.mastodon.urlLength).toBe(23);
    expect(networkRules.bluesky.media.image.maxBytes).toBe(1_000_000);
  });

  it("applies a Mastodon instance's own limits, defaults elsewhere", () => {
    const rules = rulesFor('mastodon', { mastodon: { maxCharacters: 11_000, maxMediaAttachments: 6, charactersReservedPerUrl: 30 } });
    expect(rules.text).toEqual([{ field: 'text', unit: 'graphemes', max: 11_000 }]);
    expect(rules.media.maxItems).toBe(6);
    expect(rules.urlLength).toBe(30);
    expect(rules.media.image.maxBytes).toBe(16_777_216);
    expect(rulesFor('mastodon')).toBe(networkRules.mastodon);
    expect(rulesFor('x', { mastodon: { maxCharacters: 1 } })).toBe(networkRules.x);
  });
});
