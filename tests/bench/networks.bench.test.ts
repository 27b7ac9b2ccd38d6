import { expect, it } from 'vitest';
import { checkPost } from '../../main/core/networks/check';
import type { NetworkId } from '../../main/core/networks/ids';
import { median, recordFigure, timeRuns } from './figures';

// The composer checks the draft for every selected network on each keystroke.
const networks: NetworkId[] = ['x', 'bluesky', 'mastodon', 'telegram', 'threads', 'instagram'];
const family = '\u{1F469}\u200D\u{1F469}\u200D\u{1F467}\u200D\u{1F466}';
const drafts = {
  latin: 'Launch day! Read https://example.com/blog/launch and tell @alice what you think. #launch #news '.repeat(60).slice(0, 5000),
  mixed: `שלום עולם ${family} 日本語のテキスト \u{1F44D}\u{1F3FD} e\u0301 https://example.com/a #tag @bob@mastodon.social `.repeat(80).slice(0, 5000),
};

for (const [name, draft] of Object.entries(drafts)) {
  it(`checks a 5,000-character ${name} draft for six networks per keystroke`, () => {
    let keystroke = 0;
    // Each run types one more character, so no cache holds the whole answer.
    const times = timeRuns(() => {
      const text = `${draft}${keystroke++ % 10}`;
      for (const network of networks) checkPost(network, { text, media: [] });
    }, 200);
    const value = median(times);
    recordFigure({
      name: `composer check, ${name} 5k × 6`,
      value,
      unit: 'ms',
      target: 6,
      how: 'median of 200 keystrokes, checkPost for x, bluesky, mastodon, telegram, threads, instagram',
    });
    expect(value).toBeGreaterThan(0);
  });
}
