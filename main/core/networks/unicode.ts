/**
 * Unicode measures the networks count in: grapheme clusters, code points, UTF-8 bytes.
 *
 * Intl.Segmenter is exact but slow (about 2 µs a segment in Node 20, so 10 ms for 5,000
 * characters), and the composer counts on every keystroke. So it only runs on the short
 * "pieces" of text around characters that can join their neighbours; everywhere else one
 * code point is one cluster.
 */

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * Code points that can join a neighbour into one grapheme cluster (UAX #29): Extend and
 * SpacingMark (marks, ZWJ, ZWNJ, variation selectors, emoji modifiers, tags), Prepend,
 * Regional_Indicator, Hangul jamo, and CR (CR LF). Between two code points outside this
 * class there is always a cluster boundary.
 */
const joinerClass =
  String.raw`\p{M}\p{Emoji_Modifier}\p{Regional_Indicator}\r\u200C-\u200D\u0E33\u0EB3\uFF9E\uFF9F` +
  String.raw`\u1100-\u11FF\uA960-\uA97F\uD7B0-\uD7FF` +
  // Prepend (JavaScript has no Prepended_Concatenation_Mark property, so listed by hand).
  String.raw`\u0600-\u0605\u06DD\u070F\u0890\u0891\u08E2\u0D4E\u{110BD}\u{110CD}\u{111C2}\u{111C3}\u{1193F}\u{11941}\u{11A3A}\u{11A84}-\u{11A89}\u{11D46}\u{11F02}\u{E0000}-\u{E0FFF}`;

const joinerGlobal = new RegExp(`[${joinerClass}]`, 'gu');
const joinerAt = new RegExp(`[${joinerClass}]`, 'uy');

function isJoinerAt(text: string, index: number): boolean {
  joinerAt.lastIndex = index;
  return joinerAt.test(text);
}

function isHighSurrogate(unit: number): boolean {
  return unit >= 0xd800 && unit <= 0xdbff;
}

function isLowSurrogate(unit: number): boolean {
  return unit >= 0xdc00 && unit <= 0xdfff;
}

/** Start (UTF-16 index) of the code point that ends at `index`. */
export function previousCodePointStart(text: string, index: number): number {
  if (index >= 2 && isLowSurrogate(text.charCodeAt(index - 1)) && isHighSurrogate(text.charCodeAt(index - 2))) {
    return index - 2;
  }
  return index - 1;
}

/** End (UTF-16 index) of the code point that starts at `index`. */
function nextCodePointEnd(text: string, index: number): number {
  if (isHighSurrogate(text.charCodeAt(index)) && isLowSurrogate(text.charCodeAt(index + 1))) return index + 2;
  return index + 1;
}

/** True when a grapheme cluster boundary surely falls at `index` (both neighbours are plain). */
function isSureBoundary(text: string, index: number): boolean {
  if (index <= 0 || index >= text.length) return true;
  return !isJoinerAt(text, index) && !isJoinerAt(text, previousCodePointStart(text, index));
}

/**
 * Calls `visit(start, end)` for each stretch of text that needs real segmentation: every
 * match of `trigger` (a global regex), widened to sure cluster boundaries and merged with
 * its neighbours. Stretches come in order and never overlap.
 */
function forEachPiece(text: string, trigger: RegExp, visit: (start: number, end: number) => void): void {
  trigger.lastIndex = 0;
  let pieceStart = -1;
  let pieceEnd = -1;
  for (let match = trigger.exec(text); match !== null; match = trigger.exec(text)) {
    let start = match.index;
    let end = start + match[0].length;
    while (!isSureBoundary(text, start)) start = previousCodePointStart(text, start);
    while (!isSureBoundary(text, end)) end = nextCodePointEnd(text, end);
    if (pieceEnd >= 0 && start < pieceEnd) {
      pieceEnd = Math.max(pieceEnd, end);
    } else {
      if (pieceEnd >= 0) visit(pieceStart, pieceEnd);
      pieceStart = start;
      pieceEnd = end;
    }
    trigger.lastIndex = end;
  }
  if (pieceEnd >= 0) visit(pieceStart, pieceEnd);
}

/** Number of Unicode code points; a lone surrogate counts as one. */
export function countCodePoints(text: string, start = 0, end = text.length): number {
  let count = 0;
  for (let i = start; i < end; i++) {
    const unit = text.charCodeAt(i);
    if (isLowSurrogate(unit) && i > start && isHighSurrogate(text.charCodeAt(i - 1))) continue;
    count++;
  }
  return count;
}

/**
 * Remembers the answer for short pieces: while a draft is typed its pieces (an emoji, a
 * letter with its accents) stay the same, so each keystroke finds them here.
 */
class PieceCache {
  private readonly entries = new Map<string, number>();

  get(piece: string, compute: (piece: string) => number): number {
    let value = this.entries.get(piece);
    if (value === undefined) {
      value = compute(piece);
      if (this.entries.size >= 4096) this.entries.clear();
      this.entries.set(piece, value);
    }
    return value;
  }
}

const graphemeCache = new PieceCache();

function segmentCount(piece: string): number {
  let count = 0;
  for (const _ of segmenter.segment(piece)) count++;
  return count;
}

/** Number of user-perceived characters (extended grapheme clusters, UAX #29). */
export function countGraphemes(text: string): number {
  let count = countCodePoints(text);
  forEachPiece(text, joinerGlobal, (start, end) => {
    count += graphemeCache.get(text.slice(start, end), segmentCount) - countCodePoints(text, start, end);
  });
  return count;
}

/** Every grapheme cluster of `text`, in order (exact, uses Intl.Segmenter throughout). */
export function graphemes(text: string): string[] {
  return Array.from(segmenter.segment(text), (part) => part.segment);
}

/** Weighs grapheme clusters; see ClusterWeigher.sum. */
export class ClusterWeigher {
  private readonly trigger: RegExp;
  private readonly cache = new PieceCache();
  private readonly weighPiece: (piece: string) => number;

  /**
   * `trigger` is a regex source matching the code points `weigh` cares about; `weigh` gives
   * one cluster's weight. Every other code point is a cluster of its own and weighs 1.
   */
  constructor(trigger: string, weigh: (cluster: string) => number) {
    this.trigger = new RegExp(`${trigger}|[${joinerClass}]`, 'gu');
    this.weighPiece = (piece) => {
      let total = 0;
      for (const part of segmenter.segment(piece)) total += weigh(part.segment);
      return total;
    };
  }

  /** The sum of the weights of the grapheme clusters of `text`. */
  sum(text: string): number {
    let total = countCodePoints(text);
    forEachPiece(text, this.trigger, (start, end) => {
      total += this.cache.get(text.slice(start, end), this.weighPiece) - countCodePoints(text, start, end);
    });
    return total;
  }
}

/** Length of `text` encoded as UTF-8 (lone surrogates become U+FFFD, 3 bytes, as TextEncoder does). */
export function utf8Length(text: string, start = 0, end = text.length): number {
  let bytes = 0;
  for (let i = start; i < end; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0x80) bytes += 1;
    else if (unit < 0x800) bytes += 2;
    else if (isHighSurrogate(unit) && i + 1 < end && isLowSurrogate(text.charCodeAt(i + 1))) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

/** A half-open range of UTF-8 byte offsets, as Bluesky facets want them. */
export interface ByteRange {
  byteStart: number;
  byteEnd: number;
}

/** Converts a UTF-16 range of `text` (JavaScript string indices) to UTF-8 byte offsets. */
export function utf8Range(text: string, start: number, end: number): ByteRange {
  const byteStart = utf8Length(text, 0, start);
  return { byteStart, byteEnd: byteStart + utf8Length(text, start, end) };
}

/**
 * Converts many UTF-16 ranges at once in one pass over the text; ranges must be sorted by
 * start and must not overlap (as findEntities returns them).
 */
export function utf8Ranges(text: string, ranges: readonly { start: number; end: number }[]): ByteRange[] {
  const result: ByteRange[] = [];
  let index = 0;
  let bytes = 0;
  for (const range of ranges) {
    if (range.start < index) throw new RangeError('utf8Ranges needs sorted, non-overlapping ranges');
    bytes += utf8Length(text, index, range.start);
    const byteStart = bytes;
    bytes += utf8Length(text, range.start, range.end);
    result.push({ byteStart, byteEnd: bytes });
    index = range.end;
  }
  return result;
}
