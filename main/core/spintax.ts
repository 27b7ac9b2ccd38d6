/**
 * Unique wording per account (issue 12 item 7): spintax — `{Hi|Hello|Hey}` — written once, worded
 * differently for each account, so the same offer posted to ten communities does not read as a copy.
 * Braces without a `|` inside stay as written (`{name}`, code, emoticons), so ordinary text never
 * changes; `\{`, `\|` and `\}` write the characters themselves. Groups nest.
 *
 * The choice is deterministic: a target's text depends only on the text and the target's key (its
 * post and account), so previews, counters, scheduling checks and the publish after a crash all see
 * the same words. Pure.
 */

type Piece = string | Group;
interface Group {
  options: Piece[][];
}

/** Parses `text` into literal runs and groups; an unclosed `{` or a group of one option is literal. */
function parse(text: string): Piece[] {
  let at = 0;
  const sequence = (insideGroup: boolean): { pieces: Piece[]; stop: '|' | '}' | null } => {
    const pieces: Piece[] = [];
    let literal = '';
    while (at < text.length) {
      const ch = text[at] as string;
      if (ch === '\\' && '{|}\\'.includes(text[at + 1] ?? '')) {
        literal += text[at + 1];
        at += 2;
        continue;
      }
      if (insideGroup && (ch === '|' || ch === '}')) {
        at++;
        if (literal) pieces.push(literal);
        return { pieces, stop: ch };
      }
      if (ch === '{') {
        const start = at;
        at++;
        const found = groupFrom();
        if (found === 'unclosed') {
          // Never closed: the brace is text, and what follows is read again as text.
          at = start + 1;
          literal += '{';
        } else if (Array.isArray(found)) {
          // Closed without a choice ({name}): the braces stay, what is inside may still hold groups.
          if (literal) pieces.push(literal);
          pieces.push('{', ...found, '}');
          literal = '';
        } else {
          if (literal) pieces.push(literal);
          literal = '';
          pieces.push(found);
        }
        continue;
      }
      literal += ch;
      at++;
    }
    if (literal) pieces.push(literal);
    return { pieces, stop: null };
  };
  const groupFrom = (): Group | Piece[] | 'unclosed' => {
    const options: Piece[][] = [];
    for (;;) {
      const { pieces, stop } = sequence(true);
      options.push(pieces);
      if (stop === '}') return options.length > 1 ? { options } : pieces;
      if (stop === null) return 'unclosed';
    }
  };
  return sequence(false).pieces;
}

/** True when the text has at least one group: it is worded per account. */
export function hasSpintax(text: string): boolean {
  if (!text.includes('{')) return false;
  return parse(text).some((piece) => typeof piece !== 'string');
}

/** How many different texts it can make (capped: a number for the composer, not an enumeration). */
export function spintaxVariantCount(text: string, cap = 1_000_000): number {
  const countOf = (pieces: Piece[]): number =>
    pieces.reduce((product, piece) => Math.min(cap, product * (typeof piece === 'string' ? 1 : piece.options.reduce((sum, option) => Math.min(cap, sum + countOf(option)), 0))), 1);
  return countOf(parse(text));
}

/** FNV-1a with MurmurHash3's finalizer: small and stable (the same in main and in the window), and keys that differ in one character still choose independently. */
function hash(value: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < value.length; i++) {
    h ^= value.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** The text for `key`: each group's option chosen by the key and the group's place; `round` > 0 gives another wording. */
export function renderSpintax(text: string, key: string, round = 0): string {
  // Most posts have no braces: nothing to parse on every keystroke.
  if (!text.includes('{') && !text.includes('\\')) return text;
  let groupIndex = 0;
  const render = (pieces: Piece[]): string =>
    pieces
      .map((piece) => {
        if (typeof piece === 'string') return piece;
        const option = piece.options[hash(`${key}#${round}#${groupIndex++}`) % piece.options.length] as Piece[];
        return render(option);
      })
      .join('');
  return render(parse(text));
}

/** How many other wordings a target tries before it accepts a text another target already has. */
const UNIQUE_TRIES = 32;

/**
 * Each target's words. With `unique`, targets are worded in the order of their keys and each takes
 * the first wording no earlier target has (while the text allows); without, each its own choice.
 * The same targets always get the same words.
 */
export function wordTargets(targets: ReadonlyArray<{ key: string; text: string }>, unique: boolean): Map<string, string> {
  const words = new Map<string, string>();
  const taken = new Set<string>();
  for (const target of [...targets].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))) {
    let text = renderSpintax(target.text, target.key);
    if (unique && hasSpintax(target.text)) {
      for (let round = 1; taken.has(text) && round <= UNIQUE_TRIES; round++) text = renderSpintax(target.text, target.key, round);
    }
    taken.add(text);
    words.set(target.key, text);
  }
  return words;
}

/** The key a target's wording is chosen by: its post and its account, known alike to the window and to main. */
export function wordingKey(postId: string, accountId: string): string {
  return `${postId}:${accountId}`;
}

/** Groups of targets that would publish the very same text (each group two or more keys). */
export function identicalTexts(words: ReadonlyMap<string, string>): string[][] {
  const byText = new Map<string, string[]>();
  for (const [key, text] of words) byText.set(text, [...(byText.get(text) ?? []), key]);
  return [...byText.values()].filter((keys) => keys.length > 1);
}

/** The words each of a post's targets goes out with (by account id), its own text or the post's worded for it. */
export function wordPost(postId: string, targets: ReadonlyArray<{ accountId: string; text: string }>, unique: boolean): Map<string, string> {
  const words = wordTargets(
    targets.map((t) => ({ key: wordingKey(postId, t.accountId), text: t.text })),
    unique,
  );
  return new Map(targets.map((t) => [t.accountId, words.get(wordingKey(postId, t.accountId)) ?? t.text]));
}
