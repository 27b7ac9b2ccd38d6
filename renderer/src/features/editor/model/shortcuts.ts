/**
 * Keyboard shortcuts as data: one table maps keys to editor actions, with "Mod" meaning ⌘ on
 * macOS and Ctrl everywhere else, so every action has the key its OS's users expect.
 */
export type Platform = 'mac' | 'other';

export type EditorAction =
  | { type: 'undo' }
  | { type: 'redo' }
  | { type: 'delete' }
  | { type: 'copy' }
  | { type: 'cut' }
  | { type: 'paste' }
  | { type: 'duplicate' }
  | { type: 'selectAll' }
  | { type: 'deselect' }
  | { type: 'nudge'; dx: number; dy: number }
  | { type: 'zoomIn' }
  | { type: 'zoomOut' }
  | { type: 'zoomFit' }
  | { type: 'zoomActual' };

export type ActionType = EditorAction['type'];

/** The parts of a KeyboardEvent the mapping reads. */
export interface KeyPress {
  key: string;
  metaKey: boolean;
  ctrlKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
}

/** macOS by the browser's own report; everything else uses Ctrl. */
export function detectPlatform(nav: { platform?: string; userAgentData?: { platform?: string } } | undefined): Platform {
  const name = nav?.userAgentData?.platform || nav?.platform || '';
  return /mac|iphone|ipad|ipod/i.test(name) ? 'mac' : 'other';
}

export const NUDGE = 1;
export const BIG_NUDGE = 10;

const arrows: Record<string, [number, number]> = {
  ArrowLeft: [-1, 0],
  ArrowRight: [1, 0],
  ArrowUp: [0, -1],
  ArrowDown: [0, 1],
};

/** The action a key press asks for, or null when the editor should leave it alone. */
export function shortcutFor(press: KeyPress, platform: Platform): EditorAction | null {
  const mod = platform === 'mac' ? press.metaKey : press.ctrlKey;
  // The other OS's modifier must not also act: Ctrl+Z on a Mac is not undo.
  const otherMod = platform === 'mac' ? press.ctrlKey : press.metaKey;
  if (otherMod) return null;
  const key = press.key.length === 1 ? press.key.toLowerCase() : press.key;
  if (mod && !press.altKey) {
    if (key === 'z') return press.shiftKey ? { type: 'redo' } : { type: 'undo' };
    if (key === 'y' && platform === 'other' && !press.shiftKey) return { type: 'redo' };
    if (press.shiftKey) return null;
    switch (key) {
      case 'c':
        return { type: 'copy' };
      case 'x':
        return { type: 'cut' };
      case 'v':
        return { type: 'paste' };
      case 'd':
        return { type: 'duplicate' };
      case 'a':
        return { type: 'selectAll' };
      case '=':
      case '+':
        return { type: 'zoomIn' };
      case '-':
        return { type: 'zoomOut' };
      case '0':
        return { type: 'zoomFit' };
      case '1':
        return { type: 'zoomActual' };
    }
    return null;
  }
  if (mod || press.altKey) return null;
  if (key === 'Delete' || key === 'Backspace') return { type: 'delete' };
  if (key === 'Escape') return { type: 'deselect' };
  const arrow = arrows[key];
  if (arrow) {
    const step = press.shiftKey ? BIG_NUDGE : NUDGE;
    return { type: 'nudge', dx: arrow[0] * step, dy: arrow[1] * step };
  }
  return null;
}

const keysFor: Partial<Record<ActionType, string[]>> = {
  undo: ['Mod+Z'],
  redo: ['Mod+Shift+Z'],
  copy: ['Mod+C'],
  paste: ['Mod+V'],
  duplicate: ['Mod+D'],
  delete: ['Delete'],
  zoomIn: ['Mod+='],
  zoomOut: ['Mod+-'],
  zoomFit: ['Mod+0'],
};

/** The `aria-keyshortcuts` value for an action on this OS (ARIA names: Meta, Control). */
export function ariaShortcut(action: ActionType, platform: Platform): string | undefined {
  const keys = keysFor[action];
  if (!keys) return undefined;
  const mod = platform === 'mac' ? 'Meta' : 'Control';
  const list = keys.map((k) => k.replace('Mod', mod));
  if (action === 'redo' && platform === 'other') list.push('Control+Y');
  return list.join(' ');
}

/** The shortcut as people write it on this OS: ⌘⇧Z on a Mac, Ctrl+Shift+Z elsewhere. */
export function shortcutLabel(action: ActionType, platform: Platform): string | undefined {
  const first = keysFor[action]?.[0];
  if (!first) return undefined;
  if (platform === 'mac') return first.replace('Mod+', '⌘').replace('Shift+', '⇧').replace('Delete', '⌫');
  return first.replace('Mod', 'Ctrl');
}
