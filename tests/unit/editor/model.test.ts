import { describe, expect, it } from 'vitest';
import { blankDesign, type Design } from '../../../main/core/editor/design';
import { alignDeltas, distributeDeltas, snapToCanvas, type Rect } from '../../../renderer/src/features/editor/model/align';
import { canRedo, canUndo, createHistory, current, discard, push, redo, seal, undo } from '../../../renderer/src/features/editor/model/history';
import {
  addLayer,
  copyLayers,
  moveLayers,
  newShape,
  newSticker,
  newText,
  patchLayer,
  removeLayers,
  reorderLayer,
  textDecorDefaults,
} from '../../../renderer/src/features/editor/model/layers';
import { ariaShortcut, detectPlatform, shortcutFor, shortcutLabel, type KeyPress } from '../../../renderer/src/features/editor/model/shortcuts';
import { cropOff, idleDraw, stepCrop, stepDraw, type CropState } from '../../../renderer/src/features/editor/model/tools';

describe('undo history (snapshot list and cursor)', () => {
  it('undoes and redoes at least 100 steps', () => {
    let h = createHistory(0);
    for (let i = 1; i <= 150; i++) h = push(h, i);
    for (let i = 0; i < 120; i++) h = undo(h);
    expect(current(h)).toBe(30);
    for (let i = 0; i < 120; i++) h = redo(h);
    expect(current(h)).toBe(150);
    expect(canRedo(h)).toBe(false);
  });

  it('forgets the oldest steps past its limit, and the redo tail on a new change', () => {
    let h = createHistory(0, 100);
    for (let i = 1; i <= 250; i++) h = push(h, i);
    expect(h.entries).toHaveLength(100);
    while (canUndo(h)) h = undo(h);
    expect(current(h)).toBe(151);
    h = redo(redo(h));
    h = push(h, 999);
    expect(canRedo(h)).toBe(false);
    expect(current(undo(h))).toBe(153);
  });

  it('makes one step of a slider drag, and a new one after it is let go', () => {
    let h = createHistory('a');
    h = push(h, 'b', 'brightness');
    h = push(h, 'c', 'brightness');
    h = push(h, 'd', 'brightness');
    expect(h.entries).toEqual(['a', 'd']);
    h = push(seal(h), 'e', 'brightness');
    expect(h.entries).toEqual(['a', 'd', 'e']);
    expect(push(h, 'e')).toBe(h);
  });

  it('can forget its last step entirely (an empty text box that was never filled)', () => {
    const h = discard(push(push(createHistory('a'), 'b'), 'c'));
    expect(h.entries).toEqual(['a', 'b']);
    expect(canRedo(h)).toBe(false);
    expect(discard(createHistory('a')).entries).toEqual(['a']);
  });
});

const press = (key: string, mods: Partial<KeyPress> = {}): KeyPress => ({ key, metaKey: false, ctrlKey: false, shiftKey: false, altKey: false, ...mods });

describe('keyboard shortcuts', () => {
  it('uses ⌘ on macOS and Ctrl elsewhere, and ignores the other OS’s key', () => {
    expect(shortcutFor(press('z', { metaKey: true }), 'mac')).toEqual({ type: 'undo' });
    expect(shortcutFor(press('z', { ctrlKey: true }), 'mac')).toBeNull();
    expect(shortcutFor(press('z', { ctrlKey: true }), 'other')).toEqual({ type: 'undo' });
    expect(shortcutFor(press('z', { metaKey: true }), 'other')).toBeNull();
    expect(shortcutFor(press('Z', { metaKey: true, shiftKey: true }), 'mac')).toEqual({ type: 'redo' });
    expect(shortcutFor(press('y', { ctrlKey: true }), 'other')).toEqual({ type: 'redo' });
    expect(shortcutFor(press('y', { metaKey: true }), 'mac')).toBeNull();
  });

  it.each([
    ['c', 'copy'],
    ['v', 'paste'],
    ['x', 'cut'],
    ['d', 'duplicate'],
    ['a', 'selectAll'],
    ['=', 'zoomIn'],
    ['-', 'zoomOut'],
    ['0', 'zoomFit'],
  ])('Mod+%s is %s on both', (key, type) => {
    expect(shortcutFor(press(key, { metaKey: true }), 'mac')).toEqual({ type });
    expect(shortcutFor(press(key, { ctrlKey: true }), 'other')).toEqual({ type });
  });

  it('deletes, nudges by 1 (10 with Shift) and deselects without a modifier', () => {
    expect(shortcutFor(press('Delete'), 'other')).toEqual({ type: 'delete' });
    expect(shortcutFor(press('Backspace'), 'mac')).toEqual({ type: 'delete' });
    expect(shortcutFor(press('ArrowLeft'), 'mac')).toEqual({ type: 'nudge', dx: -1, dy: 0 });
    expect(shortcutFor(press('ArrowDown', { shiftKey: true }), 'other')).toEqual({ type: 'nudge', dx: 0, dy: 10 });
    expect(shortcutFor(press('Escape'), 'other')).toEqual({ type: 'deselect' });
    expect(shortcutFor(press('q'), 'other')).toBeNull();
    expect(shortcutFor(press('ArrowLeft', { altKey: true }), 'other')).toBeNull();
  });

  it('names the keys for screen readers and tooltips the way each OS writes them', () => {
    expect(ariaShortcut('undo', 'mac')).toBe('Meta+Z');
    expect(ariaShortcut('redo', 'other')).toBe('Control+Shift+Z Control+Y');
    expect(shortcutLabel('redo', 'mac')).toBe('⌘⇧Z');
    expect(shortcutLabel('duplicate', 'other')).toBe('Ctrl+D');
    expect(detectPlatform({ platform: 'MacIntel' })).toBe('mac');
    expect(detectPlatform({ userAgentData: { platform: 'Windows' } })).toBe('other');
    expect(detectPlatform(undefined)).toBe('other');
  });
});

