// Single files of twitter-text's CommonJS build: one function keeps the renderer bundle small,
// a CommonJS default export loads alike in Node, vitest and Vite, and ".js" lets Node ESM resolve it.

declare module 'twitter-text/dist/parseTweet.js' {
  import type { ParsedTweet, ParseTweetOptions } from 'twitter-text';

  function parseTweet(text: string, options?: ParseTweetOptions): ParsedTweet;
  export = parseTweet;
}

declare module 'twitter-text/dist/regexp/validGTLD.js' {
  const validGTLD: RegExp;
  export = validGTLD;
}

declare module 'twitter-text/dist/regexp/validCCTLD.js' {
  const validCCTLD: RegExp;
  export = validCCTLD;
}
