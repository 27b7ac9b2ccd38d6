// Single files of twitter-text's CommonJS build: importing one function keeps the renderer
// bundle small, and CommonJS default exports load the same way in Node, vitest and Vite.

declare module 'twitter-text/dist/parseTweet' {
  import type { ParsedTweet, ParseTweetOptions } from 'twitter-text';

  function parseTweet(text: string, options?: ParseTweetOptions): ParsedTweet;
  export = parseTweet;
}

declare module 'twitter-text/dist/regexp/validGTLD' {
  const validGTLD: RegExp;
  export = validGTLD;
}

declare module 'twitter-text/dist/regexp/validCCTLD' {
  const validCCTLD: RegExp;
  export = validCCTLD;
}
