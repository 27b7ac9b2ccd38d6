import { describe, expect, it } from 'vitest';
import { isEmojiWord, keepTrailingEmojiWithWord } from '../../../renderer/src/features/editor/model/wrap';

describe('emoji ending a line stay with the word before them', () => {
  it('knows an emoji word from a word, a number or punctuation', () => {
    for (const word of ['🎉', '👍🏽', '👨‍👩‍👧', '🇮🇱', '❤️', '🎉🎂', '🎉!', '#️⃣']) expect(isEmojiWord(word), word).toBe(true);
    for (const word of ['שלום', 'hello', '123', '#', '!', '', 'sale🎉']) expect(isEmojiWord(word), word).toBe(false);
  });

  it('joins a Hebrew line’s closing emoji to its last word, by the space that was there', () => {
    expect(keepTrailingEmojiWithWord(['חלות', 'טריות', 'כל', 'בוקר', '🥖'])).toEqual(['חלות', 'טריות', 'כל', 'בוקר 🥖']);
    expect(keepTrailingEmojiWithWord(['תודה', 'רבה', '🎉', '❤️'])).toEqual(['תודה', 'רבה 🎉 ❤️']);
    // Trailing spaces stay words of their own, so the text fabric puts back together is unchanged.
    const words = ['Fresh', 'bread', '🥖', '', ''];
    const joined = keepTrailingEmojiWithWord(words);
    expect(joined).toEqual(['Fresh', 'bread 🥖', '', '']);
    expect(joined.join(' ')).toBe(words.join(' '));
  });

  it('leaves lines alone that end in a word, hold only emoji, or have emoji in the middle', () => {
    expect(keepTrailingEmojiWithWord(['🎉', 'שלום', 'לכולם'])).toEqual(['🎉', 'שלום', 'לכולם']);
    expect(keepTrailingEmojiWithWord(['🎉', '🎂'])).toEqual(['🎉', '🎂']);
    expect(keepTrailingEmojiWithWord([''])).toEqual(['']);
    expect(keepTrailingEmojiWithWord(['a', '', '🎉'])).toEqual(['a', '', '🎉']);
  });
});
