import { describe, expect, it } from 'vitest';
import { escapeLittleText } from '../../../main/core/networks/little-text';

describe("LinkedIn's little text format", () => {
  // Expected strings are written with String.raw so each backslash in them is one real backslash.
  const cases: [name: string, text: string, escaped: string][] = [
    ['plain text is unchanged', 'Hello, world! 50% off.', 'Hello, world! 50% off.'],
    ['parentheses', 'Hello (world)', String.raw`Hello \(world\)`],
    ['every reserved character', String.raw`|{}@[]()<>#*_~\\`, String.raw`\|\{\}\@\[\]\(\)\<\>\#\*\_\~\\\\`],
    ['a backslash is doubled', String.raw`C:\temp`, String.raw`C:\\temp`],
    ['hashtag and mention', '#news by @alice', String.raw`\#news by \@alice`],
    ['Hebrew and emoji pass through', 'שלום #תודה \u{1F44B}', String.raw`שלום \#תודה ` + '\u{1F44B}'],
    ['a URL keeps its shape, reserved characters escaped', 'https://example.com/a_(b)', String.raw`https://example.com/a\_\(b\)`],
    ['empty', '', ''],
  ];
  it.each(cases)('%s', (_name, text, escaped) => {
    expect(escapeLittleText(text)).toBe(escaped);
  });
});