describe('new layers', () => {
  it('start in a colour that shows: white with a shadow on photos, dark on a white canvas, light on a dark one', () => {
    const photo = { ...blankDesign(100, 100), photo: { mediaId: 'm', width: 100, height: 100, rotation: 0 as const, flipX: false, flipY: false, crop: { x: 0, y: 0, width: 100, height: 100 }, filters: { brightness: 0, contrast: 0, saturation: 0, blur: 0, greyscale: 0, sepia: 0 } } };
    expect(newText(photo, 't', 'Hi')).toMatchObject({ color: '#ffffff', shadow: { color: '#00000080' } });
    expect(newText(blankDesign(100, 100), 't', 'Hi')).toMatchObject({ color: '#111827', shadow: null });
    expect(newShape(blankDesign(100, 100, '#101820'), 'l', 'arrow')).toMatchObject({ stroke: '#ffffff' });
  });

  it('give text an outline and a box that stand out from its colour', () => {
    const dark = { ...newText(blankDesign(1000, 1000), 't', 'Hi'), fontSize: 48 };
    expect(textDecorDefaults(dark)).toEqual({ outline: { color: '#ffffff', width: 2 }, background: { color: '#ffffffd9', padding: 14 } });
    expect(textDecorDefaults({ ...dark, color: '#ffffff' }).background.color).toBe('#000000b3');
  });
});

describe('layer edits', () => {
  const design = (): Design => {
    let d = blankDesign(1080, 1350);
    d = addLayer(d, newText(d, 'a', 'Hello'));
    d = addLayer(d, newShape(d, 'b', 'rect'));
    d = addLayer(d, newSticker(d, 'c', '🎉'));
    return d;
  };

  it('changes only the layers named and shares the rest, so snapshots stay small', () => {
    const d = design();
    const next = patchLayer(d, 'b', { opacity: 0.5 });
    expect(next.layers[0]).toBe(d.layers[0]);
    expect(next.layers[1]?.opacity).toBe(0.5);
    expect(patchLayer(next, 'b', { opacity: 0.5 })).toBe(next);
  });

  it('reorders, removes, copies and nudges', () => {
    const d = design();
    expect(reorderLayer(d, 'a', 'forward').layers.map((l) => l.id)).toEqual(['b', 'a', 'c']);
    expect(reorderLayer(d, 'a', 'front').layers.map((l) => l.id)).toEqual(['b', 'c', 'a']);
    expect(reorderLayer(d, 'c', 'back').layers.map((l) => l.id)).toEqual(['c', 'a', 'b']);
    expect(reorderLayer(d, 'a', 'backward')).toBe(d);
    expect(removeLayers(d, ['a', 'c']).layers.map((l) => l.id)).toEqual(['b']);
    let n = 0;
    const copied = copyLayers(d, [d.layers[0]!], () => `copy-${++n}`, 20);
    expect(copied.ids).toEqual(['copy-1']);
    expect(copied.design.layers[3]).toMatchObject({ id: 'copy-1', x: d.layers[0]!.x + 20, type: 'text' });
    const locked = patchLayer(d, 'a', { locked: true });
    const moved = moveLayers(locked, ['a', 'b'], 1, -10);
    expect(moved.layers[0]).toBe(locked.layers[0]);
    expect(moved.layers[1]).toMatchObject({ x: d.layers[1]!.x + 1, y: d.layers[1]!.y - 10 });
  });
});

