import type { NetworkId } from '../networks/ids';
import { countPost, tightestTextCount } from '../networks/count';
import type { RuleOptions } from '../networks/rules';

/**
 * Threads (chains, issue 12 item 6): a post may go out as a chain of parts, each a reply to the
 * one before. The first part is the post itself (its text and media); the parts after it live in
 * the post's options (networkOptions.thread), each with its own text and media. Only networks
 * whose API replies to one's own post take a chain: Bluesky (reply root + parent), Mastodon
 * (in_reply_to_id), Threads (reply_to_id) and X (reply.in_reply_to_tweet_id).
 */

export const CHAIN_NETWORKS = ['bluesky', 'mastodon', 'threads', 'x'] as const satisfies readonly NetworkId[];
/** Parts after the first; a longer chain is a blog post, and each part is one more call to the network. */
export const THREAD_PARTS_MAX = 24;

export function takesChains(network: NetworkId): boolean {
  return (CHAIN_NETWORKS as readonly NetworkId[]).includes(network);
}

/** One part after the first: its text and the ids of its media, in order. */
export interface ThreadPart {
  text: string;
  media: string[];
}

export interface ThreadOptions {
  parts: ThreadPart[];
  /** Adds "1/3" to the end of each part. */
  numbered: boolean;
}

/** True when the post is a chain: at least one part after the post itself. */
export function hasThread(thread: ThreadOptions | undefined): thread is ThreadOptions {
  return thread !== undefined && thread.parts.length > 0;
}

/** The part's text as sent: with its "2/3" when the chain is numbered. */
export function partText(text: string, index: number, total: number, numbered: boolean): string {
  if (!numbered || total < 2) return text;
  const trimmed = text.trimEnd();
  return `${trimmed}${trimmed ? ' ' : ''}${index + 1}/${total}`;
}

/** Every part's text as it goes out, the post's own (worded for its account) first. */
export function chainTexts(first: string, thread: ThreadOptions | undefined): string[] {
  if (!hasThread(thread)) return [first];
  const texts = [first, ...thread.parts.map((part) => part.text)];
  return texts.map((text, index) => partText(text, index, texts.length, thread.numbered));
}

/** A network's text limit for one account, as the composer counts it. */
export interface SplitTarget {
  network: NetworkId;
  ruleOptions?: RuleOptions;
}

/** True when the text fits the text limit of every target (each by its own network's count). */
export function fitsAll(text: string, targets: readonly SplitTarget[]): boolean {
  return targets.every((target) => {
    const count = tightestTextCount(countPost(target.network, { text, media: [] }, target.ruleOptions ?? {}));
    return count === undefined || count.used <= count.limit;
  });
}

// The room "99/99" takes at the end of a part, so numbering added after splitting still fits.
const NUMBER_ROOM = ' 99/99';

const sentenceSegmenter = new Intl.Segmenter(undefined, { granularity: 'sentence' });
const wordSegmenter = new Intl.Segmenter(undefined, { granularity: 'word' });
const graphemeSegmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** Sentences, each with the spaces after it; a link's dots never end one (UAX #29 needs a space after the period). */
function sentences(text: string): string[] {
  return [...sentenceSegmenter.segment(text)].map((s) => s.segment);
}

/** Words and the spaces between them, a link staying whole (it has no spaces). */
function words(text: string): string[] {
  const pieces: string[] = [];
  for (const piece of text.split(/(\s+)/)) if (piece) pieces.push(piece);
  return pieces.length > 0 ? pieces : [...wordSegmenter.segment(text)].map((s) => s.segment);
}

function graphemes(text: string): string[] {
  return [...graphemeSegmenter.segment(text)].map((s) => s.segment);
}

/**
 * Packs pieces greedily into parts that pass `fits`; a piece too long on its own is broken by
 * `finer` (sentences into words, words into characters), so no part is ever over.
 */
function pack(pieces: readonly string[], fits: (text: string) => boolean, finer: ((piece: string) => string[]) | null, into: string[]): void {
  let current = '';
  const flush = () => {
    const trimmed = current.trim();
    if (trimmed) into.push(trimmed);
    current = '';
  };
  for (const piece of pieces) {
    if (fits((current + piece).trim())) {
      current += piece;
      continue;
    }
    flush();
    if (fits(piece.trim())) {
      current = piece;
      continue;
    }
    if (finer === null) {
      // A single character over every limit cannot be split further: it goes alone.
      into.push(piece);
      continue;
    }
    const smaller: string[] = [];
    pack(finer(piece), fits, finer === words ? graphemes : null, smaller);
    // The last piece keeps room for what follows it.
    into.push(...smaller.slice(0, -1));
    current = (smaller.at(-1) ?? '') + (/\s+$/.exec(piece)?.[0] ?? '');
  }
  flush();
}

/**
 * "Split into a thread": the text cut at sentence boundaries into parts that each fit the
 * strictest of the targets' limits (a sentence longer than that at spaces, a word longer than
 * that between characters); line breaks inside a part are kept. When `numbered`, room for the
 * "2/3" is kept in every part. No targets that count text: the text comes back whole.
 */
export function splitIntoThread(text: string, targets: readonly SplitTarget[], numbered = false): string[] {
  const trimmed = text.trim();
  if (!trimmed) return [];
  const fits = (part: string) => fitsAll(numbered ? part + NUMBER_ROOM : part, targets);
  if (targets.length === 0 || fits(trimmed)) return [trimmed];
  const parts: string[] = [];
  pack(sentences(trimmed), fits, words, parts);
  return parts;
}
