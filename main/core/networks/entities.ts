import validCCTLD from 'twitter-text/dist/regexp/validCCTLD';
import validGTLD from 'twitter-text/dist/regexp/validGTLD';
import { type ByteRange, utf8Ranges } from './unicode';

/**
 * Links, @mentions and #hashtags in post text, found once and shared by the counters
 * (Mastodon's URL and mention rules, Instagram's hashtag cap) and the connectors (Bluesky
 * facets). Ranges are UTF-16 indices into the text, half-open: text.slice(start, end).
 */

interface EntityRange {
  start: number;
  end: number;
  /** The matched text, exactly as written. */
  text: string;
}

export interface LinkEntity extends EntityRange {
  type: 'link';
  /** Absolute URL: as written when it has a scheme, else with https:// in front. */
  url: string;
  /** Whether the text carried http:// or https:// (Mastodon only shortens those). */
  hasScheme: boolean;
}

export interface MentionEntity extends EntityRange {
  type: 'mention';
  /** Without the @: "alice", or a Bluesky handle such as "alice.bsky.social". */
  username: string;
  /** The server of a remote (fediverse) mention "@user@domain", else null. */
  domain: string | null;
}

export interface HashtagEntity extends EntityRange {
  type: 'hashtag';
  /** Without the #. */
  tag: string;
}

export type TextEntity = LinkEntity | MentionEntity | HashtagEntity;

export type WithByteRange<T> = T & ByteRange;

let knownTlds: Set<string> | undefined;

/** twitter-text's TLD regexes are one alternation each; their names are what we need. */
function tldNames(pattern: RegExp): string[] {
  const names = /^\(\?:\(\?:(.*)\)\(\?=/u.exec(pattern.source)?.[1];
  if (!names) throw new Error('twitter-text TLD list has an unexpected shape');
  return names.split('|');
}

/** True for a top-level domain in twitter-text's list (IANA, Unicode ones included) or any punycode one. */
export function isKnownTld(label: string): boolean {
  knownTlds ??= new Set([...tldNames(validGTLD), ...tldNames(validCCTLD)]);
  const lower = label.toLowerCase();
  return knownTlds.has(lower) || /^xn--[0-9a-z-]+$/u.test(lower);
}

const word = String.raw`\p{L}\p{M}\p{N}_`;
const label = String.raw`[\p{L}\p{N}][\p{L}\p{M}\p{N}\-]*`;
const host = String.raw`(?:${label}\.)+${label}`;
// Characters that end a URL: spaces, HTML-ish delimiters, CJK and full-width punctuation, emoji.
const urlStop = String.raw`\s<>"\u3000-\u303F\uFF01-\uFF0F\uFF1A-\uFF20\uFF3B-\uFF40\uFF5B-\uFF65\p{Extended_Pictographic}`;

const entityPattern = new RegExp(
  [
    String.raw`(?<schemeUrl>(?<![${word}])[hH][tT][tT][pP][sS]?:\/\/[^${urlStop}]+)`,
    // Not after "@" (e-mail), "." or "/" (part of something longer).
    String.raw`(?<bareUrl>(?<![${word}.@\/:\-])(?<bareHost>${host})(?::\d{1,5})?(?:[\/?#][^${urlStop}]*)?)`,
    String.raw`(?<mention>(?<![${word}@\/=.+\-])@(?<username>[A-Za-z0-9_](?:[A-Za-z0-9_.\-]*[A-Za-z0-9_])?)(?:@(?<domain>${host}))?)`,
    String.raw`(?<hashtag>(?<![${word}&#\/\uFF03])[#\uFF03](?<tag>[\p{L}\p{N}_][${word}]*))`,
  ].join('|'),
  'gu',
);

const trailingPunctuation = new Set(['.', ',', ';', ':', '!', '?', "'", '"', '’', '”', '…']);
const closers: Record<string, string> = { ')': '(', ']': '[', '}': '{' };

/** Drops sentence punctuation and unbalanced closing brackets from the end of a URL. */
function trimUrlEnd(url: string): string {
  let end = url.length;
  for (;;) {
    const last = url[end - 1];
    if (last === undefined) break;
    if (trailingPunctuation.has(last)) {
      end--;
      continue;
    }
    const opener = closers[last];
    if (opener !== undefined) {
      const body = url.slice(0, end);
      if (body.split(opener).length < body.split(last).length) {
        end--;
        continue;
      }
    }
    break;
  }
  return url.slice(0, end);
}

function extract(text: string): TextEntity[] {
  const entities: TextEntity[] = [];
  entityPattern.lastIndex = 0;
  for (let match = entityPattern.exec(text); match !== null; match = entityPattern.exec(text)) {
    const groups = match.groups ?? {};
    const start = match.index;
    if (groups.schemeUrl !== undefined) {
      const written = trimUrlEnd(groups.schemeUrl);
      // "https://" with nothing after it is not a link.
      if (!/^https?:\/\/[^/?#]/iu.test(written)) continue;
      entities.push({ type: 'link', start, end: start + written.length, text: written, url: written, hasScheme: true });
      entityPattern.lastIndex = start + written.length;
    } else if (groups.bareUrl !== undefined && groups.bareHost !== undefined) {
      const bareHost = groups.bareHost;
      const tld = bareHost.slice(bareHost.lastIndexOf('.') + 1);
      const hostEnd = start + bareHost.length;
      if (!isKnownTld(tld) || text[hostEnd] === '@') {
        entityPattern.lastIndex = hostEnd;
        continue;
      }
      const written = trimUrlEnd(groups.bareUrl);
      entities.push({
        type: 'link',
        start,
        end: start + written.length,
        text: written,
        url: `https://${written}`,
        hasScheme: false,
      });
      entityPattern.lastIndex = start + written.length;
    } else if (groups.mention !== undefined && groups.username !== undefined) {
      entities.push({
        type: 'mention',
        start,
        end: start + groups.mention.length,
        text: groups.mention,
        username: groups.username,
        domain: groups.domain ?? null,
      });
    } else if (groups.hashtag !== undefined && groups.tag !== undefined) {
      // "#2024" is a number, not a tag, on every network that has tags.
      if (/^\d+$/u.test(groups.tag)) continue;
      entities.push({ type: 'hashtag', start, end: start + groups.hashtag.length, text: groups.hashtag, tag: groups.tag });
    }
  }
  return entities;
}

let lastText: string | undefined;
let lastEntities: readonly TextEntity[] = [];

/**
 * Every link, mention and hashtag in `text`, in order, never overlapping. The last answer
 * is kept, so the counters of several networks share one pass over the same draft.
 */
export function findEntities(text: string): readonly TextEntity[] {
  if (text !== lastText) {
    lastEntities = Object.freeze(extract(text).map((entity) => Object.freeze(entity)));
    lastText = text;
  }
  return lastEntities;
}

/** The entities with their UTF-8 byte offsets added (Bluesky facets' byteStart/byteEnd). */
export function withByteRanges<T extends { start: number; end: number }>(
  text: string,
  entities: readonly T[],
): WithByteRange<T>[] {
  const ranges = utf8Ranges(text, entities);
  return entities.map((entity, i) => ({ ...entity, ...(ranges[i] as ByteRange) }));
}
