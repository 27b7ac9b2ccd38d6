import { useEffect, useId, useImperativeHandle, useLayoutEffect, useRef, useState, type Ref } from 'react';
import { editKind, TextHistory, type TextSnapshot } from './text-history';

/** What the toolbar (emoji, snippets, hashtags, UTM) does to the text field that is open. */
export interface TextEditorHandle {
  /** Inserts at the caret (replacing a selection), as one undo step. */
  insert(text: string): void;
  /** Replaces [start, end) of the text, as one undo step. */
  replace(start: number, end: number, text: string): void;
  undo(): void;
  redo(): void;
  focus(): void;
}

interface TextEditorProps {
  label: string;
  value: string;
  onChange(value: string): void;
  /** Each field (post × text) has its own undo history, kept while the composer is open. */
  historyKey: string;
  ref?: Ref<TextEditorHandle>;
  rows?: number;
  disabled?: boolean;
  placeholder?: string;
  describedBy?: string;
  onBlur?(): void;
  onHistoryChange?(state: { canUndo: boolean; canRedo: boolean }): void;
}

const histories = new Map<string, TextHistory>();

function historyFor(key: string, value: string): TextHistory {
  let history = histories.get(key);
  if (!history) {
    history = new TextHistory({ text: value, selectionStart: value.length, selectionEnd: value.length });
    histories.set(key, history);
  }
  return history;
}

/** Forgets the undo histories of a post's fields (it was closed or deleted). */
export function dropHistories(prefix: string): void {
  for (const key of [...histories.keys()]) if (key.startsWith(prefix)) histories.delete(key);
}

/**
 * A plain-text field with undo and redo (Ctrl/Cmd+Z, Shift+Ctrl/Cmd+Z, Ctrl+Y) that also keep
 * edits made by the toolbar. dir="auto" lets Hebrew or Arabic text run right to left.
 */
export function TextEditor({
  label,
  value,
  onChange,
  historyKey,
  ref,
  rows,
  disabled,
  placeholder,
  describedBy,
  onBlur,
  onHistoryChange,
}: TextEditorProps) {
  const id = useId();
  const area = useRef<HTMLTextAreaElement>(null);
  const pendingSelection = useRef<[number, number] | null>(null);
  const [history, setHistory] = useState(() => historyFor(historyKey, value));
  if (histories.get(historyKey) !== history) setHistory(historyFor(historyKey, value));

  const apply = (snapshot: TextSnapshot | null) => {
    if (!snapshot) return;
    pendingSelection.current = [snapshot.selectionStart, snapshot.selectionEnd];
    onChange(snapshot.text);
  };

  const commit = (text: string, caret: number) => {
    history.record({ text, selectionStart: caret, selectionEnd: caret }, 'other', performance.now());
    pendingSelection.current = [caret, caret];
    onChange(text);
  };

  useImperativeHandle(ref, () => ({
    insert(text) {
      const el = area.current;
      const start = el?.selectionStart ?? value.length;
      const end = el?.selectionEnd ?? value.length;
      commit(value.slice(0, start) + text + value.slice(end), start + text.length);
      el?.focus();
    },
    replace(start, end, text) {
      commit(value.slice(0, start) + text + value.slice(end), start + text.length);
      area.current?.focus();
    },
    undo: () => apply(history.undo()),
    redo: () => apply(history.redo()),
    focus: () => area.current?.focus(),
  }));

  // The caret goes where the undone (or inserted) text was, once React has written the value.
  useLayoutEffect(() => {
    const selection = pendingSelection.current;
    const el = area.current;
    if (!selection || !el) return;
    pendingSelection.current = null;
    el.setSelectionRange(selection[0], selection[1]);
  });

  // A change from outside (another window's version taken) becomes a step of its own.
  useEffect(() => {
    if (history.current.text !== value) {
      history.record({ text: value, selectionStart: value.length, selectionEnd: value.length }, 'other', performance.now());
    }
    onHistoryChange?.({ canUndo: history.canUndo, canRedo: history.canRedo });
  }, [history, value, onHistoryChange]);

  // The Edit menu's Undo/Redo arrive as beforeinput events, not keys.
  useEffect(() => {
    const el = area.current;
    if (!el) return;
    const onBeforeInput = (event: InputEvent) => {
      if (event.inputType !== 'historyUndo' && event.inputType !== 'historyRedo') return;
      event.preventDefault();
      apply(event.inputType === 'historyUndo' ? history.undo() : history.redo());
    };
    el.addEventListener('beforeinput', onBeforeInput);
    return () => el.removeEventListener('beforeinput', onBeforeInput);
  });

  return (
    <div className="text-editor">
      <label htmlFor={id} className="text-editor-label">
        {label}
      </label>
      <textarea
        id={id}
        ref={area}
        dir="auto"
        rows={rows ?? 8}
        value={value}
        disabled={disabled}
        placeholder={placeholder}
        aria-describedby={describedBy}
        spellCheck
        onBlur={onBlur}
        onChange={(event) => {
          const el = event.currentTarget;
          const next = el.value;
          const kind = editKind((event.nativeEvent as InputEvent).inputType, history.current.text, next);
          history.record({ text: next, selectionStart: el.selectionStart, selectionEnd: el.selectionEnd }, kind, performance.now());
          onChange(next);
        }}
        onKeyDown={(event) => {
          const mod = event.ctrlKey || event.metaKey;
          if (!mod || event.altKey) return;
          const key = event.key.toLowerCase();
          if (key === 'z') {
            event.preventDefault();
            apply(event.shiftKey ? history.redo() : history.undo());
          } else if (key === 'y' && event.ctrlKey && !event.shiftKey) {
            event.preventDefault();
            apply(history.redo());
          }
        }}
      />
    </div>
  );
}
