import parseTweet from 'twitter-text/dist/parseTweet.js';
import { findEntities } from './entities';
import { linkedInCommentary } from './linkedin';
import type { NetworkId } from './ids';
import type { CountedField, CountUnit, NetworkRules, RuleOptions, TextLimit } from './rules';
import { rulesFor } from './rules';
import { ClusterWeigher, countCodePoints, countGraphemes, utf8Length } from './unicode';

/** One image or video of a draft, as the composer knows it before publishing. */
export interface PostMedia {
  mime: string;
  bytes: number;
  /** Pixels; unknown for some videos, and then pixel rules are skipped. */
  width?: number;
  height?: number;
  alt?: string;
  /** Videos: known from the library (duration) or read in the window (the rest); unknown ones are not checked. */
  durationMs?: number;
  frameRate?: number;
  videoCodec?: string | null;
  /** null: the video has no sound. */
  audioCodec?: string | null;
}

/** What the composer and the publish path check: the post's text for one network, and its media. */
export interface PostDraft {
  text: string;
  /** Pinterest's pin title. */
  title?: string;
  /** Pinterest's destination link. */
  link?: string;
  /** False when the account sends no link preview: VK then attaches no link. */
  linkPreview?: boolean;
  media: readonly PostMedia[];
}

/** One measure of one field against one limit, e.g. Bluesky's text in graphemes. */
export interface TextCount {
  field: CountedField;
  unit: CountUnit;
  used: number;
  limit: number;
  /** For alt text: which media item. */
  mediaIndex?: number;
}

let lastTweet: string | undefined;
let lastTweetLength = 0;

/** X's weighted length: twitter-text v3 (URLs 23, CJK and emoji 2, NFC), X's own library. */
export function xWeightedLength(text: string): number {
  if (text !== lastTweet) {
    lastTweetLength = parseTweet(text).weightedLength;
    lastTweet = text;
  }
  return lastTweetLength;
}

// Emoji-looking clusters: an emoji-presentation character, VS16 (U+FE0F) or a keycap (U+20E3).
const emojiClass = String.raw`[\p{Emoji_Presentation}\uFE0F\u20E3]`;
const emojiTrigger = new RegExp(emojiClass, 'u');
const threadsWeigher = new ClusterWeigher(emojiClass, (cluster) =>
  emojiTrigger.test(cluster) ? utf8Length(cluster) : countCodePoints(cluster),
);

/**
 * Threads: "Emojis are counted as the number of UTF-8 bytes" [doc]. Other characters count
 * as code points (the docs do not say; code points never undercount graphemes).
 */
export function threadsLength(text: string): number {
  return threadsWeigher.sum(text);
}

/** Graphemes after URLs with a scheme become `urlLength` characters and, if asked, "@user@domain" becomes "@user". */
function shortenedGraphemes(text: string, urlLength: number | undefined, dropMentionDomains: boolean): number {
  let countable = '';
  let index = 0;
  let replacedLength = 0;
  for (const entity of findEntities(text)) {
    if (entity.type === 'link' && entity.hasScheme && urlLength !== undefined) {
      countable += text.slice(index, entity.start);
      replacedLength += urlLength;
      index = entity.end;
    } else if (entity.type === 'mention' && entity.domain !== null && dropMentionDomains) {
      countable += text.slice(index, entity.start) + '@' + entity.username;
      index = entity.end;
    }
  }
  countable += text.slice(index);
  return countGraphemes(countable) + replacedLength;
}

/**
 * Mastodon [src status_length_validator.rb]: grapheme clusters, after every URL that has a
 * scheme becomes `urlLength` characters and every "@user@domain" becomes "@user".
 */
export function mastodonLength(text: string, urlLength: number): number {
  return shortenedGraphemes(text, urlLength, true);
}

function measure(rules: NetworkRules, unit: CountUnit, text: string): number {
  switch (unit) {
    case 'weighted':
      return rules.network === 'x' ? xWeightedLength(text) : threadsLength(text);
    case 'graphemes':
      return rules.urlLength === undefined && !rules.mentionDomainsFree
        ? countGraphemes(text)
        : shortenedGraphemes(text, rules.urlLength, rules.mentionDomainsFree === true);
    case 'utf8_bytes':
      return utf8Length(text);
    case 'code_points':
      return countCodePoints(text);
    case 'utf16_units':
      // LinkedIn's 3,000 is the commentary as sent: each reserved character's escape counts too.
      return rules.network === 'linkedin' ? linkedInCommentary(text).length : text.length;
    case 'items':
      throw new Error('items are counted per entity type, not measured');
  }
}

function countItems(text: string, field: CountedField): number {
  const type = field === 'hashtags' ? 'hashtag' : 'mention';
  let count = 0;
  for (const entity of findEntities(text)) if (entity.type === type) count++;
  return count;
}

function countOne(rules: NetworkRules, limit: TextLimit, post: PostDraft): TextCount[] {
  const count = (used: number, mediaIndex?: number): TextCount =>
    mediaIndex === undefined
      ? { field: limit.field, unit: limit.unit, used, limit: limit.max }
      : { field: limit.field, unit: limit.unit, used, limit: limit.max, mediaIndex };
  switch (limit.field) {
    case 'text':
    case 'caption':
      return [count(measure(rules, limit.unit, post.text))];
    case 'title':
      return [count(measure(rules, limit.unit, post.title ?? ''))];
    case 'link':
      return post.link === undefined ? [] : [count(measure(rules, limit.unit, post.link))];
    case 'alt':
      return post.media.flatMap((item, index) =>
        item.alt === undefined ? [] : [count(measure(rules, limit.unit, item.alt), index)],
      );
    case 'hashtags':
    case 'mentions':
      return [count(countItems(post.text, limit.field))];
  }
}

/** The limits that apply to this draft: Telegram's caption replaces its text limit when media goes along. */
function applicableLimits(rules: NetworkRules, post: PostDraft): readonly TextLimit[] {
  const hasCaption = rules.text.some((limit) => limit.field === 'caption');
  if (!hasCaption) return rules.text;
  const withMedia = post.media.length > 0;
  return rules.text.filter((limit) => (limit.field === 'caption' ? withMedia : limit.field !== 'text' || !withMedia));
}

/** Every count of the draft on one network, each against its limit (Bluesky gives two for its text). */
export function countPost(network: NetworkId, post: PostDraft, options: RuleOptions = {}): TextCount[] {
  return countWithRules(rulesFor(network, options), post);
}

export function countWithRules(rules: NetworkRules, post: PostDraft): TextCount[] {
  return applicableLimits(rules, post).flatMap((limit) => countOne(rules, limit, post));
}

/**
 * The count to show as "used / limit" for the post text: where two limits apply (Bluesky's
 * graphemes and bytes) the one nearer to, or further over, its limit wins.
 */
export function tightestTextCount(counts: readonly TextCount[]): TextCount | undefined {
  let tightest: TextCount | undefined;
  for (const count of counts) {
    if (count.field !== 'text' && count.field !== 'caption') continue;
    if (!tightest || count.used / count.limit > tightest.used / tightest.limit) tightest = count;
  }
  return tightest;
}