describe('align, distribute, snap', () => {
  const boxes: Rect[] = [
    { left: 10, top: 10, width: 100, height: 50 },
    { left: 300, top: 40, width: 50, height: 50 },
    { left: 120, top: 200, width: 20, height: 20 },
  ];
  const frame = { left: 0, top: 0, width: 1000, height: 800 };

  it('aligns one box to the canvas and several to the box around them', () => {
    expect(alignDeltas([boxes[0]!], 'hcenter', frame)).toEqual([{ dx: 440, dy: 0 }]);
    expect(alignDeltas(boxes, 'left', frame).map((d) => d.dx)).toEqual([0, -290, -110]);
    expect(alignDeltas(boxes, 'bottom', frame).map((d) => d.dy)).toEqual([160, 130, 0]);
  });

  it('spaces three or more boxes evenly between the outermost', () => {
    const d = distributeDeltas(boxes, 'horizontal');
    // Span 10–350, boxes 170 wide, so gaps of 85: 10–110, 195–215, 300–350.
    expect(d.map((x) => x.dx)).toEqual([0, 0, 75]);
    expect(distributeDeltas(boxes.slice(0, 2), 'vertical')).toEqual([
      { dx: 0, dy: 0 },
      { dx: 0, dy: 0 },
    ]);
  });

  it('snaps to the canvas centre and edges within the threshold, with guides', () => {
    const s = snapToCanvas({ left: 446, top: 3, width: 100, height: 50 }, { width: 1000, height: 800 }, 6);
    expect(s).toEqual({ dx: 4, dy: -3, vertical: [500], horizontal: [0] });
    expect(snapToCanvas({ left: 100, top: 100, width: 10, height: 10 }, { width: 1000, height: 800 }, 6)).toEqual({ dx: 0, dy: 0, vertical: [], horizontal: [] });
  });
});

describe('tools', () => {
  it('drawing: a click places, a drag spans a box; Escape cancels', () => {
    let s = stepDraw(idleDraw, { type: 'down', point: { x: 10, y: 10 } }, 3).state;
    expect(s.mode).toBe('pointing');
    const click = stepDraw(stepDraw(s, { type: 'move', point: { x: 11, y: 11 } }, 3).state, { type: 'up', point: { x: 11, y: 11 } }, 3);
    expect(click.outcome).toEqual({ kind: 'click', point: { x: 10, y: 10 } });
    s = stepDraw(s, { type: 'move', point: { x: 60, y: 0 } }, 3).state;
    expect(s.mode).toBe('dragging');
    const drag = stepDraw(s, { type: 'up', point: { x: 60, y: 0 } }, 3);
    expect(drag.outcome).toEqual({ kind: 'drag', from: { x: 10, y: 10 }, to: { x: 60, y: 0 }, box: { left: 10, top: 0, width: 50, height: 10 } });
    expect(drag.state).toEqual(idleDraw);
    expect(stepDraw(s, { type: 'cancel' }, 3)).toEqual({ state: idleDraw, outcome: null });
  });

  it('cropping: starts at the ratio, follows grabs within the photo, applies or cancels', () => {
    const bounds = { x: 0, y: 0, width: 6000, height: 4000 };
    let s: CropState = stepCrop(cropOff, { type: 'begin', bounds, box: bounds, ratio: 0.8 }).state;
    expect(s).toMatchObject({ mode: 'framing', box: { x: 1400, y: 0, width: 3200, height: 4000 } });
    s = stepCrop(s, { type: 'grab', grip: 'inside', point: { x: 3000, y: 2000 } }).state;
    s = stepCrop(s, { type: 'drag', point: { x: 9000, y: 2000 } }).state;
    expect(s).toMatchObject({ box: { x: 2800, y: 0 } });
    s = stepCrop(s, { type: 'release' }).state;
    s = stepCrop(s, { type: 'ratio', ratio: 1 }).state;
    expect(s).toMatchObject({ box: { width: 4000, height: 4000 } });
    s = stepCrop(s, { type: 'set', box: { x: 0, y: 0, width: 1000, height: 300 } }).state;
    expect(s).toMatchObject({ box: { x: 0, y: 0, width: 1000, height: 1000 } });
    const done = stepCrop(s, { type: 'apply' });
    expect(done).toEqual({ state: cropOff, applied: { x: 0, y: 0, width: 1000, height: 1000 } });
    expect(stepCrop(s, { type: 'cancel' })).toEqual({ state: cropOff, applied: null });
  });
});
