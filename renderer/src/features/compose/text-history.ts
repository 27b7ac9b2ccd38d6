/** One state of a text field: the text and where the caret (or selection) was. */
export interface TextSnapshot {
  text: string;
  selectionStart: number;
  selectionEnd: number;
}

export type EditKind = 'type' | 'delete' | 'other';

export interface TextHistoryOptions {
  /** Oldest states are dropped past this many. */
  limit?: number;
  /** Typing within this long of the last keystroke joins the same undo step. */
  coalesceMs?: number;
}

/**
 * Undo and redo for a text field: a list of snapshots and a cursor (as in Signal's media
 * editor). A burst of typing is one step, as in every text editor; a paste, an emoji, a
 * snippet or a switch between typing and deleting starts a new one.
 */
export class TextHistory {
  private entries: TextSnapshot[];
  private cursor = 0;
  private lastKind: EditKind = 'other';
  private lastAt = Number.NEGATIVE_INFINITY;
  private readonly limit: number;
  private readonly coalesceMs: number;

  constructor(initial: TextSnapshot, options: TextHistoryOptions = {}) {
    this.entries = [initial];
    this.limit = options.limit ?? 500;
    this.coalesceMs = options.coalesceMs ?? 1000;
  }

  get current(): TextSnapshot {
    return this.entries[this.cursor] as TextSnapshot;
  }

  get canUndo(): boolean {
    return this.cursor > 0;
  }

  get canRedo(): boolean {
    return this.cursor < this.entries.length - 1;
  }

  /** Records the field's new state after an edit of `kind` made at `now` (ms). */
  record(next: TextSnapshot, kind: EditKind, now: number): void {
    if (next.text === this.current.text) {
      this.entries[this.cursor] = next;
      return;
    }
    const joins =
      kind !== 'other' && kind === this.lastKind && now - this.lastAt <= this.coalesceMs && this.cursor > 0 && !this.canRedo;
    // A space typed after a word starts a new step, so undo takes back one word at a time.
    const wordEnd = kind === 'type' && /\s$/u.test(next.text) && !/\s$/u.test(this.current.text);
    this.entries.length = this.cursor + 1;
    if (joins && !wordEnd) {
      this.entries[this.cursor] = next;
    } else {
      this.entries.push(next);
      if (this.entries.length > this.limit) this.entries.shift();
      this.cursor = this.entries.length - 1;
    }
    this.lastKind = kind;
    this.lastAt = now;
  }

  undo(): TextSnapshot | null {
    if (!this.canUndo) return null;
    this.cursor--;
    this.lastKind = 'other';
    return this.current;
  }

  redo(): TextSnapshot | null {
    if (!this.canRedo) return null;
    this.cursor++;
    this.lastKind = 'other';
    return this.current;
  }

  /** Starts over from `snapshot` (another post opened, or the text replaced from outside). */
  reset(snapshot: TextSnapshot): void {
    this.entries = [snapshot];
    this.cursor = 0;
    this.lastKind = 'other';
    this.lastAt = Number.NEGATIVE_INFINITY;
  }
}

/** What kind of edit turned `before` into `after`, from the browser's inputType where it says. */
export function editKind(inputType: string | undefined, before: string, after: string): EditKind {
  if (inputType?.startsWith('insertText') || inputType === 'insertCompositionText') return 'type';
  if (inputType?.startsWith('delete')) return 'delete';
  if (inputType !== undefined) return 'other';
  if (after.length === before.length + 1) return 'type';
  if (after.length === before.length - 1) return 'delete';
  return 'other';
}
