import validCCTLD from 'twitter-text/dist/regexp/validCCTLD.js';
import validGTLD from 'twitter-text/dist/regexp/validGTLD.js';
import { type ByteRange, previousCodePointStart, utf8Ranges } from './unicode';

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

// Links with a scheme, mentions and hashtags start with a marker character: one regex finds them.
const markedPattern = new RegExp(
  [
    String.raw`(?<schemeUrl>(?<![${word}])[hH][tT][tT][pP][sS]?:\/\/[^${urlStop}]+)`,
    String.raw`(?<mention>(?<![${word}@\/=.+\-])@(?<username>[A-Za-z0-9_](?:[A-Za-z0-9_.\-]*[A-Za-z0-9_])?)(?:@(?<domain>${host}))?)`,
    String.raw`(?<hashtag>(?<![${word}&#\/\uFF03])[#\uFF03](?<tag>[\p{L}\p{N}_][${word}]*))`,
  ].join('|'),
  'gu',
);

// Links without a scheme are found from their dots: trying a host at every word start was
// most of the time of a pass over prose or mixed scripts.
const dotBeforeLabel = /\.(?=[\p{L}\p{N}])/gu;
const hostCharacter = /[\p{L}\p{M}\p{N}\-.]/uy;
const hostRun = /[\p{L}\p{M}\p{N}\-.]*/uy;
const labelStart = /[\p{L}\p{N}]/uy;
const bareUrlAt = new RegExp(String.raw`(?<bareHost>${host})(?::\d{1,5})?(?:[\/?#][^${urlStop}]*)?`, 'uy');

function matchesAt(pattern: RegExp, text: string, index: number): boolean {
  pattern.lastIndex = index;
  return pattern.test(text);
}

/** A letter, mark, digit, "-" or "."; ASCII is answered without the regex, as hosts mostly are. */
function isHostCharacterAt(text: string, index: number): boolean {
  const unit = text.charCodeAt(index);
  if (unit < 0x80) {
    return (
      (unit >= 0x61 && unit <= 0x7a) || (unit >= 0x41 && unit <= 0x5a) || (unit >= 0x30 && unit <= 0x39) || unit === 0x2d || unit === 0x2e
    );
  }
  return matchesAt(hostCharacter, text, index);
}

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

/** The first link without a scheme that starts at or after `from`, or null. */
function nextBareUrl(text: string, from: number): LinkEntity | null {
  dotBeforeLabel.lastIndex = from;
  for (let dot = dotBeforeLabel.exec(text); dot !== null; dot = dotBeforeLabel.exec(text)) {
    // The run of host characters around this dot; a link can only start where it starts.
    let start = dot.index;
    while (start > 0) {
      const previous = previousCodePointStart(text, start);
      if (!isHostCharacterAt(text, previous)) break;
      start = previous;
    }
    matchesAt(hostRun, text, dot.index);
    dotBeforeLabel.lastIndex = hostRun.lastIndex;

    // Not part of an e-mail address ("@"), a word ("_"), a path ("/") or a scheme (":").
    const before = text[start - 1];
    if (start < from || before === '@' || before === '_' || before === '/' || before === ':') continue;
    if (!matchesAt(labelStart, text, start)) continue;
    bareUrlAt.lastIndex = start;
    const found = bareUrlAt.exec(text);
    const bareHost = found?.groups?.bareHost;
    if (!found || bareHost === undefined) continue;
    const tld = bareHost.slice(bareHost.lastIndexOf('.') + 1);
    if (!isKnownTld(tld) || text[start + bareHost.length] === '@') continue;
    const written = trimUrlEnd(found[0]);
    return { type: 'link', start, end: start + written.length, text: written, url: `https://${written}`, hasScheme: false };
  }
  return null;
}

/** The entity a marked match stands for, or null when it is not one after all. */
function markedEntity(match: RegExpExecArray): TextEntity | null {
  const groups = match.groups ?? {};
  const start = match.index;
  if (groups.schemeUrl !== undefined) {
    const written = trimUrlEnd(groups.schemeUrl);
    // "https://" with nothing after it is not a link.
    if (!/^https?:\/\/[^/?#]/iu.test(written)) return null;
    return { type: 'link', start, end: start + written.length, text: written, url: written, hasScheme: true };
  }
  if (groups.mention !== undefined && groups.username !== undefined) {
    return {
      type: 'mention',
      start,
      end: start + groups.mention.length,
      text: groups.mention,
      username: groups.username,
      domain: groups.domain ?? null,
    };
  }
  if (groups.hashtag !== undefined && groups.tag !== undefined) {
    // "#2024" is a number, not a tag, on every network that has tags.
    if (/^\d+$/u.test(groups.tag)) return null;
    return { type: 'hashtag', start, end: start + groups.hashtag.length, text: groups.hashtag, tag: groups.tag };
  }
  return null;
}

/** Merges the two searches, leftmost first; at the same start a link with a scheme wins. */
function extract(text: string): TextEntity[] {
  const entities: TextEntity[] = [];
  let index = 0;
  // undefined: not looked for since `index` moved past it; null: there is none further on.
  let bare: LinkEntity | null | undefined;
  let marked: RegExpExecArray | null | undefined;
  for (;;) {
    if (bare === undefined || (bare !== null && bare.start < index)) bare = nextBareUrl(text, index);
    if (marked === undefined || (marked !== null && marked.index < index)) {
      markedPattern.lastIndex = index;
      marked = markedPattern.exec(text);
    }
    if (bare === null && marked === null) return entities;
    if (bare !== null && (marked === null || bare.start < marked.index)) {
      entities.push(bare);
      index = bare.end;
      bare = undefined;
      continue;
    }
    if (marked === null) continue;
    const entity = markedEntity(marked);
    index = entity ? entity.end : marked.index + marked[0].length;
    if (entity) entities.push(entity);
    marked = undefined;
  }
}

// A few recent texts, not one: a keystroke asks for the whole post (counters, links) and for each preview's folded part in turn.
const recent = new Map<string, readonly TextEntity[]>();
const RECENT_MAX = 8;

/**
 * Every link, mention and hashtag in `text`, in order, never overlapping. Recent answers
 * are kept, so the counters of several networks share one pass over the same draft.
 */
export function findEntities(text: string): readonly TextEntity[] {
  let entities = recent.get(text);
  if (entities === undefined) {
    entities = Object.freeze(extract(text).map((entity) => Object.freeze(entity)));
    if (recent.size >= RECENT_MAX) recent.delete(recent.keys().next().value as string);
    recent.set(text, entities);
  }
  return entities;
}

/** The entities with their UTF-8 byte offsets added (Bluesky facets' byteStart/byteEnd). */
export function withByteRanges<T extends { start: number; end: number }>(
  text: string,
  entities: readonly T[],
): WithByteRange<T>[] {
  const ranges = utf8Ranges(text, entities);
  return entities.map((entity, i) => ({ ...entity, ...(ranges[i] as ByteRange) }));
}
