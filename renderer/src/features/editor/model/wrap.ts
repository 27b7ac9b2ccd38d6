/**
 * Word wrapping rules fabric's Textbox does not know. It breaks a line at any space, so an emoji
 * closing a line ("…תודה רבה 🎉") can land alone on the next one; the trailing emoji are kept
 * with the word before them, as a no-break space would, without changing the user's text.
 */

// A word of emoji (with their joiners, skin tones, flags and keycaps) and maybe punctuation: "🎉", "👍🏽!", "🇮🇱".
const EMOJI_WORD = /^(?:\p{Extended_Pictographic}|\p{Emoji_Component}|\p{P}|\u200d|\ufe0f)+$/u;
const PICTURE = /\p{Extended_Pictographic}|\p{Regional_Indicator}|\u20e3/u;

export function isEmojiWord(word: string): boolean {
  return EMOJI_WORD.test(word) && PICTURE.test(word);
}

/**
 * `words` as fabric splits one line (on single spaces; empty words for repeated or trailing ones),
 * with the emoji words ending the line joined to the word before them by the space between.
 */
export function keepTrailingEmojiWithWord(words: readonly string[]): string[] {
  let end = words.length;
  while (end > 0 && words[end - 1] === '') end--;
  let start = end;
  while (start > 0 && isEmojiWord(words[start - 1] as string)) start--;
  // Nothing to keep together, or a line of emoji only: fabric's breaks stand.
  if (start === end || start === 0 || words[start - 1] === '') return [...words];
  return [...words.slice(0, start - 1), words.slice(start - 1, end).join(' '), ...words.slice(end)];
}
